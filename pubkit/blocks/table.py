"""A data table: ``table: {title, columns, rows, source}``.

Each column has a ``header`` (translated), an optional ``unit`` (translated, shown in the
header: "Diện tích (ha)"), ``align`` (left, right or center; numbers default to right) and
``decimals`` (how many decimals its numbers show; default: as written). A cell is text
(translated) or a number, written per language by Babel (``3.536,4`` in vi, ``3,536.4`` in en);
an empty cell is ``""``. Every row has one cell per column. Row heights follow the language, so
the rules and the header tint are on the black plate only (docs/layout.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from pubkit.blocks import Kind
from pubkit.spec.model import Block
from pubkit.spec.segments import Segment

ALIGNS = ("left", "right", "center")


class Cell:
    """A table cell in the spec: text or a plain number (``1640``, ``11.5``)."""

    @classmethod
    def convert(cls, value, place, convert):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if not math.isfinite(value):
                place.fail(f"{value} is not a number a table can print", "write a plain number such as 3536.4")
            return float(value)
        if value is None:
            return ""
        if isinstance(value, str):
            return convert(str, value, place)
        place.fail("a table cell must be text or a number, found "
                   + ("a list" if isinstance(value, list) else "a mapping" if isinstance(value, dict) else "true/false"),
                   "write the cell's text in quotes, or a plain number")


@dataclass(frozen=True)
class Column:
    header: str
    unit: str | None = None
    align: str | None = None
    decimals: int | None = None


@dataclass(frozen=True)
class TableSpec:
    columns: list[Column]
    rows: list[list[Cell]]
    title: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class Table(Block):
    table: TableSpec


@dataclass(frozen=True)
class Resolved:
    path: str
    title: object  # pubkit.content.Text or None
    headers: tuple  # of Text
    units: tuple  # of Text or None, per column
    rows: tuple  # of tuples of cells: Text (translated), str (a number as the language writes it) or ""
    align: tuple[str, ...]
    numeric: tuple[bool, ...]
    source: object  # Text or None

    def numbers(self) -> str:
        return "".join(cell for row in self.rows for cell in row if isinstance(cell, str))


def check(block: Table, place, data) -> None:
    spec = block.table
    where = place.key("table", data)
    if not spec.columns:
        where.fail("the table has no columns", "give columns: with one '- header: …' per column")
    if not spec.rows:
        where.fail("the table has no rows", "give rows: with one '- [cell, cell, …]' line per row")
    for i, row in enumerate(spec.rows):
        if len(row) != len(spec.columns):
            where.key("rows", data["table"]).item(i, data["table"]["rows"]).fail(f"row {i + 1} has {len(row)} cells but the table has {len(spec.columns)} columns",
                       f"give rows[{i}] exactly {len(spec.columns)} cells (\"\" for an empty one)")
    for c, column in enumerate(spec.columns):
        if column.align is not None and column.align not in ALIGNS:
            where.key("columns", data["table"]).fail(f"column {c + 1}: unknown align '{column.align}'", "use left, right or center")
        if column.decimals is not None and not 0 <= column.decimals <= 6:
            where.key("columns", data["table"]).fail(f"column {c + 1}: decimals {column.decimals}", "give decimals: a whole number from 0 to 6")


def numeric_columns(spec: TableSpec) -> tuple[bool, ...]:
    """A column is numeric when every non-empty cell in it is a number."""
    return tuple(all(isinstance(row[c], float) for row in spec.rows if row[c] != "") and
                 any(isinstance(row[c], float) for row in spec.rows) for c in range(len(spec.columns)))


def alignment(spec: TableSpec) -> tuple[str, ...]:
    numeric = numeric_columns(spec)
    return tuple(column.align or ("right" if numeric[c] else "left") for c, column in enumerate(spec.columns))


def segments(block: Table, path: str):
    spec, where = block.table, f"{path}.table"
    if spec.title:
        yield Segment(spec.title, f"{where}.title", "table title")
    for c, column in enumerate(spec.columns):
        yield Segment(column.header, f"{where}.columns[{c}].header", f"table: header of column {c + 1}")
        if column.unit:
            yield Segment(column.unit, f"{where}.columns[{c}].unit", f"table: unit of column {c + 1}, shown in its header")
    for r, row in enumerate(spec.rows):
        for c, cell in enumerate(row):
            if isinstance(cell, str) and cell:
                yield Segment(cell, f"{where}.rows[{r}][{c}]",
                              f"table cell, row {r + 1}, column '{spec.columns[c].header}'")
    if spec.source:
        yield Segment(spec.source, f"{where}.source", "table: source note under it (small print)")


def number(value: float, decimals: int | None, language: str) -> str:
    """``value`` as ``language`` writes it in a table: full digits, the locale's separators."""
    from decimal import Decimal

    from pubkit import cldr

    if decimals is None:
        return cldr.babel("numbers", "format_decimal", Decimal(str(value)).normalize(), locale=language,
                          decimal_quantization=False)
    return cldr.babel("numbers", "format_decimal", Decimal(str(value)),
                      format="#,##0" + ("." + "0" * decimals if decimals else ""), locale=language)


