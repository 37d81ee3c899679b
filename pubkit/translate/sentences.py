"""Offline sentence splitting for Vietnamese and English paragraphs.

Argos Translate models are trained on sentences, so paragraphs are split before MT and the
translated sentences joined again. A small rule set is enough for brochure prose and needs
no model download (argostranslate's own splitter loads stanza and its models): a sentence
ends at ``.``, ``!``, ``?`` or ``…`` followed by a space and a capital letter, digit or
opening quote, unless the word before is a known abbreviation (``TP.``, ``TS.``, ``Mr.``)
or an initial. Decimals (``2,234 tỷ USD``, ``3.536,4``) hold no space and never split.
"""

from __future__ import annotations

import re

ABBREVIATIONS = frozenset(
    "tp ts ths pgs gs bs ks cn tt ubnd q p mr mrs ms dr prof no nos st co vs e.g i.e approx jan feb "
    "mar apr jun jul aug sep sept oct nov dec".split()
)
_BOUNDARY = re.compile(r"(?<=[.!?…])([\"”’»)]*)(\s+)(?=[\"“‘«(]?[\w“\"(])")


def split_sentences(paragraph: str) -> list[str]:
    """Sentences of ``paragraph``; joining them with single spaces gives the paragraph back."""
    text = " ".join(paragraph.split())
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.start(2)
        candidate = text[start:end]
        following = text[match.end():match.end() + 1]
        if _ends_sentence(candidate, following):
            sentences.append(candidate)
            start = match.end()
    if text[start:]:
        sentences.append(text[start:])
    return sentences


def _ends_sentence(candidate: str, following: str) -> bool:
    if not (following.isupper() or following.isdigit() or following in "\"“‘«("):
        return False
    last_word = candidate.rsplit(" ", 1)[-1].rstrip("\"”’»)")
    if not last_word.endswith("."):
        return True
    stem = last_word[:-1].lower()
    if stem in ABBREVIATIONS or (len(stem) == 1 and stem.isalpha()):
        return False
    return True
