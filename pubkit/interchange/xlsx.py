"""A bilingual review spreadsheet (XLSX) for reviewers without CAT tools.

One row per segment: id (where it is in the spec), Vietnamese, translation, state, comment.
The reviewer corrects the translation, writes a comment, and sets *state* to ``approved`` for a
row they accept. Two hidden columns (the entry's id and a fingerprint of what was exported) and
a hidden ``pubkit`` sheet (brochure, language, drafts file) let ``pubkit import`` bring the
workbook back under the rules of :mod:`pubkit.interchange.review`.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import polib

from pubkit.drafts.catalog import NOTE_PREFIX, is_reviewed
from pubkit.errors import PubkitError
from pubkit.interchange.review import Incoming, fingerprint, unit_id
from pubkit.normalize import nfc

HEADERS = ["id", "Vietnamese", "translation", "state", "comment", "pubkit-unit", "pubkit-base"]
FORMAT = "pubkit-review-1"
APPROVED = {"approved", "reviewed"}
STATES = ["missing", "machine draft", "stale", "unreviewed", "reviewed", "approved"]
MAX_BYTES = 32 * 1024 * 1024
FIX = "export a new sheet with `pubkit proof BROCHURE --lang XX`, copy your edits into it, and import that"


@dataclass
class Sheet:
    brochure: str
    language: str
    drafts: str
    units: list[Incoming]


def state_of(entry: polib.POEntry) -> str:
    if is_reviewed(entry):
        return "reviewed"
    if not entry.msgstr.strip():
        return "missing"
    if entry.previous_msgid:
        return "stale"
    if any(line.startswith(NOTE_PREFIX + " machine translation") for line in entry.comment.splitlines()):
        return "machine draft"
    return "unreviewed"


def write_xlsx(po: polib.POFile, brochure: str, language: str, drafts: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = f"{brochure} {language}"[:31]
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for entry in po:
        if entry.obsolete:
            continue
        paths = [line for line in entry.comment.splitlines() if line and not line.startswith(NOTE_PREFIX)]
        where = entry.msgctxt or (paths[0] if paths else "")
        row = [where, entry.msgid, entry.msgstr, state_of(entry), entry.tcomment,
               unit_id(entry.msgctxt, entry.msgid), fingerprint(entry)]
        sheet.append([_cell_text(value, entry) for value in row])
        for cell in sheet[sheet.max_row]:
            cell.data_type = "s"  # text, never a formula, whatever it starts with
            cell.number_format = "@"  # Text: what a reviewer types stays text ("50%", "6/2018" are not numbers)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths = {"A": 24, "B": 60, "C": 60, "D": 16, "E": 40}
    for column, width in widths.items():
        sheet.column_dimensions[column].width = width
    for column in ("F", "G"):
        sheet.column_dimensions[column].hidden = True
    sheet.freeze_panes = "A2"
    if sheet.max_row > 1:
        choices = DataValidation(type="list", formula1='"' + ",".join(STATES) + '"', allow_blank=True,
                                 showErrorMessage=True, errorTitle="state",
                                 error="approved (or reviewed) accepts the row; any other state leaves it to review")
        choices.add(f"D2:D{sheet.max_row}")
        sheet.add_data_validation(choices)
    meta = book.create_sheet("pubkit")
    for key, value in (("format", FORMAT), ("brochure", brochure), ("language", language), ("drafts", drafts)):
        meta.append([key, value])
    meta.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell_text(value: str, entry: polib.POEntry) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if ILLEGAL_CHARACTERS_RE.search(value):
        raise PubkitError(f"“{entry.msgid[:40]}” holds a control character a spreadsheet cannot carry",
                          fix="remove it from the PO entry, then make the sheet again")
    return value


def read_xlsx(path: Path) -> Sheet:
    """The rows of a review workbook that pubkit made; a workbook it did not make is refused."""
    import zipfile

    from openpyxl import load_workbook

    try:
        if path.stat().st_size > MAX_BYTES:
            raise PubkitError("the file is too large for a review sheet", file=path, fix=FIX)
        book = load_workbook(path, read_only=False, data_only=False)
    except FileNotFoundError:
        raise PubkitError("file not found", file=path, fix="check the path") from None
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise PubkitError(f"this is not a readable XLSX workbook ({exc.__class__.__name__})", file=path,
                          fix="save it as Excel Workbook (.xlsx), or " + FIX) from None
    if "pubkit" not in book.sheetnames:
        raise PubkitError("this workbook was not made by `pubkit proof` (it has no hidden 'pubkit' sheet)",
                          file=path, fix=FIX)
    meta = {str(row[0].value): str(row[1].value or "") for row in book["pubkit"].iter_rows(max_col=2) if row[0].value}
    if meta.get("format") != FORMAT:
        raise PubkitError(f"unknown review sheet format '{meta.get('format', '')}'", file=path, fix=FIX)
    sheet = book.worksheets[0]
    header = [str(cell.value or "").strip() for cell in sheet[1]]
    if header[:len(HEADERS)] != HEADERS:
        raise PubkitError("the columns of the first sheet were changed (expected: " + ", ".join(HEADERS[:5]) + ")",
                          file=path, key="row 1", fix="put the columns back in their order, or " + FIX)
    units = []
    for number, row in enumerate(sheet.iter_rows(min_row=2, max_col=len(HEADERS)), 2):
        values = []
        for cell in row:
            if cell.data_type == "f":
                raise PubkitError(f"a formula in {cell.coordinate}", file=path, key=f"row {number}",
                                  fix="type the text itself, not a formula")
            if cell.value is not None and not isinstance(cell.value, str):
                # the spreadsheet turned what was typed into a number or date ("50%" into 0.5): the
                # text itself is gone, and printing "0.5" would be wrong
                raise PubkitError(f"{cell.coordinate} holds a number or date, not the text that was typed",
                                  file=path, key=f"row {number}",
                                  fix=f"format {cell.coordinate} as Text and type its text again")
            values.append("" if cell.value is None else cell.value)
        where, source, text, state, comment, uid, base = values
        if not source and not text and not uid:
            continue  # an empty row
        if not source or not uid:
            raise PubkitError("a row with no Vietnamese or no hidden pubkit-unit", file=path, key=f"row {number}",
                              fix="do not add or split rows; " + FIX)
        state = state.strip().lower()
        if state not in STATES:
            raise PubkitError(f"state '{state}' is not one of: {', '.join(STATES)}", file=path, key=f"row {number}",
                              fix="write approved to accept the row, or leave the state as it was")
        units.append(Incoming(None, unicodedata.normalize("NFC", source), nfc(text),
                              state in APPROVED, comment, base or None, f"{path.name} row {number}", unit_id=uid))
    return Sheet(meta.get("brochure", ""), meta.get("language", ""), meta.get("drafts", ""), units)
