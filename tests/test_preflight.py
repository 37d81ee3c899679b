"""Preflight: each check fails on a PDF made to violate it, and passes on pubkit's own output."""

from __future__ import annotations

import io
import json
import re

import pikepdf
import pytest
from PIL import Image

from conftest import has_tool
from pubkit.press.preflight import CHECKS, check_pdf

MM = 72 / 25.4


pytestmark = pytest.mark.usefixtures("fresh_coverage_cache")  # good_pdf and this: tests/conftest.py


def statuses(data: bytes) -> dict[str, str]:
    report = check_pdf(data, "test.pdf")
    return {check: report.status_of(check) for check in CHECKS}


def mutate(data: bytes, change) -> bytes:
    """``data`` with ``change`` applied; streams are written as they are (qpdf's default decodes and
    recompresses every Flate stream: 54 ms a file, 11 of the suite's profiled seconds)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        change(pdf)
        out = io.BytesIO()
        pdf.save(out, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.none)
        return out.getvalue()


def draw_on_first_page(pdf, content: bytes, **resources) -> None:
    page = pdf.pages[0]
    for kind, entries in resources.items():
        bucket = page.Resources.get(f"/{kind}")
        if bucket is None:
            page.Resources[f"/{kind}"] = bucket = pikepdf.Dictionary()
        for name, value in entries.items():
            bucket[f"/{name}"] = value
    page.contents_add(pikepdf.Stream(pdf, content), prepend=False)


def image_xobject(pdf, mode: str, size: int):
    image = Image.new(mode, (size, size), (10, 20, 200) if mode == "RGB" else (0, 0, 0, 0))
    raw = image.tobytes()
    space = {"RGB": pikepdf.Name.DeviceRGB, "CMYK": pikepdf.Name.DeviceCMYK}[mode]
    return pikepdf.Stream(pdf, raw, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image, Width=size, Height=size,
                          ColorSpace=space, BitsPerComponent=8)


def test_pubkit_output_passes_every_check(good_pdf):
    assert set(statuses(good_pdf).values()) == {"pass"}


def test_rgb_image_fails_colour(good_pdf):
    bad = mutate(good_pdf, lambda pdf: draw_on_first_page(
        pdf, b"q 100 0 0 100 100 100 cm /Rgb Do Q", XObject={"Rgb": image_xobject(pdf, "RGB", 500)}))
    assert statuses(bad)["colour"] == "fail"


def test_72_ppi_image_fails_resolution(good_pdf):
    bad = mutate(good_pdf, lambda pdf: draw_on_first_page(
        pdf, b"q 72 0 0 72 100 100 cm /Low Do Q", XObject={"Low": image_xobject(pdf, "CMYK", 72)}))
    report = check_pdf(bad, "x.pdf")
    assert report.status_of("images") == "fail"
    assert any("72 ppi" in f.detail for f in report.findings)


def test_non_embedded_font_fails(good_pdf):
    helvetica = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica)
    bad = mutate(good_pdf, lambda pdf: draw_on_first_page(
        pdf, b"BT 0 0 0 1 k /Hv 12 Tf 100 100 Td (x) Tj ET", Font={"Hv": helvetica}))
    report = check_pdf(bad, "x.pdf")
    assert report.status_of("fonts") == "fail" and any("Helvetica is not embedded" in f.detail for f in report.findings)


def test_missing_bleed_fails(good_pdf):
    def no_bleed(pdf):
        for page in pdf.pages:
            page.BleedBox = page.TrimBox

    assert statuses(mutate(good_pdf, no_bleed))["boxes"] == "fail"


def test_four_colour_black_text_fails(good_pdf):
    def rich_black(pdf):
        font = next(iter(pdf.pages[0].Resources.Font.keys()))
        draw_on_first_page(pdf, f"BT 0.6 0.5 0.4 1 k {font} 9 Tf 100 100 Td (x) Tj ET".encode())

    report = check_pdf(mutate(good_pdf, rich_black), "x.pdf")
    assert report.status_of("black text") == "fail" and report.status_of("coverage") == "pass"


@pytest.mark.parametrize("mode, fill, outline, fails", [
    (1, "0 0 0 1 k", "0.6 0.5 0.4 1 K", True),    # outline only, in rich black
    (2, "0 0 0 1 k", "0.6 0.5 0.4 1 K", True),    # filled in K, outlined in rich black
    (5, "0 0 0 1 k", "0.6 0.5 0.4 1 K", True),    # outline and clip
    (0, "0 0 0 1 k", "0.6 0.5 0.4 1 K", False),   # filled only: the stroke colour paints nothing
    (3, "0.6 0.5 0.4 1 k", "0.6 0.5 0.4 1 K", False),  # invisible text (an OCR layer) paints nothing
    (2, "0 0 0 1 k", "0 0 0 1 K", False),          # filled and outlined in 100 % K
])
def test_text_outlines_are_judged_like_fills(good_pdf, mode, fill, outline, fails):
    def draw(pdf):
        font = next(iter(pdf.pages[0].Resources.Font.keys()))
        draw_on_first_page(pdf, f"BT {fill} {outline} {mode} Tr {font} 9 Tf 100 100 Td (x) Tj ET".encode())

    report = check_pdf(mutate(good_pdf, draw), "x.pdf")
    assert report.status_of("black text") == ("fail" if fails else "pass")
    if fails:
        assert any(f.detail.startswith("text outlined in 4-colour black") for f in report.findings)


def test_fill_over_300_percent_fails_coverage(good_pdf):
    bad = mutate(good_pdf, lambda pdf: draw_on_first_page(pdf, b"q 0.9 0.8 0.8 1 k 100 100 50 50 re f Q"))
    report = check_pdf(bad, "x.pdf")
    assert report.status_of("coverage") == "fail" and any("350%" in f.detail for f in report.findings)


def test_seven_pages_fail_saddle_stitch(good_pdf):
    def seven(pdf):
        while len(pdf.pages) < 7:
            pdf.pages.append(pdf.pages[1])
        del pdf.pages[7:]

    assert statuses(mutate(good_pdf, seven))["page count"] == "fail"


def test_missing_pdfx_keys_and_crop_marks_fail(good_pdf):
    def strip(pdf):
        del pdf.Root.OutputIntents
        del pdf.docinfo.GTS_PDFXVersion

    assert statuses(mutate(good_pdf, strip))["pdfx"] == "fail"
    registration_inside = b"q 1 1 1 1 K 0.25 w 200 200 m 250 200 l S Q"
    report = check_pdf(mutate(good_pdf, lambda pdf: draw_on_first_page(pdf, registration_inside)), "x.pdf")
    assert report.status_of("crop marks") == "fail"


def test_cli_prints_a_table_writes_json_and_exits_3(good_pdf, tmp_path, run):
    (tmp_path / "good.pdf").write_bytes(good_pdf)
    (tmp_path / "bad.pdf").write_bytes(mutate(good_pdf, lambda pdf: draw_on_first_page(
        pdf, b"q 72 0 0 72 100 100 cm /Low Do Q", XObject={"Low": image_xobject(pdf, "CMYK", 72)})))
    result = run(tmp_path, "preflight", "good.pdf", "bad.pdf")
    assert result.exit_code == 3  # checked, not ready for print (1 is for errors)
    assert "FAIL bad.pdf page 1: images" in result.output
    document = json.loads((tmp_path / "preflight.json").read_text(encoding="utf-8"))
    assert [(d["file"], d["passed"]) for d in document] == [("good.pdf", True), ("bad.pdf", False)]


def encrypted(data: bytes, user: str) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        out = io.BytesIO()
        pdf.save(out, encryption=pikepdf.Encryption(owner="owner", user=user))
        return out.getvalue()


@pytest.mark.parametrize("name, content, message", [
    ("truncated.pdf", lambda good: good[:len(good) // 2], "damaged PDF"),
    ("notes.pdf", lambda good: b"meeting notes, not a PDF\n", "not a PDF file"),
    ("locked.pdf", lambda good: encrypted(good, user="secret"), "locked with a password"),
    ("README.md", lambda good: b"# a readme\n", "neither a PDF nor a brochure"),
])
def test_unreadable_files_are_one_line_errors(good_pdf, tmp_path, run, name, content, message):
    from conftest import CONFIG

    (tmp_path / "pubkit.toml").write_text(CONFIG, encoding="utf-8")  # inside a project, as the README.md was
    (tmp_path / name).write_bytes(content(good_pdf))
    result = run(tmp_path, "preflight", name)
    lines = result.output.strip().splitlines()
    assert result.exit_code == 1 and len(lines) == 1, result.output
    assert lines[0].startswith(f"pubkit: error: {name}: ") and message in lines[0] and " — " in lines[0]


def test_encryption_without_a_password_fails_pdfx(good_pdf):
    report = check_pdf(encrypted(good_pdf, user=""), "x.pdf")
    assert report.status_of("pdfx") == "fail" and any("encrypted" in f.detail for f in report.findings)


def test_xmp_declares_its_namespaces_on_rdf_description(good_pdf):
    """PDFBox reads only namespaces declared on rdf:Description (or above), not on each property."""
    from lxml import etree

    with pikepdf.open(io.BytesIO(good_pdf)) as pdf:
        xmp = etree.fromstring(pdf.Root.Metadata.read_bytes())
    description, = xmp.iter("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}Description")
    declared_here = set(description.nsmap.items()) - set(description.getparent().nsmap.items())
    assert {"dc", "pdf", "xmp", "xmpMM", "pdfxid"} <= {prefix for prefix, _ in declared_here}
    assert all(element.nsmap == description.nsmap for element in description.iterdescendants())
    assert description.findtext("{http://www.npes.org/pdfx/ns/id/}GTS_PDFXVersion") == "PDF/X-4"


def many_characters_pdf() -> tuple[bytes, str]:
    """A PDF of Vietnamese and Chinese text, over 100 distinct characters per font, made by make_pdfx; and its text."""
    import datetime as dt

    from fontTools.ttLib import TTFont as FontFile
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    from conftest import REPO
    from pubkit.press.pdfx import OutputIntent, make_pdfx

    vowels = "aàảãáạăằẳẵắặâầẩẫấậeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵđ"
    vietnamese = vowels + vowels.upper()
    chinese_font = REPO / "fonts" / "NotoSansSC-Regular.ttf"
    mapped = FontFile(chinese_font).getBestCmap()
    chinese = "".join(chr(code) for code in range(0x4E00, 0x5000) if code in mapped)[:160]
    pdfmetrics.registerFont(TTFont("PreflightVietnamese", str(REPO / "fonts" / "BeVietnamPro-Regular.ttf")))
    pdfmetrics.registerFont(TTFont("PreflightChinese", str(chinese_font)))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=(600, 800), invariant=1)
    lines = [("PreflightVietnamese", vietnamese[i:i + 30]) for i in range(0, len(vietnamese), 30)]
    lines += [("PreflightChinese", chinese[i:i + 30]) for i in range(0, len(chinese), 30)]
    for row, (font, text) in enumerate(lines):
        page.setFont(font, 12)
        page.drawString(20, 770 - 20 * row, text)
    page.save()
    intent = OutputIntent((REPO / "colour" / "pubkit-fogra39-tac300.icc").read_bytes())
    return make_pdfx(buffer.getvalue(), intent, title="t", author="a", language="vi",
                     created=dt.datetime(2018, 6, 15, tzinfo=dt.timezone.utc)), vietnamese + chinese


@pytest.mark.skipif(not has_tool("gs"), reason="Ghostscript not installed")
def test_ghostscript_extracts_vietnamese_and_chinese_text(tmp_path):
    """ReportLab writes 256-entry bfchar blocks; the CMap limit is 100, and Ghostscript garbled the rest."""
    import subprocess
    import unicodedata

    data, text = many_characters_pdf()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        cmaps = [font.ToUnicode.read_bytes() for font in pdf.pages[0].Resources.Font.values() if "/ToUnicode" in font]
    assert max(cmap.count(b"\n<") for cmap in cmaps) > 100  # the case that failed: a subset of over 100 characters
    assert all(int(count) <= 100 for cmap in cmaps for count in re.findall(rb"(\d+) beginbfchar", cmap))
    (tmp_path / "text.pdf").write_bytes(data)
    extracted = subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=txtwrite", "-sOutputFile=-",
                                str(tmp_path / "text.pdf")], capture_output=True, check=True).stdout.decode("utf-8")
    assert "".join(unicodedata.normalize("NFC", extracted).split()) == text


def test_only_overlapping_fills_can_stack_their_inks():
    """The stacked-overprint grid is skipped only when no two fills share area (touching is not sharing)."""
    from pubkit.press.preflight import _any_overlap

    assert not _any_overlap([(0, 0, 10, 10), (10, 0, 20, 10), (0, 10, 10, 20), (30, 30, 40, 40)])
    assert _any_overlap([(30, 30, 40, 40), (0, 0, 10, 10), (9.9, 9.9, 20, 20)])
    assert _any_overlap([(0, 0, 100, 100), (40, 40, 50, 50)])  # one inside the other
    assert _any_overlap([(0, 0, 100, 10), (5, -20, 6, 200)])  # a cross: no corner inside the other
    assert _any_overlap([(0, 0, 1, 1)] * 2 + [(2 * n, 5, 2 * n + 1, 6) for n in range(500)])
