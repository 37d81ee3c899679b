"""Foreign-script runs: Vietnamese, English and Korean text naming 株式会社さくら or 三星 builds with
pubkit.toml unchanged, each run set in a font that has it (Japanese forms for a kana run), CJK runs
inside Latin lines break sanely, and a character no project font has is still refused in one line."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from conftest import REPO, built_out, make_project
from pubkit.typeset.fonts import character_set, foreign_runs
from pubkit.typeset.linebreak import NO_LINE_START
from test_markup import SOURCE, char_styles

NAMES = {
    "vi": "Công ty 株式会社さくら và tập đoàn 三星 đã đầu tư tại Thái Nguyên, cách Hà Nội khoảng 80 km.",
    "en": "Sakura Co. (株式会社さくら) and the 三星 group have invested in Thai Nguyen, about 80 km from Hanoi.",
    "ko": "株式会社さくら와 三星 그룹이 하노이에서 약 80km 떨어진 타이응우옌에 투자했습니다.",
}
FONT_FILES = {path.stem: path for path in (REPO / "fonts").glob("*.ttf")}


@pytest.mark.parametrize("text, language, runs", [
    ("Công ty 株式会社さくら và 三星", "vi", [("株式会社さくら", "ja"), ("三星", "ja")]),  # kana elsewhere: Japanese
    ("Tập đoàn 三星 và 中国银行", "vi", [("三星", "zh"), ("中国银行", "zh")]),         # Han alone: Chinese
    ("Tập đoàn 三星 (삼성)", "en", [("三星", "ko"), ("삼성", "ko")]),                   # Hangul beside it: Korean
    ("株式会社さくら와 三星 그룹", "ko", [("株式会社さくら", "ja")]),                    # Korean writes 三星 in hanja
    ("太原省 삼성", "ja", [("삼성", "ko")]),
    ("日本公司さくら在太原投资", "zh", [("さくら", "ja")]),                            # only the kana in a zh edition
    ("Thái Nguyên", "vi", []),
])
def test_each_cjk_run_is_given_to_the_language_that_writes_it(text, language, runs):
    assert [(text[start:end], owner) for start, end, owner in foreign_runs(text, language)] == runs


def names_project(tmp_path: Path, texts: dict[str, str] = NAMES) -> Path:
    """The demo project whose paragraph (vi) and its en and ko translations name foreign companies."""
    root = make_project(tmp_path)
    config = (root / "pubkit.toml").read_bytes()
    spec = root / "brochures" / "demo" / "brochure.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace(SOURCE, texts["vi"]), encoding="utf-8")
    for language in ("en", "ja", "ko", "zh"):
        path = spec.parent / "translations" / f"{language}.po"
        po = polib.pofile(str(path))
        entry = next(entry for entry in po if entry.msgid == SOURCE)
        entry.msgid = texts["vi"]
        entry.msgstr = texts.get(language, entry.msgstr)
        po.save(str(path))
    assert (root / "pubkit.toml").read_bytes() == config
    return root


@pytest.fixture(scope="module")
def names_build(tmp_path_factory) -> Path:
    return built_out(names_project(tmp_path_factory.mktemp("names")))


@pytest.mark.parametrize("language", ["vi", "en", "ko"])
def test_a_text_naming_japanese_and_chinese_companies_builds_with_a_font_for_every_character(names_build, language):
    from pypdf import PdfReader

    pdf = names_build / f"demo-{language}.pdf"
    chars = char_styles(pdf)
    text = "".join(c for c, _, _ in chars)
    assert "株式会社さくら" in text and "三星" in text
    for char, font, _ in chars:  # no tofu: every character is drawn with a font whose file has its glyph
        if char.strip():
            stem = font.split("+")[-1]
            assert ord(char) in character_set(FONT_FILES[stem]), (char, font)
    at = text.index("株式会社さくら")
    assert {font for _, font, _ in chars[at:at + 7]} == {"NotoSansJP-Regular"}  # Japanese forms for a kana run
    han = {font for _, font, _ in chars[text.index("三星"):text.index("三星") + 2]}
    assert han == ({"NotoSansKR-Regular"} if language == "ko" else {"NotoSansJP-Regular"})
    embedded = {str(font.get_object()["/BaseFont"]).split("+")[-1] for page in PdfReader(pdf).pages
                for font in page["/Resources"].get("/Font", {}).values()}
    assert "NotoSansJP-Regular" in embedded


def test_the_pages_render_without_tofu(names_build, tmp_path):
    """Rendered, each CJK character's box holds the glyph of its own font (not an empty .notdef box)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(names_build / "demo-vi.pdf"))
    try:
        page = document[1]
        textpage = page.get_textpage()
        bitmap = page.render(scale=4).to_pil().convert("L")
        height = page.get_height()
        shapes = []
        for index in range(textpage.count_chars()):
            char = textpage.get_text_range(index, 1)
            if char in "株式会社さくら三星":
                left, bottom, right, top = textpage.get_charbox(index)
                box = bitmap.crop((int(left * 4), int((height - top) * 4), int(right * 4) + 1, int((height - bottom) * 4) + 1))
                shapes.append((char, box.tobytes()))
    finally:
        document.close()
    assert len(shapes) == 9
    assert all(any(value < 128 for value in shape) for _, shape in shapes)  # ink in every box
    assert len({shape for _, shape in shapes}) == 9  # nine different glyphs, not nine identical tofu boxes


def test_a_character_no_project_font_has_is_still_refused_in_one_line(tmp_path, run):
    root = names_project(tmp_path, {**NAMES, "vi": NAMES["vi"].replace("80 km", "80 km 𓀀")})
    result = run(root, "build", "brochures/demo", "--lang", "vi", "--out", "out")
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "U+13000" in lines[0] and "sections[0].content[0]" in lines[0], result.output
    assert not (root / "out").exists()


def _style(language: str, wrap: str):
    from pubkit.project import load_project
    from pubkit.typeset import fonts
    from pubkit.typeset.blocks import TextStyle

    project = load_project(REPO)
    text = "株式会社さくら三星中国银行".join(NAMES.values())
    regular, _ = fonts.edition_chains(project, language, [text])
    return TextStyle(regular, 9.0, 13.0, wrap, language=language, justify=True)


def test_a_japanese_run_in_a_latin_line_breaks_between_its_phrases_and_keeps_kinsoku():
    from pubkit.typeset.blocks import break_lines

    style = _style("en", "words")
    sentence = "株式会社さくらは、太原省に新しい工場を建設すると発表しました。"
    text = f"The company said: {sentence} Its partner 三星 agreed."
    inside = 0
    for width in range(60, 260, 4):
        lines = [line.text.removesuffix("-") if line.hyphenated else line.text
                 for line in break_lines(text, style, width)]
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        for previous, line in zip(lines, lines[1:]):
            assert line[0] not in NO_LINE_START, (width, lines)  # kinsoku: no line starts with 、 or 。
            assert not (previous.endswith("三") and line.startswith("星")), (width, lines)  # a name stays whole
            inside += previous[-1] in sentence and line[0] in sentence
    assert inside  # the run did break inside itself somewhere, between phrases
