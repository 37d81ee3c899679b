"""PO files written back as the translator's tool left them: only changed entries are re-rendered.

A PO file is read into *blocks*, one per entry (the header is the first), each keeping its
exact text. On save, an entry whose content (source, context, translation, flags, comments,
references, previous source, obsolete or not) is what was read is written back byte for byte;
only changed and new entries are rendered, at the wrap width the file already uses, with its
line endings, and the byte-order mark is kept if the file had one. Header fields are edited in
place, line by line, so a Poedit or Weblate header keeps its order and its own fields. When no
entry changes, nothing is written and the file keeps its bytes and its timestamp.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import unicodedata
from dataclasses import dataclass, field

import polib

BOM = b"\xef\xbb\xbf"
DEFAULT_WRAP = 78  # polib's, for files pubkit starts; an existing file's width is detected
NO_WRAP = 10 ** 6
_KEYWORD = re.compile(r"^(#~\s*)?(msgctxt|msgid|msgid_plural|msgstr(\[\d+\])?)\b")
_STRING_LINE = re.compile(r'^(#~\s*)?((msgctxt|msgid|msgid_plural|msgstr(\[\d+\])?)\s+)?"')
# plural rules of the languages pubkit typesets (gettext's own table); others get none
PLURAL_FORMS = {"en": "nplurals=2; plural=(n != 1);", "vi": "nplurals=1; plural=0;", "ja": "nplurals=1; plural=0;",
                "ko": "nplurals=1; plural=0;", "zh": "nplurals=1; plural=0;", "de": "nplurals=2; plural=(n != 1);",
                "fr": "nplurals=2; plural=(n > 1);"}


def content(entry: polib.POEntry) -> tuple:
    """Everything about an entry a translator or pubkit can change; equal content = same bytes kept."""
    return (entry.msgctxt or None, entry.msgid, entry.msgstr, tuple(entry.flags), entry.comment, entry.tcomment,
            tuple(tuple(o) for o in entry.occurrences), entry.previous_msgid or None,
            entry.previous_msgctxt or None, bool(entry.obsolete))


@dataclass
class _Block:
    text: str  # exactly as in the file, trailing blank lines included
    entry: polib.POEntry | None  # None for the header
    read_as: tuple | None = None  # content() when read


@dataclass
class PoDocument:
    """One PO file: its entries (a :class:`polib.POFile`) and how to write them back."""

    po: polib.POFile
    bom: bool = False
    newline: str = "\n"
    wrapwidth: int = DEFAULT_WRAP
    header_text: str | None = None  # the raw header block; None when the file had no header entry
    header_read: dict = field(default_factory=dict)
    blocks: dict[int, _Block] = field(default_factory=dict)  # id(entry) -> its block
    original: bytes | None = None  # the bytes read; None for a new file
    ending: str = "\n"  # how the file ended

    @classmethod
    def new(cls) -> "PoDocument":
        return cls(polib.POFile(wrapwidth=DEFAULT_WRAP))

    @classmethod
    def parse(cls, data: bytes) -> "PoDocument":
        """``data`` has passed :func:`pubkit.drafts.syntax.check_po`."""
        bom = data.startswith(BOM)
        text = data[len(BOM):].decode("utf-8") if bom else data.decode("utf-8")
        crlf = text.count("\r\n")
        newline = "\r\n" if crlf and crlf * 2 >= text.count("\n") else "\n"
        po = polib.pofile(_Lines(text.replace("\r\n", "\n") or "\n"), encoding="utf-8", wrapwidth=DEFAULT_WRAP)
        doc = cls(po, bom=bom, newline=newline, original=data)
        raw_blocks = _split_blocks(text)
        stripped = text.rstrip("\r\n")
        doc.ending = text[len(stripped):] or ""
        entries = list(po)
        first = 0
        if raw_blocks and _is_header(raw_blocks[0]):
            doc.header_text = raw_blocks[0]
            first = 1
        elif raw_blocks and not _KEYWORD.search(_body(raw_blocks[0])) and not entries:
            doc.header_text = raw_blocks[0]  # comments only
            first = 1
        doc.header_read = dict(po.metadata)
        bodies = raw_blocks[first:]
        if len(bodies) != len(entries):  # never guess: render everything if the split is not one-to-one
            doc.header_text = None
            return doc
        for raw, entry in zip(bodies, entries):
            doc.blocks[id(entry)] = _Block(raw, entry)
        doc.wrapwidth = _detect_width(text)
        po.wrapwidth = doc.wrapwidth
        return doc

    def snapshot(self) -> None:
        """Record what each entry is now (after the reader's NFC normalisation)."""
        for entry in self.po:
            block = self.blocks.get(id(entry))
            if block is not None:
                block.read_as = content(entry)

    # --- writing -------------------------------------------------------------------------------

    def render(self, header: dict[str, str] | None = None) -> bytes:
        """The file's bytes: kept blocks verbatim, changed ones rendered; ``header`` fields set."""
        parts: list[str] = []
        header_text = self._header(header or {})
        if header_text is not None:
            parts.append(header_text)
        for entry in self.po:
            block = self.blocks.get(id(entry))
            if block is not None and block.read_as == content(entry):
                raw = block.text
                parts.append(raw if _is_nfc(raw) else unicodedata.normalize("NFC", raw))
            else:
                parts.append(self._entry_text(entry))
        out = ""
        for part in parts:
            if out:
                if not out.endswith("\n"):
                    out += self.newline
                if not _ends_with_blank(out):
                    out += self.newline
            out += part
        out = out.rstrip("\r\n") + (self.ending if self.original is not None else "\n")
        if not out.strip():
            out = ""
        data = out.encode("utf-8")
        return BOM + data if self.bom else data

    def entries_changed(self) -> bool:
        """Whether any entry differs from what was read (added, removed, changed or moved)."""
        if self.original is None:
            return True
        kept = [id(e) for e in self.po if id(e) in self.blocks]
        if len(kept) != len(self.blocks) or len(kept) != len(self.po):
            return True
        if [id(e) for e in self.po] != [id(b.entry) for b in self.blocks.values()]:
            return True
        return any(self.blocks[id(e)].read_as != content(e) for e in self.po)

    def _entry_text(self, entry: polib.POEntry) -> str:
        """One entry as gettext writes it; comments are never wrapped (a wrapped note would split)."""
        body = polib.POEntry(msgid=entry.msgid, msgstr=entry.msgstr, msgctxt=entry.msgctxt,
                             flags=list(entry.flags), occurrences=list(entry.occurrences),
                             previous_msgid=entry.previous_msgid, previous_msgctxt=entry.previous_msgctxt,
                             obsolete=entry.obsolete)
        lines = [("# " + line).rstrip() for line in entry.tcomment.split("\n")] if entry.tcomment else []
        lines += [("#. " + line).rstrip() for line in entry.comment.split("\n")] if entry.comment else []
        rendered = body.__unicode__(wrapwidth=self.wrapwidth)
        text = "\n".join(lines + [rendered.rstrip("\n")]) + "\n"
        text = unicodedata.normalize("NFC", text)
        return text.replace("\n", self.newline) if self.newline != "\n" else text

    def _header(self, fields: dict[str, str]) -> str | None:
        """The header block with ``fields`` set: changed lines in place, new ones at its end. A file whose first
        block is only comments or blank lines has no header entry to edit: one is rendered after its comments."""
        if self.header_text is None or not _is_header(self.header_text):
            if not fields and self.original is not None and not self.po.metadata:
                return None
            metadata = {**self.po.metadata, **fields}
            if not metadata:
                return None
            head = polib.POFile(wrapwidth=NO_WRAP)
            head.metadata = metadata
            head.header = self.po.header
            text = str(head).rstrip("\n") + "\n"
            if text.startswith("#\n"):  # polib's empty header comment
                text = text[2:]
            return text.replace("\n", self.newline) if self.newline != "\n" else text
        text = self.header_text
        for name, value in fields.items():
            if self.header_read.get(name) == value:
                continue
            line = f'"{name}: {_escape(value)}\\n"'
            pattern = re.compile(rf'^[ \t]*"{re.escape(name)}:[^\n]*$', re.M)
            if pattern.search(text):
                text = pattern.sub(lambda _: line + ("\r" if self.newline == "\r\n" else ""), text, count=1)
            else:
                text = _append_header_line(text, line, self.newline)
        return text


class _Lines(str):
    """PO text for polib, split at line feeds only (``str.splitlines`` would also split at U+2028 in a string)."""

    def splitlines(self, keepends=False):  # noqa: D102 - polib's only use
        return self.split("\n")


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def _append_header_line(text: str, line: str, newline: str) -> str:
    """Insert a header line after the last string line of the header's msgstr."""
    lines = text.split("\n")
    last = max(i for i, raw in enumerate(lines) if raw.strip().startswith(('"', "msgstr")))
    lines.insert(last + 1, line + ("\r" if newline == "\r\n" else ""))
    return "\n".join(lines)


def _is_nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)


