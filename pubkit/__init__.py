"""pubkit: multilingual print publications from a YAML spec and reviewed translations."""

__version__ = "0.1.0"

from pubkit import dataclass_code as _dataclass_code  # noqa: E402 - before any of pubkit's dataclasses

_dataclass_code.install()
