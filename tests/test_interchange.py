"""XLIFF 1.2, TMX 1.4 and review spreadsheets: valid files out, faithful merges back, nothing reviewed lost."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from pubkit.commands.export import export
from pubkit.commands.import_ import import_files
from pubkit.commands.proof import proof
from pubkit.drafts import read_catalog
from pubkit.interchange.xliff import NS, validate
from pubkit.project import load_project

PO = Path("brochures/demo/translations")
X = f"{{{NS}}}"
NO_PACKAGES = ("--packages", "no-packages")


@pytest.fixture
def ready(project, run):
    """The demo after translate (pubkit's headers), with one stale and one machine-only ja entry."""
    assert run(project, "translate", *NO_PACKAGES).exit_code == 0
    ja = project / PO / "ja.po"
    po = polib.pofile(str(ja))
    po.find("Hồ Núi Cốc").flags.append("fuzzy")
    po.find("Hồ Núi Cốc").previous_msgid = "Hồ Núi Cốc cũ"
    machine = po.find("Diện tích tự nhiên")
    machine.flags.append("fuzzy")
    machine.comment += "\npubkit: machine translation, route en→ja\npubkit: check: protected items lost in MT: 3.536,4"
    po.wrapwidth = 0
    po.save()
    assert run(project, "translate", *NO_PACKAGES).exit_code == 0
    return project


def xliff_of(project: Path, language: str = "ja") -> Path:
    [path] = export(load_project(project), (), (language,), "xliff", project / "out")
    return path


def test_xliff_export_is_valid_and_carries_states_notes_and_previous_source(ready):
    path = xliff_of(ready)
    data = path.read_bytes()
    assert validate(data) == []
    root = etree.fromstring(data)
    file = root.find(f"{X}file")
    assert (file.get("source-language"), file.get("target-language")) == ("vi", "ja")
    units = {u.find(f"{X}source").text: u for u in root.iter(f"{X}trans-unit")}
    assert units["Liên hệ"].find(f"{X}target").get("state") == "final" and units["Liên hệ"].get("approved") == "yes"
    stale = units["Hồ Núi Cốc"]
    assert stale.find(f"{X}target").get("state") == "needs-review-translation"
    alt = stale.find(f"{X}alt-trans")
    assert alt.get("alttranstype") == "previous-version" and alt.find(f"{X}source").text == "Hồ Núi Cốc cũ"
    notes = [n.text for n in units["Diện tích tự nhiên"].iter(f"{X}note")]
    assert any("machine translation" in n for n in notes) and any("lost in MT: 3.536,4" in n for n in notes)
    assert any(n.startswith("where: sections[0].content[3].figures[0].label (brochure.yaml:") for n in notes)


def test_translate_toolkit_reads_the_xliff(ready):
    xliff = pytest.importorskip("translate.storage.xliff", reason="translate-toolkit not installed")
    store = xliff.xlifffile(xliff_of(ready).read_bytes())
    units = {u.source: u for u in store.units}
    assert units["Liên hệ"].target == "お問い合わせ" and units["Liên hệ"].isapproved()
    assert not units["Hồ Núi Cốc"].isapproved()


def test_round_trips_with_nothing_changed_leave_the_po_files_byte_identical(ready):
    project = load_project(ready)
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in (ready / PO).iterdir()}
    xliffs = export(project, (), (), "xliff", ready / "out")
    sheets = proof(project, (), (), ready / "out")
    reports = import_files(project, tuple(xliffs + sheets))
    assert all(not r.conflicts and r.updated == 0 for report in reports for _, r in report.results)
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in (ready / PO).iterdir()} == before


def entry_blocks(data: bytes) -> dict[str, str]:
    return {block.split('msgid "')[1].split('"')[0]: block for block in data.decode().split("\n\n") if 'msgid "' in block}


def test_xliff_edits_change_exactly_those_entries(ready):
    path = xliff_of(ready)
    root = etree.fromstring(path.read_bytes())
    units = {u.find(f"{X}source").text: u for u in root.iter(f"{X}trans-unit")}
    units["Hồ Núi Cốc"].find(f"{X}target").text = "ヌイコック湖（秋）"
    units["Hồ Núi Cốc"].find(f"{X}target").set("state", "translated")  # the translator confirms it
    units["Diện tích tự nhiên"].find(f"{X}target").text = "自然面積（案）"  # edited, still to review
    path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    ja = ready / PO / "ja.po"
    before = entry_blocks(ja.read_bytes())
    import_files(load_project(ready), (path,))
    after = entry_blocks(ja.read_bytes())
    assert {k for k in after if after[k] != before.get(k)} - {""} == {"Hồ Núi Cốc", "Diện tích tự nhiên"}  # "": header
    catalog = read_catalog(ja, "ja", "demo")
    lake, area = catalog.entries["Hồ Núi Cốc"], catalog.entries["Diện tích tự nhiên"]
    assert (lake.msgstr, lake.flags, lake.previous_msgid) == ("ヌイコック湖（秋）", [], None)
    assert area.msgstr == "自然面積（案）" and "fuzzy" in area.flags and "lost in MT" in area.comment


