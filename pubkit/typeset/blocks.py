"""The flowables pubkit lays out: text blocks and key-figure tables (images are placed by the page plan).

Lines are broken by :mod:`pubkit.typeset.justify` (why not ReportLab's Paragraph: see there) and
drawn by :mod:`pubkit.typeset.textout` with every piece at the x the breaker computed, so
justification never depends on the PDF word-spacing operator (``Tw`` acts only on a single-byte
code 32, which a TrueType subset need not use for the space). Each space is still drawn as a
space glyph, so text extraction gives the words with spaces between them. Each character is set
in the first font of the chain that has it.

Inline markup (:mod:`pubkit.markup`) and runs of another CJK script
(:func:`pubkit.typeset.fonts.foreign_runs`) give a paragraph several faces: :func:`styled` turns
the text into the breaker's :class:`~pubkit.typeset.justify.Styled` and the faces it uses, and
each part is drawn in its face. Bold is the family's bold font. Italic is the regular (or bold)
font slanted by 12° with the text matrix (an oblique, as browsers synthesise one): the project's
families have no italic fonts, and an oblique has the upright's widths, so it breaks lines as
the upright would. CJK characters in an italic span stay upright (CJK type has no italic; a
slanted ideograph reads as a mistake). Links print as their text (PDF/X-4 allows no live
annotations inside the trim); the web edition makes them real links.
"""

from __future__ import annotations

import math
import re
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, replace

from reportlab.lib.colors import CMYKColor
from reportlab.lib.units import mm

from pubkit import markup
from pubkit.typeset.fonts import FontChain, foreign_runs
from pubkit.typeset.linebreak import break_units, is_wide
from pubkit.typeset.justify import Line, Styled, address_parts, balanced, is_address, pieces_for, split_too_wide, total_fit
from pubkit.typeset.textout import LineWriter

_COLLAPSIBLE = re.compile(r"[ \t\r\n]+")  # not NO-BREAK SPACE, which must survive
BODY_BLACK = CMYKColor(0, 0, 0, 1)  # 100 % K: no rich black in text
SLANT = math.tan(math.radians(12))  # the synthesised oblique of an italic span


@dataclass(frozen=True)
class Face:
    """What a part of a line is drawn in: a font chain, and whether it is slanted (italic)."""

    chain: FontChain
    italic: bool = False

    @property
    def advance(self):
        return self.chain.advance


def styled(text: str, style: TextStyle) -> tuple[Styled, tuple[Face, ...]]:
    """``text`` (which may hold markup) as the breaker's styled text, and the faces it uses.

    Text without markup or foreign-script runs is one face, ``style.chain``, and breaks exactly
    as plain text always has.
    """
    chain = style.chain
    spans = markup.spans_or_literal(text) if markup.has_markup(text) else None
    plain = "".join(span.text for span in spans) if spans is not None else text
    runs = foreign_runs(plain, style.language) if chain.scripts else []
    if spans is None and not runs:
        return Styled(plain, (chain.advance,)), (Face(chain),)
    script = [None] * len(plain)
    for start, end, owner in runs:
        script[start:end] = [owner] * (end - start)
    keys, faces, keep, at = {}, [], [], 0
    for span in spans if spans is not None else [markup.Span(plain)]:
        slanted = _slanted(span.text) if span.italic else [False] * len(span.text)
        for k in range(at, at + len(span.text)):
            key = (chain.bold or span.bold, slanted[k - at], script[k])
            faces.append(keys.setdefault(key, len(keys)))
        if span.nobr:
            keep.append((at, at + len(span.text)))
        at += len(span.text)
    if not keys:
        return Styled(plain, (chain.advance,)), (Face(chain),)
    table = tuple(Face(chain.variant(bold, owner) if (bold, owner) != (chain.bold, None) else chain, italic)
                  for (bold, italic, owner) in keys)
    loose = tuple(run for run in runs if run[2] in ("ja", "zh")) if style.wrap == "words" else ()
    return (Styled(plain, tuple(face.advance for face in table), tuple(faces), tuple(keep), loose), table)


def _upright(char: str) -> bool:
    """A character an oblique leaves upright: CJK (ideographs, kana, Hangul and their punctuation)."""
    return char >= "\u1100" and is_wide(char)


def _slanted(text: str) -> list[bool]:
    """Which characters of an italic span are slanted: all but CJK ones; an opening quote or bracket takes the
    side of the letter after it, other punctuation and spaces the side of the letter before. Quotation
    marks around a Korean or Chinese word were slanted beside its upright letters, the closing one
    leaning off a gap."""
    sides: list[bool | None] = [not _upright(char) if char.isalnum() or _upright(char) else None for char in text]
    out, last = [], next((side for side in sides if side is not None), True)
    for k, side in enumerate(sides):
        if side is None and unicodedata.category(text[k]) in ("Ps", "Pi"):
            side = next((later for later in sides[k + 1:] if later is not None), last)
        last = side if side is not None else last
        out.append(last)
    return out


