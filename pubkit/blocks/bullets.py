"""A bulleted list: ``bullets: [item, …]``."""

from __future__ import annotations

from dataclasses import dataclass

from pubkit.blocks import Kind
from pubkit.spec.model import Block
from pubkit.spec.segments import Segment

INDENT_MM = 4.0


@dataclass(frozen=True)
class Bullets(Block):
    bullets: list[str]


@dataclass(frozen=True)
class Resolved:
    path: str
    items: tuple  # of pubkit.content.Text


def check(block: Bullets, place, data) -> None:
    if not block.bullets:
        place.fail("the list is empty", "give one '- item' line per bullet, or remove the block")


def segments(block: Bullets, path: str):
    for i, item in enumerate(block.bullets):
        yield Segment(item, f"{path}.bullets[{i}]", f"list item {i + 1} of {len(block.bullets)}")


def resolve(r, block: Bullets, path: str) -> Resolved:
    return Resolved(path, tuple(r.text(item, f"{path}.bullets[{i}]") for i, item in enumerate(block.bullets)))


def list_flow(layout, items: list[tuple[str, str]], marks: list[str], s, indent_mm: float) -> list:
    """One text block per item, its mark (bullet or number) hanging in the indent; shared by numbered lists."""
    from reportlab.lib.units import mm

    parts = [layout.segment(layout.text_block(layout.tr(text, where), s.bullet, bullet=mark, indent=indent_mm * mm),
                            where) for (text, where), mark in zip(items, marks)]
    if parts:
        parts[-1].spaceAfter = s.body.space_after
    return parts


def flow(layout, block: Bullets, path: str, s, step: int) -> list:
    items = [(item, f"{path}.bullets[{i}]") for i, item in enumerate(block.bullets)]
    return list_flow(layout, items, ["•"] * len(items), s, INDENT_MM)


KIND = Kind("bullets", Bullets, segments, resolve, Resolved, "blocks/bullets.html", flow=flow, check=check)