def test_a_tools_machine_pretranslation_is_no_review_and_a_dropped_note_erases_no_comment(ready):
    """memoQ, Trados and Phrase mark their own pre-translation state="translated" with a state-qualifier
    (mt-suggestion, leveraged-tm): a draft, not a person's review. And a tool that returns a unit without
    its notes has not deleted the translator's comment in the PO file."""
    ja = ready / PO / "ja.po"
    po = polib.pofile(str(ja))
    po.find("Liên hệ").tcomment = "Client wants the formal form"
    po.wrapwidth = 0
    po.save()
    path = xliff_of(ready)
    root = etree.fromstring(path.read_bytes())
    units = {u.find(f"{X}source").text: u for u in root.iter(f"{X}trans-unit")}
    target = units["Hồ Núi Cốc"].find(f"{X}target")
    target.text, target.attrib["state"], target.attrib["state-qualifier"] = "ヌイコック湖（MT）", "translated", "mt-suggestion"
    for note in units["Liên hệ"].findall(f"{X}note"):
        units["Liên hệ"].remove(note)
    path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    import_files(load_project(ready), (path,))
    catalog = read_catalog(ja, "ja", "demo")
    lake = catalog.entries["Hồ Núi Cốc"]
    assert lake.msgstr == "ヌイコック湖（MT）" and "fuzzy" in lake.flags
    assert catalog.entries["Liên hệ"].tcomment == "Client wants the formal form"


def test_import_conflicts_keep_the_reviewed_text(ready):
    path = xliff_of(ready)
    root = etree.fromstring(path.read_bytes())
    units = {u.find(f"{X}source").text: u for u in root.iter(f"{X}trans-unit")}
    units["Liên hệ"].find(f"{X}target").text = "問い合わせ先?"
    units["Liên hệ"].find(f"{X}target").set("state", "needs-review-translation")  # would un-review it
    units["Vị trí địa lý"].find(f"{X}target").text = "位置（CAT）"  # reviewed there too...
    path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    ja = ready / PO / "ja.po"
    po = polib.pofile(str(ja))
    po.find("Vị trí địa lý").msgstr = "位置（Poedit）"  # ...but changed in the PO file since the export
    po.wrapwidth = 0
    po.save()
    [report] = import_files(load_project(ready), (path,))
    [(_, result)] = report.results
    assert len(result.conflicts) == 2
    catalog = read_catalog(ja, "ja", "demo")
    assert catalog.entries["Liên hệ"].msgstr == "お問い合わせ" and catalog.entries["Vị trí địa lý"].msgstr == "位置（Poedit）"


def test_a_write_by_another_command_just_before_the_import_locks_is_not_overwritten(ready, run, monkeypatch):
    """Another command writes the drafts the moment before the import takes the folder's lock: the import
    must see it and stop (it checked the files before locking, and then overwrote that write)."""
    import contextlib

    from pubkit.commands import translate

    path = xliff_of(ready)
    tree = etree.parse(str(path))
    target = tree.find(f".//{X}trans-unit/{X}target")
    target.text = "新しい題名"
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    ja = ready / PO / "ja.po"
    real_lock = translate.drafts_lock

    @contextlib.contextmanager
    def lock_after_another_write(folder):
        po = polib.pofile(str(ja))
        po.find("Liên hệ").tcomment = "another command's note"
        po.save()
        with real_lock(folder):
            yield

    monkeypatch.setattr(translate, "drafts_lock", lock_after_another_write)
    result = run(ready, "import", str(path))
    assert result.exit_code == 1 and "changed on disk" in result.stderr
    assert "another command's note" in ja.read_text(encoding="utf-8") and "新しい題名" not in ja.read_text(encoding="utf-8")