@dataclass(frozen=True)
class TextStyle:
    chain: FontChain
    size: float
    leading: float
    wrap: str
    color: CMYKColor = BODY_BLACK
    align: str = "left"
    space_before: float = 0.0
    space_after: float = 0.0
    language: str = ""
    justify: bool = False       # body text: every line but a paragraph's last reaches the measure
    balance: bool = False       # headings: fewest lines, as even as possible, no break inside a phrase
    tracking: float = 0.0       # em added to every character (negative: tighter), for copyfitting
    looseness: int = 0          # lines more (or fewer) than the best break, as TeX's \looseness


def is_black_only(color) -> bool:
    """100 % K and nothing else (or a K-only tint): ink that goes on the black plate alone."""
    return (isinstance(color, CMYKColor) and color.black > 0 and not (color.cyan or color.magenta or color.yellow))


def overprint(canv, color) -> None:
    """K-only ink overprints (``/op true``, ``/OPM 1``): it never knocks a hole into the colours beneath,
    so the Cyan, Magenta and Yellow plates do not depend on the text. Call inside saveState/restoreState."""
    if is_black_only(color):
        canv.setFillOverprint(True)
        canv.setStrokeOverprint(True)
        canv.setOverprintMask(1)


def break_lines(text: str, style: TextStyle, width: float, too_wide: list[str] | None = None, *,
                looseness: int | None = None, tracking: float | None = None) -> list[Line]:
    """The lines of ``text`` at ``width``: justified, balanced or ragged as the style says.

    A word wider than the line is broken between characters and added to ``too_wide``. The lines are
    kept on the style's font chain (one per edition), so a table cell or chart label set again at the
    same width and setting — every copyfit step flows every table anew — is not broken again: that
    was 13 % of a 120-paragraph FLORES brochure's line breaking. Callers only read the lines.
    """
    tracking = style.tracking if tracking is None else tracking
    looseness = style.looseness if looseness is None else looseness
    key = (text, style.size, style.wrap, style.language, style.justify, style.balance, tracking, looseness, width)
    found = style.chain.broken.get(key)
    if found is None:
        wide: list[str] = []
        found = style.chain.broken[key] = (_break_lines(text, style, width, wide, looseness, tracking), tuple(wide))
    lines, wide = found
    if too_wide is not None:
        too_wide += wide
    return lines


def widest_unit(text: str, style: TextStyle) -> float:
    """The widest piece of ``text`` the breaker keeps whole in Japanese and Chinese (a character, or a
    run of Latin letters and digits), or its widest word in other scripts: the least width a table
    column needs. ``str.split`` found no spaces in a Japanese sentence and took it all as one word,
    so its column claimed the table and squeezed a number column to one character."""
    if style.wrap != "cjk":  # an address breaks after its slashes and hyphens: its widest part is what must fit
        words = [unit.strip() for unit in break_units(text, "words")]  # a number with its unit is one ("21.800 ha")
        return max((style.chain.width(part, style.size) for word in words if word
                    for part in ([p for p, _ in address_parts(word)] if is_address(word) else [word])), default=0.0)
    text_styled, _ = styled(text, style)
    pieces = pieces_for(text_styled, text_styled.advances[0], style.size, style.wrap, style.language, style.tracking)
    return max((max(style.chain.width(part, style.size) for part, _ in address_parts(piece.text))
                if is_address(piece.text) else piece.width for piece in pieces), default=0.0)


def _break_lines(text: str, style: TextStyle, width: float, too_wide: list[str], looseness: int,
                 tracking: float) -> list[Line]:
    text, faces = styled(text, style)
    pieces = pieces_for(text, text.advances[0], style.size, style.wrap, style.language, tracking)
    pieces = split_too_wide(pieces, width, text.advances, style.size, too_wide)
    if style.balance:
        lines = balanced(pieces, width, text.text, style.language, style.wrap)
    else:
        lines = total_fit(pieces, width, looseness=looseness)
    for line in lines:
        line.faces = faces
        if not style.justify:
            line.justify = False
    return lines


