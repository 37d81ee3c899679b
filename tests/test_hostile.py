"""The catalogue of hostile inputs: every case ends in one clear line and an untouched project.

Each case breaks a fresh copy of the mini project the way a user might (hand-edited YAML, text
pasted from Word or old government files, phone photos, PO files handed back, model zips from
elsewhere) and runs the real CLI. Every case must give: a non-zero exit; exactly one line on
stderr, starting ``pubkit: error:`` and naming the file and the place; no traceback; and not a
single file of the project created, changed or deleted.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
import zlib
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from PIL import Image

from pubkit.cli import cli
from support.argos_factory import build_package_dir, zip_package

SPEC = Path("brochures/demo/brochure.yaml")
PO = Path("brochures/demo/translations")


def edit(project: Path, old: str, new: str, path: Path = SPEC) -> None:
    file = project / path
    text = file.read_text(encoding="utf-8")
    assert old in text, old
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def write_bytes(project: Path, data: bytes, path: Path = SPEC) -> None:
    (project / path).write_bytes(data)


def bomb_png() -> bytes:
    """A PNG whose header claims 20,000 × 20,000 pixels (400 megapixels) with almost no data."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 20000, 20000, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def cff_font(path: Path) -> None:
    """A tiny OpenType font with PostScript (CFF) outlines, which ReportLab cannot embed."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.t2CharStringPen import T2CharStringPen

    builder = FontBuilder(1000, isTTF=False)
    builder.setupGlyphOrder([".notdef", "A"])
    builder.setupCharacterMap({ord("A"): "A"})
    pen = T2CharStringPen(500, None)
    pen.moveTo((0, 0)), pen.lineTo((500, 0)), pen.lineTo((250, 700)), pen.closePath()
    builder.setupCFF("Broken", {"FullName": "Broken"}, {".notdef": pen.getCharString(), "A": pen.getCharString()}, {})
    builder.setupHorizontalMetrics({".notdef": (500, 0), "A": (500, 0)})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Broken", "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    builder.save(str(path))


def reviewed_po(project: Path, language: str) -> polib.POFile:
    return polib.pofile(str(project / PO / f"{language}.po"))


# (id, setup(project), CLI args, words the error must contain, exit code: 1 refused input, 2 bad command line)
CASES = []


def case(name: str, *args: str, expect: tuple[str, ...], code: int = 1):
    def register(setup):
        CASES.append(pytest.param(setup, args, expect, code, id=name))
        return setup
    return register


# --- YAML --------------------------------------------------------------------------------------
@case("yaml-syntax-error", "build", expect=("brochure.yaml:2:", "YAML syntax error"))
def _(p): edit(p, 'subtitle: "Tài liệu giới thiệu dành cho nhà đầu tư"', "subtitle: Tài liệu: giới thiệu")


@case("yaml-empty-file", "build", expect=("brochure.yaml", "found nothing"))
def _(p): write_bytes(p, b"")


@case("yaml-list-not-mapping", "build", expect=("brochure.yaml:1", "expected a brochure", "found a list"))
def _(p): write_bytes(p, b"- title: x\n- publisher: y\n")


@case("yaml-wrong-type", "build", expect=("brochure.yaml:6: print_run", "expected a mapping"))
def _(p): edit(p, "print_run: {vi: 2800, en: 500, ja: 200, ko: 200, zh: 100}", 'print_run: "nhiều"')


@case("yaml-misspelt-key", "build", expect=("brochure.yaml:10: sectons", "did you mean 'sections'"))
def _(p): edit(p, "sections:", "sectons:")


@case("yaml-duplicate-key", "build", expect=("brochure.yaml:4:", "'title' is given twice (first on line 1)"))
def _(p): edit(p, 'date: "2018-06-15"', 'title: "Khác"')


@case("yaml-alias-bomb", "build", expect=("brochure.yaml:2", "alias", "write the value out"))
def _(p): write_bytes(p, b'a: &a ["x","x","x","x"]\nb: &b [*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b]\n')


@case("yaml-ten-megabytes", "build", expect=("brochure.yaml", "too large for a spec"))
def _(p): write_bytes(p, b"title: " + b"x" * (10 * 1024 * 1024))


@case("yaml-not-utf8", "build", expect=("brochure.yaml:1", "not UTF-8"))
def _(p): write_bytes(p, b"title: \xff\xfe\xfa broken\n")


@case("yaml-tcvn3-bytes", "build", expect=("brochure.yaml", "TCVN3 (ABC)", "UniKey"))
def _(p): write_bytes(p, "title: \"Th¸i Nguyªn – TiÒm n¨ng ph¸t triÓn\"\n".encode("cp1252"))


@case("yaml-vni-pasted", "build", expect=("brochure.yaml:1", "VNI", "Unicode"))
def _(p): edit(p, "Thái Nguyên – Tiềm năng phát triển", "Thaùi Nguyeân – Tieàm naêng phaùt trieån")


@case("yaml-zero-width-space", "build", expect=("brochure.yaml:13", "U+200B", "delete it"))
def _(p): edit(p, "cách Hà Nội", "cách\u200b Hà Nội")


@case("yaml-control-character", "build", expect=("brochure.yaml:2", "U+0007"))
def _(p): edit(p, "Tài liệu", "Tài\x07 liệu")


@case("yaml-lone-surrogate-escape", "build", expect=("brochure.yaml:2: subtitle", "lone UTF-16 surrogate"))
def _(p): edit(p, 'subtitle: "Tài liệu', 'subtitle: "\\ud800 Tài liệu')


@case("yaml-number-as-text", "build", expect=("figures[0].value", "expected a number"))
def _(p): edit(p, "value: 3536.4", 'value: "3.536,4"')


@case("yaml-unknown-block", "build", expect=("content[1].bulets", "did you mean 'bullets'"))
def _(p): edit(p, "- bullets:", "- bulets:")


@case("yaml-bad-length", "build", expect=("format.bleed", "is not a length"))
def _(p): edit(p, "bleed: 3mm", "bleed: three")


@case("yaml-bad-date", "build", expect=("brochure.yaml:4: date", "is not a date"))
def _(p): edit(p, '"2018-06-15"', '"15/06/2018"')


# --- languages and counts ----------------------------------------------------------------------
@case("lang-unknown-code", "build", expect=("languages[4]", "unknown language 'fr'"))
def _(p): edit(p, "ko, zh]", "ko, fr]")


@case("lang-duplicate", "build", expect=("languages[2]", "listed twice"))
def _(p): edit(p, "[vi, en, ja", "[vi, en, en, ja")


@case("lang-print-run-not-listed", "build", expect=("print_run.th", "unknown language 'th'"))
def _(p): edit(p, "zh: 100}", "zh: 100, th: 5}")


@case("lang-negative-copies", "build", expect=("print_run.en", "-5 copies"))
def _(p): edit(p, "en: 500", "en: -5")


@case("lang-zero-copies", "build", expect=("print_run.en", "0 copies"))
def _(p): edit(p, "en: 500", "en: 0")


@case("lang-fractional-copies", "build", expect=("print_run.en", "whole number"))
def _(p): edit(p, "en: 500", "en: 2.5")


@case("lang-option-not-in-brochure", "build", "--lang", "fr", expect=("brochure.yaml", "no fr edition"))
def _(p): pass


# --- assets ------------------------------------------------------------------------------------
@case("asset-missing-image", "build", expect=("brochure.yaml:9: cover.image", "image not found: assets/cover.png"))
def _(p): (p / "assets" / "cover.png").unlink()


@case("asset-path-outside", "build", expect=("content[2].image", "outside the project"))
def _(p): edit(p, "- image: assets/photo.png", "- image: ../../etc/passwd")


@case("asset-absolute-path", "build", expect=("content[2].image", "outside the project"))
def _(p): edit(p, "- image: assets/photo.png", "- image: /etc/passwd")


@case("asset-corrupt-image", "build", expect=("content[2].image", "photo.png cannot be read"))
def _(p): (p / "assets" / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n this is not an image")


@case("asset-decompression-bomb", "build", expect=("content[2].image", "too large"))
def _(p): (p / "assets" / "photo.png").write_bytes(bomb_png())


@case("asset-72-ppi-image", "build", expect=("demo-ja.pdf fails preflight", "72 ppi"))
def _(p): Image.new("RGB", (142, 95), "green").save(p / "assets" / "photo.png", dpi=(72, 72))


# --- fonts -------------------------------------------------------------------------------------
@case("font-family-name-a-path", "web", expect=("pubkit.toml", "font family name '../../x'", "is not a plain name"))
def _(p):  # it names the web edition's font files: this one wrote outside --out
    text = (p / "pubkit.toml").read_text(encoding="utf-8").replace("[fonts.korean]", '[fonts."../../x"]')
    (p / "pubkit.toml").write_text(text.replace('"korean"', '"../../x"'), encoding="utf-8")


@case("font-missing-file", "build", expect=("Missing-Regular.ttf", "font file not found", "pubkit.toml"))
def _(p): edit(p, "/fonts/BeVietnamPro-Regular.ttf", "/fonts/Missing-Regular.ttf", Path("pubkit.toml"))


@case("font-cff-outlines", "build", expect=("cff.otf", "PostScript (CFF) outlines", "TrueType-outline"))
def _(p):
    cff_font(p / "cff.otf")
    text = (p / "pubkit.toml").read_text(encoding="utf-8")
    regular = text.split('regular = "')[1].split('"')[0]
    edit(p, f'regular = "{regular}"', f'regular = "{p / "cff.otf"}"', Path("pubkit.toml"))


@case("font-without-cmap", "build", expect=("nocmap.ttf", "no 'cmap' table", "replace the file"))
def _(p):
    from fontTools.ttLib import TTFont

    text = (p / "pubkit.toml").read_text(encoding="utf-8")
    regular = text.split('regular = "')[1].split('"')[0]
    font = TTFont(regular)
    del font["cmap"]
    font.save(p / "nocmap.ttf")
    edit(p, f'regular = "{regular}"', f'regular = "{p / "nocmap.ttf"}"', Path("pubkit.toml"))


# (☃ no longer fails: Noto Sans JP has it, and every project font is a fallback; no project font has 𓀀)
@case("font-lacks-character", "build", "--lang", "vi", expect=("'𓀀' (U+13000)", "sections[0].content[0]"))
def _(p): edit(p, "80 km", "80 km 𓀀")


# a translation's character: at its entry in the draft file, where the translator can fix it (it named the spec)
@case("font-lacks-character-of-a-translation", "build", "--lang", "en",
      expect=("translations/en.po:", "sections[0].content[0]", "'𓀀' (U+13000)"))
def _(p): edit(p, "lies about 80 km north", "lies about 80 km 𓀀 north", PO / "en.po")


# --- drafts ------------------------------------------------------------------------------------
@case("po-hand-broken", "build", expect=("ja.po", "not a valid PO file"))
def _(p): (p / PO / "ja.po").write_text('msgid "x"\nmsgstr "y"\nthis line is broken\n', encoding="utf-8")


@case("po-other-brochure", "build", expect=("en.po", "belongs to brochure 'hue-2019'"))
def _(p):
    po = reviewed_po(p, "en")
    po.metadata["Project-Id-Version"] = "hue-2019"
    po.save()


@case("po-other-language", "build", expect=("ja.po", "is for language 'ko'"))
def _(p): (p / PO / "ja.po").write_bytes((p / PO / "ko.po").read_bytes())


@case("po-missing-glossary-term", "build", expect=("en.po", "miss a glossary term", "Thai Nguyen"))
def _(p):
    (p / "glossary.yaml").write_text('terms:\n  "Thái Nguyên": {en: "Thai Nguyen"}\n', encoding="utf-8")
    po = reviewed_po(p, "en")
    for entry in po:
        entry.msgstr = entry.msgstr.replace("Thai Nguyen", "Thainguyen")
    po.save()


@case("po-unreviewed", "build", expect=("zh.po", "not ready", "--draft"))
def _(p):
    po = reviewed_po(p, "zh")
    po[0].flags.append("fuzzy")
    po.save()


# --- models ------------------------------------------------------------------------------------
def _package_zip(p: Path, mutate=None) -> Path:
    source = build_package_dir(p / "src", "vi", "en")
    import shutil
    import zipfile
    archive = p / "model.argosmodel"
    zip_package(source, archive)
    if mutate:
        with zipfile.ZipFile(archive, "a") as out:
            mutate(out, zipfile)
    shutil.rmtree(p / "src")
    return archive


INSTALL = ("models", "install", "model.argosmodel", "--packages", "packages")


@case("model-corrupt-zip", *INSTALL, expect=("model.argosmodel", "not a valid .argosmodel"))
def _(p): (p / "model.argosmodel").write_bytes(b"PK\x03\x04 truncated")


@case("model-dotdot-entry", *INSTALL, expect=("model.argosmodel", "unsafe path", "../evil"))
def _(p): _package_zip(p, lambda z, zipfile: z.writestr("../evil", "x"))


@case("model-absolute-entry", *INSTALL, expect=("model.argosmodel", "unsafe path", "/etc/evil"))
def _(p): _package_zip(p, lambda z, zipfile: z.writestr("/etc/evil", "x"))


def _symlink(z, zipfile):
    info = zipfile.ZipInfo("translate-vi_en-1_0/link")
    info.external_attr = 0o120777 << 16
    z.writestr(info, "/etc/passwd")


@case("model-symlink-entry", *INSTALL, expect=("model.argosmodel", "link or special file"))
def _(p): _package_zip(p, _symlink)


@case("model-missing-metadata", *INSTALL, expect=("model.argosmodel", "no metadata.json"))
def _(p):
    import zipfile
    source = build_package_dir(p / "src", "vi", "en")
    (source / "metadata.json").unlink()
    with zipfile.ZipFile(p / "model.argosmodel", "w") as out:
        for file in sorted(source.rglob("*")):
            out.write(file, f"{source.name}/{file.relative_to(source)}")
    import shutil
    shutil.rmtree(p / "src")


@case("model-lying-metadata", *INSTALL, expect=("metadata.json", "not valid JSON"))
def _(p):
    import shutil
    source = build_package_dir(p / "src", "vi", "en")
    (source / "metadata.json").write_text('{"from_code": "vi", "to_code": ', encoding="utf-8")
    zip_package(source, p / "model.argosmodel")
    shutil.rmtree(p / "src")


@case("model-not-installed", "translate", "--packages", "packages", expect=("packages", "no model installed for vi→ja"))
def _(p): (p / PO / "ja.po").unlink()


# --- project and output ------------------------------------------------------------------------
@case("output-is-a-file", "build", "--out", "out.txt", expect=("--out", "out.txt", "is a file"), code=2)
def _(p): (p / "out.txt").write_text("not a folder")


@case("output-empty-name", "build", "--out", "", expect=("--out", "give a folder name"), code=2)
def _(p): pass  # it wrote into the working folder


@case("output-among-the-drafts", "proof", "brochures/demo", "--lang", "en", "--out", "brochures/demo/translations",
      expect=("brochures/demo/translations", "the brochure's own folder or its drafts folder"))
def _(p): pass


@case("output-in-the-brochure-folder", "build", "--out", "brochures/demo",
      expect=("brochures/demo", "the brochure's own folder or its drafts folder"))
def _(p): pass


@case("output-not-writable", "build", "--lang", "vi", "--out", "/proc/pubkit-out",
      expect=("/proc", "cannot write here", "--out"))
def _(p): pass  # /proc refuses new folders even to root, like a read-only share


@case("config-broken-toml", "build", expect=("pubkit.toml", "TOML syntax error"))
def _(p): edit(p, "[project]", "[project", Path("pubkit.toml"))


@case("config-unknown-setting", "build", expect=("pubkit.toml:5: project.outptu", "did you mean 'output'"))
def _(p): edit(p, "output = ", "outptu = ", Path("pubkit.toml"))


@case("config-wrong-type", "status", expect=("pubkit.toml", "languages.vi.fonts", "expected a list"))
def _(p): edit(p, 'fonts = ["vietnamese"]', 'fonts = "vietnamese"', Path("pubkit.toml"))


# --- found by misuse: command lines, paths, environment ----------------------------------------
@case("yaml-nested-200-deep", "build", expect=("brochure.yaml:1", "nested more than"))
def _(p): write_bytes(p, b"title: " + b"[" * 200 + b"]" * 200 + b"\n")


@case("yaml-nested-200-deep-status", "status", expect=("brochure.yaml:1", "nested more than"))
def _(p): write_bytes(p, b"title: " + b"[" * 200 + b"\n")


@case("lang-print-run-absurd", "build", expect=("print_run.en", "at most 10,000,000"))
def _(p): edit(p, "en: 500", "en: 100000000000000000000000000000")


@case("model-damaged-deflate", *INSTALL, expect=("model.argosmodel", "damaged", "download it again"))
def _(p):
    archive = _package_zip(p)
    data = bytearray(archive.read_bytes())
    start = data.find(b"model.bin") + len(b"model.bin")  # the local header's name, then the deflate stream
    data[start + 20:start + 60] = bytes(40)
    archive.write_bytes(bytes(data))


@case("model-folder-of-another-pair", *INSTALL, expect=("model.argosmodel", "already holds the vi→en package"))
def _(p):
    import shutil
    installed = build_package_dir(p / "packages", "vi", "en")
    source = build_package_dir(p / "src", "en", "ja")
    source = source.rename(p / "src" / installed.name)  # an en→ja package unpacking to the vi→en folder
    zip_package(source, p / "model.argosmodel")
    shutil.rmtree(p / "src")


@case("path-symlink-loop-folder", "build", "brochures/loop", expect=("brochures/loop", "symbolic link", "loops"))
def _(p): (p / "brochures" / "loop").symlink_to("loop")


@case("path-symlink-loop-no-arguments", "status", expect=("brochures/loop", "symbolic link", "loops"))
def _(p): (p / "brochures" / "loop").symlink_to("loop")


@case("path-symlink-loop-spec", "build", "brochures/demo/brochure.yaml",
      expect=("brochure.yaml", "symbolic link", "loops"))
def _(p):
    spec = p / SPEC
    spec.rename(spec.with_name("real.yaml"))
    spec.symlink_to("brochure.yaml")


@case("path-po-file-given-to-build", "build", "brochures/demo/translations/en.po",
      expect=("en.po", "translation draft, not a brochure"))
def _(p): pass


@case("path-pdf-given-to-preview", "preview", "brochures/demo/old.pdf", expect=("old.pdf", "built PDF, not a brochure"))
def _(p): (p / "brochures" / "demo" / "old.pdf").write_bytes(b"%PDF-1.7\n")


@case("asset-image-is-a-folder", "build", expect=("content[2].image", "is a folder, not an image"))
def _(p):
    (p / "assets" / "photo.png").unlink()
    (p / "assets" / "photo.png").mkdir()


@case("yaml-no-sections", "build", expect=("brochure.yaml:10: sections", "no sections"))
def _(p):
    text = (p / SPEC).read_text(encoding="utf-8")
    start, end = text.index("sections:"), text.index("back_cover:")
    (p / SPEC).write_text(text[:start] + "sections: []\n" + text[end:], encoding="utf-8")


@case("yaml-section-without-content", "build", expect=("brochure.yaml:21: sections[1]", "has no content",
                                                      "heading would stand alone", "remove the section"))
def _(p):
    edit(p, "back_cover:", '  - heading: "Liên hệ đầu tư"\n    content: []\nback_cover:')


@case("po-file-is-a-folder", "status", expect=("ko.po", "cannot read this draft file", "remove it"))
def _(p):
    (p / PO / "ko.po").unlink()
    (p / PO / "ko.po").mkdir()


@case("path-folder-name-unusable", "build", "brochures/my demo", expect=("my demo", "cannot name output files"))
def _(p): (p / "brochures" / "demo").rename(p / "brochures" / "my demo")


def snapshot(root: Path) -> dict[str, str]:
    return {str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(root.rglob("*")) if path.is_file()}


def assert_refused(project: Path, monkeypatch, args, expect, code: int = 1, env=None) -> None:
    """One ``pubkit: error:`` line holding every word of ``expect``, the exit code, and the project untouched."""
    before = snapshot(project)
    monkeypatch.chdir(project)
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False, env=env)
    assert result.exit_code == code, (result.exit_code, result.output)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("pubkit: error: "), result.stderr
    assert "Traceback" not in result.output
    for words in expect:
        assert words in lines[0], (words, lines[0])
    assert snapshot(project) == before


@pytest.mark.parametrize("setup, args, expect, code", CASES)
def test_hostile_input(project, monkeypatch, setup, args, expect, code):
    setup(project)
    assert_refused(project, monkeypatch, args, expect, code)


@pytest.mark.parametrize("epoch", ["not-a-number", "99999999999999999", "-1e9"])
def test_bad_source_date_epoch_is_named(project, monkeypatch, epoch):
    assert_refused(project, monkeypatch, ["build", "--lang", "vi"], ("SOURCE_DATE_EPOCH", "seconds since 1970"),
                   env={"SOURCE_DATE_EPOCH": epoch})


def test_the_catalogue_is_large_enough():
    assert len(CASES) >= 40


# --- misuse that must work, and work right -----------------------------------------------------
def test_build_from_inside_the_brochure_folder_names_files_after_it(project, run):
    result = run(project / "brochures" / "demo", "build", ".", "--lang", "vi")
    assert result.exit_code == 0, result.output
    assert (project / "build" / "demo" / "demo-vi.pdf").is_file()
    assert not list((project / "build").glob("-*.pdf")) and not (project / "build" / "-vi.pdf").exists()


def test_build_of_the_parent_folder_writes_nothing_into_the_project_root(project, run):
    before = {path.name for path in project.iterdir()}
    result = run(project / "brochures" / "demo" / "translations", "build", "..", "--lang", "vi")
    assert result.exit_code == 0, result.output
    assert {path.name for path in project.iterdir()} == before | {"build"}
    assert (project / "build" / "demo" / "demo-vi.pdf").is_file()


def test_a_partial_build_leaves_an_order_that_lists_every_print_pdf_in_the_folder(project, run):
    import csv
    import json

    assert run(project, "build", "--lang", "VI,en").exit_code == 0  # comma-separated, any case, as users type it
    result = run(project, "build", "--lang", "en")
    assert result.exit_code == 0, result.output
    folder = project / "build" / "demo"
    pdfs = sorted(path.name for path in folder.glob("*.pdf"))
    rows = list(csv.DictReader((folder / "print-order.csv").open(encoding="utf-8")))
    assert sorted(row["file"] for row in rows[:-1]) == pdfs == ["demo-en.pdf", "demo-vi.pdf"]
    assert rows[-1]["copies"] == "3300"
    assert sorted(entry["file"] for entry in json.loads((folder / "preflight.json").read_text())) == pdfs
    assert "print order: 3,300 copies" in result.output


def test_a_partial_build_warns_when_an_edition_left_in_the_folder_is_stale(project, run):
    from PIL import Image

    assert run(project, "build", "--lang", "vi,en").exit_code == 0
    # an input of every edition changes (its content: a file only touched is the same input)
    Image.new("RGB", (600, 400), (140, 40, 90)).save(project / "assets" / "photo.png", dpi=(300, 300))
    result = run(project, "build", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "demo-vi.pdf was built from older inputs" in result.stderr
    folder = project / "build" / "demo"
    assert f"rebuild it (`pubkit build {project / 'brochures' / 'demo'} --lang vi --out {folder}`)" in result.stderr


def _order_files(folder: Path) -> list[str]:
    import csv

    return sorted(row["file"] for row in csv.DictReader((folder / "print-order.csv").open(encoding="utf-8"))
                  if row["file"] != "TOTAL")


def test_a_copied_or_touched_edition_stays_in_the_print_order_of_a_partial_build(project, run):
    """Its time moved but not its bytes (``cp -r``, rsync, ``touch``): the order went on without it, silently."""
    assert run(project, "build", "--lang", "vi,en").exit_code == 0
    folder = project / "build" / "demo"
    os.utime(folder / "demo-vi.pdf", (1_000_000_000, 1_000_000_000))
    result = run(project, "build", "--lang", "en")
    assert result.exit_code == 0 and "demo-vi" not in result.stderr, result.output
    assert _order_files(folder) == ["demo-en.pdf", "demo-vi.pdf"]
    assert json.loads((folder / ".pubkit-build.json").read_text())["vi"]["file"][1] == \
        (folder / "demo-vi.pdf").stat().st_mtime_ns  # the record took the new time


def test_a_print_pdf_left_out_of_the_print_order_is_named(project, run):
    """An edition's PDF edited by hand, and one whose language is now a draft: both stay in the folder, and the
    build says they are not in the order, and how to rebuild them."""
    assert run(project, "build", "--lang", "vi,en").exit_code == 0
    folder = project / "build" / "demo"
    with (folder / "demo-vi.pdf").open("ab") as pdf:
        pdf.write(b"% touched up by hand\n")
    result = run(project, "build", "--lang", "en")
    assert result.exit_code == 0 and _order_files(folder) == ["demo-en.pdf"]
    spec = project / "brochures" / "demo"
    assert (f"demo-vi.pdf is in {folder} but not in the print order (it changed after pubkit wrote it); delete it, "
            f"or rebuild it (`pubkit build {spec} --lang vi --out {folder}`) before printing") in result.stderr
    po = spec / "translations" / "en.po"
    catalog = polib.pofile(str(po))
    catalog[0].flags.append("fuzzy")
    catalog.save()
    result = run(project, "build", "--lang", "en", "--draft")
    assert result.exit_code == 0 and (folder / "demo-en-DRAFT.pdf").is_file()
    assert f"demo-en.pdf is in {folder} but not in the print order (its edition is a draft now)" in result.stderr


def test_status_into_a_closed_pipe_exits_quietly(project):
    import os
    import subprocess
    import sys

    reader, writer = os.pipe()
    os.close(reader)
    done = subprocess.run([sys.executable, "-m", "pubkit", "status"], cwd=project, stdout=writer,
                          stderr=subprocess.PIPE, timeout=120)
    os.close(writer)
    assert done.returncode == 141 and done.stderr == b""


@pytest.mark.parametrize("after", [0.0, 0.3, 0.6, 0.9])
def test_ctrl_c_during_a_build_is_one_line_and_writes_nothing(project, tmp_path, after):
    """Ctrl-C at several moments of a first build with an empty cache: while fonts are parsed and pictures
    converted beside the content keys, while the editions are measured beside the pictures, and later.
    Each ends at once with one line, whichever pools are open (a pool's stopped workers once left
    another pool's queue writer blocked, and the build never ended)."""
    import os
    import signal
    import subprocess
    import sys
    import time

    # Ctrl-C as in a terminal, even when the test run itself was started in the background (a shell
    # starts background jobs with SIGINT ignored, and a child inherits that)
    process = subprocess.Popen([sys.executable, "-m", "pubkit", "build"], cwd=project, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, start_new_session=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
                               env=dict(os.environ, PUBKIT_JOBS="2",  # workers even on a busy machine
                                        PUBKIT_CACHE_DIR=str(tmp_path / "cache")))
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    deadline = time.monotonic() + 60
    while not children.read_text().split() and time.monotonic() < deadline:  # workers at work
        time.sleep(0.01)
    time.sleep(after)
    os.killpg(process.pid, signal.SIGINT)  # as the terminal sends it: to the whole process group
    try:
        _, err = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail(f"the build did not end within 60 s of Ctrl-C {after} s after its first worker")
    if process.returncode == 0:
        pytest.skip(f"the build ended before Ctrl-C {after} s after its first worker")
    assert process.returncode == 130
    assert err.decode().splitlines() == ["pubkit: interrupted; files already written are complete, "
                                         "nothing is half-written"]
    assert not (project / "build").exists()


def test_a_build_record_of_the_wrong_shape_is_ignored_and_rebuilt(project, run):
    folder = project / "build" / "demo"
    folder.mkdir(parents=True)
    (folder / ".pubkit-build.json").write_text('{"vi": ["not", "an", "entry"], "en": 3}', encoding="utf-8")
    result = run(project, "build", "--lang", "vi")
    assert result.exit_code == 0, result.output
    assert "unchanged" not in result.output and (folder / "demo-vi.pdf").is_file()


def test_the_build_cache_key_changes_with_the_pdf_libraries(project, monkeypatch, tmp_path):
    """An upgrade (or a reinstall) rewrites a library's files: another size or time of reportlab's module file
    makes new keys, and the original gives the original key back."""
    import importlib.machinery
    import importlib.util

    from pubkit.commands import build_cache

    def key():
        build_cache.code_fingerprint.cache_clear()
        return build_cache.edition_key([project / SPEC], [], profile=b"", language="vi", draft=False, brochure_id="demo")

    before = key()
    installed = tmp_path / "__init__.py"
    installed.write_text("version = 1\n")
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *args: importlib.machinery.ModuleSpec(
        name, None, origin=str(installed)) if name == "reportlab" else real(name, *args))
    upgraded = key()
    installed.write_text("version = 22\n")
    assert len({before, upgraded, key()}) == 3
    monkeypatch.setattr(importlib.util, "find_spec", real)
    assert key() == before


