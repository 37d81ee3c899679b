"""The review gate of `pubkit build` at the unit level: what may print, and what stops a print build.

``_translator`` and ``_check_glossary`` are called directly on the mini project of conftest.py,
so no PDF is laid out. Expected messages are written out here (they are what the user reads).
"""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from conftest import TRANSLATIONS
from pubkit.commands.brochures import locate
from pubkit.commands.build import _check_glossary, _translator
from pubkit.drafts.catalog import Catalog
from pubkit.errors import PubkitError
from pubkit.project import load_project
from pubkit.spec import load_spec
from pubkit.translate.protect import Glossary

TITLE = "Thái Nguyên – Tiềm năng phát triển và Cơ hội đầu tư"
HEADING = "Vị trí địa lý"
PATHS = ["title", "subtitle", "publisher", "sections[0].heading", "sections[0].content[0]",
         "sections[0].content[1].bullets[0]", "sections[0].content[2].caption",
         "sections[0].content[3].figures[0].label", "sections[0].content[3].figures[0].unit", "back_cover.heading",
         "back_cover.contact.organisation"]


def gate(root: Path, language: str, draft: bool = False):
    project = load_project(root)
    [files] = locate(project, (root / "brochures" / "demo",))
    return _translator(load_spec(files.spec), files, project, language, draft)


def drafts_of(root: Path, language: str) -> Path:
    return root / "brochures" / "demo" / "translations" / f"{language}.po"


def edit(root: Path, language: str, change) -> None:
    """Apply ``change(entry)`` to each entry of the language's PO file (in spec order)."""
    path = drafts_of(root, language)
    po = polib.pofile(str(path))
    for index, entry in enumerate(po):
        change(index, entry)
    po.save()


def refused(root: Path, language: str) -> PubkitError:
    with pytest.raises(PubkitError) as caught:
        gate(root, language)
    return caught.value


def test_the_source_language_prints_as_written_and_is_not_a_draft(project):
    translate, is_draft = gate(project, "vi")
    assert translate(TITLE) == TITLE and is_draft is False
    assert gate(project, "vi", draft=True)[1] is False


def test_a_reviewed_language_prints_its_translations(project):
    translate, is_draft = gate(project, "ja")
    assert is_draft is False
    assert translate(TITLE) == TRANSLATIONS["ja"][0] and translate(HEADING) == TRANSLATIONS["ja"][3]


def test_text_the_segment_list_missed_stops_a_print_build(project, monkeypatch):
    translate, _ = gate(project, "ja")
    stray = "Một đoạn văn không có trong danh sách phân đoạn của tài liệu này"
    with pytest.raises(PubkitError) as caught:
        translate(stray)
    error = caught.value
    assert error.problem == "no ja translation for “Một đoạn văn không có trong danh sách ph”"
    assert error.file.endswith("ja.po")
    assert error.fix == "run `pubkit translate`, review the new entry, then build again"


def test_one_unreviewed_segment_is_named(project):
    edit(project, "ko", lambda i, e: e.flags.append("fuzzy") if i == 3 else None)
    error = refused(project, "ko")
    assert error.problem == ("the ko edition is not ready: 1 segment not reviewed (0 missing, 1 unreviewed): "
                             "sections[0].heading")
    assert error.file.endswith("ko.po")
    assert error.fix == "review them (clear the fuzzy flag) in ko.po, or build with --draft for a proof"


def test_five_pending_segments_are_all_named(project):
    def change(index, entry):
        if index < 3:
            entry.msgstr = ""
        elif index < 5:
            entry.flags.append("fuzzy")

    edit(project, "zh", change)
    assert refused(project, "zh").problem == (
        "the zh edition is not ready: 5 segments not reviewed (3 missing, 2 unreviewed): " + ", ".join(PATHS[:5]))


def test_more_pending_segments_than_shown_are_counted(project):
    edit(project, "en", lambda i, e: setattr(e, "msgstr", "") if i < 7 else e.flags.append("fuzzy"))
    assert refused(project, "en").problem == (
        "the en edition is not ready: 11 segments not reviewed (7 missing, 4 unreviewed): "
        + ", ".join(PATHS[:5]) + " and 6 more")


