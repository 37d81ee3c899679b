"""Preflight's verdicts, for the mutation run: every check, on pubkit's own edition altered one defect at a time.

These tests cover the verdict branches ``test_preflight.py`` and ``test_preflight_verdicts.py`` do not reach;
mutmut runs all three. ``good_pdf`` (tests/conftest.py) is kept on disk, so that mutmut's fresh process per
mutant does not build five editions again.
"""

from __future__ import annotations

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String

from pubkit.errors import PubkitError
from pubkit.press.preflight import CHECKS, MM, check_pdf
from test_preflight import draw_on_first_page, encrypted, mutate

pytestmark = [pytest.mark.usefixtures("fresh_coverage_cache"),  # tests/conftest.py
              # the widget-in-the-bleed defect is a widget outside any form, as pikepdf warns on saving it
              pytest.mark.filterwarnings("ignore:This document has 1 form widget annotation")]


# --- every verdict, with the finding a print shop reads -------------------------------------------
# Page 1 of the demo: trim x 36.85–456.38 pt, y 36.85–632.13 pt; bleed 3 mm (8.50 pt) around it;
# the MediaBox adds 10 mm of slug for the crop marks. Expected findings are (check, status, detail, page).


TRIM = (36.85039, 36.85039, 456.378, 632.126)
PDFX = "pdfx"


@pytest.fixture(scope="module")
def first_page(good_pdf) -> bytes:
    """Page 1 of the good edition alone, with no binding recorded: a tenth of the bytes to alter and check."""
    def keep_first_page(pdf):
        del pdf.pages[1:]
        del pdf.docinfo.PubkitBinding
    return mutate(good_pdf, keep_first_page)


def findings(data: bytes, **options) -> list[tuple]:
    return [(f.check, f.status, f.detail, f.page) for f in check_pdf(data, "x.pdf", **options).findings]


def profile(pdf) -> pikepdf.Stream:
    return pdf.Root.OutputIntents[0].DestOutputProfile


def edit_profile(change):
    """The output profile's bytes changed by ``change(bytearray)``."""
    def alteration(pdf):
        data = bytearray(profile(pdf).read_bytes())
        change(data)
        profile(pdf).write(bytes(data))
    return alteration


def fake_header(data: bytearray) -> None:
    """Only a 128-byte header, every field of it right: LittleCMS still cannot read it."""
    header = bytearray(data[:128])
    header[:4] = (128).to_bytes(4, "big")
    data[:] = header


def xmp(text: bytes):
    return lambda pdf: pdf.Root.Metadata.write(text)


XMP_ATTRIBUTE = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
                 b'<rdf:Description rdf:about="" xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/" '
                 b'pdfxid:GTS_PDFXVersion="PDF/X-4"/></rdf:RDF></x:xmpmeta>')


def action(kind: str, **entries) -> Dictionary:
    return Dictionary(S=Name("/" + kind), **entries)


def annotation(pdf, subtype: str, rect: list[float], **entries) -> None:
    pdf.pages[0].Annots = pdf.make_indirect(Array([Dictionary(Type=Name.Annot, Subtype=Name("/" + subtype),
                                                              Rect=rect, **entries)]))


def self_chained_launch(pdf) -> None:
    launch = pdf.make_indirect(action("Launch", F=String("run.exe")))
    launch.Next = launch  # a loop: reported once, and the check ends
    pdf.Root.OpenAction = launch


def set_box(name: str, index: int | None, value: float | list):
    def alteration(pdf):
        page = pdf.pages[0]
        if index is None:
            page.obj[name] = Array(value)
        else:
            box = [float(v) for v in page.obj[name]]
            box[index] = value
            page.obj[name] = Array(box)
    return alteration


def both_boxes_reversed(pdf) -> None:
    for name in ("/TrimBox", "/BleedBox"):
        x0, y0, x1, y1 = (float(v) for v in pdf.pages[0].obj[name])
        pdf.pages[0].obj[name] = Array([x1, y1, x0, y0])


def fail(detail: str, check: str = PDFX, page: int | None = None) -> tuple:
    return check, "fail", detail, page


def not_x4(kind: str) -> str:
    return f"the output intent's ICC profile {kind}; embed the printer's CMYK profile"


DOCUMENT = {
    "intent for PDF/A, not PDF/X": (lambda pdf: setattr(pdf.Root.OutputIntents[0], "S", Name("/GTS_PDFA1")),
                                    [fail("no PDF/X output intent with an embedded ICC profile")]),
    "intent without its profile": (lambda pdf: pdf.Root.OutputIntents[0].__delattr__("DestOutputProfile"),
                                   [fail("no PDF/X output intent with an embedded ICC profile")]),
    "profile declared as RGB": (lambda pdf: setattr(profile(pdf), "N", 3),
                                [fail("the output intent's profile is not CMYK")]),
    "a bare 128-byte header": (edit_profile(fake_header), [fail(not_x4("cannot be read by LittleCMS"))]),
    "127 bytes": (edit_profile(lambda data: data.__delitem__(slice(127, None))),
                  [fail(not_x4("is not an ICC profile (no valid header)"))]),
    "size field one byte too long": (
        edit_profile(lambda data: data.__setitem__(slice(0, 4), (len(data) + 1).to_bytes(4, "big"))),
        [fail(not_x4("is not an ICC profile (no valid header)"))]),
    "monitor profile": (edit_profile(lambda data: data.__setitem__(slice(12, 16), b"mntr")),
                        [fail(not_x4("is a mntr profile for CMYK, not a CMYK printer (prtr) profile"))]),
    "printer profile for RGB": (edit_profile(lambda data: data.__setitem__(slice(16, 20), b"RGB ")),
                                [fail(not_x4("is a prtr profile for RGB, not a CMYK printer (prtr) profile"))]),
    "profile that does not inflate": (lambda pdf: profile(pdf).write(b"not deflate data", filter=Name.FlateDecode),
                                      [fail(not_x4("cannot be decompressed"))]),
    "PDF/X-3 in the document info": (lambda pdf: setattr(pdf.docinfo, "GTS_PDFXVersion", String("PDF/X-3:2002")),
                                     [fail("GTS_PDFXVersion is not PDF/X-4")]),
    "no Trapped key": (lambda pdf: pdf.docinfo.__delattr__("Trapped"),
                       [fail("Trapped key missing (must be True or False)")]),
    "Trapped /Unknown": (lambda pdf: setattr(pdf.docinfo, "Trapped", Name("/Unknown")),
                         [fail("Trapped key missing (must be True or False)")]),
    "no XMP": (lambda pdf: pdf.Root.__delattr__("Metadata"), [fail("no XMP metadata")]),
    "XMP that is not XML": (xmp(b"<x:xmpmeta"), [fail("the XMP metadata lacks pdfxid:GTS_PDFXVersion PDF/X-4")]),
    "XMP saying PDF/X-1a": (xmp(XMP_ATTRIBUTE.replace(b"PDF/X-4", b"PDF/X-1a")),
                            [fail("the XMP metadata lacks pdfxid:GTS_PDFXVersion PDF/X-4")]),
    "document additional actions": (lambda pdf: setattr(pdf.Root, "AA", Dictionary(O=action("JavaScript"))),
                                    [fail("the document has additional actions (/AA), which PDF/X forbids; "
                                          "remove them")]),
    "OpenAction chaining past a GoTo": (
        lambda pdf: setattr(pdf.Root, "OpenAction", action(
            "Launch", Next=Array([action("GoTo", D=Array([pdf.pages[0].obj, Name.Fit])), action("ResetForm")]))),
        [fail("the document's OpenAction is a Launch action, which PDF/X forbids; remove it"),
         fail("the document's OpenAction is a ResetForm action, which PDF/X forbids; remove it")]),
    "OpenAction with a single chained action": (
        lambda pdf: setattr(pdf.Root, "OpenAction", action("URI", URI=String("https://example.vn"),
                                                           Next=action("SubmitForm"))),
        [fail("the document's OpenAction is a SubmitForm action, which PDF/X forbids; remove it")]),
    "OpenAction that launches itself again": (
        self_chained_launch, [fail("the document's OpenAction is a Launch action, which PDF/X forbids; remove it")]),
    "OpenAction without a type": (lambda pdf: setattr(pdf.Root, "OpenAction", Dictionary()),
                                  [fail("the document's OpenAction is an unknown action, which PDF/X forbids; "
                                        "remove it")]),
    "document JavaScript": (lambda pdf: setattr(pdf.Root, "Names", Dictionary(JavaScript=Dictionary(Names=Array()))),
                            [fail("the document holds JavaScript (/Names /JavaScript), which PDF/X forbids; "
                                  "remove it")]),
}

