"""Paragraphs into justified lines: a Knuth–Plass total-fit breaker for every script pubkit sets.

Why pubkit breaks lines itself. ReportLab's ``Paragraph`` fills lines greedily, knows no
hyphenation, breaks Korean inside words and lets closing punctuation start a line (measured on
the sample before pubkit had its own breaker: 722 bad Korean breaks in 704 lines; 14 of 655
Chinese lines starting with ，！？：；》〉). pubkit's own greedy filler fixed those rules but left
English ragged (median line 14.5 pt short of the measure) and 5–15 % of body lines reaching the
measure. Justifying a greedy fill gives very uneven spacing (one loose line next to a tight one);
a paragraph-level optimiser (Knuth & Plass 1981, the algorithm of TeX) chooses all breaks of a
paragraph together, so every line can be justified with even spacing and few hyphens. Measured
on the sample and a 140-page A4 FLORES brochure: docs/typography.md.

What comes from libraries, not tables made here: English hyphenation points from Pyphen (the
LibreOffice/TeX patterns), phrase boundaries for Japanese and Chinese headings from BudouX, and
large-number scale words from Babel (CLDR). Kinsoku comes from :mod:`pubkit.typeset.linebreak`
(JIS X 4051 and CLREQ classes, checked against ``uniseg``'s UAX #14 in the tests).

The model: a paragraph is a list of :class:`Piece` s (a word, a syllable, a CJK character, a
Latin run inside CJK text), each followed by a gap with a natural width, a stretch and a shrink,
which may or may not be a break. A line is justified by giving every gap of it the same share
of its stretch (or shrink): word spaces in Vietnamese, English and Korean; the space between
characters in Japanese and Chinese, where punctuation also gives up its half-em of white space
first. The breaker can be told to set tighter or looser (``tracking``; ``looseness`` as in TeX),
which is what a copyfitting pass needs.

Styled text (:class:`Styled`): each character has a face — regular, bold, italic, or the fonts of
another script's run (:mod:`pubkit.markup`, :func:`pubkit.typeset.fonts.foreign_runs`) — and is
measured and drawn in it; every part of a piece names its face. No-break spans are never broken
inside (nor hyphenated); a Japanese or Chinese run inside word-wrapped text may break between its
BudouX phrases, with kinsoku. Plain text is a single face and breaks exactly as it did before faces.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import NamedTuple

from pubkit.typeset.linebreak import BREAKING_SPACES, NO_LINE_END, NO_LINE_START, break_units

# --- the rules, as numbers ------------------------------------------------------------------------
SPACE_STRETCH = 0.5     # of the font's space width (TeX's Computer Modern: 1/2)
SPACE_SHRINK = 0.0      # word spaces never shrink: PDFium drops a space glyph drawn narrower than
                        # its advance, and text extraction must find every space (tighten with tracking)
CJK_STRETCH = 0.10      # em between two CJK characters, per unit of ratio
HYPHEN_PENALTY = 50     # TeX's \hyphenpenalty
DOUBLE_HYPHEN_DEMERITS = 3000
MAX_HYPHENS_IN_A_ROW = 2
# At the last tolerance (where an overfull line is allowed) the limit above is a cost, not a ban: a web
# address with many hyphens ("investment-promotion-centre…/one-stop-shop/…") needs more hyphen breaks
# in a row than two, and with the ban the only set of lines left was one running off the page.
# Squared like badness, far below an overfull line's (OVERFULL_BADNESS²) and above any other line's.
HYPHEN_RUN_DEMERITS = 1e24
ADJACENT_FITNESS_DEMERITS = 3000
LINE_PENALTY = 10
OVERFULL_BADNESS = 1e14  # squared in the demerits: more than 10^8 lines of the loosest badness (1e10)
SHORT_LAST_LINE = 0.15  # a paragraph's last line shorter than this share of the measure costs demerits
SHORT_LAST_DEMERITS = 20000
TOLERANCES = (1.5, 3.0, math.inf)  # maximum stretch ratio of a line, tried in turn
HYPHEN_MIN_WORD = 6     # shortest word Pyphen may hyphenate (letters)
LATIN_GAP = 0.25        # em between a Latin run or number and a kanji or kana beside it (cjk_pieces)

# Japanese and Chinese punctuation whose glyph sits in one half of its em (JIS X 4051 cl-01, cl-02,
# cl-06, cl-07): the other half is white space that may be taken away.
CLOSING = frozenset("、。，．）〕］｝〉》」』】〙〗〟")
OPENING = frozenset("（〔［｛〈《「『【〘〖〝")
MIDDLE = frozenset("・：；")  # centred in Japanese: a quarter em each side
# Simplified Chinese sets these in the left half of the em, like a comma
CLOSING_ZH = frozenset("：；！？")
PAIRS = frozenset(("——", "……", "‥‥"))  # two characters each
QUOTES = frozenset("“”‘’")  # proportional in CJK fonts: set at their own width, never padded as Latin
_PUNCTUATION = CLOSING | OPENING | MIDDLE | CLOSING_ZH | QUOTES  # drawn as one unbroken rule or row of dots

_SPACES = "".join(BREAKING_SPACES)


@dataclass(frozen=True)
class Styled:
    """A paragraph's text with a face per character.

    ``faces`` holds a face number per character (None: all face 0), ``advances`` each face's
    advance function (at 1 pt); ``keep`` are (start, end) ranges a line never breaks inside
    (no-break spans), ``loose`` (start, end, language) ranges of Japanese or Chinese inside
    word-wrapped text, which may break between their phrases.
    """

    text: str
    advances: tuple
    faces: tuple | None = None
    keep: tuple = ()
    loose: tuple = ()

    def face(self, at: int) -> int:
        return self.faces[at] if self.faces is not None and at < len(self.faces) else 0

    def width(self, start: int, s: str) -> float:
        """Advance of ``s`` (the text from ``start``) at 1 pt, each character in its face."""
        if self.faces is None:
            advance = self.advances[0]
            return advance(s) if len(s) == 1 else sum(map(advance, s))
        advances, faces = self.advances, self.faces
        return sum(advances[faces[start + k]](c) for k, c in enumerate(s))

    def parts(self, start: int, s: str, dx: float, size: float, tracking: float) -> tuple:
        """``s`` as drawing parts ((dx, text, 100, face), ...), one per change of face."""
        if self.faces is None or not s:
            return ((dx, s, 100.0, 0),)
        out, at, x = [], 0, dx
        for k in range(1, len(s) + 1):
            if k == len(s) or self.faces[start + k] != self.faces[start + at]:
                chunk = s[at:k]
                out.append((x, chunk, 100.0, self.faces[start + at]))
                x += size * (self.width(start + at, chunk) + tracking * len(chunk))
                at = k
        return tuple(out)

    def inside(self, ranges: tuple, start: int, end: int) -> bool:
        """Whether [start, end) overlaps one of ``ranges`` ((start, end, …) tuples)."""
        return any(r[0] < end and start < r[1] for r in ranges)


def _units(styled: Styled, mode: str) -> list[tuple[int, str]]:
    """(offset, unit) of break_units, joined where a boundary falls inside a no-break span."""
    out: list[tuple[int, str]] = []
    at, keep = 0, styled.keep
    for unit in break_units(styled.text, mode):
        if out and keep and any(a < at < b for a, b in keep):
            out[-1] = (out[-1][0], out[-1][1] + unit)
        else:
            out.append((at, unit))
        at += len(unit)
    return out


def _plain_width(advance, s: str, size: float, tracking: float) -> float:
    """What ``size * (Styled.width(start, s) + tracking * len(s))`` gives for one-face text, in one call."""
    return size * ((advance(s) if len(s) == 1 else sum(map(advance, s))) + tracking * len(s))


def _as_styled(text, advance) -> Styled:
    return text if isinstance(text, Styled) else Styled(text, (advance,))


class Piece(NamedTuple):
    """A word, syllable or CJK character and the gap after it (a named tuple: a paragraph makes hundreds,
    and a frozen dataclass's ``__init__`` was a third of making Japanese pieces)."""

    text: str
    width: float                 # advance as set
    parts: tuple = ()            # ((dx, text, horizontal scale %, face), ...) drawn at the piece's x
    gap: float = 0.0             # natural width of the gap after the piece
    stretch: float = 0.0
    shrink: float = 0.0
    gap_text: str = ""           # " " where the gap is a word space
    gap_face: int = 0            # the face its space is drawn in
    breakable: bool = False      # a line may end after this piece
    penalty: float = 0.0
    hyphen: float = 0.0          # width of the hyphen a break here adds (0: none added)
    flagged: bool = False        # a break here ends the line with a hyphen
    end_trim: float = 0.0        # white space dropped when a line ends after this piece
    start_trim: float = 0.0      # white space dropped when a line starts with this piece


_piece_of_tuple = partial(tuple.__new__, Piece)  # a Piece from its fields' tuple, without a Python call


@dataclass
class Line:
    """One line: its pieces, whether it is justified, and where each piece goes."""

    pieces: list
    width: float                 # the measure
    natural: float
    stretch: float
    shrink: float
    hyphenated: bool = False
    last: bool = False
    justify: bool = True
    faces: tuple = ()            # what each part's face number stands for (set by the caller that made the faces)

    def __getstate__(self) -> dict:
        # the pieces as plain tuples, which pickle writes and reads in C: a named tuple calls back into
        # Python for each piece (the sample's cached line breaks, 3.6 MB, best of 5: written in 0.089 s
        # before, 0.046 s now; read in 0.071 s before, 0.040 s now)
        return {**self.__dict__, "pieces": list(map(tuple, self.pieces))}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, pieces=list(map(_piece_of_tuple, state["pieces"])))

    @property
    def text(self) -> str:
        parts = [piece.text + piece.gap_text for piece in self.pieces[:-1]]
        if self.pieces:
            parts.append(self.pieces[-1].text)
        return "".join(parts).rstrip() + ("-" if self.hyphenated and self.pieces[-1].hyphen else "")

    @property
    def ratio(self) -> float:
        if not self.justify or self.last and self.natural <= self.width:
            return 0.0
        slack = self.width - self.natural
        room = self.stretch if slack >= 0 else self.shrink
        return slack / room if room > 0 else 0.0

    def set_width(self) -> float:
        """Width of the line as drawn."""
        ratio = self.ratio
        return self.natural + sum(_adjust(piece, ratio) for piece in self.pieces[:-1])

    def placements(self) -> list[tuple[float, str, float, int]]:
        """(x, text, horizontal scale %, face number) for each part, in drawing order."""
        ratio = self.ratio
        x, out = (-self.pieces[0].start_trim if self.pieces else 0.0), []
        last = len(self.pieces) - 1
        for index, piece in enumerate(self.pieces):
            for dx, text, scale, face in piece.parts:
                out.append((x + dx, text, scale, face))
            if index < last:
                gap = piece.gap + _adjust(piece, ratio)
                if piece.gap_text:
                    # the space glyph is drawn, scaled to the gap, so text extraction finds every space
                    out.append((x + piece.width, piece.gap_text, 100.0 * gap / piece.gap if piece.gap else 100.0,
                                piece.gap_face))
                x += piece.width + gap
        if self.hyphenated and self.pieces and self.pieces[-1].hyphen:
            dx, text, scale, face = out[-1]
            out[-1] = (dx, text + "-", scale, face)
        return out


