"""Preflight: the checks a print shop runs on a PDF before it goes to plate.

Reads the PDF with pikepdf and follows every page's graphics state (transformation, clip,
fill and stroke colour in any colour space, overprint) through form XObjects, so each check
looks at what the plates will receive:

* pdfx: PDF/X-4's rules: an output intent with a readable CMYK printer profile,
  ``GTS_PDFXVersion`` in the document info and in the XMP, ``Trapped``, no encryption, no
  transfer functions, no annotation inside the bleed box, no action that does more than navigate;
* boxes: MediaBox ⊇ BleedBox ⊇ TrimBox, no ArtBox beside the TrimBox, at least 3 mm of bleed;
* bleed: nothing that reaches the trim edge stops there instead of running on into the bleed;
* crop marks: registration-colour strokes (CMYK 100/100/100/100 or Separation /All), all
  outside the bleed;
* fonts: every font embedded and subset;
* colour: no RGB, Lab or spot colour; no 4-colour black in text;
* coverage: at most 300 % on the plates in every fill, image pixel and stack of overprinted fills;
* images: effective resolution at the placed size (fail < 200 ppi, warn < 300 ppi);
* page count: a multiple of 4 for saddle stitch (2 for perfect binding and wire-o).

A file that cannot be read as a PDF at all (not a PDF, damaged, locked with a password) is a
:class:`PubkitError`, not a finding.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
from dataclasses import asdict, dataclass, field
from functools import partial
from itertools import repeat
from pathlib import Path
from xml.etree import ElementTree

from pubkit.errors import PubkitError
from pubkit.spec.model import PAGE_MULTIPLE

MM = 72 / 25.4
MIN_BLEED_MM = 3.0
MAX_TAC = 300.0
FAIL_PPI, WARN_PPI = 200, 300
TRIM_TOUCH = 0.5  # pt: an edge this close to the trim edge is drawn to the trim
TRIM_CROSS = 1.0  # pt: text's ink (advance widths, the font's ascent and descent) past the trim by more is cut
CHECKS = ("pdfx", "boxes", "bleed", "trim", "crop marks", "fonts", "colour", "black text", "coverage", "images",
          "page count")
_SUBSET_TAG = re.compile(r"^/?[A-Z]{6}\+")
_PROCESS_PLATES = {"/Cyan": (0,), "/Magenta": (1,), "/Yellow": (2,), "/Black": (3,), "/All": (0, 1, 2, 3), "/None": ()}
_COMPONENTS = {"/DeviceGray": 1, "/CalGray": 1, "/DeviceRGB": 3, "/CalRGB": 3, "/Lab": 3, "/DeviceCMYK": 4,
               "/Separation": 1, "/Indexed": 1, "/Pattern": 0}
# Actions that only navigate cannot change what prints; PDF/X forbids the others (JavaScript, Launch, forms, media…).
_NAVIGATION = {"/GoTo", "/GoToR", "/GoToE", "/Thread", "/URI", "/Named"}
# Filters qpdf decodes itself: such images are read as raw samples, the others through Pillow.
_PLAIN_FILTERS = {"/FlateDecode", "/LZWDecode", "/RunLengthDecode", "/ASCII85Decode", "/ASCIIHexDecode"}
_PDFX_VERSION_XMP = "{http://www.npes.org/pdfx/ns/id/}GTS_PDFXVersion"
_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
# Line caps and joins (ISO 32000-1, 8.4.3.3-4): 0 butt cap or miter join, 1 round, 2 square cap or bevel join.
_BUTT, _ROUND, _MITER = 0, 1, 0
_PEN = {"/LW": "line width", "/LC": "cap", "/LJ": "join", "/ML": "miter limit"}  # ExtGState key: state key


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

    def add(self, check: str, status: str, detail: str, page: int | None = None) -> None:
        finding = Finding(check, status, detail, page)
        if finding not in self.findings:  # a form drawn on every page is one finding per page, not one per use
            self.findings.append(finding)

    def as_dict(self) -> dict:
        return {"file": self.file, "pages": self.pages, "passed": not self.failed,
                "checks": {check: self.status_of(check) for check in CHECKS},
                "findings": [asdict(f) for f in self.findings]}


@dataclass(frozen=True)
class _Ink:
    """What one colour puts on the CMYK plates."""

    plates: tuple[float, ...] | None  # C, M, Y, K from 0 to 1; None when not measurable (a pattern, RGB, a spot colour)
    painted: tuple[bool, ...] = (True, True, True, True)  # plates the colour space addresses; overprint keeps the rest
    process: bool = False  # a CMYK colour, whose zero components overprint mode 1 leaves unpainted
    problem: str | None = None  # why it cannot print on CMYK plates

    @property
    def tac(self) -> float:
        return sum(self.plates) * 100 if self.plates else 0.0

    @property
    def inked(self) -> bool:
        return self.plates is None or any(self.plates)

    @property
    def registration(self) -> bool:
        return self.plates is not None and min(self.plates) >= 0.99


def _family(space) -> str:
    import pikepdf

    return str(space[0] if isinstance(space, pikepdf.Array) else space)


def _components(space) -> int:
    family = _family(space)
    if family == "/ICCBased":
        return int(space[1].get("/N", 0))
    if family == "/DeviceN":
        return len(space[1])
    return _COMPONENTS.get(family, 1)


def _ink(space, values: tuple[float, ...] | None = None) -> _Ink:
    """What ``values`` (None: the initial colour) in the PDF colour space ``space`` put on the plates."""
    import pikepdf

    family = _family(space)
    if family in ("/ICCBased", "/CalGray"):
        device = {1: "/DeviceGray", 4: "/DeviceCMYK"}.get(_components(space))
        if device is None:
            return _Ink(None, problem="ICC-based RGB colour" if _components(space) == 3 else f"{family[1:]} colour")
        family = device
    if family == "/DeviceCMYK":
        return _Ink((tuple(values) + (0.0,) * 4)[:4] if values else (0.0, 0.0, 0.0, 1.0), process=True)
    if family == "/DeviceGray":
        return _Ink((0.0, 0.0, 0.0, 1.0 - (values[0] if values else 0.0)), painted=(False, False, False, True))
    if family in ("/Separation", "/DeviceN"):
        names = [str(space[1])] if family == "/Separation" else [str(name) for name in space[1]]
        tints = values or (1.0,) * len(names)
        plates, painted = [0.0] * 4, [False] * 4
        for name, tint in zip(names, tints):
            if name not in _PROCESS_PLATES:
                return _Ink(None, problem=f"spot colour {name[1:]} ({family[1:]})")
            for plate in _PROCESS_PLATES[name]:
                plates[plate], painted[plate] = max(plates[plate], tint), True
        return _Ink(tuple(plates), tuple(painted))
    if family == "/Indexed":
        base, lookup = space[1], space[3]
        lookup = lookup.read_bytes() if isinstance(lookup, pikepdf.Stream) else bytes(lookup)
        width = _components(base)
        index = min(int(values[0]) if values else 0, int(space[2]))
        return _ink(base, tuple(byte / 255 for byte in lookup[index * width:(index + 1) * width]))
    if family == "/Pattern":
        return _Ink(None)
    return _Ink(None, problem=f"{family[1:]} colour")


def _painted(ink: _Ink, overprint: bool, mode: int) -> tuple[bool, ...]:
    """The plates a fill replaces: all of them when it knocks out, its own ones when it overprints."""
    if not overprint:
        return (True, True, True, True)
    if ink.process and mode == 1:
        return tuple(value > 0 for value in ink.plates)
    return ink.painted


def _matrix_multiply(m: tuple, n: tuple) -> tuple:
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def _apply(m: tuple, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def _bounds(points) -> tuple[float, float, float, float]:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def _intersect(a: tuple | None, b: tuple | None) -> tuple | None:
    if a is None or b is None:
        return None
    box = max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])
    return box if box[0] <= box[2] and box[1] <= box[3] else None


def _floats(operands) -> tuple[float, ...]:
    return tuple(float(v) for v in operands)


@dataclass
class _Subpath:
    """One subpath as it is painted: its points on the page, a curve's control points among them."""

    points: list[tuple[float, float]]
    closed: bool = False
    curved: bool = False


