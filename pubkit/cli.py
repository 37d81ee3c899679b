"""The ``pubkit`` command line: a thin layer over :mod:`pubkit.commands`.

Heavy libraries (ReportLab, fontTools, Pillow) are imported inside the commands that need
them, so ``pubkit --help`` starts fast.
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

import click

from pubkit import __version__
from pubkit.errors import PubkitError
from pubkit.wording import counted


# Exit codes (README, "Exit codes"): what a script calling pubkit can tell apart.
EXIT_ERROR = 1  # bad input or a refused command: the one-line message says what to fix
EXIT_USAGE = 2  # the command line itself is wrong
EXIT_NOT_READY = 3  # the check ran and says no: a language not ready for print, a PDF failing preflight
EXIT_INTERNAL = 70  # a bug in pubkit
EXIT_INTERRUPTED = 130
EXIT_CLOSED_PIPE = 141


def _project(paths=()):
    """The project holding the first PATH given, else the one around the current folder."""
    from pubkit.project import find_root, load_project

    return load_project(find_root(Path(paths[0]) if paths else Path.cwd()))


def _split_languages(ctx, param, values: tuple[str, ...]) -> tuple[str, ...]:
    """``--lang en --lang ja``, ``--lang en,ja`` and ``--lang EN,JA`` mean the same."""
    return tuple(code.strip().lower() for value in values for code in value.split(",") if code.strip())


class _Folder(click.Path):
    """A folder option: an empty value names no folder (``--out ''`` wrote into the working folder)."""

    def convert(self, value, param, ctx):
        if isinstance(value, str) and not value.strip():
            self.fail("give a folder name", param, ctx)
        return super().convert(value, param, ctx)


def _stop_on_closed_pipe() -> None:
    """The reader of our output has gone (``pubkit status | head -1``): stop quietly, as other tools do."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())  # so the interpreter's last flush cannot fail again
    sys.exit(EXIT_CLOSED_PIPE)


class _Group(click.Group):
    """Turns every failure into one line on stderr and a non-zero exit, never a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except PubkitError as error:
            click.echo(f"pubkit: error: {error.one_line()}", err=True)
            sys.exit(EXIT_ERROR)
        except click.UsageError as error:
            command = f"{error.ctx.command_path} --help" if error.ctx else "pubkit --help"
            click.echo(f"pubkit: error: {error.format_message()} — see `{command}`", err=True)
            sys.exit(EXIT_USAGE)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("pubkit: interrupted; files already written are complete, nothing is half-written", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except BrokenPipeError:
            _stop_on_closed_pipe()
        except Exception as error:  # a bug in pubkit: still one line, with a way to see more
            if os.environ.get("PUBKIT_DEBUG"):
                raise
            click.echo(f"pubkit: internal error: {error.__class__.__name__}: {error} "
                       "— please report it; set PUBKIT_DEBUG=1 to see the traceback", err=True)
            sys.exit(EXIT_INTERNAL)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="pubkit")
def cli():
    """Assemble multilingual print publications from a Vietnamese brochure spec."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--lang", "languages", multiple=True, metavar="CODE", callback=_split_languages,
              help="Build only this language (repeatable, or comma-separated).")
@click.option("--out", type=_Folder(path_type=Path, file_okay=False), help="Output folder.")
@click.option("--draft", is_flag=True, help="Build unreviewed translations too, marked DRAFT and left out of the print order.")
@click.option("--no-cache", is_flag=True,
              help="Redo all work: neither read nor write the build cache, reuse no edition from the output folder.")