def test_a_draft_build_prints_unreviewed_text_and_the_source_where_nothing_is_translated(project):
    edit(project, "ja", lambda i, e: e.flags.append("fuzzy") if i == 0 else setattr(e, "msgstr", "") if i == 3 else None)
    translate, is_draft = gate(project, "ja", draft=True)
    assert is_draft is True
    assert translate(TITLE) == TRANSLATIONS["ja"][0]  # unreviewed, but a proof shows it
    assert translate(HEADING) == HEADING  # missing: the source


def test_a_draft_build_of_a_reviewed_language_is_not_a_draft(project):
    assert gate(project, "ja", draft=True)[1] is False


def test_a_drafts_file_of_another_brochure_is_refused(project):
    path = drafts_of(project, "ja")
    po = polib.pofile(str(path))
    po.metadata["Project-Id-Version"] = "ha-noi"
    po.save()
    assert refused(project, "ja").problem == "this draft file belongs to brochure 'ha-noi', not 'demo'"


GLOSSARY = 'terms:\n  "Thái Nguyên": {ja: "タイグエン", ko: "타이응우옌"}\n  "Hồ Núi Cốc": {en: "Nui Coc Lake"}\n'


def test_a_reviewed_translation_without_the_glossary_term_stops_a_print_build_only(project):
    (project / "glossary.yaml").write_text(GLOSSARY, encoding="utf-8")
    assert gate(project, "ja")[1] is False  # every translation uses タイグエン
    edit(project, "ja", lambda i, e: setattr(e, "msgstr", "太原省人民委員会") if i == 2 else None)
    error = refused(project, "ja")
    assert error.problem == ("1 reviewed translations miss a glossary term: "
                             "'Ủy ban nhân dân tỉnh Thái Nguy…' lacks 'タイグエン' (Thái Nguyên)")
    assert error.file.endswith("ja.po")
    assert error.fix == "use the glossary's term (glossary.yaml) in those entries"
    edit(project, "ja", lambda i, e: e.flags.append("fuzzy") if i == 0 else None)
    assert gate(project, "ja", draft=True)[1] is True  # a proof is not held to the glossary


def test_a_brochures_own_glossary_counts_too(project):
    (project / "brochures" / "demo" / "glossary.yaml").write_text(GLOSSARY, encoding="utf-8")
    edit(project, "ko", lambda i, e: setattr(e, "msgstr", "지리") if i == 4 else None)
    assert "lacks '타이응우옌'" in refused(project, "ko").problem


def catalog(pairs: dict[str, str], fuzzy: tuple[str, ...] = ()) -> Catalog:
    entries = {source: polib.POEntry(msgid=source, msgstr=text, flags=["fuzzy"] if source in fuzzy else [])
               for source, text in pairs.items()}
    return Catalog(Path("ja.po"), "ja", entries)


def glossary_check(pairs: dict[str, str], sources: list[str], terms: dict, fuzzy: tuple[str, ...] = ()) -> str | None:
    try:
        _check_glossary(catalog(pairs, fuzzy), Glossary(terms), sources)
    except PubkitError as error:
        return error.problem
    return None


def test_glossary_terms_are_checked_per_language_and_only_where_the_source_has_them():
    terms = {"Thái Nguyên": {"ja": "タイグエン", "en": "Thai Nguyen"}, "Hà Nội": {"en": "Hanoi"}}
    sources = ["Thái Nguyên xanh", "Hà Nội xa", "Hồ"]
    assert glossary_check({"Thái Nguyên xanh": "タイグエン緑", "Hà Nội xa": "遠い", "Hồ": "湖"}, sources, terms) is None
    assert glossary_check({"Thái Nguyên xanh": "緑", "Hà Nội xa": "遠い", "Hồ": "湖"}, sources, terms) == (
        "1 reviewed translations miss a glossary term: 'Thái Nguyên xanh…' lacks 'タイグエン' (Thái Nguyên)")


