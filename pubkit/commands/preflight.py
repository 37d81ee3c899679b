"""``pubkit preflight``: check PDFs as a print shop would, with a table and a JSON report beside them."""

from __future__ import annotations

import json
from pathlib import Path

from pubkit.commands.brochures import locate
from pubkit.errors import PubkitError
from pubkit.files import write_atomic
from pubkit.press.preflight import Report, check_file
from pubkit.project import Project
from pubkit.spec import SPEC_NAME


def _is_pdf(path: Path) -> bool:
    """Named like a PDF, or a file that starts like one (a PDF saved without its extension)."""
    if path.suffix.lower() == ".pdf":
        return True
    if not path.is_file():
        return False
    with path.open("rb") as file:
        return file.read(5) == b"%PDF-"


def find_pdfs(project: Project | None, targets: tuple[Path, ...], out: Path | None) -> list[Path]:
    """PDF files named directly, or the built editions of the brochures named."""
    pdfs: list[Path] = []
    for target in targets:
        if _is_pdf(target):
            if not target.is_file():
                raise PubkitError("file not found", file=target, fix="check the path")
            pdfs.append(target)
            continue
        if target.is_file() and target.suffix.lower() not in (".yaml", ".yml"):
            raise PubkitError("neither a PDF nor a brochure", file=target,
                              fix=f"give PDF files, or a brochure folder or its {SPEC_NAME}")
        if project is None:
            raise PubkitError("not a PDF file", file=target, fix="give PDF files, or a brochure inside a pubkit project")
        for files in locate(project, (target,)):
            folder = out or project.output / files.id
            # review proofs (pubkit proof) are for translators, never for the shop
            built = sorted(pdf for pdf in folder.glob(f"{files.id}-*.pdf") if not pdf.stem.endswith("-REVIEW"))
            if not built:
                raise PubkitError(f"no built PDFs of {files.id} in {folder}", file=files.spec,
                                  fix=f"run `pubkit build {target}` first, or give --out")
            pdfs += built
    return pdfs


def preflight(pdfs: list[Path]) -> list[Report]:
    reports = [check_file(pdf) for pdf in pdfs]
    by_folder: dict[Path, list[Report]] = {}
    for pdf, report in zip(pdfs, reports):
        by_folder.setdefault(pdf.parent, []).append(report)
    for folder, group in by_folder.items():
        document = [dict(report.as_dict(), file=Path(report.file).name) for report in group]
        write_atomic(folder / "preflight.json", (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode())
    return reports
