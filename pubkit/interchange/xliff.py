"""XLIFF 1.2 for CAT tools (memoQ, Trados, OmegaT, Phrase): one file per target language.

Export: ``source-language="vi"``, one ``<trans-unit>`` per active entry of the PO drafts, whose
``<target state>`` carries pubkit's review state:

============================  ==========================================
PO entry                      ``<target state>`` / ``approved``
============================  ==========================================
missing (empty)               ``needs-translation`` / ``no``
unreviewed (``fuzzy``)        ``needs-review-translation`` / ``no``
reviewed                      ``final`` / ``yes``
============================  ==========================================

Notes carry the context (spec path and ``brochure.yaml`` line), the machine origin and every
``pubkit: check:`` warning; the translator's comment is a ``<note from="translator">``; the
previous source of a stale entry is an ``<alt-trans alttranstype="previous-version">``. The
export is validated against the OASIS XLIFF 1.2 strict schema (vendored in ``schemas/``).

Import: a target whose state is ``translated``, ``final`` or ``signed-off`` (or, with no state,
``approved="yes"``) is reviewed, unless its ``state-qualifier`` says a machine or a memory filled
it (``mt-suggestion``, ``leveraged-tm``, ``exact-match``…) or a reviewer rejected it; anything else
is an unreviewed draft. A unit without a translator's ``<note>`` keeps the PO entry's comment (a
tool that drops notes does not erase it). The rules of :mod:`pubkit.interchange.review` decide
what is taken.

Inline markup (:mod:`pubkit.markup`) travels as XLIFF paired codes: each tag is a ``<bpt>`` or
``<ept>`` holding the tag as written (its native code, href included), with a ``ctype`` of
``bold``, ``italic``, ``link`` or ``x-nobr``, so CAT tools show and protect it as a tag the
translator moves but cannot mistype. A target's pairs take the ids of the source's matching
pairs. On import the native code is read back as the tag; the review gate then checks that a
reviewed translation's tags still match its source.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polib

from pubkit import __version__
from pubkit.drafts.catalog import NOTE_PREFIX, is_reviewed
from pubkit.errors import PubkitError
from pubkit.interchange.review import Incoming, fingerprint, unit_id
from pubkit.interchange.xmlsafe import CODE_TYPES, fill_tagged, local, pair_numbers, parse_xml, primary
from pubkit.normalize import nfc

NS = "urn:oasis:names:tc:xliff:document:1.2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
SCHEMA = Path(__file__).parent / "schemas" / "xliff-core-1.2-strict.xsd"
REVIEWED_STATES = {"translated", "final", "signed-off"}
# XLIFF 1.2 state-qualifiers of a target a tool filled or a reviewer rejected: never reviewed, whatever the state
NOT_A_PERSONS = {"mt-suggestion", "leveraged-mt", "tm-suggestion", "leveraged-tm", "leveraged-inherited",
                 "leveraged-glossary", "leveraged-repository", "exact-match", "fuzzy-match", "id-match",
                 "rejected-grammar", "rejected-inaccurate", "rejected-length", "rejected-spelling"}
BASE_PREFIX = "pubkit-base:"
FIX = "export it again with `pubkit export --format xliff`, or save it as XLIFF 1.2 in your CAT tool"
_INLINE_TEXT = {"mrk"}  # segment markers CAT tools add, unwrapped
_NATIVE_CODES = {"bpt", "ept"}  # pubkit's tags, as paired codes holding the tag as written


@dataclass
class XliffFile:
    """One ``<file>`` of an imported XLIFF: which drafts it is for, and its units."""

    original: str
    language: str
    units: list[Incoming]
    line: int | None


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


def write_xliff(po: polib.POFile, original: str, language: str, references: dict[str, tuple[str, str]],
                source_language: str = "vi") -> bytes:
    """The active entries of ``po`` as an XLIFF 1.2 document (validated against the strict schema)."""
    from lxml import etree

    root = etree.Element(_q("xliff"), version="1.2", nsmap={None: NS})
    file = etree.SubElement(root, _q("file"), original=original, datatype="po", **{
        "source-language": source_language, "target-language": language, "tool-id": "pubkit"})
    header = etree.SubElement(file, _q("header"))
    etree.SubElement(header, _q("tool"), {"tool-id": "pubkit", "tool-name": "pubkit", "tool-version": __version__})
    body = etree.SubElement(file, _q("body"))
    segments: list[tuple] = []  # filled after indenting: indentation must not reach into text with tags
    for entry in po:
        if entry.obsolete:
            continue
        reviewed = is_reviewed(entry)
        paths = [line for line in entry.comment.splitlines() if line and not line.startswith(NOTE_PREFIX)]
        attributes = {"id": unit_id(entry.msgctxt, entry.msgid), "approved": "yes" if reviewed else "no",
                      "extradata": BASE_PREFIX + fingerprint(entry), XML_SPACE: "preserve"}
        if entry.msgctxt:
            attributes["resname"] = entry.msgctxt
        elif paths:
            attributes["resname"] = paths[0]
        unit = etree.SubElement(body, _q("trans-unit"), attributes)
        segments.append((etree.SubElement(unit, _q("source"), {XML_LANG: source_language}), entry.msgid, entry))
        state = "final" if reviewed else ("needs-review-translation" if entry.msgstr.strip() else "needs-translation")
        segments.append((etree.SubElement(unit, _q("target"), {XML_LANG: language, "state": state}), entry.msgstr,
                         entry, entry.msgid))
        places = [f"{path} ({':'.join(references[path])})" if path in references else path for path in paths]
        if entry.msgctxt:
            places.insert(0, f"only at {entry.msgctxt}")
        if places:
            note = etree.SubElement(unit, _q("note"), {"from": "pubkit", "annotates": "source", "priority": "5"})
            note.text = "where: " + "; ".join(places)
        for line in entry.comment.splitlines():
            if line.startswith(NOTE_PREFIX):
                check = line.startswith(NOTE_PREFIX + " check:")
                note = etree.SubElement(unit, _q("note"), {"from": "pubkit", "annotates": "target",
                                                            "priority": "1" if check else "3"})
                _text(note, line, entry)
        if entry.tcomment:
            _text(etree.SubElement(unit, _q("note"), {"from": "translator"}), entry.tcomment, entry)
        if entry.previous_msgid:
            alt = etree.SubElement(unit, _q("alt-trans"), {"alttranstype": "previous-version"})
            segments.append((etree.SubElement(alt, _q("source"), {XML_LANG: source_language}), entry.previous_msgid,
                             entry))
            segments.append((etree.SubElement(alt, _q("target"), {XML_LANG: language}), entry.msgstr, entry,
                             entry.previous_msgid))
        if paths and paths[0] in references:
            group = etree.SubElement(unit, _q("context-group"), {"purpose": "location"})
            sourcefile, line = references[paths[0]]
            etree.SubElement(group, _q("context"), {"context-type": "sourcefile"}).text = sourcefile
            etree.SubElement(group, _q("context"), {"context-type": "linenumber"}).text = line
    etree.indent(root, space="  ")
    for segment in segments:
        _segment(*segment)
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    problems = validate(data)
    if problems:  # pubkit's own output must be valid: this is a bug, not a user error
        raise RuntimeError("pubkit wrote XLIFF its schema refuses: " + problems[0])
    return data


def _text(element, text: str, entry: polib.POEntry) -> None:
    try:
        element.text = text
    except ValueError:
        raise PubkitError(f"“{entry.msgid[:40]}” holds a control character XML cannot carry",
                          fix="remove it from the PO entry, then export again") from None


def _segment(element, text: str, entry: polib.POEntry, source: str | None = None) -> None:
    """``text`` into a <source> or <target>: its tags as <bpt>/<ept> (pair ids as in ``source``)."""

    def code(tag, number):
        if tag.closing:
            return _q("ept"), {"id": str(number)}
        return _q("bpt"), {"id": str(number), "ctype": CODE_TYPES[tag.kind]}

    try:
        fill_tagged(element, text, code, pair_numbers(source, text) if source else None)
    except ValueError:
        raise PubkitError(f"“{entry.msgid[:40]}” holds a control character XML cannot carry",
                          fix="remove it from the PO entry, then export again") from None


_schema = None


def validate(data: bytes) -> list[str]:
    """Problems the OASIS XLIFF 1.2 strict schema finds in ``data`` (empty when valid). Offline."""
    from lxml import etree

    global _schema
    if _schema is None:
        parser = etree.XMLParser(no_network=True, resolve_entities=False)
        _schema = etree.XMLSchema(etree.parse(str(SCHEMA), parser))
    document = etree.fromstring(data, etree.XMLParser(no_network=True, resolve_entities=False))
    if _schema.validate(document):
        return []
    return [f"line {error.line}: {error.message}" for error in _schema.error_log]


def read_xliff(path: Path, source_language: str = "vi") -> list[XliffFile]:
    """The ``<file>`` elements of an XLIFF 1.2 document, refusing anything pubkit cannot import faithfully."""
    root = parse_xml(path, "an XLIFF file", FIX)
    if local(root.tag) != "xliff":
        raise PubkitError(f"this is not an XLIFF file (its root element is <{local(root.tag)}>)", file=path,
                          line=root.sourceline, fix=FIX)
    version = root.get("version", "")
    if not version.startswith("1."):
        raise PubkitError(f"this is XLIFF {version or '(no version)'}, pubkit reads XLIFF 1.2", file=path,
                          line=root.sourceline, fix=FIX)
    files = []
    for file in root:
        if local(file.tag) != "file":
            continue
        declared = file.get("source-language", "")
        if primary(declared) != source_language:
            raise PubkitError(f"source-language is '{declared}', not '{source_language}'", file=path,
                              line=file.sourceline, fix="translate from the Vietnamese: " + FIX)
        language = primary(file.get("target-language", ""))
        if not language:
            raise PubkitError("this <file> has no target-language", file=path, line=file.sourceline, fix=FIX)
        units = [_unit(path, unit) for unit in file.iter(_q("trans-unit"), "trans-unit")]
        files.append(XliffFile(file.get("original", ""), language, units, file.sourceline))
    if not files:
        raise PubkitError("this XLIFF file has no <file> element", file=path, line=root.sourceline, fix=FIX)
    return files


def _unit(path: Path, unit) -> Incoming:
    import unicodedata

    children = {local(child.tag): child for child in reversed(list(unit))}
    source = children.get("source")
    if source is None:
        raise PubkitError("a <trans-unit> with no <source>", file=path, line=unit.sourceline, fix=FIX)
    target = children.get("target")
    text = _plain(path, target) if target is not None else ""
    state = target.get("state", "") if target is not None else ""
    reviewed = state in REVIEWED_STATES if state else unit.get("approved") == "yes"
    if reviewed and target is not None and target.get("state-qualifier", "") in NOT_A_PERSONS:
        reviewed = False  # "translated" by a machine or a memory: a tool's pre-translation, not a review
    notes = [child for child in unit if local(child.tag) == "note" and child.get("from") != "pubkit"]
    # no note: the tool did not carry the PO file's translator comment, which is kept (not erased)
    comment = "\n".join("".join(note.itertext()) for note in notes) if notes else None
    extradata = unit.get("extradata", "")
    base = extradata[len(BASE_PREFIX):] if extradata.startswith(BASE_PREFIX) else None
    return Incoming(None, unicodedata.normalize("NFC", _plain(path, source)), nfc(text),
                    reviewed, comment, base, f"{path.name}:{unit.sourceline}", unit_id=unit.get("id"))


def _plain(path: Path, element) -> str:
    """The text of a <source> or <target>: segment markers unwrapped, pubkit's paired codes read back as
    the tags they hold; any other inline code refused."""
    for child in element.iterdescendants():
        name = local(child.tag)
        if name in _NATIVE_CODES and len(child) == 0:
            continue
        if name not in _INLINE_TEXT:
            raise PubkitError(f"<{name}> inside a segment: pubkit's segments are text with pubkit's own tags",
                              file=path, line=child.sourceline, fix="remove the inline tag in your CAT tool, then "
                                                                     "export the XLIFF again")
    return "".join(element.itertext())
