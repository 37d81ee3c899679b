"""The review gate: which text an edition may publish, in print or on the web.

A language other than the source is published only when every segment of the spec is reviewed
in its PO file and every reviewed translation uses the glossary's required terms. A draft
(``--draft``) publishes anyway: unreviewed translations as they are, missing ones as the source.

Inline markup (:mod:`pubkit.markup`) is checked here too, for every edition, drafts included: the
source's tags must be well formed (refused at the spec's line), and a reviewed translation must
carry the same tags as its source (refused at the PO file's line). Build, web and preflight all
pass through this gate, so none of them prints a span the translation dropped.
"""

from __future__ import annotations

from pathlib import Path

from pubkit import markup
from pubkit.drafts import Catalog, EntryState, read_catalog
from pubkit.errors import PubkitError
from pubkit.project import Project
from pubkit.spec import SPEC_NAME, Brochure
from pubkit.spec.segments import segments
from pubkit.translate.glossary import glossary_for
from pubkit.wording import counted

SHOWN_SEGMENTS = 5


class Translation:
    """The source→published text function of one edition, after the review gate.

    Calling it gives the text to publish for a source string; with the segment's spec ``path``
    (``translation(text, path)``), a translator's context entry for that place (``msgctxt "<path>"``)
    wins over the shared entry. ``draft`` says whether any segment is unreviewed (only possible in a
    draft); :meth:`reviewed` tells a reviewed text from one a draft shows unreviewed or untranslated,
    :meth:`state` names its review state as the review spreadsheet does.
    """

    def __init__(self, language: str, catalog: Catalog | None, draft: bool, pending: bool):
        self.language = language
        self._catalog = catalog  # None: the source language, published as written
        self._allow_unreviewed = draft
        self.draft = pending

    def __call__(self, text: str, path: str | None = None) -> str:
        catalog = self._catalog
        if catalog is None:
            return text
        found = catalog.translation(text, include_unreviewed=True, path=path)
        if found is not None:
            return found
        if self._allow_unreviewed:  # a proof shows the source where nothing is translated yet
            return text
        # fail closed: text the segment list missed must never print in Vietnamese unnoticed
        raise PubkitError(f"no {self.language} translation for “{text[:40]}”", file=catalog.path,
                          fix="run `pubkit translate`, review the new entry, then build again")

    def place_in_file(self, path: str, printed: str) -> tuple[Path, int | None] | None:
        """(draft file, line) of the entry that gives ``printed`` at spec ``path``: a context entry for that
        place, else the entry whose notes list the path or whose translation is the printed text; None for
        the source language or text no entry gave."""
        catalog = self._catalog
        if catalog is None:
            return None
        entries = [entry for (where, _), entry in catalog.contexts.items() if where == path]
        entries += [entry for entry in catalog.entries.values() if path in entry.comment.splitlines()]
        entries += [entry for entry in catalog.entries.values() if entry.msgstr and entry.msgstr in printed]
        return (catalog.path, getattr(entries[0], "linenum", None)) if entries else None

    @property
    def translator(self) -> str:
        """Who the draft file's header names as its last translator (empty for the source language)."""
        return self._catalog.translator if self._catalog is not None else ""

    def reviewed(self, text: str, path: str | None = None) -> bool:
        return self._catalog is None or self._catalog.state(text, path) is EntryState.REVIEWED

    def shows_source(self, text: str, path: str | None = None) -> bool:
        """Whether :meth:`__call__` gives the source itself, untranslated (only in a draft)."""
        return self._catalog is not None and self._catalog.translation(text, include_unreviewed=True,
                                                                         path=path) is None

    def state(self, text: str, path: str | None = None) -> str:
        """'reviewed', 'missing', 'stale', 'machine draft' or 'unreviewed' (the review spreadsheet's words)."""
        if self._catalog is None:
            return "reviewed"
        from pubkit.interchange.xlsx import state_of

        entry = self._catalog.entry(text, path)
        return "missing" if entry is None else state_of(entry)


