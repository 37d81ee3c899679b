"""Recognise Vietnamese text in the legacy 8-bit encodings TCVN3 (ABC) and VNI.

Government files still use them. Opened as UTF-8 they either fail to decode or, after a
copy-paste through Word, turn into look-alike Latin-1 text (``Th¸i Nguyªn`` for TCVN3,
``Thaùi Nguyeân`` for VNI). Both leave characters that Vietnamese written in Unicode never
uses, which is what is counted here.
"""

from __future__ import annotations

import re

# TCVN3 puts Vietnamese letters on Latin-1 punctuation code points (¸ µ ª ¨ ©…) next to letters.
_TCVN3 = re.compile(r"[A-Za-z][\u00a1-\u00a9\u00ac-\u00af\u00b1\u00b4-\u00b6\u00b8-\u00ba\u00bc-\u00be]"
                    r"|[\u00a1-\u00a9\u00ac-\u00af\u00b1\u00b4-\u00b6\u00b8-\u00ba\u00bc-\u00be][a-z]")
# VNI writes tone marks as separate Latin-1 letters that are not Vietnamese (ø û ï ä å æ ç ë ñ ö…).
_VNI = re.compile(r"[A-Za-z\u00c0-\u00ff][\u00d8\u00db\u00cf\u00c4\u00c5\u00c6\u00c7\u00cb\u00d1\u00d6"
                  r"\u00f8\u00fb\u00ef\u00e4\u00e5\u00e6\u00e7\u00eb\u00f1\u00f6]"
                  # …and as Vietnamese-looking letters in places Vietnamese never has them: aù, eâ, oâ
                  r"|[aeiouyAEIOUY][\u00f9\u00f8\u00fb\u00f5\u00ef\u00d9\u00d8\u00db\u00d5\u00cf]|[aeoAEO][\u00e2\u00c2]")
# A tone mark written after its vowel: most VNI Vietnamese words have one, while Latin-1 names
# (Köln, Malmö, A Coruña, São Paulo) never do.
_VNI_TONE = re.compile(r"[aeiouyAEIOUY][\u00f9\u00f8\u00fb\u00f5\u00ef\u00d9\u00d8\u00db\u00d5\u00cf]|[aeoAEO][\u00e2\u00c2]")
# Letters only Unicode Vietnamese has (ă đ ĩ ũ ơ ư and the precomposed tone forms): a word
# holding one is Unicode.
_UNICODE_VIETNAMESE = re.compile("[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0"
                                 "\u1ea0-\u1ef9]")
THRESHOLD = 3

HOW_TO_CONVERT = ("convert it to Unicode (UniKey: Công cụ chuyển mã, source {name}, target Unicode), "
                  "then save the file as UTF-8")


def legacy_encoding(text: str) -> str | None:
    """'TCVN3 (ABC)' or 'VNI' when ``text`` looks like it, else None.

    Counted word by word: words that are Unicode Vietnamese are skipped, and a word counts as
    VNI only when it has a tone mark written after a vowel, so foreign names in Latin-1 letters
    are never taken for legacy text, while a legacy phrase pasted into a Unicode line still is.
    """
    tcvn3 = vni = 0
    for word in text.split():
        if _UNICODE_VIETNAMESE.search(word):
            continue
        tcvn3 += len(_TCVN3.findall(word))
        if _VNI_TONE.search(word):
            vni += len(_VNI.findall(word))
    if max(tcvn3, vni) < THRESHOLD:
        return None
    return "TCVN3 (ABC)" if tcvn3 >= vni else "VNI"
