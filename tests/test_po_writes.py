"""PO files that stay the translator's: minimal-diff writes, conventional headers, references, POT, msgctxt.

gettext's msgfmt and msgcat are the outside tools where installed (skipped otherwise);
translate-toolkit, when installed, reads every file pubkit writes as an independent reader.
"""

from __future__ import annotations

import difflib
import subprocess
from pathlib import Path

import polib
import pytest

from conftest import has_tool
from pubkit.drafts import EntryState, read_catalog, update_catalog
from pubkit.drafts.catalog import STALE_MT_NOTE
from pubkit.spec.segments import Segment
from pubkit.translate.memory import FUZZY_THRESHOLD, Memory
from pubkit.interchange.tmx import MemoryUnit
from pubkit.translate.protect import Glossary, mask, restore

PO = Path("brochures/demo/translations")
needs_msgfmt = pytest.mark.skipif(not has_tool("msgfmt"), reason="msgfmt (Debian gettext) not installed")
needs_msgcat = pytest.mark.skipif(not has_tool("msgcat"), reason="msgcat (Debian gettext) not installed")
NO_PACKAGES = ("--packages", "no-packages")


def msgfmt_check(path: Path) -> None:
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):  # gettext 0.21 refuses a BOM; the rest must pass
        plain = path.with_suffix(".nobom.po")
        plain.write_bytes(data[3:])
        path = plain
    result = subprocess.run(["msgfmt", "-c", "--check-format", "-o", "/dev/null", str(path)], capture_output=True)
    assert result.returncode == 0, result.stderr.decode()


def changed_lines(before: bytes, after: bytes) -> list[str]:
    return [line for line in difflib.unified_diff(before.decode("utf-8-sig").splitlines(),
                                                  after.decode("utf-8-sig").splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def spec_edit(project: Path, old: str, new: str) -> None:
    spec = project / "brochures" / "demo" / "brochure.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


@pytest.fixture
def written(project, run):
    """The demo after one translate run: pubkit's own files, every language reviewed."""
    assert run(project, "translate", *NO_PACKAGES).exit_code == 0
    return project


@needs_msgcat
def test_a_rewrapped_crlf_bom_file_keeps_its_form_and_an_edit_changes_only_its_entry(written, run):
    ja = written / PO / "ja.po"
    subprocess.run(["msgcat", "--width=40", "-o", str(ja), str(ja)], check=True)  # a translator's tool re-wraps
    text = ja.read_text(encoding="utf-8").replace('"Language: ja\\n"', '"Language: ja_JP\\n"')
    original = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")
    ja.write_bytes(original)
    stamp = ja.stat().st_mtime_ns
    assert run(written, "translate", *NO_PACKAGES).exit_code == 0
    assert ja.read_bytes() == original and ja.stat().st_mtime_ns == stamp  # a no-op run leaves bytes and mtime
    assert run(written, "status").exit_code == 0
    spec_edit(written, "Hồ Núi Cốc", "Hồ Núi Cốc xanh")
    result = run(written, "translate", *NO_PACKAGES)
    assert result.exit_code == 0, result.output
    after = ja.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf") and after.count(b"\n") == after.count(b"\r\n")
    assert '"Language: ja_JP\\r' in after.decode("utf-8") or '"Language: ja_JP\\n"\r\n' in after.decode("utf-8")
    diff = changed_lines(original, after)
    # the edited entry (new fuzzy entry + the old one made obsolete) and PO-Revision-Date; nothing re-wrapped
    assert len(diff) <= 16, "\n".join(diff)
    assert all("Hồ Núi Cốc" in line or "ヌイコック湖" in line or "Revision-Date" in line or line[1:].startswith("#")
               or line[1:].strip() in ("", 'msgstr ""') for line in diff), "\n".join(diff)
    entry = read_catalog(ja, "ja", "demo").entries["Hồ Núi Cốc xanh"]
    assert entry.previous_msgid == "Hồ Núi Cốc" and entry.msgstr == "ヌイコック湖" and "fuzzy" in entry.flags


def test_headers_references_and_template(written, run, monkeypatch):
    ja = written / PO / "ja.po"
    po = polib.pofile(str(ja))
    assert po.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
    assert polib.pofile(str(written / PO / "en.po")).metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert po.metadata["PO-Revision-Date"] and po.metadata["POT-Creation-Date"]
    assert po.find("Vị trí địa lý").occurrences == [("brochure.yaml", "11")]
    pot = polib.pofile(str(written / PO / "demo.pot"))
    assert [e.msgid for e in pot] == [e.msgid for e in po if not e.obsolete] and not any(e.msgstr for e in pot)
    assert pot.metadata["POT-Creation-Date"] == po.metadata["POT-Creation-Date"]
    stamps = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in (written / PO).iterdir()}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1893456000")  # 2030-01-01: a later run must not move dates by itself
    assert run(written, "translate", *NO_PACKAGES).exit_code == 0
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in (written / PO).iterdir()} == stamps
    spec_edit(written, "Liên hệ", "Liên hệ chung")
    assert run(written, "translate", *NO_PACKAGES).exit_code == 0
    assert polib.pofile(str(ja)).metadata["PO-Revision-Date"] == "2030-01-01 00:00+0000"
    assert polib.pofile(str(written / PO / "demo.pot")).metadata["POT-Creation-Date"] == "2030-01-01 00:00+0000"


