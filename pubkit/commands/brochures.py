"""Find brochures on disk from what the user typed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pubkit.errors import PubkitError
from pubkit.project import Project
from pubkit.spec import SPEC_NAME


@dataclass(frozen=True)
class BrochureFiles:
    id: str
    folder: Path
    spec: Path

    def drafts(self, project: Project, language: str) -> Path:
        return self.folder / project.drafts_folder / f"{language}.po"


def locate(project: Project, paths: tuple[Path, ...]) -> list[BrochureFiles]:
    """Brochures named by folder or spec file; none named means every brochure of the project."""
    if not paths:
        found = sorted(project.brochures.glob(f"*/{SPEC_NAME}"))
        if not found:
            raise PubkitError(f"no brochures found (no */{SPEC_NAME})", file=project.brochures,
                              fix="create brochures/<name>/brochure.yaml, see docs/spec.md")
        paths = tuple(spec.parent for spec in found)
    result = []
    for path in paths:
        spec = path / SPEC_NAME if path.is_dir() else path
        if not spec.is_file():
            raise PubkitError("no brochure here", file=path,
                              fix=f"give a brochure folder holding {SPEC_NAME}, or the spec file itself")
        result.append(BrochureFiles(spec.parent.name, spec.parent, spec))
    return result
