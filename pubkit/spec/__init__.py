"""Brochure specs: YAML in, a validated :class:`~pubkit.spec.model.Brochure` out."""

from __future__ import annotations

from pathlib import Path

from pubkit.spec.model import Brochure
from pubkit.spec.validate import to_brochure
from pubkit.spec.yamlsource import load_yaml

SPEC_NAME = "brochure.yaml"


def load_spec(path: Path) -> Brochure:
    """Load and validate a brochure spec file."""
    return to_brochure(load_yaml(path), path)


__all__ = ["Brochure", "SPEC_NAME", "load_spec"]
