"""Charts from data: bar, line and pie charts drawn as vectors, the same colour in every language.

A chart is placed like an image, in a box of fixed size (docs/layout.md: colour on an inside page
sits at the same place in every language). Everything coloured — plot area, bars, lines, markers,
wedges, legend swatches — is placed from the box size and the data alone (:class:`Geometry`,
which never sees a string), so the Cyan, Magenta and Yellow plates of a chart are identical in
every edition. Everything that depends on the language — category names, value and axis numbers
(formatted per language with Babel: vi ``7,8``, en ``7.8``), the unit, legend names — is drawn
over it in 100 % K that overprints, in fixed bands the geometry reserves for it.

The coloured geometry is ReportLab's ``reportlab.graphics.charts`` (VerticalBarChart,
HorizontalLineChart, Pie) in CMYK. Its labels are switched off and drawn by pubkit's own text
code instead, for two reasons: a ReportLab ``String`` is set in one font, while an edition sets
each character in the first font of its chain that has it (a Japanese category may name a
Vietnamese place), and pubkit's text code is where K-only ink overprints and where CJK lines
break with kinsoku. The web edition gets the same chart as inline SVG (``renderSVG`` for the
shapes, the labels added as real ``<text>``, broken into the same lines, in the page's fonts).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING
from decimal import Decimal
from html import escape

import reportlab
from reportlab.lib.colors import CMYKColor, Color
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.units import mm

from pubkit import cldr
from pubkit.typeset.fonts import FontChain

if TYPE_CHECKING:
    from pubkit.typeset.blocks import TextStyle

KINDS = ("bar", "line", "pie")

# Label type: the same in every language (band heights follow from it, so they must not vary)
LABEL_SIZE = 7.0
LABEL_LEADING = 9.0
TITLE_SIZE = 8.5
TITLE_LEADING = 11.0
TITLE_LINES = 2      # the title band holds two lines (a one-line title sits on its foot, next to the plot)
CATEGORY_LINES = 2   # a category name may take two lines under its bar
LEGEND_LINES = 2     # a legend name may take two lines beside its swatch
DIGIT_EM = 0.75      # upper bound of a digit's advance (Be Vietnam Pro: 0.72, Noto CJK: 0.56), for the tick-number band

# Series colours (CMYK, each under 300 % coverage); the first is the sample's teal bar, the
# ACCENT one its orange 2018 bar. Six series or pie slices at most: more cannot be told apart in print.
PALETTE = (
    CMYKColor(0.90, 0.40, 0.35, 0.30),   # teal
    CMYKColor(0.0, 0.55, 0.90, 0.0),     # orange
    CMYKColor(0.80, 0.20, 0.95, 0.25),   # green
    CMYKColor(0.55, 0.15, 0.0, 0.0),     # sky
    CMYKColor(0.35, 0.80, 0.10, 0.15),   # plum
    CMYKColor(0.0, 0.20, 0.85, 0.10),    # ochre
)
ACCENT = 1                               # the palette colour of a highlighted bar
GRID = CMYKColor(0, 0, 0, 0.2)           # a K tint under the bars; its place depends on the data only
AXIS = CMYKColor(0, 0, 0, 1)             # 100 % K, as body text (not imported from typeset.blocks:
#                                          that loads the line breaker and the fonts, and spec checks import this module)
PAPER = CMYKColor(0, 0, 0, 0)            # wedge separators
MAX_SERIES = len(PALETTE)
_TEXT_STATE = re.compile(r"BT /F\d+ [\d.]+ Tf [\d.]+ TL ET")  # renderPDF's font setting, drawing nothing


@dataclass(frozen=True)
class Series:
    name: str                            # as printed; may be empty for a chart with one series
    values: tuple[float, ...]


@dataclass(frozen=True)
class ChartData:
    """One chart as one edition prints it: the data and its strings in that edition's language.

    A pie uses the first series, one slice per category. ``highlight`` is the index of a category
    whose bar is drawn in the accent colour (one-series bar charts).
    """

    kind: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    unit: str = ""
    highlight: int | None = None
    title: str = ""

    def shape(self) -> tuple:
        """What the coloured geometry depends on: everything but the strings (and whether there are some)."""
        return (self.kind, len(self.categories), tuple(s.values for s in self.series), bool(self.unit),
                self.highlight, bool(self.title))


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float

    @property
    def top(self) -> float:
        return self.y + self.height


def nice_scale(values: list[float]) -> tuple[Decimal, Decimal, Decimal]:
    """(lowest, highest, step) of a value axis: 0 included, 4 to 6 steps of 1, 2, 2.5 or 5 × 10ⁿ."""
    low = min(0.0, min(values))
    high = max(0.0, max(values))
    if high == low:
        high = low + 1
    span = Decimal(str(high)) - Decimal(str(low))
    magnitude = Decimal(1).scaleb(span.adjusted() - 1)
    # the span is 10 to 100 magnitudes, so a step of 20 magnitudes always does
    for factor in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10), Decimal(20)):
        step = factor * magnitude
        bottom = (Decimal(str(low)) / step).to_integral_value(rounding="ROUND_FLOOR") * step
        top = (Decimal(str(high)) / step).to_integral_value(rounding="ROUND_CEILING") * step
        if (top - bottom) / step <= 6:
            return bottom, top, step
    raise AssertionError(f"no step found for {values}")  # unreachable, see above


def ticks(low: Decimal, high: Decimal, step: Decimal) -> list[Decimal]:
    count = int((high - low) / step)
    return [(low + step * i).normalize() for i in range(count + 1)]


def format_number(value, language: str) -> str:
    """A number as the language writes it (Babel/CLDR): vi ``7,8``, en ``7.8``, ``1.290.000`` / ``1,290,000``."""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    return cldr.babel("numbers", "format_decimal", number, locale=language, decimal_quantization=False)


def format_share(share: float, language: str) -> str:
    return cldr.babel("numbers", "format_percent", share, locale=language)


class Geometry:
    """Where everything of a chart goes in a ``width`` × ``height`` box: from its size and data only.

    The bands for language-dependent labels (a title band at the top, legend rows, a unit line, tick
    numbers at the left, category names at the foot) have sizes fixed by the label type, the data's
    numbers and the number of series, never by a label's length, so the plot rectangle, the bars,
    the lines and the wedges are the same in every edition.
    """

    def __init__(self, shape: tuple, width: float, height: float):
        kind, categories, values, has_unit, highlight, has_title = shape
        self.shape = shape
        self._kept_ink: tuple[str, list] | None = None  # :meth:`ink`, read from the cache once
        self.kind, self.categories, self.values = kind, categories, values
        self.width, self.height = width, height
        self.has_unit, self.highlight = has_unit, highlight
        self.legend: list[Rect] = []      # swatch of each series (bar, line) or slice (pie)
        self.legend_text: list[Rect] = []  # the box its name goes in
        self.top = height                  # of what is under the title band
        self.title_box = None
        if has_title:
            band = TITLE_LINES * TITLE_LEADING
            self.title_box = Rect(0, height - band, width, band)
            self.top = height - band - 2 * mm
        if kind == "pie":
            self._pie()
        else:
            self._axes()

    def _legend_grid(self, count: int, top: float) -> float:
        """Swatches in up to three columns at the top; returns the band's height."""
        columns = min(count, 3)
        rows = -(-count // columns)
        column = self.width / columns
        row = LEGEND_LINES * LABEL_LEADING + 1 * mm
        swatch = 3 * mm
        for i in range(count):
            r, c = divmod(i, columns)
            y = top - r * row - (LABEL_LEADING + swatch) / 2
            self.legend.append(Rect(c * column, y, swatch, swatch))
            self.legend_text.append(Rect(c * column + swatch + 1.5 * mm, top - (r + 1) * row + 1 * mm,
                                         column - swatch - 3 * mm, row - 1 * mm))
        return rows * row + 1 * mm

    def _axes(self) -> None:
        flat = [v for series in self.values for v in series]
        self.low, self.high, self.step = nice_scale(flat)
        self.ticks = ticks(self.low, self.high, self.step)
        top = self.top
        if len(self.values) > 1:
            top -= self._legend_grid(len(self.values), top)
        self.unit_line = top - LABEL_LEADING  # the unit, above the tick numbers
        top -= LABEL_LEADING + 3 * mm         # also the headroom of the value labels over the highest bar
        digits = max(len(format_number(tick, "en")) for tick in self.ticks)  # the same count in every locale
        left = digits * DIGIT_EM * LABEL_SIZE + 2 * mm
        bottom = CATEGORY_LINES * LABEL_LEADING + 2 * mm
        self.plot = Rect(left, bottom, self.width - left - 1.5 * mm, top - bottom)
        self.category_width = self.plot.width / self.categories

    def _pie(self) -> None:
        count = self.categories
        row = LEGEND_LINES * LABEL_LEADING + 1.5 * mm
        diameter = min(self.top - 2 * mm, self.width * 0.45)
        self.plot = Rect(0, (self.top - diameter) / 2, diameter, diameter)
        left = diameter + 6 * mm
        swatch = 3 * mm
        top = self.plot.top
        if self.has_unit:  # the unit heads the value column
            self.unit_line = top - LABEL_LEADING
            top -= LABEL_LEADING + 1 * mm
        if count * row > top:  # more rows than the box holds below the unit: they share its height
            row = top / count
        for i in range(count):
            y = top - i * row
            self.legend.append(Rect(left, y - (LABEL_LEADING + swatch) / 2, swatch, swatch))
            self.legend_text.append(Rect(left + swatch + 2 * mm, y - row + 1.5 * mm,
                                         self.width - left - swatch - 2 * mm, row - 1.5 * mm))

    def value_y(self, value) -> float:
        p = self.plot
        return p.y + float((Decimal(str(value)) - self.low) / (self.high - self.low)) * p.height

    def colour(self, series: int, palette=PALETTE):
        return palette[series % len(palette)]

    def drawing(self, palette=PALETTE, grid=GRID, axis=AXIS, paper=PAPER):
        """The coloured geometry as a ReportLab Drawing (colours replaceable: the web passes screen colours)."""
        from reportlab.graphics.shapes import Drawing, Line, Rect as Box

        drawing = Drawing(self.width, self.height)
        if self.kind == "pie":
            from reportlab.graphics.charts.piecharts import Pie

            pie = Pie()
            p = self.plot
            pie.x, pie.y, pie.width, pie.height = p.x, p.y, p.width, p.height
            pie.data = list(self.values[0])
            pie.startAngle, pie.direction = 90, "clockwise"
            pie.labels = None
            pie.slices.strokeColor, pie.slices.strokeWidth = paper, 0.75
            for i in range(self.categories):
                pie.slices[i].fillColor = self.colour(i, palette)
            drawing.add(pie)
        else:
            chart = self._axes_chart(palette, grid)
            drawing.add(chart)
            p = self.plot
            zero = self.value_y(0)
            drawing.add(Line(p.x, zero, p.x + p.width, zero, strokeColor=axis, strokeWidth=0.6))
        for i, swatch in enumerate(self.legend):
            drawing.add(Box(swatch.x, swatch.y, swatch.width, swatch.height, fillColor=self.colour(i, palette),
                            strokeColor=None))
        return drawing

    def _axes_chart(self, palette, grid):
        if self.kind == "bar":
            from reportlab.graphics.charts.barcharts import VerticalBarChart

            chart = VerticalBarChart()
            chart.bars.strokeColor = None
            chart.groupSpacing = 12 if len(self.values) == 1 else 8
            chart.barSpacing = 1
            for i in range(len(self.values)):
                chart.bars[i].fillColor = self.colour(i, palette)
            if self.highlight is not None:
                chart.bars[(0, self.highlight)].fillColor = palette[ACCENT]
        else:
            from reportlab.graphics.charts.linecharts import HorizontalLineChart
            from reportlab.graphics.widgets.markers import makeMarker

            chart = HorizontalLineChart()
            chart.joinedLines = 1
            for i in range(len(self.values)):
                colour = self.colour(i, palette)
                chart.lines[i].strokeColor = colour
                chart.lines[i].strokeWidth = 1.6
                marker = makeMarker("FilledCircle")
                marker.size, marker.fillColor, marker.strokeColor = 4.5, colour, None
                chart.lines[i].symbol = marker
        p = self.plot
        chart.x, chart.y, chart.width, chart.height = p.x, p.y, p.width, p.height
        chart.data = [list(series) for series in self.values]
        chart.strokeColor = None
        axis = chart.valueAxis
        axis.valueMin, axis.valueMax, axis.valueStep = float(self.low), float(self.high), float(self.step)
        axis.visibleLabels = axis.visibleAxis = axis.visibleTicks = 0
        axis.visibleGrid, axis.gridStrokeColor, axis.gridStrokeWidth = 1, grid, 0.4
        axis.strokeColor = grid
        categories = chart.categoryAxis
        categories.categoryNames = [str(i) for i in range(self.categories)]
        categories.visible = categories.visibleLabels = categories.visibleTicks = categories.visibleAxis = 0
        categories.strokeColor = grid
        return chart

    def anchors(self) -> list[list[tuple[float, float, float]]]:
        """Per series, per category: (x centre, y of the value, half width of the bar or 0 for a point).

        Read back from ReportLab's own layout of the bars or points (its ``_barPositions`` and
        ``_positions``), so a value label sits exactly over what it drew (tests/test_charts.py checks it).
        """
        return self.ink()[1]

    def _anchors(self) -> list[list[tuple[float, float, float]]]:
        chart = self._axes_chart(PALETTE, GRID)
        chart.draw()  # lays out the axes and the bars or points
        if self.kind == "bar":
            return [[(x + w / 2, y + h, w / 2) for x, y, w, h in series] for series in chart._barPositions]
        return [[(x, y, 0.0) for x, y in series] for series in chart._positions]

    def ink(self) -> tuple[str, list]:
        """(the print geometry's PDF operators, drawn at the origin; :meth:`anchors`), kept in the build cache.

        Made by ReportLab's ``renderPDF`` on a scratch canvas; the text state it sets (its default font,
        though the geometry draws no text) is left out, so the operators name no resource of a
        document and serve any edition. Kept because ``reportlab.graphics`` imports the whole of
        platypus (0.12–0.16 s in each process that draws a chart, profiled in a rebuild's worker),
        while the geometry depends only on the data's shape and the box, the same in every
        language. A build with the cache off makes the same operators.
        """
        from pubkit import cache as work_cache

        if self._kept_ink is None:  # the labels ask for the anchors, drawing for the operators
            entry_key = work_cache.key("chart-geometry", reportlab.Version, repr((self.shape, self.width, self.height)))
            self._kept_ink = work_cache.remembered_object("charts", entry_key, self._ink,
                                                          lambda found: isinstance(found, tuple) and len(found) == 2)
        return self._kept_ink

    def _ink(self) -> tuple[str, list]:
        from reportlab import rl_config
        from reportlab.graphics import renderPDF
        from reportlab.pdfgen.canvas import Canvas

        scratch = Canvas(io.BytesIO(), enforceColorSpace="cmyk")  # as an edition's canvas: black is 0 0 0 1
        start = len(scratch._code)
        # renderPDF orders its state operators only in ReportLab's invariant mode, which editions are drawn in
        # and `pubkit web` (whose labels ask for the anchors) is not: made so whoever asks first
        invariant, rl_config.invariant = rl_config.invariant, 1
        try:
            renderPDF.draw(self.drawing(), scratch, 0, 0)
        finally:
            rl_config.invariant = invariant
        lines = scratch._code[start:]
        if lines[:1] != ["q"] or lines[-1:] != ["Q"]:  # its frame (no ``cm``: the origin moves nothing)
            raise AssertionError(f"renderPDF wrote an unexpected frame: {lines[:1]} … {lines[-1:]}")
        operators = "\n".join(line for line in lines[1:-1] if not _TEXT_STATE.fullmatch(line))
        if "/" in operators:  # a resource name: the geometry must not draw text, images or shadings
            raise AssertionError("a chart's geometry names a PDF resource")
        return operators, [] if self.kind == "pie" else self._anchors()


@dataclass
class Label:
    """Language-dependent text at a place: lines broken at ``width``, aligned in it, 100 % K."""

    text: str
    x: float
    top: float                 # top of the first line box
    width: float
    style: TextStyle
    role: str                  # what it is: title, unit, value, category…
    bold: bool = False
    lines: list = field(default_factory=list)


class ChartArt:
    """A chart in one edition's language at a fixed size: draw it in print or write it as SVG.

    ``regular`` and ``bold`` are the edition's font chains; ``wrap`` its line breaking
    (``words`` or ``cjk``). ``fit_problems`` lists labels longer than their band.
    """

    def __init__(self, data: ChartData, width: float, height: float, *, language: str, regular: FontChain,
                 bold: FontChain, wrap: str):
        self.data, self.width, self.height, self.language = data, width, height, language
        from pubkit.typeset.blocks import TextStyle

        self.geometry = Geometry(data.shape(), width, height)
        # balanced lines: a two-line label breaks evenly and never inside a phrase, as headings do
        self.style = TextStyle(regular, LABEL_SIZE, LABEL_LEADING, wrap, language=language, align="center",
                               balance=True)
        self.bold_style = replace(self.style, chain=bold)
        self.title_style = replace(self.bold_style, size=TITLE_SIZE, leading=TITLE_LEADING, align="left")
        self.fit_problems: list[str] = []
        self.labels = self._labels()

    # -- labels ------------------------------------------------------------------------------
    def _label(self, text: str, x: float, top: float, width: float, *, align: str = "center", bold: bool = False,
               lines: int | None = None, what: str = "", style: TextStyle | None = None) -> Label:
        from pubkit.typeset.blocks import break_lines

        style = replace(style or (self.bold_style if bold else self.style), align=align)
        too_wide: list[str] = []
        broken = break_lines(text, style, width, too_wide) if text else []
        self.fit_problems += [f"chart: '{word}' is wider than its {what} and was broken" for word in too_wide]
        if lines is not None and len(broken) > lines:
            self.fit_problems.append(f"chart: the {what} '{text[:30]}' needs {len(broken)} lines; {lines} fit")
        return Label(text, x, top, width, style, what, bold or style.chain is self.bold_style.chain, broken)

    def _labels(self) -> list[Label]:
        g, data = self.geometry, self.data
        labels = []
        if data.title and g.title_box:  # on the band's foot, next to what it names
            box = g.title_box
            title = self._label(data.title, box.x, box.top, box.width, align="left", lines=TITLE_LINES,
                                what="title", style=self.title_style)
            title.top = box.y + min(len(title.lines), TITLE_LINES) * TITLE_LEADING
            labels.append(title)
        return labels + (self._pie_labels() if data.kind == "pie" else self._axes_labels())

    def _pie_labels(self) -> list[Label]:
        g, data, language = self.geometry, self.data, self.language
        labels = []
        values = data.series[0].values
        total = sum(values)
        for i, (name, box) in enumerate(zip(data.categories, g.legend_text)):
            share = f"{format_number(values[i], language)} ({format_share(values[i] / total, language)})"
            room = box.width - self.style.chain.width(share, LABEL_SIZE) - 2 * mm
            labels.append(self._label(name, box.x, box.top, room, align="left", lines=LEGEND_LINES,
                                      what="slice name"))
            labels.append(self._label(share, box.x, box.top, box.width, align="right", what="slice value"))
        if data.unit:
            box = g.legend_text[0]
            labels.append(self._label(data.unit, box.x, g.unit_line + LABEL_LEADING, box.width, align="right",
                                      what="unit"))
        return labels

    def _axes_labels(self) -> list[Label]:
        g, data, language = self.geometry, self.data, self.language
        labels = []
        if len(data.series) > 1:
            for series, box in zip(data.series, g.legend_text):
                labels.append(self._label(series.name, box.x, box.top, box.width, align="left", lines=LEGEND_LINES,
                                          what="series name"))
        p = g.plot
        if data.unit:
            labels.append(self._label(data.unit, 0, g.unit_line + LABEL_LEADING, g.width, align="left", what="unit"))
        middle = _first_baseline(self.style) - 0.36 * LABEL_SIZE  # a line's top to the middle of its figures
        for tick in g.ticks:
            labels.append(self._label(format_number(tick, language), 0, g.value_y(tick) + middle, p.x - 2 * mm,
                                      align="right", what="axis number"))
        for i, name in enumerate(data.categories):
            labels.append(self._label(name, p.x + i * g.category_width, p.y - 1.5 * mm, g.category_width,
                                      lines=CATEGORY_LINES, what="category"))
        if len(data.series) == 1:  # one series: each value over its bar or point
            for value, (x, y, half) in zip(data.series[0].values, g.anchors()[0]):
                top = y + _first_baseline(self.bold_style) + (1 * mm if half else 2 * mm)
                if value < 0:
                    top = y - (0.5 * mm if half else 2 * mm)
                width = g.category_width
                labels.append(self._label(format_number(value, language), x - width / 2, top, width, bold=True,
                                          what="value"))
        return labels

    # -- print -------------------------------------------------------------------------------
    def draw_on(self, canv, x: float, y: float) -> None:
        """Draw at (x, y), the box's lower left corner: the CMYK geometry, then the labels in K, overprinting."""
        from pubkit.typeset.blocks import draw_broken_line

        canv._code.append(f"q\n1 0 0 1 {fp_str(x, y)} cm\n{self.geometry.ink()[0]}\nQ")
        for label in self.labels:
            baseline = y + label.top - _first_baseline(label.style)
            for line in label.lines:
                draw_broken_line(canv, line, label.style, x + label.x, baseline, label.width)
                baseline -= label.style.leading

    # -- web ---------------------------------------------------------------------------------
    def svg(self, *, title: str = "", colour=None, element_id: str = "chart") -> str:
        """The chart as an inline ``<svg>`` element: the shapes by ``renderSVG``, the labels as ``<text>``.

        ``colour`` maps a CMYK print colour to its screen colour (e.g. :func:`screen_colours`);
        without it ReportLab's naive conversion is used. Label text uses the page's font
        (``font-family: inherit``); its lines are those of print, broken with the same fonts' metrics.
        ``element_id`` prefixes the element's ids, which must be unique in the page.
        """
        from reportlab.graphics import renderSVG

        from xml.sax.saxutils import quoteattr  # web only: it brings urllib, http and ssl (33 ms) into every build

        convert = colour or (lambda c: c)
        g = self.geometry
        drawing = g.drawing(tuple(convert(c) for c in PALETTE), convert(GRID), convert(AXIS), convert(PAPER))
        shapes = renderSVG.drawToString(drawing)
        body = shapes[shapes.index("<svg"):]
        body = re.sub(r"<title>.*?</title>\s*<desc>.*?</desc>", "", body, count=1, flags=re.S)
        body = re.sub(r'^<svg width="[^"]*" height="[^"]*"', "<svg", body, count=1)
        body = body.replace('id="clip"', f'id="{element_id}-clip"').replace("url(#clip)", f"url(#{element_id}-clip)")
        body = body.replace(' id="group"', "")
        flip = float(re.search(r"translate\(0,-([0-9.]+)\)", body).group(1))  # renderSVG's height, rounded
        attributes = f' class="chart" id="{element_id}" role="img"'
        if title:
            attributes += f" aria-label={quoteattr(title)}"
        body = body.replace("<svg", "<svg" + attributes, 1)
        ink = _hex(convert(AXIS))  # labels are set in the axis' 100 % K
        texts = [f'<g font-family="inherit" font-size="{LABEL_SIZE:g}" fill="{ink}">']
        for label in self.labels:
            style = label.style
            anchor, dx = {"left": ("start", 0.0), "right": ("end", label.width),
                          "center": ("middle", label.width / 2)}[style.align]
            extra = ' font-weight="bold"' if label.bold else ""
            if style.size != LABEL_SIZE:
                extra += f' font-size="{style.size:g}"'
            baseline = label.top - _first_baseline(style)
            for line in label.lines:
                texts.append(f'<text x="{_n(label.x + dx)}" y="{_n(flip - baseline)}" '
                             f'text-anchor="{anchor}"{extra}>{escape(line.text, quote=False)}</text>')
                baseline -= style.leading
        texts.append("</g>")
        return body.replace("</svg>", "\n".join(texts) + "\n</svg>").strip() + "\n"


def _n(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _hex(colour) -> str:
    rgb = colour.rgb() if hasattr(colour, "rgb") else (colour.red, colour.green, colour.blue)
    return "#" + "".join(f"{round(channel * 255):02x}" for channel in rgb)


def screen_colours(cmyk_profile: bytes | None):
    """A CMYK → screen colour conversion through the print profile (LittleCMS), so the web shows
    what the press prints; ReportLab's arithmetic conversion without a profile."""
    if not cmyk_profile:
        return lambda c: c
    from PIL import Image, ImageCms

    transform = ImageCms.buildTransform(ImageCms.ImageCmsProfile(io.BytesIO(cmyk_profile)),
                                        ImageCms.createProfile("sRGB"), "CMYK", "RGB",
                                        renderingIntent=ImageCms.Intent.PERCEPTUAL)
    cache: dict = {}

    def convert(colour):
        if not isinstance(colour, CMYKColor):
            return colour
        key = (colour.cyan, colour.magenta, colour.yellow, colour.black)
        if key not in cache:
            pixel = Image.new("CMYK", (1, 1), tuple(round(v * 255) for v in key))
            r, g, b = ImageCms.applyTransform(pixel, transform).getpixel((0, 0))
            cache[key] = Color(r / 255, g / 255, b / 255)
        return cache[key]

    return convert


def _first_baseline(style) -> float:
    """typeset.blocks.first_baseline, imported when a chart is drawn (not when a spec is checked)."""
    from pubkit.typeset.blocks import first_baseline

    return first_baseline(style)
