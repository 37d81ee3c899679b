"""An explicit page break: ``page_break: true`` — what follows starts at the top of the next page.

A break where a page has just begun does nothing (no blank pages). The column it ends is not held
to the 15 % empty-foot rule: the author asked for the break.
"""

from __future__ import annotations

from dataclasses import dataclass

from pubkit.blocks import Kind
from pubkit.spec.model import Block


@dataclass(frozen=True)
class PageBreak(Block):
    page_break: bool = True


@dataclass(frozen=True)
class Resolved:
    path: str


def check(block: PageBreak, place, data) -> None:
    if not block.page_break:
        place.fail("page_break: false breaks nothing", "remove the line, or write page_break: true")


def segments(block: PageBreak, path: str):
    return iter(())  # no text


def resolve(r, block: PageBreak, path: str) -> Resolved:
    return Resolved(path)


def flow(layout, block: PageBreak, path: str, s, step: int) -> list:
    from pubkit.typeset.flowables import PageBreakMark

    return [PageBreakMark()]


KIND = Kind("page_break", PageBreak, segments, resolve, Resolved, "blocks/page_break.html", flow=flow, check=check)
