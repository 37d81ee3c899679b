"""Read and update one language's PO drafts without ever touching a translator's text."""

from __future__ import annotations

import difflib
import enum
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import polib

from pubkit.drafts.pofile import PLURAL_FORMS, PoDocument, revision_date
from pubkit.drafts.syntax import FIX_LINE, check_po
from pubkit.errors import PubkitError
from pubkit.files import write_atomic
from pubkit.normalize import nfc
from pubkit.spec.segments import Segment


class EntryState(enum.Enum):
    REVIEWED = "reviewed"
    FUZZY = "machine or unreviewed"
    MISSING = "missing"


@dataclass
class Catalog:
    path: Path
    language: str
    entries: dict[str, polib.POEntry]  # active entries without a context, by source
    contexts: dict[tuple[str, str], polib.POEntry] = field(default_factory=dict)  # (spec path, source) → entry
    translator: str = ""  # the header's Last-Translator; empty while it holds gettext's placeholder

    def entry(self, source: str, path: str | None = None) -> polib.POEntry | None:
        """The entry for ``source``; at spec ``path``, a translator's context entry for that place wins."""
        if path is not None and (path, source) in self.contexts:
            return self.contexts[path, source]
        return self.entries.get(source)

    def state(self, source: str, path: str | None = None) -> EntryState:
        entry = self.entry(source, path)
        if entry is None or not entry.msgstr.strip():
            return EntryState.MISSING
        return EntryState.FUZZY if "fuzzy" in entry.flags else EntryState.REVIEWED

    def translation(self, source: str, *, include_unreviewed: bool, path: str | None = None) -> str | None:
        """The translation to print, or None. Unreviewed text only when asked (draft builds)."""
        state = self.state(source, path)
        if state is EntryState.REVIEWED or (include_unreviewed and state is EntryState.FUZZY):
            return self.entry(source, path).msgstr
        return None


