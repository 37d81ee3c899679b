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
