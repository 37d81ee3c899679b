"""Which template renders each kind of content block: a new block type is one ``renders`` line
and one template in ``templates/blocks/``."""

from __future__ import annotations

from pubkit import content

BLOCK_TEMPLATES: dict[type, str] = {}


def renders(kind: type, template: str) -> None:
    BLOCK_TEMPLATES[kind] = template


renders(content.Paragraph, "blocks/paragraph.html")
renders(content.Bullets, "blocks/bullets.html")
renders(content.Image, "blocks/image.html")
renders(content.Figures, "blocks/figures.html")


def block_template(block) -> str:
    try:
        return BLOCK_TEMPLATES[type(block)]
    except KeyError:  # fail closed: a block the web edition does not know would vanish from the page
        raise TypeError(f"web: no template for block type {type(block).__name__}") from None
