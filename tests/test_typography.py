"""Typography a designer accepts, measured on the PDFs: the sample and an unseen A4 FLORES brochure.

Every figure is read back from the printed PDF with pypdfium2 (tests/support/typography.py), not
taken from pubkit's own line breaker. Rules and measured figures: docs/typography.md.
"""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from conftest import REPO, has_tool
from pubkit import markup
from support.typography import body_report, headings, read_lines, unbalanced

LANGUAGES = ["vi", "en", "ja", "ko", "zh"]
PER_LINE = {"vi": (45, 75), "en": (45, 75), "ja": (25, 45), "ko": (25, 45), "zh": (25, 45)}


@pytest.fixture(scope="module")
def sample(sample_out) -> dict[str, Path]:
    return {"pdfs": {language: sample_out / f"thai-nguyen-{language}.pdf" for language in LANGUAGES},
            "folder": REPO / "brochures" / "thai-nguyen"}


@pytest.fixture(scope="module")
def unseen(flores_out) -> dict:
    return {"pdfs": {language: flores_out / f"flores-{language}.pdf" for language in LANGUAGES},
            "folder": flores_out.parent / "brochures" / "flores"}


@pytest.fixture(params=["sample", "unseen"])
def brochure(request) -> dict:
    return request.getfixturevalue(request.param)


@pytest.mark.parametrize("language", LANGUAGES)
def test_nine_in_ten_body_lines_reach_the_measure(brochure, language):
    report = body_report(brochure["pdfs"][language])
    assert len(report.inner) > 30
    assert report.reach >= 0.9, (f"{language}: {100 * report.reach:.1f} % of {len(report.inner)} lines; short: "
                                 + " | ".join(line.text for line in report.short[:5]))


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_more_than_two_hyphenated_lines_in_a_row(brochure, language):
    assert body_report(brochure["pdfs"][language]).hyphen_run <= 2


def test_english_is_hyphenated_and_other_languages_are_not(brochure):
    assert body_report(brochure["pdfs"]["en"]).hyphen_run >= 1
    for language in ("vi", "ko"):
        lines = body_report(brochure["pdfs"][language]).lines
        assert not [line.text for line in lines if line.text[-1] in "\ufffe\x02" or line.text.endswith("-")]


@pytest.mark.parametrize("language", LANGUAGES)
def test_characters_per_line_within_the_documented_range(brochure, language):
    low, high = PER_LINE[language]
    median = body_report(brochure["pdfs"][language]).chars_per_line
    assert low <= median <= high, f"{language}: median {median} characters per line"


@pytest.mark.parametrize("column", [150.0, 238.1, 334.488, 480.0])
def test_the_body_size_is_on_a_quarter_point_grid_and_keeps_lines_within_the_range(column):
    """Any column and mean character width: the size stays between the documented 9 and 10 pt, on the
    grid (so a small edit does not move it), and a line of the mean width stays within the range, unless
    the 10 pt ceiling allows no fewer characters."""
    from pubkit.typeset.edition import body_size

    for step in range(1200):
        advance = 0.40 + 0.55 * step / 1200  # Latin text about 0.5, Korean with its spaces about 0.8
        size = body_size(column, "words", advance)
        per_line = column / (size * advance)
        assert 9.0 <= size <= 10.0 and size * 4 == int(size * 4), (advance, size)
        bound = PER_LINE["ko" if advance > 0.7 else "vi"][1]
        assert per_line <= bound + 1e-9 or size == 10.0, (column, advance, size, per_line)


@pytest.mark.parametrize("language", ["ja", "zh"])
def test_kinsoku_holds_on_every_line(brochure, language):
    from pubkit.typeset.linebreak import NO_LINE_END, NO_LINE_START

    # every printed line but a table's lone unit cell ("%")
    lines = [line.text for line in read_lines(brochure["pdfs"][language]) if len(line.text) > 1]
    assert not [line for line in lines if line[0] in NO_LINE_START]
    # a line may end with an opening mark only where its text does (a stray quote closing a FLORES sentence)
    endings = {entry.msgstr[-6:] for entry in polib.pofile(str(brochure["folder"] / "translations" / f"{language}.po"))}
    assert not [line for line in lines if line[-1] in NO_LINE_END and line[-6:] not in endings]


