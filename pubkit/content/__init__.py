"""Format-neutral editions: between the drafts and the renderers (PDF, web).

``resolve(project, files, language, draft)`` runs the review gate and the glossary check and
returns a :class:`ResolvedEdition`: every text of the brochure in one language with its spec
path and review state, figures formatted for the locale, images with their alt text. The PDF
renderer takes its ``translate`` callable; the web renderer reads the structure.
"""

from pubkit.content.edition import (Bullets, Callout, Columns, Contact, Figure, Figures, Heading, Image, Note, Numbered,
                                    PageBreak, Paragraph, ResolvedEdition, Section, Table, Text, edition_date, gate,
                                    resolve)
from pubkit.content.gate import SHOWN_SEGMENTS, Translation, check_glossary, review_gate
from pubkit.typeset.numbers import number_text

__all__ = ["Bullets", "Callout", "Columns", "Contact", "Figure", "Figures", "Heading", "Image", "Note", "Numbered",
           "PageBreak", "Paragraph", "ResolvedEdition", "SHOWN_SEGMENTS", "Section", "Table", "Text", "Translation",
           "check_glossary", "edition_date", "gate", "number_text", "resolve", "review_gate"]