def review_gate(brochure: Brochure, drafts: Path, brochure_id: str, project: Project, folder: Path,
                language: str, draft: bool, segment_list=segments) -> Translation:
    """The edition's :class:`Translation`, or a :class:`PubkitError` naming what is not reviewed.

    ``drafts`` is the language's PO file, ``folder`` the brochure's folder (for its glossary).
    Each segment is checked at its place: a context entry (``msgctxt`` = the spec path) counts for
    that place, the shared entry for the others.
    ``segment_list`` lists what must be reviewed (the spec's segments; a test may narrow it to show
    that text it misses is still refused when looked up).
    """
    listed = list(segment_list(brochure))  # walked once: every check below reads the same list
    check_source_markup(brochure, folder / SPEC_NAME, listed)
    if language == brochure.source_language:
        return Translation(language, None, draft, False)
    catalog = read_catalog(drafts, language, brochure_id)
    sources = [(s.text, s.path) for s in listed]
    check_markup(catalog, sources)
    pending = [(path, state) for text, path in sources
               if (state := catalog.state(text, path)) is not EntryState.REVIEWED]
    if pending and not draft:
        missing = sum(1 for _, state in pending if state is EntryState.MISSING)
        shown = ", ".join(path for path, _ in pending[:SHOWN_SEGMENTS])
        more = f" and {len(pending) - SHOWN_SEGMENTS} more" if len(pending) > SHOWN_SEGMENTS else ""
        raise PubkitError(
            f"the {language} edition is not ready: {counted(len(pending), 'segment', 'segments')} not reviewed "
            f"({missing} missing, {len(pending) - missing} unreviewed): {shown}{more}",
            file=catalog.path, fix=f"review them (clear the fuzzy flag) in {catalog.path.name}, "
                                   "or build with --draft for a proof")
    if not draft:
        check_glossary(catalog, glossary_for(project.root, folder), sources)
    return Translation(language, catalog, draft, bool(pending))


def check_glossary(catalog: Catalog, glossary, sources: list) -> None:
    """Reviewed translations must use the glossary's required term for every term their source holds.

    ``sources`` are source strings, or (source, spec path) pairs: then the translation printed at
    that place (a context entry's, where there is one) is checked.
    """
    language = catalog.language
    problems = []
    for item in dict.fromkeys(sources):
        source, path = item if isinstance(item, tuple) else (item, None)
        text = catalog.translation(source, include_unreviewed=False, path=path) or ""
        for term, forms in glossary.terms.items():
            required = forms.get(language)
            if required and term in source and required not in text:
                problems.append(f"'{source[:30]}…' lacks '{required}' ({term})")
    problems = list(dict.fromkeys(problems))  # the same text at several places is one problem
    if problems:
        more = f" and {len(problems) - 3} more" if len(problems) > 3 else ""
        raise PubkitError(f"{len(problems)} reviewed translations miss a glossary term: {'; '.join(problems[:3])}{more}",
                          file=catalog.path, fix="use the glossary's term (glossary.yaml) in those entries")


MARKUP_FIX = 'tags are <b>…</b>, <i>…</i>, <a href="https://…">…</a>, <nobr>…</nobr>; write &lt; for a literal <'


def check_source_markup(brochure: Brochure, spec_file: Path, listed) -> None:
    """Every source string's markup (of the brochure's segments ``listed``) is well formed; otherwise one line
    at the spec's key."""
    for segment in listed:
        if not markup.has_markup(segment.text):
            continue
        try:
            markup.parse(segment.text)
        except markup.MarkupError as error:
            raise PubkitError(f"{error.problem} in “{segment.text[:40]}”", file=spec_file,
                              line=brochure.line_of(segment.path), key=segment.path, fix=MARKUP_FIX) from None


def check_markup(catalog: Catalog, sources: list[tuple[str, str | None]]) -> None:
    """A reviewed translation carries the same tags as its source (same spans and link targets, in any order).

    Refused with the PO file and the line of the entry's ``msgstr``; unreviewed entries are left
    to review (a draft proof prints broken markup as written, so the reviewer sees it).
    """
    for source, path in dict.fromkeys(sources):
        entry = catalog.entry(source, path)
        if entry is None or catalog.state(source, path) is not EntryState.REVIEWED:
            continue
        problem = markup.compare(source, entry.msgstr)
        if problem:
            raise PubkitError(f"the reviewed translation of “{source[:40]}” does not match its source's tags: {problem}",
                              file=catalog.path, line=_msgstr_line(catalog.path, entry),
                              fix="give it the same tags as the msgid (they may move, not change), "
                                  "or mark the entry fuzzy")


def _msgstr_line(path: Path, entry) -> int | None:
    """The line of ``entry``'s msgstr in the PO file (polib knows only where the entry starts)."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return entry.linenum
    for number in range(max(entry.linenum - 1, 0), len(lines)):
        if lines[number].startswith("msgstr"):
            return number + 1
    return entry.linenum
