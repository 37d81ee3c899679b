"""Marks of a review proof (``pubkit proof``): never drawn in a print edition.

A review proof is the edition laid out from the same page plan as print, on a page with a wider
slug. Beside where each segment starts, the slug gives its id (its spec path, as the review
spreadsheet's *id* column and the PO files' ``#.`` comments say it) and, when it is not
reviewed, its state; a segment that is not reviewed gets a tint behind it and a bar in the
margin: yellow for an unreviewed translation or machine draft, orange for a stale one, red for a
missing one (the Vietnamese source is shown). Every page says *REVIEW – not for print*.

The typesetter calls :meth:`Marks.block` before it draws a flowable that carries a ``segment``
(a spec path) or, for a key-figures table, ``segments`` (per row, the label's and unit's paths),
and :meth:`Marks.finish` when a page is done.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.lib.colors import CMYKColor
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

REVIEW_MARK = "REVIEW – not for print"
REVIEW_SLUG = 46 * mm  # room beside the bleed for ids such as sections[10].content[12].figures[3].label
TINTS = {
    "unreviewed": CMYKColor(0, 0.02, 0.38, 0),
    "machine draft": CMYKColor(0, 0.02, 0.38, 0),
    "stale": CMYKColor(0, 0.22, 0.45, 0),
    "missing": CMYKColor(0, 0.32, 0.14, 0),
}
INKS = {  # the bar in the margin and the state's word in the slug
    "unreviewed": CMYKColor(0, 0.2, 1, 0.15),
    "machine draft": CMYKColor(0, 0.2, 1, 0.15),
    "stale": CMYKColor(0, 0.6, 1, 0),
    "missing": CMYKColor(0, 0.95, 0.6, 0.05),
}
MARK_INK = CMYKColor(0, 0.95, 0.6, 0.05)
LABEL_INK = CMYKColor(0, 0, 0, 0.8)
LEADER_INK = CMYKColor(0, 0, 0, 0.35)
LABEL_SIZE = 5.5
LABEL_FONT, STATE_FONT = "Helvetica", "Helvetica-Bold"
LEGEND = ("ids: spec paths (the review sheet's id column)  ·  tint: yellow unreviewed or machine draft, "
          "orange stale, red missing (Vietnamese source shown)")


@dataclass(frozen=True)
class Review:
    """What a review proof marks: the review state of every segment, by spec path."""

    states: dict[str, str]  # spec path → reviewed, unreviewed, machine draft, stale, missing
    title: str = ""         # e.g. "thai-nguyen ja", in each page's slug


@dataclass
class _Label:
    right: bool      # in the right-hand slug
    y: float         # the segment's first baseline
    x: float         # where the leader meets the text
    path: str
    state: str


@dataclass
class Marks:
    review: Review
    geometry: object
    labels: list[_Label] = field(default_factory=list)

    def state(self, path: str | None) -> str:
        return self.review.states.get(path, "reviewed") if path else "reviewed"

    def block(self, canv, flowable, x: float, y: float) -> None:
        """Before ``flowable`` is drawn at (x, y): its tint if unreviewed, and its id where it starts."""
        width, height = getattr(flowable, "width", 0.0), getattr(flowable, "height", 0.0)
        starts = getattr(flowable, "first_unit", 0) == 0
        rows = getattr(flowable, "segments", None)
        if rows is not None:  # a key-figures table: one band per row (label and unit)
            top = y + height
            for paths, cell in zip(rows, flowable._cells):
                self._segment(canv, [path for path in paths if path], x, top - cell[-1], width, cell[-1],
                              first_baseline=top - 1.6 * mm - LABEL_SIZE, starts=True)
                top -= cell[-1]
            return
        path = getattr(flowable, "segment", None)
        if path:
            style = getattr(flowable, "style", None)
            size = style.size if style else 9.0
            self._segment(canv, [path], x, y, width, height, first_baseline=y + height - size, starts=starts)

    def _segment(self, canv, paths: list[str], x, y, width, height, *, first_baseline: float, starts: bool) -> None:
        states = [self.state(path) for path in paths]
        worst = next((s for s in ("missing", "stale", "machine draft", "unreviewed") if s in states), "reviewed")
        if worst != "reviewed":
            canv.saveState()
            canv.setFillColor(TINTS[worst])
            canv.rect(x - 1 * mm, y - 0.6 * mm, width + 2 * mm, height + 1.2 * mm, stroke=0, fill=1)
            canv.setFillColor(INKS[worst])
            canv.rect(x - 2.6 * mm, y - 0.6 * mm, 1 * mm, height + 1.2 * mm, stroke=0, fill=1)
            canv.restoreState()
        if starts:
            g = self.geometry
            right = x > g.origin + g.trim_width / 2
            for path, state in zip(paths, states):
                self.labels.append(_Label(right, first_baseline, x + width + 1 * mm if right else x - 3 * mm,
                                          path, state))

    def finish(self, canv) -> None:
        """The page's ids in the slug, and the REVIEW mark; the labels start again on the next page."""
        g = self.geometry
        x0, y0, x1, y1 = g.bleed_box
        for right in (False, True):
            labels = sorted((label for label in self.labels if label.right == right), key=lambda label: -label.y)
            lowest = y1 + 2 * mm
            for label in labels:
                lines = [(label.path, LABEL_FONT, LABEL_INK)]
                if label.state != "reviewed":
                    lines.append((label.state, STATE_FONT, INKS[label.state]))
                y = min(label.y, lowest - LABEL_SIZE * 1.25)
                lowest = y - (len(lines) - 1) * LABEL_SIZE * 1.15
                edge = x1 + 3 * mm if right else x0 - 3 * mm
                room = g.slug - 5 * mm
                for index, (text, font, ink) in enumerate(lines):
                    size = min(LABEL_SIZE, LABEL_SIZE * room / max(stringWidth(text, font, LABEL_SIZE), 1))
                    width = stringWidth(text, font, size)
                    canv.setFillColor(ink)
                    canv.setFont(font, size)
                    baseline = y - index * LABEL_SIZE * 1.15
                    canv.drawString(edge if right else edge - width, baseline, text)
                canv.saveState()
                canv.setStrokeColor(LEADER_INK)
                canv.setLineWidth(0.3)
                canv.setDash(1, 1.5)
                canv.line(edge - 0.8 * mm if right else edge + 0.8 * mm, y + LABEL_SIZE * 0.3,
                          label.x, label.y + LABEL_SIZE * 0.3)
                canv.restoreState()
        self.labels = []
        canv.setFillColor(MARK_INK)
        canv.setFont(STATE_FONT, 10)
        canv.drawString(x0, y1 + 9 * mm, f"{REVIEW_MARK}  ·  {self.review.title}" if self.review.title else REVIEW_MARK)
        canv.setFillColor(LABEL_INK)
        canv.setFont(LABEL_FONT, 6)
        canv.drawString(x0, y0 - 11 * mm, LEGEND)
