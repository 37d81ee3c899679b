"""Content blocks: one module per kind, one registry table (``KINDS``).

A kind is everything pubkit knows about one sort of block in a section's ``content``, in one
module ``pubkit/blocks/<kind>.py`` that ends with ``KIND = Kind(...)``:

``key``
    the YAML key that names the block (``table:``). Paragraphs are plain strings, or ``text:``.
``schema``
    the frozen dataclass the spec is validated into. It subclasses :class:`pubkit.spec.model.Block`
    (which carries the per-language ``only:`` overrides); :mod:`pubkit.spec.validate` converts
    the YAML from its type hints, so a new field is a new key. A field whose type has a
    ``convert(value, place, convert)`` classmethod is converted by it (a table cell: text or
    number; ``convert(str, value, place)`` converts text as every other field's).
``check(block, place, data)`` (optional)
    what type hints cannot say (a table's shape), failing with ``place.fail(problem, fix)``;
    ``data`` is the block's YAML mapping (``place.key(name, data)`` points at one of its keys).
``printed(layout, block, path)`` (optional)
    what it prints that is not a segment (numbers as the language writes them), as (place, text)
    pairs, so the glyph check covers them; a resolved block's ``numbers()`` does the same for the web.
``segments(block, path)``
    its translatable strings: :class:`pubkit.spec.segments.Segment` (text, spec path, a note for
    the translator). Required: :class:`Kind` cannot be made without it, so a block whose text the
    drafts do not list cannot exist (it would print untranslated).
``resolve(r, block, path)`` and ``resolved``
    the format-neutral block of one edition (:mod:`pubkit.content`) and its class:
    ``r.text(source, path)`` gives the published :class:`pubkit.content.Text` (None for no
    source), ``r.language`` the edition's language; ``r.project``, ``r.files`` and ``r.brochure``
    for files (``pubkit.blocks.image.image_file`` finds a picture).
``template``
    the web template, ``pubkit/web/templates/blocks/<name>.html``; it gets ``block`` (the
    resolved block) and ``picture(image, alt)``.
print: exactly one of
    ``flow(layout, block, path, styles, step)`` — flowables for the section's text flow (text,
    tables, boxes). Their height follows the language, so everything they draw is 100 % K and
    overprints (``pubkit.typeset.blocks.overprint``); the paginator splits a flowable that has
    ``units()`` and ``part(first, end)`` between those units (see ``pubkit.typeset.flowables``).
    ``layout`` is the edition's ``_Layout``: ``layout.tr(source, path)`` gives the text to print,
    ``layout.text_block(text, style)`` a broken :class:`~pubkit.typeset.blocks.TextBlock`,
    ``layout.column_width`` the measure, ``layout.segment(flowable, path)`` tags what a review
    proof marks; ``styles`` are the edition's styles at ladder ``step`` (spacing already fitted).

    ``placed`` — a :class:`Placed`: the block takes a *slot* of fixed size that the page plan
    puts on the same page, column and place in every language, with room reserved for the
    longest language's caption; colour is allowed only here, since its place never moves.
    ``placed.size(layout, block, path)`` gives (width in pt at scale 1, height ÷ width);
    ``placed.draw(layout, canv, block, path, x, y, width, height)`` draws it into that box
    (x, y: bottom left, in pt). A ``caption`` field is set under the box by the layout.
    A chart is such a block: its bars keep their place in every language; its labels are K.

Per-language overrides are the registry's (:func:`for_language`): ``only: {ja: {field: value}}``
replaces fields of any block in one edition; the texts given there are written in that language
and print as written (docs/spec.md). :func:`field_key` names the key of a field as an edition
uses it (the override's, for an error message). ``separate: true`` (any block) gives the block's
strings PO entries of their own (``Segment.own``).

Adding a kind: write its module, add it to ``KINDS`` below, add its template, and document it in
docs/spec.md; tests/test_blocks.py checks that every kind is covered by the test brochure.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True)
class Placed:
    """How a slot-placed block (image, chart) is sized and drawn; see the module docstring."""

    size: Callable[..., tuple[float, float]]
    draw: Callable[..., None]
    span: Callable[[Any], bool] = lambda block: False  # True: across the page, to the bleed at both sides


@dataclass(frozen=True)
class Kind:
    """One block kind; see the module docstring for each part."""

    key: str
    schema: type
    segments: Callable
    resolve: Callable
    resolved: type
    template: str
    flow: Callable | None = None
    placed: Placed | None = None
    check: Callable | None = None
    printed: Callable | None = None

    def __post_init__(self):
        if not callable(self.segments):  # fail closed: no block without its translatable text
            raise TypeError(f"block kind '{self.key}' does not list its segments")
        if (self.flow is None) == (self.placed is None):
            raise TypeError(f"block kind '{self.key}': give exactly one of flow and placed")


def for_language(block, language: str):
    """``block`` as the ``language`` edition prints it: its ``only:`` fields for that language replace its own."""
    fields = block.only.get(language)
    return dataclasses.replace(block, **fields) if fields else block


def spec_block(brochure, path: str):
    """The spec block (as written, with its overrides) at ``sections[s].content[b]``, from any path under it."""
    s, b = (int(part.split("]")[0]) for part in path.split("[")[1:3])
    return brochure.sections[s].content[b]


def field_key(block, path: str, name: str, language: str) -> str:
    """The spec key of field ``name`` as the ``language`` edition uses it: its override's key when it has one."""
    return f"{path}.only.{language}.{name}" if name in block.only.get(language, {}) else f"{path}.{name}"


from pubkit.blocks import (bullets, callout, chart, columns, figures, heading, image, note, numbered,  # noqa: E402
                           page_break, paragraph, table)

KINDS: tuple[Kind, ...] = (paragraph.KIND, heading.KIND, bullets.KIND, numbered.KIND, image.KIND, figures.KIND,
                           table.KIND, callout.KIND, note.KIND, columns.KIND, page_break.KIND, chart.KIND)
BY_KEY = {kind.key: kind for kind in KINDS}
_BY_TYPE = {**{kind.schema: kind for kind in KINDS}, **{kind.resolved: kind for kind in KINDS}}


def kind_of(block) -> Kind:
    """The kind of a spec block or of a resolved one; fails closed for a type nobody registered."""
    try:
        return _BY_TYPE[type(block)]
    except KeyError:
        raise TypeError(f"no block kind registered for block type {type(block).__name__}") from None


__all__ = ["BY_KEY", "KINDS", "Kind", "Placed", "field_key", "for_language", "kind_of", "spec_block"]
