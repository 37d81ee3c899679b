"""Turn parsed YAML into the typed spec, or fail with file, line, key path and what is expected.

One small converter driven by the dataclass type hints in :mod:`pubkit.spec.model` covers
the whole schema, so adding a field to the model is the only change a new key needs.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
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
    if hint is model.Block:
        return _convert_block(value, place)
    if dataclasses.is_dataclass(hint):
        return _convert_dataclass(hint, value, place)
    if hasattr(hint, "convert"):  # a schema type that converts itself (a table cell: text or number)
        return hint.convert(value, place, _convert)
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
    hints = _hints(cls)
    fields = _fields(cls)
    for key in value:
        if key not in fields and not (key == "only" and issubclass(cls, model.Block)):
            place.key(key, value).fail(f"unknown key '{key}'", _suggest(key, fields))
    kwargs = {}
    for name, spec_field in fields.items():
        if name in value:
            kwargs[name] = _convert(hints[name], value[name], place.key(name, value))
        elif spec_field.default is dataclasses.MISSING and spec_field.default_factory is dataclasses.MISSING:
            place.fail(f"missing required key '{name}'", f"add '{name}:' here")
    return cls(**kwargs)


@functools.cache
def _hints(cls: type) -> dict[str, object]:
    """The field types of a spec class, resolved once per process: ``typing.get_type_hints`` compiles every
    annotation string again on each call (a fifth of checking the sample's spec, 4,600 calls in a test run)."""
    return typing.get_type_hints(cls, None, vars(model))


@functools.cache
def _fields(cls: type) -> dict[str, dataclasses.Field]:
    """Callers only read the mapping."""
    return {f.name: f for f in dataclasses.fields(cls) if not f.metadata.get("internal")}


def _convert_block(value: object, place: _Place) -> model.Block:
    """A content block: a plain string (a paragraph) or a mapping naming one kind of :mod:`pubkit.blocks`."""
    from pubkit.blocks import BY_KEY, for_language

    if isinstance(value, str):
        return BY_KEY["text"].schema(_convert(str, value, place))
    if isinstance(value, dict):
        kinds = [key for key in value if key in BY_KEY]
        if len(kinds) == 1:
            kind = BY_KEY[kinds[0]]
            block = _convert_dataclass(kind.schema, value, place)
            if "only" in value:
                block = dataclasses.replace(block, only=_overrides(kind, value, place))
            if kind.check:
                kind.check(block, place, value)
                for code, fields in value.get("only", {}).items():
                    merged = Located({**value, **fields})
                    merged.line, merged.key_lines = fields.line, {**value.key_lines, **fields.key_lines}
                    kind.check(for_language(block, code), place.key("only", value).key(code, value["only"]), merged)
            return block
        if not kinds:
            first = next(iter(value), "")
            place.key(first, value).fail(f"unknown content block '{first}'", _suggest(first, BY_KEY))
        place.fail(f"one block names several kinds: {', '.join(kinds)}", "give each block its own '- ' line")
    place.fail(f"expected a paragraph (text) or one of {', '.join(BY_KEY)}, found {_describe(value)}",
               "give each content item its own '- ' line")


def _overrides(kind, value: Located, place: _Place) -> dict:
    """``only: {language: {field: value}}``: each field checked as the kind's own (docs/spec.md, overrides)."""
    here = place.key("only", value)
    only = value["only"]
    if not isinstance(only, dict) or not only:
        here.fail(f"expected languages with the fields they replace, found {_describe(only)}",
                  "write e.g. 'only: {ja: {image: map-ja.png}}'")
    hints = _hints(kind.schema)
    fields = _fields(kind.schema)
    out = {}
    for code, replaced in only.items():
        where = here.key(code, only)
        code = _convert(model.LanguageCode, code, where)
        if not isinstance(replaced, dict) or not replaced:
            where.fail(f"expected the fields to replace in the {code} edition, found {_describe(replaced)}",
                       "write e.g. 'caption: …' under it")
        for name in replaced:
            if name not in fields or name == "separate":  # separate: is the block's, in every language
                where.key(name, replaced).fail(f"'{name}' is not a field of a {kind.key} block",
                                               _suggest(name, fields))
        out[code] = {name: _convert(hints[name], item, where.key(name, replaced)) for name, item in replaced.items()}
    return out


def _check_overrides(brochure: model.Brochure, file: Path) -> None:
    """An override names a language of the brochure other than the source (edit the block itself for that)."""
    for s, section in enumerate(brochure.sections):
        for b, block in enumerate(section.content):
            for code in block.only:
                key = f"sections[{s}].content[{b}].only.{code}"
                if code == brochure.source_language:
                    raise PubkitError(f"an override for the source language '{code}'", file=file,
                                      line=brochure.line_of(key), key=key,
                                      fix="change the block itself; only: is for the other languages")
                if code not in brochure.languages:
                    raise PubkitError(f"an override for '{code}', which is not in languages", file=file,
                                      line=brochure.line_of(key), key=key,
                                      fix=f"add {code} to languages or remove this override")


def _check_consistency(brochure: model.Brochure, data: Located, place: _Place) -> None:
    if not brochure.sections:
        place.key("sections", data).fail("the brochure has no sections, so its inside pages would be empty",
                                         "add at least one section with a heading and content (docs/spec.md)")
    for index, section in enumerate(brochure.sections):
        if not section.content:  # laid out, its heading stood alone at the foot or top of a page
            where = place.key("sections", data).item(index, data["sections"])
            where.fail(f"the section '{section.heading[:40]}' has no content, so its heading would stand alone",
                       "add its paragraphs under content:, or remove the section")
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
    except ValueError as error:
        problem = str(error) if str(error).startswith("trim size") else f"unknown trim size '{brochure.format.trim}'"
        fmt.key("trim", fmt_data).fail(problem,
                                       "use " + ", ".join(model.TRIM_SIZES_MM) + " or WIDTHxHEIGHTmm, e.g. 148x210mm")
    if brochure.format.binding not in model.BINDINGS:
        fmt.key("binding", fmt_data).fail(f"unknown binding '{brochure.format.binding}'",
                                          _suggest(brochure.format.binding, model.BINDINGS))
    if brochure.format.max_pages is not None and brochure.format.max_pages < 1:
        fmt.key("max_pages", fmt_data).fail(f"max_pages of {brochure.format.max_pages}",
                                            "give the most pages an edition may have, a positive whole number, "
                                            "or leave max_pages out")
    if brochure.format.bleed < 3.0:
        fmt.key("bleed", fmt_data).fail(f"bleed of {brochure.format.bleed:g} mm is too small",
                                        "print shops need at least 3mm")
    _check_covers_and_publication(brochure, data, place)


# -- covers and publication (the covers helper's region) ----------------------------------------
def _check_covers_and_publication(brochure: model.Brochure, data: Located, place: _Place) -> None:
    """What the types alone do not catch: a QR address a phone cannot open, a licence that does not add up."""
    back = brochure.back_cover
    if back and back.qr:
        where = place.key("back_cover", data).key("qr", data["back_cover"])
        url = where.key("url", data["back_cover"]["qr"])
        link = back.qr.url_for("xx")
        if not link.startswith(("https://", "http://")) or any(char.isspace() for char in link):
            url.fail(f"'{back.qr.url[:40]}' is not a web address a phone can open",
                     "write the full address with https://, without spaces, e.g. https://portal.example.vn/{lang}/")
        if "{" in link or "}" in link:
            url.fail("the only placeholder a QR address may hold is {lang}",
                     "write {lang} where the edition's language code goes, or remove the braces")
        if len(link.encode("utf-8")) > model.QR_MAX_BYTES:
            url.fail(f"the address is {len(link.encode('utf-8'))} bytes; a QR code that a phone reads at print "
                     f"size holds at most {model.QR_MAX_BYTES}", "use a shorter address (a redirect)")
    publication = brochure.publication
    if publication is None:
        return
    pub_data = data["publication"]
    pub = place.key("publication", data)
    licence = publication.licence
    if licence.number and not (licence.date and licence.issuer):
        missing = "date" if not licence.date else "issuer"
        pub.key("licence", pub_data).fail(f"the licence {licence.number} has no {missing}",
                                          f"add licence.{missing} as written on the licence")
    if publication.deposit and licence.date and publication.deposit.as_date() < licence.date.as_date():
        pub.key("deposit", pub_data).fail(
            f"legal deposit {publication.deposit} is before the licence date {licence.date}",
            "a publication is printed and deposited after its licence is issued; check both dates")
    for code in publication.translators:
        at = pub.key("translators", pub_data).key(code, pub_data["translators"])
        if code not in brochure.languages:
            at.fail(f"a translator for '{code}', which is not in languages", f"add {code} to languages or remove this line")
        if code == brochure.source_language:
            at.fail(f"'{code}' is the source language, which is not translated", "remove this line")


def to_brochure(data: object, file: Path) -> model.Brochure:
    """Validate parsed YAML ``data`` from ``file`` and return the typed brochure."""
    place = _Place(file, "", getattr(data, "line", 1), {})
    if not isinstance(data, dict):
        place.fail(f"expected a brochure (a mapping of keys such as 'title:'), found {_describe(data)}",
                   "see docs/spec.md for an example")
    brochure = _convert_dataclass(model.Brochure, data, place)
    _check_consistency(brochure, data, place)
    object.__setattr__(brochure, "lines", place.lines)
    _check_overrides(brochure, file)
    return brochure