def _largest_scale(ctm: tuple) -> float:
    """The most the CTM stretches a length (its largest singular value). The pen, a circle in user space, is an
    ellipse on the page under a non-uniform CTM; a circle of this larger scale holds it, so the ink is judged a
    little wider across the ellipse's short axis than it is. The closed form for a 2 × 2 matrix, not numpy's
    ``linalg.norm(m, 2)``: the same value (checked on random matrices) in 0.4 µs instead of 50 µs a stroke."""
    a, b, c, d = ctm[:4]
    return (math.hypot(a + d, b - c) + math.hypot(a - d, b + c)) / 2


def _around(point: tuple, radius: float) -> list[tuple[float, float]]:
    """Two corners of the square that holds a disc: a round cap or join."""
    x, y = point
    return [(x - radius, y - radius), (x + radius, y + radius)]


def _stroke_points(subpath: _Subpath, radius: float, cap: int, join: int, miter_limit: float) -> list:
    """Points whose bounding box holds the ink of one stroked subpath drawn with a round pen of ``radius``
    (ISO 32000-1, 8.5.3.1): each segment's band, each join's miter tip or disc, each open end's cap. Not the path
    box grown by the radius all round: a rule's butt end stops where the path stops, and a rule that stops at the
    trim must be reported whatever its width. Hand-written rather than with a geometry library's buffer (shapely):
    a bounding box needs only these points, not an outline, and no new binary dependency. A curve is taken as its
    control polygon with round joins: it stays inside its control points' hull and leaves its ends along the first
    and last legs, so its caps are placed exactly. Dash patterns are not followed: a dashed stroke is judged as
    if it were solid."""
    corners = [p for i, p in enumerate(subpath.points) if i == 0 or p != subpath.points[i - 1]]  # no 0-length legs
    closed = subpath.closed
    if closed and len(corners) > 1 and corners[0] == corners[-1]:
        corners.pop()
    if len(corners) == 1:  # a dot: round and square caps paint it, butt caps nothing
        return _around(corners[0], radius) if cap != _BUTT else []
    legs = list(zip(corners, corners[1:] + corners[:1] if closed else corners[1:]))
    directions = []
    ink = []
    for (x0, y0), (x1, y1) in legs:
        length = math.hypot(x1 - x0, y1 - y0)
        ux, uy = (x1 - x0) / length, (y1 - y0) / length
        nx, ny = -uy * radius, ux * radius
        directions.append((ux, uy))
        ink += [(x0 + nx, y0 + ny), (x0 - nx, y0 - ny), (x1 + nx, y1 + ny), (x1 - nx, y1 - ny)]
    join = _ROUND if subpath.curved else join
    for i in range(len(legs) if closed else len(legs) - 1):
        (ux, uy), (wx, wy), (x, y) = directions[i], directions[(i + 1) % len(legs)], legs[i][1]
        bend = 1 + ux * wx + uy * wy  # 2 sin²(θ/2), θ the angle between the legs
        if join == _ROUND:
            ink += _around((x, y), radius)
        elif join == _MITER and bend * miter_limit ** 2 >= 2:  # a miter longer than the limit is bevelled
            side = -radius / bend if ux * wy - uy * wx > 0 else radius / bend  # the outer side: right of a left turn
            ink.append((x - side * (uy + wy), y + side * (ux + wx)))
    if not closed and cap != _BUTT:
        (sx, sy), (ex, ey) = directions[0], directions[-1]
        for (x, y), (ux, uy) in ((corners[0], (-sx, -sy)), (corners[-1], (ex, ey))):  # outwards at each end
            ink += _around((x, y), radius) if cap == _ROUND else [  # a square cap
                (x + (ux - uy) * radius, y + (uy + ux) * radius), (x + (ux + uy) * radius, y + (uy - ux) * radius)]
    return ink


@dataclass(frozen=True)
class _FontMetrics:
    """What placing a font's text needs: advance widths by code, and ascent and descent (thousandths of an em)."""

    widths: dict
    default: float
    single_byte: bool
    ascent: float
    descent: float

    def codes(self, data: bytes):
        """The codes of the glyphs a string shows: one byte a code, or two (Identity-H)."""
        return data if self.single_byte else [data[at] << 8 | data[at + 1] for at in range(0, len(data) - 1, 2)]

    def glyphs(self, data: bytes):
        """(code, width) of each glyph the string shows."""
        return [(code, self.widths.get(code, self.default)) for code in self.codes(data)]

    def total(self, data: bytes) -> tuple[float, int, int]:
        """The string's summed width, its glyphs and its word spaces (code 32 of a one-byte font), summed by
        ``map`` in C: glyph by glyph in Python, placing text took as long as the rest of preflight."""
        codes = self.codes(data)
        return (sum(map(self.widths.get, codes, repeat(self.default, len(codes)))), len(codes),
                data.count(32) if self.single_byte else 0)


def _font_metrics(font, known: dict) -> _FontMetrics | None:
    """A simple font's ``/Widths`` (TrueType, Type 1) or a Type 0 font's ``/W`` under Identity-H; None for other
    fonts (Type 3, other CMaps), whose text is then not placed, and for a font dictionary that is damaged.
    ``known`` holds one document's fonts by object number (another file reuses the numbers)."""
    if font is None:
        return None
    if not font.is_indirect:  # a font written into the resources: no number to know it by
        return _metrics_or_none(font)
    if font.objgen not in known:
        known[font.objgen] = _metrics_or_none(font)
    return known[font.objgen]


def _metrics_or_none(font) -> _FontMetrics | None:
    try:
        return _read_metrics(font)
    except (TypeError, ValueError, AttributeError, KeyError, IndexError):
        return None


