"""One edition's content, format-neutral: every text resolved for a language after the review gate.

The PDF renderer and the web renderer both start here. A :class:`ResolvedEdition` holds the
translated, NFC-normalised text of every segment (with its spec path and whether it is reviewed),
figures formatted for the locale, and the project files of the images with their alt text.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from pubkit.blocks import (bullets, callout, columns, figures, for_language, heading, image, kind_of, note,
                           numbered, page_break, paragraph, table)
from pubkit.content.gate import Translation, review_gate
from pubkit.errors import PubkitError
from pubkit.normalize import nfc
from pubkit.project import Project
from pubkit.spec import Brochure, load_spec, model
from pubkit.spec.segments import segments, written


@dataclass(frozen=True)
class Text:
    """A published text: ``text`` in the edition's language for the spec's ``source`` at ``path``."""

    text: str
    source: str
    path: str
    reviewed: bool = True  # False only in a draft: an unreviewed translation, or the source shown untranslated
    language: str = ""     # the source language where a draft shows the source untranslated (else the edition's)

    def __str__(self) -> str:
        return self.text


# The resolved blocks are each kind's own (pubkit.blocks); the names the renderers know them by:
Paragraph, Heading, Bullets, Numbered = paragraph.Resolved, heading.Resolved, bullets.Resolved, numbered.Resolved
Image, Figures, Figure, Table = image.Resolved, figures.Resolved, figures.Row, table.Resolved
Callout, Note, Columns, PageBreak = callout.Resolved, note.Resolved, columns.Resolved, page_break.Resolved


@dataclass(frozen=True)
class Section:
    path: str
    heading: Text
    blocks: tuple  # resolved blocks, each of its kind's ``Resolved`` class (pubkit.blocks)
    new_page: bool = False


@dataclass(frozen=True)
class Contact:
    organisation: Text
    address: Text | None
    phone: str | None  # as written in every language
    email: str | None
    website: str | None


@dataclass(frozen=True)
class ResolvedEdition:
    brochure_id: str
    spec_file: Path
    brochure: Brochure
    language: str
    source_language: str
    languages: tuple[str, ...]  # every edition of the brochure, in spec order
    draft: bool  # some text is unreviewed or untranslated (only in a --draft run)
    translate: Callable[..., str]  # (source, spec path=None) → published text (what the PDF renderer takes)
    date: dt.date
    title: Text
    subtitle: Text | None
    publisher: Text
    tagline: Text | None
    cover_image: Image | None
    sections: tuple[Section, ...]
    back_heading: Text | None
    back_text: Text | None
    contact: Contact | None
    texts: dict[str, Text] = field(default_factory=dict)  # every segment by spec path
    qr_url: str | None = None  # the back cover's QR address for this edition ({lang} filled in)
    qr_label: Text | None = None
    licence_issuer: Text | None = None  # the colophon's issuing authority

    def unreviewed(self) -> list[Text]:
        return [text for text in self.texts.values() if not text.reviewed]

    def images(self) -> Iterator[Image]:
        if self.cover_image:
            yield self.cover_image
        for section in self.sections:
            yield from (block for block in section.blocks if isinstance(block, Image))

    def all_text(self) -> str:
        """Every character the edition publishes (for font subsets and coverage checks)."""
        parts = [text.text for text in self.texts.values()]
        for section in self.sections:
            parts += [block.numbers() for block in section.blocks if hasattr(block, "numbers")]
        if self.contact:
            parts += [value for value in (self.contact.phone, self.contact.email, self.contact.website) if value]
        if self.qr_url:
            parts.append(self.qr_url)
        return "".join(parts)


def edition_date(brochure: Brochure) -> dt.datetime:
    """The edition's date: SOURCE_DATE_EPOCH, else the spec's date, else 2000-01-01 (reproducible)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise PubkitError(f"SOURCE_DATE_EPOCH={epoch[:30]} is not a date in seconds since 1970",
                              key="SOURCE_DATE_EPOCH",
                              fix="set it to a whole number such as $(git log -1 --format=%ct), or unset it") from None
    day = brochure.date.as_date() if brochure.date else dt.date(2000, 1, 1)
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)


