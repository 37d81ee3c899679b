"""Preflight: the checks a print shop runs on a PDF before it goes to plate.

Reads the PDF with pikepdf and walks every page's content stream, following the graphics
state (``q``/``Q``/``cm``, fill and stroke colours, text objects) into form XObjects, so each
check looks at what will actually print:

* PDF/X-4 keys: an output intent with a CMYK profile, ``GTS_PDFXVersion``, ``Trapped``;
* boxes: MediaBox ⊇ BleedBox ⊇ TrimBox, at least 3 mm of bleed on every side;
* crop marks: registration-colour strokes, all outside the bleed;
* fonts: every font embedded and subset;
* colour: no RGB, Lab or spot (Separation/DeviceN) colour; no 4-colour black in text;
  total area coverage at most 300 % in vector fills and in every image pixel;
* images: effective resolution at the placed size (fail < 200 ppi, warn < 300 ppi);
* page count: a multiple of 4 for saddle stitch (2 for perfect binding and wire-o).
"""

from __future__ import annotations

import hashlib
import io
import math
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pubkit.spec.model import PAGE_MULTIPLE

MM = 72 / 25.4
MIN_BLEED_MM = 3.0
MAX_TAC = 300.0
FAIL_PPI, WARN_PPI = 200, 300
CHECKS = ("pdfx", "boxes", "crop marks", "fonts", "colour", "black text", "coverage", "images", "page count")
_SUBSET_TAG = re.compile(r"^/?[A-Z]{6}\+")
_CMYK_SPACES = ("/DeviceCMYK", "/DeviceGray")


@dataclass
class Finding:
    check: str
    status: str  # "fail" or "warn"
    detail: str
    page: int | None = None


@dataclass
class Report:
    file: str
    pages: int
    findings: list[Finding] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(f.status == "fail" for f in self.findings)

    def status_of(self, check: str) -> str:
        statuses = {f.status for f in self.findings if f.check == check}
        return "fail" if "fail" in statuses else "warn" if "warn" in statuses else "pass"

    def as_dict(self) -> dict:
        return {"file": self.file, "pages": self.pages, "passed": not self.failed,
                "checks": {check: self.status_of(check) for check in CHECKS},
                "findings": [asdict(f) for f in self.findings]}