def _source_words(folder: Path, language: str) -> set[str]:
    words: set[str] = set()
    for entry in polib.pofile(str(folder / "translations" / f"{language}.po")):
        words.update(markup.plain(entry.msgstr).split())  # the words as printed: inline tags are not ink
    return words


def test_korean_lines_break_only_between_words(brochure):
    from pubkit.typeset.edition import UI

    words = _source_words(brochure["folder"], "ko") | {names["ko"] for names in UI.values()}  # notes, contents
    report = body_report(brochure["pdfs"]["ko"])
    lines = report.lines + [line for group in headings(brochure["pdfs"]["ko"], report.size) for line in group]
    broken = [(line.text, token) for line in lines for token in line.text.split()
              if token.lstrip("•") and token.lstrip("•") not in words
              and not (token.endswith(".") and token[:-1].isdigit())]  # a numbered list's "1."
    assert not broken, broken[:5]


@pytest.mark.parametrize("language", LANGUAGES)
def test_headings_are_balanced(brochure, language):
    size = body_report(brochure["pdfs"][language]).size
    groups = headings(brochure["pdfs"][language], size)
    assert groups
    bad = [" / ".join(line.text for line in group) for group in groups if unbalanced(group)]
    assert not bad, bad


@pytest.mark.parametrize("language", ["ja", "zh"])
def test_cjk_headings_break_only_between_budoux_phrases(brochure, language):
    import budoux

    parser = (budoux.load_default_japanese_parser() if language == "ja"
              else budoux.load_default_simplified_chinese_parser())
    size = body_report(brochure["pdfs"][language]).size
    inside = []
    for group in headings(brochure["pdfs"][language], size):
        if len(group) < 2:
            continue
        text = "".join(line.text for line in group)
        bounds, at = set(), 0
        for phrase in parser.parse(text):
            at += len(phrase)
            bounds.add(at)
        at = 0
        for line in group[:-1]:
            at += len(line.text)
            if at not in bounds:
                inside.append(" / ".join(line.text for line in group))
    assert not inside, inside


# --- the breaker as a library -------------------------------------------------------------------------
def _style(language="en", wrap="words", size=9.0, **options):
    from pubkit.project import load_project
    from pubkit.typeset import fonts
    from pubkit.typeset.blocks import TextStyle

    setup = load_project(REPO).language(language, REPO / "x")
    chain = fonts.FontChain.for_families(setup.families, bold=False)
    return TextStyle(chain, size, size * 1.45, wrap, language=language, justify=True, **options)


@pytest.mark.parametrize("language, header", [("zh", "面积（公顷）"), ("ja", "面積（ヘクタール）")])
def test_a_wrapped_cjk_table_header_breaks_between_phrases(language, header):
    """A header too wide for its column breaks as a heading does, never inside a BudouX phrase: the unit
    of 面积（公顷） stays whole (a ragged break gave 面积（公 / 顷）, seen in the sample's Chinese edition)."""
    import budoux

    from pubkit.typeset.flowables import DataTable

    style = _style(language, "cjk")
    styles = {name: style for name in ("title", "header", "cell", "source")}
    table = DataTable("", ["Khu", header], [["A", "400"]], ["left", "right"], [False, True], styles)
    table.wrap(style.chain.width("Khu", style.size) + style.chain.width(header, style.size) * 0.85
               + 4 * DataTable.padding, 1000)
    lines = [line.text for line in table._head[1].lines]
    parser = (budoux.load_default_japanese_parser() if language == "ja"
              else budoux.load_default_simplified_chinese_parser())
    bounds, at = set(), 0
    for phrase in parser.parse(header):
        at += len(phrase)
        bounds.add(at)
    assert len(lines) == 2 and "".join(lines) == header and len(lines[0]) in bounds, lines


