"""The licence application summary, written beside the print order: what the form asks, per edition.

A licensed non-commercial publication (giấy phép xuất bản tài liệu không kinh doanh, Luật Xuất
bản 2012 Art. 25) is applied for with a form that asks, per edition: title, original and
translated title, translator, format, page count, size in cm, print run, language, printer and
purpose. ``licence-summary.xlsx`` (for the office filling in the form) and ``licence-summary.txt``
(readable anywhere, and in a diff) hold exactly that, in Vietnamese, for every print edition.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from pubkit import cldr
from pubkit.files import write_atomic

SUMMARY_NAME = "licence-summary"  # .xlsx and .txt
LANGUAGE_VI = {"vi": "Tiếng Việt", "en": "Tiếng Anh", "ja": "Tiếng Nhật", "ko": "Tiếng Hàn",
               "zh": "Tiếng Trung (giản thể)"}
BINDING_VI = {"saddle-stitch": "đóng ghim giữa", "perfect-bound": "đóng keo gáy", "wire-o": "đóng gáy lò xo",
              "loose-leaf": "tờ rời"}
SUMMARY_COLUMNS = ("STT", "Ngôn ngữ xuất bản", "Tên tài liệu", "Tên nguyên bản (tiếng Việt)", "Người dịch",
                   "Hình thức", "Khuôn khổ (cm)", "Số trang", "Số lượng in (bản)", "Tên và địa chỉ cơ sở in",
                   "Mục đích xuất bản", "Tệp in")
NOT_GIVEN = "(chưa ghi)"


@dataclass(frozen=True)
class SummaryEdition:
    """One edition as the licence application form asks for it."""

    language: str
    title: str       # in the edition's language
    translator: str  # empty for the source language
    pages: int       # the whole edition: cover and text block
    copies: int
    file: str


def translator_of(publication, language: str, last_translator: str) -> str:
    """The edition's translator: ``publication.translators`` in the spec, else the draft file's Last-Translator
    (:attr:`pubkit.drafts.catalog.Catalog.translator`, read with the file's entries, not parsed again)."""
    return (publication.translators if publication else {}).get(language) or last_translator


def summary_rows(brochure, editions: list[SummaryEdition]) -> list[list]:
    """The table of the summary: one row per edition, texts in Vietnamese; STT, pages and copies as numbers."""
    from pubkit.typeset.colophon import trim_cm

    fmt = brochure.format
    papers = f"ruột {fmt.paper}" if fmt.paper else ""
    if fmt.cover_paper:
        papers += f"{'; ' if papers else ''}bìa {fmt.cover_paper}"
    form = "; ".join(part for part in (BINDING_VI.get(fmt.binding, fmt.binding), papers) if part)
    publication = brochure.publication
    printer = NOT_GIVEN
    if publication and publication.printer:
        printer = publication.printer.name + (f", {publication.printer.address}" if publication.printer.address else "")
    purpose = publication.purpose if publication and publication.purpose else NOT_GIVEN
    rows = []
    for number, edition in enumerate(editions, 1):
        source = edition.language == brochure.source_language
        rows.append([number, LANGUAGE_VI.get(edition.language, edition.language), edition.title,
                     "" if source else brochure.title, "" if source else (edition.translator or NOT_GIVEN), form,
                     trim_cm(fmt.trim_mm, "vi").removesuffix(" cm"), edition.pages, edition.copies, printer, purpose,
                     edition.file])
    return rows


def write_licence_summary(folder: Path, brochure, editions: list[SummaryEdition]) -> tuple[Path, Path]:
    """``licence-summary.xlsx`` and ``.txt``: what the licence application asks, per print edition, in Vietnamese.

    Both are made from the same rows and are byte-identical for the same inputs (fixed zip times
    and workbook dates).
    """
    rows = summary_rows(brochure, editions)
    total = _vi_number(sum(edition.copies for edition in editions))
    licence = brochure.publication.licence if brochure.publication else None
    heading = [f"Tài liệu: {brochure.title}", f"Đơn vị đề nghị cấp phép: {brochure.publisher}",
               f"Giấy phép xuất bản: {licence.number if licence and licence.number else NOT_GIVEN}",
               f"Tổng số lượng in: {total} bản"]
    lines = ["TÓM TẮT THÔNG TIN ĐỀ NGHỊ CẤP GIẤY PHÉP XUẤT BẢN TÀI LIỆU KHÔNG KINH DOANH", *heading, ""]
    for row in rows:  # numbers as Vietnamese writes them: 2.800
        lines += [f"{label}: {_vi_number(value) if isinstance(value, int) else value}"
                  for label, value in zip(SUMMARY_COLUMNS, row) if value != ""] + [""]
    text_path, xlsx_path = folder / f"{SUMMARY_NAME}.txt", folder / f"{SUMMARY_NAME}.xlsx"
    text = "\n".join(lines).encode("utf-8")
    if xlsx_path.is_file() and text_path.is_file() and text_path.read_bytes() == text:
        return xlsx_path, text_path  # the same rows: the sheet is as it was (openpyxl alone costs a no-op rebuild 0.6 s)
    write_atomic(text_path, text)
    write_atomic(xlsx_path, _cached_xlsx(heading, rows, brochure.date))
    return xlsx_path, text_path


def _cached_xlsx(heading: list[str], rows: list[list[str]], date) -> bytes:
    """The sheet from the build cache when the same rows were written before: importing openpyxl alone is
    0.4 s of a build into a new folder (the sheet's bytes depend only on these inputs and openpyxl's version)."""
    from pubkit import cache

    key = cache.key("licence-xlsx", repr((heading, rows, date.as_date() if date else None)),
                    f"openpyxl=={cache.package_version('openpyxl')}")
    return cache.remembered_bytes("licence", key, lambda: _summary_xlsx(heading, rows, date))


def _summary_xlsx(heading: list[str], rows: list[list[str]], date) -> bytes:
    """One sheet: the brochure's lines, then a header row and a row per edition (numbers as numbers)."""
    import datetime as dt
    import zipfile

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.writer.excel import ExcelWriter

    book = Workbook()
    sheet = book.active
    sheet.title = "Tóm tắt cấp phép"
    for line in heading:
        sheet.append([line])
    sheet.append([])
    sheet.append(list(SUMMARY_COLUMNS))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append(row)
    for letter, width in zip("ABCDEFGHIJKL", (5, 16, 40, 40, 22, 30, 12, 9, 12, 40, 40, 28)):
        sheet.column_dimensions[letter].width = width
    stamp = dt.datetime.combine(date.as_date(), dt.time()) if date else dt.datetime(2000, 1, 1)
    book.properties.created = book.properties.modified = stamp
    # ExcelWriter, not Workbook.save, which stamps "modified" with the clock; zip members carry the
    # time of writing too, so they are written again with a fixed one
    buffer = io.BytesIO()
    ExcelWriter(book, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    stable = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, \
            zipfile.ZipFile(stable, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info.filename))
    return stable.getvalue()


def _vi_number(value: int) -> str:
    return cldr.babel("numbers", "format_decimal", value, locale="vi")
