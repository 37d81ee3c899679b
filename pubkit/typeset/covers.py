"""Pieces of the cover and back cover: a vector QR code of the portal's address, and logos.

The QR code's modules come from ``segno`` (ISO/IEC 18004 encoding, error correction level M, the
smallest version that holds the address) and are drawn here as filled rectangles, one per
horizontal run of dark modules, in 100 % K with overprint: a vector code stays sharp at any
platesetter resolution (a bitmap would be resampled), and K-only ink keeps it on the black plate,
which differs between languages anyway since each edition's code opens its own portal page.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pubkit.typeset import images
from pubkit.typeset.blocks import BODY_BLACK, overprint

QUIET_MODULES = 4  # the clear margin ISO/IEC 18004 asks around a QR code, in modules


@lru_cache(maxsize=32)
def qr_matrix(url: str) -> tuple[tuple[bool, ...], ...]:
    """Dark (True) and light modules of ``url``'s QR code, top row first, without the quiet zone.

    Kept in the build cache: importing segno (it loads urllib and the email package) and encoding
    took 0.04-0.1 s of a one-edition rebuild that needs the code only to measure the back cover."""
    from pubkit import cache

    def encoded():
        import segno

        code = segno.make(url, error="m", micro=False, boost_error=False)
        return tuple(tuple(bool(module) for module in row) for row in code.matrix)

    key = cache.key("qr", url, "error=m", cache.package_version("segno"))
    return cache.remembered_object("qr", key, encoded, lambda found: isinstance(found, tuple))


def dark_runs(matrix: tuple[tuple[bool, ...], ...]) -> list[tuple[int, int, int]]:
    """(row, first column, length) of every horizontal run of dark modules."""
    runs = []
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                runs.append((r, start, c - start))
            else:
                c += 1
    return runs


def draw_qr(canv, url: str, x: float, y: float, size: float) -> None:
    """The QR code of ``url`` as a ``size`` × ``size`` square whose lower-left corner is (x, y).

    The caller keeps :data:`QUIET_MODULES` modules around it free of ink (:func:`quiet_zone`).
    """
    matrix = qr_matrix(url)
    module = size / len(matrix)
    path = canv.beginPath()
    for r, c, length in dark_runs(matrix):
        path.rect(x + c * module, y + size - (r + 1) * module, length * module, module)
    canv.saveState()
    overprint(canv, BODY_BLACK)
    canv.setFillColor(BODY_BLACK)
    canv.drawPath(path, stroke=0, fill=1)
    canv.restoreState()


def quiet_zone(url: str, size: float) -> float:
    """The width of the clear margin a ``size`` code of ``url`` needs on every side."""
    return QUIET_MODULES * size / len(qr_matrix(url))


def url_lines(url: str, fits) -> list[str]:
    """``url`` in lines that ``fits(text)`` accepts, broken after a slash (the usual rule for printed
    addresses: a reader sees the line goes on); a part with no slash that is still too long stays
    whole here and is broken between characters by the line breaker."""
    parts = re.findall(r"[^/]*/+|[^/]+", url)
    lines = [parts[0]]
    for part in parts[1:]:
        if fits(lines[-1] + part):
            lines[-1] += part
        else:
            lines.append(part)
    return lines


def draw_logo(canv, picture, x: float, top: float, height: float, max_width: float, align: str = "left") -> float:
    """A logo ``height`` high (narrower if it would exceed ``max_width``), top at ``top``; returns its width.

    ``picture`` is the print image from :func:`pubkit.typeset.images.load_cmyk`.
    """
    width = height * picture.width / picture.height
    if width > max_width:
        width, height = max_width, max_width * picture.height / picture.width
    left = x + (max_width - width if align == "right" else 0.0)
    images.draw(canv, picture, left, top - height, width=width, height=height)
    return width


def fill_box(canv, picture, x0: float, y0: float, x1: float, y1: float) -> None:
    """``picture`` scaled to cover the box (x0, y0)–(x1, y1), its foot on the box's foot, what overhangs clipped.

    Cover pictures keep their foreground (the foot) and lose sky or margin at the top.
    """
    scale = max((x1 - x0) / picture.width, (y1 - y0) / picture.height)
    width, height = picture.width * scale, picture.height * scale
    canv.saveState()
    clip = canv.beginPath()
    clip.rect(x0, y0, x1 - x0, y1 - y0)
    canv.clipPath(clip, stroke=0, fill=0)
    images.draw(canv, picture, (x0 + x1 - width) / 2, y0, width=width, height=height)
    canv.restoreState()
