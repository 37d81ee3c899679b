"""Preflight verdicts on altered copies of a good edition: each alteration is one defect a print
shop would reject (or, in the second table, accept), and preflight must say exactly that."""

from __future__ import annotations

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, Operator

from pubkit.press.preflight import CHECKS, check_pdf
from test_preflight import draw_on_first_page, mutate


pytestmark = pytest.mark.usefixtures("fresh_coverage_cache")  # good_pdf and this: tests/conftest.py


def failing_checks(data: bytes) -> dict[str, list[str]]:
    report = check_pdf(data, "altered.pdf")
    failing: dict[str, list[str]] = {}
    for finding in report.findings:
        if finding.status == "fail":
            failing.setdefault(finding.check, []).append(finding.detail)
    return failing


def graphics_state(pdf, content: bytes, **entries) -> None:
    draw_on_first_page(pdf, content, ExtGState={"GS": Dictionary(**entries)})


def transfer_function(pdf):
    return pdf.make_stream(b"{1 exch sub}", FunctionType=4, Domain=[0, 1], Range=[0, 1])


def link_annotation(pdf, rect: list[float]) -> None:
    pdf.pages[0].Annots = pdf.make_indirect(Array([Dictionary(
        Type=Name.Annot, Subtype=Name.Link, Rect=rect, Border=[0, 0, 0],
        A=Dictionary(S=Name.URI, URI=pikepdf.String("https://example.vn")))]))


def separation(pdf, colorant: str) -> Array:
    tint = pdf.make_stream(b"{dup dup dup}", FunctionType=4, Domain=[0, 1], Range=[0, 1] * 4)
    return Array([Name.Separation, Name(colorant), Name.DeviceCMYK, tint])


def crop_marks_in_all_separation(pdf) -> None:
    """Registration as InDesign and Acrobat draw it: ``/All`` Separation set with CS/SCN."""
    for page in pdf.pages:
        operations = []
        for operands, operator in pikepdf.parse_content_stream(page):
            if str(operator) == "K" and [float(v) for v in operands] == [1, 1, 1, 1]:
                operations += [([Name.Reg], Operator("CS")), ([1], Operator("SCN"))]
            else:
                operations.append((operands, operator))
        page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(operations))
        page.Resources.ColorSpace = Dictionary(Reg=separation(pdf, "/All"))


def bar_to_the_trim(pdf) -> None:
    """A running-header bar that stops at the trim's top edge instead of the bleed's."""
    page = pdf.pages[1]
    bx0, _, bx1, _ = (float(v) for v in page.BleedBox)
    top = float(page.TrimBox[3])
    page.contents_add(pdf.make_stream(f"q 0.8 0.2 0.95 0.25 k {bx0} {top - 17} {bx1 - bx0} 17 re f Q".encode()))


def xmp_without_pdfx_version(pdf) -> None:
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
        del xmp["pdfxid:GTS_PDFXVersion"]


def place_image(pdf, data: bytes, space, bits: int = 8, **entries) -> None:
    """A 300 × 300 pixel image, placed at 300 ppi inside the trim as /Bad."""
    image = pikepdf.Stream(pdf, data, Type=Name.XObject, Subtype=Name.Image, Width=300, Height=300,
                           ColorSpace=space, BitsPerComponent=bits, **entries)
    draw_on_first_page(pdf, b"q 72 0 0 72 100 100 cm /Bad Do Q", XObject={"Bad": image})


def undecodable_image(pdf) -> None:
    place_image(pdf, b"\xff\xd8 not really a JPEG", Name.DeviceCMYK, Filter=Name.DCTDecode)


def cmyk_image(pixel: bytes, bits: int = 8):
    """Every pixel of a DeviceCMYK image is ``pixel`` (four samples of ``bits`` each, big-endian)."""
    return lambda pdf: place_image(pdf, pixel * 300 * 300, Name.DeviceCMYK, bits)


def indexed_image(pdf, palette: bytes) -> None:
    """Every pixel uses the palette's second entry."""
    place_image(pdf, b"\x01" * 300 * 300, Array([Name.Indexed, Name.DeviceCMYK, 1, pikepdf.String(palette)]))


