"""pubkit build on a small real project: PDFs, print boxes, fonts, text, the review gate, the print order."""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import unicodedata

import polib
import pytest
from pypdf import PdfReader

from conftest import TRANSLATIONS, has_tool, pdf_text, write_po

MM = 72 / 25.4
LANGUAGES = ["vi", "en", "ja", "ko", "zh"]


def fonts_of(reader: PdfReader):
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            yield font.get_object()


def test_five_editions_and_print_order(built):
    for language in LANGUAGES:
        assert (built / f"demo-{language}.pdf").is_file()
    order = json.loads((built / "print-order.json").read_text(encoding="utf-8"))
    assert [e["language"] for e in order["editions"]] == LANGUAGES
    assert [e["copies"] for e in order["editions"]] == [2800, 500, 200, 200, 100]
    assert order["total_copies"] == 3800
    rows = list(csv.DictReader((built / "print-order.csv").open(encoding="utf-8")))
    assert rows[-1]["file"] == "TOTAL" and rows[-1]["copies"] == "3800"
    for row, edition in zip(rows, order["editions"]):
        pdf = built / row["file"]
        assert int(row["pages"]) == len(PdfReader(pdf).pages)
        assert int(row["pages"]) % 4 == 0  # saddle stitch
        assert row["sha256"] == hashlib.sha256(pdf.read_bytes()).hexdigest() == edition["sha256"]
        assert (row["trim"], row["binding"], row["paper"]) == ("A5", "saddle-stitch", "Couché 150 gsm")


def test_boxes_bleed_and_media(built):
    for language in LANGUAGES:
        for page in PdfReader(built / f"demo-{language}.pdf").pages:
            trim = [float(v) for v in page.trimbox]
            bleed = [float(v) for v in page.bleedbox]
            media = [float(v) for v in page.mediabox]
            assert trim[2] - trim[0] == pytest.approx(148 * MM, abs=0.01)
            assert trim[3] - trim[1] == pytest.approx(210 * MM, abs=0.01)
            assert bleed[0] == pytest.approx(trim[0] - 3 * MM) and bleed[3] == pytest.approx(trim[3] + 3 * MM)
            assert media[0] <= bleed[0] - 5 * MM and media[2] >= bleed[2] + 5 * MM  # room for crop marks


def test_every_font_is_embedded_and_none_is_a_base14(built):
    for language in LANGUAGES:
        names = set()
        for font in fonts_of(PdfReader(built / f"demo-{language}.pdf")):
            descriptor = font["/FontDescriptor"]
            assert "/FontFile2" in descriptor, font["/BaseFont"]
            names.add(str(font["/BaseFont"]))
        assert not any("Helvetica" in name or "Times" in name for name in names)
        expected = {"vi": "BeVietnamPro", "en": "BeVietnamPro", "ja": "NotoSansJP", "ko": "NotoSansKR",
                    "zh": "NotoSansSC"}[language]
        assert any(expected in name for name in names), names


def test_text_round_trips_through_the_pdf(built):
    vi = pdf_text(built / "demo-vi.pdf")
    assert "Thái Nguyên – Tiềm năng phát triển" in unicodedata.normalize("NFC", vi)
    assert "3.536,4" in vi and "3,536.4" in pdf_text(built / "demo-en.pdf")
    for language in ("en", "ja", "ko", "zh"):
        text = pdf_text(built / f"demo-{language}.pdf").replace("\n", "")
        assert TRANSLATIONS[language][4].replace(" ", "")[:12] in text.replace(" ", ""), language


