"""Preview contact sheets: the same page of every edition side by side, so text expansion shows at a glance.

Pages are rendered with pypdfium2 (PDFium), cropped to the trim box, and laid out in a grid:
one row per page, one column per language.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw

from pubkit.files import write_atomic

GAP = 12


def render_trimmed(pdf: Path, scale: float) -> list[Image.Image]:
    """Every page of ``pdf`` as an RGB image cropped to its TrimBox."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    pages = []
    try:
        for page in document:
            media_left, media_bottom, _, media_top = page.get_mediabox()
            left, bottom, right, top = page.get_trimbox()
            image = page.render(scale=scale).to_pil().convert("RGB")
            box = ((left - media_left) * scale, (media_top - top) * scale,
                   (right - media_left) * scale, (media_top - bottom) * scale)
            pages.append(image.crop(tuple(round(v) for v in box)))
    finally:
        document.close()
    return pages


def contact_sheet(editions: dict[str, Path], *, scale: float = 0.35) -> Image.Image:
    """One row per page, one column per edition (labelled with its language code)."""
    rendered = {language: render_trimmed(path, scale) for language, path in editions.items()}
    cell_w = max(page.width for pages in rendered.values() for page in pages)
    cell_h = max(page.height for pages in rendered.values() for page in pages)
    rows = max(len(pages) for pages in rendered.values())
    label = 18
    sheet = Image.new("RGB", (GAP + len(rendered) * (cell_w + GAP), label + GAP + rows * (cell_h + GAP)), "#d9d9d9")
    draw = ImageDraw.Draw(sheet)
    for column, (language, pages) in enumerate(rendered.items()):
        x = GAP + column * (cell_w + GAP)
        draw.text((x, 4), language, fill="black")
        for row, page in enumerate(pages):
            sheet.paste(page, (x, label + GAP + row * (cell_h + GAP)))
    return sheet


def write_contact_sheet(editions: dict[str, Path], target: Path, *, scale: float = 0.35) -> Path:
    buffer = io.BytesIO()
    contact_sheet(editions, scale=scale).save(buffer, format="PNG", optimize=True)
    write_atomic(target, buffer.getvalue())
    return target
