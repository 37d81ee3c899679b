"""Web images: sRGB WebP in two widths (and a JPEG for link previews), made from the source files.

Never from the print edition's CMYK conversions: a source in RGB is only converted to sRGB when
it carries another profile; a CMYK source goes through its own profile, else the project's
output profile.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pubkit.errors import PubkitError
from pubkit.project import require_image_file
from pubkit.typeset.images import opaque_8_bit

MAX_PIXELS = 80_000_000  # as print: larger is treated as a decompression bomb
LARGE, SMALL = 1280, 640  # srcset widths (px); a smaller source gives its own width and half of it
OG_SIZE = (1200, 630)
WEBP_QUALITY = 82


@dataclass(frozen=True)
class Variant:
    url: str  # relative to the site root
    width: int
    height: int
    data: bytes


@dataclass(frozen=True)
class WebImage:
    variants: tuple[Variant, ...]  # small first

    @property
    def largest(self) -> Variant:
        return self.variants[-1]


def _open_srgb(path: Path, *, spec_file: Path, key: str, line: int | None, cmyk_profile: bytes | None):
    from PIL import Image, ImageCms, UnidentifiedImageError

    require_image_file(path, spec_file=spec_file, key=key, line=line)
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(path) as image:
            image.load()
            embedded = image.info.get("icc_profile")
            image = opaque_8_bit(image)
            srgb = ImageCms.createProfile("sRGB")
            if image.mode == "CMYK":
                source = embedded or cmyk_profile
                if source:
                    return ImageCms.profileToProfile(image, ImageCms.ImageCmsProfile(io.BytesIO(source)), srgb,
                                                     renderingIntent=0, outputMode="RGB")
                return image.convert("RGB")
            rgb = image.convert("RGB")
            if embedded and image.mode in ("RGB", "RGBA"):
                try:
                    return ImageCms.profileToProfile(rgb, ImageCms.ImageCmsProfile(io.BytesIO(embedded)), srgb,
                                                     renderingIntent=0, outputMode="RGB")
                except ImageCms.PyCMSError:  # a broken embedded profile: treat it as sRGB, as browsers do
                    pass
            return rgb
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PubkitError(f"image {path.name} is too large (over {MAX_PIXELS:,} pixels)", file=spec_file, line=line,
                          key=key, fix="scale it to 300 ppi at its printed size") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise PubkitError(f"image {path.name} cannot be read ({exc.__class__.__name__})", file=spec_file,
                          line=line, key=key, fix="re-export it as PNG, JPEG or TIFF") from None


def _stem(path: Path, data: bytes) -> str:
    name = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "image"
    return f"assets/img/{name}-{hashlib.sha256(data).hexdigest()[:10]}"


def _encode(image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "webp":
        image.save(out, "WEBP", quality=WEBP_QUALITY, method=6)
    else:
        image.save(out, "JPEG", quality=85, optimize=True, progressive=True)
    return out.getvalue()


@lru_cache(maxsize=64)
def _web_image(path: Path, size: int, mtime: int, spec_file: Path, key: str, line: int | None,
               cmyk_profile: bytes | None) -> WebImage:
    from PIL import Image

    image = _open_srgb(path, spec_file=spec_file, key=key, line=line, cmyk_profile=cmyk_profile)
    stem = _stem(path, path.read_bytes())
    large = min(image.width, LARGE)
    widths = sorted({max(1, min(SMALL, large // 2)), large})
    variants = []
    for width in widths:
        height = max(1, round(image.height * width / image.width))
        scaled = image if width == image.width else image.resize((width, height), Image.Resampling.LANCZOS)
        variants.append(Variant(f"{stem}-{width}.webp", width, height, _encode(scaled, "webp")))
    return WebImage(tuple(variants))


def web_image(path: Path, *, spec_file: Path, key: str, line: int | None = None,
              cmyk_profile: bytes | None = None) -> WebImage:
    """``path`` as sRGB WebP at two widths (cached per file, size and modification time)."""
    stat = path.stat() if path.is_file() else None
    return _web_image(path, stat.st_size if stat else -1, stat.st_mtime_ns if stat else -1, spec_file, key, line,
                      cmyk_profile)


def preview_image(path: Path, *, spec_file: Path, key: str, line: int | None = None,
                  cmyk_profile: bytes | None = None) -> Variant:
    """A 1200 × 630 JPEG cut from the middle of ``path``, for Open Graph link previews."""
    from PIL import ImageOps

    image = _open_srgb(path, spec_file=spec_file, key=key, line=line, cmyk_profile=cmyk_profile)
    fitted = ImageOps.fit(image, OG_SIZE, method=3, centering=(0.5, 0.6))
    return Variant(f"{_stem(path, path.read_bytes())}-og.jpg", *OG_SIZE, _encode(fitted, "jpeg"))
