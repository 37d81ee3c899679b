"""Interruptions, fuzzing and image formats: pubkit ends cleanly or not at all, and loses nothing."""

from __future__ import annotations

import functools
import signal
import socket
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PIL import Image

from pubkit.commands.build import build
from pubkit.commands.translate import translate
from pubkit.drafts import update_catalog
from pubkit.drafts.syntax import check_po, line_breaks_like
from pubkit.errors import PubkitError
from pubkit.project import load_project
from pubkit.spec import load_spec
from pubkit.spec.segments import Segment
from support.argos_factory import build_package_dir


def start(project: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "pubkit", *args], cwd=project, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


# Smoke tests with a real SIGKILL; the atomic-write guarantee itself is tested by injected failures
# (tests/test_files.py), which do not depend on timing.
@pytest.fixture(scope="module")
def two_builds(tmp_path_factory) -> tuple[Path, dict, dict]:
    """A project whose ``out`` holds the build of its old spec, with the spec since changed; and the files
    of the old and the new build. Made once for the module."""
    from conftest import built_out, make_project

    project = make_project(tmp_path_factory.mktemp("killed-build"))
    old = {path.name: path.read_bytes() for path in built_out(project).iterdir()}
    spec = project / "brochures" / "demo" / "brochure.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("2018-06-15", "2019-01-01"), encoding="utf-8")
    new_folder = built_out(project).rename(project / "new")
    new = {path.name: path.read_bytes() for path in new_folder.iterdir()}
    (project / "out").mkdir()
    for name, data in old.items():
        (project / "out" / name).write_bytes(data)
    return project, old, new


@pytest.mark.parametrize("delay", [0.5, 1.2])
def test_build_killed_half_way_leaves_complete_files(two_builds, tmp_path, delay):
    import shutil

    template, old, new = two_builds
    project = tmp_path / "project"
    shutil.copytree(template, project, symlinks=True)
    process = start(project, "build", "--out", "out")
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait()
    for path in (project / "out").iterdir():
        if path.name.startswith("."):
            continue  # a temp file the killed run was writing; the next run clears stale ones
        assert path.read_bytes() in (old.get(path.name), new.get(path.name)), path.name


@pytest.fixture(scope="module")
def slow_packages(tmp_path_factory) -> Path:
    """Packages big enough that a translate run takes long enough to be killed half-way."""
    folder = tmp_path_factory.mktemp("slow-packages")
    build_package_dir(folder, "vi", "en", layers=4, d_model=256, heads=4, ffn=1024)
    build_package_dir(folder, "en", "ja", layers=4, d_model=256, heads=4, ffn=1024)
    return folder


@pytest.mark.parametrize("delay", [0.5, 1.2])
def test_translate_killed_half_way_keeps_drafts_whole(project, slow_packages, delay):
    drafts = project / "brochures" / "demo" / "translations"
    reviewed = {e.msgid: e.msgstr for e in polib.pofile(str(drafts / "en.po"))}
    (drafts / "ja.po").unlink()
    spec = project / "brochures" / "demo" / "brochure.yaml"
    long_text = " ".join(f"Câu số {i} nói về Thái Nguyên và chè Tân Cương." for i in range(60))
    spec.write_text(spec.read_text(encoding="utf-8").replace(
        '- "Thái Nguyên cách', f'- "{long_text}"\n      - "Thái Nguyên cách'), encoding="utf-8")
    process = start(project, "translate", "--lang", "ja", "--packages", str(slow_packages))
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait()
    for po in drafts.glob("*.po"):
        check_po(po.read_bytes(), po)  # every draft file is whole, as strictly as msgfmt reads it
    en = {e.msgid: e.msgstr for e in polib.pofile(str(drafts / "en.po")) if e.msgid in reviewed}
    assert en == {k: v for k, v in reviewed.items() if k in en} and len(en) == len(reviewed)


def test_drafts_changed_on_disk_during_translate_are_not_overwritten(project, monkeypatch):
    from pubkit.commands import translate as command

    packages = project / "packages"
    build_package_dir(packages, "vi", "en")
    build_package_dir(packages, "en", "ja")
    drafts = project / "brochures" / "demo" / "translations"
    (drafts / "ja.po").unlink()
    real_run = command._Models.run

    def run_and_edit(self, package, texts):
        outputs = real_run(self, package, texts)
        with open(drafts / "ja.po", "a", encoding="utf-8") as po:  # a translator saves meanwhile
            po.write('\nmsgid "Từ người dịch"\nmsgstr "翻訳者の訳"\n')
        return outputs

    monkeypatch.setattr(command._Models, "run", run_and_edit)
    with pytest.raises(PubkitError, match="changed on disk while pubkit was translating"):
        translate(load_project(project), languages=("ja",), packages_dir=packages)
    assert "翻訳者の訳" in (drafts / "ja.po").read_text(encoding="utf-8")