@pytest.mark.parametrize("before", ["Từ:", "Từ dài:", "Một hai ba:", "Danh mục được đăng tại"])
def test_a_word_wider_than_the_measure_is_broken_and_no_line_runs_past_it(before):
    """With two words before it, a 67-letter word (or a long URL) made one line of 440 pt on a 200 pt measure,
    and the rest of the paragraph ran off the page: an overfull line cost no more than lines that cannot
    stretch. The word's own lines are filled, not left half empty."""
    from pubkit.typeset.blocks import break_lines

    word = "A" + "a" * 66
    too_wide: list[str] = []
    lines = break_lines(f"{before} {word} hết.", _style("vi"), 200, too_wide)
    assert too_wide == [word] and "".join(piece.text for line in lines for piece in line.pieces).endswith("hết.")
    assert all(line.natural <= 200 + 0.01 for line in lines)
    assert all(line.natural > 150 for line in lines[1:-1])


ADDRESS = ("https://investment-promotion-centre.thainguyen.gov.vn/en/investment-procedures/one-stop-shop/"
           "application-forms-and-guidelines-2018.html")


@pytest.mark.parametrize("language, before", [("en", "Application forms:"), ("vi", "Mẫu hồ sơ:")])
def test_a_web_address_breaks_at_its_slashes_and_hyphens_and_gains_no_hyphen(language, before):
    """An English address of many hyphens ran off the page: each piece between its hyphens fit the measure,
    but more than two hyphen breaks in a row were forbidden even as a last resort, so one overfull line was
    all that was left; and Pyphen put a hyphen of its own into "promo-tion", which a reader would type."""
    from pubkit.typeset.blocks import break_lines

    too_wide: list[str] = []
    lines = break_lines(f"{before} {ADDRESS} for details.", _style(language), 180, too_wide)
    assert too_wide == [] and all(line.natural <= 180 + 0.01 for line in lines)
    printed = ["".join(piece.text for piece in line.pieces).strip() for line in lines]
    assert not any(line.hyphenated for line in lines)  # no hyphen drawn that the text does not have
    assert "".join(printed).replace(" ", "") == f"{before}{ADDRESS}fordetails.".replace(" ", "")


def test_a_compound_needing_more_than_two_hyphen_breaks_in_a_row_still_fits_the_measure():
    """Two hyphens in a row at most, but as a cost at the last tolerance, not a ban: banned, the only set of
    lines left for a long hyphenated compound on a narrow measure was one running off the column."""
    from pubkit.typeset.blocks import break_lines

    compound = "Hanoi-Thai-Nguyen-Bac-Kan-Cao-Bang-Lang-Son-Ha-Giang-Tuyen-Quang-Phu-Tho-Vinh-Phuc-Yen-Bai"
    lines = break_lines(f"The {compound} route.", _style("en"), 90, [])
    assert len(lines) > 3 and all(line.natural <= 90 + 0.01 for line in lines)


def test_a_table_gives_a_number_and_a_short_label_their_line_beside_japanese_sentences():
    """A Japanese sentence has no spaces, so str.split took it whole as the column's least width: the
    column claimed the table, the number column was squeezed to one character (1/2/,/5/0/0) and the label
    column to 農/地."""
    from pubkit.typeset.flowables import DataTable

    style = _style("ja", "cjk")
    styles = {name: style for name in ("title", "header", "cell", "source")}
    remark = "「月曜日には全面的に業務に復帰する予定だ」とアリアス氏は声明で語りました。"
    table = DataTable("", ["指標", "備考", "値 (ha)"], [["農地", remark, "12,500"], ["合計", "", "16,036.4"]],
                      ["left", "left", "right"], [False, False, True], styles)
    table.wrap(250, 1000)
    label, _, number = table._widths_
    pad = 2 * DataTable.padding
    assert number >= style.chain.width("16,036.4", style.size) + pad
    assert label >= style.chain.width("農地", style.size) + pad
    assert [len(cell.lines) for cell in table._head] == [1, 1, 1]