def resolve(r, block: Table, path: str) -> Resolved:
    spec, where = block.table, f"{path}.table"
    rows = tuple(tuple(number(cell, spec.columns[c].decimals, r.language) if isinstance(cell, float)
                       else r.text(cell, f"{where}.rows[{i}][{c}]") or "" for c, cell in enumerate(row))
                 for i, row in enumerate(spec.rows))
    return Resolved(path, r.text(spec.title, f"{where}.title"),
                    tuple(r.text(column.header, f"{where}.columns[{c}].header") for c, column in enumerate(spec.columns)),
                    tuple(r.text(column.unit, f"{where}.columns[{c}].unit") for c, column in enumerate(spec.columns)),
                    rows, alignment(spec), numeric_columns(spec), r.text(spec.source, f"{where}.source"))


def _cells(layout, block: Table, path: str) -> list[list[str]]:
    spec, where = block.table, f"{path}.table"
    return [[number(cell, spec.columns[c].decimals, layout.edition.language) if isinstance(cell, float)
             else layout.tr(cell, f"{where}.rows[{r}][{c}]") if cell else "" for c, cell in enumerate(row)]
            for r, row in enumerate(spec.rows)]


def printed(layout, block: Table, path: str) -> list[tuple[str, str]]:
    return [(f"{path}.table.rows[{r}]", "".join(row)) for r, row in enumerate(_cells(layout, block, path))]


def header_text(header: str, unit: str, language: str) -> str:
    """A column's header with its unit in brackets: full-width and unspaced in Japanese and Chinese (ASCII
    brackets set from the Latin font, each padded to a whole em, printed "( 公顷 )")."""
    if not unit:
        return header
    return f"{header}（{unit}）" if language in ("ja", "zh") else f"{header} ({unit})"


def flow(layout, block: Table, path: str, s, step: int) -> list:
    from dataclasses import replace

    from pubkit.typeset.flowables import DataTable
    from pubkit.typeset.plan import LADDER

    spec, where = block.table, f"{path}.table"
    tr = layout.tr
    headers = [header_text(tr(column.header, f"{where}.columns[{c}].header"),
                           tr(column.unit, f"{where}.columns[{c}].unit") if column.unit else "",
                           layout.edition.language)
               for c, column in enumerate(spec.columns)]
    styles = {"cell": s.figure_label, "header": replace(s.figure_label, chain=s.figure_value.chain),
              "title": replace(s.body, chain=s.figure_value.chain, justify=False),
              "source": s.caption}
    table = DataTable(tr(spec.title, f"{where}.title") if spec.title else "", headers, _cells(layout, block, path),
                      list(alignment(spec)), list(numeric_columns(spec)), styles,
                      tr(spec.source, f"{where}.source") if spec.source else "")
    texts = [[f"{where}.rows[{r}][{c}]" for c, cell in enumerate(row) if isinstance(cell, str) and cell]
             for r, row in enumerate(spec.rows)]
    texts[0] = ([f"{where}.title"] if spec.title else []) + [f"{where}.columns[{c}].header"
                                                              for c in range(len(spec.columns))] + texts[0]
    if spec.source:
        texts[-1] = texts[-1] + [f"{where}.source"]
    table.segments = [tuple(paths) for paths in texts]
    table.spaceBefore = table.spaceAfter = round(s.figure_label.leading * 0.6 * LADDER[step].spacing, 3)
    return [table]


KIND = Kind("table", Table, segments, resolve, Resolved, "blocks/table.html", flow=flow, check=check, printed=printed)
