"""Fonts: register TrueType faces with ReportLab, check coverage with fontTools, pick a face per character.

A language uses a chain of families (``pubkit.toml``): each character is set in the first
family whose font has it, so a Japanese edition can carry a Vietnamese place name. Behind the
language's own families come the project's other families, so a Vietnamese text naming
株式会社さくら builds without touching ``pubkit.toml``; and a run of another CJK script is set
in the fonts of *that* language (:func:`foreign_runs`: Japanese forms for a kana run, Korean for
Hangul). A character no project font has is an error before layout, never a tofu box in print.
"""

from __future__ import annotations

import hashlib
import mmap
import struct
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pubkit.errors import PubkitError
from pubkit.project import FontFamily

_IGNORED = frozenset("\n\t\r\u00ad\u200b")  # never drawn
_cmaps: dict[Path, frozenset[int]] = {}
_registered: dict[Path, str] = {}


def _font_error(path: Path, problem: str, fix: str) -> PubkitError:
    return PubkitError(problem, file=path, fix=fix)


class CodePoints:
    """The code points a font maps, as a bitmap of all of Unicode: 139 KB a font, where a frozenset of
    ints took 2 MB for a CJK font (16 MB of a build's peak memory, tracemalloc). Answers ``in`` and
    the two set operations the font code uses (``a_set - points``, ``a_set & points``)."""

    __slots__ = ("bits",)
    LIMIT = 0x110000

    def __init__(self, codes=(), *, bits: bytes | None = None):
        if bits is None:
            table = bytearray(self.LIMIT // 8)
            for code in codes:
                if 0 <= code < self.LIMIT:
                    table[code >> 3] |= 1 << (code & 7)
            bits = bytes(table)
        self.bits = bits

    def __contains__(self, code: int) -> bool:
        return 0 <= code < self.LIMIT and bool(self.bits[code >> 3] >> (code & 7) & 1)

    def __rsub__(self, other: set) -> set:
        return {code for code in other if code not in self}

    def __rand__(self, other: set) -> set:
        return {code for code in other if code in self}


def character_set(path: Path) -> CodePoints:
    """Code points the font maps to a glyph, read with fontTools (per process, and in the build cache)."""
    if path not in _cmaps:
        if not path.is_file():
            raise _font_error(path, "font file not found", "check the path in pubkit.toml [fonts]")
        from fontTools import version as fonttools_version

        from pubkit import cache

        key = cache.key("font-cmap", cache.file_digest(path), f"fonttools={fonttools_version}", "bitmap")
        stored = cache.get_bytes("fonts", key)
        if stored is None or len(stored) != CodePoints.LIMIT // 8:
            found = CodePoints(_read_character_set(path))
            cache.put_bytes("fonts", key, found.bits)
        else:
            found = CodePoints(bits=stored)
        _cmaps[path] = found
    return _cmaps[path]


def _read_character_set(path: Path) -> frozenset[int]:
    fast = _quick_character_set(path)
    if fast is not None:
        return fast
    from fontTools.ttLib import TTFont, TTLibError

    try:
        with TTFont(path, lazy=True, fontNumber=0) as font:
            if "glyf" not in font:
                raise _font_error(path, "this font has PostScript (CFF) outlines, which cannot be embedded",
                                  "use the TrueType-outline (glyf) .ttf build of the font, see fonts/README.md")
            # Placeholder glyph names: only the mapped code points matter here, and deriving real
            # names from a CJK font's cmap took 0.14 s per font (profiled).
            font.setGlyphOrder([f"g{index}" for index in range(font["maxp"].numGlyphs)])
            return frozenset(font["cmap"].getBestCmap() or ())
    except KeyError as exc:
        raise _font_error(path, f"not a readable TrueType font (it has no '{exc.args[0]}' table)",
                          "replace the file") from None
    except (TTLibError, OSError, AssertionError) as exc:
        raise _font_error(path, f"not a readable TrueType font ({exc})", "replace the file") from None


_BEST_CMAPS = ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0))  # fontTools' getBestCmap order