DOCUMENT_PASSES = {
    "PDF/X-4 in an XMP attribute": xmp(XMP_ATTRIBUTE),
    "PDF/X-4 with blanks around it": xmp(XMP_ATTRIBUTE.replace(b'"PDF/X-4"', b'"  PDF/X-4 "')),
    "Trapped /True": lambda pdf: setattr(pdf.docinfo, "Trapped", Name("/True")),
    "names without JavaScript": lambda pdf: setattr(pdf.Root, "Names", Dictionary(Dests=Dictionary())),
    "a printer's mark inside the bleed": lambda pdf: annotation(pdf, "PrinterMark", [100, 100, 120, 120]),
    "a trap network inside the bleed": lambda pdf: annotation(pdf, "TrapNet", [100, 100, 120, 120]),
    "an annotation without a place": lambda pdf: pdf.pages[0].__setattr__("Annots", Array([Dictionary(
        Type=Name.Annot, Subtype=Name.Link)])),
    "boxes written corner to corner the other way": both_boxes_reversed,
}

BLEED = "boxes"
PAGES = {
    "page additional actions": (lambda pdf: setattr(pdf.pages[0], "AA", Dictionary(O=action("JavaScript"))),
                                [fail("the page has additional actions (/AA), which PDF/X forbids; remove them",
                                      page=1)]),
    "a link in the slug with additional actions": (
        lambda pdf: annotation(pdf, "Link", [2, 2, 20, 10], AA=Dictionary(E=action("JavaScript"))),
        [fail("a Link annotation has additional actions (/AA), which PDF/X forbids; remove them", page=1)]),
    "a link in the slug that launches": (
        lambda pdf: annotation(pdf, "Link", [2, 2, 20, 10], A=action("Launch")),
        [fail("a Link annotation runs a Launch action, which PDF/X forbids; remove it", page=1)]),
    "a widget touching the bleed box": (
        lambda pdf: annotation(pdf, "Widget", [2, 2, 28.4, 28.4]),
        [fail("a Widget annotation lies inside the bleed box, which PDF/X forbids; remove it or move it outside "
              "the bleed", page=1)]),
    "an annotation of no type inside the bleed": (
        lambda pdf: pdf.pages[0].__setattr__("Annots", Array([Dictionary(Rect=[100, 100, 120, 120])])),
        [fail("an Unknown annotation lies inside the bleed box, which PDF/X forbids; remove it or move it outside "
              "the bleed", page=1)]),
    "bleed box beyond the media box": (set_box("/MediaBox", 2, 460),
                                       [fail("boxes are not nested MediaBox ⊇ BleedBox ⊇ TrimBox", BLEED, 1)]),
    "trim box beyond the bleed box": (set_box("/BleedBox", 0, TRIM[0] + 1),
                                      [fail("boxes are not nested MediaBox ⊇ BleedBox ⊇ TrimBox", BLEED, 1),
                                       fail("bleed is -0.4 mm (needs 3 mm)", BLEED, 1)]),
    "2 mm bleed on the left": (set_box("/BleedBox", 0, TRIM[0] - 2 * MM), [fail("bleed is 2.0 mm (needs 3 mm)",
                                                                                 BLEED, 1)]),
    "2 mm bleed at the bottom": (set_box("/BleedBox", 1, TRIM[1] - 2 * MM), [fail("bleed is 2.0 mm (needs 3 mm)",
                                                                                   BLEED, 1)]),
    "2.5 mm bleed on the right": (set_box("/BleedBox", 2, TRIM[2] + 2.5 * MM),
                                  [fail("bleed is 2.5 mm (needs 3 mm)", BLEED, 1)]),
    "1 mm bleed at the top": (set_box("/BleedBox", 3, TRIM[3] + 1 * MM), [fail("bleed is 1.0 mm (needs 3 mm)",
                                                                                BLEED, 1)]),
    "no TrimBox": (lambda pdf: pdf.pages[0].obj.__delitem__("/TrimBox"), [fail("no TrimBox or BleedBox", BLEED, 1)]),
    "no BleedBox": (lambda pdf: pdf.pages[0].obj.__delitem__("/BleedBox"),
                    [fail("no TrimBox or BleedBox", BLEED, 1),  # the MediaBox stands in: the marks are inside
                     fail("registration-colour stroke inside the bleed area (marks must be outside)", "crop marks", 1),
                     fail("crop marks missing (8 registration strokes outside the bleed expected)", "crop marks", 1)]),
}


@pytest.mark.parametrize("alteration, expected", {**DOCUMENT, **PAGES}.values(), ids={**DOCUMENT, **PAGES}.keys())
def test_each_defect_is_one_finding_that_names_it(first_page, alteration, expected):
    assert findings(mutate(first_page, alteration)) == expected


@pytest.mark.parametrize("alteration", DOCUMENT_PASSES.values(), ids=DOCUMENT_PASSES.keys())
def test_what_pdfx_allows_passes(first_page, alteration):
    assert findings(mutate(first_page, alteration)) == []


# --- what the page walker sees: colour, coverage, text, bleed, overprint, forms, images, fonts -------

def draw(content: bytes, **resources):
    return lambda pdf: draw_on_first_page(pdf, content, **resources)


def text(colour: bytes, mode: int = 0) -> bytes:
    return b"BT %d Tr %s /F1+0 9 Tf 100 100 Td (x) Tj ET" % (mode, colour)


def icc(pdf, components: int) -> Array:
    return Array([Name.ICCBased, pdf.make_stream(b"", N=components)])


