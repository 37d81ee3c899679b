"""Spec validation: every error names the file, the line and the key, and says what is expected."""

from __future__ import annotations

import unicodedata

import pytest
import yaml

from conftest import REPO, SPEC
from pubkit.errors import PubkitError
from pubkit.spec import load_spec, yamlsource
from pubkit.blocks.bullets import Bullets
from pubkit.blocks.figures import Figures
from pubkit.blocks.image import ImageBlock
from pubkit.blocks.paragraph import Paragraph


def load_text(tmp_path, text: str):
    path = tmp_path / "brochure.yaml"
    path.write_text(text, encoding="utf-8")
    return load_spec(path)


def error_for(tmp_path, text: str) -> PubkitError:
    with pytest.raises(PubkitError) as caught:
        load_text(tmp_path, text)
    return caught.value


def test_sample_shaped_spec_loads_into_typed_blocks(tmp_path):
    brochure = load_text(tmp_path, SPEC)
    assert brochure.print_run == {"vi": 2800, "en": 500, "ja": 200, "ko": 200, "zh": 100}
    assert brochure.format.trim_mm == (148.0, 210.0) and brochure.format.bleed == pytest.approx(3.0)
    kinds = [type(block) for block in brochure.sections[0].content]
    assert kinds == [Paragraph, Bullets, ImageBlock, Figures]
    assert brochure.sections[0].content[2].width == pytest.approx(50.0)


def test_misspelt_key_names_line_and_suggests(tmp_path):
    error = error_for(tmp_path, SPEC.replace("sections:", "sectons:"))
    line = SPEC.splitlines().index("sections:") + 1
    assert (error.file, error.line, error.key) == (str(tmp_path / "brochure.yaml"), line, "sectons")
    assert "did you mean 'sections'" in error.one_line()


def test_nested_wrong_type_names_key_path(tmp_path):
    error = error_for(tmp_path, SPEC.replace("value: 3536.4", 'value: "3.536,4"'))
    assert error.key == "sections[0].content[3].figures[0].value"
    assert error.line == next(i for i, l in enumerate(SPEC.splitlines(), 1) if "3536.4" in l)
    assert "expected a number" in error.problem


def test_missing_required_key(tmp_path):
    error = error_for(tmp_path, SPEC.replace('publisher: "Ủy ban nhân dân tỉnh Thái Nguyên"\n', ""))
    assert "missing required key 'publisher'" in error.problem


def test_unknown_language_and_print_run_checks(tmp_path):
    assert "unknown language 'fr'" in error_for(tmp_path, SPEC.replace("ko, zh]", "ko, fr]")).problem
    error = error_for(tmp_path, SPEC.replace("zh: 100}", "zh: 100, th: 5}"))
    assert error.key == "print_run.th"
    assert "no print run for zh" in error_for(tmp_path, SPEC.replace(", zh: 100}", "}")).problem
    assert "copies" in error_for(tmp_path, SPEC.replace("en: 500", "en: 0")).problem
    assert "listed twice" in error_for(tmp_path, SPEC.replace("[vi, en,", "[vi, en, en,")).problem


def test_format_checks(tmp_path):
    assert "unknown trim size" in error_for(tmp_path, SPEC.replace("trim: A5", "trim: A9")).problem
    # the form is right, a side is not: said so, not "unknown"
    assert error_for(tmp_path, SPEC.replace("trim: A5", "trim: 0x210mm")).problem == \
        "trim size '0x210mm' has a side of 0 mm; pages from 74 mm (A7) to 1,000 mm a side are laid out"
    # too small to set text on (a 30 mm page divided by zero), too large to be a brochure
    for trim, side in (("30x30mm", "30"), ("73x105mm", "73"), ("5000x5000mm", "5000"), ("297x1001mm", "1001")):
        error = error_for(tmp_path, SPEC.replace("trim: A5", f"trim: {trim}"))
        assert error.problem.startswith(f"trim size '{trim}' has a side of {side} mm") and error.key == "format.trim"
    for pages in ("0", "-5"):
        error = error_for(tmp_path, SPEC.replace("binding: saddle-stitch", f"binding: saddle-stitch, max_pages: {pages}"))
        assert (error.problem, error.key) == (f"max_pages of {pages}", "format.max_pages")
    for trim in ("74x105mm", "1000x700mm"):
        assert load_text(tmp_path, SPEC.replace("trim: A5", f"trim: {trim}")).format.trim
    assert "did you mean 'saddle-stitch'" in error_for(
        tmp_path, SPEC.replace("binding: saddle-stitch", "binding: sadle-stitch")).one_line()
    assert "too small" in error_for(tmp_path, SPEC.replace("bleed: 3mm", "bleed: 1mm")).problem
    assert load_text(tmp_path, SPEC.replace("trim: A5", "trim: 150x200mm")).format.trim_mm == (150.0, 200.0)


