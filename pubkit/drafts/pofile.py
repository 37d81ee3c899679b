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
from dataclasses import dataclass, field

import polib

from pubkit.normalize import nfc

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
    return (entry.msgctxt, entry.msgid, entry.msgstr, tuple(entry.flags), entry.comment, entry.tcomment,
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
    trailer: str = ""  # comments after the last entry (a translator's note), written back as they were

    @classmethod
    def new(cls) -> "PoDocument":
        return cls(polib.POFile())  # polib's own wrap width is never used: entries are rendered at ``wrapwidth``

    @classmethod
    def parse(cls, data: bytes) -> "PoDocument":
        """``data`` has passed :func:`pubkit.drafts.syntax.check_po`."""
        bom = data.startswith(BOM)
        text = data.removeprefix(BOM).decode()  # UTF-8, Python's default (check_po has checked it)
        crlf = text.count("\r\n")
        newline = "\r\n" if crlf and crlf * 2 >= text.count("\n") else "\n"
        # polib strips every line (so CRLF needs no conversion) and reads "" as no entries; it is given
        # text, so its encoding argument would only name a codec it never uses
        po = polib.pofile(_Lines(text))
        doc = cls(po, bom=bom, newline=newline, original=data)
        raw_blocks = _split_blocks(text)
        doc.ending = text[len(text.rstrip("\r\n")):]
        entries = list(po)
        if raw_blocks and _is_header(raw_blocks[0]):
            doc.header_text = raw_blocks[0]
        if len(raw_blocks) > 1 and not any(_KEYWORD.match(line.strip()) for line in raw_blocks[-1].split("\n")):
            doc.trailer = raw_blocks.pop()  # no entry of polib's: it dropped them, and every write with them
        # A first block of comments or blank lines only (and no entry) is not one-to-one with polib's
        # entries either: it takes the path below, and _header renders a header after the comments.
        doc.header_read = dict(po.metadata)
        bodies = raw_blocks if doc.header_text is None else raw_blocks[1:]
        if len(bodies) != len(entries):  # never guess: render everything if the split is not one-to-one
            doc.header_text = None
            return doc
        for raw, entry in zip(bodies, entries):
            doc.blocks[id(entry)] = _Block(raw, entry)
        doc.wrapwidth = _detect_width(text)
        return doc

    def snapshot(self) -> None:
        """Record what each entry is now (after the reader's NFC normalisation)."""
        for entry in self.po:
            block = self.blocks.get(id(entry))
            if block is not None:
                block.read_as = content(entry)

    # --- writing -------------------------------------------------------------------------------

    def render(self, header: dict[str, str]) -> bytes:
        """The file's bytes: kept blocks verbatim, changed ones rendered; ``header`` fields set.

        Every caller sets at least the revision or creation date, so ``header`` is never empty and
        the file always has a header (a new document's ``ending`` is the default line feed)."""
        out = self._header(header)
        parts = []
        for entry in self.po:
            block = self.blocks.get(id(entry))
            if block is not None and block.read_as == content(entry):
                parts.append(nfc(block.text))  # NFC text comes back unchanged
            else:
                parts.append(self._entry_text(entry))
        for part in parts + ([nfc(self.trailer)] if self.trailer else []):
            if not out.endswith("\n"):
                out += self.newline
            if not _ends_with_blank(out):
                out += self.newline
            out += part
        data = (out.rstrip("\r\n") + self.ending).encode()  # UTF-8, Python's default
        return BOM + data if self.bom else data

    def entries_changed(self) -> bool:
        """Whether any entry differs from what was read (added, removed, changed or moved)."""
        if self.original is None:
            return True
        # the blocks hold their entries, so an id cannot be reused by a new entry while the document lives
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
        # polib ends an entry with exactly one line feed
        text = nfc("".join(line + "\n" for line in lines) + body.__unicode__(self.wrapwidth))
        return text.replace("\n", self.newline)

    def _header(self, fields: dict[str, str]) -> str:
        """The header block with ``fields`` set: changed lines in place, new ones at its end. A file without a
        header entry (new, headerless, or only comments or blank lines) gets one rendered after its comments."""
        if self.header_text is None:
            head = polib.POFile(wrapwidth=NO_WRAP)
            head.metadata = {**self.po.metadata, **fields}
            head.header = self.po.header
            text = str(head)  # one entry, ending in one line feed
            if text.startswith("#\n"):  # polib's empty header comment
                text = text[2:]
            return text.replace("\n", self.newline)
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

    def splitlines(self, *_args):  # noqa: D102 - polib calls it without arguments
        return self.split("\n")


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def _append_header_line(text: str, line: str, newline: str) -> str:
    """Insert a header line after the last string line of the header's msgstr."""
    lines = text.split("\n")
    last = max(i for i, raw in enumerate(lines) if raw.strip().startswith(('"', "msgstr")))
    lines.insert(last + 1, line + ("\r" if newline == "\r\n" else ""))
    return "\n".join(lines)


def _ends_with_blank(text: str) -> bool:
    return text.endswith("\n\n") or text.endswith("\r\n\r\n")


def _is_header(block: str) -> bool:
    """The first entry with an empty msgid (not obsolete) is the header."""
    msgid: list[str] | None = None  # the msgid's strings, once its line is found
    for raw in block.split("\n"):
        line = raw.strip()
        if line.startswith("msgid "):
            msgid = [line[6:].strip()]
        elif msgid is not None and line.startswith('"'):
            msgid.append(line)
        elif msgid is not None:
            break
    return msgid is not None and all(part == '""' for part in msgid)


def _split_blocks(text: str) -> list[str]:
    """The file cut into entries, each with its trailing blank lines; comments before an entry belong to it."""
    lines = re.findall(r"[^\n]*\n|[^\n]+$", text)
    blocks: list[list[str]] = []
    current: list[str] = []
    seen_msgstr = False
    for raw in lines:
        line = raw.strip()
        if not line:
            current.append(raw)
            continue
        continuation = line.startswith('"') or (line.startswith("#~") and line[2:].lstrip().startswith('"'))
        keyword = _KEYWORD.match(line)
        msgstr = bool(keyword) and keyword.group(2).startswith("msgstr")
        if seen_msgstr and not (continuation or msgstr):
            blocks.append(current)
            current, seen_msgstr = [], False
        current.append(raw)
        seen_msgstr = seen_msgstr or msgstr
    if current:
        blocks.append(current)
    return ["".join(block) for block in blocks]


def _detect_width(text: str) -> int:
    """The wrap width the file's writer used: the longest line of a string it split, else no wrapping."""
    lines = [raw.rstrip("\r") for raw in text.split("\n")]
    width = max((len(line) for line in lines if _STRING_LINE.match(line.strip())), default=0)
    # a string continuing a line that neither ends in \n nor opens an empty msgid/msgstr/msgctxt was wrapped
    wrapped = any(re.match(r'\s*(#~\s*)?"', line) and not previous.endswith('\\n"')
                  and not re.search(r'(msgid|msgstr|msgctxt)\s+""$', previous)
                  for previous, line in zip([""] + lines, lines))
    if not wrapped:
        return NO_WRAP if width > 79 else DEFAULT_WRAP
    return max(width, 20)


def revision_date() -> str:
    """``YYYY-MM-DD HH:MM+0000`` now, or at ``SOURCE_DATE_EPOCH`` when set (reproducible runs)."""
    try:  # int() takes surrounding blanks
        moment = _dt.datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]), _dt.timezone.utc)
    except (KeyError, ValueError, OverflowError, OSError):  # unset, empty, not a number or out of range: now
        moment = _dt.datetime.now(_dt.timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M+0000")