def stroked(path, **entries):
    """A cyan stroke on the first page: ``path(x0, y0, x1, y1)``, given the trim box's edges, returns the
    path (and line width, cap or join) in points; ``entries`` make the graphics state /GS it is drawn in."""
    def alteration(pdf):
        trim = (float(v) for v in pdf.pages[0].TrimBox)
        draw_on_first_page(pdf, f"q /GS gs 1 0 0 0 K {path(*trim)} S Q".encode(),
                           ExtGState={"GS": Dictionary(**entries)})
    return alteration


def rule_to_the_right_trim(x0, y0, x1, y1) -> str:
    """A 2 pt rule with butt ends, from inside the page to the trim's right edge: its ink stops there."""
    return f"2 w 200 300 m {x1} 300 l"


def open_outline(x0, y0, x1, y1) -> str:
    """Three sides of a box in 2 pt lines, open on its right side, which lies 1 pt inside the trim's right edge."""
    return f"2 w {x1 - 1} 300 m 200 300 l 200 400 l {x1 - 1} 400 l"


def chevron_under_the_top_trim(x0, y0, x1, y1) -> str:
    """A right-angled chevron of 2 pt, its apex 1.414 pt under the trim's top edge: the miter reaches the edge."""
    return f"2 w 200 {y1 - 11.414} m 210 {y1 - 1.414} l 220 {y1 - 11.414} l"


OVERPRINTED_FILLS = b"q /GS gs 1 1 0 0 k 100 100 60 60 re f 0 0 0.8 0.8 k 130 130 60 60 re f Q"  # overlap: 360 %

def text_line(placed: str, text: str = "Thai Nguyen lies about 80 km north of Hanoi", before: str = ""):
    """A line of text in the page's own first font (its widths known): ``placed(x0, y0, x1, y1)``, given the trim
    box's edges, returns where it starts (``"x y"``); ``before`` sets up the text state (clip, render mode...)."""
    def alteration(pdf):
        page = pdf.pages[0]
        font = next(iter(page.Resources.Font.keys()))
        trim = (float(v) for v in page.TrimBox)
        draw_on_first_page(pdf, f"q {before} BT {font} 9 Tf 1 0 0 1 {placed(*trim)} Tm ({text}) Tj ET Q".encode())
    return alteration


def cid_text_line(widths: list):
    """Forty two-byte codes in a Type 0 font (Identity-H) with ``widths`` as its /W, from the trim's right edge
    less 100 pt: its glyphs, 1000 units wide at 9 pt, run past the trim."""
    def alteration(pdf):
        page = pdf.pages[0]
        simple = page.Resources.Font[next(iter(page.Resources.Font.keys()))]
        cid = pdf.make_indirect(Dictionary(
            Type=Name.Font, Subtype=Name.CIDFontType2, BaseFont=simple.BaseFont, FontDescriptor=simple.FontDescriptor,
            CIDSystemInfo=Dictionary(Registry=pikepdf.String("Adobe"), Ordering=pikepdf.String("Identity"), Supplement=0),
            W=Array(widths), DW=0))
        font = Dictionary(Type=Name.Font, Subtype=Name.Type0, BaseFont=simple.BaseFont, Encoding=Name("/Identity-H"),
                          DescendantFonts=Array([cid]))
        codes = "".join(f"{code:04x}" for code in range(1, 41))
        right = float(page.TrimBox[2])
        draw_on_first_page(pdf, f"BT /CID 9 Tf 1 0 0 1 {right - 100} 300 Tm <{codes}> Tj ET".encode(), Font={"CID": font})
    return alteration


