"""PO drafts at the unit level: the strict syntax check and the catalog's review states and updates.

Written to kill mutants (docs/testing.md): each test states what a translator or a user sees —
which file is refused, on which line, with which fix; which entry counts as reviewed; what an
update keeps — with expected values written out here, never taken from the module under test.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

import polib
import pytest

from conftest import has_tool
from pubkit.drafts import EntryState, read_catalog, update_catalog
from pubkit.drafts.catalog import MEMORY_NOTE, needs_machine_translation, read_po, stale_machine_note, write_drafts
from pubkit.drafts.syntax import check_po, line_breaks_like
from pubkit.errors import PubkitError
from pubkit.spec.segments import Segment

RESTORE = "restore the file from version control"
MIXED = ("an entry with some lines obsolete (#~) and some not",
         "start all lines of an obsolete entry with #~, or " + RESTORE)
HEADER = 'msgid ""\nmsgstr ""\n"Language: ja\\n"\n\n'


def refusal(text: str | bytes) -> PubkitError:
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    with pytest.raises(PubkitError) as caught:
        check_po(data, Path("ja.po"))
    return caught.value


def accepted(text: str) -> None:
    check_po(text.encode("utf-8"), Path("ja.po"))  # raises if refused


# --- syntax: what is refused, where, and the fix ---------------------------------------------------

@pytest.mark.parametrize("text, line, problem, fix", [
    ('msgid "a"\nmsgstr "b"\nmsgid "c"\n', 3, "this msgid has no msgstr (is the file cut off?)",
     'add msgstr "" after its text, or ' + RESTORE),
    ('msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n', 4,
     "the same msgid as on line 1 (each source text may appear once)",
     "delete one of the two entries, keeping the reviewed translation"),
    ('msgid "a"\nmsgstr "b"\n#| msgid "old"\n', 3, "#| msgid with no msgid after it (is the file cut off?)", RESTORE),
    ('msgid "a"\nmsgstr "b"\n#| msgid "old"\n# note\nmsgid "c"\nmsgstr ""\n', 4,
     "a comment between #| msgid and its msgid", "move it above the #| line"),
    ('#| msgid "x"\n#| msgid "y"\nmsgid "a"\nmsgstr ""\n', 2, "a second #| msgid (the first is on line 1)",
     "keep one, or " + RESTORE),
    ('msgid "a"\nmsgstr ""\n#| "lost"\n', 3, "a #| string with no #| msgid before it",
     "put it right after its #| msgid line, or " + RESTORE),
    ('# a comment ends the header entry\nmsgstr "b"\n', 2, "msgstr with no msgid before it",
     "give it a msgid, or " + RESTORE),
    ('#. a comment ends the header entry\n"b"\n', 2, "a string with no msgid before it",
     "give it a msgid, or " + RESTORE),
    ('#| msgid "x"\nmsgstr "b"\n', 2, "msgstr with no msgid before it", "give it a msgid, or " + RESTORE),
    ('msgid "a"\nmsgstr "b"\nmsgstr "c"\n', 3, "a second msgstr for the msgid on line 1",
     "keep one of them, or " + RESTORE),
    ('#~ msgid "a"\nmsgstr "b"\n', 2, "an entry with some lines obsolete (#~) and some not",
     "start all lines of an obsolete entry with #~, or " + RESTORE),
    ('msgid "a"\n#~ msgstr "b"\n', 2, "an entry with some lines obsolete (#~) and some not",
     "start all lines of an obsolete entry with #~, or " + RESTORE),
    ('#~| msgid "x"\nmsgid "a"\nmsgstr ""\n', 2, "an entry with some lines obsolete (#~) and some not",
     "start all lines of an obsolete entry with #~, or " + RESTORE),
    ('#| msgid "x"\n#~ msgid "a"\n#~ msgstr ""\n', 2, "an entry with some lines obsolete (#~) and some not",
     "start all lines of an obsolete entry with #~, or " + RESTORE),
    ('msgid "a"\nmsgid_plural "as"\n', 2,
     "msgid_plural is not used in pubkit drafts (one msgid and one msgstr per segment)",
     "remove this entry, or " + RESTORE),
    ('msgid "a"\nmsgstr[0] "b"\n', 2,
     "msgstr[0] is not used in pubkit drafts (one msgid and one msgstr per segment)",
     "remove this entry, or " + RESTORE),
    ('msgid "a"\nmsgstr\n', 2, "msgstr has no string after it (is the file cut off?)",
     'write its text in quotes ("" if empty), or ' + RESTORE),
    ('msgid "a"\nmsgstr   \n', 2, "msgstr has no string after it (is the file cut off?)",
     'write its text in quotes ("" if empty), or ' + RESTORE),
    ('msgid "a"\nmsgstr b\n', 2, "the text after msgstr is not in quotes",
     'put it in quotes, writing \\" for a quote inside'),
    ('msgid "a"\nmsgstr "b" and then some more words\n', 2,
     "text after the closing quote: 'and then some more w'", 'put it inside the quotes, writing \\" for a quote inside'),
    ('msgid "a"\nmsgstr "b"x\n', 2, "text after the closing quote: 'x'",
     'put it inside the quotes, writing \\" for a quote inside'),
    ('msgid "a"\nmsgstr "b\\q"\n', 2, "invalid escape '\\q' in a string", "write \\\\ for a backslash, or remove it"),
    ('msgid "a"\nmsgstr "b\n', 2, "the string has no closing quote (is the file cut off?)",
     'close it with ", or ' + RESTORE),
    ('msgid "a"\nmsgstr "b\\"\n', 2, "the string has no closing quote (is the file cut off?)",
     'close it with ", or ' + RESTORE),
    ('msgid "a"\nmsgstr "b\\\n', 2, "the string has no closing quote (is the file cut off?)",
     'close it with ", or ' + RESTORE),
    ('msgid "a"\nmsgstr "b"\rmsgid "c"\n', 2, "a carriage return (CR) inside the line",
     "write \\r in a string, or break the line normally"),
    ('msgctxt "back_cover.heading"\n#| msgid "old"\nmsgid "a"\nmsgstr ""\n', 2,
     "a #| line between msgctxt and its msgid", "move it above the msgctxt line"),
    ('msgid "a"\nmsgstr "b"\n\nmsgctxt "x"\n', 4, "msgctxt with no msgid after it (is the file cut off?)", RESTORE),
    ('msgctxt "x"\nmsgctxt "y"\nmsgid "a"\nmsgstr ""\n', 2, "a second msgctxt (the first is on line 1)",
     "keep one, or " + RESTORE),
    ('msgctxt "x"\n# note\nmsgid "a"\nmsgstr ""\n', 2, "a comment between msgctxt and its msgid",
     "move it above the msgctxt line"),
    ('msgctxt "x"\nmsgstr ""\n', 2, "msgstr right after msgctxt (on line 1)",
     "put the entry's msgid between them, or " + RESTORE),
    ('msgctxt "x"\nmsgid "a"\nmsgstr ""\n\nmsgctxt "x"\nmsgid "a"\nmsgstr "b"\n', 6,
     "the same msgctxt and msgid as on line 2 (each source text may appear once per context)",
     "delete one of the two entries, keeping the reviewed translation"),
    ('msgctxt "x"\n"y"\nmsgid "a"\nmsgstr ""\n\nmsgctxt "xy"\nmsgid "a"\nmsgstr ""\n', 7,
     "the same msgctxt and msgid as on line 3 (each source text may appear once per context)",
     "delete one of the two entries, keeping the reviewed translation"),
    ('#~ msgctxt "x"\nmsgid "a"\nmsgstr ""\n', 2, *MIXED),
    ('#~ msgctxt "x"\n"y"\nmsgid "a"\nmsgstr ""\n', 2, *MIXED),
    ('#| msgid "old"\n#~ msgctxt "x"\n#~ msgid "a"\n#~ msgstr ""\n', 2, *MIXED),
    # what polib or msgfmt would misread (tests/test_po_strict.py's hand-edit property found them)
    ('#|\nmsgid "a"\nmsgstr ""\n', 1, "#| with no msgctxt or msgid after it (is the file cut off?)",
     "delete the line, or " + RESTORE),
    ('msgid "a"\nmsgstr ""\n#~\n', 3, "#~ with nothing after it (is the file cut off?)", "delete the line, or " + RESTORE),
    ('#~ #, fuzzy\n#~ msgid "a"\n#~ msgstr ""\n', 1, "#, after #~",
     "start an obsolete entry's lines with one #~ (#~| for its previous source), or " + RESTORE),
    ('#~msgid "a"\n#~ msgstr ""\n', 1, "no space after #~ in '#~msgid \"a\"'", "write a space after #~"),
    ('#~msgid "abcdef"\n#~ msgstr ""\n', 1, "no space after #~ in '#~msgid \"abc'", "write a space after #~"),
    ('#x\nmsgid "a"\nmsgstr ""\n', 1, "'#x' is not a PO comment", "write a space after the # of a translator's comment"),
    ('#translator-note\nmsgid "a"\nmsgstr ""\n', 1, "'#translator-' is not a PO comment",
     "write a space after the # of a translator's comment"),
    ('#, python-format\nmsgid "a"\nmsgstr "\\nb"\n', 2, "the msgid and msgstr do not both begin with a line break (\\n)",
     "add or remove the \\n at the start of the translation"),  # a flag, but not fuzzy
    ('# fuzzy match, checked\nmsgid "a"\nmsgstr "\\nb"\n', 2,  # the word in a translator's comment is no flag
     "the msgid and msgstr do not both begin with a line break (\\n)", "add or remove the \\n at the start of the translation"),
    ('#.x\nmsgid "a"\nmsgstr ""\n', 1, "'#.x' is not a PO comment", "write a space after the # of a translator's comment"),
    ('# note \\\nmsgid "a"\nmsgstr ""\n', 1, "a comment that ends with a backslash", "remove the backslash, or " + RESTORE),
    ('#| msgctxt "x"\nmsgid "a"\nmsgstr ""\n', 1, "#| msgctxt with no #| msgid after it",
     "add the #| msgid line, or " + RESTORE),
    ('msgid "a"\nmsgstr "\\nb"\n', 1, "the msgid and msgstr do not both begin with a line break (\\n)",
     "add or remove the \\n at the start of the translation"),
    ('msgid "a\\n"\nmsgstr "b"\n', 1, "the msgid and msgstr do not both end with a line break (\\n)",
     "add or remove the \\n at the end of the translation"),
    ('msgid ""\n"a"\nmsgstr "b"\n"\\n"\n', 1, "the msgid and msgstr do not both end with a line break (\\n)",
     "add or remove the \\n at the end of the translation"),
    ('#, fuzzy\nmsgid "a"\nmsgstr "\\nb"\n\nmsgid "c"\nmsgstr "\\nd"\n', 5,
     "the msgid and msgstr do not both begin with a line break (\\n)", "add or remove the \\n at the start of the translation"),
])
def test_a_broken_po_file_is_refused_at_its_line_with_the_fix(text, line, problem, fix):
    offset = HEADER.count("\n")  # the lines of the header before the case's text
    error = refusal(HEADER + text)
    assert error.line == line + offset
    problem = re.sub(r"line (\d+)", lambda number: f"line {int(number.group(1)) + offset}", problem)
    assert error.problem == "this draft file is not a valid PO file: " + problem
    assert error.fix == fix
    assert error.file == "ja.po"


@pytest.mark.parametrize("text", [
    '#, fuzzy\nmsgid "a"\nmsgstr "\\nb"\n',             # msgfmt leaves a fuzzy entry's line breaks alone
    '#, python-format, fuzzy\nmsgid "a"\nmsgstr "b\\n"\n',
    '#, python-format,fuzzy\nmsgid "a"\nmsgstr "b\\n"\n',  # flags split at commas, spaces or not
    '#~ msgid "a"\n#~ msgstr "\\nb"\n',                  # and an obsolete one's
    '#~\tmsgid "a"\n#~ msgstr "b"\n',
    'msgid "a\\n"\nmsgstr ""\n',                       # and an untranslated one's
    'msgid "\\na\\n"\nmsgstr "\\nb\\n"\n',
    '## a comment\n#. a note\n#: a reference\n#, fuzzy\n#\nmsgid "a"\nmsgstr "b"\n',
])
def test_comments_and_line_breaks_msgfmt_and_polib_read_alike_are_accepted(text):
    check_po((HEADER + text).encode("utf-8"), Path("ja.po"))


def test_a_file_without_a_header_checks_its_first_entry_s_line_breaks():
    error = refusal('msgid "a"\nmsgstr "\\nb"\n')
    assert error.line == 1 and "do not both begin with a line break" in error.problem


def test_an_unknown_keyword_is_refused_and_quoted_up_to_30_characters():
    for text, line, keywords, found in (
            ('msgid "a"\nmsgstrx "a rather long translated text"\n', 6, "msgctxt or msgid or msgstr",
             'msgstrx "a rather long transla'),
            ('#| msgstr "a"\n', 5, "msgctxt or msgid", 'msgstr "a"')):
        error = refusal(HEADER + text)
        assert error.line == line and error.fix == "fix the line in your PO editor, or " + RESTORE
        assert error.problem == (f"this draft file is not a valid PO file: expected {keywords}, a quoted string or "
                                 f"a # comment, found '{found}'")


def test_text_that_is_not_utf8_is_refused_at_its_line():
    error = refusal(HEADER.encode() + b'msgid "a"\nmsgstr "caf\xe9"\n')
    assert error.line == 6
    assert error.problem == "this draft file is not a valid PO file: this line is not UTF-8 text"
    assert error.fix == "save the file as UTF-8 in your PO editor, or " + RESTORE


def test_what_editors_write_is_accepted():
    accepted(HEADER + '# translator note\n#. title\n#, fuzzy\n#| msgid "old"\n#| "er"\nmsgid ""\n"wrapped "\n'
             '"source"\nmsgstr "a \\"quote\\" \\t\\\\ \\n\\r\\v\\b\\f"\n\n'
             '#~| msgid "gone before"\n#~ msgid "gone"\n#~ msgstr "\u304d\u3048\u305f"\n\n'
             '   msgid "indented"   \nmsgstr "x"\n')
    accepted((HEADER + 'msgid "a"\nmsgstr "b"\n').replace("\n", "\r\n"))  # Windows line ends
    accepted("")


def test_a_previous_source_may_hold_a_bar():
    """Only the first ``|`` of a ``#|`` line is its marker: an old source "a|b" is text, not a second marker."""
    accepted(HEADER + '#| msgid "a|b"\nmsgid "c"\nmsgstr ""\n')