def _adjust(piece: Piece, ratio: float) -> float:
    return ratio * (piece.stretch if ratio >= 0 else piece.shrink)


# --- pieces per script -----------------------------------------------------------------------------
@lru_cache(maxsize=8)
def _pyphen(language: str):
    """Pyphen's hyphenator, its patterns from the build cache: Pyphen parses its dictionary file in Python
    in every process (0.06 s for en_US, against 5 ms to load it kept; it is made again on a miss)."""
    import pyphen

    from pubkit import cache

    path = pyphen.LANGUAGES[pyphen.language_fallback(language)]
    key = cache.key("hyphenation", cache.file_digest(path), f"pyphen={pyphen.__version__}")
    pyphen.hdcache[path] = cache.remembered_object("hyphenation", key, lambda: pyphen.HyphDict(path),
                                                   lambda found: isinstance(found, pyphen.HyphDict))
    return pyphen.Pyphen(lang=language, left=2, right=3)


def hyphenation_points(word: str, language: str) -> list[int]:
    """Offsets inside ``word`` where Pyphen's dictionary allows a hyphen."""
    if len(word) < HYPHEN_MIN_WORD or not word.isalpha() or word[0].isupper():
        return []  # names are not hyphenated: "Nguy-en" reads as two words
    return _pyphen(language).positions(word)


