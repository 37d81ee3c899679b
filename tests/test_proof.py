"""`pubkit proof`'s review PDF, and translators' per-place (msgctxt) entries in the build."""

from __future__ import annotations

import json
import re
import subprocess

import polib
import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

from conftest import SPEC, TRANSLATIONS, has_tool, pdf_text

PO = "brochures/demo/translations"
SEGMENT = re.compile(r"^(title|subtitle|publisher|cover\.tagline|sections\[\d+\]\.\S+|back_cover\.\S+)$")
STATES = {"unreviewed", "machine draft", "stale", "missing"}


def slug_labels(pdf) -> tuple[list[str], dict[str, str]]:
    """The ids printed in the slug, in order, and the state printed under each highlighted one."""
    runs: list[str] = []
    for page in PdfReader(pdf).pages:
        page.extract_text(visitor_text=lambda text, *_: runs.append(text.strip()) if text.strip() else None)
    ids, states = [], {}
    for index, run in enumerate(runs):
        if SEGMENT.match(run):
            ids.append(run)
            if index + 1 < len(runs) and runs[index + 1] in STATES:
                states[run] = runs[index + 1]
    return ids, states


def tint_rectangles(pdf) -> int:
    """How many rectangles are filled with a review tint (drawn behind unreviewed segments)."""
    from pubkit.typeset.review import TINTS

    tints = {tuple(round(v, 3) for v in (c.cyan, c.magenta, c.yellow, c.black)) for c in TINTS.values()}
    reader = PdfReader(pdf)
    count = 0
    for page in reader.pages:
        fill = None
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"k":
                fill = tuple(round(float(v), 3) for v in operands)
            elif operator == b"re" and fill in tints:
                count += 1
    return count


@pytest.fixture
def unreviewed_ja(project):
    """The demo with three ja segments not reviewed: one unreviewed, one stale, one missing."""
    ja = project / PO / "ja.po"
    po = polib.pofile(str(ja))
    po.find("Vị trí địa lý").flags.append("fuzzy")
    stale = po.find("Hồ Núi Cốc")
    stale.flags.append("fuzzy")
    stale.previous_msgid = "Hồ Núi Cốc cũ"
    po.remove(po.find("Liên hệ"))
    po.save()
    return project


def test_review_pdf_marks_every_id_and_exactly_the_unreviewed_segments(unreviewed_ja, run):
    from pubkit.spec import load_spec
    from pubkit.spec.segments import segments

    result = run(unreviewed_ja, "proof", "brochures/demo", "--lang", "ja", "--out", "out")
    assert result.exit_code == 0, result.output
    out = unreviewed_ja / "out"
    review = out / "demo-ja-REVIEW.pdf"
    assert sorted(p.name for p in out.iterdir()) == ["demo-ja-REVIEW.pdf", "demo-ja-review.xlsx"]  # no print order
    assert str(review.relative_to(unreviewed_ja)) in result.output
    reader = PdfReader(review)
    assert all("REVIEW – not for print" in page.extract_text() for page in reader.pages)
    assert "DRAFT" not in pdf_text(review)
    ids, states = slug_labels(review)
    paths = [s.path for s in segments(load_spec(unreviewed_ja / "brochures/demo/brochure.yaml"))]
    assert set(paths) <= set(ids), set(paths) - set(ids)
    assert states == {"sections[0].heading": "unreviewed", "sections[0].content[2].caption": "stale",
                      "back_cover.heading": "missing"}
    assert tint_rectangles(review) == 3
    assert "Liên hệ" in pdf_text(review)  # missing: the Vietnamese source, marked
    # the same pages as print: a --draft build of ja from the same plan
    assert run(unreviewed_ja, "build", "--draft", "--lang", "ja", "--out", "draft").exit_code == 0
    assert len(reader.pages) == len(PdfReader(unreviewed_ja / "draft/demo-ja-DRAFT.pdf").pages)


def test_a_reviewed_language_gets_a_review_pdf_with_nothing_highlighted(project, run):
    assert run(project, "proof", "brochures/demo", "--lang", "en", "--out", "out").exit_code == 0
    review = project / "out" / "demo-en-REVIEW.pdf"
    ids, states = slug_labels(review)
    assert "sections[0].content[0]" in ids and states == {} and tint_rectangles(review) == 0


def test_proof_leaves_print_output_byte_identical(project, run):
    assert run(project, "build", "--out", "out").exit_code == 0
    out = project / "out"
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert run(project, "proof", "brochures/demo", "--out", "out").exit_code == 0
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert {name for name in after if name not in before} == {
        f"demo-{code}-{kind}" for code in ("en", "ja", "ko", "zh") for kind in ("REVIEW.pdf", "review.xlsx")}
    assert all(after[name] == data for name, data in before.items())
    order = json.loads((out / "print-order.json").read_text(encoding="utf-8"))
    assert not any("REVIEW" in e["file"] for e in order["editions"])
    assert run(project, "build", "--out", "again").exit_code == 0  # a fresh build after a proof: the same bytes
    for code in ("vi", "en", "ja", "ko", "zh"):
        assert (project / "again" / f"demo-{code}.pdf").read_bytes() == before[f"demo-{code}.pdf"]


