"""The brochure spec as typed, validated data.

The schema is these dataclasses; ``docs/spec.md`` documents it for users. Strings are NFC
normalised on load, so NFD input (as pasted from some macOS apps) behaves exactly like NFC.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

LANGUAGE_NAMES = {"vi": "Vietnamese", "en": "English", "ja": "Japanese", "ko": "Korean", "zh": "Chinese"}

TRIM_SIZES_MM = {"A3": (297.0, 420.0), "A4": (210.0, 297.0), "A5": (148.0, 210.0),
                 "A6": (105.0, 148.0), "B5": (176.0, 250.0), "Letter": (215.9, 279.4)}

# The page count each binding needs a multiple of (sheets folded in the middle carry 4 pages).
PAGE_MULTIPLE = {"saddle-stitch": 4, "perfect-bound": 2, "wire-o": 2, "loose-leaf": 1}
BINDINGS = tuple(PAGE_MULTIPLE)
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
    image: str | None = None
    tagline: str | None = None


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Bullets:
    bullets: list[str]


@dataclass(frozen=True)
class ImageBlock:
    image: str
    caption: str | None = None
    width: Length | None = None


@dataclass(frozen=True)
class Figure:
    label: str
    value: float
    unit: str = ""


@dataclass(frozen=True)
class Figures:
    figures: list[Figure]


Block = Paragraph | Bullets | ImageBlock | Figures
BLOCK_KINDS = {"bullets": Bullets, "image": ImageBlock, "figures": Figures}


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


@dataclass(frozen=True)
class BackCover:
    heading: str | None = None
    text: str | None = None
    contact: Contact | None = None


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
    if min(size) <= 0:
        raise ValueError(trim)
    return size
