"""``pubkit build``: every requested edition as a PDF, and the print order.

Nothing is written until every edition has been typeset, so a failure leaves the previous
output as it was.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import signal
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pubkit import content
from pubkit.errors import PubkitError
from pubkit.files import folder_lock, remove_stale_temps, write_atomic
from pubkit.press.printorder import OrderLine, write_print_order
from pubkit.project import Project
from pubkit.spec import Brochure, load_spec
from pubkit.spec.model import LANGUAGE_NAMES, ImageBlock
from pubkit.spec.segments import segments
from pubkit.commands import build_cache
from pubkit.commands.brochures import BrochureFiles, locate

SHOWN_SEGMENTS = content.SHOWN_SEGMENTS


@dataclass
class BuiltEdition:
    language: str
    path: Path
    pages: int
    blank_pages: int
    copies: int
    draft: bool
    cached: bool = False  # unchanged inputs: the previous PDF, no layout
    layout: dict = field(default_factory=dict)  # how the edition was fitted into the page plan
    cover: Path | None = None  # with a separate cover stock: the cover PDF


@dataclass
class BuildReport:
    brochure: str
    folder: Path
    editions: list[BuiltEdition] = field(default_factory=list)
    order_files: tuple[Path, ...] = ()
    order_copies: int = 0  # every print edition in the folder, including ones an earlier run made
    warnings: list[str] = field(default_factory=list)


def _languages(brochure: Brochure, files: BrochureFiles, requested: tuple[str, ...]) -> list[str]:
    for code in requested:
        if code not in brochure.languages:
            known = f"; {code} is not a language pubkit knows" if code not in LANGUAGE_NAMES else ""
            raise PubkitError(f"--lang {code}: this brochure has no {code} edition{known}", file=files.spec,
                              key="languages", fix=f"use one of: {', '.join(brochure.languages)}")
    return [code for code in brochure.languages if not requested or code in requested]


def _translator(brochure: Brochure, files: BrochureFiles, project: Project, language: str, draft: bool):
    """The source→print text function of one edition after the review gate, and whether it is a draft.

    The gate itself (review states, glossary, fail-closed lookup) is :mod:`pubkit.content`'s.
    """
    translation = content.gate(project, files, language, draft, brochure, segments)
    return translation, translation.draft


_check_glossary = content.check_glossary
edition_date = content.edition_date


def _preflighted(pdf: bytes, name: str, brochure: Brochure, files: BrochureFiles, draft: bool) -> tuple[dict, list[str]]:
    """Run the shop's checks on a finished edition; a failure stops a print build before anything is written.

    A draft is a proof, not for print: its failures are reported as warnings.
    """
    from pubkit.press.preflight import check_pdf

    result = check_pdf(pdf, name, binding=brochure.format.binding)
    warnings = [f"{name}: {f.check}: {f.detail}" for f in result.findings if f.status == "warn" or draft]
    failures = [f for f in result.findings if f.status == "fail" and not draft]
    if failures:
        shown = "; ".join(f"{f.check}: {f.detail}" + (f" (page {f.page})" if f.page else "") for f in failures[:3])
        more = f" and {len(failures) - 3} more" if len(failures) > 3 else ""
        raise PubkitError(f"{name} fails preflight: {shown}{more}", file=files.spec,
                          fix="fix the cause named; `pubkit preflight` on a PDF gives the full table")
    return result.as_dict(), warnings


def _edition(project: Project, files: BrochureFiles, code: str, draft: bool, plan=None):
    from pubkit.typeset.edition import Edition

    edition = content.resolve(project, files, code, draft, segments)
    return edition, Edition(edition.brochure, files.spec, project, code, edition.translate, draft=edition.draft,
                            output_profile=project.output_intent().profile, plan=plan)


def _measure(project: Project, files: BrochureFiles, code: str, draft: bool):
    """Line breaking of one edition at every copyfit step (no PDF): what the page plan is made from."""
    from pubkit.typeset.edition import measure

    return measure(_edition(project, files, code, draft)[1])


def _render(project: Project, files: BrochureFiles, code: str, draft: bool, plan=None) -> dict:
    """Typeset from the plan, make PDF/X and preflight one edition; runs in a worker process when editions go in parallel."""
    from pubkit.press.pdfx import make_pdfx
    from pubkit.typeset.edition import typeset

    edition, job = _edition(project, files, code, draft, plan)
    brochure, is_draft = edition.brochure, edition.draft
    intent = project.output_intent()
    result = typeset(job)
    name = f"{files.id}-{code}{'-DRAFT' if is_draft else ''}.pdf"
    info = dict(title=edition.title.text, author=edition.publisher.text, language=code,
                created=edition_date(brochure), extra_info={"PubkitBinding": brochure.format.binding})
    pdf = make_pdfx(result.pdf, intent, **info)
    check, warnings = _preflighted(pdf, name, brochure, files, is_draft)
    out = {"name": name, "pdf": pdf, "pages": result.pages, "blank_pages": 0, "draft": is_draft,
           "check": check, "warnings": result.warnings + warnings, "layout": result.layout}
    if result.cover_pdf is not None:
        cover_name = f"{files.id}-{code}-cover{'-DRAFT' if is_draft else ''}.pdf"
        cover = make_pdfx(result.cover_pdf, intent, **info)
        cover_check, cover_warnings = _preflighted(cover, cover_name, brochure, files, is_draft)
        out.update(cover_name=cover_name, cover_pdf=cover, cover_pages=result.cover_pages, cover_check=cover_check)
        out["warnings"] += cover_warnings
    return out


def _render_job(job: tuple) -> dict:
    return _render(*job)


def _measure_job(job: tuple):
    return _measure(*job)


def _inputs(project: Project, files: BrochureFiles, brochure: Brochure, code: str) -> tuple[list[Path], list[Path]]:
    """The files an edition's PDF depends on: text files (hashed by content) and binary ones (by size and time)."""
    from pubkit.project import CONFIG_NAME
    from pubkit.translate.glossary import GLOSSARY_NAME

    text = [files.spec, files.drafts(project, code), project.root / CONFIG_NAME, project.root / GLOSSARY_NAME,
            files.folder / GLOSSARY_NAME]
    binary = [path for family in project.language(code, files.spec).families for path in (family.regular, family.bold)]
    images = [brochure.cover.image] if brochure.cover.image else []
    images += [block.image for section in brochure.sections for block in section.content
               if isinstance(block, ImageBlock)]
    binary += [project.root / relative for relative in images]
    return text, binary