def gate(project: Project, files, language: str, draft: bool, brochure: Brochure | None = None,
         segment_list=segments) -> Translation:
    """The review gate alone (no text resolved): raises when ``language`` may not be published.

    Segments an ``only:`` override replaces in this language are not asked of its translator.
    """
    brochure = brochure or load_spec(files.spec)
    return review_gate(brochure, files.drafts(project, language), files.id, project, files.folder, language, draft,
                       lambda b: [s for s in segment_list(b) if s.prints_in(language)])


class _Resolver:
    """What a block kind's ``resolve`` gets (pubkit.blocks): the edition's texts and files."""

    def __init__(self, project: Project, files, brochure: Brochure, language: str, translation: Translation):
        self.project, self.files, self.brochure = project, files, brochure
        self.language, self.translation = language, translation
        self.texts: dict[str, Text] = {}
        self.written = written(brochure, language)  # override texts: in this language already

    def text(self, source: str | None, path: str) -> Text | None:
        if not source:
            return None
        if self.written.get(path) == source:
            text = Text(source, source, path, True)
        else:
            published = nfc(self.translation(source, path))
            reviewed = self.translation.reviewed(source, path)
            shown_as_written = not reviewed and self.translation.shows_source(source, path)
            text = Text(published, source, path, reviewed, self.brochure.source_language if shown_as_written else "")
        self.texts[path] = text
        return text

    def block(self, block: model.Block, path: str):
        return kind_of(block).resolve(self, for_language(block, self.language), path)


def resolve(project: Project, files, language: str, draft: bool, segment_list=segments) -> ResolvedEdition:
    """The content of ``files``' brochure in ``language``: review-gated, translated, resolved.

    ``files`` is a :class:`pubkit.commands.brochures.BrochureFiles`. Raises :class:`PubkitError`
    when the language is not reviewed (unless ``draft``), when a reviewed translation misses a
    glossary term, or when an image path leaves the project.
    """
    brochure = load_spec(files.spec)
    translation = gate(project, files, language, draft, brochure, segment_list)
    r = _Resolver(project, files, brochure, language, translation)
    title = r.text(brochure.title, "title")
    subtitle = r.text(brochure.subtitle, "subtitle")
    publisher = r.text(brochure.publisher, "publisher")
    tagline = r.text(brochure.cover.tagline, "cover.tagline")
    cover = None
    if brochure.cover.image:
        line = brochure.line_of("cover.image")
        cover = Image("cover.image", brochure.cover.image, image.image_file(project, files.spec, brochure.cover.image,
                                                                           key="cover.image", line=line),
                      line, None, None, None)
    sections = []
    for s, section in enumerate(brochure.sections):
        where = f"sections[{s}]"
        heading = r.text(section.heading, f"{where}.heading")
        blocks = tuple(r.block(block, f"{where}.content[{b}]") for b, block in enumerate(section.content))
        sections.append(Section(where, heading, blocks, section.new_page))
    back = brochure.back_cover
    back_heading = r.text(back.heading, "back_cover.heading") if back else None
    back_text = r.text(back.text, "back_cover.text") if back else None
    contact = None
    if back and back.contact:
        c = back.contact
        contact = Contact(r.text(c.organisation, "back_cover.contact.organisation"),
                          r.text(c.address, "back_cover.contact.address"), c.phone, c.email, c.website)
    qr = back.qr if back else None
    qr_label = r.text(qr.label, "back_cover.qr.label") if qr else None
    issuer = r.text(brochure.publication.licence.issuer, "publication.licence.issuer") if brochure.publication else None
    listed = {segment.path for segment in segments(brochure) if segment.prints_in(language)} | set(r.written)
    if listed != set(r.texts):  # the segment list and this resolver must agree, or text goes untranslated
        raise AssertionError(f"content and segments disagree: {sorted(listed ^ set(r.texts))[:5]}")
    return ResolvedEdition(
        brochure_id=files.id, spec_file=files.spec, brochure=brochure, language=language,
        source_language=brochure.source_language, languages=tuple(brochure.languages), draft=translation.draft,
        translate=translation, date=edition_date(brochure).date(), title=title, subtitle=subtitle,
        publisher=publisher, tagline=tagline, cover_image=cover, sections=tuple(sections),
        back_heading=back_heading, back_text=back_text, contact=contact, texts=dict(r.texts),
        qr_url=qr.url_for(language) if qr else None, qr_label=qr_label, licence_issuer=issuer)