HYPHEN_LANGUAGES = {"en": "en_US"}


def load_dictionaries(languages) -> None:
    """Load the hyphenation and phrase dictionaries of ``languages`` before their first word is broken (a
    build loads them once before forking the edition workers, which then share them)."""
    for language in languages:
        if language in HYPHEN_LANGUAGES:
            _pyphen(HYPHEN_LANGUAGES[language])
        if language in ("ja", "zh"):
            _budoux(language)


def word_pieces(text: str | Styled, advance, size: float, *, language: str, tracking: float = 0.0) -> list[Piece]:
    """Vietnamese, English, Korean: break at spaces (and, in English, at Pyphen's hyphens).

    A Japanese or Chinese run inside the text (``Styled.loose``) also breaks between its
    phrases, by kinsoku; a no-break span (``Styled.keep``) is one unbreakable, unhyphenated piece.
    """
    styled = _as_styled(text, advance)
    dictionary = HYPHEN_LANGUAGES.get(language)
    pieces: list[Piece] = []

    def width(start: int, s: str) -> float:
        return size * (styled.width(start, s) + tracking * len(s))

    plain, advance0 = styled.faces is None, styled.advances[0]
    for offset, unit in _units(styled, "words"):
        body = unit.rstrip(_SPACES)
        spaced = len(body) < len(unit)
        kept = bool(styled.keep) and styled.inside(styled.keep, offset, offset + len(body))
        chunks = _loose_chunks(styled, offset, body) if styled.loose else [body]
        start = offset
        for c, chunk in enumerate(chunks):
            address = not kept and is_address(chunk)
            if address:
                syllables = address_parts(chunk)
            else:
                syllables = _split_word(chunk, dictionary) if dictionary and not kept else [(chunk, False)]
            for index, (syllable, explicit) in enumerate(syllables):
                final = index == len(syllables) - 1
                if plain:  # one face: what parts() and width() give, without their calls
                    parts = ((0.0, syllable, 100.0, 0),)
                    set_width = _plain_width(advance0, syllable, size, tracking)
                else:
                    parts = styled.parts(start, syllable, 0.0, size, tracking)
                    set_width = width(start, syllable)
                if not final:
                    face = styled.face(start + len(syllable) - 1)
                    hyphen_width = (styled.advances[face]("-") + tracking) * size
                    # an address's breaks show no hyphen of pubkit's: they do not count as a run of hyphens
                    piece = Piece(syllable, set_width, parts, breakable=True, penalty=HYPHEN_PENALTY,
                                  hyphen=0.0 if explicit else hyphen_width, flagged=not address)
                elif c < len(chunks) - 1:  # between two phrases of a CJK run
                    piece = Piece(syllable, set_width, parts, breakable=True)
                elif spaced:
                    face = styled.face(offset + len(body))
                    space = (styled.advances[face](" ") + tracking) * size
                    piece = Piece(syllable, set_width, parts, space, space * SPACE_STRETCH, space * SPACE_SHRINK, " ",
                                  face, True)
                else:
                    piece = Piece(syllable, set_width, parts)
                pieces.append(piece)
                start += len(syllable)
    return pieces


