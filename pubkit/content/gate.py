"""The review gate: which text an edition may publish, in print or on the web.

A language other than the source is published only when every segment of the spec is reviewed
in its PO file and every reviewed translation uses the glossary's required terms. A draft
(``--draft``) publishes anyway: unreviewed translations as they are, missing ones as the source.
"""

from __future__ import annotations

from pathlib import Path

from pubkit.drafts import Catalog, EntryState, read_catalog
from pubkit.errors import PubkitError
from pubkit.project import Project
from pubkit.spec import Brochure
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

    def reviewed(self, text: str, path: str | None = None) -> bool:
        return self._catalog is None or self._catalog.state(text, path) is EntryState.REVIEWED

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
    if language == brochure.source_language:
        return Translation(language, None, draft, False)
    catalog = read_catalog(drafts, language, brochure_id)
    pending = [(s.path, catalog.state(s.text, s.path)) for s in segment_list(brochure)
               if catalog.state(s.text, s.path) is not EntryState.REVIEWED]
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
        check_glossary(catalog, glossary_for(project.root, folder), [(s.text, s.path) for s in segment_list(brochure)])
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
