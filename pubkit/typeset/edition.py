"""Lay out one language edition of a brochure as a print PDF.

Pages: a full-bleed cover, the sections flowing in one column, blank pages to complete the
binding's page multiple, and the back cover with the contact block as the last page.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from reportlab.lib.colors import CMYKColor
from reportlab.lib.units import mm
from reportlab.platypus import (ActionFlowable, BaseDocTemplate, CondPageBreak, Frame, NextPageTemplate,
                                PageBreak, PageBreakIfNotEmpty, PageTemplate, Spacer)

from pubkit.errors import PubkitError
from pubkit.project import Project
from pubkit.spec import model
from pubkit.spec.model import PAGE_MULTIPLE
from pubkit.spec.segments import segments
from pubkit.typeset import fonts, images
from pubkit.typeset.blocks import CaptionedImage, FigureTable, TextBlock, TextStyle, draw_line
from pubkit.typeset.numbers import figure_parts
from pubkit.typeset.pages import Geometry

GREEN = CMYKColor(0.80, 0.20, 0.95, 0.25)
TEAL = CMYKColor(0.90, 0.40, 0.35, 0.30)
GOLD = CMYKColor(0.0, 0.35, 0.90, 0.0)
TINT = CMYKColor(0.06, 0.0, 0.10, 0.0)
WHITE = CMYKColor(0, 0, 0, 0)
DRAFT_INK = CMYKColor(0, 0.75, 0.10, 0)
DRAFT_MARK = "DRAFT – not for print"

COVER_TITLE_LINES = 3
HEADING_LINES = 2
MARGIN_INNER, MARGIN_OUTER, MARGIN_TOP, MARGIN_BOTTOM = 15 * mm, 15 * mm, 19 * mm, 16 * mm
GUTTER = 6 * mm
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
    """What one edition needs: the spec, its language and the text to print for each source string."""

    brochure: model.Brochure
    spec_file: Path
    project: Project
    language: str
    translate: Callable[[str], str]
    draft: bool = False
    output_profile: bytes | None = None  # CMYK ICC profile for image conversion


@dataclass
class EditionResult:
    pdf: bytes
    pages: int
    blank_pages: int
    warnings: list[str] = field(default_factory=list)


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
            heading=replace(plain, chain=bold, size=13, leading=17, color=GREEN, space_before=8, space_after=5,
                            balance=True),
            caption=replace(plain, size=7.5, leading=10.5, color=TEAL),
            figure_label=replace(plain, size=round(size * 0.94, 2), leading=12),
            figure_value=replace(plain, chain=bold, size=9.5, leading=12, color=GREEN),
            running=replace(plain, size=7, leading=9, color=TEAL),
            cover_title=replace(plain, chain=bold, size=22 if not cjk else 21, leading=29, color=WHITE, balance=True),
            cover_sub=replace(plain, size=11, leading=15, color=WHITE, balance=True),
            back_heading=replace(plain, chain=bold, size=16, leading=21, color=WHITE, space_after=8, balance=True),
            back_body=replace(plain, size=9.5, leading=14.5, color=WHITE, space_after=6, justify=True),
            figure_unit=replace(plain, size=round(size * 0.94, 2), leading=12, color=GREEN),
        )


class _PadForBinding(ActionFlowable):
    """Insert blank pages so that, with the back cover, the page count suits the binding."""

    def __init__(self, multiple: int, result: EditionResult):
        super().__init__()
        self.multiple = multiple
        self.result = result

    def apply(self, doc):
        blanks = -(doc.page + 1) % self.multiple
        self.result.blank_pages = blanks
        for _ in range(blanks):
            doc.handle_nextPageTemplate("blank")
            doc.handle_pageBreak()
        doc.handle_nextPageTemplate("back")
        doc.handle_pageBreak()


def number_text(value: float, unit: str, language: str, source_unit: str | None = None,
                source_language: str = "vi") -> str:
    """A figure in the edition's locale: ``3.536,4 km²`` in vi, ``3,536.4 km²`` in en, ``78亿 美元`` in zh."""
    whole, rest, unit = figure_parts(value, unit if source_unit is None else source_unit, unit, language,
                                     source_language)
    number = whole + rest
    if not unit:
        return number
    return number + (unit if unit in ("%", "‰") else "\u00a0" + unit)


