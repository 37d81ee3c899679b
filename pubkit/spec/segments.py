"""The translatable strings of a brochure, each with the key path where it appears.

A segment is one unit a translator works on: a title, a heading, a paragraph, a bullet,
a caption, a figure's label or unit, a back-cover line. Phone numbers, e-mails and web
addresses are not segments: they print as written in every edition.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from pubkit.spec import model


@dataclass(frozen=True)
class Segment:
    text: str
    path: str


def segments(brochure: model.Brochure) -> Iterator[Segment]:
    yield Segment(brochure.title, "title")
    if brochure.subtitle:
        yield Segment(brochure.subtitle, "subtitle")
    yield Segment(brochure.publisher, "publisher")
    if brochure.cover.tagline:
        yield Segment(brochure.cover.tagline, "cover.tagline")
    for s, section in enumerate(brochure.sections):
        where = f"sections[{s}]"
        yield Segment(section.heading, f"{where}.heading")
        for b, block in enumerate(section.content):
            yield from _block_segments(block, f"{where}.content[{b}]")
    back = brochure.back_cover
    if back:
        for name in ("heading", "text"):
            if getattr(back, name):
                yield Segment(getattr(back, name), f"back_cover.{name}")
        if back.contact:
            for name in ("organisation", "address"):
                if getattr(back.contact, name):
                    yield Segment(getattr(back.contact, name), f"back_cover.contact.{name}")


def _block_segments(block: model.Block, where: str) -> Iterator[Segment]:
    match block:
        case model.Paragraph(text):
            yield Segment(text, where)
        case model.Bullets(items):
            for i, item in enumerate(items):
                yield Segment(item, f"{where}.bullets[{i}]")
        case model.ImageBlock(caption=caption) if caption:
            yield Segment(caption, f"{where}.caption")
        case model.Figures(rows):
            for i, row in enumerate(rows):
                yield Segment(row.label, f"{where}.figures[{i}].label")
                if row.unit:
                    yield Segment(row.unit, f"{where}.figures[{i}].unit")
        case model.ImageBlock():
            pass  # an image without a caption has no text
        case _:  # fail closed: a block whose text is not listed would print untranslated
            raise TypeError(f"segments: no rule for block type {type(block).__name__}")