def test_a_msgid_is_the_whole_of_its_strings_and_the_msgstr_is_not_part_of_it():
    """Continuation lines belong to the msgid until its msgstr: "a" "b" is the source "ab"."""
    error = refusal(HEADER + 'msgid "a"\n"b"\nmsgstr ""\n\nmsgid "ab"\nmsgstr ""\n')
    assert error.line == 9 and "same msgid as on line 5" in error.problem
    accepted(HEADER + 'msgid "a"\nmsgstr ""\n"b"\n\nmsgid "ab"\nmsgstr ""\n')


def test_escapes_are_decoded_before_sources_are_compared():
    error = refusal(HEADER + 'msgid "a\tb"\nmsgstr ""\n\nmsgid "a\\tb"\nmsgstr ""\n')
    assert error.line == 8 and "same msgid as on line 5" in error.problem
    accepted(HEADER + 'msgid "a\\\\tb"\nmsgstr ""\n\nmsgid "a\\tb"\nmsgstr ""\n')


def test_an_obsolete_entry_with_its_previous_source_is_one_entry():
    accepted(HEADER + '#~| msgid "old"\n#~ msgid "new"\n#~ msgstr "x"\n\nmsgid "old"\nmsgstr "y"\n')


def test_a_comment_ends_an_entry_but_a_previous_source_line_does_not_start_one():
    """A #| line right after an entry with no msgstr names the entry, not the #| line."""
    error = refusal(HEADER + 'msgid "a"\n#| msgid "old"\nmsgid "b"\nmsgstr ""\n')
    assert error.line == 5 and "this msgid has no msgstr" in error.problem


# --- catalog: review states ---------------------------------------------------------------------

def po_text(*entries: str, language: str = "ja", project: str | None = None) -> str:
    header = f'"Language: {language}\\n"\n' + (f'"Project-Id-Version: {project}\\n"\n' if project else "")
    return 'msgid ""\nmsgstr ""\n' + header + "\n" + "\n".join(entries)


def catalog_of(tmp_path: Path, *entries: str, **header):
    path = tmp_path / "ja.po"
    path.write_text(po_text(*entries, **header), encoding="utf-8")
    return read_catalog(path, "ja", "demo")


def test_review_states_and_what_prints(tmp_path):
    catalog = catalog_of(tmp_path, 'msgid "reviewed"\nmsgstr "済"\n', '#, fuzzy\nmsgid "machine"\nmsgstr "機械"\n',
                         'msgid "empty"\nmsgstr ""\n', '#, fuzzy\nmsgid "fuzzy empty"\nmsgstr ""\n',
                         'msgid "blank"\nmsgstr "  "\n', '#~ msgid "obsolete"\n#~ msgstr "古い"\n')
    expected = {"reviewed": (EntryState.REVIEWED, "済", "済"), "machine": (EntryState.FUZZY, None, "機械"),
                "empty": (EntryState.MISSING, None, None), "fuzzy empty": (EntryState.MISSING, None, None),
                "blank": (EntryState.MISSING, None, None), "obsolete": (EntryState.MISSING, None, None),
                "not in the file": (EntryState.MISSING, None, None)}
    for source, (state, printed, draft) in expected.items():
        assert catalog.state(source) is state, source
        assert catalog.translation(source, include_unreviewed=False) == printed, source
        assert catalog.translation(source, include_unreviewed=True) == draft, source
    assert sorted(catalog.entries) == ["blank", "empty", "fuzzy empty", "machine", "reviewed"]
    assert (catalog.path, catalog.language) == (tmp_path / "ja.po", "ja")


def test_a_file_not_written_yet_is_an_empty_catalog(tmp_path):
    catalog = read_catalog(tmp_path / "ja.po", "ja", "demo")
    assert catalog.entries == {} and catalog.language == "ja" and catalog.path == tmp_path / "ja.po"
    assert catalog.state("x") is EntryState.MISSING


def test_nfd_sources_and_translations_are_read_as_nfc(tmp_path):
    source, target = "Liên hệ", "Liên hệ (vi)"
    nfd = unicodedata.normalize("NFD", source)
    assert nfd != source
    catalog = catalog_of(tmp_path, f'msgid "{nfd}"\nmsgstr "{unicodedata.normalize("NFD", target)}"\n')
    assert catalog.translation(source, include_unreviewed=False) == target


@pytest.mark.parametrize("declared", ["ja", "ja_JP", "ja-JP", " ja ", ""])
def test_a_file_for_this_language_is_read(tmp_path, declared):
    catalog = catalog_of(tmp_path, 'msgid "a"\nmsgstr "b"\n', language=declared)
    assert catalog.translation("a", include_unreviewed=False) == "b"


def test_a_file_for_another_language_is_refused(tmp_path):
    with pytest.raises(PubkitError) as caught:
        catalog_of(tmp_path, 'msgid "a"\nmsgstr "b"\n', language="ko_KR")
    error = caught.value
    assert error.problem == "this draft file is for language 'ko', not 'ja'"
    assert error.fix == "put it in ko.po, or restore ja.po from version control"
    assert error.file.endswith("ja.po")


@pytest.mark.parametrize("project", ["demo", "PACKAGE VERSION", " demo "])
def test_a_file_of_this_brochure_or_a_template_is_read(tmp_path, project):
    assert catalog_of(tmp_path, 'msgid "a"\nmsgstr "b"\n', project=project).state("a") is EntryState.REVIEWED


def test_a_file_of_another_brochure_is_refused_unless_no_brochure_is_named(tmp_path):
    with pytest.raises(PubkitError) as caught:
        catalog_of(tmp_path, 'msgid "a"\nmsgstr "b"\n', project="ha-noi")
    assert caught.value.problem == "this draft file belongs to brochure 'ha-noi', not 'demo'"
    assert caught.value.fix == "copy the right file from brochures/ha-noi, or restore it from version control"
    assert read_catalog(tmp_path / "ja.po", "ja").state("a") is EntryState.REVIEWED


def test_a_file_polib_cannot_read_is_one_error_with_its_line(tmp_path, monkeypatch):
    path = tmp_path / "ja.po"
    path.write_text(po_text('msgid "a"\nmsgstr "b"\n'), encoding="utf-8")

    def broken(*args, **kwargs):
        raise OSError("Syntax error in po file (line 7)" + " and a very long explanation" * 5)

    monkeypatch.setattr(polib, "pofile", broken)
    with pytest.raises(PubkitError) as caught:
        read_po(path, "ja")
    error = caught.value
    assert error.line == 7
    assert error.problem == "this draft file is not a valid PO file (Syntax error)"
    assert error.fix == "fix the line in your PO editor, or " + RESTORE

    def long_reason(*args, **kwargs):
        raise ValueError("x" * 100)

    monkeypatch.setattr(polib, "pofile", long_reason)
    with pytest.raises(PubkitError) as caught:
        read_po(path, "ja")
    assert caught.value.problem == f"this draft file is not a valid PO file ({'x' * 77}…)"
    assert caught.value.line is None

    def exact_reason(*args, **kwargs):
        raise ValueError("y" * 79)

    monkeypatch.setattr(polib, "pofile", exact_reason)
    with pytest.raises(PubkitError) as caught:
        read_po(path, "ja")
    assert caught.value.problem == f"this draft file is not a valid PO file ({'y' * 79})"

    monkeypatch.setattr(polib, "pofile", lambda *a, **k: (_ for _ in ()).throw(ValueError("z" * 80)))
    with pytest.raises(PubkitError) as caught:
        read_po(path, "ja")
    assert caught.value.problem == f"this draft file is not a valid PO file ({'z' * 77}…)"


def test_a_file_changed_while_read_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "ja.po"
    path.write_text(po_text('msgid "a"\nmsgstr "b"\n'), encoding="utf-8")
    real = polib.pofile

    def changing(*args, **kwargs):
        result = real(*args, **kwargs)
        path.write_text(po_text('msgid "a"\nmsgstr "c"\n'), encoding="utf-8")  # a sync tool wrote meanwhile
        return result

    monkeypatch.setattr(polib, "pofile", changing)
    with pytest.raises(PubkitError) as caught:
        read_catalog(path, "ja", "demo")
    assert caught.value.problem == "the file changed on disk while pubkit read it"
    assert caught.value.fix == "run the command again" and caught.value.file == str(path)


def test_the_strict_check_runs_before_polib(tmp_path):
    path = tmp_path / "ja.po"
    path.write_text(po_text('msgid "a"\nmsgstr "cut'), encoding="utf-8")
    with pytest.raises(PubkitError, match="no closing quote") as caught:
        read_catalog(path, "ja", "demo")
    assert caught.value.line == 6


# --- catalog: updates ----------------------------------------------------------------------------

def segs(*pairs: tuple[str, str]) -> list[Segment]:
    return [Segment(text, path) for text, path in pairs]