def build(paths, languages, out, draft, no_cache):
    """Build print PDFs and the print order for PATHS (brochure folders or spec files; none = all)."""
    from pubkit.commands import uptodate

    project = _project(paths)
    reports = None if no_cache else uptodate.reports(project, tuple(paths), tuple(languages), out, draft)
    if reports is None:
        from pubkit import cache
        from pubkit.commands.build import build as run_build

        _fix_malloc_threshold()

        with cache.bypassed(no_cache):
            reports = run_build(project, tuple(paths), tuple(languages), out, draft)
    for report in reports:
        for warning in report.warnings:
            click.echo(f"pubkit: warning: {warning}", err=True)
        click.echo(f"{report.brochure}:")
        for edition in report.editions:
            blanks = f"  (incl. {edition.blank_pages} blank for binding)" if edition.blank_pages else ""
            blanks += "  unchanged" if edition.cached else ""
            status = "DRAFT, not for print" if edition.draft else counted(edition.copies, "copy", "copies")
            click.echo(f"  {edition.language}  {edition.pages:>3} pages  {status:<20}  {edition.path}{blanks}")
            if edition.cover:
                click.echo(f"        +  4 pages  cover                 {edition.cover}")
            if edition.layout:
                fit = ", ".join(f"{name} ×{count}" for name, count in edition.layout["fit"].items())
                click.echo(f"        layout: fit {fit} (of {sum(edition.layout['fit'].values())} sections); "
                           f"largest empty foot {100 * edition.layout['largest_empty_foot']:.0f} %; "
                           + _emptiest(edition.layout) +
                           f"sections start on pages {', '.join(map(str, edition.layout['sections_start']))}"
                           + (f"; {edition.layout['notes_pages']} notes page(s)" if edition.layout['notes_pages'] else ""))
        if report.order_files:
            click.echo(f"  print order: {counted(report.order_copies, 'copy', 'copies')}  "
                       f"{' '.join(str(p) for p in report.order_files)}")
        else:
            click.echo("  no print order: only drafts were built")


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--lang", "languages", multiple=True, metavar="CODE", callback=_split_languages,
              help="Translate only this language (repeatable, or comma-separated).")
@click.option("--packages", type=click.Path(path_type=Path, file_okay=False),
              help="Argos packages folder (default: pubkit.toml, else ARGOS_PACKAGES_DIR, else argostranslate's).")
def translate(paths, languages, packages):
    """Write machine-translation drafts (fuzzy) for untranslated segments; reviewed text is never touched."""
    from pubkit.commands.translate import translate as run_translate

    bars = []

    def progress(label: str, done: int, total: int) -> None:
        if not sys.stderr.isatty():  # a log or CI: no bar, so errors stay one line
            return
        if not bars:
            bars.append(click.progressbar(length=total, file=sys.stderr, show_pos=True))
        bars[0].label = label
        bars[0].update(done - bars[0].pos)
        bars[0].render_progress()

    reports = run_translate(_project(paths), tuple(paths), tuple(languages), packages, progress)
    if bars:
        bars[0].render_finish()
    for report in reports:
        click.echo(f"{report.brochure}: {report.model_calls} model calls")
        for row in report.languages:
            lost = f", {row.lost} with protected items lost (flagged)" if row.lost else ""
            memory = f", {row.from_memory} from translation memory" if row.from_memory else ""
            click.echo(f"  {row.language}  {counted(row.translated, 'segment', 'segments')} drafted{lost}{memory}")
            if row.skipped_because:
                click.echo(f"pubkit: warning: {row.language}: machine translation skipped "
                           f"({counted(row.skipped, 'edited segment keeps', 'edited segments keep')} the old "
                           f"machine text, fuzzy): {row.skipped_because}", err=True)


@cli.command("new")
@click.argument("brochure_id", metavar="ID")
@click.option("--lang", "languages", multiple=True, metavar="CODE", callback=_split_languages,
              help="The editions (default: vi, en, ja, ko, zh).")
def new_command(brochure_id, languages):
    """Start brochures/ID: a commented spec showing every block, and its translation drafts."""
    from pubkit.commands.new import new_brochure

    folder = new_brochure(_project(), brochure_id, tuple(languages))
    click.echo(f"{folder}: brochure.yaml, translations/ — try `pubkit build {folder} --draft`")


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def status(paths):
    """Review progress per language; exits 3 when a language is not ready for print."""
    from pubkit.commands.status import status as run_status

    ready = True
    for brochure, rows in run_status(_project(paths), tuple(paths)):
        click.echo(f"{brochure}:")
        click.echo(f"  {'lang':<5}{'segments':>9}{'reviewed':>9}{'machine':>9}{'stale':>7}{'missing':>8}"
                   f"{'words left':>11}  status")
        for row in rows:
            ready &= row.ready
            click.echo(f"  {row.language:<5}{row.segments:>9}{row.reviewed:>9}{row.machine_only:>9}{row.stale:>7}"
                       f"{row.missing:>8}{row.words_to_review:>11}  {'ready' if row.ready else 'NOT READY'}")
    sys.exit(0 if ready else EXIT_NOT_READY)


