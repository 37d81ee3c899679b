"""pubkit translate on tiny, random-weight Argos packages built by the tests: the pipeline is real."""

from __future__ import annotations

import shutil
import socket
import subprocess
import zipfile
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import has_tool
from pubkit.commands.status import status
from pubkit.commands.translate import translate
from pubkit.errors import PubkitError
from pubkit.project import load_project
from pubkit.translate.engine import Engine
from pubkit.translate.packages import install, installed
from pubkit.translate.protect import Glossary, mask, unmask
from pubkit.translate.sentences import split_sentences
from support.argos_factory import DEFAULT_VOCAB_LINES, build_package_dir, zip_package


def _in_japanese_fonts(line: str) -> bool:
    """Lines whose ideographs Japanese fonts have (JIS), so random ja output stays printable."""
    return all(char.encode("cp932", "ignore") or not "\u4e00" <= char <= "\u9fff" for char in line)


@pytest.fixture(scope="session")
def packages(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("argos-packages")
    build_package_dir(folder, "vi", "en")
    build_package_dir(folder, "en", "ja", vocab_lines=[line for line in DEFAULT_VOCAB_LINES if _in_japanese_fonts(line)])
    return folder


@pytest.fixture
def drafting(project, packages):
    """The mini project with ja and zh to be drafted (their PO files removed) and zh dropped from the spec."""
    spec = project / "brochures" / "demo" / "brochure.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace(", zh]", "]").replace(", zh: 100}", "}"),
                    encoding="utf-8")
    (project / "brochures" / "demo" / "translations" / "ja.po").unlink()
    (project / "brochures" / "demo" / "translations" / "zh.po").unlink()
    return project


def po_entries(path: Path) -> dict[str, polib.POEntry]:
    return {entry.msgid: entry for entry in polib.pofile(str(path)) if not entry.obsolete}


def test_batched_translation_equals_one_by_one(packages):
    engine = Engine(installed(packages)[0])
    segments = [split_sentences(t) for t in ("Thái Nguyên cách Hà Nội 80 km. Tỉnh có 6 khu công nghiệp.",
                                             "Chè Tân Cương nổi tiếng.", "Xin chào.")]
    batched = engine.translate(segments)
    assert engine.calls == 1
    assert batched == [engine.translate([segment])[0] for segment in segments]
    assert all(batched) and batched == engine.translate(segments)  # deterministic


def test_translate_drafts_fuzzy_entries_through_the_pivot_and_status_reports(drafting, packages):
    project = load_project(drafting)
    reports = translate(project, packages_dir=packages)
    assert [(r.language, r.translated) for r in reports[0].languages] == [("en", 0), ("ja", 11), ("ko", 0)]
    ja = po_entries(drafting / "brochures" / "demo" / "translations" / "ja.po")
    assert all("fuzzy" in e.flags and e.msgstr for e in ja.values())
    # en is reviewed, so ja is translated from the reviewed English: one hop
    assert all("route en→ja" in e.comment and "packages translate-en_ja-1.0" in e.comment for e in ja.values())
    rows = {row.language: row for row in status(project)[0][1]}
    assert rows["ja"].machine_only == 11 and not rows["ja"].ready and rows["en"].ready


def test_pivot_chains_when_english_is_not_reviewed(drafting, packages):
    en = drafting / "brochures" / "demo" / "translations" / "en.po"
    catalog = polib.pofile(str(en))
    catalog[3].flags.append("fuzzy")  # "Vị trí địa lý" no longer reviewed in English
    catalog.save()
    translate(load_project(drafting), languages=("ja",), packages_dir=packages)
    ja = po_entries(drafting / "brochures" / "demo" / "translations" / "ja.po")
    assert "route vi→en→ja" in ja["Vị trí địa lý"].comment
    assert "translate-vi_en-1.0, translate-en_ja-1.0" in ja["Vị trí địa lý"].comment
    assert "route en→ja" in ja["Liên hệ"].comment


