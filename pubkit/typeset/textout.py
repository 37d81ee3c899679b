"""A broken line as PDF text operators: one text object, one ``TJ`` array per font subset run.

Why pubkit writes these operators itself rather than through ReportLab's text object: the
text object places every fragment with its own ``Tm`` and ``Tj`` and repeats ``Tf … TL`` at
every change of subset, so a justified Japanese line was a ``Tm``, often a ``Tf`` and a ``Tj``
for each character, and a justified English line a ``Tz``, a space and ``Tz`` back for each word
space. Drawing those was a fifth of a 120-paragraph FLORES build's time and preflight read them
all again. Here a line starts with one ``Tm``; each fragment's place is reached by a ``TJ``
number (thousandths of the font size), so the whole line is a few arrays. The same glyphs land
on the same places: the pen is followed as a reader computes it (the fonts' own widths, the
numbers as written), so no rounding adds up along the line. Word spaces are still space glyphs
(text extraction finds every space), at their own width, with the stretch after them.
Measured: a FLORES English edition's pages went from 53,200 operators to 14,900, and the
sample's cold build executes 3.6 % fewer instructions (``bench/ab.py --instructions``). Poppler
and PDFium extract the same text as before, and pages render the same at 80 dpi.

ReportLab documents this use of a dynamic font (``ttfonts``: ``splitString`` and
``getSubsetInternalName``); both also record the characters each subset must embed.
"""

from __future__ import annotations


from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfmetrics import getFont

_QUIET = 0.0005  # a TJ number smaller than this (thousandths of the size) moves nothing visible
# Moves farther than this (ems) are made by a new Tm, as every fragment was placed before, except
# the stretch after a word space: readers take a larger move inside a TJ array for a missing space
# (PDFium: half the font's space width) or a new word (Poppler: "。」" with the half em between them
# taken away came out on two lines).
_NEAR = 0.04


class LineWriter:
    """Collects one line's fragments at their x and returns the text object's operators.

    Fragments that follow each other with no move between them, in the same fonts, are shown as one
    string (a word and the space after it; a CJK line set without stretch).
    """

    def __init__(self, canv, baseline: float, size: float, track: float, slant: float):
        self.doc, self.escape = canv._doc, canv._escape
        self.baseline, self.size, self.track, self.slant = baseline, size, track, slant
        self.baseline_text = fp_str(baseline)
        self.size_text = fp_str(size)
        self.code: list[str] = ["BT"]
        if track:
            self.code.append(f"{fp_str(track)} Tc")
        self.array: list[str] = []  # the open TJ array
        self.text: list[str] = []  # text waiting to go into it, in self.chain's fonts
        self.chain = None
        self.font: tuple | None = None  # (font name, subset) the next string is in
        self.pen: float | None = None  # where the next glyph goes, as a reader computes it; None: set by Tm
        self.after_space = False  # the last glyph placed was a word space

    def place(self, x: float, text: str, scale: float, chain, italic: bool) -> None:
        """Draw ``text`` from ``x`` in ``chain``'s fonts, ``scale`` % wide (a word space: at its own width)."""
        if text.isspace():
            scale = 100.0  # the gap's stretch is the next fragment's TJ number
        pen = self.pen
        if scale != 100.0 or italic:
            self._flush()
            self._alone(x, text, scale, chain, italic)
            self.pen = None
            return
        if pen is None or (abs(x - pen) > _NEAR * self.size and not (self.after_space and x > pen)):
            self._flush()
            self.code.append(f"1 0 0 1 {fp_str(x)} {self.baseline_text} Tm")
            pen = x
        else:
            move = fp_str((pen - x) * 1000.0 / self.size)
            if abs(float(move)) >= _QUIET:
                self._show()
                self.array.append(move)
                pen -= float(move) * self.size / 1000.0
        if chain is not self.chain:
            self._show()
            self.chain = chain
        self.text.append(text)
        self.pen = pen + chain.width(text, self.size) + self.track * len(text)
        self.after_space = text[-1:] == " "

    def operators(self) -> str:
        self._flush()
        if self.track:
            self.code.append("0 Tc")  # the text state outlives ET: later text keeps its own spacing
        self.code.append("ET")
        return " ".join(self.code)

    def _show(self) -> None:
        """The waiting text's strings into the open array, a new array at each change of font or subset."""
        if not self.text:
            return
        text = "".join(self.text) if len(self.text) > 1 else self.text[0]
        self.text = []
        for font_name, run in self.chain.runs(text):
            font = getFont(font_name)
            for subset, codes in font.splitString(run, self.doc):
                if (font_name, subset) != self.font:
                    self._flush_array()
                    self.code.append(f"{font.getSubsetInternalName(subset, self.doc)} {self.size_text} Tf")
                    self.font = (font_name, subset)
                self.array.append(f"({self.escape(codes)})")

    def _alone(self, x: float, text: str, scale: float, chain, italic: bool) -> None:
        """A scaled fragment (a CJK dash pair) or an italic one, placed by its own text matrix."""
        self.chain = chain
        if scale != 100.0:
            self.code.append(f"{fp_str(scale)} Tz")
        # an italic fragment holds no CJK character: those are upright (pubkit.typeset.blocks._slanted)
        self.code.append(f"1 0 {fp_str(self.slant if italic else 0)} 1 {fp_str(x)} {self.baseline_text} Tm")
        self.text.append(text)
        self._flush()
        if scale != 100.0:
            self.code.append("100 Tz")

    def _flush(self) -> None:
        """Close the open array: the waiting text first."""
        self._show()
        self._flush_array()

    def _flush_array(self) -> None:
        if self.array:
            self.code.append(f"[{' '.join(self.array)}] TJ" if len(self.array) > 1 else f"{self.array[0]} Tj")
            self.array = []

