"""Typography measured from the PDF alone (pypdfium2), the way a designer checks a proof.

``read_lines(pdf)`` gives every printed line (characters sharing a baseline and size, split where
a gap is wider than a column gutter) with its left and right edge. ``body_report(pdf)`` picks the
body text (the most common size, lines starting at a column's left edge or a bullet indent) and
measures it:

* **reach** — the share of body lines that end within 1 pt of their column's right edge, among
  lines that are not the last of a paragraph. A line is a paragraph's last when the next body line
  in the same column is more than 1.1 leadings below it, or starts with a bullet. A column's last
  line is left out (from the PDF alone one cannot tell whether its paragraph goes on).
  A line's right edge is the end of its last character's advance, less the empty half of a CJK
  punctuation mark that sits in the left half of its em (、。，．）」 …), which JIS X 4051 sets
  half-width at a line end.
* **hyphen runs** — the longest run of consecutive lines ending in a hyphen.
* **characters per line** — the median number of characters of full body lines, spaces included.

``headings(pdf, body_size)`` groups the lines of display type (1.3 × the body size or more)
into headings, for the balance and phrase-break checks.

Command-line use prints the figures for PDFs: ``python tests/support/typography.py out/*.pdf``.
"""

from __future__ import annotations

import functools
import statistics
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

HALF_WIDTH_AT_END = frozenset("、。，．）〕］｝〉》」』】〙〗〟：；！？")
HYPHENS = frozenset("-\u2010\ufffe\x02")  # PDFium reports a hyphen at a line end as U+0002 (U+FFFE in its text ranges)


@dataclass(frozen=True)
class PdfLine:
    page: int
    baseline: float
    size: float
    x0: float
    x1: float          # end of the last character's advance
    text: str
    last_char_width: float = 0.0


@dataclass
class BodyReport:
    lines: list[PdfLine]
    inner: list[PdfLine]            # not a paragraph's last line, not a column's last
    reaching: int
    hyphen_run: int
    chars_per_line: float
    size: float
    short: list[PdfLine] = field(default_factory=list)

    @property
    def reach(self) -> float:
        return self.reaching / len(self.inner) if self.inner else 1.0


def read_lines(pdf: Path, *, gap: float = 12.0) -> list[PdfLine]:
    """Every printed line of ``pdf``, kept per file version (path, size, time): several tests read the
    same built editions. Callers only read the lines."""
    status = pdf.stat()
    return _read_lines(str(pdf.resolve()), status.st_size, status.st_mtime_ns, gap)


@functools.lru_cache(maxsize=64)
def _read_lines(pdf: str, _size: int, _mtime: int, gap: float) -> list[PdfLine]:
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    lines: list[PdfLine] = []
    document = pdfium.PdfDocument(pdf)
    # PDFium's C calls with buffers made once: pypdfium2's per-character helpers allocated them for
    # every character (8 of the suite's profiled seconds went to reading lines)
    box, x, y = raw.FS_RECTF(), ctypes.c_double(), ctypes.c_double()
    try:
        for number in range(len(document)):
            page = document[number]
            textpage = page.get_textpage()
            handle = textpage.raw
            chars = []
            for index in range(textpage.count_chars()):
                code = raw.FPDFText_GetUnicode(handle, index)
                if not code or code in (0x0D, 0x0A):
                    continue
                char = chr(code)
                raw.FPDFText_GetLooseCharBox(handle, index, box)
                right = box.right
                raw.FPDFText_GetCharOrigin(handle, index, ctypes.byref(x), ctypes.byref(y))
                ox, oy = x.value, y.value
                size = raw.FPDFText_GetFontSize(handle, index)
                if char.isspace() and chars:  # a space stretched to its gap (Tz) reports a scaled size
                    size = chars[-1][1]
                    oy = chars[-1][0]
                chars.append((round(oy, 1), round(size, 2), ox, right, char))
            textpage.close()
            page.close()
            chars.sort(key=lambda c: (-c[0], c[1], c[2]))
            current: list = []
            for char in chars + [None]:
                if current and (char is None or char[0] != current[-1][0] or char[1] != current[-1][1]
                                or char[2] - current[-1][3] > gap):
                    text = "".join(c[4] for c in current)
                    if text.strip():
                        stripped = [c for c in current if not c[4].isspace()]
                        lines.append(PdfLine(number + 1, current[0][0], current[0][1], stripped[0][2], stripped[-1][3],
                                             text.strip(), stripped[-1][3] - stripped[-1][2]))
                    current = []
                if char is not None:
                    current.append(char)
    finally:
        document.close()
    return lines


