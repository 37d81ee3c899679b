"""Inline markup in translatable strings: bold, italic, links and no-break spans.

The syntax is four HTML-like tags, because translators see and move them as tags in PO editors
(Poedit and Weblate highlight them), they map one to one onto XLIFF/TMX paired codes, and the web
edition needs them as HTML anyway::

    <b>bold</b>  <i>italic</i>  <a href="https://example.vn">a link</a>  <nobr>80 km</nobr>

Only these tags are markup. A literal ``<`` is written ``&lt;`` (and ``&gt;``, ``&amp;`` are read
as ``>`` and ``&``); a ``<`` that does not start something tag-like (``< 5 %``, ``3<5``) is text
as it stands, while an unknown tag-like ``<strong>`` or ``<br/>`` is refused rather than printed,
so a typo never reaches the press. Any other ``&`` is text (``R&D``). Tags nest properly, a tag
never inside itself; ``href`` is double-quoted and ``https://``, ``http://`` or ``mailto:``.

Why a hand-written parser: the language is eight fixed tags and three entities; Python's
``html.parser`` accepts any tag soup (``<b><i></b>``) without saying so and would still need
this validation on top, and a strict XML parser refuses ``3 < 5`` and ``R&D``, which
brochures write.

A translation must carry the same spans as its source (same kinds, same link targets, in any
order, since word order moves): :func:`compare` names the first difference, and the review gate
refuses a reviewed translation on it (:mod:`pubkit.content.gate`).
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass

KINDS = ("b", "i", "a", "nobr")
_TAG_LIKE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)([^<>]*)>")
_HREF = re.compile(r'\s+href="([^"<>\s]+)"\s*')
_SCHEMES = ("https://", "http://", "mailto:")
_ENTITIES = {"&lt;": "<", "&gt;": ">", "&amp;": "&"}
_ENTITY = re.compile("|".join(_ENTITIES))
_HINT = 'tags are <b>, <i>, <a href="https://…">, <nobr>, each closed; write &lt; for a literal <'


class MarkupError(ValueError):
    """Markup that cannot be read; ``str()`` is one line saying what and where (character offset)."""

    def __init__(self, problem: str, offset: int):
        self.problem, self.offset = problem, offset
        super().__init__(problem)


@dataclass(frozen=True)
class Span:
    """A run of text with one style: what the typesetter and the web edition set."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None
    nobr: bool = False


@dataclass(frozen=True)
class Tag:
    """One tag as written: kind, opening or closing, the link target, and where it starts."""

    kind: str
    closing: bool
    href: str | None
    offset: int
    source: str  # the tag's text as written, e.g. '<a href="https://x.vn">'


def tokens(text: str, decode: bool = True) -> list[str | Tag]:
    """``text`` as text pieces and :class:`Tag` s; refuses unknown or malformed tags.

    Entities in the text pieces are decoded unless ``decode`` is false (interchange files keep
    the text exactly as written, so it comes back the same).
    """
    text_of = _decode if decode else str
    out: list[str | Tag] = []
    at = 0
    for match in _TAG_LIKE.finditer(text):
        closing, name, rest = match.group(1), match.group(2), match.group(3)
        if name not in KINDS:
            raise MarkupError(f"unknown tag {match.group(0)!r}", match.start())
        href = None
        if name == "a" and not closing:
            found = _HREF.fullmatch(rest)
            if not found:
                raise MarkupError(f'{match.group(0)!r} needs exactly href="…"', match.start())
            href = found.group(1)
            if not href.startswith(_SCHEMES):
                raise MarkupError(f"link target {href!r} is not https://, http:// or mailto:", match.start())
        elif rest.strip():
            raise MarkupError(f"{match.group(0)!r} takes no attributes", match.start())
        if match.start() > at:
            out.append(text_of(text[at:match.start()]))
        out.append(Tag(name, bool(closing), href, match.start(), match.group(0)))
        at = match.end()
    if at < len(text):
        out.append(text_of(text[at:]))
    return out


def paired(text: str) -> list[str | tuple[Tag, int]]:
    """``text`` (well-formed markup) as raw text pieces and (tag, pair number): a tag and its closer share the number.

    Pairs are numbered from 1 in the order they open: what XLIFF ``<bpt>``/``<ept>`` and TMX
    ``i`` attributes need.
    """
    out: list[str | tuple[Tag, int]] = []
    stack: list[int] = []
    count = 0
    for token in tokens(text, decode=False):
        if isinstance(token, str):
            out.append(token)
        elif token.closing:
            out.append((token, stack.pop() if stack else 0))
        else:
            count += 1
            stack.append(count)
            out.append((token, count))
    return out


def _decode(text: str) -> str:
    return _ENTITY.sub(lambda m: _ENTITIES[m.group(0)], text)