def test_build_and_translate_open_no_network_connections(project, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    packages = project / "packages"
    build_package_dir(packages, "vi", "en")
    build_package_dir(packages, "en", "ja")
    (project / "brochures" / "demo" / "translations" / "ja.po").unlink()
    translate(load_project(project), packages_dir=packages)
    build(load_project(project), out=project / "out", draft=True)
    assert (project / "out" / "demo-ja-DRAFT.pdf").is_file()


def _can_unshare_network() -> bool:
    import shutil

    return shutil.which("unshare") is not None and subprocess.run(["unshare", "-rn", "true"]).returncode == 0


@pytest.mark.skipif(not _can_unshare_network(), reason="unshare -rn (util-linux, user namespaces) not available")
def test_translate_and_build_work_with_no_network_at_all(project):
    """The socket patch above sees Python only; here no code (CTranslate2, fonts, ICC) has a network."""
    packages = project / "packages"
    build_package_dir(packages, "vi", "en")
    build_package_dir(packages, "en", "ja")
    (project / "brochures" / "demo" / "translations" / "ja.po").unlink()
    for args in (["translate", "--packages", "packages"], ["build", "--draft", "--out", "out"]):
        done = subprocess.run(["unshare", "-rn", sys.executable, "-m", "pubkit", *args], cwd=project,
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    assert (project / "out" / "demo-ja-DRAFT.pdf").is_file()


@pytest.mark.parametrize("mode", ["RGBA", "P", "I;16", "CMYK", "L", "LA"])
def test_every_image_mode_builds(project, mode):
    size = (600, 400)
    if mode == "I;16":
        image = Image.new("I;16", size, 30000)
    elif mode == "P":
        image = Image.new("RGB", size, (200, 30, 30)).convert("P", palette=Image.Palette.ADAPTIVE)
    else:
        image = Image.new(mode, size)
    image.save(project / "assets" / ("photo.tif" if mode in ("CMYK", "I;16") else "photo.png"), dpi=(300, 300))
    if mode in ("CMYK", "I;16"):
        spec = project / "brochures" / "demo" / "brochure.yaml"
        spec.write_text(spec.read_text(encoding="utf-8").replace("assets/photo.png", "assets/photo.tif"),
                        encoding="utf-8")
    reports = build(load_project(project), languages=("vi",), out=project / "out")
    assert reports[0].editions[0].pages == 4


def test_low_resolution_image_is_a_warning_in_a_draft(project):
    Image.new("RGB", (142, 95), "green").save(project / "assets" / "photo.png", dpi=(72, 72))
    po = project / "brochures" / "demo" / "translations" / "en.po"
    catalog = polib.pofile(str(po))
    catalog[0].flags.append("fuzzy")
    catalog.save()
    with pytest.raises(PubkitError, match="72 ppi"):
        build(load_project(project), languages=("vi",), out=project / "out")
    reports = build(load_project(project), languages=("en",), out=project / "out", draft=True)
    assert any("72 ppi" in warning for warning in reports[0].warnings)


# --- fuzzing -----------------------------------------------------------------------------------
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=TEXT, heading=TEXT, junk=st.one_of(TEXT, st.integers(), st.lists(TEXT, max_size=3)))
def test_spec_loader_gives_a_result_or_a_clean_error(tmp_path, title, heading, junk):
    import json

    spec = tmp_path / "brochure.yaml"
    def quoted(value):
        return json.dumps(value, ensure_ascii=False)

    document = (f"title: {quoted(title)}\npublisher: x\nlanguages: [vi]\nprint_run: {{vi: 1}}\n"
                f"sections:\n  - heading: {quoted(heading)}\n    content: [{quoted(junk)}]\n")
    spec.write_text(document, encoding="utf-8")
    try:
        brochure = load_spec(spec)
    except PubkitError as error:
        assert "\n" not in error.one_line()
        return
    assert brochure.title == unicodedata.normalize("NFC", title).strip()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(TEXT.filter(str.strip), TEXT), min_size=1, max_size=5,
                unique_by=lambda pair: unicodedata.normalize("NFC", pair[0])))
@example(pairs=[("0\n", "")])  # found by this test: an empty translation became "\n", refused by the check
@example(pairs=[("0", "\uf900")])  # a compatibility ideograph in a translation is kept
def test_po_round_trip_keeps_any_unicode(tmp_path, pairs):
    """CJK, combining marks, emoji, right-to-left text: what a translator writes comes back, in NFC.

    NFC is pubkit's one text form (the spec is normalised on load), so a PO file saved in NFD
    by a Mac editor still matches its segments; in a translation, CJK compatibility ideographs
    such as U+F900 stay as written (pubkit.normalize: they are names' older forms), while a source
    gets the canonical form the spec has. A translation begins and ends with a line break where its
    source does, as msgfmt requires (and a PO editor keeps).
    """
    from pubkit.normalize import nfc as translation_nfc

    nfc = functools.partial(unicodedata.normalize, "NFC")
    path = tmp_path / "xx.po"
    path.unlink(missing_ok=True)
    pairs = [(source, line_breaks_like(nfc(source), target)) for source, target in pairs]
    sources = [Segment(nfc(source), f"s[{i}]") for i, (source, _) in enumerate(pairs)]
    update_catalog(path, "ja", "demo", sources)
    po = polib.pofile(str(path))
    for entry, (_, target) in zip(po, pairs):
        entry.msgstr = target
    po.save()
    again = update_catalog(path, "ja", "demo", sources)
    assert {source: entry.msgstr for source, entry in again.entries.items()} == {
        nfc(source): translation_nfc(target) for source, target in pairs}