def test_second_run_makes_no_model_calls_and_keeps_reviewed_entries(drafting, packages):
    project = load_project(drafting)
    translate(project, packages_dir=packages)
    ja_path = drafting / "brochures" / "demo" / "translations" / "ja.po"
    catalog = polib.pofile(str(ja_path))
    for entry in catalog[:5]:
        entry.flags.remove("fuzzy")
        entry.msgstr = "査読済み " + entry.msgstr
    catalog.save()
    reviewed = {e.msgid: e.msgstr for e in catalog[:5]}
    before = ja_path.read_bytes()
    report = translate(project, packages_dir=packages)
    assert report[0].model_calls == 0
    after = po_entries(ja_path)
    assert {source: after[source].msgstr for source in reviewed} == reviewed
    # the review made the "pubkit: check:" notes of the reviewed entries obsolete: that run dropped them
    # (and nothing else); from then on a run with nothing changed writes nothing
    assert not any("pubkit: check:" in after[source].comment for source in reviewed)
    before = ja_path.read_bytes()
    assert translate(project, packages_dir=packages)[0].model_calls == 0
    assert ja_path.read_bytes() == before


def test_a_second_run_after_machine_drafting_changes_no_byte(drafting, packages):
    """The drafts keep their context notes through machine translation: the next run has nothing to put back."""
    project = load_project(drafting)
    translate(project, packages_dir=packages)
    ja_path = drafting / "brochures" / "demo" / "translations" / "ja.po"
    drafted = ja_path.read_bytes()
    assert "pubkit: context: image caption" in drafted.decode("utf-8")
    translate(project, packages_dir=packages)
    assert ja_path.read_bytes() == drafted


def test_missing_model_says_what_to_install(drafting, tmp_path):
    with pytest.raises(PubkitError) as caught:
        translate(load_project(drafting), languages=("ja",), packages_dir=tmp_path)
    assert "no model installed for vi→ja" in caught.value.problem
    assert "translate-vi_ja" in caught.value.fix and "pubkit models install" in caught.value.fix


def test_build_refuses_drafts_and_builds_them_with_draft_flag(drafting, packages, run):
    translate(load_project(drafting), packages_dir=packages)
    refused = run(drafting, "build", "--lang", "ja", "--out", "out")
    assert refused.exit_code == 1 and "ja edition is not ready" in refused.output
    drafted = run(drafting, "build", "--lang", "ja", "--draft", "--out", "out")
    assert drafted.exit_code == 0, drafted.output
    assert (drafting / "out" / "demo-ja-DRAFT.pdf").is_file()


def test_changed_source_goes_fuzzy_with_previous_msgid_and_others_stay(drafting, packages):
    project = load_project(drafting)
    spec = drafting / "brochures" / "demo" / "brochure.yaml"
    old = "Thái Nguyên cách Hà Nội khoảng 80 km về phía bắc."
    new = "Thái Nguyên cách Hà Nội khoảng 75 km về phía bắc."
    en_path = drafting / "brochures" / "demo" / "translations" / "en.po"
    before = po_entries(en_path)
    spec.write_text(spec.read_text(encoding="utf-8").replace(old, new)
                    .replace('- "Thái Nguyên cách', '- "Đoạn mới hoàn toàn khác."\n      - "Thái Nguyên cách'),
                    encoding="utf-8")
    translate(project, languages=("en",), packages_dir=packages)
    after = po_entries(en_path)
    changed = after[new]
    assert "fuzzy" in changed.flags and changed.previous_msgid == old
    assert changed.msgstr == before[old].msgstr  # the old translation is the starting point
    assert "fuzzy" in after["Đoạn mới hoàn toàn khác."].flags  # the inserted paragraph: a machine draft
    for source, entry in before.items():
        if source != old:
            assert after[source].msgstr == entry.msgstr and "fuzzy" not in after[source].flags
    obsolete = [e for e in polib.pofile(str(en_path)) if e.obsolete]
    assert [e.msgid for e in obsolete] == [old]  # kept, not deleted