def _ends_with_blank(text: str) -> bool:
    return text.endswith("\n\n") or text.endswith("\r\n\r\n")


def _body(block: str) -> str:
    return "\n".join(line for line in block.split("\n") if line.strip())


def _is_header(block: str) -> bool:
    """The first entry with an empty msgid (not obsolete) is the header."""
    msgid = []
    collecting = False
    for raw in block.split("\n"):
        line = raw.rstrip("\r").strip()
        if line.startswith("msgid "):
            collecting = True
            msgid.append(line[6:].strip())
        elif collecting and line.startswith('"'):
            msgid.append(line)
        elif collecting:
            break
    return collecting and all(part == '""' for part in msgid)


def _split_blocks(text: str) -> list[str]:
    """The file cut into entries, each with its trailing blank lines; comments before an entry belong to it."""
    lines = re.findall(r"[^\n]*\n|[^\n]+$", text)
    blocks: list[list[str]] = []
    current: list[str] = []
    seen_msgstr = False
    for raw in lines:
        line = raw.rstrip("\r\n").strip()
        if not line:
            current.append(raw)
            continue
        continuation = line.startswith('"') or (line.startswith("#~") and line[2:].lstrip().startswith('"')
                                                and not line.startswith("#~|"))
        keyword = _KEYWORD.match(line)
        starts = not continuation and (not keyword or not keyword.group(2).startswith("msgstr"))
        if seen_msgstr and starts:
            blocks.append(current)
            current, seen_msgstr = [], False
        current.append(raw)
        if keyword and keyword.group(2).startswith("msgstr"):
            seen_msgstr = True
    if current:
        blocks.append(current)
    return ["".join(block) for block in blocks]


def _detect_width(text: str) -> int:
    """The wrap width the file's writer used: the longest line of a string it split, else no wrapping."""
    width = 0
    wrapped = False
    previous = ""
    for raw in text.split("\n"):
        line = raw.rstrip("\r")
        if line.lstrip("#~ ").startswith('"') and not previous.endswith('\\n"'):
            if not re.search(r'(msgid|msgstr|msgctxt)\s+""$', previous):
                wrapped = True
        if _STRING_LINE.match(line.strip()):
            width = max(width, len(line))
        previous = line
    if not wrapped:
        return NO_WRAP if width > 79 else DEFAULT_WRAP
    return max(width, 20)


def revision_date() -> str:
    """``YYYY-MM-DD HH:MM+0000`` now, or at ``SOURCE_DATE_EPOCH`` when set (reproducible runs)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    try:
        moment = _dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc) if epoch else None
    except (ValueError, OverflowError, OSError):
        moment = None
    moment = moment or _dt.datetime.now(_dt.timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M+0000")
