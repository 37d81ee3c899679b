"""Read YAML keeping the line of every key, so errors can point at it.

PyYAML's safe loader is used with two changes: mappings become :class:`Located` dicts that
remember the line of each key, and a key given twice is an error instead of silently
keeping the last value.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from pubkit.errors import PubkitError
from pubkit.spec.legacy import HOW_TO_CONVERT, legacy_encoding

MAX_BYTES = 2 * 1024 * 1024  # a brochure spec is a few dozen KB; anything this big is a mistake
MAX_DEPTH = 32  # the spec nests 6 levels; PyYAML recurses per level and would hit Python's limit near 200
# Invisible characters that paste in from Word and web pages and break matching and layout.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")


class Located(dict):
    """A mapping from YAML that knows its own line and the line of each of its keys."""

    line: int = 0
    key_lines: dict


class LocatedList(list):
    """A sequence from YAML that knows the line of each item."""

    line: int = 0
    item_lines: list


class _Located:
    """What pubkit adds to PyYAML's safe loading: lines kept, aliases, deep nesting and repeated keys refused."""

    file: Path
    depth: int

    def compose_node(self, parent, index):
        event = self.peek_event()
        if self.check_event(yaml.AliasEvent):
            raise PubkitError(f"YAML alias '*{event.anchor}' is not allowed in pubkit files", file=self.file,
                              line=event.start_mark.line + 1, fix="write the value out in full")
        if self.depth >= MAX_DEPTH:
            raise PubkitError(f"values are nested more than {MAX_DEPTH} levels deep", file=self.file,
                              line=event.start_mark.line + 1, fix="check the brackets on this line (docs/spec.md)")
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_mapping(self, node, deep=False):
        result = Located()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            line = key_node.start_mark.line + 1
            if not isinstance(key, (str, int, float, bool)) or key is None:
                raise PubkitError("a mapping key must be a plain word", file=self.file, line=line,
                                  fix="write keys as simple names such as 'title'")
            if key in result:
                raise PubkitError(f"key '{key}' is given twice (first on line {result.key_lines[key]})",
                                  file=self.file, line=line, fix="keep only one of them")
            result[key] = self.construct_object(value_node, deep=deep)
            result.key_lines[key] = line
        return result

    def construct_sequence(self, node, deep=False):
        result = LocatedList(self.construct_object(child, deep=deep) for child in node.value)
        result.line = node.start_mark.line + 1
        result.item_lines = [child.start_mark.line + 1 for child in node.value]
        return result


def _construct_located_mapping(loader, node):
    return loader.construct_mapping(node, deep=True)


def _construct_located_sequence(loader, node):
    return loader.construct_sequence(node, deep=True)


class _Loader(_Located, yaml.SafeLoader):
    """Pure Python: PyYAML's own scanner and parser, whose error messages pubkit shows."""

    def __init__(self, stream, file: Path):
        super().__init__(stream)
        self.file = file
        self.depth = 0


try:
    from yaml.cyaml import CParser
except ImportError:  # PyYAML built without libyaml
    CParser = None

if CParser is not None:
    class _FastLoader(_Located, yaml.composer.Composer, CParser, yaml.constructor.SafeConstructor,
                      yaml.resolver.Resolver):
        """libyaml's scanner and parser under the same composer and constructor: a spec loads in a fifth
        of the time (5 against 26 ms for the sample's; 13 of the test suite's profiled seconds went to
        reading YAML). The events, their lines and so the result are the same; a file it refuses is
        read again by :class:`_Loader`, so errors keep PyYAML's wording."""

        def __init__(self, stream, file: Path):
            CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            self.file = file
            self.depth = 0

for _kind in (_Loader, _FastLoader) if CParser is not None else (_Loader,):
    _kind.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_located_mapping)
    _kind.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_located_sequence)
    # Dates stay strings: the spec parses them itself, with a clear error.
    _kind.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


def load_yaml(path: Path) -> object:
    """Parse one YAML file; every problem becomes a one-line :class:`PubkitError`."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise PubkitError(f"the file is {size / 1024 / 1024:.1f} MB, too large for a spec", file=path,
                              fix=f"a spec is text of at most {MAX_BYTES // 1024 // 1024} MB; images go in assets/")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise PubkitError("file not found", file=path, fix="check the path") from None
    except IsADirectoryError:
        raise PubkitError("this is a folder, not a file", file=path, fix="give the YAML file") from None
    except OSError as exc:
        raise PubkitError(f"cannot read the file ({exc.strerror})", file=path) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        legacy = legacy_encoding(raw.decode("cp1252", errors="replace"))
        if legacy:
            raise PubkitError(f"the file is in the legacy Vietnamese encoding {legacy}, not Unicode", file=path,
                              line=line, fix=HOW_TO_CONVERT.format(name=legacy)) from None
        raise PubkitError("the file is not UTF-8 text", file=path, line=line,
                          fix="save it as UTF-8 (in your editor: Save As… › Encoding: UTF-8)") from None
    legacy = legacy_encoding(text)
    if legacy:
        raise PubkitError(f"the text looks like {legacy}-encoded Vietnamese pasted as Unicode", file=path,
                          line=_first_line_of(text, legacy), fix=HOW_TO_CONVERT.format(name=legacy))
    invisible = _INVISIBLE.search(text)
    if invisible:
        line = text.count("\n", 0, invisible.start()) + 1
        column = invisible.start() - text.rfind("\n", 0, invisible.start())
        raise PubkitError(f"invisible character U+{ord(invisible.group()):04X} at column {column}", file=path,
                          line=line, fix="delete it (it usually comes with text pasted from Word or a web page)")
    if CParser is not None:
        loader = _FastLoader(text, path)
        try:
            return loader.get_single_data()
        except yaml.YAMLError:
            pass  # said below in PyYAML's words
        finally:
            loader.dispose()
    loader = None
    try:
        loader = _Loader(text, path)
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "not valid YAML"
        raise PubkitError(f"YAML syntax error: {problem}", file=path,
                          line=mark.line + 1 if mark else None,
                          fix="check indentation, colons and quotes on this line") from None
    except yaml.reader.ReaderError as exc:
        raise PubkitError(f"character U+{exc.character:04X} is not allowed in YAML", file=path,
                          line=text.count("\n", 0, exc.position) + 1, fix="delete it") from None
    except yaml.YAMLError as exc:
        raise PubkitError(f"YAML error: {exc}", file=path) from None
    finally:
        if loader is not None:
            loader.dispose()


def _first_line_of(text: str, encoding: str) -> int:
    """The first line that shows the legacy encoding, for the error message."""
    for number, line in enumerate(text.splitlines(), start=1):
        if legacy_encoding(line * 3) == encoding:
            return number
    return 1
