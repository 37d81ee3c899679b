"""Two columns inside the text: ``columns: [block, …]`` — short text blocks set side by side, balanced.

For lists of short items (partners, districts, contacts) that would leave half of a one-column
page empty. The blocks inside are paragraphs, sub-headings, lists and notes; they are cut where
the two columns come out most even and stay on one page. Where the page already has two or more
columns (A4), they are set in the page's columns as usual.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from pubkit.blocks import Kind
from pubkit.spec.model import Block

INSIDE = ("text", "heading", "bullets", "numbered", "note")


@dataclass(frozen=True)
class Columns(Block):
    columns: list[Block]


@dataclass(frozen=True)
class Resolved:
    path: str
    blocks: tuple


def _kind(block):
    from pubkit.blocks import kind_of

    return kind_of(block)


def check(block: Columns, place, data) -> None:
    where = place.key("columns", data)
    if not block.columns:
        where.fail("the columns block is empty", "give the blocks to set in two columns, one '- ' line each")
    for i, inner in enumerate(block.columns):
        kind = _kind(inner)
        if kind.key not in INSIDE:
            where.item(i, data["columns"]).fail(f"a {kind.key} block cannot go inside columns",
                                               "use paragraphs, headings, lists and notes there")
        if inner.only:
            where.item(i, data["columns"]).fail("an override inside columns",
                                               "put only: on the columns block itself")


def segments(block: Columns, path: str):
    for i, inner in enumerate(block.columns):
        yield from _kind(inner).segments(inner, f"{path}.columns[{i}]")


def resolve(r, block: Columns, path: str) -> Resolved:
    return Resolved(path, tuple(_kind(inner).resolve(r, inner, f"{path}.columns[{i}]")
                                for i, inner in enumerate(block.columns)))


def flow(layout, block: Columns, path: str, s, step: int) -> list:
    from pubkit.typeset.flowables import TwoColumns

    parts = []
    if layout.columns > 1:
        narrow = layout
    else:  # the inner blocks are broken at half the measure
        narrow = copy.copy(layout)
        narrow.column_width = (layout.column_width - TwoColumns.gap) / 2
    for i, inner in enumerate(block.columns):
        parts += _kind(inner).flow(narrow, inner, f"{path}.columns[{i}]", s, step)
    if layout.columns > 1:
        return parts
    columns = TwoColumns(parts)
    columns.spaceAfter = s.body.space_after
    return [columns]


KIND = Kind("columns", Columns, segments, resolve, Resolved, "blocks/columns.html", flow=flow, check=check)
