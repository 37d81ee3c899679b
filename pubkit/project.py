"""The project: the folder holding ``pubkit.toml``, and the defaults it sets."""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pubkit.errors import PubkitError

CONFIG_NAME = "pubkit.toml"
WRAP_MODES = ("words", "cjk")
# The settings pubkit.toml may hold; "*" stands for a name the project chooses (a family, a language).
_SCHEMA = {
    "project": {"brochures": str, "output": str, "drafts": str, "packages": str},
    "print": {"output_profile": str, "output_condition": str},
    "fonts": {"*": {"regular": str, "bold": str}},
    "languages": {"*": {"fonts": list, "wrap": str}},
}
_TYPE_NAMES = {str: 'a quoted text such as "fonts/x.ttf"', list: 'a list such as ["vietnamese"]', dict: "a [table]"}
_FOUND_NAMES = {str: "a text", list: "a list", dict: "a table", int: "a number", float: "a number", bool: "true/false"}


@dataclass(frozen=True)
class FontFamily:
    name: str
    regular: Path
    bold: Path


@dataclass(frozen=True)
class LanguageSetup:
    code: str
    families: tuple[FontFamily, ...]
    wrap: str


@dataclass(frozen=True)
class Project:
    root: Path
    brochures: Path
    output: Path
    drafts_folder: str
    languages: dict[str, LanguageSetup]
    packages: Path | None = None  # Argos packages folder; None = where argostranslate keeps them
    output_profile: Path | None = None  # CMYK ICC profile of the printing condition (PDF/X output intent)
    output_condition: str = "FOGRA39"
    settings_sha256: str = ""  # of the pubkit.toml text these settings were read from (a build checks it is unchanged)

    def output_intent(self):
        """The PDF/X output intent from ``[print]``; its profile also converts images to CMYK."""
        if self.output_profile is None:
            raise PubkitError("no output_profile in [print]", file=self.root / CONFIG_NAME,
                              fix='add [print] output_profile = "colour/pubkit-fogra39-tac300.icc"')
        try:
            stat = self.output_profile.stat()
            return _output_intent(self.output_profile, self.output_condition,
                                  (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino))
        except OSError as exc:
            raise PubkitError(f"cannot read the output profile ({exc.strerror})", file=self.output_profile,
                              fix="check [print] output_profile in pubkit.toml") from None

    def language(self, code: str, spec_file: Path) -> LanguageSetup:
        try:
            return self.languages[code]
        except KeyError:
            raise PubkitError(f"language '{code}' has no [languages.{code}] entry", file=self.root / CONFIG_NAME,
                              fix=f"add [languages.{code}] with its fonts and wrap mode (used by {spec_file})") from None

    def inside(self, relative: str, *, file: Path, key: str, line: int | None = None) -> Path:
        """Resolve a project-relative path from a spec, refusing anything outside the project."""
        candidate = (self.root / relative).resolve()
        if Path(relative).is_absolute() or not candidate.is_relative_to(self.root.resolve()):
            raise PubkitError(f"path '{relative}' is outside the project", file=file, line=line, key=key,
                              fix="put the file in the project (e.g. assets/) and give its path relative to it")
        return candidate


def require_image_file(path: Path, *, spec_file: Path, key: str, line: int | None) -> None:
    """An image named in a spec must be a file; say at the spec's place what it is instead."""
    if path.is_dir():
        raise PubkitError(f"{path.name} is a folder, not an image", file=spec_file, line=line, key=key,
                          fix=f"name the image file inside it, e.g. {path.name}/photo.jpg")
    if not path.is_file():  # the path the spec gives, from here (its file name alone hid a wrong folder)
        shown = os.path.relpath(path)
        raise PubkitError(f"image not found: {path if shown.startswith('..') else shown}", file=spec_file, line=line,
                          key=key, fix="check the path (an image is looked for beside the spec, then from the "
                                       "project folder), or put the image in assets/")


def resolved(path: Path) -> Path:
    """``path`` made absolute with links followed; a link loop is the user's error, not a crash."""
    try:
        return path.resolve()
    except (RuntimeError, OSError):  # RuntimeError up to Python 3.12, OSError (ELOOP) after
        raise PubkitError("cannot follow this path: a symbolic link in it loops", file=path,
                          fix="point the link at a real folder or file, or remove it") from None