@pytest.mark.skipif(not has_tool("pdftotext"), reason="pdftotext (Debian poppler-utils) not installed")
def test_pdftotext_returns_the_title_in_nfc(built):
    text = subprocess.run(["pdftotext", str(built / "demo-vi.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    title = "Thái Nguyên – Tiềm năng phát triển và Cơ hội đầu tư"
    assert title in text.replace("\n", " ")
    assert unicodedata.is_normalized("NFC", text)


def test_nfd_spec_builds_byte_identical_pdf(project, run):
    spec = project / "brochures" / "demo" / "brochure.yaml"
    assert run(project, "build", "--lang", "vi", "--out", "nfc").exit_code == 0
    spec.write_text(unicodedata.normalize("NFD", spec.read_text(encoding="utf-8")), encoding="utf-8")
    assert run(project, "build", "--lang", "vi", "--out", "nfd").exit_code == 0
    assert (project / "nfc" / "demo-vi.pdf").read_bytes() == (project / "nfd" / "demo-vi.pdf").read_bytes()


def test_missing_glyph_fails_and_names_the_character(project, run):
    spec = project / "brochures" / "demo" / "brochure.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("80 km", "80 km 𓀀"), encoding="utf-8")
    result = run(project, "build", "--lang", "vi", "--out", "out")
    assert result.exit_code == 1
    assert "'𓀀' (U+13000)" in result.output and "sections[0].content[0]" in result.output
    assert "Traceback" not in result.output
    assert not (project / "out").exists()


def test_unreviewed_language_is_refused_with_its_segments(project, run):
    po = project / "brochures" / "demo" / "translations" / "ja.po"
    from pubkit.drafts import read_catalog
    pairs = [(source, entry.msgstr) for source, entry in read_catalog(po, "ja").entries.items()]
    write_po(po, "ja", pairs[:1], fuzzy=True)  # the title is unreviewed
    with po.open("a", encoding="utf-8") as out:  # the rest reviewed, except the last two: missing
        out.write("".join(f'\nmsgid "{s}"\nmsgstr "{t}"\n' for s, t in pairs[1:-2]))
    result = run(project, "build", "--out", "out")
    assert result.exit_code == 1
    assert "ja edition is not ready: 3 segments not reviewed (2 missing, 1 unreviewed)" in result.output
    assert "title" in result.output and "ja.po" in result.output and "--draft" in result.output
    assert not (project / "out").exists()  # nothing half-built


def test_draft_build_marks_every_page_and_leaves_it_out_of_the_order(project, run):
    po = project / "brochures" / "demo" / "translations" / "ko.po"
    catalog = polib.pofile(str(po))
    for entry in catalog:
        entry.flags.append("fuzzy")
    catalog.save()
    result = run(project, "build", "--draft", "--out", "out")
    assert result.exit_code == 0, result.output
    draft = project / "out" / "demo-ko-DRAFT.pdf"
    reader = PdfReader(draft)
    assert all("DRAFT – not for print" in page.extract_text() for page in reader.pages)
    assert "DRAFT" not in pdf_text(project / "out" / "demo-en.pdf")
    order = json.loads((project / "out" / "print-order.json").read_text(encoding="utf-8"))
    assert "ko" not in [e["language"] for e in order["editions"]]
    assert order["total_copies"] == 3800 - 200 and order["drafts_not_for_print"] == ["demo-ko-DRAFT.pdf"]


def test_unknown_language_option_is_a_clear_error(project, run):
    result = run(project, "build", "--lang", "fr")
    assert result.exit_code == 1 and "no fr edition" in result.output and "use one of: vi, en" in result.output


def test_missing_image_names_the_key(project, run):
    (project / "assets" / "cover.png").unlink()
    result = run(project, "build", "--lang", "vi")
    assert result.exit_code == 1
    assert "image not found" in result.output and "cover.image" in result.output


def test_image_outside_project_is_refused(project, run):
    spec = project / "brochures" / "demo" / "brochure.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("- image: assets/photo.png", "- image: ../../etc/passwd"),
                    encoding="utf-8")
    result = run(project, "build", "--lang", "vi")
    assert result.exit_code == 1 and "outside the project" in result.output


def test_cli_errors_are_one_line_without_traceback(project):
    spec = project / "brochures" / "demo" / "brochure.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("sections:", "sectons:"), encoding="utf-8")
    done = subprocess.run(["python", "-m", "pubkit", "build"], cwd=project, capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "brochure.yaml:" in done.stderr and "did you mean 'sections'" in done.stderr


def test_more_pages_than_max_pages_is_an_error_naming_the_edition(project, run):
    spec = project / "brochures" / "demo" / "brochure.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace('paper: "Couché 150 gsm"}',
                                                             'paper: "Couché 150 gsm", max_pages: 2}'), encoding="utf-8")
    result = run(project, "build", "--lang", "vi", "--out", "out")
    assert result.exit_code == 1
    assert "the vi edition has 4 pages, more than max_pages 2" in result.output and "format.max_pages" in result.output
    assert not (project / "out").exists()


def test_unchanged_editions_come_from_the_cache_and_one_edit_rebuilds_one_edition(project, monkeypatch):
    from pubkit import content
    from pubkit.commands.build import build
    from pubkit.project import load_project
    from pubkit.typeset import edition

    build(load_project(project), out=project / "out")
    before = {p.name: p.read_bytes() for p in (project / "out").glob("*.pdf")}
    laid_out: list[str] = []
    real_typeset = edition.typeset

    def recording(job):
        laid_out.append(job.language)
        return real_typeset(job)

    monkeypatch.setattr(edition, "typeset", recording)
    monkeypatch.setattr("os.cpu_count", lambda: 1)  # in-process, so the recording sees every layout
    reports = build(load_project(project), out=project / "out")
    assert laid_out == [] and all(e.cached for e in reports[0].editions)
    po = project / "brochures" / "demo" / "translations" / "ja.po"
    catalog = polib.pofile(str(po))
    catalog[3].msgstr = "地理的な位置"
    catalog.save()
    resolved: list[str] = []
    real_resolve = content.resolve
    monkeypatch.setattr(content, "resolve", lambda project, files, code, *rest: resolved.append(code) or
                        real_resolve(project, files, code, *rest))
    reports = build(load_project(project), out=project / "out")
    assert laid_out == ["ja"]
    assert resolved == ["ja"]  # the other languages' files are as they were: their texts are not read again
    assert [e.language for e in reports[0].editions if not e.cached] == ["ja"]
    after = {p.name: p.read_bytes() for p in (project / "out").glob("*.pdf")}
    assert {n for n in before if before[n] != after[n]} == {"demo-ja.pdf"}


@pytest.mark.skipif(not has_tool("qpdf"), reason="qpdf (Debian qpdf) not installed")
def test_qpdf_finds_every_edition_structurally_sound(built):
    for language in LANGUAGES:
        done = subprocess.run(["qpdf", "--check", str(built / f"demo-{language}.pdf")], capture_output=True,
                              text=True)
        assert done.returncode == 0 and "No syntax or stream encoding errors found" in done.stdout, done.stdout


@pytest.mark.skipif(not has_tool("gs"), reason="gs (Debian ghostscript) not installed")
def test_ghostscript_renders_every_edition_without_a_complaint(built):
    for language in LANGUAGES:
        done = subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=nullpage",
                               str(built / f"demo-{language}.pdf")], capture_output=True, text=True)
        assert done.returncode == 0 and done.stdout == "" and done.stderr == "", (language, done.stdout, done.stderr)