def test_status_exit_codes_tell_not_ready_from_error(project, run):
    po = reviewed_po(project, "zh")
    po[0].flags.append("fuzzy")
    po.save()
    assert run(project, "status").exit_code == 3
    edit(project, "sections:", "sectons:")
    assert run(project, "status").exit_code == 1


def test_models_list_works_outside_any_project(tmp_path, run):
    build_package_dir(tmp_path / "packages", "vi", "en")
    result = run(tmp_path, "models", "list", "--packages", "packages")
    assert result.exit_code == 0, result.output
    assert "vi→en" in result.output and "vi→ja: not reachable" in result.output


def test_one_copy_is_not_one_copies(project, run):
    edit(project, "en: 500", "en: 1")
    result = run(project, "build", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "1 copy " in result.output and "1 copies" not in result.output


def test_text_the_segment_list_misses_is_refused_not_printed_in_vietnamese(project, run, monkeypatch):
    from pubkit.commands import build as build_command

    real = build_command.segments
    monkeypatch.setattr(build_command, "segments",
                        lambda brochure: [s for s in real(brochure) if s.path != "sections[0].content[0]"])
    edit(project, "khoảng 80 km", "khoảng 81 km")  # this paragraph now has no reviewed translation
    result = run(project, "build", "--lang", "en")
    assert result.exit_code == 1
    assert "no en translation for “Thái Nguyên cách Hà Nội khoảng 81 km" in result.stderr
    assert not (project / "build").exists()


def test_every_block_kind_has_a_segment_rule():
    from pubkit.blocks import Kind, paragraph
    from pubkit.spec.segments import block_segments

    with pytest.raises(TypeError, match="does not list its segments"):  # a kind without its text cannot be made
        Kind("x", paragraph.Paragraph, None, paragraph.resolve, paragraph.Resolved, "blocks/paragraph.html",
             flow=paragraph.flow)

    class Unknown:
        pass

    with pytest.raises(TypeError, match="no block kind registered for block type Unknown"):
        list(block_segments(Unknown(), "here"))


def test_two_brochures_with_one_id_in_one_command_are_refused(project, run):
    """Both would write build/demo/demo-*.pdf: the second build's files replaced the first's, and the report
    listed both as built."""
    import shutil

    other = project / "more" / "demo"
    shutil.copytree(project / "brochures" / "demo", other)
    result = run(project, "build", "brochures/demo", "more/demo")
    assert result.exit_code == 1 and "two brochures have the id 'demo'" in result.stderr
    assert len(result.stderr.splitlines()) == 1 and not (project / "build").exists()
    assert run(project, "build", "brochures/demo", "brochures/demo/brochure.yaml", "--lang", "vi").exit_code == 0


@pytest.mark.parametrize("failing", [".print-order.csv.", ".demo-vi.pdf."])
def test_a_full_disk_while_the_folder_is_written_leaves_it_as_it_was(project, run, monkeypatch, failing):
    """The disk fills while the build writes its folder (a PDF, or the print order after every PDF): one line
    naming the file, exit 1, and the folder as the last build left it, its files and print order agreeing."""
    from pubkit import files

    assert run(project, "build", "brochures/demo", "--out", "out").exit_code == 0
    before = {path.name: path.read_bytes() for path in (project / "out").iterdir()}
    spec = project / "brochures" / "demo" / "brochure.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("vi: 2800", "vi: 2900"), encoding="utf-8")
    real_fdopen = files.os.fdopen

    def fdopen(fd, mode):
        if os.path.basename(os.readlink(f"/proc/self/fd/{fd}")).startswith(failing):
            os.close(fd)
            raise OSError(28, "No space left on device")
        return real_fdopen(fd, mode)

    monkeypatch.setattr(files.os, "fdopen", fdopen)
    result = run(project, "build", "brochures/demo", "--out", "out")
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1, result.output
    assert f"cannot write {failing.strip('.')}: the disk is full" in result.output
    assert {path.name: path.read_bytes() for path in (project / "out").iterdir()} == before
    monkeypatch.undo()
    assert run(project, "build", "brochures/demo", "--out", "out").exit_code == 0
    rows = [line.split(",") for line in (project / "out" / "print-order.csv").read_text(encoding="utf-8").splitlines()]
    assert [row[7] for row in rows if row[0] == "demo-vi.pdf"] == ["2900"]


def test_a_print_pdf_of_a_language_left_out_of_the_spec_is_named_at_every_build(project, run):
    """The warning suggested `--lang zh` for a language the spec no longer has, and the next build said
    nothing (the build record had dropped the edition): found by the files' names now."""
    assert run(project, "build", "--lang", "vi,zh").exit_code == 0
    folder = project / "build" / "demo"
    spec = project / "brochures" / "demo" / "brochure.yaml"
    text = spec.read_text(encoding="utf-8").replace("ja, ko, zh]", "ja, ko]").replace(", zh: 100}", "}")
    spec.write_text(text, encoding="utf-8")
    for _ in range(2):
        result = run(project, "build", "--lang", "vi")
        assert result.exit_code == 0, result.output
        assert (f"demo-zh.pdf is in {folder} but not in the print order (its language is no longer in the spec); "
                "delete it before printing") in result.stderr
        assert "--lang zh" not in result.stderr