class _Layout:
    def __init__(self, edition: Edition):
        self.edition = edition
        self.brochure = edition.brochure
        self.tr = lambda text: unicodedata.normalize("NFC", edition.translate(text))
        setup = edition.project.language(edition.language, edition.spec_file)
        self.texts = self.printed_texts()
        families = fonts.families_needed(setup.families, "".join(text for _, text in self.texts))
        self.regular = fonts.FontChain.for_families(families, bold=False)
        self.bold = fonts.FontChain.for_families(families, bold=True)
        fmt = self.brochure.format
        self.geometry = Geometry.from_mm(fmt.trim_mm, fmt.bleed)
        text_width = self.geometry.trim_width - MARGIN_INNER - MARGIN_OUTER
        self.columns = columns_for(text_width)
        self.column_width = (text_width - (self.columns - 1) * GUTTER) / self.columns
        body_text = "".join(text for where, text in self.texts if where.startswith("sections"))[:20000] or "x"
        mean_advance = self.regular.width(body_text, 1.0) / len(body_text)
        self.styles = _Styles.for_language(self.regular, self.bold, setup.wrap, edition.language,
                                           body_size(self.column_width, setup.wrap, mean_advance))
        self.result = EditionResult(b"", 0, 0)
        self.title = self.tr(self.brochure.title)
        self.fit_notes: list[str] = []

    # -- checks before layout -------------------------------------------------------------
    def printed_texts(self) -> list[tuple[str, str]]:
        texts = [(segment.path, self.tr(segment.text)) for segment in segments(self.brochure)]
        contact = self.brochure.back_cover.contact if self.brochure.back_cover else None
        if contact:
            texts += [(f"back_cover.contact.{name}", getattr(contact, name))
                      for name in ("phone", "email", "website") if getattr(contact, name)]
        for index, section in enumerate(self.brochure.sections):
            for b, block in enumerate(section.content):
                if isinstance(block, model.Figures):
                    texts += [(f"sections[{index}].content[{b}].figures[{i}].value",
                               self.figure(row)[0] + self.figure(row)[1]) for i, row in enumerate(block.figures)]
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

    # -- story ---------------------------------------------------------------------------------
    def story(self) -> list:
        s = self.styles
        story: list = [NextPageTemplate("content"), PageBreak()]
        for index, section in enumerate(self.brochure.sections):
            if section.new_page:
                story.append(PageBreakIfNotEmpty())
            story.append(CondPageBreak(s.heading.leading + 5 * s.body.leading))
            story.append(TextBlock(self.tr(section.heading), s.heading, keep_with_next=True))
            for b, block in enumerate(section.content):
                story.extend(self.block(block, f"sections[{index}].content[{b}]"))
        story.append(_PadForBinding(PAGE_MULTIPLE[self.brochure.format.binding], self.result))
        story.extend(self.back_cover())
        return story

    def block(self, block: model.Block, key: str) -> list:
        s = self.styles
        match block:
            case model.Paragraph(text):
                return [TextBlock(self.tr(text), s.body)]
            case model.Bullets(items):
                parts = [TextBlock(self.tr(item), s.bullet, bullet="•", indent=4 * mm) for item in items]
                parts[-1].spaceAfter = s.body.space_after
                return parts
            case model.ImageBlock(image=relative, caption=caption, width=width):
                picture = self.image(relative, f"{key}.image")
                text_width = self.column_width
                placed = min(width * mm if width else text_width, text_width)
                return [CaptionedImage(picture, placed, self.tr(caption) if caption else None, s.caption)]
            case model.Figures(rows):
                cells = [(self.tr(row.label), self.figure(row)) for row in rows]
                return [FigureTable(cells, s.figure_label, s.figure_value, s.figure_unit, GREEN, TINT)]
        raise AssertionError(block)

    def figure(self, row) -> tuple[str, str, str]:
        unit = self.tr(row.unit) if row.unit else ""
        return figure_parts(row.value, row.unit or "", unit, self.edition.language, self.brochure.source_language)

    def back_cover(self) -> list:
        back = self.brochure.back_cover
        s = self.styles
        parts: list = []
        if back and back.heading:
            parts.append(TextBlock(self.tr(back.heading), s.back_heading))
        if back and back.text:
            parts.append(TextBlock(self.tr(back.text), s.back_body))
        contact = back.contact if back else None
        if contact:
            parts.append(Spacer(1, 6 * mm))
            parts.append(TextBlock(self.tr(contact.organisation), replace(s.back_body, chain=self.bold)))
            for value in (self.tr(contact.address) if contact.address else None,
                          contact.phone, contact.email, contact.website):
                if value:
                    parts.append(TextBlock(value, replace(s.back_body, space_after=2)))
        parts.append(Spacer(1, 8 * mm))
        parts.append(TextBlock(self.tr(self.brochure.publisher), replace(s.back_body, chain=self.bold)))
        return parts

    # -- pages ---------------------------------------------------------------------------------
    def templates(self) -> list[PageTemplate]:
        g = self.geometry
        o = g.origin
        width = g.trim_width - MARGIN_INNER - MARGIN_OUTER

        def frame(name: str, top: float, bottom: float, column: int = 0, columns: int = 1) -> Frame:
            column_width = (width - (columns - 1) * GUTTER) / columns
            return Frame(o + MARGIN_INNER + column * (column_width + GUTTER), o + bottom, column_width,
                         g.trim_height - top - bottom, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
                         id=f"{name}{column or ''}")

        body_frames = [frame("body", MARGIN_TOP, MARGIN_BOTTOM, column, self.columns) for column in range(self.columns)]

        return [
            PageTemplate("cover", [frame("cover", MARGIN_TOP, MARGIN_BOTTOM)], onPage=self.draw_cover,
                         onPageEnd=self.finish_page),
            PageTemplate("content", body_frames, onPage=self.draw_running,
                         onPageEnd=self.finish_page),
            PageTemplate("blank", [frame("blank", MARGIN_TOP, MARGIN_BOTTOM)], onPageEnd=self.finish_page),
            PageTemplate("back", [frame("back", 45 * mm, 25 * mm)], onPage=self.draw_back,
                         onPageEnd=self.finish_page),
        ]

    def full_bleed(self, canv, color) -> None:
        x0, y0, x1, y1 = self.geometry.bleed_box
        canv.setFillColor(color)
        canv.rect(x0, y0, x1 - x0, y1 - y0, stroke=0, fill=1)

    def draw_cover(self, canv, doc) -> None:
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
        s = self.styles
        inner = g.trim_width - 2 * MARGIN_OUTER
        left = g.origin + MARGIN_OUTER
        blocks = [TextBlock(self.tr(self.brochure.publisher).upper(), replace(s.cover_sub, size=8, leading=11))]
        blocks.append(Spacer(1, 5 * mm))
        blocks.append(TextBlock(self.title, s.cover_title))
        if self.brochure.subtitle:
            blocks += [Spacer(1, 3 * mm), TextBlock(self.tr(self.brochure.subtitle), s.cover_sub)]
        if cover.tagline:
            blocks += [Spacer(1, 2 * mm), TextBlock(self.tr(cover.tagline), replace(s.cover_sub, color=GOLD))]
        heights = [block.wrap(inner, g.trim_height)[1] for block in blocks]
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
            block.drawOn(canv, left, top)

    def draw_running(self, canv, doc) -> None:
        g = self.geometry
        o = g.origin
        x0, _, x1, y1 = g.bleed_box
        canv.setFillColor(GREEN)
        canv.rect(x0, o + g.trim_height - 6 * mm, x1 - x0, y1 - (o + g.trim_height - 6 * mm), stroke=0, fill=1)
        s = self.styles.running
        page = canv.getPageNumber()
        width = g.trim_width - MARGIN_INNER - MARGIN_OUTER
        left = o + MARGIN_INNER
        baseline = o + g.trim_height - 12 * mm
        odd = page % 2 == 1
        draw_line(canv, self.title, replace(s, align="right" if odd else "left"), left, baseline, width)
        draw_line(canv, str(page), replace(s, align="right" if odd else "left", chain=self.bold),
                  left, o + 9 * mm, width)

    def draw_back(self, canv, doc) -> None:
        self.full_bleed(canv, GREEN)
        g = self.geometry
        x0, _, x1, _ = g.bleed_box
        canv.setFillColor(GOLD)
        canv.rect(x0, g.origin + g.trim_height - 32 * mm, x1 - x0, 1.5 * mm, stroke=0, fill=1)

    def finish_page(self, canv, doc) -> None:
        if self.edition.draft:
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

    def fit_problems(self, flowables: list) -> list[str]:
        """What did not fit where it was meant to: reported, never silently shrunk or clipped."""
        problems = []
        for flowable in flowables:
            problems += getattr(flowable, "fit_problems", [])
            if flowable.__class__ is TextBlock and flowable.style is self.styles.heading:
                if len(flowable._lines) > HEADING_LINES:
                    problems.append(f"heading '{flowable.text[:40]}' takes {len(flowable._lines)} lines")
        return problems

    def render(self) -> EditionResult:
        from reportlab import rl_config

        self.check_glyphs()
        cover = self.brochure.cover.image
        self.cover_image = self.image(cover, "cover.image") if cover else None
        story = self.story()
        buffer = io.BytesIO()
        g = self.geometry
        rl_config.invariant = 1  # reproducible output: fixed IDs, no time stamps
        rl_config.useA85 = 0  # binary image streams: ReportLab's pure-Python ASCII85 took 10 of 24 s (profiled)
        doc = BaseDocTemplate(
            buffer, pagesize=g.media_size, pageTemplates=self.templates(), title=self.title,
            author=self.tr(self.brochure.publisher), subject=self.tr(self.brochure.subtitle or self.brochure.title),
            creator="pubkit", lang=self.edition.language, invariant=1, enforceColorSpace="cmyk", pageCompression=1,
            initialFontName=self.regular.names[0], trimBox=g.trim_box, bleedBox=g.bleed_box,
        )
        flowables = list(story)  # doc.build consumes its list
        try:
            doc.build(story)
        except Exception as exc:
            # ReportLab signals content that can never fit (an image taller than a page) with LayoutError.
            if exc.__class__.__name__ == "LayoutError":
                raise PubkitError(f"content does not fit on a page in the {self.edition.language} edition ({exc})",
                                  file=self.edition.spec_file, fix="shorten the block or make its image smaller") from None
            raise
        self.result.pdf = buffer.getvalue()
        self.result.pages = doc.page
        self.result.warnings += [f"{self.edition.language} edition: {note}" for note in self.fit_notes + self.fit_problems(flowables)]
        limit = self.brochure.format.max_pages
        if limit and doc.page > limit:
            raise PubkitError(f"the {self.edition.language} edition has {doc.page} pages, more than max_pages {limit}",
                              file=self.edition.spec_file, line=self.brochure.line_of("format.max_pages"),
                              key="format.max_pages", fix="shorten the text, or raise max_pages")
        return self.result


def typeset(edition: Edition) -> EditionResult:
    """Typeset one edition; raises :class:`PubkitError` for anything the user must fix."""
    return _Layout(edition).render()
