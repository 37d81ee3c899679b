"""A repeated build answered from the folder's record (pubkit.commands.uptodate): the same report, nothing
read beyond the record and the inputs' fingerprints, nothing written; any changed input, touched or
missing output, other request or --no-cache runs the build."""

from __future__ import annotations

import json
import os
from pathlib import Path

import polib
import pytest

from pubkit.commands import uptodate


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {path.name: (path.stat().st_size, path.stat().st_mtime_ns) for path in sorted(folder.iterdir())}


@pytest.fixture
def built_once(project, run):
    first = run(project, "build", "--out", "out")
    assert first.exit_code == 0, first.output
    return project, first.output


def _no_layout(monkeypatch):
    """Any build that gets past the record fails loudly."""
    from pubkit.commands import build as build_command

    def refuse(*_args, **_kwargs):
        raise AssertionError("the build ran")

    monkeypatch.setattr(build_command, "build", refuse)


def test_a_repeated_build_gives_the_same_report_and_writes_nothing(built_once, run, monkeypatch):
    project, first = built_once
    before = _snapshot(project / "out")
    _no_layout(monkeypatch)
    again = run(project, "build", "--out", "out")
    assert again.exit_code == 0, again.output
    assert _snapshot(project / "out") == before
    # the same lines, every edition now marked unchanged
    assert again.output == "\n".join(line + "  unchanged" if line.endswith(".pdf") and " pages " in line
                                     and "cover" not in line else line for line in first.split("\n"))
    assert again.output.count("unchanged") == 5


def _rebuilds(project: Path, run, *args: str) -> str:
    result = run(project, "build", "--out", "out", *args)
    assert result.exit_code == 0, result.output
    return result.output


def test_a_translators_edit_runs_the_build(built_once, run):
    project, _ = built_once
    po_file = project / "brochures" / "demo" / "translations" / "en.po"
    catalog = polib.pofile(str(po_file))
    entry = next(e for e in catalog if e.msgstr.startswith("Thai Nguyen lies"))
    entry.msgstr = entry.msgstr.replace("about 80 km", "some 80 km")
    catalog.save()
    output = _rebuilds(project, run)
    en_line = next(line for line in output.splitlines() if line.strip().startswith("en "))
    assert "unchanged" not in en_line
    assert uptodate.answer(project / "out", _asked(project)) is not None  # and the new build is remembered


def _asked(project: Path, languages: tuple[str, ...] = (), draft: bool = False) -> list:
    return uptodate.request(project / "brochures" / "demo" / "brochure.yaml", languages, draft, project / "out")


def test_a_touched_image_a_missing_output_or_a_damaged_record_is_not_answered(built_once, run):
    project, _ = built_once
    out = project / "out"
    assert uptodate.answer(out, _asked(project)) is not None
    photo = project / "assets" / "photo.png"
    status = photo.stat()
    os.utime(photo, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000_000))
    assert uptodate.answer(out, _asked(project)) is None
    os.utime(photo, ns=(status.st_atime_ns, status.st_mtime_ns))  # its old time back, as `touch -r` gives it
    assert uptodate.answer(out, _asked(project)) is None  # its status-change time moved: it may hold other pixels
    _rebuilds(project, run)
    assert uptodate.answer(out, _asked(project)) is not None
    order = out / "print-order.csv"
    kept = order.read_bytes()
    order.unlink()
    assert uptodate.answer(out, _asked(project)) is None
    order.write_bytes(kept)  # the same bytes, but written again: a new time, so still not answered
    assert uptodate.answer(out, _asked(project)) is None
    record = out / ".pubkit-build.json"
    record.write_text(json.dumps({"_run": {"request": "x"}}), encoding="utf-8")
    assert uptodate.answer(out, _asked(project)) is None


def test_another_request_or_epoch_is_not_answered(built_once, monkeypatch):
    project, _ = built_once
    out = project / "out"
    assert uptodate.answer(out, _asked(project, ("en",))) is None
    assert uptodate.answer(out, _asked(project, draft=True)) is None
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert uptodate.answer(out, _asked(project)) is None


def test_no_cache_always_builds(built_once, run, monkeypatch):
    project, _ = built_once
    from pubkit.commands import build as build_command

    calls = []
    real = build_command.build
    monkeypatch.setattr(build_command, "build", lambda *a, **k: calls.append(1) or real(*a, **k))
    _rebuilds(project, run, "--no-cache")
    assert calls == [1]


def test_a_picture_put_in_front_of_the_one_printed_is_seen(built_once):
    """Pictures are looked up in the brochure folder first: a file added there changes what prints."""
    from PIL import Image

    project, _ = built_once
    out = project / "out"
    shadow = project / "brochures" / "demo" / "assets" / "photo.png"
    shadow.parent.mkdir(parents=True)
    Image.new("RGB", (600, 400), (200, 40, 40)).save(shadow, dpi=(300, 300))
    assert uptodate.answer(out, _asked(project)) is None
    shadow.unlink()
    assert uptodate.answer(out, _asked(project)) is not None


def test_a_link_pointed_at_another_picture_is_seen(built_once):
    project, _ = built_once
    out = project / "out"
    photo = project / "assets" / "photo.png"
    photo.rename(project / "assets" / "original.png")
    (project / "assets" / "other.png").write_bytes((project / "assets" / "original.png").read_bytes())
    photo.symlink_to("original.png")
    assert uptodate.answer(out, _asked(project)) is None  # the same bytes, but the path now names a link


def test_an_edit_made_while_the_build_runs_is_built_next_time(project, run, monkeypatch):
    from pubkit.commands import build as build_command

    po_file = project / "brochures" / "demo" / "translations" / "en.po"
    real = build_command._write_folder

    def edit_then_write(*args, **kwargs):
        po_file.write_text(po_file.read_text(encoding="utf-8").replace("about 80 km", "some 80 km"), encoding="utf-8")
        return real(*args, **kwargs)

    monkeypatch.setattr(build_command, "_write_folder", edit_then_write)
    assert run(project, "build", "--out", "out").exit_code == 0
    assert uptodate.answer(project / "out", _asked(project)) is None


def test_an_edition_left_by_an_earlier_run_is_an_output_too(built_once, run):
    """A partial build's print order lists every edition in the folder: one of them gone means work."""
    project, _ = built_once
    assert run(project, "build", "--out", "out", "--lang", "en").exit_code == 0
    assert uptodate.answer(project / "out", _asked(project, ("en",))) is not None
    (project / "out" / "demo-vi.pdf").unlink()
    assert uptodate.answer(project / "out", _asked(project, ("en",))) is None