@cli.command()
@click.argument("targets", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", type=_Folder(path_type=Path, file_okay=False), help="Where a brochure's PDFs were built.")
def preflight(targets, out):
    """Check PDFs (or a brochure's built PDFs) as a print shop would; exits 3 when one is not ready for print."""
    from pubkit.commands.preflight import find_pdfs, preflight as run_preflight
    from pubkit.press.preflight import CHECKS
    from pubkit.project import find_root, load_project

    try:
        project = load_project(find_root(Path(targets[0])))
    except PubkitError:
        project = None  # plain PDFs need no project
    reports = run_preflight(find_pdfs(project, tuple(targets), out))
    width = max(len(Path(r.file).name) for r in reports)
    click.echo(f"{'file':<{width}}  " + "  ".join(f"{check:<10}" for check in CHECKS))
    for report in reports:
        cells = "  ".join(f"{report.status_of(check).upper():<10}" for check in CHECKS)
        click.echo(f"{Path(report.file).name:<{width}}  {cells}")
    for report in reports:
        for finding in report.findings:
            page = f" page {finding.page}" if finding.page else ""
            click.echo(f"  {finding.status.upper()} {Path(report.file).name}{page}: {finding.check}: {finding.detail}")
    sys.exit(EXIT_NOT_READY if any(report.failed for report in reports) else 0)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", type=_Folder(path_type=Path, file_okay=False), help="Where the brochure's PDFs were built.")
@click.option("--scale", default=0.35, show_default=True, help="Pixels per PDF point.")
def preview(paths, out, scale):
    """A PNG contact sheet per brochure: each page of every edition side by side."""
    from pubkit.commands.preview import preview as run_preview

    for brochure, sheet in run_preview(_project(paths), tuple(paths), out, scale):
        click.echo(f"{brochure}: {sheet}")


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", type=_Folder(path_type=Path, file_okay=False), help="Site folder (default: build/<id>/web).")
@click.option("--draft", is_flag=True, help="Publish unreviewed text too, marked, in web-DRAFT/ and kept from search engines.")
@click.option("--base-url", metavar="URL", help="Address the site is published at (absolute links and sitemap.xml).")
@click.option("--pdfs", type=click.Path(path_type=Path, file_okay=False),
              help="Where `build` wrote the PDFs to link (default: build/<id>).")
def web(paths, out, draft, base_url, pdfs):
    """A static multilingual site per brochure, from the spec and the reviewed translations."""
    from pubkit.commands.web import web as run_web

    for report in run_web(_project(paths), tuple(paths), out, draft, base_url, pdfs):
        for warning in report.warnings:
            click.echo(f"pubkit: warning: {warning}", err=True)
        click.echo(f"{report.brochure}: {report.folder}  ({counted(report.files, 'file', 'files')}, "
                   f"{report.size / 1e6:.1f} MB){'  DRAFT, not for publication' if report.draft else ''}")
        for page in report.pages:
            pdf = f"  + {page.pdf.name}" if page.pdf else ""
            mark = "  (unreviewed text marked)" if page.draft else ""
            click.echo(f"  {page.language}  {page.path}{pdf}{mark}")


@cli.command("export")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["xliff", "tmx"]), default="xliff", show_default=True,
              help="xliff: one XLIFF 1.2 file per language for CAT tools; tmx: a TMX 1.4 memory of reviewed segments.")
@click.option("--lang", "languages", multiple=True, metavar="CODE", callback=_split_languages,
              help="Export only this language (repeatable, or comma-separated).")
@click.option("--out", type=_Folder(path_type=Path, file_okay=False), help="Output folder (default: build/<id>).")
def export_command(paths, fmt, languages, out):
    """Export the drafts of PATHS as XLIFF 1.2 (for CAT tools) or their reviewed segments as TMX 1.4."""
    from pubkit.commands.export import export as run_export

    for path in run_export(_project(paths), tuple(paths), tuple(languages), fmt, out):
        click.echo(str(path))