def fill_in(space_of, values: bytes):
    """A square inside the trim filled with ``values`` in the colour space ``space_of(pdf)``."""
    return lambda pdf: draw_on_first_page(pdf, b"q /S cs %s scn 100 100 50 50 re f Q" % values,
                                          ColorSpace={"S": space_of(pdf)})


def indexed(pdf) -> Array:
    return Array([Name.Indexed, Name.DeviceCMYK, 1, String(bytes([0, 0, 0, 0, 255, 255, 240, 255]))])


def rgb_shading(pdf) -> Dictionary:
    return Dictionary(ShadingType=2, ColorSpace=Name.DeviceRGB, Coords=[0, 0, 1, 0],
                      Function=Dictionary(FunctionType=2, Domain=[0, 1], C0=[0, 0, 0], C1=[1, 0, 0], N=1))


def pattern_fill(pdf) -> None:
    pattern = Dictionary(Type=Name.Pattern, PatternType=2, Shading=rgb_shading(pdf))
    draw_on_first_page(pdf, b"q /Pattern cs /P1 scn 100 100 50 50 re f Q", Pattern={"P1": pattern})


def form(pdf, content: bytes, **entries) -> pikepdf.Stream:
    return pdf.make_stream(content, Type=Name.XObject, Subtype=Name.Form, **entries)


def form_drawing_itself(pdf) -> None:
    loop = form(pdf, b"/Me Do 0.6 0.5 0.7 1 k BT /F1+0 9 Tf 0 0 Td (x) Tj ET", BBox=[0, 0, 100, 100])
    loop.Resources = Dictionary(XObject=Dictionary(Me=loop), Font=pdf.pages[0].Resources.Font)
    draw_on_first_page(pdf, b"q 1 0 0 1 100 100 cm /Loop Do Q", XObject={"Loop": loop})


def form_left_unbalanced(pdf) -> None:
    """A form that sets rich black inside an unclosed ``q``: the text drawn after it is black again."""
    draw_on_first_page(pdf, b"q 0 0 0 1 k /Open Do BT /F1+0 9 Tf 100 100 Td (x) Tj ET Q",
                       XObject={"Open": form(pdf, b"q q 0.6 0.5 0.4 1 k", BBox=[0, 0, 10, 10])})


def scaled_form(pdf) -> None:
    """A form scaled 2× whose square, 50 pt from its origin, lands at the trim's left edge."""
    x = TRIM[0] - 100
    draw_on_first_page(pdf, b"q 1 0 0 1 %f 0 cm /Big Do Q" % (x / 2 * 2),
                       XObject={"Big": form(pdf, b"0 0 0 0.5 k 50 150 20 20 re f", BBox=[0, 0, 400, 400],
                                            Matrix=[2, 0, 0, 2, 0, 0])})


def clipped_form(pdf) -> None:
    """A fill to the trim edge, but clipped by the form's BBox to well inside it: nothing reaches the trim."""
    draw_on_first_page(pdf, b"q /Clip Do Q", XObject={"Clip": form(
        pdf, b"0 0 0 0.5 k %f 300 100 20 re f" % TRIM[0], BBox=[100, 0, 300, 600])})


def four_crop_marks(pdf) -> None:
    """The page's content up to its fourth registration stroke: the other four crop marks are gone."""
    operations = list(pikepdf.parse_content_stream(pdf.pages[0]))
    strokes = [i for i, (_, operator) in enumerate(operations) if str(operator) == "S"]
    kept = operations[:strokes[3] + 1] + operations[-1:]  # the marks come last, before the closing Q
    pdf.pages[0].Contents = pdf.make_stream(pikepdf.unparse_content_stream(kept))


def all_separation(pdf) -> Array:
    """Registration colour: the Separation /All, on every plate."""
    return Array([Name.Separation, Name.All, Name.DeviceCMYK,
                  pdf.make_stream(b"{dup dup dup}", FunctionType=4, Domain=[0, 1], Range=[0, 1] * 4)])


def rotated_form(pdf) -> None:
    """A form turned 90° (x becomes y): its square, 20 pt tall in the form, sits on the trim's bottom edge."""
    draw_on_first_page(pdf, b"q 1 0 0 1 %f 0 cm /Turned Do Q" % (TRIM[0] + 170), XObject={"Turned": form(
        pdf, b"0 0 0 0.5 k %f 0 20 20 re f" % TRIM[1], BBox=[0, -400, 700, 400], Matrix=[0, 1, -1, 0, 0, 0])})


def image(pdf, data: bytes, space, size: int = 300, placed: float = 72.0, at: tuple = (100, 100), **entries):
    picture = pikepdf.Stream(pdf, data, Type=Name.XObject, Subtype=Name.Image, Width=size, Height=size,
                             ColorSpace=space, BitsPerComponent=entries.pop("bits", 8), **entries)
    draw_on_first_page(pdf, b"q %f 0 0 %f %f %f cm /Bad Do Q" % (placed, placed, *at), XObject={"Bad": picture})


def font(pdf, name: str, **entries) -> None:
    draw_on_first_page(pdf, b"", Font={name: Dictionary(Type=Name.Font, **entries)})


def embedded(pdf, key: str = "FontFile2") -> Dictionary:
    return Dictionary(Type=Name.FontDescriptor, **{key: pdf.make_stream(b"font")})


