"""Format-neutral editions: between the drafts and the renderers (PDF, web).

``resolve(project, files, language, draft)`` runs the review gate and the glossary check and
returns a :class:`ResolvedEdition`: every text of the brochure in one language with its spec
path and review state, figures formatted for the locale, images with their alt text. The PDF
renderer takes its ``translate`` callable; the web renderer reads the structure.
"""

from pubkit.content.edition import (Bullets, Contact, Figure, Figures, Image, Paragraph, ResolvedEdition, Section,
                                    Text, edition_date, gate, number_text, resolve)
from pubkit.content.gate import SHOWN_SEGMENTS, Translation, check_glossary, review_gate

__all__ = ["Bullets", "Contact", "Figure", "Figures", "Image", "Paragraph", "ResolvedEdition", "SHOWN_SEGMENTS",
           "Section", "Text", "Translation", "check_glossary", "edition_date", "gate", "number_text", "resolve",
           "review_gate"]
