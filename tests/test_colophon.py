"""The colophon Luật Xuất bản 2012 asks for, per edition and in its language; the licence warning; the licence summary."""

from __future__ import annotations

import re
import unicodedata

import pytest
from pypdf import PdfReader

from conftest import invoke_in
from support.covers import make_covers_project

# What each edition's colophon must say, written out here from the wording of real colophons (vi) and
# its translations: {pages} is the edition's own page count, read from its PDF.
EXPECTED = {
    "vi": ["Khuôn khổ 14,8 × 21 cm, {pages} trang.", "Số lượng in: 2.800 bản.",
           "In tại Công ty TNHH In Minh Họa, địa chỉ: Số 1 đường Ví Dụ, thành phố Thái Nguyên.",
           "Giấy phép xuất bản số 123/GP-STTTT do Sở Thông tin và Truyền thông tỉnh Thái Nguyên cấp ngày 01/06/2018.",
           "In xong và nộp lưu chiểu tháng 6 năm 2018."],
    "en": ["Format 14.8 × 21 cm, {pages} pages.", "Print run: 500 copies.",
           "Printed by Công ty TNHH In Minh Họa, Số 1 đường Ví Dụ, thành phố Thái Nguyên.",
           "Publication licence no. 123/GP-STTTT, issued by Thai Nguyen Department of Information and "
           "Communications on June 1, 2018.", "Printing completed and legal deposit made in June 2018."],
    "ja": ["判型14.8×21cm、{pages}ページ。", "印刷部数200部。", "出版許可番号123/GP-STTTT（タイグエン省情報通信局、2018年6月1日交付）。",
           "2018年6月印刷完了・納本。"],
    "ko": ["판형14.8×21cm,{pages}쪽.", "인쇄부수200부.", "출판허가번호123/GP-STTTT(타이응우옌성정보통신국,2018년6월1일발급).",
           "2018년6월인쇄완료및납본."],
    "zh": ["成品尺寸14.8×21cm，{pages}页。", "印数100册。", "出版许可证号123/GP-STTTT（太原省信息与传媒厅于2018年6月1日核发）。",
           "2018年6月印刷完毕并缴送样本。"],
}


def _build(root, *args):
    return invoke_in(root, "build", "brochures/demo", "--out", "out", *args)


def _flat(text: str, cjk: bool) -> str:
    """Extracted text as one line; for CJK without any spaces (the extraction and the inter-script spacing vary)."""
    text = unicodedata.normalize("NFC", text)
    return re.sub(r"\s+", "" if cjk else " ", text)


@pytest.fixture(scope="module")
def separate(tmp_path_factory):
    """The covers project with a separate cover stock, built once: the colophon sits on the inside back cover."""
    root = make_covers_project(tmp_path_factory.mktemp("colophon"), cover_paper=True)
    result = _build(root)
    assert result.exit_code == 0, result.output
    return root, result.output


@pytest.mark.parametrize("language", EXPECTED)
def test_each_edition_prints_its_own_colophon_on_the_inside_back_cover(separate, language):
    root, _ = separate
    out = root / "out"
    cover = PdfReader(out / f"demo-{language}-cover.pdf")
    pages = len(cover.pages) + len(PdfReader(out / f"demo-{language}.pdf").pages)
    cjk = language in ("ja", "ko", "zh")
    inside_back = _flat(cover.pages[2].extract_text(), cjk)
    for statement in EXPECTED[language]:
        assert _flat(statement.format(pages=pages), cjk) in inside_back
    for other in ("vi", "en", "ja", "ko", "zh"):  # no other edition's statements leak in
        if other != language:
            assert _flat(EXPECTED[other][1], cjk) not in inside_back


def test_a_self_cover_prints_the_colophon_at_the_foot_of_the_back_cover(tmp_path):
    root = make_covers_project(tmp_path)
    result = _build(root, "--lang", "vi,zh")
    assert result.exit_code == 0, result.output
    for language in ("vi", "zh"):
        reader = PdfReader(root / "out" / f"demo-{language}.pdf")
        cjk = language == "zh"
        back = _flat(reader.pages[-1].extract_text(), cjk)
        for statement in EXPECTED[language]:
            assert _flat(statement.format(pages=len(reader.pages)), cjk) in back
        front = _flat(reader.pages[0].extract_text(), cjk)
        assert _flat(EXPECTED[language][1], cjk) not in front