def find_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` that holds ``pubkit.toml``."""
    start = resolved(start)
    if start.is_file():
        start = start.parent
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise PubkitError(f"no {CONFIG_NAME} found here or in any parent folder", file=start,
                      fix="run pubkit inside a pubkit project")


def _line_of(text: str, dotted: str) -> int | None:
    """The line where the setting ``a.b.c`` is written: ``[a.b]`` then ``c = …``, or the table header itself."""
    table, _, key = dotted.rpartition(".")
    current = ""
    for number, line in enumerate(text.splitlines(), start=1):
        header = re.match(r"\s*\[\s*([^\]]+?)\s*\]", line)
        if header:
            current = header.group(1).replace('"', "").replace(" ", "")
            if current == dotted:
                return number
        elif current == table and re.match(rf"\s*\"?{re.escape(key)}\"?\s*=", line):
            return number
    return None


def _check_settings(data: dict, schema: dict, where: str, config: Path, text: str) -> None:
    """Every setting known and of the right type; a misspelt or misplaced one is named, never ignored."""
    for key, value in data.items():
        dotted = f"{where}.{key}" if where else key
        expected = schema.get(key, schema.get("*"))
        if expected is None:
            close = difflib.get_close_matches(key, list(schema), n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            raise PubkitError(f"unknown setting '{key}'", file=config, line=_line_of(text, dotted), key=dotted,
                              fix=f"{hint}known here: {', '.join(schema)}")
        kind = dict if isinstance(expected, dict) else expected
        if not isinstance(value, kind):
            found = _FOUND_NAMES.get(type(value), type(value).__name__)
            raise PubkitError(f"expected {_TYPE_NAMES[kind]}, found {found}", file=config,
                              line=_line_of(text, dotted), key=dotted, fix=f"write {key} as {_TYPE_NAMES[kind]}")
        if isinstance(expected, dict):
            _check_settings(value, expected, dotted, config, text)


def load_project(root: Path) -> Project:
    config = root / CONFIG_NAME
    try:
        text = config.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PubkitError(f"TOML syntax error: {exc}", file=config, fix="fix the line named") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PubkitError(f"cannot read the file ({exc})", file=config) from None
    _check_settings(data, _SCHEMA, "", config, text)
    settings = data.get("project", {})
    printing = data.get("print", {})
    families = {}
    for name, entry in data.get("fonts", {}).items():
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", name):  # it names web font files and CSS families
            raise PubkitError(f"font family name '{name[:40]}' is not a plain name", file=config,
                              line=_line_of(text, f"fonts.{name}"), key=f"fonts.{name}",
                              fix="use letters, digits, '-' and '_' (e.g. [fonts.japanese])")
        try:
            families[name] = FontFamily(name, root / entry["regular"], root / entry["bold"])
        except KeyError:
            raise PubkitError(f"font family '{name}' needs 'regular' and 'bold' paths", file=config,
                              line=_line_of(text, f"fonts.{name}"), key=f"fonts.{name}") from None
    languages = {}
    for code, entry in data.get("languages", {}).items():
        wrap = entry.get("wrap", "words")
        if wrap not in WRAP_MODES:
            raise PubkitError(f"unknown wrap mode '{wrap}'", file=config, key=f"languages.{code}.wrap",
                              fix="use 'words' or 'cjk'")
        chain = []
        for name in entry.get("fonts", []):
            if name not in families:
                raise PubkitError(f"unknown font family '{name}'", file=config, key=f"languages.{code}.fonts",
                                  line=_line_of(text, f"languages.{code}.fonts"),
                                  fix=f"define [fonts.{name}] or use one of: {', '.join(families)}")
            chain.append(families[name])
        if not chain:
            raise PubkitError("no fonts given", file=config, key=f"languages.{code}.fonts",
                              fix="list at least one font family")
        languages[code] = LanguageSetup(code, tuple(chain), wrap)
    return Project(root=root, brochures=root / settings.get("brochures", "brochures"),
                   output=root / settings.get("output", "build"),
                   drafts_folder=settings.get("drafts", "translations"), languages=languages,
                   packages=root / settings["packages"] if settings.get("packages") else None,
                   output_profile=root / printing["output_profile"] if printing.get("output_profile") else None,
                   output_condition=printing.get("output_condition", "FOGRA39"),
                   settings_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())


@lru_cache(maxsize=4)
def _output_intent(profile: Path, condition: str, status: tuple):
    """The output intent of ``profile`` as its file now is (``status``: size, times, inode), read once per
    process: a build asks for it for every picture and every finished file (1 MB read and hashed each)."""
    from pubkit.press.pdfx import OutputIntent

    return OutputIntent(profile.read_bytes(), identifier=condition)