def review(path: Path, translations: dict[str, str], comments: dict[str, str] | None = None) -> None:
    po = polib.pofile(str(path))
    for entry in po:
        if entry.msgid in translations:
            entry.msgstr = translations[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        entry.tcomment = (comments or {}).get(entry.msgid, entry.tcomment)
    po.save()


def test_a_new_file_gets_pubkits_header_and_one_empty_entry_per_source(tmp_path):
    path = tmp_path / "ja.po"
    catalog = update_catalog(path, "ja", "demo", segs(("Liên hệ", "back_cover.heading"), ("Hồ", "caption"),
                                                     ("Liên hệ", "sections[0].heading")))
    po = polib.pofile(str(path))
    assert {key: po.metadata.get(key) for key in ("Project-Id-Version", "Last-Translator", "Language-Team",
                                                   "MIME-Version", "Content-Type", "Content-Transfer-Encoding",
                                                   "X-Generator", "Language")} == {
        "Project-Id-Version": "demo", "Last-Translator": "", "Language-Team": "", "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "8bit", "X-Generator": "pubkit",
        "Language": "ja"}
    assert [(e.msgid, e.msgstr, e.flags, e.comment) for e in po] == [
        ("Liên hệ", "", [], "back_cover.heading\nsections[0].heading"), ("Hồ", "", [], "caption")]
    assert sorted(catalog.entries) == ["Hồ", "Liên hệ"] and catalog.state("Hồ") is EntryState.MISSING
    assert (catalog.path, catalog.language) == (path, "ja")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert max(len(line) for line in lines) <= 80


def test_long_lines_are_wrapped_as_poedit_does(tmp_path):
    path = tmp_path / "ja.po"
    long = " ".join(["Thái Nguyên"] * 20)
    update_catalog(path, "ja", "demo", segs((long, "title")))
    text = path.read_text(encoding="utf-8")
    assert 'msgid ""\n"Thái Nguyên' in text
    assert all(len(line) <= 79 for line in text.splitlines())
    written = {e.msgid for e in polib.pofile(str(path))}
    assert long in written


def test_a_translators_header_is_kept_but_the_language_is_pubkits(tmp_path):
    path = tmp_path / "ja.po"
    path.write_text('msgid ""\nmsgstr ""\n"Last-Translator: Yuki <y@example.jp>\\n"\n"X-Generator: Poedit 3.4\\n"\n\n'
                    'msgid "a"\nmsgstr "b"\n', encoding="utf-8")
    update_catalog(path, "ja", "demo", segs(("a", "title"), ("c", "subtitle")))
    metadata = polib.pofile(str(path)).metadata
    assert metadata["Last-Translator"] == "Yuki <y@example.jp>" and metadata["X-Generator"] == "Poedit 3.4"
    assert metadata["Language"] == "ja" and metadata["Project-Id-Version"] == "demo"


def test_an_update_that_changes_nothing_does_not_write(tmp_path, monkeypatch):
    path = tmp_path / "ja.po"
    update_catalog(path, "ja", "demo", segs(("a", "title")))
    writes = []
    monkeypatch.setattr("pubkit.drafts.catalog.write_atomic", lambda *args: writes.append(args))
    catalog = update_catalog(path, "ja", "demo", segs(("a", "title")))
    assert writes == [] and list(catalog.entries) == ["a"]
    update_catalog(path, "ja", "demo", segs(("a", "subtitle")))
    assert [p for p, _ in writes] == [path]


def test_removed_segments_become_obsolete_last_and_come_back_reviewed(tmp_path):
    path = tmp_path / "ja.po"
    update_catalog(path, "ja", "demo", segs(("one", "a"), ("two", "b"), ("three", "c")))
    review(path, {"one": "一", "two": "二", "three": "三"})
    catalog = update_catalog(path, "ja", "demo", segs(("three", "c"), ("one", "a")))
    po = polib.pofile(str(path))
    assert [(e.msgid, e.obsolete, e.msgstr) for e in po] == [("three", False, "三"), ("one", False, "一"),
                                                             ("two", True, "二")]
    assert sorted(catalog.entries) == ["one", "three"]
    catalog = update_catalog(path, "ja", "demo", segs(("two", "b"), ("three", "c")))
    assert catalog.state("two") is EntryState.REVIEWED and catalog.entries["two"].msgstr == "二"
    assert [(e.msgid, e.obsolete) for e in polib.pofile(str(path))] == [("two", False), ("three", False),
                                                                        ("one", True)]


def test_an_edited_paragraph_starts_from_its_old_translation_fuzzy(tmp_path):
    path = tmp_path / "ja.po"
    old, new = "Tỉnh có sáu khu công nghiệp lớn.", "Tỉnh có bảy khu công nghiệp lớn."
    update_catalog(path, "ja", "demo", segs((old, "sections[0].content[0]"), ("other", "title")))
    review(path, {old: "工業団地は六つ。"}, comments={old: "checked by Yuki"})
    catalog = update_catalog(path, "ja", "demo", segs((new, "sections[0].content[0]"), ("other", "title")))
    entry = catalog.entries[new]
    assert (entry.msgstr, entry.previous_msgid, entry.tcomment, entry.flags) == (
        "工業団地は六つ。", old, "checked by Yuki", ["fuzzy"])
    assert catalog.state(new) is EntryState.FUZZY
    obsolete = [e for e in polib.pofile(str(path)) if e.obsolete]
    assert [(e.msgid, e.msgstr, e.flags) for e in obsolete] == [(old, "工業団地は六つ。", [])]


def test_only_an_old_entry_with_a_translation_is_inherited(tmp_path):
    path = tmp_path / "ja.po"
    old, new = "Tỉnh có sáu khu công nghiệp lớn.", "Tỉnh có bảy khu công nghiệp lớn."
    update_catalog(path, "ja", "demo", segs((old, "p")))
    catalog = update_catalog(path, "ja", "demo", segs((new, "p")))
    assert catalog.entries[new].msgstr == "" and catalog.entries[new].previous_msgid is None
    assert catalog.entries[new].flags == []


def test_an_old_translation_is_inherited_once(tmp_path):
    path = tmp_path / "ja.po"
    old = "Tỉnh có sáu khu công nghiệp lớn."
    update_catalog(path, "ja", "demo", segs((old, "p")))
    review(path, {old: "六"})
    catalog = update_catalog(path, "ja", "demo", segs(("Tỉnh có bảy khu công nghiệp lớn.", "p"),
                                                     ("Tỉnh có tám khu công nghiệp lớn.", "q")))
    inherited = [e.msgid for e in catalog.entries.values() if e.msgstr == "六"]
    assert inherited == ["Tỉnh có bảy khu công nghiệp lớn."]


@pytest.mark.parametrize("new, same_path, inherits", [
    ("abcdefghij", False, True),      # identical text: ratio 1.0
    ("abcdefXXXX", False, True),      # ratio exactly 0.6: the threshold counts
    ("abcdeXXXXX", False, False),     # ratio 0.5
    ("abcdeXXXXX", True, False),      # the same place in the spec does not make an unlike text an edit
    ("XXXXXXXXXX", True, False),      # nothing alike, same place
])
def test_how_alike_an_edit_must_be_to_inherit(tmp_path, new, same_path, inherits):
    path = tmp_path / "ja.po"
    old = "abcdefghij"
    update_catalog(path, "ja", "demo", segs((old, "p"), ("keep", "k")))
    review(path, {old: "訳"})
    if new == old:  # an unchanged source at another path is the same entry, not an inheritance
        return
    catalog = update_catalog(path, "ja", "demo", segs((new, "p" if same_path else "elsewhere"), ("keep", "k")))
    assert (catalog.entries[new].msgstr == "訳") is inherits


def test_the_most_alike_old_entry_is_inherited(tmp_path):
    path = tmp_path / "ja.po"
    update_catalog(path, "ja", "demo", segs(("abcdefghXX", "p"), ("abcdefghiX", "q"), ("abcdefgXXX", "r")))
    review(path, {"abcdefghXX": "八", "abcdefghiX": "九", "abcdefgXXX": "七"})
    catalog = update_catalog(path, "ja", "demo", segs(("abcdefghij", "z")))
    assert catalog.entries["abcdefghij"].msgstr == "九"


def test_the_old_entry_at_the_same_place_wins_unless_another_is_clearly_more_alike(tmp_path):
    path = tmp_path / "ja.po"
    new = "abcdefghijklmnopqrst"
    here, elsewhere, closer = "abcdefghijklmnXXXXXX", "abcdefghijklmnoYYYYY", "abcdefghijklmnopqZZZ"  # 0.7, 0.75, 0.85
    update_catalog(path, "ja", "demo", segs((here, "p"), (elsewhere, "q")))
    review(path, {here: "此処", elsewhere: "他所"})
    assert update_catalog(path, "ja", "demo", segs((new, "p"))).entries[new].msgstr == "此処"
    path.unlink()
    update_catalog(path, "ja", "demo", segs((here, "p"), (closer, "q")))
    review(path, {here: "此処", closer: "近い"})
    assert update_catalog(path, "ja", "demo", segs((new, "p"))).entries[new].msgstr == "近い"


def test_a_tie_goes_to_the_later_old_entry(tmp_path):
    path = tmp_path / "ja.po"
    update_catalog(path, "ja", "demo", segs(("abcdefghXY", "p"), ("abcdefghYX", "q")))
    review(path, {"abcdefghXY": "前", "abcdefghYX": "後"})
    catalog = update_catalog(path, "ja", "demo", segs(("abcdefghij", "z")))
    assert catalog.entries["abcdefghij"].msgstr == "後"


def test_translation_memory_fills_a_new_source_fuzzy_and_says_so(tmp_path):
    path = tmp_path / "ja.po"
    catalog = update_catalog(path, "ja", "demo", segs(("Liên hệ", "back_cover.heading"), ("Hồ", "caption")),
                             memory={"Liên hệ": "お問い合わせ", "other": "x"})
    entry = catalog.entries["Liên hệ"]
    assert (entry.msgstr, entry.flags, entry.comment) == ("お問い合わせ", ["fuzzy"],
                                                          "back_cover.heading\n" + MEMORY_NOTE)
    assert catalog.entries["Hồ"].msgstr == "" and catalog.entries["Hồ"].flags == []
    assert update_catalog(path, "ja", "demo", segs(("Liên hệ", "back_cover.heading")),
                          memory={"Liên hệ": "別"}).entries["Liên hệ"].msgstr == "お問い合わせ"


def test_an_edit_is_preferred_to_translation_memory(tmp_path):
    path = tmp_path / "ja.po"
    old, new = "Tỉnh có sáu khu công nghiệp lớn.", "Tỉnh có bảy khu công nghiệp lớn."
    update_catalog(path, "ja", "demo", segs((old, "p")))
    review(path, {old: "旧"})
    catalog = update_catalog(path, "ja", "demo", segs((new, "p")), memory={new: "記憶"})
    assert catalog.entries[new].msgstr == "旧"


def test_pubkit_notes_are_kept_and_paths_rewritten(tmp_path):
    path = tmp_path / "ja.po"
    update_catalog(path, "ja", "demo", segs(("a", "title")))
    po = polib.pofile(str(path))
    po[0].comment = "title\nsomeone's note\npubkit: machine translation, route en→ja"
    po.save()
    catalog = update_catalog(path, "ja", "demo", segs(("a", "subtitle")))
    assert catalog.entries["a"].comment == "subtitle\npubkit: machine translation, route en→ja"


def test_machine_drafts_fill_only_untranslated_active_entries(tmp_path):
    path = tmp_path / "ja.po"
    update_catalog(path, "ja", "demo", segs(("done", "a"), ("todo", "b"), ("gone", "c")))
    review(path, {"done": "済", "gone": "古"})
    update_catalog(path, "ja", "demo", segs(("done", "a"), ("todo", "b")))
    drafts = [polib.POEntry(msgid=source, msgstr="機械:" + source, flags=["fuzzy"],
                            comment="pubkit: machine translation") for source in ("done", "todo", "gone", "new")]
    write_drafts(path, "ja", "demo", drafts)
    po = polib.pofile(str(path))
    assert [(e.msgid, e.msgstr, e.flags, e.obsolete) for e in po] == [
        ("done", "済", [], False), ("todo", "機械:todo", ["fuzzy"], False), ("gone", "古", [], True)]
    assert po.find("todo").comment == "pubkit: machine translation"
    assert po.find("done").comment == "a"


# --- syntax: a previous context (#| msgctxt) ------------------------------------------------------

def test_a_previous_context_and_previous_source_are_one_previous_entry():
    """msgmerge writes ``#| msgctxt`` then ``#| msgid`` for an edited entry that has a context."""
    text = (HEADER + '#, fuzzy\n#| msgctxt "back_cover.heading"\n#| msgid "Liên hệ"\nmsgctxt "back_cover.heading"\n'
            'msgid "Liên hệ chung"\nmsgstr "連絡先"\n\n#~| msgctxt "title"\n#~| msgid "cũ"\n#~ msgctxt "title"\n'
            '#~ msgid "mới"\n#~ msgstr "新"\n')
    accepted(text)
    error = refusal(HEADER + '#| msgctxt "c"\n#| msgid "x"\n#| msgid "y"\nmsgid "a"\nmsgstr ""\n')
    assert error.line == 7 and error.problem.endswith("a second #| msgid (the first is on line 5)")


# --- catalog: a translator's context entry for one place -------------------------------------------

def test_a_context_entry_serves_its_own_place_and_no_other(tmp_path):
    catalog = catalog_of(tmp_path, '#, fuzzy\nmsgid "Liên hệ"\nmsgstr "機械"\n',
                         'msgctxt "back_cover.heading"\nmsgid "Liên hệ"\nmsgstr "連絡先"\n')
    here, elsewhere = "back_cover.heading", "sections[0].heading"
    assert catalog.state("Liên hệ", here) is EntryState.REVIEWED
    assert catalog.translation("Liên hệ", include_unreviewed=False, path=here) == "連絡先"
    assert catalog.translation("Liên hệ", include_unreviewed=True, path=here) == "連絡先"
    assert catalog.state("Liên hệ", elsewhere) is EntryState.FUZZY
    assert catalog.translation("Liên hệ", include_unreviewed=False, path=elsewhere) is None
    assert catalog.translation("Liên hệ", include_unreviewed=True, path=elsewhere) == "機械"
    assert catalog.state("Liên hệ") is EntryState.FUZZY
    assert catalog.state("Hồ", here) is EntryState.MISSING


# --- catalog: how an edit is recognised -------------------------------------------------------------

PARKS = ("Yên Bình", "Điềm Thụy", "Sông Công I", "Sông Công II", "Nam Phổ Yên", "Quyết Thắng", "Phú Bình",
         "Tây Phổ Yên", "Kha Sơn", "Đại Từ")
PARKS_ASCII = ("Yen Binh", "Diem Thuy", "Song Cong I", "Song Cong II", "Nam Pho Yen", "Quyet Thang", "Phu Binh",
               "Tay Pho Yen", "Kha Son", "Dai Tu")


def test_a_long_paragraph_given_its_diacritics_is_an_edit_that_keeps_its_translation(tmp_path):
    """Over 200 characters, every character still counts: the spaces and common letters of a
    paragraph typed without diacritics match its corrected version (85 % alike)."""
    path = tmp_path / "ja.po"
    typed = "Cac khu cong nghiep: " + ", ".join("khu cong nghiep " + p for p in PARKS_ASCII) + "."
    corrected = "Các khu công nghiệp: " + ", ".join("khu công nghiệp " + p for p in PARKS) + "."
    assert len(typed) > 200
    update_catalog(path, "ja", "demo", segs((typed, "sections[1].content[0]")))
    review(path, {typed: "工業団地一覧"})
    entry = update_catalog(path, "ja", "demo", segs((corrected, "sections[1].content[0]"))).entries[corrected]
    assert (entry.msgstr, entry.previous_msgid, entry.flags) == ("工業団地一覧", typed, ["fuzzy"])


STALE = "pubkit: check: machine draft of the previous source"


@pytest.mark.parametrize("flags, note", [
    (["fuzzy"], "pubkit: prefilled from translation memory"),   # unreviewed, but no model wrote it
    ([], "pubkit: machine translation, route en→ja"),           # a model wrote it, a reviewer accepted it
], ids=["memory-fuzzy", "machine-reviewed"])  # ASCII ids: mutmut passes node ids back to pytest, which escapes the rest
def test_only_an_unreviewed_machine_draft_is_marked_for_a_new_machine_translation(tmp_path, flags, note):
    path = tmp_path / "ja.po"
    old, new = "Tỉnh có sáu khu công nghiệp lớn.", "Tỉnh có bảy khu công nghiệp lớn."
    update_catalog(path, "ja", "demo", segs((old, "p")))
    po = polib.pofile(str(path))
    po.find(old).msgstr, po.find(old).flags, po.find(old).comment = "六つ", flags, "p\n" + note
    po.save()
    update_catalog(path, "ja", "demo", segs((new, "p")))
    text = written(path)
    assert STALE not in text
    assert '#. p\n#, fuzzy\n#| msgid "Tỉnh có sáu khu công nghiệp lớn."\nmsgid "Tỉnh có bảy khu công nghiệp lớn."\n' \
           'msgstr "六つ"\n' in text


# --- update_catalog / write_drafts: the header, the brochure, references ----------------------------

def written(path: Path) -> str:
    """The file's text with its line ends as written (read_text would turn CRLF into LF)."""
    return path.read_bytes().decode("utf-8")


EPOCH_2030 = "1893456000"  # SOURCE_DATE_EPOCH for 2030-01-01 00:00 UTC
# the header msginit writes (fields in its order), then Poedit's X- fields; ja has one plural form
NEW_HEADER = ('msgid ""\nmsgstr ""\n"Project-Id-Version: demo\\n"\n"Report-Msgid-Bugs-To: \\n"\n'
              '"POT-Creation-Date: 2030-01-01 00:00+0000\\n"\n"PO-Revision-Date: 2030-01-01 00:00+0000\\n"\n'
              '"Last-Translator: \\n"\n"Language-Team: \\n"\n"Language: ja\\n"\n"MIME-Version: 1.0\\n"\n'
              '"Content-Type: text/plain; charset=UTF-8\\n"\n"Content-Transfer-Encoding: 8bit\\n"\n'
              '"Plural-Forms: nplurals=1; plural=0;\\n"\n"X-Generator: pubkit\\n"\n"X-Poedit-Basepath: ..\\n"\n')


def test_a_new_file_has_the_conventional_header_field_by_field(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH_2030)
    path = tmp_path / "ja.po"
    update_catalog(path, "ja", "demo", segs(("a", "title")))
    assert written(path) == NEW_HEADER + '\n#. title\nmsgid "a"\nmsgstr ""\n'
    if has_tool("msgfmt"):  # gettext's own check: no header field missing, nothing to warn about
        result = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True)
        assert result.returncode == 0 and not result.stderr, result.stderr.decode()


