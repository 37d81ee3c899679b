"""``pubkit preview``: a contact sheet per brochure, editions side by side in the spec's language order."""

from __future__ import annotations

from pathlib import Path

from pubkit.commands.brochures import locate
from pubkit.commands.preflight import find_pdfs
from pubkit.project import Project
from pubkit.spec import load_spec


def preview(project: Project, paths: tuple[Path, ...], out: Path | None, scale: float) -> list[tuple[str, Path]]:
    from pubkit.press.preview import write_contact_sheet

    sheets = []
    for files in locate(project, paths):
        order = load_spec(files.spec).languages
        built = {pdf.stem.removeprefix(f"{files.id}-"): pdf for pdf in find_pdfs(project, (files.folder,), out)}
        editions = {name: built[name] for name in sorted(built, key=lambda n: (order.index(n.split("-")[0])
                                                                                 if n.split("-")[0] in order else 99, n))}
        target = next(iter(editions.values())).parent / f"{files.id}-preview.png"
        sheets.append((files.id, write_contact_sheet(editions, target, scale=scale)))
    return sheets
