"""Key figures as each language writes them, from Babel's CLDR data.

A figure is split into the part before the decimal separator and the rest, so a table can align
every number on its separator, and its unit goes in a column of its own. Large values are
written with the language's own scale words (CLDR's long compact patterns): 7,8 tỷ, 7.8 billion,
78億, 78亿, 78억; 129万 but 1.29 million. A value is scaled only when the scaled number keeps
every digit of the original (at most three decimals), from 100,000 (10万) in Japanese, Chinese and
Korean (whose scale steps are 万/만 = 10⁴) and from a million in Vietnamese and English.

A unit that carries a scale word ("tỷ USD", translated "billion USD", "十亿美元") is read as a
scale on the value: the source unit's word sets the value's size, the translation's word is
removed, and the value is written again with the target language's words ("78亿 美元").
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from pubkit import cldr

SCALE_FROM = {"ja": 100_000, "zh": 100_000, "ko": 100_000}
SCALE_FROM_DEFAULT = 1_000_000
# CJK numerals that multiply a scale word in front of it (十億 = 10 × 億)
_MULTIPLIERS = {"十": 10, "百": 100, "千": 1000, "십": 10, "백": 100, "천": 1000}


@lru_cache(maxsize=16)
def scale_words(language: str) -> tuple[tuple[str, int], ...]:
    """(word, value) pairs of the language's scale words, longest first: ('tỷ', 10**9), ('億', 10**8)…"""
    words: dict[str, int] = {}
    for magnitude, suffix, whole_digits in cldr.remembered(("compact long", language),
                                                           lambda: _long_compact_patterns(language)):
        word = suffix.strip()
        if word and whole_digits == 1:
            words.setdefault(word, int(magnitude))
    for word, value in list(words.items()):
        for prefix, factor in _MULTIPLIERS.items():
            if (prefix in "十百千") != (language in ("ja", "zh")) or language not in ("ja", "zh", "ko"):
                continue
            words.setdefault(prefix + word, value * factor)
    return tuple(sorted(words.items(), key=lambda item: -len(item[0])))


def _long_compact_patterns(language: str) -> tuple[tuple[str, str, int], ...]:
    """CLDR's long compact number patterns of the language (Babel's data as it gives them): per magnitude
    its suffix and minimum whole digits; none for a language Babel does not know."""
    from babel import Locale

    try:
        patterns = Locale.parse(language).compact_decimal_formats["long"]["other"]
    except (KeyError, ValueError):
        return ()
    return tuple((magnitude, pattern.suffix[0], pattern.int_prec[0]) for magnitude, pattern in patterns.items())


def _leading_scale(unit: str, language: str) -> tuple[int, str]:
    for word, value in scale_words(language):
        if unit.startswith(word) and (len(unit) == len(word) or not unit[len(word)].isalpha()
                                      or language in ("ja", "zh", "ko")):
            return value, unit[len(word):].strip()
    return 1, unit


def figure_parts(value: float, source_unit: str, unit: str, language: str, source_language: str = "vi"
                 ) -> tuple[str, str, str]:
    """(whole part, separator + decimals + scale word, unit) of one key figure, in ``language``."""
    number = Decimal(str(value))
    source_scale, _ = _leading_scale(source_unit, source_language)
    target_scale, bare_unit = _leading_scale(unit, language)
    rescaled = source_scale > 1 and target_scale == source_scale  # the same scale word on both sides
    text = None
    if rescaled or number >= SCALE_FROM.get(language, SCALE_FROM_DEFAULT):
        text = _scaled(number * source_scale if rescaled else number, language)
    if text is not None and rescaled:
        unit = bare_unit
    if text is None:  # as written
        text = cldr.babel("numbers", "format_decimal", number, locale=language, decimal_quantization=False)
    symbol = cldr.babel("numbers", "get_decimal_symbol", language)
    cut = next((i for i, char in enumerate(text) if char == symbol or not (char.isdigit() or char in ",. \u00a0\u202f")),
               len(text))
    whole, rest = text[:cut], text[cut:]
    rest = rest.replace(" ", "\u00a0")  # "7.8 billion" never splits
    return whole.strip(), rest, unit


def _scaled(number: Decimal, language: str) -> str | None:
    best = None
    for word, value in scale_words(language):
        if any(prefix in word[:1] for prefix in _MULTIPLIERS):
            continue
        if number >= value and (best is None or value > best[1]):
            best = (word, value)
    if best is None:
        return None
    word, value = best
    scaled = number / value
    if scaled != scaled.quantize(Decimal("0.001")):
        return None  # scaling would drop digits
    digits = cldr.babel("numbers", "format_decimal", scaled.normalize(), locale=language, decimal_quantization=False)
    return f"{digits}{'' if language in ('ja', 'zh', 'ko') else ' '}{word}"


def number_text(value: float, unit: str, language: str, source_unit: str | None = None,
                source_language: str = "vi") -> str:
    """A figure as one string: ``3.536,4 km²`` in vi, ``3,536.4 km²`` in en, ``78亿 美元`` in zh.

    Used by the web edition and wherever a figure is not set in a table's aligned columns, so
    print and web say the same number.
    """
    return figure_display(*figure_parts(value, unit if source_unit is None else source_unit, unit, language,
                                        source_language))


def figure_display(whole: str, rest: str, unit: str) -> str:
    """:func:`figure_parts` as one string: a no-break space before a unit, none before % and ‰."""
    number = whole + rest
    if not unit:
        return number
    return number + (unit if unit in ("%", "‰") else "\u00a0" + unit)
