"""Read and update one language's PO drafts without ever touching a translator's text."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import polib

from pubkit.errors import PubkitError
from pubkit.files import write_atomic
from pubkit.spec.segments import Segment


class EntryState(enum.Enum):
    REVIEWED = "reviewed"
    FUZZY = "machine or unreviewed"
    MISSING = "missing"


@dataclass
class Catalog:
    path: Path
    language: str
    entries: dict[str, polib.POEntry]

    def state(self, source: str) -> EntryState:
        entry = self.entries.get(source)
        if entry is None or not entry.msgstr.strip():
            return EntryState.MISSING
        return EntryState.FUZZY if "fuzzy" in entry.flags else EntryState.REVIEWED

    def translation(self, source: str, *, include_unreviewed: bool) -> str | None:
        """The translation to print, or None. Unreviewed text only when asked (draft builds)."""
        state = self.state(source)
        if state is EntryState.REVIEWED or (include_unreviewed and state is EntryState.FUZZY):
            return self.entries[source].msgstr
        return None


def _parse(path: Path) -> polib.POFile:
    try:
        return polib.pofile(str(path), encoding="utf-8", wrapwidth=78)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        found = re.search(r"line (\d+)", str(exc))
        raise PubkitError(f"this draft file is not a valid PO file ({_reason(exc)})", file=path,
                          line=int(found.group(1)) if found else None,
                          fix="fix the line in your PO editor, or restore the file from version control") from None


def _reason(exc: Exception) -> str:
    text = str(exc).split(" in po file")[0]
    return text if len(text) < 80 else text[:77] + "…"


def read_catalog(path: Path, language: str) -> Catalog:
    """The drafts in ``path``; a file that does not exist yet is an empty catalog."""
    if not path.exists():
        return Catalog(path, language, {})
    po = _parse(path)
    return Catalog(path, language, {entry.msgid: entry for entry in po if not entry.obsolete})


def update_catalog(path: Path, language: str, brochure_id: str, source_segments: Iterable[Segment]) -> Catalog:
    """Bring the PO file in line with the spec's segments and write it atomically.

    New segments get empty entries; entries whose source left the spec become obsolete
    (``#~``), so nothing a translator wrote is deleted; existing ``msgstr`` and flags are
    never changed here.
    """
    po = _parse(path) if path.exists() else polib.POFile(wrapwidth=78)
    defaults = {"Project-Id-Version": brochure_id, "PO-Revision-Date": "", "Last-Translator": "",
                "Language-Team": "", "MIME-Version": "1.0", "Content-Type": "text/plain; charset=UTF-8",
                "Content-Transfer-Encoding": "8bit", "X-Generator": "pubkit"}
    po.metadata = {**defaults, **po.metadata, "Language": language}
    by_source = {entry.msgid: entry for entry in po}
    wanted: dict[str, list[str]] = {}
    for segment in source_segments:
        wanted.setdefault(segment.text, []).append(segment.path)
    for source, paths in wanted.items():
        entry = by_source.get(source)
        if entry is None:
            entry = polib.POEntry(msgid=source, msgstr="")
            po.append(entry)
        entry.obsolete = False
        entry.comment = "\n".join(paths)
    for entry in po:
        if entry.msgid not in wanted:
            entry.obsolete = True
    order = {source: i for i, source in enumerate(wanted)}
    po[:] = sorted(po, key=lambda e: (e.obsolete, order.get(e.msgid, len(order))))
    write_atomic(path, str(po).encode("utf-8"))
    return Catalog(path, language, {e.msgid: e for e in po if not e.obsolete})
