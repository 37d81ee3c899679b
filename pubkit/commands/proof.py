"""``pubkit proof``: review material for reviewers without CAT tools.

The bilingual XLSX is made here; the review PDF will come with the new layout engine.
"""

from __future__ import annotations

from pathlib import Path

from pubkit.commands.brochures import locate
from pubkit.commands.export import current_drafts, output_folder, relative, target_languages
from pubkit.files import write_atomic
from pubkit.project import Project
from pubkit.spec import load_spec


def proof(project: Project, paths: tuple[Path, ...] = (), languages: tuple[str, ...] = (),
          out: Path | None = None) -> list[Path]:
    """One review workbook per brochure and language: ``<id>-<lang>-review.xlsx``."""
    from pubkit.interchange.xlsx import write_xlsx

    brochures = locate(project, paths)
    pending = []
    for files in brochures:
        brochure = load_spec(files.spec)
        folder = output_folder(project, files, out, len(brochures) > 1)
        for code in target_languages(files, brochure, languages):
            drafts = current_drafts(project, files, brochure, code)
            data = write_xlsx(drafts.doc.po, files.id, code, relative(project, drafts.path))
            pending.append((folder / f"{files.id}-{code}-review.xlsx", data))
    for path, data in pending:
        write_atomic(path, data)
    return [path for path, _ in pending]
