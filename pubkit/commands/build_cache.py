"""Content-hash cache of finished editions: unchanged inputs give back the previous PDF without layout.

The key of an edition covers everything its PDF depends on: pubkit's own code, the spec, the
edition's PO file, ``pubkit.toml``, the glossaries, the fonts and images it uses, the output
profile, the draft flag and ``SOURCE_DATE_EPOCH``. Files are fingerprinted by content when
small (text) and by size and modification time when large (fonts, images).
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path

from pubkit.files import write_atomic

CACHE_NAME = ".pubkit-build.json"


@lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for source in sorted(package.rglob("*.py")):
        stat = source.stat()
        digest.update(f"{source.relative_to(package)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _feed_file(digest, path: Path, *, by_content: bool) -> None:
    if not path.exists():
        digest.update(f"{path}:absent\n".encode())
    elif by_content:
        digest.update(path.read_bytes())
    else:
        stat = path.stat()
        digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())


def edition_key(text_files: list[Path], binary_files: list[Path], *, profile: bytes, language: str,
                draft: bool) -> str:
    digest = hashlib.sha256(_code_fingerprint().encode())
    for path in text_files:
        _feed_file(digest, path, by_content=True)
    for path in binary_files:
        _feed_file(digest, path, by_content=False)
    digest.update(hashlib.sha256(profile).digest())
    digest.update(f"{language}:{draft}:{os.environ.get('SOURCE_DATE_EPOCH', '')}".encode())
    return digest.hexdigest()


def load(folder: Path) -> dict:
    try:
        return json.loads((folder / CACHE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def save(folder: Path, entries: dict) -> None:
    write_atomic(folder / CACHE_NAME, json.dumps(entries, ensure_ascii=False, indent=1).encode("utf-8"))


def still_valid(folder: Path, entry: dict | None, key: str) -> bool:
    """True when the recorded edition has the same key and its file is untouched since it was written."""
    if not entry or entry.get("key") != key:
        return False
    path = folder / entry["name"]
    try:
        stat = path.stat()
    except OSError:
        return False
    return [stat.st_size, stat.st_mtime_ns] == entry.get("file")


def file_record(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns]