def test_a_source_listed_twice_is_one_problem_and_long_sources_are_cut():
    long = "Thái Nguyên là trung tâm chính trị, kinh tế của vùng"
    problem = glossary_check({long: "中心"}, [long, long], {"Thái Nguyên": {"ja": "タイグエン"}})
    assert problem == ("1 reviewed translations miss a glossary term: "
                       "'Thái Nguyên là trung tâm chính…' lacks 'タイグエン' (Thái Nguyên)")


def test_three_problems_are_shown_and_more_are_counted():
    terms = {"Thái Nguyên": {"ja": "タイグエン"}}
    sources = [f"Thái Nguyên {n}" for n in range(1, 6)]
    three = glossary_check({s: "訳" for s in sources[:3]}, sources[:3], terms)
    assert three == ("3 reviewed translations miss a glossary term: 'Thái Nguyên 1…' lacks 'タイグエン' (Thái Nguyên); "
                     "'Thái Nguyên 2…' lacks 'タイグエン' (Thái Nguyên); 'Thái Nguyên 3…' lacks 'タイグエン' (Thái Nguyên)")
    five = glossary_check({s: "訳" for s in sources}, sources, terms)
    assert five == three.replace("3 reviewed", "5 reviewed") + " and 2 more"
    four = glossary_check({s: "訳" for s in sources[:4]}, sources[:4], terms)
    assert four == three.replace("3 reviewed", "4 reviewed") + " and 1 more"


# --- a translator's context entry, the review spreadsheet's states, and tags ---------------------------------

def with_context(root: Path, language: str, source: str, place: str, text: str, fuzzy: bool) -> None:
    """Add a translator's entry for ``source`` at the spec path ``place`` only (``msgctxt``) to the PO file."""
    path = drafts_of(root, language)
    flag = "#, fuzzy\n" if fuzzy else ""
    path.write_text(path.read_text(encoding="utf-8") + f'\n{flag}msgctxt "{place}"\nmsgid "{source}"\nmsgstr "{text}"\n',
                    encoding="utf-8")


def test_an_unreviewed_context_entry_stops_a_print_build_at_its_place(project):
    with_context(project, "ja", TITLE, "title", "題", fuzzy=True)
    error = refused(project, "ja")
    assert error.problem == ("the ja edition is not ready: 1 segment not reviewed (0 missing, 1 unreviewed): title")


def test_a_reviewed_context_entry_prints_at_its_place_only(project):
    with_context(project, "ja", TITLE, "title", "題", fuzzy=False)
    translate, _ = gate(project, "ja")
    assert translate(TITLE, "title") == "題" and translate(TITLE) == TRANSLATIONS["ja"][0]
    assert translate(TITLE, "subtitle") == TRANSLATIONS["ja"][0]


def contexts_catalog(tmp_path: Path) -> Catalog:
    shared = {"A": polib.POEntry(msgid="A", msgstr="a"),
              "Missing": polib.POEntry(msgid="Missing", msgstr=" "),
              "Stale": polib.POEntry(msgid="Stale", msgstr="s", flags=["fuzzy"], previous_msgid="Old"),
              "Machine": polib.POEntry(msgid="Machine", msgstr="m", flags=["fuzzy"],
                                       comment="pubkit: machine translation (opus-mt)"),
              "Fuzzy": polib.POEntry(msgid="Fuzzy", msgstr="f", flags=["fuzzy"])}
    own = {("p1", "A"): polib.POEntry(msgctxt="p1", msgid="A", msgstr="a1", flags=["fuzzy"])}
    return Catalog(tmp_path / "ja.po", "ja", shared, own)