@needs_msgfmt
def test_msgfmt_checks_every_file_pubkit_writes(written, run):
    spec_edit(written, "Liên hệ", "Liên hệ chung")
    assert run(written, "translate", *NO_PACKAGES).exit_code == 0
    for path in (written / PO).iterdir():
        if path.suffix == ".po":
            msgfmt_check(path)
    subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(written / PO / "demo.pot")], check=True,
                   capture_output=True)


def test_translate_toolkit_reads_what_pubkit_writes(written, run):
    factory = pytest.importorskip("translate.storage.factory", reason="translate-toolkit not installed")
    spec_edit(written, "Hồ Núi Cốc", "Hồ Núi Cốc xanh")
    assert run(written, "translate", *NO_PACKAGES).exit_code == 0
    ja = written / PO / "ja.po"
    store = factory.getobject(str(ja))
    units = {u.source: u for u in store.units if not u.isheader() and not u.isobsolete()}
    ours = {e.msgid: e for e in polib.pofile(str(ja)) if not e.obsolete}
    assert set(units) == set(ours)
    for source, entry in ours.items():
        assert units[source].target == entry.msgstr and units[source].isfuzzy() == ("fuzzy" in entry.flags)
    assert units["Hồ Núi Cốc xanh"].prev_source == "Hồ Núi Cốc"


def test_a_translators_context_entry_is_kept_and_used_for_its_place(written, run):
    ja = written / PO / "ja.po"
    ja.write_bytes(ja.read_bytes() + 'msgctxt "back_cover.heading"\nmsgid "Liên hệ"\nmsgstr "連絡先"\n'.encode())
    catalog = read_catalog(ja, "ja", "demo")
    assert catalog.translation("Liên hệ", include_unreviewed=False) == "お問い合わせ"
    assert catalog.translation("Liên hệ", include_unreviewed=False, path="back_cover.heading") == "連絡先"
    assert run(written, "translate", *NO_PACKAGES).exit_code == 0
    text = ja.read_text(encoding="utf-8")  # kept, active, placed after its source, with its reference
    assert ('#. back_cover.heading\n#: brochure.yaml:22\nmsgid "Liên hệ"\nmsgstr "お問い合わせ"\n\n'
            '#: brochure.yaml:22\nmsgctxt "back_cover.heading"\nmsgid "Liên hệ"\nmsgstr "連絡先"') in text


def test_an_edit_with_no_models_goes_stale_and_machine_translation_is_said_to_be_skipped(project, run):
    ja = project / PO / "ja.po"
    po = polib.pofile(str(ja))
    entry = po.find("Hồ Núi Cốc")
    entry.flags.append("fuzzy")
    entry.comment = "pubkit: machine translation, route en→ja"  # an unreviewed machine draft
    po.save()
    spec_edit(project, "Hồ Núi Cốc", "Hồ Núi Cốc mùa thu")
    result = run(project, "translate", *NO_PACKAGES)
    assert result.exit_code == 0, result.output
    assert "machine translation skipped" in result.stderr and "translate-en_en" not in result.output
    edited = read_catalog(ja, "ja", "demo").entries["Hồ Núi Cốc mùa thu"]
    assert edited.previous_msgid == "Hồ Núi Cốc" and edited.msgstr == "ヌイコック湖" and "fuzzy" in edited.flags
    assert STALE_MT_NOTE in edited.comment and "pubkit: machine translation, route en→ja" in edited.comment
    # a reviewed edit needs no model and says nothing
    spec_edit(project, "Liên hệ", "Liên hệ chung")
    assert "route" not in run(project, "translate", *NO_PACKAGES).stderr.replace("skipped", "")