def _quick_character_set(path: Path) -> frozenset[int] | None:
    """The code points of fontTools' ``getBestCmap`` when that subtable is format 4 or 12, read with ``struct``;
    None for anything else (a collection, CFF outlines, another format, a table that overruns), which
    fontTools then reads and judges. fontTools decompiles the whole table in Python: 0.44 s for the
    project's 8 fonts in every process that starts with an empty cache, against 0.09 s here.
    ``tests/test_cache.py`` checks both give the same set for every project font."""
    try:
        with _mapped(path) as data:
            return _quick_codes(data)
    except (OSError, ValueError, IndexError, struct.error):  # ValueError: mmap of an empty file
        return None


def _quick_codes(data) -> frozenset[int] | None:
    count = struct.unpack_from(">H", data, 4)[0]
    tables = {data[12 + 16 * n:16 + 16 * n]: struct.unpack_from(">L", data, 20 + 16 * n)[0] for n in range(count)}
    if data[:4] not in (b"\0\1\0\0", b"true") or b"glyf" not in tables or b"cmap" not in tables:
        return None
    cmap = tables[b"cmap"]
    subtables = {}
    for platform, encoding, offset in _cmap_records(data, cmap, struct.unpack_from(">H", data, cmap + 2)[0]):
        subtables.setdefault((platform, encoding), cmap + offset)
    at = next((subtables[key] for key in _BEST_CMAPS if key in subtables), None)
    if at is None:
        return None
    kind = struct.unpack_from(">H", data, at)[0]
    if kind == 12:
        return frozenset(_format_12(data, at))
    if kind != 4:
        return None
    starts, ends = _format_4_segments(data, at)
    # fontTools leaves out the last segment (the 0xFFFF terminator) and keeps characters mapped to glyph 0
    return frozenset(code for start, end in zip(starts[:-1], ends[:-1]) for code in range(start, end + 1))


def register(path: Path) -> str:
    """Register a TrueType file with ReportLab once; returns its PDF font name."""
    if path not in _registered:
        from reportlab.pdfbase import pdfmetrics

        name = f"{path.stem}-{hashlib.sha1(str(path).encode()).hexdigest()[:6]}"
        pdfmetrics.registerFont(_checked_font(name, path))
        _registered[path] = name
    return _registered[path]


def keep(path: Path) -> None:
    """Parse ``path`` into the build cache (its character set and ReportLab's face) without registering it:
    what a build's first workers do for the editions' workers. Workers that registered each font they
    parsed held them all, which took a cold build's memory past 300 MB summed while they went on to
    convert pictures."""
    if not is_kept(path):
        _checked_font(path.stem, path)


def _checked_font(name: str, path: Path):
    """ReportLab's font of ``path``, or the one-line error of a file it cannot use."""
    character_set(path)  # CFF and unreadable files fail here with a clear message
    from reportlab.pdfbase.ttfonts import TTFError

    try:
        return _reportlab_font(name, path)
    except TTFError as exc:
        raise _font_error(path, f"ReportLab cannot embed this font ({exc})",
                          "use a TrueType-outline .ttf that allows embedding") from None


# Parsed state that is not kept in the cache: the file's bytes (mapped again, they are the key's
# input), a scaling function (a lambda, rebuilt from unitsPerEm as ReportLab builds it) and the
# table reader that hands out the glyph table a glyph at a time (:func:`_mapped_face`).
_FACE_NOT_STORED = ("_ttf_data", "_pdfScale", "get_table")
# Parsed state dropped altogether: the glyph -> characters map serves only ReportLab's HarfBuzz
# shaping, which pubkit does not use (subsetting and widths go through charToGlyph and hmetrics);
# it was about a third of a CJK face's memory.
_FACE_DROPPED = ("glyphToChar",)