CMYK = b"/DeviceCMYK cs"
RICH = b"0.6 0.5 0.7 1 sc"  # Y70: a Y of 0.4 would read the same at 101 %
RICH_BLACK = fail("text in 4-colour black (C60 M50 Y70 K100); body text must be 100% K only", "black text", 1)
WALKER = {
    "stroke at 320 %": (draw(b"q 0.8 0.8 0.8 0.8 K 100 100 m 200 200 l S Q"),
                        [fail("stroke with 320% total area coverage (limit 300%)", "coverage", 1)]),
    "text at 320 % in 50 % black": (draw(text(CMYK + b" 0.9 0.9 0.9 0.5 sc")),
                                   [fail("text with 320% total area coverage (limit 300%)", "coverage", 1)]),
    "text in K 85 over C 3": (draw(text(CMYK + b" 0.03 0 0 0.85 sc")), [fail(
        "text in 4-colour black (C3 M0 Y0 K85); body text must be 100% K only", "black text", 1)]),
    "text in K 100 over Y 2.1": (draw(text(CMYK + b" 0 0 0.021 1 sc")), [fail(
        "text in 4-colour black (C0 M0 Y2 K100); body text must be 100% K only", "black text", 1)]),
    **{f"rich black text in render mode {mode}": (draw(text(CMYK + b" " + RICH, mode)), [RICH_BLACK])
       for mode in (0, 2, 4, 6)},
    "fill at 320 % in four process Separations": (
        fill_in(lambda pdf: Array([Name.DeviceN, Array([Name.Cyan, Name.Magenta, Name.Yellow, Name.Black]),
                                   Name.DeviceCMYK, pdf.make_stream(b"{}", FunctionType=4, Domain=[0, 1] * 4,
                                                                   Range=[0, 1] * 4)]), b"0.8 0.8 0.8 0.8"),
        [fail("vector fill with 320% total area coverage (limit 300%)", "coverage", 1)]),
    "fill at 350 % through a CMYK ICC profile": (fill_in(lambda pdf: icc(pdf, 4), b"1 1 1 0.5"),
                                                 [fail("vector fill with 350% total area coverage (limit 300%)",
                                                       "coverage", 1)]),
    "fill in ICC-based RGB": (fill_in(lambda pdf: icc(pdf, 3), b"1 0 0"),
                              [fail("ICC-based RGB colour in page content; print needs CMYK", "colour", 1)]),
    "fill in a two-ink ICC space": (fill_in(lambda pdf: icc(pdf, 2), b"1 0"),
                                    [fail("ICCBased colour in page content; print needs CMYK", "colour", 1)]),
    "fill in Lab": (fill_in(lambda pdf: Array([Name.Lab, Dictionary(WhitePoint=[0.95, 1, 1.09])]), b"50 0 0"),
                    [fail("Lab colour in page content; print needs CMYK", "colour", 1)]),
    "fill in CalRGB": (fill_in(lambda pdf: Array([Name.CalRGB, Dictionary(WhitePoint=[0.95, 1, 1.09])]), b"1 0 0"),
                       [fail("CalRGB colour in page content; print needs CMYK", "colour", 1)]),
    "indexed fill past the palette's end": (fill_in(indexed, b"5"), [
        fail("vector fill with 394% total area coverage (limit 300%)", "coverage", 1)]),
    "RGB shading in a pattern": (pattern_fill, [fail("pattern /P1 is in DeviceRGB colour; print needs CMYK",
                                                     "colour", 1)]),
    "RGB shading painted with sh": (lambda pdf: draw_on_first_page(pdf, b"q /Sh sh Q", Shading={"Sh": rgb_shading(pdf)}),
                                    [fail("shading /Sh is in DeviceRGB colour; print needs CMYK", "colour", 1)]),
    "fills overprinted with /OP alone": (
        lambda pdf: draw_on_first_page(pdf, b"q /GS gs 1 1 0 0 k 100 100 60 60 re f 0 0 0.8 0.8 k 130 130 60 60 re f Q",
                                       ExtGState={"GS": Dictionary(OP=True, OPM=1)}),
        [fail("overprinted fills stack to 360% total area coverage at x 33–33 mm, y 33–33 mm (limit 300%)",
              "coverage", 1)]),
    "a form that draws itself": (form_drawing_itself, [RICH_BLACK]),
    "rich black left set by a form's unclosed q": (form_left_unbalanced, []),
    "a scaled form's square at the trim edge": (scaled_form, [fail(
        "a filled shape at x 0–14 mm, y 93–107 mm stops at the trim (left edge); extend it to the bleed", "bleed", 1)]),
    "a fill clipped by its form's BBox": (clipped_form, []),
    "image at 250 ppi": (lambda pdf: image(pdf, b"\0" * 4 * 90000, Name.DeviceCMYK, placed=86.4),
                         [("images", "warn", "image /Bad is 250 ppi at its placed size (needs 300)", 1)]),
    "image at 199 ppi": (lambda pdf: image(pdf, b"\0" * 4 * 90000, Name.DeviceCMYK, placed=300 / 199 * 72),
                         [fail("image /Bad is 199 ppi at its placed size (needs 300)", "images", 1)]),
    "image at 299.6 ppi": (lambda pdf: image(pdf, b"\0" * 4 * 90000, Name.DeviceCMYK, placed=300 / 299.6 * 72), []),
    "image to the trim's right edge": (
        lambda pdf: image(pdf, b"\0" * 4 * 90000, Name.DeviceCMYK, at=(TRIM[2] - 72, 300)),
        [fail("image /Bad at x 123–148 mm, y 93–118 mm stops at the trim (right edge); extend it to the bleed",
              "bleed", 1)]),
    "16-bit CMYK image at 350 %": (lambda pdf: image(pdf, b"\xff\xff" * 3 + b"\x80\x00" + b"\0" * 8 * 8,
                                                     Name.DeviceCMYK, size=3, placed=0.5, bits=16),
                                   [fail("image /Bad reaches 350% total area coverage (limit 300%)", "coverage", 1)]),
    "CMYK image with a Decode array at 400 %": (
        lambda pdf: image(pdf, b"\0" * 4 * 9, Name.DeviceCMYK, size=3, placed=0.5, Decode=[1, 0] * 4),
        [fail("image /Bad reaches 400% total area coverage (limit 300%)", "coverage", 1)]),
    "CMYK image one sample short": (lambda pdf: image(pdf, b"\0" * (4 * 9 - 1), Name.DeviceCMYK, size=3, placed=0.5),
                                    [fail("image /Bad cannot be decoded to measure its coverage "
                                          "(ValueError: 35 of 36 samples); re-export it", "coverage", 1)]),
    "stencil mask painted in registration": (
        lambda pdf: draw_on_first_page(pdf, b"q /Reg cs 1 scn 72 0 0 72 100 100 cm /Mask Do Q",
                                       ColorSpace={"Reg": Array([Name.Separation, Name.All, Name.DeviceCMYK,
                                                                 pdf.make_stream(b"{dup dup dup}", FunctionType=4,
                                                                                 Domain=[0, 1], Range=[0, 1] * 4)])},
                                       XObject={"Mask": pikepdf.Stream(pdf, b"\0" * 38 * 300, Type=Name.XObject,
                                                                       Subtype=Name.Image, Width=304, Height=300,
                                                                       ImageMask=True, BitsPerComponent=1)}),
        [fail("registration colour fills x 22–48 mm, y 22–48 mm, inside the bleed; only marks outside the bleed "
              "may use it", "crop marks", 1)]),
    "registration at 99 % tint inside the bleed": (
        fill_in(lambda pdf: all_separation(pdf), b"0.99"),
        [fail("registration colour fills x 22–40 mm, y 22–40 mm, inside the bleed; only marks outside the bleed "
              "may use it", "crop marks", 1)]),
    "registration by the initial tint of its colour space": (
        lambda pdf: draw_on_first_page(pdf, b"q /Reg cs 100 100 50 50 re f Q", ColorSpace={"Reg": all_separation(pdf)}),
        [fail("registration colour fills x 22–40 mm, y 22–40 mm, inside the bleed; only marks outside the bleed "
              "may use it", "crop marks", 1)]),
    "a panel exactly the trim's size": (draw(b"q 0 0 0 0.2 k %f %f %f %f re f Q" % (
        TRIM[0], TRIM[1], TRIM[2] - TRIM[0], TRIM[3] - TRIM[1])), [fail(
            "a filled shape at x 0–148 mm, y 0–210 mm stops at the trim (left and bottom and right and top edge); "
            "extend it to the bleed", "bleed", 1)]),
    "a rotated form's square at the trim's bottom edge": (rotated_form, [fail(
        "a filled shape at x 53–60 mm, y 0–7 mm stops at the trim (bottom edge); extend it to the bleed", "bleed", 1)]),
    "fill in a palette over an unknown colour space": (
        fill_in(lambda pdf: Array([Name.Indexed, Name("/Foo"), 1, String(b"\0\1")]), b"1"),
        [fail("Foo colour in page content; print needs CMYK", "colour", 1)]),
    "overprinted fills stacking in the media box's last column": (
        lambda pdf: draw_on_first_page(pdf, b"q /GS gs 1 1 0 0 k 492 100 1.23 60 re f 0 0 0.8 0.8 k 492 130 1.23 60 re f Q",
                                       ExtGState={"GS": Dictionary(OP=True, op=True, OPM=1)}),
        [fail("overprinted fills stack to 360% total area coverage at x 161–161 mm, y 33–33 mm (limit 300%)",
              "coverage", 1)]),
    "image turned 45 degrees with its corner on the trim's right edge": (
        lambda pdf: draw_on_first_page(pdf, b"q 50.91 50.91 -50.91 50.91 %f 300 cm /Bad Do Q" % (TRIM[2] - 50.91),
                                       XObject={"Bad": pikepdf.Stream(pdf, b"\0" * 4 * 90000, Type=Name.XObject,
                                                                      Subtype=Name.Image, Width=300, Height=300,
                                                                      ColorSpace=Name.DeviceCMYK, BitsPerComponent=8)}),
        [fail("image /Bad at x 112–148 mm, y 93–129 mm stops at the trim (right edge); extend it to the bleed",
              "bleed", 1)]),
    "stencil mask painted grey to the trim's left edge": (
        lambda pdf: draw_on_first_page(pdf, b"q 0.5 g 72 0 0 72 %f 300 cm /Mask Do Q" % TRIM[0],
                                       XObject={"Mask": pikepdf.Stream(pdf, b"\0" * 38 * 300, Type=Name.XObject,
                                                                       Subtype=Name.Image, Width=304, Height=300,
                                                                       ImageMask=True, BitsPerComponent=1)}),
        [fail("image /Mask at x 0–25 mm, y 93–118 mm stops at the trim (left edge); extend it to the bleed", "bleed",
              1)]),
    "stroke set with CS and SC": (draw(b"q /DeviceCMYK CS 0.8 0.8 0.8 0.8 SC 100 100 m 200 200 l S Q"),
                                  [fail("stroke with 320% total area coverage (limit 300%)", "coverage", 1)]),
    "a triangle that reaches the trim at its first point only": (
        draw(b"q 0 0 0 1 k %f 300 m 100 320 l 100 300 l f Q" % TRIM[0]),
        [fail("a filled shape at x 0–22 mm, y 93–100 mm stops at the trim (left edge); extend it to the bleed",
              "bleed", 1)]),
    "curves (v, y) that reach the trim": (
        draw(b"q 0 0 0 1 k 100 300 m 120 320 %f 330 v 150 350 160 300 y f Q" % TRIM[0]),
        [fail("a filled shape at x 0–43 mm, y 93–110 mm stops at the trim (left edge); extend it to the bleed",
              "bleed", 1)]),
    "four of the eight crop marks": (four_crop_marks, [fail(
        "crop marks missing (8 registration strokes outside the bleed expected)", "crop marks", 1)]),
    **{f"a path painted with {op} while the stroke colour is at 320 %": (
        draw(b"q 0.8 0.8 0.8 0.8 K 0 0 0 1 k 100 100 50 50 re %s Q" % op.encode()),
        [fail("stroke with 320% total area coverage (limit 300%)", "coverage", 1)]) for op in ("S", "s", "B", "B*", "b", "b*")},
    "an inline RGB image": (draw(b"q 0.48 0 0 0.24 100 100 cm BI /W 2 /H 1 /CS /RGB /BPC 8 ID \xff\0\0\xff\0\0 EI Q"),
                            [fail("an inline image is in DeviceRGB colour; print needs CMYK", "colour", 1)]),
    "RGB through a form's own colour space": (
        lambda pdf: draw_on_first_page(pdf, b"q /Own Do Q", XObject={"Own": form(
            pdf, b"/Rgb cs 1 0 0 sc 100 100 10 10 re f", BBox=[0, 0, 400, 400],
            Resources=Dictionary(ColorSpace=Dictionary(Rgb=Name.DeviceRGB)))}),
        [fail("DeviceRGB colour in page content; print needs CMYK", "colour", 1)]),
    "fill set with rg": (draw(b"q 0.2 0.4 0.9 rg 100 100 50 50 re f Q"),
                         [fail("DeviceRGB colour in page content; print needs CMYK", "colour", 1)]),
    "stroke set with RG": (draw(b"q 0.2 0.4 0.9 RG 100 100 m 200 200 l S Q"),
                           [fail("DeviceRGB colour in page content; print needs CMYK", "colour", 1)]),
    "a cyan Separation overprinting a 300 % fill": (
        lambda pdf: draw_on_first_page(pdf, b"q /GS gs 0 1 1 1 k 100 100 60 60 re f /Cy cs 1 scn 130 130 60 60 re f Q",
                                       ExtGState={"GS": Dictionary(OP=True, op=True)},
                                       ColorSpace={"Cy": Array([Name.Separation, Name.Cyan, Name.DeviceCMYK,
                                                                pdf.make_stream(b"{0 0 0}", FunctionType=4,
                                                                                Domain=[0, 1], Range=[0, 1] * 4)])}),
        [fail("overprinted fills stack to 400% total area coverage at x 33–33 mm, y 33–33 mm (limit 300%)",
              "coverage", 1)]),
    "a zero-height fill from the trim's left edge (it paints a hairline, ISO 32000 8.5.3.2)": (
        draw(b"q 0 0 0 1 k %f 300 50 0 re f Q" % TRIM[0]),
        [fail("a filled shape at x 0–18 mm, y 93–93 mm stops at the trim (left edge); extend it to the bleed",
              "bleed", 1)]),
    "image at 200 ppi": (lambda pdf: image(pdf, b"\0" * 4 * 90000, Name.DeviceCMYK, placed=108),
                         [("images", "warn", "image /Bad is 200 ppi at its placed size (needs 300)", 1)]),
    "font embedded whole": (lambda pdf: font(pdf, "Whole", Subtype=Name.TrueType, BaseFont=Name("/Whole"),
                                             FontDescriptor=embedded(pdf)),
                            [("fonts", "warn", "font /Whole is embedded whole, not subset", 1)]),
    "composite font whose descendant is not embedded": (
        lambda pdf: font(pdf, "C", Subtype=Name.Type0, BaseFont=Name("/ABCDEF+Noto"), DescendantFonts=Array([
            Dictionary(Type=Name.Font, Subtype=Name.CIDFontType2, FontDescriptor=Dictionary())])),
        [fail("font /ABCDEF+Noto is not embedded", "fonts", 1)]),
    "font without a BaseFont or descriptor": (lambda pdf: font(pdf, "Nameless", Subtype=Name.TrueType),
                                              [fail("font /Nameless is not embedded", "fonts", 1)]),
}

