"""The translatable strings of a brochure, each with the key path where it appears.

A segment is one unit a translator works on: a title, a heading, a paragraph, a bullet,
a caption, a table cell, a figure's label or unit, a back-cover line, the licence's issuing
authority. Phone numbers, e-mails, web addresses, licence numbers and the printer's name and
address are not segments: they print as written in every edition. Each block kind lists
its own segments (:mod:`pubkit.blocks`); a kind that does not cannot be registered.

A block with ``separate: true`` gives each of its strings a PO entry of its own (``msgctxt`` = its
spec path), for a string whose translation here differs from the same string elsewhere.
A block may be overridden for one language (``only:``): a segment the override replaces is not
printed in that edition (``skip``), and the override's own texts print there as written
(:func:`written`), never through the drafts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from pubkit.spec import model


@dataclass(frozen=True)
class Segment:
    text: str
    path: str
    note: str = ""                     # what the string is, for the translator: "table header (column 2)"
    skip: frozenset = frozenset()      # languages whose edition replaces it (``only:``) and does not print it
    own: bool = False                  # its own PO entry (msgctxt = path): its block says ``separate: true``

    def prints_in(self, language: str) -> bool:
        return language not in self.skip


def segments(brochure: model.Brochure) -> Iterator[Segment]:
    yield Segment(brochure.title, "title")
    if brochure.subtitle:
        yield Segment(brochure.subtitle, "subtitle")
    yield Segment(brochure.publisher, "publisher")
    if brochure.cover.tagline:
        yield Segment(brochure.cover.tagline, "cover.tagline")
    for s, section in enumerate(brochure.sections):
        where = f"sections[{s}]"
        yield Segment(section.heading, f"{where}.heading", "section heading")
        for b, block in enumerate(section.content):
            yield from block_segments(block, f"{where}.content[{b}]")
    back = brochure.back_cover
    if back:
        for name in ("heading", "text"):
            if getattr(back, name):
                yield Segment(getattr(back, name), f"back_cover.{name}")
        if back.contact:
            for name in ("organisation", "address"):
                if getattr(back.contact, name):
                    yield Segment(getattr(back.contact, name), f"back_cover.contact.{name}")
        if back.qr and back.qr.label:
            yield Segment(back.qr.label, "back_cover.qr.label", "back cover: the line beside the QR code of the portal")
    publication = brochure.publication
    if publication and publication.licence.issuer:  # printer names and addresses are printed as registered
        yield Segment(publication.licence.issuer, "publication.licence.issuer",
                      "colophon: the authority that issued the publication licence")


def block_segments(block: model.Block, where: str) -> Iterator[Segment]:
    """One block's segments, each marked with the languages whose override replaces it."""
    from pubkit.blocks import for_language, kind_of

    kind = kind_of(block)  # fail closed: a type no kind registered raises TypeError
    listed = list(kind.segments(block, where))
    replaced = {language: {(s.path, s.text) for s in kind.segments(for_language(block, language), where)}
                for language in block.only}
    for segment in listed:
        skip = frozenset(language for language, kept in replaced.items() if (segment.path, segment.text) not in kept)
        yield Segment(segment.text, segment.path, segment.note, skip, block.separate)


def written(brochure: model.Brochure, language: str) -> dict[str, str]:
    """Spec path → text of what the ``language`` edition prints as written, from ``only:`` overrides."""
    from pubkit.blocks import for_language, kind_of

    out = {}
    for s, section in enumerate(brochure.sections):
        for b, block in enumerate(section.content):
            if language in block.only:
                where = f"sections[{s}].content[{b}]"
                kind = kind_of(block)
                base = {(x.path, x.text) for x in kind.segments(block, where)}
                out.update({x.path: x.text for x in kind.segments(for_language(block, language), where)
                            if (x.path, x.text) not in base})
    return out