def _read_metrics(font) -> _FontMetrics | None:
    import pikepdf

    subtype = str(font.get("/Subtype", ""))
    if subtype in ("/TrueType", "/Type1", "/MMType1") and "/Widths" in font:
        first = int(font.get("/FirstChar", 0))
        descriptor = font.get("/FontDescriptor")
        missing = float(descriptor.get("/MissingWidth", 0)) if descriptor is not None else 0.0
        widths = {first + i: float(width) for i, width in enumerate(font.Widths)}
        return _FontMetrics(widths, missing, True, *_vertical(descriptor))
    if subtype == "/Type0" and str(font.get("/Encoding", "")) == "/Identity-H":
        descendant = font.DescendantFonts[0]
        widths: dict[int, float] = {}
        items = list(descendant.get("/W", []))
        at = 0
        while at < len(items) - 1:
            if isinstance(items[at + 1], pikepdf.Array):
                start = int(items[at])
                widths.update((start + i, float(width)) for i, width in enumerate(items[at + 1]))
                at += 2
            else:
                widths.update((code, float(items[at + 2])) for code in range(int(items[at]), int(items[at + 1]) + 1))
                at += 3
        return _FontMetrics(widths, float(descendant.get("/DW", 1000)), False,
                            *_vertical(descendant.get("/FontDescriptor")))
    return None


def _vertical(descriptor) -> tuple[float, float]:
    """The font's ascent and descent (thousandths of an em), or an em's usual 800 and -200 when not given."""
    if descriptor is None:
        return 800.0, -200.0
    return float(descriptor.get("/Ascent", 800)), float(descriptor.get("/Descent", -200))


