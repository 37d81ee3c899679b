"""Keep names, terms, numbers, URLs, e-mails and inline markup intact through machine translation.

Before MT each protected item is replaced by a placeholder token; after MT the token is
replaced by the item's required form in the target language: the glossary's translation,
the name unchanged, or the number re-written in the target locale (``3.536,4`` → ``3,536.4``).
An item whose token did not survive is reported, so the entry can be flagged for review.

Inline markup (:mod:`pubkit.markup`): each tag (``<b>``, ``</b>``, ``<a href="…">`` …) and each
entity (``&lt;``) is a placeholder of its own, so the model translates the words between tags and
the link target never reaches it. A model may drop or reorder placeholders: when the tags it gives
back no longer nest, every tag is taken out of the draft and reported lost, so a machine draft
never holds broken markup; the translator puts the source's tags back while reviewing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pubkit import markup

PLACEHOLDER = "⟦{}⟧"
_PLACEHOLDER_RE = re.compile(r"⟦\s*(\d+)\s*⟧")
_URL = r"(?:https?://|www\.)[^\s,;]+[^\s,;.)]"
_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_CODE = r"\d+(?:/[\w\-Đđ]+)+"  # decree numbers such as 57/2018/NĐ-CP
# Numbers as each source language writes them: vi 3.536,4 and 1,29; en 3,536.4 and 1.29.
_NUMBERS = {"vi": r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+,\d+|\d+", "en": r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+|\d+"}
_MARKUP = re.compile(r"</?(?:b|i|nobr)>|<a\s+href=\"[^\"<>\s]+\"\s*>|</a>|&lt;|&gt;|&amp;")
_OPEN_SPACE = re.compile(r"(<(?:b|i|nobr|a\s[^<>]*)>)(\s+)")
_SPACE_CLOSE = re.compile(r"(\s+)(</(?:b|i|nobr|a)>)")
_ITEMS = {language: re.compile(f"(?P<url>{_URL})|(?P<email>{_EMAIL})|(?P<code>{_CODE})|(?P<number>{number})")
          for language, number in _NUMBERS.items()}


@dataclass
class Glossary:
    """Required translations per term and language, and names never translated."""

    terms: dict[str, dict[str, str]] = field(default_factory=dict)
    keep: list[str] = field(default_factory=list)

    def merged(self, other: Glossary) -> Glossary:
        return Glossary({**self.terms, **other.terms}, list(dict.fromkeys(self.keep + other.keep)))


@dataclass
class Masked:
    text: str
    restored: list[str]  # what each placeholder becomes in the target language
    originals: list[str]


def source_number_to_target(number: str, source: str, target: str) -> str:
    """A number written in the source locale, re-written in the target's; plain integers (years) unchanged."""
    if "." not in number and "," not in number:
        return number
    from babel.numbers import format_decimal

    group, decimal = (".", ",") if source == "vi" else (",", ".")
    value = number.replace(group, "").replace(decimal, ".")
    return format_decimal(value, locale=target, decimal_quantization=False)


def mask(text: str, glossary: Glossary, target: str, source: str = "vi") -> Masked:
    """Replace protected items in ``text`` (written in ``source``) with placeholders.

    Glossary terms are listed by their Vietnamese form; from an English source (the pivot)
    their English form is matched instead.
    """
    restored: list[str] = []
    originals: list[str] = []

    def token(original: str, replacement: str) -> str:
        originals.append(original)
        restored.append(replacement)
        return PLACEHOLDER.format(len(restored) - 1)

    # text that already looks like a placeholder is protected as itself, so it cannot take another's place
    text = _PLACEHOLDER_RE.sub(lambda m: token(m.group(0), m.group(0)), text)
    text = _MARKUP.sub(lambda m: token(m.group(0), m.group(0)), text)  # tags before terms: an href holds a URL
    terms = [(term if source == "vi" else forms.get(source), forms.get(target)) for term, forms in glossary.terms.items()]
    fixed = sorted([(term, form) for term, form in terms if term and form]
                   + [(name, name) for name in glossary.keep], key=lambda pair: -len(pair[0]))
    if fixed:
        pattern = re.compile("|".join(rf"(?<!\w){re.escape(term)}(?!\w)" for term, _ in fixed))
        lookup = dict(fixed)
        text = pattern.sub(lambda m: token(m.group(0), lookup[m.group(0)]), text)

    def item(match: re.Match) -> str:
        value = match.group(0)
        if match.lastgroup == "number":
            return token(value, source_number_to_target(value, source, target))
        return token(value, value)

    parts = re.split(r"(⟦\d+⟧)", text)  # do not touch placeholders already made
    items = _ITEMS.get(source, _ITEMS["en"])
    text = "".join(part if _PLACEHOLDER_RE.fullmatch(part) else items.sub(item, part) for part in parts)
    return Masked(text, restored, originals)


@dataclass
class Restored:
    """A translation with its protected items put back, and what went wrong on the way."""

    text: str
    lost: list[str]  # originals whose placeholder the model dropped
    repeated: list[str]  # originals whose placeholder the model wrote more than once
    stray: list[str]  # placeholders the model made up (no such item): left in the text as they are


def restore(translated: str, masked: Masked) -> Restored:
    """Put the protected items back, noting every lost, repeated and stray placeholder."""
    seen: dict[int, int] = {}
    stray: list[str] = []

    def put_back(match: re.Match) -> str:
        index = int(match.group(1))
        if index >= len(masked.restored):
            stray.append(match.group(0))
            return match.group(0)
        seen[index] = seen.get(index, 0) + 1
        return masked.restored[index]

    text = _PLACEHOLDER_RE.sub(put_back, translated)
    lost = [original for i, original in enumerate(masked.originals) if i not in seen]
    repeated = [masked.originals[i] for i, count in sorted(seen.items()) if count > 1]
    if any(_MARKUP.fullmatch(original) for original in masked.originals):
        text, lost = _tidy_markup(text, lost)
    return Restored(text, lost, repeated, list(dict.fromkeys(stray)))


def _tidy_markup(text: str, lost: list[str]) -> tuple[str, list[str]]:
    """Spaces a model put just inside a tag moved outside it; tags that no longer nest taken out (and reported)."""
    text = _OPEN_SPACE.sub(lambda m: m.group(1) if m.start() and text[m.start() - 1].isspace() else m.group(2) + m.group(1),
                           text)
    text = _SPACE_CLOSE.sub(lambda m: m.group(2) if m.end() < len(text) and text[m.end()].isspace() else m.group(2) + m.group(1),
                            text)
    try:
        markup.parse(text)
        return text, lost
    except markup.MarkupError:
        tags = [m.group(0) for m in _MARKUP.finditer(text) if m.group(0).startswith("<")]
        return re.sub(r"</?(?:b|i|nobr)>|<a\s+href=\"[^\"<>\s]+\"\s*>|</a>", "", text), lost + tags


def unmask(translated: str, masked: Masked) -> tuple[str, list[str]]:
    """Put the protected items back; returns the text and the originals whose token was lost."""
    restored = restore(translated, masked)
    return restored.text, restored.lost
