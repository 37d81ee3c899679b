"""What an edition is reused by: a change to any input it depends on makes it again, as --no-cache would.

Each test is a case a review found where a build with the cache gave other files than ``--no-cache`` on
the same inputs (session 28): a fallback font changed in place, a picture rewritten at the same size and
given its old time back, a chart's highlight moved to another named category, a renamed brochure.
"""

from __future__ import annotations

import os
import shutil
import struct

import polib
import pytest
from PIL import Image

from conftest import REPO

from pubkit.commands.build import build
from pubkit.project import load_project


@pytest.fixture
def fixed_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setenv("PUBKIT_JOBS", "1")


def build_into(project, out, *, cache: bool = True):
    from pubkit import cache as work_cache

    if cache:
        return build(load_project(project), out=out)
    with work_cache.bypassed():
        return build(load_project(project), out=out)


def laid_out(reports) -> set[str]:
    return {edition.language for edition in reports[0].editions if not edition.cached}


def move_first_point(font_path, character: str) -> None:
    """Move the first point of ``character``'s glyph in place: the file keeps its size, its advance widths
    and its time's resolution, so only the glyph's outline differs (a type foundry's fix)."""
    from fontTools.ttLib import TTFont

    font = TTFont(font_path, lazy=True)
    glyph = font.getGlyphID(font.getBestCmap()[ord(character)])
    loca, glyf = font.reader.tables["loca"].offset, font.reader.tables["glyf"].offset
    long_offsets = font["head"].indexToLocFormat == 1
    font.close()
    data = bytearray(font_path.read_bytes())
    start = (struct.unpack_from(">L", data, loca + 4 * glyph)[0] if long_offsets
             else 2 * struct.unpack_from(">H", data, loca + 2 * glyph)[0])
    at = glyf + start
    contours = struct.unpack_from(">h", data, at)[0]
    assert contours > 0
    at += 10
    points = struct.unpack_from(">H", data, at + 2 * (contours - 1))[0] + 1
    at += 2 * contours
    at += 2 + struct.unpack_from(">H", data, at)[0]  # the instructions
    flags = []
    while len(flags) < points:
        flag = data[at]
        at += 1
        flags.append(flag)
        if flag & 8:
            flags += [flag] * data[at]
            at += 1
    assert not flags[0] & 2  # the first x is a 16-bit value, right after the flags
    x = struct.unpack_from(">h", data, at)[0]
    struct.pack_into(">h", data, at, x + 7)
    font_path.write_bytes(bytes(data))


def test_a_fallback_font_changed_in_place_makes_the_editions_that_use_it_again(project, tmp_path, fixed_date):
    """The English edition sets a Japanese name from the Japanese font: a new version of that font (same
    widths) must reach the English PDF too, not only the Japanese one."""
    fonts = project / "fonts"
    fonts.mkdir()
    japanese = fonts / "NotoSansJP-Regular.ttf"
    shutil.copy(REPO / "fonts" / japanese.name, japanese)
    config = project / "pubkit.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(f'"{REPO.as_posix()}/fonts/{japanese.name}"',
                                                                 f'"fonts/{japanese.name}"'), encoding="utf-8")
    po_file = project / "brochures" / "demo" / "translations" / "en.po"
    catalog = polib.pofile(str(po_file))
    entry = next(e for e in catalog if e.msgstr == "Nui Coc Lake")
    entry.msgstr = "Nui Coc Lake (ヌイコック湖)"
    catalog.save()
    build_into(project, project / "out")
    move_first_point(japanese, "ヌ")
    reports = build_into(project, project / "out")
    assert {"en", "ja"} <= laid_out(reports)
    build_into(project, tmp_path / "fresh", cache=False)
    for language in ("en", "ja"):
        name = f"demo-{language}.pdf"
        assert (project / "out" / name).read_bytes() == (tmp_path / "fresh" / name).read_bytes(), language


def test_a_picture_rewritten_at_the_same_size_with_its_old_time_is_read_again(project, tmp_path, run, fixed_date):
    """A picture saved uncompressed keeps its size whatever it shows; `cp -p` or `touch -r` gives its old time
    back. The build must see the new pixels (the up-to-date check and the file key took size and time)."""
    photo = project / "assets" / "photo.png"
    Image.new("RGB", (600, 400), (60, 120, 90)).save(photo, compress_level=0, dpi=(300, 300))
    assert run(project, "build", "--out", "out").exit_code == 0
    before = (project / "out" / "demo-vi.pdf").read_bytes()
    status = photo.stat()
    Image.new("RGB", (600, 400), (200, 40, 40)).save(photo, compress_level=0, dpi=(300, 300))
    os.utime(photo, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert photo.stat().st_size == status.st_size
    result = run(project, "build", "--out", "out")
    assert result.exit_code == 0, result.output
    after = (project / "out" / "demo-vi.pdf").read_bytes()
    assert after != before
    build_into(project, tmp_path / "fresh", cache=False)
    assert after == (tmp_path / "fresh" / "demo-vi.pdf").read_bytes()


def test_a_chart_highlight_moved_to_another_category_changes_the_edition(tmp_path):
    """The highlight names a category by its text, which is also a segment: blanking texts by value in the
    content key hid the move, and the old PDF, with the old bar highlighted, was reused."""
    from pubkit.commands.brochures import locate
    from pubkit.commands.build import _content_key, _resolved
    from pubkit.spec import load_spec

    for name in ("pubkit.toml", "glossary.yaml"):
        shutil.copy(REPO / name, tmp_path / name)
    for name in ("assets", "colour", "brochures"):
        shutil.copytree(REPO / name, tmp_path / name)
    (tmp_path / "fonts").symlink_to(REPO / "fonts")
    spec = tmp_path / "brochures" / "thai-nguyen" / "brochure.yaml"
    original = spec.read_text(encoding="utf-8")
    named = original.replace("categories: [2014, 2015, 2016, 2017, 2018]",
                             'categories: ["Hà Nội", "Bắc Ninh", "Thái Nguyên", "Phú Thọ", "Vĩnh Phúc"]')
    assert named != original

    def key(text: str) -> str:
        spec.write_text(text, encoding="utf-8")
        _resolved.clear()  # as every build starts
        project = load_project(tmp_path)
        [files] = locate(project, (spec.parent,))
        return _content_key(project, files, load_spec(spec), "vi", False, project.output_intent())

    last = key(named.replace("highlight: 2018", 'highlight: "Vĩnh Phúc"'))
    first = key(named.replace("highlight: 2018", 'highlight: "Hà Nội"'))
    assert first != last
    assert key(named.replace("highlight: 2018", 'highlight: "Hà Nội"')) == first


def test_a_renamed_brochure_writes_its_editions_under_the_new_name(project, run, fixed_date):
    assert run(project, "build", "--out", "out").exit_code == 0
    brochures = project / "brochures"
    (brochures / "demo").rename(brochures / "demo-2018")
    result = run(project, "build", "--out", "out")
    assert result.exit_code == 0, result.output
    order = (project / "out" / "print-order.csv").read_text(encoding="utf-8")
    assert "demo-2018-vi.pdf" in order and "demo-vi.pdf" not in order.replace("demo-2018-vi.pdf", "")
    assert (project / "out" / "demo-2018-vi.pdf").is_file()