@pytest.mark.skipif(not has_tool("pdfinfo"), reason="pdfinfo (Debian poppler-utils) not installed")
def test_poppler_sees_pdfx4_and_the_boxes(built):
    for language in LANGUAGES:
        info = subprocess.run(["pdfinfo", "-box", str(built / f"demo-{language}.pdf")], capture_output=True,
                              text=True).stdout
        assert "PDF subtype:    PDF/X-4" in info
        boxes = {line.split(":")[0]: [float(v) for v in line.split(":")[1].split()]
                 for line in info.splitlines() if line.endswith(tuple("0123456789")) and "Box:" in line}
        trim, bleed = boxes["TrimBox"], boxes["BleedBox"]
        assert trim[2] - trim[0] == pytest.approx(148 * MM, abs=0.01)  # A5
        assert trim[3] - trim[1] == pytest.approx(210 * MM, abs=0.01)
        assert trim[0] - bleed[0] == pytest.approx(3 * MM, abs=0.01)


def test_a_build_reads_its_folders_record_with_the_folder_locked(project, monkeypatch):
    """From reading the folder's record to writing it, a build holds the folder: a second build into it
    (another --lang) waits, then starts from what the first wrote, so its print order never names the
    first one's older files."""
    import fcntl
    import os

    from pubkit.commands import build as build_module
    from pubkit.project import load_project

    seen = []
    real_load = build_module.build_cache.load

    def load(folder):
        handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            seen.append("free")
        except BlockingIOError:
            seen.append("locked")
        finally:
            os.close(handle)
        return real_load(folder)

    monkeypatch.setattr(build_module.build_cache, "load", load)
    for languages in (("vi", "en"), ("vi", "ko")):
        build_module.build(load_project(project), (project / "brochures" / "demo",), languages, out=project / "out")
    assert seen == ["locked", "locked"]


@pytest.mark.parametrize("edited", ["pubkit.toml", "brochures/demo/brochure.yaml", "brochures/demo/translations/ja.po"])
def test_an_input_edited_while_the_build_runs_stops_it_before_anything_is_written(project, monkeypatch, edited):
    """Read at one moment and fingerprinted at another, an edit in between was recorded as built: the PDFs
    held the old settings or text, their record the new file, and every later build reused them."""
    from pubkit.commands import build as build_module
    from pubkit.errors import PubkitError
    from pubkit.project import load_project

    loaded = load_project(project)
    real_plan = build_module._page_plan

    def plan_then_edit(*args, **kwargs):
        path = project / edited
        path.write_bytes(path.read_bytes() + b"\n# edited during the build\n")
        return real_plan(*args, **kwargs)

    monkeypatch.setattr(build_module, "_page_plan", plan_then_edit)
    with pytest.raises(PubkitError) as caught:
        build_module.build(loaded, (project / "brochures" / "demo",), out=project / "out")
    assert "changed while the build ran" in caught.value.one_line() and edited.split("/")[-1] in caught.value.one_line()
    assert not (project / "out").exists()
    monkeypatch.setattr(build_module, "_page_plan", real_plan)
    [report] = build_module.build(load_project(project), (project / "brochures" / "demo",), out=project / "out")
    assert len(report.editions) == 5