@cli.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
def import_command(files):
    """Bring translations back from XLIFF (.xlf) or review sheets (.xlsx); add TMX (.tmx) to the memory."""
    from pubkit.commands.import_ import import_files

    for report in import_files(_project(), tuple(files)):
        if report.memory:
            click.echo(f"{report.file}: {counted(report.memory_units, 'unit', 'units')} in the translation "
                       f"memory ({report.memory})")
        for drafts, result in report.results:
            click.echo(f"{report.file} → {drafts}: {result.updated} updated ({result.reviewed} reviewed), "
                       f"{result.unchanged} unchanged, {counted(len(result.conflicts), 'conflict', 'conflicts')}")
            for conflict in result.conflicts:
                click.echo(f"pubkit: warning: conflict: {conflict}", err=True)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--lang", "languages", multiple=True, metavar="CODE", callback=_split_languages,
              help="Only this language (repeatable, or comma-separated).")
@click.option("--out", type=_Folder(path_type=Path, file_okay=False), help="Output folder (default: build/<id>).")
def proof(paths, languages, out):
    """A review spreadsheet (XLSX) and a review PDF (ids, unreviewed text highlighted) per language."""
    from pubkit.commands.proof import proof as run_proof

    for path in run_proof(_project(paths), tuple(paths), tuple(languages), out, pdf=True):
        click.echo(str(path))


@cli.group()
def models():
    """Argos Translate model packages."""


@models.command("list")
@click.option("--packages", type=click.Path(path_type=Path, file_okay=False), help="Argos packages folder.")
def models_list(packages):
    """Installed language pairs, and which brochure languages they reach."""
    from pubkit.commands.models import list_models

    try:
        project = _project()
    except PubkitError:
        project = None  # packages belong to the user, not to a project
    folder, rows, reach = list_models(project, packages)
    click.echo(f"packages folder: {folder}")
    for package in rows:
        click.echo(f"  {package.from_code}→{package.to_code}  version {package.version}  {package.folder.name}")
    if not rows:
        click.echo("  (none installed)")
    for language, route in reach.items():
        click.echo(f"  vi→{language}: {route}")


@models.command("install")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--packages", type=click.Path(path_type=Path, file_okay=False), help="Argos packages folder.")
def models_install(file, packages):
    """Validate an .argosmodel file completely, then install it atomically."""
    from pubkit.commands.models import install_model

    package = install_model(_project(), file, packages)
    click.echo(f"installed {package.from_code}→{package.to_code} version {package.version} in {package.folder}")


# A build makes a great many small objects that live until it ends (pieces, lines, font tables): at
# CPython's default first threshold (700 allocations) the collector ran 990 times in a cold one-process
# build of the sample, 0.59-0.68 s of it; at 10,000, 62 times and 0.24-0.34 s, for 3 MB more RSS.
GC_THRESHOLDS = (10_000, 10, 10)

# glibc serves a freed large block's size from its heap next time (it raises its mmap threshold up to
# 32 MB), where the block then stays: the PDF, picture and preflight buffers of a CJK edition (8-32 MB
# each) left each render worker of the sample larger after every edition. Fixed at 8 MB, blocks that
# large are mapped and unmapped on their own: the summed peak memory of a cold sample build went from
# 301-319 MB to 284-288 MB, for 0.2-0.3 s more system time (1 MB: 275-281 MB, 0.6-0.7 s more). For
# builds only: CTranslate2's batches reuse buffers that large, and batched translation was 8-12 %
# slower with it (bench/translate_throughput.py, 60 sentences, two runs each way).
MMAP_THRESHOLD = 8 << 20


def _fix_malloc_threshold() -> None:
    """``mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)`` where the C library is glibc; elsewhere nothing."""
    import ctypes

    try:
        ctypes.CDLL(None).mallopt(-3, MMAP_THRESHOLD)  # M_MMAP_THRESHOLD, malloc.h
    except (AttributeError, OSError):
        pass


def _emptiest(layout: dict) -> str:
    """The emptiest text page, from an edition's layout record (records of older builds lack it)."""
    page, share = layout.get("emptiest_page") or (None, 0.0)
    return f"emptiest page {page} ({100 * share:.0f} % empty); " if page is not None else ""


def main():
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        cli(prog_name="pubkit")
    finally:
        # The process ends here: nothing it made needs the cycle collector any more, and the interpreter's
        # last full collection walked all of it (from a rebuild's last line to the process's end: 115-137 ms,
        # 36-38 ms frozen; atexit handlers and the standard streams' flush still run)
        gc.freeze()
