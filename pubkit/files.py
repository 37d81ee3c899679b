"""Atomic file writes: a reader never sees half a file, a crash never leaves one."""

from __future__ import annotations

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
    rename it over ``path``.

    ``durable=False`` leaves out the fsync, for files whose loss in a power cut costs only time: the
    build cache checks every entry's checksum, so an entry the disk did not keep is absent, not wrong.
    """
    path = Path(path)
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
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
