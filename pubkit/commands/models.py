"""``pubkit models``: list and install Argos Translate packages."""

from __future__ import annotations

from pathlib import Path

from pubkit.errors import PubkitError
from pubkit.project import Project
from pubkit.spec.model import LANGUAGE_NAMES
from pubkit.translate.packages import Package, default_packages_dir, install, installed
from pubkit.translate.routes import find_route


def packages_folder(project: Project | None, override: Path | None) -> Path:
    return override or (project.packages if project else None) or default_packages_dir()


def list_models(project: Project | None, override: Path | None) -> tuple[Path, list[Package], dict[str, str]]:
    """Installed packages and the route to each target language (the project's, else every one pubkit knows)."""
    folder = packages_folder(project, override)
    packages = installed(folder)
    reach = {}
    for language in project.languages if project else LANGUAGE_NAMES:
        if language == "vi":
            continue
        try:
            route = find_route(packages, "vi", language, folder)
            reach[language] = f"{route.label} ({route.packages})"
        except PubkitError:
            reach[language] = "not reachable"
    return folder, packages, reach


def install_model(project: Project, file: Path, override: Path | None) -> Package:
    return install(file, packages_folder(project, override))