def _loose_chunks(styled: Styled, offset: int, body: str) -> list[str]:
    """``body`` cut inside a Japanese or Chinese run: between BudouX phrases, where kinsoku allows.

    Between any two characters would be allowed in Japanese running text, but in a Latin line a
    short name split (三 / 星) reads as two words; phrases keep 株式会社 | さくら whole, as headings do.
    """
    end = offset + len(body)
    runs = [r for r in styled.loose if r[0] < end and offset < r[1]]
    if not runs:
        return [body]
    phrases = set()
    for start, stop, language in runs:
        phrases |= {start + at for at in phrase_boundaries(styled.text[start:stop], language)}
    chunks, at, start = [], 0, 0
    for unit in break_units(body, "cjk")[:-1]:
        at += len(unit)
        cut = offset + at
        if (cut in phrases and any(r[0] < cut < r[1] for r in runs)
                and not any(a < cut < b for a, b in styled.keep) and body[at - 1] not in _SPACES):
            chunks.append(body[start:at])
            start = at
    chunks.append(body[start:])
    return chunks


def is_address(word: str) -> bool:
    """A web or e-mail address, or a path: a hyphen inserted into it would change it for a reader who
    types it ("investment-promo-/tion-centre" reads as a hyphen of the address)."""
    return "://" in word or word.lower().startswith("www.") or "@" in word or (word.count("/") >= 2 and "." in word)


def address_parts(word: str) -> list[tuple[str, bool]]:
    """An address cut after each slash and hyphen it has, with no hyphen added (so it breaks there rather
    than between arbitrary letters, and never gains a character); ``://`` stays whole."""
    parts, start = [], 0
    for i, char in enumerate(word):
        if (char in "/-" and 0 < i < len(word) - 1 and word[i + 1] not in "/-"
                and not (char == "/" and word[i - 1] in ":/")):
            parts.append((word[start:i + 1], True))
            start = i + 1
    parts.append((word[start:], False))
    return parts


def _split_word(word: str, dictionary: str) -> list[tuple[str, bool]]:
    """``word`` cut at hyphenation points; True marks a piece ending in its own hyphen (long-term). A compound
    that has its own hyphens breaks only there, as TeX and the style manuals have it ("dis- / trict-level"
    read as two hyphens in one word)."""
    out: list[tuple[str, bool]] = []
    chunks = _explicit_hyphens(word)
    for chunk in chunks:
        core = chunk.rstrip("-")
        lead = len(core) - len(core.lstrip("“‘(\"'"))
        letters = core[lead:]
        trail = len(letters) - len(letters.rstrip(".,;:!?”’)\"'"))
        stem = letters[:len(letters) - trail] if trail else letters
        cuts = hyphenation_points(stem, dictionary) if stem and len(chunks) == 1 else []
        start = 0
        for cut in cuts:
            out.append((chunk[start:lead + cut], False))
            start = lead + cut
        out.append((chunk[start:], chunk.endswith("-") and len(core) > 0))
    if out and out[-1][1]:
        out[-1] = (out[-1][0], False)
    return out


def _explicit_hyphens(word: str) -> list[str]:
    chunks, start = [], 0
    for i, char in enumerate(word):
        if char == "-" and 0 < i < len(word) - 1 and word[i - 1].isalpha() and word[i + 1].isalpha():
            chunks.append(word[start:i + 1])
            start = i + 1
    chunks.append(word[start:])
    return chunks


