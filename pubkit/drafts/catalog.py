"""Read and update one language's PO drafts without ever touching a translator's text."""

from __future__ import annotations

import difflib
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


def _parse(path: Path, language: str, brochure_id: str | None = None) -> polib.POFile:
    try:
        po = polib.pofile(str(path), encoding="utf-8", wrapwidth=78)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        found = re.search(r"line (\d+)", str(exc))
        raise PubkitError(f"this draft file is not a valid PO file ({_reason(exc)})", file=path,
                          line=int(found.group(1)) if found else None,
                          fix="fix the line in your PO editor, or restore the file from version control") from None
    _check_belongs(po, path, language, brochure_id)
    return po


def _check_belongs(po: polib.POFile, path: Path, language: str, brochure_id: str | None) -> None:
    """A PO file copied from another language or brochure is refused, not silently mixed in."""
    declared = po.metadata.get("Language", "").strip().replace("-", "_").split("_")[0]
    if declared and declared != language:
        raise PubkitError(f"this draft file is for language '{declared}', not '{language}'", file=path,
                          fix=f"put it in {declared}.po, or restore {path.name} from version control")
    project_id = po.metadata.get("Project-Id-Version", "").strip()
    if brochure_id and project_id and project_id != brochure_id and project_id != "PACKAGE VERSION":
        raise PubkitError(f"this draft file belongs to brochure '{project_id}', not '{brochure_id}'", file=path,
                          fix=f"copy the right file from brochures/{project_id}, or restore it from version control")


def _reason(exc: Exception) -> str:
    text = str(exc).split(" in po file")[0]
    return text if len(text) < 80 else text[:77] + "…"


def read_catalog(path: Path, language: str, brochure_id: str | None = None) -> Catalog:
    """The drafts in ``path``; a file that does not exist yet is an empty catalog."""
    if not path.exists():
        return Catalog(path, language, {})
    po = _parse(path, language, brochure_id)
    return Catalog(path, language, {entry.msgid: entry for entry in po if not entry.obsolete})


NOTE_PREFIX = "pubkit:"  # extracted-comment lines pubkit writes and keeps across updates
MEMORY_NOTE = "pubkit: prefilled from translation memory"
MATCH_RATIO = 0.6  # how alike an edited paragraph must be to its old version to inherit its translation


def _similarity(a: str, b: str) -> float:
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return matcher.ratio() if matcher.quick_ratio() >= MATCH_RATIO else 0.0


def _previous_version(source: str, paths: list[str], orphans: list[polib.POEntry]) -> polib.POEntry | None:
    """The translated entry whose source was most likely edited into ``source`` (as msgmerge's fuzzy match)."""
    best, best_score = None, MATCH_RATIO
    for entry in orphans:
        score = _similarity(source, entry.msgid) + (0.1 if entry.comment in paths else 0.0)
        if score >= best_score:
            best, best_score = entry, score
    return best


def update_catalog(path: Path, language: str, brochure_id: str, source_segments: Iterable[Segment],
                   memory: dict[str, str] | None = None) -> Catalog:
    """Bring the PO file in line with the spec's segments and write it atomically.

    As ``msgmerge`` does: an unchanged segment keeps its entry untouched; an edited one gets a
    new ``fuzzy`` entry that starts from the old translation and shows the old source
    (``#| msgid``); a segment that left the spec becomes obsolete (``#~``) — its reviewed
    text is kept, never deleted or overwritten. New segments are prefilled (``fuzzy``) from
    ``memory``, the project's reviewed translations, when it has the exact source.
    """
    po = _parse(path, language, brochure_id) if path.exists() else polib.POFile(wrapwidth=78)
    before = str(po) if path.exists() else None
    defaults = {"Project-Id-Version": brochure_id, "PO-Revision-Date": "", "Last-Translator": "",
                "Language-Team": "", "MIME-Version": "1.0", "Content-Type": "text/plain; charset=UTF-8",
                "Content-Transfer-Encoding": "8bit", "X-Generator": "pubkit"}
    po.metadata = {**defaults, **po.metadata, "Language": language}
    wanted: dict[str, list[str]] = {}
    for segment in source_segments:
        wanted.setdefault(segment.text, []).append(segment.path)
    by_source: dict[str, polib.POEntry] = {}
    for entry in po:  # an active entry wins over an obsolete one with the same source
        if entry.msgid not in by_source or not entry.obsolete:
            by_source[entry.msgid] = entry
    orphans = [entry for entry in po if entry.msgid not in wanted and entry.msgstr.strip()]
    for source, paths in wanted.items():
        entry = by_source.get(source)
        if entry is None:
            entry = polib.POEntry(msgid=source, msgstr="")
            previous = _previous_version(source, paths, orphans)
            if previous is not None:
                orphans.remove(previous)
                entry.msgstr, entry.previous_msgid = previous.msgstr, previous.msgid
                entry.tcomment = previous.tcomment
                entry.flags.append("fuzzy")
            elif memory and source in memory:
                entry.msgstr, entry.comment = memory[source], MEMORY_NOTE
                entry.flags.append("fuzzy")
            po.append(entry)
            by_source[source] = entry
        entry.obsolete = False
        notes = [line for line in entry.comment.splitlines() if line.startswith(NOTE_PREFIX)]
        entry.comment = "\n".join(paths + notes)
    for entry in po:
        if entry.msgid not in wanted or by_source[entry.msgid] is not entry:
            entry.obsolete = True
    order = {source: i for i, source in enumerate(wanted)}
    po[:] = sorted(po, key=lambda e: (e.obsolete, order.get(e.msgid, len(order))))
    after = str(po)
    if after != before:  # a run that changes nothing leaves the file (and its timestamp) alone
        write_atomic(path, after.encode("utf-8"))
    return Catalog(path, language, {e.msgid: e for e in po if not e.obsolete})
