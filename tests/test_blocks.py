"""Every block kind and per-language override, built in five languages and read back from the PDFs.

The test brochure (written here, in a temporary project) uses every kind in ``pubkit.blocks``;
each translation carries a marker (``q12z``: segment 12) so text extraction can find every
segment in every edition. Every refusal of a bad block is checked for its one-line message.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import polib
import pytest
from PIL import Image

from conftest import CONFIG, has_tool, invoke_in, write_po

SPEC = textwrap.dedent("""\
    title: "Sổ tay khối nội dung"
    publisher: "Sở Kế hoạch và Đầu tư"
    languages: [vi, en, ja, ko, zh]
    print_run: {vi: 100, en: 50, ja: 50, ko: 50, zh: 50}
    format: {trim: A5, binding: saddle-stitch}
    sections:
      - heading: "Các khối văn bản"
        content:
          - "Đoạn văn thứ nhất giới thiệu tỉnh và các khu công nghiệp."
          - heading: "Tiêu đề cấp hai"
          - numbered:
              - "Tìm hiểu thông tin và khảo sát địa điểm."
              - "Nộp hồ sơ đề nghị cấp Giấy chứng nhận đăng ký đầu tư."
              - "Thành lập doanh nghiệp."
          - heading: "Tiêu đề cấp ba"
            level: 3
          - bullets:
              - "Điện tử và công nghệ thông tin."
              - "Chế biến nông sản."
          - callout: "Một cửa liên thông cho mọi thủ tục đầu tư."
            title: "Hỗ trợ nhà đầu tư"
          - callout: "Thành công của nhà đầu tư là thành công của tỉnh."
            style: quote
            source: "Chủ tịch Ủy ban nhân dân tỉnh"
          - note: "Nguồn: Sở Kế hoạch và Đầu tư, năm 2018."
      - heading: "Bảng và số liệu"
        new_page: true
        content:
          - table:
              title: "Các khu công nghiệp"
              columns:
                - header: "Khu công nghiệp"
                - header: "Diện tích"
                  unit: "ha"
                - header: "Lấp đầy"
                  unit: "%"
                  decimals: 1
              rows:
                - ["Yên Bình", 400, 85.5]
                - ["Điềm Thụy", 350, 60]
                - ["Sông Công I", 3536.4, ""]
              source: "Nguồn: Ban Quản lý các khu công nghiệp."
          - figures:
              - {label: "Dân số", value: 1290000, unit: "người"}
              - {label: "Diện tích tự nhiên", value: 3536.4, unit: "km²"}
          - page_break: true
          - columns:
              - heading: "Đối tác"
                level: 3
              - bullets: ["Hàn Quốc", "Nhật Bản", "Trung Quốc", "Singapore", "Hoa Kỳ", "Đài Loan"]
              - "Đoạn văn trong cột."
      - heading: "Hình ảnh"
        content:
          - "Bản đồ dưới đây có nhãn tiếng Nhật trong ấn bản tiếng Nhật."
          - image: map.png
            caption: "Bản đồ vị trí"
            alt: "Bản đồ tỉnh với các tuyến đường chính"
            width: 90mm
            only:
              ja: {image: map-ja.png, caption: "日本語ラベル付きの位置図"}
      - heading: "Toàn cảnh"
        content:
          - "Ảnh toàn cảnh được cắt vừa khung cao bốn centimet."
          - image: photo.png
            caption: "Ảnh toàn cảnh"
            height: 40mm
            fit: cover
      - heading: "Biểu đồ"
        content:
          - "Vốn đầu tư trực tiếp nước ngoài tăng đều qua các năm."
          - chart: bar
            title: "Vốn FDI đăng ký"
            unit: "tỷ USD"
            categories: [2016, 2017, 2018]
            series:
              - {name: "Vốn đăng ký lũy kế", values: [6.1, 7.0, 7.8]}
            caption: "Vốn FDI lũy kế theo năm"
      - heading: "Ảnh tràn lề"
        content:
          - "Ảnh dưới đây tràn ra mép giấy ở cả hai bên."
          - image: band.png
            bleed: true
            height: 30mm
          - text: "Chế biến nông sản."
            separate: true
          - text: "Đoạn văn có bản riêng cho tiếng Hàn."
            only:
              ko: {text: "한국어판에만 실리는 문단입니다."}
    """)

CJK = {"ja": "ブロック{}番の文です。", "ko": "블록 {}번 문장입니다.", "zh": "第{}号文本块。"}


def translation(language: str, source: str, index: int) -> str:
    marker = f"q{index}z"
    if language == "en":
        return f"Block {marker} text"
    return CJK[language].format(marker)


def make_blocks_project(root: Path, spec: str = SPEC) -> Path:
    """A project holding the test brochure 'blocks' with reviewed translations of every segment."""
    from pubkit.spec import load_spec
    from pubkit.spec.segments import segments

    (root / "pubkit.toml").write_text(CONFIG, encoding="utf-8")
    folder = root / "brochures" / "blocks"
    folder.mkdir(parents=True)
    (folder / "brochure.yaml").write_text(spec, encoding="utf-8")
    Image.new("RGB", (1200, 800), (40, 140, 90)).save(folder / "map.png", dpi=(300, 300))
    Image.new("RGB", (1200, 800), (200, 60, 40)).save(folder / "map-ja.png", dpi=(300, 300))
    Image.new("RGB", (1500, 625), (60, 90, 160)).save(folder / "photo.png", dpi=(300, 300))
    Image.new("RGB", (1900, 400), (230, 180, 30)).save(folder / "band.png", dpi=(300, 300))
    listed = list(segments(load_spec(folder / "brochure.yaml")))
    sources = list(dict.fromkeys(s.text for s in listed))
    for language in ("en", "ja", "ko", "zh"):
        path = folder / "translations" / f"{language}.po"
        write_po(path, language, [(source, translation(language, source, i)) for i, source in enumerate(sources)])
        po = polib.pofile(str(path))
        for segment in listed:  # a separate block's strings: their own entry, their own translation
            if segment.own:
                po.append(polib.POEntry(msgctxt=segment.path, msgid=segment.text,
                                        msgstr=translation(language, segment.text, sources.index(segment.text) + 1000)))
        po.save(str(path))
    return root


def squeeze(text: str) -> str:
    """Text without whitespace: lines broken anywhere still match."""
    return re.sub(r"\s+", "", text)


def pdf_texts(path: Path) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    return "\n".join(page.get_textpage().get_text_range() for page in pdf)


@pytest.fixture(scope="module")
def blocks_build(tmp_path_factory):
    """The test brochure, built for print in five languages once for this module's tests."""
    root = make_blocks_project(tmp_path_factory.mktemp("blocks"))
    result = invoke_in(root, "build", "brochures/blocks", "--out", "out")
    assert result.exit_code == 0, result.output
    return root, result.output