def parse(text: str) -> list[Span]:
    """The styled runs of ``text``; raises :class:`MarkupError` for anything but well-formed markup."""
    spans: list[Span] = []
    open_tags: list[Tag] = []
    for token in tokens(text):
        if isinstance(token, str):
            kinds = {tag.kind for tag in open_tags}
            href = next((tag.href for tag in open_tags if tag.kind == "a"), None)
            spans.append(Span(token, "b" in kinds, "i" in kinds, href, "nobr" in kinds))
        elif not token.closing:
            if any(tag.kind == token.kind for tag in open_tags):
                raise MarkupError(f"<{token.kind}> inside another <{token.kind}>", token.offset)
            open_tags.append(token)
        elif not open_tags:
            raise MarkupError(f"</{token.kind}> closes nothing", token.offset)
        elif open_tags[-1].kind != token.kind:
            raise MarkupError(f"</{token.kind}> closes <{open_tags[-1].kind}> (tags cross)", token.offset)
        else:
            open_tags.pop()
    if open_tags:
        raise MarkupError(f"<{open_tags[-1].kind}> is never closed", open_tags[-1].offset)
    merged: list[Span] = []
    for span in spans:  # "a<b></b>b" is one run
        if merged and _same_style(merged[-1], span):
            merged[-1] = Span(merged[-1].text + span.text, span.bold, span.italic, span.href, span.nobr)
        elif span.text:
            merged.append(span)
    return merged


def _same_style(a: Span, b: Span) -> bool:
    return (a.bold, a.italic, a.href, a.nobr) == (b.bold, b.italic, b.href, b.nobr)


def has_markup(text: str) -> bool:
    """Whether ``text`` may hold a tag or an entity (a cheap test; :func:`parse` decides)."""
    return "<" in text or "&" in text


def plain(text: str) -> str:
    """``text`` without its tags, entities decoded: what is read (PDF metadata, lengths, alt text)."""
    if not has_markup(text):
        return text
    try:
        return "".join(span.text for span in parse(text))
    except MarkupError:
        return text


def spans_or_literal(text: str) -> list[Span]:
    """The spans of ``text``, or, when its markup is broken, the whole text as one literal span.

    Only unreviewed text can get here with broken markup (the review gate refuses reviewed text,
    :func:`pubkit.translate.protect.restore` strips broken tags from machine drafts): a draft proof
    then shows the tags as written, so the reviewer sees what to fix.
    """
    if not has_markup(text):
        return [Span(text)] if text else []
    try:
        return parse(text)
    except MarkupError:
        return [Span(text)]


def signature(text: str) -> Counter:
    """The spans ``text`` opens, as a multiset of (kind, link target): what a translation must keep."""
    return Counter((token.kind, token.href) for token in tokens(text) if isinstance(token, Tag) and not token.closing)


def compare(source: str, translation: str) -> str | None:
    """None when ``translation`` carries the same spans as ``source``; otherwise the first difference, in words.

    Spans may move and reorder (word order changes between languages); kinds, counts and link
    targets must match, and the translation's markup must itself be well formed.
    """
    if not (has_markup(source) or has_markup(translation)):
        return None
    try:
        parse(translation)
    except MarkupError as error:
        return f"its markup is broken: {error.problem}"
    try:
        wanted = signature(source)
    except MarkupError:
        return None  # the source's own markup is reported where the source is checked
    found = signature(translation)
    if wanted == found:
        return None
    for (kind, href), count in sorted((wanted - found).items(), key=str):
        changed = [h for (k, h) in found - wanted if k == kind]
        if kind == "a" and changed:
            return f'the link target changed: href="{href}" became href="{changed[0]}"'
        return f"{_shown(kind, href)} of the source is missing" + (f" ({count} times)" if count > 1 else "")
    kind, href = sorted(found - wanted, key=str)[0]
    return f"{_shown(kind, href)} is not in the source"


def _shown(kind: str, href: str | None) -> str:
    return f'<a href="{href}">…</a>' if kind == "a" else f"<{kind}>…</{kind}>"


def to_html(text: str) -> str:
    """``text`` as safe HTML: ``<strong>``, ``<em>``, ``<a href>``, ``<span class="nobr">``; all text escaped.

    The tags keep their nesting (one ``<a>`` around a link with bold words in it). Broken markup
    (only possible in a draft) is escaped as text, tags and all.
    """
    if not has_markup(text):
        return html.escape(text, quote=False)
    try:
        parse(text)
    except MarkupError:
        return html.escape(text, quote=False)
    out: list[str] = []
    for token in tokens(text):
        if isinstance(token, str):
            out.append(html.escape(token, quote=False))
        elif token.closing:
            out.append(_HTML_CLOSE[token.kind])
        else:
            out.append(f'<a href="{html.escape(token.href)}">' if token.kind == "a" else _HTML_OPEN[token.kind])
    return "".join(out)


_HTML_OPEN = {"b": "<strong>", "i": "<em>", "nobr": '<span class="nobr">'}
_HTML_CLOSE = {"b": "</strong>", "i": "</em>", "a": "</a>", "nobr": "</span>"}


def escape(text: str) -> str:
    """Plain ``text`` written as markup text (``<`` and ``&`` that would be read as markup escaped)."""
    return text.replace("&", "&amp;").replace("<", "&lt;") if has_markup(text) else text