def test_a_print_build_without_licence_data_warns_and_a_complete_one_does_not(tmp_path, separate):
    _, output = separate
    assert "colophon has no" not in output
    root = make_covers_project(tmp_path, publication=None)
    result = _build(root)
    assert result.exit_code == 0, result.output
    warning = [line for line in result.output.splitlines() if "colophon has no" in line]
    assert len(warning) == 1  # once per brochure, not per edition
    for missing in ("licence number", "licence date", "issuing authority", "printer", "deposit date"):
        assert missing in warning[0]
    assert "Luật Xuất bản 2012" in warning[0]
    # the colophon still states what the spec and the plan know: format, pages, print run
    reader = PdfReader(root / "out" / "demo-en.pdf")
    assert f"Format 14.8 × 21 cm, {len(reader.pages)} pages." in _flat(reader.pages[-1].extract_text(), False)
    draft = _build(root, "--draft")
    assert draft.exit_code == 0 and "colophon has no" not in draft.output  # a proof is not printed


def test_half_a_licence_warns_with_what_is_missing(tmp_path):
    root = make_covers_project(tmp_path, publication='publication: {printer: {name: "In Minh Họa"}}\n')
    result = _build(root, "--lang", "vi")
    warning = [line for line in result.output.splitlines() if "colophon has no" in line]
    assert len(warning) == 1 and "printer" not in warning[0] and "licence number" in warning[0]


def test_the_licence_summary_lists_every_print_edition_in_vietnamese(separate):
    from openpyxl import load_workbook

    root, _ = separate
    out = root / "out"
    sheet = load_workbook(out / "licence-summary.xlsx").active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = rows.index(next(row for row in rows if row[0] == "STT"))
    columns = rows[header]
    editions = {row[1]: dict(zip(columns, row)) for row in rows[header + 1:]}
    assert list(editions) == ["Tiếng Việt", "Tiếng Anh", "Tiếng Nhật", "Tiếng Hàn", "Tiếng Trung (giản thể)"]
    copies = {"Tiếng Việt": 2800, "Tiếng Anh": 500, "Tiếng Nhật": 200, "Tiếng Hàn": 200, "Tiếng Trung (giản thể)": 100}
    files = dict(zip(editions, ("vi", "en", "ja", "ko", "zh")))
    for name, row in editions.items():
        code = files[name]
        pages = len(PdfReader(out / f"demo-{code}.pdf").pages) + len(PdfReader(out / f"demo-{code}-cover.pdf").pages)
        assert row["Số trang"] == pages and row["Số lượng in (bản)"] == copies[name]
        assert row["Khuôn khổ (cm)"] == "14,8 × 21"
        assert row["Tệp in"] == f"demo-{code}.pdf"
        assert "Công ty TNHH In Minh Họa" in row["Tên và địa chỉ cơ sở in"]
        assert row["Mục đích xuất bản"] == "Giới thiệu cơ hội đầu tư; phát miễn phí"
        assert "đóng ghim giữa" in row["Hình thức"] and "bìa Couché 250 gsm" in row["Hình thức"]
    assert editions["Tiếng Việt"]["Tên nguyên bản (tiếng Việt)"] in (None, "")
    english = editions["Tiếng Anh"]
    assert english["Tên tài liệu"] == "Thai Nguyen – Development Potential and Investment Opportunities"
    assert english["Tên nguyên bản (tiếng Việt)"] == "Thái Nguyên – Tiềm năng phát triển và Cơ hội đầu tư"
    assert english["Người dịch"] == "Nguyễn Thị Mai"  # from publication.translators
    assert editions["Tiếng Nhật"]["Người dịch"] == "(chưa ghi)"  # neither the spec nor the PO header names one
    text = (out / "licence-summary.txt").read_text(encoding="utf-8")
    assert "Tổng số lượng in: 3.800 bản" in text and text.count("Số lượng in (bản): ") == 5


def test_the_licence_summary_is_byte_identical_when_built_again(separate, tmp_path):
    root, _ = separate
    first = {name: (root / "out" / name).read_bytes() for name in ("licence-summary.xlsx", "licence-summary.txt")}
    result = _build(root, "--out", str(tmp_path / "again"))
    assert result.exit_code == 0, result.output
    for name, data in first.items():
        assert (tmp_path / "again" / name).read_bytes() == data, name


def test_the_summary_names_the_po_files_translator_when_the_spec_does_not(tmp_path):
    import polib

    root = make_covers_project(tmp_path)
    path = root / "brochures" / "demo" / "translations" / "ko.po"
    po = polib.pofile(str(path))
    po.metadata["Last-Translator"] = "Kim Min-ji <minji@example.kr>"
    po.save(str(path))
    assert _build(root, "--lang", "vi,ko").exit_code == 0
    text = (root / "out" / "licence-summary.txt").read_text(encoding="utf-8")
    assert "Người dịch: Kim Min-ji <minji@example.kr>" in text
    po.metadata["Last-Translator"] = "Park Ji-ho <jiho@example.kr>"  # the header alone: the same texts
    po.save(str(path))
    assert _build(root, "--lang", "vi,ko").exit_code == 0
    text = (root / "out" / "licence-summary.txt").read_text(encoding="utf-8")
    assert "Người dịch: Park Ji-ho <jiho@example.kr>" in text and "Kim Min-ji" not in text