def _reportlab_font(name: str, path: Path):
    """``reportlab.pdfbase.ttfonts.TTFont(name, path)``, with the parsed face from the build cache.

    ReportLab parses a TrueType file in pure Python (0.1–0.3 s for a CJK face, again in every
    process): the parsed face's attributes are kept in the cache, keyed by the file's content and
    ReportLab's version. A face restored from it has the same attributes as a freshly parsed one
    (tests/test_cache.py compares them), so the subsets and widths it gives are the same. The
    large int tables go through ``marshal`` (2.5× faster to load than pickle: 0.06 s for Noto
    Sans SC, against 0.27 s to parse), the rest through pickle.
    """
    import marshal
    import pickle

    from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

    from pubkit import cache

    key = _face_key(path)
    state = None
    stored = cache.get_bytes("fonts", key)
    if stored is not None:
        try:
            small, tables = pickle.loads(stored)
            state = dict(small, **marshal.loads(tables))
        except Exception:  # noqa: BLE001 - a damaged entry is parsed afresh
            state = None
    if not isinstance(state, dict) or "unitsPerEm" not in state:
        face = parse_face(path)
        if face is None:  # a character map this reader does not take: ReportLab's own parse
            face = TTFont(name, str(path)).face
            for dropped in _FACE_DROPPED:
                delattr(face, dropped)
        font = _font_around(name, face)
        kept = {k: v for k, v in vars(font.face).items() if k not in _FACE_NOT_STORED}
        tables = {k: v for k, v in kept.items() if type(v) in (dict, list)}
        small = {k: v for k, v in kept.items() if k not in tables}
        cache.put_bytes("fonts", key, pickle.dumps((small, marshal.dumps(tables)), protocol=pickle.HIGHEST_PROTOCOL))
        _mapped_face(font.face, path)
        return font
    face = TTFontFace.__new__(TTFontFace)
    face.__dict__.update(state, filename=str(path))
    face._pdfScale = _pdf_scale(face.unitsPerEm)
    return _font_around(name, _mapped_face(face, path))


def _face_key(path: Path) -> str:
    """The build cache's key of ``path``'s parsed face: the file's content and the versions that read it."""
    import marshal

    import reportlab

    from pubkit import cache

    return cache.key("reportlab-face", cache.file_digest(path), f"reportlab={reportlab.Version}",
                     f"marshal={marshal.version}", "without " + " ".join(_FACE_DROPPED))


def is_kept(path: Path) -> bool:
    """Whether the build cache holds ``path``'s parsed face (registering it then parses nothing)."""
    from pubkit import cache

    return cache.holds("fonts", _face_key(path))


def parse_face(path: Path):
    """ReportLab's parsed face of ``path`` (without ``glyphToChar``), or None for a character map of
    another format than 4 or 12, or tables this reader cannot follow (ReportLab's own parse then
    reads the file, and says what is wrong with it).

    ReportLab reads the headers (``charInfo=0``); the character map, advance widths and glyph
    offsets are read here with ``struct`` a table at a time. ReportLab reads them a number at a time
    in Python, and that was 1.7 s of a cold build's 15 s (cProfile, the sample in one process),
    repeated by every process with an empty cache. The result is the same, to the order of every
    dictionary: ``tests/test_cache.py`` compares it with ReportLab's parse of every project font.
    """
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFontFace, TTFontFile

    face = TTFontFace.__new__(TTFontFace)
    pdfmetrics.TypeFace.__init__(face, None)
    TTFontFile.__init__(face, str(path), charInfo=0)
    try:
        return _with_char_info(face)
    except (struct.error, KeyError, IndexError):
        return None


