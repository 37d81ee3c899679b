"""The print order: one row per print edition, with copies, format and a checksum of the file.

Written as CSV (for a spreadsheet) and JSON (for a shop's system) beside the PDFs. With a
separate cover stock an edition has two rows: its cover (4 pages, on the cover paper) and its
text block. Inside pages of every edition share one page plan with language-independent colour,
which the order states: one set of Cyan, Magenta and Yellow plates for all languages, a black
plate per language.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from pubkit.files import write_atomic

COLUMNS = ("file", "language", "part", "pages", "trim", "paper", "binding", "copies", "sha256")
PLATES = ("inside pages: one CMY plate set for all languages; black plate per language "
          "(all language-dependent text is 100 % K and overprints)")


@dataclass(frozen=True)
class OrderLine:
    file: str
    language: str
    pages: int
    trim: str
    paper: str
    binding: str
    copies: int
    sha256: str
    part: str = "booklet"  # "booklet" (self-cover), or "cover" and "text block" on separate papers


def write_print_order(folder: Path, brochure_id: str, title: str, lines: list[OrderLine],
                      drafts: list[str]) -> tuple[Path, Path]:
    total = sum(line.copies for line in lines if line.part != "cover")
    table = io.StringIO()
    writer = csv.writer(table, lineterminator="\n")
    writer.writerow(COLUMNS)
    for line in lines:
        writer.writerow(astuple_ordered(line))
    writer.writerow(["TOTAL", "", "", "", "", "", "", total, ""])
    document = {"brochure": brochure_id, "title": title, "editions": [asdict(line) for line in lines],
                "total_copies": total, "plates": PLATES, "drafts_not_for_print": drafts}
    csv_path, json_path = folder / "print-order.csv", folder / "print-order.json"
    write_atomic(csv_path, table.getvalue().encode("utf-8"))
    write_atomic(json_path, (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    return csv_path, json_path


def astuple_ordered(line: OrderLine) -> list:
    return [getattr(line, column) for column in COLUMNS]
