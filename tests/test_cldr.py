"""Babel's answers remembered in the build cache (pubkit.cldr): the same strings Babel gives, found by a
later process without loading Babel, never kept under --no-cache, and never lost to a second writer."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from decimal import Decimal

import pytest

from conftest import REPO

from pubkit import cache, cldr


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    """An empty cache and no answers in this process."""
    monkeypatch.setenv("PUBKIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cldr, "_answers", None)
    monkeypatch.setattr(cldr, "_new", {})
    return tmp_path / "cache"


CALLS = [("numbers", "format_decimal", (Decimal("1290000.5"),), {"locale": "vi", "decimal_quantization": False}),
         ("numbers", "format_decimal", (Decimal("7.80"),), {"locale": "en", "decimal_quantization": False}),
         ("numbers", "format_percent", (0.375,), {"locale": "ja"}),
         ("numbers", "get_decimal_symbol", ("vi",), {}),
         ("dates", "format_skeleton", ("yMMMM", dt.date(2018, 6, 1)), {"locale": "vi"})]


def test_answers_are_babels_and_a_later_process_finds_them_without_babel(fresh):
    import importlib

    expected = [getattr(importlib.import_module(f"babel.{module}"), function)(*args, **kwargs)
                for module, function, args, kwargs in CALLS]
    assert [cldr.babel(module, function, *args, **kwargs) for module, function, args, kwargs in CALLS] == expected
    assert expected[:2] == ["1.290.000,5", "7.8"]  # the locale's marks
    cldr.save()
    script = ("import sys, datetime\nfrom decimal import Decimal\nfrom pubkit import cldr\n"
              f"calls = {CALLS!r}\n"
              "print([cldr.babel(m, f, *a, **k) for m, f, a, k in calls])\n"
              "print(any(name.startswith('babel.') for name in sys.modules))\n")
    env = dict(os.environ, PUBKIT_CACHE_DIR=str(fresh), PYTHONPATH=str(REPO))
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    found, imported = done.stdout.splitlines()
    assert found == repr(expected) and imported == "False"


def test_answers_made_under_no_cache_are_not_kept(fresh):
    with cache.bypassed():
        assert cldr.babel("numbers", "format_decimal", 2800, locale="vi") == "2.800"
        cldr.save()
    cldr.save()  # after the bypass too: the answer was made while it held
    assert not fresh.exists()


def test_a_second_writer_adds_to_the_entry(fresh, monkeypatch):
    cldr.babel("numbers", "format_decimal", 500, locale="en")
    cldr.save()
    monkeypatch.setattr(cldr, "_answers", None)  # another process, which read the entry before the first saved
    monkeypatch.setattr(cldr, "_new", {})
    cldr.babel("numbers", "format_decimal", 200, locale="ko")
    cldr.save()
    stored = cache.get_object("cldr", cldr._entry_key())
    assert {key[2] for key in stored} == {"(500,)", "(200,)"}


def test_only_babels_own_data_is_kept_so_pubkits_rules_apply_to_a_cached_answer(fresh, monkeypatch):
    """Scale words are derived by pubkit from CLDR's compact patterns: the patterns are kept, the derivation
    runs every time, so a cached build follows a change of pubkit's rules (the derived words were kept
    once, and a cached build went on printing the old ones)."""
    from pubkit.typeset import numbers

    numbers.scale_words.cache_clear()
    before = numbers.scale_words("ko")
    assert ("억", 10 ** 8) in before and not any(word == "만억" for word, _ in before)
    cldr.save()
    monkeypatch.setattr(cldr, "_answers", None)  # a later process: the patterns from the cache
    monkeypatch.setattr(numbers, "_MULTIPLIERS", {**numbers._MULTIPLIERS, "만": 10_000})  # a rule changed
    numbers.scale_words.cache_clear()
    try:
        assert ("만억", 10 ** 12) in numbers.scale_words("ko")
    finally:
        numbers.scale_words.cache_clear()
