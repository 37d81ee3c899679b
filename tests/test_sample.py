"""The bundled sample brochure builds as five print editions and a 3,800-copy print order."""

from __future__ import annotations

import json
import subprocess
import unicodedata

import pytest
from pypdf import PdfReader

from conftest import REPO, has_tool, pdf_text

LANGUAGES = ["vi", "en", "ja", "ko", "zh"]


@pytest.fixture(scope="module")
def sample(sample_out):
    return sample_out


def test_five_editions_and_the_real_print_run(sample):
    order = json.loads((sample / "print-order.json").read_text(encoding="utf-8"))
    assert {e["language"]: e["copies"] for e in order["editions"]} == {
        "vi": 2800, "en": 500, "ja": 200, "ko": 200, "zh": 100}
    assert order["total_copies"] == 3800
    pages = {e["language"]: e["pages"] for e in order["editions"]}
    assert all(8 <= count <= 16 and count % 4 == 0 for count in pages.values()), pages


def test_each_edition_carries_its_own_language(sample):
    markers = {"vi": "Tiềm năng phát triển", "en": "Investment", "ja": "タイグエン", "ko": "타이응우옌", "zh": "太原"}
    for language, marker in markers.items():
        text = unicodedata.normalize("NFC", pdf_text(sample / f"thai-nguyen-{language}.pdf"))
        assert marker in text, language
        assert "DRAFT" not in text


@pytest.mark.skipif(not has_tool("pdffonts"), reason="pdffonts (Debian poppler-utils) not installed")
def test_pdffonts_reports_every_font_embedded(sample):
    for language in LANGUAGES:
        listing = subprocess.run(["pdffonts", str(sample / f"thai-nguyen-{language}.pdf")], capture_output=True,
                                 text=True, check=True).stdout.splitlines()[2:]
        assert listing
        assert all(line.split()[-5] == "yes" for line in listing), listing  # the 'emb' column


def test_japanese_and_chinese_lines_obey_kinsoku(sample):
    for language in ("ja", "zh"):
        reader = PdfReader(sample / f"thai-nguyen-{language}.pdf")
        lines = [line.strip() for page in reader.pages for line in page.extract_text().splitlines() if line.strip()]
        assert len(lines) > 100
        assert not [line for line in lines if line[0] in "，。、！？：；》〉」』）"], language


def test_every_edition_passes_preflight_as_pdf_x4(sample):
    checks = json.loads((sample / "preflight.json").read_text(encoding="utf-8"))
    # the spec names a separate cover stock: each edition's text block, then its cover (docs/layout.md)
    assert [c["file"] for c in checks] == [name for language in LANGUAGES
                                           for name in (f"thai-nguyen-{language}.pdf", f"thai-nguyen-{language}-cover.pdf")]
    assert all(c["passed"] and set(c["checks"].values()) == {"pass"} for c in checks), checks


def test_building_twice_gives_identical_files(sample, tmp_path):
    from pubkit.commands.build import build
    from pubkit.project import load_project

    build(load_project(REPO), (REPO / "brochures" / "thai-nguyen",), out=tmp_path)
    for language in LANGUAGES:
        name = f"thai-nguyen-{language}.pdf"
        assert (tmp_path / name).read_bytes() == (sample / name).read_bytes(), name


@pytest.mark.skipif(not has_tool("pdfinfo"), reason="pdfinfo (Debian poppler-utils) not installed")
def test_pdfinfo_reports_pdf_x4(sample):
    info = subprocess.run(["pdfinfo", str(sample / "thai-nguyen-ja.pdf")], capture_output=True, text=True,
                          check=True).stdout
    assert "PDF subtype:    PDF/X-4" in info
