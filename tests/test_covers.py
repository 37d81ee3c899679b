"""Configurable covers: logo, pictures, a vector QR code of the portal in 100 % K, and fixed pages that never spill."""

from __future__ import annotations


import pikepdf
import pytest
from pypdf import PdfReader

from conftest import REPO, built_out, invoke_in, pdf_text
from support import plates
from support.covers import QR_LABEL, URL, make_covers_project

LANGUAGES = ("vi", "en", "ja", "ko", "zh")


@pytest.fixture(scope="module")
def covers(tmp_path_factory):
    """The covers project built once (self-cover: front, inside pages, back) for the tests that read it."""
    return built_out(make_covers_project(tmp_path_factory.mktemp("covers")))


def _k_filled_rectangles(page) -> list[list[tuple[float, float, float, float]]]:
    """Each path filled in 100 % K with overprint on, as its rectangles (x, y, w, h); other fills are skipped."""
    paths, current, fill, stack = [], [], None, []
    overprint = {"op": False}
    resources = page.Resources.get("/ExtGState", {})
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op == "q":
            stack.append((fill, dict(overprint)))
        elif op == "Q":
            fill, overprint = stack.pop()
        elif op == "k":
            fill = tuple(float(v) for v in operands)
        elif op == "gs":
            state = resources.get(str(operands[0]), {})
            if "/op" in state:
                overprint["op"] = bool(state["/op"])
        elif op == "re":
            current.append(tuple(float(v) for v in operands))
        elif op in ("f", "f*", "F", "B", "b"):
            if fill == (0.0, 0.0, 0.0, 1.0) and overprint["op"]:
                paths.append(current)
            current = []
        elif op == "n":
            current = []
    return paths


def _modules(rectangles) -> set[tuple[int, int]]:
    """The (row, column) cells covered by a QR code's rectangles (one per run of dark modules)."""
    module = min(h for _, _, _, h in rectangles)
    left = min(x for x, _, _, _ in rectangles)
    top = max(y + h for _, y, _, h in rectangles)
    cells = set()
    for x, y, w, h in rectangles:
        row = round((top - y - h) / module)
        first = round((x - left) / module)
        cells |= {(row, first + i) for i in range(round(w / module))}
    return cells


@pytest.mark.parametrize("language", LANGUAGES)
def test_qr_code_is_vector_k_only_and_equals_segnos_code_for_the_editions_url(covers, language):
    import segno

    pdf = pikepdf.open(covers / f"demo-{language}.pdf")
    back = pdf.pages[-1]
    codes = [path for path in _k_filled_rectangles(back) if len(path) > 20]
    assert len(codes) == 1, "one QR code, drawn as one K-only overprinting path of rectangles"
    expected = {(r, c) for r, row in enumerate(segno.make(URL.format(lang=language), error="m").matrix)
                for c, dark in enumerate(row) if dark}
    assert _modules(codes[0]) == expected
    pictures = [name for name, xobject in back.Resources.get("/XObject", {}).items()
                if xobject.get("/Subtype") == "/Image"]
    assert len(pictures) == 2  # the logo and the back-cover picture: the code is no bitmap


@pytest.mark.parametrize("language", LANGUAGES)
def test_qr_code_on_the_printed_back_cover_decodes_to_the_editions_portal_page(covers, language):
    zxingcpp = pytest.importorskip("zxingcpp", reason="zxing-cpp (dev extra) reads QR codes from a rendering")
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(covers / f"demo-{language}.pdf"))
    image = document[len(document) - 1].render(scale=300 / 72).to_pil()
    found = [result.text for result in zxingcpp.read_barcodes(image) if result.format == zxingcpp.BarcodeFormat.QRCode]
    assert found == [URL.format(lang=language)]


def test_the_address_and_label_are_printed_beside_the_code(covers):
    for language in LANGUAGES:
        back = PdfReader(covers / f"demo-{language}.pdf").pages[-1].extract_text()
        assert URL.format(lang=language) in back.replace("\n", "")
    assert QR_LABEL in PdfReader(covers / "demo-vi.pdf").pages[-1].extract_text()
    assert "Read it online" in PdfReader(covers / "demo-en.pdf").pages[-1].extract_text()


@pytest.mark.skipif(not plates.have_ghostscript(), reason="Ghostscript (gs) is needed to read the separations")
def test_cover_colours_sit_in_the_same_place_in_every_language_and_the_code_inks_black_only(covers):
    """Front and back cover: C, M and Y plates identical across languages; the text and code only on K."""
    first, last = {}, {}
    for language in LANGUAGES:
        pages = plates.separations(covers / f"demo-{language}.pdf")
        first[language], last[language] = pages[0], pages[-1]
    for pages in (first, last):
        for language in LANGUAGES[1:]:
            for plate in ("Cyan", "Magenta", "Yellow"):
                share = plates.differing_share(pages["vi"][plate], pages[language][plate])
                assert share <= 0.005, f"{language} {plate}: {share:.1%} of the cover differs from vi"
        black = [plates.differing_share(pages["vi"]["Black"], pages[language]["Black"]) for language in LANGUAGES[1:]]
        assert max(black) > 0.005  # the language-dependent text is there, on the black plate