@lru_cache(maxsize=8192)
def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def cjk_pieces(text: str | Styled, advance, size: float, *, language: str, tracking: float = 0.0) -> list[Piece]:
    """Japanese and Chinese: a piece per character (a Latin run, "——" or "……" as one), breaks by kinsoku.

    A Latin run or number has a quarter em of space beside a kanji or kana (JIS X 4051's 四分アキ, CLREQ's
    quarter em), none beside punctuation or a space. It was centred in a whole number of ems, to keep
    the characters after it on the line's em grid, which left from an eighth to nearly a whole em
    beside it, and all of it on one side next to a bracket or at a line start ("80   人", "( 公顷 )").
    Punctuation that
    sits in one half of its em gives up the other half at a line end and between two marks
    ("）：" takes one and a half ems), and may give it up anywhere when a line must shrink.
    """
    styled = _as_styled(text, advance)
    em = size
    closing = CLOSING | (CLOSING_ZH if language == "zh" else frozenset())
    # atoms: (text, breakable after, trailing space, offset in the text)
    atoms: list[list] = []
    for offset, unit in _units(styled, "cjk"):
        body = unit.rstrip(_SPACES)
        trailing = unit[len(body):]
        if len(body) == 1:  # most units: one character, an atom of its own (what the loop below makes of it)
            atoms.append([body, True, trailing, offset])
            continue
        i = 0
        start_count = len(atoms)
        while i < len(body):
            pair = body[i:i + 2]
            if pair in PAIRS:
                atoms.append([pair, False, "", offset + i])
                i += len(pair)
                continue
            char = body[i]
            if _wide(char) or char in QUOTES:
                atoms.append([char, False, "", offset + i])
                i += 1
                continue
            j = i
            while j < len(body) and not _wide(body[j]) and body[j] not in QUOTES and body[j:j + 2] not in PAIRS:
                j += 1
            atoms.append([body[i:j], False, "", offset + i])
            i = j
        if len(atoms) > start_count:
            atoms[-1][1] = True
            atoms[-1][2] = trailing
        elif trailing and atoms:
            atoms[-1][2] += trailing

    def natural(s: str, start: int) -> float:
        return size * (styled.width(start, s) + tracking * len(s))

    def space_after(k: int) -> float:  # the word space after atom k, in the face of that space
        return size * (styled.advances[styled.face(atoms[k][3] + len(atoms[k][0]))](" ") + tracking)

    n = len(atoms)
    advances, plain = styled.advances, styled.faces is None
    if plain:  # one face: the same sums as natural(), without two calls per character
        advance0 = advances[0]
        widths = [_plain_width(advance0, a[0], size, tracking) for a in atoms]
        plain_space = size * (advance0(" ") + tracking)
    else:
        widths = [natural(a[0], a[3]) for a in atoms]
    # Latin runs: consecutive narrow atoms joined by spaces form one run, padded to whole ems
    is_narrow = [not _wide(a[0][0]) and a[0] not in PAIRS and a[0] not in QUOTES for a in atoms]
    pad_left = [0.0] * n
    pad_right = [0.0] * n
    i = 0
    while i < n:
        if not is_narrow[i]:
            i += 1
            continue
        j = i
        while j + 1 < n and is_narrow[j + 1] and atoms[j][2]:
            j += 1
        left = i > 0 and not atoms[i - 1][2]
        right = j + 1 < n and not atoms[j][2]
        # a quarter em beside a kanji or kana; a bracket or comma brings its own white, a space is one
        left_space = left and atoms[i - 1][0][-1] not in _PUNCTUATION
        right_space = right and atoms[j + 1][0][0] not in _PUNCTUATION
        pad_left[i] = LATIN_GAP * em if left_space else 0.0
        pad_right[j] = LATIN_GAP * em if right_space else 0.0
        i = j + 1

    pieces: list[Piece] = []
    full_width, near, cjk_stretch = em * (1 + tracking), 0.02 * em, CJK_STRETCH * em
    last = n - 1
    for k, (atom, breakable, trailing, start) in enumerate(atoms):
        nxt = atoms[k + 1][0] if k < last else ""
        width = widths[k]
        face = 0 if plain else styled.face(start)
        dx = pad_left[k]
        trim_left = trim_right = end_trim = shrink = 0.0
        if abs(width - full_width) < near:  # a full-width character
            if atom in closing:
                if nxt[:1] and (nxt[0] in closing or nxt[0] in OPENING or nxt[0] in MIDDLE):
                    trim_right = 0.5 * em
                else:
                    end_trim = 0.5 * em
                    shrink = 0.5 * em
            elif atom in OPENING and k and atoms[k - 1][0][-1] in OPENING:
                trim_left = 0.5 * em
            if nxt[:1] in OPENING and atom not in OPENING:
                shrink += 0.25 * em  # the opener's half em of white may shrink (half of it, to keep a gap)
        if atom in PAIRS:
            parts = tuple(part + (face,) for part in _pair_parts(atom, advances[face], size))
        elif plain:
            parts = ((dx - trim_left, atom, 100.0, 0),)
        else:
            parts = styled.parts(start, atom, dx - trim_left, size, tracking)
        piece_width = width + pad_left[k] + pad_right[k] - trim_left - trim_right
        if trailing:
            gap = plain_space if plain else space_after(k)
            stretch, shrink = SPACE_STRETCH * gap, shrink + SPACE_SHRINK * gap
        else:
            gap, stretch = 0.0, cjk_stretch
        gap_face = 0 if plain else styled.face(start + len(atom))
        if pad_right[k] and breakable:
            end_trim = pad_right[k]  # no padding against the end of a line
        # positional, in Piece's field order: with keywords a named tuple is made about 3× slower (timeit)
        pieces.append(Piece(atom, piece_width, parts, gap, stretch if k < last else 0.0, shrink,
                            " " if trailing else "", gap_face, breakable, 0.0, 0.0, False, end_trim,
                            pad_left[k] if k and atoms[k - 1][1] else 0.0))
    return pieces