class _PageWalker:
    """Follows one page's graphics state through its content, form XObjects and images."""

    def __init__(self, report: Report, page_number: int, media: tuple, trim: tuple, bleed: tuple, fonts: dict):
        import pikepdf

        self.report, self.page = report, page_number
        self.fonts = fonts  # the document's font metrics, read once (_font_metrics)
        self.media, self.trim, self.bleed = media, trim, bleed
        gray = pikepdf.Name.DeviceGray
        self.state = {"ctm": _IDENTITY, "clip": media, "fill": _ink(gray), "stroke": _ink(gray),
                      "fill space": gray, "stroke space": gray, "op": False, "OPM": 0, "render": 0,
                      "line width": 1.0, "cap": _BUTT, "join": _MITER, "miter limit": 10.0,  # PDF's defaults
                      "font": None, "size": 0.0, "Tc": 0.0, "Tw": 0.0, "Tz": 100.0, "TL": 0.0, "Ts": 0.0}
        self.text_matrix = self.line_matrix = _IDENTITY  # not in the graphics state: BT sets them
        self.stack: list[dict] = []
        self.resources = None
        self.subpaths: list[_Subpath] = []
        self.segments = 0
        self.clip_next = False
        self.crop_segments = 0
        self.fills: list[tuple] = []  # (box, plates, plates painted) of every vector fill, for stacked overprint
        self.overprint = False
        self.forms: set = set()  # forms being drawn, so a form that draws itself ends
        fill, stroke = partial(self.set_device, "fill"), partial(self.set_device, "stroke")
        self.operators = {
            "q": self.push, "Q": self.pop, "cm": self.concat, "gs": self.graphics_state,
            "k": partial(fill, "/DeviceCMYK"), "K": partial(stroke, "/DeviceCMYK"),
            "g": partial(fill, "/DeviceGray"), "G": partial(stroke, "/DeviceGray"),
            "rg": partial(fill, "/DeviceRGB"), "RG": partial(stroke, "/DeviceRGB"),
            "cs": partial(self.set_space, "fill"), "CS": partial(self.set_space, "stroke"),
            "sc": partial(self.set_colour, "fill"), "scn": partial(self.set_colour, "fill"),
            "SC": partial(self.set_colour, "stroke"), "SCN": partial(self.set_colour, "stroke"),
            "w": partial(self.set_pen, "line width"), "J": partial(self.set_pen, "cap"),
            "j": partial(self.set_pen, "join"), "M": partial(self.set_pen, "miter limit"),
            "m": self.move_to, "l": partial(self.extend, False), "c": partial(self.extend, True),
            "v": partial(self.extend, True), "y": partial(self.extend, True), "re": self.add_rectangle,
            "h": self.close_subpath, "W": self.clip, "W*": self.clip,
            "n": partial(self.paint, False, False), "S": partial(self.paint, False, True),
            "s": partial(self.paint, False, True, close=True), "f": partial(self.paint, True, False),
            "F": partial(self.paint, True, False), "f*": partial(self.paint, True, False),
            "B": partial(self.paint, True, True), "B*": partial(self.paint, True, True),
            "b": partial(self.paint, True, True, close=True), "b*": partial(self.paint, True, True, close=True),
            "Tr": self.render_mode, "Tj": self.show_text, "TJ": self.show_text, "'": self.next_line_show,
            '"': self.spaced_next_line_show, "BT": self.begin_text, "Tf": self.set_font,
            "Tc": partial(self.set_text, "Tc"), "Tw": partial(self.set_text, "Tw"), "Tz": partial(self.set_text, "Tz"),
            "TL": partial(self.set_text, "TL"), "Ts": partial(self.set_text, "Ts"), "Td": self.move_text,
            "TD": self.move_text_leading, "Tm": self.set_text_matrix, "T*": self.next_line,
            "Do": self.draw_xobject, "INLINE IMAGE": self.draw_inline_image,
            "sh": self.paint_shading,
        }

    def add(self, check: str, status: str, detail: str) -> None:
        self.report.add(check, status, detail, self.page)

    def resource(self, kind: str, name):
        bucket = self.resources.get(kind) if self.resources is not None else None
        return bucket.get(name) if bucket is not None else None

    def walk(self, content_owner, resources) -> None:
        import pikepdf

        outer, self.resources = self.resources, resources
        self.check_resources(resources)
        for instruction in pikepdf.parse_content_stream(content_owner):  # not unpacked: that costs 5 times more
            handler = self.operators.get(str(instruction.operator))
            if handler is not None:
                try:
                    handler(instruction.operands)
                except (IndexError, ValueError, TypeError, AttributeError, KeyError):
                    # an operator short of operands, or given the wrong kind (`w` with a name): a broken file
                    # from some other tool, reported as one finding instead of stopping preflight
                    self.add("pdfx", "fail", f"the content stream has '{instruction.operator}' with operands it "
                                             f"cannot take ({len(instruction.operands)} given); the file is damaged")
        self.resources = outer

    def finish(self) -> None:
        if self.crop_segments < 8:
            self.add("crop marks", "fail", "crop marks missing (8 registration strokes outside the bleed expected)")
        if self.overprint:
            self.check_stacked_overprint()

    # -- graphics state --------------------------------------------------------------------------
    def push(self, _operands=()) -> None:
        self.stack.append(dict(self.state))

    def pop(self, _operands=()) -> None:
        if self.stack:
            self.state = self.stack.pop()

    def concat(self, operands) -> None:
        self.state["ctm"] = _matrix_multiply(_floats(operands), self.state["ctm"])

    def graphics_state(self, operands) -> None:
        extgstate = self.resource("/ExtGState", operands[0])
        if extgstate is None:
            return
        overprint = extgstate.get("/op", extgstate.get("/OP"))  # /OP alone sets fill overprint too
        if overprint is not None:
            self.state["op"] = bool(overprint)
        if "/OPM" in extgstate:
            self.state["OPM"] = int(extgstate.OPM)
        for key in _PEN.keys() & extgstate.keys():  # one read of the keys: `in` on a pikepdf dictionary is slow
            self.state[_PEN[key]] = float(extgstate[key])

    def use(self, side: str, ink: _Ink) -> None:
        if ink.problem:
            self.add("colour", "fail", f"{ink.problem} in page content; print needs CMYK")
        self.state[side] = ink

    def set_device(self, side: str, family: str, operands) -> None:
        import pikepdf

        self.state[f"{side} space"] = space = pikepdf.Name(family)
        self.use(side, _ink(space, _floats(operands)))

    def colour_space(self, space):
        """A colour space operand resolved: a resource name to its definition; a device name or an array as is."""
        import pikepdf

        named = self.resource("/ColorSpace", space) if isinstance(space, pikepdf.Name) else None
        return space if named is None else named

    def set_space(self, side: str, operands) -> None:
        self.state[f"{side} space"] = space = self.colour_space(operands[0])
        self.use(side, _ink(space))

    def set_colour(self, side: str, operands) -> None:
        import pikepdf

        if operands and isinstance(operands[-1], pikepdf.Name):  # a pattern
            pattern = self.resource("/Pattern", operands[-1])
            if pattern is not None and "/Shading" in pattern:
                self.check_shading(pattern.Shading, f"pattern {operands[-1]}")
            self.state[side] = _Ink(None)
        else:
            self.use(side, _ink(self.state[f"{side} space"], _floats(operands)))

    def render_mode(self, operands) -> None:
        self.state["render"] = int(operands[0])

    def set_pen(self, name: str, operands) -> None:
        self.state[name] = float(operands[0])

    # -- paths -----------------------------------------------------------------------------------
    def on_page(self, operands) -> list[tuple[float, float]]:
        ctm, coordinates = self.state["ctm"], _floats(operands)
        return [_apply(ctm, x, y) for x, y in zip(coordinates[::2], coordinates[1::2])]

    def move_to(self, operands) -> None:
        self.subpaths.append(_Subpath(self.on_page(operands)))

    def extend(self, curve: bool, operands) -> None:
        """A line or curve from the current point; after a closed subpath, a new one starts at its first point."""
        if not self.subpaths or self.subpaths[-1].closed:
            self.subpaths.append(_Subpath(self.subpaths[-1].points[:1] if self.subpaths else []))
        self.subpaths[-1].points += self.on_page(operands)
        self.subpaths[-1].curved |= curve
        self.segments += 1

    def add_rectangle(self, operands) -> None:
        x, y, w, h = _floats(operands)
        self.subpaths.append(_Subpath(self.on_page((x, y, x + w, y, x + w, y + h, x, y + h)), closed=True))
        self.segments += 4

    def close_subpath(self, _operands=()) -> None:
        if self.subpaths:
            self.subpaths[-1].closed = True

    def clip(self, _operands) -> None:
        self.clip_next = True

    def paint(self, fill: bool, stroke: bool, _operands, close: bool = False) -> None:
        if close:
            self.close_subpath()
        points = [point for subpath in self.subpaths for point in subpath.points]
        if points:
            box = _bounds(points)
            if fill:
                self.fill_area(_intersect(box, self.state["clip"]), "a filled shape")
            if stroke:
                self.stroke_path(box)
            if self.clip_next:
                self.state["clip"] = _intersect(box, self.state["clip"])
        self.subpaths, self.segments, self.clip_next = [], 0, False

    def fill_area(self, box: tuple | None, what: str) -> None:
        ink = self.state["fill"]
        if box is None:
            return
        if ink.registration:
            if not self.outside_bleed(box):
                self.add("crop marks", "fail", f"registration colour fills {self.where(box)}, inside the bleed; "
                                               "only marks outside the bleed may use it")
            return
        if ink.tac > MAX_TAC + 0.01:
            self.add("coverage", "fail", f"vector fill with {ink.tac:.0f}% total area coverage (limit {MAX_TAC:.0f}%)")
        if ink.inked:
            self.check_reaches_bleed(box, what)
        if ink.plates is not None:
            self.fills.append((box, ink.plates, _painted(ink, self.state["op"], self.state["OPM"])))
            self.overprint |= self.state["op"]

    def stroke_path(self, box: tuple) -> None:
        """Judge a stroke's ink like a fill's; registration strokes are crop marks, judged by their path."""
        ink = self.state["stroke"]
        if not ink.registration:
            if ink.tac > MAX_TAC + 0.01:
                self.add("coverage", "fail", f"stroke with {ink.tac:.0f}% total area coverage (limit {MAX_TAC:.0f}%)")
            painted = _intersect(self.stroke_extent(), self.state["clip"]) if ink.inked else None
            if painted is not None:
                self.check_reaches_bleed(painted, "a stroke")
        elif self.outside_bleed(box):
            self.crop_segments += self.segments
        else:
            self.add("crop marks", "fail", "registration-colour stroke inside the bleed area (marks must be outside)")

    def stroke_extent(self) -> tuple | None:
        """The box the current path's stroke inks on the page (None: it inks nothing). The line width is in user
        space when the path is stroked (ISO 32000-1, 8.4.3.2), so the pen is scaled by the CTM then."""
        radius = self.state["line width"] / 2 * _largest_scale(self.state["ctm"])
        pen = self.state["cap"], self.state["join"], self.state["miter limit"]
        ink = [point for subpath in self.subpaths for point in _stroke_points(subpath, radius, *pen)]
        return _bounds(ink) if ink else None

    # -- text: where it goes ----------------------------------------------------------------------
    def begin_text(self, _operands=()) -> None:
        self.text_matrix = self.line_matrix = _IDENTITY

    def set_font(self, operands) -> None:
        self.state["font"], self.state["size"] = self.resource("/Font", operands[0]), float(operands[1])

    def set_text(self, name: str, operands) -> None:
        self.state[name] = float(operands[0])

    def set_text_matrix(self, operands) -> None:
        self.text_matrix = self.line_matrix = _floats(operands)

    def move_text(self, operands) -> None:
        x, y = _floats(operands)
        self.text_matrix = self.line_matrix = _matrix_multiply((1, 0, 0, 1, x, y), self.line_matrix)

    def move_text_leading(self, operands) -> None:
        self.state["TL"] = -float(operands[1])
        self.move_text(operands)

    def next_line(self, _operands=()) -> None:
        self.move_text((0, -self.state["TL"]))

    def next_line_show(self, operands) -> None:
        self.next_line()
        self.show_text(operands)

    def spaced_next_line_show(self, operands) -> None:
        self.state["Tw"], self.state["Tc"] = float(operands[0]), float(operands[1])
        self.next_line_show(operands[2:])

    def advance_text(self, operands) -> tuple[float, float] | None:
        """Move the text matrix past the shown strings (ISO 32000-1, 9.4.4); return their left and right edge in
        text space, or None when the font's widths are not known (then its place is not judged)."""
        import pikepdf

        metrics = _font_metrics(self.state["font"], self.fonts)
        size, scale = self.state["size"], self.state["Tz"] / 100
        x, low, high = 0.0, math.inf, -math.inf
        for item in operands[0] if isinstance(operands[0], pikepdf.Array) else operands[-1:]:
            if not isinstance(item, pikepdf.String):
                x -= float(item) / 1000 * size * scale  # a TJ number: thousandths of the size, leftwards
            elif metrics is not None and self.state["Tc"] >= 0 and self.state["Tw"] >= 0:  # rightwards only
                width, count, spaces = metrics.total(bytes(item))
                advance = (width / 1000 * size + self.state["Tc"] * count + self.state["Tw"] * spaces) * scale
                low, high = min(low, x), max(high, x + advance)
                x += advance
            elif metrics is not None:  # negative spacing: a glyph may end left of where it began
                for code, width in metrics.glyphs(bytes(item)):
                    space = self.state["Tw"] if code == 32 and metrics.single_byte else 0.0
                    advance = (width / 1000 * size + self.state["Tc"] + space) * scale
                    low, high = min(low, x, x + advance), max(high, x, x + advance)
                    x += advance
        self.text_matrix = _matrix_multiply((1, 0, 0, 1, x, 0), self.text_matrix)
        return (low, high) if metrics is not None and low <= high else None

    def check_text_at_trim(self, start: tuple, span: tuple[float, float]) -> None:
        """Text whose ink crosses the trim line is cut with the paper: a line run past its column, a heading set
        into the margin (text wholly outside the trim, a slug's job note, is the shop's own)."""
        metrics = _font_metrics(self.state["font"], self.fonts)
        size, rise = self.state["size"], self.state["Ts"]
        a, b, c, d, e, f = _matrix_multiply(start, self.state["ctm"])
        below, above = rise + metrics.descent * size / 1000, rise + metrics.ascent * size / 1000
        if b == c == 0:  # upright text, as nearly all is: its box directly (a quarter of preflight's text time)
            xs, ys = (a * span[0] + e, a * span[1] + e), (d * below + f, d * above + f)
            box = (min(xs), min(ys), max(xs), max(ys))
        else:
            box = _bounds([_apply((a, b, c, d, e, f), x, y) for x in span for y in (below, above)])
        ink = _intersect(box, self.state["clip"])
        inside = _intersect(ink, self.trim)
        if ink is None or inside is None or inside[2] - inside[0] < 0.5 or inside[3] - inside[1] < 0.5:
            return
        tx0, ty0, tx1, ty1 = self.trim
        sides = [side for side, over in (("left", tx0 - ink[0]), ("bottom", ty0 - ink[1]), ("right", ink[2] - tx1),
                                         ("top", ink[3] - ty1)) if over > TRIM_CROSS]
        if sides:
            self.add("trim", "fail", f"text at {self.where(ink)} crosses the trim ({' and '.join(sides)} edge) and "
                                     "would be cut; keep text inside the trim")

    def show_text(self, operands) -> None:
        """Judge every ink the text mode paints with: the fill (modes 0, 2, 4, 6) and the outline (1, 2, 5, 6);
        modes 3 and 7 are invisible. Where the font's widths are known, the text's place is judged too."""
        start = self.text_matrix
        span = self.advance_text(operands)
        if span is not None and self.state["render"] not in (3, 7):
            self.check_text_at_trim(start, span)
        mode = self.state["render"]
        inks = [("text", self.state["fill"])] if mode in (0, 2, 4, 6) else []
        inks += [("text outlined", self.state["stroke"])] if mode in (1, 2, 5, 6) else []
        for what, ink in inks:
            c, m, y, k = ink.plates or (0, 0, 0, 0)
            if k >= 0.85 and max(c, m, y) > 0.02:
                self.add("black text", "fail",
                         f"{what} in 4-colour black (C{c * 100:.0f} M{m * 100:.0f} Y{y * 100:.0f} K{k * 100:.0f}); "
                         "body text must be 100% K only")
            if ink.tac > MAX_TAC + 0.01:
                self.add("coverage", "fail", f"{what} with {ink.tac:.0f}% total area coverage (limit {MAX_TAC:.0f}%)")

    def paint_shading(self, operands) -> None:
        shading = self.resource("/Shading", operands[0])
        if shading is not None:
            self.check_shading(shading, f"shading {operands[0]}")

    def check_shading(self, shading, name: str) -> None:
        problem = _ink(shading.get("/ColorSpace", "/DeviceGray")).problem
        if problem:
            self.add("colour", "fail", f"{name} is in {problem}; print needs CMYK")

    # -- geometry --------------------------------------------------------------------------------
    def outside_bleed(self, box: tuple) -> bool:
        x0, y0, x1, y1 = self.bleed
        return box[2] <= x0 + 0.01 or box[0] >= x1 - 0.01 or box[3] <= y0 + 0.01 or box[1] >= y1 - 0.01

    def where(self, box: tuple) -> str:
        """A box in millimetres from the trim's lower left corner, as the designer measures it."""
        x0, y0, x1, y1 = ((value - self.trim[i % 2]) / MM for i, value in enumerate(box))
        return f"x {x0:.0f}–{x1:.0f} mm, y {y0:.0f}–{y1:.0f} mm"

    def check_reaches_bleed(self, box: tuple, what: str) -> None:
        """Ink drawn to the trim edge must run on into the bleed, or a hairline of paper shows after cutting."""
        tx0, ty0, tx1, ty1 = self.trim
        x0, y0, x1, y1 = box
        if self.trim == self.bleed or x1 <= tx0 or x0 >= tx1 or y1 <= ty0 or y0 >= ty1:
            return
        sides = [side for side, edge, trim_edge in (("left", x0, tx0), ("bottom", y0, ty0), ("right", x1, tx1),
                                                    ("top", y1, ty1)) if abs(edge - trim_edge) <= TRIM_TOUCH]
        if sides:
            self.add("bleed", "fail", f"{what} at {self.where(box)} stops at the trim ({' and '.join(sides)} edge); "
                                      "extend it to the bleed")

    def check_stacked_overprint(self) -> None:
        """Overprinted fills keep the plates below that they do not paint: their inks add up where they overlap.

        Where no two fills overlap, no cell holds more than one fill's inks, so nothing can exceed the
        fills' own coverage and the grid is not needed (nor numpy, a 0.15 s import, in a process whose
        pages have no overlapping overprinted fills; the sample's chart page has some)."""
        if not _any_overlap([box for box, _, _ in self.fills]):
            return
        import numpy as np

        x0, y0, x1, y1 = self.media
        cell = max(1.0, (x1 - x0) / 1000, (y1 - y0) / 1000)  # pt; at most a million cells
        plates = np.zeros((int((y1 - y0) / cell) + 1, int((x1 - x0) / cell) + 1, 4), np.float32)
        for box, values, painted in self.fills:
            left, bottom, right, top = (max(0, round((value - (x0, y0)[i % 2]) / cell)) for i, value in enumerate(box))
            mask = np.array(painted)
            plates[bottom:top, left:right, mask] = np.array(values, np.float32)[mask]
        total = plates.sum(axis=2) * 100
        row, column = np.unravel_index(int(total.argmax()), total.shape)
        peak = float(total[row, column])
        if peak > MAX_TAC + 0.5 and peak > max(sum(values) * 100 for _, values, _ in self.fills) + 0.5:
            x, y = x0 + column * cell, y0 + row * cell
            self.add("coverage", "fail", f"overprinted fills stack to {peak:.0f}% total area coverage at "
                                         f"{self.where((x, y, x + cell, y + cell))} (limit {MAX_TAC:.0f}%)")

    # -- resources -------------------------------------------------------------------------------
    def check_resources(self, resources) -> None:
        """Fonts must be embedded; graphics states may not hold transfer functions, used or not."""
        import pikepdf

        states = resources.get("/ExtGState") if resources is not None else None
        for name, extgstate in (states.items() if states is not None else ()):
            for key in ("/TR", "/TR2"):
                if key in extgstate and extgstate[key] != pikepdf.Name.Default:
                    self.add("pdfx", "fail", f"graphics state {name} sets a transfer function ({key}), "
                                             "which PDF/X forbids; remove it")
        fonts = resources.get("/Font") if resources is not None else None
        for name, font in (fonts.items() if fonts is not None else ()):
            base = str(font.get("/BaseFont", name))
            if font.get("/Subtype") == "/Type3":
                continue
            described = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            descriptor = described.get("/FontDescriptor")
            if descriptor is None or not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                self.add("fonts", "fail", f"font {base} is not embedded")
            elif not _SUBSET_TAG.match(base):
                self.add("fonts", "warn", f"font {base} is embedded whole, not subset")

    def draw_xobject(self, operands) -> None:
        import pikepdf

        xobject = self.resource("/XObject", operands[0])
        if xobject is None:
            return
        if xobject.get("/Subtype") == "/Image":
            self.draw_image(pikepdf.PdfImage(xobject), f"image {operands[0]}")
        elif xobject.get("/Subtype") == "/Form" and xobject.objgen not in self.forms:
            depth = len(self.stack)
            self.push()
            self.concat(xobject.get("/Matrix", _IDENTITY))
            if "/BBox" in xobject:
                x0, y0, x1, y1 = _floats(xobject.BBox)
                corners = [_apply(self.state["ctm"], x, y) for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))]
                self.state["clip"] = _intersect(self.state["clip"], _bounds(corners))
            self.forms.add(xobject.objgen)
            self.walk(xobject, xobject.get("/Resources", self.resources))
            self.forms.discard(xobject.objgen)
            del self.stack[depth + 1:]  # a form's unbalanced q is undone with it
            self.pop()

    def draw_inline_image(self, operands) -> None:
        self.draw_image(operands[0], "an inline image")

    def draw_image(self, picture, name: str) -> None:
        import pikepdf

        ctm = self.state["ctm"]
        box = _intersect(_bounds([_apply(ctm, x, y) for x, y in ((0, 0), (1, 0), (1, 1), (0, 1))]), self.state["clip"])
        placed_w, placed_h = math.hypot(ctm[0], ctm[1]) / 72, math.hypot(ctm[2], ctm[3]) / 72
        if placed_w > 0 and placed_h > 0:
            ppi = min(picture.width / placed_w, picture.height / placed_h)
            if ppi < WARN_PPI - 0.5:
                self.add("images", "fail" if ppi < FAIL_PPI else "warn",
                         f"{name} is {ppi:.0f} ppi at its placed size (needs {WARN_PPI})")
        if picture.image_mask:  # a stencil: paints the fill colour through the mask
            self.fill_area(box, name)
            return
        space = self.colour_space(picture.obj.get("/ColorSpace", pikepdf.Name.DeviceGray))  # inline: may be a name
        problem = _ink(space).problem
        if problem:
            self.add("colour", "fail", f"{name} is in {problem}; print needs CMYK")
            return
        if box is not None:
            self.check_reaches_bleed(box, name)
        try:
            tac = _image_tac(picture, space)
        except Exception as error:  # decoders raise all kinds of errors on bad data: each is a finding, not a crash
            self.add("coverage", "fail", f"{name} cannot be decoded to measure its coverage "
                                         f"({error.__class__.__name__}: {str(error)[:80]}); re-export it")
            return
        if tac > MAX_TAC + 0.5:
            self.add("coverage", "fail", f"{name} reaches {tac:.0f}% total area coverage (limit {MAX_TAC:.0f}%)")


