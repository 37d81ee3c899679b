"""Babel's answers (numbers, dates, scale words as CLDR writes them), remembered in the build cache.

Babel loads a locale's CLDR data the first time a process asks anything of it: 7–9 ms per
language, 29 ms for the first (the root data), and 15 ms to import ``babel.numbers`` — about
0.07 s of the 1.1 s rebuild after a paragraph edit, in which every answer was one an earlier
build had already had. So each answer is kept, by the call that gave it, in one cache entry per
Babel release (:func:`pubkit.cache.key` adds pubkit's): a process that finds every answer it
needs there neither imports Babel's number and date modules nor loads a locale. An answer is
exactly the string Babel returned, so a PDF's bytes do not depend on the entry.

Answers made while the cache is bypassed (``--no-cache``) are not kept. :func:`save` writes the
new answers of this process, merged with the entry as it is then (another process may have
added some); the build calls it when it ends, and each worker when its edition is done.
"""

from __future__ import annotations

import importlib
from typing import Callable

from pubkit import cache as work_cache

_answers: dict | None = None
_new: dict = {}
KEEP = 20_000  # answers at most; the entry starts again empty beyond (a brochure asks a few hundred)


def _entry_key() -> str:
    return work_cache.key("cldr-answers", work_cache.package_version("babel"))


def _loaded() -> dict:
    global _answers
    if _answers is None:
        found = work_cache.get_object("cldr", _entry_key())
        _answers = found if isinstance(found, dict) else {}
    return _answers


def remembered(key: tuple, make: Callable[[], object]):
    """The answer kept under ``key`` (names and arguments of what gives it), else ``make()``'s."""
    answers = _loaded()
    if key in answers:
        return answers[key]
    found = answers[key] = make()
    if work_cache.enabled():
        _new[key] = found
    return found


def babel(module: str, function: str, *args, **kwargs):
    """``babel.<module>.<function>(*args, **kwargs)``, remembered: the module is imported only when
    the answer is not kept yet. Arguments are told apart by their ``repr`` (a ``Decimal`` keeps its
    digits, a date its day)."""
    def ask():
        return getattr(importlib.import_module(f"babel.{module}"), function)(*args, **kwargs)

    return remembered((module, function, repr(args), repr(sorted(kwargs.items()))), ask)


def save() -> None:
    """Keep this process's new answers (nothing to do when there are none)."""
    if not _new or not work_cache.enabled():
        return
    stored = work_cache.get_object("cldr", _entry_key())
    merged = stored if isinstance(stored, dict) and len(stored) < KEEP else {}
    merged.update(_new)
    work_cache.put_object("cldr", _entry_key(), merged)
    _loaded().update(merged)
    _new.clear()
