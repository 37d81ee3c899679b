"""Which template renders each kind of content block: each kind names its own (``pubkit.blocks``),
in ``templates/blocks/``; a project's ``templates/web/blocks/`` may replace it."""

from __future__ import annotations

from pubkit.blocks import kind_of


def block_template(block) -> str:
    """The template of a resolved block; fails closed for a type no kind registered (it would vanish from the page)."""
    return kind_of(block).template
