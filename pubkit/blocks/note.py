"""A source note or footnote: ``note: "Nguồn: …"``, set small under what it annotates.

Notes stay in the text flow, right after their table, figures or paragraph (not at the page
foot): with one page plan for five languages, a note at the foot of the page would move with
every language's page breaks.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from pubkit.blocks import Kind
from pubkit.spec.model import Block
from pubkit.spec.segments import Segment


@dataclass(frozen=True)
class Note(Block):
    note: str


@dataclass(frozen=True)
class Resolved:
    path: str
    text: object  # pubkit.content.Text


def segments(block: Note, path: str):
    yield Segment(block.note, f"{path}.note", "source note or footnote (small print)")


def resolve(r, block: Note, path: str) -> Resolved:
    return Resolved(path, r.text(block.note, f"{path}.note"))


def note_style(s):
    return replace(s.caption, space_after=s.body.space_after)


def flow(layout, block: Note, path: str, s, step: int) -> list:
    where = f"{path}.note"
    return [layout.segment(layout.text_block(layout.tr(block.note, where), note_style(s)), where)]


KIND = Kind("note", Note, segments, resolve, Resolved, "blocks/note.html", flow=flow)
