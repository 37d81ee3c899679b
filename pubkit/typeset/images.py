"""Images for print: safe loading, CMYK conversion and effective-resolution checks."""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from pubkit.errors import PubkitError
from pubkit.project import require_image_file

MAX_PIXELS = 80_000_000  # about 30 × 40 cm at 600 ppi; larger is treated as a decompression bomb


def load_cmyk(path: Path, *, spec_file: Path, key: str, line: int | None = None, profile: bytes | None = None):
    """Open an image file and return it as a CMYK PIL image, or fail with the spec place.

    Converted images are kept for the process (keyed by path, size and mtime), so the five
    editions of a brochure convert each image once.

    With ``profile`` (the output CMYK ICC profile) colours are converted through ICC: from the
    image's own embedded profile, else sRGB; without it, Pillow's naive formula is used.
    """
    require_image_file(path, spec_file=spec_file, key=key, line=line)
    stat = path.stat()
    return _load_cmyk_cached(path, stat.st_size, stat.st_mtime_ns, profile, spec_file, key, line)


@lru_cache(maxsize=64)
def _load_cmyk_cached(path: Path, size: int, mtime: int, profile: bytes | None, spec_file: Path, key: str,
                      line: int | None):
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(path) as image:
            image.load()
            return _to_cmyk(image, profile)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PubkitError(f"image {path.name} is too large (over {MAX_PIXELS:,} pixels)", file=spec_file, line=line, key=key,
                          fix="scale it to 300 ppi at its printed size") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise PubkitError(f"image {path.name} cannot be read ({exc.__class__.__name__})", file=spec_file,
                          line=line, key=key, fix="re-export it as PNG, JPEG or TIFF") from None


def opaque_8_bit(image):
    """16-bit greys scaled to 8 bits, and transparency flattened onto white paper (print and web alike)."""
    from PIL import Image

    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        image = image.point(lambda value: value / 256).convert("L")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        image = flat
    return image


def _to_cmyk(image, profile: bytes | None):
    if image.mode == "CMYK":
        return image.copy()
    embedded = image.info.get("icc_profile") if image.mode in ("RGB", "RGBA") else None
    rgb = opaque_8_bit(image).convert("RGB")
    if profile is None:
        return rgb.convert("CMYK")
    from PIL import ImageCms

    try:
        transform = _transform(embedded, profile)
    except ImageCms.PyCMSError:  # a broken embedded profile: treat the image as sRGB, as browsers do
        transform = _transform(None, profile)
    return ImageCms.applyTransform(rgb, transform)


@lru_cache(maxsize=8)
def _transform(source_profile: bytes | None, output_profile: bytes):
    """An RGB→CMYK transform, perceptual with black-point compensation (cached: building one costs ~50 ms)."""
    from PIL import ImageCms

    source = (ImageCms.ImageCmsProfile(io.BytesIO(source_profile)) if source_profile
              else ImageCms.createProfile("sRGB"))
    target = ImageCms.ImageCmsProfile(io.BytesIO(output_profile))
    return ImageCms.buildTransform(source, target, "RGB", "CMYK", renderingIntent=ImageCms.Intent.PERCEPTUAL,
                                   flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)



def pixel_size(path: Path, *, spec_file: Path, key: str, line: int | None = None) -> tuple[int, int]:
    """Width and height in pixels, from the file's header (for planning; drawing loads it with :func:`load_cmyk`)."""
    from PIL import Image, UnidentifiedImageError

    if not path.is_file():
        load_cmyk(path, spec_file=spec_file, key=key, line=line)  # the same one-line error
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(path) as image:
            width, height = image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning, UnidentifiedImageError, OSError,
            SyntaxError, ValueError):
        return load_cmyk(path, spec_file=spec_file, key=key, line=line).size  # its one-line error
    if width * height > MAX_PIXELS:
        return load_cmyk(path, spec_file=spec_file, key=key, line=line).size
    return width, height
