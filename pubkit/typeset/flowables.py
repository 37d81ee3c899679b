"""Flowables of the newer block kinds: data tables, callout boxes, two-column runs, page breaks,
and key figures that the paginator can split.

The paginator (:func:`pubkit.typeset.plan.flow`) sees a flowable as *units* stacked in a column:
a text block's lines, or a table's rows. A flowable here says so itself: ``units()`` (their
heights, after ``wrap``), ``splits`` (whether it may be split between units, two each side at
least), ``chars`` (its characters, for the build's "cut N characters" advice) and
``part(first, end)`` (the piece that draws units first…end-1). Everything drawn here follows the
language's text (its place and height change with the translation), so it is 100 % K and
overprints: the C, M and Y plates of a page never depend on the language (docs/layout.md).
"""

from __future__ import annotations

from dataclasses import replace

from reportlab.lib.colors import CMYKColor
from reportlab.lib.units import mm

from pubkit.typeset.blocks import (BODY_BLACK, Block, FigureTable, TextBlock, TextStyle, break_lines,
                                   draw_broken_line, first_baseline, overprint, widest_unit)

K_TINT = CMYKColor(0, 0, 0, 0.10)  # behind a header row or a callout: black plate only
SHORT_COLUMN = 0.25  # a table column whose one-line width is at most this share of the table's is not wrapped
RULE, THIN = 0.8, 0.3               # rule widths in pt


def _ink(canv, color) -> None:
    canv.saveState()
    overprint(canv, color)
    canv.setFillColor(color)
    canv.setStrokeColor(color)


class FigureRows(FigureTable):
    """Key figures (:class:`~pubkit.typeset.blocks.FigureTable`) that the paginator splits between rows."""

    splits = True

    def units(self) -> tuple[float, ...]:
        return tuple(round(cell[-1], 3) for cell in self._cells)

    @property
    def chars(self) -> int:
        return sum(len(label) for label, _ in self.rows)

    def part(self, first: int, end: int):
        if (first, end) == (0, len(self.rows)):
            return self
        part = FigureRows(self.rows[first:end], self.label_style, self.value_style, self.unit_style, self.rule_color,
                          columns_of=self.columns_of)
        part.segments = self.segments[first:end]
        return part


class PageBreakMark(Block):
    """An explicit page break: no height; the paginator goes on at the top of the next page."""

    new_page = True
    splits = False
    chars = 0
    spaceBefore = spaceAfter = 0.0

    def wrap(self, available_width, available_height):
        self.width, self.height = available_width, 0.0
        return self.width, 0.0

    def units(self) -> tuple[float, ...]:
        return ()

    def draw(self):
        pass


class Lines:
    """Text broken at a width, as a table cell: lines, style and height."""

    def __init__(self, text: str, style: TextStyle, width: float, too_wide: list[str]):
        self.text, self.style, self.width = text, style, width
        self.lines = break_lines(text, style, width, too_wide) if text else []
        self.height = len(self.lines) * style.leading

    def draw(self, canv, x: float, top: float, align: str = "left") -> None:
        style = replace(self.style, align=align)
        baseline = top - first_baseline(style)
        for line in self.lines:
            draw_broken_line(canv, line, style, x, baseline, self.width)
            baseline -= style.leading


