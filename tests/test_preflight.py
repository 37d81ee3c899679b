"""Preflight: each check fails on a PDF made to violate it, and passes on pubkit's own output."""

from __future__ import annotations

import io
import json

import pikepdf
import pytest
from PIL import Image

from pubkit.press.preflight import CHECKS, check_pdf

MM = 72 / 25.4


@pytest.fixture(scope="module")
def good_pdf(tmp_path_factory) -> bytes:
    """The mini brochure's vi edition, built by pubkit (4 pages, saddle stitch)."""
    import shutil

    from conftest import CONFIG, SPEC, make_images

    from pubkit.commands.build import build
    from pubkit.project import load_project

    root = tmp_path_factory.mktemp("preflight-project")
    (root / "pubkit.toml").write_text(CONFIG, encoding="utf-8")
    make_images(root / "assets")
    spec = root / "brochures" / "demo" / "brochure.yaml"
    spec.parent.mkdir(parents=True)
    spec.write_text(SPEC.replace("[vi, en, ja, ko, zh]", "[vi]").replace(", en: 500, ja: 200, ko: 200, zh: 100", ""),
                    encoding="utf-8")
    build(load_project(root), (spec.parent,), out=root / "out")
    data = (root / "out" / "demo-vi.pdf").read_bytes()
    shutil.rmtree(root)
    return data


def statuses(data: bytes) -> dict[str, str]:
    report = check_pdf(data, "test.pdf")
    return {check: report.status_of(check) for check in CHECKS}


def mutate(data: bytes, change) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        change(pdf)
        out = io.BytesIO()
        pdf.save(out)
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


def test_cli_prints_a_table_writes_json_and_exits_1(good_pdf, tmp_path, run):
    (tmp_path / "good.pdf").write_bytes(good_pdf)
    (tmp_path / "bad.pdf").write_bytes(mutate(good_pdf, lambda pdf: draw_on_first_page(
        pdf, b"q 72 0 0 72 100 100 cm /Low Do Q", XObject={"Low": image_xobject(pdf, "CMYK", 72)})))
    result = run(tmp_path, "preflight", "good.pdf", "bad.pdf")
    assert result.exit_code == 1
    assert "FAIL bad.pdf page 1: images" in result.output
    document = json.loads((tmp_path / "preflight.json").read_text(encoding="utf-8"))
    assert [(d["file"], d["passed"]) for d in document] == [("good.pdf", True), ("bad.pdf", False)]
