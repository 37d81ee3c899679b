"""Atomic writes, checked deterministically: a failure is injected at each step instead of a timed kill."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from pubkit import files
from pubkit.errors import PubkitError
from pubkit.files import STALE_AFTER_S, all_or_nothing, remove_stale_temps, write_atomic, written


def leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name != "target.pdf")


def test_a_write_replaces_the_whole_file_and_leaves_nothing_beside_it(tmp_path):
    target = tmp_path / "target.pdf"
    target.write_bytes(b"old" * 1000)
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("step", ["write", "fsync", "replace"])
def test_a_failure_at_any_step_keeps_the_old_file_and_removes_the_temp(tmp_path, monkeypatch, step):
    target = tmp_path / "target.pdf"
    target.write_bytes(b"old file, complete")
    seen: list[str] = []

    def fail(*args, **kwargs):
        seen.append(step)
        raise OSError(28, "No space left on device")

    if step == "write":
        real_fdopen = os.fdopen

        class Broken:
            def __init__(self, handle):
                self.handle = handle

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.handle.close()

            def write(self, data):
                self.handle.write(data[: len(data) // 2])  # half the file reached the disk
                fail()

        monkeypatch.setattr(files.os, "fdopen", lambda fd, mode: Broken(real_fdopen(fd, mode)))
    else:
        monkeypatch.setattr(files.os, step, fail)
    with pytest.raises(PubkitError) as error:
        write_atomic(target, b"new file, much longer than the old one" * 100)
    assert error.value.problem == "cannot write target.pdf: the disk is full" and error.value.fix.startswith("free some")
    assert seen == [step]
    assert target.read_bytes() == b"old file, complete"
    assert leftovers(tmp_path) == []


def test_the_rename_is_the_last_step_and_goes_from_the_same_folder(tmp_path, monkeypatch):
    target = tmp_path / "target.pdf"
    calls = []
    real_replace = os.replace

    def replace(source, destination):
        calls.append((Path(source), Path(destination), Path(source).read_bytes()))
        real_replace(source, destination)

    monkeypatch.setattr(files.os, "replace", replace)
    write_atomic(target, b"complete")
    [(source, destination, data)] = calls
    assert source.parent == tmp_path and source != target and destination == target
    assert data == b"complete"  # everything was written before the rename


def test_new_files_get_the_users_permissions(tmp_path):
    old = os.umask(0o027)
    try:
        write_atomic(tmp_path / "target.pdf", b"x")
    finally:
        os.umask(old)
    assert (tmp_path / "target.pdf").stat().st_mode & 0o777 == 0o640


def test_only_old_temp_files_are_cleared(tmp_path):
    old_temp = tmp_path / ".demo-vi.pdf.ab12cd_9.tmp"
    fresh_temp = tmp_path / ".demo-en.pdf.zz99yy00.tmp"
    real_file = tmp_path / "demo-vi.pdf"
    lookalike = tmp_path / ".notes.tmp"
    for path in (old_temp, fresh_temp, real_file, lookalike):
        path.write_bytes(b"x")
    long_ago = time.time() - STALE_AFTER_S - 5
    for path in (old_temp, real_file, lookalike):
        os.utime(path, (long_ago, long_ago))
    remove_stale_temps(tmp_path)
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        [fresh_temp.name, real_file.name, lookalike.name])


def test_an_unwritable_folder_is_one_clear_error(tmp_path):
    from pubkit.errors import PubkitError

    blocker = tmp_path / "file"
    blocker.write_bytes(b"")
    with pytest.raises(PubkitError, match="cannot write here"):
        write_atomic(blocker / "out" / "target.pdf", b"x")


def test_a_second_writer_waits_for_the_folder(tmp_path):
    import subprocess
    import sys

    from pubkit.files import folder_lock

    waiter = ("import sys; from pathlib import Path; from pubkit.files import folder_lock\n"
              "print('asking', flush=True)\n"
              "with folder_lock(Path(sys.argv[1])): print('in')")
    with folder_lock(tmp_path):
        child = subprocess.Popen([sys.executable, "-c", waiter, str(tmp_path)], stdout=subprocess.PIPE)
        assert child.stdout.readline() == b"asking\n"  # started: from here the lock is all that holds it
        with pytest.raises(subprocess.TimeoutExpired):
            child.wait(timeout=0.5)  # held back while this process writes
    assert child.communicate(timeout=60)[0] == b"in\n"


def test_a_busy_folder_is_refused_when_asked(tmp_path):
    from pubkit.errors import PubkitError
    from pubkit.files import folder_lock

    with folder_lock(tmp_path):
        with pytest.raises(PubkitError, match="another command is busy here"):
            with folder_lock(tmp_path, "another command is busy here"):
                pass
    with folder_lock(tmp_path, "free again"):
        pass


def test_files_written_all_or_nothing_appear_together_when_the_block_ends(tmp_path):
    (tmp_path / "order.csv").write_bytes(b"old order")
    with all_or_nothing(tmp_path):
        write_atomic(tmp_path / "a.pdf", b"new a")
        write_atomic(tmp_path / "sub" / "b.pdf", b"new b")
        write_atomic(tmp_path / "order.csv", b"first")
        write_atomic(tmp_path / "order.csv", b"new order")  # written twice: the last one counts
        assert not (tmp_path / "a.pdf").exists() and (tmp_path / "order.csv").read_bytes() == b"old order"
        assert written(tmp_path / "a.pdf").read_bytes() == b"new a"  # staged beside its name
        assert written(tmp_path / "a.pdf").parent == tmp_path
    assert (tmp_path / "a.pdf").read_bytes() == b"new a" and (tmp_path / "sub" / "b.pdf").read_bytes() == b"new b"
    assert (tmp_path / "order.csv").read_bytes() == b"new order"
    assert leftovers(tmp_path) == ["a.pdf", "order.csv", "sub"] and os.listdir(tmp_path / "sub") == ["b.pdf"]


def test_a_failure_inside_all_or_nothing_leaves_the_folder_as_it_was(tmp_path, monkeypatch):
    """A full disk at the third file: the first two are not renamed into place, and their temp files go."""
    (tmp_path / "order.csv").write_bytes(b"old order")
    real_fdopen, opened = os.fdopen, []

    def fdopen(fd, mode):
        opened.append(fd)
        if len(opened) == 3:
            os.close(fd)
            raise OSError(28, "No space left on device")
        return real_fdopen(fd, mode)

    monkeypatch.setattr(files.os, "fdopen", fdopen)
    outside = tmp_path.parent / f"{tmp_path.name}-outside.txt"
    with pytest.raises(PubkitError, match="cannot write print-order.csv: the disk is full"):
        with all_or_nothing(tmp_path):
            write_atomic(tmp_path / "a.pdf", b"new a")
            write_atomic(outside, b"not in the folder: written at once")
            assert outside.read_bytes() == b"not in the folder: written at once"
            write_atomic(tmp_path / "print-order.csv", b"new order")
    assert sorted(os.listdir(tmp_path)) == ["order.csv"] and (tmp_path / "order.csv").read_bytes() == b"old order"


def test_a_folder_in_the_way_of_a_file_is_named(tmp_path):
    (tmp_path / "print-order.csv").mkdir()
    with pytest.raises(PubkitError, match="a folder is in the way of print-order.csv"):
        write_atomic(tmp_path / "print-order.csv", b"order")


def test_a_folder_that_comes_in_the_way_before_the_block_ends_renames_nothing(tmp_path):
    (tmp_path / "one.pdf").write_bytes(b"old one")
    with pytest.raises(PubkitError, match="a folder is in the way of two.pdf"):
        with all_or_nothing(tmp_path):
            write_atomic(tmp_path / "one.pdf", b"new one")
            write_atomic(tmp_path / "two.pdf", b"new two")
            (tmp_path / "two.pdf").mkdir()  # appears after the file was staged
    assert (tmp_path / "one.pdf").read_bytes() == b"old one"
    assert sorted(os.listdir(tmp_path)) == ["one.pdf", "two.pdf"] and (tmp_path / "two.pdf").is_dir()


def test_a_block_inside_another_hands_its_files_to_the_outer_one(tmp_path):
    """Nothing is renamed until the outer block ends; when it fails, nothing of either block stays."""
    inner = tmp_path / "sub"
    with pytest.raises(RuntimeError):
        with all_or_nothing(tmp_path):
            with all_or_nothing(inner):
                write_atomic(tmp_path / "a.txt", b"outer's file, written in the inner block")
                write_atomic(inner / "b.txt", b"inner's file")
            assert not (inner / "b.txt").exists() and not (tmp_path / "a.txt").exists()
            raise RuntimeError("the outer block fails")
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]
    with all_or_nothing(tmp_path):
        with all_or_nothing(inner):
            write_atomic(inner / "b.txt", b"inner's file")
    assert (inner / "b.txt").read_bytes() == b"inner's file"