def test_a_plain_text_to_text_translate_still_typesets_the_same_edition(project):
    """Library callers that pass ``translate(text)`` get what the place-aware Translation gives."""
    from pubkit import content
    from pubkit.commands.brochures import locate
    from pubkit.project import load_project
    from pubkit.typeset.edition import Edition, typeset

    loaded = load_project(project)
    [files] = locate(loaded, (project / "brochures/demo",))
    edition = content.resolve(loaded, files, "ja", False)
    by_place = typeset(Edition(edition.brochure, files.spec, loaded, "ja", edition.translate))
    plain = typeset(Edition(edition.brochure, files.spec, loaded, "ja", lambda text: edition.translate(text)))
    assert by_place.pdf == plain.pdf


# --- msgctxt: a translation for one place ------------------------------------------------------
SHARED, CONTEXT = "ヌイコック湖", "湖：ヌイコック"
BULLET = "sections[0].content[1].bullets[0]"


def with_context(project, *, fuzzy_context=False, fuzzy_shared=False):
    """The caption 'Hồ Núi Cốc' also as the bullet; ja has a context entry for the bullet."""
    spec = project / "brochures/demo/brochure.yaml"
    spec.write_text(SPEC.replace("Đường cao tốc Hà Nội – Thái Nguyên.", "Hồ Núi Cốc"), encoding="utf-8")
    ja = project / PO / "ja.po"
    po = polib.pofile(str(ja))
    shared = po.find("Hồ Núi Cốc")
    if fuzzy_shared:
        shared.flags.append("fuzzy")
    po.append(polib.POEntry(msgctxt=BULLET, msgid="Hồ Núi Cốc", msgstr=CONTEXT, flags=["fuzzy"] if fuzzy_context else []))
    po.save()


def layout_lines(pdf) -> list[str]:
    if has_tool("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    else:
        text = pdf_text(pdf)
    return text.splitlines()


def test_a_context_entry_prints_at_its_place_and_the_shared_entry_elsewhere(project, run):
    with_context(project)
    result = run(project, "build", "--lang", "ja,en", "--out", "out")
    assert result.exit_code == 0, result.output
    lines = [line.replace(" ", "") for line in layout_lines(project / "out/demo-ja.pdf")]
    text = "\n".join(lines)
    assert text.count(CONTEXT) == 1 and text.count(SHARED) == 1
    assert any(CONTEXT in line and line.startswith("•") for line in lines)  # the bullet
    assert not any(SHARED in line and "•" in line for line in lines)       # the caption
    assert pdf_text(project / "out/demo-en.pdf").count("Nui Coc Lake") == 2  # no context entry in en


def test_a_fuzzy_context_entry_blocks_the_print_build(project, run):
    with_context(project, fuzzy_context=True)
    result = run(project, "build", "--lang", "ja", "--out", "out")
    assert result.exit_code == 1
    [line] = result.output.strip().splitlines()
    assert f"ja edition is not ready: 1 segment not reviewed (0 missing, 1 unreviewed): {BULLET} —" in line
    assert "ja.po" in line and not (project / "out").exists()
    assert run(project, "proof", "brochures/demo", "--lang", "ja", "--out", "proof").exit_code == 0
    assert slug_labels(project / "proof/demo-ja-REVIEW.pdf")[1] == {BULLET: "unreviewed"}


def test_the_shared_entry_must_still_be_reviewed_for_the_other_places(project, run):
    with_context(project, fuzzy_shared=True)
    result = run(project, "build", "--lang", "ja", "--out", "out")
    assert result.exit_code == 1
    assert "1 segment not reviewed (0 missing, 1 unreviewed): sections[0].content[2].caption —" in result.output


def test_preflight_of_a_brochure_leaves_review_proofs_out(tmp_path):
    from pubkit.commands.preflight import find_pdfs
    from pubkit.project import load_project

    from conftest import make_project

    root = make_project(tmp_path)
    folder = root / "build" / "demo"
    folder.mkdir(parents=True)
    for name in ("demo-vi.pdf", "demo-ja-REVIEW.pdf"):
        (folder / name).write_bytes(b"%PDF-1.7\n")
    assert [pdf.name for pdf in find_pdfs(load_project(root), (root / "brochures" / "demo",), None)] == ["demo-vi.pdf"]


def test_status_counts_a_context_entry_as_its_own_unit(project, run):
    with_context(project, fuzzy_context=True)
    result = run(project, "status")
    assert result.exit_code == 3  # the build would refuse ja, so status must not say ready
    ja = next(line.split() for line in result.output.splitlines() if line.strip().startswith("ja "))
    units = len(TRANSLATIONS["ja"]) - 1 + 1  # one string fewer in the spec, one context entry more
    assert ja[:4] == ["ja", str(units), str(units - 1), "1"] and ja[-2:] == ["NOT", "READY"]
