"""``pubkit export``: XLIFF 1.2 per language for CAT tools, or a TMX 1.4 memory of reviewed segments."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pubkit.commands.brochures import BrochureFiles, locate
from pubkit.commands.uptodate import output_folder
from pubkit.drafts.catalog import is_reviewed, merge, read_document
from pubkit.drafts.pofile import PoDocument
from pubkit.errors import PubkitError
from pubkit.files import write_atomic
from pubkit.project import Project
from pubkit.spec import load_spec
from pubkit.spec.segments import segments

FORMATS = ("xliff", "tmx")


@dataclass
class Drafts:
    """One language's drafts as the spec has them now (merged in memory; nothing written)."""

    files: BrochureFiles
    language: str
    path: Path
    doc: PoDocument
    references: dict


def target_languages(files: BrochureFiles, brochure, languages: tuple[str, ...]) -> list[str]:
    targets = [c for c in brochure.languages if c != brochure.source_language]
    for code in languages:
        if code not in targets:
            raise PubkitError(f"--lang {code}: not a target language of this brochure", file=files.spec,
                              key="languages", fix="use one of: " + ", ".join(targets))
    return [c for c in targets if not languages or c in languages]


def current_drafts(project: Project, files: BrochureFiles, brochure, language: str) -> Drafts:
    from pubkit.commands.translate import spec_references

    sources = list(segments(brochure))
    references = spec_references(brochure, sources)
    path = files.drafts(project, language)
    doc = read_document(path, language, files.id) if path.exists() else PoDocument.new()
    merge(doc.po, sources, None, references)
    return Drafts(files, language, path, doc, references)


def relative(project: Project, path: Path) -> str:
    try:
        return path.resolve().relative_to(project.root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def export(project: Project, paths: tuple[Path, ...] = (), languages: tuple[str, ...] = (), fmt: str = "xliff",
           out: Path | None = None) -> list[Path]:
    """Write the files; returns their paths. Everything is made in memory first, then written."""
    from pubkit.interchange.tmx import write_tmx
    from pubkit.interchange.xliff import write_xliff

    if fmt not in FORMATS:
        raise PubkitError(f"--format {fmt}: unknown format", fix="use one of: " + ", ".join(FORMATS))
    brochures = locate(project, paths)
    pending: list[tuple[Path, bytes]] = []
    for files in brochures:
        brochure = load_spec(files.spec)
        folder = output_folder(project, files, out, len(brochures))
        files.refuse_output_inside(project, folder)
        units: dict[str, dict[str, str]] = {}
        for code in target_languages(files, brochure, languages):
            drafts = current_drafts(project, files, brochure, code)
            if fmt == "xliff":
                data = write_xliff(drafts.doc.po, relative(project, drafts.path), code, drafts.references,
                                   brochure.source_language)
                pending.append((folder / f"{files.id}-{code}.xlf", data))
            else:
                for entry in drafts.doc.po:
                    if not entry.obsolete and entry.msgctxt is None:
                        units.setdefault(entry.msgid, {})
                        if is_reviewed(entry):
                            units[entry.msgid][code] = entry.msgstr
        if fmt == "tmx":
            pending.append((folder / f"{files.id}.tmx", write_tmx(units, files.id, brochure.source_language)))
    for path, data in pending:
        if path.exists() and path.is_dir():
            raise PubkitError("a folder is in the way of the file", file=path, fix="choose another --out")
    for path, data in pending:
        write_atomic(path, data)
    return [path for path, _ in pending]
