"""Lay out one language edition of a brochure as a print PDF, from the brochure's page plan.

:func:`measure` breaks the lines of one edition at every step of the copyfit ladder (no PDF);
:func:`pubkit.typeset.plan.make_plan` makes one plan from every edition's measure; :func:`typeset`
draws an edition from it. Pages: the cover, the inside pages of the plan (sections, images
anchored where the plan puts them, designed notes pages to the binding's multiple) and the back
cover; with a separate cover stock (``format.cover_paper``), a four-page cover (outside front,
inside front with the contents, inside back with notes, outside back) and the text block are
two PDFs. All language-dependent ink on inside pages is 100 % K and overprints (docs/layout.md).
"""

from __future__ import annotations

import inspect
import io
import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from reportlab.lib.colors import CMYKColor
from reportlab.lib.units import mm

from pubkit import markup
from pubkit.errors import PubkitError
from pubkit.normalize import nfc
from pubkit.project import Project
from pubkit.spec import model
from pubkit.spec.model import PAGE_MULTIPLE
from pubkit.blocks import for_language, kind_of
from pubkit.blocks.image import image_file
from pubkit.spec.segments import segments, written
from pubkit.typeset import colophon, covers, fonts, images
from pubkit.typeset import plan as planning
from pubkit.typeset.blocks import (BODY_BLACK, Space, TextBlock, TextStyle, break_lines, draw_line, first_baseline,
                                   overprint, styled)
from pubkit.typeset.pages import Geometry
from pubkit.typeset.review import REVIEW_SLUG, Marks, Review

GREEN = CMYKColor(0.80, 0.20, 0.95, 0.25)
TEAL = CMYKColor(0.90, 0.40, 0.35, 0.30)
GOLD = CMYKColor(0.0, 0.35, 0.90, 0.0)
INK = BODY_BLACK  # every language-dependent mark of an inside page: 100 % K, overprinting
DRAFT_INK = CMYKColor(0, 0.75, 0.10, 0)
DRAFT_MARK = "DRAFT – not for print"

COVER_TITLE_LINES = 3
HEADING_LINES = 2  # a section heading taking more is reported (docs/print.md, "Fit and overflow")
MARGIN_INNER, MARGIN_OUTER, MARGIN_TOP, MARGIN_BOTTOM = 15 * mm, 15 * mm, 19 * mm, 16 * mm
GUTTER = 6 * mm
IMAGE_GAP = 4.5 * mm  # between an image's block (image and caption space) and the text
CAPTION_GAP = 2 * mm  # between an image and its caption
# Covers (docs/print.md): fixed bands, so every colour sits at the same place in every language
COVER_BAND = 0.45      # the front cover's title band: the top 45 % of the trim, paper white, text in 100 % K
COVER_BAND_MAX = 0.55  # the share the band may grow to on trims narrower than A5 (cover_band)
COVER_TOP = 12 * mm    # from the trim's top edge to the logo (or the publisher's name)
BACK_BAND = 0.15       # the back cover's colour band (or picture): the top 15 % of the trim
LOGO_HEIGHT = 15 * mm  # on A5; cover type, logos and the QR code scale down with narrower trims (A6)
QR_SIZE = 24 * mm      # a version 3–6 code stays above 0.5 mm a module at this size
QR_MIN = 18 * mm
COLOPHON_LINES = 8     # with a self-cover, the back cover keeps this many colophon lines free at its foot
# pubkit's own words on the pages it adds (docs/layout.md)
UI = {
    "notes": {"vi": "Ghi chú", "en": "Notes", "ja": "メモ", "ko": "메모", "zh": "笔记"},
    "contents": {"vi": "Mục lục", "en": "Contents", "ja": "目次", "ko": "목차", "zh": "目录"},
}
# Characters per line (spaces included) that read comfortably, and the body sizes allowed to reach them
LATIN_PER_LINE = (45, 75)   # Vietnamese, English (and the Latin bound for Korean)
CJK_PER_LINE = (25, 45)     # Japanese, Chinese, Korean
MIN_SIZE = {"cjk": 8.5, "words": 9.0}
MAX_SIZE = 10.0


def columns_for(text_width: float) -> int:
    """One column up to 130 mm of text width (A5, B6), two up to 270 mm (A4, B5, Letter), then three."""
    return 1 if text_width <= 130 * mm else 2 if text_width <= 270 * mm else 3


def body_size(column: float, wrap: str, mean_advance: float) -> float:
    """The body size for a column: the smallest allowed size whose lines stay under the upper bound.

    ``mean_advance`` is the mean advance of the edition's body characters at 1 pt (about 0.5 for
    Latin text, 1.0 for Japanese and Chinese, 0.8 for Korean with its spaces). Japanese and
    Chinese get a size that makes the column a whole number of ems, so full lines fill it exactly;
    the others a size on a quarter-point grid (rounded down, up where down would pass the bound: Korean's
    45 is one character over its aim), so editing a paragraph, which moves the mean a little, leaves the
    size and every other paragraph's lines as they were (with the size unrounded, a one-word edit of the
    demo moved its Vietnamese body from 9.129 to 9.147 pt and broke every line again).
    """
    wide = mean_advance > 0.7
    bound = (CJK_PER_LINE if wide else LATIN_PER_LINE)[1]
    most = bound - (1 if wide else 3)
    size = min(max(MIN_SIZE[wrap], column / (most * mean_advance)), MAX_SIZE)
    if wrap == "cjk":
        return round(column / int(column / size), 3)
    on_grid = math.floor(size * 4) / 4
    if column / (on_grid * mean_advance) > bound:
        on_grid = min(math.ceil(size * 4) / 4, MAX_SIZE)
    return max(MIN_SIZE[wrap], on_grid)


@dataclass
class Edition:
    """What one edition needs: the spec, its language and the text to print for each source string.

    ``translate(text)`` gives the text to print; when it also takes ``path`` (the segment's spec
    path, as :class:`pubkit.content.Translation` does), it is asked by place, so a translator's
    context entry for that place is printed there.
    """

    brochure: model.Brochure
    spec_file: Path
    project: Project
    language: str
    translate: Callable[..., str]
    draft: bool = False
    output_profile: bytes | None = None  # CMYK ICC profile for image conversion
    plan: planning.Plan | None = None     # the brochure's page plan (None: this edition alone)
    review: Review | None = None          # a review proof (ids and highlights, pubkit.typeset.review): never print
    breaks: dict | None = None            # line breaks shared by measuring and rendering it (see :func:`shareable`)
    seed: dict | None = None              # line breaks of an earlier build, set again where a text recurs (ditto)


