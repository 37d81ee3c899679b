"""Content-addressed cache of build work whose inputs did not change.

What is kept (each by the callers that make it): converted and compressed CMYK image streams
(:mod:`pubkit.typeset.images`), parsed TrueType faces and character maps
(:mod:`pubkit.typeset.fonts`), image ink statistics for preflight (:mod:`pubkit.press.preflight`),
each language's line-breaking measure, its last line breaks and the page plan made from them
(:mod:`pubkit.commands.build`), a chart's print geometry (:mod:`pubkit.typeset.charts`),
Babel's number and date answers (:mod:`pubkit.cldr`), the licence summary's workbook
(:mod:`pubkit.press.licence`), the web edition's encoded pictures (:mod:`pubkit.web.images`).

* **Where**: ``$PUBKIT_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/pubkit/build`` (``~/.cache``
  without it), beside the web-font cache (:func:`pubkit.web.fonts.cache_folder`). It is the
  user's, not the output folder's: the same fonts and images serve every brochure and output
  folder, and an output folder holds only what goes to the print shop.
* **Keys**: SHA-256 of the entry's kind, :data:`FORMAT` and every input that affects its bytes:
  the input files' content (never their names or times) and the versions of the libraries
  that produce the value (:func:`key`). A key never names a path, so moving a project keeps
  its entries, and a changed file is a new key, never a stale hit. The one exception is the
  digest of a large file itself (:func:`file_digest`), kept by its path and status.
* **Integrity**: an entry is ``MAGIC + sha256(payload) + payload``; one whose checksum or
  unpickling fails is treated as absent (and removed), so a truncated or damaged file costs a
  recomputation, never a wrong PDF.
* **Two builds at once**: entries are written atomically (temp file, rename); two processes
  that make the same entry write the same bytes, and the last rename wins.
* **Size**: at most ``$PUBKIT_CACHE_MB`` (default 1024) MB; after a run that wrote entries, the
  least recently used ones (a hit refreshes an entry's time) are removed down to 3/4 of it.
* **Bypass**: ``pubkit build --no-cache`` (:func:`bypassed`) neither reads nor writes it. A
  cache that cannot be read or written (read-only home, full disk) is skipped silently: it
  only saves time.

An entry must never change a PDF's bytes: what is cached is exactly what the uncached code
computes (tests/test_cache.py builds with, without and with a warm cache and compares bytes).
"""

from __future__ import annotations

import hashlib
import os
import pickle
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from pubkit.errors import PubkitError
from pubkit.files import remove_stale_temps, write_atomic

FORMAT = 1  # raise when what an entry means changes, so old entries are never read as new ones
MAGIC = b"pubkit-cache\n"
DEFAULT_MB = 1024
_enabled = True


