"""Web fonts: the project's print fonts, subset to the characters each language uses, as WOFF2.

A language's families (``pubkit.toml``) become a CSS font stack in the same order, and each
family's subset holds only the characters the earlier families lack, so the browser picks the
same face for each character as print does.
"""

from __future__ import annotations

import io
import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pubkit.errors import PubkitError
from pubkit.files import write_atomic
from pubkit.project import Project

_NOT_DRAWN = frozenset("\n\t\r\u00ad\u200b")
_ALWAYS = frozenset(string.ascii_letters + string.digits + string.punctuation + " \u00a0–—‘’“”…·")


@dataclass(frozen=True)
class FontFace:
    family: str  # the CSS family name, e.g. pk-ja-japanese
    weight: int
    url: str  # relative to the site root
    data: bytes


@dataclass(frozen=True)
class LanguageFonts:
    stack: tuple[str, ...]  # CSS family names in order
    faces: tuple[FontFace, ...]


@lru_cache(maxsize=32)
def _cmap(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont, TTLibError

    if not path.is_file():
        raise PubkitError("font file not found", file=path, fix="check the path in pubkit.toml [fonts]")
    try:
        with TTFont(path, lazy=True) as font:
            return frozenset(font["cmap"].getBestCmap() or ())
    except (TTLibError, OSError, AssertionError, KeyError) as exc:
        raise PubkitError(f"not a readable TrueType font ({exc})", file=path, fix="replace the file") from None


def cache_folder() -> Path:
    """Where finished subsets are kept between runs: ``$XDG_CACHE_HOME/pubkit/webfonts``."""
    from pubkit import cache

    return cache.base() / "webfonts"


@lru_cache(maxsize=64)
def woff2_subset(path: Path, codepoints: frozenset[int]) -> bytes:
    """``path`` cut down to ``codepoints`` as WOFF2, from the cache when this exact subset was made before.

    Subsetting a CJK font and compressing it takes 1–3 s (fontTools; 32 of 40 s of the sample's
    site, measured with cProfile), so finished subsets are kept, content-addressed: the key is
    the font's bytes, the characters and the fontTools version, so a cached file is the same
    bytes a fresh run would make. A cache that cannot be read or written is only skipped.
    """
    import hashlib

    from fontTools import version as fonttools_version

    key = hashlib.sha256(path.read_bytes())
    key.update(f"{fonttools_version}:{_OPTIONS_VERSION}:{','.join(map(str, sorted(codepoints)))}".encode())
    cached = cache_folder() / f"{key.hexdigest()}.woff2"
    try:
        return cached.read_bytes()
    except OSError:
        pass
    data = _make_subset(path, codepoints)
    try:
        write_atomic(cached, data)
    except (PubkitError, OSError):
        pass  # a read-only or full cache: the site is still made, only not remembered
    return data


_OPTIONS_VERSION = 1  # raise when _make_subset's options change, so old cached subsets are not reused


def _make_subset(path: Path, codepoints: frozenset[int]) -> bytes:
    """``path`` cut down to ``codepoints`` (with the OpenType features text needs: Vietnamese mark placement, kerning, CJK forms) as WOFF2.

    Reproducible: the font's own timestamps are kept, not set to now.
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = subset.Options().layout_features + ["vert", "vrt2", "palt", "halt", "jp78", "jp83"]
    options.hinting = False  # browsers hint (or not) on their own; hints were a third of the file
    options.name_IDs = ["*"]  # the names carry the OFL copyright and licence
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.recalc_timestamp = False
    font = TTFont(path, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(codepoints))
    subsetter.subset(font)
    out = io.BytesIO()
    subset.save_font(font, out, options)
    return out.getvalue()


def check_coverage(project: Project, language: str, texts: dict[str, str], spec_file: Path) -> None:
    """Every character the page shows is in one of the language's fonts, as in print: else stop and say where."""
    setup = project.language(language, spec_file)
    covered = frozenset().union(*(_cmap(family.regular) & _cmap(family.bold) for family in setup.families))
    problems: dict[str, list[str]] = {}
    for where, text in texts.items():
        for char in dict.fromkeys(text):
            if char not in _NOT_DRAWN and ord(char) not in covered:
                problems.setdefault(char, []).append(where)
    if problems:
        listed = "; ".join(f"'{char}' (U+{ord(char):04X}) in {', '.join(places[:3])}"
                           for char, places in sorted(problems.items()))
        fonts = ", ".join(family.regular.name for family in setup.families)
        raise PubkitError(f"the {language} edition uses characters its fonts ({fonts}) lack: {listed}",
                          file=spec_file, fix="replace those characters, or add a font that has them to "
                                              f"[languages.{language}] fonts in pubkit.toml")


def language_fonts(project: Project, language: str, text: str, spec_file: Path) -> LanguageFonts:
    """The stack and WOFF2 subsets (regular and bold) for ``text`` in ``language``."""
    setup = project.language(language, spec_file)
    wanted = {ord(char) for char in set(text) | _ALWAYS if char not in _NOT_DRAWN}
    stack, faces, taken = [], [], set()
    for family in setup.families:
        mine = frozenset(code for code in wanted - taken if code in _cmap(family.regular))
        taken |= mine
        if not mine:
            continue
        name = f"pk-{language}-{family.name}"
        stack.append(name)
        for weight, path in ((400, family.regular), (700, family.bold)):
            codes = mine & _cmap(path)
            faces.append(FontFace(name, weight, f"assets/fonts/{language}-{family.name}-{weight}.woff2",
                                  woff2_subset(path, codes)))
    return LanguageFonts(tuple(stack), tuple(faces))


def name_font(project: Project, language: str, name: str, spec_file: Path) -> FontFace | None:
    """A tiny face for a language's own name in the language menu of every other page (日本語 on the vi page)."""
    codes = frozenset(ord(char) for char in name)
    for family in project.language(language, spec_file).families:
        if codes <= _cmap(family.regular):
            return FontFace(f"pk-name-{language}", 400, f"assets/fonts/name-{language}.woff2",
                            woff2_subset(family.regular, codes))
    return None
