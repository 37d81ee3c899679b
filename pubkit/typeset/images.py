"""Images for print: safe loading, CMYK conversion, ready-compressed image streams and effective-resolution checks.

An image is converted to CMYK (ICC) and its samples compressed once, and the result is kept in
the build cache (:mod:`pubkit.cache`) keyed by the file's content, the output profile and the
library versions: ReportLab would otherwise compress every image again for every edition (3.9 s
of the sample's build, profiled), and a rebuild would convert it again. :func:`draw` hands the
ready stream to ReportLab as the image XObject it would have made itself.
"""

from __future__ import annotations

import hashlib
import io
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pubkit import cache
from pubkit.errors import PubkitError
from pubkit.project import require_image_file

MAX_PIXELS = 80_000_000  # about 30 × 40 cm at 600 ppi; larger is treated as a decompression bomb


@dataclass(frozen=True, eq=False)
class PrintImage:
    """A CMYK image as it goes into the PDF: its size in pixels and its Flate-compressed samples."""

    width: int
    height: int
    stream: bytes  # the 8-bit CMYK samples, Flate-compressed (zlib format) by ISA-L: see _converted
    name: str      # the XObject's name: from the content key, so equal images share one object
    highest_ink: float  # the highest C+M+Y+K of its samples, in percent (what preflight checks)

    @property
    def size(self) -> tuple[int, int]:
        return self.width, self.height


def load_cmyk(path: Path, *, spec_file: Path, key: str, line: int | None = None,
              profile: bytes | None = None) -> PrintImage:
    """Open an image file and return it converted to CMYK and compressed, or fail with the spec place.

    With ``profile`` (the output CMYK ICC profile) colours are converted through ICC: from the
    image's own embedded profile, else sRGB; without it, Pillow's naive formula is used.
    Results are kept for the process (the five editions share them) and in the build cache, with
    the picture's ink coverage for preflight.
    """
    require_image_file(path, spec_file=spec_file, key=key, line=line)
    try:
        return _prepared(path, cache.file_digest(path), profile)
    except _Unreadable as problem:
        raise PubkitError(problem.args[0], file=spec_file, line=line, key=key, fix=problem.args[1]) from None


class _Unreadable(Exception):
    """(problem, fix) of an image that cannot be used; :func:`load_cmyk` adds the spec place."""


def is_kept(path: Path, profile: bytes | None) -> bool:
    """Whether the build cache holds ``path`` converted for ``profile`` (loading it then converts nothing)."""
    return cache.holds("images", _entry_key(cache.file_digest(path), _profile_digest(profile)))


def _profile_digest(profile: bytes | None) -> str:
    return hashlib.sha256(profile).hexdigest() if profile else "naive"


def _entry_key(digest: str, profile_digest: str) -> str:
    """The build cache's key of a picture's converted samples: its content, the profile and the libraries."""
    import isal
    import PIL
    import reportlab

    return cache.key("cmyk-image", digest, profile_digest, "with its highest ink",
                     f"pillow={PIL.__version__};reportlab={reportlab.Version};isal={isal.__version__}:{FLATE_LEVEL}")


@lru_cache(maxsize=64)
def _prepared(path: Path, digest: str, profile: bytes | None) -> PrintImage:
    profile_digest = _profile_digest(profile)
    entry_key = _entry_key(digest, profile_digest)
    # by the picture and the profile alone, not the entry's key, which takes pubkit's code: the PDF's bytes
    # would then change with the time stamps of pubkit's own files
    name = f"pubkit-cmyk-{hashlib.sha256(f'{digest}:{profile_digest}'.encode()).hexdigest()[:32]}"
    (width, height), stream, highest = cache.remembered_object(
        "images", entry_key, lambda: _converted(path, profile),
        lambda found: isinstance(found, tuple) and len(found) == 3 and isinstance(found[1], bytes))
    from pubkit.press.preflight import remember_cmyk_ink

    remember_cmyk_ink(stream, highest)  # preflight then finds the picture's coverage instead of decoding it
    return PrintImage(width, height, stream, name, highest)


BAND_ROWS = 128  # rows of a picture's samples taken out, compressed and summed at a time
FLATE_LEVEL = 2  # ISA-L's default level: see _converted