@pytest.mark.parametrize("language, wrap, parks", [
    ("vi", "words", ["Khu công nghiệp Yên Bình", "Điềm Thụy", "Sông Công"]),
    ("ja", "cjk", ["イエンビン工業団地", "ディエムトゥイ", "ソンコン"]),
])
def test_a_table_too_wide_for_its_column_keeps_its_numbers_whole_and_no_cell_runs_into_the_next(language, wrap,
                                                                                                 parks):
    """When the columns' least widths did not fit, every column shrank alike: 1.250.000. / 000, a name cut to
    letters, and in Japanese a one-character column whose ディ ran into the web address beside it."""
    from pubkit.typeset.flowables import DataTable

    style = _style(language, wrap)
    styles = {name: style for name in ("title", "header", "cell", "source")}
    rows = [[park, f"www.{n}-industrialpark.com.vn/investors", number]
            for n, (park, number) in enumerate(zip(parks, ["1.250.000.000", "350.500.000", "98.000.000"]))]
    table = DataTable("", ["Khu", "Trang", "Vốn (USD)"], rows, ["left", "left", "right"], [False, False, True],
                      styles)
    table.wrap(180, 1000)
    name, site, number = table._widths_
    pad = 2 * DataTable.padding
    assert abs(name + site + number - 180) < 0.01
    assert number >= style.chain.width("1.250.000.000", style.size) + pad
    assert name >= min(4 * style.size, style.chain.width(parks[0], style.size)) + pad
    for row in table._body:
        assert [len(cell.lines) for cell in row][2] == 1  # a number on one line
        for cell, width in zip(row, table._widths_):
            assert all(line.natural <= width - pad + 0.01 for line in cell.lines)


TEXT = ("Thai Nguyen is the political, economic, cultural and educational center of the Northern Midlands "
        "and Mountains, and a gateway linking the mountainous provinces with the Red River Delta. It is the "
        "cradle of Vietnam's iron and steel industry and the home of Tan Cuong tea.")


def test_every_line_but_the_last_is_set_to_the_measure():
    from pubkit.typeset.blocks import break_lines

    lines = break_lines(TEXT, _style(), 200)
    assert len(lines) > 3
    assert all(abs(line.set_width() - 200) < 0.01 for line in lines[:-1])
    assert lines[-1].set_width() <= 200
    assert " ".join(line.text.removesuffix("-") if line.hyphenated else line.text + " " for line in lines
                    ).replace("  ", " ").replace(" ", "") == TEXT.replace(" ", "")


def test_looseness_and_tracking_change_the_line_count():
    from pubkit.typeset.blocks import break_lines

    style = _style()
    best = len(break_lines(TEXT, style, 200))
    assert len(break_lines(TEXT, style, 200, looseness=1)) == best + 1
    # word spaces never shrink, so a tighter setting comes from tracking, and never overfills a line
    assert all(line.ratio >= -1 for line in break_lines(TEXT, style, 200, looseness=-1))
    assert len(break_lines(TEXT, style, 200, tracking=-0.04, looseness=-1)) == best - 1
    assert len(break_lines(TEXT, style, 200, tracking=0.1)) > best


def test_closing_punctuation_is_half_width_at_a_line_end_and_pairs_stay_whole():
    from pubkit.typeset.blocks import break_lines

    style = _style("zh", "cjk", 10.0)
    lines = break_lines("太原省位于越南北部，距河内约80公里——交通便利（高速公路）：欢迎投资。" * 3, style, 200)
    assert all(abs(line.set_width() - 200) < 0.01 for line in lines[:-1])
    pieces = [piece for line in lines for piece in line.pieces]
    assert "——" in [piece.text for piece in pieces]
    paren = next(piece for piece in pieces if piece.text == "）")
    assert paren.width == pytest.approx(5.0)  # ）before ： is set half-width


def test_figures_scale_the_way_each_language_writes_them():
    from pubkit.typeset.numbers import figure_parts

    assert figure_parts(7.8, "tỷ USD", "十亿美元", "zh") == ("78", "亿", "美元")
    assert figure_parts(7.8, "tỷ USD", "十億米ドル", "ja") == ("78", "億", "米ドル")
    assert figure_parts(7.8, "tỷ USD", "십억 달러", "ko") == ("78", "억", "달러")
    assert figure_parts(7.8, "tỷ USD", "billion USD", "en") == ("7", ".8\u00a0billion", "USD")
    assert figure_parts(7.8, "tỷ USD", "tỷ USD", "vi") == ("7", ",8\u00a0tỷ", "USD")
    assert figure_parts(1290000, "người", "人", "ja") == ("129", "万", "人")
    assert figure_parts(3536.4, "km²", "km²", "vi") == ("3.536", ",4", "km²")
    assert figure_parts(21800, "ha", "ha", "zh") == ("21,800", "", "ha")  # 2.18万 would read oddly