def test_a_translators_rewrite_of_a_stale_machine_draft_is_never_translated_over(drafting, packages, tmp_path):
    """An edited source inherits its old machine draft, marked for the model to redo. A translator who
    rewrites that draft (and leaves it unreviewed) makes it theirs: the next run with a model keeps it,
    and redoes only the draft nobody touched."""
    project = load_project(drafting)
    translate(project, packages_dir=packages)
    spec = drafting / "brochures" / "demo" / "brochure.yaml"
    edits = {"Thái Nguyên cách Hà Nội khoảng 80 km về phía bắc.": "Thái Nguyên cách Hà Nội khoảng 75 km về phía bắc.",
             "Đường cao tốc Hà Nội – Thái Nguyên.": "Đường cao tốc Hà Nội – Thái Nguyên mới."}
    text = spec.read_text(encoding="utf-8")
    for old, new in edits.items():
        text = text.replace(old, new)
    spec.write_text(text, encoding="utf-8")
    (tmp_path / "no-models").mkdir()
    translate(project, languages=("ja",), packages_dir=tmp_path / "no-models")  # the stale drafts are written
    ja_path = drafting / "brochures" / "demo" / "translations" / "ja.po"
    catalog = polib.pofile(str(ja_path))
    rewritten, untouched = (catalog.find(new) for new in edits.values())
    assert all("machine draft of the previous source" in e.comment and "fuzzy" in e.flags for e in (rewritten, untouched))
    rewritten.msgstr = "タイグエン省はハノイの北約75キロにあります。"  # the translator's words, still unreviewed
    catalog.save()  # by polib, which wraps long comment lines at 78 columns: the note must survive that
    translate(project, languages=("ja",), packages_dir=packages)
    after = po_entries(ja_path)
    kept = after[rewritten.msgid]
    assert kept.msgstr == "タイグエン省はハノイの北約75キロにあります。" and "fuzzy" in kept.flags
    assert "machine draft of the previous source" not in kept.comment, kept.comment
    redone = after[untouched.msgid]  # the model's draft of the new source, with its place's context note kept
    assert "machine draft of the previous source" not in redone.comment
    assert redone.comment.splitlines()[:3] == ["sections[0].content[1].bullets[0]", "pubkit: context: list item 1 of 1",
                                               "pubkit: machine translation, route vi→en→ja"]


def test_translation_memory_prefills_from_other_brochures(drafting, packages):
    other = drafting / "brochures" / "other"
    other.mkdir()
    (other / "brochure.yaml").write_text(
        'title: "Liên hệ"\npublisher: "Ủy ban nhân dân tỉnh Thái Nguyên"\nlanguages: [vi, ja]\n'
        "print_run: {vi: 1, ja: 1}\nsections:\n  - heading: \"Liên hệ\"\n    content: [\"Liên hệ\"]\n",
        encoding="utf-8")  # (the spec now refuses a brochure with no sections)
    project = load_project(drafting)
    # demo's ja drafts are machine output; review "Liên hệ" there, then draft the other brochure
    translate(project, paths=(drafting / "brochures" / "demo",), packages_dir=packages)
    demo_ja = drafting / "brochures" / "demo" / "translations" / "ja.po"
    catalog = polib.pofile(str(demo_ja))
    for entry in catalog:
        if entry.msgid == "Liên hệ":
            entry.flags.remove("fuzzy")
            entry.msgstr = "お問い合わせ"
    catalog.save()
    translate(project, paths=(other,), packages_dir=packages)
    prefilled = po_entries(other / "translations" / "ja.po")["Liên hệ"]
    assert prefilled.msgstr == "お問い合わせ" and "fuzzy" in prefilled.flags
    assert "translation memory" in prefilled.comment


