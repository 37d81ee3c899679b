"""Where lines may break, per writing system.

Two modes, chosen per language in ``pubkit.toml``:

* ``words`` — break only after spaces, never before a closing mark or dash. Latin scripts, and Korean, which is written with
  spaces between words (ReportLab's CJK wrap breaks Korean inside words).
* ``cjk`` — break between ideographs and kana, with kinsoku shori (JIS X 4051): closing
  brackets, commas, full stops, small kana and the like never start a line; opening
  brackets never end one; runs of Latin letters and digits stay whole.

Why not a UAX #14 library: ``uniseg`` gives the same kinsoku breaks but measured 76 µs per
character here — about 0.8 s per Chinese or Japanese edition — while this table-driven
pass is a few µs per character.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Characters that must not start a line (行頭禁則文字).
NO_LINE_START = frozenset(
    "、。，．,.：；:;！？!?）〕］｝〉》」』】〙〗〟’”｠»‐゠–—〜～…‥・･ー々〻ゝゞヽヾ"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
    "%％‰℃°′″)]}·"
)
# Characters that must not end a line (行末禁則文字).
NO_LINE_END = frozenset("（〔［｛〈《「『【〘〖〝‘“｟«([{")
# Spaces that allow a break; NO-BREAK SPACE (U+00A0) and NARROW NO-BREAK SPACE are not among them.
BREAKING_SPACES = frozenset(" \t\n\u3000\u2002\u2003\u2009")


# A number keeps its unit on its line ("21.800 / ha", "7,8 / tỷ USD" were broken at the space). The unit
# is a whole word: "m" before "more" or "t" before "to" is no unit. Korean counts by ten-thousands
# ("22만 톤"). Measure and magnitude words of the languages pubkit sets with spaces.
_UNITS = ("km²|km2|km/h|km|m²|m2|m³|m|cm|mm|ha|kg|g|t|kWh|kW|MW|GW|°C|%|USD|VND|EUR|đồng|tấn|triệu|tỷ|nghìn|"
          "million|billion|thousand|trillion|tonnes|tons|people|톤|명|개|억|만|원|달러")
_NUMBER_THEN_UNIT = re.compile(rf"\d[만억]? (?=(?:{_UNITS})(?![^\W\d_]))")
# In Japanese and Chinese a number keeps the counter or unit after it ("国道 37 / 号線", "约 10 万 / 人").
_NUMBER_THEN_WIDE = re.compile(r"\d ?(?=[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])")


def _glued(text: str, mode: str) -> set[int]:
    """Where a line must not break before the character: a unit after its number."""
    glued = {match.end() for match in _NUMBER_THEN_UNIT.finditer(text)}
    if mode == "cjk":
        glued.update(match.end() for match in _NUMBER_THEN_WIDE.finditer(text))
    return glued


@lru_cache(maxsize=8192)
def is_wide(char: str) -> bool:
    """East Asian wide or full-width: a CJK character."""
    return unicodedata.east_asian_width(char) in "WF"


def break_units(text: str, mode: str) -> list[str]:
    """Split ``text`` into units that must stay on one line; a line may break between any two.

    Breaking spaces stay at the end of the unit before them, so joining the units gives back
    the text unchanged.
    """
    units: list[str] = []
    current: list[str] = []
    previous = visible = ""
    glued = _glued(text, mode) if any(char.isdigit() for char in text) else ()
    for at, char in enumerate(text):
        # "（ EVA": a space after an opening bracket does not let the bracket end a line
        if current and _may_break_between(previous, char, mode) and visible not in NO_LINE_END and at not in glued:
            units.append("".join(current))
            current = []
        current.append(char)
        previous = char
        if char not in BREAKING_SPACES:
            visible = char
    if current:
        units.append("".join(current))
    return units


def _may_break_between(before: str, after: str, mode: str) -> bool:
    if after in BREAKING_SPACES or after in NO_LINE_START:
        return False
    if before in BREAKING_SPACES:
        return True
    if mode != "cjk" or before in NO_LINE_END:
        return False
    return is_wide(before) or is_wide(after)