def test_old_cover_keys_alone_still_build(built):
    """conftest's demo has only cover.image and a back cover with heading and contact (today's keys)."""
    text = pdf_text(built / "demo-en.pdf")
    assert "Department of Planning and Investment" in text


def _build(root, *args):
    return invoke_in(root, "build", "brochures/demo", "--out", "out", *args)


def _one_line_error(result) -> str:
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("pubkit: error: "), result.output
    assert "Traceback" not in result.output
    return lines[0]


def _replace_translation(root, language: str, source: str, target: str) -> None:
    import polib

    path = root / "brochures" / "demo" / "translations" / f"{language}.po"
    po = polib.pofile(str(path))
    po.find(source).msgstr = target
    po.save(str(path))


def test_a_cover_title_too_long_for_its_band_stops_the_build_naming_language_and_key(tmp_path):
    root = make_covers_project(tmp_path)
    _replace_translation(root, "en", "Thái Nguyên – Tiềm năng phát triển và Cơ hội đầu tư",
                         "Thai Nguyen " + "and its very many development opportunities " * 6)
    line = _one_line_error(_build(root))
    assert "brochure.yaml:1: title:" in line and "en cover" in line and "shorten the en title" in line
    assert not (root / "out").exists()  # nothing written
    import polib

    po_file = root / "brochures" / "demo" / "translations" / "en.po"
    po = polib.pofile(str(po_file))
    po.find("Thái Nguyên – Tiềm năng phát triển và Cơ hội đầu tư").flags.append("fuzzy")  # a machine draft
    po.save(str(po_file))
    draft = _build(root, "--draft")  # a proof is still made, with the problem as a warning, for the translator
    assert draft.exit_code == 0, draft.output
    assert "en edition: the en cover's title" in draft.output and "shorten the en title" in draft.output
    assert (root / "out" / "demo-en-DRAFT.pdf").is_file()


def test_a_back_cover_too_long_stops_the_build_with_the_lines_to_cut(tmp_path):
    root = make_covers_project(tmp_path)
    _replace_translation(root, "ja", "Liên hệ", "お問い合わせ" * 80)
    line = _one_line_error(_build(root))
    assert "back_cover:" in line and "ja back cover is" in line and "lines too long" in line


def test_a_qr_label_taller_than_the_code_stops_the_build(tmp_path):
    root = make_covers_project(tmp_path)
    _replace_translation(root, "ko", QR_LABEL, "온라인으로 읽기 " * 30)
    line = _one_line_error(_build(root))
    assert "back_cover.qr:" in line and "ko QR label and address" in line


@pytest.mark.parametrize("url, message", [
    ("portal.example.vn/demo", "is not a web address a phone can open"),
    ("https://portal.example.vn/{language}/", "the only placeholder a QR address may hold is {lang}"),
    ("https://portal.example.vn/" + "x" * 300, "bytes; a QR code that a phone reads at print size holds at most"),
])
def test_a_qr_address_a_phone_cannot_open_is_refused_where_it_is_written(tmp_path, url, message):
    root = make_covers_project(tmp_path)
    spec = root / "brochures" / "demo" / "brochure.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace(URL, url), encoding="utf-8")
    line = _one_line_error(_build(root))
    assert "back_cover.qr.url:" in line and message in line


def test_a_missing_logo_file_is_refused_with_its_key(tmp_path):
    root = make_covers_project(tmp_path)
    (root / "assets" / "logo.png").unlink()
    line = _one_line_error(_build(root))
    assert "cover.logo" in line and "image not found: assets/logo.png" in line  # the path, not the name alone


def test_a_long_address_is_broken_after_slashes_into_lines_that_fit():
    from pubkit.typeset.covers import url_lines

    url = "https://portal.example.vn/xuc-tien-dau-tu/thai-nguyen/2018/en/"
    lines = url_lines(url, lambda text: len(text) <= 20)
    assert "".join(lines) == url
    assert lines == ["https://", "portal.example.vn/", "xuc-tien-dau-tu/", "thai-nguyen/2018/en/"]
    assert url_lines(url, lambda text: True) == [url]


def test_the_back_cover_names_are_set_ragged_not_spread():
    """The organisation and the publisher inherited the back-cover text's justification: a two-line name set
    its first line with word spaces a quarter of the line wide (the contact lines below were already ragged)."""
    from pathlib import Path

    from pubkit.commands.brochures import locate
    from pubkit.commands.build import _edition
    from pubkit.project import load_project
    from pubkit.typeset.edition import _Layout

    project = load_project(REPO)
    [files] = locate(project, (Path(REPO / "brochures" / "thai-nguyen"),))
    layout = _Layout(_edition(project, files, "en", False)[1])
    blocks = {block.segment: block for block in layout.back_cover() if getattr(block, "segment", None)}
    for path in ("back_cover.contact.organisation", "publisher"):
        block = blocks[path]
        block.wrap(120, 1000)  # narrow enough for the organisation to take two lines
        assert block._lines and not any(line.justify for line in block._lines), path
    assert len(blocks["back_cover.contact.organisation"]._lines) > 1