def test_protection_masks_and_restores_in_target_format():
    glossary = Glossary({"Thái Nguyên": {"en": "Thai Nguyen", "ja": "タイグエン"}}, ["Samsung"])
    masked = mask("Thái Nguyên có Samsung, diện tích 3.536,4 km², năm 2018, xem http://www.thainguyen.gov.vn.",
                  glossary, "en")
    assert "Thái" not in masked.text and "3.536" not in masked.text and "http" not in masked.text
    restored, lost = unmask(masked.text, masked)
    assert restored == "Thai Nguyen có Samsung, diện tích 3,536.4 km², năm 2018, xem http://www.thainguyen.gov.vn."
    assert lost == []
    _, lost = unmask(masked.text.replace("⟦2⟧", ""), masked)
    assert lost == ["3.536,4"]
    from_english = mask("Thai Nguyen covers 3,536.4 km².", glossary, "ja", source="en")
    assert unmask(from_english.text, from_english)[0] == "タイグエン covers 3,536.4 km²."


def test_lost_protected_items_are_flagged_in_the_draft(drafting, packages):
    translate(load_project(drafting), languages=("ja",), packages_dir=packages)
    entry = po_entries(drafting / "brochures" / "demo" / "translations" / "ja.po")[
        "Thái Nguyên cách Hà Nội khoảng 80 km về phía bắc."]
    # the English source it came from holds "80"; random weights do not keep the placeholder
    assert ("80" in entry.msgstr) != ("protected items lost in MT: 80" in entry.comment)


def test_sentence_splitting_respects_abbreviations_and_decimals():
    assert split_sentences("TP. Thái Nguyên có vốn 2,234 tỷ USD. TS. Lan phát biểu, v.v. Hết.") == [
        "TP. Thái Nguyên có vốn 2,234 tỷ USD.", "TS. Lan phát biểu, v.v.", "Hết."]
    assert split_sentences("Mr. Smith arrived at 3.5 p.m. He left.") == ["Mr. Smith arrived at 3.5 p.m.", "He left."]


def test_no_network_during_translate(drafting, packages, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    translate(load_project(drafting), packages_dir=packages)


@pytest.mark.skipif(not has_tool("msgfmt"), reason="msgfmt (Debian gettext) not installed")
def test_msgfmt_accepts_written_drafts(drafting, packages):
    translate(load_project(drafting), packages_dir=packages)
    for po in (drafting / "brochures" / "demo" / "translations").glob("*.po"):
        subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)], check=True, capture_output=True)


# --- installing packages ----------------------------------------------------------------------

def test_install_validates_and_installs_atomically(packages, tmp_path):
    archive = zip_package(packages / "translate-vi_en-1_0", tmp_path / "vi_en.argosmodel")
    package = install(archive, tmp_path / "installed")
    assert (package.from_code, package.to_code, package.version) == ("vi", "en", "1.0")
    assert [p.name for p in installed(tmp_path / "installed")] == ["translate-vi_en-1.0"]
    assert not [p for p in (tmp_path / "installed").iterdir() if p.name.startswith(".")]


def hostile(tmp_path: Path, packages: Path, mutate) -> Path:
    archive = tmp_path / "hostile.argosmodel"
    source = packages / "translate-vi_en-1_0"
    with zipfile.ZipFile(archive, "w") as out:
        for path in sorted(source.rglob("*")):
            if path.is_file():
                out.write(path, f"translate-vi_en-1_0/{path.relative_to(source)}")
        mutate(out)
    return archive


@pytest.mark.parametrize("mutate, message", [
    (lambda z: z.writestr("../evil.txt", "x"), "unsafe path"),
    (lambda z: z.writestr("/etc/evil", "x"), "unsafe path"),
    (lambda z: z.writestr("other-top/file", "x"), "exactly one top folder"),
    (lambda z: z.writestr(_symlink("translate-vi_en-1_0/link"), "/etc/passwd"), "link or special file"),
])
def test_hostile_packages_are_refused_and_nothing_is_extracted(packages, tmp_path, mutate, message):
    target = tmp_path / "installed"
    with pytest.raises(PubkitError) as caught:
        install(hostile(tmp_path, packages, mutate), target)
    assert message in caught.value.problem
    assert not target.exists() or not any(target.iterdir())


