"""``pubkit translate``: machine-translation drafts in the PO files, for translators to review.

Only entries with no translation are sent to a model; reviewed entries are never touched.
English goes first, because Japanese, Korean and Chinese are translated through it: from the
reviewed English where a translator has reviewed it, otherwise by chaining vi→en→xx.
"""

from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from pubkit.commands.brochures import BrochureFiles, locate
from pubkit.drafts.catalog import (CHECK_PREFIX, CONTEXT_PREFIX, MEMORY_NOTE, NOTE_PREFIX, Catalog, merge,
                                   needs_machine_translation, read_catalog, read_document, save)
from pubkit.drafts.pofile import PoDocument
from pubkit.drafts.template import update_template
from pubkit.errors import PubkitError
from pubkit.files import remove_stale_temps
from pubkit.project import Project
from pubkit.spec import SPEC_NAME, load_spec
from pubkit.spec.segments import segments
from pubkit.translate.glossary import glossary_for
from pubkit.translate.packages import default_packages_dir, installed
from pubkit.translate.memory import project_memory
from pubkit.translate.protect import Glossary, mask, restore
from pubkit.translate.routes import PIVOT, Route, find_route
from pubkit.translate.sentences import split_sentences

MT_NOTE = NOTE_PREFIX + " machine translation, route {route}"
PACKAGES_NOTE = NOTE_PREFIX + " packages {packages}"
LOST_NOTE = CHECK_PREFIX + " protected items lost in MT: {items}"
REPEATED_NOTE = CHECK_PREFIX + " protected items repeated in MT: {items}"
STRAY_NOTE = CHECK_PREFIX + " placeholders MT made up, left in the text: {items}"


@dataclass
class LanguageReport:
    language: str
    translated: int = 0
    lost: int = 0  # drafts flagged for a lost, repeated or stray protected item
    from_memory: int = 0
    skipped: int = 0  # stale machine drafts kept because no model is installed
    skipped_because: str = ""


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


def spec_references(brochure, sources: list) -> dict[str, tuple[str, str]]:
    """``#:`` references: each segment's spec path → (``brochure.yaml``, its line)."""
    references = {}
    for segment in sources:
        line = brochure.line_of(segment.path)
        if line:
            references[segment.path] = (SPEC_NAME, str(line))
    return references


@dataclass
class _Plan:
    """One language's drafts merged in memory, and what still needs a model."""

    language: str
    path: Path
    doc: PoDocument
    read: bytes | None
    pending: list = field(default_factory=list)
    route: Route | None = None
    skipped_because: str = ""
    from_memory: int = 0


def _plan(files: BrochureFiles, project: Project, brochure, code: str, sources: list, references: dict,
          models: _Models) -> _Plan:
    path = files.drafts(project, code)
    doc = read_document(path, code, files.id) if path.exists() else PoDocument.new()
    memory = project_memory(project.root, project.brochures, project.drafts_folder, code)
    merge(doc.po, sources, memory, references)
    plan = _Plan(code, path, doc, doc.original)
    plan.from_memory = sum(1 for e in doc.po if not e.obsolete and e.msgctxt is None and "fuzzy" in e.flags
                           and any(line.startswith(MEMORY_NOTE) or "from translation memory" in line
                                   for line in e.comment.splitlines()) and id(e) not in doc.blocks)
    plan.pending = [e for e in doc.po if not e.obsolete and e.msgctxt is None and needs_machine_translation(e)]
    if plan.pending:
        try:
            plan.route = models.route(brochure.source_language, code)
        except PubkitError as error:
            if any(not e.msgstr.strip() for e in plan.pending):
                raise  # a segment with no text at all: the run cannot go on without the model
            plan.skipped_because = f"{error.problem} — {error.fix}"  # stale drafts keep their old text
            plan.pending = []
    return plan