def _matrix_multiply(m: tuple, n: tuple) -> tuple:
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def _apply(m: tuple, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


class _PageWalker:
    """Follows one page's graphics state through its content and form XObjects."""

    def __init__(self, report: Report, page_number: int, bleed_box: tuple[float, ...]):
        self.report = report
        self.page = page_number
        self.bleed = bleed_box
        self.crop_segments = 0
        self.seen_fonts: set = set()
        self.seen_images: dict = {}

    def add(self, check: str, status: str, detail: str) -> None:
        finding = Finding(check, status, detail, self.page)
        if finding not in self.report.findings:
            self.report.findings.append(finding)

    def outside_bleed(self, x: float, y: float) -> bool:
        x0, y0, x1, y1 = self.bleed
        return x < x0 - 0.01 or x > x1 + 0.01 or y < y0 - 0.01 or y > y1 + 0.01

    def walk(self, content_owner, resources, ctm: tuple) -> None:
        import pikepdf

        self.check_fonts(resources)
        self.check_colour_spaces(resources)
        state = {"ctm": ctm, "fill": None, "stroke": None}
        stack: list[dict] = []
        in_text = False
        path: list[tuple[float, float]] = []
        for operands, operator in pikepdf.parse_content_stream(content_owner):
            op = str(operator)
            if op == "q":
                stack.append(dict(state))
            elif op == "Q" and stack:
                state = stack.pop()
            elif op == "cm":
                state["ctm"] = _matrix_multiply(tuple(float(v) for v in operands), state["ctm"])
            elif op in ("rg", "RG"):
                self.add("colour", "fail", "DeviceRGB colour used in page content")
            elif op in ("k", "K"):
                cmyk = tuple(float(v) for v in operands)
                state["fill" if op == "k" else "stroke"] = cmyk
                if op == "k" and sum(cmyk) * 100 > MAX_TAC + 0.01:
                    self.add("coverage", "fail", f"vector fill with {sum(cmyk) * 100:.0f}% total area coverage")
                if op == "k" and in_text:
                    self.check_text_black(cmyk)
            elif op in ("g", "G"):
                state["fill" if op == "g" else "stroke"] = (0.0, 0.0, 0.0, 1.0 - float(operands[0]))
            elif op == "BT":
                in_text = True
                if state["fill"] is not None:
                    self.check_text_black(state["fill"])
            elif op == "ET":
                in_text = False
            elif op in ("m", "l"):
                path.append(_apply(state["ctm"], float(operands[0]), float(operands[1])))
            elif op in ("S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n"):
                if op in ("S", "s") and state["stroke"] and min(state["stroke"]) >= 0.99:
                    self.check_registration_stroke(path)
                path = []
            elif op == "Do":
                self.draw_xobject(resources, operands[0], state["ctm"])

    def check_text_black(self, cmyk: tuple) -> None:
        c, m, y, k = cmyk
        if k >= 0.85 and max(c, m, y) > 0.02:
            self.add("black text", "fail",
                     f"text in 4-colour black (C{c * 100:.0f} M{m * 100:.0f} Y{y * 100:.0f} K{k * 100:.0f}); "
                     "body text must be 100% K only")

    def check_registration_stroke(self, path: list) -> None:
        if len(path) >= 2 and all(self.outside_bleed(x, y) for x, y in path):
            self.crop_segments += len(path) - 1
        else:
            self.add("crop marks", "fail", "registration-colour stroke inside the bleed area (marks must be outside)")

    def check_fonts(self, resources) -> None:
        fonts = resources.get("/Font") if resources is not None else None
        for name, font in (fonts.items() if fonts is not None else ()):
            if font.objgen in self.seen_fonts:
                continue
            self.seen_fonts.add(font.objgen)
            base = str(font.get("/BaseFont", name))
            if font.get("/Subtype") == "/Type3":
                continue
            described = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            descriptor = described.get("/FontDescriptor")
            if descriptor is None or not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                self.add("fonts", "fail", f"font {base} is not embedded")
            elif not _SUBSET_TAG.match(base):
                self.add("fonts", "warn", f"font {base} is embedded whole, not subset")

    def check_colour_spaces(self, resources) -> None:
        spaces = resources.get("/ColorSpace") if resources is not None else None
        for name, space in (spaces.items() if spaces is not None else ()):
            problem = _space_problem(space)
            if problem:
                self.add("colour", "fail", f"colour space {name}: {problem}")

    def draw_xobject(self, resources, name, ctm: tuple) -> None:
        xobjects = resources.get("/XObject") if resources is not None else None
        xobject = xobjects.get(name) if xobjects is not None else None
        if xobject is None:
            return
        if xobject.get("/Subtype") == "/Form":
            matrix = tuple(float(v) for v in xobject.get("/Matrix", [1, 0, 0, 1, 0, 0]))
            self.walk(xobject, xobject.get("/Resources", resources), _matrix_multiply(matrix, ctm))
        elif xobject.get("/Subtype") == "/Image":
            self.check_image(xobject, str(name), ctm)

    def check_image(self, image, name: str, ctm: tuple) -> None:
        width, height = int(image.Width), int(image.Height)
        placed_w = math.hypot(ctm[0], ctm[1]) / 72
        placed_h = math.hypot(ctm[2], ctm[3]) / 72
        if placed_w > 0 and placed_h > 0:
            ppi = min(width / placed_w, height / placed_h)
            if ppi < FAIL_PPI:
                self.add("images", "fail", f"image {name} is {ppi:.0f} ppi at its placed size (needs {WARN_PPI})")
            elif ppi < WARN_PPI - 0.5:
                self.add("images", "warn", f"image {name} is {ppi:.0f} ppi at its placed size (needs {WARN_PPI})")
        if image.objgen in self.seen_images:
            return
        self.seen_images[image.objgen] = True
        if "/SMask" not in image and image.get("/ImageMask") is True:
            return
        problem = _space_problem(image.get("/ColorSpace", "/DeviceGray"))
        if problem:
            self.add("colour", "fail", f"image {name}: {problem}")
            return
        tac = _image_max_tac(image)
        if tac is not None and tac > MAX_TAC + 0.5:
            self.add("coverage", "fail", f"image {name} reaches {tac:.0f}% total area coverage (limit {MAX_TAC:.0f}%)")


def _space_problem(space) -> str | None:
    import pikepdf

    if isinstance(space, pikepdf.Name):
        return None if str(space) in _CMYK_SPACES + ("/Pattern",) else f"{space} is not a print colour space"
    family = str(space[0])
    if family == "/ICCBased":
        return None if int(space[1].get("/N", 0)) in (1, 4) else "ICC-based RGB"
    if family in ("/Separation", "/DeviceN"):
        return f"{family[1:]} (spot) colour"
    if family == "/Indexed":
        return _space_problem(space[1])
    if family == "/Pattern":
        return None
    return f"{family[1:]} is not a print colour space"


def _image_max_tac(image) -> float | None:
    """The highest C+M+Y+K of any pixel of a CMYK image, in percent (cached by the encoded bytes:
    the editions of a brochure share their images, and decoding one costs ~70 ms)."""
    digest = hashlib.blake2b(image.read_raw_bytes(), digest_size=16).digest()
    if digest not in _tac_cache:
        _tac_cache[digest] = _decode_max_tac(image)
    return _tac_cache[digest]


_tac_cache: dict[bytes, float | None] = {}


def _decode_max_tac(image) -> float | None:
    import numpy as np
    from pikepdf import PdfImage

    try:
        pil = PdfImage(image).as_pil_image()
    except Exception:  # an image pikepdf cannot decode is left to the shop's RIP; not a coverage finding
        return None
    if pil.mode != "CMYK":
        return None
    return float(np.asarray(pil, dtype=np.uint16).sum(axis=2).max()) / 255 * 100


def _box(page, name: str) -> tuple[float, ...] | None:
    value = page.obj.get(name)
    return tuple(float(v) for v in value) if value is not None else None


def _contains(outer: tuple, inner: tuple) -> bool:
    return (outer[0] <= inner[0] + 0.01 and outer[1] <= inner[1] + 0.01
            and outer[2] >= inner[2] - 0.01 and outer[3] >= inner[3] - 0.01)


def check_pdf(data: bytes, name: str, *, binding: str | None = None) -> Report:
    """Preflight one PDF given as bytes; ``binding`` defaults to what pubkit recorded in the file."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        report = Report(name, len(pdf.pages))
        _check_pdfx(pdf, report)
        for number, page in enumerate(pdf.pages, start=1):
            media, bleed, trim = _box(page, "/MediaBox"), _box(page, "/BleedBox"), _box(page, "/TrimBox")
            if trim is None or bleed is None:
                report.findings.append(Finding("boxes", "fail", "no TrimBox or BleedBox", number))
                bleed = bleed or media
            else:
                if not (_contains(media, bleed) and _contains(bleed, trim)):
                    report.findings.append(Finding("boxes", "fail", "boxes are not nested MediaBox ⊇ BleedBox ⊇ TrimBox",
                                                   number))
                least = min(trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3]) / MM
                if least < MIN_BLEED_MM - 0.01:
                    report.findings.append(Finding("boxes", "fail", f"bleed is {least:.1f} mm (needs {MIN_BLEED_MM:g} mm)",
                                                   number))
            walker = _PageWalker(report, number, bleed)
            walker.walk(page, page.get("/Resources"), (1.0, 0.0, 0.0, 1.0, 0.0, 0.0))
            if walker.crop_segments < 8:
                walker.add("crop marks", "fail", "crop marks missing (8 registration strokes outside the bleed expected)")
        binding = binding or str(pdf.docinfo.get("/PubkitBinding", "")) or None
        multiple = PAGE_MULTIPLE.get(binding or "", 1)
        if len(pdf.pages) % multiple:
            report.findings.append(Finding("page count", "fail",
                                           f"{len(pdf.pages)} pages; {binding} needs a multiple of {multiple}"))
    return report


def _check_pdfx(pdf, report: Report) -> None:
    intents = pdf.Root.get("/OutputIntents")
    intent = next((i for i in intents if i.get("/S") == "/GTS_PDFX"), None) if intents is not None else None
    if intent is None or "/DestOutputProfile" not in intent:
        report.findings.append(Finding("pdfx", "fail", "no PDF/X output intent with an embedded ICC profile"))
    elif int(intent.DestOutputProfile.get("/N", 0)) != 4:
        report.findings.append(Finding("pdfx", "fail", "the output intent's profile is not CMYK"))
    version = str(pdf.docinfo.get("/GTS_PDFXVersion", ""))
    if not version.startswith("PDF/X-4"):
        report.findings.append(Finding("pdfx", "fail", "GTS_PDFXVersion is not PDF/X-4"))
    if str(pdf.docinfo.get("/Trapped", "")) not in ("/True", "/False"):
        report.findings.append(Finding("pdfx", "fail", "Trapped key missing (must be True or False)"))
    if "/Metadata" not in pdf.Root:
        report.findings.append(Finding("pdfx", "fail", "no XMP metadata"))


def check_file(path: Path, *, binding: str | None = None) -> Report:
    return check_pdf(path.read_bytes(), str(path), binding=binding)