def _symlink(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = (0o120777 << 16)
    return info


def test_corrupt_and_lying_packages_are_refused(packages, tmp_path):
    corrupt = tmp_path / "corrupt.argosmodel"
    corrupt.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(PubkitError, match="not a valid .argosmodel"):
        install(corrupt, tmp_path / "installed")
    source = packages / "translate-vi_en-1_0"
    broken = tmp_path / "broken-meta"
    shutil.copytree(source, broken / source.name)
    (broken / source.name / "metadata.json").write_text('{"from_code": "vi"}')
    with pytest.raises(PubkitError, match="no valid 'to_code'"):
        install(zip_package(broken / source.name, tmp_path / "b.argosmodel"), tmp_path / "installed")
    with pytest.raises(PubkitError, match="translates vi→en, not vi→ja"):
        install(zip_package(source, tmp_path / "ok.argosmodel"), tmp_path / "installed", expect=("vi", "ja"))


# --- the property: no reviewed translation is ever lost or altered -------------------------------

EDITS = st.lists(st.tuples(st.sampled_from(["edit", "insert", "delete", "review", "translate"]),
                           st.integers(0, 5)), min_size=1, max_size=8)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(EDITS)
def test_reviewed_translations_survive_any_sequence(drafting, packages, steps):
    project = load_project(drafting)
    spec = drafting / "brochures" / "demo" / "brochure.yaml"
    original_spec = spec.read_text(encoding="utf-8")
    ja = drafting / "brochures" / "demo" / "translations" / "ja.po"
    paragraphs = ["Đoạn văn thứ nhất về tỉnh.", "Đoạn văn thứ hai về chè.", "Đoạn văn thứ ba về hồ."]
    reviewed: dict[str, str] = {}
    try:
        for action, index in steps:
            if action == "edit" and paragraphs:
                i = index % len(paragraphs)
                paragraphs[i] = paragraphs[i].replace(".", " mới.")
            elif action == "insert":
                paragraphs.insert(index % (len(paragraphs) + 1), f"Đoạn chèn số {index} {len(paragraphs)}.")
            elif action == "delete" and paragraphs:
                paragraphs.pop(index % len(paragraphs))
            elif action == "review" and ja.exists():
                catalog = polib.pofile(str(ja))
                active = [e for e in catalog if not e.obsolete and e.msgstr]
                if active:
                    entry = active[index % len(active)]
                    entry.msgstr = f"査読{index}:{entry.msgstr[:10]}"
                    if "fuzzy" in entry.flags:
                        entry.flags.remove("fuzzy")
                    catalog.save()
                    reviewed[entry.msgid] = entry.msgstr
            content = "".join(f'\n      - "{p}"' for p in paragraphs)
            spec.write_text(original_spec.replace("    content:", "    content:" + content, 1), encoding="utf-8")
            translate(project, languages=("ja",), packages_dir=packages)
            entries = list(polib.pofile(str(ja)))
            for source, text in reviewed.items():
                kept = [e for e in entries if e.msgid == source and e.msgstr == text and "fuzzy" not in e.flags]
                assert kept, f"reviewed translation of {source!r} lost"
    finally:
        spec.write_text(original_spec, encoding="utf-8")
        ja.unlink(missing_ok=True)


def test_a_second_writer_is_stopped_by_the_lock(drafting, packages):
    from pubkit.commands.translate import drafts_lock

    folder = drafting / "brochures" / "demo" / "translations"
    with drafts_lock(folder):
        with pytest.raises(PubkitError, match="another pubkit command is writing these drafts"):
            translate(load_project(drafting), packages_dir=packages)
    assert not (folder / "ja.po").exists()  # nothing was written while the lock was held