@pytest.mark.parametrize("language, wrap, text, tracking", [
    ("en", "words", TEXT + " It <i>exports tea to 30 countries</i> and <b>makes steel</b>.", 0.0),
    ("vi", "words", "Thái Nguyên là trung tâm chính trị, kinh tế, văn hoá của vùng trung du và miền núi phía Bắc, "
                    "cửa ngõ nối các tỉnh miền núi với đồng bằng sông Hồng.", -0.02),
    ("zh", "cjk", "太原省位于越南北部，距河内约80公里——交通便利（高速公路）：欢迎投资。“三星”在此设厂……" * 2, 0.0),
    ("ja", "cjk", "タイグエン省はベトナム北部に位置し、ハノイから約80km（高速道路で1時間）です。「サムスン」の工場があります。"
                  "社長は「工場は来年完成します。」と述べました。" * 2, 0.03),
])
def test_a_reader_finds_every_character_where_the_breaker_placed_it(language, wrap, text, tracking):
    """Lines drawn as TJ arrays (pubkit.typeset.textout): PDFium, an outside reader, finds each character at the
    x the breaker gave it, in order, and each line's text: in word-wrapped text with its spaces exactly (none
    invented, none lost); in Japanese and Chinese PDFium adds a space beside a Latin run set on the em grid
    ("约 80 公里"), as it did when every fragment had its own text matrix, so there the characters are compared."""
    import ctypes
    import io

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw
    from reportlab.pdfgen.canvas import Canvas

    from pubkit.typeset.blocks import break_lines, draw_broken_line

    style = _style(language, wrap, 9.0, tracking=tracking)
    lines = break_lines(text, style, 180)
    assert len(lines) > 2 and any(abs(line.ratio) > 0.01 for line in lines[:-1])  # stretched or shrunk lines
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(260, 40 + 20 * len(lines)))
    expected = []
    for number, line in enumerate(lines):
        baseline = 20 + 20 * (len(lines) - number)
        draw_broken_line(canvas, line, style, 30.0, baseline, 180)
        for px, part, scale, face in line.placements():
            chain = line.faces[face].chain
            for at, char in enumerate(part):
                if not char.isspace():
                    advance = (chain.width(part[:at], style.size) + style.tracking * style.size * at) * scale / 100
                    expected.append((char, 30.0 + px + advance))
    canvas.save()
    textpage = pdfium.PdfDocument(out.getvalue())[0].get_textpage()
    found, x, y = [], ctypes.c_double(), ctypes.c_double()
    for index in range(textpage.count_chars()):
        char = chr(raw.FPDFText_GetUnicode(textpage.raw, index)).replace("\x02", "-")  # a line-end hyphen
        if not char.isspace():
            raw.FPDFText_GetCharOrigin(textpage.raw, index, ctypes.byref(x), ctypes.byref(y))
            found.append((char, x.value))
    assert [char for char, _ in found] == [char for char, _ in expected]
    worst = max(abs(fx - ex) for (_, fx), (_, ex) in zip(found, expected))
    assert worst < 0.01, worst
    # PDFium joins a word hyphenated at a line end, marking the hyphen U+FFFE
    extracted = textpage.get_text_range().replace("\r\n", "\n").replace("\ufffe", "-\n").split("\n")
    if wrap == "words":
        assert extracted == [line.text for line in lines]
    else:
        assert [line.replace(" ", "") for line in extracted] == [line.text.replace(" ", "") for line in lines]
    # a move of more than 0.04 em inside a TJ array, other than the stretch after a word space, reads as a space
    # to PDFium and as a new word to Poppler; such moves are made by a new text matrix instead
    import pikepdf

    with pikepdf.open(io.BytesIO(out.getvalue())) as pdf:
        arrays = [operands[0] for operands, operator in pikepdf.parse_content_stream(pdf.pages[0])
                  if str(operator) == "TJ"]
    far = [(bytes(item[k - 1]), float(item[k])) for item in arrays for k in range(1, len(item))
           if not isinstance(item[k], pikepdf.String) and abs(float(item[k])) > 40 and not (bytes(item[k - 1]).endswith(b" ") and float(item[k]) < 0)]
    assert not far, far[:5]
    if wrap == "cjk" and has_tool("pdftotext"):  # Poppler too: a mark moved back half an em stays in its line
        import subprocess

        done = subprocess.run(["pdftotext", "-", "-"], input=out.getvalue(), capture_output=True, check=True)
        read = [line.replace(" ", "") for line in done.stdout.decode("utf-8").split("\n") if line.strip("\f ")]
        assert read == [line.text.replace(" ", "") for line in lines]