class DataTable(Block):
    """A data table: optional title, a header row on a K tint, rows between K rules, an optional source note.

    ``header`` and each row are cell texts (numbers already written for the language); ``align`` per
    column: left, right or center. Numeric columns are as wide as their widest number; text columns
    share the rest in proportion to their natural width, never narrower than their longest word
    when the measure allows. Units for the paginator: the title, header and first row are one
    (they stay together); each further row is one, the last with the source note. A part that
    continues the table elsewhere does not repeat the header: its height would then differ from
    the plan's units, and on the sample that cost a page (measured: a nearly empty page 6).
    """

    splits = True
    padding = 1.4 * mm

    def __init__(self, title: str, header: list[str], rows: list[list[str]], align: list[str], numeric: list[bool],
                 styles: dict[str, TextStyle], source: str = "", *, show: tuple[int, int] | None = None):
        super().__init__()
        self.source = source
        self.title, self.header, self.rows, self.align, self.numeric = title, header, rows, align, numeric
        # a header that wraps breaks as a heading does: evenly and never inside a phrase (面积 / （公顷）,
        # where a ragged break split the unit: 面积（公 / 顷）)
        self.styles = {name: replace(style, justify=False, balance=name == "header") for name, style in styles.items()}
        self.show = show or (0, len(rows))
        self.fit_problems: list[str] = []
        self.segments: list = []  # per unit: the spec paths of its texts (a review proof marks them)
        self.spaceBefore = self.spaceAfter = styles["cell"].leading * 0.6

    @property
    def chars(self) -> int:
        return sum(len(text) for row in [self.header, *self.rows] for text in row) + len(self.title)

    def _widths(self, width: float) -> list[float]:
        """Column widths: each column's natural (one-line) width when all fit, the text columns sharing what
        is left; else at least its longest word (a number never breaks), the rest shared by what each lacks."""
        cell, head = self.styles["cell"], self.styles["header"]
        pad = 2 * self.padding
        natural, least = [], []
        for c in range(len(self.header)):
            texts = [row[c] for row in self.rows]
            widths = [cell.chain.width(t, cell.size) for t in texts]
            if self.numeric[c]:  # a number never breaks
                units = [cell.chain.width(t, cell.size) for t in texts if t]
            else:
                units = [widest_unit(t, cell) for t in texts]
            longest = max(units + [widest_unit(self.header[c], head), cell.size])
            natural.append(max(widths + [head.chain.width(self.header[c], head.size), longest]) + pad)
            least.append(longest + pad)
        if sum(natural) <= width:
            spare = width - sum(natural)
            text_columns = [c for c in range(len(natural)) if not self.numeric[c]] or list(range(len(natural)))
            return [n + (spare / len(text_columns) if c in text_columns else 0.0) for c, n in enumerate(natural)]
        if sum(least) >= width:
            return self._squeezed(least, natural, width)
        # a short column (a label such as 農地, a year) keeps its one line when the others can still have
        # their least: sharing by what each lacks gave it almost nothing beside a column of long sentences
        short = [c for c, n in enumerate(natural) if n <= width * SHORT_COLUMN and n > least[c]]
        if short and sum(natural[c] for c in short) + sum(m for c, m in enumerate(least) if c not in short) < width:
            least = [natural[c] if c in short else m for c, m in enumerate(least)]
        spare = width - sum(least)
        lacking = [n - m for n, m in zip(natural, least)]
        return [m + spare * lack / sum(lacking) for m, lack in zip(least, lacking)]

    def _squeezed(self, least: list[float], natural: list[float], width: float) -> list[float]:
        """Widths when the columns' least widths do not fit: a number column keeps its widest number (a number
        never breaks: shrinking every column alike printed 1.250.000. / 000), and the text columns share the
        rest, each asking its least but at least four ems (a Japanese name column's least is one character,
        and it was left one character wide, its ディ running into the next cell) or its one-line width if
        less; a column that asks no more than an equal share keeps what it asks, so a name column is not
        cut to letters beside a column holding a web address, which then breaks (and is reported). Only
        when the numbers alone leave the text columns under two ems each does every column give way alike."""
        cell = self.styles["cell"]
        pad = 2 * self.padding
        text = [c for c in range(len(least)) if not self.numeric[c]]
        room = width - sum(n for c, n in enumerate(least) if self.numeric[c])
        if not text or room < len(text) * (2 * cell.size + pad):
            return [n * width / sum(least) for n in least]
        asks = {c: max(least[c], min(natural[c], 4 * cell.size + pad)) for c in text}
        widths = list(least)
        for i, c in enumerate(sorted(text, key=lambda c: asks[c])):
            widths[c] = min(asks[c], room / (len(text) - i))
            room -= widths[c]
        return widths

    def wrap(self, available_width, available_height):
        self.width = available_width
        too_wide: list[str] = []
        self._widths_ = widths = self._widths(available_width)
        inner = [w - 2 * self.padding for w in widths]
        self._title = Lines(self.title, self.styles["title"], available_width, too_wide)
        self._head = [Lines(text, self.styles["header"], w, too_wide) for text, w in zip(self.header, inner)]
        self._body = [[Lines(text, self.styles["cell"], w, too_wide) for text, w in zip(row, inner)]
                      for row in self.rows]
        self._source = Lines(self.source, self.styles["source"], available_width, too_wide) if self.source else None
        head = max(cell.height for cell in self._head) + 2 * self.padding
        rows = [max(cell.height for cell in row) + 2 * self.padding for row in self._body]
        title = self._title.height + (self.padding if self.title else 0.0)
        source = (self._source.height + self.padding) if self._source else 0.0
        self._row_heights, self._head_height, self._title_height, self._source_height = rows, head, title, source
        units = list(rows)
        units[0] += title + head
        units[-1] += source
        self._units = units
        first, end = self.show
        self._cells = [(u,) for u in units[first:end]]
        self.height = sum(units[first:end])
        self.fit_problems = [f"table: '{word}' is wider than its column" for word in too_wide]
        return self.width, self.height

    def units(self) -> tuple[float, ...]:
        return tuple(round(u, 3) for u in self._units)

    def part(self, first: int, end: int):
        if (first, end) == (0, len(self.rows)):
            return self
        part = DataTable(self.title, self.header, self.rows, self.align, self.numeric, self.styles, self.source,
                         show=(first, end))
        part.segments = self.segments[first:end]
        return part

    def draw(self):
        canv = self.canv
        first, end = self.show
        top = self.height
        width = self.width
        x_of = [sum(self._widths_[:c]) for c in range(len(self._widths_))]
        _ink(canv, BODY_BLACK)
        if first == 0 and self.title:
            self._title.draw(canv, 0, top)
            top -= self._title_height
        if first == 0:
            canv.setFillColor(K_TINT)  # K only: the overprint _ink set holds for it
            canv.rect(0, top - self._head_height, width, self._head_height, stroke=0, fill=1)
            canv.setLineWidth(RULE)
            canv.line(0, top, width, top)
            for c, cell in enumerate(self._head):
                self._cell(canv, cell, x_of[c], top, c)
            top -= self._head_height
        canv.setLineWidth(THIN)
        for r in range(first, end):
            canv.line(0, top, width, top)
            for c, cell in enumerate(self._body[r]):
                self._cell(canv, cell, x_of[c], top, c)
            top -= self._row_heights[r]
        if end == len(self.rows):
            canv.setLineWidth(RULE)
            canv.line(0, top, width, top)
            if self._source:
                self._source.draw(canv, 0, top - self.padding)
        canv.restoreState()

    def _cell(self, canv, cell: Lines, x: float, top: float, column: int) -> None:
        cell.draw(canv, x + self.padding, top - self.padding, self.align[column])


