"""Brochure specs: YAML in, a validated :class:`~pubkit.spec.model.Brochure` out."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pubkit.spec.model import Brochure

SPEC_NAME = "brochure.yaml"


def __getattr__(name: str):
    """``Brochure`` is loaded on first use: finding brochures (``SPEC_NAME``) must not load YAML and the validator
    (70 ms of a no-op build's 0.3 s, measured with -X importtime)."""
    if name == "Brochure":
        from pubkit.spec.model import Brochure

        return Brochure
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load_spec(path: Path) -> Brochure:
    """Load and validate a brochure spec file.

    Parsed once per process and file version (a build asked for the sample's spec 11 times,
    1.9 s of 25 s in cProfile); workers forked after the first load inherit it. A ``Brochure``
    is frozen, so sharing it is safe.
    """
    try:
        stat = path.stat()
    except OSError:
        return _parse(path)  # load_yaml names the problem
    return _load_spec(path, stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=16)
def _load_spec(path: Path, size: int, mtime_ns: int) -> Brochure:
    return _parse(path)


def _parse(path: Path) -> Brochure:
    from pubkit.spec.validate import to_brochure
    from pubkit.spec.yamlsource import load_yaml

    return to_brochure(load_yaml(path), path)


__all__ = ["Brochure", "SPEC_NAME", "load_spec"]
