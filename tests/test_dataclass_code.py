"""Dataclass methods kept compiled beside pubkit's bytecode (pubkit.dataclass_code): a second start compiles
none of them, and the classes behave exactly as the standard library makes them."""

from __future__ import annotations

import json
import os
import subprocess
import sys

# Classes of every kind pubkit uses, made twice in one child: with the standard library's own `exec`,
# then again after `import pubkit` (which installs the table's): each probe's answers must match.
CHILD = r'''
import dataclasses, json, sys
from dataclasses import InitVar, dataclass, field

def kinds():
    @dataclass(frozen=True)
    class Point:
        x: int
        y: int = 2
        tags: tuple = ()

    @dataclass(order=True)
    class Version:
        major: int
        minor: int = 0
        notes: list = field(default_factory=list, compare=False, repr=False)

    @dataclass(eq=False, kw_only=True)
    class Options:
        name: str
        size: float = 9.25

    @dataclass(slots=True)
    class Slotted:
        a: int
        scale: InitVar[int] = 1

        def __post_init__(self, scale):
            self.a *= scale

    return Point, Version, Options, Slotted

def probe(Point, Version, Options, Slotted):
    answers = {}
    p = Point(1)
    answers["point"] = [repr(p), p == Point(1, 2), p == Point(1, 3), hash(p) == hash(Point(1)),
                        repr(dataclasses.replace(p, y=5)), [f.name for f in dataclasses.fields(Point)]]
    try:
        p.x = 3
    except dataclasses.FrozenInstanceError as error:
        answers["frozen"] = type(error).__name__
    v = Version(1, notes=["a"])
    answers["version"] = [repr(v), v < Version(1, 1), v == Version(1, notes=["b"]), sorted([Version(2), Version(1, 5)])
                          .__repr__()]
    o = Options(name="x")
    answers["options"] = [repr(o), o == Options(name="x"), o.size]
    try:
        Options("x")
    except TypeError as error:
        answers["kw_only"] = "TypeError"
    s = Slotted(3, 4)
    answers["slotted"] = [repr(s), s.a, hasattr(s, "__dict__"), Slotted.__slots__]
    return answers

standard = probe(*kinds())
import pubkit  # installs the table's exec
from pubkit import dataclass_code
table = probe(*kinds())
import pubkit.commands.build  # pubkit's own classes
print(json.dumps({"standard": standard, "table": table, "compiled": dataclass_code._compiled,
                  "path": dataclass_code.table_path()}))
'''


def run_child(prefix, write=True) -> dict:
    env = dict(os.environ, PYTHONPYCACHEPREFIX=str(prefix))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if not write:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    done = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def test_a_second_start_compiles_no_dataclass_method_and_the_classes_are_the_standard_ones(tmp_path):
    first = run_child(tmp_path / "pycache")
    assert first["table"] == first["standard"] and first["standard"]["frozen"] == "FrozenInstanceError"
    assert first["compiled"] > 100  # pubkit's classes and the probe's, compiled once
    assert os.path.isfile(first["path"]) and first["path"].startswith(str(tmp_path))
    second = run_child(tmp_path / "pycache")
    assert second["table"] == second["standard"] == first["standard"]
    assert second["compiled"] == 0


def test_no_table_is_written_without_bytecode_and_a_damaged_one_is_compiled_again(tmp_path):
    quiet = run_child(tmp_path / "quiet", write=False)
    assert quiet["compiled"] > 100 and not os.path.exists(quiet["path"])
    first = run_child(tmp_path / "pycache")
    with open(first["path"], "r+b") as table:
        table.seek(200)
        table.write(b"\x00" * 64)  # a torn write or a bad disk block
    damaged = run_child(tmp_path / "pycache")
    assert damaged["table"] == damaged["standard"] and damaged["compiled"] == first["compiled"]
    assert run_child(tmp_path / "pycache")["compiled"] == 0  # written whole again


def test_a_table_grown_past_its_limit_keeps_only_what_this_run_used(tmp_path, monkeypatch):
    """Every change of a class adds texts; past the limit the table is written with this run's texts alone."""
    from pubkit import dataclass_code

    monkeypatch.setattr(sys, "pycache_prefix", str(tmp_path))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    used = "def __create_fn__():\n def f(self):\n  return -1\n return f"
    stale = {f"def __create_fn__():\n def f(self):\n  return {n}\n return f": compile("pass", "<string>", "exec")
             for n in range(dataclass_code._KEEP)}
    monkeypatch.setattr(dataclass_code, "_codes", {used: compile(used, "<string>", "exec"), **stale})
    monkeypatch.setattr(dataclass_code, "_used", {used})
    monkeypatch.setattr(dataclass_code, "_compiled", 1)
    dataclass_code._save()
    assert list(dataclass_code._load()) == [used]
