"""Atomic file writes: a reader never sees half a file, a crash never leaves one."""

from __future__ import annotations

import contextvars
import errno
import fcntl
import os
import re
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from pubkit.errors import PubkitError


def write_atomic(path: Path, data: bytes | tuple[bytes, ...], *, durable: bool = True) -> None:
    """Write ``data`` (or its parts, one after the other) to a temp file beside ``path``, fsync it, then
    rename it over ``path`` (inside :func:`all_or_nothing`, when the block ends). A disk that is full or a
    folder in the way is a :class:`PubkitError` naming the file; nothing is left of the write.

    ``durable=False`` leaves out the fsync, for files whose loss in a power cut costs only time: the
    build cache checks every entry's checksum, so an entry the disk did not keep is absent, not wrong.
    """
    path = Path(path)
    _refuse_folder_in_the_way(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise PubkitError(f"cannot write here ({exc.strerror})", file=path.parent,
                          fix="choose a writable output folder with --out") from None
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as out:
            for part in data if isinstance(data, tuple) else (data,):
                out.write(part)
            out.flush()
            if durable:
                os.fsync(out.fileno())
        staging = _staging.get()
        while staging is not None and not staging.holds(path):
            staging = staging.outer
        if staging is not None:
            staging.stage(path, tmp)
        else:
            os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise cannot_write(path, exc) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _refuse_folder_in_the_way(path: Path) -> None:
    if path.is_dir():
        raise PubkitError(f"a folder is in the way of {path.name}", file=path,
                          fix="move or rename that folder, then run this again")


def cannot_write(path: Path, exc: OSError) -> PubkitError:
    """The one-line error for a file the system would not let us write."""
    if exc.errno == errno.ENOSPC:
        return PubkitError(f"cannot write {path.name}: the disk is full", file=path.parent,
                           fix="free some space on that disk, then run this again (nothing was left half-written)")
    return PubkitError(f"cannot write {path.name} ({exc.strerror})", file=path.parent,
                       fix="make the folder writable or choose another one, then run this again")


class _Staging:
    """Files written whole beside their names, to be renamed into place together (:func:`all_or_nothing`)."""

    def __init__(self, folder: Path | None, outer: _Staging | None):
        self.folder = _absolute(folder) if folder is not None else None  # None: every file
        self.outer = outer  # the enclosing block's, for files outside this one's folder
        self.files: dict[Path, str] = {}  # final path -> its temp file

    def holds(self, path: Path) -> bool:
        return self.folder is None or self.folder in _absolute(path).parents

    def stage(self, path: Path, temp: str) -> None:
        earlier = self.files.pop(_absolute(path), None)
        if earlier is not None:  # written twice in one block: the last one counts
            Path(earlier).unlink(missing_ok=True)
        self.files[_absolute(path)] = temp

    def written(self, path: Path) -> Path:
        found = self.files.get(_absolute(path))
        if found is None:
            return self.outer.written(path) if self.outer is not None else Path(path)
        return Path(found)

    def discard(self) -> None:
        for temp in self.files.values():
            Path(temp).unlink(missing_ok=True)

    def commit(self) -> None:
        """Every staged file renamed into place: to an enclosing block's staging when this block sits inside
        one, else onto its name. A folder that came in the way since is refused before anything is renamed."""
        if self.outer is not None:
            for final, temp in self.files.items():
                self.outer.stage(final, temp)
            return
        try:
            for final in self.files:
                _refuse_folder_in_the_way(final)
        except PubkitError:
            self.discard()
            raise
        for final, temp in self.files.items():
            try:
                os.replace(temp, final)
            except OSError as exc:
                self.discard()
                raise cannot_write(final, exc) from None


def _absolute(path: Path) -> Path:
    return Path(os.path.abspath(path))


_staging: contextvars.ContextVar[_Staging | None] = contextvars.ContextVar("pubkit_staging", default=None)


@contextmanager
def all_or_nothing(folder: Path | None = None):
    """Files written into ``folder`` (at any depth; without it, anywhere) inside this block appear together
    when it ends, or none of them does: each is written whole beside its name first, and only when every one is written are
    they renamed into place, which needs no space. A full disk half-way through a build left 4 of its 10
    PDFs and no print order, the folder then describing files it did not hold. A block inside another
    hands its files to the outer one. Only a rename failing half-way (which a full disk does not cause)
    can still leave some files renamed; the rest are removed and the error names the file."""
    staging = _Staging(folder, _staging.get())
    token = _staging.set(staging)
    try:
        yield
    except BaseException:
        staging.discard()
        raise
    finally:
        _staging.reset(token)
    staging.commit()


def written(path: Path) -> Path:
    """Where the file just written to ``path`` is now: its temp file until its block ends (same size and
    modification time as it will have; a rename keeps both)."""
    staging = _staging.get()
    return staging.written(path) if staging is not None else Path(path)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_TEMP_NAME = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")  # as mkstemp names them below
STALE_AFTER_S = 600  # a write takes well under a second; older temp files were left by a killed process


def remove_stale_temps(folder: Path) -> None:
    """Delete temp files that a killed pubkit run left in ``folder`` (the real files are intact)."""
    if not folder.is_dir():
        return
    now = time.time()
    for path in folder.iterdir():
        if _TEMP_NAME.match(path.name) and now - path.stat().st_mtime > STALE_AFTER_S:
            path.unlink(missing_ok=True)


@contextmanager
def folder_lock(folder: Path, busy: str | None = None):
    """Let one pubkit command at a time write into ``folder``: another one is refused with ``busy``,
    or, without it, waits its turn.

    The lock is taken on the folder itself (``flock`` on its descriptor), so no lock file is
    left beside the user's files, and the kernel releases it when a killed process dies.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise PubkitError(f"cannot write here ({exc.strerror})", file=folder,
                          fix="choose a writable output folder with --out") from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (fcntl.LOCK_NB if busy else 0))
        except BlockingIOError:
            raise PubkitError(busy, file=folder, fix="wait for it to finish, then run this again") from None
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)  # now, even if a forked worker still holds the descriptor
        os.close(handle)
