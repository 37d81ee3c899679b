"""Fonts: register TrueType faces with ReportLab, check coverage with fontTools, pick a face per character.

A language uses a chain of families (``pubkit.toml``): each character is set in the first
family whose font has it, so a Japanese edition can carry a Vietnamese place name. A
character no family has is an error before layout, never a tofu box in print.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from pubkit.errors import PubkitError
from pubkit.project import FontFamily

_IGNORED = frozenset("\n\t\r\u00ad\u200b")  # never drawn
_cmaps: dict[Path, frozenset[int]] = {}
_registered: dict[Path, str] = {}


def _font_error(path: Path, problem: str, fix: str) -> PubkitError:
    return PubkitError(problem, file=path, fix=fix)


def character_set(path: Path) -> frozenset[int]:
    """Code points the font maps to a glyph, read with fontTools (cached per file)."""
    if path not in _cmaps:
        from fontTools.ttLib import TTFont, TTLibError

        if not path.is_file():
            raise _font_error(path, "font file not found", "check the path in pubkit.toml [fonts]")
        try:
            with TTFont(path, lazy=True, fontNumber=0) as font:
                if "glyf" not in font:
                    raise _font_error(path, "this font has PostScript (CFF) outlines, which cannot be embedded",
                                      "use the TrueType-outline (glyf) .ttf build of the font, see fonts/README.md")
                # Placeholder glyph names: only the mapped code points matter here, and deriving real
                # names from a CJK font's cmap took 0.14 s per font (profiled).
                font.setGlyphOrder([f"g{index}" for index in range(font["maxp"].numGlyphs)])
                _cmaps[path] = frozenset(font["cmap"].getBestCmap() or ())
        except (TTLibError, OSError, AssertionError) as exc:
            raise _font_error(path, f"not a readable TrueType font ({exc})", "replace the file") from None
    return _cmaps[path]


def register(path: Path) -> str:
    """Register a TrueType file with ReportLab once; returns its PDF font name."""
    if path not in _registered:
        character_set(path)  # CFF and unreadable files fail here with a clear message
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFError, TTFont

        name = f"{path.stem}-{hashlib.sha1(str(path).encode()).hexdigest()[:6]}"
        try:
            pdfmetrics.registerFont(TTFont(name, str(path)))
        except TTFError as exc:
            raise _font_error(path, f"ReportLab cannot embed this font ({exc})",
                              "use a TrueType-outline .ttf that allows embedding") from None
        _registered[path] = name
    return _registered[path]


def families_needed(families: tuple[FontFamily, ...], text: str) -> tuple[FontFamily, ...]:
    """The first family, and each fallback that sets at least one character of ``text``.

    Fallbacks no character needs are never registered with ReportLab, which saves parsing a
    10 MB CJK font for nothing.
    """
    needed = [families[0]]
    uncovered = {ord(char) for char in set(text)} - character_set(families[0].regular)
    for family in families[1:]:
        covered = uncovered & character_set(family.regular)
        if covered:
            needed.append(family)
            uncovered -= covered
    return tuple(needed)


@dataclass
class FontChain:
    """Faces tried in order for each character, with per-character advance widths cached."""

    names: tuple[str, ...]
    paths: tuple[Path, ...]

    def __post_init__(self):
        from reportlab.pdfbase import pdfmetrics

        self._faces = [pdfmetrics.getFont(name).face for name in self.names]
        self._sets = [character_set(path) for path in self.paths]
        self._choice: dict[str, int] = {}
        self._advance: dict[str, float] = {}

    @classmethod
    def for_families(cls, families: tuple[FontFamily, ...], bold: bool) -> FontChain:
        paths = tuple(family.bold if bold else family.regular for family in families)
        return cls(tuple(register(path) for path in paths), paths)

    def face_index(self, char: str) -> int:
        index = self._choice.get(char)
        if index is None:
            code = ord(char)
            index = next((i for i, chars in enumerate(self._sets) if code in chars), 0)
            self._choice[char] = index
        return index

    def advance(self, char: str) -> float:
        """Advance width of ``char`` at 1 pt."""
        width = self._advance.get(char)
        if width is None:
            face = self._faces[self.face_index(char)]
            width = face.charWidths.get(ord(char), face.defaultWidth) / 1000.0
            self._advance[char] = width
        return width

    def width(self, text: str, size: float) -> float:
        advance = self.advance
        return size * sum(advance(char) for char in text)

    def runs(self, text: str) -> list[tuple[str, str]]:
        """Split ``text`` into (font name, text) runs, each set in one face."""
        runs: list[tuple[str, str]] = []
        start, current = 0, None
        for i, char in enumerate(text):
            index = current if char == " " and current is not None else self.face_index(char)
            if index != current:
                if current is not None:
                    runs.append((self.names[current], text[start:i]))
                start, current = i, index
        if current is not None:
            runs.append((self.names[current], text[start:]))
        return runs

    def missing(self, text: str) -> set[str]:
        """Characters of ``text`` that no face of the chain has."""
        return {char for char in set(text) - _IGNORED if not any(ord(char) in chars for chars in self._sets)}


def check_coverage(chain: FontChain, texts: list[tuple[str, str]], *, language: str, spec_file: Path) -> None:
    """Fail before layout when any character of any text is in none of the edition's fonts."""
    problems: dict[str, list[str]] = {}
    for where, text in texts:
        for char in chain.missing(text):
            problems.setdefault(char, []).append(where)
    if problems:
        listed = "; ".join(f"'{char}' (U+{ord(char):04X}) in {', '.join(places[:3])}"
                           + (f" and {len(places) - 3} more" if len(places) > 3 else "")
                           for char, places in sorted(problems.items()))
        fonts = ", ".join(path.name for path in chain.paths)
        raise PubkitError(f"the {language} edition uses characters its fonts ({fonts}) lack: {listed}",
                          file=spec_file, fix="replace those characters, or add a font that has them to "
                                              f"[languages.{language}] fonts in pubkit.toml")
