"""``pubkit new ID``: a brochure that shows every block and builds at once in draft."""

from __future__ import annotations

from pathlib import Path

import polib

from conftest import CONFIG


def _project(tmp_path: Path) -> Path:
    (tmp_path / "pubkit.toml").write_text(CONFIG, encoding="utf-8")
    return tmp_path


def test_new_scaffolds_a_brochure_that_builds_in_draft(tmp_path, run):
    from pubkit.blocks import BY_KEY, kind_of
    from pubkit.spec import load_spec
    from pubkit.spec.segments import segments

    root = _project(tmp_path)
    result = run(root, "new", "bac-kan")
    assert result.exit_code == 0, result.output + result.stderr
    folder = root / "brochures" / "bac-kan"
    spec = folder / "brochure.yaml"
    assert "#" in spec.read_text(encoding="utf-8")  # commented
    brochure = load_spec(spec)
    used = {kind_of(block).key for section in brochure.sections for block in section.content}
    used |= {kind_of(inner).key for section in brochure.sections for block in section.content
             for inner in getattr(block, "columns", [])}
    assert used >= set(BY_KEY) - {"page_break"}  # a page break is shown commented out: it would empty a page
    assert "page_break: true" in spec.read_text(encoding="utf-8")
    sources = {s.text for s in segments(brochure)}
    for code in ("en", "ja", "ko", "zh"):
        po = polib.pofile(str(folder / "translations" / f"{code}.po"))
        assert po.metadata["Project-Id-Version"] == "bac-kan" and po.metadata["Language"] == code
        assert {entry.msgid for entry in po} == sources
    assert (folder / "translations" / "bac-kan.pot").is_file()
    result = run(root, "build", "brochures/bac-kan", "--draft", "--out", "out")
    assert result.exit_code == 0, result.output + result.stderr
    built = sorted(path.name for path in (root / "out").glob("*.pdf"))
    assert built == ["bac-kan-en-DRAFT.pdf", "bac-kan-ja-DRAFT.pdf", "bac-kan-ko-DRAFT.pdf", "bac-kan-vi.pdf",
                     "bac-kan-zh-DRAFT.pdf"]
    status = run(root, "status", "brochures/bac-kan")
    assert status.exit_code == 3 and "NOT READY" in status.output  # nothing translated yet, and it says so


def test_new_takes_the_languages_asked_for(tmp_path, run):
    root = _project(tmp_path)
    assert run(root, "new", "song-cong", "--lang", "vi,en").exit_code == 0
    drafts = sorted(path.name for path in (root / "brochures" / "song-cong" / "translations").iterdir())
    assert drafts == ["en.po", "song-cong.pot"]
    assert "languages: [vi, en]" in (root / "brochures" / "song-cong" / "brochure.yaml").read_text(encoding="utf-8")


def test_new_refuses_in_one_line(tmp_path, run):
    root = _project(tmp_path)
    assert run(root, "new", "bac-kan").exit_code == 0
    cases = {("bac-kan",): "this brochure already exists",
             ("../outside",): "'../outside' cannot name a brochure",
             ("two words",): "'two words' cannot name a brochure",
             ("x1", "--lang", "vi,fr"): "--lang fr: not a language pubkit typesets",
             ("x2", "--lang", "en"): "the source language vi is missing"}
    for args, message in cases.items():
        result = run(root, "new", *args)
        assert result.exit_code == 1, args
        assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert sorted(path.name for path in (root / "brochures").iterdir()) == ["bac-kan"]
