"""Dataclass methods compiled once and kept beside pubkit's bytecode, instead of at every start.

Python 3.11's :mod:`dataclasses` writes each class's ``__init__``, ``__repr__``, ``__eq__``,
``__hash__`` and a frozen class's ``__setattr__`` / ``__delattr__`` as source text and compiles it
with ``exec`` whenever the class is made, that is at every import. pubkit's 93 dataclasses took 71-116
ms of a build's 0.21-0.31 s of imports so, compiling 481 such texts (measured 2026-11-30 on the
development machine), before any work and in every command: on an edit rebuild's critical path.

:func:`install` gives :mod:`dataclasses` an ``exec`` that looks each text up in a table of code
objects compiled before (from ``__pycache__``, or under ``sys.pycache_prefix``, like bytecode) and
compiles only what it does not find; dataclass creation then took 18-28 ms. The functions are those
:mod:`dataclasses` makes: the same text, compiled the same way (file name ``<string>``), run in the
same namespaces; the text itself is the key, so an entry cannot be stale, and the table carries its
CRC-32, so a damaged one is compiled again rather than run. As with bytecode, nothing
is written when ``sys.dont_write_bytecode`` is set (``PYTHONDONTWRITEBYTECODE``), a file that cannot
be read is ignored, and a folder that cannot be written to is left alone. Forked workers end without
writing (they leave by ``os._exit``).
"""

from __future__ import annotations

import builtins
import marshal
import os
import sys
import zlib
from types import CodeType

_MAGIC = b"pubkit-dataclass-code-1\n"
_KEEP = 4000  # more entries than this (pubkit's classes changed many times): keep only this run's

_codes: dict[str, CodeType] | None = None  # loaded at the first class made
_used: set[str] = set()
_compiled = 0  # texts compiled in this process (none when every one was found)


def install() -> None:
    """Make every dataclass made from now on in this process take its compiled methods from the table."""
    import dataclasses

    dataclasses.exec = _exec


def table_path() -> str:
    """Where the table is kept: beside this module's bytecode, named for the interpreter."""
    from importlib.util import cache_from_source

    folder = os.path.dirname(cache_from_source(__file__))
    return os.path.join(folder, f"dataclass-code.{sys.implementation.cache_tag}.marshal")


def _exec(source, globals=None, locals=None, /, **options):
    """``exec`` as :mod:`dataclasses` calls it, with a text compiled at most once across runs."""
    global _codes, _compiled
    if isinstance(source, str):
        if _codes is None:
            _codes = _load()
            import atexit

            atexit.register(_save)
        code = _codes.get(source)
        if code is None:
            code = _codes[source] = compile(source, "<string>", "exec")
            _compiled += 1
        _used.add(source)
        source = code
    return builtins.exec(source, globals, locals, **options)


def _load() -> dict[str, CodeType]:
    try:
        with open(table_path(), "rb") as file:
            data = file.read()
        head = _MAGIC + sys.version.encode() + b"\n"
        payload = data[len(head) + 4:]
        if data.startswith(head) and data[len(head):len(head) + 4] == zlib.crc32(payload).to_bytes(4, "big"):
            table = marshal.loads(payload)
            if isinstance(table, dict):
                return {text: code for text, code in table.items()
                        if isinstance(text, str) and type(code) is CodeType}
    except (OSError, ValueError, EOFError, TypeError, NotImplementedError):  # the last: no bytecode cache tag
        pass
    return {}


def _save() -> None:
    """Write the table when this run compiled a text (atomically, without fsync: a table the disk did not
    keep is compiled again)."""
    if not _compiled or sys.dont_write_bytecode or _codes is None:
        return
    from pubkit.errors import PubkitError
    from pubkit.files import write_atomic

    table = _codes if len(_codes) <= _KEEP else {text: _codes[text] for text in _used}
    try:
        payload = marshal.dumps(table)
        write_atomic(table_path(), (_MAGIC, sys.version.encode() + b"\n", zlib.crc32(payload).to_bytes(4, "big"),
                                    payload), durable=False)
    except (OSError, PubkitError, NotImplementedError):  # a read-only install: the next run compiles again
        pass
