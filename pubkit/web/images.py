"""Web images: sRGB WebP in two widths (and a JPEG for link previews), made from the source files.

Never from the print edition's CMYK conversions: a source in RGB is only converted to sRGB when
it carries another profile; a CMYK source goes through its own profile, else the project's
output profile. The encoded files are kept in the build cache (:mod:`pubkit.cache`) by the
source's content, the profile and Pillow's version: decoding, converting, resizing and encoding
the demo's two pictures was 0.57 of the 1.8 profiled seconds of ``pubkit web`` with warm fonts.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pubkit import cache
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


def _stem(path: Path) -> str:
    name = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "image"
    return f"assets/img/{name}-{cache.file_digest(path)[:10]}"


def _encoded(form: str, path: Path, cmyk_profile: bytes | None, make) -> list[tuple[int, int, bytes]]:
    """``make()``'s (width, height, file) list for ``path`` in ``form``, from the build cache when it holds it."""
    import PIL

    entry_key = cache.key("web-image", form, cache.file_digest(path),
                          hashlib.sha256(cmyk_profile).hexdigest() if cmyk_profile else "-",
                          f"pillow={PIL.__version__};{LARGE};{SMALL};{WEBP_QUALITY};{OG_SIZE}")
    return cache.remembered_object("web-images", entry_key, make, lambda found: isinstance(found, list) and all(
        isinstance(item, tuple) and len(item) == 3 for item in found))


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
    def make() -> list[tuple[int, int, bytes]]:
        from PIL import Image

        image = _open_srgb(path, spec_file=spec_file, key=key, line=line, cmyk_profile=cmyk_profile)
        large = min(image.width, LARGE)
        made = []
        for width in sorted({max(1, min(SMALL, large // 2)), large}):
            height = max(1, round(image.height * width / image.width))
            scaled = image if width == image.width else image.resize((width, height), Image.Resampling.LANCZOS)
            made.append((width, height, _encode(scaled, "webp")))
        return made

    stem = _stem(path)
    return WebImage(tuple(Variant(f"{stem}-{width}.webp", width, height, data)
                          for width, height, data in _encoded("webp", path, cmyk_profile, make)))


def web_image(path: Path, *, spec_file: Path, key: str, line: int | None = None,
              cmyk_profile: bytes | None = None) -> WebImage:
    """``path`` as sRGB WebP at two widths (kept per process by file, size and modification time)."""
    require_image_file(path, spec_file=spec_file, key=key, line=line)
    stat = path.stat()
    return _web_image(path, stat.st_size, stat.st_mtime_ns, spec_file, key, line, cmyk_profile)


def preview_image(path: Path, *, spec_file: Path, key: str, line: int | None = None,
                  cmyk_profile: bytes | None = None) -> Variant:
    """A 1200 × 630 JPEG cut from the middle of ``path``, for Open Graph link previews."""
    require_image_file(path, spec_file=spec_file, key=key, line=line)

    def make() -> list[tuple[int, int, bytes]]:
        from PIL import ImageOps

        image = _open_srgb(path, spec_file=spec_file, key=key, line=line, cmyk_profile=cmyk_profile)
        return [(*OG_SIZE, _encode(ImageOps.fit(image, OG_SIZE, method=3, centering=(0.5, 0.6)), "jpeg"))]

    [(width, height, data)] = _encoded("og-jpeg", path, cmyk_profile, make)
    return Variant(f"{_stem(path)}-og.jpg", width, height, data)