@pytest.mark.parametrize("damage, words", [
    (lambda t: t[: len(t) // 2], "not well-formed XML"),
    (lambda t: t.replace('source-language="vi"', 'source-language="en-US"'), "source-language is 'en-US'"),
    (lambda t: t.replace('original="brochures/demo/translations/ja.po"', 'original="../../etc/passwd"'),
     "not a drafts file of this project"),
    (lambda t: t.replace("お問い合わせ</target>", 'お<x id="1"/>問い合わせ</target>'), "<x> inside a segment"),
])
def test_a_bad_xliff_is_one_line_and_nothing_is_written(ready, run, damage, words):
    path = xliff_of(ready)
    path.write_text(damage(path.read_text(encoding="utf-8")), encoding="utf-8")
    before = {p.name: p.read_bytes() for p in (ready / PO).iterdir()}
    result = run(ready, "import", str(path))
    assert result.exit_code == 1 and words in result.stderr and len(result.stderr.splitlines()) == 1
    assert {p.name: p.read_bytes() for p in (ready / PO).iterdir()} == before


def test_a_stray_line_break_at_a_translation_s_end_is_not_written(ready):
    """A CAT tool or a spreadsheet cell can end a target with a line break its source does not have:
    msgfmt and pubkit's check refuse such an entry, so the import drops it (it locked the file out)."""
    path = xliff_of(ready)
    root = etree.fromstring(path.read_bytes())
    units = {u.find(f"{X}source").text: u for u in root.iter(f"{X}trans-unit")}
    units["Liên hệ"].find(f"{X}target").text = "\nお問い合わせ先\n"
    path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    import_files(load_project(ready), (path,))
    # read_catalog runs the strict check first: it refused the file the import used to write
    assert read_catalog(ready / PO / "ja.po", "ja", "demo").entries["Liên hệ"].msgstr == "お問い合わせ先"


def test_review_sheet_edits_and_approvals_come_back(ready, run):
    openpyxl = pytest.importorskip("openpyxl")
    po = polib.pofile(str(ready / PO / "ja.po"))
    po.find("Diện tích tự nhiên").msgstr = "=自然面積"  # looks like a formula: must stay text
    po.wrapwidth = 0
    po.save()
    result = run(ready, "proof", "brochures/demo", "--lang", "ja", "--out", "out")
    assert result.exit_code == 0 and "demo-ja-REVIEW.pdf" in result.output
    path = ready / "out" / "demo-ja-review.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]][:5] == ["id", "Vietnamese", "translation", "state", "comment"]
    rows = {row[1].value: row for row in sheet.iter_rows(min_row=2)}
    assert rows["Hồ Núi Cốc"][3].value == "stale" and rows["Diện tích tự nhiên"][3].value == "machine draft"
    assert rows["Diện tích tự nhiên"][2].data_type == "s"
    rows["Diện tích tự nhiên"][3].value = "approved"
    rows["Diện tích tự nhiên"][4].value = "checked by Lan"
    book.save(path)
    result = run(ready, "import", str(path))
    assert result.exit_code == 0, result.output
    entry = read_catalog(ready / PO / "ja.po", "ja", "demo").entries["Diện tích tự nhiên"]
    assert (entry.msgstr, entry.flags, entry.tcomment) == ("=自然面積", [], "checked by Lan")
    assert "check:" not in entry.comment  # the protection warning went with the review
    rows["Liên hệ"][3].value = "good"
    book.save(path)
    before = (ready / PO / "ja.po").read_bytes()
    result = run(ready, "import", str(path))
    assert result.exit_code == 1 and "state 'good'" in result.stderr and (ready / PO / "ja.po").read_bytes() == before


def test_a_row_approved_with_its_translation_deleted_approves_nothing(ready, run):
    """The stale translation of the old Vietnamese stays, unreviewed: approving a blank cell approved it."""
    openpyxl = pytest.importorskip("openpyxl")
    assert run(ready, "proof", "brochures/demo", "--lang", "ja", "--out", "out").exit_code == 0
    path = ready / "out" / "demo-ja-review.xlsx"
    book = openpyxl.load_workbook(path)
    rows = {row[1].value: row for row in book.worksheets[0].iter_rows(min_row=2)}
    assert rows["Hồ Núi Cốc"][3].value == "stale"
    rows["Hồ Núi Cốc"][2].value = None
    rows["Hồ Núi Cốc"][3].value = "approved"
    book.save(path)
    before = (ready / PO / "ja.po").read_bytes()
    result = run(ready, "import", str(path))
    assert "marked approved with an empty translation" in result.output + result.stderr
    assert (ready / PO / "ja.po").read_bytes() == before
    entry = read_catalog(ready / PO / "ja.po", "ja", "demo").entries["Hồ Núi Cốc"]
    assert "fuzzy" in entry.flags


def test_a_cell_the_spreadsheet_made_a_number_or_date_is_refused_not_imported_as_its_digits(ready, run):
    """Typed into a General cell, "50%" is kept as 0.5 and "Jun 2018" as a date: the words are gone, so
    the row is refused by its cell. The sheet's cells are Text, so Excel keeps what is typed there."""
    import datetime as dt

    openpyxl = pytest.importorskip("openpyxl")
    assert run(ready, "proof", "brochures/demo", "--lang", "ja", "--out", "out").exit_code == 0
    path = ready / "out" / "demo-ja-review.xlsx"
    book = openpyxl.load_workbook(path)
    rows = {row[1].value: row for row in book.worksheets[0].iter_rows(min_row=2)}
    assert {cell.number_format for row in rows.values() for cell in row} == {"@"}
    before = (ready / PO / "ja.po").read_bytes()
    for typed in (0.5, dt.datetime(2018, 6, 1)):
        cell = rows["Diện tích tự nhiên"][2]
        cell.value, cell.number_format = typed, "0%" if isinstance(typed, float) else "mmm yyyy"
        rows["Diện tích tự nhiên"][3].value = "approved"
        book.save(path)
        result = run(ready, "import", str(path))
        assert result.exit_code == 1 and f"{cell.coordinate} holds a number or date" in result.stderr
        assert len(result.stderr.splitlines()) == 1 and (ready / PO / "ja.po").read_bytes() == before


def test_a_comment_s_cell_line_breaks_come_in_as_lines_and_a_trailing_backslash_is_refused(ready, run):
    """A review sheet's comment is written as PO comment lines: a CR or CRLF from the cell as a line break (a CR
    inside a "#" line made the drafts unreadable), and a line ending in a backslash refused with its row
    (msgfmt joins the next line to it): pubkit wrote both, then refused its own file."""
    openpyxl = pytest.importorskip("openpyxl")
    assert run(ready, "proof", "brochures/demo", "--lang", "ja", "--out", "out").exit_code == 0
    path = ready / "out" / "demo-ja-review.xlsx"
    book = openpyxl.load_workbook(path)
    rows = {row[1].value: row for row in book.worksheets[0].iter_rows(min_row=2)}
    rows["Liên hệ"][4].value = "checked by Lan\r\nsee the portal\rok"
    book.save(path)
    assert run(ready, "import", str(path)).exit_code == 0
    entry = read_catalog(ready / PO / "ja.po", "ja", "demo").entries["Liên hệ"]  # the strict check reads it
    assert entry.tcomment == "checked by Lan\nsee the portal\nok"
    rows["Liên hệ"][4].value = "path C:\\drafts\\  \nchecked"
    book.save(path)
    before = (ready / PO / "ja.po").read_bytes()
    result = run(ready, "import", str(path))
    assert result.exit_code == 1 and "ends a line with a backslash" in result.stderr
    assert "demo-ja-review.xlsx row" in result.stderr and (ready / PO / "ja.po").read_bytes() == before


def test_tmx_export_import_and_reuse(ready, run):
    result = run(ready, "export", "--format", "tmx", "--out", "out")
    assert result.exit_code == 0, result.output
    tmx = ready / "out" / "demo.tmx"
    root = etree.fromstring(tmx.read_bytes())
    assert root.get("version") == "1.4" and root.find("header").get("srclang") == "vi"
    tus = {tu.find("tuv/seg").text: tu for tu in root.iter("tu")}
    assert "Hồ Núi Cốc" in tus and not [tuv for tuv in tus["Hồ Núi Cốc"].iter("tuv")
                                      if tuv.get("{http://www.w3.org/XML/1998/namespace}lang") == "ja"]
    tk = pytest.importorskip("translate.storage.tmx", reason="translate-toolkit not installed")
    store = tk.tmxfile(tmx.read_bytes(), sourcelanguage="vi", targetlanguage="en")
    assert any(u.source == "Liên hệ" and u.target == "Contact" for u in store.units)
    assert run(ready, "import", str(tmx)).exit_code == 0 and (ready / "memory" / "demo.tmx").is_file()


# --- the property: no reviewed entry is lost or altered by pubkit -------------------------------------

STEPS = st.lists(st.tuples(st.sampled_from(["edit", "insert", "delete", "review", "xliff", "xlsx", "downgrade",
                                            "translate"]), st.integers(0, 7)), min_size=1, max_size=7)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(STEPS)
def test_no_reviewed_entry_is_lost_or_altered_by_pubkit(project, run, steps):
    import openpyxl

    spec = project / "brochures" / "demo" / "brochure.yaml"
    original_spec = spec.read_text(encoding="utf-8")
    ja = project / PO / "ja.po"
    original_ja = ja.read_bytes()
    paragraphs = ["Đoạn văn thứ nhất về tỉnh.", "Đoạn văn thứ hai về chè."]
    reviewed = {e.msgid: e.msgstr for e in polib.pofile(str(ja))}  # the fixture's drafts are all reviewed

    def write_spec():
        content = "".join(f'\n      - "{p}"' for p in paragraphs)
        spec.write_text(original_spec.replace("    content:", "    content:" + content, 1), encoding="utf-8")

    try:
        write_spec()
        run(project, "translate", "--lang", "ja", *NO_PACKAGES)  # may refuse (new text, no model): fine
        for action, index in steps:
            if action == "edit" and paragraphs:
                paragraphs[index % len(paragraphs)] = paragraphs[index % len(paragraphs)].replace(".", " nữa.")
                write_spec()
            elif action == "insert":
                paragraphs.insert(index % (len(paragraphs) + 1), f"Đoạn chèn số {index}.")
                write_spec()
            elif action == "delete" and paragraphs:
                paragraphs.pop(index % len(paragraphs))
                write_spec()
            elif action == "review":
                po = polib.pofile(str(ja))
                active = [e for e in po if not e.obsolete]
                entry = active[index % len(active)]
                entry.msgstr = f"査読{index}"
                entry.flags = [f for f in entry.flags if f != "fuzzy"]
                po.save()
                reviewed[entry.msgid] = entry.msgstr
            elif action in ("xliff", "downgrade"):
                [path] = export(load_project(project), (), ("ja",), "xliff", project / "out")
                root = etree.fromstring(path.read_bytes())
                units = list(root.iter(f"{X}trans-unit"))
                unit = units[index % len(units)]
                target = unit.find(f"{X}target")
                target.text = f"CAT{index}"
                target.set("state", "translated" if action == "xliff" else "needs-review-translation")
                path.write_bytes(etree.tostring(root))
                import_files(load_project(project), (path,))
                entry = read_catalog(ja, "ja", "demo").entries[unit.find(f"{X}source").text]
                if "fuzzy" not in entry.flags and entry.msgstr == f"CAT{index}":
                    reviewed[entry.msgid] = entry.msgstr  # the translator approved it in the CAT tool
            elif action == "xlsx":
                [path] = proof(load_project(project), (), ("ja",), project / "out")
                book = openpyxl.load_workbook(path)
                rows = list(book.worksheets[0].iter_rows(min_row=2))
                row = rows[index % len(rows)]
                row[2].value, row[3].value = f"XL{index}", "unreviewed" if index % 2 else "approved"
                book.save(path)
                import_files(load_project(project), (path,))
                entry = read_catalog(ja, "ja", "demo").entries[row[1].value]
                if "fuzzy" not in entry.flags and entry.msgstr == f"XL{index}":
                    reviewed[entry.msgid] = entry.msgstr
            elif action == "translate":
                run(project, "translate", "--lang", "ja", *NO_PACKAGES)
            entries = list(polib.pofile(str(ja)))
            for source, text in reviewed.items():
                assert [e for e in entries if e.msgid == source and e.msgstr == text and "fuzzy" not in e.flags], \
                    f"reviewed translation of {source!r} lost after {action}"
    finally:
        spec.write_text(original_spec, encoding="utf-8")
        ja.write_bytes(original_ja)


def test_an_approved_unit_whose_target_was_deleted_approves_nothing(ready, run):
    """A CAT tool or a hand edit can drop the <target> element and keep approved="yes": as an empty target,
    a conflict that keeps the reviewed text (it was an internal error)."""
    path = xliff_of(ready)
    root = etree.fromstring(path.read_bytes())
    unit = next(u for u in root.iter(f"{X}trans-unit") if u.find(f"{X}source").text == "Liên hệ")
    unit.remove(unit.find(f"{X}target"))
    unit.set("approved", "yes")
    path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    result = run(ready, "import", str(path))
    assert result.exit_code != 70 and "internal error" not in result.output + result.stderr
    assert "marked approved with an empty translation" in result.output + result.stderr
    assert read_catalog(ready / PO / "ja.po", "ja", "demo").entries["Liên hệ"].msgstr == "お問い合わせ"
