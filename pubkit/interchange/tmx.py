"""TMX 1.4: the reviewed segments of brochures as a translation memory, and memories read back.

A TMX file holds translation units (``<tu>``), each with one variant (``<tuv xml:lang>``) per
language. pubkit writes one unit per Vietnamese source with every reviewed translation of it,
and reads any TMX 1.4 (or 1.3) file whose source language is Vietnamese: memoQ, Trados, OmegaT
and Okapi all write these.

Inline markup (:mod:`pubkit.markup`) is written as TMX paired codes, ``<bpt i="1" type="bold">``
… ``<ept i="1">``, each holding its tag as written, so a segment's text read back is the text
written; a target's pairs carry the numbers of the matching source pairs.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from pubkit import __version__
from pubkit.errors import PubkitError
from pubkit.interchange.xmlsafe import CODE_TYPES, fill_tagged, local, pair_numbers, parse_xml, primary
from pubkit.normalize import nfc

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FIX = "export it again as TMX 1.4 from your translation tool"


@dataclass(frozen=True)
class MemoryUnit:
    source: str  # Vietnamese, NFC
    target: str
    language: str
    origin: str  # where it came from, for the note on a prefilled entry


def write_tmx(units: dict[str, dict[str, str]], brochure: str, source_language: str = "vi") -> bytes:
    """``units`` maps each source to ``{language: reviewed translation}``."""
    from lxml import etree

    root = etree.Element("tmx", version="1.4")
    etree.SubElement(root, "header", creationtool="pubkit", creationtoolversion=__version__, segtype="paragraph",
                     adminlang="en", srclang=source_language, datatype="plaintext", **{"o-tmf": "PO"})
    body = etree.SubElement(root, "body")
    segments: list[tuple] = []  # filled after indenting: indentation must not reach into text with tags
    for source, targets in units.items():
        if not targets:
            continue
        tu = etree.SubElement(body, "tu", tuid=hashlib.sha1(source.encode("utf-8")).hexdigest()[:16])
        prop = etree.SubElement(tu, "prop", type="x-pubkit-brochure")
        prop.text = brochure
        for language, text in [(source_language, source), *sorted(targets.items())]:
            tuv = etree.SubElement(tu, "tuv", {XML_LANG: language})
            segments.append((etree.SubElement(tuv, "seg"), text, source, language))
    etree.indent(root, space="  ")
    for seg, text, source, language in segments:
        try:
            fill_tagged(seg, text, _code, pair_numbers(source, text) if language != source_language else None)
        except ValueError:
            raise PubkitError(f"the {language} text of “{source[:40]}” holds a control character XML cannot carry",
                              fix="remove it from the PO entry, then export again") from None
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _code(tag, number: int) -> tuple[str, dict[str, str]]:
    return ("ept", {"i": str(number)}) if tag.closing else ("bpt", {"i": str(number), "type": CODE_TYPES[tag.kind]})


def read_tmx(path: Path, language: str, source_language: str = "vi") -> list[MemoryUnit]:
    """The ``source_language`` → ``language`` pairs of the TMX file at ``path``."""
    units: list[MemoryUnit] = []
    for unit in check_tmx(path, source_language):
        sources = unit.get(source_language)
        target = unit.get(language)
        if sources and target:
            units.append(MemoryUnit(sources, target, language, path.name))
    return units


def check_tmx(path: Path, source_language: str = "vi") -> list[dict[str, str]]:
    """Every unit of the TMX file as ``{language: text}``; refuses what is not a TMX memory from Vietnamese."""
    root = parse_xml(path, "a translation memory", FIX)
    if local(root.tag) != "tmx":
        raise PubkitError(f"this is not a TMX file (its root element is <{local(root.tag)}>)", file=path,
                          line=root.sourceline, fix=FIX)
    header = next((child for child in root if local(child.tag) == "header"), None)
    declared = primary(header.get("srclang", "")) if header is not None else ""
    if declared not in (source_language, "*all*"):
        raise PubkitError(f"this memory's source language is '{header.get('srclang') if header is not None else ''}', "
                          f"not '{source_language}'", file=path, line=header.sourceline if header is not None else None,
                          fix=f"export a memory whose source language is {source_language}")
    body = next((child for child in root if local(child.tag) == "body"), None)
    if body is None:
        raise PubkitError("this TMX file has no <body>", file=path, fix=FIX)
    units = []
    for tu in body:
        if local(tu.tag) != "tu":
            continue
        unit: dict[str, str] = {}
        for tuv in tu:
            if local(tuv.tag) != "tuv":
                continue
            code = primary(tuv.get(XML_LANG) or tuv.get("lang") or "")
            seg = next((child for child in tuv if local(child.tag) == "seg"), None)
            if not code or seg is None:
                raise PubkitError("a <tuv> with no xml:lang or no <seg>", file=path, line=tuv.sourceline, fix=FIX)
            text = "".join(seg.itertext())  # inline codes (<ph>, <bpt>) carry no translatable text here
            unit.setdefault(code, nfc(text))
        units.append(unit)
    return units