@lru_cache(maxsize=64)
def _pair_parts_cached(pair: str, glyph_width: float, size: float) -> tuple:
    if pair[0] != "—":
        return ((0.0, pair, 100.0),)
    # The em dash of CJK fonts is narrower than an em and has side bearings: two of them print as
    # two dashes with a gap. Stretch each to just over an em so the pair reads as one rule.
    scale = 1.0 / glyph_width * 104.0
    return ((-0.02 * size, pair[0], scale), (size - 0.06 * size, pair[1], scale))


def _pair_parts(pair: str, advance, size: float) -> tuple:
    return _pair_parts_cached(pair, advance(pair[0]), size)


def pieces_for(text: str | Styled, advance, size: float, wrap: str, language: str, tracking: float = 0.0) -> list[Piece]:
    if wrap == "cjk":
        return cjk_pieces(text, advance, size, language=language, tracking=tracking)
    return word_pieces(text, advance, size, language=language, tracking=tracking)


def split_too_wide(pieces: list[Piece], width: float, advances, size: float, too_wide: list | None) -> list[Piece]:
    """A word wider than the measure (a long URL) is broken between characters, and reported.

    ``advances`` are the advance functions, indexed by face number.
    """
    out: list[Piece] = []
    for piece in pieces:
        if piece.width <= width:
            out.append(piece)
            continue
        if too_wide is not None:
            too_wide.append(piece.text)
        chars = [(char, face) for _, text, _, face in piece.parts for char in text]
        for index, (char, face) in enumerate(chars):
            w = advances[face](char) * size
            if index < len(chars) - 1:  # kinsoku holds here too: no line starts with 、 or ends with （
                breakable = chars[index + 1][0] not in NO_LINE_START and char not in NO_LINE_END
                out.append(Piece(char, w, ((0.0, char, 100.0, face),), breakable=breakable, penalty=0.0))
            else:
                out.append(Piece(char, w, ((0.0, char, 100.0, face),), gap=piece.gap, stretch=piece.stretch,
                                 shrink=piece.shrink, gap_text=piece.gap_text, gap_face=piece.gap_face,
                                 breakable=piece.breakable))
    return out


# --- total fit ---------------------------------------------------------------------------------------
def total_fit(pieces: list[Piece], width: float, *, looseness: int = 0, justify_last: bool = False) -> list[Line]:
    """The breaks with the fewest demerits over the whole paragraph (Knuth–Plass), then the lines."""
    if not pieces:
        return []
    n = len(pieces)
    W = [0.0] * (n + 1)
    Y = [0.0] * (n + 1)
    Z = [0.0] * (n + 1)
    for i, p in enumerate(pieces):
        W[i + 1] = W[i] + p.width + p.gap
        Y[i + 1] = Y[i] + p.stretch
        Z[i + 1] = Z[i] + p.shrink
    if W[n] - pieces[-1].gap <= width and not justify_last:
        return [_line(pieces, 0, n, width, last=True)]
    breaks = [i + 1 for i, p in enumerate(pieces[:-1]) if p.breakable] + [n]
    starts = [p.start_trim for p in pieces] + [0.0]
    # stretch never negative and W[a] + start_trim[a] never decreasing: _search stops at the first line too loose
    ordered = all(p.stretch >= 0 for p in pieces) and all(
        W[a + 1] + starts[a + 1] >= W[a] + starts[a] for a in range(n))
    natural_count = None
    for tolerance in TOLERANCES:
        chosen = _search(pieces, breaks, width, W, Y, Z, starts, ordered, tolerance, 0)
        if chosen:
            natural_count = len(chosen) - 1
            break
    if looseness:  # looser (or tighter) than the best: allow looser lines until the count is reached
        for tolerance in TOLERANCES:
            loose = _search(pieces, breaks, width, W, Y, Z, starts, ordered, tolerance, looseness,
                            natural_count + looseness)
            if loose:
                chosen = loose
                if len(loose) - 1 == natural_count + looseness:
                    break
    lines = []
    for index, (a, b) in enumerate(zip(chosen, chosen[1:])):
        lines.append(_line(pieces, a, b, width, last=b == n, hyphenated=b < n and pieces[b - 1].flagged))
    return lines