def draw_line(canv, text: str, style: TextStyle, x: float, baseline: float, width: float) -> None:
    """Draw one line of text at ``baseline``, aligned within ``width``."""
    text_styled, faces = styled(text, style)
    if style.wrap == "cjk" or faces != (Face(style.chain),) or text_styled.text != text:
        # CJK setting, markup or another script: set as in running text
        plain = replace(style, justify=False, balance=False)
        pieces = pieces_for(text_styled, faces[0].advance, style.size, style.wrap, style.language, style.tracking)
        line = Line(pieces, width, 0.0, 0.0, 0.0, last=True, justify=False, faces=faces)
        line.natural = sum(p.width + p.gap for p in pieces) - (pieces[-1].gap if pieces else 0.0)
        if pieces:
            draw_broken_line(canv, line, plain, x, baseline, width)
        return
    if style.align != "left":
        slack = width - style.chain.width(text, style.size)
        x += slack if style.align == "right" else slack / 2
    with _text_ink(canv, style):
        textobject = canv.beginText(x, baseline)
        for font_name, run in style.chain.runs(text):
            textobject.setFont(font_name, style.size, style.leading)
            textobject.textOut(run)
        canv.drawText(textobject)


def draw_broken_line(canv, line: Line, style: TextStyle, x: float, baseline: float, width: float) -> None:
    """Draw a line from the breaker: each piece at its place (justified lines end on the measure)."""
    with _text_ink(canv, style):
        canv._code.append(_line_operators(canv, line, style, x, baseline, width))


def _line_operators(canv, line: Line, style: TextStyle, x: float, baseline: float, width: float) -> str:
    if style.align != "left" and not line.justify:
        slack = width - line.natural
        x += slack if style.align == "right" else slack / 2
    faces = line.faces or (Face(style.chain),)
    writer = LineWriter(canv, baseline, style.size, style.tracking * style.size, SLANT)
    for px, text, scale, face in line.placements():
        writer.place(x + px, text, scale, faces[face].chain, faces[face].italic)
    return writer.operators()


@contextmanager
def _text_ink(canv, style: TextStyle):
    """Set a text's colour; 100 % K text also overprints (so the colour plates under it stay whole)."""
    black = is_black_only(style.color)
    if black:
        canv.saveState()
        overprint(canv, style.color)
    canv.setFillColor(style.color)
    try:
        yield
    finally:
        if black:
            canv.restoreState()


def first_baseline(style: TextStyle) -> float:
    """Distance from the top of a line box to its baseline."""
    return style.leading - (style.leading - style.size) / 2 - 0.22 * style.size


class Block:
    """What the page plan places and a page draws: ``wrap`` gives the size at a width, ``draw`` paints
    from the block's lower left corner (the page's canvas is ``self.canv`` while it draws).

    pubkit's own base rather than ReportLab's platypus ``Flowable``, which pubkit used for these two
    methods only: importing any platypus module runs the ``reportlab.platypus`` package, which
    imports its paragraph, table and document-template machinery (80–117 ms a process, ``python
    -X importtime``, 2026-11-30), paid by every build and every render worker. ``drawOn`` writes
    what platypus' does (``q``, the translation, the block, ``Q``), so the PDFs are the same bytes.
    """

    def __init__(self):
        self.width = 0
        self.height = 0

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        pass

    def drawOn(self, canv, x, y):  # noqa: N802 - the name the blocks and the page code share
        canv.saveState()
        canv.translate(x, y)
        self.canv = canv
        self.draw()
        del self.canv
        canv.restoreState()


class Space(Block):
    """Empty room of a fixed height between blocks of the covers."""

    def __init__(self, width: float, height: float):
        self.width, self.height = width, height


class TextBlock(Block):
    """A paragraph, heading or bullet: wraps at a width and draws; the page plan cuts it between lines (no
    widows or orphans: :meth:`pubkit.typeset.edition._Layout.part`)."""

    def __init__(self, text: str, style: TextStyle, *, bullet: str | None = None, indent: float = 0.0,
                 keep_with_next: bool = False, lines: list[Line] | None = None):
        super().__init__()
        self.text = _COLLAPSIBLE.sub(" ", text).strip()
        self.style = style
        self.bullet = bullet
        self.indent = indent
        self.keepWithNext = keep_with_next
        self.spaceBefore = style.space_before
        self.spaceAfter = style.space_after
        self._broken = lines  # set on the parts of a split block
        self._lines: list[Line] = []
        self._wrapped_at: float | None = None
        self.fit_problems: list[str] = []

    def wrap(self, available_width, available_height):
        self.width = available_width
        if self._broken is not None:
            self._lines = self._broken
        elif self._wrapped_at != available_width:  # the breaker is costly: once per width
            too_wide: list[str] = []
            self._lines = break_lines(self.text, self.style, available_width - self.indent, too_wide)
            self.fit_problems = [f"'{word}' is wider than its column and was broken" for word in too_wide]
            self._wrapped_at = available_width
        self.height = len(self._lines) * self.style.leading
        return self.width, self.height

    def draw(self):
        baseline = self.height - first_baseline(self.style)
        if self.bullet:
            draw_line(self.canv, self.bullet, self.style, 0, baseline, self.indent)
        with _text_ink(self.canv, self.style):  # once for all the lines: its q, overprint and colour
            for line in self._lines:
                self.canv._code.append(_line_operators(self.canv, line, self.style, self.indent, baseline,
                                                       self.width - self.indent))
                baseline -= self.style.leading


