"""Atomic writes at their edges: new folders, permissions, the temp file's name, the stale-temp age limit."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pubkit import files
from pubkit.errors import PubkitError
from pubkit.files import remove_stale_temps, write_atomic


def test_missing_folders_are_made_and_an_existing_one_is_fine(tmp_path):
    target = tmp_path / "out" / "demo" / "demo-vi.pdf"
    write_atomic(target, b"one")
    write_atomic(target.with_name("demo-en.pdf"), b"two")
    assert target.read_bytes() == b"one" and target.with_name("demo-en.pdf").read_bytes() == b"two"
    assert sorted(p.name for p in target.parent.iterdir()) == ["demo-en.pdf", "demo-vi.pdf"]


def test_a_path_given_as_text_is_written(tmp_path):
    write_atomic(str(tmp_path / "order.csv"), b"x")
    assert (tmp_path / "order.csv").read_bytes() == b"x"


def test_with_no_umask_a_file_is_readable_and_writable_by_all_but_not_executable(tmp_path):
    old = os.umask(0)
    try:
        write_atomic(tmp_path / "a.pdf", b"x")
        assert os.umask(0) == 0  # the write left the process umask as it was
    finally:
        os.umask(old)
    assert (tmp_path / "a.pdf").stat().st_mode & 0o777 == 0o666


def test_the_umask_is_restored(tmp_path):
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "a.pdf", b"x")
        assert os.umask(old) == 0o022
    except BaseException:
        os.umask(old)
        raise
    assert (tmp_path / "a.pdf").stat().st_mode & 0o777 == 0o644


def test_a_temp_file_left_by_a_killed_write_is_hidden_and_cleared_later(tmp_path, monkeypatch):
    """A write killed before its rename leaves a temp file: it must be a dot file the cleaner recognises."""
    names = []

    def killed(source, destination):
        names.append(Path(source).name)
        raise KeyboardInterrupt  # Ctrl-C at the worst moment

    monkeypatch.setattr(files.os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(tmp_path / "demo-vi.pdf", b"x")
    [name] = names
    assert name.startswith(".demo-vi.pdf.") and name.endswith(".tmp")
    monkeypatch.undo()
    left = tmp_path / name
    left.write_bytes(b"half")  # as if the process had died instead of cleaning up
    os.utime(left, (1000, 1000))
    remove_stale_temps(tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("age, removed", [(599, False), (600, False), (601, True)])
def test_temp_files_older_than_ten_minutes_are_stale(tmp_path, monkeypatch, age, removed):
    temp = tmp_path / ".demo-vi.pdf.abcd1234.tmp"
    temp.write_bytes(b"x")
    os.utime(temp, (100_000, 100_000))
    monkeypatch.setattr(files.time, "time", lambda: 100_000 + age)
    remove_stale_temps(tmp_path)
    assert temp.exists() is not removed


def test_clearing_a_folder_that_does_not_exist_does_nothing(tmp_path):
    remove_stale_temps(tmp_path / "never-built")
    assert not (tmp_path / "never-built").exists()


def test_an_unwritable_place_names_the_folder_and_the_reason(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_bytes(b"")
    with pytest.raises(PubkitError) as caught:
        write_atomic(blocker / "target.pdf", b"x")
    error = caught.value
    assert error.problem == "cannot write here (File exists)"
    assert error.file.endswith("file") and error.fix == "choose a writable output folder with --out"
