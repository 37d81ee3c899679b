"""Line-break rules per script: kinsoku for Japanese and Chinese, spaces only for Korean and Latin."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pubkit.typeset.linebreak import NO_LINE_END, NO_LINE_START, break_units

ZH = "太原省位于越南北部，距河内约80公里！交通便利：高速公路《河内—太原》〈新〉「茶」之乡。是否投资？可以；欢迎。"
JA = "タイグエン省は「茶の都」として知られ、ハノイから約80キロ。ちょっと待って、キャッシュ！"
KO = "타이응우옌은 하노이에서 북쪽으로 약 80km 떨어져 있으며, 삼성전자 공장이 있습니다."


def test_units_join_back_to_the_text():
    for text, mode in ((ZH, "cjk"), (JA, "cjk"), (KO, "words"), ("Thái Nguyên cách Hà Nội", "words")):
        assert "".join(break_units(text, mode)) == text


def test_chinese_punctuation_never_starts_a_unit_and_openers_never_end_one():
    units = break_units(ZH, "cjk")
    assert all(unit[0] not in NO_LINE_START for unit in units)
    assert all(unit[-1] not in NO_LINE_END for unit in units)
    for held in ("部，", "里！", "利：", "〈新〉", "「茶」", "原》", "否投资？"[-2:]):
        assert held in units
    assert "80公" in units  # digits stay whole, and keep the unit after them


def test_japanese_small_kana_stay_with_their_syllable():
    units = break_units(JA, "cjk")
    assert "ちょっ" in units and "キャッ" in units
    assert not any(unit.startswith(("ょ", "っ", "ャ", "ッ", "、", "。", "！")) for unit in units)


def test_korean_breaks_only_at_spaces():
    assert break_units(KO, "words") == [word + " " for word in KO.split(" ")[:-1]] + [KO.split(" ")[-1]]


def test_no_break_space_holds_number_and_unit():
    assert "80\u00a0km " in break_units("cách 80\u00a0km về phía bắc", "words")


@given(st.text(alphabet=ZH + JA + " abc12", max_size=80))
def test_kinsoku_holds_for_any_mix(text):
    units = break_units(text, "cjk")
    assert "".join(units) == text
    for before, after in zip(units, units[1:]):
        assert after[0] not in NO_LINE_START
        assert before[-1] not in NO_LINE_END


def test_a_space_after_an_opening_bracket_does_not_let_the_bracket_end_a_line():
    """JIS X 4051: an opening bracket never ends a line, also when a space follows it ("（ EVA", "( EVA ")."""
    assert break_units("（ EVA", "cjk") == ["（ EVA"]
    assert break_units("xem ( EVA )", "words") == ["xem ", "( EVA )"]


@pytest.mark.parametrize("text, mode, kept, split", [
    ("diện tích chè 21.800 ha và 7,8 tỷ USD", "words", ["21.800 ha ", "7,8 tỷ "], ["USD"]),
    ("1.29 million people, 5 m long and 80 km more", "words", ["1.29 million ", "5 m ", "80 km "], ["more"]),
    ("Conference 2018 to provide", "words", [], ["2018 ", "to "]),  # "t" before "o" is no unit
    ("sản lượng 22만 톤 이상", "words", ["22만 톤 "], []),
    ("国道 37 号線と約 10 万人、3,536.4 平方公里", "cjk", ["37 号", "10 万", "3,536.4 平"], []),
    ("全省有 6 カ所", "cjk", ["6 カ"], []),
])
def test_a_number_keeps_its_unit_on_its_line(text, mode, kept, split):
    units = break_units(text, mode)
    assert "".join(units) == text
    for part in kept:
        assert any(part in unit for unit in units), units
    for unit in split:
        assert unit in units, units
