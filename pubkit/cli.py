"""The ``pubkit`` command line: a thin layer over :mod:`pubkit.commands`.

Heavy libraries (ReportLab, fontTools, Pillow) are imported inside the commands that need
them, so ``pubkit --help`` starts fast.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from pubkit import __version__
from pubkit.errors import PubkitError


def _project():
    from pubkit.project import find_root, load_project

    return load_project(find_root(Path.cwd()))


class _Group(click.Group):
    """Turns every failure into one line on stderr and a non-zero exit, never a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except PubkitError as error:
            click.echo(f"pubkit: error: {error.one_line()}", err=True)
            sys.exit(1)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("pubkit: interrupted; files already written are complete, nothing is half-written", err=True)
            sys.exit(130)
        except Exception as error:  # a bug in pubkit: still one line, with a way to see more
            if os.environ.get("PUBKIT_DEBUG"):
                raise
            click.echo(f"pubkit: internal error: {error.__class__.__name__}: {error} "
                       "— please report it; set PUBKIT_DEBUG=1 to see the traceback", err=True)
            sys.exit(70)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="pubkit")
def cli():
    """Assemble multilingual print publications from a Vietnamese brochure spec."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--lang", "languages", multiple=True, metavar="CODE", help="Build only this language (repeatable).")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), help="Output folder.")
@click.option("--draft", is_flag=True, help="Build unreviewed translations too, marked DRAFT and left out of the print order.")
def build(paths, languages, out, draft):
    """Build print PDFs and the print order for PATHS (brochure folders or spec files; none = all)."""
    from pubkit.commands.build import build as run_build

    reports = run_build(_project(), tuple(paths), tuple(languages), out, draft)
    for report in reports:
        for warning in report.warnings:
            click.echo(f"pubkit: warning: {warning}", err=True)
        click.echo(f"{report.brochure}:")
        for edition in report.editions:
            blanks = f" (incl. {edition.blank_pages} blank for binding)" if edition.blank_pages else ""
            status = "DRAFT, not for print" if edition.draft else f"{edition.copies:,} copies"
            click.echo(f"  {edition.language}  {edition.pages:>3} pages{blanks}  {status:<22} {edition.path}")
        total = sum(e.copies for e in report.editions if not e.draft)
        click.echo(f"  print order: {total:,} copies  {' '.join(str(p) for p in report.order_files)}")


def main():
    cli(prog_name="pubkit")