def _image_tac(picture, space) -> float:
    """The highest C+M+Y+K of any pixel, in percent; raises when the image cannot be decoded, which a
    RIP would not manage either. Cached by the encoded bytes, for the process and in the build cache
    (:mod:`pubkit.cache`): the editions of a brochure share their images, a rebuild has seen them
    before, and decoding one costs ~70 ms (the colour space is part of the key: an indexed image's
    palette decides its coverage)."""
    import pikepdf

    if isinstance(picture, pikepdf.PdfInlineImage):  # 4 KB at most: not worth a cache entry
        with pikepdf.new() as scratch:  # as an image XObject: pikepdf's own way fails under 3 pixels wide
            image = scratch.make_stream(picture.read_raw_bytes(), picture.obj)
            image.Subtype = pikepdf.Name.Image
            return _decode_tac(pikepdf.PdfImage(image), space)
    digest = hashlib.blake2b(picture.obj.read_raw_bytes() + space.unparse(), digest_size=16).digest()
    if digest not in _tac_cache:
        _tac_cache[digest] = _stored_tac(digest, picture, space)
    return _tac_cache[digest]


def _stored_tac(digest: bytes, picture, space) -> float:
    """The coverage from the build cache, else decoded and stored (a failure to decode is not stored)."""
    from pubkit import cache

    return cache.remembered_object("ink", _ink_key(digest), lambda: _decode_tac(picture, space),
                                   lambda found: isinstance(found, float))


