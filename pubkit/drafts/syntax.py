"""A strict syntax check of PO files, run before polib reads them.

Hand-written because polib accepts files that gettext's ``msgfmt`` refuses, and reads them
wrongly: a string cut off by an interrupted copy (``msgstr "Hello wo``) loses its last
character and counts as translated, a second entry with the same ``msgid`` silently replaces
the first, ``\\q`` stays a literal backslash, and a ``msgid`` with no ``msgstr`` is taken as
an entry. pubkit would print such text and, worse, rewrite the file from it. This check
refuses all of that, as ``msgfmt`` does, and also what polib would misread or pubkit cannot
keep (plural forms, escapes polib does not decode, a lone carriage return, a comment marker it does
not know such as ``#x`` or a bare ``#~``), naming the line and the fix. tests/test_po_strict.py
holds it to both outside readers: every file it accepts, polib reads and msgfmt accepts. Message
contexts (``msgctxt``) are read: an entry is its context and its source, and the same source may
appear once per context. A UTF-8 byte-order mark, which Windows editors
write, is accepted and kept (gettext 0.21's ``msgfmt`` refuses it; later tools skip it).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from pubkit.errors import PubkitError

RESTORE = "restore the file from version control"
FIX_LINE = "fix the line in your PO editor, or " + RESTORE
# the escapes polib decodes: any other would print as a backslash and a letter
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "v": "\v", "b": "\b", "f": "\f", "\\": "\\", '"': '"'}
_UNSUPPORTED = ("msgid_plural", "msgstr[")
_COMMENTS = {"#", "#.", "#:", "#,"}  # a translator's, extracted, reference and flags comment: what polib reads
MIXED = ("an entry with some lines obsolete (#~) and some not",
         "start all lines of an obsolete entry with #~, or " + RESTORE)


class _Bad(Exception):
    def __init__(self, problem: str, fix: str = FIX_LINE, line: int | None = None):
        super().__init__(problem)
        self.problem, self.fix, self.line = problem, fix, line


@dataclass
class _Entry:
    line: int  # where its msgid is
    obsolete: bool
    msgid: str
    has_msgstr: bool = False
    msgstr: str = ""
    fuzzy: bool = False
    context: str | None = None  # msgctxt, when the entry has one
    stage: str = "msgid"  # for a previous (#|) entry: "msgctxt" until its #| msgid comes


def check_po(data: bytes, path: Path) -> None:
    """Raise :class:`PubkitError` at the first place where ``data`` is not a well-formed pubkit PO file."""
    number = 1
    try:
        if data.startswith(b"\xef\xbb\xbf"):  # kept as it is: see the module's docstring
            data = data[3:]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _Bad("this line is not UTF-8 text", "save the file as UTF-8 in your PO editor, or " + RESTORE,
                       line=data.count(b"\n", 0, exc.start) + 1) from None
        checker = _Checker()
        for number, line in enumerate(text.split("\n"), 1):
            checker.feed(number, line)
        checker.end()
    except _Bad as bad:
        raise PubkitError(f"this draft file is not a valid PO file: {bad.problem}", file=path,
                          line=bad.line or number, fix=bad.fix) from None


class _Checker:
    """The entry structure, line by line: ``[#| msgctxt] [#| msgid] [msgctxt] msgid msgstr``, each
    context and source once."""

    def __init__(self):
        self.entry: _Entry | None = None
        self.previous: _Entry | None = None  # a "#| msgid" waiting for its entry
        self.context: _Entry | None = None  # a msgctxt waiting for its msgid
        self.first_line: dict[tuple[str | None, str], int] = {}  # (NFC msgctxt, NFC msgid) → its entry's line
        self.fuzzy = False  # a "#, fuzzy" line waiting for its entry

    def feed(self, number: int, line: str) -> None:
        line = line.removesuffix("\r").strip()
        if "\r" in line:
            raise _Bad("a carriage return (CR) inside the line", "write \\r in a string, or break the line normally")
        if line.startswith("#") and line.endswith("\\"):  # msgfmt joins the next line to it, as C does
            raise _Bad("a comment that ends with a backslash", "remove the backslash, or " + RESTORE)
        previous, obsolete = line.startswith(("#|", "#~|")), line.startswith("#~")
        if previous:  # the source an edited segment had before
            line = line.partition("|")[2].lstrip()
            self.add_previous(number, *_token(line, ("msgctxt", "msgid")), obsolete=obsolete)
            return
        if obsolete:
            if line[2:3] not in ("", " ", "\t"):  # polib reads "#~msgid" as an unknown comment and refuses the file
                raise _Bad(f"no space after #~ in '{line[:12]}'", "write a space after #~")
            line = line[2:].lstrip()
            if not line:  # msgfmt takes it for a comment, polib refuses the file
                raise _Bad("#~ with nothing after it (is the file cut off?)", "delete the line, or " + RESTORE)
            if line.startswith("#"):  # msgfmt refuses "#~ #~" and "#~ #|", polib "#~#"; no tool writes them
                raise _Bad(f"{line[:2]} after #~", "start an obsolete entry's lines with one #~ (#~| for its "
                                                    "previous source), or " + RESTORE)
        if line.startswith("#"):
            marker = line.split(None, 1)[0]
            if marker not in _COMMENTS and not marker.startswith("##"):  # polib refuses any other
                raise _Bad(f"'{marker[:12]}' is not a PO comment", "write a space after the # of a translator's comment")
            if self.previous:
                raise _Bad("a comment between #| msgid and its msgid", "move it above the #| line")
            if self.context:
                raise _Bad("a comment between msgctxt and its msgid", "move it above the msgctxt line")
            self.close()  # a comment ends an entry (msgfmt refuses one inside it)
            self.fuzzy = self.fuzzy or (marker == "#," and "fuzzy" in line[2:].replace(",", " ").split())
        elif line:
            self.add(number, *_token(line, ("msgctxt", "msgid", "msgstr")), obsolete=obsolete)

    def add_previous(self, number: int, keyword: str | None, value: str, *, obsolete: bool) -> None:
        if keyword == "msgid" and self.previous and self.previous.stage == "msgctxt":
            self.previous.stage = "msgid"
        elif keyword:
            self.close()
            if self.context:
                raise _Bad("a #| line between msgctxt and its msgid", "move it above the msgctxt line")
            if self.previous:
                raise _Bad(f"a second #| msgid (the first is on line {self.previous.line})",
                           "keep one, or " + RESTORE)
            self.previous = _Entry(number, obsolete, value, stage=keyword)
        elif self.previous is None:
            raise _Bad("a #| string with no #| msgid before it", "put it right after its #| msgid line, or " + RESTORE)

    def add(self, number: int, keyword: str | None, value: str, *, obsolete: bool) -> None:
        if keyword and self.previous and self.previous.stage == "msgctxt":  # msgfmt refuses it
            raise _Bad("#| msgctxt with no #| msgid after it", "add the #| msgid line, or " + RESTORE,
                       line=self.previous.line)
        if keyword == "msgctxt":
            self.close()
            if self.context:
                raise _Bad(f"a second msgctxt (the first is on line {self.context.line})", "keep one, or " + RESTORE)
            if self.previous and self.previous.obsolete != obsolete:
                raise _Bad(*MIXED)
            self.context = _Entry(number, obsolete, value)
            return
        if keyword is None and self.context:
            if self.context.obsolete != obsolete:
                raise _Bad(*MIXED)
            self.context.msgid += value
            return
        if keyword == "msgid":
            self.close()
            context, self.context = self.context, None
            self.entry, previous, self.previous = _Entry(number, obsolete, value, fuzzy=self.fuzzy), self.previous, None
            self.fuzzy = False
            if (previous and previous.obsolete != obsolete) or (context and context.obsolete != obsolete):
                raise _Bad(*MIXED)
            if context:
                self.entry.context = context.msgid
            return
        if self.context:
            raise _Bad(f"{keyword} right after msgctxt (on line {self.context.line})",
                       "put the entry's msgid between them, or " + RESTORE)
        if self.entry is None or self.previous:
            raise _Bad(f"{keyword or 'a string'} with no msgid before it", "give it a msgid, or " + RESTORE)
        if keyword == "msgstr" and self.entry.has_msgstr:
            raise _Bad(f"a second msgstr for the msgid on line {self.entry.line}", "keep one of them, or " + RESTORE)
        if self.entry.obsolete != obsolete:
            raise _Bad(*MIXED)
        if keyword == "msgstr" or self.entry.has_msgstr:
            self.entry.has_msgstr = True
            self.entry.msgstr += value
        else:
            self.entry.msgid += value

    def close(self) -> None:
        entry, self.entry = self.entry, None
        if entry is None:
            return
        if not entry.has_msgstr:
            raise _Bad("this msgid has no msgstr (is the file cut off?)",
                       'add msgstr "" after its text, or ' + RESTORE, line=entry.line)
        if entry.msgid and entry.msgstr and not (entry.obsolete or entry.fuzzy):  # what msgfmt checks
            for verb, where, has in (("begin", "start", str.startswith), ("end", "end", str.endswith)):
                if has(entry.msgid, "\n") != has(entry.msgstr, "\n"):
                    raise _Bad(f"the msgid and msgstr do not both {verb} with a line break (\\n)",
                               f"add or remove the \\n at the {where} of the translation", line=entry.line)
        context = unicodedata.normalize("NFC", entry.context) if entry.context is not None else None
        source = (context, unicodedata.normalize("NFC", entry.msgid))
        if source in self.first_line:
            what = "msgid" if context is None else "msgctxt and msgid"
            raise _Bad(f"the same {what} as on line {self.first_line[source]} (each source text may appear once"
                       + (")" if context is None else " per context)"),
                       "delete one of the two entries, keeping the reviewed translation", line=entry.line)
        self.first_line[source] = entry.line

    def end(self) -> None:
        self.close()
        if self.context:
            raise _Bad("msgctxt with no msgid after it (is the file cut off?)", RESTORE, line=self.context.line)
        if self.previous:
            raise _Bad("#| msgid with no msgid after it (is the file cut off?)", RESTORE, line=self.previous.line)


def line_breaks_like(source: str, text: str) -> str:
    """``text`` beginning and ending with a line break exactly where ``source`` does.

    msgfmt refuses a translated entry whose source and translation differ there, and so does
    :func:`check_po`; a translation brought in from elsewhere (a spreadsheet cell's stray line
    break) is conformed before pubkit writes it, so it never writes a file it would then refuse.
    Nothing but line breaks is no translation: it becomes empty (a lone "\n" given to the source
    "0\n" would begin with a line break where the source does not).
    """
    inner = text.strip("\n")
    if not inner:
        return ""
    return ("\n" if source.startswith("\n") else "") + inner + ("\n" if source.endswith("\n") else "")


def _token(line: str, keywords: tuple[str, ...]) -> tuple[str | None, str]:
    """The keyword (None on a continuation line) and the decoded string of one line."""
    if line.startswith('"'):
        return None, _string(line)
    if not line:  # only a bare "#|" gets here: other empty lines are skipped
        raise _Bad(f"#| with no {' or '.join(keywords)} after it (is the file cut off?)", "delete the line, or " + RESTORE)
    keyword, rest = (line.split(None, 1) + [""])[:2]
    if keyword.startswith(_UNSUPPORTED):
        raise _Bad(f"{keyword} is not used in pubkit drafts (one msgid and one msgstr per segment)",
                   "remove this entry, or " + RESTORE)
    if keyword not in keywords:
        raise _Bad(f"expected {' or '.join(keywords)}, a quoted string or a # comment, found '{line[:30]}'")
    if not rest:
        raise _Bad(f"{keyword} has no string after it (is the file cut off?)",
                   'write its text in quotes ("" if empty), or ' + RESTORE)
    if not rest.startswith('"'):
        raise _Bad(f"the text after {keyword} is not in quotes", 'put it in quotes, writing \\" for a quote inside')
    return keyword, _string(rest)


def _string(text: str) -> str:
    """Decode one quoted string, refusing anything polib would misread.

    By regular expression, not character by character: the loop took 40 % of reading a PO file.
    The first problem from the left is the one reported, as a reader going along the line meets it.
    """
    body = _BODY.match(text, 1)
    inside, after = body.group(), body.end()
    escapes = _ESCAPE.findall(inside) if "\\" in inside else ()
    for escape in escapes:
        if escape not in _ESCAPES:
            raise _Bad(f"invalid escape '\\{escape}' in a string", "write \\\\ for a backslash, or remove it")
    if after == len(text) or text[after] != '"':
        raise _Bad("the string has no closing quote (is the file cut off?)", "close it with \", or " + RESTORE)
    if text[after + 1:].strip():
        raise _Bad(f"text after the closing quote: '{text[after + 1:].strip()[:20]}'",
                   'put it inside the quotes, writing \\" for a quote inside')
    return _ESCAPE.sub(lambda found: _ESCAPES[found.group(1)], inside) if escapes else inside


_BODY = re.compile(r'(?:[^"\\]|\\.)*', re.DOTALL)  # up to the first quote no backslash escapes
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