def read_document(path: Path, language: str, brochure_id: str | None = None) -> PoDocument:
    """The PO file at ``path`` with how to write it back, checked strictly first (see :mod:`pubkit.drafts.syntax`).

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
        doc = PoDocument.parse(data)
        changed = path.read_bytes() != data
    except (OSError, ValueError) as exc:
        found = re.search(r"line (\d+)", str(exc))
        raise PubkitError(f"this draft file is not a valid PO file ({_reason(exc)})", file=path,
                          line=int(found.group(1)) if found else None, fix=FIX_LINE) from None
    if changed:  # what was parsed is not what was checked
        raise PubkitError("the file changed on disk while pubkit read it", file=path, fix="run the command again")
    for entry in doc.po:
        entry.msgid = unicodedata.normalize("NFC", entry.msgid)
        entry.msgstr = nfc(entry.msgstr)
        if entry.msgctxt is not None:
            entry.msgctxt = unicodedata.normalize("NFC", entry.msgctxt)
    doc.snapshot()
    _check_belongs(doc.po, path, language, brochure_id)
    return doc


def read_po(path: Path, language: str, brochure_id: str | None = None) -> polib.POFile:
    """The entries of the PO file at ``path`` (see :func:`read_document`)."""
    return read_document(path, language, brochure_id).po


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
    return _catalog(path, language, read_po(path, language, brochure_id))


def read_merged_catalog(path: Path, language: str, brochure_id: str | None,
                        source_segments: Iterable[Segment]) -> Catalog:
    """The drafts as the next ``pubkit translate`` would write them (in memory, nothing written): a source
    edited since the file was last updated is then stale, its old translation fuzzy beside the previous
    source, as the translator will see it, not missing (``pubkit status`` called it missing until a
    translate run)."""
    if not path.exists():
        return Catalog(path, language, {})
    po = read_po(path, language, brochure_id)
    merge(po, source_segments)
    return _catalog(path, language, po)


def _catalog(path: Path, language: str, po: polib.POFile) -> Catalog:
    active = [entry for entry in po if not entry.obsolete]
    last = po.metadata.get("Last-Translator", "").strip()
    return Catalog(path, language, {e.msgid: e for e in active if e.msgctxt is None},
                   {(e.msgctxt, e.msgid): e for e in active if e.msgctxt is not None},
                   "" if last.startswith("FULL NAME") else last)


NOTE_PREFIX = "pubkit:"  # extracted-comment lines pubkit writes and keeps across updates
CHECK_PREFIX = NOTE_PREFIX + " check:"  # warnings for the reviewer: dropped once the entry is reviewed
MT_PREFIX = NOTE_PREFIX + " machine translation"
MEMORY_NOTE = "pubkit: prefilled from translation memory"
STALE_MT_NOTE = NOTE_PREFIX + " check: machine draft of the previous source"  # + its text's digest
CONTEXT_PREFIX = NOTE_PREFIX + " context:"  # what the string is where it appears (a table cell, a list step…)
PLACE_PREFIX = NOTE_PREFIX + " place:"  # which place an entry for one place is written for (_follow_places)
PLACE_CHECK = CHECK_PREFIX + " written for"
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


def is_reviewed(entry: polib.POEntry) -> bool:
    return bool(entry.msgstr.strip()) and "fuzzy" not in entry.flags


def is_machine_draft(entry: polib.POEntry) -> bool:
    """An unreviewed entry whose text a model wrote (its notes say so)."""
    return not is_reviewed(entry) and any(line.startswith(MT_PREFIX) for line in entry.comment.splitlines())


def stale_machine_note(msgstr: str) -> str:
    """The note on a machine draft that an edited source inherited, naming the draft by a digest of its
    text: once a translator changes that text (in Poedit, or by an import) the note no longer matches,
    and no model run replaces the translator's words (they were lost when the note alone decided). Short
    enough (73 columns with ``#. ``) that polib and msgcat, which wrap at 78, leave it on one line."""
    return f"{STALE_MT_NOTE} (text {hashlib.sha256(msgstr.encode('utf-8')).hexdigest()[:12]})"


def needs_machine_translation(entry: polib.POEntry) -> bool:
    """Empty, or still the machine draft of the source this entry had before an edit."""
    return not entry.msgstr.strip() or (not is_reviewed(entry)
                                        and stale_machine_note(entry.msgstr) in entry.comment.splitlines())


def _memory_match(memory, source: str) -> tuple[str, str] | None:
    """(translation, note) from ``memory``: a plain mapping (exact sources) or an object with ``match``."""
    if memory is None:
        return None
    if hasattr(memory, "match"):
        return memory.match(source)
    return (memory[source], MEMORY_NOTE) if source in memory else None


def merge(po: polib.POFile, source_segments: Iterable[Segment], memory=None,
          references: dict[str, tuple[str, str]] | None = None) -> None:
    """Bring the entries of ``po`` in line with the spec's segments, in memory (see :func:`update_catalog`).

    A segment marked ``own`` (its block says ``separate: true``) gets an entry of its own, with its spec
    path as ``msgctxt``: the same source elsewhere may need another translation.
    """
    wanted: dict[str, list[str]] = {}
    contexts: dict[str, list[str]] = {}
    own: dict[tuple[str, str], str] = {}  # (spec path, source) → context note
    source_segments = list(source_segments)
    for entry in po:
        entry.comment = _unwrapped(entry.comment)
    for segment in source_segments:
        if getattr(segment, "own", False):
            own[segment.path, segment.text] = getattr(segment, "note", "")
            continue
        wanted.setdefault(segment.text, []).append(segment.path)
        note = getattr(segment, "note", "")
        if note and note not in contexts.setdefault(segment.text, []):
            contexts[segment.text].append(note)
    by_source = {entry.msgid: entry for entry in po if entry.msgctxt is None}  # read_po refuses duplicates
    orphans = [entry for entry in po if entry.msgctxt is None and entry.msgid not in wanted and entry.msgstr.strip()]
    for source, paths in wanted.items():
        entry = by_source.get(source)
        if entry is None:
            entry = polib.POEntry(msgid=source, msgstr="")
            previous = _previous_version(source, paths, orphans)
            if previous is not None:
                orphans.remove(previous)
                entry.msgstr, entry.previous_msgid = previous.msgstr, _made_for(previous)
                entry.tcomment = previous.tcomment
                entry.flags.append("fuzzy")
                if is_machine_draft(previous):  # its text was made for the old source: a model should redo it
                    entry.comment = "\n".join(_notes(previous) + [stale_machine_note(previous.msgstr)])
            else:
                found = _memory_match(memory, source)
                if found is not None:
                    entry.msgstr, entry.comment = found
                    entry.flags.append("fuzzy")
            po.append(entry)
        notes = [line for line in _notes(entry) if not line.startswith(CONTEXT_PREFIX)]
        if is_reviewed(entry):  # the reviewer has seen the warnings: they go
            notes = [line for line in notes if not line.startswith(CHECK_PREFIX)]
        else:  # a translator rewrote the stale machine draft: the text is theirs now (an older pubkit's note,
            #     "machine translation of the previous source, not of this one", names no text: never replaced)
            notes = [line for line in notes if not line.startswith(STALE_MT_NOTE + " (")
                     or line == stale_machine_note(entry.msgstr)]
        entry.comment = "\n".join(paths + [f"{CONTEXT_PREFIX} {note}" for note in contexts.get(source, [])] + notes)
        if references is not None:
            entry.occurrences = list(dict.fromkeys(references[path] for path in paths if path in references))
    _follow_places(po, source_segments)  # first: an entry that moves takes its place before one is made for it
    present = {(entry.msgctxt, entry.msgid) for entry in po if entry.msgctxt is not None}
    new_places = [polib.POEntry(msgctxt=path, msgid=source, msgstr="",
                                comment="\n".join([path] + ([f"{CONTEXT_PREFIX} {note}"] if note else [])))
                  for (path, source), note in own.items() if (path, source) not in present]
    for entry in new_places:
        _start_from_last_text(entry, po, wanted, own)
    po.extend(new_places)
    _follow_places(new_places, source_segments)  # their place notes
    for entry in po:
        if entry.msgctxt is None:
            entry.obsolete = entry.msgid not in wanted
        else:  # a context for one place in the spec (msgctxt = the spec path): a translator's, or a separate block's
            entry.obsolete = entry.msgctxt not in wanted.get(entry.msgid, []) and (entry.msgctxt, entry.msgid) not in own
            if not entry.obsolete and references is not None and entry.msgctxt in references:
                entry.occurrences = [references[entry.msgctxt]]
    order = {source: i for i, source in enumerate(wanted)}
    po[:] = sorted(po, key=lambda e: (e.obsolete, order.get(e.msgid, len(order)), e.msgctxt is not None))


def _start_from_last_text(entry: polib.POEntry, po: polib.POFile, wanted: dict[str, list[str]],
                          own: dict[tuple[str, str], str]) -> None:
    """A new entry for one place whose Vietnamese was edited starts, like any edited segment, from the
    translation its place had (fuzzy, with the previous source): the entry at the same place for a
    text no longer there. It started empty, and the translator's wording was left in an obsolete entry."""
    path = entry.msgctxt
    previous = next((old for old in po if old.msgctxt == path and old.msgid != entry.msgid and old.msgstr.strip()
                     and path not in wanted.get(old.msgid, []) and (path, old.msgid) not in own), None)
    if previous is None:
        return
    entry.msgstr, entry.previous_msgid, entry.tcomment = previous.msgstr, _made_for(previous), previous.tcomment
    entry.flags.append("fuzzy")


def _made_for(previous: polib.POEntry) -> str:
    """The source ``previous``'s translation was made for, the previous source (``#|``) of an edited segment:
    an entry edited again before anyone reviewed it keeps its first one, as msgmerge --previous does (else
    the diff a translator reads shows the second edit alone, and the first went to print unseen)."""
    return previous.previous_msgid if "fuzzy" in previous.flags and previous.previous_msgid else previous.msgid


def _place_anchors(source_segments: list[Segment]) -> dict[str, str]:
    """What each spec path is, in words that survive sections and blocks being added around it: the
    heading of its section and which occurrence of its text there it is ("section “Nông nghiệp”,
    occurrence 1"); a path outside the sections (cover, back cover) is its own anchor.

    A text that occurs more than once in its section also names the text before it (", after “Nam
    Phổ Yên”": in a table, the row's first cell): the occurrence alone did not tell two rows apart
    once the editor sorted the table, and a row's own translation went, reviewed, to another row."""
    headings = {segment.path.split(".", 1)[0]: segment.text for segment in source_segments
                if segment.path.startswith("sections[") and segment.path.endswith("].heading")
                and segment.path.count(".") == 1}
    inside = [segment for segment in source_segments if segment.path.startswith("sections[")]
    repeats: dict[tuple[str, str], int] = {}
    for segment in inside:
        key = (segment.path.split(".", 1)[0], segment.text)
        repeats[key] = repeats.get(key, 0) + 1
    seen: dict[tuple[str, str], int] = {}
    anchors = {segment.path: segment.path for segment in source_segments if not segment.path.startswith("sections[")}
    before: dict[str, str] = {}  # section -> the last text met in it
    for segment in inside:
        section = segment.path.split(".", 1)[0]
        count = seen[section, segment.text] = seen.get((section, segment.text), 0) + 1
        heading = headings.get(section)
        anchor = f"section “{heading}”, occurrence {count}" if heading else f"{section}, occurrence {count}"
        if repeats[section, segment.text] > 1:
            anchor += f", after “{_short(before.get(section, ''))}”"
        anchors[segment.path] = anchor
        before[section] = segment.text
    return anchors


def _short(text: str) -> str:
    """A neighbouring text as a place note quotes it: one line, at most 40 characters."""
    line = " ".join(text.split())
    return line if len(line) <= 40 else line[:39] + "…"


def _same_place(recorded: str, here: str | None) -> bool:
    """Whether a recorded place is ``here``; one recorded before places named the text before a repeated
    text (no ", after …") is taken as naming the occurrence alone."""
    return here is not None and (recorded == here or here.startswith(recorded + ", after “"))


def _place_of(recorded: str, anchor: str) -> bool:
    """Whether ``anchor`` is the place ``recorded`` names: the same, or for a repeated text the same section
    and text before it whatever its occurrence (rows sorted or added above it)."""
    if _same_place(recorded, anchor):
        return True
    mark = ", after “"
    if mark not in recorded or mark not in anchor:
        return False
    section, after = recorded.split(", occurrence ")[0], recorded.split(mark, 1)[1]
    return anchor.split(", occurrence ")[0] == section and anchor.split(mark, 1)[1] == after


def _follow_places(po: polib.POFile, source_segments: list[Segment]) -> None:
    """Keep each entry for one place (``msgctxt`` = its spec path) with that place when the spec changes.

    A spec path is a position: a section added above moved "sections[1].content[0]" to another
    paragraph with the same Vietnamese, which then printed the first one's translation, reviewed and
    without a word. So the entry notes what its place is (:func:`_place_anchors`); when its path now
    names another place, it moves to the path that has its place (every entry that moves at once, so
    two places can swap), and where none has it (its heading was edited, say) it stays but goes back
    to review with a note.

    Obsolete entries too: one whose path holds its text again comes back to life, and it must come back at
    its place. A section removed and then added back above another revived its entry at the other
    section's paragraph of the same text, reviewed, printing the removed section's translation there.
    """
    anchors = _place_anchors(source_segments)
    paths_of: dict[str, set[str]] = {}
    for segment in source_segments:
        paths_of.setdefault(segment.text, set()).add(segment.path)
    placed = [entry for entry in po if entry.msgctxt is not None]
    wanted: dict[int, str] = {}
    for entry in placed:
        recorded = _recorded_place(entry)
        here = anchors.get(entry.msgctxt) if entry.msgctxt in paths_of.get(entry.msgid, ()) else None
        if recorded is None or _same_place(recorded, here):
            continue
        found = [path for path in paths_of.get(entry.msgid, ()) if _place_of(recorded, anchors[path])]
        if len(found) == 1:
            wanted[id(entry)] = found[0]
    targets = [wanted[id(entry)] if id(entry) in wanted else entry.msgctxt for entry in placed]
    # the live entries decide: an obsolete one never moves onto, nor keeps, a place a live one takes
    live = [(path, entry.msgid) for path, entry in zip(targets, placed) if not entry.obsolete]
    clash = {place for place in live if live.count(place) > 1}
    for k, entry in enumerate(placed):
        if entry.obsolete and (targets[k], entry.msgid) in live:
            targets[k] = entry.msgctxt if (entry.msgctxt, entry.msgid) not in live else _retired(entry.msgctxt)
    for entry, path in zip(placed, targets):
        if is_reviewed(entry):  # a reviewer has seen the place warning: it goes
            entry.comment = "\n".join(line for line in entry.comment.splitlines()
                                      if not line.startswith(PLACE_CHECK))
        if path != entry.msgctxt and (path, entry.msgid) not in clash:
            lines = entry.comment.splitlines()
            entry.comment = "\n".join(path if line == entry.msgctxt else line for line in lines)
            entry.msgctxt = path
        here = anchors.get(entry.msgctxt) if entry.msgctxt in paths_of.get(entry.msgid, ()) else None
        if here is None or here == entry.msgctxt:
            continue  # its place is gone (obsolete below), or is its path (outside the sections: no note)
        lines = entry.comment.splitlines()
        recorded = _recorded_place(entry)
        if recorded is not None and not _place_of(recorded, here) and entry.msgstr.strip():
            if "fuzzy" not in entry.flags:
                entry.flags.append("fuzzy")
            lines.append(f"{PLACE_CHECK} {recorded}; the spec changed around it, check it here")
        lines = [line for line in lines if not line.startswith(PLACE_PREFIX)] + [f"{PLACE_PREFIX} {here}"]
        entry.comment = "\n".join(lines)


def _unwrapped(comment: str) -> str:
    """Extracted comments with each of pubkit's notes on one line again. polib, and the tools built on it,
    wrap a comment line at 78 columns when they save a file: a place note cut in two no longer named its
    place, and the next run with nothing changed sent the reviewed entry back to review, leaving the cut
    half as a stray note. pubkit writes an entry's spec paths before its notes, so a line after a note that
    is not a note itself continues it (a last word alone on its line, "here", included)."""
    lines: list[str] = []
    for line in comment.splitlines():
        if lines and lines[-1].startswith(NOTE_PREFIX) and not line.startswith(NOTE_PREFIX):
            lines[-1] += " " + line
        else:
            lines.append(line)
    return "\n".join(lines)


def _retired(path: str) -> str:
    """A context no spec path is: an obsolete entry whose place a live entry took keeps its text under it,
    never revived there (two entries for one place make a file that cannot be read)."""
    return f"{path} (removed)"


def _recorded_place(entry: polib.POEntry) -> str | None:
    return next((line[len(PLACE_PREFIX):].strip() for line in entry.comment.splitlines()
                 if line.startswith(PLACE_PREFIX)), None)


def _notes(entry: polib.POEntry) -> list[str]:
    return [line for line in entry.comment.splitlines() if line.startswith(NOTE_PREFIX)]


def header_fields(doc: PoDocument, language: str, brochure_id: str, pot_date: str | None = None) -> dict[str, str]:
    """What pubkit sets in the header of a file it writes: missing conventional fields, and the dates."""
    now = revision_date()
    defaults = {"Project-Id-Version": brochure_id, "Report-Msgid-Bugs-To": "", "POT-Creation-Date": pot_date or now,
                "PO-Revision-Date": now, "Last-Translator": "", "Language-Team": "", "Language": language,
                "MIME-Version": "1.0", "Content-Type": "text/plain; charset=UTF-8",
                "Content-Transfer-Encoding": "8bit"}
    if language in PLURAL_FORMS:
        defaults["Plural-Forms"] = PLURAL_FORMS[language]
    defaults["X-Generator"] = "pubkit"
    defaults["X-Poedit-Basepath"] = ".."  # #: brochure.yaml:LINE is relative to the brochure's folder
    present = doc.po.metadata
    fields = {name: value for name, value in defaults.items() if not present.get(name, "").strip()
              and not (name == "Report-Msgid-Bugs-To" and name in present)}
    fields["PO-Revision-Date"] = now
    if pot_date:
        fields["POT-Creation-Date"] = pot_date
    return fields


def save(doc: PoDocument, path: Path, language: str, brochure_id: str, pot_date: str | None = None) -> bool:
    """Write ``doc`` if any entry changed: kept entries byte for byte, the header's dates updated."""
    if not doc.entries_changed():
        return False  # a run that changes nothing leaves the file (and its timestamp) alone
    fields = header_fields(doc, language, brochure_id, pot_date)
    doc.po.metadata.update(fields)
    write_atomic(path, doc.render(fields))
    return True


def update_catalog(path: Path, language: str, brochure_id: str, source_segments: Iterable[Segment],
                   memory=None, *, references: dict[str, tuple[str, str]] | None = None,
                   pot_date: str | None = None) -> Catalog:
    """Bring the PO file in line with the spec's segments and write it atomically.

    As ``msgmerge`` does: an unchanged segment keeps its entry untouched; an edited one gets a
    new ``fuzzy`` entry that starts from the old translation and shows the old source
    (``#| msgid``); a segment that left the spec becomes obsolete (``#~``) — its reviewed
    text is kept, never deleted or overwritten. New segments are prefilled (``fuzzy``) from
    ``memory``: a mapping of exact sources to reviewed translations, or an object whose
    ``match(source)`` gives ``(translation, note)``. ``references`` maps spec paths to ``#:``
    references. Only entries that changed are rewritten (:mod:`pubkit.drafts.pofile`).
    """
    doc = read_document(path, language, brochure_id) if path.exists() else PoDocument.new()
    merge(doc.po, source_segments, memory, references)
    save(doc, path, language, brochure_id, pot_date)
    return _catalog(path, language, doc.po)


def write_drafts(path: Path, language: str, brochure_id: str, drafts: Iterable[polib.POEntry]) -> None:
    """Write machine drafts into the entries that are still untranslated on disk; nothing else changes."""
    doc = read_document(path, language, brochure_id)
    on_disk = {entry.msgid: entry for entry in doc.po if not entry.obsolete and entry.msgctxt is None}
    for draft in drafts:
        target = on_disk.get(draft.msgid)
        if target is not None and not target.msgstr.strip():
            target.msgstr, target.flags, target.comment = draft.msgstr, draft.flags, draft.comment
    save(doc, path, language, brochure_id)
