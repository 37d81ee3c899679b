"""Bringing a reviewer's work back into the PO drafts: the rules every import follows.

An imported unit (from XLIFF or a spreadsheet) names its entry (context and source), its
translation, whether it is reviewed, and the translator's comment; ``base`` is a fingerprint of
the PO entry when the file was exported. For each unit:

- the same text, state and comment as the PO entry: nothing changes;
- the PO entry changed since the export (its fingerprint differs) and the unit says something
  else: a **conflict**, the PO entry is kept;
- a reviewed PO entry is never replaced by an unreviewed unit (a conflict), and is replaced by
  another reviewed text only when the file was exported from that very entry (same fingerprint);
- an empty translation never empties an entry, and is never approved: a unit marked reviewed
  with an empty translation is a **conflict** (approving it approved the text the reviewer had
  deleted, which then printed unreviewed); a translation begins and ends with a line break
  exactly where its source does (msgfmt and pubkit's own check refuse an entry that differs, and a
  spreadsheet cell's stray break is no translator's intent);
- otherwise the entry takes the unit's text and state; a reviewed one loses its ``fuzzy`` flag,
  its previous source (``#|``) and its ``pubkit: check:`` warnings, as Poedit does.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import polib

from pubkit.drafts.catalog import CHECK_PREFIX, is_reviewed
from pubkit.drafts.syntax import line_breaks_like
from pubkit.errors import PubkitError


@dataclass
class Incoming:
    context: str | None
    source: str
    text: str
    reviewed: bool
    comment: str | None  # the translator's comment; None when the file does not carry one
    base: str | None  # fingerprint of the PO entry at export, when the file kept it
    where: str  # for messages: "file:line" or "row 12"
    unit_id: str | None = None  # pubkit's id of the entry (see unit_id()): names a context entry too


@dataclass
class ImportResult:
    language: str
    updated: int = 0
    reviewed: int = 0
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)


def fingerprint(entry: polib.POEntry) -> str:
    """What an export knew of an entry: its translation, review state and comment."""
    state = "reviewed" if is_reviewed(entry) else "unreviewed"
    return hashlib.sha1("\0".join([entry.msgstr, state, entry.tcomment]).encode("utf-8")).hexdigest()[:16]


def unit_id(context: str | None, source: str) -> str:
    return hashlib.sha1(f"{context or ''}\x04{source}".encode("utf-8")).hexdigest()[:16]


def _comment_lines(unit: Incoming) -> str:
    """The translator's comment as PO comment lines can hold it: a spreadsheet cell's CR or CRLF line
    breaks as line breaks (a CR written inside a ``#`` line makes the file unreadable), and no line
    ending in a backslash, which msgfmt reads as joining the next line to it (polib drops any space after)."""
    comment = unit.comment.replace("\r\n", "\n").replace("\r", "\n")
    if any(line.rstrip().endswith("\\") for line in comment.split("\n")):
        raise PubkitError(f"the comment of {unit.where} ends a line with a backslash, which gettext's tools read as "
                          "joining the next line to it", fix="remove the backslash and import again")
    return comment


def apply(po: polib.POFile, units: list[Incoming], result: ImportResult) -> None:
    """Merge ``units`` into the active entries of ``po`` (in memory) under the rules above."""
    active = {(e.msgctxt, e.msgid): e for e in po if not e.obsolete}
    by_id = {unit_id(e.msgctxt, e.msgid): e for e in active.values()}
    for unit in units:
        entry = by_id.get(unit.unit_id) if unit.unit_id else None
        if entry is None or entry.msgid != unit.source:
            entry = active.get((unit.context, unit.source))
        if entry is None:
            result.conflicts.append(f"{unit.where}: “{unit.source[:40]}” is no longer a segment of the brochure "
                                    "(its Vietnamese changed since the export); not imported")
            continue
        if unit.reviewed and not unit.text.strip():
            result.conflicts.append(f"{unit.where}: “{unit.source[:40]}” is marked approved with an empty "
                                    "translation; nothing approved (write the translation, or leave its state)")
            continue
        text = line_breaks_like(entry.msgid, unit.text) if unit.text.strip() else entry.msgstr
        reviewed = unit.reviewed
        comment = entry.tcomment if unit.comment is None else _comment_lines(unit)
        if text == entry.msgstr and reviewed == is_reviewed(entry) and comment == entry.tcomment:
            result.unchanged += 1
            continue
        moved_on = unit.base is not None and unit.base != fingerprint(entry)
        if moved_on:
            result.conflicts.append(f"{unit.where}: “{unit.source[:40]}” changed in the PO file since the export; "
                                    "kept the PO file's version")
            continue
        if is_reviewed(entry) and (text != entry.msgstr or not reviewed):
            if not reviewed:
                result.conflicts.append(f"{unit.where}: “{unit.source[:40]}” is reviewed in the PO file and "
                                        "unreviewed here; kept the reviewed translation")
                continue
            if unit.base is None:
                result.conflicts.append(f"{unit.where}: “{unit.source[:40]}” has another reviewed translation in "
                                        "the PO file, and this file does not say which one it was made from; kept "
                                        "the PO file's")
                continue
        entry.msgstr, entry.tcomment = text, comment
        if reviewed:
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgctxt = None
            entry.comment = "\n".join(line for line in entry.comment.splitlines() if not line.startswith(CHECK_PREFIX))
            result.reviewed += 1
        elif text.strip() and "fuzzy" not in entry.flags:
            entry.flags.append("fuzzy")
        result.updated += 1