FAILS = {
    "ArtBox and TrimBox both set": (lambda pdf: setattr(pdf.pages[0], "ArtBox", pdf.pages[0].TrimBox), "boxes"),
    "link annotation inside the trim": (lambda pdf: link_annotation(pdf, [100, 100, 200, 120]), "pdfx"),
    "JavaScript OpenAction": (lambda pdf: setattr(pdf.Root, "OpenAction", Dictionary(
        S=Name.JavaScript, JS=pikepdf.String("app.alert('hi')"))), "pdfx"),
    "transfer function (TR)": (lambda pdf: graphics_state(pdf, b"q /GS gs Q", TR=transfer_function(pdf)), "pdfx"),
    "transfer function (TR2)": (lambda pdf: graphics_state(pdf, b"q /GS gs Q", TR2=transfer_function(pdf)), "pdfx"),
    "DeviceRGB set with cs": (lambda pdf: draw_on_first_page(
        pdf, b"q /DeviceRGB cs 0.2 0.4 0.9 sc 100 100 50 50 re f Q"), "colour"),
    "rich-black text set with sc": (lambda pdf: draw_on_first_page(
        pdf, b"BT /DeviceCMYK cs 0.6 0.5 0.4 1 sc /F1+0 9 Tf 100 100 Td (x) Tj ET"), "black text"),
    "rich-black text set with scn": (lambda pdf: draw_on_first_page(
        pdf, b"BT /DeviceCMYK cs 0.6 0.5 0.4 1 scn /F1+0 9 Tf 100 100 Td (x) Tj ET"), "black text"),
    "spot colour": (lambda pdf: draw_on_first_page(
        pdf, b"q /Spot cs 1 scn 100 100 50 50 re f Q", ColorSpace={"Spot": separation(pdf, "/PANTONE 185 C")}),
        "colour"),
    "XMP without pdfxid:GTS_PDFXVersion": (xmp_without_pdfx_version, "pdfx"),
    "two overprinting fills make 360 %": (lambda pdf: graphics_state(
        pdf, OVERPRINTED_FILLS, OP=True, op=True, OPM=1), "coverage"),
    "garbage ICC output profile": (lambda pdf: pdf.Root.OutputIntents[0].DestOutputProfile.write(
        b"garbage " * 200), "pdfx"),
    "registration colour filling the page": (lambda pdf: draw_on_first_page(
        pdf, b"q /Reg cs 1 scn 100 100 50 50 re f Q", ColorSpace={"Reg": separation(pdf, "/All")}), "crop marks"),
    "header bar stopping at the trim": (bar_to_the_trim, "bleed"),
    "stroked rule ending at the trim": (stroked(rule_to_the_right_trim), "bleed"),
    "stroked frame with its outer edge on the trim": (stroked(
        lambda x0, y0, x1, y1: f"2 w {x0 + 1} {y0 + 1} {x1 - x0 - 2} {y1 - y0 - 2} re"), "bleed"),
    "square-capped rule whose cap ends at the trim": (stroked(
        lambda x0, y0, x1, y1: f"2 J 2 w 200 300 m {x1 - 1} 300 l"), "bleed"),
    "mitered chevron reaching the trim": (stroked(chevron_under_the_top_trim), "bleed"),
    "round-joined chevron reaching the trim": (stroked(lambda *trim: f"1 j {chevron_under_the_top_trim(*trim)}"),
                                               "bleed"),
    "curve ending at the trim": (stroked(lambda x0, y0, x1, y1: f"2 w 200 300 m 250 350 {x1 - 50} 300 {x1} 300 c"),
                                 "bleed"),
    "rule into the bleed clipped at the trim": (stroked(
        lambda x0, y0, x1, y1: f"{x0} {y0} {x1 - x0} {y1 - y0} re W n 2 w 200 300 m {x1 + 10} 300 l"), "bleed"),
    "outline closed by s on the trim side": (stroked(lambda *trim: f"{open_outline(*trim)} s"), "bleed"),
    "outline closed by h on the trim side": (stroked(lambda *trim: f"{open_outline(*trim)} h"), "bleed"),
    "round dot touching the trim": (stroked(lambda x0, y0, x1, y1: f"1 J 10 w {x1 - 5} 300 m {x1 - 5} 300 l"),
                                    "bleed"),
    "image that cannot be decoded": (undecodable_image, "coverage"),
    "grey image with broken data": (lambda pdf: place_image(pdf, b"not deflated", Name.DeviceGray,
                                                            Filter=Name.FlateDecode), "coverage"),
    "transfer function in an unused graphics state": (lambda pdf: draw_on_first_page(
        pdf, b"", ExtGState={"Unused": Dictionary(TR=transfer_function(pdf))}), "pdfx"),
    "indexed image at 394 %": (lambda pdf: indexed_image(pdf, bytes([0, 0, 0, 0, 255, 255, 240, 255])), "coverage"),
    "a line of text run past the right trim": (text_line(lambda x0, y0, x1, y1: f"{x1 - 60} 300"), "trim"),
    "a heading set into the top trim": (text_line(lambda x0, y0, x1, y1: f"{x0 + 20} {y1 - 3}", "Heading"), "trim"),
    "a line moved past the trim by TJ spacing": (lambda pdf: draw_on_first_page(pdf, (
        f"BT {next(iter(pdf.pages[0].Resources.Font.keys()))} 9 Tf 1 0 0 1 {float(pdf.pages[0].TrimBox[2]) - 90} 300 Tm "
        "[(Thai) -9000 (Nguyen)] TJ ET").encode()), "trim"),
    "a Type 0 line past the trim (widths listed)": (cid_text_line([1, Array([1000] * 40)]), "trim"),
    "a Type 0 line past the trim (a width for a range)": (cid_text_line([1, 40, 1000]), "trim"),
    "CMYK image at 320 %": (cmyk_image(bytes([255, 255, 255, 51])), "coverage"),
    # four full 16-bit samples: 262,140, which a 16-bit sum would wrap to 65,532 (100 %)
    "16-bit CMYK image at 400 %": (cmyk_image(b"\xff\xff" * 4, bits=16), "coverage"),
}

