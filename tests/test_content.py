"""pubkit.content: the format-neutral edition both renderers start from."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import REPO, TRANSLATIONS, write_po


def resolved(project: Path, language: str, draft: bool = False):
    from pubkit.commands.brochures import locate
    from pubkit.content import resolve
    from pubkit.project import load_project

    loaded = load_project(project)
    return resolve(loaded, locate(loaded, (project / "brochures" / "demo",))[0], language, draft)


def test_every_segment_resolved_with_its_path(project):
    from pubkit.spec.segments import segments

    edition = resolved(project, "en")
    assert [text.path for text in edition.texts.values()] == [s.path for s in segments(edition.brochure)]
    assert edition.title.text == TRANSLATIONS["en"][0] and edition.title.source.startswith("Thái Nguyên")
    assert all(text.reviewed for text in edition.texts.values()) and not edition.draft
    assert edition.translate(edition.title.source) == edition.title.text
    paragraph = edition.sections[0].blocks[0]
    assert paragraph.text.text == TRANSLATIONS["en"][4] and paragraph.text.path == "sections[0].content[0]"


def test_numbers_are_formatted_per_locale(project):
    assert resolved(project, "vi").sections[0].blocks[3].rows[0].display == "3.536,4\u00a0km²"
    figure = resolved(project, "en").sections[0].blocks[3].rows[0]
    assert (figure.number, figure.display, figure.unit.text) == ("3,536.4", "3,536.4\u00a0km²", "km²")


def test_number_text_agrees_with_print():
    from pubkit.content import number_text
    from pubkit.typeset.numbers import figure_parts

    for value, unit, source_unit, language, expected in [
            (3536.4, "km²", "km²", "vi", "3.536,4\u00a0km²"), (1290000, "people", "người", "en", "1.29\u00a0million\u00a0people"),
            (11.5, "%", "%", "ja", "11.5%"), (6, "", "", "zh", "6"), (7.8, "十亿美元", "tỷ USD", "zh", "78亿\u00a0美元")]:
        assert number_text(value, unit, language, source_unit) == expected, (value, language)
        whole, rest, _ = figure_parts(value, source_unit, unit, language, "vi")  # the table's columns
        assert expected.startswith(whole + rest)


def test_images_resolve_inside_the_project_with_the_caption_as_alt(project):
    image = resolved(project, "ko").sections[0].blocks[2]
    assert image.file == (project / "assets" / "photo.png").resolve()
    assert image.alt == image.caption and image.alt.text == TRANSLATIONS["ko"][6]
    assert image.path == "sections[0].content[2].image" and image.line
    assert resolved(project, "ko").cover_image.alt is None  # decorative


def test_gate_refuses_unreviewed_and_draft_marks_them(project):
    from pubkit.errors import PubkitError
    from pubkit.spec.segments import segments

    po = project / "brochures" / "demo" / "translations" / "zh.po"
    brochure = resolved(project, "vi").brochure
    sources = list(dict.fromkeys(s.text for s in segments(brochure)))
    write_po(po, "zh", list(zip(sources, TRANSLATIONS["zh"]))[:2])
    with pytest.raises(PubkitError, match="the zh edition is not ready: 9 segments not reviewed"):
        resolved(project, "zh")
    draft = resolved(project, "zh", draft=True)
    assert draft.draft and draft.title.reviewed and not draft.publisher.reviewed
    assert draft.publisher.text == draft.publisher.source  # missing: the source, in a draft only
    assert len(draft.unreviewed()) == 9


def test_build_uses_the_content_gate():
    from pubkit import content
    from pubkit.commands import build

    assert build._check_glossary is content.check_glossary and build.edition_date is content.edition_date
    source = (REPO / "pubkit" / "commands" / "build.py").read_text(encoding="utf-8")
    assert "read_catalog" not in source and "EntryState" not in source


def test_polib_stays_in_drafts():
    """polib objects never leave pubkit.drafts: nothing in content, web or the build/web commands imports it."""
    for folder in ("content", "web"):
        for path in (REPO / "pubkit" / folder).rglob("*.py"):
            names = {alias.name for node in ast.walk(ast.parse(path.read_text())) if isinstance(node, ast.Import | ast.ImportFrom)
                     for alias in node.names} | {node.module for node in ast.walk(ast.parse(path.read_text()))
                                                 if isinstance(node, ast.ImportFrom)}
            assert "polib" not in names, path
    for name in ("build.py", "web.py"):
        assert "polib" not in (REPO / "pubkit" / "commands" / name).read_text()
