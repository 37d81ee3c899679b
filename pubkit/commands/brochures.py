"""Find brochures on disk from what the user typed."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from pubkit.errors import PubkitError
from pubkit.project import Project, resolved
from pubkit.spec import SPEC_NAME

# A brochure's id is its folder's name; it names the output files, so it must be a plain name.
_ID = re.compile(r"^[\w][\w.-]*$")
# What a user may give by mistake instead of a brochure, and what to give instead.
_NOT_A_SPEC = {".pdf": "this is a built PDF", ".po": "this is a translation draft", ".pot": "this is a PO template",
               ".png": "this is an image", ".jpg": "this is an image", ".jpeg": "this is an image",
               ".toml": "this is the project settings file", ".json": "this is a build record"}


@dataclass(frozen=True)
class BrochureFiles:
    id: str
    folder: Path
    spec: Path

    def drafts(self, project: Project, language: str) -> Path:
        return self.folder / project.drafts_folder / f"{language}.po"

    def refuse_output_inside(self, project: Project, folder: Path) -> None:
        """Output never goes into the brochure's own folder or its drafts folder, beside the spec and the PO
        files (``--out brochures/<id>/translations`` put PDFs, spreadsheets and a build record among them)."""
        inside, own = Path(os.path.abspath(folder)), Path(os.path.abspath(self.folder))
        drafts = own / project.drafts_folder
        if inside in (own, drafts) or drafts in inside.parents:
            raise PubkitError("the output folder is the brochure's own folder or its drafts folder", file=folder,
                              fix="choose another folder with --out (without --out: build/<id>)")


def _spec_of(path: Path) -> Path:
    """The spec file the user means by ``path`` (a brochure folder or its spec), resolved."""
    real = resolved(path)
    kind = _NOT_A_SPEC.get(real.suffix.lower())
    if kind:
        raise PubkitError(f"{kind}, not a brochure", file=path,
                          fix=f"give the brochure folder (e.g. brochures/<id>) or its {SPEC_NAME}")
    spec = real / SPEC_NAME if real.is_dir() else real
    if not spec.is_file():
        raise PubkitError("no brochure here", file=path,
                          fix=f"give a brochure folder holding {SPEC_NAME}, or the spec file itself")
    return spec


def locate(project: Project, paths: tuple[Path, ...]) -> list[BrochureFiles]:
    """Brochures named by folder or spec file; none named means every brochure of the project."""
    if not paths:
        if project.brochures.is_dir():  # a brochure behind a broken link is named, not skipped
            paths = tuple(sorted(child for child in project.brochures.iterdir()
                                 if (child / SPEC_NAME).is_file() or child.is_symlink() and not child.exists()))
        if not paths:
            raise PubkitError(f"no brochures found (no */{SPEC_NAME})", file=project.brochures,
                              fix="create brochures/<name>/brochure.yaml, see docs/spec.md")
    result: list[BrochureFiles] = []
    for path in paths:
        spec = _spec_of(path)
        folder = spec.parent
        if not _ID.match(folder.name):
            raise PubkitError(f"the brochure folder name '{folder.name}' cannot name output files", file=folder,
                              fix="rename the folder to letters, digits, '-', '_' or '.' (e.g. thai-nguyen)")
        same = next((other for other in result if other.id == folder.name), None)
        if same is not None and same.spec == spec:
            continue  # the same brochure named twice
        if same is not None:  # one output folder and the same file names: the second would overwrite the first
            raise PubkitError(f"two brochures have the id '{folder.name}' (their folder's name): {same.spec} and "
                              f"{spec}", file=spec, fix="rename one brochure's folder, or build them one at a time "
                                                         "with --out")
        result.append(BrochureFiles(folder.name, folder, spec))
    return result
