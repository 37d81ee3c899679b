"""Page geometry for print: trim, bleed, a slug for crop marks, and the PDF boxes.

The MediaBox is the trimmed page plus bleed plus a slug wide enough for crop marks; the
TrimBox and BleedBox sit inside it. Content is positioned from the trim origin. (ReportLab's
own ``bleedWidth`` option scales the page content instead of adding bleed, so it is not used.)
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.colors import CMYKColor
from reportlab.lib.units import mm

REGISTRATION = CMYKColor(1, 1, 1, 1)  # crop marks print on every separation
MARK_LENGTH = 5 * mm
MARK_GAP = 2 * mm  # between the bleed edge and the start of a mark
SLUG = 10 * mm  # beyond the bleed: room for the marks


@dataclass(frozen=True)
class Geometry:
    trim_width: float
    trim_height: float
    bleed: float
    slug: float = SLUG  # wider in a review proof, for the segment ids beside the text

    @classmethod
    def from_mm(cls, trim_mm: tuple[float, float], bleed_mm: float, slug: float = SLUG) -> Geometry:
        return cls(trim_mm[0] * mm, trim_mm[1] * mm, bleed_mm * mm, slug)

    @property
    def origin(self) -> float:
        """Offset of the trim box's lower-left corner from the media box's."""
        return self.slug + self.bleed

    @property
    def media_size(self) -> tuple[float, float]:
        return self.trim_width + 2 * self.origin, self.trim_height + 2 * self.origin

    @property
    def trim_box(self) -> tuple[float, float, float, float]:
        o = self.origin
        return o, o, o + self.trim_width, o + self.trim_height

    @property
    def bleed_box(self) -> tuple[float, float, float, float]:
        x0, y0, x1, y1 = self.trim_box
        b = self.bleed
        return x0 - b, y0 - b, x1 + b, y1 + b

    def draw_crop_marks(self, canv) -> None:
        """Eight marks on the trim lines, starting outside the bleed."""
        x0, y0, x1, y1 = self.trim_box
        start = self.bleed + MARK_GAP
        end = start + MARK_LENGTH
        canv.saveState()
        canv.setStrokeColor(REGISTRATION)
        canv.setLineWidth(0.25)
        for x, y, sx, sy in ((x0, y0, -1, -1), (x1, y0, 1, -1), (x0, y1, -1, 1), (x1, y1, 1, 1)):
            canv.line(x, y + sy * start, x, y + sy * end)
            canv.line(x + sx * start, y, x + sx * end, y)
        canv.restoreState()