WALKER_PASSES = {
    "fill at exactly 300 %": draw(b"q 0.75 0.75 0.75 0.75 k 100 100 50 50 re f Q"),
    "stroke at exactly 300 %": draw(b"q 0.75 0.75 0.75 0.75 K 100 100 m 200 200 l S Q"),
    "text at exactly 300 %": draw(text(CMYK + b" 0.75 0.75 0.75 0.75 sc")),
    "text in K 84 over C 90": draw(text(CMYK + b" 0.9 0 0 0.84 sc")),
    "text in K 100 over C 2": draw(text(CMYK + b" 0.02 0 0 1 sc")),
    **{f"rich black text in render mode {mode}": draw(text(CMYK + b" " + RICH, mode)) for mode in (1, 3, 5, 7)},
    "white to the trim edge": draw(b"q 1 g %f 300 50 20 re f Q" % TRIM[0]),
    "the None separation to the trim edge": lambda pdf: draw_on_first_page(
        pdf, b"q /No cs 1 scn %f 300 50 20 re f Q" % TRIM[0],
        ColorSpace={"No": Array([Name.Separation, Name("/None"), Name.DeviceCMYK,
                                 pdf.make_stream(b"{pop 0 0 0 0}", FunctionType=4, Domain=[0, 1], Range=[0, 1] * 4)])}),
    "a fill 0.6 pt inside the trim edge": draw(b"q 0 0 0 1 k %f 300 50 20 re f Q" % (TRIM[0] + 0.6)),
    "a fill in the bleed, short of the trim": draw(b"q 0 0 0 1 k 28.35 300 8.4 20 re f Q"),
    "fills overprinted with /OP but not /op": lambda pdf: draw_on_first_page(
        pdf, b"q /GS gs 1 1 0 0 k 100 100 60 60 re f 0 0 0.8 0.8 k 130 130 60 60 re f Q",
        ExtGState={"GS": Dictionary(OP=True, op=False, OPM=1)}),
    "grey and CMYK ICC profiles, CalGray": fill_in(lambda pdf: icc(pdf, 1), b"0.5"),
    "a CalGray fill": fill_in(lambda pdf: Array([Name.CalGray, Dictionary(WhitePoint=[0.95, 1, 1.09])]), b"0.5"),
    "indexed fill at entry 0": fill_in(indexed, b"0"),
    "a shading without a colour space (grey by default)": lambda pdf: draw_on_first_page(
        pdf, b"q /Sh sh Q", Shading={"Sh": Dictionary(ShadingType=2, Coords=[0, 0, 1, 0],
                                                      Function=Dictionary(FunctionType=2, Domain=[0, 1], C0=[0], C1=[1],
                                                                          N=1))}),
    "an image in an ICC-based CMYK space on a page with named colour spaces": lambda pdf: draw_on_first_page(
        pdf, b"q 0.5 0 0 0.5 100 100 cm /Icc Do Q", ColorSpace={"S": Name.DeviceGray},
        XObject={"Icc": pikepdf.Stream(pdf, b"\0" * 4 * 9, Type=Name.XObject, Subtype=Name.Image, Width=3, Height=3,
                                       ColorSpace=icc(pdf, 4), BitsPerComponent=8)}),
    "a fill to the trim edge inside an even-odd clip": draw(b"q 100 100 200 200 re W* n 0 0 0 1 k %f 300 50 20 re f Q"
                                                            % TRIM[0]),
    "a fill to the trim edge inside a clip": draw(b"q 100 100 200 200 re W n 0 0 0 1 k %f 300 50 20 re f Q" % TRIM[0]),
    **{f"a path filled with {op} while the stroke colour is at 320 %": draw(
        b"q 0.8 0.8 0.8 0.8 K 0 0 0 1 k 100 100 50 50 re %s Q" % op.encode()) for op in ("f", "F", "f*")},
    "a crop mark that ends on the bleed's bottom edge": draw(b"q 1 1 1 1 K 0.25 w 36.85039 8.5 m 36.85039 28.34646 l S Q"),
    "a clip path along the trim edge": draw(b"q 0 0 0 1 k %f 300 50 20 re W n Q" % TRIM[0]),
    "a Type 3 font": lambda pdf: font(pdf, "T3", Subtype=Name.Type3, BaseFont=Name("/Glyphs")),
    "a subset font in FontFile3": lambda pdf: font(pdf, "F3", Subtype=Name.Type1, BaseFont=Name("/ABCDEF+Sans"),
                                                   FontDescriptor=embedded(pdf, "FontFile3")),
    "a subset font in FontFile": lambda pdf: font(pdf, "F1x", Subtype=Name.Type1, BaseFont=Name("/ABCDEF+Serif"),
                                                  FontDescriptor=embedded(pdf, "FontFile")),
}