@dataclass
class EditionResult:
    pdf: bytes
    pages: int
    blank_pages: int = 0                  # always 0: pages are added with designed content
    warnings: list[str] = field(default_factory=list)
    cover_pdf: bytes | None = None        # with a separate cover stock: the 4-page cover
    cover_pages: int = 0
    layout: dict = field(default_factory=dict)


@dataclass(frozen=True)
class _Styles:
    body: TextStyle
    bullet: TextStyle
    heading: TextStyle
    caption: TextStyle
    figure_label: TextStyle
    figure_value: TextStyle
    running: TextStyle
    cover_title: TextStyle
    cover_sub: TextStyle
    back_heading: TextStyle
    back_body: TextStyle

    figure_unit: TextStyle

    @classmethod
    def for_language(cls, regular: fonts.FontChain, bold: fonts.FontChain, wrap: str, language: str = "",
                     size: float | None = None) -> _Styles:
        cjk = wrap == "cjk"
        size = size or (8.5 if wrap == "cjk" else 9.0)
        leading = round(size * (1.7 if wrap == "cjk" else 1.45), 3)
        body = TextStyle(regular, size, leading, wrap, space_after=leading * 0.4, language=language, justify=True)
        plain = TextStyle(regular, size, leading, wrap, language=language)
        return cls(
            body=body,
            bullet=replace(body, space_after=leading * 0.2),
            heading=replace(plain, chain=bold, size=13, leading=17, space_before=8, space_after=5, balance=True),
            caption=replace(plain, size=7.5, leading=10.5),
            figure_label=replace(plain, size=round(size * 0.94, 2), leading=12),
            figure_value=replace(plain, chain=bold, size=9.5, leading=12),
            running=replace(plain, size=7, leading=9),
            cover_title=replace(plain, chain=bold, size=22 if not cjk else 21, leading=29, color=INK, balance=True),
            cover_sub=replace(plain, size=11, leading=15, color=INK, balance=True),
            back_heading=replace(plain, chain=bold, size=16, leading=21, color=INK, space_after=8, balance=True),
            back_body=replace(plain, size=9.5, leading=14.5, color=INK, space_after=6, justify=True),
            figure_unit=replace(plain, size=round(size * 0.94, 2), leading=12),
        )


