"""The web edition's colours, and the contrast every text/background pair of them must reach.

The CSS template takes its colours from here only, so the contrast test covers what is served.
"""

from __future__ import annotations

COLOURS = {
    "ink": "#1b1f1d",        # body text
    "paper": "#ffffff",      # page background
    "green": "#1d5a2a",      # headings, bands (the print edition's green, darkened for screen contrast)
    "teal": "#235561",       # captions
    "tint": "#eef5e6",       # key-figure tiles
    "gold": "#e3a21a",       # rules and accents, never text
    "tagline": "#f6d98b",    # the tagline on the green band
    "link": "#0a4f8f",
    "on_band": "#ffffff",    # text on the green band, the language bar and the footer
    "draft_bg": "#fff1b8",   # unreviewed text in a draft
    "draft_line": "#a64b00",
}

# (text colour, background) for every text the stylesheet sets; body text needs 4.5:1 (WCAG AA)
TEXT_PAIRS = [("ink", "paper"), ("green", "paper"), ("teal", "paper"), ("link", "paper"), ("ink", "tint"),
              ("green", "tint"), ("on_band", "green"), ("tagline", "green"), ("ink", "draft_bg"),
              ("draft_line", "draft_bg")]
MIN_CONTRAST = 4.5


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours."""
    a, b = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)
