"""Record of finished editions in the output folder: unchanged inputs give back the previous PDF without layout.

The key of an edition covers everything its PDF depends on: pubkit's own code and the installed
libraries that shape its output (by their files, :func:`code_fingerprint`), the spec, the edition's PO file, ``pubkit.toml``, the
glossaries, the fonts and images it uses, the output profile, the draft flag and
``SOURCE_DATE_EPOCH``. Files are fingerprinted by content when
small (text) and by size and modification time when large (fonts, images).

An entry also records the edition's *content* key (``pubkit.commands.build._content_key``: the
texts it prints, not the whole spec and PO file), so an edition whose text did not change is
reused when only another language's text (or the source of an unchanged translation) was edited.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
from functools import lru_cache
from pathlib import Path

from pubkit import cache as work_cache
from pubkit.files import write_atomic, written

CACHE_NAME = ".pubkit-build.json"
# Modules whose upgrade can change what a build writes (layout, fonts, pictures, the PDF/X step,
# numbers, hyphenation, phrase breaks, QR codes, PO and YAML reading, spreadsheets, picture
# compression), by import name; uharfbuzz because ReportLab loads it for text shaping when installed.
_OUTPUT_MODULES = ("reportlab", "_rl_accel", "fontTools", "PIL", "pikepdf", "numpy", "babel", "pyphen", "budoux",
                   "segno", "polib", "yaml", "openpyxl", "uharfbuzz", "isal")
_ENTRY_KEYS = {"key": str, "name": str, "file": list, "pages": int, "blank_pages": int, "sha256": str,
               "draft": bool, "check": dict, "warnings": list}


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """pubkit's own code and the installed modules that shape its output, by their files' size and time: an
    edit, an upgrade or a reinstall makes new keys. The modules are found, not imported, and not asked for
    their versions: ``importlib.metadata`` took 65 ms of a 0.28 s repeated build (cProfile, -X importtime)."""
    digest = hashlib.sha256(sys.version.encode())
    for name in _OUTPUT_MODULES:
        spec = importlib.util.find_spec(name)
        digest.update(f"{name}:{_signature(spec.origin if spec else None)}\n".encode())
    digest.update(work_cache.code_digest().encode())
    return digest.hexdigest()


def _signature(path) -> str:
    try:
        stat = os.stat(path)
    except (OSError, TypeError):
        return "absent"
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def _feed_file(digest, path: Path, *, by_content: bool) -> None:
    """A file into a key: by content, or by its status (size and modification time, and the status-change
    time, inode and device, which a picture rewritten at the same size and given its old time back with
    ``touch -r`` or ``cp -p`` does not keep)."""
    if not path.exists():
        digest.update(f"{path}:absent\n".encode())
    elif by_content:
        data = path.read_bytes()
        digest.update(f"{path}:{len(data)}\n".encode() + data)
    else:
        stat = path.stat()
        digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ctime_ns}:{stat.st_ino}:{stat.st_dev}\n"
                      .encode())


def edition_key(text_files: list[Path], binary_files: list[Path], *, profile: bytes, language: str,
                draft: bool, brochure_id: str) -> str:
    """The edition's *file key*: its input files as they are (``brochure_id`` names its PDF)."""
    digest = hashlib.sha256(code_fingerprint().encode())
    for path in text_files:
        _feed_file(digest, path, by_content=True)
    for path in binary_files:
        _feed_file(digest, path, by_content=False)
    digest.update(hashlib.sha256(profile).digest())
    digest.update(f"{brochure_id}:{language}:{draft}:{os.environ.get('SOURCE_DATE_EPOCH', '')}".encode())
    return digest.hexdigest()


def load(folder: Path) -> dict:
    """The recorded editions by language; a damaged or foreign record is ignored (everything is rebuilt)."""
    try:
        entries = json.loads((folder / CACHE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(entries, dict):
        return {}
    return {code: entry for code, entry in entries.items() if _well_formed(entry)}


def _well_formed(entry) -> bool:
    return isinstance(entry, dict) and all(isinstance(entry.get(key), kind) for key, kind in _ENTRY_KEYS.items())


def save(folder: Path, entries: dict) -> None:
    write_atomic(folder / CACHE_NAME, json.dumps(entries, ensure_ascii=False, indent=1).encode("utf-8"))


def still_valid(folder: Path, entry: dict | None, key: str, content: str | None = None) -> bool:
    """True when the recorded edition was made from the same inputs and its files, the PDF and its separate
    cover if it has one, are untouched since they were written (a deleted or replaced cover was reused,
    and the print order then named a file not in the folder).

    The same inputs: the same ``content`` key when the caller made one (it takes every project font, the
    pictures by content and the spec's structure, so it decides alone: the same file key beside another
    content key means an input outside the file key changed), else the same file key."""
    if not entry or (entry.get("content") != content if content is not None else entry.get("key") != key):
        return False
    if not _untouched(folder / entry["name"], entry, "file", "sha256"):
        return False
    return not entry.get("cover_name") or _untouched(folder / entry["cover_name"], entry, "cover_file", "cover_sha256")


def _untouched(path: Path, entry: dict, record: str, digest: str) -> bool:
    """Whether the file is the one written: the same size and modification time, or, when only the time
    moved (``touch``, ``cp -r``, rsync, unzipping a copy of the folder), the same SHA-256; the entry then
    takes the new time. By the time alone, a copied folder's print order silently lost its editions."""
    try:
        now = file_record(path)
    except OSError:
        return False
    if now == entry.get(record):
        return True
    if not entry.get(record) or now[0] != entry[record][0] or not entry.get(digest):
        return False
    try:
        if work_cache.file_digest(path) != entry[digest]:
            return False
    except OSError:
        return False
    entry[record] = now
    return True


def file_record(path: Path) -> list[int]:
    stat = written(path).stat()  # a file staged by all_or_nothing: its temp file, renamed with the same record
    return [stat.st_size, stat.st_mtime_ns]