class _Layout:
    def __init__(self, edition: Edition):
        self.edition = edition
        self.brochure = edition.brochure
        self._by_path = _takes_path(edition.translate)
        self.marks = None
        setup = edition.project.language(edition.language, edition.spec_file)
        self.written = written(self.brochure, edition.language)  # only: overrides, printed as written
        self.texts = self.printed_texts()
        # the language's fonts, then any project font a character or another script's run needs (fonts.edition_chains)
        self.regular, self.bold = fonts.edition_chains(edition.project, edition.language,
                                                       [markup.plain(text) for _, text in self.texts])
        fmt = self.brochure.format
        self.geometry = Geometry.from_mm(fmt.trim_mm, fmt.bleed)
        if edition.review is not None:  # the same trim and text area, a wider slug for the ids
            self.geometry = Geometry.from_mm(fmt.trim_mm, fmt.bleed, REVIEW_SLUG)
            self.marks = Marks(edition.review, self.geometry)
        text_width = self.geometry.trim_width - MARGIN_INNER - MARGIN_OUTER
        self.columns = columns_for(text_width)
        self.column_width = (text_width - (self.columns - 1) * GUTTER) / self.columns
        body_text = "".join(text for where, text in self.texts if where.startswith("sections"))[:20000] or "x"
        mean_advance = self.regular.width(body_text, 1.0) / len(body_text)
        self.styles = _Styles.for_language(self.regular, self.bold, setup.wrap, edition.language,
                                           body_size(self.column_width, setup.wrap, mean_advance))
        self.wrap = setup.wrap
        self.result = EditionResult(b"", 0)
        self.title = self.tr(self.brochure.title, "title")
        self.fit_notes: list[str] = []
        self.too_wide: list[str] = []
        self._breaks: dict = {} if edition.breaks is None else edition.breaks
        self._seed: dict = edition.seed or {}
        g = self.geometry
        self.area = planning.PageArea(round(g.trim_height - MARGIN_TOP - MARGIN_BOTTOM, 3), self.columns,
                                      round(self.column_width, 3), IMAGE_GAP)

    def tr(self, text: str, path: str | None = None) -> str:
        """The text to print for ``text`` (at spec ``path`` when known: a context entry there wins)."""
        if path is not None and self.written.get(path) == text:
            return text
        if path is not None and self._by_path:
            return nfc(self.edition.translate(text, path=path))
        return nfc(self.edition.translate(text))

    def mark(self, canv, flowable, x: float, y: float) -> None:
        """A review proof's tint and id for ``flowable`` (drawn next at x, y); nothing in print."""
        if self.marks is not None:
            self.marks.block(canv, flowable, x, y)

    # -- checks before layout -------------------------------------------------------------
    def printed_texts(self) -> list[tuple[str, str]]:
        language = self.edition.language
        texts = [(segment.path, self.tr(segment.text, segment.path)) for segment in segments(self.brochure)
                 if segment.prints_in(language)] + list(self.written.items())
        contact = self.brochure.back_cover.contact if self.brochure.back_cover else None
        if contact:
            texts += [(f"back_cover.contact.{name}", getattr(contact, name))
                      for name in ("phone", "email", "website") if getattr(contact, name)]
        for k in range(len(self.brochure.sections)):
            for path, block in self.blocks(k):
                kind = kind_of(block)
                if kind.printed:  # numbers as this language writes them
                    texts += kind.printed(self, block, path)
        back = self.brochure.back_cover
        if back and back.qr:
            texts.append(("back_cover.qr.url", back.qr.url_for(self.edition.language)))
        texts += [("publication (colophon)", line) for line in self.colophon_text(100)]
        texts.append(("draft mark", DRAFT_MARK if self.edition.draft else ""))
        texts.append(("page numbers and figures", "0123456789\u00a0"))
        return texts

    def check_glyphs(self) -> None:
        for chain in (self.regular, self.bold):
            fonts.check_coverage(chain, self.texts, language=self.edition.language, spec_file=self.edition.spec_file,
                                 place_in_file=getattr(self.edition.translate, "place_in_file", None))

    def image_path(self, relative: str, key: str) -> Path:
        """An image named in the spec: from the brochure's folder, else the project root (pubkit.blocks.image)."""
        return image_file(self.edition.project, self.edition.spec_file, relative, key=key,
                          line=self.brochure.line_of(key))

    def image(self, relative: str, key: str):
        return images.load_cmyk(self.image_path(relative, key), spec_file=self.edition.spec_file,
                                profile=self.edition.output_profile, key=key, line=self.brochure.line_of(key))

    def pixel_size(self, relative: str, key: str) -> tuple[int, int]:
        return images.pixel_size(self.image_path(relative, key), spec_file=self.edition.spec_file, key=key,
                                 line=self.brochure.line_of(key))

    # -- the blocks of a section, as this edition prints them (pubkit.blocks) ---------------------------
    def blocks(self, k: int) -> list[tuple[str, model.Block]]:
        """(spec path, block with this language's ``only:`` fields applied) of section k's content."""
        return [(f"sections[{k}].content[{b}]", for_language(block, self.edition.language))
                for b, block in enumerate(self.brochure.sections[k].content)]

    @staticmethod
    def segment(flowable, path: str | None):
        return _segment(flowable, path)

    @property
    def span_width(self) -> float:
        """A full-bleed block's width: the trim and the bleed on both sides."""
        return self.geometry.trim_width + 2 * self.geometry.bleed

    # -- covers (pubkit.typeset.covers) and the colophon (pubkit.typeset.colophon) ---------------
    def back_cover(self) -> list:
        """The back cover's text, top down, all 100 % K: heading, text, contact block, publisher."""
        back = self.brochure.back_cover
        s = self.styles
        parts: list = []
        if back and back.heading:
            parts.append(_segment(TextBlock(self.tr(back.heading, "back_cover.heading"), s.back_heading),
                                  "back_cover.heading"))
        if back and back.text:
            parts.append(_segment(TextBlock(self.tr(back.text, "back_cover.text"), s.back_body), "back_cover.text"))
        # names and contact lines are set ragged: justified, a two-line name spread its words apart
        ragged = replace(s.back_body, justify=False)
        contact = back.contact if back else None
        if contact:
            parts.append(Space(1, 4 * mm))
            where = "back_cover.contact.organisation"
            parts.append(_segment(TextBlock(self.tr(contact.organisation, where),
                                            replace(ragged, chain=self.bold, space_after=2)), where))
            where = "back_cover.contact.address"
            for path, value in ((where, self.tr(contact.address, where) if contact.address else None),
                                (None, contact.phone), (None, contact.email), (None, contact.website)):
                if value:
                    parts.append(_segment(TextBlock(value, replace(ragged, space_after=1)), path))
        parts.append(Space(1, 6 * mm))
        parts.append(_segment(TextBlock(self.tr(self.brochure.publisher, "publisher"),
                                        replace(ragged, chain=self.bold)), "publisher"))
        return parts

    def qr_blocks(self, width: float) -> list:
        """The label and the printed address beside the back cover's QR code."""
        qr = self.brochure.back_cover.qr if self.brochure.back_cover else None
        if qr is None:
            return []
        s = self.styles
        parts = []
        if qr.label:
            parts.append(_segment(TextBlock(self.tr(qr.label, "back_cover.qr.label"),
                                            replace(s.back_body, size=8.5, leading=12, space_after=2, justify=False)),
                                  "back_cover.qr.label"))
        style = replace(s.back_body, chain=self.bold, size=8.5, leading=12, space_after=0, justify=False)
        parts += [TextBlock(line, style) for line in covers.url_lines(
            qr.url_for(self.edition.language), lambda text: self.bold.width(text, style.size) <= width)]
        for block in parts:
            block.wrap(width, 1e6)
        return parts

    def colophon_text(self, pages: int) -> list[str]:
        """This edition's colophon statements (pubkit.typeset.colophon): its own trim, page count and print run."""
        publication = self.brochure.publication
        issuer = publication.licence.issuer if publication else None
        facts = colophon.Facts(self.brochure.format.trim_mm, pages, self.brochure.print_run[self.edition.language],
                               publication, self.tr(issuer, "publication.licence.issuer") if issuer else None)
        return colophon.lines(self.edition.language, facts)

    @property
    def colophon_style(self) -> TextStyle:
        return replace(self.styles.caption, size=7, leading=10 if self.wrap == "cjk" else 9, justify=False)

    def colophon(self, pages: int) -> list:
        """The colophon's statements as blocks; the one naming the issuing authority is that segment's (proofs)."""
        publication = self.brochure.publication
        issuer = publication.licence.issuer if publication else None
        shown = self.tr(issuer, "publication.licence.issuer") if issuer else None
        return [_segment(TextBlock(line, self.colophon_style),
                         "publication.licence.issuer" if shown and shown in line else None)
                for line in self.colophon_text(pages)]

    def colophon_lines(self, pages: int) -> tuple[list, int]:
        """The colophon's blocks wrapped to the text width, and how many lines they take."""
        blocks = self.colophon(pages)
        for block in blocks:
            block.wrap(self.text_width, 1e6)
        return blocks, sum(len(block._lines) for block in blocks)

    def draw_colophon(self, canv, pages: int, bottom: float) -> float:
        """The colophon set from ``bottom`` upwards at the left text margin; returns the top of its first line."""
        blocks, _ = self.colophon_lines(pages)
        left = self.geometry.origin + MARGIN_INNER
        top = bottom + sum(block.height for block in blocks)
        y = top
        for block in blocks:
            y -= block.height
            self.mark(canv, block, left, y)
            block.drawOn(canv, left, y)
        return top

    @property
    def text_width(self) -> float:
        return self.geometry.trim_width - MARGIN_INNER - MARGIN_OUTER

    @property
    def cover_scale(self) -> float:
        """Cover type, logos and the QR code at A5 size, smaller on narrower trims (A6: 0.71), never larger."""
        return min(1.0, self.geometry.trim_width / (148 * mm))

    @property
    def logo_height(self) -> float:
        return LOGO_HEIGHT * self.cover_scale

    @property
    def qr_size(self) -> float:
        return max(QR_MIN, QR_SIZE * self.cover_scale)

    def band(self, canv, color, top: float, bottom: float) -> None:
        """A colour band across the page from ``top`` to ``bottom``, running into the bleed at both sides."""
        x0, _, x1, _ = self.geometry.bleed_box
        canv.setFillColor(color)
        canv.rect(x0, bottom, x1 - x0, top - bottom, stroke=0, fill=1)

    def draw_cover(self, canv) -> None:
        """Front cover: a paper-white title band (logo, then publisher, title, subtitle, tagline in 100 % K),
        green and gold rules, and the cover picture (or a colour) from there to the bleed.

        The band's height is a fixed share of the trim, so every colour sits at the same place in every
        language; a text that does not fit the band stops the build (:meth:`check_fixed_pages`).
        """
        g = self.geometry
        x0, y0, x1, y1 = g.bleed_box
        trim_top = g.origin + g.trim_height
        text_top, band_bottom = self.cover_band()
        picture_top = band_bottom - 4.5 * mm
        if self.cover_image is not None:
            covers.fill_box(canv, self.cover_image, x0, y0, x1, picture_top)
        else:
            self.band(canv, TEAL, picture_top, y0)
        self.band(canv, GREEN, y1, trim_top - 4 * mm)
        self.band(canv, GREEN, band_bottom, band_bottom - 3 * mm)
        self.band(canv, GOLD, band_bottom - 3 * mm, picture_top)
        left = g.origin + MARGIN_OUTER
        logo = self.brochure.cover.logo
        if logo:
            covers.draw_logo(canv, self.image(logo, "cover.logo"), left, trim_top - COVER_TOP * self.cover_scale,
                             self.logo_height,
                             g.trim_width - 2 * MARGIN_OUTER)
        blocks, heights = self.cover_blocks()
        title_lines = len(blocks[2]._lines)
        if title_lines > COVER_TITLE_LINES:
            self.fit_notes.append(f"cover title takes {title_lines} lines; {COVER_TITLE_LINES} fit its band")
        top = text_top
        for block, height in zip(blocks, heights):
            top -= height
            self.mark(canv, block, left, top)
            block.drawOn(canv, left, top)

    def draw_back(self, canv, pages: int) -> None:
        """Back cover: a colour band (or the back-cover picture) and a gold rule at the top; on white below it
        the heading, text, contact block and publisher in 100 % K; at the foot the QR code of the portal
        with its label and printed address, the logo, and, with a self-cover, the colophon."""
        g = self.geometry
        x0, _, x1, y1 = g.bleed_box
        places = self.back_places(pages)
        picture = self.brochure.back_cover.image if self.brochure.back_cover else None
        if picture:
            covers.fill_box(canv, self.image(picture, "back_cover.image"), x0, places["band"], x1, y1)
        else:
            self.band(canv, GREEN, y1, places["band"])
        self.band(canv, GOLD, places["band"], places["band"] - 1.5 * mm)
        left = g.origin + MARGIN_INNER
        top = places["text_top"]
        for block in self.back_cover():
            height = block.wrap(self.text_width, g.trim_height)[1]
            top -= height
            self.mark(canv, block, left, top)
            block.drawOn(canv, left, top)
            top -= getattr(block, "spaceAfter", 0)
        row = places["row"]
        back = self.brochure.back_cover
        if back and back.logo:
            covers.draw_logo(canv, self.image(back.logo, "back_cover.logo"), left, row + self.logo_height,
                             self.logo_height,
                             self.text_width, align="right")
        if back and back.qr:
            url = back.qr.url_for(self.edition.language)
            covers.draw_qr(canv, url, left, row, self.qr_size)
            beside = left + self.qr_size + places["qr_gap"]
            blocks = self.qr_blocks(places["qr_text_width"])
            y = row + (self.qr_size + sum(block.height for block in blocks)) / 2
            for block in blocks:
                y -= block.height
                self.mark(canv, block, beside, y)
                block.drawOn(canv, beside, y)
        if not self.brochure.format.cover_paper:
            self.draw_colophon(canv, pages, g.origin + MARGIN_BOTTOM)

    # -- the flow of each section, at one step of the copyfit ladder -----------------------------
    def fitted(self, step: int) -> _Styles:
        fit = planning.LADDER[step]
        s = self.styles
        tracking = fit.tracking if self.wrap == "cjk" else 0.0
        body = replace(s.body, leading=round(s.body.leading * fit.leading, 3), tracking=tracking,
                       looseness=fit.looseness, space_after=round(s.body.space_after * fit.spacing, 3))
        return replace(s, body=body,
                       bullet=replace(body, space_after=round(s.bullet.space_after * fit.spacing, 3), looseness=0),
                       heading=replace(s.heading, space_before=round(s.heading.space_before * fit.spacing, 3),
                                       space_after=round(s.heading.space_after * fit.spacing, 3)))

    def lines(self, text: str, style: TextStyle, width: float) -> list:
        """Lines of a text block, broken once per text, setting and width (the ladder shares them), or
        taken from the seed: an earlier build's, where the same text recurs in the same setting."""
        text = TextBlock(text, style).text
        key = (text, style.chain.names, style.size, style.wrap, style.tracking, style.looseness, style.justify,
               style.balance, style.language, round(width, 3))
        found = self._breaks.get(key)
        if found is None:
            found = self._seed.get(key)
            if found is None:
                too_wide: list[str] = []
                found = (break_lines(text, style, width, too_wide), tuple(too_wide))
            self._breaks[key] = found
        lines, too_wide = found
        if lines and not lines[0].faces:  # read back from the build cache: the fonts are this process's
            faces = styled(text, style)[1]
            for line in lines:
                line.faces = faces
        self.too_wide += [word for word in too_wide if word not in self.too_wide]
        return lines

    def text_block(self, text: str, style: TextStyle, *, width: float | None = None, **options) -> TextBlock:
        """A text block broken at ``width`` (default: the column), less its indent."""
        indent = options.get("indent", 0.0)
        return TextBlock(text, style, lines=self.lines(text, style, (width or self.column_width) - indent), **options)

    def section_flow(self, k: int, step: int) -> tuple[list, list]:
        """Section k at a ladder step: (flowables, slot-placed blocks as (index of the flowable they follow, block, path)).

        Each block kind makes its own flowables (``Kind.flow``) or takes a planned slot (``Kind.placed``).
        """
        s = self.fitted(step)
        where = f"sections[{k}].heading"
        heading = self.brochure.sections[k].heading
        flow: list = [_segment(self.text_block(self.tr(heading, where), s.heading, keep_with_next=True), where)]
        placed = []
        for path, block in self.blocks(k):
            kind = kind_of(block)
            if kind.placed:
                placed.append((len(flow) - 1, block, path))
            else:
                flow += kind.flow(self, block, path, s, step)
        return flow, placed

    def items(self, flow: list) -> list[planning.Item]:
        """The flow as the paginator sees it: text blocks by lines, other flowables by their own units."""
        out = []
        for flowable in flow:
            flowable.wrap(self.column_width, 1e6)
            self.too_wide += [problem for problem in getattr(flowable, "fit_problems", []) if problem not in self.too_wide]
            if isinstance(flowable, TextBlock):
                units, splits, chars = (flowable.style.leading,) * len(flowable._lines), False, len(flowable.text)
            else:
                units, splits, chars = flowable.units(), flowable.splits, flowable.chars
            out.append(planning.Item(units, round(flowable.spaceBefore, 3), round(flowable.spaceAfter, 3),
                                     bool(getattr(flowable, "keepWithNext", False)), splits, chars,
                                     getattr(flowable, "new_page", False)))
        return out

    def caption_height(self, block, width: float, path: str) -> float:
        caption = getattr(block, "caption", None)
        if not caption:
            return 0.0
        style = self.styles.caption
        return len(self.lines(self.tr(caption, f"{path}.caption"), style, width)) * style.leading + CAPTION_GAP

    def caption_width(self, block, width: float) -> float:
        """A caption is as wide as its picture; under a full-bleed one, as wide as the text."""
        return self.geometry.trim_width - MARGIN_INNER - MARGIN_OUTER if kind_of(block).placed.span(block) else width

    def check_slot_height(self, block, path: str, width: float, aspect: float) -> None:
        """A picture or chart taller than the text area (at the smallest scale) cannot be placed: say what to set."""
        room = self.area.height - self.caption_height(block, self.caption_width(block, width), path)
        tall = width * aspect * planning.IMAGE_SCALES[-1]
        if tall > room:
            kind = kind_of(block).key
            fits = room / aspect / planning.IMAGE_SCALES[-1]
            raise PubkitError(f"the {kind} is {tall / mm:.0f} mm tall at {width * planning.IMAGE_SCALES[-1] / mm:.0f} mm "
                              f"wide, more than the {room / mm:.0f} mm a page has for it",
                              file=self.edition.spec_file, line=self.brochure.line_of(path), key=path,
                              fix=f"give it height: {room / mm * 0.9:.0f}mm or less (the picture is fitted into it), "
                                  f"or width: {fits / mm:.0f}mm or less")

    def measure(self) -> planning.Measure:
        sections = []
        body_chars = body_lines = 0
        for k, section in enumerate(self.brochure.sections):
            levels = {}
            placed = []
            for step in planning.LADDER:
                flow, placed = self.section_flow(k, step)
                levels[step] = self.items(flow)
                if step == 0:
                    for flowable in flow[1:]:
                        if isinstance(flowable, TextBlock):
                            body_chars += len(flowable.text)
                            body_lines += len(flowable._lines)
            measured = []
            for after, block, path in placed:
                kind = kind_of(block)
                width, aspect = kind.placed.size(self, block, path)
                self.check_slot_height(block, path, width, aspect)
                captions = {str(scale): round(self.caption_height(block, self.caption_width(block, width * scale), path), 3)
                            for scale in planning.IMAGE_SCALES}
                measured.append(planning.ImageMeasure(round(aspect, 6), round(width, 3), captions, after,
                                                      kind.placed.span(block)))
            chars = sum(item.chars for item in levels[0])
            sections.append(planning.SectionMeasure(self.tr(section.heading, f"sections[{k}].heading"), levels,
                                                    measured, chars))
        self.fixed_pages_fit()
        return planning.Measure(self.edition.language, sections, self.styles.body.leading,
                                round(body_chars / max(body_lines, 1), 1))

    # -- fixed pages: they fit, or the build stops --------------------------------------------
    def cover_blocks(self) -> tuple[list, list[float]]:
        g = self.geometry
        s = self.styles
        cover = self.brochure.cover
        inner = g.trim_width - 2 * MARGIN_OUTER
        blocks = [_segment(TextBlock(self.tr(self.brochure.publisher, "publisher").upper(),
                                     replace(s.cover_sub, size=8, leading=11)), "publisher")]
        blocks.append(Space(1, 4 * mm))
        title, sub = (replace(style, size=round(style.size * k, 2), leading=round(style.leading * k, 2))
                      for style, k in ((s.cover_title, self.cover_scale), (s.cover_sub, max(self.cover_scale, 0.85))))
        blocks.append(_segment(TextBlock(self.title, title), "title"))
        if self.brochure.subtitle:
            blocks += [Space(1, 3 * mm), _segment(TextBlock(self.tr(self.brochure.subtitle, "subtitle"), sub),
                                                  "subtitle")]
        if cover.tagline:
            blocks += [Space(1, 2 * mm), _segment(TextBlock(self.tr(cover.tagline, "cover.tagline"),
                                                            replace(s.cover_sub, chain=self.bold, size=10, leading=14)),
                                                  "cover.tagline")]
        return blocks, [block.wrap(inner, g.trim_height)[1] for block in blocks]

    def cover_band(self) -> tuple[float, float]:
        """(top of the front cover's text, bottom of its title band): set by the trim, not by the text."""
        g = self.geometry
        top = g.origin + g.trim_height - COVER_TOP * self.cover_scale
        if self.brochure.cover.logo:
            top -= self.logo_height + 5 * mm
        # narrower trims set the title smaller, but on shorter lines: their band takes a larger share
        return top, g.origin + g.trim_height * (1 - min(COVER_BAND_MAX, COVER_BAND / self.cover_scale))

    def back_places(self, pages: int) -> dict[str, float]:
        """Where the back cover's parts go: all set by the trim and the spec's keys, none by the text."""
        g = self.geometry
        band = g.origin + g.trim_height * (1 - BACK_BAND)
        foot = g.origin + MARGIN_BOTTOM
        if not self.brochure.format.cover_paper:  # a self-cover prints the colophon here
            foot += COLOPHON_LINES * self.colophon_style.leading + 5 * mm
        back = self.brochure.back_cover
        row_height = self.qr_size if back and back.qr else self.logo_height if back and back.logo else 0.0
        logo_room = 0.0
        if back and back.logo:
            width, height = self.pixel_size(back.logo, "back_cover.logo")
            logo_room = min(self.logo_height * width / height, self.text_width / 3) + 5 * mm
        # the code's quiet zone stays free of ink: the text keeps at least that far above and beside it
        quiet = covers.quiet_zone(back.qr.url_for(self.edition.language), self.qr_size) if back and back.qr else 0.0
        gap = max(5 * mm, quiet)
        return {"band": band, "text_top": band - 1.5 * mm - 9 * mm, "row": foot,
                "text_bottom": foot + row_height + (max(6 * mm, quiet) if row_height else 0.0),
                "qr_gap": gap, "qr_text_width": self.text_width - self.qr_size - gap - logo_room}

    def fixed_pages_fit(self, pages: int = 100) -> None:
        """:meth:`check_fixed_pages` for print; a draft proof (say, of a machine draft) is made anyway with a
        warning, its text running past its place, so that the translator sees how much is too long."""
        try:
            self.check_fixed_pages(pages)
        except PubkitError as problem:
            if not self.edition.draft:
                raise
            note = f"{problem.problem}; {problem.fix}" if problem.fix else problem.problem
            if note not in self.fit_notes:
                self.fit_notes.append(note)

    def check_fixed_pages(self, pages: int = 100) -> None:
        """The cover, back cover and colophon fit their fixed places, or the build stops saying what is too long.

        ``pages`` is the edition's page count when known; before the plan, a three-digit stand-in.
        """
        g = self.geometry
        language = self.edition.language
        where = {"file": self.edition.spec_file}
        _, heights = self.cover_blocks()
        text_top, band_bottom = self.cover_band()
        room = text_top - band_bottom - 6 * mm
        if sum(heights) > room:
            over = sum(heights) - room
            raise PubkitError(f"the {language} cover's title, subtitle and tagline take {sum(heights) / mm:.0f} mm, "
                              f"{over / mm:.0f} mm more than the cover's title band has",
                              line=self.brochure.line_of("title"), key="title",
                              fix=f"shorten the {language} title, subtitle or tagline", **where)
        places = self.back_places(pages)
        blocks = self.back_cover()
        height = sum(block.wrap(self.text_width, g.trim_height)[1] + getattr(block, "spaceAfter", 0)
                     for block in blocks)
        room = places["text_top"] - places["text_bottom"]
        if height > room:
            line = self.styles.back_body.leading
            lines = int(-(-(height - room) // line))
            raise PubkitError(f"the {language} back cover is {lines} line{'s' if lines > 1 else ''} too long for its page "
                              f"(about {lines * max(int(self.text_width / (self.styles.back_body.size * 0.5)), 1)} "
                              "characters)", line=self.brochure.line_of("back_cover"), key="back_cover",
                              fix=f"shorten the {language} back-cover text or contact block", **where)
        qr_text = self.qr_blocks(places["qr_text_width"])
        tall = sum(block.height for block in qr_text)
        if tall > self.qr_size:
            raise PubkitError(f"the {language} QR label and address are {tall / mm:.0f} mm tall, more than the "
                              f"{self.qr_size / mm:.0f} mm code beside them", line=self.brochure.line_of("back_cover.qr"),
                              key="back_cover.qr", fix=f"shorten the {language} QR label or the address", **where)
        _, lines = self.colophon_lines(pages)
        if self.brochure.format.cover_paper:
            page, limit = "inside back cover", int(self.area.height * 0.4 // self.colophon_style.leading)
        else:
            page, limit = "back cover", COLOPHON_LINES
        if lines > limit:
            raise PubkitError(f"the {language} colophon takes {lines} lines, {lines - limit} more than the {limit} "
                              f"it has at the foot of the {page}", line=self.brochure.line_of("publication"),
                              key="publication",
                              fix="shorten the printer's address or the licence's issuing authority", **where)

    def draw_running(self, canv, folio: int) -> None:
        g = self.geometry
        o = g.origin
        x0, _, x1, y1 = g.bleed_box
        canv.setFillColor(GREEN)
        canv.rect(x0, o + g.trim_height - 6 * mm, x1 - x0, y1 - (o + g.trim_height - 6 * mm), stroke=0, fill=1)
        s = self.styles.running
        page = folio
        width = g.trim_width - MARGIN_INNER - MARGIN_OUTER
        left = o + MARGIN_INNER
        baseline = o + g.trim_height - 12 * mm
        odd = page % 2 == 1
        draw_line(canv, self.title, replace(s, align="right" if odd else "left"), left, baseline, width)
        draw_line(canv, str(page), replace(s, align="right" if odd else "left", chain=self.bold),
                  left, o + 9 * mm, width)

    def finish_page(self, canv) -> None:
        if self.marks is not None:  # a review proof: ids in the slug and its own mark instead of DRAFT
            self.marks.finish(canv)
        elif self.edition.draft:
            self.draw_draft_mark(canv)
        self.geometry.draw_crop_marks(canv)

    def draw_draft_mark(self, canv) -> None:
        g = self.geometry
        style = TextStyle(self.bold, 30, 36, "words", color=DRAFT_INK)
        canv.saveState()
        canv.setFillAlpha(0.55)
        canv.translate(g.origin + g.trim_width / 2, g.origin + g.trim_height / 2)
        canv.rotate(55)
        width = self.bold.width(DRAFT_MARK, style.size)
        draw_line(canv, DRAFT_MARK, style, -width / 2, -style.size / 3, width)
        canv.restoreState()


    # -- drawing from the plan ------------------------------------------------------------------
    def column_x(self, column: int) -> float:
        return self.geometry.origin + MARGIN_INNER + column * (self.column_width + GUTTER)

    @property
    def area_top(self) -> float:
        return self.geometry.origin + self.geometry.trim_height - MARGIN_TOP

    def inside_pages(self, plan: planning.Plan) -> dict[int, list]:
        """What goes on each inside page: (x, y of the bottom, flowable), from the same paginator as the plan."""
        pages: dict[int, list] = {}
        reserve = planning.reserves(plan.slots, self.area.image_gap, self.area.columns)
        state = planning.Pos(0, 0, 0.0, True)
        fits = plan.fits[self.edition.language]
        for k in range(len(self.brochure.sections)):
            if plan.modes[k] == "break":
                state = planning.Pos(plan.starts[k], 0, 0.0, True)
            flow, _ = self.section_flow(k, fits[k])
            items = self.items(flow)
            flowed = planning.flow(items, state, self.area, reserve)
            for index, first, end, page, column, y in flowed.placements:
                part = self.part(flow[index], first, end)
                part.first_unit = first  # where a segment starts (a review proof marks it there)
                height = part.wrap(self.column_width, 1e6)[1]
                pages.setdefault(page, []).append((self.column_x(column), self.area_top - y - height, part))
            ends = [s.page for s in plan.slots if s.section == k]
            state = planning._after(flowed, max([flowed.last_page] + ends))
        return pages

    def emptiest_page(self, plan: planning.Plan, placed: dict[int, list]) -> tuple[int, float]:
        """(inside page, share of its text area left empty) of the emptiest page with sections, as drawn.

        The plan holds every column but a section's last to its full-foot rule (its "largest empty
        foot"); a section that ends early, before one that starts a new page, can still leave most of
        a page empty in a shorter language. This says where, so the report does not hide it.
        """
        reserve = planning.reserves(plan.slots, self.area.image_gap, self.area.columns)
        bottom = self.area_top - self.area.height
        columns = [self.column_x(column) for column in range(self.columns)]
        worst = (0, 0.0)
        for page in range(plan.pages):
            lowest: dict[float, float] = {}  # column x -> bottom of its lowest block
            for x, y, _ in placed.get(page, []):
                lowest[x] = min(y, lowest.get(x, y))
            empty = 0.0
            for column, x in enumerate(columns):
                top, foot = reserve.get((page, column), (0.0, 0.0))
                text_bottom = lowest.get(x, self.area_top - top)  # no text: all but the images
                empty += max(0.0, text_bottom - (bottom + foot))
            share = empty / (self.columns * self.area.height)
            if share > worst[1] + 1e-9:
                worst = (page, share)
        return worst

    def part(self, flowable, first: int, end: int):
        """The piece of ``flowable`` that draws units first…end-1 (lines of a text block, rows of a table)."""
        if not isinstance(flowable, TextBlock):
            return flowable.part(first, end) if flowable.splits else flowable
        lines = flowable._lines
        if (first, end) == (0, len(lines)):
            return flowable
        part = TextBlock(flowable.text, flowable.style, bullet=flowable.bullet if first == 0 else None,
                         indent=flowable.indent, lines=lines[first:end])
        return _segment(part, getattr(flowable, "segment", None))

    def draw_slot(self, canv, slot: planning.Slot) -> None:
        """A slot-placed block (image, chart) in the box the plan gave it, and its caption under it."""
        path, block = [(path, block) for path, block in self.blocks(slot.section) if kind_of(block).placed][slot.image]
        kind = kind_of(block)
        box_width, aspect = kind.placed.size(self, block, path)  # an image's size reads its file: once
        span = kind.placed.span(block)
        width = self.span_width if span else box_width * slot.scale
        height = slot.box or width * aspect
        top = 0.0 if slot.anchor == "top" else self.area.height - slot.height
        x = self.geometry.bleed_box[0] if span else self.column_x(slot.column) + (self.column_width - width) / 2
        kind.placed.draw(self, canv, block, path, x, self.area_top - top - height, width, height)
        caption = getattr(block, "caption", None)
        if caption:
            style = self.styles.caption
            text_x = self.column_x(0) if span else x
            text = self.tr(caption, f"{path}.caption")
            caption = _segment(TextBlock(text, style, lines=self.lines(text, style, self.caption_width(block, width))),
                               f"{path}.caption")
            caption_height = caption.wrap(self.caption_width(block, width), 1e6)[1]
            self.mark(canv, caption, text_x, self.area_top - top - height - CAPTION_GAP - caption_height)
            caption.drawOn(canv, text_x, self.area_top - top - height - CAPTION_GAP - caption_height)

    def draw_notes(self, canv, heading_key: str = "notes", bottom: float | None = None) -> None:
        """A designed page: a heading in the edition's language and ruled lines to write on (down to ``bottom``)."""
        s = self.styles
        language = self.edition.language
        title = UI[heading_key].get(language, UI[heading_key]["en"])
        heading = TextBlock(title, s.heading)
        height = heading.wrap(self.area.column_width, 1e6)[1]
        left = self.geometry.origin + MARGIN_INNER
        width = self.geometry.trim_width - MARGIN_INNER - MARGIN_OUTER
        heading.drawOn(canv, left, self.area_top - height)
        canv.saveState()
        overprint(canv, INK)
        canv.setStrokeColor(INK)
        canv.setLineWidth(0.4)
        y = self.area_top - height - 12 * mm
        bottom = bottom or self.geometry.origin + MARGIN_BOTTOM
        while y >= bottom:
            canv.line(left, y, left + width, y)
            y -= 9 * mm
        canv.restoreState()

    def draw_contents(self, canv, plan: planning.Plan, folio_offset: int) -> None:
        """The inside front cover of a separate cover: the sections and the pages they start on."""
        s = self.styles
        title = UI["contents"].get(self.edition.language, UI["contents"]["en"])
        left = self.geometry.origin + MARGIN_INNER
        width = self.geometry.trim_width - MARGIN_INNER - MARGIN_OUTER
        heading = TextBlock(title, s.heading)
        top = self.area_top - heading.wrap(width, 1e6)[1]
        heading.drawOn(canv, left, top)
        top -= 6 * mm
        entry = replace(s.body, justify=False)
        for k, section in enumerate(self.brochure.sections):
            block = TextBlock(self.tr(section.heading, f"sections[{k}].heading"), entry)
            height = block.wrap(width - 12 * mm, 1e6)[1]
            if top - height < self.geometry.origin + MARGIN_BOTTOM:
                break
            block.drawOn(canv, left, top - height)
            draw_line(canv, str(plan.starts[k] + folio_offset), replace(entry, align="right"), left,
                      top - first_baseline(entry), width)
            top -= height + entry.leading * 0.5

    def note_long_headings(self) -> None:
        """A build warning for each section heading that takes more than two lines (docs/print.md promised it,
        and only the cover title had one): a heading of five lines built without a word."""
        style = self.fitted(0).heading  # a ladder step moves the space around a heading, never its lines
        for k, section in enumerate(self.brochure.sections):
            where = f"sections[{k}].heading"
            count = len(self.lines(self.tr(section.heading, where), style, self.column_width))
            if count > HEADING_LINES:
                self.fit_notes.append(f"{where} takes {count} lines; a heading should take {HEADING_LINES} "
                                      "at most: shorten it")

    def render(self, plan: planning.Plan) -> EditionResult:
        from reportlab import rl_config
        from reportlab.pdfgen.canvas import Canvas

        self.check_glyphs()
        self.note_long_headings()
        self.fixed_pages_fit(plan.inside + (4 if self.brochure.format.cover_paper else 2))
        cover = self.brochure.cover.image
        self.cover_image = self.image(cover, "cover.image") if cover else None
        rl_config.invariant = 1  # reproducible output: fixed IDs, no time stamps
        rl_config.useA85 = 0  # binary image streams: ReportLab's pure-Python ASCII85 took 10 of 24 s (profiled)
        g = self.geometry
        separate = bool(self.brochure.format.cover_paper)
        folio_offset = 3 if separate else 2  # inside page 0 is page 3 after a separate cover, else page 2

        def new_canvas(buffer):
            canv = Canvas(buffer, pagesize=g.media_size, invariant=1, enforceColorSpace="cmyk", pageCompression=1,
                          initialFontName=self.regular.names[0], trimBox=g.trim_box, bleedBox=g.bleed_box,
                          lang=self.edition.language)
            canv.setTitle(markup.plain(self.title))  # document metadata holds words, never tags
            canv.setAuthor(markup.plain(self.tr(self.brochure.publisher, "publisher")))
            canv.setSubject(markup.plain(self.tr(self.brochure.subtitle, "subtitle")) if self.brochure.subtitle
                            else markup.plain(self.title))
            canv.setCreator("pubkit")
            return canv

        def finish(canv):
            self.finish_page(canv)
            canv.showPage()

        placed = self.inside_pages(plan)
        slots: dict[int, list] = {}
        for slot in plan.slots:
            slots.setdefault(slot.page, []).append(slot)
        body = io.BytesIO()
        canv = new_canvas(body)
        if not separate:
            self.draw_cover(canv)
            finish(canv)
        for page in range(plan.inside):
            self.draw_running(canv, page + folio_offset)
            if page >= plan.pages:
                self.draw_notes(canv)
            for slot in slots.get(page, []):
                self.draw_slot(canv, slot)
            for x, y, flowable in placed.get(page, []):
                self.mark(canv, flowable, x, y)
                flowable.drawOn(canv, x, y)
            finish(canv)
        if not separate:
            self.draw_back(canv, plan.inside + 2)
            finish(canv)
        canv.save()
        self.result.pdf = body.getvalue()
        self.result.pages = plan.inside + (0 if separate else 2)
        if separate:
            buffer = io.BytesIO()
            canv = new_canvas(buffer)
            self.draw_cover(canv)
            finish(canv)
            self.draw_contents(canv, plan, folio_offset)
            finish(canv)
            pages = plan.inside + 4
            top = self.draw_colophon(canv, pages, g.origin + MARGIN_BOTTOM)
            # the ruled lines stop at the same height in every edition (a shorter Korean colophon gave it one
            # line more, its colophon lower): room for COLOPHON_LINES, unless this colophon is taller
            room = g.origin + MARGIN_BOTTOM + COLOPHON_LINES * self.colophon_style.leading
            self.draw_notes(canv, bottom=max(top, room) + 6 * mm)
            finish(canv)
            self.draw_back(canv, pages)
            finish(canv)
            canv.save()
            self.result.cover_pdf = buffer.getvalue()
            self.result.cover_pages = 4
        language = self.edition.language
        fits = plan.fits[language]
        emptiest, empty_share = self.emptiest_page(plan, placed)
        self.result.layout = {
            "fit": {planning.describe(step): fits.count(step) for step in sorted(set(fits))},
            "pages": self.result.pages + self.result.cover_pages,
            "largest_empty_foot": plan.feet[language],
            "emptiest_page": [emptiest + folio_offset, round(empty_share, 4)],
            "sections_start": [start + folio_offset for start in plan.starts],
            "notes_pages": plan.notes_pages,
        }
        problems = [f"'{word}' is wider than its column and was broken" if "wider than its column" not in word
                    else word for word in self.too_wide]
        self.result.warnings += [f"{language} edition: {note}" for note in self.fit_notes + problems]
        return self.result


def _segment(flowable, path: str | None):
    """Tag ``flowable`` with the spec path of the segment it sets (what a review proof marks)."""
    flowable.segment = path
    return flowable


def _takes_path(translate) -> bool:
    """Whether ``translate`` can be asked by place (``translate(text, path=...)``); a plain text→text callable is not."""
    try:
        parameters = inspect.signature(translate).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(p.name == "path" or p.kind is p.VAR_KEYWORD for p in parameters)


def shareable(breaks: dict) -> dict:
    """An edition's line breaks (:attr:`Edition.breaks` after :func:`measure`) without their font objects, to
    pickle: rendering then sets the lines measuring broke instead of breaking them again (3 of 12 s CPU of a
    cold sample build, profiled); the faces are re-attached on use."""
    return {key: ([replace(line, faces=()) for line in lines], words) for key, (lines, words) in breaks.items()}


def measure(edition: Edition) -> planning.Measure:
    """One edition's sections at every copyfit step: line breaking only, no PDF."""
    layout = _Layout(edition)
    layout.check_glyphs()
    return layout.measure()


def page_area(brochure: model.Brochure) -> planning.PageArea:
    g = Geometry.from_mm(brochure.format.trim_mm, brochure.format.bleed)
    text_width = g.trim_width - MARGIN_INNER - MARGIN_OUTER
    columns = columns_for(text_width)
    return planning.PageArea(round(g.trim_height - MARGIN_TOP - MARGIN_BOTTOM, 3), columns,
                             round((text_width - (columns - 1) * GUTTER) / columns, 3), IMAGE_GAP)


def plan_editions(brochure: model.Brochure, spec_file: Path, measures: dict[str, planning.Measure]) -> planning.Plan:
    """The brochure's one page plan, or a one-line error naming what each language must cut."""
    fmt = brochure.format
    fixed = 4 if fmt.cover_paper else 2
    multiple = PAGE_MULTIPLE[fmt.binding]
    try:
        plan = planning.make_plan(measures, page_area(brochure),
                                  new_page=[section.new_page for section in brochure.sections],
                                  multiple=multiple, fixed_pages=0 if fmt.cover_paper else 2)
    except planning.PlanFailure as failure:
        k = failure.section
        heading = brochure.sections[k].heading
        if failure.reason == "heading":
            spans = ", ".join(f"{lines} lines in {language} ({chars:,} characters)"
                              for language, (lines, chars) in failure.cuts.items())
            raise PubkitError(f"the heading of sections[{k}] '{heading[:40]}' is too long for a page: it takes "
                              f"{spans}", file=spec_file, line=brochure.line_of(f"sections[{k}].heading"),
                              key=f"sections[{k}].heading",
                              fix="shorten the heading to a line or two and move the rest into the section's "
                                  "first paragraph") from None
        cuts = ", ".join(f"{language} {lines} lines (about {chars} characters)"
                         for language, (lines, chars) in failure.cuts.items())
        raise PubkitError(f"the page plan cannot fit every language in sections[{k}] '{heading[:40]}': cut {cuts}",
                          file=spec_file, line=brochure.line_of(f"sections[{k}]"), key=f"sections[{k}]",
                          fix="shorten those translations (or the source) by that much, or split the section") from None
    total = plan.inside + fixed
    limit = fmt.max_pages
    if limit and total > limit:
        first = next(iter(measures))
        raise PubkitError(f"the {first} edition has {total} pages, more than max_pages {limit}",
                          file=spec_file, line=brochure.line_of("format.max_pages"), key="format.max_pages",
                          fix="shorten the text, or raise max_pages")
    return plan


def typeset(edition: Edition) -> EditionResult:
    """Typeset one edition from the brochure's plan; raises :class:`PubkitError` for anything the user must fix.

    Without a plan (a library caller with one edition), the plan is made from this edition alone.
    """
    layout = _Layout(edition)
    plan = edition.plan
    if plan is None:
        layout.check_glyphs()
        plan = plan_editions(edition.brochure, edition.spec_file, {edition.language: layout.measure()})
    return layout.render(plan)
