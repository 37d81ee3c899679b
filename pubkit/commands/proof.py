"""``pubkit proof``: review material for reviewers without CAT tools.

Per language, a bilingual XLSX (``<id>-<lang>-review.xlsx``) and a review PDF
(``<id>-<lang>-REVIEW.pdf``): the edition laid out from the brochure's page plan as in print, with
each segment's id in the slug beside where it starts and every segment that is not reviewed
highlighted (:mod:`pubkit.typeset.review`). The review PDF is a proof: it is made whatever the
review state, has no PDF/X conversion or preflight, and is never in the print order.
"""

from __future__ import annotations

import io
from pathlib import Path

from pubkit import content
from pubkit.commands.brochures import BrochureFiles, locate
from pubkit.commands.export import current_drafts, relative, target_languages
from pubkit.commands.uptodate import output_folder
from pubkit.files import all_or_nothing, write_atomic
from pubkit.project import Project
from pubkit.spec import Brochure, load_spec
from pubkit.spec.segments import segments


def review_name(brochure_id: str, language: str) -> str:
    return f"{brochure_id}-{language}-REVIEW.pdf"


def _plan(project: Project, files: BrochureFiles, brochure: Brochure, folder: Path):
    """The page plan print uses (from the build cache when the inputs are the same), measured from the drafts."""
    from pubkit.commands import build

    return build.page_plan(project, files, brochure)


def review_pdf(project: Project, files: BrochureFiles, language: str, plan) -> bytes:
    """One language's review PDF: unreviewed text as it is, missing text as the source, all of it marked."""
    from pubkit.typeset.edition import Edition, typeset
    from pubkit.typeset.review import Review

    edition = content.resolve(project, files, language, True, segments)
    states = {path: edition.translate.state(text.source, path) for path, text in edition.texts.items()}
    job = Edition(edition.brochure, files.spec, project, language, edition.translate, draft=edition.draft,
                  output_profile=project.output_intent().profile, plan=plan,
                  review=Review(states, f"{files.id} {language}"))
    result = typeset(job)
    if result.cover_pdf is None:
        return result.pdf
    return _in_reading_order(result.cover_pdf, result.pdf)


def _in_reading_order(cover: bytes, body: bytes) -> bytes:
    """A separate cover's outside and inside front, the text block, then its inside and outside back."""
    import pikepdf

    with pikepdf.open(io.BytesIO(cover)) as outer, pikepdf.open(io.BytesIO(body)) as inner:
        out = pikepdf.new()
        for page in list(outer.pages[:2]) + list(inner.pages) + list(outer.pages[2:]):
            out.pages.append(page)
        out.docinfo = out.make_indirect(pikepdf.Dictionary(inner.docinfo))
        buffer = io.BytesIO()
        out.save(buffer, deterministic_id=True)
    return buffer.getvalue()


def proof(project: Project, paths: tuple[Path, ...] = (), languages: tuple[str, ...] = (),
          out: Path | None = None, *, pdf: bool = False) -> list[Path]:
    """Per brochure and language, ``<id>-<lang>-review.xlsx``; with ``pdf`` (the CLI), ``<id>-<lang>-REVIEW.pdf`` too.

    Everything is made in memory first, then written; returns the paths written.
    """
    from pubkit.interchange.xlsx import write_xlsx

    brochures = locate(project, paths)
    pending = []
    for files in brochures:
        brochure = load_spec(files.spec)
        folder = output_folder(project, files, out, len(brochures))
        files.refuse_output_inside(project, folder)
        codes = target_languages(files, brochure, languages)
        for code in codes:
            drafts = current_drafts(project, files, brochure, code)
            data = write_xlsx(drafts.doc.po, files.id, code, relative(project, drafts.path))
            pending.append((folder / f"{files.id}-{code}-review.xlsx", data))
        if pdf and codes:
            plan = _plan(project, files, brochure, folder)
            for code in codes:
                pending.append((folder / review_name(files.id, code), review_pdf(project, files, code, plan)))
    with all_or_nothing():
        for path, data in pending:  # a review sheet and its PDF appear together, or neither does
            write_atomic(path, data)
    return [path for path, _ in pending]