@pytest.mark.parametrize("text, run, extra", [
    ("约80公里", "80", 0.5),          # a quarter em on each side, beside 约 and 公
    ("人口（2018年）", "2018", 0.25),  # none beside the bracket, a quarter em before 年
    ("（2018）", "2018", 0.0),         # brackets bring their own white
    ("掏出 iPhone，然后", "iPhone", 0.0),  # a space on one side, a comma on the other
])
def test_a_latin_run_in_chinese_has_a_quarter_em_beside_a_hanzi_and_none_beside_punctuation(text, run, extra):
    """CLREQ's and JIS X 4051's quarter em: a run centred in whole ems left up to nearly an em beside it, and
    all of it on one side next to a bracket ("( 公顷 )", "80   人" after a break)."""
    from pubkit.typeset.justify import cjk_pieces

    style = _style("zh", "cjk", 10.0)
    pieces = cjk_pieces(text, style.chain.advance, style.size, language="zh")
    piece = next(p for p in pieces if p.text == run)
    assert abs(piece.width - style.chain.width(run, style.size) - extra * style.size) < 0.01


def test_a_hyphenated_compound_breaks_only_at_its_own_hyphen():
    """"dis- / trict-level" put a second hyphen into a word that has one (TeX and the style manuals break
    such a compound at its hyphen only); a plain word is still hyphenated."""
    from pubkit.typeset.blocks import break_lines

    for width in range(40, 200, 4):
        lines = break_lines("Investors in the district-level industrial clusters of Thai Nguyen province.",
                            _style("en"), width, [])
        printed = [("".join(piece.text for piece in line.pieces).strip(), line.hyphenated) for line in lines]
        for text, hyphenated in printed:
            assert not (hyphenated and text.endswith(("dis", "dis-", "lev"))), (width, printed)
    assert any(line.hyphenated for width in range(40, 200, 4)  # plain words still take Pyphen's hyphens
               for line in break_lines("Investors in the industrial clusters of the district.", _style("en"), width, []))


def test_a_korean_word_wider_than_the_measure_is_broken_and_reported():
    from pubkit.typeset.blocks import break_lines

    word = "가나다라마바사아자차카타파하가나다라"
    too_wide: list[str] = []
    lines = break_lines(word, _style("ko"), 60, too_wide)
    assert too_wide == [word] and len(lines) > 1 and all(line.set_width() <= 60 + 0.01 for line in lines)
    assert "".join(line.text for line in lines) == word


def test_a_table_column_is_wide_enough_for_a_number_and_its_unit_kept_together():
    """A number keeps its unit on its line, so a column's least width is that pair's ("21.800 ha"): measured
    word by word, a narrow column broke the number itself (2 / 1.800)."""
    from pubkit.typeset.blocks import break_lines, widest_unit

    style = _style("vi")
    text = "Diện tích chè 21.800 ha"
    least = widest_unit(text, style)
    assert least == pytest.approx(style.chain.width("21.800 ha", style.size))
    too_wide: list[str] = []
    lines = break_lines(text, style, least + 1, too_wide)
    assert too_wide == [] and any(line.text == "21.800 ha" for line in lines)