def test_every_registered_kind_is_in_the_test_brochure(tmp_path):
    from pubkit.blocks import BY_KEY, kind_of
    from pubkit.spec import load_spec

    (tmp_path / "brochure.yaml").write_text(SPEC, encoding="utf-8")
    used = set()
    for section in load_spec(tmp_path / "brochure.yaml").sections:
        for block in section.content:
            used.add(kind_of(block).key)
            used.update(kind_of(inner).key for inner in getattr(block, "columns", []))
    assert used == set(BY_KEY)


def test_every_segment_prints_in_every_edition(blocks_build):
    from pubkit.spec import load_spec
    from pubkit.spec.segments import segments

    root, output = blocks_build
    folder = root / "brochures" / "blocks"
    brochure = load_spec(folder / "brochure.yaml")
    sources = list(dict.fromkeys(s.text for s in segments(brochure)))
    listed = list(segments(brochure))
    counts = set()
    for language in brochure.languages:
        pdf = root / "out" / f"blocks-{language}.pdf"
        text = squeeze(pdf_texts(pdf))
        counts.add(len(__import__("pypdf").PdfReader(pdf).pages))
        for segment in listed:
            shown = segment.text if language == "vi" else translation(
                language, segment.text, sources.index(segment.text) + (1000 if segment.own else 0))
            if segment.prints_in(language) and not segment.path.endswith(".alt"):  # alt text is the web's
                assert squeeze(shown) in text, (language, segment.path)
    assert len(counts) == 1  # one page plan: the same page count in every language
    starts = re.findall(r"sections start on pages ([\d, ]+)", output)
    assert len(starts) == 5 and len(set(starts)) == 1