@pytest.mark.parametrize("alteration, expected", WALKER.values(), ids=WALKER.keys())
def test_each_drawing_defect_is_found_on_its_page(first_page, alteration, expected):
    assert findings(mutate(first_page, alteration)) == expected


@pytest.mark.parametrize("alteration", WALKER_PASSES.values(), ids=WALKER_PASSES.keys())
def test_what_the_plates_can_take_passes(first_page, alteration):
    assert findings(mutate(first_page, alteration)) == []


@pytest.mark.parametrize("binding, pages, expected", [
    ("perfect-bound", 4, []),
    ("perfect-bound", 3, [("page count", "fail", "3 pages; perfect-bound needs a multiple of 2", None)]),
    ("loose-leaf", 3, []),
    (None, 2, [("page count", "fail", "2 pages; saddle-stitch needs a multiple of 4", None)]),  # as recorded in the file
])
def test_page_count_follows_the_binding(good_pdf, binding, pages, expected):
    def keep(pdf):
        del pdf.pages[pages:]
    assert [f for f in findings(mutate(good_pdf, keep), binding=binding) if f[0] == "page count"] == expected


def test_a_file_without_a_recorded_binding_needs_no_multiple(good_pdf):
    def unbound(pdf):
        del pdf.docinfo.PubkitBinding
        del pdf.pages[3:]
    assert findings(mutate(good_pdf, unbound)) == []


def test_a_warning_alone_passes_and_is_reported_as_a_warning(good_pdf):
    report = check_pdf(mutate(good_pdf, WALKER["image at 250 ppi"][0]), "warned.pdf")
    assert report.as_dict() == {
        "file": "warned.pdf", "pages": 4, "passed": True,
        "checks": {check: "warn" if check == "images" else "pass" for check in CHECKS},
        "findings": [{"check": "images", "status": "warn", "detail": "image /Bad is 250 ppi at its placed size "
                                                                     "(needs 300)", "page": 1}]}


def test_a_form_drawn_on_every_page_is_one_finding_per_page(good_pdf):
    def on_every_page(pdf):
        bad = form(pdf, b"0.6 0.5 0.4 1 k BT /F1+0 9 Tf 0 0 Td (x) Tj ET", BBox=[0, 0, 100, 100],
                   Resources=Dictionary(Font=pdf.pages[0].Resources.Font))
        for page in pdf.pages:
            page.Resources.XObject = Dictionary(Bad=bad)
            page.contents_add(pdf.make_stream(b"q 1 0 0 1 100 100 cm /Bad Do /Bad Do Q"))
    assert [f[3] for f in findings(mutate(good_pdf, on_every_page))] == [1, 2, 3, 4]


