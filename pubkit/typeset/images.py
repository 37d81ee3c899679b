"""Images for print: safe loading, CMYK conversion and effective-resolution checks."""

from __future__ import annotations

from pathlib import Path

from pubkit.errors import PubkitError

MAX_PIXELS = 80_000_000  # about 30 × 40 cm at 600 ppi; larger is treated as a decompression bomb
WARN_PPI = 300


def load_cmyk(path: Path, *, spec_file: Path, key: str, line: int | None = None):
    """Open an image file and return it as a CMYK PIL image, or fail with the spec place."""
    from PIL import Image, UnidentifiedImageError

    if not path.is_file():
        raise PubkitError(f"image not found: {path.name}", file=spec_file, line=line, key=key,
                          fix="check the file name, or put the image in assets/")
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(path) as image:
            image.load()
            return _to_cmyk(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PubkitError(f"image {path.name} is too large (over {MAX_PIXELS:,} pixels)", file=spec_file, line=line, key=key,
                          fix="scale it to 300 ppi at its printed size") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise PubkitError(f"image {path.name} cannot be read ({exc.__class__.__name__})", file=spec_file,
                          line=line, key=key, fix="re-export it as PNG, JPEG or TIFF") from None


def _to_cmyk(image):
    from PIL import Image

    if image.mode == "CMYK":
        return image.copy()
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        image = image.point(lambda value: value / 256).convert("L")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        image = flat
    return image.convert("RGB").convert("CMYK")


def effective_ppi(image, placed_width_mm: float) -> float:
    return image.width / (placed_width_mm / 25.4)