def base() -> Path:
    """pubkit's folder in the user's cache directory (``$XDG_CACHE_HOME/pubkit``): build and web-font caches."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "pubkit"


def folder() -> Path:
    explicit = os.environ.get("PUBKIT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    return base() / "build"


@contextmanager
def bypassed(active: bool = True):
    """``--no-cache``: within the block, nothing is read from or written to the cache."""
    global _enabled
    before, _enabled = _enabled, _enabled and not active
    try:
        yield
    finally:
        _enabled = before


def enabled() -> bool:
    return _enabled


def key(kind: str, *parts: bytes | str) -> str:
    """The key of a ``kind`` entry made from ``parts`` (content digests, versions, settings).

    Every key also takes pubkit's code (:func:`code_digest`): an entry such as a converted picture is
    pubkit's own work, so code that converts differently must not read what other code stored. The
    release number alone did not do: it stays the same through a checkout's or an editable install's
    changes, and a picture converted with another rendering intent was read back from the cache."""
    digest = hashlib.sha256(f"{kind}\0{FORMAT}\0{code_digest()}\0".encode())
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))  # lengths first: ("ab", "c") never equals ("a", "bc")
        digest.update(data)
    return digest.hexdigest()


@lru_cache(maxsize=1)
def code_digest() -> str:
    """pubkit's own code, by its source files' names, sizes and modification times (once per process)."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for source in sorted(package.rglob("*.py")):
        stat = source.stat()
        digest.update(f"{source.relative_to(package)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def file_digest(path: Path) -> str:
    """SHA-256 of a file's content, remembered per process by its path and status (as :func:`_digest` keys it)."""
    stat = path.stat()
    stamp = (str(path), stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_dev)
    found = _file_digests.get(stamp)
    if found is None:
        found = _file_digests[stamp] = _digest(path, stat)
    return found


_file_digests: dict[tuple, str] = {}
REMEMBERED_FROM = 1 << 20  # bytes: the sample's 8 fonts (43 MB) took 0.09-0.13 s to hash in every process


def _digest(path: Path, stat: os.stat_result) -> str:
    """A large file's digest is also kept in the build cache, by where the file is and its status.

    The one entry whose key names a path. Besides size and modification time (what the up-to-date
    check trusts), the key takes the status-change time, which any write of the content moves and
    no tool can set back, and the inode and device: a file edited in place, replaced, or given its
    old time back (``cp -p``, ``touch -r``) is read again.
    """
    if stat.st_size < REMEMBERED_FROM:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    entry_key = key("file-digest", str(path.resolve()),
                    f"{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ctime_ns}:{stat.st_ino}:{stat.st_dev}")
    return remembered_bytes("digests", entry_key,
                            lambda: hashlib.sha256(path.read_bytes()).hexdigest().encode("ascii")).decode("ascii")


def package_version(name: str) -> str:
    """An installed package's version for a key, without importing the package: from the name of the
    ``<name>-<version>.dist-info`` folder beside it. Importing costs more than the entry saves when it
    is a hit (openpyxl 0.4 s, numpy 0.12 s); ``importlib.metadata`` (0.04 s) only when the folder is
    not found or not unique."""
    import importlib.util

    spec = importlib.util.find_spec(name)
    if spec is not None and spec.submodule_search_locations:
        site = Path(next(iter(spec.submodule_search_locations))).parent
        found = [path.name[len(name) + 1:-len(".dist-info")] for path in site.glob(f"{name}-*.dist-info")]
        if len(found) == 1 and found[0]:
            return found[0]
    from importlib.metadata import version

    return version(name)


def _path(kind: str, entry_key: str) -> Path:
    return folder() / kind / entry_key[:2] / entry_key


def get_bytes(kind: str, entry_key: str) -> bytes | None:
    """The payload stored under ``entry_key``, or None (absent, disabled, unreadable or damaged)."""
    if not _enabled:
        return None
    path = _path(kind, entry_key)
    try:
        with open(path, "rb") as entry:
            head = entry.read(len(MAGIC) + 32)
            payload = entry.read()  # read apart from the head, not sliced from the whole (a copy of MBs)
    except OSError:
        return None
    if head[:len(MAGIC)] != MAGIC or hashlib.sha256(payload).digest() != head[len(MAGIC):]:
        _discard(path)
        return None
    try:
        os.utime(path)  # a hit is a use: eviction removes the least recently used entries
    except OSError:
        pass
    return payload


def holds(kind: str, entry_key: str) -> bool:
    """Whether an entry is stored under ``entry_key`` (not read: whether it is whole is known only on use)."""
    return _enabled and _path(kind, entry_key).is_file()


def put_bytes(kind: str, entry_key: str, payload: bytes) -> None:
    if not _enabled:
        return
    try:
        # not fsynced (a cold build of the sample wrote 40 entries, 0.15 s of waiting): see Integrity above
        write_atomic(_path(kind, entry_key), (MAGIC + hashlib.sha256(payload).digest(), payload), durable=False)
    except (PubkitError, OSError):
        pass  # a read-only or full cache: the build goes on, only not remembered


def get_object(kind: str, entry_key: str):
    """A pickled value stored with :func:`put_object`, or None.

    Pickle is safe here because only this user's pubkit writes the folder (the same trust as
    ``~/.cache`` for any tool); anything that does not load is treated as absent.
    """
    payload = get_bytes(kind, entry_key)
    if payload is None:
        return None
    try:
        return pickle.loads(payload)
    except Exception:  # noqa: BLE001 - any unpickling failure means a damaged or foreign entry
        _discard(_path(kind, entry_key))
        return None


def put_object(kind: str, entry_key: str, value) -> None:
    put_bytes(kind, entry_key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def remembered_bytes(kind: str, entry_key: str, make) -> bytes:
    """The payload stored under ``entry_key``, else ``make()``'s, stored for the next process."""
    found = get_bytes(kind, entry_key)
    if found is None:
        found = make()
        put_bytes(kind, entry_key, found)
    return found


def remembered_object(kind: str, entry_key: str, make, valid):
    """The value stored under ``entry_key`` when ``valid(value)``, else ``make()``'s, stored for the next
    process (nothing is stored when ``make`` raises)."""
    found = get_object(kind, entry_key)
    if valid(found):
        return found
    made = make()
    put_object(kind, entry_key, made)
    return made


def _discard(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def limit_bytes() -> int:
    try:
        return int(float(os.environ.get("PUBKIT_CACHE_MB", DEFAULT_MB)) * 1024 * 1024)
    except ValueError:
        return DEFAULT_MB * 1024 * 1024


def _entries(root: Path):
    """(path, status) of every entry file: ``root/<kind>/<first two hex digits>/<key>``. A temp file
    (a write in progress) is not an entry; one a killed worker left long ago is removed
    (:func:`pubkit.files.remove_stale_temps`), or it would stay outside the size limit for ever."""
    for kind in os.scandir(root):
        if not kind.is_dir():
            continue
        for shard in os.scandir(kind.path):
            if not shard.is_dir():
                continue
            stale = False
            for entry in os.scandir(shard.path):
                if entry.name.startswith("."):
                    stale = True
                    continue
                try:
                    yield Path(entry.path), entry.stat()
                except OSError:
                    continue
            if stale:
                remove_stale_temps(Path(shard.path))


def trim() -> None:
    """Keep the cache under its size: after a build, drop the least recently used entries.

    Another build may be reading an entry that is removed here: it has already read it (a
    read is one call), or it finds it absent and recomputes. Listing the entries costs a
    stat each (a few hundred for a brochure); the folders are read with ``os.scandir``, not
    ``Path.glob``, which took twice as long (3.1–4.2 against 1.6–2.3 ms for 173 entries; a
    test run's cache of about 1,500 took 22 ms a build).
    """
    if not _enabled:
        return
    limit = limit_bytes()
    entries = []
    try:
        for path, stat in _entries(folder()):
            entries.append((stat.st_mtime, stat.st_size, path))
    except OSError:
        return
    total = sum(size for _, size, _ in entries)
    if total <= limit:
        return
    entries.sort()
    for _, size, path in entries:  # oldest use first
        if total <= limit * 3 // 4:
            break
        _discard(path)
        total -= size