def _line(pieces, a, b, width, *, last=False, hyphenated=False) -> Line:
    span = pieces[a:b]
    end = span[-1]
    natural = (sum(p.width + p.gap for p in span) - end.gap - end.end_trim - span[0].start_trim
               + (end.hyphen if hyphenated else 0.0))
    stretch = sum(p.stretch for p in span) - end.stretch
    shrink = sum(p.shrink for p in span) - end.shrink
    return Line(span, width, natural, stretch, shrink, hyphenated=hyphenated, last=last)


def _search(pieces, breaks, width, W, Y, Z, starts, ordered, tolerance, looseness, target=None):
    """Knuth–Plass over ``breaks``: the chosen break positions, or None when no set of lines fits.

    Active nodes are kept in the order of their positions, grouped by position: a line from a
    position has one width, stretch, ratio and badness whatever the fitness class, hyphen run or
    line count of the node it starts from, so they are worked out once per position (20 % off
    the search on 6,000 FLORES cases, the same breaks). When a line from a position is too loose
    (its ratio over ``tolerance``) and a line from any later position can only be shorter and
    have no more stretch — ``ordered``: every piece's stretch is ≥ 0 and ``W[a] + start_trim[a]``
    never decreases, checked once per paragraph by :func:`total_fit` — every later position is
    too loose as well, so the scan stops there. In Japanese and Chinese, where every character is
    a break, most positions are such lines: stopping there took 35 % off the breaker's time on 100
    FLORES paragraphs each (none on word-spaced text); the breaks were the same in 10,800
    paragraphs, widths and settings.
    """
    overfull_allowed = tolerance == math.inf and not looseness
    n = len(pieces)
    line_penalty, double_hyphen, adjacent = LINE_PENALTY, DOUBLE_HYPHEN_DEMERITS, ADJACENT_FITNESS_DEMERITS
    short_last = SHORT_LAST_LINE * width
    inf = math.inf
    # groups: [position, nodes], in the order of their positions;
    # a node: (demerits, line count, fitness, hyphen run, position, parent)
    groups: list = [(0, [(0.0, 0, 1, 0, 0, None)])]
    for b in breaks:
        end = pieces[b - 1]
        last = b == n
        flagged = end.flagged and not last
        base_width = W[b] - end.gap - end.end_trim + (end.hyphen if flagged else 0.0)
        base_stretch = Y[b] - end.stretch
        base_shrink = Z[b] - end.shrink
        penalty = end.penalty ** 2 if end.penalty and not last else 0.0
        candidates: dict = {}
        kept: list = []
        for index, group in enumerate(groups):
            a, nodes = group
            natural = base_width - W[a] - starts[a]
            overfull = False
            if natural > width:
                shrink = base_shrink - Z[a]
                if natural - shrink > width + 1e-6:
                    if not overfull_allowed:
                        continue  # no line from here fits any more: the position is dropped
                    ratio, overfull = -1.0, True  # last resort: nothing else fits
                else:
                    ratio = (width - natural) / shrink if shrink > 0 else -1.0
            elif last:
                ratio = 0.0
            else:
                stretch = base_stretch - Y[a]
                ratio = (width - natural) / stretch if stretch > 0 else (0.0 if width - natural < 0.5 else inf)
                if ratio > tolerance:
                    if ordered and width - natural >= 0.5:
                        kept += groups[index:]  # every later position makes a shorter line with no more stretch
                        break
                    kept.append(group)
                    continue
            kept.append(group)
            # an overfull line runs off the column: dearer than any number of lines that cannot stretch (a
            # long word broken between its letters), which at equal badness had lost to one line running off
            # the page; and of those, the fuller the better (each point left empty counts)
            if overfull:
                badness = OVERFULL_BADNESS
            elif ratio == inf:
                badness = 1e10 + (width - natural)
            else:
                badness = min(100.0 * abs(ratio) ** 3, 1e10)
            line_demerits = (line_penalty + badness) ** 2 + penalty
            line_fit = 0 if ratio < -0.5 else 1 if ratio <= 0.5 else 2 if ratio <= 1 else 3
            short = last and a > 0 and natural < short_last
            for node in nodes:
                demerits, count, fitness, run = node[0], node[1], node[2], node[3]
                d = line_demerits
                if flagged and run >= MAX_HYPHENS_IN_A_ROW:
                    if not overfull_allowed:
                        continue
                    d += HYPHEN_RUN_DEMERITS
                if flagged and run:
                    d += double_hyphen
                fit = line_fit
                if last:
                    fit = fitness  # the last line's spacing is its own
                    if short:
                        d += SHORT_LAST_DEMERITS
                if abs(fit - fitness) > 1:
                    d += adjacent
                total = demerits + d
                new_run = run + 1 if flagged else 0
                ckey = (fit, new_run, count + 1 if looseness else 0)
                old = candidates.get(ckey)
                if old is None or total < old[0]:
                    candidates[ckey] = (total, count + 1, fit, new_run, b, node)
        if candidates:
            kept.append((b, list(candidates.values())))
        groups = kept
        if not groups:
            return None
    finals = groups[-1][1] if groups[-1][0] == n else []
    if not finals:
        return None
    best = min(finals, key=lambda node: node[0])
    if looseness:
        best = min(finals, key=lambda node: (abs(node[1] - target), node[0]))
    chosen = []
    node = best
    while node is not None:
        chosen.append(node[4])
        node = node[5]
    return chosen[::-1]