def _ignore_interrupt() -> None:
    """Ctrl-C goes to the whole process group; the parent alone handles it, so workers print nothing."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _run_jobs(jobs: list[tuple], function=None) -> list:
    """Editions in parallel across the machine's cores (fork: workers inherit the loaded modules).

    On Ctrl-C the parent stops the workers itself (nothing of theirs has been written) and reports
    the interruption in one line. Futures are not cancelled first: cancelling and then losing the
    workers races inside ``concurrent.futures`` (Python 3.11 printed an ``InvalidStateError``
    traceback in 2 of 10 tries). Ctrl-C is held back while the workers are forked, so none
    catches it before it ignores it.
    """
    function = function or _render_job
    workers = min(len(jobs), os.cpu_count() or 1)
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [function(job) for job in jobs]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                             initializer=_ignore_interrupt) as pool:
        try:
            held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
            futures = [pool.submit(function, job) for job in jobs]  # submitting forks the workers
            signal.pthread_sigmask(signal.SIG_SETMASK, held)  # a Ctrl-C held back arrives here
            return [future.result() for future in futures]
        except KeyboardInterrupt:
            for worker in multiprocessing.active_children():
                worker.kill()
            raise


def _earlier_editions(folder: Path, cache: dict, brochure: Brochure, chosen: list[str]) -> dict[str, dict]:
    """Editions of this brochure that an earlier run left in ``folder`` untouched and this run does not make.

    A partial build (``--lang``) keeps them in the print order and preflight report, so those
    always describe every edition in the folder, not only the ones just made.
    """
    return {code: entry for code, entry in cache.items()
            if code in brochure.languages and code not in chosen and build_cache.still_valid(folder, entry, entry["key"])}


PLAN_NAME = ".pubkit-plan.json"


def _page_plan(project: Project, files: BrochureFiles, brochure: Brochure, folder: Path, chosen: list[str],
               draft: bool, own: dict[str, str]):
    """The brochure's page plan: from the last build when no language's inputs changed, else measured.

    Every language is measured (line breaking only, in parallel), also in a partial build, so a
    partial build gives the same plan as a full one. A language that is not built now and is not
    reviewed yet is measured as its draft.
    """
    from pubkit.typeset import plan as planning
    from pubkit.typeset.edition import plan_editions

    key = hashlib.sha256(json.dumps(own, sort_keys=True).encode()).hexdigest()
    try:
        record = json.loads((folder / PLAN_NAME).read_text(encoding="utf-8"))
        if record.get("key") == key:
            return planning.Plan.from_dict(record["plan"]), record
    except (OSError, ValueError, KeyError, TypeError):
        pass
    codes = list(brochure.languages)
    jobs = [(project, files, code, draft or code not in chosen) for code in codes]
    measures = dict(zip(codes, _run_jobs(jobs, _measure_job)))
    plan = plan_editions(brochure, files.spec, measures)
    return plan, {"key": key, "plan": asdict(plan)}


def _write_folder(report: BuildReport, brochure: Brochure, brochure_id: str, in_folder: dict[str, dict],
                  chosen: list[str], todo: list[str]) -> None:
    """Write the new PDFs, then the preflight report, the build record and the print order of every
    edition in the folder; each file atomically."""
    folder, fmt = report.folder, brochure.format
    lines: list[OrderLine] = []
    remove_stale_temps(folder)
    for code, result in in_folder.items():
        name = result["name"]
        cover = result.get("cover_name")
        if code in todo:
            write_atomic(folder / name, result.pop("pdf"))
            result["file"] = build_cache.file_record(folder / name)
            if cover:
                cover_pdf = result.pop("cover_pdf")
                result["cover_sha256"] = hashlib.sha256(cover_pdf).hexdigest()
                write_atomic(folder / cover, cover_pdf)
        copies = brochure.print_run[code]
        if code in chosen:
            report.editions.append(BuiltEdition(code, folder / name, result["pages"], result["blank_pages"],
                                                copies, result["draft"], cached=code not in todo,
                                                layout=result.get("layout", {}),
                                                cover=folder / cover if cover else None))
        if not result["draft"]:
            if cover:
                lines.append(OrderLine(cover, code, result["cover_pages"], fmt.trim, fmt.cover_paper, fmt.binding,
                                       copies, result["cover_sha256"], "cover"))
            lines.append(OrderLine(name, code, result["pages"], fmt.trim, fmt.paper, fmt.binding, copies,
                                   result["sha256"], "text block" if cover else "booklet"))
    checks = []
    for result in in_folder.values():
        checks.append(dict(result["check"], layout=result.get("layout", {})))
        if result.get("cover_check"):
            checks.append(result["cover_check"])
    write_atomic(folder / "preflight.json", (json.dumps(checks, ensure_ascii=False, indent=2) + "\n").encode())
    build_cache.save(folder, in_folder)
    drafts = [result["name"] for result in in_folder.values() if result["draft"]]
    if lines:  # a drafts-only run leaves the last print order as it was
        report.order_files = write_print_order(folder, brochure_id, brochure.title, lines, drafts)
        report.order_copies = sum(line.copies for line in lines if line.part != "cover")


def build(project: Project, paths: tuple[Path, ...] = (), languages: tuple[str, ...] = (),
          out: Path | None = None, draft: bool = False) -> list[BuildReport]:
    """Build the editions of each brochure; unchanged editions come from the cache without layout."""
    intent = project.output_intent()
    brochures = locate(project, paths)
    reports = []
    for files in brochures:
        brochure = load_spec(files.spec)
        edition_date(brochure)  # a bad SOURCE_DATE_EPOCH stops the run before any layout
        chosen = _languages(brochure, files, languages)
        for code in chosen:  # the review gate, before any layout
            _translator(brochure, files, project, code, draft)
        folder = (out if len(brochures) == 1 else out / files.id) if out else project.output / files.id
        report = BuildReport(files.id, folder)
        cache = build_cache.load(folder)
        results: dict[str, dict] = {}
        own = {code: build_cache.edition_key(*_inputs(project, files, brochure, code), profile=intent.profile,
                                             language=code, draft=draft)
               for code in brochure.languages}
        plan, plan_record = _page_plan(project, files, brochure, folder, chosen, draft, own)
        # an edition depends on its own inputs (its cache key, which `pubkit web` checks too) and on
        # the plan, which every language's text can move (recorded beside the key)
        keys, digest = own, plan.digest()
        for code in chosen:
            if build_cache.still_valid(folder, cache.get(code), keys[code]) and cache[code].get("plan") == digest:
                results[code] = cache[code]
        earlier = _earlier_editions(folder, cache, brochure, chosen)
        for code, entry in earlier.items():
            if (entry["key"] != keys[code] or entry.get("plan") != digest) and not entry["draft"]:
                report.warnings.append(f"{entry['name']} was built from older inputs and is still in {folder}; "
                                       f"rebuild it (`pubkit build {files.folder} --lang {code}`) before printing")
        todo = [code for code in chosen if code not in results]
        # the slowest (CJK) editions first, so the workers finish together
        todo.sort(key=lambda code: project.language(code, files.spec).wrap != "cjk")
        for code, result in zip(todo, _run_jobs([(project, files, code, draft, plan) for code in todo])):
            results[code] = dict(result, sha256=hashlib.sha256(result["pdf"]).hexdigest(), key=keys[code], plan=digest)
        for code in chosen:
            report.warnings += results[code]["warnings"]
        in_folder = {code: results.get(code) or earlier[code] for code in brochure.languages
                     if code in results or code in earlier}
        pages = {code: r["pages"] for code, r in in_folder.items()}
        if len(set(pages.values())) > 1:  # an edition left from an earlier plan
            listed = ", ".join(f"{code} {count}" for code, count in pages.items())
            report.warnings.append(f"{files.id}: editions differ in length ({listed} pages): one was made from an "
                                   f"earlier page plan; rebuild all (`pubkit build {files.folder}`) before printing")
        with folder_lock(folder):  # a second build into this folder waits, so files and order stay one set
            _write_folder(report, brochure, files.id, in_folder, chosen, todo)
            write_atomic(folder / PLAN_NAME, (json.dumps(plan_record, ensure_ascii=False) + "\n").encode())
        reports.append(report)
    return reports
