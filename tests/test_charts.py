"""Charts from data: the colour plates of a chart are the same in every language.

The drawing library (pubkit/typeset/charts.py): the coloured geometry (bars, lines, wedges,
swatches) is read back from the PDF content stream and, where Ghostscript is installed, from the
separated plates; both must be identical across the five editions while the black plate carries
each language's own labels. The block (pubkit/blocks/chart.py): every refusal of bad chart data
with its one-line message, its segments, a five-language build and the web edition's SVG.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from reportlab.lib.units import mm

from conftest import CONFIG, SPEC, TRANSLATIONS, invoke_in, make_images, write_po
from pubkit.errors import PubkitError
from pubkit.project import load_project
from pubkit.spec import load_spec
from pubkit.typeset import fonts
from pubkit.typeset.charts import (PALETTE, ChartArt, ChartData, Geometry, Series, format_number, nice_scale,
                                   screen_colours)

REPO = Path(__file__).resolve().parent.parent
YEARS = ("2014", "2015", "2016", "2017", "2018")
FDI = (3.2, 3.9, 6.9, 7.3, 7.8)
TITLES = {"vi": "Vốn FDI đăng ký lũy kế", "en": "Cumulative registered FDI", "ja": "FDI累計登録資本額",
          "ko": "FDI 누적 등록액", "zh": "FDI累计注册资本"}
# (series name, unit, countries, a long category) per language: lengths differ on purpose
WORDS = {
    "vi": ("Vốn đăng ký", "tỷ USD", ("Hàn Quốc", "Nhật Bản", "Trung Quốc", "Singapore", "Khác"),
           "Công nghiệp chế biến, chế tạo"),
    "en": ("Registered capital", "billion USD", ("Korea", "Japan", "China", "Singapore", "Others"),
           "Manufacturing"),
    "ja": ("登録資本", "十億米ドル", ("韓国", "日本", "中国", "シンガポール", "その他"), "製造業"),
    "ko": ("등록 자본", "십억 달러", ("한국", "일본", "중국", "싱가포르", "기타"), "제조업"),
    "zh": ("注册资本", "十亿美元", ("韩国", "日本", "中国", "新加坡", "其他"), "制造业"),
}
WIDTH, HEIGHT = 118 * mm, 60 * mm


def chart(language: str, kind: str) -> ChartData:
    name, unit, countries, long = WORDS[language]
    if kind == "pie":
        return ChartData("pie", countries, (Series("", (3.1, 1.2, 0.9, 0.6, 2.0)),), unit, title=TITLES[language])
    if kind == "line":
        return ChartData("line", YEARS, (Series(name, FDI), Series(countries[0], (1.1, 2.0, -0.5, 3.3, 4.0)),
                                         Series(countries[1], (0.5, 0.7, 1.0, 1.25, 1.5))), unit)
    return ChartData("bar", (long,) + YEARS[1:], (Series(name, FDI),), unit, highlight=4, title=TITLES[language])


def art(language: str, data: ChartData, width: float = WIDTH, height: float = HEIGHT) -> ChartArt:
    project = load_project(REPO)
    setup = project.language(language, REPO / "x.yaml")
    text = "".join(data.categories) + "".join(s.name for s in data.series) + data.unit + data.title + "0123456789,.-%() "
    families = fonts.families_needed(setup.families, text)
    return ChartArt(data, width, height, language=language, wrap=setup.wrap,
                    regular=fonts.FontChain.for_families(families, bold=False),
                    bold=fonts.FontChain.for_families(families, bold=True))


def pdf_of(charts: list[ChartArt], path: Path) -> Path:
    """One page per chart, each at the same place of an A5 page, as the print edition draws it."""
    from reportlab.lib.pagesizes import A5
    from reportlab.pdfgen.canvas import Canvas

    canv = Canvas(str(path), pagesize=A5, invariant=1, enforceColorSpace="cmyk",
                  initialFontName=charts[0].style.chain.names[0])
    for item in charts:
        item.draw_on(canv, 15 * mm, 100 * mm)
        canv.showPage()
    canv.save()
    return path


def ink(path: Path) -> list[dict]:
    """Per page: every coloured paint (colour, transformation, path) and every text's ink and overprint.

    A small reader of the content stream (pikepdf parses it): enough for what ReportLab writes.
    """
    import pikepdf

    pages = []
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            states = page.Resources.get("/ExtGState", {})
            colour = {"fill": (0, 0, 0, 1), "stroke": (0, 0, 0, 1), "ctm": (1, 0, 0, 1, 0, 0), "op": False}
            stack, path_ops, coloured, texts = [], [], [], []
            for operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                values = [float(v) if isinstance(v, (int, float, Decimal)) else v for v in operands]
                if op == "q":
                    stack.append(dict(colour))
                elif op == "Q":
                    colour = stack.pop()
                elif op == "cm":
                    a, b, c, d, e, f = colour["ctm"]
                    a2, b2, c2, d2, e2, f2 = values
                    colour["ctm"] = (a2 * a + b2 * c, a2 * b + b2 * d, c2 * a + d2 * c, c2 * b + d2 * d,
                                     e2 * a + f2 * c + e, e2 * b + f2 * d + f)
                elif op in ("k", "K"):
                    colour["fill" if op == "k" else "stroke"] = tuple(round(v, 4) for v in values)
                elif op == "gs":
                    state = states.get(str(operands[0]), {})
                    if "/op" in state:  # ReportLab writes /op, /OP and /OPM as three states
                        colour["op"] = bool(state["/op"])
                elif op in ("m", "l", "c", "v", "y", "re", "h"):
                    path_ops.append((op, tuple(round(v, 3) for v in values)))
                elif op in ("f", "f*", "F", "S", "s", "B", "B*", "b", "b*", "n"):
                    used = ([colour["fill"]] if op not in ("S", "s", "n") else []) + \
                           ([colour["stroke"]] if op in ("S", "s", "B", "B*", "b", "b*") else [])
                    if any(any(c[:3]) for c in used):
                        coloured.append((op, tuple(used), tuple(round(v, 3) for v in colour["ctm"]),
                                         tuple(path_ops)))
                    path_ops = []
                elif op in ("Tj", "TJ", "'", '"'):
                    texts.append((colour["fill"], colour["op"]))
                elif op == "rg" or op == "RG" or op == "g" or op == "G":
                    raise AssertionError(f"non-CMYK colour operator {op} in a chart")
            pages.append({"coloured": coloured, "texts": texts})
    return pages


def page_texts(path: Path) -> list[str]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def test_nice_scale_reaches_every_value_in_four_to_six_round_steps():
    assert nice_scale(list(FDI)) == (Decimal(0), Decimal(8), Decimal(2))
    low, high, step = nice_scale([1_290_000, 850_000])
    assert (low, high, step) == (0, 1_500_000, 250_000)  # 200,000 would take 7 steps
    low, high, step = nice_scale([-0.5, 4.0])
    assert low == -1 and high == 4 and step == 1
    for values in ([0.03, 0.07], [12, 97], [-40, -3], [5, 5], [0, 0], [0.1, 0.2, 0.3]):
        low, high, step = nice_scale(values)
        assert low <= min(values + [0]) and high >= max(values + [0]) and high > low
        assert 4 <= (high - low) / step <= 6 and (high - low) % step == 0


def test_numbers_are_written_as_each_language_writes_them():
    assert [format_number(7.8, language) for language in ("vi", "en", "ja", "ko", "zh")] == \
        ["7,8", "7.8", "7.8", "7.8", "7.8"]
    assert format_number(1290000, "vi") == "1.290.000" and format_number(1290000, "en") == "1,290,000"
    vi = art("vi", chart("vi", "bar"))
    en = art("en", chart("en", "bar"))
    assert "7,8" in [label.text for label in vi.labels] and "7.8" in [label.text for label in en.labels]
    assert "2,5" not in [label.text for label in vi.labels]  # the axis is 0, 2, 4, 6, 8
    assert [label.text for label in vi.labels if label.role == "axis number"] == ["0", "2", "4", "6", "8"]


@pytest.mark.parametrize("kind", ["bar", "line", "pie"])
def test_colour_is_the_same_in_every_language_and_labels_are_k_overprinting(kind, tmp_path):
    editions = {language: art(language, chart(language, kind)) for language in WORDS}
    pdf = pdf_of(list(editions.values()), tmp_path / f"{kind}.pdf")
    pages = ink(pdf)
    reference = pages[0]["coloured"]
    assert len(reference) >= 5  # the bars, lines or wedges and swatches are there, in colour
    for language, page in zip(editions, pages):
        assert page["coloured"] == reference, f"{kind}: the {language} chart's colour differs from vi"
        assert page["texts"], f"{kind}: the {language} chart has no labels"
        assert set(page["texts"]) == {((0, 0, 0, 1), True)}, f"{kind}: {language} labels not 100 % K overprinting"
    texts = page_texts(pdf)
    for (language, (name, unit, countries, _)), text in zip(WORDS.items(), texts):
        flat = re.sub(r"\s+", "", text)
        assert re.sub(r"\s+", "", unit) in flat, f"{language}: the unit is not printed as text"
        if kind == "pie":
            assert all(re.sub(r"\s+", "", country) in flat for country in countries)
        if kind != "line":
            assert re.sub(r"\s+", "", TITLES[language]) in flat
    if kind == "bar":  # one series: its values over the bars, per language
        assert "7,8" in texts[0] and "7.8" in texts[1]
    if kind == "pie":
        assert "3,1 (40%)" in texts[0] and "3.1 (40%)" in texts[1]


def test_separated_plates_differ_only_in_black(tmp_path):
    from support.plates import differing_share, have_ghostscript, separations

    if not have_ghostscript():
        pytest.skip("Ghostscript (gs) is not installed: apt-get install -y ghostscript")
    editions = [art(language, chart(language, "bar")) for language in WORDS]
    plates = separations(pdf_of(editions, tmp_path / "bars.pdf"), dpi=100)
    vi = plates[0]
    assert vi["Cyan"].max() > 200  # the teal bars reach the cyan plate
    for page in plates[1:]:
        for plate in ("Cyan", "Magenta", "Yellow"):
            assert differing_share(vi[plate], page[plate], tolerance=2) == 0.0
        assert differing_share(vi["Black"], page["Black"]) > 0.0005  # each language's labels


def test_geometry_follows_the_box_and_data_never_the_strings():
    short = chart("en", "bar")
    long = ChartData("bar", ("A much longer category name than any other",) + YEARS[1:],
                     (Series("x" * 80, FDI),), "a unit with many more words in it", highlight=4,
                     title="A title that takes two lines, as some translations of a title will do")
    a, b = Geometry(short.shape(), WIDTH, HEIGHT), Geometry(long.shape(), WIDTH, HEIGHT)
    assert (a.plot, a.anchors()) == (b.plot, b.anchors())
    bars = a.anchors()[0]
    assert [round(y, 2) for _, y, _ in bars] == [round(a.value_y(v), 2) for v in FDI]
    assert a.plot.top <= HEIGHT and a.plot.y > 0 and a.plot.x > 0 and a.plot.x + a.plot.width <= WIDTH
    taller = Geometry(short.shape(), WIDTH, HEIGHT * 1.5)
    assert taller.plot.height > a.plot.height


def test_geometry_from_the_cache_is_what_drawing_makes_and_needs_no_chart_library(tmp_path, monkeypatch):
    """The geometry's operators and anchors are kept in the build cache; a process that finds them draws
    the chart without importing ``reportlab.graphics`` (which imports all of platypus), and draws the same."""
    import subprocess
    import sys

    from pubkit import cache

    monkeypatch.setenv("PUBKIT_CACHE_DIR", str(tmp_path / "cache"))
    shapes = {kind: chart("en", kind).shape() for kind in ("bar", "line", "pie")}
    made = {kind: Geometry(shape, WIDTH, HEIGHT).ink() for kind, shape in shapes.items()}  # made, and kept
    with cache.bypassed():
        assert {kind: Geometry(shape, WIDTH, HEIGHT).ink() for kind, shape in shapes.items()} == made
    assert [len(made[kind][1]) for kind in shapes] == [1, 3, 0]  # anchors: per series (none for a pie)
    assert all(len(operators) > 200 and "BT" not in operators for operators, _ in made.values())
    script = f"""