def _ink_key(digest: bytes) -> str:
    import PIL  # the package alone, not its modules

    from pubkit import cache

    # the libraries that decode and sum the picture (versions read without importing pikepdf and numpy,
    # which the workers converting pictures do not need): an upgrade makes new keys
    return cache.key("image-ink", digest, f"pikepdf=={cache.package_version('pikepdf')};"
                                          f"numpy=={cache.package_version('numpy')};pillow=={PIL.__version__}")


def remember_cmyk_ink(stream: bytes, highest: float) -> None:
    """Keep in the build cache the coverage preflight will find for a picture pubkit draws: ``stream`` is its
    Flate-compressed 8-bit DeviceCMYK samples as :func:`pubkit.typeset.images.load_cmyk` made them, which
    the PDF holds unchanged, and ``highest`` the highest ink sum :func:`highest_sum` found on the same
    samples while they were compressed. Loading a picture calls this; without it, preflight decoded
    every picture again in each process (0.3-0.5 s of a cold build's preflight, twice over). The
    sum is :func:`_decode_tac`'s."""
    from pubkit import cache

    if not cache.enabled():  # nothing to keep it in (--no-cache): preflight decodes the picture itself
        return
    digest = hashlib.blake2b(stream + b"/DeviceCMYK", digest_size=16).digest()  # as _image_tac keys it
    cache.remembered_object("ink", _ink_key(digest), lambda: highest, lambda found: isinstance(found, float))


