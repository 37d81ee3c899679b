"""A heading inside a section: ``heading: "…"`` with ``level: 2`` (default) or ``3``.

The section's own heading is level 1. Sub-headings are bold, balanced like section headings,
and kept with the first lines of what follows.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from pubkit.blocks import Kind
from pubkit.spec.model import Block
from pubkit.spec.segments import Segment

LEVELS = (2, 3)


@dataclass(frozen=True)
class Heading(Block):
    heading: str
    level: int = 2


@dataclass(frozen=True)
class Resolved:
    path: str
    text: object  # pubkit.content.Text
    level: int


def check(block: Heading, place, data) -> None:
    if block.level not in LEVELS:
        place.fail(f"heading level {block.level} does not exist", "use level: 2 or level: 3 (the section heading is 1)")


def segments(block: Heading, path: str):
    yield Segment(block.heading, f"{path}.heading", f"level-{block.level} heading")


def resolve(r, block: Heading, path: str) -> Resolved:
    return Resolved(path, r.text(block.heading, f"{path}.heading"), block.level)


def style(s, level: int):
    """Level 2: between the section heading and the body in size; level 3: bold at body size."""
    size = round((s.heading.size + s.body.size) / 2, 2) if level == 2 else s.body.size
    return replace(s.heading, size=size, leading=round(size * 1.3, 2), space_before=round(s.heading.space_before * 0.8, 3),
                   space_after=round(s.heading.space_after * (0.6 if level == 2 else 0.4), 3))


def flow(layout, block: Heading, path: str, s, step: int) -> list:
    where = f"{path}.heading"
    return [layout.segment(layout.text_block(layout.tr(block.heading, where), style(s, block.level),
                                             keep_with_next=True), where)]


KIND = Kind("heading", Heading, segments, resolve, Resolved, "blocks/heading.html", flow=flow, check=check)
