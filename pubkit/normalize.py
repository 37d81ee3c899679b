"""Unicode normalisation of translated text: NFC, keeping CJK compatibility ideographs.

Text is composed (NFC) so that a Vietnamese translation saved decomposed (as some Mac editors
save it) matches and prints as the composed text it is. But NFC also replaces each CJK
compatibility ideograph (U+F900–U+FAFF, U+2F800–U+2FA1F) with its unified twin, and those are
written on purpose: the older or variant forms of Japanese names and Korean hanja (神 U+FA19 for
the form of 神 in a registered name). So runs of them are left as written and the text around
them is composed. Python's :mod:`unicodedata` has no such option; the split is the whole of it.
"""

from __future__ import annotations

import re
import unicodedata

_COMPATIBILITY_IDEOGRAPHS = re.compile("[\uf900-\ufaff\U0002f800-\U0002fa1f]+")


def nfc(text: str) -> str:
    """``text`` in NFC, except that CJK compatibility ideographs stay as written."""
    if unicodedata.is_normalized("NFC", text):
        return text
    if not _COMPATIBILITY_IDEOGRAPHS.search(text):
        return unicodedata.normalize("NFC", text)
    parts = _COMPATIBILITY_IDEOGRAPHS.split(text)
    kept = _COMPATIBILITY_IDEOGRAPHS.findall(text)
    out = [unicodedata.normalize("NFC", parts[0])]
    for ideographs, part in zip(kept, parts[1:]):
        out += [ideographs, unicodedata.normalize("NFC", part)]
    return "".join(out)