@pytest.mark.parametrize("header", ['msgid ""\nmsgstr ""\n\n', ""], ids=["empty-header", "no-header"])
def test_a_file_with_an_empty_or_no_header_gets_the_conventional_one(tmp_path, monkeypatch, header):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH_2030)
    path = tmp_path / "ja.po"
    path.write_text(header + 'msgid "a"\nmsgstr "b"\n', encoding="utf-8")
    assert read_catalog(path, "ja", "demo").state("a") is EntryState.REVIEWED
    update_catalog(path, "ja", "demo", segs(("a", "title")))
    assert written(path) == NEW_HEADER + '\n#. title\nmsgid "a"\nmsgstr "b"\n'


@pytest.mark.parametrize("before, kept", [("# notes from the translator\n", "# notes from the translator\n"),
                                          ("\n", "")], ids=["comments-only", "a-blank-line"])
def test_a_file_of_comments_or_blank_lines_only_gets_a_header_after_them(tmp_path, monkeypatch, before, kept):
    """Such a file has no header entry to edit in place (it used to stop update_catalog with ValueError)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH_2030)
    path = tmp_path / "ja.po"
    path.write_text(before, encoding="utf-8")
    update_catalog(path, "ja", "demo", segs(("a", "title")))
    assert written(path) == kept + NEW_HEADER + '\n#. title\nmsgid "a"\nmsgstr ""\n'


def test_blank_header_fields_are_filled_in_place_and_missing_ones_added_at_the_end(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH_2030)
    path = tmp_path / "ja.po"
    path.write_text('# Japanese drafts\nmsgid ""\nmsgstr ""\n"Project-Id-Version: \\n"\n"Report-Msgid-Bugs-To: \\n"\n'
                    '"POT-Creation-Date: 2020-01-01 00:00+0000\\n"\n"Last-Translator: Yuki <y@example.jp>\\n"\n'
                    '"Language: \\n"\n\nmsgid "a"\nmsgstr "b"\n', encoding="utf-8")
    update_catalog(path, "ja", "demo", segs(("a", "title")), pot_date="2029-05-01 10:00+0000")
    assert written(path) == (
        '# Japanese drafts\nmsgid ""\nmsgstr ""\n"Project-Id-Version: demo\\n"\n"Report-Msgid-Bugs-To: \\n"\n'
        '"POT-Creation-Date: 2029-05-01 10:00+0000\\n"\n"Last-Translator: Yuki <y@example.jp>\\n"\n'
        '"Language: ja\\n"\n"PO-Revision-Date: 2030-01-01 00:00+0000\\n"\n"Language-Team: \\n"\n'
        '"MIME-Version: 1.0\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Content-Transfer-Encoding: 8bit\\n"\n"Plural-Forms: nplurals=1; plural=0;\\n"\n'
        '"X-Generator: pubkit\\n"\n"X-Poedit-Basepath: ..\\n"\n\n#. title\nmsgid "a"\nmsgstr "b"\n')


def test_header_lines_changed_or_added_in_a_windows_file_end_in_crlf(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH_2030)
    path = tmp_path / "ja.po"
    path.write_bytes(b'msgid ""\r\nmsgstr ""\r\n"PO-Revision-Date: 2020-01-01 00:00+0000\\n"\r\n"Language: ja\\n"\r\n\r\n'
                     b'msgid "a"\r\nmsgstr "b"\r\n')
    update_catalog(path, "ja", "demo", segs(("a", "title")))
    expected = (NEW_HEADER.replace('"Language: ja\\n"\n', "").replace('"PO-Revision-Date: 2030-01-01 00:00+0000\\n"\n', "")
                .replace('msgstr ""\n', 'msgstr ""\n"PO-Revision-Date: 2030-01-01 00:00+0000\\n"\n"Language: ja\\n"\n', 1))
    assert path.read_bytes() == (expected + '\n#. title\nmsgid "a"\nmsgstr "b"\n').replace("\n", "\r\n").encode()


def test_a_windows_file_without_a_header_gets_one_in_crlf(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH_2030)
    path = tmp_path / "ja.po"
    path.write_bytes(b'msgid "a"\r\nmsgstr "b"\r\n')
    update_catalog(path, "ja", "demo", segs(("a", "title")))
    assert path.read_bytes() == (NEW_HEADER + '\n#. title\nmsgid "a"\nmsgstr "b"\n').replace("\n", "\r\n").encode()


def test_a_brochure_name_with_quotes_and_a_backslash_is_escaped_in_the_header(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH_2030)
    path = tmp_path / "ja.po"
    path.write_text('msgid ""\nmsgstr ""\n"Language: ja\\n"\n\nmsgid "a"\nmsgstr "b"\n', encoding="utf-8")
    name = 'tờ "A" \\ B'
    update_catalog(path, "ja", name, segs(("a", "title")))
    assert '"Project-Id-Version: tờ \\"A\\" \\\\ B\\n"\n' in written(path)
    assert read_po(path, "ja", name).metadata["Project-Id-Version"] == name  # the strict check reads it back


def test_the_template_date_given_replaces_the_files_own(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH_2030)
    path = tmp_path / "ja.po"
    update_catalog(path, "ja", "demo", segs(("a", "title")), pot_date="2028-02-03 04:05+0000")
    assert polib.pofile(str(path)).metadata["POT-Creation-Date"] == "2028-02-03 04:05+0000"
    update_catalog(path, "ja", "demo", segs(("a", "subtitle")), pot_date="2029-05-01 10:00+0000")
    metadata = polib.pofile(str(path)).metadata
    assert (metadata["POT-Creation-Date"], metadata["PO-Revision-Date"]) == ("2029-05-01 10:00+0000",
                                                                             "2030-01-01 00:00+0000")


def test_references_are_written_for_each_place_of_a_source(tmp_path):
    path = tmp_path / "ja.po"
    update_catalog(path, "ja", "demo", segs(("Liên hệ", "back_cover.heading"), ("Liên hệ", "sections[2].heading")),
                   references={"back_cover.heading": ("brochure.yaml", "22"),
                               "sections[2].heading": ("brochure.yaml", "15")})
    assert '#. back_cover.heading\n#. sections[2].heading\n#: brochure.yaml:22 brochure.yaml:15\nmsgid "Liên hệ"\n' \
           in written(path)


def test_another_brochures_file_is_neither_updated_nor_filled(tmp_path):
    path = tmp_path / "ja.po"
    path.write_text(po_text('msgid "a"\nmsgstr ""\n', project="ha-noi"), encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(PubkitError, match="belongs to brochure 'ha-noi', not 'demo'") as caught:
        update_catalog(path, "ja", "demo", segs(("a", "title"), ("b", "subtitle")))
    assert caught.value.file.endswith("ja.po")
    with pytest.raises(PubkitError, match="belongs to brochure 'ha-noi', not 'demo'"):
        write_drafts(path, "ja", "demo", [polib.POEntry(msgid="a", msgstr="機械", flags=["fuzzy"])])
    assert path.read_bytes() == before


def test_machine_drafts_add_the_missing_header_fields(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH_2030)
    path = tmp_path / "ja.po"
    path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "a"\nmsgstr ""\n',
                    encoding="utf-8")
    write_drafts(path, "ja", "demo", [polib.POEntry(msgid="a", msgstr="機械", flags=["fuzzy"])])
    metadata = polib.pofile(str(path)).metadata
    assert (metadata["Language"], metadata["Project-Id-Version"], metadata["Plural-Forms"]) == (
        "ja", "demo", "nplurals=1; plural=0;")
    assert read_catalog(path, "ja", "demo").translation("a", include_unreviewed=True) == "機械"


def test_machine_drafts_go_to_the_active_entry_without_context_only(tmp_path):
    path = tmp_path / "ja.po"
    update_catalog(path, "ja", "demo", segs(("Liên hệ", "back_cover.heading"), ("cũ", "title")))
    path.write_text(written(path)
                    + '\nmsgctxt "back_cover.heading"\nmsgid "Liên hệ"\nmsgstr ""\n', encoding="utf-8")
    update_catalog(path, "ja", "demo", segs(("Liên hệ", "back_cover.heading")))  # "cũ" is obsolete, untranslated
    before = path.read_bytes()
    write_drafts(path, "ja", "demo", [polib.POEntry(msgid="cũ", msgstr="古", flags=["fuzzy"])])
    assert path.read_bytes() == before  # an obsolete entry is not filled
    write_drafts(path, "ja", "demo", [polib.POEntry(msgid="Liên hệ", msgstr="機械", flags=["fuzzy"])])
    po = polib.pofile(str(path))
    assert [(e.msgctxt, e.msgid, e.msgstr, e.obsolete) for e in po] == [
        (None, "Liên hệ", "機械", False), ("back_cover.heading", "Liên hệ", "", False), (None, "cũ", "", True)]


# --- pofile: how a rewritten entry is written, how kept ones stay ------------------------------------

SHORT_HEADER = 'msgid ""\nmsgstr ""\n"Language: ja\\n"\n"Project-Id-Version: demo\\n"\n\n'


def test_a_rewritten_entrys_comments_are_written_as_gettext_writes_them(tmp_path):
    path = tmp_path / "ja.po"
    path.write_text(SHORT_HEADER + '# checked by Yuki\n#\n# see the glossary\n#. title\nmsgid "a"\nmsgstr ""\n',
                    encoding="utf-8")
    write_drafts(path, "ja", "demo", [polib.POEntry(msgid="a", msgstr="機械", flags=["fuzzy"],
                                                    comment="pubkit: machine translation, route en→ja\n\n"
                                                            "pubkit: check: 2018 lost")])
    text = written(path)
    assert text.endswith('"\n\n# checked by Yuki\n#\n# see the glossary\n#. pubkit: machine translation, route en→ja\n'
                         '#.\n#. pubkit: check: 2018 lost\n#, fuzzy\nmsgid "a"\nmsgstr "機械"\n')
    if has_tool("msgcat"):  # gettext writes the same file
        assert subprocess.run(["msgcat", str(path)], capture_output=True, check=True).stdout.decode() == text


def test_a_rewritten_entry_keeps_its_previous_context(tmp_path):
    path = tmp_path / "ja.po"
    path.write_text(SHORT_HEADER + '#. title\n#, fuzzy\n#| msgctxt "title"\n#| msgid "cũ"\nmsgid "mới"\nmsgstr "新"\n',
                    encoding="utf-8")
    update_catalog(path, "ja", "demo", segs(("mới", "subtitle")))  # moved: its note changes, so it is rewritten
    assert written(path).endswith('"\n\n#. subtitle\n#, fuzzy\n#| msgctxt "title"\n#| msgid "cũ"\nmsgid "mới"\n'
                                  'msgstr "新"\n')


def test_kept_entries_of_an_nfd_file_are_written_back_as_nfc(tmp_path):
    path = tmp_path / "ja.po"
    path.write_text(unicodedata.normalize("NFD", SHORT_HEADER + '#. title\nmsgid "Liên hệ"\nmsgstr "Liên hệ (vi)"\n'),
                    encoding="utf-8")
    update_catalog(path, "ja", "demo", segs(("Liên hệ", "title"), ("Hồ", "subtitle")))
    text = written(path)
    assert unicodedata.is_normalized("NFC", text)
    assert text.endswith('"\n\n#. title\nmsgid "Liên hệ"\nmsgstr "Liên hệ (vi)"\n\n#. subtitle\nmsgid "Hồ"\nmsgstr ""\n')


def test_a_file_without_a_final_line_end_keeps_every_entry_when_one_is_added(tmp_path):
    path = tmp_path / "ja.po"
    path.write_text(SHORT_HEADER + '#. title\nmsgid "a"\nmsgstr "b"', encoding="utf-8")
    update_catalog(path, "ja", "demo", segs(("a", "title"), ("c", "subtitle")))
    text = written(path)
    assert text.startswith('msgid ""\nmsgstr ""\n"Language: ja\\n"\n"Project-Id-Version: demo\\n"\n')
    assert text.endswith('"\n\n#. title\nmsgid "a"\nmsgstr "b"\n\n#. subtitle\nmsgid "c"\nmsgstr ""')  # still no line end


def test_a_kept_last_entry_keeps_its_trailing_spaces(tmp_path):
    path = tmp_path / "ja.po"
    path.write_text(SHORT_HEADER + '#. title\nmsgid "a"\nmsgstr "b"   \n', encoding="utf-8")
    update_catalog(path, "ja", "demo", segs(("c", "subtitle"), ("a", "title")))
    assert written(path).endswith('"\n\n#. subtitle\nmsgid "c"\nmsgstr ""\n\n#. title\nmsgid "a"\nmsgstr "b"   \n')


def test_context_entries_follow_their_place_in_an_update_without_references(tmp_path):
    path = tmp_path / "ja.po"
    path.write_text(SHORT_HEADER + '#. back_cover.heading\nmsgid "Liên hệ"\nmsgstr "お問い合わせ"\n\n'
                    'msgctxt "back_cover.heading"\nmsgid "Liên hệ"\nmsgstr "連絡先"\n\n'
                    'msgctxt "title"\nmsgid "Hồ"\nmsgstr "湖"\n', encoding="utf-8")
    catalog = update_catalog(path, "ja", "demo", segs(("Liên hệ", "back_cover.heading")))
    assert catalog.translation("Liên hệ", include_unreviewed=False, path="back_cover.heading") == "連絡先"
    assert [(e.msgctxt, e.msgid, e.obsolete, e.occurrences) for e in polib.pofile(str(path))] == [
        (None, "Liên hệ", False, []), ("back_cover.heading", "Liên hệ", False, []), ("title", "Hồ", True, [])]


# --- the dates pubkit writes are UTC ------------------------------------------------------------------

@pytest.fixture
def tokyo_time(monkeypatch):
    """The machine's clock set to Japan (UTC+9), as a translator's laptop in Tokyo has it."""
    import time
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_the_reproducible_date_is_utc_whatever_the_local_time_zone(tmp_path, monkeypatch, tokyo_time):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH_2030)
    path = tmp_path / "ja.po"
    update_catalog(path, "ja", "demo", segs(("a", "title")))
    assert polib.pofile(str(path)).metadata["PO-Revision-Date"] == "2030-01-01 00:00+0000"


@pytest.mark.parametrize("epoch", [None, "", "not a number"])
def test_without_a_usable_source_date_the_date_is_now_in_utc(tmp_path, monkeypatch, tokyo_time, epoch):
    import datetime
    if epoch is None:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    else:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    path = tmp_path / "ja.po"
    before = datetime.datetime.now(datetime.timezone.utc).replace(second=0, microsecond=0)
    update_catalog(path, "ja", "demo", segs(("a", "title")))
    after = datetime.datetime.now(datetime.timezone.utc)
    written_date = datetime.datetime.strptime(polib.pofile(str(path)).metadata["PO-Revision-Date"], "%Y-%m-%d %H:%M%z")
    assert before <= written_date <= after


def test_a_file_without_a_header_keeps_its_entries_byte_for_byte(tmp_path, monkeypatch):
    """The first entry of a headerless file is an entry even when a comment comes first."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH_2030)
    path = tmp_path / "ja.po"
    entries = '#. title\nmsgid ""\n"a"\nmsgstr "b"\n\n#. subtitle\nmsgid ""\n"c"\nmsgstr ""\n"d"\n'
    path.write_text(entries, encoding="utf-8")
    update_catalog(path, "ja", "demo", segs(("a", "title"), ("c", "subtitle"), ("e", "caption")))
    assert written(path) == NEW_HEADER + "\n" + entries + '\n#. caption\nmsgid "e"\nmsgstr ""\n'


