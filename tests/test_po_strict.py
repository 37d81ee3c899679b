"""Strict PO drafts: a file msgfmt refuses is refused by every command and never rewritten.

The cases are PO files as an interrupted copy, a hand edit or another editor leaves them; each
must give what tests/test_hostile.py asks of a hostile input (one ``pubkit: error:`` line naming
the file and line, a non-zero exit, no traceback, the project untouched) from ``status``,
``build`` and ``translate`` alike. ``msgfmt`` is the outside oracle where it is installed.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import unicodedata
from pathlib import Path

import polib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO, has_tool
from pubkit.drafts import EntryState, read_catalog, update_catalog
from pubkit.drafts.syntax import check_po
from pubkit.errors import PubkitError
from pubkit.spec.segments import Segment
from test_hostile import PO, assert_refused

JA = PO / "ja.po"
CONTACT = 'msgid "Liên hệ"'
needs_msgfmt = pytest.mark.skipif(not has_tool("msgfmt"), reason="msgfmt (Debian gettext) not installed: "
                                                                   "no outside oracle to compare with")


def msgfmt_accepts(path: Path) -> bool:
    return subprocess.run(["msgfmt", "--check-format", "-o", "/dev/null", str(path)],
                          capture_output=True).returncode == 0


def line_of(text: str, needle: str, start: int = 0) -> int:
    return text.count("\n", 0, text.index(needle, start)) + 1


def rewrite(project: Path, change) -> str:
    """Replace ja.po by ``change(its text)``; returns the new text."""
    text = change((project / JA).read_text(encoding="utf-8"))
    (project / JA).write_bytes(text.encode("utf-8"))
    return text


# (id, setup(project) -> words the error must contain, whether msgfmt refuses the file too)
CASES = []


def case(name: str, msgfmt_refuses: bool = True):
    def register(setup):
        CASES.append(pytest.param(setup, msgfmt_refuses, id=name))
        return setup
    return register


@case("cut-in-last-msgstr")
def _(p):
    text = rewrite(p, lambda t: t[:t.rindex('msgstr "') + len('msgstr "') + 2])
    return f"ja.po:{text.count(chr(10)) + 1}:", "no closing quote", "restore the file from version control"


@case("cut-in-the-middle")
def _(p):
    text = rewrite(p, lambda t: t[:t.index('msgstr "タイグエン省はハノイ') + 12])
    return f"ja.po:{text.count(chr(10)) + 1}:", "no closing quote"


@case("cut-after-keyword")
def _(p):
    text = rewrite(p, lambda t: t[:t.rindex('msgstr "') + len("msgstr")])
    return f"ja.po:{text.count(chr(10)) + 1}:", "msgstr has no string after it"


@case("cut-after-msgid")
def _(p):
    text = rewrite(p, lambda t: t[:t.rindex('msgstr "')])
    return f"ja.po:{line_of(text, 'msgid', text.rindex(chr(10) + 'msgid'))}:", "has no msgstr"


@case("keyword-where-msgstr-should-be")
def _(p):
    text = rewrite(p, lambda t: t.replace('msgstr "地理的位置"', 'msgid "地理的位置"'))
    return f"ja.po:{line_of(text, CONTACT.replace('Liên hệ', 'Vị trí địa lý'))}:", "has no msgstr"


@case("duplicate-msgid")
def _(p):
    text = rewrite(p, lambda t: t + f"\n{CONTACT}\nmsgstr \"連絡先\"\n")
    first, second = line_of(text, CONTACT), line_of(text, CONTACT, text.rindex("\nmsgid"))
    return f"ja.po:{second}:", f"same msgid as on line {first}"


@case("duplicate-of-an-obsolete-entry")
def _(p):
    text = rewrite(p, lambda t: t + f"\n#~ {CONTACT}\n#~ msgstr \"連絡先\"\n")
    return f"ja.po:{line_of(text, '#~ msgid')}:", f"same msgid as on line {line_of(text, CONTACT)}"


@case("duplicate-once-normalised", msgfmt_refuses=False)
def _(p):
    text = rewrite(p, lambda t: t + f'\nmsgid "{unicodedata.normalize("NFD", "Liên hệ")}"\nmsgstr "連絡先"\n')
    return f"ja.po:{line_of(text, 'msgid', text.rindex(chr(10) + 'msgid'))}:", "same msgid as on line"


@case("invalid-escape")
def _(p):
    text = rewrite(p, lambda t: t.replace('msgstr "ヌイコック湖"', 'msgstr "ヌイコック\\q湖"'))
    return f"ja.po:{line_of(text, 'ヌイコック')}:", "invalid escape '\\q'"


# A byte-order mark is no longer refused: Windows editors write one, and the issue "PO files that stay
# theirs" asks pubkit to keep it (tests/test_po_writes.py). msgctxt is read now (each context once):


@case("duplicate-msgctxt-and-msgid")
def _(p):
    entry = f'\nmsgctxt "back_cover.heading"\n{CONTACT}\nmsgstr "連絡先"\n'
    text = rewrite(p, lambda t: t + entry + entry)
    first = line_of(text, "msgctxt")
    return f"ja.po:{first + 5}:", f"same msgctxt and msgid as on line {first + 1}"


@case("msgctxt-cut-off")
def _(p):
    text = rewrite(p, lambda t: t + '\nmsgctxt "back_cover.heading"\n')
    return f"ja.po:{line_of(text, 'msgctxt')}:", "msgctxt with no msgid after it"


# Found by the hand-edit property below: lines polib or msgfmt misread that the check once let through.
@case("comment-ending-in-a-backslash")
def _(p):
    text = rewrite(p, lambda t: t.replace(CONTACT, "# xem lại \\\n" + CONTACT))  # msgfmt joins the msgid to it
    return f"ja.po:{line_of(text, '# xem lại')}:", "a comment that ends with a backslash"


@case("bare-obsolete-marker", msgfmt_refuses=False)  # polib refuses the file
def _(p):
    text = rewrite(p, lambda t: t + "\n#~\n")
    return f"ja.po:{text.count(chr(10))}:", "#~ with nothing after it"


@case("comment-without-a-space", msgfmt_refuses=False)  # polib refuses the file
def _(p):
    text = rewrite(p, lambda t: t.replace(CONTACT, "#xem lại\n" + CONTACT))
    return f"ja.po:{line_of(text, '#xem lại')}:", "'#xem' is not a PO comment"


@case("translation-begins-with-a-line-break")
def _(p):
    text = rewrite(p, lambda t: t.replace('msgstr "ヌイコック湖"', 'msgstr "\\nヌイコック湖"'))
    return f"ja.po:{line_of(text, 'ヌイコック湖') - 1}:", "do not both begin with a line break"  # its msgid's line


COMMANDS = [pytest.param(("status",), id="status"), pytest.param(("build", "--out", "out"), id="build"),
            pytest.param(("translate", "--packages", "packages"), id="translate")]


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("setup, msgfmt_refuses", CASES)
def test_every_command_refuses_a_broken_po_file_and_leaves_it(project, monkeypatch, setup, msgfmt_refuses, command):
    assert_refused(project, monkeypatch, command, setup(project))


@needs_msgfmt
@pytest.mark.parametrize("setup, msgfmt_refuses", CASES)
def test_msgfmt_agrees_the_cases_are_broken(project, setup, msgfmt_refuses):
    assert msgfmt_accepts(project / JA)
    setup(project)
    assert msgfmt_accepts(project / JA) is not msgfmt_refuses


# --- what pubkit writes --------------------------------------------------------------------------

A = "Thái Nguyên có nhiều đồi chè."
B = "Hồ Núi Cốc rộng 25 km²."
B_EDITED = "Hồ Núi Cốc rộng 26 km²."
LONG = ("Thái Nguyên là trung tâm chính trị, kinh tế của vùng trung du miền núi Đông Bắc, cửa ngõ giao lưu "
        "kinh tế xã hội giữa vùng trung du miền núi với vùng đồng bằng Bắc Bộ.")
# B leaves the spec, comes back, is edited, and the edit is undone
STEPS = [[A, LONG], [A, B, LONG], [A, B_EDITED, LONG], [A, B, LONG]]


def segments_of(texts: list[str]) -> list[Segment]:
    return [Segment(text, f"sections[0].content[{i}]") for i, text in enumerate(texts)]


def reviewed_drafts(path: Path, texts: list[str], notes: dict[str, str] | None = None) -> dict[str, str]:
    """A PO file of ``texts`` with every entry reviewed; returns the translations."""
    update_catalog(path, "ja", "demo", segments_of(texts))
    po = polib.pofile(str(path))
    for entry in po:
        entry.msgstr = "訳:" + entry.msgid
        entry.comment += (notes or {}).get(entry.msgid, "")
    po.save()
    return {entry.msgid: entry.msgstr for entry in po}


def walk_steps(path: Path):
    """Yield after each update of STEPS, starting from reviewed drafts of A, B and LONG."""
    reviewed = reviewed_drafts(path, [A, B, LONG])
    for step in STEPS:
        update_catalog(path, "ja", "demo", segments_of(step))
        yield step, reviewed


def test_a_segment_that_comes_back_is_reviewed_again_and_no_source_is_kept_twice(tmp_path):
    path = tmp_path / "ja.po"
    for step, reviewed in walk_steps(path):
        entries = list(polib.pofile(str(path)))
        assert len({entry.msgid for entry in entries}) == len(entries)  # never an entry twice, obsolete or not
        catalog = read_catalog(path, "ja", "demo")
        if B in step:
            assert catalog.state(B) is EntryState.REVIEWED and catalog.entries[B].msgstr == reviewed[B]
        else:
            assert [(e.msgstr, "fuzzy" in e.flags) for e in entries if e.msgid == B and e.obsolete] == [
                (reviewed[B], False)]
        if B_EDITED in step:
            assert catalog.state(B_EDITED) is EntryState.FUZZY and catalog.entries[B_EDITED].previous_msgid == B


@needs_msgfmt
def test_msgfmt_accepts_every_file_pubkit_writes(tmp_path):
    path = tmp_path / "ja.po"
    for _ in walk_steps(path):
        assert msgfmt_accepts(path), path.read_text(encoding="utf-8")


@needs_msgfmt
def test_pubkit_is_at_least_as_strict_as_msgfmt_on_any_cut(tmp_path):
    """An interrupted copy can stop at any byte: wherever msgfmt refuses the rest, pubkit does too.

    Asked the other way round (wherever pubkit accepts, msgfmt does), so msgfmt runs only on the cuts
    pubkit accepts, and pubkit's check meets every cut: a cut it cannot read is a failure here, not
    only one msgfmt refuses (a bare "#|" line, which msgfmt takes as a comment, once raised a ValueError).
    """
    path = tmp_path / "ja.po"
    for step, _ in walk_steps(path):
        if B_EDITED in step:  # previous-source (#|), obsolete (#~), fuzzy and wrapped lines all present
            break
    data = path.read_bytes()
    cut = tmp_path / "cut.po"
    accepted = []
    for size in range(0, len(data), 2):
        try:
            check_po(data[:size], cut)
        except PubkitError:
            continue
        accepted.append(size)
        cut.write_bytes(data[:size])
        assert msgfmt_accepts(cut), data[:size].decode("utf-8", "replace")[-200:]
    refused = len(range(0, len(data), 2)) - len(accepted)
    assert accepted and refused > len(data) // 4  # the sweep met files both accept, and many broken ones


SAMPLE_JA = REPO / "brochures" / "thai-nguyen" / "translations" / "ja.po"
# what a hand edit or a careless tool leaves in a line: markers, keywords, quotes, escapes, stray bytes
DEBRIS = ["#|", "#~", "#~|", "#,", "#", "msgid", "msgstr", "msgctxt", '"', "\\", " ", "\t", "\r", "msgid_plural",
          "msgstr[0]", '"\\', "#| msgid", "#~ msgid", '#| msgctxt "', "\ufeff", "\u00e9"]
EDIT = st.tuples(st.sampled_from(["replace", "insert", "delete", "new line"]), st.integers(0, 10_000),
                 st.integers(0, 200), st.sampled_from(DEBRIS), st.sampled_from(DEBRIS))


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(EDIT, min_size=1, max_size=4), st.one_of(st.none(), st.integers(0, 60_000)))
def test_a_hand_broken_draft_is_refused_or_read_as_msgfmt_and_polib_read_it(edits, cut):
    """Whatever a hand edit does to a real draft, pubkit's check refuses it with a PubkitError, or accepts a
    file that polib reads and (where installed) msgfmt accepts: nothing gets past the check to fail later."""
    lines = SAMPLE_JA.read_text(encoding="utf-8").split("\n")
    for how, where, column, debris, more in edits:
        i = where % len(lines)
        if how == "replace":
            lines[i] = debris
        elif how == "insert":
            lines[i] = lines[i][:column] + debris + lines[i][column:]
        elif how == "delete":
            del lines[i]
        else:
            lines.insert(i, f"{debris} {more}")
    data = "\n".join(lines).encode("utf-8")
    if cut is not None:
        data = data[:cut % len(data)]
    try:
        check_po(data, Path("ja.po"))
    except PubkitError:
        return
    polib.pofile(data.decode("utf-8-sig"))  # raises on what polib cannot read
    if has_tool("msgfmt"):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "ja.po"
            path.write_bytes(data.removeprefix(b"\xef\xbb\xbf"))  # gettext 0.21 refuses a BOM (module docstring)
            assert msgfmt_accepts(path)


def test_edited_paragraph_prefers_the_old_entry_at_its_own_path(tmp_path):
    """The other old paragraph is more alike, but the one at the same spec path is the one that was edited."""
    old_here, old_elsewhere = "Tỉnh có sáu khu công nghiệp.", "Tỉnh có chín khu công nghiệp lớn."
    edited = "Tỉnh có chín khu công nghiệp."
    path = tmp_path / "ja.po"
    reviewed = reviewed_drafts(path, [old_here, old_elsewhere],
                               notes={old_here: "\npubkit: machine translation, route en→ja"})
    catalog = update_catalog(path, "ja", "demo", segments_of([edited]))
    assert catalog.entries[edited].previous_msgid == old_here
    assert catalog.entries[edited].msgstr == reviewed[old_here]


def test_empty_translation_is_missing_and_stops_the_build(project, run):
    po = polib.pofile(str(project / JA))
    entry = po.find("Vị trí địa lý")
    entry.msgstr = ""
    assert "fuzzy" not in entry.flags
    po.save()
    assert read_catalog(project / JA, "ja").state("Vị trí địa lý") is EntryState.MISSING
    status = run(project, "status")
    assert status.exit_code != 0 and "NOT READY" in status.output
    built = run(project, "build", "--lang", "ja", "--out", "out")
    assert built.exit_code != 0
    assert all(words in built.stderr for words in ("ja edition is not ready", "1 missing", "sections[0].heading"))
    assert not (project / "out").exists()  # no edition with the Vietnamese heading in it


def test_a_po_file_saved_in_nfd_still_matches_and_is_not_rewritten(project, run):
    assert run(project, "translate", "--packages", "packages").exit_code == 0  # pubkit's own header, once
    path = project / JA
    nfc = path.read_text(encoding="utf-8")
    path.write_bytes(unicodedata.normalize("NFD", nfc).encode("utf-8"))
    nfd = path.read_bytes()
    assert nfd != nfc.encode("utf-8")
    status = run(project, "status")
    assert status.exit_code == 0, status.output
    assert run(project, "translate", "--packages", "packages").exit_code == 0
    assert path.read_bytes() == nfd  # nothing changed, so nothing written
    update_catalog(path, "ja", "demo", segments_of([A]))  # a real update writes NFC
    text = path.read_text(encoding="utf-8")
    assert text == unicodedata.normalize("NFC", text) and "タイグエン省――発展の可能性と投資機会" in text


def test_translate_leaves_no_lock_file_and_the_lock_still_holds(project, run):
    from pubkit.commands.translate import drafts_lock

    folder = project / PO
    assert run(project, "translate", "--packages", "packages").exit_code == 0
    # the POT template is a translator's file too (Weblate, msgmerge); no lock or temp file beside them
    assert sorted(os.listdir(folder)) == ["demo.pot", "en.po", "ja.po", "ko.po", "zh.po"]
    with drafts_lock(folder):
        with pytest.raises(PubkitError, match="another pubkit command is writing these drafts"):
            with drafts_lock(folder):
                pass
    assert sorted(os.listdir(folder)) == ["demo.pot", "en.po", "ja.po", "ko.po", "zh.po"]