def _with_char_info(face):
    """``face`` (parsed with ``charInfo=0``) given what ReportLab's ``extractInfo`` reads with ``charInfo``."""
    data, table = face._ttf_data, lambda tag: face.get_table_pos(tag)[0]
    location_format, glyph_format = struct.unpack_from(">HH", data, table("head") + 50)
    metrics_count = struct.unpack_from(">H", data, table("hhea") + 34)[0]
    cmap = table("cmap")
    version, count = struct.unpack_from(">HH", data, cmap)
    if count == 0 and version != 0:
        count = version
    chosen = kind = None  # the subtable ReportLab's extractInfo chooses, by the same rules
    for platform, encoding, offset in _cmap_records(data, cmap, count):
        if platform == 3 or (platform == 1 and encoding == 1) or (platform == 0 and encoding != 5):
            chosen, kind = offset, 1
        elif platform == 1 and encoding == 0 and kind != 1:
            chosen, kind = offset, 2
    if glyph_format != 0 or chosen is None:
        return None
    reader = {4: _format_4, 12: _format_12}.get(struct.unpack_from(">H", data, cmap + chosen)[0])
    if reader is None:
        return None
    char_to_glyph = reader(data, cmap + chosen)
    glyphs, scale = face.numGlyphs, face._pdfScale
    metrics = struct.unpack_from(f">{2 * metrics_count}H", data, table("hmtx"))
    rest = struct.unpack_from(f">{max(0, glyphs - metrics_count)}H", data, table("hmtx") + 4 * metrics_count)
    widths = [scale(advance) for advance in metrics[::2]]
    last = widths[-1]
    for name in ("charToGlyph", "defaultWidth", "charWidths"):  # the None that charInfo=0 left, so that the
        delattr(face, name)  # attributes below come in ReportLab's order
    face.charToGlyph = char_to_glyph
    # in glyph order, each glyph's characters in the map's order, as ReportLab fills it
    face.charWidths = {char: widths[glyph] if glyph < metrics_count else last
                       for char, glyph in sorted(char_to_glyph.items(), key=lambda item: item[1]) if glyph < glyphs}
    face.hmetrics = list(zip(metrics[::2], metrics[1::2])) + [(last, bearing) for bearing in rest]
    face.defaultWidth = widths[0]
    if location_format == 0:
        face.glyphPos = [offset << 1 for offset in struct.unpack_from(f">{glyphs + 1}H", data, table("loca"))]
    else:
        face.glyphPos = list(struct.unpack_from(f">{glyphs + 1}L", data, table("loca")))
    face._pos = table("loca") + (glyphs + 1) * (2 if location_format == 0 else 4)  # where ReportLab's reading ends
    if 0x20 in char_to_glyph:
        char_to_glyph[0xA0] = char_to_glyph[0x20]
        face.charWidths[0xA0] = face.charWidths[0x20]
    elif 0xA0 in char_to_glyph:
        char_to_glyph[0x20] = char_to_glyph[0xA0]
        face.charWidths[0x20] = face.charWidths[0xA0]
    return face


def _format_4(data, at: int) -> dict[int, int]:
    """A format 4 character map (segments of the Basic Multilingual Plane), as ReportLab reads it."""
    length = struct.unpack_from(">H", data, at + 2)[0]
    starts, ends = _format_4_segments(data, at)
    segments = len(starts)
    deltas = struct.unpack_from(f">{segments}h", data, at + 16 + 4 * segments)
    range_at = at + 16 + 6 * segments
    ranges = struct.unpack_from(f">{segments}H", data, range_at)
    limit = at + length
    out: dict[int, int] = {}
    for n, (start, end, delta, offset) in enumerate(zip(starts, ends, deltas, ranges)):
        chars = range(start, end + 1)
        if offset == 0:
            out.update(zip(chars, [(char + delta) & 0xFFFF for char in chars]))
            continue
        for char in chars:
            position = range_at + 2 * n + offset + (char - start) * 2
            glyph = struct.unpack_from(">H", data, position)[0] if position < limit else 0
            out[char] = (glyph + delta) & 0xFFFF if glyph else 0
    return out


def _cmap_records(data, cmap: int, count: int):
    """(platform, encoding, offset from the cmap table) of its ``count`` encoding records; struct.error when
    the file ends before them, as a reading one record at a time would raise."""
    records = data[cmap + 4:cmap + 4 + 8 * count]
    if len(records) < 8 * count:
        raise struct.error("the cmap table's records run past the end of the file")
    return struct.iter_unpack(">HHL", records)


def _format_4_segments(data, at: int) -> tuple[tuple, tuple]:
    """A format 4 map's segment start and end codes."""
    segments = struct.unpack_from(">H", data, at + 6)[0] // 2
    return (struct.unpack_from(f">{segments}H", data, at + 16 + 2 * segments),
            struct.unpack_from(f">{segments}H", data, at + 14))


