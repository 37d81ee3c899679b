"""Argos Translate model packages: find the installed ones, install new ones safely.

An ``.argosmodel`` is a zip with one top folder holding ``metadata.json`` (``from_code``,
``to_code``, ``package_version``…), ``model/`` (a CTranslate2 model) and ``sentencepiece.model``.
Installed packages live where argostranslate keeps them (``ARGOS_PACKAGES_DIR``, else
``$XDG_DATA_HOME/argos-translate/packages``), so packages installed with ``argospm`` just work.

``install`` validates the whole archive before extracting anything (argostranslate's own
``install_from_path`` was measured to extract junk entries into the packages folder, after
which listing every package fails) and moves the extracted folder into place in one rename.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pubkit.errors import PubkitError

MAX_ENTRIES = 10_000
MAX_TOTAL_BYTES = 4 * 1024**3  # uncompressed; the largest Argos packages are a few hundred MB
MAX_RATIO = 200  # uncompressed / compressed for one entry: more is a zip bomb
REQUIRED = ("from_code", "to_code", "package_version")


@dataclass(frozen=True)
class Package:
    folder: Path
    from_code: str
    to_code: str
    version: str

    @property
    def name(self) -> str:
        return f"translate-{self.from_code}_{self.to_code}-{self.version}"

    @property
    def model_dir(self) -> Path:
        return self.folder / "model"

    @property
    def tokenizer(self) -> Path:
        return self.folder / "sentencepiece.model"


def default_packages_dir() -> Path:
    if os.environ.get("ARGOS_PACKAGES_DIR"):
        return Path(os.environ["ARGOS_PACKAGES_DIR"])
    data_home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return data_home / "argos-translate" / "packages"


def _read_metadata(raw: bytes, where: str) -> dict:
    try:
        metadata = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PubkitError(f"metadata.json is not valid JSON ({exc})", file=where,
                          fix="the package is damaged: download it again") from None
    if not isinstance(metadata, dict):
        raise PubkitError("metadata.json is not a JSON object", file=where, fix="the package is damaged")
    for key in REQUIRED:
        value = metadata.get(key)
        if not isinstance(value, str) or not value or "/" in value or value in (".", ".."):
            raise PubkitError(f"metadata.json has no valid '{key}'", file=where,
                              fix="use an Argos Translate package (.argosmodel) as published")
    return metadata


def installed(folder: Path) -> list[Package]:
    """Packages in ``folder``; folders that are not packages are skipped, never fatal."""
    packages = []
    if not folder.is_dir():
        return packages
    for child in sorted(folder.iterdir()):
        meta = child / "metadata.json"
        if not (child.is_dir() and meta.is_file() and (child / "model").is_dir()):
            continue
        try:
            metadata = _read_metadata(meta.read_bytes(), str(meta))
        except (PubkitError, OSError):
            continue
        packages.append(Package(child, metadata["from_code"], metadata["to_code"], metadata["package_version"]))
    return packages


def _check_archive(archive: zipfile.ZipFile, source: Path) -> tuple[str, dict]:
    """The archive's single top folder and its metadata, or a PubkitError saying what is wrong."""
    entries = archive.infolist()
    if not entries or len(entries) > MAX_ENTRIES:
        raise PubkitError(f"the package has {len(entries)} entries", file=source, fix="use a genuine .argosmodel file")
    tops, total = set(), 0
    for info in entries:
        name = info.filename
        path = PurePosixPath(name)
        if name.startswith(("/", "\\")) or ":" in path.parts[0] or ".." in path.parts or "\\" in name:
            raise PubkitError(f"unsafe path in the package: '{name}'", file=source,
                              fix="refused: the file may be malicious; get the package from its publisher")
        kind = stat.S_IFMT(info.external_attr >> 16)  # 0 when the zip was made without Unix modes
        if kind and kind not in (stat.S_IFREG, stat.S_IFDIR):
            raise PubkitError(f"the package contains a link or special file: '{name}'", file=source,
                              fix="refused: packages hold only plain files")
        total += info.file_size
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 1024**2:
            raise PubkitError(f"'{name}' expands {info.file_size // info.compress_size}× (a zip bomb?)",
                              file=source, fix="refused: use a genuine .argosmodel file")
        tops.add(path.parts[0])
    if total > MAX_TOTAL_BYTES:
        raise PubkitError(f"the package would unpack to {total / 1024**3:.1f} GB", file=source,
                          fix="refused: the limit is 4 GB")
    if len(tops) != 1:
        raise PubkitError(f"the package must hold exactly one top folder, found {len(tops)}", file=source,
                          fix="use a genuine .argosmodel file")
    top = tops.pop()
    names = {info.filename.rstrip("/") for info in entries}
    for needed in ("metadata.json", "sentencepiece.model", "model/model.bin"):
        if f"{top}/{needed}" not in names:
            raise PubkitError(f"the package has no {needed}", file=source, fix="use a genuine .argosmodel file")
    return top, _read_metadata(_damage_checked(archive.read, f"{top}/metadata.json", source), f"{source}:metadata.json")


def _damage_checked(read, argument, source: Path):
    """Run one zip read; a damaged archive (bad CRC, broken deflate stream, cut short) is the user's error."""
    try:
        return read(argument)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise PubkitError(f"the package is damaged ({exc})", file=source,
                          fix="download it again (the file was cut short or altered)") from None


def _check_destination(destination: Path, pair: tuple[str, str], source: Path) -> None:
    """Installing over a folder that holds another language pair would silently lose that pair."""
    if not destination.exists():
        return
    held = next((p for p in installed(destination.parent) if p.folder == destination), None)
    if held is not None and (held.from_code, held.to_code) != pair:
        raise PubkitError(f"the package unpacks to {destination.name}, which already holds the "
                          f"{held.from_code}→{held.to_code} package", file=source,
                          fix=f"refused, so {held.from_code}→{held.to_code} stays installed; "
                              "get the package from its publisher, or remove that folder first")


def install(source: Path, folder: Path, *, expect: tuple[str, str] | None = None) -> Package:
    """Validate ``source`` completely, extract it beside ``folder``, then rename it into place."""
    try:
        archive = zipfile.ZipFile(source)
    except FileNotFoundError:
        raise PubkitError("file not found", file=source, fix="check the path") from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise PubkitError(f"not a valid .argosmodel zip ({exc})", file=source,
                          fix="download the package again") from None
    with archive:
        top, metadata = _check_archive(archive, source)
        pair = (metadata["from_code"], metadata["to_code"])
        if expect and pair != expect:
            raise PubkitError(f"the package translates {pair[0]}→{pair[1]}, not {expect[0]}→{expect[1]}",
                              file=source, fix="install the package for the pair you need")
        package = Package(folder / top, *pair, metadata["package_version"])
        _check_destination(package.folder, pair, source)
        folder.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".installing-", dir=folder))
        try:
            _damage_checked(archive.extractall, staging, source)
            replaced = folder / f".replaced-{top}"
            if package.folder.exists():
                package.folder.rename(replaced)
            (staging / top).rename(package.folder)
            shutil.rmtree(replaced, ignore_errors=True)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return package