def test_each_text_has_the_review_spreadsheets_state_at_its_place(tmp_path):
    from pubkit.content.gate import Translation

    translation = Translation("ja", contexts_catalog(tmp_path), True, True)
    states = {(text, place): translation.state(text, place) for text, place in [
        ("A", None), ("A", "p1"), ("A", "p2"), ("Missing", None), ("Absent", None), ("Stale", None),
        ("Machine", None), ("Fuzzy", None)]}
    assert states == {("A", None): "reviewed", ("A", "p1"): "unreviewed", ("A", "p2"): "reviewed",
                      ("Missing", None): "missing", ("Absent", None): "missing", ("Stale", None): "stale",
                      ("Machine", None): "machine draft", ("Fuzzy", None): "unreviewed"}
    assert [translation.reviewed(*key) for key in [("A", None), ("A", "p1"), ("Fuzzy", None), ("Absent", None)]] \
        == [True, False, False, False]
    assert translation("A", "p1") == "a1" and translation("A") == "a" and translation("Absent") == "Absent"


def test_the_source_language_is_reviewed_everywhere():
    from pubkit.content.gate import Translation

    source = Translation("vi", None, False, False)
    assert source.state("A", "p1") == "reviewed" and source.reviewed("A", "p1") is True and source("A") == "A"


def test_a_context_entry_without_the_glossary_term_is_refused_at_its_place(tmp_path):
    shared = {"Thái Nguyên xanh": polib.POEntry(msgid="Thái Nguyên xanh", msgstr="タイグエン緑")}
    own = {("title", "Thái Nguyên xanh"): polib.POEntry(msgctxt="title", msgid="Thái Nguyên xanh", msgstr="緑")}
    terms = Glossary({"Thái Nguyên": {"ja": "タイグエン"}})
    with pytest.raises(PubkitError) as caught:
        _check_glossary(Catalog(tmp_path / "ja.po", "ja", shared, own), terms, [("Thái Nguyên xanh", "title")])
    assert caught.value.problem == ("1 reviewed translations miss a glossary term: "
                                    "'Thái Nguyên xanh…' lacks 'タイグエン' (Thái Nguyên)")
    _check_glossary(Catalog(tmp_path / "ja.po", "ja", shared, own), terms, [("Thái Nguyên xanh", "subtitle")])


MARKED = '<b>Thái Nguyên</b> có <i>chè Tân Cương</i> nổi tiếng khắp cả nước Việt Nam'
MARKUP_PO = ('msgid ""\nmsgstr ""\n"Language: ja\\n"\n\n'
             'msgid "Hồ"\nmsgstr "湖"\n\n'       # lines 5-6: its msgstr is the line a wrong start would find
             '# a translator\'s note\n'          # line 8: the marked entry starts here (polib's linenum)
             'msgid ""\n"<b>Thái Nguyên</b> có <i>chè Tân Cương</i> nổi tiếng "\n"khắp cả nước Việt Nam"\n'
             'msgstr "{target}"\n')             # line 12
TAG_FIX = "give it the same tags as the msgid (they may move, not change), or mark the entry fuzzy"


def markup_catalog(tmp_path: Path, target: str, flags: str = ""):
    from pubkit.drafts import read_catalog

    path = tmp_path / "ja.po"
    text = MARKUP_PO.format(target=target.replace('"', '\\"'))
    path.write_text(text.replace("# a translator's note\n", "# a translator's note\n" + flags), encoding="utf-8")
    return read_catalog(path, "ja")


def test_a_reviewed_translation_with_other_tags_is_refused_at_its_msgstr_line(tmp_path):
    from pubkit.content.gate import check_markup

    catalog = markup_catalog(tmp_path, "<b>タイグエン</b>の茶は有名")
    with pytest.raises(PubkitError) as caught:
        check_markup(catalog, [("Absent", None), ("Hồ", None), (MARKED, "sections[0].content[0]"),
                               (MARKED, "sections[0].content[0]")])
    error = caught.value
    assert error.problem == ("the reviewed translation of “<b>Thái Nguyên</b> có <i>chè Tân Cương</” does not "
                             "match its source's tags: <i>…</i> of the source is missing")
    assert (error.file, error.line, error.fix) == (str(tmp_path / "ja.po"), 12, TAG_FIX)