def highest_sum(samples: bytes) -> float:
    """The highest C+M+Y+K of 8-bit CMYK ``samples``, in percent."""
    import numpy as np

    return _highest_sum(np.frombuffer(samples, np.uint8).reshape(-1, 4), 255)


_tac_cache: dict[bytes, float] = {}


def _any_overlap(boxes: list[tuple], limit: int = 400) -> bool:
    """Whether two boxes share some area (True, too, past ``limit`` boxes: then the grid decides)."""
    if len(boxes) > limit:
        return True
    ordered = sorted(boxes)
    for index, (left, bottom, right, top) in enumerate(ordered):
        for other in ordered[index + 1:]:
            if other[0] >= right:  # sorted by left edge: no later box reaches back into this one
                break
            if other[1] < top and bottom < other[3] and left < other[2]:
                return True
    return False


def _decode_tac(picture, space) -> float:
    import numpy as np

    channels, depth = max(_components(space), 1), picture.bits_per_component
    if depth in (8, 16) and set(picture.filters) <= _PLAIN_FILTERS and "/Decode" not in picture.obj:
        samples = np.frombuffer(picture.read_bytes(), ">u2" if depth == 16 else np.uint8)
        needed = picture.width * picture.height * channels
        if samples.size < needed:
            raise ValueError(f"{samples.size} of {needed} samples")
        pixels, scale = samples[:needed].reshape(-1, channels), 2 ** depth - 1
    else:
        pil = picture.as_pil_image()
        pixels, scale = np.asarray(pil).reshape(pil.width * pil.height, -1), 255
    if _family(space) == "/Indexed":
        return max(_ink(space, (int(index),)).tac for index in np.unique(pixels))
    if channels != 4:
        return 0.0  # one to three inks cannot exceed the limit
    if pixels.shape[1] != 4:
        raise ValueError(f"decodes to {pixels.shape[1]} channels, not CMYK")
    return _highest_sum(pixels, scale)


def _highest_sum(pixels, scale: int) -> float:
    """The highest C+M+Y+K of CMYK ``pixels`` (one row a pixel, samples up to ``scale``), in percent.

    Summed column by column in the narrowest type that holds four samples (16 bits for 8-bit samples):
    ``pixels.sum(axis=1)`` took 92 ms on the sample's cover (4.6 million pixels), this 15 ms."""
    import numpy as np

    total = pixels[:, 0].astype(np.uint16 if scale * 4 <= 0xFFFF else np.uint32)
    for channel in range(1, 4):
        total += pixels[:, channel]
    return float(total.max()) / scale * 100


def _box(page, name: str) -> tuple[float, ...] | None:
    value = page.obj.get(name)
    return _normalised(value) if value is not None else None


def _normalised(box) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = _floats(box)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _contains(outer: tuple, inner: tuple) -> bool:
    return (outer[0] <= inner[0] + 0.01 and outer[1] <= inner[1] + 0.01
            and outer[2] >= inner[2] - 0.01 and outer[3] >= inner[3] - 0.01)


def check_pdf(data: bytes, name: str, *, binding: str | None = None) -> Report:
    """Preflight one PDF given as bytes; ``binding`` defaults to what pubkit recorded in the file.

    Raises :class:`PubkitError` when ``data`` cannot be read as a PDF at all.
    """
    import pikepdf

    if b"%PDF-" not in data[:1024]:
        raise PubkitError("not a PDF file (it does not start with %PDF-)", file=name,
                          fix="give the PDF itself; if it should be one, export or download it again")
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            damage = pdf.get_warnings()  # qpdf had to rebuild the file: what it found may not be what was made
            if not damage:
                return _check(pdf, name, binding)
    except pikepdf.PasswordError:
        raise PubkitError("the PDF is locked with a password, so it cannot be checked", file=name,
                          fix="ask for an unencrypted copy (PDF/X files may not be encrypted)") from None
    except pikepdf.PdfError as error:
        damage = [str(error)]
    reason = "; ".join(dict.fromkeys(re.sub(r"^stream <[^>]*>:? ?", "", message) for message in damage[:3]))
    raise PubkitError(f"damaged PDF ({reason[:160]})", file=name,
                      fix="export or download it again; a print shop's RIP may reject it")


def _check(pdf, name: str, binding: str | None) -> Report:
    report = Report(name, len(pdf.pages))
    _check_document(pdf, report)
    fonts: dict = {}
    for number, page in enumerate(pdf.pages, start=1):
        media, bleed, trim = _normalised(page.mediabox), _box(page, "/BleedBox"), _box(page, "/TrimBox")
        if trim is not None and "/ArtBox" in page.obj:
            report.add("boxes", "fail", "both ArtBox and TrimBox are set (PDF/X allows one); remove the ArtBox", number)
        if trim is None or bleed is None:
            report.add("boxes", "fail", "no TrimBox or BleedBox", number)
            trim, bleed = trim or media, bleed or media
        else:
            if not (_contains(media, bleed) and _contains(bleed, trim)):
                report.add("boxes", "fail", "boxes are not nested MediaBox ⊇ BleedBox ⊇ TrimBox", number)
            least = min(trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3]) / MM
            if least < MIN_BLEED_MM - 0.01:
                report.add("boxes", "fail", f"bleed is {least:.1f} mm (needs {MIN_BLEED_MM:g} mm)", number)
        _check_annotations(page, number, bleed, report)
        walker = _PageWalker(report, number, media, trim, bleed, fonts)
        walker.walk(page, page.get("/Resources"))
        walker.finish()
    binding = binding or str(pdf.docinfo.get("/PubkitBinding", "")) or None
    multiple = PAGE_MULTIPLE.get(binding or "", 1)
    if len(pdf.pages) % multiple:
        report.add("page count", "fail", f"{len(pdf.pages)} pages; {binding} needs a multiple of {multiple}")
    return report