def test_the_template_carries_no_previous_sources(tmp_path, monkeypatch):
    """A POT entry is its source, notes and references; stale #| lines (from a msgmerge) go."""
    from pubkit.drafts.template import update_template
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH_2030)
    path = tmp_path / "demo.pot"
    path.write_text('msgid ""\nmsgstr ""\n"Project-Id-Version: demo\\n"\n"POT-Creation-Date: 2020-01-01 00:00+0000\\n"\n\n'
                    '#. title\n#| msgid "cũ"\nmsgid "a"\nmsgstr ""\n\n#. subtitle\n#| msgctxt "x"\n#| msgid "b cũ"\nmsgid "b"\nmsgstr ""\n',
                    encoding="utf-8")  # (msgfmt refuses a #| msgctxt without its #| msgid)
    assert update_template(path, "demo", segs(("a", "title"), ("b", "subtitle")), {}) == "2030-01-01 00:00+0000"
    assert written(path) == ('msgid ""\nmsgstr ""\n"Project-Id-Version: demo\\n"\n'
                             '"POT-Creation-Date: 2030-01-01 00:00+0000\\n"\n\n'
                             '#. title\nmsgid "a"\nmsgstr ""\n\n#. subtitle\nmsgid "b"\nmsgstr ""\n')


def test_a_byte_order_mark_is_skipped_by_the_check():
    """Windows editors write one; the check reads past it (and still counts lines from the first)."""
    bom = b"\xef\xbb\xbf"
    check_po(bom + (HEADER + 'msgid "a"\nmsgstr "b"\n').encode("utf-8"), Path("ja.po"))
    error = refusal(bom + (HEADER + 'msgid "a"\nmsgstr "b\n').encode("utf-8"))
    assert error.line == 6 and "no closing quote" in error.problem


def test_bytes_that_are_not_utf8_are_found_on_their_line_after_a_leading_blank_line():
    error = refusal(b"\n" + HEADER.encode() + b'msgid "a"\nmsgstr "caf\xe9"\n')
    assert error.line == 7 and error.problem.endswith("this line is not UTF-8 text")


def test_an_update_keeps_the_byte_order_mark_once(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH_2030)
    path = tmp_path / "ja.po"
    path.write_bytes(b"\xef\xbb\xbf" + (SHORT_HEADER + '#. title\nmsgid "a"\nmsgstr "b"\n').encode("utf-8"))
    update_catalog(path, "ja", "demo", segs(("a", "title"), ("c", "subtitle")))
    data = path.read_bytes()
    assert data.startswith(b'\xef\xbb\xbfmsgid ""\nmsgstr ""\n"Language: ja\\n"\n') and data.count(b"\xef\xbb\xbf") == 1
    assert data.endswith(b'"\n\n#. title\nmsgid "a"\nmsgstr "b"\n\n#. subtitle\nmsgid "c"\nmsgstr ""\n')


def test_a_previous_source_string_at_the_very_start_is_refused():
    error = refusal('#| "lost"\nmsgid "a"\nmsgstr ""\n')
    assert error.line == 1 and error.problem.endswith("a #| string with no #| msgid before it")


def test_an_empty_file_becomes_an_lf_file(tmp_path, monkeypatch):
    """`touch ja.po` leaves no line end to follow: pubkit writes LF, as gettext does."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH_2030)
    path = tmp_path / "ja.po"
    path.write_bytes(b"")
    update_catalog(path, "ja", "demo", segs(("a", "title")))
    data = path.read_bytes()  # (whether it ends in a line end is not asserted: the empty file had none)
    assert b"\r" not in data and data.rstrip(b"\n") == (NEW_HEADER + '\n#. title\nmsgid "a"\nmsgstr ""').encode("utf-8")


def test_one_stray_crlf_does_not_make_an_lf_file_a_windows_file(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH_2030)
    path = tmp_path / "ja.po"
    path.write_bytes(b'msgid ""\nmsgstr ""\n"Language: ja\\n"\r\n"Project-Id-Version: demo\\n"\n\n#. title\nmsgid "a"\n'
                     b'msgstr "b"\n')
    update_catalog(path, "ja", "demo", segs(("a", "title"), ("c", "subtitle")))
    data = path.read_bytes()
    assert data.count(b"\r\n") == 1 and data.startswith(b'msgid ""\nmsgstr ""\n"Language: ja\\n"\r\n')
    assert data.endswith(b'"\n\n#. title\nmsgid "a"\nmsgstr "b"\n\n#. subtitle\nmsgid "c"\nmsgstr ""\n')


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_a_new_long_entry_in_a_file_with_short_unwrapped_lines_wraps_at_gettexts_width(tmp_path, newline):
    path = tmp_path / "ja.po"
    path.write_bytes((SHORT_HEADER + '#. title\nmsgid "a"\nmsgstr "b"\n').replace("\n", newline).encode("utf-8"))
    long = " ".join(["Thái Nguyên"] * 12)
    update_catalog(path, "ja", "demo", segs(("a", "title"), (long, "subtitle")))
    lines = written(path).split(newline)
    start = lines.index("#. subtitle")
    msgid_lines = lines[start + 1:lines.index('msgstr ""', start)]
    assert msgid_lines[0] == 'msgid ""' and len(msgid_lines) == 3  # as gettext wraps at 79 columns
    assert max(len(line) for line in lines) <= 79 and max(len(line) for line in msgid_lines) > 60


def test_obsolete_entries_with_wrapped_strings_are_kept_byte_for_byte(tmp_path):
    path = tmp_path / "ja.po"
    obsolete = ('#~ msgid ""\n#~ "old "\n#~ "one"\n#~ msgstr ""\n#~ "古"\n#~ "い"\n\n'
                '#~| msgid "earlier"\n#~ msgid "gone"\n#~ msgstr "去"\n')
    path.write_text(SHORT_HEADER + '#. title\nmsgid "a"\nmsgstr "b"\n\n' + obsolete, encoding="utf-8")
    update_catalog(path, "ja", "demo", segs(("a", "subtitle")))
    assert written(path).endswith('"\n\n#. subtitle\nmsgid "a"\nmsgstr "b"\n\n' + obsolete)


def test_an_indented_header_is_updated_without_a_crash_or_a_second_copy_of_a_field(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH_2030)
    path = tmp_path / "ja.po"
    path.write_text('msgid ""\n  msgstr ""\n  "Project-Id-Version: demo\\n"\n  "Language: ja\\n"\n\n'
                    'msgid "a"\nmsgstr "b"\n', encoding="utf-8")  # msgfmt accepts indented lines
    update_catalog(path, "ja", "demo", segs(("a", "title")))
    text = written(path)
    for field in ("Project-Id-Version", "Language", "PO-Revision-Date", "Plural-Forms"):
        assert text.count(f'"{field}: ') == 1, (field, text)
    check_po(path.read_bytes(), path)


def test_the_wrap_width_of_a_file_is_read_from_its_msgid_lines_too(tmp_path, monkeypatch):
    from pubkit.drafts.pofile import DEFAULT_WRAP

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH_2030)
    long_source = "Thái Nguyên " * 12  # one unwrapped msgid line far wider than polib's 78 columns
    path = tmp_path / "ja.po"
    path.write_text(f'msgid ""\nmsgstr ""\n"Language: ja\\n"\n\nmsgid "{long_source.strip()}"\nmsgstr "x"\n',
                    encoding="utf-8")
    new_source = "Hồ Núi Cốc " * 12
    update_catalog(path, "ja", "demo", segs((long_source.strip(), "title"), (new_source.strip(), "subtitle")))
    new_line = next(line for line in written(path).splitlines() if line.startswith("msgid \"Hồ"))
    assert len(new_line) > DEFAULT_WRAP  # written unwrapped, in the file's own style


def test_an_entry_without_comments_made_obsolete_gains_no_comment_line(tmp_path):
    """An entry a translator added by hand has no ``#.`` lines; rewritten as obsolete it must not get an empty one."""
    path = tmp_path / "ja.po"
    path.write_text(SHORT_HEADER + '#. title\nmsgid "a"\nmsgstr "b"\n\nmsgid "by hand"\nmsgstr "手"\n', encoding="utf-8")
    update_catalog(path, "ja", "demo", segs(("a", "title")))
    assert written(path).endswith('\n\n#. title\nmsgid "a"\nmsgstr "b"\n\n#~ msgid "by hand"\n#~ msgstr "手"\n')


