"""``pubkit status``: per language, how far review has come and whether it can go to print."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pubkit.commands.brochures import locate
from pubkit.content.gate import check_markup
from pubkit.drafts import EntryState, read_catalog, read_merged_catalog
from pubkit.project import Project
from pubkit.spec import load_spec
from pubkit.spec.segments import segments


@dataclass
class LanguageStatus:
    language: str
    segments: int
    reviewed: int
    machine_only: int  # unreviewed, never reviewed before (machine or memory draft)
    stale: int  # unreviewed because the Vietnamese changed since the last translation
    missing: int
    words_to_review: int

    @property
    def ready(self) -> bool:
        return self.reviewed == self.segments


def status(project: Project, paths: tuple[Path, ...] = ()) -> list[tuple[str, list[LanguageStatus]]]:
    result = []
    for files in locate(project, paths):
        brochure = load_spec(files.spec)
        rows = []
        listed = list(segments(brochure))
        for code in brochure.languages:
            if code == brochure.source_language:
                continue
            catalog = read_catalog(files.drafts(project, code), code, files.id)  # what a build reads
            merged = None  # what the next translate run makes of it, read when an entry is missing (0.1 s)
            # a reviewed entry whose tags differ from its source is refused as build refuses it: never "ready"
            check_markup(catalog, [(s.text, s.path) for s in listed])
            # one unit per entry a translator reviews: a shared string once, a context entry (msgctxt) on its own
            units = {(s.path if (s.path, s.text) in catalog.contexts else None, s.text): s.path
                     for s in listed if s.prints_in(code)}  # not what an only: override replaces
            counts = {"reviewed": 0, "machine_only": 0, "stale": 0, "missing": 0}
            words = 0
            for (_, source), path in units.items():
                state = catalog.state(source, path)
                if state is EntryState.REVIEWED:
                    counts["reviewed"] += 1
                    continue
                words += len(source.split())
                if state is EntryState.MISSING and merged is None:  # a source edited since is stale there
                    merged = read_merged_catalog(files.drafts(project, code), code, files.id, listed)
                entry = catalog.entry(source, path) if state is not EntryState.MISSING else merged.entry(source, path)
                if entry is not None and entry.previous_msgid and entry.msgstr:
                    counts["stale"] += 1
                elif state is EntryState.MISSING:
                    counts["missing"] += 1
                else:
                    counts["machine_only"] += 1
            rows.append(LanguageStatus(code, len(units), words_to_review=words, **counts))
        result.append((files.id, rows))
    return result
