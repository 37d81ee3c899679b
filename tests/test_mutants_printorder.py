"""The print order as the shop reads it: CSV rows and JSON document, written out here, not from the module."""

from __future__ import annotations

import json

from pubkit.press.printorder import PLATES, OrderLine, write_print_order

LINES = [OrderLine("demo-vi.pdf", "vi", 12, "A5", "Couché 150 gsm", "saddle-stitch", 2800, "a" * 64),
         OrderLine("demo-en.pdf", "en", 16, "A5", "Couché 150 gsm", "saddle-stitch", 500, "b" * 64)]


def test_csv_has_one_row_per_edition_and_the_total(tmp_path):
    csv_path, json_path = write_print_order(tmp_path, "demo", "Thái Nguyên", LINES, ["demo-ko-DRAFT.pdf"])
    assert (csv_path, json_path) == (tmp_path / "print-order.csv", tmp_path / "print-order.json")
    assert csv_path.read_bytes().decode("utf-8") == (
        "file,language,part,pages,trim,paper,binding,copies,sha256\n"
        f"demo-vi.pdf,vi,booklet,12,A5,Couché 150 gsm,saddle-stitch,2800,{'a' * 64}\n"
        f"demo-en.pdf,en,booklet,16,A5,Couché 150 gsm,saddle-stitch,500,{'b' * 64}\n"
        "TOTAL,,,,,,,3300,\n")


def test_json_names_the_job_its_editions_total_and_drafts(tmp_path):
    _, json_path = write_print_order(tmp_path, "demo", "Thái Nguyên", LINES, ["demo-ko-DRAFT.pdf"])
    text = json_path.read_text(encoding="utf-8")
    assert "Thái Nguyên" in text and "Couché" in text and text.endswith("}\n")  # readable, not \u escapes
    assert text.startswith('{\n  "brochure": "demo",\n')
    assert json.loads(text) == {
        "brochure": "demo", "title": "Thái Nguyên",
        "editions": [{"file": "demo-vi.pdf", "language": "vi", "pages": 12, "trim": "A5", "paper": "Couché 150 gsm",
                      "binding": "saddle-stitch", "copies": 2800, "sha256": "a" * 64, "part": "booklet"},
                     {"file": "demo-en.pdf", "language": "en", "pages": 16, "trim": "A5", "paper": "Couché 150 gsm",
                      "binding": "saddle-stitch", "copies": 500, "sha256": "b" * 64, "part": "booklet"}],
        "total_copies": 3300, "plates": PLATES, "drafts_not_for_print": ["demo-ko-DRAFT.pdf"]}


def test_a_paper_name_with_a_comma_stays_one_field(tmp_path):
    line = OrderLine("demo-vi.pdf", "vi", 4, "A5", "Matt, 150 gsm", "wire-o", 10, "c" * 64)
    csv_path, _ = write_print_order(tmp_path, "demo", "T", [line], [])
    assert csv_path.read_text(encoding="utf-8").splitlines()[1] == f'demo-vi.pdf,vi,booklet,4,A5,"Matt, 150 gsm",wire-o,10,{"c" * 64}'


def test_a_separate_cover_is_a_row_of_its_own_but_not_counted_again_in_the_total(tmp_path):
    """With a cover stock, an edition is two rows (cover, text block) of the same copies: the job is 2,800, not 5,600."""
    lines = [OrderLine("demo-vi-cover.pdf", "vi", 4, "A5", "Couché 300 gsm", "saddle-stitch", 2800, "c" * 64, "cover"),
             OrderLine("demo-vi.pdf", "vi", 12, "A5", "Couché 150 gsm", "saddle-stitch", 2800, "a" * 64, "text block")]
    csv_path, json_path = write_print_order(tmp_path, "demo", "T", lines, [])
    rows = csv_path.read_text(encoding="utf-8").splitlines()
    assert [row.split(",")[2] for row in rows[1:3]] == ["cover", "text block"]
    assert rows[3] == "TOTAL,,,,,,,2800,"
    assert json.loads(json_path.read_text(encoding="utf-8"))["total_copies"] == 2800
