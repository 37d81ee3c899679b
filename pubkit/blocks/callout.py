"""A callout: ``callout: "…"`` with an optional ``title`` and ``style: box`` (default) or ``quote``.

``box`` sets the text on a light tint; ``quote`` (a pull quote) sets it larger beside a bar, with
an optional ``source`` (who said it). The box grows with the language's text, so its tint and bar
are on the black plate only (10 % K, 100 % K), overprinting; a callout in colour would need a
place and size independent of the language (an image or chart slot). Kept on one page.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from pubkit.blocks import Kind
from pubkit.spec.model import Block
from pubkit.spec.segments import Segment

STYLES = ("box", "quote")


@dataclass(frozen=True)
class Callout(Block):
    callout: str
    title: str | None = None
    source: str | None = None
    style: str = "box"


@dataclass(frozen=True)
class Resolved:
    path: str
    text: object  # pubkit.content.Text
    title: object  # Text or None
    source: object  # Text or None
    style: str


def check(block: Callout, place, data) -> None:
    if block.style not in STYLES:
        place.key("style", data).fail(f"unknown callout style '{block.style}'", "use style: box or style: quote")


def segments(block: Callout, path: str):
    if block.title:
        yield Segment(block.title, f"{path}.title", "callout box: title")
    yield Segment(block.callout, f"{path}.callout", "callout box" if block.style == "box" else "pull quote")
    if block.source:
        yield Segment(block.source, f"{path}.source", "pull quote: who said it")


def resolve(r, block: Callout, path: str) -> Resolved:
    return Resolved(path, r.text(block.callout, f"{path}.callout"), r.text(block.title, f"{path}.title"),
                    r.text(block.source, f"{path}.source"), block.style)


def flow(layout, block: Callout, path: str, s, step: int) -> list:
    from pubkit.typeset.flowables import Box

    box = Box([], block.style)
    narrow = box.inner_width(layout.column_width)
    body = s.body if block.style == "box" else replace(s.body, size=round(s.body.size * 1.15, 2),
                                                         leading=round(s.body.leading * 1.12, 2), justify=False)
    parts = []
    for name, style in (("title", replace(s.body, chain=s.heading.chain, justify=False)), ("callout", body),
                        ("source", replace(s.caption, align="right"))):
        text = getattr(block, name)
        if text:
            where = f"{path}.{name}"
            parts.append(layout.segment(layout.text_block(layout.tr(text, where), style, width=narrow), where))
    parts[-1].spaceAfter = 0
    box.blocks = parts
    box.spaceBefore = box.spaceAfter = s.body.space_after
    return [layout.segment(box, f"{path}.callout")]  # a review proof marks the box by its main text


KIND = Kind("callout", Callout, segments, resolve, Resolved, "blocks/callout.html", flow=flow, check=check)