def _check_document(pdf, report: Report) -> None:
    """PDF/X-4's document-level rules: output intent and profile, version keys, encryption, actions."""
    import pikepdf

    intents = pdf.Root.get("/OutputIntents")
    intent = next((i for i in intents if i.get("/S") == "/GTS_PDFX"), None) if intents is not None else None
    if intent is None or "/DestOutputProfile" not in intent:
        report.add("pdfx", "fail", "no PDF/X output intent with an embedded ICC profile")
    elif int(intent.DestOutputProfile.get("/N", 0)) != 4:
        report.add("pdfx", "fail", "the output intent's profile is not CMYK")
    else:
        problem = _profile_problem(intent.DestOutputProfile)
        if problem:
            report.add("pdfx", "fail", f"the output intent's ICC profile {problem}; embed the printer's CMYK profile")
    if not str(pdf.docinfo.get("/GTS_PDFXVersion", "")).startswith("PDF/X-4"):
        report.add("pdfx", "fail", "GTS_PDFXVersion is not PDF/X-4")
    if str(pdf.docinfo.get("/Trapped", "")) not in ("/True", "/False"):
        report.add("pdfx", "fail", "Trapped key missing (must be True or False)")
    if "/Metadata" not in pdf.Root:
        report.add("pdfx", "fail", "no XMP metadata")
    elif not _xmp_pdfx_version(pdf.Root.Metadata.read_bytes()).startswith("PDF/X-4"):
        report.add("pdfx", "fail", "the XMP metadata lacks pdfxid:GTS_PDFXVersion PDF/X-4")
    if pdf.is_encrypted:
        report.add("pdfx", "fail", "the file is encrypted, which PDF/X forbids; save an unencrypted copy")
    if "/AA" in pdf.Root:
        report.add("pdfx", "fail", "the document has additional actions (/AA), which PDF/X forbids; remove them")
    if isinstance(pdf.Root.get("/OpenAction"), pikepdf.Dictionary):
        for kind in _forbidden_actions(pdf.Root.OpenAction):
            report.add("pdfx", "fail", f"the document's OpenAction is {_a(kind)} action, which PDF/X forbids; remove it")
    if "/Names" in pdf.Root and "/JavaScript" in pdf.Root.Names:
        report.add("pdfx", "fail", "the document holds JavaScript (/Names /JavaScript), which PDF/X forbids; remove it")


def _profile_problem(stream) -> str | None:
    """Why an output intent's ICC profile is not a readable CMYK printer profile (None when it is).

    Judged once per profile as stored (its raw bytes and stream dictionary): decompressing and
    parsing a FOGRA39 profile took 6 ms for every PDF checked, and a build's PDFs share one.
    """
    import pikepdf

    try:
        digest = hashlib.blake2b(stream.read_raw_bytes() + stream.stream_dict.unparse(resolved=True),
                                 digest_size=16).digest()
    except pikepdf.PdfError:
        return _judge_profile(stream)
    if digest not in _profile_verdicts:
        _profile_verdicts[digest] = _judge_profile(stream)
    return _profile_verdicts[digest]


_profile_verdicts: dict[bytes, str | None] = {}


def _judge_profile(stream) -> str | None:
    import pikepdf
    from PIL import ImageCms

    try:
        data = stream.read_bytes()
    except pikepdf.PdfError:
        return "cannot be decompressed"
    if len(data) < 128 or data[36:40] != b"acsp" or int.from_bytes(data[:4], "big") > len(data):
        return "is not an ICC profile (no valid header)"
    if data[16:20] != b"CMYK" or data[12:16] != b"prtr":
        return f"is a {data[12:16].decode('latin-1')} profile for {data[16:20].decode('latin-1').strip()}, " \
               "not a CMYK printer (prtr) profile"
    try:
        ImageCms.ImageCmsProfile(io.BytesIO(data))
    except OSError:
        return "cannot be read by LittleCMS"
    return None


def _xmp_pdfx_version(xmp: bytes) -> str:
    """``pdfxid:GTS_PDFXVersion`` from XMP, as an element or an attribute; empty when absent or unreadable."""
    try:
        root = ElementTree.fromstring(xmp)
    except ElementTree.ParseError:
        return ""
    for element in root.iter():
        version = element.text if element.tag == _PDFX_VERSION_XMP else element.get(_PDFX_VERSION_XMP)
        if version:
            return version.strip()
    return ""


def _forbidden_actions(action) -> list[str]:
    """The types of ``action`` and of the actions chained after it (/Next) that do more than navigate."""
    import pikepdf

    found, todo, seen = [], [action], set()
    while todo:
        action = todo.pop()
        if not isinstance(action, pikepdf.Dictionary) or action.is_indirect and action.objgen in seen:
            continue
        seen.add(action.objgen)
        kind = str(action.get("/S", "/unknown"))
        if kind not in _NAVIGATION:
            found.append(kind[1:])
        chained = action.get("/Next")
        todo += list(chained) if isinstance(chained, pikepdf.Array) else [chained] if chained is not None else []
    return found


def _check_annotations(page, number: int, bleed: tuple, report: Report) -> None:
    """PDF/X allows annotations only outside the bleed box (printer's marks and trap networks anywhere),
    and no page or annotation actions that do more than navigate."""
    if "/AA" in page.obj:
        report.add("pdfx", "fail", "the page has additional actions (/AA), which PDF/X forbids; remove them", number)
    for annotation in page.obj.get("/Annots", ()):
        kind = str(annotation.get("/Subtype", "/Unknown"))
        if kind not in ("/PrinterMark", "/TrapNet") and "/Rect" in annotation:
            rect = _normalised(annotation.Rect)
            if _intersect(rect, bleed) is not None:
                report.add("pdfx", "fail", f"{_a(kind[1:])} annotation lies inside the bleed box, which PDF/X forbids; "
                                           "remove it or move it outside the bleed", number)
        if "/AA" in annotation:
            report.add("pdfx", "fail", f"{_a(kind[1:])} annotation has additional actions (/AA), which PDF/X forbids; "
                                       "remove them", number)
        for action in _forbidden_actions(annotation.get("/A")) if "/A" in annotation else ():
            report.add("pdfx", "fail", f"{_a(kind[1:])} annotation runs {_a(action)} action, which PDF/X forbids; "
                                       "remove it", number)


def check_file(path: Path, *, binding: str | None = None) -> Report:
    return check_pdf(path.read_bytes(), str(path), binding=binding)


def _a(word: str) -> str:
    """``word`` with its indefinite article, for names read from the file (``an Unknown``, ``a Link``)."""
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"
