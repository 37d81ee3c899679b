"""``pubkit translate``: machine-translation drafts in the PO files, for translators to review.

Only entries with no translation are sent to a model; reviewed entries are never touched.
English goes first, because Japanese, Korean and Chinese are translated through it: from the
reviewed English where a translator has reviewed it, otherwise by chaining vi→en→xx.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from pubkit.commands.brochures import BrochureFiles, locate
from pubkit.drafts.catalog import NOTE_PREFIX, EntryState, read_catalog, update_catalog, write_drafts
from pubkit.errors import PubkitError
from pubkit.files import remove_stale_temps
from pubkit.project import Project
from pubkit.spec import load_spec
from pubkit.spec.segments import segments
from pubkit.translate.glossary import glossary_for
from pubkit.translate.packages import default_packages_dir, installed
from pubkit.translate.protect import Glossary, mask, unmask
from pubkit.translate.routes import PIVOT, Route, find_route
from pubkit.translate.sentences import split_sentences

MT_NOTE = NOTE_PREFIX + " machine translation, route {route}"
PACKAGES_NOTE = NOTE_PREFIX + " packages {packages}"
LOST_NOTE = NOTE_PREFIX + " check: protected items lost in MT: {items}"


@dataclass
class LanguageReport:
    language: str
    translated: int = 0
    lost: int = 0


@dataclass
class TranslateReport:
    brochure: str
    languages: list[LanguageReport] = field(default_factory=list)
    model_calls: int = 0


@contextmanager
def drafts_lock(folder: Path):
    """Stop two pubkit commands from writing the same drafts at once.

    The lock is taken on the folder itself, so no lock file shows up beside the translators' files.
    """
    folder.mkdir(parents=True, exist_ok=True)
    handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PubkitError("another pubkit command is writing these drafts", file=folder,
                              fix="wait for it to finish, then run this again") from None
        yield
    finally:
        os.close(handle)


class _Models:
    """Engines loaded on first use and shared across languages and brochures."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.packages = installed(folder)
        self.engines: dict = {}
        self.cache: dict[tuple[str, str], str] = {}

    def route(self, source: str, target: str) -> Route:
        return find_route(self.packages, source, target, self.folder)

    @property
    def calls(self) -> int:
        return sum(engine.calls for engine in self.engines.values())

    def run(self, package, texts: list[str]) -> list[str]:
        """Translate masked texts with one package; each distinct text goes to the model once per run."""
        from pubkit.translate.engine import Engine

        todo = list(dict.fromkeys(t for t in texts if (package.name, t) not in self.cache))
        if todo:
            if package.name not in self.engines:
                self.engines[package.name] = Engine(package)
            outputs = self.engines[package.name].translate([split_sentences(t) for t in todo])
            self.cache.update({(package.name, t): out for t, out in zip(todo, outputs)})
        return [self.cache[package.name, t] for t in texts]


def _memory(project: Project, language: str, exclude: Path) -> dict[str, str]:
    """Reviewed translations of this language in the project's other brochures."""
    memory: dict[str, str] = {}
    for po in sorted(project.brochures.glob(f"*/{project.drafts_folder}/{language}.po")):
        if po.resolve() == exclude.resolve():
            continue
        catalog = read_catalog(po, language)
        memory.update({source: entry.msgstr for source, entry in catalog.entries.items()
                       if catalog.state(source) is EntryState.REVIEWED})
    return memory


def _one_line(note: str, width: int = 74) -> str:
    """A note short enough that PO writers keep it on one comment line (wrapped lines would be lost)."""
    return note if len(note) <= width else note[: width - 1] + "…"


