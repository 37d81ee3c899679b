"""Read and update one language's PO drafts without ever touching a translator's text."""

from __future__ import annotations

import difflib
import enum
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import polib

from pubkit.drafts.syntax import FIX_LINE, check_po
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


def read_po(path: Path, language: str, brochure_id: str | None = None) -> polib.POFile:
    """The PO file at ``path``, checked strictly first (see :mod:`pubkit.drafts.syntax`).

    Sources and translations are made NFC, as the spec is, so that a file saved in NFD (as some
    Mac editors do) still matches its segments.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PubkitError(f"cannot read this draft file ({exc.strerror})", file=path,
                          fix=f"make {path.name} a readable PO file, or remove it so pubkit starts a new one") from None
    try:
        check_po(data, path)
        po = polib.pofile(str(path), encoding="utf-8", wrapwidth=78)
        changed = path.read_bytes() != data
    except (OSError, ValueError) as exc:
        found = re.search(r"line (\d+)", str(exc))
        raise PubkitError(f"this draft file is not a valid PO file ({_reason(exc)})", file=path,
                          line=int(found.group(1)) if found else None, fix=FIX_LINE) from None
    if changed:  # what polib read is not what was checked
        raise PubkitError("the file changed on disk while pubkit read it", file=path, fix="run the command again")
    for entry in po:
        entry.msgid = unicodedata.normalize("NFC", entry.msgid)
        entry.msgstr = unicodedata.normalize("NFC", entry.msgstr)
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
    po = read_po(path, language, brochure_id)
    return Catalog(path, language, {entry.msgid: entry for entry in po if not entry.obsolete})


NOTE_PREFIX = "pubkit:"  # extracted-comment lines pubkit writes and keeps across updates
MEMORY_NOTE = "pubkit: prefilled from translation memory"
MATCH_RATIO = 0.6  # how alike an edited paragraph must be to its old version to inherit its translation
PATH_BONUS = 0.1  # an old entry at the same spec path is the likelier previous version


def _similarity(a: str, b: str) -> float:
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return matcher.ratio() if matcher.quick_ratio() >= MATCH_RATIO else 0.0


def _previous_version(source: str, paths: list[str], orphans: list[polib.POEntry]) -> polib.POEntry | None:
    """The translated entry whose source was most likely edited into ``source`` (as msgmerge's fuzzy match)."""
    best, best_score = None, MATCH_RATIO
    for entry in orphans:
        at_same_path = not set(paths).isdisjoint(entry.comment.splitlines())
        score = _similarity(source, entry.msgid) + (PATH_BONUS if at_same_path else 0.0)
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
    po = read_po(path, language, brochure_id) if path.exists() else polib.POFile(wrapwidth=78)
    before = str(po) if path.exists() else None
    defaults = {"Project-Id-Version": brochure_id, "PO-Revision-Date": "", "Last-Translator": "",
                "Language-Team": "", "MIME-Version": "1.0", "Content-Type": "text/plain; charset=UTF-8",
                "Content-Transfer-Encoding": "8bit", "X-Generator": "pubkit"}
    po.metadata = {**defaults, **po.metadata, "Language": language}
    wanted: dict[str, list[str]] = {}
    for segment in source_segments:
        wanted.setdefault(segment.text, []).append(segment.path)
    by_source = {entry.msgid: entry for entry in po}  # one entry per source: read_po refuses duplicates
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
        notes = [line for line in entry.comment.splitlines() if line.startswith(NOTE_PREFIX)]
        entry.comment = "\n".join(paths + notes)
    for entry in po:
        entry.obsolete = entry.msgid not in wanted
    order = {source: i for i, source in enumerate(wanted)}
    po[:] = sorted(po, key=lambda e: (e.obsolete, order.get(e.msgid, len(order))))
    after = str(po)
    if after != before:  # a run that changes nothing leaves the file (and its timestamp) alone
        write_atomic(path, after.encode("utf-8"))
    return Catalog(path, language, {e.msgid: e for e in po if not e.obsolete})


def write_drafts(path: Path, language: str, brochure_id: str, drafts: Iterable[polib.POEntry]) -> None:
    """Write machine drafts into the entries that are still untranslated on disk; nothing else changes."""
    po = read_po(path, language, brochure_id)
    on_disk = {entry.msgid: entry for entry in po if not entry.obsolete}
    for draft in drafts:
        target = on_disk.get(draft.msgid)
        if target is not None and not target.msgstr.strip():
            target.msgstr, target.flags, target.comment = draft.msgstr, draft.flags, draft.comment
    write_atomic(path, str(po).encode("utf-8"))