def _format_12(data, at: int) -> dict[int, int]:
    """A format 12 character map (groups of consecutive characters, every plane), as ReportLab reads it."""
    out: dict[int, int] = {}
    groups = struct.unpack_from(">L", data, at + 12)[0]
    for start, end, glyph in struct.iter_unpack(">3L", data[at + 16:at + 16 + 12 * groups]):
        out.update(zip(range(start, end + 1), range(glyph, glyph + end - start + 1)))
    return out


def _mapped_face(face, path: Path):
    """``face`` reading its file through a memory map, and its glyph table a glyph at a time.

    Mapped rather than read, so the 43 MB of the project's CJK fonts do not sit in every process.
    ReportLab's subsetter takes ``get_table('glyf')`` and slices one glyph at a time from it; the
    table sliced from the map was a copy of it whole, once per subset of 256 characters: 9 MB of
    Noto Sans SC each time, and every page of the table read in (a render worker of the sample's
    Chinese edition held 18 MB of the two SC files and 19 MB more heap after it; summed peak
    memory, docs/performance.md). :class:`_GlyphTable` copies only the slices asked for.
    """
    data = _mapped(path)
    _mappings.append(data)
    read_table = face.get_table

    def get_table(tag: str):
        if tag == "glyf":
            start, length = face.get_table_pos(tag)
            return _GlyphTable(data, start, length)
        return read_table(tag)

    face._ttf_data, face.get_table = data, get_table
    return face


def _mapped(path: Path) -> mmap.mmap:
    with open(path, "rb") as handle:
        return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)


_mappings: list[mmap.mmap] = []  # every face's mapped file in this process


def release_pages() -> None:
    """Give back the pages of the font files that the last subsets read: they count in this process's
    memory until the mapping goes, and the next edition mostly uses other faces (a one-process cold
    build of the sample peaked at 192-205 MB with them, 186-197 MB without). Read again if needed."""
    for data in _mappings:
        try:
            data.madvise(mmap.MADV_DONTNEED)
        except (AttributeError, OSError, ValueError):  # no madvise on this platform; a closed map
            pass


class _GlyphTable:
    """A font's glyph table in its memory map; a slice of it is that slice's bytes, read then."""

    __slots__ = ("data", "start", "length")

    def __init__(self, data: mmap.mmap, start: int, length: int):
        self.data, self.start, self.length = data, start, length

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, part: slice) -> bytes:
        first, end, step = part.indices(self.length)
        if step != 1:
            raise ValueError("a glyph table is read in whole runs")
        return self.data[self.start + first:self.start + max(first, end)]


def _pdf_scale(units_per_em: int):
    """Font units to PDF's 1000 per em, as ``TTFontFile.extractInfo`` sets ``_pdfScale``."""
    if units_per_em == 1000:
        return lambda value: value
    factor = 1000 / units_per_em
    return lambda value: value * factor


