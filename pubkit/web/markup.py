"""Jinja filters for translatable text that may hold inline markup (:mod:`pubkit.markup`).

``|markup`` gives safe HTML: ``<b>`` → ``<strong>``, ``<i>`` → ``<em>``, a link as a real ``<a href>``
(the print edition can only print its words), ``<nobr>`` → ``<span class="nobr">``; every piece
of text is escaped, so a translation can never inject HTML. ``|plain`` gives the words alone,
for places that cannot hold markup: ``<title>``, meta descriptions, ``alt`` text.
"""

from __future__ import annotations

from markupsafe import Markup

from pubkit import markup


def markup_html(value) -> Markup:
    """``value`` (a string or a text object) as HTML with its markup made into tags; a text a draft shows in
    another language than the page's (the source, untranslated) in a ``<span lang>`` of its own, so a screen
    reader reads it in its language (on the element around it, the attribute also claimed that element's
    other texts: a callout's translated title, a figure's number)."""
    if value is None:
        return Markup("")
    html = Markup(markup.to_html(str(value)))
    language = getattr(value, "language", "")
    return Markup('<span lang="{}">{}</span>').format(language, html) if language else html


def plain_text(value) -> str:
    """``value`` without its tags (autoescaping still applies where it is used)."""
    return "" if value is None else markup.plain(str(value))


def install(env) -> None:
    """Register the filters on a Jinja environment."""
    env.filters["markup"] = markup_html
    env.filters["plain"] = plain_text
