"""Parsing XML from outside (CAT tools, memories) without entities, DTDs or the network."""

from __future__ import annotations

from pathlib import Path

from pubkit.errors import PubkitError

MAX_BYTES = 64 * 1024 * 1024  # a brochure's XLIFF or a memory is a few MB; more is a mistake


def parse_xml(path: Path, what: str, fix: str):
    """The root element of the XML file at ``path``, or a one-line error."""
    from lxml import etree

    try:
        if path.stat().st_size > MAX_BYTES:
            raise PubkitError(f"the file is larger than {MAX_BYTES // 1024 // 1024} MB, too large for {what}",
                              file=path, fix=fix)
        data = path.read_bytes()
    except FileNotFoundError:
        raise PubkitError("file not found", file=path, fix="check the path") from None
    except OSError as exc:
        raise PubkitError(f"cannot read the file ({exc.strerror})", file=path, fix=fix) from None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        raise PubkitError(f"this is not well-formed XML ({exc.msg})", file=path, line=line,
                          fix=fix) from None
    if root is None:
        raise PubkitError("the file is empty", file=path, fix=fix)
    return root


def local(tag) -> str:
    """An element's name without its namespace."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def primary(code: str) -> str:
    """``ja-JP``, ``ja_JP`` and ``JA`` all mean ``ja``."""
    return code.strip().replace("_", "-").split("-")[0].lower()


# what each inline tag of pubkit.markup is called as a paired code (XLIFF ctype, TMX type); x- for pubkit's own
CODE_TYPES = {"b": "bold", "i": "italic", "a": "link", "nobr": "x-nobr"}


def fill_tagged(element, text: str, code, numbers: dict[int, int] | None = None) -> None:
    """Put ``text`` into ``element`` (which must have no children), its markup tags as paired codes.

    Each tag of :mod:`pubkit.markup` becomes a child element holding the tag as written (its
    native code, so reading the element's text back gives ``text`` unchanged): ``code(tag,
    number)`` gives that element's (name, attributes); ``numbers`` renumbers pairs (a target's
    pairs take the source's numbers). Text whose markup is broken (an unreviewed draft) goes in
    as plain text. Call after indenting the document: indentation must not reach into it.
    """
    from lxml import etree

    from pubkit import markup

    element.text = text  # lxml refuses a control character here, before anything is built
    if not markup.has_markup(text):
        return
    try:
        markup.parse(text)
        pieces = markup.paired(text)
    except markup.MarkupError:
        return
    element.text, last = "", None
    for piece in pieces:
        if isinstance(piece, str):
            if last is None:
                element.text += piece
            else:
                last.tail = (last.tail or "") + piece
            continue
        tag, number = piece
        name, attributes = code(tag, (numbers or {}).get(number, number))
        last = etree.SubElement(element, name, attributes)
        last.text = tag.source


def pair_numbers(source: str, target: str) -> dict[int, int]:
    """The target's pair numbers mapped to those of the source's pairs of the same kind and link target."""
    from pubkit import markup

    def opening(text: str) -> list[tuple[str, str | None, int]]:
        return [(tag.kind, tag.href, number) for tag, number in
                (piece for piece in markup.paired(text) if not isinstance(piece, str)) if not tag.closing]

    try:
        wanted, found = opening(source), opening(target)
    except markup.MarkupError:
        return {}
    mapping, used = {}, set()
    spare = max((number for *_, number in wanted), default=0)
    for kind, href, number in found:
        match = next((n for k, h, n in wanted if (k, h) == (kind, href) and n not in used), None)
        if match is None:
            spare += 1
            match = spare
        used.add(match)
        mapping[number] = match
    return mapping
