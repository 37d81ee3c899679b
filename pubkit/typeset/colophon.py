"""The colophon each edition prints, as Luật Xuất bản 2012 (Art. 25, 27) asks, in the edition's language.

A licensed publication states its format (khuôn khổ), page count, print run (số lượng in), printer
and printer's address, licence number, date and issuing authority (or a publishing house's
registration and decision numbers), and when printing finished and the legal deposit was made.
Format, page count and print run are the edition's own: an English edition of 500 copies says
500, not the brochure's total.

The labels are pubkit's wording, built in per language (like the "Contents" and "Notes" headings):
they are fixed legal formulas, so they are not sent to translators and no translator reviews them
(docs/print.md). The Vietnamese follows the wording of real Vietnamese colophons; the other
languages are faithful translations of those labels. Only the issuing authority's name is a
segment of the drafts; licence numbers and the printer's name and address print as registered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial

from pubkit import cldr
from pubkit.spec import model

# Per language: one template per statement. {trim} is the trim in cm, {pages} the page count,
# {copies} the print run, {date} the licence date, {month} the deposit month.
LABELS: dict[str, dict[str, str]] = {
    "vi": {
        "format": "Khuôn khổ {trim}, {pages} trang.",
        "run": "Số lượng in: {copies} bản.",
        "printer": "In tại {name}.",
        "printer_at": "In tại {name}, địa chỉ: {address}.",
        "licence": "Giấy phép xuất bản số {number} do {issuer} cấp ngày {date}.",
        "licence_no_issuer": "Giấy phép xuất bản số {number} cấp ngày {date}.",
        "registration": "Số xác nhận đăng ký xuất bản: {registration}.",
        "decision": "Số quyết định xuất bản: {decision}.",
        "deposit": "In xong và nộp lưu chiểu {month}.",
    },
    "en": {
        "format": "Format {trim}, {pages} pages.",
        "run": "Print run: {copies} copies.",
        "printer": "Printed by {name}.",
        "printer_at": "Printed by {name}, {address}.",
        "licence": "Publication licence no. {number}, issued by {issuer} on {date}.",
        "licence_no_issuer": "Publication licence no. {number}, issued on {date}.",
        "registration": "Publication registration confirmation no. {registration}.",
        "decision": "Publishing decision no. {decision}.",
        "deposit": "Printing completed and legal deposit made in {month}.",
    },
    "ja": {
        "format": "判型 {trim}、{pages}ページ。",
        "run": "印刷部数 {copies}部。",
        "printer": "印刷 {name}。",
        "printer_at": "印刷 {name}（{address}）。",
        "licence": "出版許可番号 {number}（{issuer}、{date}交付）。",
        "licence_no_issuer": "出版許可番号 {number}（{date}交付）。",
        "registration": "出版登録確認番号 {registration}。",
        "decision": "出版決定番号 {decision}。",
        "deposit": "{month}印刷完了・納本。",
    },
    "ko": {
        "format": "판형 {trim}, {pages}쪽.",
        "run": "인쇄 부수 {copies}부.",
        "printer": "인쇄 {name}.",
        "printer_at": "인쇄 {name}({address}).",
        "licence": "출판 허가 번호 {number}({issuer}, {date} 발급).",
        "licence_no_issuer": "출판 허가 번호 {number}({date} 발급).",
        "registration": "출판 등록 확인 번호 {registration}.",
        "decision": "출판 결정 번호 {decision}.",
        "deposit": "{month} 인쇄 완료 및 납본.",
    },
    "zh": {
        "format": "成品尺寸 {trim}，{pages}页。",
        "run": "印数 {copies}册。",
        "printer": "印刷：{name}。",
        "printer_at": "印刷：{name}（{address}）。",
        "licence": "出版许可证号 {number}（{issuer}于{date}核发）。",
        "licence_no_issuer": "出版许可证号 {number}（{date}核发）。",
        "registration": "出版登记确认号 {registration}。",
        "decision": "出版决定号 {decision}。",
        "deposit": "{month}印刷完毕并缴送样本。",
    },
}


@dataclass(frozen=True)
class Facts:
    """What one edition's colophon states; ``issuer`` is already in the edition's language."""

    trim_mm: tuple[float, float]
    pages: int
    copies: int
    publication: model.Publication | None
    issuer: str | None = None


def trim_cm(trim_mm: tuple[float, float], language: str) -> str:
    """The trim as colophons write it, in cm with the locale's decimal mark: ``14,8 × 21 cm`` (vi)."""
    width, height = (cldr.babel("numbers", "format_decimal", round(side / 10, 2), format="#,##0.##", locale=language)
                     for side in trim_mm)
    return f"{width} × {height} cm"


def long_date(day: dt.date, language: str) -> str:
    """A licence date: ``01/06/2018`` in Vietnamese (as licences and colophons write it), else CLDR's long form."""
    return cldr.babel("dates", "format_date", day, "dd/MM/y" if language == "vi" else "long", locale=language)


def month(day: dt.date, language: str) -> str:
    """The deposit month: ``tháng 6 năm 2018``, ``June 2018``, ``2018年6月`` (CLDR's year-month)."""
    return cldr.babel("dates", "format_skeleton", "yMMMM", day, locale=language)


def lines(language: str, facts: Facts) -> list[str]:
    """The colophon's statements, one per line, in ``language``; the licence lines only where the spec has them."""
    words = LABELS[language]
    number = partial(cldr.babel, "numbers", "format_decimal", locale=language)
    out = [words["format"].format(trim=trim_cm(facts.trim_mm, language), pages=number(facts.pages)),
           words["run"].format(copies=number(facts.copies))]
    publication = facts.publication
    if publication is None:
        return out
    printer = publication.printer
    if printer:
        out.append(words["printer_at" if printer.address else "printer"].format(name=printer.name,
                                                                                   address=printer.address))
    licence = publication.licence
    if licence.number and licence.date:
        key = "licence" if facts.issuer else "licence_no_issuer"
        out.append(words[key].format(number=licence.number, issuer=facts.issuer,
                                     date=long_date(licence.date.as_date(), language)))
    if publication.registration:
        out.append(words["registration"].format(registration=publication.registration))
    if publication.decision:
        out.append(words["decision"].format(decision=publication.decision))
    if publication.deposit:
        out.append(words["deposit"].format(month=month(publication.deposit.as_date(), language)))
    return out


def licence_warning(brochure: model.Brochure, brochure_id: str) -> str | None:
    """The build warning for a print run whose colophon cannot state the licence the law asks for."""
    publication = brochure.publication
    licence = publication.licence if publication else model.Licence()
    missing = []
    if not (licence.number or (publication and publication.registration)):
        missing.append("licence number")
    if not licence.date and not (publication and publication.registration):
        missing.append("licence date")
    if not licence.issuer and not (publication and publication.registration):
        missing.append("issuing authority")
    if not (publication and publication.printer):
        missing.append("printer")
    if not (publication and publication.deposit):
        missing.append("deposit date")
    if not missing:
        return None
    return (f"{brochure_id}: the colophon has no {', '.join(missing)} (publication: in the spec); "
            "Luật Xuất bản 2012 asks a licensed publication to print them: fill them in before printing")
