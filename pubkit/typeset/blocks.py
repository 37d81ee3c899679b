"""The flowables pubkit lays out: text blocks, key-figure tables and captioned images.

Text is broken into lines here rather than by ReportLab's Paragraph, whose CJK wrap breaks
Korean inside words and lets closing punctuation start a line (measured: 722 bad Korean
breaks in 704 lines; 14 of 655 Chinese lines starting with ，！？：；》〉). Lines are filled
greedily from the units of :mod:`pubkit.typeset.linebreak`, each character set in the first
font of the chain that has it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from reportlab.lib.colors import CMYKColor
from reportlab.lib.units import mm
from reportlab.platypus.flowables import Flowable

from pubkit.typeset.fonts import FontChain
from pubkit.typeset.linebreak import BREAKING_SPACES, break_units

_COLLAPSIBLE = re.compile(r"[ \t\r\n]+")  # not NO-BREAK SPACE, which must survive
BODY_BLACK = CMYKColor(0, 0, 0, 1)  # 100 % K: no rich black in text


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


def break_lines(text: str, style: TextStyle, width: float, too_wide: list[str] | None = None) -> list[str]:
    """Greedy line filling; a unit wider than the line is split between characters and added to ``too_wide``."""
    lines: list[str] = []
    line, line_width = "", 0.0
    for unit in break_units(text, style.wrap):
        body = unit.rstrip("".join(BREAKING_SPACES))
        body_width = style.chain.width(body, style.size)
        if line and line_width + body_width > width:
            lines.append(line.rstrip())
            line, line_width = "", 0.0
        if body_width > width:  # an over-long URL or word: break it anywhere, and say so
            if too_wide is not None:
                too_wide.append(body)
            for char in unit:
                char_width = style.chain.width(char, style.size)
                if line and line_width + char_width > width:
                    lines.append(line.rstrip())
                    line, line_width = "", 0.0
                line += char
                line_width += char_width
            continue
        line += unit
        line_width += style.chain.width(unit, style.size)
    if line.strip():
        lines.append(line.rstrip())
    return lines


def draw_line(canv, text: str, style: TextStyle, x: float, baseline: float, width: float) -> None:
    """Draw one line of text at ``baseline``, aligned within ``width``."""
    if style.align != "left":
        slack = width - style.chain.width(text, style.size)
        x += slack if style.align == "right" else slack / 2
    canv.setFillColor(style.color)
    textobject = canv.beginText(x, baseline)
    for font_name, run in style.chain.runs(text):
        textobject.setFont(font_name, style.size, style.leading)
        textobject.textOut(run)
    canv.drawText(textobject)


def first_baseline(style: TextStyle) -> float:
    """Distance from the top of a line box to its baseline."""
    return style.leading - (style.leading - style.size) / 2 - 0.22 * style.size


class TextBlock(Flowable):
    """A paragraph, heading or bullet: wraps, splits across frames (no widows or orphans), draws."""

    def __init__(self, text: str, style: TextStyle, *, bullet: str | None = None, indent: float = 0.0,
                 keep_with_next: bool = False, lines: list[str] | None = None):
        super().__init__()
        self.text = _COLLAPSIBLE.sub(" ", text).strip()
        self.style = style
        self.bullet = bullet
        self.indent = indent
        self.keepWithNext = keep_with_next
        self.spaceBefore = style.space_before
        self.spaceAfter = style.space_after
        self._broken = lines  # set on the parts of a split block
        self._lines: list[str] = []
        self.fit_problems: list[str] = []

    def wrap(self, available_width, available_height):
        self.width = available_width
        too_wide: list[str] = []
        self._lines = self._broken or break_lines(self.text, self.style, available_width - self.indent, too_wide)
        self.fit_problems = [f"'{word}' is wider than its column and was broken" for word in too_wide]
        self.height = len(self._lines) * self.style.leading
        return self.width, self.height

    def split(self, available_width, available_height):
        self.wrap(available_width, available_height)
        fit = int((available_height + 0.01) // self.style.leading)
        if len(self._lines) < 4 or fit < 2:
            return []
        fit = min(fit, len(self._lines) - 2)
        head = TextBlock(self.text, self.style, bullet=self.bullet, indent=self.indent, lines=self._lines[:fit])
        tail = TextBlock(self.text, self.style, indent=self.indent, keep_with_next=self.keepWithNext,
                         lines=self._lines[fit:])
        head.spaceAfter = tail.spaceBefore = 0
        return [head, tail]

    def draw(self):
        baseline = self.height - first_baseline(self.style)
        if self.bullet:
            draw_line(self.canv, self.bullet, self.style, 0, baseline, self.indent)
        for line in self._lines:
            draw_line(self.canv, line, self.style, self.indent, baseline, self.width - self.indent)
            baseline -= self.style.leading


class FigureTable(Flowable):
    """Key figures: label on the left, the locale-formatted value and unit on the right."""

    LABEL_SHARE = 0.58

    def __init__(self, rows: list[tuple[str, str]], label_style: TextStyle, value_style: TextStyle,
                 rule_color: CMYKColor, tint: CMYKColor):
        super().__init__()
        self.rows = rows
        self.label_style, self.value_style = label_style, replace(value_style, align="right")
        self.rule_color, self.tint = rule_color, tint
        self.padding = 1.6 * mm
        self.spaceBefore = self.spaceAfter = label_style.leading * 0.6
        self.fit_problems: list[str] = []

    def wrap(self, available_width, available_height):
        self.width = available_width
        label_width = available_width * self.LABEL_SHARE - 2 * self.padding
        value_width = available_width * (1 - self.LABEL_SHARE) - 2 * self.padding
        self._cells = []
        too_wide: list[str] = []
        for label, value in self.rows:
            label_lines = break_lines(label, self.label_style, label_width, too_wide)
            value_lines = break_lines(value, self.value_style, value_width, too_wide)
            height = max(len(label_lines) * self.label_style.leading,
                         len(value_lines) * self.value_style.leading) + 2 * self.padding
            self._cells.append((label_lines, value_lines, height))
        self.height = sum(cell[2] for cell in self._cells)
        self.fit_problems = [f"key-figures table: '{word}' is wider than its column" for word in too_wide]
        return self.width, self.height

    def split(self, available_width, available_height):
        self.wrap(available_width, available_height)
        used, count = 0.0, 0
        for _, _, height in self._cells:
            if used + height > available_height:
                break
            used, count = used + height, count + 1
        if count < 2 or len(self.rows) - count < 2:
            return []
        head, tail = self.rows[:count], self.rows[count:]
        return [FigureTable(part, self.label_style, self.value_style, self.rule_color, self.tint)
                for part in (head, tail)]

    def draw(self):
        canv = self.canv
        top = self.height
        label_x = self.padding
        value_x = self.width * self.LABEL_SHARE + self.padding
        value_width = self.width * (1 - self.LABEL_SHARE) - 2 * self.padding
        for index, (label_lines, value_lines, height) in enumerate(self._cells):
            if index % 2 == 0:
                canv.setFillColor(self.tint)
                canv.rect(0, top - height, self.width, height, stroke=0, fill=1)
            baseline = top - self.padding - first_baseline(self.label_style)
            for line in label_lines:
                draw_line(canv, line, self.label_style, label_x, baseline, 0)
                baseline -= self.label_style.leading
            baseline = top - self.padding - first_baseline(self.value_style)
            for line in value_lines:
                draw_line(canv, line, self.value_style, value_x, baseline, value_width)
                baseline -= self.value_style.leading
            top -= height
        canv.setStrokeColor(self.rule_color)
        canv.setLineWidth(0.8)
        canv.line(0, self.height, self.width, self.height)
        canv.line(0, 0, self.width, 0)


class CaptionedImage(Flowable):
    """An image at its placed width, in CMYK, with its caption kept on the same page."""

    def __init__(self, image, placed_width: float, caption: str | None, caption_style: TextStyle):
        super().__init__()
        self.image = image  # a CMYK PIL image
        self.placed_width = placed_width
        self.caption = TextBlock(caption, caption_style) if caption else None
        self.gap = 2 * mm
        self.spaceBefore = self.spaceAfter = caption_style.leading * 0.8
        self.fit_problems: list[str] = []

    def wrap(self, available_width, available_height):
        self.draw_width = min(self.placed_width, available_width)
        self.image_height = self.draw_width * self.image.height / self.image.width
        caption_height = self.caption.wrap(self.draw_width, available_height)[1] + self.gap if self.caption else 0
        self.width, self.height = available_width, self.image_height + caption_height
        if self.image_height <= available_height < self.height and self.caption:
            self.fit_problems = [f"the caption '{self.caption.text[:40]}…' pushes its image to the next page"]
        return self.width, self.height

    def draw(self):
        from reportlab.lib.utils import ImageReader

        self.canv.drawImage(ImageReader(self.image), 0, self.height - self.image_height,
                            width=self.draw_width, height=self.image_height)
        if self.caption:
            self.caption.drawOn(self.canv, 0, 0)
