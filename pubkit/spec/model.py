"""The brochure spec as typed, validated data.

The schema is these dataclasses; ``docs/spec.md`` documents it for users. Strings are NFC
normalised on load, so NFD input (as pasted from some macOS apps) behaves exactly like NFC.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass, field

LANGUAGE_NAMES = {"vi": "Vietnamese", "en": "English", "ja": "Japanese", "ko": "Korean", "zh": "Chinese"}

TRIM_SIZES_MM = {"A3": (297.0, 420.0), "A4": (210.0, 297.0), "A5": (148.0, 210.0),
                 "A6": (105.0, 148.0), "B5": (176.0, 250.0), "Letter": (215.9, 279.4)}

# The page count each binding needs a multiple of (sheets folded in the middle carry 4 pages).
PAGE_MULTIPLE = {"saddle-stitch": 4, "perfect-bound": 2, "wire-o": 2, "loose-leaf": 1}
BINDINGS = tuple(PAGE_MULTIPLE)
# A page's sides, in mm: below A7 the margins, running heads and covers leave no room to set text (a 30 mm
# page divided by zero, a 50 mm one asked for a picture -8 mm tall); above a metre it is no brochure.
TRIM_SIDE_MM = (74.0, 1000.0)
MAX_COPIES = 10_000_000  # per language; a provincial brochure runs to thousands, more is a typing slip


class Length(float):
    """A length in millimetres, written in the spec as ``3mm``, ``0.3cm``, ``8.5pt`` or ``1in``."""

    UNITS_MM = {"mm": 1.0, "cm": 10.0, "pt": 25.4 / 72, "in": 25.4}
    EXPECTED = "a length such as '3mm', '0.5cm' or '12pt'"


class Date(str):
    """An ISO date, ``YYYY-MM-DD``, quoted or not."""

    EXPECTED = "a date written YYYY-MM-DD, e.g. \"2018-06-15\""

    def as_date(self) -> _dt.date:
        return _dt.date.fromisoformat(self)


class LanguageCode(str):
    """A language code pubkit knows how to typeset."""

    EXPECTED = "one of " + ", ".join(LANGUAGE_NAMES)


@dataclass(frozen=True)
class Format:
    trim: str = "A5"
    bleed: Length = Length(3.0)
    binding: str = "saddle-stitch"
    paper: str = ""
    cover_paper: str = ""  # a separate cover stock: the cover and the text block become two PDFs
    max_pages: int | None = None

    @property
    def trim_mm(self) -> tuple[float, float]:
        return parse_trim(self.trim)


@dataclass(frozen=True)
class Cover:
    """The front cover: a logo and the title on a light band (text in 100 % K), a picture below it."""

    image: str | None = None   # fills the cover below the title band, to the bleed
    tagline: str | None = None
    logo: str | None = None    # a raster logo (PNG/JPEG, 300 ppi at 15 mm high) above the publisher's name


@dataclass(frozen=True)
class Block:
    """Base of every content block's schema; the kinds are in :mod:`pubkit.blocks`, one module each.

    ``only`` holds per-language overrides, ``{language: {field: value}}`` (validated against the
    kind's own fields): :func:`pubkit.blocks.for_language` applies them. ``separate: true`` gives
    the block's strings PO entries of their own (``msgctxt`` = spec path; docs/spec.md).
    """

    only: dict = field(default_factory=dict, kw_only=True, metadata={"internal": True})
    separate: bool = field(default=False, kw_only=True)  # its strings get PO entries of their own (msgctxt)


@dataclass(frozen=True)
class Section:
    heading: str
    content: list[Block] = field(default_factory=list)
    new_page: bool = False


@dataclass(frozen=True)
class Contact:
    organisation: str
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None


# A longer address makes modules too small for a phone at the code's printed size (docs/spec.md)
QR_MAX_BYTES = 200


@dataclass(frozen=True)
class QRCode:
    """A QR code of the portal's URL on the back cover, drawn as vector squares in 100 % K.

    ``{lang}`` in ``url`` becomes the edition's language code, so each edition's code opens its
    own page of the portal (``pubkit web`` writes ``<lang>/index.html``).
    """

    url: str
    label: str | None = None  # translated; printed above the URL, e.g. "Scan to read online"

    def url_for(self, language: str) -> str:
        return self.url.replace("{lang}", language)


@dataclass(frozen=True)
class BackCover:
    heading: str | None = None
    text: str | None = None
    contact: Contact | None = None
    image: str | None = None   # a picture in the band at the top of the back cover
    logo: str | None = None
    qr: QRCode | None = None


@dataclass(frozen=True)
class Licence:
    """The publication licence (giấy phép xuất bản tài liệu không kinh doanh, Luật Xuất bản 2012 Art. 25)."""

    number: str | None = None   # as issued, e.g. "123/GP-STTTT"; printed as written
    date: Date | None = None
    issuer: str | None = None   # the issuing authority; translated (foreign readers should know who it is)


@dataclass(frozen=True)
class Printer:
    """The print shop, printed as registered in every edition (a legal identity, not translated)."""

    name: str
    address: str | None = None


@dataclass(frozen=True)
class Publication:
    """What Luật Xuất bản 2012 (Art. 27) asks a licensed publication to print, and the licence form asks.

    Format, page count and print run are not here: each edition's colophon takes them from
    ``format``, its own page plan and ``print_run``.
    """

    licence: Licence = field(default_factory=Licence)
    registration: str | None = None  # số xác nhận đăng ký xuất bản (published through a publishing house)
    decision: str | None = None      # số quyết định xuất bản of the publishing house
    printer: Printer | None = None
    deposit: Date | None = None      # printing finished and legal deposit made; colophons print the month
    purpose: str | None = None       # mục đích xuất bản, for the licence application summary (Vietnamese)
    translators: dict[LanguageCode, str] = field(default_factory=dict)  # per language, for the summary

    @property
    def licensed(self) -> bool:
        """Whether the colophon can state a licence or registration the law asks for."""
        return bool(self.licence.number or self.registration)


@dataclass(frozen=True)
class Brochure:
    title: str
    publisher: str
    languages: list[LanguageCode]
    print_run: dict[LanguageCode, int]
    sections: list[Section]
    subtitle: str | None = None
    date: Date | None = None
    source_language: LanguageCode = LanguageCode("vi")
    format: Format = field(default_factory=Format)
    cover: Cover = field(default_factory=Cover)
    back_cover: BackCover | None = None
    publication: Publication | None = None
    lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False, metadata={"internal": True})

    def line_of(self, key: str) -> int | None:
        """The spec line of a key path such as ``sections[1].content[2].image``."""
        while key and key not in self.lines:
            key = key.rpartition(".")[0]
        return self.lines.get(key)


def parse_trim(trim: str) -> tuple[float, float]:
    """``A5`` or ``148x210mm`` → (width, height) in mm; raises ValueError when neither."""
    if trim in TRIM_SIZES_MM:
        return TRIM_SIZES_MM[trim]
    text = trim.lower().replace(" ", "").removesuffix("mm")
    width, sep, height = text.partition("x")
    if not sep:
        raise ValueError(trim)
    size = (float(width), float(height))
    if not all(math.isfinite(side) for side in size):
        raise ValueError(f"trim size '{trim}' is not two numbers of millimetres")
    if min(size) < TRIM_SIDE_MM[0] or max(size) > TRIM_SIDE_MM[1]:
        side = min(size) if min(size) < TRIM_SIDE_MM[0] else max(size)
        raise ValueError(f"trim size '{trim}' has a side of {side:g} mm; pages from {TRIM_SIDE_MM[0]:g} mm (A7) "
                         f"to {TRIM_SIDE_MM[1]:,.0f} mm a side are laid out")
    return size