def _converted(path: Path, profile: bytes | None) -> tuple[tuple[int, int], bytes, float]:
    """(size, Flate stream of the 8-bit CMYK samples, highest C+M+Y+K in percent) of the picture at ``path``.

    The samples are taken out of the converted picture a band of rows at a time: converting an RGB copy
    of the picture, taking all its samples out and then compressing them held it four times over (the
    decoded picture, the copy, the CMYK picture and its samples: 65 MB for the sample's cover, now 32),
    and the workers converting pictures beside the measuring took a cold build past 300 MB. The
    conversion itself is one call: Pillow writes the output profile into each converted image (10 ms
    for the 1 MB profile), a cost per band.

    The samples are compressed by ISA-L (``isal``), not zlib: for the sample's six pictures (41 MB of
    CMYK samples) zlib's default level, ReportLab's own choice, took 0.53 s, the largest single cost of
    a cold build, and ISA-L's level 2 takes 0.05 s for streams 23 % larger (3.40 MB against 2.77;
    zlib's level 1 took 0.23 s for 3.51 MB, libdeflate 0.26 s at zlib's size but without a streaming
    compressor). Any Flate reader decodes them; a picture's bytes in the PDF are the same from the
    cache or without it, since both come from here.
    """
    from isal import isal_zlib
    from PIL import ImageCms

    from pubkit.press.preflight import highest_sum

    with _opened(path) as image:
        source = _printable(image)
        if source.mode == "CMYK":
            cmyk = source
        else:
            transform = _cmyk_transform(image, profile)
            cmyk = source.convert("CMYK") if transform is None else ImageCms.applyTransform(source, transform)
        width, height = cmyk.size
        compressor, parts, highest = isal_zlib.compressobj(FLATE_LEVEL), [], 0.0
        for top in range(0, height, BAND_ROWS):
            samples = cmyk.crop((0, top, width, min(height, top + BAND_ROWS))).tobytes()
            parts.append(compressor.compress(samples))
            highest = max(highest, highest_sum(samples))
        parts.append(compressor.flush())
    return (width, height), b"".join(parts), highest


@contextmanager
def _opened(path: Path):
    """The picture at ``path``, decoded; a file that is not a usable picture raises :class:`_Unreadable`."""
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(path) as image:
            image.load()
            yield image
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _Unreadable(f"image {path.name} is too large (over {MAX_PIXELS:,} pixels)",
                          "scale it to 300 ppi at its printed size") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise _Unreadable(f"image {path.name} cannot be read ({exc.__class__.__name__})",
                          "re-export it as PNG, JPEG or TIFF") from None


def draw(canv, image: PrintImage, x: float, y: float, *, width: float, height: float) -> None:
    """Place ``image`` on ``canv`` as ``canv.drawImage`` would, without ReportLab compressing it again.

    The image XObject is registered in the document under the name ``drawImage`` gives a
    named image (once per document), so ``drawImage`` finds it made and only places it.
    Hand-written because ReportLab has no public way to pass ready image data; the few
    internals used are those ``drawImage`` itself uses (tests/test_cache.py checks the result).
    """
    from reportlab.lib.utils import _digester
    from reportlab.pdfbase.pdfdoc import PDFImageXObject

    document = canv._doc
    name = _digester(f"{image.name}None")  # drawImage's name for a named image without a mask
    registered = document.getXObjectName(name)
    if registered not in document.idToObject:
        xobject = PDFImageXObject(name)
        xobject.width, xobject.height = image.width, image.height
        xobject.bitsPerComponent, xobject.colorSpace = 8, "DeviceCMYK"
        xobject.streamContent, xobject._filters, xobject.mask = image.stream, ("FlateDecode",), None
        canv._setXObjects(xobject)
        document.Reference(xobject, registered)
        document.addForm(name, xobject)
    canv.drawImage(image.name, x, y, width=width, height=height)


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


def _printable(image):
    """CMYK as it is, else opaque 8-bit RGB (the picture itself when it is already that: no copy)."""
    if image.mode == "CMYK":
        return image
    flat = opaque_8_bit(image)
    return flat if flat.mode == "RGB" else flat.convert("RGB")


def _cmyk_transform(image, profile: bytes | None):
    """The RGB→CMYK ICC transform for ``image`` (from its own embedded profile, else sRGB), or None without
    an output profile (Pillow's naive formula then)."""
    if profile is None:
        return None
    from PIL import ImageCms

    embedded = image.info.get("icc_profile") if image.mode in ("RGB", "RGBA") else None
    try:
        return _transform(embedded, profile)
    except ImageCms.PyCMSError:  # a broken embedded profile: treat the image as sRGB, as browsers do
        return _transform(None, profile)


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
        require_image_file(path, spec_file=spec_file, key=key, line=line)  # one line: missing, or a folder
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