def test_a_header_whose_empty_msgid_is_continued_is_still_edited_in_place(tmp_path, monkeypatch):
    """``msgid ""`` + ``""`` is the empty msgid too: the header keeps its own lines and order."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH_2030)
    path = tmp_path / "ja.po"
    path.write_text('msgid ""\n""\nmsgstr ""\n"X-Custom: keep\\n"\n"Language: ja\\n"\n"Project-Id-Version: demo\\n"\n\n'
                    'msgid "a"\nmsgstr "b"\n', encoding="utf-8")
    update_catalog(path, "ja", "demo", segs(("a", "title")))
    assert written(path).startswith('msgid ""\n""\nmsgstr ""\n"X-Custom: keep\\n"\n"Language: ja\\n"\n'
                                    '"Project-Id-Version: demo\\n"\n"Report-Msgid-Bugs-To: \\n"\n')


def test_an_entry_with_references_that_did_not_change_is_not_rewritten(tmp_path):
    path = tmp_path / "ja.po"
    before = SHORT_HEADER + '#. title\n#: brochure.yaml:12\nmsgid "a"\nmsgstr "b"\n'
    path.write_text(before, encoding="utf-8")
    update_catalog(path, "ja", "demo", segs(("a", "title")), references={"title": ("brochure.yaml", "12")})
    assert written(path) == before


def test_a_file_wrapped_narrower_than_gettext_keeps_its_width_for_new_entries(tmp_path):
    """A string split over several lines (not at ``\\n``) shows the writer wrapped at the longest of them."""
    path = tmp_path / "ja.po"
    path.write_text(SHORT_HEADER + '#. title\nmsgid ""\n"Thai Nguyen lies about 80 km "\n"north of Hanoi."\n'
                    'msgstr "b"\n', encoding="utf-8")
    long = "The Hanoi to Thai Nguyen expressway opened in 2013 and cut the journey to about one hour by car."
    update_catalog(path, "ja", "demo", segs(("Thai Nguyen lies about 80 km north of Hanoi.", "title"), (long, "caption")))
    added = written(path).split("#. caption\n")[1]
    widest = len('"Thai Nguyen lies about 80 km "')
    assert added.startswith('msgid ""\n') and max(len(line) for line in added.splitlines()) <= widest


def test_a_draft_path_that_cannot_be_read_is_one_error_with_its_fix(tmp_path):
    (tmp_path / "ja.po").mkdir()  # a folder where the file should be
    with pytest.raises(PubkitError) as caught:
        read_catalog(tmp_path / "ja.po", "ja", "demo")
    assert caught.value.problem == "cannot read this draft file (Is a directory)"
    assert caught.value.fix == "make ja.po a readable PO file, or remove it so pubkit starts a new one"


CHECK_NOTE = "pubkit: check: 2 numbers in the source, 1 in the translation"


@pytest.mark.parametrize("flags, kept", [(["fuzzy"], True), ([], False)], ids=["unreviewed", "reviewed"])
def test_check_notes_stay_until_the_entry_is_reviewed(tmp_path, flags, kept):
    path = tmp_path / "ja.po"
    update_catalog(path, "ja", "demo", segs(("a", "title")))
    po = polib.pofile(str(path))
    po.find("a").msgstr, po.find("a").flags, po.find("a").comment = "b", flags, "title\n" + CHECK_NOTE
    po.save()
    update_catalog(path, "ja", "demo", segs(("a", "title"), ("c", "subtitle")))
    assert polib.pofile(str(path)).find("a").comment == "title" + ("\n" + CHECK_NOTE if kept else "")


@pytest.mark.parametrize("msgstr, flags, note, needed", [
    ("", [], "", True),                                       # untranslated
    ("  ", ["fuzzy"], "", True),                              # blank
    ("六つ", ["fuzzy"], stale_machine_note("六つ"), True),     # a model's draft of the old source
    ("六つ", [], stale_machine_note("六つ"), False),           # reviewed since
    ("七つ", ["fuzzy"], stale_machine_note("六つ"), False),    # a translator rewrote the draft: theirs now
    ("六つ", ["fuzzy"], "pubkit: check: machine translation of the previous source, not of this one", False),
    ("六つ", ["fuzzy"], "pubkit: prefilled from translation memory", False),
], ids=["empty", "blank", "stale-draft", "reviewed", "rewritten", "older-note", "memory"])
def test_which_entries_a_model_should_translate(msgstr, flags, note, needed):
    entry = polib.POEntry(msgid="a", msgstr=msgstr, flags=flags, comment="p\n" + note)
    assert needs_machine_translation(entry) is needed


def test_an_edited_machine_draft_keeps_its_notes_and_is_marked_stale(tmp_path):
    path = tmp_path / "ja.po"
    old, new = "Tỉnh có sáu khu công nghiệp lớn.", "Tỉnh có bảy khu công nghiệp lớn."
    update_catalog(path, "ja", "demo", segs((old, "p")))
    po = polib.pofile(str(path))
    po.find(old).msgstr, po.find(old).flags = "六つ", ["fuzzy"]
    po.find(old).comment = "p\npubkit: machine translation, route en→ja"
    po.save()
    catalog = update_catalog(path, "ja", "demo", segs((new, "p")))
    entry = catalog.entries[new]
    assert entry.comment == "p\npubkit: machine translation, route en→ja\n" + stale_machine_note("六つ")
    assert needs_machine_translation(entry) and len("#. " + stale_machine_note("六つ")) <= 76  # one line in polib


def test_a_context_entry_gets_the_reference_of_its_place(tmp_path):
    path = tmp_path / "ja.po"
    path.write_text(SHORT_HEADER + '#. back_cover.heading\nmsgid "Liên hệ"\nmsgstr "お問い合わせ"\n\n'
                    'msgctxt "back_cover.heading"\nmsgid "Liên hệ"\nmsgstr "連絡先"\n', encoding="utf-8")
    update_catalog(path, "ja", "demo", segs(("Liên hệ", "back_cover.heading")),
                   references={"back_cover.heading": ("brochure.yaml", "30")})
    assert [(e.msgctxt, e.occurrences) for e in polib.pofile(str(path))] == [
        (None, [("brochure.yaml", "30")]), ("back_cover.heading", [("brochure.yaml", "30")])]


# --- the writer's choices of line end, header lines and wrap width, at their edges -------------------------

def test_a_file_with_a_third_of_its_line_ends_crlf_stays_an_lf_file(tmp_path, monkeypatch):
    """Windows line ends win only when at least half the lines have them (here 3 of 8): new lines are LF."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH_2030)
    path = tmp_path / "ja.po"
    head = b'msgid ""\r\nmsgstr ""\r\n"Language: ja\\n"\r\n"Project-Id-Version: demo\\n"\n\n'
    path.write_bytes(head + b'#. title\nmsgid "a"\nmsgstr "b"\n')
    update_catalog(path, "ja", "demo", segs(("a", "title"), ("c", "subtitle")))
    data = path.read_bytes()
    assert data.startswith(head[:-1]) and data.count(b"\r\n") == 3
    assert data.endswith(b'"\n\n#. title\nmsgid "a"\nmsgstr "b"\n\n#. subtitle\nmsgid "c"\nmsgstr ""\n')


def test_a_header_line_that_already_holds_the_value_is_left_as_written(tmp_path, monkeypatch):
    """An indented ``PO-Revision-Date`` line with today's date is not rewritten (only changed fields are)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH_2030)
    path = tmp_path / "ja.po"
    dated = '  "PO-Revision-Date: 2030-01-01 00:00+0000\\n"\n'
    path.write_text(f'msgid ""\nmsgstr ""\n{dated}"Language: ja\\n"\n"Project-Id-Version: demo\\n"\n\n'
                    '#. title\nmsgid "a"\nmsgstr "b"\n', encoding="utf-8")
    update_catalog(path, "ja", "demo", segs(("a", "title"), ("c", "subtitle")))
    text = written(path)
    assert text.startswith('msgid ""\nmsgstr ""\n' + dated) and text.count("PO-Revision-Date") == 1


def test_wrapped_strings_in_obsolete_entries_only_still_set_the_width(tmp_path):
    """The file's only wrapped strings are ``#~`` lines: new entries are wrapped at their width, not gettext's."""
    path = tmp_path / "ja.po"
    obsolete = '#~ msgid ""\n#~ "Thai Nguyen lies about 80 km "\n#~ "north of Hanoi."\n#~ msgstr "b"\n'
    path.write_text(SHORT_HEADER + '#. title\nmsgid "a"\nmsgstr "b"\n\n' + obsolete, encoding="utf-8")
    long = "The Hanoi to Thai Nguyen expressway opened in 2013 and cut the journey to about one hour by car."
    update_catalog(path, "ja", "demo", segs(("a", "title"), (long, "caption")))
    added = written(path).split("#. caption\n")[1].split("\n\n")[0]
    widest = len('#~ "Thai Nguyen lies about 80 km "')
    assert added.startswith('msgid ""\n') and max(len(line) for line in added.splitlines()) <= widest


@pytest.mark.parametrize("longest, wraps", [(79, True), (80, False)], ids=["79-columns", "80-columns"])
def test_an_unwrapped_file_is_taken_as_gettexts_width_up_to_79_columns(tmp_path, longest, wraps):
    """gettext writes lines of up to 79 columns: a file whose longest line is 79 may be gettext's and new long
    entries are wrapped; one line of 80 shows a writer that does not wrap, and new entries are not wrapped."""
    path = tmp_path / "ja.po"
    line = 'msgid "' + "x" * (longest - 8) + '"'
    path.write_text(SHORT_HEADER + f'#. title\n{line}\nmsgstr "b"\n', encoding="utf-8")
    long = "The Hanoi to Thai Nguyen expressway opened in 2013 and cut the journey to about one hour by car."
    update_catalog(path, "ja", "demo", segs(("x" * (longest - 8), "title"), (long, "caption")))
    added = written(path).split("#. caption\n")[1]
    assert added.startswith('msgid ""\n' if wraps else f'msgid "{long}"\n')


def test_a_file_wrapped_under_20_columns_gets_new_entries_wrapped_at_20(tmp_path):
    path = tmp_path / "ja.po"
    path.write_text('msgid ""\nmsgstr ""\n"Language: ja\\n"\n\n#. title\nmsgid ""\n"Thai Nguyen lies "\n'
                    '"north of Hanoi."\nmsgstr "b"\n', encoding="utf-8")  # its longest line: 19 columns
    tea = "Tea from Tan Cuong is sold in every market of the north."
    update_catalog(path, "ja", "demo", segs(("Thai Nguyen lies north of Hanoi.", "title"), (tea, "caption")))
    assert written(path).endswith('#. caption\nmsgid ""\n"Tea from Tan Cuong"\n" is sold in every "\n'
                                  '"market of the "\n"north."\nmsgstr ""\n')


def test_a_translators_comment_opening_with_a_quote_is_not_a_wrapped_string():
    """`# "Tân Cương" is a tea` is a comment: the file keeps the default width, not its shortest string's."""
    from pubkit.drafts.pofile import DEFAULT_WRAP, _detect_width

    plain = ('msgid ""\nmsgstr ""\n"Language: en\\n"\n\n#. a note\nmsgid "Trà"\nmsgstr "Tea"\n')
    commented = plain.replace("#. a note", '# "Tân Cương" is a tea')
    obsolete = plain + '\n#~ msgid ""\n#~ "Trà Tân Cương "\n#~ "ngon"\n#~ msgstr "Tea"\n'
    assert _detect_width(plain) == _detect_width(commented) == DEFAULT_WRAP
    assert _detect_width(obsolete) == 20  # a string really split (in an obsolete entry) still sets the width


@pytest.mark.parametrize("source, text, conformed", [
    ("a", "\nb\n\n", "b"),
    ("\na", "b", "\nb"),
    ("a\n", "\n\nb", "b\n"),
    ("\na\n", "\nb\n", "\nb\n"),
    ("a", "b \n c", "b \n c"),  # a break inside stays
    ("a", " b ", " b "),  # and so do spaces at the ends
    ("a", "\nXb X\n", "Xb X"),
    ("0\n", "", ""),  # no translation stays none
    ("0\n", "\n\n", ""),  # nor do line breaks alone make one
])
def test_an_imported_translation_takes_its_source_s_line_breaks_at_its_ends(source, text, conformed):
    assert line_breaks_like(source, text) == conformed


SEE = "Xem bảng dưới đây."  # the same Vietnamese in two sections, each with its own table
TWO_TABLES = [("Công nghiệp", "sections[0].heading"), (SEE, "sections[0].content[0]"),
              ("Nông nghiệp", "sections[1].heading"), (SEE, "sections[1].content[0]")]
NEW_FIRST = [("Giới thiệu", "sections[0].heading"), ("Chào mừng.", "sections[0].content[0]")] + [
    (text, path.replace("sections[1]", "sections[2]").replace("sections[0]", "sections[1]")) for text, path in TWO_TABLES]


def _with_place_entry(path: Path) -> None:
    """The shared entry says "industry"; a translator's entry for the farming section's place says "farm"."""
    update_catalog(path, "en", "demo", segs(*TWO_TABLES))
    review(path, {SEE: "See the industry table below.", "Công nghiệp": "Industry", "Nông nghiệp": "Farming"})
    with path.open("a", encoding="utf-8") as file:
        file.write(f'\nmsgctxt "sections[1].content[0]"\nmsgid "{SEE}"\nmsgstr "See the farm-output table below."\n')
    update_catalog(path, "en", "demo", segs(*TWO_TABLES))  # the place is noted