def _font_around(name: str, face):
    """A ReportLab ``TTFont`` for an already parsed face: what ``TTFont.__init__`` sets, without parsing."""
    from fnmatch import fnmatch
    from weakref import WeakKeyDictionary

    from reportlab import rl_config
    from reportlab.pdfbase.ttfonts import TTEncoding, TTFont, unShapedFontGlob

    font = TTFont.__new__(TTFont)
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(fnmatch(name, pattern) for pattern in unShapedFontGlob)
    return font


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
    """Faces tried in order for each character, with per-character advance widths cached.

    A chain made from families (:meth:`for_families`, :func:`edition_chains`) also gives its
    variants: the bold chain, and the chain for a run in another script (:meth:`variant`).
    """

    names: tuple[str, ...]
    paths: tuple[Path, ...]
    families: tuple[FontFamily, ...] = ()
    bold: bool = False
    scripts: dict = field(default_factory=dict, repr=False, compare=False)  # run language -> its families
    _variants: dict = field(default_factory=dict, repr=False, compare=False)  # shared by all variants

    def __post_init__(self):
        from reportlab.pdfbase import pdfmetrics

        self._faces = [pdfmetrics.getFont(name).face for name in self.names]
        self._sets = [character_set(path) for path in self.paths]
        self._choice: dict[str, int] = {}
        self._advance: dict[str, float] = {}
        self.broken: dict = {}  # pubkit.typeset.blocks.break_lines: lines set in this chain's faces

    @classmethod
    def for_families(cls, families: tuple[FontFamily, ...], bold: bool, scripts: dict | None = None,
                     variants: dict | None = None) -> FontChain:
        paths = tuple(family.bold if bold else family.regular for family in families)
        chain = cls(tuple(register(path) for path in paths), paths, tuple(families), bold, scripts or {},
                    {} if variants is None else variants)
        chain._variants.setdefault((bold, None), chain)
        return chain

    def variant(self, bold: bool, script: str | None = None) -> FontChain:
        """This chain in bold (or regular), for a run of ``script`` (a language code) or the text's own.

        Variants are made when first asked for, so a bold CJK font is registered only when a
        bold run needs it.
        """
        key = (bold, script if script in self.scripts else None)
        chain = self._variants.get(key)
        if chain is None:
            if not self.families:  # a chain made from font names only has no variants
                return self
            families = self.scripts[key[1]] if key[1] else self.families
            chain = FontChain.for_families(families, bold, self.scripts, self._variants)
            self._variants[key] = chain
        return chain

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
        try:
            return size * sum(map(self._advance.__getitem__, text))  # known characters: summed in C
        except KeyError:
            advance = self.advance
            return size * sum(advance(char) for char in text)

    def runs(self, text: str) -> list[tuple[str, str]]:
        """Split ``text`` into (font name, text) runs, each set in one face."""
        try:
            faces = set(map(self._choice.__getitem__, text))
        except KeyError:
            faces = None
        if faces is not None and len(faces) == 1:  # the usual case, decided in C
            return [(self.names[faces.pop()], text)]
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
        """Characters of ``text`` that no face of the chain, nor of its other-script variants, has."""
        sets = self._sets + [character_set(family.regular) for families in self.scripts.values()
                             for family in families]
        return {char for char in set(text) - _IGNORED if not any(ord(char) in chars for chars in sets)}


# --- runs of another CJK script ---------------------------------------------------------------------
CJK_LANGUAGES = ("ja", "ko", "zh")


@lru_cache(maxsize=16384)
def script_of(char: str) -> str | None:
    """'kana', 'hangul', 'han' (ideographs and CJK punctuation) or None (any other script)."""
    code = ord(char)
    if 0x3040 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF or 0xFF66 <= code <= 0xFF9F:
        return "kana"
    if (0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F or 0xAC00 <= code <= 0xD7FF
            or 0xA960 <= code <= 0xA97F or 0xFFA0 <= code <= 0xFFDC):
        return "hangul"
    if (0x3400 <= code <= 0x4DBF or 0x4E00 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF
            or 0x20000 <= code <= 0x3FFFF or 0x3000 <= code <= 0x303F or 0xFF01 <= code <= 0xFF65
            or 0x31C0 <= code <= 0x31EF or 0x2E80 <= code <= 0x2FDF):
        return "han"
    return None


def foreign_runs(text: str, language: str) -> list[tuple[int, int, str]]:
    """(start, end, language) of each run of ``text`` in a CJK script the edition's language does not write.

    A run is a stretch of Han and kana characters (with CJK punctuation), or of Hangul. Whose it is:

    * Hangul: Korean.
    * Han and kana with a kana in it: Japanese (株式会社さくら) — except in a Chinese edition, where
      only the kana themselves are Japanese: Chinese written around a Japanese name cannot be told
      apart from it.
    * Han alone: the edition's own in ja, ko and zh editions (Korean writes 三星 in hanja);
      elsewhere Japanese if the text has kana elsewhere, Korean if it has Hangul, else Chinese.

    The edition's own script is left out (its chain sets it).
    """
    found: list[tuple[int, int, str]] = []
    if not any(ord(char) >= 0x1100 for char in text):
        return found
    has_kana = any(script_of(char) == "kana" for char in text)
    has_hangul = any(script_of(char) == "hangul" for char in text)
    i, n = 0, len(text)
    while i < n:
        kind = script_of(text[i])
        if kind is None:
            i += 1
            continue
        j = i
        if kind == "hangul":
            while j < n and script_of(text[j]) == "hangul":
                j += 1
            owner = "ko"
        elif language == "zh":
            while j < n and (script_of(text[j]) == "kana") == (kind == "kana") and script_of(text[j]) in ("kana", "han"):
                j += 1
            owner = "ja" if kind == "kana" else "zh"
        else:
            kana = False
            while j < n and script_of(text[j]) in ("kana", "han"):
                kana = kana or script_of(text[j]) == "kana"
                j += 1
            if kana:
                owner = "ja"
            elif language in CJK_LANGUAGES:
                owner = language
            else:
                owner = "ja" if has_kana else "ko" if has_hangul else "zh"
        if owner != language:
            found.append((i, j, owner))
        i = j
    return found