def _digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def _translate_language(files: BrochureFiles, project: Project, source_language: str, language: str,
                        sources: list, glossary: Glossary, models: _Models) -> LanguageReport:
    path = files.drafts(project, language)
    catalog = update_catalog(path, language, files.id, sources, _memory(project, language, path))
    before = _digest(path)
    pending = [entry for entry in catalog.entries.values() if not entry.msgstr.strip()]
    report = LanguageReport(language)
    if not pending:
        return report
    route = models.route(source_language, language)
    english = read_catalog(files.drafts(project, PIVOT), PIVOT, files.id) if len(route.hops) == 2 else None
    jobs = []  # (entry, masked text, hops still to run)
    for entry in pending:
        reviewed_english = english.translation(entry.msgid, include_unreviewed=False) if english else None
        if reviewed_english:
            jobs.append((entry, mask(reviewed_english, glossary, language, source=PIVOT), route.hops[1:]))
        else:
            jobs.append((entry, mask(entry.msgid, glossary, language, source=source_language), route.hops))
    texts = {id(entry): masked.text for entry, masked, _ in jobs}
    for hop_index in range(len(route.hops)):
        hop = route.hops[hop_index]
        batch = [(entry, masked) for entry, masked, hops in jobs if hop in hops]
        outputs = models.run(hop, [texts[id(entry)] for entry, _ in batch])
        for (entry, _), output in zip(batch, outputs):
            texts[id(entry)] = output
    for entry, masked, hops in jobs:
        text, lost = unmask(texts[id(entry)], masked)
        label = "en→" + language if len(hops) < len(route.hops) else route.label
        notes = [MT_NOTE.format(route=label),
                 _one_line(PACKAGES_NOTE.format(packages=", ".join(h.name for h in hops)))]
        if lost:
            notes.append(_one_line(LOST_NOTE.format(items=", ".join(lost))))
            report.lost += 1
        entry.msgstr = text
        if "fuzzy" not in entry.flags:
            entry.flags.append("fuzzy")
        entry.comment = "\n".join([line for line in entry.comment.splitlines() if not line.startswith(NOTE_PREFIX)]
                                  + notes)
        report.translated += 1
    if _digest(path) != before:
        raise PubkitError("the drafts changed on disk while pubkit was translating", file=path,
                          fix="nothing was overwritten; run pubkit translate again")
    write_drafts(path, language, files.id, [entry for entry, _, _ in jobs])
    return report


def translate(project: Project, paths: tuple[Path, ...] = (), languages: tuple[str, ...] = (),
              packages_dir: Path | None = None,
              progress: Callable[[str, int, int], None] | None = None) -> list[TranslateReport]:
    """Draft every untranslated segment of the brochures at ``paths``; ``progress(label, done, total)``."""
    models = _Models(packages_dir or project.packages or default_packages_dir())
    reports = []
    for files in locate(project, paths):
        brochure = load_spec(files.spec)
        for code in languages:
            if code not in brochure.languages or code == brochure.source_language:
                raise PubkitError(f"--lang {code}: not a target language of this brochure", file=files.spec,
                                  key="languages", fix="use one of: " + ", ".join(
                                      c for c in brochure.languages if c != brochure.source_language))
        targets = [c for c in brochure.languages if c != brochure.source_language and (not languages or c in languages)]
        targets.sort(key=lambda code: code != PIVOT)
        sources = list(segments(brochure))
        glossary = glossary_for(project.root, files.folder)
        for code in targets:  # a missing model stops the run before any file is touched
            catalog = read_catalog(files.drafts(project, code), code, files.id)
            if any(catalog.state(s.text) is EntryState.MISSING for s in sources):
                models.route(brochure.source_language, code)
        report = TranslateReport(files.id)
        calls_before = models.calls
        with drafts_lock(files.folder / project.drafts_folder):
            remove_stale_temps(files.folder / project.drafts_folder)
            for done, code in enumerate(targets):
                if progress:
                    progress(f"{files.id}: {code}", done, len(targets))
                report.languages.append(_translate_language(files, project, brochure.source_language, code,
                                                            sources, glossary, models))
            if progress:
                progress(f"{files.id}: done", len(targets), len(targets))
        report.model_calls = models.calls - calls_before
        reports.append(report)
    return reports
