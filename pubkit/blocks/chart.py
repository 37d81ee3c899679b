"""A chart from data: ``chart: bar | line | pie`` with ``categories`` and ``series`` of numbers.

Drawn as vectors (:mod:`pubkit.typeset.charts`, ReportLab's charts in CMYK) in a planned slot like
an image (:class:`pubkit.blocks.Placed`): the box has the same page, place and size in every
language, and inside it the bars, lines and wedges are placed from the box and the data alone, so
the chart's colour prints from one C, M, Y plate set. Its words — title, unit, category names,
series names — are translated through the drafts and printed in 100 % K that overprints; its
numbers are written per language by Babel (``7,8`` in vi, ``7.8`` in en). A category without
letters (a year, ``2014–2015``) is printed as written and is not a segment. The caption goes under
the box, as an image's does (reserved for the longest language). The web edition shows the same
chart as inline SVG with real text (docs/spec.md, "chart").
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, Iterator

from pubkit.blocks import Kind, Placed
from pubkit.spec.model import Block, Length
from pubkit.spec.segments import Segment
from pubkit.typeset import charts

MIN_PLOT_MM = 12.0   # the plot's height (or pie's diameter) left after the bands, at the smallest scale
MIN_WIDTH_MM = 40.0
SMALLEST_SCALE = 0.85  # the page plan may set a slot at 85 % (pubkit.typeset.plan.IMAGE_SCALES)
NOTES = {
    "title": "chart title, above the chart",
    "unit": "chart: unit of the values (above the value axis, or over the pie's values)",
    "category": "chart: name under a bar or point, or of a pie slice in its legend",
    "series": "chart: series name in the legend",
    "caption": "chart caption, under the chart",
}


class Category(str):
    """A category in the spec: text (translated) or a number such as a year (printed as written)."""

    @classmethod
    def convert(cls, value, place, convert):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if not math.isfinite(value):
                place.fail(f"{value} cannot name a category", "write the category's name or year, e.g. 2018")
            return cls(str(value))
        if isinstance(value, str):
            text = convert(str, value, place)
            if not text:
                place.fail("an empty category name", "write the name of the bar, point or slice, e.g. \"2018\"")
            return cls(text)
        place.fail("a category must be a name or a year, found "
                   + ("a list" if isinstance(value, list) else "a mapping" if isinstance(value, dict) else
                      "nothing" if value is None else "true/false"),
                   "write one name per category: categories: [2014, 2015, 2016]")

    @property
    def translated(self) -> bool:
        """Words are translated; a year or a range of numbers prints as written."""
        return any(char.isalpha() for char in self)


@dataclass(frozen=True)
class Series:
    values: list[float]
    name: str | None = None


@dataclass(frozen=True)
class Chart(Block):
    chart: str
    categories: list[Category]
    series: list[Series]
    title: str | None = None
    unit: str | None = None
    caption: str | None = None
    highlight: Category | None = None
    width: Length | None = None
    height: Length = Length(60.0)


@dataclass(frozen=True)
class Resolved:
    path: str
    kind: str
    title: object  # pubkit.content.Text or None
    unit: object  # Text or None
    categories: tuple  # Text (translated) or str (as written)
    series: tuple  # (name: Text or None, values) per series
    caption: object  # Text or None
    data: charts.ChartData  # the same, as plain strings for drawing
    width: float  # pt: the print box at full size
    height: float
    language: str
    project: object = field(compare=False, repr=False)

    def numbers(self) -> str:
        """What prints that is not a segment (for font subsets and coverage checks)."""
        return chart_numbers(self.data, self.language)

    def summary(self) -> str:
        """The chart in words, for readers who cannot see it (the SVG's accessible name)."""
        from pubkit.markup import plain  # the words, not their inline tags or entities (escaped again as an attribute)

        data = self.data
        head = " – ".join(plain(part) for part in (data.title, data.unit) if part)
        rows = []
        for i, category in enumerate(data.categories):
            values = ", ".join(f"{plain(s.name) + ' ' if s.name and len(data.series) > 1 else ''}"
                               f"{charts.format_number(s.values[i], self.language)}" for s in data.series)
            rows.append(f"{plain(category)}: {values}")
        return (head + ": " if head else "") + "; ".join(rows)

    @cached_property
    def svg(self) -> str:
        """The chart as inline SVG, laid out exactly as in print, colours through the print profile."""
        from markupsafe import Markup

        from pubkit.typeset import fonts

        setup = self.project.languages[self.language]
        printed = [self.data.title, self.data.unit, *self.data.categories, *(s.name for s in self.data.series),
                   self.numbers()]
        regular, bold = fonts.edition_chains(self.project, self.language, printed)
        art = charts.ChartArt(self.data, self.width, self.height, language=self.language, regular=regular,
                              bold=bold, wrap=setup.wrap)
        profile = None
        if self.project.output_profile and self.project.output_profile.is_file():
            profile = self.project.output_profile.read_bytes()
        element = "chart-" + "-".join(part.split("]")[0] for part in self.path.split("[")[1:])
        return Markup(art.svg(title=self.summary(), colour=charts.screen_colours(profile), element_id=element))


def strings(block: Chart, path: str) -> Iterator[tuple[str, str, str]]:
    """(source, spec path, what it is) of every translated string: the one list segments and drawing share."""
    if block.title:
        yield block.title, f"{path}.title", "title"
    if block.unit:
        yield block.unit, f"{path}.unit", "unit"
    for i, category in enumerate(block.categories):
        if category.translated:
            yield category, f"{path}.categories[{i}]", "category"
    if len(block.series) > 1:  # a lone series is not named in print: the title and unit say what it is
        for i, series in enumerate(block.series):
            yield series.name, f"{path}.series[{i}].name", "series"
    if block.caption:
        yield block.caption, f"{path}.caption", "caption"


def segments(block: Chart, path: str):
    for source, where, what in strings(block, path):
        yield Segment(source, where, NOTES[what])


def chart_data(block: Chart, path: str, text: Callable[[str, str], str]) -> charts.ChartData:
    """The chart as one edition prints it: ``text(source, path)`` gives each translated string."""
    printed = {where: text(source, where) for source, where, _ in strings(block, path)}
    categories = tuple(printed.get(f"{path}.categories[{i}]", category) for i, category in enumerate(block.categories))
    series = tuple(charts.Series(printed.get(f"{path}.series[{i}].name", ""), tuple(s.values))
                   for i, s in enumerate(block.series))
    highlight = block.categories.index(block.highlight) if block.highlight is not None else None
    return charts.ChartData(block.chart, categories, series, printed.get(f"{path}.unit", ""), highlight,
                            printed.get(f"{path}.title", ""))


def chart_numbers(data: charts.ChartData, language: str) -> str:
    """What the chart prints that is no segment: its values, value axis and pie shares in ``language``,
    and the categories printed as written (years, ``2014–2015``)."""
    values = [v for s in data.series for v in s.values]
    numbers = list(data.categories) + [charts.format_number(v, language) for v in values]
    if data.kind == "pie":
        numbers.append(charts.format_share(0.5, language) + "()")
    else:
        numbers += [charts.format_number(tick, language) for tick in charts.ticks(*charts.nice_scale(values))]
    return "".join(numbers)


def check(block: Chart, place, data) -> None:
    def at(*keys):
        """The place of a nested key, e.g. at("series", 1, "values"), for the error's line."""
        where, value = place, data
        for n, key in enumerate(keys):
            where = where.item(key, value) if isinstance(key, int) else where.key(key, value)
            if n < len(keys) - 1:  # the keys before the last exist: the block was read from them
                value = value[key]
        return where

    if block.chart not in charts.KINDS:
        at("chart").fail(f"unknown chart '{block.chart}'", "use chart: bar, chart: line or chart: pie")
    if not block.categories:
        at("categories").fail("the chart has no categories", "list one name per bar, point or slice: "
                                                              "categories: [2014, 2015, 2016]")
    if not block.series:
        at("series").fail("the chart has no series", "give series: with one '- values: [..]' per series")
    count = len(block.categories)
    for i, series in enumerate(block.series):
        if len(series.values) != count:
            at("series", i, "values").fail(f"series {i + 1} has {len(series.values)} values for {count} categories",
                                           "give one value per category, in the order of categories")
        if len(block.series) > 1 and not series.name:
            at("series", i).fail(f"series {i + 1} has no name, which the legend of several series needs",
                                 "add name: \"…\" to each series")
    if len(block.series) > charts.MAX_SERIES:
        at("series").fail(f"{len(block.series)} series cannot be told apart in print",
                          f"show at most {charts.MAX_SERIES} series, or make several charts")
    if block.chart == "pie":
        if len(block.series) != 1:
            at("series").fail(f"a pie chart shows one series, found {len(block.series)}",
                              "give one series, or use chart: bar to compare several")
        for j, value in enumerate(block.series[0].values):
            if value < 0:
                at("series", 0, "values", j).fail(f"a pie slice cannot be negative ({value:g})",
                                                  "give shares of a whole (0 or more), or use chart: bar")
        if not sum(block.series[0].values) > 0:
            at("series", 0, "values").fail("every slice of the pie is 0", "give the slices' values")
        if count > charts.MAX_SERIES:
            at("categories").fail(f"a pie of {count} slices cannot be told apart in print",
                                  f"group the smallest into one slice (at most {charts.MAX_SERIES})")
    if block.highlight is not None:
        if block.chart != "bar" or len(block.series) != 1:
            at("highlight").fail("highlight marks one bar of a bar chart with one series",
                                 "remove highlight:, or use chart: bar with one series")
        if block.highlight not in block.categories:
            at("highlight").fail(f"highlight '{block.highlight}' is not one of the categories",
                                 "name one of: " + ", ".join(block.categories[:8]))
    if block.width is not None and block.width < MIN_WIDTH_MM:
        at("width").fail(f"a chart {block.width:g} mm wide has no room for its labels",
                         f"give width: {MIN_WIDTH_MM:g}mm or more, or remove it (the column's width)")
    _check_height(block, at, set(data))


def _check_height(block: Chart, at, data_keys) -> None:
    """The plot keeps room after its title, legend and label bands, even at the plan's smallest scale."""
    from reportlab.lib.units import mm

    shape = chart_data(block, "", lambda source, where: source).shape()
    width = (block.width or 100.0) * mm

    def plot(height_mm: float) -> float:
        scale = SMALLEST_SCALE
        return charts.Geometry(shape, width * scale, height_mm * mm * scale).plot.height / mm

    if plot(block.height) < MIN_PLOT_MM:
        needed = next((h for h in range(int(block.height) + 1, 1000) if plot(h) >= MIN_PLOT_MM), None)
        where = at("height") if "height" in data_keys else at("chart")
        where.fail(f"at {block.height:g} mm the chart leaves its plot under {MIN_PLOT_MM:g} mm after its title, "
                   "legend and labels", f"give height: {needed}mm or more" if needed else
                   "give it fewer series or a wider box")


def resolve(r, block: Chart, path: str) -> Resolved:
    from reportlab.lib.units import mm

    from pubkit.typeset.edition import page_area

    texts = {}

    def text(source: str, where: str) -> str:
        texts[where] = r.text(source, where)
        return texts[where].text

    data = chart_data(block, path, text)
    categories = tuple(texts.get(f"{path}.categories[{i}]", category) for i, category in enumerate(block.categories))
    series = tuple((texts.get(f"{path}.series[{i}].name"), tuple(s.values)) for i, s in enumerate(block.series))
    width, _ = box(page_area(r.brochure).column_width, block)
    return Resolved(path, block.chart, texts.get(f"{path}.title"), texts.get(f"{path}.unit"), categories, series,
                    texts.get(f"{path}.caption"), data, width, block.height * mm, r.language, r.project)


def box(column_width: float, block: Chart) -> tuple[float, float]:
    """(width, height ÷ width) of the chart's box in pt: its width (at most the column's), its height."""
    from reportlab.lib.units import mm

    width = min(block.width * mm if block.width else column_width, column_width)
    return width, block.height * mm / width


def size(layout, block: Chart, path: str) -> tuple[float, float]:
    return box(layout.column_width, block)


def draw(layout, canv, block: Chart, path: str, x: float, y: float, width: float, height: float) -> None:
    """The chart in its box: colour placed from the box and data, this edition's labels in K over it."""
    data = chart_data(block, path, layout.tr)
    art = charts.ChartArt(data, width, height, language=layout.edition.language, regular=layout.regular,
                          bold=layout.bold, wrap=layout.wrap)
    art.draw_on(canv, x, y)
    layout.fit_notes += [f"{path}: {problem}" for problem in art.fit_problems]


def printed(layout, block: Chart, path: str) -> list[tuple[str, str]]:
    return [(f"{path}.series", chart_numbers(chart_data(block, path, lambda source, where: source),
                                             layout.edition.language))]


KIND = Kind("chart", Chart, segments, resolve, Resolved, "blocks/chart.html", placed=Placed(size, draw),
            check=check, printed=printed)