def right_edge(line: PdfLine) -> float:
    char = line.text[-1]
    if char in HALF_WIDTH_AT_END and line.last_char_width > 0.8 * line.size:
        return line.x1 - line.last_char_width / 2
    return line.x1


def body_size(lines: list[PdfLine]) -> float:
    weights = Counter()
    for line in lines:
        weights[line.size] += len(line.text)
    return weights.most_common(1)[0][0]


def body_lines(lines: list[PdfLine], size: float | None = None) -> list[PdfLine]:
    size = size or body_size(lines)
    same = [line for line in lines if abs(line.size - size) < 0.05]
    starts = Counter(round(line.x0) for line in same)
    # column left edges: x positions where many lines start; bullet continuation lines start a little right
    edges = [x for x, n in starts.items() if n >= max(5, len(same) // 15)]
    return [line for line in same if any(abs(round(line.x0) - x) <= 1 for x in edges)]


def _columns(lines: list[PdfLine]) -> dict[int, float]:
    """Left edge (rounded) -> right edge of its column (the most common right edge of its lines)."""
    lefts = sorted({round(line.x0) for line in lines})
    groups: list[list[int]] = []
    for x in lefts:
        if groups and x - groups[-1][0] < 40:
            groups[-1].append(x)
        else:
            groups.append([x])
    rights: dict[int, float] = {}
    for group in groups:
        ends = Counter(round(right_edge(line) * 2) / 2 for line in lines if round(line.x0) in group)
        edge = max(ends.items(), key=lambda item: (item[1], item[0]))[0]
        for x in group:
            rights[x] = edge
    return rights


def body_report(pdf: Path, *, size: float | None = None, tolerance: float = 1.0) -> BodyReport:
    lines = read_lines(pdf)
    size = size or body_size(lines)
    body = body_lines(lines, size)
    rights = _columns(body)
    body.sort(key=lambda line: (line.page, rights[round(line.x0)], -line.baseline))  # reading order
    leading = statistics.mode(round(a.baseline - b.baseline, 1) for a, b in zip(body, body[1:])
                              if a.page == b.page and a.baseline > b.baseline) if len(body) > 2 else size * 1.5
    inner, reaching, short = [], 0, []
    run = longest = 0
    for index, line in enumerate(body):
        following = body[index + 1] if index + 1 < len(body) else None
        ends_hyphen = line.text[-1] in HYPHENS and len(line.text) > 1 and line.text[-2].isalpha()
        run = run + 1 if ends_hyphen else 0
        longest = max(longest, run)
        column = rights[round(line.x0)]
        same_column = (following is not None and following.page == line.page
                       and abs(rights[round(following.x0)] - column) < 1 and following.baseline < line.baseline)
        if not same_column:
            continue
        if line.baseline - following.baseline > 1.1 * leading or following.text.startswith("•"):
            continue  # a paragraph's last line
        inner.append(line)
        if abs(right_edge(line) - column) <= tolerance:
            reaching += 1
        else:
            short.append(line)
    full = [len(line.text) for line in inner] or [len(line.text) for line in body] or [0]
    return BodyReport(body, inner, reaching, longest, statistics.median(full), size, short)


def headings(pdf: Path, body: float) -> list[list[PdfLine]]:
    """Display lines grouped into headings: same size, consecutive baselines closer than 1.6 sizes."""
    lines = [line for line in read_lines(pdf) if line.size >= 1.3 * body]
    groups: list[list[PdfLine]] = []
    for line in lines:
        previous = groups[-1][-1] if groups else None
        if (previous and previous.page == line.page and previous.size == line.size
                and 0 < previous.baseline - line.baseline < 1.6 * line.size and abs(previous.x0 - line.x0) < 2):
            groups[-1].append(line)
        else:
            groups.append([line])
    return groups


def unbalanced(group: list[PdfLine]) -> bool:
    """A heading whose last line is shorter than a third of its longest."""
    if len(group) < 2:
        return False
    widths = [line.x1 - line.x0 for line in group]
    return widths[-1] < max(widths) / 3


def main(paths: list[str]) -> None:
    for path in paths:
        report = body_report(Path(path))
        print(f"{Path(path).name}: body {report.size} pt, {len(report.inner)} inner lines, "
              f"{100 * report.reach:.1f} % within 1 pt of the measure, longest hyphen run {report.hyphen_run}, "
              f"median {report.chars_per_line:.0f} characters per line")


if __name__ == "__main__":
    main(sys.argv[1:])