import sys
from pubkit.typeset.charts import Geometry
found = {{kind: Geometry(shape, {WIDTH!r}, {HEIGHT!r}).ink() for kind, shape in {shapes!r}.items()}}
print(repr(found) == {repr(made)!r}, "reportlab.graphics" in sys.modules)
"""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "False"]


def test_geometry_operators_do_not_depend_on_reportlabs_invariant_mode(monkeypatch):
    """Editions are drawn in ReportLab's invariant mode and `pubkit web` is not; whichever makes a chart's
    geometry first, the operators kept for print are the same."""
    from reportlab import rl_config

    made = {}
    for invariant in (0, 1):
        monkeypatch.setattr(rl_config, "invariant", invariant)
        made[invariant] = [Geometry(chart("en", kind).shape(), WIDTH, HEIGHT)._ink() for kind in ("bar", "line", "pie")]
    assert made[0] == made[1] and rl_config.invariant == 1  # and the mode is left as it was


def test_a_label_longer_than_its_band_is_reported():
    data = ChartData("bar", ("Khu công nghiệp theo quy hoạch được phê duyệt đến năm 2035",) + YEARS[1:],
                     (Series("", FDI),), "tỷ USD")
    problems = art("vi", data, width=60 * mm).fit_problems
    assert any("category" in problem and "lines" in problem for problem in problems)
    titled = ChartData("bar", YEARS, (Series("", FDI),), "tỷ USD", title="Vốn đầu tư trực tiếp nước ngoài "
                       "đăng ký lũy kế của tỉnh Thái Nguyên giai đoạn 2014–2018, theo năm cấp giấy chứng nhận")
    assert any("title" in problem and "2 fit" in problem for problem in art("vi", titled, width=60 * mm).fit_problems)
    assert art("vi", chart("vi", "bar")).fit_problems == []


def test_value_labels_sit_over_their_bars():
    item = art("en", chart("en", "bar"))
    values = [label for label in item.labels if label.role == "value"]
    assert all(label.bold for label in values)
    assert [label.text for label in values] == ["3.2", "3.9", "6.9", "7.3", "7.8"]
    for label, (x, y, half) in zip(values, item.geometry.anchors()[0]):
        assert abs(label.x + label.width / 2 - x) < 0.01 and label.top > y and half > 0


def test_cjk_labels_are_set_in_a_font_that_has_them(tmp_path):
    pdf = pdf_of([art("ja", chart("ja", "pie")), art("zh", chart("zh", "line"))], tmp_path / "cjk.pdf")
    ja, zh = page_texts(pdf)
    assert "シンガポール" in ja and "十億米ドル" in ja
    assert "注册资本" in zh and "韩国" in zh
    import pikepdf

    with pikepdf.open(pdf) as document:
        names = {str(font.BaseFont) for page in document.pages for font in page.Resources.Font.values()}
    assert any("NotoSansJP" in name for name in names) and any("NotoSansSC" in name for name in names)
    assert not any("Helvetica" in name for name in names)  # ReportLab's default font, never embedded


def test_svg_has_the_same_labels_as_real_text():
    item = art("vi", chart("vi", "bar"))
    svg = item.svg(title="Vốn FDI đăng ký lũy kế")
    root = ET.fromstring(svg)
    namespace = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{namespace}svg" and root.get("aria-label") == "Vốn FDI đăng ký lũy kế"
    assert root.get("viewBox") == f"0 0 {int(item.width)} {int(item.height)}" and root.get("height") is None
    assert root.get("id") == "chart" and {node.get("id") for node in root.iter() if node.get("id")} == \
        {"chart", "chart-clip"}  # ids are prefixed: several charts on one page
    texts = ["".join(node.itertext()) for node in root.iter(f"{namespace}text")]
    assert texts == [line.text for label in item.labels for line in label.lines]
    assert "7,8" in texts and "tỷ USD" in texts
    assert len(list(root.iter(f"{namespace}rect"))) >= 5  # the bars


def test_svg_colours_come_from_the_print_profile():
    profile = (REPO / "colour" / "pubkit-fogra39-tac300.icc").read_bytes()
    convert = screen_colours(profile)
    teal = convert(Geometry(chart("vi", "bar").shape(), WIDTH, HEIGHT).colour(0))
    assert 0.05 < teal.green < 0.6 and teal.red < teal.green  # a dark teal, not ReportLab's arithmetic (0, 0.3, 0.35)
    svg = art("vi", chart("vi", "bar")).svg(colour=convert)
    assert "rgb(0%,30%,35%)" not in svg and "<text" in svg


# --- the chart block (pubkit/blocks/chart.py): spec, refusals, drafts, a build in five languages ---------------
CHART = """\
      - chart: bar
        title: "Vốn FDI đăng ký lũy kế"
        unit: "tỷ USD"
        categories: [2016, 2017, "Dự kiến 2018"]
        series:
          - values: [6.9, 7.3, 7.8]
        highlight: 2017
        caption: "Vốn FDI theo năm"
        height: 50mm
