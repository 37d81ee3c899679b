"""The catalogue of hostile inputs: every case ends in one clear line and an untouched project.

Each case breaks a fresh copy of the mini project the way a user might (hand-edited YAML, text
pasted from Word or old government files, phone photos, PO files handed back, model zips from
elsewhere) and runs the real CLI. Every case must give: a non-zero exit; exactly one line on
stderr, starting ``pubkit: error:`` and naming the file and the place; no traceback; and not a
single file of the project created, changed or deleted.
"""

from __future__ import annotations

import hashlib
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


# (id, setup(project) -> extra CLI args or None, CLI args, words the error must contain)
CASES = []


def case(name: str, *args: str, expect: tuple[str, ...]):
    def register(setup):
        CASES.append(pytest.param(setup, args, expect, id=name))
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
@case("asset-missing-image", "build", expect=("brochure.yaml:9: cover.image", "image not found: cover.png"))
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
@case("font-missing-file", "build", expect=("Missing-Regular.ttf", "font file not found", "pubkit.toml"))
def _(p): edit(p, "/fonts/BeVietnamPro-Regular.ttf", "/fonts/Missing-Regular.ttf", Path("pubkit.toml"))


@case("font-cff-outlines", "build", expect=("cff.otf", "PostScript (CFF) outlines", "TrueType-outline"))
def _(p):
    cff_font(p / "cff.otf")
    text = (p / "pubkit.toml").read_text(encoding="utf-8")
    regular = text.split('regular = "')[1].split('"')[0]
    edit(p, f'regular = "{regular}"', f'regular = "{p / "cff.otf"}"', Path("pubkit.toml"))


@case("font-lacks-character", "build", "--lang", "vi", expect=("'☃' (U+2603)", "sections[0].content[0]"))
def _(p): edit(p, "80 km", "80 km ☃")


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
@case("output-is-a-file", "build", "--out", "out.txt", expect=("--out", "out.txt", "is a file"))
def _(p): (p / "out.txt").write_text("not a folder")


@case("output-not-writable", "build", "--lang", "vi", "--out", "/proc/pubkit-out",
      expect=("/proc", "cannot write here", "--out"))
def _(p): pass  # /proc refuses new folders even to root, like a read-only share


@case("config-broken-toml", "build", expect=("pubkit.toml", "TOML syntax error"))
def _(p): edit(p, "[project]", "[project", Path("pubkit.toml"))


def snapshot(root: Path) -> dict[str, str]:
    return {str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(root.rglob("*")) if path.is_file()}


@pytest.mark.parametrize("setup, args, expect", CASES)
def test_hostile_input(project, monkeypatch, setup, args, expect):
    setup(project)
    before = snapshot(project)
    monkeypatch.chdir(project)
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code != 0
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("pubkit: error: "), result.stderr
    assert "Traceback" not in result.output
    for words in expect:
        assert words in lines[0], (words, lines[0])
    assert snapshot(project) == before


def test_the_catalogue_is_large_enough():
    assert len(CASES) >= 40
