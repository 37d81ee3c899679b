"""Read YAML keeping the line of every key, so errors can point at it.

PyYAML's safe loader is used with two changes: mappings become :class:`Located` dicts that
remember the line of each key, and a key given twice is an error instead of silently
keeping the last value.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from pubkit.errors import PubkitError


class Located(dict):
    """A mapping from YAML that knows its own line and the line of each of its keys."""

    line: int = 0
    key_lines: dict


class LocatedList(list):
    """A sequence from YAML that knows the line of each item."""

    line: int = 0
    item_lines: list


class _Loader(yaml.SafeLoader):
    def __init__(self, stream, file: Path):
        super().__init__(stream)
        self.file = file

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


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_located_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_located_sequence)
# Dates stay strings: the spec parses them itself, with a clear error.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml(path: Path) -> object:
    """Parse one YAML file; every problem becomes a one-line :class:`PubkitError`."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise PubkitError("file not found", file=path, fix="check the path") from None
    except OSError as exc:
        raise PubkitError(f"cannot read the file ({exc.strerror})", file=path) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PubkitError("the file is not UTF-8 text", file=path, line=line,
                          fix="save it as UTF-8 (in your editor: Save As… › Encoding: UTF-8)") from None
    loader = _Loader(text, path)
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "not valid YAML"
        raise PubkitError(f"YAML syntax error: {problem}", file=path,
                          line=mark.line + 1 if mark else None,
                          fix="check indentation, colons and quotes on this line") from None
    except yaml.YAMLError as exc:
        raise PubkitError(f"YAML error: {exc}", file=path) from None
    finally:
        loader.dispose()