"""
CHART_WORDS = {  # source → translation per language, for the segments the chart's section adds
    "Đầu tư": {"en": "Investment", "ja": "投資", "ko": "투자", "zh": "投资"},
    "Vốn FDI tăng đều qua các năm.": {"en": "FDI grew every year.", "ja": "FDIは毎年増加した。",
                                      "ko": "FDI는 매년 증가했다.", "zh": "外资逐年增长。"},
    "Vốn FDI đăng ký lũy kế": {"en": "Cumulative registered FDI", "ja": "FDI累計登録資本額", "ko": "FDI 누적 등록액",
                               "zh": "FDI累计注册资本"},
    "tỷ USD": {"en": "billion USD", "ja": "十億米ドル", "ko": "십억 달러", "zh": "十亿美元"},
    "Dự kiến 2018": {"en": "2018 (forecast)", "ja": "2018年（見込み）", "ko": "2018년(전망)", "zh": "2018年（预计）"},
    "Vốn FDI theo năm": {"en": "FDI by year", "ja": "年別FDI", "ko": "연도별 FDI", "zh": "各年度外资"},
}


def with_chart(chart: str = CHART) -> str:
    """The conftest brochure with a second section: a sentence and the chart."""
    back = "back_cover:\n"
    assert SPEC.count(back) == 1
    section = '  - heading: "Đầu tư"\n    content:\n      - "Vốn FDI tăng đều qua các năm."\n' + chart
    return SPEC.replace(back, section + back)


def chart_error(tmp_path, chart: str) -> tuple[PubkitError, str]:
    text = with_chart(chart)
    path = tmp_path / "brochure.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PubkitError) as caught:
        load_spec(path)
    return caught.value, text


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize("change, needle, key, problem, fix", [
    (("[6.9, 7.3, 7.8]", "[6.9, 7.3]"), "values:", "series[0].values", "series 1 has 2 values for 3 categories",
     "one value per category"),
    (("[6.9, 7.3, 7.8]", '[6.9, "7,3", 7.8]'), "values:", "series[0].values[1]", "expected a number",
     "plain number"),
    (("chart: bar", "chart: pie"), "highlight:", "highlight", "highlight marks one bar", "remove highlight"),
    (("chart: bar", "chart: donut"), "chart: donut", "chart", "unknown chart 'donut'", "chart: pie"),
    (('[2016, 2017, "Dự kiến 2018"]', "[]"), "categories:", "categories", "the chart has no categories",
     "categories: [2014"),
    (("series:\n          - values: [6.9, 7.3, 7.8]", "series: []"), "series:", "series", "the chart has no series",
     "values"),
    (("highlight: 2017", "highlight: 2019"), "highlight:", "highlight", "'2019' is not one of the categories",
     "2016, 2017, Dự kiến 2018"),
    (("          - values: [6.9, 7.3, 7.8]", "          - values: [6.9, 7.3, 7.8]\n          - values: [1, 2, 3]"),
     "- values: [6.9", "series[0]", "series 1 has no name", "name:"),
    (("height: 50mm", "height: 20mm"), "height:", "height", "leaves its plot under 12 mm", "give height: "),
    (('[2016, 2017, "Dự kiến 2018"]', '[2016, 2017, ""]'), "categories:", "categories[2]", "an empty category",
     "write the name"),
])
def test_bad_chart_data_is_refused_in_one_line(tmp_path, change, needle, key, problem, fix):
    old, new = change
    assert old in CHART
    error, text = chart_error(tmp_path, CHART.replace(old, new))
    message = str(error)
    assert "\n" not in message
    assert f"brochure.yaml:{line_of(text, needle)}: sections[1].content[1].{key}: " in message and problem in message
    assert " — " in message and fix in message.split(" — ", 1)[1]


def test_pie_values_are_shares_of_a_whole(tmp_path):
    pie = CHART.replace("chart: bar", "chart: pie").replace("        highlight: 2017\n", "")
    error, text = chart_error(tmp_path, pie.replace("[6.9, 7.3, 7.8]", "[6.9, -1, 7.8]"))
    assert f":{line_of(text, 'values:')}: sections[1].content[1].series[0].values[1]: " in str(error)
    assert "a pie slice cannot be negative (-1)" in str(error)
    error, _ = chart_error(tmp_path, pie.replace("[6.9, 7.3, 7.8]", "[0, 0, 0]"))
    assert "every slice of the pie is 0" in str(error)
    two = pie.replace("          - values: [6.9, 7.3, 7.8]",
                      "          - {name: a, values: [1, 2, 3]}\n          - {name: b, values: [1, 2, 3]}")
    error, _ = chart_error(tmp_path, two)
    assert "a pie chart shows one series, found 2" in str(error)


def test_chart_words_reach_the_drafts_numbers_and_years_do_not(tmp_path):
    from pubkit.spec.segments import segments

    path = tmp_path / "brochure.yaml"
    path.write_text(with_chart(), encoding="utf-8")
    found = {s.path: (s.text, s.note) for s in segments(load_spec(path)) if s.path.startswith("sections[1].content[1]")}
    where = "sections[1].content[1]"
    assert {p: text for p, (text, _) in found.items()} == {
        f"{where}.title": "Vốn FDI đăng ký lũy kế", f"{where}.unit": "tỷ USD",
        f"{where}.categories[2]": "Dự kiến 2018", f"{where}.caption": "Vốn FDI theo năm"}
    assert all(note.startswith("chart") for _, note in found.values())
    several = CHART.replace("          - values: [6.9, 7.3, 7.8]",
                            '          - {name: "Đăng ký", values: [6.9, 7.3, 7.8]}\n'
                            '          - {name: "Thực hiện", values: [3, 4, 5]}').replace("        highlight: 2017\n", "")
    several = several.replace("height: 50mm", "height: 60mm")  # a legend row takes room from the plot
    path.write_text(with_chart(several), encoding="utf-8")
    names = {s.path: s.text for s in segments(load_spec(path)) if ".name" in s.path}
    assert names == {f"{where}.series[0].name": "Đăng ký", f"{where}.series[1].name": "Thực hiện"}


@pytest.fixture(scope="module")
def chart_project(tmp_path_factory) -> Path:
    """The conftest mini brochure with a chart, translated into every language, built for print and web."""
    from pubkit.spec.segments import segments
    from pubkit.spec.validate import to_brochure
    from pubkit.spec.yamlsource import load_yaml

    root = tmp_path_factory.mktemp("chart")
    (root / "pubkit.toml").write_text(CONFIG, encoding="utf-8")
    make_images(root / "assets")
    spec = root / "brochures" / "demo" / "brochure.yaml"
    spec.parent.mkdir(parents=True)
    spec.write_text(SPEC, encoding="utf-8")
    base = list(dict.fromkeys(s.text for s in segments(to_brochure(load_yaml(spec), spec))))
    spec.write_text(with_chart(), encoding="utf-8")
    sources = list(dict.fromkeys(s.text for s in segments(to_brochure(load_yaml(spec), spec))))
    for language, targets in TRANSLATIONS.items():
        known = dict(zip(base, targets)) | {source: words[language] for source, words in CHART_WORDS.items()}
        write_po(spec.parent / "translations" / f"{language}.po", language, [(s, known[s]) for s in sources])
    for command in (["build", "brochures/demo", "--out", "out"], ["web", "brochures/demo", "--out", "site"]):
        result = invoke_in(root, *command)
        assert result.exit_code == 0, result.output
    return root


LANGUAGES = ("vi", "en", "ja", "ko", "zh")


def test_a_built_chart_prints_each_language_on_one_colour_plate_set(chart_project):
    out = chart_project / "out"
    texts = {language: [re.sub(r"\s+", "", page) for page in page_texts(out / f"demo-{language}.pdf")]
             for language in LANGUAGES}
    page = next(i for i, text in enumerate(texts["vi"]) if "VốnFDIđăngkýlũykế" in text)
    for language in LANGUAGES:
        text = texts[language][page]
        words = {source: (source if language == "vi" else CHART_WORDS[source][language]) for source in CHART_WORDS}
        assert all(re.sub(r"\s+", "", word) in text for word in words.values()), language
        assert ("7,8" if language == "vi" else "7.8") in text and "2016" in text
    colours = [ink(out / f"demo-{language}.pdf")[page]["coloured"] for language in LANGUAGES]
    bars = {tuple(round(v, 4) for v in (c.cyan, c.magenta, c.yellow, c.black)) for c in PALETTE[:2]}
    charted = [paint for paint in colours[0] if paint[1][0] in bars]
    assert len(charted) == 3  # two teal bars and the highlighted one
    assert all(paints == colours[0] for paints in colours[1:])


def test_the_web_edition_shows_the_chart_as_svg_with_real_text(chart_project):
    site = chart_project / "site"
    vi = (site / "vi" / "index.html").read_text(encoding="utf-8")
    ja = (site / "ja" / "index.html").read_text(encoding="utf-8")
    assert vi.count('<svg class="chart"') == 1 and ">7,8</text>" in vi and ">tỷ USD</text>" in vi
    assert ">7.8</text>" in ja and "十億米ドル</text>" in ja and "2018年（見込み）" in ja
    figure = ja[ja.index('<figure class="chart">'):ja.index("</figure>", ja.index('<figure class="chart">'))]
    assert "<figcaption>年別FDI</figcaption>" in figure
    ET.fromstring(figure[figure.index("<svg"):figure.index("</svg>") + 6])  # well-formed


def test_the_charts_accessible_name_is_its_words_not_their_escapes():
    """A title holding written-out markup (R&amp;D, &lt;b&gt;) is read out as the page shows it: the summary
    gave the entities, which the attribute then escaped a second time."""
    from pubkit.blocks.chart import Resolved

    data = ChartData("bar", ("R&amp;D", "2020"), (Series("", (1.0, 2.0)),), "&lt;tỷ USD&gt;",
                     title="Vốn FDI &amp; R&amp;D")
    block = Resolved("sections[0].content[0]", "bar", None, None, (), (), None, data, 200.0, 120.0, "vi", None)
    assert block.summary() == "Vốn FDI & R&D – <tỷ USD>: R&D: 1; 2020: 2"
