"""Line breaking checked against sources pubkit does not use: the standards' own lists and UAX #14.

The character classes below are copied from JIS X 4051:2004 (Japanese) and the W3C's
"Requirements for Chinese Text Layout" (CLREQ, §3.1.7 prohibition rules), not imported from
``pubkit.typeset.linebreak``, so removing a character from pubkit's tables fails here.
``uniseg`` (an independent implementation of Unicode's line-breaking algorithm) is the
second oracle: pubkit may be stricter than UAX #14, never looser.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pubkit.typeset.linebreak import break_units

# JIS X 4051 character classes that must not start a line.
JIS_CLOSING_BRACKETS = "’”）〕］｝〉》」』】〙〗〟"  # cl-02
JIS_HYPHENS = "‐〜゠–"  # cl-03
JIS_DIVIDING_PUNCTUATION = "？！"  # cl-04
JIS_MIDDLE_DOTS = "・：；"  # cl-05
JIS_FULL_STOPS = "。．"  # cl-06
JIS_COMMAS = "、，"  # cl-07
JIS_ITERATION_MARKS = "ヽヾゝゞ々〻"  # cl-09
JIS_PROLONGED_SOUND_MARK = "ー"  # cl-10
JIS_SMALL_KANA = "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"  # cl-11
JIS_NO_LINE_START = (JIS_CLOSING_BRACKETS + JIS_HYPHENS + JIS_DIVIDING_PUNCTUATION + JIS_MIDDLE_DOTS
                     + JIS_FULL_STOPS + JIS_COMMAS + JIS_ITERATION_MARKS + JIS_PROLONGED_SOUND_MARK + JIS_SMALL_KANA)
JIS_OPENING_BRACKETS = "‘“（〔［｛〈《「『【〘〖〝"  # cl-01: must not end a line
JIS_INSEPARABLE = "—…‥"  # cl-08: never broken between two of them ("——", "……")

# CLREQ: marks that must not start a line (避头) and must not end one (避尾).
CLREQ_NO_LINE_START = "，。、：；！？）》」』】〕〗〙”’…—·"
CLREQ_NO_LINE_END = "（《「『【〔〖〘“‘"

HAN = "太原省位于越南北部投资茶"
KANA = "タイグエンはちのみやこ"


def breaks(text: str) -> set[int]:
    """Offsets where pubkit allows a line break."""
    positions, offset = set(), 0
    for unit in break_units(text, "cjk")[:-1]:
        offset += len(unit)
        positions.add(offset)
    return positions


@pytest.mark.parametrize("mark", sorted(set(JIS_NO_LINE_START + CLREQ_NO_LINE_START)))
def test_a_mark_that_may_not_start_a_line_never_does(mark):
    for base in (HAN, KANA):
        text = base[:4] + mark + base[4:]
        assert 4 not in breaks(text), f"a line may start with {mark!r} (U+{ord(mark):04X})"


@pytest.mark.parametrize("mark", sorted(set(JIS_OPENING_BRACKETS + CLREQ_NO_LINE_END)))
def test_a_mark_that_may_not_end_a_line_never_does(mark):
    for base in (HAN, KANA):
        text = base[:4] + mark + base[4:]
        assert 5 not in breaks(text), f"a line may end with {mark!r} (U+{ord(mark):04X})"


@pytest.mark.parametrize("pair", [mark * 2 for mark in JIS_INSEPARABLE])
def test_doubled_dashes_and_ellipses_are_never_split(pair):
    text = HAN[:3] + pair + HAN[3:]
    assert 4 not in breaks(text)


def test_ideographs_may_break_anywhere_else():
    assert breaks(HAN) == set(range(1, len(HAN)))


def test_latin_words_and_numbers_inside_cjk_stay_whole():
    text = "太原省位于河内以北约80公里的Samsung工厂"
    for start, end in ((10, 12), (15, 22)):  # "80", "Samsung"
        assert not breaks(text) & set(range(start + 1, end))


def _uax14_breaks(text: str) -> set[int]:
    from uniseg.linebreak import line_break_boundaries

    return set(line_break_boundaries(text)) - {0, len(text)}


# Curly quotes are left out: UAX #14 before Unicode 15.1 (LB19) never breaks beside them, while
# JIS X 4051 and CLREQ treat them as the brackets they are in CJK text, with a break allowed before
# an opening one.
CJK_MIX = "".join(sorted(set(HAN + KANA + JIS_NO_LINE_START + JIS_OPENING_BRACKETS + CLREQ_NO_LINE_START
                             + "abc 12") - set("‘’“”")))


@given(st.text(alphabet=CJK_MIX, min_size=1, max_size=60))
def test_pubkit_never_breaks_where_unicode_forbids_it(text):
    pytest.importorskip("uniseg", reason="uniseg (the UAX #14 oracle) is in the dev extra")
    assert breaks(text) <= _uax14_breaks(text) | _uax14_space_differences(text)


def _uax14_space_differences(text: str) -> set[int]:
    """UAX #14 breaks after a run of spaces, pubkit keeps each space with the unit before it: same lines."""
    return {i for i in range(1, len(text)) if text[i - 1] == " "}