def test_an_entry_for_one_place_follows_its_place_when_a_section_is_added_above(tmp_path):
    """A section added at the top moved "sections[1].content[0]" onto the industry paragraph, which then
    printed the farm translation, reviewed and unnoticed."""
    path = tmp_path / "en.po"
    _with_place_entry(path)
    catalog = update_catalog(path, "en", "demo", segs(*NEW_FIRST))
    assert catalog.translation(SEE, include_unreviewed=False, path="sections[1].content[0]") == "See the industry table below."
    assert catalog.translation(SEE, include_unreviewed=False, path="sections[2].content[0]") == \
        "See the farm-output table below."
    assert catalog.contexts["sections[2].content[0]", SEE].flags == []  # the same place: still reviewed


def test_an_entry_whose_place_cannot_be_found_again_goes_back_to_review(tmp_path):
    path = tmp_path / "en.po"
    _with_place_entry(path)
    renamed = [(text.replace("Nông nghiệp", "Nông nghiệp và thủy sản"), where) for text, where in TWO_TABLES]
    entry = update_catalog(path, "en", "demo", segs(*renamed)).contexts["sections[1].content[0]", SEE]
    assert entry.msgstr == "See the farm-output table below." and "fuzzy" in entry.flags
    assert "pubkit: check: written for section “Nông nghiệp”, occurrence 1" in entry.comment
    po = polib.pofile(str(path))  # the reviewer confirms the text as it is...
    po.find(SEE, msgctxt="sections[1].content[0]").flags.remove("fuzzy")
    po.save()
    entry = update_catalog(path, "en", "demo", segs(*renamed)).contexts["sections[1].content[0]", SEE]
    assert entry.flags == [] and "check:" not in entry.comment  # ...and the warning goes
    assert entry.comment.splitlines() == ["pubkit: place: section “Nông nghiệp và thủy sản”, occurrence 1"]


TOWN = "Thị xã Phổ Yên"  # two industrial parks in one district: the same text in two rows of a table
CELL = "sections[0].content[0].table.rows[{}][{}]"


def _parks(*rows: str) -> list[Segment]:
    cells = [(text, CELL.format(r, c)) for r, park in enumerate(rows) for c, text in enumerate((park, TOWN))]
    return segs(("Khu công nghiệp", "sections[0].heading"), *cells)


def test_an_entry_for_one_row_follows_its_row_when_the_table_is_sorted(tmp_path):
    """The occurrence of the town in the section did not tell the rows apart: sorting the table handed the
    Nam Phổ Yên row's own translation, reviewed, to the Yên Bình row."""
    path = tmp_path / "en.po"
    update_catalog(path, "en", "demo", _parks("Yên Bình", "Nam Phổ Yên"))
    review(path, {TOWN: "Pho Yen Town", "Khu công nghiệp": "Industrial parks", "Yên Bình": "Yen Binh",
                  "Nam Phổ Yên": "Nam Pho Yen"})
    with path.open("a", encoding="utf-8") as file:
        file.write(f'\nmsgctxt "{CELL.format(1, 1)}"\nmsgid "{TOWN}"\nmsgstr "Pho Yen Town (Nam Pho Yen zone)"\n')
    update_catalog(path, "en", "demo", _parks("Yên Bình", "Nam Phổ Yên"))  # the place is noted
    catalog = update_catalog(path, "en", "demo", _parks("Nam Phổ Yên", "Yên Bình"))  # sorted by name
    assert catalog.translation(TOWN, include_unreviewed=False, path=CELL.format(0, 1)) == "Pho Yen Town (Nam Pho Yen zone)"
    assert catalog.translation(TOWN, include_unreviewed=False, path=CELL.format(1, 1)) == "Pho Yen Town"
    assert catalog.contexts[CELL.format(0, 1), TOWN].flags == []  # the same place: still reviewed
    # a row added above it: the entry still finds its row
    catalog = update_catalog(path, "en", "demo", _parks("Điềm Thụy", "Nam Phổ Yên", "Yên Bình"))
    assert catalog.translation(TOWN, include_unreviewed=False, path=CELL.format(1, 1)) == "Pho Yen Town (Nam Pho Yen zone)"


def test_a_place_noted_before_places_named_their_neighbour_is_not_sent_back_to_review(tmp_path):
    """Files written by an earlier pubkit note a repeated text's place by its occurrence alone: the same place
    is still the same place (its note gains the neighbour), not a change to review."""
    path = tmp_path / "en.po"
    update_catalog(path, "en", "demo", _parks("Yên Bình", "Nam Phổ Yên"))
    review(path, {TOWN: "Pho Yen Town"})
    with path.open("a", encoding="utf-8") as file:
        file.write(f'\n#. {CELL.format(1, 1)}\n#. pubkit: place: section “Khu công nghiệp”, occurrence 2\n'
                   f'msgctxt "{CELL.format(1, 1)}"\nmsgid "{TOWN}"\nmsgstr "Pho Yen Town (Nam Pho Yen zone)"\n')
    entry = update_catalog(path, "en", "demo", _parks("Yên Bình", "Nam Phổ Yên")).contexts[CELL.format(1, 1), TOWN]
    assert entry.flags == [] and "check:" not in entry.comment
    assert "pubkit: place: section “Khu công nghiệp”, occurrence 2, after “Nam Phổ Yên”" in entry.comment


def test_an_edited_string_of_a_separate_block_starts_from_its_old_translation(tmp_path):
    """As every edited segment does: fuzzy, with the previous source; it started empty."""
    path = tmp_path / "en.po"
    title = "Các khu công nghiệp trong quy hoạch"
    place = "sections[0].content[0].table.title"
    update_catalog(path, "en", "demo", [Segment(title, place, own=True)])
    po = polib.pofile(str(path))
    po.find(title, msgctxt=place).msgstr = "Industrial parks in the master plan"
    po.find(title, msgctxt=place).tcomment = "agreed with the editor"
    po.save()
    edited = title + " đến 2030"
    # beside it: the same text shared elsewhere, and another place's entry, neither of which it may start from
    others = [Segment(title, "sections[1].heading"), Segment("Khác", "sections[2].heading", own=True)]
    update_catalog(path, "en", "demo", [Segment(title, place, own=True)] + others)
    review(path, {title: "Parks in the plan (shared)", "Khác": "Other"})
    po = polib.pofile(str(path))
    po.find(title, msgctxt=place).msgstr = "Industrial parks in the master plan"
    po.save()
    catalog = update_catalog(path, "en", "demo", [Segment(edited, place, own=True)] + others)
    entry = catalog.contexts[place, edited]
    assert entry.msgstr == "Industrial parks in the master plan" and "fuzzy" in entry.flags
    assert entry.previous_msgid == title and entry.tcomment == "agreed with the editor"
    assert catalog.translation(edited, include_unreviewed=False, path=place) is None  # not printed until reviewed


def test_an_entry_for_a_deleted_row_does_not_jump_to_the_row_left_with_its_text(tmp_path):
    """The Nam Phổ Yên row is deleted: the town is now in one row only, the Yên Bình one, and the entry written
    for the deleted row must not print there (its place is gone: it becomes obsolete)."""
    path = tmp_path / "en.po"
    update_catalog(path, "en", "demo", _parks("Yên Bình", "Nam Phổ Yên"))
    review(path, {TOWN: "Pho Yen Town"})
    with path.open("a", encoding="utf-8") as file:
        file.write(f'\nmsgctxt "{CELL.format(1, 1)}"\nmsgid "{TOWN}"\nmsgstr "Pho Yen Town (Nam Pho Yen zone)"\n')
    update_catalog(path, "en", "demo", _parks("Yên Bình", "Nam Phổ Yên"))  # the place is noted
    catalog = update_catalog(path, "en", "demo", _parks("Yên Bình"))
    assert catalog.translation(TOWN, include_unreviewed=False, path=CELL.format(0, 1)) == "Pho Yen Town"
    assert (CELL.format(0, 1), TOWN) not in catalog.contexts


@pytest.mark.parametrize("before, quoted", [
    ("x" * 40, "x" * 40),
    ("x" * 41, "x" * 39 + "…"),
    # on one line, its line break a space, and cut to 39 characters and an ellipsis
    ("Khu công nghiệp Nam Phổ Yên nằm trên quốc lộ 3,\n gần sân bay Nội Bài", "Khu công nghiệp Nam Phổ Yên nằm trên qu…"),
])
def test_a_place_note_quotes_the_text_before_it_on_one_line_of_forty_characters(tmp_path, before, quoted):
    path = tmp_path / "en.po"
    pairs = [("Khu", "sections[0].heading"), (before, CELL.format(0, 0)), (TOWN, CELL.format(0, 1)),
             ("Yên Bình", CELL.format(1, 0)), (TOWN, CELL.format(1, 1))]
    update_catalog(path, "en", "demo", segs(*pairs))
    with path.open("a", encoding="utf-8") as file:
        file.write(f'\nmsgctxt "{CELL.format(0, 1)}"\nmsgid "{TOWN}"\nmsgstr "town"\n')
    entry = update_catalog(path, "en", "demo", segs(*pairs)).contexts[CELL.format(0, 1), TOWN]
    assert f"pubkit: place: section “Khu”, occurrence 1, after “{quoted}”" in entry.comment.splitlines()


def test_a_note_after_the_last_entry_stays_through_a_write_and_a_run_that_changes_nothing(tmp_path):
    """polib drops comments after the last entry; the file is then written whole without them."""
    path = tmp_path / "en.po"
    update_catalog(path, "en", "demo", segs(("Liên hệ", "back_cover.heading"), ("Ngày", "date")))
    review(path, {"Liên hệ": "Contact", "Ngày": "Date"})
    note = "# Lan: agreed with the editor; do not change.\n"
    path.write_bytes(path.read_bytes() + ("\n" + note).encode())
    before = path.read_bytes()
    update_catalog(path, "en", "demo", segs(("Liên hệ", "back_cover.heading"), ("Ngày", "date")))
    assert path.read_bytes() == before
    update_catalog(path, "en", "demo", segs(("Liên hệ chung", "back_cover.heading"), ("Ngày", "date")))
    text = path.read_text(encoding="utf-8")
    assert text.endswith("\n\n" + note) and "Liên hệ chung" in text and text.count("Lan:") == 1


def test_a_file_of_a_header_and_a_note_only_keeps_the_note_when_its_first_entry_is_added(tmp_path):
    path = tmp_path / "en.po"
    update_catalog(path, "en", "demo", [])
    note = "# Lan: entries to come.\n"
    path.write_bytes(path.read_bytes() + ("\n" + note).encode())
    header = path.read_text(encoding="utf-8").split("\n\n")[0]
    update_catalog(path, "en", "demo", segs(("Liên hệ", "back_cover.heading")))
    text = path.read_text(encoding="utf-8")
    assert text.startswith(header.split("PO-Revision-Date")[0]) and text.endswith("\n\n" + note)


def test_a_place_outside_the_sections_is_its_own_place(tmp_path):
    """The back cover's heading has its path as its place: a section added above moves nothing there."""
    path = tmp_path / "en.po"
    pairs = [("Liên hệ", "sections[0].heading"), ("Liên hệ", "back_cover.heading")]
    update_catalog(path, "en", "demo", segs(*pairs))
    review(path, {"Liên hệ": "Contact"})
    with path.open("a", encoding="utf-8") as file:
        file.write('\nmsgctxt "back_cover.heading"\nmsgid "Liên hệ"\nmsgstr "Get in touch"\n')
        file.write('\nmsgctxt "sections[0].heading"\nmsgid "Liên hệ"\nmsgstr "Contacts"\n')
    update_catalog(path, "en", "demo", segs(*pairs))
    moved = [("Giới thiệu", "sections[0].heading"), ("Liên hệ", "sections[1].heading"), ("Liên hệ", "back_cover.heading")]
    catalog = update_catalog(path, "en", "demo", segs(*moved))
    entry = catalog.contexts["back_cover.heading", "Liên hệ"]
    assert entry.msgstr == "Get in touch" and entry.flags == [] and "pubkit: place:" not in entry.comment
    assert catalog.translation("Liên hệ", include_unreviewed=False, path="sections[1].heading") == "Contacts"


def test_an_entry_edited_twice_before_review_keeps_the_source_its_text_was_made_for(tmp_path):
    path = tmp_path / "en.po"
    update_catalog(path, "en", "demo", segs(("Liên hệ", "back_cover.heading")))
    review(path, {"Liên hệ": "Contact"})
    update_catalog(path, "en", "demo", segs(("Liên hệ chung", "back_cover.heading")))
    entry = update_catalog(path, "en", "demo", segs(("Liên hệ chung nhất", "back_cover.heading"))).entries[
        "Liên hệ chung nhất"]
    assert (entry.previous_msgid, entry.msgstr, "fuzzy" in entry.flags) == ("Liên hệ", "Contact", True)


def test_two_separate_blocks_keep_their_own_translations_when_a_section_is_added_above(tmp_path):
    path = tmp_path / "en.po"
    own = lambda pairs: [Segment(text, where, own=text == SEE) for text, where in pairs]  # noqa: E731
    update_catalog(path, "en", "demo", own(TWO_TABLES))
    po = polib.pofile(str(path))
    for entry in po:
        entry.msgstr = {("sections[0].content[0]", SEE): "industry", ("sections[1].content[0]", SEE): "farm"}.get(
            (entry.msgctxt, entry.msgid), entry.msgid)
    po.save()
    catalog = update_catalog(path, "en", "demo", own(NEW_FIRST))
    assert {where: entry.msgstr for (where, _), entry in catalog.contexts.items()} == {
        "sections[1].content[0]": "industry", "sections[2].content[0]": "farm"}
    assert len(polib.pofile(str(path))) == len({(e.msgctxt, e.msgid) for e in polib.pofile(str(path))})