@pytest.mark.parametrize("target, flags", [("タイグエン茶", "#, fuzzy\n"), ("", "")], ids=["unreviewed", "missing"])
def test_tags_of_an_unreviewed_or_missing_translation_are_left_to_review(tmp_path, target, flags):
    from pubkit.content.gate import check_markup

    check_markup(markup_catalog(tmp_path, target, flags), [(MARKED, None), ("Absent <b>x</b>", None)])


def test_the_same_tags_in_another_order_pass(tmp_path):
    from pubkit.content.gate import check_markup

    check_markup(markup_catalog(tmp_path, "<i>タングオン茶</i>で有名な<b>タイグエン</b>"), [(MARKED, None)])


def test_the_msgstr_line_falls_back_to_the_entrys_start(tmp_path):
    """Where the file cannot be read again, is not UTF-8 or has no msgstr after the entry, polib's line is given."""
    from pubkit.content.gate import _msgstr_line

    entry = polib.POEntry(msgid="a", msgstr="b", linenum=3)
    assert _msgstr_line(tmp_path / "gone.po", entry) == 3
    (tmp_path / "latin1.po").write_bytes(b'# caf\xe9\nmsgid "a"\nmsgstr "b"\n')
    assert _msgstr_line(tmp_path / "latin1.po", entry) == 3
    (tmp_path / "cut.po").write_text('msgid "x"\nmsgstr "y"\nmsgid "a"\n', encoding="utf-8")
    assert _msgstr_line(tmp_path / "cut.po", entry) == 3
    (tmp_path / "bom.po").write_bytes(b'\xef\xbb\xbfmsgstr "z"\nmsgid "a"\nmsgstr "b"\n')
    assert _msgstr_line(tmp_path / "bom.po", polib.POEntry(msgid="a", msgstr="b", linenum=1)) == 1


def test_broken_source_markup_is_refused_at_the_specs_line(project):
    from pubkit.content.gate import review_gate
    from pubkit.spec.segments import Segment

    folder = project / "brochures" / "demo"
    brochure = load_spec(folder / "brochure.yaml")
    listed = [Segment("Liên hệ", "back_cover.heading"), Segment("3 < 5 là đúng", "subtitle"), Segment("<b>Liên hệ</b>", "publisher"),
              Segment("<b>Thái Nguyên – Tiềm năng phát triển và Cơ hội đầu tư", "title")]
    with pytest.raises(PubkitError) as caught:
        review_gate(brochure, drafts_of(project, "ja"), "demo", load_project(project), folder, "ja", False,
                    segment_list=lambda _: listed)
    error = caught.value
    assert error.problem == "<b> is never closed in “<b>Thái Nguyên – Tiềm năng phát triển và”"  # cut at 40 characters
    assert (error.file, error.line, error.key) == (str(folder / "brochure.yaml"), 1, "title")
    assert error.fix == 'tags are <b>…</b>, <i>…</i>, <a href="https://…">…</a>, <nobr>…</nobr>; write &lt; for a literal <'


def test_the_tags_checked_at_a_place_are_those_of_its_context_entry(tmp_path):
    """A reviewed context entry is checked where it prints; an unreviewed one is left to review, even where the
    shared entry is reviewed."""
    from pubkit.content.gate import check_markup
    from pubkit.drafts import read_catalog

    path = tmp_path / "ja.po"
    path.write_text('msgid ""\nmsgstr ""\n"Language: ja\\n"\n\nmsgid "<b>A</b> b"\nmsgstr "<b>あ</b> い"\n\n'
                    'msgctxt "title"\nmsgid "<b>A</b> b"\nmsgstr "あ い"\n\n'
                    '#, fuzzy\nmsgctxt "subtitle"\nmsgid "<b>A</b> b"\nmsgstr "あ い"\n', encoding="utf-8")
    catalog = read_catalog(path, "ja")
    check_markup(catalog, [("<b>A</b> b", None), ("<b>A</b> b", "subtitle")])
    with pytest.raises(PubkitError) as caught:
        check_markup(catalog, [("<b>A</b> b", "title")])
    assert caught.value.problem.endswith("tags: <b>…</b> of the source is missing") and caught.value.line == 10
