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
from pubkit.typeset.fonts import character_set, missing_glyphs_error, with_fallbacks

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


def cache_folder() -> Path:
    """Where finished subsets are kept between runs: ``$XDG_CACHE_HOME/pubkit/webfonts``."""
    from pubkit import cache

    return cache.base() / "webfonts"


@lru_cache(maxsize=64)
def woff2_subset(path: Path, codepoints: frozenset[int]) -> bytes:
    """``path`` cut down to ``codepoints`` as WOFF2, from the cache when this exact subset was made before.

    Compressing a subset to WOFF2 takes 0.05–0.2 s (fontTools, Brotli) and a site has about 15, so
    finished subsets are kept, content-addressed: the key is the font's bytes, the characters and the
    HarfBuzz and fontTools versions, so a cached file is the same bytes a fresh run would make. A
    cache that cannot be read or written is only skipped.
    """
    import hashlib

    import uharfbuzz
    from fontTools import version as fonttools_version

    from pubkit import cache

    key = hashlib.sha256(cache.file_digest(path).encode())  # the font's digest, once per process and file
    key.update(f":{uharfbuzz.__version__}:{fonttools_version}:{_OPTIONS_VERSION}:"
               f"{','.join(map(str, sorted(codepoints)))}".encode())
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


_OPTIONS_VERSION = 2  # raise when _make_subset's options change, so old cached subsets are not reused
# OpenType features kept besides HarfBuzz's default set (which has Vietnamese mark placement,
# kerning and ligatures): vertical and proportional CJK forms, and the JIS78/83 Japanese forms
_EXTRA_FEATURES = ("vert", "vrt2", "palt", "halt", "jp78", "jp83")


def _make_subset(path: Path, codepoints: frozenset[int]) -> bytes:
    """``path`` cut down to ``codepoints`` (with the OpenType features text needs: Vietnamese mark placement, kerning, CJK forms) as WOFF2.

    HarfBuzz's subsetter (``uharfbuzz``), not fontTools': fontTools decompiles a CJK font's whole
    GSUB/GPOS in Python first, 1.4 s a subset (13 of 13.6 s of the demo's site, cProfile), where
    HarfBuzz takes 5 ms. fontTools then writes the WOFF2. Reproducible: the font's own timestamps
    are kept, not set to now.
    """
    import uharfbuzz as hb
    from fontTools.ttLib import TTFont

    subset_input = hb.SubsetInput()
    subset_input.unicode_set.update(sorted(codepoints))
    features = subset_input.sets(hb.SubsetInputSets.LAYOUT_FEATURE_TAG)
    for tag in _EXTRA_FEATURES:
        features.add(int.from_bytes(tag.encode("ascii"), "big"))
    subset_input.sets(hb.SubsetInputSets.NAME_ID).invert()  # every name: they carry the OFL copyright and licence
    subset_input.sets(hb.SubsetInputSets.NAME_LANG_ID).invert()
    # browsers hint (or not) on their own; hints were a third of the file
    subset_input.flags = hb.SubsetFlags.NO_HINTING | hb.SubsetFlags.NOTDEF_OUTLINE
    face = hb.subset(hb.Face(hb.Blob.from_file_path(str(path))), subset_input)
    if face is None:
        raise PubkitError("HarfBuzz could not subset this font", file=path, fix="replace the font file")
    font = TTFont(io.BytesIO(face.blob.data), recalcTimestamp=False)
    font.flavor = "woff2"
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def check_coverage(project: Project, language: str, texts: dict[str, str], spec_file: Path, *,
                   rest: str = "", place_in_file=None) -> None:
    """Every character the page shows is in one of the project's fonts, as in print: else stop and say where.

    ``texts`` are the segments by spec path, ``rest`` the page's other text (figures, contact, furniture),
    named only for a character no segment has. A translation's character is reported at its entry in the
    draft file (``place_in_file``, as print reports it), where the translator can fix it."""
    families = with_fallbacks(project, project.language(language, spec_file).families)
    faces = [(character_set(family.regular), character_set(family.bold)) for family in families]
    problems: dict[str, list[str]] = {}
    elsewhere = "figures, contact and page furniture"
    for where, text in [*texts.items(), (elsewhere, rest)]:
        for char in dict.fromkeys(text):
            if char in _NOT_DRAWN or (where == elsewhere and char in problems):
                continue
            if not any(ord(char) in regular and ord(char) in bold for regular, bold in faces):
                problems.setdefault(char, []).append(where)
    if problems:
        raise missing_glyphs_error(problems, texts, language=language, spec_file=spec_file,
                                   place_in_file=place_in_file)


def language_fonts(project: Project, language: str, text: str, spec_file: Path) -> LanguageFonts:
    """The stack and WOFF2 subsets (regular and bold) for ``text`` in ``language``: the language's families, then
    those of the project's other families that have a character the earlier ones lack."""
    wanted = {ord(char) for char in set(text) | _ALWAYS if char not in _NOT_DRAWN}
    stack, faces, taken = [], [], set()
    for family in with_fallbacks(project, project.language(language, spec_file).families):
        mine = frozenset(code for code in wanted - taken if code in character_set(family.regular))
        taken |= mine
        if not mine:
            continue
        name = f"pk-{language}-{family.name}"
        stack.append(name)
        for weight, path in ((400, family.regular), (700, family.bold)):
            codes = frozenset(mine & character_set(path))
            faces.append(FontFace(name, weight, f"assets/fonts/{language}-{family.name}-{weight}.woff2",
                                  woff2_subset(path, codes)))
    return LanguageFonts(tuple(stack), tuple(faces))


def name_font(project: Project, language: str, name: str, spec_file: Path) -> FontFace | None:
    """A tiny face for a language's own name in the language menu of every other page (日本語 on the vi page)."""
    codes = frozenset(ord(char) for char in name)
    for family in project.language(language, spec_file).families:
        if all(code in character_set(family.regular) for code in codes):
            return FontFace(f"pk-name-{language}", 400, f"assets/fonts/name-{language}.woff2",
                            woff2_subset(family.regular, codes))
    return None
