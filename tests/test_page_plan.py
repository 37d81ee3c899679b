"""One page plan for every language, read back from the PDFs (pypdfium2, Ghostscript tiff32nc).

On the sample (A5, saddle-stitch, separate cover stock) and on a long unseen A4 FLORES brochure
(skipped without ../shared/corpora/flores-dev): equal page counts, sections starting on the same
page, no blank page, no inside page more than 15 % empty at its foot unless the next page starts
a section, images in the same place, identical Cyan, Magenta and Yellow plates on inside pages,
small text on the black plate only. Rules: docs/layout.md.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import numpy as np
import pytest

from support import plates
from support.typography import read_lines

LANGUAGES = ["vi", "en", "ja", "ko", "zh"]
MM = 72 / 25.4
TOP, BOTTOM = 19 * MM, 16 * MM  # the text area's margins (pubkit/typeset/edition.py)
HEADING_SIZE = 13.0
RUNNING_SIZE = 7.0


@pytest.fixture(scope="session")
def sample_plan(sample_out) -> dict:
    return {"out": sample_out, "pdfs": {language: sample_out / f"thai-nguyen-{language}.pdf" for language in LANGUAGES}}


@pytest.fixture(scope="session")
def flores_plan(flores_out) -> dict:
    """The unseen A4 brochure, perfect-bound (the sample is saddle-stitched)."""
    return {"out": flores_out, "pdfs": {language: flores_out / f"flores-{language}.pdf" for language in LANGUAGES}}


@pytest.fixture(params=["sample_plan", "flores_plan"])
def brochure(request) -> dict:
    return request.getfixturevalue(request.param)


def _pages(pdf: Path) -> list[dict]:
    """Per page: trim box, images (bounding boxes) and text lines; read once per file version (tests only read them)."""
    status = pdf.stat()
    return _read_pages(pdf, status.st_size, status.st_mtime_ns)


@functools.lru_cache(maxsize=32)
def _read_pages(pdf: Path, _size: int, _mtime: int) -> list[dict]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    lines = read_lines(pdf)
    document = pdfium.PdfDocument(str(pdf))
    pages = []
    try:
        for number in range(len(document)):
            page = document[number]
            trim = page.get_trimbox()
            pictures = [tuple(round(v, 1) for v in obj.get_bounds())
                        for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=3)]
            pages.append({"trim": trim, "images": pictures, "size": page.get_size(),
                          "lines": [line for line in lines if line.page == number + 1]})
    finally:
        document.close()
    return pages


def _inside(pages: list[dict], pdf: Path) -> list[dict]:
    """Inside pages: the whole text block, or a self-cover booklet without its covers."""
    cover = pdf.with_name(pdf.stem + "-cover.pdf")
    return pages if cover.exists() else pages[1:-1]


def _heading_pages(pages: list[dict]) -> list[int]:
    starts = []
    for number, page in enumerate(pages):
        x0, _, x1, _ = page["trim"]
        middle = (x0 + x1) / 2
        for column in (False, True):
            previous = None
            for line in sorted(page["lines"], key=lambda line: -line.baseline):
                if abs(line.size - HEADING_SIZE) < 0.2 and (line.x0 >= middle) == column:
                    if previous is None or previous - line.baseline > 20:
                        starts.append(number)
                    previous = line.baseline
    return sorted(starts)


def test_every_edition_has_the_same_pages(brochure):
    counts = {language: len(_pages(pdf)) for language, pdf in brochure["pdfs"].items()}
    assert len(set(counts.values())) == 1, counts
    covers = [pdf.with_name(pdf.stem + "-cover.pdf") for pdf in brochure["pdfs"].values()]
    if covers[0].exists():
        assert {len(_pages(cover)) for cover in covers} == {4}


def test_sections_start_on_the_same_page_in_every_language(brochure):
    starts = {language: _heading_pages(_inside(_pages(pdf), pdf)) for language, pdf in brochure["pdfs"].items()}
    reference = starts["vi"]
    assert len(reference) >= 9
    differences = sum(a != b for language in LANGUAGES[1:] for a, b in zip(reference, starts[language]))
    assert differences == 0 and all(len(s) == len(reference) for s in starts.values()), starts


def test_images_sit_on_the_same_page_in_the_same_place(brochure):
    places = {language: [page["images"] for page in _pages(pdf)[1:-1]]
              for language, pdf in brochure["pdfs"].items()}
    for language in LANGUAGES[1:]:
        assert places[language] == places["vi"], language


def test_no_blank_pages(brochure):
    for language, pdf in brochure["pdfs"].items():
        for number, page in enumerate(_pages(pdf)):
            content = [line for line in page["lines"] if line.size > RUNNING_SIZE + 0.3]
            assert content or page["images"], f"{language} page {number + 1} is blank"


def _empty_foot(page: dict) -> float:
    """Largest empty share at the foot of a column of the text area (lines and images)."""
    x0, y0, x1, y1 = page["trim"]
    area_top, area_bottom = y1 - TOP, y0 + BOTTOM
    height = area_top - area_bottom
    middle = (x0 + x1) / 2
    two = (x1 - x0) > 160 * MM
    columns = [(x0, middle), (middle, x1)] if two else [(x0, x1)]
    worst = 0.0
    for left, right in columns:
        bottoms = [line.baseline - 0.25 * line.size for line in page["lines"]
                   if line.size > RUNNING_SIZE + 0.3 and left <= line.x0 < right]
        bottoms += [b for (ix0, b, ix1, _t) in page["images"] if left <= ix0 < right]
        if bottoms:
            worst = max(worst, (min(bottoms) - area_bottom) / height)
    return worst


def test_inside_pages_are_full_unless_a_section_starts_next(brochure):
    for language, pdf in brochure["pdfs"].items():
        pages = _inside(_pages(pdf), pdf)
        starts = set(_heading_pages(pages))
        holes = [(number + 1, round(_empty_foot(page), 2)) for number, page in enumerate(pages[:-1])
                 if number + 1 not in starts and _empty_foot(page) > 0.15]
        assert holes == [], (language, holes)


def test_the_build_reports_how_each_edition_was_fitted(brochure):
    checks = json.loads((brochure["out"] / "preflight.json").read_text(encoding="utf-8"))
    layouts = [check["layout"] for check in checks if check.get("layout")]
    assert len(layouts) == 5
    assert len({json.dumps(layout["sections_start"]) for layout in layouts}) == 1
    assert all(layout["largest_empty_foot"] <= 0.15 for layout in layouts)


def test_print_order_names_cover_and_text_block_and_the_black_plate_change(sample_plan):
    order = json.loads((sample_plan["out"] / "print-order.json").read_text(encoding="utf-8"))
    parts = {(e["language"], e["part"]): e for e in order["editions"]}
    for language in LANGUAGES:
        assert parts[(language, "cover")]["pages"] == 4 and parts[(language, "cover")]["paper"] == "Couché 250 gsm"
        assert parts[(language, "text block")]["paper"] == "Couché matt 150 gsm"
        assert parts[(language, "text block")]["pages"] % 4 == 0
    assert order["total_copies"] == 3800
    assert "one CMY plate set for all languages; black plate per language" in order["plates"]
    checks = json.loads((sample_plan["out"] / "preflight.json").read_text(encoding="utf-8"))
    assert len(checks) == 10 and all(check["passed"] for check in checks)


@pytest.mark.skipif(not plates.have_ghostscript(), reason="gs (Debian ghostscript) not installed")
def test_colour_plates_of_inside_pages_are_the_same_in_every_language(brochure):
    separated = {language: plates.separations(pdf) for language, pdf in brochure["pdfs"].items()}
    inside = range(len(separated["vi"])) if brochure["pdfs"]["vi"].with_name(
        brochure["pdfs"]["vi"].stem + "-cover.pdf").exists() else range(1, len(separated["vi"]) - 1)
    worst = 0.0
    for number in inside:
        for plate in ("Cyan", "Magenta", "Yellow"):
            for language in LANGUAGES[1:]:
                share = plates.differing_share(separated["vi"][number][plate], separated[language][number][plate])
                worst = max(worst, share)
                assert share <= 0.005, (language, number + 1, plate, share)
    assert worst <= 0.005


@pytest.mark.skipif(not plates.have_ghostscript(), reason="gs (Debian ghostscript) not installed")
def test_small_text_inks_the_black_plate_only(brochure):
    dpi = 50
    scale = dpi / 72
    for language, pdf in brochure["pdfs"].items():
        separated = plates.separations(pdf, dpi)
        pages = _pages(pdf)
        inside = range(len(pages)) if pdf.with_name(pdf.stem + "-cover.pdf").exists() else range(1, len(pages) - 1)
        black = colour = 0.0
        for number in inside:
            page = pages[number]
            height = page["size"][1]
            ink = separated[number]
            for line in page["lines"]:
                if line.size > 9.05:
                    continue
                if any(ix0 <= line.x0 <= ix1 and iy0 <= line.baseline <= iy1
                       for ix0, iy0, ix1, iy1 in page["images"]):
                    continue
                top = int((height - line.baseline - 0.8 * line.size) * scale)
                bottom = int((height - line.baseline + 0.2 * line.size) * scale) + 1
                left, right = int(line.x0 * scale), int(line.x1 * scale) + 1
                box = (slice(max(top, 0), bottom), slice(max(left, 0), right))
                black += float(np.sum(ink["Black"][box]))
                colour += float(sum(np.sum(ink[p][box]) for p in ("Cyan", "Magenta", "Yellow")))
        assert black > 0
        assert black / (black + colour) >= 0.99, (language, black, colour)


def test_a_language_that_cannot_fit_is_named_with_lines_and_characters(project, run):
    """A translation far longer than its source cannot share the plan: one line naming what to cut."""
    import polib

    po = project / "brochures" / "demo" / "translations" / "en.po"
    catalog = polib.pofile(str(po))
    for entry in catalog:
        if entry.msgstr.startswith("Thai Nguyen lies"):
            entry.msgstr = " ".join([entry.msgstr] * 160)
    catalog.save()
    result = run(project, "build", "--out", "out")
    assert result.exit_code == 1, result.output
    line = result.output.strip()
    assert line.count("\n") == 0 and "sections[0]" in line and "en " in line
    assert "lines (about" in line and "characters)" in line
    assert not (project / "out").exists()


def test_a_heading_longer_than_half_a_page_is_named_itself_not_the_body(project, run):
    """Cutting the body cannot help a heading that fills a page: the message says to shorten the heading."""
    spec = project / "brochures" / "demo" / "brochure.yaml"
    long_heading = " ".join(["Vị trí địa lý và kết nối giao thông"] * 60)
    spec.write_text(spec.read_text(encoding="utf-8").replace('heading: "Vị trí địa lý"', f'heading: "{long_heading}"'),
                    encoding="utf-8")
    result = run(project, "build", "--draft", "--out", "out")
    assert result.exit_code == 1, result.output
    line = result.output.strip()
    assert line.count("\n") == 0 and "sections[0].heading" in line and "too long for a page" in line
    assert f"({len(long_heading):,} characters)" in line and "shorten the heading" in line and " cut " not in line
    assert not (project / "out").exists()


def test_a_heading_of_more_than_two_lines_is_reported(project, run):
    """docs/print.md promised it; only the cover title had a note, and a five-line heading built silently."""
    spec = project / "brochures" / "demo" / "brochure.yaml"
    heading = "Vị trí địa lý, kết nối giao thông, hạ tầng kỹ thuật và những lợi thế nổi bật của tỉnh Thái Nguyên " * 2
    spec.write_text(spec.read_text(encoding="utf-8").replace('heading: "Vị trí địa lý"', f'heading: "{heading}"'),
                    encoding="utf-8")
    result = run(project, "build", "--draft", "--lang", "vi", "--out", "out")
    assert result.exit_code == 0, result.output
    assert "vi edition: sections[0].heading takes" in result.stderr and "shorten it" in result.stderr


def test_the_report_names_the_emptiest_page_and_how_empty_it_is(tmp_path):
    """A section's last column may be partly empty (the full-foot rule spares it), so "largest empty foot"
    does not show a page a section leaves mostly empty; the report names the emptiest page and its empty
    share, which falls by about the height of the lines added to it (counted in the PDF)."""
    from conftest import make_project
    from pubkit.commands.build import build
    from pubkit.project import load_project

    root = make_project(tmp_path)
    spec = root / "brochures" / "demo" / "brochure.yaml"
    text = spec.read_text(encoding="utf-8")

    def built(paragraphs: int):
        extra = "".join(f'      - "Đoạn {i}: tỉnh có nhiều khu công nghiệp, đường cao tốc và nguồn nhân lực '
                        f'trẻ sẵn sàng làm việc."\n' for i in range(paragraphs))
        spec.write_text(text.replace("      - image: assets/photo.png", extra + "      - image: assets/photo.png", 1),
                        encoding="utf-8")
        (report,) = build(load_project(root), (root / "brochures" / "demo",), languages=("vi",),
                          out=root / f"out-{paragraphs}", draft=True)
        edition = report.editions[0]
        page, share = edition.layout["emptiest_page"]
        lines = [line for line in read_lines(edition.path) if line.page == page]  # printed page = PDF page here
        return page, share, edition.layout["sections_start"], lines

    page, share, starts, lines = built(0)
    assert page == starts[0] and 0.3 < share < 1  # the one section's page: a few blocks and a picture
    page2, share2, starts2, lines2 = built(4)
    assert (page2, starts2) == (page, starts)
    added = len(lines2) - len(lines)
    # fuller by at least the added lines' height: 10 pt a line or more, in at most 2 columns of at most 600 pt
    assert added >= 4 and added * 10 / (2 * 600) < share - share2 < 1


def test_the_inside_back_cover_has_the_same_ruled_lines_in_every_edition(sample_out):
    """Its notes lines stopped above each edition's colophon: the Korean one, a line shorter, got a ruled line
    more and stood lower. The lines are black-plate ink that depends on the language only by their count."""
    import pikepdf

    counts = {}
    for language in LANGUAGES:
        with pikepdf.open(sample_out / f"thai-nguyen-{language}-cover.pdf") as pdf:
            operators = [str(op) for _, op in pikepdf.parse_content_stream(pdf.pages[2])]
        counts[language] = operators.count("l")
    assert len(set(counts.values())) == 1 and counts["vi"] >= 10, counts
