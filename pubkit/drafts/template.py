"""The brochure's POT template, ``translations/<id>.pot``: every segment with an empty translation.

Weblate, Pootle and ``msgmerge`` start new languages from it. It is rewritten only when the
segments or their references change, and only then does its ``POT-Creation-Date`` move; the PO
files pubkit writes carry the same date, as ``msgmerge`` would give them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

import polib

from pubkit.drafts.catalog import CONTEXT_PREFIX, read_document
from pubkit.drafts.pofile import PoDocument, content, revision_date
from pubkit.files import write_atomic
from pubkit.spec.segments import Segment


def update_template(path: Path, brochure_id: str, source_segments: Iterable[Segment],
                    references: dict[str, tuple[str, str]]) -> str:
    """Bring the template in line with the segments; returns its ``POT-Creation-Date``."""
    doc = read_document(path, "", brochure_id) if path.exists() else PoDocument.new()
    wanted: dict[tuple[str | None, str], list[str]] = {}  # (msgctxt, source) → paths; msgctxt for separate blocks
    notes: dict[tuple[str | None, str], list[str]] = {}
    for segment in source_segments:
        key = (segment.path if segment.own else None, segment.text)
        wanted.setdefault(key, []).append(segment.path)
        notes.setdefault(key, [])
        if segment.note and segment.note not in notes[key]:
            notes[key].append(segment.note)
    existing = {(entry.msgctxt, entry.msgid): entry for entry in doc.po if not entry.obsolete}
    entries = []
    for (context, source), paths in wanted.items():
        comment = paths + [f"{CONTEXT_PREFIX} {note}" for note in notes[context, source]]
        fresh = polib.POEntry(msgctxt=context, msgid=source, msgstr="", comment="\n".join(comment),
                              occurrences=list(dict.fromkeys(references[p] for p in paths if p in references)))
        old = existing.get((context, source))
        entries.append(old if old is not None and content(old) == content(fresh) else fresh)
    doc.po[:] = entries
    date = doc.po.metadata.get("POT-Creation-Date", "").strip()
    if not doc.entries_changed() and date:
        return date
    date = revision_date()
    fields = {"Project-Id-Version": brochure_id, "Report-Msgid-Bugs-To": "", "POT-Creation-Date": date,
              "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE", "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
              "Language-Team": "LANGUAGE <LL@li.org>", "Language": "", "MIME-Version": "1.0",
              "Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "8bit",
              "X-Generator": "pubkit"}
    if doc.original is not None:  # keep the rest of an existing header as it is
        fields = {"POT-Creation-Date": date}
    doc.po.metadata.update(fields)
    write_atomic(path, doc.render(fields))
    return date