def test_pdf_header_may_follow_leading_bytes(good_pdf):
    """Readers look for %PDF- in the first 1024 bytes (ISO 32000 7.5.2 note): junk before it is no finding."""
    assert findings(b"\n" * 1000 + good_pdf) == []
    with pytest.raises(PubkitError) as caught:
        check_pdf(b"\n" * 1020 + good_pdf, "late.pdf")
    assert (caught.value.problem, caught.value.fix) == (
        "not a PDF file (it does not start with %PDF-)", "give the PDF itself; if it should be one, export or download "
                                                         "it again")


def test_a_locked_pdf_is_an_error_that_asks_for_an_unlocked_copy(first_page):
    with pytest.raises(PubkitError) as caught:
        check_pdf(encrypted(first_page, user="secret"), "locked.pdf")
    assert (caught.value.problem, caught.value.fix, caught.value.file) == (
        "the PDF is locked with a password, so it cannot be checked",
        "ask for an unencrypted copy (PDF/X files may not be encrypted)", "locked.pdf")


def test_boxes_sharing_an_edge_are_nested(first_page):
    """Trim and bleed on the same bottom edge: no bleed there, but the boxes still nest (edges may coincide)."""
    def shared_edge(pdf):
        pdf.pages[0].TrimBox = Array([*pdf.pages[0].TrimBox[:1], pdf.pages[0].BleedBox[1], *pdf.pages[0].TrimBox[2:]])
    found = findings(mutate(first_page, shared_edge))
    assert found[0] == fail("bleed is 0.0 mm (needs 3 mm)", BLEED, 1)
    assert [(check, detail.endswith("stops at the trim (bottom edge); extend it to the bleed"))
            for check, _, detail, _ in found[1:]] == [("bleed", True)]  # the cover photo, drawn to the old bleed


# --- where text goes: font metrics, the text state, text crossing the trim (the "trim" check) ------------
_SCRATCH = pikepdf.new()  # holds the fonts the tests make (an object of a closed file reads as nothing)


def _pdf_font(**entries) -> Dictionary:
    return _SCRATCH.make_indirect(Dictionary(Type=Name.Font, **entries))


def test_a_simple_font_s_metrics_come_from_its_widths_first_char_and_descriptor():
    from pubkit.press.preflight import _read_metrics

    descriptor = Dictionary(Ascent=900, Descent=-250, MissingWidth=333)
    for subtype in ("/TrueType", "/Type1", "/MMType1"):
        metrics = _read_metrics(Dictionary(Subtype=Name(subtype), FirstChar=32, Widths=Array([250, 500]),
                                           FontDescriptor=descriptor))
        assert (metrics.widths, metrics.default, metrics.single_byte, metrics.ascent, metrics.descent) == (
            {32: 250.0, 33: 500.0}, 333.0, True, 900.0, -250.0)
    bare = _read_metrics(Dictionary(Subtype=Name.TrueType, Widths=Array([600])))  # no FirstChar, no descriptor
    assert (bare.widths, bare.default, bare.ascent, bare.descent) == ({0: 600.0}, 0.0, 800.0, -200.0)
    empty = _read_metrics(Dictionary(Subtype=Name.TrueType, Widths=Array([600]), FontDescriptor=Dictionary()))
    assert (empty.default, empty.ascent, empty.descent) == (0.0, 800.0, -200.0)
    assert _read_metrics(Dictionary(Subtype=Name.TrueType, FontDescriptor=Dictionary())) is None  # no widths
    assert _read_metrics(Dictionary(Subtype=Name.Type3, Widths=Array([600]))) is None


def test_a_type0_font_s_metrics_come_from_its_w_array_under_identity_h_only():
    from pubkit.press.preflight import _read_metrics

    cid = Dictionary(W=Array([10, 12, 700, 1, Array([500, 600])]), DW=900,
                     FontDescriptor=Dictionary(Ascent=880, Descent=-120))
    metrics = _read_metrics(Dictionary(Subtype=Name.Type0, Encoding=Name("/Identity-H"), DescendantFonts=Array([cid])))
    assert metrics.widths == {1: 500.0, 2: 600.0, 10: 700.0, 11: 700.0, 12: 700.0}
    assert (metrics.default, metrics.single_byte, metrics.ascent, metrics.descent) == (900.0, False, 880.0, -120.0)
    plain = _read_metrics(Dictionary(Subtype=Name.Type0, Encoding=Name("/Identity-H"), DescendantFonts=Array([
        Dictionary()])))
    assert (plain.widths, plain.default, plain.ascent, plain.descent) == ({}, 1000.0, 800.0, -200.0)
    assert _read_metrics(Dictionary(Subtype=Name.Type0, Encoding=Name("/UniJIS-UCS2-H"),
                                    DescendantFonts=Array([cid]))) is None
    dangling = Dictionary(W=Array([1, Array([500]), 7]))  # a code with no widths after it: the rest is kept
    assert _read_metrics(Dictionary(Subtype=Name.Type0, Encoding=Name("/Identity-H"),
                                    DescendantFonts=Array([dangling]))).widths == {1: 500.0}


def test_glyphs_are_one_byte_or_two_and_an_unlisted_code_takes_the_default_width():
    from pubkit.press.preflight import _FontMetrics

    simple = _FontMetrics({65: 600.0}, 250.0, True, 800.0, -200.0)
    assert list(simple.glyphs(b"AB")) == [(65, 600.0), (66, 250.0)]
    wide = _FontMetrics({0x0102: 1000.0}, 500.0, False, 800.0, -200.0)
    assert list(wide.glyphs(b"\x01\x02\x00\x07\x09")) == [(0x0102, 1000.0), (7, 500.0)]  # a stray last byte: none
    assert list(wide.glyphs(b"\x01\x02")) == [(0x0102, 1000.0)]
    assert simple.total(b"AB A") == (600.0 * 2 + 250.0 * 2, 4, 1)  # widths, glyphs, word spaces
    assert wide.total(b"\x00\x20\x01\x02") == (1500.0, 2, 0)  # code 0x0020 is no word space in a two-byte font


def test_font_metrics_are_read_once_per_font_and_a_damaged_font_is_none(monkeypatch):
    from pubkit.press import preflight

    font = _pdf_font(Subtype=Name.TrueType, FirstChar=0, Widths=Array([500]))
    known: dict = {}
    first = preflight._font_metrics(font, known)
    read = preflight._read_metrics
    monkeypatch.setattr(preflight, "_read_metrics", lambda _font: 1 / 0)  # never called again for this font
    assert preflight._font_metrics(font, known) is first and first.widths == {0: 500.0}
    assert preflight._font_metrics(None, known) is None
    monkeypatch.setattr(preflight, "_read_metrics", read)
    damaged = _pdf_font(Subtype=Name.TrueType, FirstChar=Name.Zero, Widths=Array([500]))
    assert preflight._font_metrics(damaged, {}) is None
    direct = [Dictionary(Subtype=Name.TrueType, FirstChar=0, Widths=Array([width])) for width in (300, 700)]
    assert [preflight._font_metrics(font, known).widths for font in direct] == [{0: 300.0}, {0: 700.0}]