# --- headings: balanced, broken only between words or phrases -------------------------------------------
@lru_cache(maxsize=4)
def _budoux(language: str):
    import budoux

    return (budoux.load_default_japanese_parser() if language == "ja"
            else budoux.load_default_simplified_chinese_parser())


def phrase_boundaries(text: str, language: str) -> set[int]:
    """Offsets between BudouX phrases (ja, zh)."""
    offsets, at = set(), 0
    for phrase in _budoux(language).parse(text):
        at += len(phrase)
        offsets.add(at)
    return offsets


# Short words a heading line should not end with (a preposition or conjunction left hanging).
_HANGING = {"en": {"a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with"},
            "vi": {"và", "của", "cho", "các", "những", "với", "tại", "ở", "trong", "về", "là"}}


def balanced(pieces: list[Piece], width: float, text: str, language: str, wrap: str) -> list[Line]:
    """Fewest lines, then lines as even as possible (least sum of squared shortfall, the last line included).

    Japanese and Chinese headings break only between BudouX phrases (kinsoku still applies); Korean,
    Vietnamese and English only at spaces, and not after a short function word where avoidable.
    """
    n = len(pieces)
    if not n:
        return []
    allowed = [p.breakable for p in pieces]
    if wrap == "cjk":
        bounds = phrase_boundaries(text, language)
        offset, offsets = 0, []
        for p in pieces:
            offset += len(p.text) + len(p.gap_text)
            offsets.append(offset)
        phrase_allowed = [allowed[i] and (offsets[i] in bounds or pieces[i].gap_text) for i in range(n)]
        if _fits_with(pieces, phrase_allowed, width):
            allowed = phrase_allowed
    hanging = _HANGING.get(language, set())
    W = [0.0] * (n + 1)
    for i, p in enumerate(pieces):
        W[i + 1] = W[i] + p.width + p.gap
    INF = (math.inf, math.inf)
    best = [INF] * (n + 1)
    parent = [0] * (n + 1)
    best[0] = (0, 0.0)
    for b in range(1, n + 1):
        if b < n and not allowed[b - 1]:
            continue
        end = pieces[b - 1]
        for a in range(b - 1, -1, -1):
            if best[a] == INF:
                continue
            natural = W[b] - W[a] - end.gap - end.end_trim - pieces[a].start_trim
            if natural > width + 1e-6:
                if a == b - 1:  # a single piece wider than the line: it still has to go somewhere
                    pass
                else:
                    break
            cost = (width - natural) ** 2
            if b < n and end.text.lower().strip(",.:") in hanging:
                cost += (0.3 * width) ** 2
            if b < n and end.text.endswith((",", ":", "–", "—", ";")):
                cost -= (0.1 * width) ** 2
            lines, total = best[a]
            candidate = (lines + 1, total + cost)
            if candidate < best[b]:
                best[b], parent[b] = candidate, a
    cuts, b = [], n
    while b:
        cuts.append(b)
        b = parent[b]
    cuts.append(0)
    cuts.reverse()
    lines = [_line(pieces, a, b, width, last=True) for a, b in zip(cuts, cuts[1:])]
    for line in lines:
        line.justify = False
    return lines


def _fits_with(pieces, allowed, width) -> bool:
    run = 0.0
    for p, ok in zip(pieces, allowed):
        run += p.width
        if run > width:
            return False
        run = 0.0 if ok else run + p.gap
    return True