class Box(Block):
    """A callout: text blocks on a K tint (``box``), or beside a K rule (``quote``); kept on one page."""

    splits = False
    padding = 3 * mm
    rule = 1.5  # pt, a quote's bar

    def __init__(self, blocks: list[TextBlock], kind: str):
        super().__init__()
        self.blocks, self.kind = blocks, kind
        self.fit_problems: list[str] = []

    @property
    def chars(self) -> int:
        return sum(len(block.text) for block in self.blocks)

    def inner_width(self, width: float) -> float:
        return width - (2 * self.padding if self.kind == "box" else self.padding + self.rule)

    def wrap(self, available_width, available_height):
        self.width = available_width
        inner = self.inner_width(available_width)
        heights = [block.wrap(inner, available_height)[1] for block in self.blocks]
        spaces = sum(block.spaceAfter for block in self.blocks[:-1])
        self.height = sum(heights) + spaces + 2 * (self.padding if self.kind == "box" else self.padding / 2)
        return self.width, self.height

    def units(self) -> tuple[float, ...]:
        return (round(self.height, 3),)

    def draw(self):
        canv = self.canv
        _ink(canv, K_TINT)
        if self.kind == "box":
            canv.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        else:
            canv.setFillColor(BODY_BLACK)
            canv.rect(0, 0, self.rule, self.height, stroke=0, fill=1)
        canv.restoreState()
        x = self.padding + (0 if self.kind == "box" else self.rule)
        top = self.height - (self.padding if self.kind == "box" else self.padding / 2)
        for block in self.blocks:
            top -= block.height
            block.drawOn(canv, x, top)
            top -= block.spaceAfter


class TwoColumns(Block):
    """Short blocks set in two balanced columns inside one text column; kept on one page.

    ``blocks`` are already broken at the half measure. The cut that makes the two columns most
    even is taken, between blocks or between lines (two lines each side at least).
    """

    splits = False
    gap = 5 * mm
    spaceBefore = spaceAfter = 0.0

    def __init__(self, blocks: list[TextBlock]):
        super().__init__()
        self.blocks = blocks
        self.fit_problems: list[str] = []

    @property
    def chars(self) -> int:
        return sum(len(block.text) for block in self.blocks)

    def _cuts(self):
        """Every (block, line) where the right column may start."""
        for b, block in enumerate(self.blocks):
            count = len(block._lines)
            yield b, 0
            yield from ((b, n) for n in range(2, count - 1) if count >= 4)
        yield len(self.blocks), 0

    def _height(self, parts: list) -> float:
        height = 0.0
        for index, (block, lines) in enumerate(parts):
            height += len(lines) * block.style.leading + (block.spaceAfter if index < len(parts) - 1 else 0.0)
        return height

    def _split(self, cut):
        b, n = cut
        left = [(block, block._lines) for block in self.blocks[:b]]
        right = [(block, block._lines) for block in self.blocks[b + 1:]] if b < len(self.blocks) else []
        if b < len(self.blocks):
            block = self.blocks[b]
            if n:
                left.append((block, block._lines[:n]))
            right.insert(0, (block, block._lines[n:]))
        return left, right

    def wrap(self, available_width, available_height):
        self.width = available_width
        half = (available_width - self.gap) / 2
        for block in self.blocks:
            block.wrap(half, available_height)
        self._columns = min((self._split(cut) for cut in self._cuts()),
                            key=lambda sides: (max(self._height(side) for side in sides), -self._height(sides[0])))
        self.height = max(self._height(side) for side in self._columns)
        return self.width, self.height

    def units(self) -> tuple[float, ...]:
        return (round(self.height, 3),)

    def draw(self):
        half = (self.width - self.gap) / 2
        for column, side in enumerate(self._columns):
            top = self.height
            for block, lines in side:
                part = TextBlock(block.text, block.style, bullet=block.bullet if lines and lines[0] is block._lines[0]
                                 else None, indent=block.indent, lines=lines)
                part.wrap(half, self.height)
                top -= part.height
                part.drawOn(self.canv, column * (half + self.gap), top)
                top -= block.spaceAfter