def test_no_model_for_english_names_only_the_direct_package(project, run):
    (project / PO / "en.po").unlink()
    result = run(project, "translate", "--lang", "en", *NO_PACKAGES)
    assert result.exit_code == 1 and "translate-vi_en" in result.stderr and "translate-en_en" not in result.stderr


def test_protection_notes_list_everything_and_flag_repeats_and_strays():
    masked = mask("Số liệu ⟦0⟧ năm 2018, xem http://www.thainguyen.gov.vn/tin-tuc/dau-tu/2018 hoặc "
                  "lien.he.dau.tu@thainguyen.gov.vn", Glossary(), "en")
    assert masked.originals[0] == "⟦0⟧"  # text that looks like a placeholder is protected as itself
    result = restore("Figures ⟦0⟧ ⟦1⟧ ⟦1⟧ ⟦9⟧", masked)
    assert result.lost == ["http://www.thainguyen.gov.vn/tin-tuc/dau-tu/2018", "lien.he.dau.tu@thainguyen.gov.vn"]
    assert result.repeated == ["2018"] and result.stray == ["⟦9⟧"]
    assert result.text == "Figures ⟦0⟧ 2018 2018 ⟦9⟧"


def test_check_notes_go_when_the_entry_is_reviewed_and_are_never_cut(tmp_path):
    path = tmp_path / "ja.po"
    segs = [Segment("a", "title"), Segment("b", "subtitle")]
    update_catalog(path, "ja", "demo", segs)
    po = polib.pofile(str(path))
    long = "pubkit: check: protected items lost in MT: " + ", ".join(f"http://example.vn/{i}" * 3 for i in range(4))
    for entry in po:
        entry.msgstr, entry.flags, entry.comment = "訳", ["fuzzy"], entry.comment + "\n" + long
    po[0].flags = []  # "a" reviewed by the translator
    po.wrapwidth = 0  # as pubkit writes notes: never wrapped (polib would split the line)
    po.save()
    catalog = update_catalog(path, "ja", "demo", segs)
    assert "check:" not in catalog.entries["a"].comment
    assert long in catalog.entries["b"].comment.splitlines()  # whole, on one line
    assert long in path.read_text(encoding="utf-8")


def test_memory_offers_exact_and_fuzzy_matches_with_their_score():
    memory = Memory([MemoryUnit("Tỉnh có sáu khu công nghiệp lớn.", "六つの工業団地", "ja", "a.po"),
                     MemoryUnit("Hồ Núi Cốc", "ヌイコック湖", "ja", "b.tmx")])
    text, note = memory.match("Hồ Núi Cốc")
    assert text == "ヌイコック湖" and "exact match" in note and "b.tmx" in note
    text, note = memory.match("Tỉnh có bảy khu công nghiệp lớn.")
    assert text == "六つの工業団地" and "pubkit: check:" in note and "% match" in note
    score = int(note.split("memory, ")[1].split("%")[0])
    assert FUZZY_THRESHOLD * 100 <= score < 100
    assert memory.match("Một câu hoàn toàn khác.") is None


def test_translate_prefills_from_memory_before_any_model(project, run):
    spec_edit(project, "Hồ Núi Cốc", "Hồ Núi Cốc đẹp")  # no old entry is alike enough to be its previous version?
    po = polib.pofile(str(project / PO / "ja.po"))
    po.find("Hồ Núi Cốc").msgstr = ""  # make the old one untranslated: no inheritance, memory must serve
    po.save()
    other = project / "brochures" / "other"
    (other / "translations").mkdir(parents=True)
    (other / "brochure.yaml").write_text(
        'title: "Hồ Núi Cốc đẹp lắm"\npublisher: "P"\nlanguages: [vi, ja]\nprint_run: {vi: 1, ja: 1}\n'
        'sections:\n  - heading: "H"\n    content: ["x"]\n', encoding="utf-8")
    from conftest import write_po
    write_po(other / "translations" / "ja.po", "ja", [("Hồ Núi Cốc đẹp lắm", "とても美しいヌイコック湖"), ("P", "P"),
                                                      ("H", "H"), ("x", "x")])
    result = run(project, "translate", "brochures/demo", "--lang", "ja", *NO_PACKAGES)
    assert result.exit_code == 0, result.output
    entry = read_catalog(project / PO / "ja.po", "ja", "demo").entries["Hồ Núi Cốc đẹp"]
    assert entry.msgstr == "とても美しいヌイコック湖" and "fuzzy" in entry.flags
    assert "% match with “Hồ Núi Cốc đẹp lắm”" in entry.comment and "brochures/other" in entry.comment


