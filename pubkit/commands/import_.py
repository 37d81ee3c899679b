"""``pubkit import``: translations back from XLIFF and review spreadsheets; TMX files into the memory.

Every file is read and checked, and every change planned, before anything is written; a file
that cannot be read stops the run with nothing written. Per entry, the rules of
:mod:`pubkit.interchange.review` apply (a reviewed entry is never replaced by an unreviewed one;
conflicts are reported and the PO file's version kept).
"""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from pubkit.commands.brochures import BrochureFiles, locate
from pubkit.commands.export import Drafts, current_drafts, relative
from pubkit.drafts.catalog import save
from pubkit.errors import PubkitError
from pubkit.files import write_atomic
from pubkit.interchange.review import ImportResult, apply
from pubkit.project import Project
from pubkit.spec import load_spec

KINDS = {".xlf": "xliff", ".xliff": "xliff", ".xlsx": "xlsx", ".tmx": "tmx"}


@dataclass
class ImportReport:
    file: Path
    results: list[tuple[str, ImportResult]] = field(default_factory=list)  # (drafts file, result)
    memory: Path | None = None  # where a TMX file was put
    memory_units: int = 0


def _drafts_by_original(project: Project) -> dict[str, tuple[BrochureFiles, str]]:
    """Every drafts file of the project, by its project-relative path, with its brochure and language."""
    found = {}
    for files in locate(project, ()):
        brochure = load_spec(files.spec)
        for code in brochure.languages:
            if code != brochure.source_language:
                found[relative(project, files.drafts(project, code))] = (files, code)
    return found


def import_files(project: Project, paths: tuple[Path, ...]) -> list[ImportReport]:
    from pubkit.commands.translate import drafts_lock
    from pubkit.interchange.tmx import check_tmx
    from pubkit.interchange.xliff import read_xliff
    from pubkit.interchange.xlsx import read_xlsx
    from pubkit.translate.memory import MEMORY_FOLDER

    known = None
    plans: dict[Path, Drafts] = {}
    reports = []
    copies: list[tuple[Path, Path]] = []
    for path in paths:
        kind = KINDS.get(path.suffix.lower())
        if kind is None:
            raise PubkitError(f"cannot import a '{path.suffix}' file", file=path,
                              fix="give an XLIFF (.xlf), a review sheet (.xlsx) or a memory (.tmx)")
        report = ImportReport(path)
        reports.append(report)
        if kind == "tmx":
            report.memory_units = len(check_tmx(path))
            target = project.root / MEMORY_FOLDER / path.name
            copies.append((path, target))
            report.memory = target
            continue
        known = known if known is not None else _drafts_by_original(project)
        if kind == "xliff":
            parts = [(f.original, f.language, f.units, f.line) for f in read_xliff(path)]
        else:
            sheet = read_xlsx(path)
            parts = [(sheet.drafts, sheet.language, sheet.units, None)]
        for original, language, units, line in parts:
            if original not in known:
                raise PubkitError(f"'{original}' is not a drafts file of this project", file=path, line=line,
                                  fix="import it in the project it was exported from, or export it again "
                                      "with `pubkit export`")
            files, code = known[original]
            if code != language:
                raise PubkitError(f"the file is for language '{language}', but '{original}' is {code}", file=path,
                                  line=line, fix="export it again with `pubkit export`")
            target = files.drafts(project, code)
            if target not in plans:
                plans[target] = current_drafts(project, files, load_spec(files.spec), code)
            result = ImportResult(code)
            apply(plans[target].doc.po, units, result)
            report.results.append((original, result))
    # nothing was written so far; now every drafts file once, under the locks of all their folders, taken
    # before the files are checked: a command that wrote between the check and a lock taken later (per
    # file, as it was) had its write overwritten without a word
    with ExitStack() as locks:
        for folder in sorted({target.parent for target in plans}):
            locks.enter_context(drafts_lock(folder))
        for target, drafts in plans.items():
            now = target.read_bytes() if target.exists() else None
            if now != drafts.doc.original:
                raise PubkitError("the drafts changed on disk while pubkit was importing", file=target,
                                  fix="nothing was overwritten; run pubkit import again")
        for target, drafts in plans.items():
            save(drafts.doc, target, drafts.language, drafts.files.id)
    for source, target in copies:
        if target.exists() and target.read_bytes() == source.read_bytes():
            continue
        write_atomic(target, source.read_bytes())
    return reports