def test_numbers_in_tables_follow_the_language(blocks_build):
    root, _ = blocks_build
    vi = squeeze(pdf_texts(root / "out" / "blocks-vi.pdf"))
    en = squeeze(pdf_texts(root / "out" / "blocks-en.pdf"))
    assert "3.536,4" in vi and "85,5" in vi and "60,0" in vi  # decimals: 1 for the third column
    assert "3,536.4" in en and "85.5" in en and "60.0" in en


def test_overrides_replace_text_and_picture_for_one_language(blocks_build):
    from pubkit.spec import load_spec
    from pubkit.spec.segments import segments

    root, _ = blocks_build
    brochure = load_spec(root / "brochures" / "blocks" / "brochure.yaml")
    sources = list(dict.fromkeys(s.text for s in segments(brochure)))
    caption = sources.index("Bản đồ vị trí")
    paragraph = sources.index("Đoạn văn có bản riêng cho tiếng Hàn.")
    texts = {language: squeeze(pdf_texts(root / "out" / f"blocks-{language}.pdf"))
             for language in ("en", "ja", "ko")}
    assert "日本語ラベル付きの位置図" in texts["ja"]
    assert squeeze(translation("ja", "", caption)) not in texts["ja"]
    assert squeeze(translation("ko", "", caption)) in texts["ko"]
    assert squeeze("한국어판에만 실리는 문단입니다.") in texts["ko"]
    assert squeeze(translation("ko", "", paragraph)) not in texts["ko"]
    assert squeeze(translation("en", "", paragraph)) in texts["en"]
    reds = {}
    for language in ("en", "ja"):  # map-ja.png is red, map.png green: the ja edition prints its own map
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(root / "out" / f"blocks-{language}.pdf")
        reds[language] = 0
        for page in pdf:
            pixels = page.render(scale=0.3).to_numpy().astype(int)  # BGR(A)
            b, g, r = pixels[..., 0], pixels[..., 1], pixels[..., 2]
            reds[language] += int(((r > 150) & (g < 110) & (b < 110)).sum())
    assert reds["ja"] > 500 and reds["en"] == 0


def test_an_override_asks_its_language_for_no_translation_of_what_it_replaces(tmp_path):
    from pubkit.spec import load_spec
    from pubkit.spec.segments import segments, written

    root = make_blocks_project(tmp_path)
    brochure = load_spec(root / "brochures" / "blocks" / "brochure.yaml")
    skipped = {s.path: s.skip for s in segments(brochure) if s.skip}
    assert skipped == {"sections[2].content[1].caption": frozenset({"ja"}),
                       "sections[5].content[3]": frozenset({"ko"})}
    assert written(brochure, "ja") == {"sections[2].content[1].caption": "日本語ラベル付きの位置図"}


def test_a_full_bleed_image_reaches_the_bleed_on_both_sides(blocks_build):
    import pikepdf

    root, _ = blocks_build
    with pikepdf.open(root / "out" / "blocks-vi.pdf") as pdf:
        page = pdf.pages[6]
        bleed = [float(v) for v in page.BleedBox]
        text = page.Contents.read_bytes().decode("latin-1") if not isinstance(page.Contents, pikepdf.Array) else \
            b"".join(part.read_bytes() for part in page.Contents).decode("latin-1")
    placed = [tuple(float(v) for v in match.groups()) for match in
              re.finditer(r"([\d.]+) 0 0 ([\d.]+) ([\d.-]+) ([\d.-]+) cm\s*/FormXob", text)]
    assert any(abs(x - bleed[0]) < 0.5 and abs(x + w - bleed[2]) < 0.5 for w, _h, x, _y in placed), placed


