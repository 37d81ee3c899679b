"""Turn parsed YAML into the typed spec, or fail with file, line, key path and what is expected.

One small converter driven by the dataclass type hints in :mod:`pubkit.spec.model` covers
the whole schema, so adding a field to the model is the only change a new key needs.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import types
import typing
import unicodedata
from pathlib import Path

from pubkit.errors import PubkitError
from pubkit.spec import model
from pubkit.spec.yamlsource import Located, LocatedList


class _Place:
    """Where a value sits: file, key path (``sections[2].heading``) and line."""

    def __init__(self, file: Path, path: str, line: int | None, lines: dict[str, int]):
        self.file, self.path, self.line, self.lines = file, path, line, lines
        lines.setdefault(path, line)

    def key(self, name: str, mapping: Located) -> _Place:
        path = f"{self.path}.{name}" if self.path else name
        return _Place(self.file, path, mapping.key_lines.get(name, mapping.line), self.lines)

    def item(self, index: int, seq: LocatedList) -> _Place:
        line = seq.item_lines[index] if index < len(seq.item_lines) else self.line
        return _Place(self.file, f"{self.path}[{index}]", line, self.lines)

    def fail(self, problem: str, fix: str | None = None) -> typing.NoReturn:
        raise PubkitError(problem, file=self.file, line=self.line, key=self.path or None, fix=fix)


def _describe(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        shown = value if len(value) <= 30 else value[:27] + "…"
        return f"the text '{shown}'"
    return f"{type(value).__name__} {value!r}"


def _suggest(word: str, choices: typing.Iterable[str]) -> str:
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else "allowed keys: " + ", ".join(choices)


def _convert(hint: object, value: object, place: _Place) -> object:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(hint)
        if value is None and type(None) in options:
            return None
        if hint == model.Block:
            return _convert_block(value, place)
        (inner,) = [option for option in options if option is not type(None)]
        return _convert(inner, value, place)
    if origin is list:
        (inner,) = typing.get_args(hint)
        if not isinstance(value, list):
            place.fail(f"expected a list, found {_describe(value)}", "write one '- item' per line")
        return [_convert(inner, item, place.item(i, value)) for i, item in enumerate(value)]
    if origin is dict:
        key_hint, value_hint = typing.get_args(hint)
        if not isinstance(value, dict):
            place.fail(f"expected a mapping, found {_describe(value)}", "write it as 'key: value' pairs")
        return {_convert(key_hint, k, place.key(k, value)): _convert(value_hint, v, place.key(k, value))
                for k, v in value.items()}
    if dataclasses.is_dataclass(hint):
        return _convert_dataclass(hint, value, place)
    return _convert_scalar(hint, value, place)


def _convert_scalar(hint: object, value: object, place: _Place) -> object:
    if hint is model.Length:
        return _length(value, place)
    if hint is str or (isinstance(hint, type) and issubclass(hint, str)):
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            place.fail(f"expected text, found {_describe(value)}", "write the text after the colon")
        if any("\ud800" <= char <= "\udfff" for char in str(value)):
            place.fail("the text holds a lone UTF-16 surrogate (from an escape such as \\ud800)",
                       "write the character itself, or its \\U0001xxxx escape")
        text = unicodedata.normalize("NFC", str(value)).strip()
        if hint is model.LanguageCode and text not in model.LANGUAGE_NAMES:
            place.fail(f"unknown language '{text}'", f"expected {model.LanguageCode.EXPECTED}")
        if hint is model.Date:
            try:
                model.Date(text).as_date()
            except ValueError:
                place.fail(f"'{text}' is not a date", f"expected {model.Date.EXPECTED}")
        return hint(text) if hint is not str else text
    if hint is bool:
        if not isinstance(value, bool):
            place.fail(f"expected true or false, found {_describe(value)}")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            place.fail(f"expected a whole number, found {_describe(value)}",
                       "write digits only, without separators, e.g. 2800")
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            place.fail(f"expected a number, found {_describe(value)}",
                       "write a plain number with a decimal point and no separators, e.g. 3536.4")
        return float(value)
    raise TypeError(f"unsupported schema type {hint!r}")  # a bug in the model, not user input


def _length(value: object, place: _Place) -> model.Length:
    text = str(value).strip().lower().replace(" ", "")
    for unit, factor in model.Length.UNITS_MM.items():
        if text.endswith(unit):
            try:
                number = float(text[: -len(unit)])
            except ValueError:
                break
            if number >= 0 and math.isfinite(number):
                return model.Length(number * factor)
    place.fail(f"'{value}' is not a length", f"expected {model.Length.EXPECTED}")


def _convert_dataclass(cls: type, value: object, place: _Place) -> object:
    if not isinstance(value, dict):
        place.fail(f"expected a mapping, found {_describe(value)}", "write it as 'key: value' pairs")
    hints = typing.get_type_hints(cls, vars(model))
    fields = {f.name: f for f in dataclasses.fields(cls) if not f.metadata.get("internal")}
    for key in value:
        if key not in fields:
            place.key(key, value).fail(f"unknown key '{key}'", _suggest(key, fields))
    kwargs = {}
    for name, spec_field in fields.items():
        if name in value:
            kwargs[name] = _convert(hints[name], value[name], place.key(name, value))
        elif spec_field.default is dataclasses.MISSING and spec_field.default_factory is dataclasses.MISSING:
            place.fail(f"missing required key '{name}'", f"add '{name}:' here")
    return cls(**kwargs)


def _convert_block(value: object, place: _Place) -> model.Block:
    if isinstance(value, str):
        return model.Paragraph(_convert(str, value, place))
    if isinstance(value, dict):
        kinds = [key for key in value if key in model.BLOCK_KINDS]
        if len(kinds) == 1:
            return _convert_dataclass(model.BLOCK_KINDS[kinds[0]], value, place)
        if not kinds:
            first = next(iter(value), "")
            place.key(first, value).fail(f"unknown content block '{first}'", _suggest(first, model.BLOCK_KINDS))
    place.fail(f"expected a paragraph (text) or one of {', '.join(model.BLOCK_KINDS)}, found {_describe(value)}",
               "give each content item its own '- ' line")


def _check_consistency(brochure: model.Brochure, data: Located, place: _Place) -> None:
    if not brochure.sections:
        place.key("sections", data).fail("the brochure has no sections, so its inside pages would be empty",
                                         "add at least one section with a heading and content (docs/spec.md)")
    languages = data.get("languages", [])
    seen = set()
    for i, code in enumerate(brochure.languages):
        if code in seen:
            place.key("languages", data).item(i, languages).fail(f"language '{code}' is listed twice",
                                                                  "list each language once")
        seen.add(code)
    if brochure.source_language not in seen:
        place.key("languages", data).fail(f"the source language '{brochure.source_language}' is not listed",
                                          f"add {brochure.source_language} to languages")
    runs = place.key("print_run", data)
    for code, copies in brochure.print_run.items():
        where = runs.key(code, data["print_run"])
        if code not in seen:
            where.fail(f"print run for '{code}', which is not in languages", f"add {code} to languages or remove this line")
        if copies <= 0:
            where.fail(f"{copies} copies", "the print run must be a positive whole number")
        if copies > model.MAX_COPIES:
            where.fail(f"{copies:,} copies", f"a print run is at most {model.MAX_COPIES:,} copies per language; "
                                             "check for extra digits")
    missing = [code for code in brochure.languages if code not in brochure.print_run]
    if missing:
        runs.fail(f"no print run for {', '.join(missing)}", "give the number of copies for every language")
    fmt = place.key("format", data)
    fmt_data = data.get("format") or Located()
    try:
        model.parse_trim(brochure.format.trim)
    except ValueError:
        fmt.key("trim", fmt_data).fail(f"unknown trim size '{brochure.format.trim}'",
                                       "use " + ", ".join(model.TRIM_SIZES_MM) + " or WIDTHxHEIGHTmm, e.g. 148x210mm")
    if brochure.format.binding not in model.BINDINGS:
        fmt.key("binding", fmt_data).fail(f"unknown binding '{brochure.format.binding}'",
                                          _suggest(brochure.format.binding, model.BINDINGS))
    if brochure.format.bleed < 3.0:
        fmt.key("bleed", fmt_data).fail(f"bleed of {brochure.format.bleed:g} mm is too small",
                                        "print shops need at least 3mm")


def to_brochure(data: object, file: Path) -> model.Brochure:
    """Validate parsed YAML ``data`` from ``file`` and return the typed brochure."""
    place = _Place(file, "", getattr(data, "line", 1), {})
    if not isinstance(data, dict):
        place.fail(f"expected a brochure (a mapping of keys such as 'title:'), found {_describe(data)}",
                   "see docs/spec.md for an example")
    brochure = _convert_dataclass(model.Brochure, data, place)
    _check_consistency(brochure, data, place)
    object.__setattr__(brochure, "lines", place.lines)
    return brochure
