"""``pubkit build``: every requested edition as a PDF, and the print order.

Nothing is written until every edition has been typeset, so a failure leaves the previous
output as it was.

Work is done once and, where its inputs did not change, not at all (docs/performance.md):
each language's text is resolved once per run; its line-breaking measure, the page plan, the
CMYK image streams, the parsed fonts and the images' ink statistics come from the build cache
(:mod:`pubkit.cache`) when their inputs are unchanged; an edition whose *content* (its printed
texts, the spec's structure, fonts, images, settings) and plan are unchanged is taken whole
from the output folder, so editing one Vietnamese paragraph lays out only the editions whose
text changed (when the plan stays the same).
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import json
import multiprocessing
import os
import re
import shlex
import signal
from contextlib import ExitStack, contextmanager
from pathlib import Path

from pubkit import cache as work_cache
from pubkit import cldr, content, markup
from pubkit.errors import PubkitError
from pubkit.files import all_or_nothing, folder_lock, remove_stale_temps, write_atomic
from pubkit.press.licence import SummaryEdition, translator_of, write_licence_summary
from pubkit.press.printorder import OrderLine, write_print_order
from pubkit.project import Project
from pubkit.spec import Brochure, load_spec
from pubkit.blocks.image import image_candidates, image_file, image_references
from pubkit.spec.model import LANGUAGE_NAMES
from pubkit.spec.segments import segments
from pubkit.typeset.colophon import licence_warning
from pubkit.commands import build_cache
from pubkit.commands.brochures import BrochureFiles, locate
from pubkit.commands.uptodate import (BuildReport, BuiltEdition, file_sha256, fingerprint, output_folder, remember,
                                      request)

SHOWN_SEGMENTS = content.SHOWN_SEGMENTS


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


def _finished(typeset_pdf: bytes, name: str, intent, info: dict, brochure: Brochure, files: BrochureFiles,
              draft: bool) -> tuple[bytes, dict, list[str]]:
    """The PDF/X file made from ReportLab's, and the shop's checks on it; a failure stops a print build
    before anything is written.

    Both are kept in the build cache under the typeset file's digest and everything else they read:
    after an edit to one paragraph the edition's cover is typeset again byte for byte the same, and
    its PDF/X step and preflight took 0.19 of a 1.6 s edit rebuild of the sample (timed, one process).
    """
    from pubkit.press.pdfx import make_pdfx
    from pubkit.press.preflight import check_pdf

    binding = brochure.format.binding
    key = work_cache.key("finished", build_cache.code_fingerprint(), hashlib.sha256(typeset_pdf).hexdigest(),
                         intent.digest, intent.identifier, intent.condition, intent.registry,
                         repr(sorted(info.items())), name, binding)

    def make():
        pdf = make_pdfx(typeset_pdf, intent, **info)
        return pdf, check_pdf(pdf, name, binding=binding)

    pdf, result = work_cache.remembered_object("finished", key, make, lambda found: isinstance(found, tuple))
    return (pdf, *_verdict(result, name, files, draft))


def _verdict(result, name: str, files: BrochureFiles, draft: bool) -> tuple[dict, list[str]]:
    """Preflight's report as the build shows it. A draft is a proof, not for print: its failures are
    reported as warnings."""
    warnings = [f"{name}: {f.check}: {f.detail}" for f in result.findings if f.status == "warn" or draft]
    failures = [f for f in result.findings if f.status == "fail" and not draft]
    if failures:
        shown = "; ".join(f"{f.check}: {f.detail}" + (f" (page {f.page})" if f.page else "") for f in failures[:3])
        more = f" and {len(failures) - 3} more" if len(failures) > 3 else ""
        raise PubkitError(f"{name} fails preflight: {shown}{more}", file=files.spec,
                          fix="fix the cause named; `pubkit preflight` on a PDF gives the full table")
    return result.as_dict(), warnings


_resolved: dict[tuple, content.ResolvedEdition] = {}  # one build's resolved texts; forked workers inherit them


def _resolve(project: Project, files: BrochureFiles, code: str, draft: bool) -> content.ResolvedEdition:
    """The edition's resolved text, once per build (the review gate parses the PO file; it was done
    three times per language: gate, measure, render)."""
    key = (files.spec, code, draft)
    if key not in _resolved:
        _resolved[key] = content.resolve(project, files, code, draft, segments)
    return _resolved[key]


_breaks: dict[str, dict] = {}  # content key -> line breaks of an edition measured in this process, until rendered


def _edition(project: Project, files: BrochureFiles, code: str, draft: bool, plan=None, breaks=None, seed=None):
    from pubkit.typeset.edition import Edition

    edition = _resolve(project, files, code, draft)
    return edition, Edition(edition.brochure, files.spec, project, code, edition.translate, draft=edition.draft,
                            output_profile=project.output_intent().profile, plan=plan, breaks=breaks, seed=seed)


def _breaks_key(project: Project, files: BrochureFiles, code: str) -> str:
    """Where a brochure language's last line breaks are kept: by everything a break depends on besides its
    text, setting and width (the key of each break) — pubkit's code and libraries, the settings file and
    every project font. An edit to one paragraph then breaks that paragraph alone, when measuring and
    when rendering (each line of the sample's vi edition was broken again in both: 60 ms each)."""
    from pubkit.project import CONFIG_NAME

    return work_cache.key("line-breaks", build_cache.code_fingerprint(), str(files.spec), code,
                          *_named_digests(_project_fonts(project) | {project.root / CONFIG_NAME}))


def _named_digests(paths) -> list[str]:
    """'name:SHA-256' of each file ('absent' for a missing one), in path order: files as key parts."""
    return [f"{path.name}:{work_cache.file_digest(path) if path.is_file() else 'absent'}" for path in sorted(paths)]


def _measure(project: Project, files: BrochureFiles, code: str, draft: bool, key: str):
    """Line breaking of one edition at every copyfit step (no PDF): what the page plan is made from.

    Kept in the build cache under the edition's content key (:func:`_content_key`). The line breaks
    it made are kept too (:func:`_breaks_key`): rendering the edition sets them again (in this
    process, or from the cache), and the next build's measuring starts from them.
    """
    from pubkit.typeset.edition import measure, shareable

    found = work_cache.get_object("measures", key)
    if found is None:
        breaks: dict = {}
        seed_key = _breaks_key(project, files, code)
        found = measure(_edition(project, files, code, draft, breaks=breaks,
                                 seed=work_cache.get_object("breaks", seed_key))[1])
        work_cache.put_object("measures", key, found)
        work_cache.put_object("breaks", seed_key, shareable(breaks))
        _breaks[key] = breaks
    return found


def _render(project: Project, files: BrochureFiles, code: str, draft: bool, plan, key: str) -> dict:
    """Typeset from the plan, make PDF/X and preflight one edition (in this process, or in one worker: the
    guessed render). Editions in parallel workers go through :func:`_render_in_workers`."""
    typeset = _typeset(project, files, code, draft, plan, key)
    return _assembled(typeset, [_finish(task) for task in typeset["to_finish"]])


def _typeset(project: Project, files: BrochureFiles, code: str, draft: bool, plan, key: str) -> dict:
    """One edition typeset from the plan: what the build records of it, and its files (the text block, and
    the cover when it is printed apart) as the PDF/X step and preflight's tasks (:func:`_finish`).

    ``key`` is the edition's content key: the line breaks its measuring made in this process are set
    again, not remade; else those kept in the build cache (this content's, or an earlier one's when
    the edition is rendered on the last plan while the new one is made).
    """
    from pubkit.typeset.edition import typeset
    from pubkit.typeset.fonts import release_pages

    breaks = _breaks.pop(key, None)
    seed = None if breaks else work_cache.get_object("breaks", _breaks_key(project, files, code))
    edition, job = _edition(project, files, code, draft, plan, breaks, seed)
    brochure, is_draft = edition.brochure, edition.draft
    result = typeset(job)
    release_pages()  # the subsets are made: the fonts' pages they read are not needed again
    name = f"{files.id}-{code}{'-DRAFT' if is_draft else ''}.pdf"
    info = dict(title=markup.plain(edition.title.text), author=markup.plain(edition.publisher.text), language=code,
                created=edition_date(brochure), extra_info={"PubkitBinding": brochure.format.binding})
    out = {"name": name, "pages": result.pages, "blank_pages": 0, "draft": is_draft,
           "warnings": result.warnings, "layout": result.layout,
           "summary": {"title": edition.title.text,  # for the licence application summary (press.licence)
                       "translator": _summary_translator(edition)},
           "to_finish": [(project, files, result.pdf, name, info, is_draft)]}
    if result.cover_pdf is not None:
        cover_name = f"{files.id}-{code}-cover{'-DRAFT' if is_draft else ''}.pdf"
        out.update(cover_name=cover_name, cover_pages=result.cover_pages)
        out["to_finish"].append((project, files, result.cover_pdf, cover_name, info, is_draft))
    cldr.save()  # a worker's numbers and dates (its process ends without returning here)
    return out


def _finish(task: tuple) -> tuple[bytes, dict, list[str]]:
    """One typeset file made PDF/X and preflighted (:func:`_finished`)."""
    project, files, typeset_pdf, name, info, is_draft = task
    return _finished(typeset_pdf, name, project.output_intent(), info, load_spec(files.spec), files, is_draft)


def _assembled(typeset: dict, finished: list[tuple[bytes, dict, list[str]]]) -> dict:
    """The edition as the build records it: its typeset part with the PDF/X files and preflight reports."""
    out = {key: value for key, value in typeset.items() if key != "to_finish"}
    (pdf, check, warnings), *cover = finished
    out.update(pdf=pdf, check=check, warnings=out["warnings"] + warnings)
    if cover:
        ((cover_pdf, cover_check, cover_warnings),) = cover
        out.update(cover_pdf=cover_pdf, cover_check=cover_check)
        out["warnings"] += cover_warnings
    return out


def _render_in_workers(jobs: list[tuple], meanwhile) -> list[dict]:
    """:func:`_render` of each job, the typesetting and each file's PDF/X step and preflight handed to the
    workers as tasks of their own (each file's as soon as it is typeset): with whole editions as
    tasks, the two workers ended 0.2 s apart in the sample's cold build (five editions for two), and
    a long brochure's last edition ran alone for most of its render. ``meanwhile`` runs here while
    the workers work."""
    from concurrent.futures import as_completed

    with _worker_pool(_workers(len(jobs))) as pool:
        with _forking():  # submitting forks the workers
            typesetting = {pool.submit(_typeset_job, job): index for index, job in enumerate(jobs)}
        meanwhile()
        finishing: dict[int, tuple[dict, list] | Exception] = {}
        for future in as_completed(typesetting):
            try:
                typeset = future.result()
            except Exception as problem:  # noqa: BLE001 - raised below, in the editions' order
                finishing[typesetting[future]] = problem
                continue
            finishing[typesetting[future]] = typeset, [pool.submit(_finish, task) for task in typeset["to_finish"]]
        rendered = []
        for index in range(len(jobs)):  # the first edition's error in the jobs' order, whichever ended first
            if isinstance(finishing[index], Exception):
                raise finishing[index]
            typeset, finished = finishing[index]
            rendered.append(_assembled(typeset, [future.result() for future in finished]))
        return rendered


def _summary_translator(edition) -> str:
    """The translator the licence summary names for a resolved edition (part of its content key)."""
    brochure = edition.brochure
    if edition.language == brochure.source_language:
        return ""
    return translator_of(brochure.publication, edition.language, edition.translate.translator)


def _render_job(job: tuple) -> dict:
    return _render(*job)


def _typeset_job(job: tuple) -> dict:
    return _typeset(*job)


def _measure_job(job: tuple):
    return _measure(*job)


def _pictures(brochure: Brochure, code: str) -> list[tuple[str, str]]:
    """(spec key, path as written) of every picture the ``code`` edition prints: covers and sections."""
    pictures = [(f"cover.{name}", getattr(brochure.cover, name)) for name in ("image", "logo")]
    if brochure.back_cover:
        pictures += [(f"back_cover.{name}", getattr(brochure.back_cover, name)) for name in ("image", "logo")]
    return [(key, relative) for key, relative in pictures + image_references(brochure, code) if relative]


def _inputs(project: Project, files: BrochureFiles, brochure: Brochure, code: str) -> tuple[list[Path], list[Path]]:
    """The files an edition's PDF depends on: text files (hashed by content) and binary ones (by their status):
    every project font, as any may be a fallback for a character its own fonts lack, and its pictures."""
    from pubkit.project import CONFIG_NAME
    from pubkit.translate.glossary import GLOSSARY_NAME

    text = [files.spec, files.drafts(project, code), project.root / CONFIG_NAME, project.root / GLOSSARY_NAME,
            files.folder / GLOSSARY_NAME]
    return text, sorted(_project_fonts(project)) + _picture_files(project, files, brochure, code)


def _picture_files(project: Project, files: BrochureFiles, brochure: Brochure, code: str) -> list[Path]:
    """The files of every picture the ``code`` edition prints, where :func:`image_file` finds them."""
    return [image_file(project, files.spec, relative, key=key, line=brochure.line_of(key))
            for key, relative in _pictures(brochure, code)]


def _project_fonts(project: Project) -> set[Path]:
    """Every font file of the project: any may be an edition's fallback."""
    return {path for setup in project.languages.values() for family in setup.families
            for path in (family.regular, family.bold)}


def _shape(value, places: dict[str, str]):
    """The spec's structure with every translatable text replaced by the place of the first segment that has
    that text (what is laid out, not what it says): a category's label and a chart's ``highlight`` naming
    it both become that category's place, so editing the label's Vietnamese leaves the shape as it was,
    while pointing ``highlight`` at another category changes it (blanking texts by value hid that)."""
    if dataclasses.is_dataclass(value):
        return [type(value).__name__] + [[f.name, _shape(getattr(value, f.name), places)]
                                         for f in dataclasses.fields(value) if f.repr]
    if isinstance(value, (list, tuple)):
        return [_shape(item, places) for item in value]
    if isinstance(value, dict):
        return sorted([str(k), _shape(v, places)] for k, v in value.items())
    if isinstance(value, str):
        return {"segment": places[value]} if value in places else value
    return repr(value)


def _content_key(project: Project, files: BrochureFiles, brochure: Brochure, code: str, draft: bool,
                 intent) -> str:
    """What one edition's pages are made from, by content.

    The texts it prints (after the review gate and glossary) and the translator its record names for
    the licence summary (the draft file's header can change alone), the spec's structure without its
    texts (:func:`_shape`), the brochure's id (it names the PDF), the settings and glossary files,
    every project font (any may be a fallback), the images, the output profile, pubkit's code and
    libraries, the draft flag and ``SOURCE_DATE_EPOCH``. Unlike the file key
    (:func:`build_cache.edition_key`, which takes the spec and PO files whole), editing a Vietnamese
    paragraph leaves the key of every language whose text did not change as it was.
    """
    edition = _resolve(project, files, code, draft)
    places: dict[str, str] = {}
    for segment in segments(brochure):
        places.setdefault(segment.text, segment.path)
    text_files, binary = _inputs(project, files, brochure, code)
    own_text = {files.spec, files.drafts(project, code)}
    digests = _named_digests(set(binary) | (set(text_files) - own_text))
    texts = sorted((path, text.text) for path, text in edition.texts.items())
    return work_cache.key("edition-content", build_cache.code_fingerprint(), files.id, code, str(edition.draft),
                          os.environ.get("SOURCE_DATE_EPOCH", ""),
                          intent.digest,
                          *digests, json.dumps(_shape(brochure, places), ensure_ascii=False),
                          json.dumps(texts, ensure_ascii=False), _summary_translator(edition))


def _recorded_content(record: dict, code: str, own_key: str) -> str | None:
    """The content key the last build recorded for an edition whose input files are all as they were then
    (the same file key: the spec and draft file whole, settings, glossaries, fonts, pictures, code): its
    text need not be resolved again to know it. After a translator's edit to one language, the other
    languages' draft files are then not parsed at all (their texts are resolved only if laid out again)."""
    entry = record.get(code)
    if entry and entry.get("key") == own_key and isinstance(entry.get("content"), str):
        return entry["content"]
    return None


def _ignore_interrupt() -> None:
    """Ctrl-C goes to the whole process group; the parent alone handles it, so workers print nothing."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _workers(jobs: int) -> int:
    """Worker processes for ``jobs`` editions: ``$PUBKIT_JOBS`` when set (1 = all in this process),
    else one per core while the machine is not saturated (one-minute load average below the cores).

    Measured on the 2-core machine (docs/performance.md, "Parallelism"): two workers cost 11–26 %
    more CPU than one process (forking, pickling PDFs back, duplicated memory); at load 1.8 they
    took the sample's cold build from 12.5 to 11.1 s, at load 8–12 they gave 52–84 s against
    50–56 s, so they are used only when the cores are not already busy.
    """
    try:
        wanted = int(os.environ.get("PUBKIT_JOBS", "") or 0)
    except ValueError:
        wanted = 0
    cores = os.cpu_count() or 1
    if wanted <= 0:
        wanted = cores if os.getloadavg()[0] < cores else 1
    return max(1, min(jobs, wanted, cores))


def _run_jobs(jobs: list[tuple], function, meanwhile=None) -> list:
    """Editions in parallel across the machine's cores (fork: workers inherit the loaded modules,
    fonts, images and resolved texts the parent prepared). ``meanwhile`` runs here while the workers
    work (not at all when the jobs run in this process).

    On Ctrl-C the parent stops the workers itself (nothing of theirs has been written; see
    :func:`_worker_pool`) and reports the interruption in one line. Ctrl-C is held back while the
    workers are forked, so none catches it before it ignores it.
    """
    if not _parallel(len(jobs)):
        return [function(job) for job in jobs]
    with _worker_pool(_workers(len(jobs))) as pool:
        with _forking():  # submitting forks the workers
            futures = [pool.submit(function, job) for job in jobs]
        if meanwhile:
            meanwhile()
        return [future.result() for future in futures]


def _parallel(jobs: int) -> bool:
    return _workers(jobs) >= 2 and _can_fork()


@contextmanager
def _worker_pool(workers: int):
    """A pool of forked worker processes. When anything stops the build while it is open (Ctrl-C, an error
    here or in a worker), the workers are killed rather than waited for: their work is thrown away
    (the cache's entries are written atomically) and the error or the interruption is reported at
    once. Futures are never cancelled: cancelling and then losing the workers races inside
    ``concurrent.futures`` (Python 3.11 printed an ``InvalidStateError`` traceback, and a pool whose
    manager thread died that way left its queue's writer blocked, so the process never ended)."""
    from concurrent.futures import ProcessPoolExecutor  # 11 ms, and a rebuild after an edit forks no pool

    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                             initializer=_ignore_interrupt) as pool:
        try:
            yield pool
        except BaseException:
            for worker in multiprocessing.active_children():
                worker.kill()
            raise


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


@contextmanager
def _forking():
    """Around forking workers: Ctrl-C is held back (none catches it before it ignores it), and the
    garbage collector leaves the inherited objects alone, so their pages stay shared."""
    gc.freeze()
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        gc.unfreeze()  # in this process only: the workers were forked with their own frozen copy
        signal.pthread_sigmask(signal.SIG_SETMASK, held)  # a Ctrl-C held back arrives here


class _Guess:
    """The edition whose text changed, rendered on the last build's page plan in a forked worker while
    this process resolves the other languages, measures and searches the new plan.

    After an edit to one language's text the plan nearly always stays as it was (were it to change,
    every edition would be laid out again), so the edition's typesetting, PDF/X step and preflight
    overlap the rest of the build instead of following it. The worker's file is taken only when the
    new plan is the last one (same digest): then it is what this process would have made from the
    same texts and plan. Otherwise, or when the worker failed, the worker is stopped and the edition
    is rendered here as usual; when a second edition turns out changed too (then the plan seldom
    stays), it is stopped at once. Only with a core to spare (:func:`_workers`) and the build cache
    on (the last plan is read from it). Measured in docs/performance.md (Session 25).

    A process of its own and a one-way pipe, not a ``ProcessPoolExecutor``: a pool's worker stopped
    while it wrote its result left the pool's reader thread waiting for the rest for ever (a build
    hung so, once, when the plan changed). Here the pipe's only writer is the worker, so stopping
    it ends the pipe.
    """

    def __init__(self, plan, folder: Path, record: dict):
        self.plan, self.folder, self.record = plan, folder, record
        self.worker = self.reader = self.language = None
        self.changed: list[str] = []

    @classmethod
    def on_last_plan(cls, folder: Path, record: dict, brochure: Brochure) -> _Guess:
        """A guess on the plan every edition in the folder was made on (from the cache), if there is one."""
        from pubkit.typeset.plan import Plan

        entries = [record.get(code) for code in brochure.languages]
        if not all(entry and entry.get("content") for entry in entries):
            return cls(None, folder, record)
        digests = {entry.get("plan") for entry in entries}
        last = work_cache.get_object("plans", work_cache.key("plan", *(entry["content"] for entry in entries)))
        found = len(digests) == 1 and isinstance(last, Plan) and last.digest() == digests.pop()
        return cls(last if found else None, folder, record)

    def note(self, job: tuple, own_key: str) -> None:
        """One chosen edition's render job on this guess's plan, as soon as its content key (the job's
        last item) is known: the first one whose edition in the folder is out of date is started."""
        code, content_key = job[2], job[-1]
        if self.plan is None or build_cache.still_valid(self.folder, self.record.get(code), own_key, content_key):
            return
        self.changed.append(code)
        if len(self.changed) > 1:
            self.stop()
        elif _parallel(2):
            _import_layout()
            context = multiprocessing.get_context("fork")
            self.language = code
            self.reader, writer = context.Pipe(duplex=False)
            self.worker = context.Process(target=_guessed_render, args=(job, writer), daemon=True)
            with _forking():
                self.worker.start()
            writer.close()  # the worker holds the only writing end

    def take(self, plan) -> dict[str, dict]:
        """{language: rendered edition} when ``plan`` is the plan it was rendered on, else nothing."""
        try:
            if self.worker is None or plan.digest() != self.plan.digest():
                return {}
            result = self.reader.recv()
            return {self.language: result} if result is not None else {}
        except (EOFError, OSError):  # the worker died: the render here reports why
            return {}
        finally:
            self.stop()

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.kill()
            self.worker.join()
            self.reader.close()
            self.worker = self.reader = None

    def __enter__(self) -> _Guess:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _import_layout() -> None:
    """Import, before forking workers (:class:`_Guess`'s, those parsing fonts and converting pictures), what
    this process and the workers both import (fonts, shaping, PDF objects, pictures, block flowables),
    once for both: it took 50-70 ms on each side."""
    import fontTools.misc.loggingTools  # noqa: F401 - imported for the fork
    import PIL.PngImagePlugin  # noqa: F401
    import reportlab.pdfbase.pdfdoc  # noqa: F401
    import reportlab.pdfbase.ttfonts  # noqa: F401
    import uharfbuzz  # noqa: F401

    import pubkit.typeset.flowables  # noqa: F401


def _load_for_measuring(languages: tuple[str, ...]) -> None:
    """Load here what every edition's worker would otherwise load for itself to break its lines (forked after
    this, they inherit it): the layout's libraries, QR codes and the languages' hyphenation and phrase
    dictionaries (0.1-0.2 s in each worker of the sample's cold build, profiled)."""
    _import_layout()
    import segno  # noqa: F401

    from pubkit.typeset.justify import load_dictionaries

    load_dictionaries(languages)


def _load_for_rendering() -> None:
    """Load here what every edition's worker would otherwise load for itself to render: charts of every kind,
    PDF/X and preflight's libraries, the colour engine (0.2-0.4 s in each worker of the sample's cold
    build, profiled; the chart kinds and ImageCms 0.02 s more, session 30)."""
    import numpy  # noqa: F401
    import pikepdf  # noqa: F401
    import reportlab.graphics.charts.barcharts  # noqa: F401
    import reportlab.graphics.charts.linecharts  # noqa: F401
    import reportlab.graphics.charts.piecharts  # noqa: F401
    import reportlab.graphics.renderPDF  # noqa: F401
    import reportlab.graphics.widgets.markers  # noqa: F401
    from PIL import ImageCms  # noqa: F401

    import pubkit.press.pdfx  # noqa: F401
    import pubkit.press.preflight  # noqa: F401


def _load_for_writing() -> None:
    """While the editions render in workers: import the licence sheet's library, which the build would
    otherwise import after them, alone on the machine (0.1-0.2 s of a cold build, cores idle). Several
    editions laid out again mostly means new page counts or files in the sheet; when it is the same,
    the import was 0.1 s of CPU beside the workers."""
    import openpyxl.writer.excel  # noqa: F401


def _guessed_render(job: tuple, out) -> None:
    """:class:`_Guess`'s worker: the render, or None when it failed."""
    _ignore_interrupt()
    try:
        result = _render_job(job)
    except Exception:  # the render in the parent reports it with its own message
        result = None
    out.send(result)


def _earlier_editions(folder: Path, cache: dict, brochure: Brochure, chosen: list[str]) -> dict[str, dict]:
    """Editions of this brochure that an earlier run left in ``folder`` untouched and this run does not make.

    A partial build (``--lang``) keeps them in the print order and preflight report, so those
    always describe every edition in the folder, not only the ones just made.
    """
    return {code: entry for code, entry in cache.items()
            if code in brochure.languages and code not in chosen and build_cache.still_valid(folder, entry, entry["key"])}


def _rebuild(files: BrochureFiles, folder: Path, code: str | None = None) -> str:
    """The command that rebuilds an edition (or all) into ``folder``, as a warning quotes it (paths quoted for
    the shell where they need it)."""
    return (f"pubkit build {shlex.quote(str(files.folder))}" + (f" --lang {code}" if code else "")
            + f" --out {shlex.quote(str(folder))}")


def _left_out(files: BrochureFiles, folder: Path, in_folder: dict[str, dict], languages: tuple[str, ...]) -> list[str]:
    """Warnings for print PDFs of this brochure in ``folder`` that the print order leaves out: a file that
    changed after pubkit wrote it, one whose edition is a draft now or has no separate cover any more,
    one whose language left the spec. The order and preflight report describe every edition in the
    folder; a print PDF beside them that they leave out silently was one the shop could print without
    counts or checks. Found by the files' names, so the warning stays while the file does."""
    listed = {result.get(name) for result in in_folder.values() for name in ("name", "cover_name")}
    pattern = re.compile(rf"{re.escape(files.id)}-([a-z]{{2,3}})(-cover)?\.pdf")
    warnings = []
    for path in sorted(folder.glob(f"{files.id}-*.pdf")):
        found = pattern.fullmatch(path.name)
        if not found or path.name in listed:
            continue
        code, cover = found.group(1), bool(found.group(2))
        edition = in_folder.get(code)
        if code not in languages:
            why, fix = "its language is no longer in the spec", "delete it"
        elif edition is not None and edition.get("draft"):
            why, fix = "its edition is a draft now", f"delete it, or review the translation and rebuild it (`{_rebuild(files, folder, code)}`)"
        elif edition is not None and cover and not edition.get("cover_name"):
            why, fix = "the edition has no separate cover now", "delete it"
        else:
            why, fix = "it changed after pubkit wrote it", f"delete it, or rebuild it (`{_rebuild(files, folder, code)}`)"
        warnings.append(f"{path.name} is in {folder} but not in the print order ({why}); {fix} before printing")
    return warnings


def _unchanged_plan(folder: Path, record: dict, own: dict[str, str], chosen: list[str]) -> str | None:
    """The plan digest of the last build when no input file of any language changed since and every
    edition asked for is in the folder untouched: then the plan and those editions are as they were."""
    entries = [record.get(code) for code in own]
    if not all(entry and entry["key"] == own[code] for code, entry in zip(own, entries)):
        return None
    plans = {entry.get("plan") for entry in entries}
    if len(plans) != 1 or not all(build_cache.still_valid(folder, record[code], own[code]) for code in chosen):
        return None
    return plans.pop()


def page_plan(project: Project, files: BrochureFiles, brochure: Brochure):
    """The page plan a print build of every language makes (each measured as its draft when not
    reviewed): what ``pubkit proof`` lays a review PDF on. Nothing is written."""
    try:
        intent = project.output_intent()
        contents = {code: _content_key(project, files, brochure, code, True, intent) for code in brochure.languages}
        with _SharedFiles(project, files, brochure) as shared:
            plan = _page_plan(project, files, brochure, [], True, contents, shared)
            shared.finish()
        return plan
    finally:
        _resolved.clear()
        _breaks.clear()


def _page_plan(project: Project, files: BrochureFiles, brochure: Brochure, chosen: list[str], draft: bool,
               content_keys: dict[str, str], shared: _SharedFiles):
    """The brochure's page plan: from the build cache when every language's content is unchanged, else
    made from the languages' measures (each from the cache when its content is unchanged).

    Every language is measured (line breaking only, in parallel), also in a partial build, so a
    partial build gives the same plan as a full one. A language that is not built now and is not
    reviewed yet is measured as its draft.
    """
    from pubkit.typeset import plan as planning
    from pubkit.typeset.edition import plan_editions

    codes = list(brochure.languages)
    key = work_cache.key("plan", *(content_keys[code] for code in codes))
    found = work_cache.get_object("plans", key)
    if isinstance(found, planning.Plan):
        return found
    jobs = [(project, files, code, draft or code not in chosen, content_keys[code]) for code in codes]
    stored = {job[2]: work_cache.get_object("measures", job[-1]) for job in jobs}  # each entry read once
    fresh = [job for job in jobs if stored[job[2]] is None]
    shared.start(_parallel(len(fresh)))
    shared.ready_to_measure()
    measured = dict(zip([job[2] for job in fresh], _run_jobs(fresh, _measure_job, meanwhile=_load_for_rendering)))
    measures = {code: measured[code] if stored[code] is None else stored[code] for code in codes}
    plan = plan_editions(brochure, files.spec, measures)  # while the pictures convert
    work_cache.put_object("plans", key, plan)
    return plan


def _prepare_shared(project: Project, files: BrochureFiles, brochure: Brochure) -> None:
    """Parse every font and convert every picture here, for a build without the cache: the editions'
    workers forked after this inherit them."""
    for path in _shared_files(project, files, brochure):
        _parse_shared((project, files, path))


class _SharedFiles:
    """Every font parsed and every picture converted once per build, in worker processes that leave the
    results in the build cache and exit: the editions' workers each load only what they use (0.06 s a
    CJK face), and no process holds every font (a worker peaked at 216 MB when all were inherited).
    Files the cache already holds are not handed out. Without the cache, they are parsed here and
    the editions' workers inherit them.

    Measuring needs the fonts alone (:meth:`ready_to_measure`); the pictures convert beside it, in one worker of
    their own, and are waited for before anything is rendered (:meth:`finish`). When they were a stage
    of their own, they took 1.1 s of the sample's 3.8 s cold build, one worker converting the cover
    while the other had finished; converted by both font workers beside the two measuring ones, they
    took the build's memory past 300 MB (298-325 MB summed). A build into an empty folder starts
    them at once, beside the content keys (:meth:`start`). Leaving on an error or Ctrl-C kills the
    workers still at work, so the error is reported at once.
    """

    def __init__(self, project: Project, files: BrochureFiles, brochure: Brochure):
        self.project, self.files, self.brochure = project, files, brochure
        self.started = False
        self.font_workers, self.picture_workers = ExitStack(), ExitStack()
        self.parsing: list = []
        self.converting: list = []

    def start(self, parallel: bool) -> None:
        """Hand the files out (once), when the editions will be laid out in parallel workers."""
        if self.started or not parallel:
            return
        self.started = True
        if not work_cache.enabled():
            _prepare_shared(self.project, self.files, self.brochure)
            return
        profile = self.project.output_intent().profile
        paths = [path for path in _shared_files(self.project, self.files, self.brochure)
                 if path.is_file() and not _kept(path, profile)]
        paths.sort(key=lambda path: -path.stat().st_size)  # the largest first
        fonts, pictures = [path for path in paths if _is_font(path)], [path for path in paths if not _is_font(path)]
        _import_layout()  # for the workers parsing fonts, too
        with _forking():  # tasks name their file (the workers read the profile themselves: 1 MB a task to pickle)
            if fonts:
                pool = self.font_workers.enter_context(_worker_pool(_workers(len(fonts))))
                self.parsing = [pool.submit(_parse_shared, (self.project, self.files, path)) for path in fonts]
            if pictures:
                pool = self.picture_workers.enter_context(_worker_pool(1))
                self.converting = [pool.submit(_parse_shared, (self.project, self.files, path)) for path in pictures]

    def ready_to_measure(self) -> None:
        """Before the editions' measuring workers are forked: what they would each load for themselves loaded
        here (after the content keys: a build stopped by the review gate does not wait for it), and the
        fonts parsed."""
        if self.started:
            _load_for_measuring(self.brochure.languages)
        self._fonts_parsed()

    def finish(self) -> None:
        self._fonts_parsed()
        for future in self.converting:
            future.result()
        self.picture_workers.close()

    def _fonts_parsed(self) -> None:
        for future in self.parsing:
            future.result()
        self.font_workers.close()  # they exit

    def __enter__(self) -> _SharedFiles:
        return self

    def __exit__(self, *stopped) -> None:
        """On an error or Ctrl-C the workers are killed, not waited for (:func:`_worker_pool`)."""
        self.font_workers.__exit__(*stopped)
        self.picture_workers.__exit__(*stopped)


def _kept(path: Path, profile: bytes | None) -> bool:
    from pubkit.typeset import fonts, images

    return fonts.is_kept(path) if _is_font(path) else images.is_kept(path, profile)


def _is_font(path: Path) -> bool:
    return path.suffix.lower() in (".ttf", ".otf", ".ttc")


def _shared_files(project: Project, files: BrochureFiles, brochure: Brochure) -> list[Path]:
    """Every font of the brochure's languages and every picture of its first language."""
    fonts = [path for code in brochure.languages for family in project.language(code, files.spec).families
             for path in (family.regular, family.bold)]
    return list(dict.fromkeys(fonts + _picture_files(project, files, brochure, brochure.languages[0])))


def _parse_shared(task: tuple) -> None:
    """One font parsed or one picture converted, with its ink coverage for preflight: kept in the build cache
    when it is on, else in this process (whose workers, forked after, inherit it). A file that cannot be
    used is left for the edition to report with its spec place."""
    from pubkit.typeset import fonts, images

    project, files, path = task
    try:
        if _is_font(path) and work_cache.enabled():
            fonts.keep(path)
        elif _is_font(path):
            fonts.register(path)
        else:
            images.load_cmyk(path, spec_file=files.spec, key="image", profile=project.output_intent().profile)
    except PubkitError:
        pass


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
                result["cover_file"] = build_cache.file_record(folder / cover)
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
        summary = [SummaryEdition(code, result["summary"]["title"], result["summary"]["translator"],
                                  result["pages"] + result.get("cover_pages", 0), brochure.print_run[code],
                                  result["name"])
                   for code, result in in_folder.items() if not result["draft"]]
        report.order_files += write_licence_summary(folder, brochure, summary)


@contextmanager
def _output_locked(folder: Path):
    """The output folder for a whole build, from reading its record to writing it: a second build into the
    folder waits for the first to end, then starts from what it wrote. (Locked for the writing alone,
    two builds with different ``--lang`` both read the record first, and the second wrote a print
    order naming the first one's older files.) Folders made here are removed again if the build fails
    before writing into them."""
    made = [folder, *folder.parents]
    made = made[:next(index for index, path in enumerate(made) if path.exists())]  # deepest first
    with folder_lock(folder):
        try:
            yield
        except BaseException:
            for path in made:
                try:
                    path.rmdir()  # only when still empty
                except OSError:
                    break
            raise


def build(project: Project, paths: tuple[Path, ...] = (), languages: tuple[str, ...] = (),
          out: Path | None = None, draft: bool = False) -> list[BuildReport]:
    """Build the editions of each brochure; unchanged editions come from the output folder without layout."""
    intent = project.output_intent()
    brochures = locate(project, paths)
    reports = []
    try:
        for files in brochures:
            folder = output_folder(project, files, out, len(brochures))
            files.refuse_output_inside(project, folder)
            with _output_locked(folder):
                reports.append(_build_one(project, files, intent, languages, folder, draft))
    finally:
        _resolved.clear()
        _breaks.clear()
        cldr.save()
        work_cache.trim()
    return reports


def _build_one(project: Project, files: BrochureFiles, intent, languages: tuple[str, ...], folder: Path,
               draft: bool) -> BuildReport:
    spec_read = file_sha256(files.spec)  # the spec as parsed here (the record must not name a later version)
    brochure = load_spec(files.spec)
    edition_date(brochure)  # a bad SOURCE_DATE_EPOCH stops the run before any layout
    chosen = _languages(brochure, files, languages)
    _resolved.clear()  # texts are resolved afresh by every build (the PO files may have changed)
    report = BuildReport(files.id, folder)
    if not draft:  # the colophon must state the licence the law asks for (pubkit.typeset.colophon)
        report.warnings += [warning for warning in [licence_warning(brochure, files.id)] if warning]
    saved = build_cache.load(folder)
    record = saved if work_cache.enabled() else {}
    with _SharedFiles(project, files, brochure) as shared:
        results: dict[str, dict] = {}
        inputs = {code: _inputs(project, files, brochure, code) for code in brochure.languages}
        if not saved and work_cache.enabled():  # a first build here lays out every edition: fonts and pictures
            shared.start(_parallel(len(brochure.languages)))  # are prepared beside the keys
        own = {code: build_cache.edition_key(*inputs[code], profile=intent.profile, language=code, draft=draft,
                                             brochure_id=files.id) for code in brochure.languages}
        keyed = {path: file_sha256(path) for text, _ in inputs.values() for path in text}  # what the keys were made of
        read = _fingerprint(project, files, brochure, inputs, keyed) if work_cache.enabled() else None
        digest = _unchanged_plan(folder, record, own, chosen)
        guessed: dict[str, dict] = {}
        if digest:  # no input file of any language changed since the last build: nothing to resolve or lay out
            results = {code: record[code] for code in chosen}
            contents = {code: record[code].get("content") for code in chosen}
        else:
            contents: dict[str, str] = {}
            with _Guess.on_last_plan(folder, record, brochure) as guess:
                for code in chosen:  # the review gate: a failure stops the build (and a guessed render) here
                    contents[code] = (_recorded_content(record, code, own[code])
                                      or _content_key(project, files, brochure, code, draft, intent))
                    guess.note((project, files, code, draft, guess.plan, contents[code]), own[code])
                for code in brochure.languages:
                    if code not in chosen:
                        contents[code] = _content_key(project, files, brochure, code, True, intent)
                plan = _page_plan(project, files, brochure, chosen, draft, contents, shared)
                guessed = guess.take(plan)
            digest = plan.digest()
        # an edition depends on its own inputs (its file key, which `pubkit web` checks too, or the same
        # content) and on the plan, which every language's text can move (recorded beside the key)
        keys = own
        for code in chosen:
            entry = record.get(code)
            if build_cache.still_valid(folder, entry, keys[code], contents[code]) and entry.get("plan") == digest:
                results[code] = dict(entry, key=keys[code])
        earlier = _earlier_editions(folder, saved, brochure, chosen)
        for code, entry in earlier.items():
            changed = entry["key"] != keys[code] and entry.get("content") != contents.get(code)
            if (changed or entry.get("plan") != digest) and not entry["draft"]:
                report.warnings.append(f"{entry['name']} was built from older inputs and is still in {folder}; "
                                       f"rebuild it (`{_rebuild(files, folder, code)}`) before printing")
        todo = [code for code in chosen if code not in results]
        # the slowest (CJK) editions first, so the workers finish together
        todo.sort(key=lambda code: project.language(code, files.spec).wrap != "cjk")
        rest = [code for code in todo if code not in guessed]
        jobs = [(project, files, code, draft, plan, contents[code]) for code in rest]
        shared.finish()  # every picture converted (into the cache) before an edition is rendered
        if _parallel(len(jobs)):
            if not work_cache.enabled():
                shared.start(True)  # without the cache: parsed here for the workers to inherit (once)
            rendered = dict(zip(rest, _render_in_workers(jobs, meanwhile=_load_for_writing)))
        else:
            rendered = dict(zip(rest, [_render(*job) for job in jobs]))
        for code in todo:
            result = guessed.get(code) or rendered[code]
            results[code] = dict(result, sha256=hashlib.sha256(result["pdf"]).hexdigest(), key=keys[code], plan=digest,
                                 content=contents[code])
        for code in chosen:
            report.warnings += results[code]["warnings"]
        in_folder = {code: results.get(code) or earlier[code] for code in brochure.languages
                     if code in results or code in earlier}
        pages = {code: r["pages"] for code, r in in_folder.items()}
        if len(set(pages.values())) > 1:  # an edition left from an earlier plan
            listed = ", ".join(f"{code} {count}" for code, count in pages.items())
            report.warnings.append(f"{files.id}: editions differ in length ({listed} pages): one was made from an "
                                   f"earlier page plan; rebuild all (`{_rebuild(files, folder)}`) before printing")
        report.warnings += _left_out(files, folder, in_folder, brochure.languages)
        _check_unchanged(project, files, spec_read, keyed)
        with all_or_nothing(folder):  # every file of the build appears at once, or none does
            _write_folder(report, brochure, files.id, in_folder, chosen, todo)  # the folder is locked (build)
        if read is not None:  # what a repeated build checks before loading any of this (commands.uptodate)
            written = [folder / result[name] for result in in_folder.values() for name in ("name", "cover_name")
                       if result.get(name)]
            remember(report, request(files.spec, languages, draft, folder), read,
                     written + list(report.order_files) + [folder / "preflight.json"])
        return report


def _check_unchanged(project: Project, files: BrochureFiles, spec_read: str | None, keyed: dict) -> None:
    """Stop before writing when a text input changed while the build ran: the settings or the spec since
    they were parsed, any spec, draft, settings or glossary file since the keys were made of it. Else the
    record would name the new file while the PDFs hold the old one, and every later build would reuse
    them (seen with pubkit.toml edited during a build of several brochures)."""
    from pubkit.project import CONFIG_NAME

    parsed = {files.spec: spec_read}
    if project.settings_sha256:
        parsed[project.root / CONFIG_NAME] = project.settings_sha256
    for path, digest in [*parsed.items(), *keyed.items()]:
        if keyed.get(path, digest) != digest or file_sha256(path) != digest:
            raise PubkitError("this file changed while the build ran; nothing was written", file=path,
                              fix="run the build again")


def _fingerprint(project: Project, files: BrochureFiles, brochure: Brochure, inputs: dict, keyed: dict) -> dict:
    """Every file the build reads, fingerprinted before it reads them (:func:`uptodate.fingerprint`): each
    edition's inputs (the text files by the digests the keys were made of, ``keyed``), every project font
    (any may be a fallback), the output profile, and each picture's every candidate place, so a file
    added in front of another is seen."""
    candidates = {place for code in brochure.languages for _, relative in _pictures(brochure, code)
                  for place in image_candidates(project, files.spec, relative)}
    return fingerprint(keyed, {path for _, binary in inputs.values() for path in binary}
                       | candidates | {project.output_profile})