def _walker(font=None):
    from pubkit.press.preflight import Report, _PageWalker

    media = (0.0, 0.0, 600.0, 800.0)
    walker = _PageWalker(Report("x.pdf", 1), 1, media, TRIM, (28.35, 28.35, 464.88, 640.63), {})
    walker.resources = Dictionary(Font=Dictionary(F=font)) if font is not None else None
    return walker


def _simple_font():
    return _pdf_font(Subtype=Name.TrueType, FirstChar=32, Widths=Array([250] + [500] * 94),
                     FontDescriptor=Dictionary(Ascent=800, Descent=-200))


def test_the_text_state_moves_the_pen_as_iso_32000_says():
    walker = _walker(_simple_font())
    run = walker.operators
    run["BT"]([])
    run["Tf"]([Name.F, 10])
    run["Tm"]([1, 0, 0, 1, 100, 500])
    assert walker.advance_text([String("AB")]) == (0.0, 10.0) and walker.text_matrix == (1, 0, 0, 1, 110, 500)
    run["Tc"]([1])
    run["Tw"]([4])
    run["Tz"]([50])
    # (500/1000·10 + 1) · 0.5 for A, (250/1000·10 + 1 + 4) · 0.5 for the space: 3 + 3.75
    assert walker.advance_text([String("A ")]) == (0.0, 6.75)
    before = walker.text_matrix[4]
    assert walker.advance_text([Array([String("A"), -200, String("A")])]) == (0.0, 7.0)  # 3, the TJ 1, 3
    assert walker.text_matrix[4] == before + 7.0
    assert walker.advance_text([Array([String("AA"), 1000, String("A")])]) == (0.0, 6.0)  # back 5: the 2nd A
    run["Tc"]([-8])
    assert walker.advance_text([String("A")]) == (-1.5, 0.0)  # (5 - 8) · 0.5: a glyph set leftwards
    run["Tc"]([-1])  # each glyph still rightwards, judged glyph by glyph: A 4, the space 2.5 - 1 + 4, A 4, · 0.5
    before = walker.text_matrix[4]
    assert walker.advance_text([String("A A")]) == (0.0, 6.75) and walker.text_matrix[4] == before + 6.75
    run["Tc"]([1])
    run["TL"]([12])
    run["T*"]([])
    assert walker.text_matrix[4:] == (100.0, 488.0) and walker.line_matrix == walker.text_matrix
    run["TD"]([5, -14])
    assert walker.state["TL"] == 14.0 and walker.text_matrix[4:] == (105.0, 474.0)
    run["'"]([String("A")])
    assert walker.text_matrix[4:] == (108.0, 460.0)
    run['"']([2, 0, String("A ")])  # sets Tw 2 and Tc 0, then moves down and shows
    assert (walker.state["Tw"], walker.state["Tc"]) == (2.0, 0.0) and walker.text_matrix[4:] == (108.5 + 1.25, 446.0)
    run["BT"]([])
    assert walker.text_matrix == walker.line_matrix == (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    run["Ts"]([3])
    assert walker.state["Ts"] == 3.0


def test_text_in_a_font_of_unknown_widths_moves_by_tj_numbers_only_and_is_not_judged():
    walker = _walker(_pdf_font(Subtype=Name.Type3, Widths=Array([500])))
    walker.operators["Tf"]([Name.F, 10])
    assert walker.advance_text([Array([String("AAAA"), -1000])]) is None and walker.text_matrix[4] == 10.0
    assert _walker().advance_text([String("A")]) is None  # no font set at all


@pytest.mark.parametrize("x, y, size, rise, sides", [
    (TRIM[2] - 15, 300, 10, 0, ["right"]),             # runs 5 pt past the right edge
    (TRIM[0] - 5, 300, 10, 0, ["left"]),               # starts in the left bleed
    (200, TRIM[1] + 0.5, 10, 0, ["bottom"]),           # its descent 1.5 pt below the bottom edge
    (200, TRIM[3] - 6, 10, 0, ["top"]),                # its ascent 2 pt above the top edge
    (200, TRIM[3] - 9, 10, 3, ["top"]),                # raised by Ts 2 pt past the top edge (1 pt inside without)
    (TRIM[2] - 19.5, 300, 10, 0, []),                  # 0.5 pt past: within the tolerance of 1 pt
    (TRIM[2] - 18.5, 300, 10, 0, ["right"]),           # 1.5 pt past
    (TRIM[2] + 2, 300, 10, 0, []),                     # wholly outside: the slug's
    (TRIM[2] - 0.4, 300, 10, 0, []),                   # under half a point inside: a sliver, not a line
    (TRIM[2] - 1.0, 300, 10, 0, ["right"]),            # a point inside, the rest past: cut
])
def test_a_line_is_cut_by_the_trim_when_it_crosses_it(x, y, size, rise, sides):
    walker = _walker(_simple_font())
    walker.operators["Tf"]([Name.F, size])
    walker.operators["Ts"]([rise])
    walker.operators["Tm"]([1, 0, 0, 1, x, y])
    walker.show_text([String("A" * 4)])  # 20 pt wide at 10 pt
    found = [f.detail for f in walker.report.findings if f.check == "trim"]
    if sides:
        assert len(found) == 1 and f"crosses the trim ({' and '.join(sides)} edge)" in found[0]
        assert found[0].startswith("text at x ") and found[0].endswith("and would be cut; keep text inside the trim")
    else:
        assert found == []


@pytest.mark.parametrize("x, crosses", [(TRIM[2], True), (TRIM[2] - 30, False)])
def test_a_line_turned_upright_is_judged_by_its_turned_box(x, crosses):
    """Turned a quarter (a spine text): 20 pt of glyphs run up the page, and its height across from x - 8 (the
    ascent) to x + 2 (the descent): at the trim's right edge, 2 pt of it is past."""
    walker = _walker(_simple_font())
    walker.operators["cm"]([0, 1, -1, 0, x, 300])
    walker.operators["Tf"]([Name.F, 10])
    walker.operators["Tm"]([1, 0, 0, 1, 0, 0])
    walker.show_text([String("AAAA")])
    found = [f.detail for f in walker.report.findings]
    assert (found != []) == crosses
    if crosses:
        assert "crosses the trim (right edge)" in found[0] and f"x {(x - 8 - TRIM[0]) / MM:.0f}–" in found[0]


@pytest.mark.parametrize("mode", [3, 7])
def test_invisible_text_is_not_judged_where_it_goes(mode):
    walker = _walker(_simple_font())
    walker.operators["Tr"]([mode])
    walker.operators["Tf"]([Name.F, 10])
    walker.operators["Tm"]([1, 0, 0, 1, TRIM[2] - 15, 300])
    walker.show_text([String("AAAA")])
    assert walker.report.findings == []


def test_a_line_crossing_two_edges_names_both_and_a_scaled_ctm_is_followed():
    walker = _walker(_simple_font())
    walker.operators["cm"]([3, 0, 0, 3, 0, 0])
    walker.operators["Tf"]([Name.F, 10])
    walker.operators["Tm"]([1, 0, 0, 1, TRIM[2] / 3 - 10, TRIM[3] / 3 - 1])
    walker.show_text([String("AAAA")])
    [finding] = walker.report.findings
    assert finding.check == "trim" and "(right and top edge)" in finding.detail