def with_fallbacks(project, own: tuple[FontFamily, ...]) -> tuple[FontFamily, ...]:
    """``own`` families, then every other family of the project, in the order print falls back on them
    (and the web edition, which must accept what print accepts)."""
    return tuple(dict.fromkeys(own + tuple(family for setup in project.languages.values() for family in setup.families)))


def edition_chains(project, language: str, texts) -> tuple[FontChain, FontChain]:
    """The regular and bold chains of an edition that prints ``texts`` (plain strings, no markup).

    The language's families come first, then every other family of the project that sets a
    character no earlier one has. A run in another CJK script (:func:`foreign_runs`, decided per
    text as the typesetter decides it per paragraph) gets the families of that language's
    ``[languages.xx]`` entry first, then the same fallbacks.
    """
    everything = with_fallbacks(project, project.languages[language].families)
    runs: dict[str, list[str]] = {}
    native: list[str] = []
    for text in texts:
        at = 0
        for start, end, script in foreign_runs(text, language):
            runs.setdefault(script, []).append(text[start:end])
            native.append(text[at:start])
            at = end
        native.append(text[at:])
    scripts = {}
    for script, parts in runs.items():
        setup = project.languages.get(script)
        order = tuple(dict.fromkeys((setup.families if setup else ()) + everything))
        scripts[script] = families_needed(order, "".join(parts))
    regular = FontChain.for_families(families_needed(everything, "".join(native)), False, scripts)
    return regular, regular.variant(True)


def check_coverage(chain: FontChain, texts: list[tuple[str, str]], *, language: str, spec_file: Path,
                   place_in_file=None) -> None:
    """Fail before layout when any character of any text is in none of the project's fonts.

    (The chain falls back on every family of the project, :func:`edition_chains`, so only a
    character none of them has can still print as a tofu box: that is what is refused.)
    """
    problems: dict[str, list[str]] = {}
    missing = chain.missing("".join({char for _, text in texts for char in text}))  # each character once
    if missing:
        for where, text in texts:
            for char in missing.intersection(text):
                problems.setdefault(char, []).append(where)
    if problems:
        raise missing_glyphs_error(problems, dict(texts), language=language, spec_file=spec_file,
                                   place_in_file=place_in_file)


def missing_glyphs_error(problems: dict[str, list[str]], texts: dict[str, str], *, language: str,
                         spec_file: Path, place_in_file=None) -> PubkitError:
    """The one-line error for characters no project font has (``problems``: character → the places it is in,
    ``texts``: place → its text), for print and the web edition alike. A character that came with a
    translation is reported at its entry in the draft file (``place_in_file``: (spec path, text) → (file,
    line)), where the translator can fix it: the error named the spec, without a line."""
    listed = "; ".join(f"'{char}' (U+{ord(char):04X}) in {', '.join(places[:3])}"
                       + (f" and {len(places) - 3} more" if len(places) > 3 else "")
                       for char, places in sorted(problems.items()))
    first = problems[min(problems)][0]
    found = place_in_file(first, texts[first]) if place_in_file is not None and first in texts else None
    file, line = found if found is not None else (spec_file, None)
    return PubkitError(f"the {language} edition uses characters no font of the project has: {listed}",
                       file=file, line=line, key=first if found is not None else None,
                       fix="replace those characters, or add a font family that has them to "
                           f"pubkit.toml [fonts] and to [languages.{language}] fonts")
