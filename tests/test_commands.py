"""Commands and options the other tests never ran: preview, status counts, dates, the printed order total."""

from __future__ import annotations

import shutil

import polib
from PIL import Image
from pypdf import PdfReader

from conftest import TRANSLATIONS


def test_preview_puts_every_page_of_every_edition_side_by_side(built, run, tmp_path):
    project = built.parent
    result = run(project, "preview", "brochures/demo", "--out", "out", "--scale", "0.1")
    assert result.exit_code == 0, result.output
    sheet = built / "demo-preview.png"
    assert f"demo: {sheet.relative_to(project)}" in result.output or str(sheet) in result.output
    pages = len(PdfReader(built / "demo-vi.pdf").pages)
    with Image.open(sheet) as image:
        width, height = image.size
        page_width = float(PdfReader(built / "demo-vi.pdf").pages[0].trimbox.width) * 0.1
        assert width >= 5 * page_width  # five editions across
        assert height >= pages * page_width  # every page down (pages are taller than wide)
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
        assert colours and len(colours) > 50  # rendered pages, not a blank sheet
    sheet.unlink()


def test_status_counts_reviewed_machine_stale_and_missing(project, run):
    path = project / "brochures" / "demo" / "translations" / "en.po"
    po = polib.pofile(str(path))
    po[0].flags.append("fuzzy")  # machine-only: unreviewed, never reviewed
    po[1].previous_msgid, po[1].flags = "Tài liệu cũ", ["fuzzy"]  # stale: the Vietnamese changed
    po[2].msgstr = ""  # missing
    po[3].obsolete = True  # missing too: the entry left the file
    po.save()
    result = run(project, "status")
    assert result.exit_code == 3
    words = len("Ủy ban nhân dân tỉnh Thái Nguyên".split()) + len("Vị trí địa lý".split())
    words += len("Thái Nguyên – Tiềm năng phát triển và Cơ hội đầu tư".split())
    words += len("Tài liệu giới thiệu dành cho nhà đầu tư".split())
    total = len(TRANSLATIONS["en"])
    row = next(line.split() for line in result.output.splitlines() if line.strip().startswith("en "))
    assert row == ["en", str(total), str(total - 4), "1", "1", "2", str(words), "NOT", "READY"]
    ready = next(line.split() for line in result.output.splitlines() if line.strip().startswith("ja "))
    assert ready[-1] == "ready"


def test_source_date_epoch_sets_the_pdf_dates(project, run, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    assert run(project, "build", "--lang", "vi", "--out", "out").exit_code == 0
    info = PdfReader(project / "out" / "demo-vi.pdf").metadata
    assert info["/CreationDate"].startswith("D:20231114221320")
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert run(project, "build", "--lang", "vi", "--out", "out2").exit_code == 0
    assert PdfReader(project / "out2" / "demo-vi.pdf").metadata["/CreationDate"].startswith("D:20180615")


def test_the_printed_order_total_leaves_drafts_out(project, run):
    po = polib.pofile(str(project / "brochures" / "demo" / "translations" / "zh.po"))
    po[0].flags.append("fuzzy")
    po.save()
    result = run(project, "build", "--draft", "--out", "out")
    assert result.exit_code == 0, result.output
    assert "print order: 3,700 copies" in result.output  # 3,800 less zh's 100: a draft is not printed
    assert "DRAFT, not for print" in result.output


def test_preview_without_a_build_says_what_to_run(project, run):
    shutil.rmtree(project / "build", ignore_errors=True)
    result = run(project, "preview", "brochures/demo")
    assert result.exit_code == 1
    assert "pubkit build" in result.stderr


def test_status_calls_a_source_edited_since_the_last_translate_run_stale_not_missing(project, run):
    """The translator's old text is still there, and the next translate run puts it back fuzzy beside the
    previous source: status said "missing" until then."""
    spec = project / "brochures" / "demo" / "brochure.yaml"
    text = spec.read_text(encoding="utf-8")
    assert "cách Hà Nội khoảng 80 km về phía bắc." in text
    spec.write_text(text.replace("cách Hà Nội khoảng 80 km về phía bắc.", "cách Hà Nội chừng 80 km về phía bắc."),
                    encoding="utf-8")
    result = run(project, "status")
    assert result.exit_code == 3
    total = len(TRANSLATIONS["en"])
    for language in ("en", "ja"):
        row = next(line.split() for line in result.output.splitlines() if line.strip().startswith(f"{language} "))
        assert row[:6] == [language, str(total), str(total - 1), "0", "1", "0"], result.output
