"""Key figures: ``figures: [{label, value, unit}, …]``, numbers aligned on their decimal separator.

Values are plain numbers in the spec and are written per language from Babel's CLDR data
(:mod:`pubkit.typeset.numbers`), scale words included (7,8 tỷ, 7.8 billion, 78億).
"""

from __future__ import annotations

from dataclasses import dataclass

from pubkit.blocks import Kind
from pubkit.spec.model import Block
from pubkit.spec.segments import Segment


@dataclass(frozen=True)
class Figure:
    label: str
    value: float
    unit: str = ""


@dataclass(frozen=True)
class Figures(Block):
    figures: list[Figure]


@dataclass(frozen=True)
class Row:
    label: object  # pubkit.content.Text
    value: float
    number: str  # the value in the locale's format, e.g. 3.536,4 (vi), 3,536.4 (en), 1.29 million (en)
    unit: object  # pubkit.content.Text or None
    display: str  # number and unit as printed, e.g. 3,536.4 km²
    unit_shown: str = ""  # the unit as printed beside the number (a scale word may have moved into the number)


@dataclass(frozen=True)
class Resolved:
    path: str
    rows: tuple[Row, ...]

    def numbers(self) -> str:
        """What prints that is not a segment (for font subsets and coverage checks)."""
        return "".join(row.display for row in self.rows)


def check(block: Figures, place, data) -> None:
    if not block.figures:
        place.fail("the key-figures table is empty", "give at least one '- label: … value: …' row, or remove the block")


def segments(block: Figures, path: str):
    for i, row in enumerate(block.figures):
        yield Segment(row.label, f"{path}.figures[{i}].label", "key figure: label")
        if row.unit:
            yield Segment(row.unit, f"{path}.figures[{i}].unit", "key figure: unit after the number")


def resolve(r, block: Figures, path: str) -> Resolved:
    from pubkit.typeset.numbers import figure_display, figure_parts

    rows = []
    for i, row in enumerate(block.figures):
        label = r.text(row.label, f"{path}.figures[{i}].label")
        unit = r.text(row.unit, f"{path}.figures[{i}].unit")
        unit_text = unit.text if unit else ""
        whole, rest, shown = figure_parts(row.value, row.unit or "", unit_text, r.language, r.brochure.source_language)
        rows.append(Row(label, row.value, whole + rest, unit, figure_display(whole, rest, shown), shown))
    return Resolved(path, tuple(rows))


def parts(layout, row: Figure, path: str) -> tuple[str, str, str]:
    """(whole part, decimals and scale word, unit) of one figure as this edition prints it."""
    from pubkit.typeset.numbers import figure_parts

    unit = layout.tr(row.unit, f"{path}.unit") if row.unit else ""
    return figure_parts(row.value, row.unit or "", unit, layout.edition.language, layout.brochure.source_language)


def printed(layout, block: Figures, path: str) -> list[tuple[str, str]]:
    return [(f"{path}.figures[{i}].value", "".join(parts(layout, row, f"{path}.figures[{i}]")[:2]))
            for i, row in enumerate(block.figures)]


def flow(layout, block: Figures, path: str, s, step: int) -> list:
    from pubkit.typeset.flowables import FigureRows
    from pubkit.typeset.plan import LADDER

    cells = [(layout.tr(row.label, f"{path}.figures[{i}].label"), parts(layout, row, f"{path}.figures[{i}]"))
             for i, row in enumerate(block.figures)]
    table = FigureRows(cells, s.figure_label, s.figure_value, s.figure_unit)
    table.segments = [(f"{path}.figures[{i}].label", f"{path}.figures[{i}].unit" if row.unit else None)
                      for i, row in enumerate(block.figures)]
    table.spaceBefore = table.spaceAfter = round(s.figure_label.leading * 0.6 * LADDER[step].spacing, 3)
    return [table]


KIND = Kind("figures", Figures, segments, resolve, Resolved, "blocks/figures.html", flow=flow, check=check,
            printed=printed)