REFUSALS = [
    ('          - ["Yên Bình", 400, 85.5]', '          - ["Yên Bình", 400]',
     "sections[1].content[0].table.rows[0]: row 1 has 2 cells but the table has 3 columns"),
    ('          - ["Yên Bình", 400, 85.5]', '          - ["Yên Bình", {a: 1}, 85.5]',
     "a table cell must be text or a number, found a mapping"),
    ("                  decimals: 1", "                  decimals: 9", "column 3: decimals 9"),
    ("                - header: \"Diện tích\"\n", "                - header: \"Diện tích\"\n                  align: middle\n",
     "column 2: unknown align 'middle'"),
    ("            level: 3\n          - bullets", "            level: 4\n          - bullets", "heading level 4 does not exist"),
    ("            style: quote", "            style: banner", "unknown callout style 'banner'"),
    ("          - page_break: true", "          - page_break: false", "page_break: false breaks nothing"),
    ("            fit: cover", "            fit: stretch", "unknown fit 'stretch'"),
    ("            bleed: true", "            bleed: true\n            width: 50mm", "a full-bleed image spans the page"),
    ("              ja: {image: map-ja.png,", "              fr: {image: map-ja.png,", "unknown language 'fr'"),
    ("              ja: {image: map-ja.png,", "              vi: {image: map-ja.png,",
     "an override for the source language 'vi'"),
    ("              ja: {image: map-ja.png,", "              ja: {picture: map-ja.png,",
     "'picture' is not a field of a image block"),
    ("          - numbered:\n", "          - numbered: []\n          - bullets:\n", "the numbered list is empty"),
    ("          - columns:\n", "          - columns:\n              - image: map.png\n",
     "a image block cannot go inside columns"),
    ("          - note: \"Nguồn", "          - notes: \"Nguồn", "unknown content block 'notes' — did you mean 'note'?"),
]


@pytest.mark.parametrize("old, new, message", REFUSALS, ids=[r[2][:40] for r in REFUSALS])
def test_bad_blocks_are_refused_in_one_line(tmp_path, old, new, message):
    from pubkit.errors import PubkitError
    from pubkit.spec import load_spec

    old, new = (re.sub(r"(?m)^    ", "", text) for text in (old, new))  # as in SPEC, dedented
    assert old in SPEC
    path = tmp_path / "brochure.yaml"
    path.write_text(SPEC.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(PubkitError) as caught:
        load_spec(path)
    line = caught.value.one_line()
    assert message in line and "\n" not in line and "<" not in line and "object at" not in line, line
    assert caught.value.line is not None and caught.value.file.endswith("brochure.yaml")


def test_a_missing_override_file_is_refused_with_its_key(tmp_path, run):
    root = make_blocks_project(tmp_path)
    (root / "brochures" / "blocks" / "map-ja.png").unlink()
    result = run(root, "build", "brochures/blocks", "--lang", "ja")
    assert result.exit_code == 1
    assert "sections[2].content[1].only.ja.image: image not found: map-ja.png" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (root / "build").exists()


def test_image_paths_are_relative_to_the_brochure_folder_and_the_project_root_still_works(tmp_path, run):
    root = make_blocks_project(tmp_path)
    folder = root / "brochures" / "blocks"
    (root / "assets").mkdir()
    (folder / "photo.png").rename(root / "assets" / "photo.png")  # a project-root path, as older specs have
    spec = folder / "brochure.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("image: photo.png", "image: assets/photo.png"),
                    encoding="utf-8")
    moved = root / "brochures" / "renamed"
    folder.rename(moved)  # a brochure folder can be renamed: its own pictures go with it
    for po in (moved / "translations").glob("*.po"):
        po.write_text(po.read_text(encoding="utf-8").replace("Language: ", "Project-Id-Version: renamed\\n\"\n\"Language: "),
                      encoding="utf-8")
    result = run(root, "build", "brochures/renamed", "--lang", "vi", "--out", "out")
    assert result.exit_code == 0, result.output + result.stderr
    assert (root / "out" / "renamed-vi.pdf").is_file()


def _have_gs() -> bool:
    return has_tool("gs")


