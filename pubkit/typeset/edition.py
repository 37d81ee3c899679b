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
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from reportlab.lib.colors import CMYKColor
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from pubkit.errors import PubkitError
from pubkit.project import Project
from pubkit.spec import model
from pubkit.spec.model import PAGE_MULTIPLE
from pubkit.spec.segments import segments
from pubkit.typeset import fonts, images
from pubkit.typeset import plan as planning
from pubkit.typeset.blocks import BODY_BLACK, FigureTable, TextBlock, TextStyle, break_lines, draw_line
from pubkit.typeset.numbers import figure_parts
from pubkit.typeset.pages import Geometry
from pubkit.typeset.review import REVIEW_SLUG, Marks, Review

GREEN = CMYKColor(0.80, 0.20, 0.95, 0.25)
TEAL = CMYKColor(0.90, 0.40, 0.35, 0.30)
GOLD = CMYKColor(0.0, 0.35, 0.90, 0.0)
INK = BODY_BLACK  # every language-dependent mark of an inside page: 100 % K, overprinting
WHITE = CMYKColor(0, 0, 0, 0)
DRAFT_INK = CMYKColor(0, 0.75, 0.10, 0)
DRAFT_MARK = "DRAFT – not for print"

COVER_TITLE_LINES = 3
HEADING_LINES = 2
MARGIN_INNER, MARGIN_OUTER, MARGIN_TOP, MARGIN_BOTTOM = 15 * mm, 15 * mm, 19 * mm, 16 * mm
GUTTER = 6 * mm
IMAGE_GAP = 4.5 * mm  # between an image's block (image and caption space) and the text
CAPTION_GAP = 2 * mm  # between an image and its caption
BACK_TOP, BACK_BOTTOM = 45 * mm, 25 * mm
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
    Chinese get a size that makes the column a whole number of ems, so full lines fill it exactly.
    """
    wide = mean_advance > 0.7
    most = (CJK_PER_LINE if wide else LATIN_PER_LINE)[1] - (1 if wide else 3)
    size = min(max(MIN_SIZE[wrap], column / (most * mean_advance)), MAX_SIZE)
    if wrap == "cjk":
        size = column / int(column / size)
    return round(size, 3)


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
            cover_title=replace(plain, chain=bold, size=22 if not cjk else 21, leading=29, color=WHITE, balance=True),
            cover_sub=replace(plain, size=11, leading=15, color=WHITE, balance=True),
            back_heading=replace(plain, chain=bold, size=16, leading=21, color=WHITE, space_after=8, balance=True),
            back_body=replace(plain, size=9.5, leading=14.5, color=WHITE, space_after=6, justify=True),
            figure_unit=replace(plain, size=round(size * 0.94, 2), leading=12),
        )


class _Layout:
    def __init__(self, edition: Edition):
        self.edition = edition
        self.brochure = edition.brochure
        self._by_path = _takes_path(edition.translate)
        self.marks = None
        setup = edition.project.language(edition.language, edition.spec_file)
        self.texts = self.printed_texts()
        families = fonts.families_needed(setup.families, "".join(text for _, text in self.texts))
        self.regular = fonts.FontChain.for_families(families, bold=False)
        self.bold = fonts.FontChain.for_families(families, bold=True)
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
        self._breaks: dict = {}
        g = self.geometry
        self.area = planning.PageArea(round(g.trim_height - MARGIN_TOP - MARGIN_BOTTOM, 3), self.columns,
                                      round(self.column_width, 3), IMAGE_GAP)

    def tr(self, text: str, path: str | None = None) -> str:
        """The text to print for ``text`` (at spec ``path`` when known: a context entry there wins)."""
        if path is not None and self._by_path:
            return unicodedata.normalize("NFC", self.edition.translate(text, path=path))
        return unicodedata.normalize("NFC", self.edition.translate(text))

    def mark(self, canv, flowable, x: float, y: float) -> None:
        """A review proof's tint and id for ``flowable`` (drawn next at x, y); nothing in print."""
        if self.marks is not None:
            self.marks.block(canv, flowable, x, y)

    # -- checks before layout -------------------------------------------------------------
    def printed_texts(self) -> list[tuple[str, str]]:
        texts = [(segment.path, self.tr(segment.text, segment.path)) for segment in segments(self.brochure)]
        contact = self.brochure.back_cover.contact if self.brochure.back_cover else None
        if contact:
            texts += [(f"back_cover.contact.{name}", getattr(contact, name))
                      for name in ("phone", "email", "website") if getattr(contact, name)]
        for index, section in enumerate(self.brochure.sections):
            for b, block in enumerate(section.content):
                if isinstance(block, model.Figures):
                    where = f"sections[{index}].content[{b}].figures"
                    texts += [(f"{where}[{i}].value", "".join(self.figure(row, f"{where}[{i}]")[:2]))
                              for i, row in enumerate(block.figures)]
        texts.append(("draft mark", DRAFT_MARK if self.edition.draft else ""))
        texts.append(("page numbers and figures", "0123456789\u00a0"))
        return texts

    def check_glyphs(self) -> None:
        for chain in (self.regular, self.bold):
            fonts.check_coverage(chain, self.texts, language=self.edition.language, spec_file=self.edition.spec_file)

    def image(self, relative: str, key: str):
        where = {"key": key, "line": self.brochure.line_of(key)}
        path = self.edition.project.inside(relative, file=self.edition.spec_file, **where)
        return images.load_cmyk(path, spec_file=self.edition.spec_file, profile=self.edition.output_profile,
                                **where)

    def figure(self, row, path: str | None = None) -> tuple[str, str, str]:
        unit = self.tr(row.unit, f"{path}.unit" if path else None) if row.unit else ""
        return figure_parts(row.value, row.unit or "", unit, self.edition.language, self.brochure.source_language)

    def back_cover(self) -> list:
        back = self.brochure.back_cover
        s = self.styles
        parts: list = []
        if back and back.heading:
            parts.append(_segment(TextBlock(self.tr(back.heading, "back_cover.heading"), s.back_heading),
                                  "back_cover.heading"))
        if back and back.text:
            parts.append(_segment(TextBlock(self.tr(back.text, "back_cover.text"), s.back_body), "back_cover.text"))
        contact = back.contact if back else None
        if contact:
            parts.append(Spacer(1, 6 * mm))
            where = "back_cover.contact.organisation"
            parts.append(_segment(TextBlock(self.tr(contact.organisation, where), replace(s.back_body, chain=self.bold)),
                                  where))
            where = "back_cover.contact.address"
            for path, value in ((where, self.tr(contact.address, where) if contact.address else None),
                                (None, contact.phone), (None, contact.email), (None, contact.website)):
                if value:
                    parts.append(_segment(TextBlock(value, replace(s.back_body, space_after=2)), path))
        parts.append(Spacer(1, 8 * mm))
        parts.append(_segment(TextBlock(self.tr(self.brochure.publisher, "publisher"),
                                        replace(s.back_body, chain=self.bold)), "publisher"))
        return parts

    def full_bleed(self, canv, color) -> None:
        x0, y0, x1, y1 = self.geometry.bleed_box
        canv.setFillColor(color)
        canv.rect(x0, y0, x1 - x0, y1 - y0, stroke=0, fill=1)

    def draw_cover(self, canv) -> None:
        g = self.geometry
        x0, y0, x1, y1 = g.bleed_box
        cover = self.brochure.cover
        if self.cover_image is not None:
            from reportlab.lib.utils import ImageReader

            # fill the bleed box, keeping the image's proportions; what overhangs is clipped
            scale = max((x1 - x0) / self.cover_image.width, (y1 - y0) / self.cover_image.height)
            width, height = self.cover_image.width * scale, self.cover_image.height * scale
            canv.saveState()
            clip = canv.beginPath()
            clip.rect(x0, y0, x1 - x0, y1 - y0)
            canv.clipPath(clip, stroke=0, fill=0)
            canv.drawImage(ImageReader(self.cover_image), (x0 + x1 - width) / 2, (y0 + y1 - height) / 2,
                           width=width, height=height)
            canv.restoreState()
        else:
            self.full_bleed(canv, TEAL)
        left = g.origin + MARGIN_OUTER
        blocks, heights = self.cover_blocks()
        title_lines = len(blocks[2]._lines)
        if title_lines > COVER_TITLE_LINES:
            self.fit_notes.append(f"cover title takes {title_lines} lines; {COVER_TITLE_LINES} fit its band")
        band_bottom = g.origin + g.trim_height - 16 * mm - sum(heights) - 12 * mm
        canv.saveState()
        canv.setFillColor(GREEN)
        canv.setFillAlpha(0.88)
        canv.rect(x0, band_bottom, x1 - x0, y1 - band_bottom, stroke=0, fill=1)
        canv.restoreState()
        canv.setFillColor(GOLD)
        canv.rect(x0, band_bottom - 1.5 * mm, x1 - x0, 1.5 * mm, stroke=0, fill=1)
        top = g.origin + g.trim_height - 16 * mm
        for block, height in zip(blocks, heights):
            top -= height
            self.mark(canv, block, left, top)
            block.drawOn(canv, left, top)

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
        """Lines of a text block, broken once per text, setting and width (the ladder shares them)."""
        text = TextBlock(text, style).text
        key = (text, id(style.chain), style.size, style.wrap, style.tracking, style.looseness, style.justify,
               style.balance, style.language, round(width, 3))
        if key not in self._breaks:
            too_wide: list[str] = []
            self._breaks[key] = break_lines(text, style, width, too_wide)
            self.too_wide += [word for word in too_wide if word not in self.too_wide]
        return self._breaks[key]

    def text_block(self, text: str, style: TextStyle, **options) -> TextBlock:
        indent = options.get("indent", 0.0)
        return TextBlock(text, style, lines=self.lines(text, style, self.column_width - indent), **options)

    def section_flow(self, k: int, step: int) -> tuple[list, list]:
        """Section k at a ladder step: (flowables, images as (index of the flowable they follow, block, key))."""
        s = self.fitted(step)
        section = self.brochure.sections[k]
        where = f"sections[{k}].heading"
        flow: list = [_segment(self.text_block(self.tr(section.heading, where), s.heading, keep_with_next=True), where)]
        pictures = []
        for b, block in enumerate(section.content):
            key = f"sections[{k}].content[{b}]"
            match block:
                case model.Paragraph(text):
                    flow.append(_segment(self.text_block(self.tr(text, key), s.body), key))
                case model.Bullets(items):
                    parts = [_segment(self.text_block(self.tr(item, f"{key}.bullets[{i}]"), s.bullet, bullet="•",
                                                      indent=4 * mm), f"{key}.bullets[{i}]")
                             for i, item in enumerate(items)]
                    parts[-1].spaceAfter = s.body.space_after
                    flow += parts
                case model.ImageBlock():
                    pictures.append((len(flow) - 1, block, key))
                case model.Figures(rows):
                    cells = [(self.tr(row.label, f"{key}.figures[{i}].label"), self.figure(row, f"{key}.figures[{i}]"))
                             for i, row in enumerate(rows)]
                    table = FigureTable(cells, s.figure_label, s.figure_value, s.figure_unit, INK)
                    table.segments = [(f"{key}.figures[{i}].label", f"{key}.figures[{i}].unit" if row.unit else None)
                                      for i, row in enumerate(rows)]
                    table.spaceBefore = table.spaceAfter = round(s.figure_label.leading * 0.6 * planning.LADDER[step].spacing, 3)
                    flow.append(table)
        return flow, pictures

    def items(self, flow: list) -> list[planning.Item]:
        out = []
        for flowable in flow:
            flowable.wrap(self.column_width, 1e6)
            if isinstance(flowable, FigureTable):
                units = tuple(round(cell[-1], 3) for cell in flowable._cells)
                self.too_wide += flowable.fit_problems
                chars = sum(len(label) for label, _ in flowable.rows)
            else:
                units = (flowable.style.leading,) * len(flowable._lines)
                chars = len(flowable.text)
            out.append(planning.Item(units, round(flowable.spaceBefore, 3), round(flowable.spaceAfter, 3),
                                     bool(getattr(flowable, "keepWithNext", False)), isinstance(flowable, FigureTable), chars))
        return out

    def picture_width(self, block: model.ImageBlock) -> float:
        return min(block.width * mm if block.width else self.column_width, self.column_width)

    def caption_height(self, block: model.ImageBlock, width: float, key: str | None = None) -> float:
        if not block.caption:
            return 0.0
        style = self.styles.caption
        caption = self.tr(block.caption, f"{key}.caption" if key else None)
        return len(self.lines(caption, style, width)) * style.leading + CAPTION_GAP

    def measure(self) -> planning.Measure:
        sections = []
        body_chars = body_lines = 0
        for k, section in enumerate(self.brochure.sections):
            levels = {}
            pictures = []
            for step in planning.LADDER:
                flow, pictures = self.section_flow(k, step)
                levels[step] = self.items(flow)
                if step == 0:
                    for flowable in flow[1:]:
                        if isinstance(flowable, TextBlock):
                            body_chars += len(flowable.text)
                            body_lines += len(flowable._lines)
            measured = []
            for after, block, key in pictures:
                where = {"key": f"{key}.image", "line": self.brochure.line_of(f"{key}.image")}
                path = self.edition.project.inside(block.image, file=self.edition.spec_file, **where)
                pixels = images.pixel_size(path, spec_file=self.edition.spec_file, **where)
                width = self.picture_width(block)
                captions = {str(scale): round(self.caption_height(block, width * scale, key), 3)
                            for scale in planning.IMAGE_SCALES}
                measured.append(planning.ImageMeasure(round(pixels[1] / pixels[0], 6), round(width, 3),
                                                      captions, after))
            chars = sum(item.chars for item in levels[0])
            sections.append(planning.SectionMeasure(self.tr(section.heading, f"sections[{k}].heading"), levels,
                                                    measured, chars))
        self.check_fixed_pages()
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
        blocks.append(Spacer(1, 5 * mm))
        blocks.append(_segment(TextBlock(self.title, s.cover_title), "title"))
        if self.brochure.subtitle:
            blocks += [Spacer(1, 3 * mm), _segment(TextBlock(self.tr(self.brochure.subtitle, "subtitle"), s.cover_sub),
                                                   "subtitle")]
        if cover.tagline:
            blocks += [Spacer(1, 2 * mm), _segment(TextBlock(self.tr(cover.tagline, "cover.tagline"),
                                                             replace(s.cover_sub, color=GOLD)), "cover.tagline")]
        return blocks, [block.wrap(inner, g.trim_height)[1] for block in blocks]

    def check_fixed_pages(self) -> None:
        g = self.geometry
        language = self.edition.language
        _, heights = self.cover_blocks()
        room = g.trim_height - 16 * mm - 12 * mm - 40 * mm  # the band leaves the picture's lower part free
        if sum(heights) > room:
            over = sum(heights) - room
            raise PubkitError(f"the {language} cover's title, subtitle and tagline take {sum(heights) / mm:.0f} mm, "
                              f"{over / mm:.0f} mm more than the cover has", file=self.edition.spec_file,
                              line=self.brochure.line_of("title"), key="title",
                              fix=f"shorten the {language} title, subtitle or tagline")
        blocks = self.back_cover()
        width = g.trim_width - MARGIN_INNER - MARGIN_OUTER
        height = sum(block.wrap(width, g.trim_height)[1] + getattr(block, "spaceAfter", 0) for block in blocks)
        room = g.trim_height - BACK_TOP - BACK_BOTTOM
        if height > room:
            line = self.styles.back_body.leading
            lines = int(-(-(height - room) // line))
            raise PubkitError(f"the {language} back cover is {lines} lines too long for its page "
                              f"(about {lines * max(int(width / (self.styles.back_body.size * 0.5)), 1)} characters)",
                              file=self.edition.spec_file, line=self.brochure.line_of("back_cover"), key="back_cover",
                              fix=f"shorten the {language} back-cover text or contact block")

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

    def draw_back(self, canv) -> None:
        self.full_bleed(canv, GREEN)
        g = self.geometry
        x0, _, x1, _ = g.bleed_box
        canv.setFillColor(GOLD)
        canv.rect(x0, g.origin + g.trim_height - 32 * mm, x1 - x0, 1.5 * mm, stroke=0, fill=1)
        top = g.origin + g.trim_height - BACK_TOP
        left = g.origin + MARGIN_INNER
        width = g.trim_width - MARGIN_INNER - MARGIN_OUTER
        for block in self.back_cover():
            height = block.wrap(width, g.trim_height)[1]
            top -= height
            self.mark(canv, block, left, top)
            block.drawOn(canv, left, top)
            top -= getattr(block, "spaceAfter", 0)

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
        reserve = planning.reserves(plan.slots, self.area.image_gap)
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
            state = planning._after(flowed, max([flowed.last_page] + ends), [])
        return pages

    def part(self, flowable, first: int, end: int):
        if isinstance(flowable, FigureTable):
            if (first, end) == (0, len(flowable.rows)):
                return flowable
            part = FigureTable(flowable.rows[first:end], flowable.label_style, flowable.value_style,
                               flowable.unit_style, flowable.rule_color)
            part.segments = flowable.segments[first:end]
            return part
        lines = flowable._lines
        if (first, end) == (0, len(lines)):
            return flowable
        part = TextBlock(flowable.text, flowable.style, bullet=flowable.bullet if first == 0 else None,
                         indent=flowable.indent, lines=lines[first:end])
        return _segment(part, getattr(flowable, "segment", None))

    def draw_slot(self, canv, slot: planning.Slot) -> None:
        from reportlab.lib.utils import ImageReader

        section = self.brochure.sections[slot.section]
        blocks = [(b, block) for b, block in enumerate(section.content) if isinstance(block, model.ImageBlock)]
        b, block = blocks[slot.image]
        key = f"sections[{slot.section}].content[{b}]"
        picture = self.image(block.image, f"sections[{slot.section}].content[{b}].image")
        width = self.picture_width(block) * slot.scale
        height = width * picture.height / picture.width
        top = 0.0 if slot.anchor == "top" else self.area.height - slot.height
        x = self.column_x(slot.column) + (self.column_width - width) / 2
        canv.drawImage(ImageReader(picture), x, self.area_top - top - height, width=width, height=height)
        if block.caption:
            caption = self.text_block(self.tr(block.caption, f"{key}.caption"), self.styles.caption)
            caption = _segment(TextBlock(caption.text, self.styles.caption,
                                         lines=self.lines(caption.text, self.styles.caption, width)), f"{key}.caption")
            caption_height = caption.wrap(width, 1e6)[1]
            self.mark(canv, caption, x, self.area_top - top - height - CAPTION_GAP - caption_height)
            caption.drawOn(canv, x, self.area_top - top - height - CAPTION_GAP - caption_height)

    def draw_notes(self, canv, heading_key: str = "notes") -> None:
        """A designed page: a heading in the edition's language and ruled lines to write on."""
        s = self.styles
        language = self.edition.language
        title = UI[heading_key].get(language, UI[heading_key]["en"])
        heading = TextBlock(title, s.heading)
        height = heading.wrap(self.area.column_width, 1e6)[1]
        left = self.geometry.origin + MARGIN_INNER
        width = self.geometry.trim_width - MARGIN_INNER - MARGIN_OUTER
        heading.drawOn(canv, left, self.area_top - height)
        canv.saveState()
        _overprint(canv)
        canv.setStrokeColor(INK)
        canv.setLineWidth(0.4)
        y = self.area_top - height - 12 * mm
        bottom = self.geometry.origin + MARGIN_BOTTOM
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
                      top - first_baseline_of(entry), width)
            top -= height + entry.leading * 0.5

    def render(self, plan: planning.Plan) -> EditionResult:
        from reportlab import rl_config
        from reportlab.pdfgen.canvas import Canvas

        self.check_glyphs()
        self.check_fixed_pages()
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
            canv.setTitle(self.title)
            canv.setAuthor(self.tr(self.brochure.publisher, "publisher"))
            canv.setSubject(self.tr(self.brochure.subtitle, "subtitle") if self.brochure.subtitle else self.title)
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
            self.draw_back(canv)
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
            self.draw_notes(canv)
            finish(canv)
            self.draw_back(canv)
            finish(canv)
            canv.save()
            self.result.cover_pdf = buffer.getvalue()
            self.result.cover_pages = 4
        language = self.edition.language
        fits = plan.fits[language]
        self.result.layout = {
            "fit": {planning.describe(step): fits.count(step) for step in sorted(set(fits))},
            "pages": self.result.pages + self.result.cover_pages,
            "largest_empty_foot": plan.feet[language],
            "sections_start": [start + folio_offset for start in plan.starts],
            "notes_pages": plan.notes_pages,
        }
        problems = [f"'{word}' is wider than its column and was broken" if "key-figures" not in word else word
                    for word in self.too_wide]
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


def first_baseline_of(style: TextStyle) -> float:
    from pubkit.typeset.blocks import first_baseline

    return first_baseline(style)


def _overprint(canv) -> None:
    canv.setFillOverprint(True)
    canv.setStrokeOverprint(True)
    canv.setOverprintMask(1)


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
