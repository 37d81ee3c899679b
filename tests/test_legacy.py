"""The legacy-encoding guard refuses TCVN3 and VNI text, and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from pubkit.spec.legacy import legacy_encoding

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"

LATIN_1_NAMES = [
    "Đoàn công tác đã làm việc tại Köln, Malmö và Göteborg, sau đó đến A Coruña.",
    "Köln, Malmö, Göteborg, A Coruña, Zürich, São Paulo, Ñandú, Curaçao, Århus",
    "Hợp tác với Siemens (München) và Nestlé (Vevey), đối tác từ Perú và Chloé.",
]
LEGACY = [
    ("Thaùi Nguyeân – Tieàm naêng phaùt trieån vaø Cô hoäi ñaàu tö", "VNI"),
    ("Tænh Thaùi Nguyeân naèm ôû trung taâm vuøng Vieät Baéc", "VNI"),
    ("Th¸i Nguyªn – TiÒm n¨ng ph¸t triÓn vµ C¬ héi ®Çu t­", "TCVN3 (ABC)"),
]


@pytest.mark.parametrize("text", LATIN_1_NAMES)
def test_unicode_text_with_latin_1_names_is_not_legacy(text):
    assert legacy_encoding(text) is None


@pytest.mark.parametrize("text, encoding", LEGACY)
def test_real_legacy_text_is_recognised(text, encoding):
    assert legacy_encoding(text) == encoding


def test_a_vni_line_among_unicode_lines_is_still_found():
    text = "\n".join([LATIN_1_NAMES[0], LEGACY[0][0], "Tỉnh Thái Nguyên nằm ở trung tâm vùng Việt Bắc."])
    assert legacy_encoding(text) == "VNI"


@pytest.mark.skipif(not (SHARED / "corpora" / "flores-dev" / "vi.txt").is_file(),
                    reason="../shared/corpora/flores-dev is not here (a user's checkout has no ../shared)")
def test_no_line_of_professional_vietnamese_is_refused():
    lines = (SHARED / "corpora" / "flores-dev" / "vi.txt").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 997
    assert [line for line in lines if legacy_encoding(line)] == []


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="../shared/seeds is not here")
def test_no_seed_article_is_refused():
    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    assert seeds
    assert [seed.name for seed in seeds if legacy_encoding(seed.read_text(encoding="utf-8"))] == []