@pytest.mark.skipif(not _have_gs(), reason="gs (Debian ghostscript) not installed")
def test_colour_plates_of_inside_pages_are_the_same_in_every_language(blocks_build):
    """Tables, callouts, notes and columns move with the language: their rules and tints are K only, so the
    C, M and Y plates of every inside page match the Vietnamese ones (ja's own map is its one exception)."""
    from support import plates

    root, _ = blocks_build
    separated = {language: plates.separations(root / "out" / f"blocks-{language}.pdf")
                 for language in ("vi", "en", "ja", "ko", "zh")}
    inside = range(1, len(separated["vi"]) - 1)  # covers may differ
    reds = [number for number in inside
            if plates.differing_share(separated["ja"][number]["Magenta"], separated["vi"][number]["Magenta"]) > 0.005]
    assert len(reds) == 1  # the page with the ja map (map-ja.png is red)
    for language, pages in separated.items():
        for number in inside:
            if language == "ja" and number in reds:
                continue
            for plate in ("Cyan", "Magenta", "Yellow"):
                share = plates.differing_share(separated["vi"][number][plate], pages[number][plate])
                assert share <= 0.005, (language, number, plate, share)


def test_the_web_edition_renders_every_block(blocks_build, run):
    root, _ = blocks_build
    result = run(root, "web", "brochures/blocks", "--out", "web")
    assert result.exit_code == 0, result.output + result.stderr
    page = (root / "web" / "ja" / "index.html").read_text(encoding="utf-8")
    assert "<table>" in page and "<th scope=\"col\"" in page and '<ol class="numbered">' in page
    assert "<blockquote" in page and 'class="callout box"' in page and '<div class="columns">' in page
    assert "<h3" in page and "<h4" in page and "日本語ラベル付きの位置図" in page
    assert "85.5" in page and "3,536.4" in page
    vi = (root / "web" / "vi" / "index.html").read_text(encoding="utf-8")
    assert 'alt="Bản đồ tỉnh với các tuyến đường chính"' in vi and "3.536,4" in vi


def test_a_separate_block_gets_its_own_po_entry_and_translation(blocks_build):
    from pubkit.drafts.catalog import CONTEXT_PREFIX, merge
    from pubkit.spec import load_spec
    from pubkit.spec.segments import segments

    root, _ = blocks_build
    brochure = load_spec(root / "brochures" / "blocks" / "brochure.yaml")
    po = polib.POFile()
    merge(po, segments(brochure))
    shared = [entry for entry in po if entry.msgid == "Chế biến nông sản."]
    assert sorted((entry.msgctxt or "") for entry in shared) == ["", "sections[5].content[2]"]
    comments = {entry.msgid: entry.comment for entry in po if entry.msgctxt is None}
    assert f"{CONTEXT_PREFIX} table: unit of column 2, shown in its header" in comments["ha"]
    assert f"{CONTEXT_PREFIX} numbered step 2 of a list" in comments[
        "Nộp hồ sơ đề nghị cấp Giấy chứng nhận đăng ký đầu tư."]
    sources = list(dict.fromkeys(s.text for s in segments(brochure)))
    en = squeeze(pdf_texts(root / "out" / "blocks-en.pdf"))
    index = sources.index("Chế biến nông sản.")
    assert squeeze(translation("en", "", index)) in en and squeeze(translation("en", "", index + 1000)) in en


def test_an_image_taller_than_the_page_is_refused_with_what_to_set(tmp_path, run):
    root = make_blocks_project(tmp_path)
    folder = root / "brochures" / "blocks"
    Image.new("RGB", (1000, 4000), (10, 100, 200)).save(folder / "tall.png", dpi=(300, 300))
    spec = folder / "brochure.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("image: map.png", "image: tall.png"), encoding="utf-8")
    result = run(root, "build", "brochures/blocks", "--lang", "vi", "--draft")
    assert result.exit_code == 1
    line = result.stderr.strip()
    assert "\n" not in line and "object at" not in line
    assert "sections[2].content[1]: the image is " in line and "mm tall" in line and "give it height:" in line


@pytest.mark.parametrize("language, header", [("vi", "Diện tích (ha)"), ("en", "Area (ha)"), ("ko", "면적 (ha)"),
                                              ("ja", "面積（ha）"), ("zh", "面积（ha）")])
def test_a_column_unit_is_bracketed_as_its_language_brackets_it(language, header):
    """Japanese and Chinese take full-width brackets with no space; ASCII ones, set from the Latin font and
    padded to whole ems, printed "面积 / ( 公顷 )" on two lines in the sample's Chinese table."""
    from pubkit.blocks.table import header_text

    name = header.split("（")[0].split(" (")[0]
    assert header_text(name, "ha", language) == header
    assert header_text(name, "", language) == name