PASSES = {
    "crop marks in the /All Separation": crop_marks_in_all_separation,
    "TR2 /Default": lambda pdf: graphics_state(pdf, b"q /GS gs Q", TR2=Name.Default),
    "link annotation in the slug": lambda pdf: link_annotation(pdf, [2, 2, 20, 10]),
    "OpenAction that opens a page": lambda pdf: setattr(pdf.Root, "OpenAction", Array([pdf.pages[0].obj, Name.Fit])),
    "indexed image at 280 %": lambda pdf: indexed_image(pdf, bytes([255, 255, 255, 255, 255, 204, 0, 255])),
    "CMYK image at 290 %": cmyk_image(bytes([255, 255, 204, 25])),
    "16-bit CMYK image at 290 %": cmyk_image(b"\xff\xff\xff\xff\xcc\xcc\x19\x99", bits=16),
    "a job note wholly in the slug": text_line(lambda x0, y0, x1, y1: f"{x0 + 20} {y0 - 9}", "job 2018-06 plate K"),
    "a line ending just inside the trim": text_line(lambda x0, y0, x1, y1: f"{x1 - 200} 300", "Thai Nguyen"),
    "a line past the trim, clipped at it": text_line(lambda x0, y0, x1, y1: f"{x1 - 60} 300",
                                                     before="36 36 300 500 re W n"),
    "a line past the trim, invisible (Tr 3)": text_line(lambda x0, y0, x1, y1: f"{x1 - 60} 300", before="3 Tr"),
    "a Type 0 line whose glyphs are narrow enough": cid_text_line([1, 40, 200]),
    "inline CMYK image": lambda pdf: draw_on_first_page(
        pdf, b"q 0.48 0 0 0.24 100 100 cm BI /W 2 /H 1 /CS /CMYK /BPC 8 ID \x40\x40\x40\x40\x00\x00\x00\xff EI Q"),
    "the same fills knocked out": lambda pdf: graphics_state(pdf, OVERPRINTED_FILLS, OP=False),
    # overprint mode 0: a DeviceCMYK fill paints all four plates, zeros too, so nothing stacks (ISO 32000 8.6.7)
    "the same fills overprinted in mode 0": lambda pdf: graphics_state(pdf, OVERPRINTED_FILLS, OP=True, op=True),
    "stroked rule running 3 mm into the bleed": stroked(
        lambda x0, y0, x1, y1: f"2 w 200 300 m {x1 + 3 * 72 / 25.4} 300 l"),
    "round-capped rule reaching past the trim": stroked(lambda *trim: f"1 J {rule_to_the_right_trim(*trim)}"),
    "rule centred on the trim edge": stroked(lambda x0, y0, x1, y1: f"4 w 200 {y1} m 300 {y1} l"),
    "line width from the graphics state": stroked(lambda x0, y0, x1, y1: f"200 {y1} m 300 {y1} l", LW=4),
    "line width scaled by the CTM": stroked(
        lambda x0, y0, x1, y1: f"2 0 0 2 0 0 cm 0.6 w 100 {y1 / 2} m 150 {y1 / 2} l"),
    "bevelled chevron under the trim": stroked(lambda *trim: f"2 j {chevron_under_the_top_trim(*trim)}"),
    "miter cut by the miter limit": stroked(lambda *trim: f"1.4 M {chevron_under_the_top_trim(*trim)}"),
    "stroke inside the text area": stroked(lambda x0, y0, x1, y1: "0.5 w 100 100 m 300 100 l"),
    "white rule ending at the trim": stroked(lambda *trim: f"0 0 0 0 K {rule_to_the_right_trim(*trim)}"),
    "outline left open on the trim side": stroked(open_outline),
    "butt-capped dot near the trim": stroked(lambda x0, y0, x1, y1: f"10 w {x1 - 5} 300 m {x1 - 5} 300 l"),
    # Its control polygon turns sharply 2.5 pt before the trim; a miter there would reach the trim (2.5 line widths
    # long at that angle), but the curve itself stays 7 pt from it.
    "curve bulging toward the trim": stroked(
        lambda x0, y0, x1, y1: f"2 w {x1 - 20.83} 298 m {x1 - 2.5} 306 {x1 - 2.5} 306 {x1 - 20.83} 314 c"),
}