def test_an_entry_for_a_removed_section_comes_back_at_its_place_when_the_section_returns(tmp_path):
    """The farming section is removed (its entry goes obsolete), then added back below a new first section:
    the entry comes back at the farming paragraph, not at the path it had, which now names the industry
    one (it printed the farm translation there, reviewed)."""
    path = tmp_path / "en.po"
    _with_place_entry(path)
    update_catalog(path, "en", "demo", segs(*TWO_TABLES[:2]))
    assert polib.pofile(str(path)).find(SEE, msgctxt="sections[1].content[0]", include_obsolete_entries=True).obsolete
    catalog = update_catalog(path, "en", "demo", segs(*NEW_FIRST))
    assert catalog.translation(SEE, include_unreviewed=False, path="sections[1].content[0]") == "See the industry table below."
    assert catalog.translation(SEE, include_unreviewed=False, path="sections[2].content[0]") == \
        "See the farm-output table below."
    assert catalog.contexts["sections[2].content[0]", SEE].flags == []
    assert ("sections[1].content[0]", SEE) not in catalog.contexts


def test_an_entry_for_a_removed_section_revived_at_another_section_goes_back_to_review(tmp_path):
    """Its path holds its text again, in a section that is not its own: it comes back, but to review."""
    path = tmp_path / "en.po"
    _with_place_entry(path)
    update_catalog(path, "en", "demo", segs(*TWO_TABLES[:2]))
    services = TWO_TABLES[:2] + [("Dịch vụ", "sections[1].heading"), (SEE, "sections[1].content[0]")]
    entry = update_catalog(path, "en", "demo", segs(*services)).contexts["sections[1].content[0]", SEE]
    assert entry.msgstr == "See the farm-output table below." and entry.flags == ["fuzzy"]
    assert entry.comment.splitlines() == ["pubkit: check: written for section “Nông nghiệp”, occurrence 1; the spec "
                                          "changed around it, check it here",
                                          "pubkit: place: section “Dịch vụ”, occurrence 1"]


def test_an_entry_already_fuzzy_sent_back_to_review_is_fuzzy_once(tmp_path):
    path = tmp_path / "en.po"
    _with_place_entry(path)
    po = polib.pofile(str(path))
    po.find(SEE, msgctxt="sections[1].content[0]").flags.append("fuzzy")
    po.save()
    renamed = [(text.replace("Nông nghiệp", "Nông nghiệp và thủy sản"), where) for text, where in TWO_TABLES]
    update_catalog(path, "en", "demo", segs(*renamed))
    assert polib.pofile(str(path)).find(SEE, msgctxt="sections[1].content[0]").flags == ["fuzzy"]
    assert path.read_text(encoding="utf-8").count("#, fuzzy\nmsgctxt") == 1


def test_a_separate_block_s_entry_that_moves_takes_its_new_path_in_its_notes(tmp_path):
    """A table title (its own entry) moves with its section; the path line of its notes follows, and the
    other notes stay as they were."""
    path = tmp_path / "en.po"
    title = "Các khu công nghiệp trong quy hoạch"

    def spec(first: int) -> list[Segment]:
        before = [Segment("Giới thiệu", "sections[0].heading")] if first else []
        return before + [Segment("Công nghiệp", f"sections[{first}].heading"),
                         Segment(title, f"sections[{first}].content[0].table.title", note="table title", own=True)]

    update_catalog(path, "en", "demo", spec(0))
    po = polib.pofile(str(path))
    po.find(title, msgctxt="sections[0].content[0].table.title").msgstr = "Industrial parks in the plan"
    po.save()
    catalog = update_catalog(path, "en", "demo", spec(1))
    entry = catalog.contexts["sections[1].content[0].table.title", title]
    assert entry.msgstr == "Industrial parks in the plan" and entry.flags == []
    assert entry.comment.splitlines() == ["sections[1].content[0].table.title", "pubkit: context: table title",
                                          "pubkit: place: section “Công nghiệp”, occurrence 1"]
    assert ("sections[0].content[0].table.title", title) not in catalog.contexts


def test_a_place_note_wrapped_by_a_tool_that_saved_the_file_still_names_its_place(tmp_path):
    """polib wraps comment lines at 78 columns when it saves: the place note of a long heading was cut in two,
    and the next run with nothing changed sent the reviewed entry back to review."""
    path = tmp_path / "en.po"
    heading = "Nông nghiệp công nghệ cao và chế biến nông sản xuất khẩu"
    spec = segs(*[(text if text != "Nông nghiệp" else heading, where) for text, where in TWO_TABLES])
    update_catalog(path, "en", "demo", spec)
    with path.open("a", encoding="utf-8") as file:
        file.write(f'\nmsgctxt "sections[1].content[0]"\nmsgid "{SEE}"\nmsgstr "See the farm table below."\n')
    update_catalog(path, "en", "demo", spec)  # the place is noted
    polib.pofile(str(path)).save()
    assert "#. khẩu”, occurrence 1\n" in path.read_text(encoding="utf-8")  # cut in two
    entry = update_catalog(path, "en", "demo", spec).contexts["sections[1].content[0]", SEE]
    assert entry.flags == [] and entry.comment.splitlines() == [f"pubkit: place: section “{heading}”, occurrence 1"]


def test_an_entry_for_one_place_follows_its_text_when_a_paragraph_is_added_above_it_in_its_section(tmp_path):
    """The new paragraph takes the entry's path, and is the first text of the section as the entry's was: the
    entry still goes to where its own text now is."""
    path = tmp_path / "en.po"
    _with_place_entry(path)
    added = TWO_TABLES[:3] + [("Sản lượng tăng đều.", "sections[1].content[0]"), (SEE, "sections[1].content[1]")]
    catalog = update_catalog(path, "en", "demo", segs(*added))
    assert catalog.translation(SEE, include_unreviewed=False, path="sections[1].content[1]") == \
        "See the farm-output table below."
    assert catalog.contexts["sections[1].content[1]", SEE].flags == []
    assert ("sections[1].content[0]", SEE) not in catalog.contexts


THREE_TABLES = TWO_TABLES + [("Thủy sản", "sections[2].heading"), (SEE, "sections[2].content[0]")]


def _places_noted(path: Path, spec: list, translations: dict[int, str]) -> None:
    """The shared entry reviewed, a translator's entry for section k's paragraph of each translation, the
    places noted."""
    update_catalog(path, "en", "demo", segs(*spec))
    review(path, {SEE: "See the industry table below."})
    with path.open("a", encoding="utf-8") as file:
        for k, text in translations.items():
            file.write(f'\nmsgctxt "sections[{k}].content[0]"\nmsgid "{SEE}"\nmsgstr "{text}"\n')
    update_catalog(path, "en", "demo", segs(*spec))


def test_two_entries_for_one_place_with_the_same_text_stay_where_they_are_and_go_to_review(tmp_path):
    """The farming entry would move onto the path the fishing entry keeps (its heading was renamed, so its
    place cannot be found): neither moves, so no two entries for one place, and both go back to review."""
    path = tmp_path / "en.po"
    _places_noted(path, THREE_TABLES, {1: "See the farm-output table below.", 2: "See the fish-catch table below."})
    moved = [("Giới thiệu", "sections[0].heading"), ("Chào mừng.", "sections[0].content[0]")] + [
        (text.replace("Thủy sản", "Thủy sản và hải sản"), where.replace(f"sections[{k}]", f"sections[{k + 1}]"))
        for k in (0, 1, 2) for text, where in THREE_TABLES if where.startswith(f"sections[{k}]")]
    catalog = update_catalog(path, "en", "demo", segs(*moved))
    entries = [e for e in polib.pofile(str(path)) if e.msgctxt and e.msgid == SEE]
    assert sorted((e.msgctxt, e.msgstr, e.flags) for e in entries) == [
        ("sections[1].content[0]", "See the farm-output table below.", ["fuzzy"]),
        ("sections[2].content[0]", "See the fish-catch table below.", ["fuzzy"])]
    assert catalog.translation(SEE, include_unreviewed=False, path="sections[2].content[0]") is None


def test_an_entry_for_one_place_whose_text_is_edited_everywhere_is_kept_obsolete(tmp_path):
    """Its text is gone from the spec: it is kept, obsolete, with its translation; the shared entry starts from
    its own old translation, fuzzy."""
    path = tmp_path / "en.po"
    _with_place_entry(path)
    edited = [(text.replace(SEE, "Xem các bảng dưới đây."), where) for text, where in TWO_TABLES]
    catalog = update_catalog(path, "en", "demo", segs(*edited))
    entry = polib.pofile(str(path)).find(SEE, msgctxt="sections[1].content[0]", include_obsolete_entries=True)
    assert entry.obsolete and entry.msgstr == "See the farm-output table below." and entry.flags == []
    shared = catalog.entries["Xem các bảng dưới đây."]
    assert shared.msgstr == "See the industry table below." and shared.flags == ["fuzzy"]


def test_an_obsolete_entry_whose_path_now_holds_another_text_is_left_as_it_was(tmp_path):
    path = tmp_path / "en.po"
    _with_place_entry(path)
    update_catalog(path, "en", "demo", segs(*TWO_TABLES[:2]))
    before = polib.pofile(str(path)).find(SEE, msgctxt="sections[1].content[0]", include_obsolete_entries=True)
    other = TWO_TABLES[:2] + [("Dịch vụ", "sections[1].heading"), ("Du lịch phát triển.", "sections[1].content[0]")]
    update_catalog(path, "en", "demo", segs(*other))
    after = polib.pofile(str(path)).find(SEE, msgctxt="sections[1].content[0]", include_obsolete_entries=True)
    assert after.obsolete and (after.flags, after.comment, after.msgstr) == (before.flags, before.comment, before.msgstr)


def test_an_obsolete_entry_neither_blocks_nor_takes_the_place_a_live_entry_moves_to(tmp_path):
    """Three sections, each with its own entry for one sentence; the last section is removed, then a section
    is added above the farming one. The farming entry must follow its paragraph, reviewed; the removed
    section's entry stays obsolete, its text kept (it blocked the move and came back at the farming
    paragraph, with the farming entry made obsolete)."""
    path = tmp_path / "en.po"
    three = THREE_TABLES
    _places_noted(path, three, {1: "See the farm table.", 2: "See the services table."})
    update_catalog(path, "en", "demo", segs(*three[:4]))  # the services section is removed
    added = three[:2] + [("Giới thiệu", "sections[1].heading"), ("Chào mừng.", "sections[1].content[0]"),
                         ("Nông nghiệp", "sections[2].heading"), (SEE, "sections[2].content[0]")]
    catalog = update_catalog(path, "en", "demo", segs(*added))
    assert catalog.translation(SEE, include_unreviewed=False, path="sections[2].content[0]") == "See the farm table."
    entries = [e for e in polib.pofile(str(path)) if e.msgctxt]
    assert [(e.msgstr, e.obsolete) for e in entries] == [("See the farm table.", False), ("See the services table.", True)]
    assert len({(e.msgctxt, e.msgid) for e in entries}) == 2 and entries[1].msgctxt == "sections[2].content[0] (removed)"
    update_catalog(path, "en", "demo", segs(*added))  # read back: no two entries for one place


def test_an_obsolete_entry_whose_place_a_live_entry_holds_stays_where_it_was(tmp_path):
    """Its paragraph's text came back below a new one, where a translator has written a new entry: it does not
    move there, and keeps its own place (free), not a retired one."""
    path = tmp_path / "en.po"
    _with_place_entry(path)
    without = TWO_TABLES[:3] + [("Sản lượng tăng.", "sections[1].content[0]")]
    update_catalog(path, "en", "demo", segs(*without))  # the farm entry's text is gone: obsolete
    back = without + [(SEE, "sections[1].content[1]")]
    with path.open("a", encoding="utf-8") as file:
        file.write(f'\nmsgctxt "sections[1].content[1]"\nmsgid "{SEE}"\nmsgstr "See the new farm table."\n')
    catalog = update_catalog(path, "en", "demo", segs(*back))
    assert catalog.translation(SEE, include_unreviewed=False, path="sections[1].content[1]") == "See the new farm table."
    old = polib.pofile(str(path)).find(SEE, msgctxt="sections[1].content[0]", include_obsolete_entries=True)
    assert old is not None and old.obsolete and old.msgstr == "See the farm-output table below."


def test_a_note_whose_last_word_a_tool_wrapped_alone_onto_a_line_is_one_note_again(tmp_path):
    """"…check it" / "here": the single word looked like a spec path and stayed, a stray line, after the
    reviewer's confirmation took the warning away."""
    path = tmp_path / "en.po"
    _with_place_entry(path)
    text = path.read_text(encoding="utf-8")
    note = "#. pubkit: place: section “Nông nghiệp”, occurrence 1\n"
    assert note in text
    path.write_text(text.replace(note, note + "#. pubkit: check: written for section “Nông nghiệp”, occurrence 1; "
                                             "the spec changed around it, check it\n#. here\n"), encoding="utf-8")
    entry = update_catalog(path, "en", "demo", segs(*TWO_TABLES)).contexts["sections[1].content[0]", SEE]
    assert entry.comment.splitlines() == ["pubkit: place: section “Nông nghiệp”, occurrence 1"]
