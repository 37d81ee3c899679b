"""``pubkit web``: the static multilingual site of each brochure, from the spec and the reviewed translations.

The same review gate as ``build``: every language is resolved (and refused when not reviewed)
before anything is rendered, and every site is rendered in memory before anything is written.
Each site is written into a temp folder beside its target and renamed into place, so a reader
never sees half a site.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

from pubkit import content
from pubkit.commands import build_cache
from pubkit.files import cannot_write
from pubkit.commands.brochures import BrochureFiles, locate
from pubkit.errors import PubkitError
from pubkit.files import folder_lock
from pubkit.project import Project
from pubkit.spec import load_spec

SITE_FOLDER = "web"  # in the brochure's output folder: build/<id>/web/
DRAFT_FOLDER = "web-DRAFT"


@dataclass
class SitePage:
    language: str
    path: Path
    draft: bool
    pdf: Path | None


@dataclass
class SiteReport:
    brochure: str
    folder: Path
    draft: bool
    pages: list[SitePage] = field(default_factory=list)
    files: int = 0
    size: int = 0
    warnings: list[str] = field(default_factory=list)


def check_base_url(base_url: str | None) -> str | None:
    if base_url is None:
        return None
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise PubkitError(f"--base-url {base_url[:60]} is not an http(s) address of a folder", key="--base-url",
                          fix="give the address the site will be published at, e.g. https://portal.example.vn/brochures/thai-nguyen/")
    # a space or a Vietnamese letter in the path, percent-encoded as a sitemap's <loc> must be (kept if already)
    return parts._replace(path=quote(parts.path.rstrip("/") + "/", safe="/%:@!$&'()*+,;=~")).geturl()


def _print_editions(project: Project, files: BrochureFiles, folder: Path, edition: content.ResolvedEdition,
                    draft: bool, warnings: list[str]):
    """The language's print PDF in ``folder`` when ``build`` made it from the same inputs; else None."""
    from pubkit.commands.build import _inputs
    from pubkit.web.site import PrintEdition

    entry = build_cache.load(folder).get(edition.language)
    if not entry or (entry["draft"] and not draft):
        return None
    try:
        profile = project.output_intent().profile
    except PubkitError:
        return None
    inputs = _inputs(project, files, edition.brochure, edition.language)
    keys = {build_cache.edition_key(*inputs, profile=profile, language=edition.language, draft=flag,
                                    brochure_id=files.id) for flag in (False, True)}
    if not any(build_cache.still_valid(folder, entry, key) for key in keys):
        warnings.append(f"{entry['name']} in {folder} was built from other inputs than this site; not linked — "
                        f"run `pubkit build {files.folder} --lang {edition.language}` first to link it")
        return None
    path = folder / entry["name"]
    return PrintEdition(path, path.read_bytes())


def _check_target(target: Path, draft: bool) -> None:
    """Only an empty folder or one pubkit wrote may be replaced; a draft never replaces a published site."""
    from pubkit.web.site import MARKER

    if not target.exists() and not target.is_symlink():
        return
    if not target.is_dir() or target.is_symlink():
        raise PubkitError("this is not a folder pubkit can replace with the site", file=target,
                          fix="choose another --out folder")
    marker = target / MARKER
    if not marker.is_file():
        if any(target.iterdir()):
            raise PubkitError("this folder holds files that are not a pubkit site; pubkit replaces the whole folder",
                              file=target, fix="choose an empty or new --out folder")
        return
    try:
        published = not json.loads(marker.read_text(encoding="utf-8")).get("draft", False)
    except (OSError, ValueError, AttributeError):
        published = True
    if draft and published:
        raise PubkitError("this folder holds a published site; a draft is never written over it", file=target,
                          fix="leave out --out (drafts go to web-DRAFT/) or give a folder of its own")


def write_site(target: Path, site: dict[str, bytes]) -> None:
    """Write every file into a temp folder beside ``target``, then rename it into place."""
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        temp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent))
    except OSError as exc:
        raise PubkitError(f"cannot write here ({exc.strerror})", file=parent,
                          fix="choose a writable output folder with --out") from None
    old, current = None, target
    try:
        os.chmod(temp, 0o777 & ~_umask())
        for relative, data in site.items():
            path, current = temp / relative, target / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=parent))
            os.replace(target, old / "site")
        os.replace(temp, target)
    except BaseException as exc:
        if old is not None and not target.exists():
            os.replace(old / "site", target)  # put the previous site back
        shutil.rmtree(temp, ignore_errors=True)
        if isinstance(exc, OSError):
            raise cannot_write(current, exc) from None
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def web(project: Project, paths: tuple[Path, ...] = (), out: Path | None = None, draft: bool = False,
        base_url: str | None = None, pdfs: Path | None = None) -> list[SiteReport]:
    """Render and write the site of each brochure; nothing is written unless every site renders."""
    from pubkit.web.site import render_site

    base_url = check_base_url(base_url)
    out = out.resolve() if out else None  # "--out ." is a folder with a name, which the site replaces
    brochures = locate(project, paths)
    planned = []
    for files in brochures:  # the review gate for every language of every brochure, before any rendering
        brochure = load_spec(files.spec)
        content.edition_date(brochure)
        editions = {code: content.resolve(project, files, code, draft) for code in brochure.languages}
        output = (out if len(brochures) == 1 else out / files.id) if out else None
        target = output or project.output / files.id / (DRAFT_FOLDER if draft else SITE_FOLDER)
        files.refuse_output_inside(project, target)
        _check_target(target, draft)
        planned.append((files, editions, target))
    rendered = []
    for files, editions, target in planned:
        report = SiteReport(files.id, target, draft)
        pdf_folder = (pdfs if len(brochures) == 1 else pdfs / files.id) if pdfs else project.output / files.id
        prints = {}
        for code, edition in editions.items():
            found = _print_editions(project, files, pdf_folder, edition, draft, report.warnings)
            if found:
                prints[code] = found
        # several brochures go to DIR/<id>/, so each site's addresses are the base's <id>/
        site_url = base_url + f"{files.id}/" if base_url and len(brochures) > 1 else base_url
        site = render_site(project, editions, base_url=site_url, pdfs=prints, draft=draft)
        if base_url is None and not draft:
            report.warnings.append(f"{files.id}: no --base-url, so no sitemap.xml (it needs absolute addresses) "
                                   "and the hreflang links are relative")
        for code, edition in editions.items():
            report.pages.append(SitePage(code, target / code / "index.html", edition.draft,
                                         target / code / prints[code].file.name if code in prints else None))
        report.files, report.size = len(site), sum(len(data) for data in site.values())
        rendered.append((report, site))
    for report, site in rendered:
        with folder_lock(report.folder.parent):
            _check_target(report.folder, draft)  # again: another run may have written there meanwhile
            write_site(report.folder, site)
    return [report for report, _ in rendered]