@pytest.mark.parametrize("damage", ["deleted", "replaced"])
def test_a_cover_deleted_or_replaced_in_the_folder_is_made_again(tmp_path, damage):
    """The edition's own PDF is untouched, so only the separate cover tells that it must be made again."""
    import hashlib
    import json

    root = make_covers_project(tmp_path, cover_paper=True)
    assert _build(root, "--lang", "vi,en").exit_code == 0
    cover = root / "out" / "demo-en-cover.pdf"
    made = cover.read_bytes()
    if damage == "deleted":
        cover.unlink()
    else:
        cover.write_bytes(made[:-200])  # another file in its place
    assert _build(root, "--lang", "vi,en").exit_code == 0
    assert cover.read_bytes() == made
    order = json.loads((root / "out" / "print-order.json").read_text(encoding="utf-8"))
    listed = [line for line in order["editions"] if line["file"] == cover.name]
    assert listed and listed[0]["sha256"] == hashlib.sha256(made).hexdigest()


BAD = [
    ('  licence: {number: "123/GP-STTTT", date: "2018-06-01", issuer: "Sở"}\n',
     '  licence: {number: "123/GP-STTTT", issuer: "Sở"}\n', "publication.licence:", "has no date"),
    ('  licence: {number: "123/GP-STTTT", date: "2018-06-01", issuer: "Sở"}\n',
     '  licence: {number: "123/GP-STTTT", date: "2018-06-01"}\n', "publication.licence:", "has no issuer"),
    ('  deposit: "2018-06-12"\n', '  deposit: "2018-05-30"\n', "publication.deposit:", "is before the licence date"),
    ('  deposit: "2018-06-12"\n', '  deposit: "June 2018"\n', "publication.deposit:", "is not a date"),
    ('  translators: {en: "Nguyễn Thị Mai"}\n', '  translators: {fr: "Marie"}\n', "publication.translators.fr:",
     "unknown language"),
    ('  translators: {en: "Nguyễn Thị Mai"}\n', '  translators: {vi: "Ai đó"}\n', "publication.translators.vi:",
     "is the source language"),
    ('  deposit: "2018-06-12"\n', '  deposite: "2018-06-12"\n', "publication.deposite:", "did you mean 'deposit'"),
    ('  printer: {name: "Công ty TNHH In Minh Họa", address: "Số 1 đường Ví Dụ, thành phố Thái Nguyên"}\n',
     '  printer: {address: "Số 1"}\n', "publication.printer:", "missing required key 'name'"),
]


@pytest.mark.parametrize("old, new, where, problem", BAD)
def test_bad_publication_fields_are_refused_on_one_line(tmp_path, old, new, where, problem):
    root = make_covers_project(tmp_path)
    spec = root / "brochures" / "demo" / "brochure.yaml"
    text = spec.read_text(encoding="utf-8").replace("Sở Thông tin và Truyền thông tỉnh Thái Nguyên", "Sở")
    assert old in text
    spec.write_text(text.replace(old, new), encoding="utf-8")
    result = _build(root)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 1 and len(lines) == 1, result.output
    assert lines[0].startswith("pubkit: error: brochures/demo/brochure.yaml:") and where in lines[0], lines[0]
    assert problem in lines[0]


def test_a_colophon_too_long_for_the_back_cover_stops_the_build(tmp_path):
    root = make_covers_project(tmp_path)
    spec = root / "brochures" / "demo" / "brochure.yaml"
    text = spec.read_text(encoding="utf-8")
    spec.write_text(text.replace("Số 1 đường Ví Dụ, thành phố Thái Nguyên", "Số 1 đường Ví Dụ, " * 60), encoding="utf-8")
    result = _build(root, "--lang", "vi")
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 1 and len(lines) == 1, result.output
    assert "publication:" in lines[0] and "colophon takes" in lines[0] and "at the foot of the back cover" in lines[0]


def test_the_licence_summary_follows_a_changed_print_run_and_comes_back_when_deleted(tmp_path):
    from openpyxl import load_workbook

    root = make_covers_project(tmp_path)
    assert _build(root, "--lang", "vi,en").exit_code == 0
    out = root / "out"
    spec = root / "brochures" / "demo" / "brochure.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("en: 500", "en: 650"), encoding="utf-8")
    assert _build(root, "--lang", "vi,en").exit_code == 0
    assert "Số lượng in (bản): 650" in (out / "licence-summary.txt").read_text(encoding="utf-8")
    cells = [cell for row in load_workbook(out / "licence-summary.xlsx").active.iter_rows(values_only=True)
             for cell in row]
    assert 650 in cells and 500 not in cells  # the sheet was made again from the new rows, not kept
    (out / "licence-summary.xlsx").unlink()
    assert _build(root, "--lang", "vi,en").exit_code == 0
    assert (out / "licence-summary.xlsx").is_file()
