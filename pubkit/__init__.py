"""pubkit: multilingual print publications from a YAML spec and reviewed translations."""

__version__ = "0.1.0"