def test_duplicate_key_is_an_error(tmp_path):
    error = error_for(tmp_path, SPEC.replace('date: "2018-06-15"', 'title: "Khác"'))
    assert "given twice (first on line 1)" in error.problem and error.line == 4


def test_yaml_syntax_error_has_line(tmp_path):
    error = error_for(tmp_path, SPEC.replace('subtitle: "Tài liệu giới thiệu dành cho nhà đầu tư"',
                                             "subtitle: Tài liệu: giới thiệu"))
    assert error.line == 2 and "YAML syntax error" in error.problem


def test_non_mapping_and_bad_block(tmp_path):
    assert "expected a brochure" in error_for(tmp_path, "- just\n- a list\n").problem
    error = error_for(tmp_path, SPEC.replace("- bullets:", "- bulets:"))
    assert "did you mean 'bullets'" in error.one_line() and error.key.endswith("content[1].bulets")


def test_nfd_spec_is_normalised_to_nfc(tmp_path):
    nfc = load_text(tmp_path, SPEC)
    nfd = load_text(tmp_path, unicodedata.normalize("NFD", SPEC))
    assert nfd == nfc
    assert unicodedata.is_normalized("NFC", nfd.title)


def _read_with(loader_class, text: str, path):
    loader = loader_class(text, path)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def _with_lines(value):
    """The value with the line of every key and item beside it: what error messages point at."""
    if isinstance(value, dict):
        return {key: (value.key_lines[key], _with_lines(item)) for key, item in value.items()} | {"@": value.line}
    if isinstance(value, list):
        return [(line, _with_lines(item)) for line, item in zip(value.item_lines, value)] + [("@", value.line)]
    return value


@pytest.mark.skipif(yamlsource.CParser is None, reason="PyYAML was built without libyaml")
def test_libyaml_reads_every_spec_as_pyyaml_does(tmp_path):
    """The fast reader (libyaml's parser) and PyYAML's own give the same values on the same lines."""
    from support import flores

    texts = [SPEC] + [path.read_text(encoding="utf-8") for path in (REPO / "brochures").glob("*/brochure.yaml")]
    texts.append((REPO / "glossary.yaml").read_text(encoding="utf-8"))
    if flores.available():
        texts.append((flores.flores_project(tmp_path, paragraphs=20) / "brochure.yaml").read_text(encoding="utf-8"))
    for text in texts:
        fast = _read_with(yamlsource._FastLoader, text, tmp_path)
        assert _with_lines(fast) == _with_lines(_read_with(yamlsource._Loader, text, tmp_path))


def test_a_broken_spec_is_reported_in_pyyaml_s_words(tmp_path):
    spec = tmp_path / "brochure.yaml"
    spec.write_text("title: x\nsections:\n  - heading: [unclosed\n", encoding="utf-8")
    with pytest.raises(PubkitError) as raised:
        load_spec(spec)
    with pytest.raises(yaml.MarkedYAMLError) as pyyaml:
        _read_with(yamlsource._Loader, spec.read_text(encoding="utf-8"), spec)
    assert pyyaml.value.problem in raised.value.one_line() and raised.value.line == pyyaml.value.problem_mark.line + 1
