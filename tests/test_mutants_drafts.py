"""PO drafts at the unit level: the strict syntax check and the catalog's review states and updates.

Written to kill mutants (docs/testing.md): each test states what a translator or a user sees —
which file is refused, on which line, with which fix; which entry counts as reviewed; what an
update keeps — with expected values written out here, never taken from the module under test.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import polib
import pytest

from pubkit.drafts import EntryState, read_catalog, update_catalog
from pubkit.drafts.catalog import MEMORY_NOTE, read_po, write_drafts
from pubkit.drafts.syntax import check_po
from pubkit.errors import PubkitError
from pubkit.spec.segments import Segment

RESTORE = "restore the file from version control"
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
    ('msgid "a"\nmsgstr "b\\q"\n', 2, "invalid escape '\\q' in a string", "write \\\\ for a backslash, or remove it"),
    ('msgid "a"\nmsgstr "b\n', 2, "the string has no closing quote (is the file cut off?)",
     'close it with ", or ' + RESTORE),
    ('msgid "a"\nmsgstr "b\\"\n', 2, "the string has no closing quote (is the file cut off?)",
     'close it with ", or ' + RESTORE),
    ('msgid "a"\nmsgstr "b\\\n', 2, "the string has no closing quote (is the file cut off?)",
     'close it with ", or ' + RESTORE),
    ('msgid "a"\nmsgstr "b"\rmsgid "c"\n', 2, "a carriage return (CR) inside the line",
     "write \\r in a string, or break the line normally"),
])
def test_a_broken_po_file_is_refused_at_its_line_with_the_fix(text, line, problem, fix):
    offset = HEADER.count("\n")  # the lines of the header before the case's text
    error = refusal(HEADER + text)
    assert error.line == line + offset
    assert error.problem == "this draft file is not a valid PO file: " + problem.replace("line 1", f"line {1 + offset}")
    assert error.fix == fix
    assert error.file == "ja.po"


def test_an_unknown_keyword_is_refused_and_quoted_up_to_30_characters():
    for text, line, found in (('msgid "a"\nmsgstrx "a rather long translated text"\n', 6, 'msgstrx "a rather long transla'),
                              ('#| msgstr "a"\n', 5, 'msgstr "a"')):
        error = refusal(HEADER + text)
        assert error.line == line and error.fix == "fix the line in your PO editor, or " + RESTORE
        assert error.problem.startswith("this draft file is not a valid PO file: expected ")
        assert error.problem.endswith(f", a quoted string or a # comment, found '{found}'")


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
    assert caught.value.fix == "run the command again"


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