def _run_models(plan: _Plan, english: Catalog | None, source_language: str, glossary: Glossary,
                models: _Models, report: LanguageReport) -> None:
    route, language = plan.route, plan.language
    jobs = []  # (entry, masked text, hops still to run)
    for entry in plan.pending:
        reviewed_english = english.translation(entry.msgid, include_unreviewed=False) if english else None
        if reviewed_english:
            jobs.append((entry, mask(reviewed_english, glossary, language, source=PIVOT), route.hops[1:]))
        else:
            jobs.append((entry, mask(entry.msgid, glossary, language, source=source_language), route.hops))
    texts = {id(entry): masked.text for entry, masked, _ in jobs}
    for hop in route.hops:
        batch = [entry for entry, _, hops in jobs if hop in hops]
        outputs = models.run(hop, [texts[id(entry)] for entry in batch])
        for entry, output in zip(batch, outputs):
            texts[id(entry)] = output
    for entry, masked, hops in jobs:
        restored = restore(texts[id(entry)], masked)
        label = "en→" + language if len(hops) < len(route.hops) else route.label
        notes = [MT_NOTE.format(route=label), PACKAGES_NOTE.format(packages=", ".join(h.name for h in hops))]
        if restored.lost:
            notes.append(LOST_NOTE.format(items=", ".join(restored.lost)))
        if restored.repeated:
            notes.append(REPEATED_NOTE.format(items=", ".join(restored.repeated)))
        if restored.stray:
            notes.append(STRAY_NOTE.format(items=", ".join(restored.stray)))
        if restored.lost or restored.repeated or restored.stray:
            report.lost += 1
        entry.msgstr = restored.text
        if "fuzzy" not in entry.flags:
            entry.flags.append("fuzzy")
        # the spec paths and context notes stay (merge writes them, a second run would put them back); the
        # notes of the text it replaces go
        entry.comment = "\n".join([line for line in entry.comment.splitlines()
                                   if not line.startswith(NOTE_PREFIX) or line.startswith(CONTEXT_PREFIX)] + notes)
        report.translated += 1


def translate(project: Project, paths: tuple[Path, ...] = (), languages: tuple[str, ...] = (),
              packages_dir: Path | None = None,
              progress: Callable[[str, int, int], None] | None = None) -> list[TranslateReport]:
    """Draft every untranslated segment of the brochures at ``paths``; ``progress(label, done, total)``.

    Per language, in order: the drafts are merged with the spec (edited segments start from their
    old translation, fuzzy, with ``#|``), new segments are prefilled from translation memory
    (:mod:`pubkit.translate.memory`), and what is still empty — or a machine draft made for a
    previous source — goes to a model. Every language is planned before any file is written, so
    a missing model for a segment with no text at all stops the run with nothing written.
    """
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
        references = spec_references(brochure, sources)
        glossary = glossary_for(project.root, files.folder)
        report = TranslateReport(files.id)
        calls_before = models.calls
        folder = files.folder / project.drafts_folder
        with drafts_lock(folder):
            remove_stale_temps(folder)
            plans = [_plan(files, project, brochure, code, sources, references, models) for code in targets]
            pot_date = update_template(folder / f"{files.id}.pot", files.id, sources, references)
            written: dict[str, Catalog] = {}
            for done, plan in enumerate(plans):
                if progress:
                    progress(f"{files.id}: {plan.language}", done, len(plans))
                row = LanguageReport(plan.language, from_memory=plan.from_memory, skipped_because=plan.skipped_because)
                row.skipped = sum(1 for e in plan.doc.po if not e.obsolete and needs_machine_translation(e)) \
                    if plan.skipped_because else 0
                if plan.pending:
                    english = None
                    if len(plan.route.hops) == 2:
                        english = written.get(PIVOT) or read_catalog(files.drafts(project, PIVOT), PIVOT, files.id)
                    _run_models(plan, english, brochure.source_language, glossary, models, row)
                now = plan.path.read_bytes() if plan.path.exists() else None
                if now != plan.read:
                    raise PubkitError("the drafts changed on disk while pubkit was translating", file=plan.path,
                                      fix="nothing was overwritten; run pubkit translate again")
                save(plan.doc, plan.path, plan.language, files.id, pot_date)
                written[plan.language] = Catalog(plan.path, plan.language,
                                                 {e.msgid: e for e in plan.doc.po
                                                  if not e.obsolete and e.msgctxt is None})
                report.languages.append(row)
            if progress:
                progress(f"{files.id}: done", len(plans), len(plans))
        report.model_calls = models.calls - calls_before
        reports.append(report)
    return reports
