"""What a build did, and a repeated build answered from the output folder without loading the layout code.

A build that changed nothing still imported the layout, PDF and spreadsheet libraries, parsed the
spec and every PO file and rewrote the preflight report and print order: 0.72 s for the sample,
0.53× Typst's cold build, where issue 15 asks ≤ 0.3×. After each build, the folder's record
(``.pubkit-build.json``) keeps the request, every input file (text files by content, fonts, images
and the profile by size and time, as the edition keys take them), every output file (size and
time) and the report. When the same request finds all of them as they were, with the same pubkit
code and ``SOURCE_DATE_EPOCH``, the report is given again and nothing is read or written; anything
else — an edited PO file, a touched image, a deleted print order, ``--no-cache`` — runs the build.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pubkit.commands.build_cache import CACHE_NAME, code_fingerprint
from pubkit.files import write_atomic

RUN_KEY = "_run"  # beside the editions' entries, which build_cache.load reads (it skips this one)


@dataclass
class BuiltEdition:
    language: str
    path: Path
    pages: int
    blank_pages: int
    copies: int
    draft: bool
    cached: bool = False  # unchanged inputs: the previous PDF, no layout
    layout: dict = field(default_factory=dict)  # how the edition was fitted into the page plan
    cover: Path | None = None  # with a separate cover stock: the cover PDF


@dataclass
class BuildReport:
    brochure: str
    folder: Path
    editions: list[BuiltEdition] = field(default_factory=list)
    order_files: tuple[Path, ...] = ()
    order_copies: int = 0  # every print edition in the folder, including ones an earlier run made
    warnings: list[str] = field(default_factory=list)


def output_folder(project, files, out: Path | None, brochures: int) -> Path:
    """Where one brochure's build goes: ``--out`` (a folder per brochure when several are built), else the project's."""
    if out is None:
        return project.output / files.id
    return out if brochures == 1 else out / files.id


def reports(project, paths: tuple[Path, ...], languages: tuple[str, ...], out: Path | None,
            draft: bool) -> list[BuildReport] | None:
    """Every brochure's last report when none of them needs work, else None (then build)."""
    from pubkit.commands.brochures import locate

    brochures = locate(project, paths)
    found = []
    for files in brochures:
        folder = output_folder(project, files, out, len(brochures))
        report = answer(folder, request(files.spec, languages, draft, folder))
        if report is None:
            return None
        found.append(report)
    return found


def request(spec: Path, languages: tuple[str, ...], draft: bool, folder: Path) -> list:
    """What a build was asked to do, as the record keeps it."""
    return [str(spec.resolve()), list(languages), draft, str(folder.resolve())]


def file_sha256(path: str | Path) -> str | None:
    """The file's SHA-256 in hex, None when it cannot be read (absent)."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def _stat(path: str) -> list[int] | None:
    """Size, times, inode and device of the file a path reaches (None: absent), and of the path itself when it
    is a link: a file put in front of another (an image in the brochure folder shadows the project's) or a
    re-pointed link changes it, and so does a file rewritten in place and given its old time back (``touch
    -r``, ``cp -p``), whose status-change time moves."""
    try:
        target, own = os.stat(path), os.lstat(path)
    except OSError:
        return None
    return [target.st_size, target.st_mtime_ns, target.st_ctime_ns, target.st_ino, target.st_dev, own.st_mtime_ns,
            own.st_ino]


def fingerprint(text_digests: dict[Path, str | None], binary_files: set[Path]) -> dict:
    """The inputs as a build starts reading them (text files by their :func:`file_sha256`, taken by the
    caller): an edit made while it runs is then seen by the next build."""
    return {"text": {str(path): text_digests[path] for path in sorted(text_digests)},
            "binary": {str(path): _stat(str(path)) for path in sorted(binary_files)}}


def remember(report: BuildReport, asked: list, inputs: dict, outputs: list[Path]) -> None:
    """Add this build's request, inputs (:func:`fingerprint`, taken before it read them), the files now in the
    folder (``outputs``) and its report to the folder's record (call with the folder locked)."""
    record_file = report.folder / CACHE_NAME
    try:
        record = json.loads(record_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    record[RUN_KEY] = {"request": asked, "code": code_fingerprint(), "epoch": os.environ.get("SOURCE_DATE_EPOCH", ""),
                       **inputs, "outputs": {str(path): _stat(str(path)) for path in outputs},
                       "report": json.loads(json.dumps(asdict(report), default=str))}
    write_atomic(record_file, json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8"))


def answer(folder: Path, asked: list) -> BuildReport | None:
    """The last build's report when ``asked`` is what it was asked and nothing it read or wrote has changed."""
    try:
        run = json.loads((folder / CACHE_NAME).read_text(encoding="utf-8"))[RUN_KEY]
        if (run["request"] != asked or run["code"] != code_fingerprint()
                or run["epoch"] != os.environ.get("SOURCE_DATE_EPOCH", "")):
            return None
        if any(file_sha256(path) != digest for path, digest in run["text"].items()):
            return None
        if any(_stat(path) != status for path, status in {**run["binary"], **run["outputs"]}.items()):
            return None
        saved = run["report"]
        editions = [BuiltEdition(**dict(edition, path=Path(edition["path"]), cached=True,
                                        cover=Path(edition["cover"]) if edition["cover"] else None))
                    for edition in saved["editions"]]
        return BuildReport(saved["brochure"], Path(saved["folder"]), editions,
                           tuple(Path(path) for path in saved["order_files"]), saved["order_copies"],
                           list(saved["warnings"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # no record, an older or damaged one: the build decides