def test_a_source_edited_twice_before_review_keeps_the_source_its_translation_was_made_for(written, run):
    """The translator diffs the previous source (#|) against the new one: after two edits it must be the
    source the reviewed translation was made for, or the first edit goes to print unseen (msgmerge keeps it)."""
    spec_edit(written, "Liên hệ", "Liên hệ chung")
    assert run(written, "translate", *NO_PACKAGES).exit_code == 0
    spec_edit(written, "Liên hệ chung", "Liên hệ chung nhất")
    assert run(written, "translate", *NO_PACKAGES).exit_code == 0
    entry = read_catalog(written / PO / "en.po", "en", "demo").entries["Liên hệ chung nhất"]
    assert entry.previous_msgid == "Liên hệ" and "fuzzy" in entry.flags and entry.msgstr == "Contact"


def test_a_translators_note_after_the_last_entry_is_kept(written, run):
    """A comment after the last entry belongs to no entry: polib dropped it, and with it every write rewrote the
    whole file. A run that changes nothing leaves the file alone; one that changes an entry keeps the note."""
    en = written / PO / "en.po"
    note = "# Lan: every term here was agreed with the editor on 3 May; do not change them.\n"
    en.write_bytes(en.read_bytes() + b"\n" + note.encode())
    before = en.read_bytes()
    result = run(written, "translate", *NO_PACKAGES)
    assert result.exit_code == 0, result.output
    assert en.read_bytes() == before
    spec_edit(written, "Liên hệ", "Liên hệ chung")
    result = run(written, "translate", *NO_PACKAGES)
    assert result.exit_code == 0, result.output + result.stderr
    after = en.read_bytes()
    assert after.decode().endswith("\n" + note) and "Liên hệ chung" in after.decode()
    assert changed_lines(before, after) and all("Lan:" not in line for line in changed_lines(before, after))
    if has_tool("msgfmt"):
        msgfmt_check(en)


def test_a_bom_file_is_read_and_kept(project, run):
    ja = project / PO / "ja.po"
    data = b"\xef\xbb\xbf" + ja.read_bytes()
    ja.write_bytes(data)
    assert run(project, "status").exit_code == 0
    assert read_catalog(ja, "ja").state("Liên hệ") is EntryState.REVIEWED


def test_nfc_composes_around_cjk_compatibility_ideographs_and_keeps_them():
    import unicodedata

    from pubkit.normalize import nfc

    written = "\ufa19奈川 Vie\u0323\u0302t \U0002f800"  # 神 (compatibility form), decomposed Việt, 丽
    assert nfc(written) == "\ufa19奈川 Vi\u1ec7t \U0002f800"
    assert unicodedata.normalize("NFC", written) != nfc(written)  # plain NFC replaces both ideographs
    assert nfc("Việt") == "Việt" and nfc("") == ""


def test_a_compatibility_ideograph_a_translator_chose_survives_a_run_and_prints(project, run):
    """U+FA19 is the older form of 神 used in registered names: NFC would replace it with U+795E,
    in an entry pubkit did not even change."""
    from conftest import pdf_text

    ja = project / PO / "ja.po"
    po = polib.pofile(str(ja))
    po.find("Liên hệ").msgstr = "\ufa19奈川県庁へのお問い合わせ"
    po.save()
    spec_edit(project, "Hồ Núi Cốc", "Hồ Núi Cốc mùa thu")  # an edit elsewhere: the file is written again
    assert run(project, "translate", *NO_PACKAGES).exit_code == 0
    assert 'msgstr "\ufa19奈川県庁へのお問い合わせ"' in ja.read_text(encoding="utf-8")
    po = polib.pofile(str(ja))
    po.find("Hồ Núi Cốc mùa thu").flags.remove("fuzzy")  # reviewed, so the edition prints
    po.save()
    assert run(project, "build", "--lang", "ja", "--out", "out").exit_code == 0
    text = pdf_text(project / "out" / "demo-ja.pdf")
    assert "\ufa19奈川県庁" in text and "\u795e奈川" not in text