@pytest.mark.parametrize("alteration, check", FAILS.values(), ids=FAILS.keys())
def test_altered_copy_fails_exactly_its_check(good_pdf, alteration, check):
    assert list(failing_checks(mutate(good_pdf, alteration))) == [check]


@pytest.mark.parametrize("alteration", PASSES.values(), ids=PASSES.keys())
def test_altered_copy_still_passes(good_pdf, alteration):
    assert failing_checks(mutate(good_pdf, alteration)) == {}


def test_findings_name_the_cause_and_place(good_pdf):
    failing = failing_checks(mutate(good_pdf, bar_to_the_trim))
    assert failing["bleed"] == ["a filled shape at x -3–151 mm, y 204–210 mm stops at the trim (top edge); "
                                "extend it to the bleed"]
    failing = failing_checks(mutate(good_pdf, stroked(rule_to_the_right_trim)))
    assert failing["bleed"] == ["a stroke at x 58–148 mm, y 92–93 mm stops at the trim (right edge); "
                                "extend it to the bleed"]
    failing = failing_checks(mutate(good_pdf, lambda pdf: graphics_state(pdf, OVERPRINTED_FILLS, OP=True, op=True,
                                                                         OPM=1)))
    assert "overprinted fills stack to 360% total area coverage" in failing["coverage"][0]
    report = check_pdf(mutate(good_pdf, undecodable_image), "altered.pdf")
    finding, = (f for f in report.findings if f.status == "fail")
    assert finding.page == 1 and finding.detail.startswith("image /Bad cannot be decoded")


def test_the_table_has_a_column_for_every_check(good_pdf):
    report = check_pdf(good_pdf, "good.pdf")
    assert set(report.as_dict()["checks"]) == set(CHECKS) and not report.findings


@pytest.mark.parametrize("content, operator", [(b"q w 1 0 0 0 K 10 10 m 20 20 l S Q", "w"), (b"q /Name w Q", "w"),
                                               (b"q 1 2 cm Q", "cm"), (b"q Tr Q", "Tr")],
                         ids=["w-alone", "w-name", "cm-short", "Tr-alone"])
def test_an_operator_without_its_operands_is_one_finding_not_a_crash(good_pdf, content, operator):
    failing = failing_checks(mutate(good_pdf, lambda pdf: draw_on_first_page(pdf, content)))
    assert f"the content stream has '{operator}' with operands it cannot take" in " ".join(failing["pdfx"]), failing