class FigureTable(Block):
    """Key figures: the label, then the number aligned on its decimal separator, then the unit in its own column.

    ``rows`` are (label, (whole part, decimal part with any scale word, unit)). The columns are set by
    ``columns_of`` (every row of the table, when this is the part of it on one page): the rows on the next
    page took other columns than the rows above them.
    """

    def __init__(self, rows: list[tuple[str, tuple[str, str, str]]], label_style: TextStyle, value_style: TextStyle,
                 unit_style: TextStyle, rule_color: CMYKColor = BODY_BLACK, *,
                 columns_of: list[tuple[str, tuple[str, str, str]]] | None = None):
        super().__init__()
        self.rows = rows
        self.columns_of = columns_of or rows
        self.label_style = replace(label_style, justify=False, balance=False)
        self.value_style, self.unit_style = value_style, unit_style
        self.rule_color = rule_color  # rules, not tints: their place depends on the language, so 100 % K
        self.padding = 1.6 * mm
        self.spaceBefore = self.spaceAfter = label_style.leading * 0.6
        self.fit_problems: list[str] = []

    def _columns(self, available_width):
        v, u = self.value_style, self.unit_style
        whole = max(v.chain.width(w, v.size) for _, (w, _, _) in self.columns_of)
        rest = max(v.chain.width(r, v.size) for _, (_, r, _) in self.columns_of)
        unit = max((u.chain.width(t, u.size) for _, (_, _, t) in self.columns_of), default=0.0)
        # an em between the number and its unit: at a word space "1,29 triệu người" read as one phrase
        gap = u.size if unit else 0.0
        unit = min(unit, available_width * 0.3)
        group = whole + rest + gap + unit
        axis = available_width - self.padding - unit - gap - rest
        return axis, axis + rest + gap, unit, available_width - group - 4 * self.padding

    def wrap(self, available_width, available_height):
        self.width = available_width
        self._axis, self._unit_x, unit_width, label_width = self._columns(available_width)
        self._cells = []
        too_wide: list[str] = []
        for label, (whole, rest, unit) in self.rows:
            label_lines = break_lines(label, self.label_style, label_width, too_wide)
            unit_lines = break_lines(unit, self.unit_style, unit_width, too_wide) if unit else []
            height = max(len(label_lines) * self.label_style.leading, self.value_style.leading,
                         len(unit_lines) * self.unit_style.leading) + 2 * self.padding
            self._cells.append((label_lines, whole, rest, unit_lines, height))
        self.height = sum(cell[-1] for cell in self._cells)
        self.fit_problems = [f"key-figures table: '{word}' is wider than its column" for word in too_wide]
        return self.width, self.height

    def draw(self):
        canv = self.canv
        top = self.height
        v = self.value_style
        canv.saveState()
        overprint(canv, self.rule_color)
        canv.setStrokeColor(self.rule_color)
        canv.setLineWidth(0.3)
        for index, (_, _, _, _, height) in enumerate(self._cells[:-1]):
            top -= height
            canv.line(0, top, self.width, top)
        canv.setLineWidth(0.8)
        canv.line(0, self.height, self.width, self.height)
        canv.line(0, 0, self.width, 0)
        canv.restoreState()
        top = self.height
        for index, (label_lines, whole, rest, unit_lines, height) in enumerate(self._cells):
            baseline = top - self.padding - first_baseline(self.label_style)
            for line in label_lines:
                draw_broken_line(canv, line, self.label_style, self.padding, baseline, 0)
                baseline -= self.label_style.leading
            baseline = top - self.padding - first_baseline(v)
            draw_line(canv, whole, replace(v, align="right"), 0, baseline, self._axis)
            if rest:
                draw_line(canv, rest, v, self._axis, baseline, 0)
            baseline = top - self.padding - first_baseline(self.unit_style)
            for line in unit_lines:
                draw_broken_line(canv, line, self.unit_style, self._unit_x, baseline, 0)
                baseline -= self.unit_style.leading
            top -= height
