"""One edition's content, format-neutral: every text resolved for a language after the review gate.

The PDF renderer and the web renderer both start here. A :class:`ResolvedEdition` holds the
translated, NFC-normalised text of every segment (with its spec path and whether it is reviewed),
figures formatted for the locale, and the project files of the images with their alt text.
"""

from __future__ import annotations

import datetime as dt
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from pubkit.content.gate import Translation, review_gate
from pubkit.errors import PubkitError
from pubkit.project import Project
from pubkit.typeset.numbers import figure_parts, number_text
from pubkit.spec import Brochure, load_spec, model
from pubkit.spec.segments import segments


@dataclass(frozen=True)
class Text:
    """A published text: ``text`` in the edition's language for the spec's ``source`` at ``path``."""

    text: str
    source: str
    path: str
    reviewed: bool = True  # False only in a draft: an unreviewed translation, or the source shown untranslated

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Paragraph:
    path: str
    text: Text


@dataclass(frozen=True)
class Bullets:
    path: str
    items: tuple[Text, ...]


@dataclass(frozen=True)
class Image:
    path: str  # the spec key of the file, e.g. sections[1].content[2].image
    relative: str  # as written in the spec
    file: Path  # inside the project (checked); the source file, never a print conversion
    line: int | None
    caption: Text | None
    alt: Text | None  # the spec has no alt text: the caption serves; None = decorative
    width_mm: float | None


@dataclass(frozen=True)
class Figure:
    label: Text
    value: float
    number: str  # the value in the locale's format, e.g. 3.536,4 (vi), 3,536.4 (en), 1.29 million (en)
    unit: Text | None
    display: str  # number and unit as printed, e.g. 3,536.4 km²
    unit_shown: str = ""  # the unit as printed beside the number (a scale word may have moved into the number)


@dataclass(frozen=True)
class Figures:
    path: str
    rows: tuple[Figure, ...]


Block = Paragraph | Bullets | Image | Figures


@dataclass(frozen=True)
class Section:
    path: str
    heading: Text
    blocks: tuple[Block, ...]
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
            parts += [row.display for block in section.blocks if isinstance(block, Figures) for row in block.rows]
        if self.contact:
            parts += [value for value in (self.contact.phone, self.contact.email, self.contact.website) if value]
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
    """The review gate alone (no text resolved): raises when ``language`` may not be published."""
    brochure = brochure or load_spec(files.spec)
    return review_gate(brochure, files.drafts(project, language), files.id, project, files.folder, language, draft,
                       segment_list)


class _Resolver:
    def __init__(self, project: Project, files, brochure: Brochure, language: str, translation: Translation):
        self.project, self.files, self.brochure = project, files, brochure
        self.language, self.translation = language, translation
        self.texts: dict[str, Text] = {}

    def text(self, source: str | None, path: str) -> Text | None:
        if not source:
            return None
        published = unicodedata.normalize("NFC", self.translation(source, path))
        text = Text(published, source, path, self.translation.reviewed(source, path))
        self.texts[path] = text
        return text

    def image(self, relative: str, key: str, caption: Text | None, width: float | None) -> Image:
        line = self.brochure.line_of(key)
        file = self.project.inside(relative, file=self.files.spec, key=key, line=line)
        return Image(key, relative, file, line, caption, caption, width)

    def block(self, block: model.Block, path: str) -> Block:
        resolve = _BLOCKS.get(type(block))
        if resolve is None:  # fail closed: a block nobody resolves would be left out silently
            raise TypeError(f"content: no rule for block type {type(block).__name__}")
        return resolve(self, block, path)


_BLOCKS: dict[type, Callable[[_Resolver, model.Block, str], Block]] = {}


def _resolves(kind: type):
    def register(function):
        _BLOCKS[kind] = function
        return function
    return register


@_resolves(model.Paragraph)
def _paragraph(r: _Resolver, block: model.Paragraph, path: str) -> Paragraph:
    return Paragraph(path, r.text(block.text, path))


@_resolves(model.Bullets)
def _bullets(r: _Resolver, block: model.Bullets, path: str) -> Bullets:
    return Bullets(path, tuple(r.text(item, f"{path}.bullets[{i}]") for i, item in enumerate(block.bullets)))


@_resolves(model.ImageBlock)
def _image(r: _Resolver, block: model.ImageBlock, path: str) -> Image:
    return r.image(block.image, f"{path}.image", r.text(block.caption, f"{path}.caption"), block.width)


@_resolves(model.Figures)
def _figures(r: _Resolver, block: model.Figures, path: str) -> Figures:
    rows = []
    for i, row in enumerate(block.figures):
        label = r.text(row.label, f"{path}.figures[{i}].label")
        unit = r.text(row.unit, f"{path}.figures[{i}].unit")
        unit_text = unit.text if unit else ""
        whole, rest, shown = figure_parts(row.value, row.unit or "", unit_text, r.language,
                                           r.brochure.source_language)
        rows.append(Figure(label, row.value, whole + rest, unit, number_text(
            row.value, unit_text, r.language, row.unit or "", r.brochure.source_language), shown))
    return Figures(path, tuple(rows))


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
    cover = r.image(brochure.cover.image, "cover.image", None, None) if brochure.cover.image else None
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
    listed = {segment.path for segment in segments(brochure)}
    if listed != set(r.texts):  # the segment list and this resolver must agree, or text goes untranslated
        raise AssertionError(f"content and segments disagree: {sorted(listed ^ set(r.texts))[:5]}")
    return ResolvedEdition(
        brochure_id=files.id, spec_file=files.spec, brochure=brochure, language=language,
        source_language=brochure.source_language, languages=tuple(brochure.languages), draft=translation.draft,
        translate=translation, date=edition_date(brochure).date(), title=title, subtitle=subtitle,
        publisher=publisher, tagline=tagline, cover_image=cover, sections=tuple(sections),
        back_heading=back_heading, back_text=back_text, contact=contact, texts=dict(r.texts))
