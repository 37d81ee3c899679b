"""A numbered list: ``numbered: [step, …]``, optionally ``start: 3``.

Numbers are written ``1.`` in every language (the form ja, ko and zh documents use in running
lists too); they hang in an indent wide enough for the largest.
"""

from __future__ import annotations

from dataclasses import dataclass

from pubkit.blocks import Kind
from pubkit.blocks.bullets import list_flow
from pubkit.spec.model import Block
from pubkit.spec.segments import Segment


@dataclass(frozen=True)
class Numbered(Block):
    numbered: list[str]
    start: int = 1


@dataclass(frozen=True)
class Resolved:
    path: str
    items: tuple  # of pubkit.content.Text
    start: int = 1


def check(block: Numbered, place, data) -> None:
    if block.start < 0:
        place.fail(f"a numbered list cannot start at {block.start}", "give start: a whole number from 0")
    if not block.numbered:
        place.fail("the numbered list is empty", "give one '- step' line per item, or remove the block")


def segments(block: Numbered, path: str):
    for i, item in enumerate(block.numbered):
        yield Segment(item, f"{path}.numbered[{i}]", f"numbered step {block.start + i} of a list")


def resolve(r, block: Numbered, path: str) -> Resolved:
    return Resolved(path, tuple(r.text(item, f"{path}.numbered[{i}]") for i, item in enumerate(block.numbered)),
                    block.start)


def flow(layout, block: Numbered, path: str, s, step: int) -> list:
    from reportlab.lib.units import mm

    marks = [f"{block.start + i}." for i in range(len(block.numbered))]
    widest = max(s.bullet.chain.width(mark, s.bullet.size) for mark in marks) / mm
    items = [(item, f"{path}.numbered[{i}]") for i, item in enumerate(block.numbered)]
    return list_flow(layout, items, marks, s, max(5.0, widest + 1.6))


KIND = Kind("numbered", Numbered, segments, resolve, Resolved, "blocks/numbered.html", flow=flow, check=check)
