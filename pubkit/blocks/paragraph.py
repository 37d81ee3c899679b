"""A paragraph: a plain string in ``content`` (or ``text:`` when it needs an ``only:`` override)."""

from __future__ import annotations

from dataclasses import dataclass

from pubkit.blocks import Kind
from pubkit.spec.model import Block
from pubkit.spec.segments import Segment


@dataclass(frozen=True)
class Paragraph(Block):
    text: str


@dataclass(frozen=True)
class Resolved:
    path: str
    text: object  # pubkit.content.Text


def segments(block: Paragraph, path: str):
    yield Segment(block.text, path, "paragraph")


def resolve(r, block: Paragraph, path: str) -> Resolved:
    return Resolved(path, r.text(block.text, path))


def flow(layout, block: Paragraph, path: str, s, step: int) -> list:
    return [layout.segment(layout.text_block(layout.tr(block.text, path), s.body), path)]


KIND = Kind("text", Paragraph, segments, resolve, Resolved, "blocks/paragraph.html", flow=flow)
