"""The build cache (pubkit.cache): it never changes a PDF, damaged entries are recomputed, the size
is bounded, two writers never leave a broken entry, and an edit redoes only what depends on it."""

from __future__ import annotations

import multiprocessing
import shutil
import os
import subprocess
import sys
import zlib
from pathlib import Path

import polib
import pytest

from conftest import REPO, make_project

from pubkit import cache


@pytest.fixture
def private(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("PUBKIT_CACHE_DIR", str(folder))
    return folder


def _build(project: Path, out: str, cache_dir: Path, *extra: str, jobs: int = 1) -> dict[str, bytes]:
    """A build in a fresh process (no per-process memo), with a fixed SOURCE_DATE_EPOCH."""
    env = dict(os.environ, PUBKIT_CACHE_DIR=str(cache_dir), SOURCE_DATE_EPOCH="1700000000", PUBKIT_JOBS=str(jobs),
               PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    done = subprocess.run([sys.executable, "-m", "pubkit", "build", "brochures/demo", "--out", out, *extra],
                          cwd=project, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return {path.name: path.read_bytes() for path in sorted((project / out).glob("*.pdf"))
            + [project / out / "licence-summary.xlsx"]}


def test_cold_in_workers_warm_and_uncached_in_one_process_give_byte_identical_pdfs(project, tmp_path):
    store = tmp_path / "store"
    cold = _build(project, "cold", store, jobs=2)  # in two forked workers; the others in one process
    kinds = {path.name for path in store.iterdir()}
    assert {"images", "fonts", "ink", "measures", "plans", "licence"} <= kinds
    warm = _build(project, "warm", store)  # a new folder: nothing reused whole, every piece from the cache
    bypassed = _build(project, "bypassed", tmp_path / "empty", "--no-cache")
    assert len(cold) == 6 and cold == warm == bypassed  # the editions and the licence sheet
    assert not (tmp_path / "empty").exists()  # --no-cache wrote nothing: an empty cache stays empty


def test_a_damaged_entry_is_absent_and_removed(private):
    key = cache.key("test", "x")
    cache.put_object("test", key, {"a": 1})
    path = next(private.glob("test/*/*"))
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF
    path.write_bytes(bytes(data))
    assert cache.get_object("test", key) is None and not path.exists()
    cache.put_bytes("test", key, b"payload")
    path.write_bytes(path.read_bytes()[:-3])  # truncated
    assert cache.get_bytes("test", key) is None
    cache.put_bytes("test", key, b"not a pickle")  # intact, but not what get_object expects
    assert cache.get_object("test", key) is None and not path.exists()


def test_a_large_file_s_digest_is_read_again_only_when_the_file_changed(private, tmp_path, monkeypatch):
    """A fresh process (the per-process memo emptied) takes a large file's digest from the cache; content
    written in place, even with the old size and modification time put back, is hashed again."""
    big = tmp_path / "font.ttf"
    big.write_bytes(b"a" * cache.REMEMBERED_FROM)
    hashed = []
    real_sha256 = cache.hashlib.sha256
    monkeypatch.setattr(cache.hashlib, "sha256", lambda *data: hashed.append(len(data[0]) if data else 0)
                        or real_sha256(*data))

    def fresh_digest() -> str:
        cache._file_digests.clear()
        hashed.clear()
        return cache.file_digest(big)

    first = fresh_digest()
    assert first == real_sha256(big.read_bytes()).hexdigest() and cache.REMEMBERED_FROM in hashed
    assert fresh_digest() == first and cache.REMEMBERED_FROM not in hashed  # not read again
    status = big.stat()
    big.write_bytes(b"b" * cache.REMEMBERED_FROM)
    os.utime(big, ns=(status.st_atime_ns, status.st_mtime_ns))  # as cp -p or touch -r would
    assert fresh_digest() == real_sha256(b"b" * cache.REMEMBERED_FROM).hexdigest() != first
    entries = sorted((private / "digests").rglob("*"))
    small = tmp_path / "brochure.yaml"
    small.write_bytes(b"title: x\n")
    cache._file_digests.clear()
    cache.file_digest(small)
    assert sorted((private / "digests").rglob("*")) == entries  # a small file is hashed: cheaper than an entry


def test_keys_take_every_part_and_their_boundaries():
    assert cache.key("k", "ab", "c") != cache.key("k", "a", "bc")
    assert cache.key("k", "a") != cache.key("j", "a")
    assert cache.key("k", "a") == cache.key("k", b"a")


def test_a_change_to_pubkit_s_code_makes_other_keys(tmp_path):
    """A picture converted by other code (another rendering intent, say) must not be read back: the release
    number alone stayed 0.1.0 through every change of a checkout."""
    shutil.copytree(REPO / "pubkit", tmp_path / "pubkit", ignore=shutil.ignore_patterns("__pycache__"))
    probe = [sys.executable, "-c", "from pubkit import cache; print(cache.key('cmyk-image', 'digest'))"]

    def key() -> str:
        return subprocess.run(probe, cwd=tmp_path, env=dict(os.environ, PYTHONPATH=str(tmp_path)), capture_output=True,
                              text=True, check=True).stdout.strip()

    before = key()
    assert key() == before  # the same code, the same key
    images = tmp_path / "pubkit" / "typeset" / "images.py"
    images.write_text(images.read_text(encoding="utf-8").replace("Intent.PERCEPTUAL", "Intent.RELATIVE_COLORIMETRIC"),
                      encoding="utf-8")
    assert key() != before


def test_a_pdf_does_not_depend_on_the_times_of_pubkit_s_own_files(tmp_path):
    """Cache keys take pubkit's code by its files' times; nothing printed may (a picture's XObject name was
    taken from its entry's key, so touching a source file changed every PDF's bytes)."""
    shutil.copytree(REPO / "pubkit", tmp_path / "code" / "pubkit", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "project").mkdir()
    project = make_project(tmp_path / "project")
    env = dict(os.environ, PYTHONPATH=str(tmp_path / "code"), SOURCE_DATE_EPOCH="1700000000", PUBKIT_JOBS="1",
               PUBKIT_CACHE_DIR=str(tmp_path / "cache"))

    def built(out: str) -> bytes:
        subprocess.run([sys.executable, "-m", "pubkit", "build", "--lang", "vi", "--no-cache", "--out", out],
                       cwd=project, env=env, check=True, capture_output=True)
        return (project / out / "demo-vi.pdf").read_bytes()

    before = built("first")
    source = tmp_path / "code" / "pubkit" / "wording.py"
    os.utime(source, ns=(source.stat().st_atime_ns, source.stat().st_mtime_ns + 10**9))
    assert built("second") == before


def test_bypassed_reads_and_writes_nothing(private):
    key = cache.key("test", "y")
    cache.put_bytes("test", key, b"kept")
    with cache.bypassed():
        assert cache.get_bytes("test", key) is None
        cache.put_bytes("test", cache.key("test", "z"), b"new")
    assert cache.get_bytes("test", key) == b"kept"
    assert cache.get_bytes("test", cache.key("test", "z")) is None


def test_trim_drops_the_least_recently_used_down_to_three_quarters(private, monkeypatch):
    monkeypatch.setenv("PUBKIT_CACHE_MB", str(1000 * 1000 / 1024 / 1024))  # 1,000,000 bytes
    keys = [cache.key("test", str(i)) for i in range(10)]
    for age, key in enumerate(keys):
        cache.put_bytes("test", key, bytes(150_000))
        os.utime(next(private.glob(f"test/*/{key}")), (1_000_000 + age, 1_000_000 + age))
    assert cache.get_bytes("test", keys[0]) is not None  # a hit: now the most recently used
    cache.trim()
    left = [key for key in keys if cache.get_bytes("test", key) is not None]
    assert keys[0] in left and len(left) * 150_000 <= 750_000
    assert left == [keys[0]] + keys[-(len(left) - 1):]  # the oldest others went first


def test_trim_leaves_a_write_in_progress_alone(private, monkeypatch):
    """A temp file beside the entries (another build's write, not yet renamed) is neither counted
    nor removed, however old: removing it made that build's rename fail."""
    monkeypatch.setenv("PUBKIT_CACHE_MB", str(100_000 / 1024 / 1024))
    key = cache.key("test", "kept")
    cache.put_bytes("test", key, bytes(10_000))
    writing = next(private.glob(f"test/*/{key}")).parent / f".{key}.abcd1234.tmp"
    writing.write_bytes(bytes(500_000))  # over the limit on its own
    cache.trim()
    assert writing.exists() and cache.get_bytes("test", key) is not None


def test_trim_removes_a_temp_file_a_killed_writer_left_long_ago(private):
    key = cache.key("test", "kept")
    cache.put_bytes("test", key, bytes(10))
    left = next(private.glob(f"test/*/{key}")).parent / f".{key}.abcd1234.tmp"
    left.write_bytes(bytes(500_000))
    os.utime(left, (1_000_000, 1_000_000))  # 1970: its writer is long gone
    cache.trim()
    assert not left.exists() and cache.get_bytes("test", key) is not None


def _write_many(folder: str, key: str, payload: bytes) -> None:
    os.environ["PUBKIT_CACHE_DIR"] = folder
    for _ in range(20):
        cache.put_bytes("race", key, payload)


def test_two_writers_of_one_entry_never_leave_a_broken_one(private):
    key = cache.key("race", "same")
    payload = os.urandom(1 << 20)
    context = multiprocessing.get_context("fork")
    writers = [context.Process(target=_write_many, args=(str(private), key, payload)) for _ in range(2)]
    for writer in writers:
        writer.start()
    seen = []
    while any(writer.is_alive() for writer in writers):
        seen.append(cache.get_bytes("race", key))
    for writer in writers:
        writer.join()
    assert all(value in (None, payload) for value in seen)
    assert cache.get_bytes("race", key) == payload


def _font_with_composites(path: Path) -> Path:
    """A TrueType font whose Á is a composite of A and an acute accent (no project font has one)."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib.tables._g_l_y_f import Glyph, GlyphComponent

    def box(x0, y0, x1, y1):
        pen = TTGlyphPen(None)
        pen.moveTo((x0, y0)), pen.lineTo((x0, y1)), pen.lineTo((x1, y1)), pen.lineTo((x1, y0)), pen.closePath()
        return pen.glyph()

    glyphs = {".notdef": box(50, 0, 450, 700), "A": box(100, 0, 500, 700), "acute": box(250, 750, 350, 900),
              "B": box(100, 0, 450, 700)}
    composite = Glyph()
    composite.numberOfContours, composite.components = -1, []
    for name, dx in (("A", 0), ("acute", 50)):
        component = GlyphComponent()
        component.glyphName, component.x, component.y, component.flags = name, dx, 0, 0x4  # ROUND_XY_TO_GRID
        composite.components.append(component)
    glyphs["Aacute"] = composite
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(list(glyphs))
    builder.setupCharacterMap({ord("A"): "A", ord("Á"): "Aacute", ord("B"): "B"})
    builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics({name: (600, 50) for name in glyphs})
    builder.setupHorizontalHeader(ascent=900, descent=-200)
    builder.setupNameTable({"familyName": "Composite Test", "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=900, usWinAscent=900, usWinDescent=200)
    builder.setupPost()
    builder.save(str(path))
    return path


@pytest.mark.parametrize("font, text", [
    ("NotoSansJP-Regular.ttf", "タイグエン省はハノイの北約80キロに位置しています。"),
    ("BeVietnamPro-Bold.ttf", "Thái Nguyên – Tiềm năng phát triển và Cơ hội đầu tư"),
    ("composite", "ÁB"),
])
def test_a_font_face_from_the_cache_is_the_parsed_face(private, tmp_path, font, text):
    """A face restored from the cache has ReportLab's parsed attributes, and it makes the same subset
    reading its glyph table a glyph at a time from the mapped file (composite glyphs included)."""
    from reportlab.pdfbase.ttfonts import TTFont

    from pubkit.typeset import fonts

    path = _font_with_composites(tmp_path / "composite.ttf") if font == "composite" else REPO / "fonts" / font
    cold = fonts._reportlab_font("cold", path)  # parsed, and stored
    warm = fonts._reportlab_font("warm", path)
    fresh = TTFont("warm", str(path))
    assert vars(warm).keys() == vars(fresh).keys()
    assert {k: v for k, v in vars(warm).items() if k not in ("face", "encoding", "state")} == \
           {k: v for k, v in vars(fresh).items() if k not in ("face", "encoding", "state")}
    mine = {k: v for k, v in vars(warm.face).items() if k not in ("_pdfScale", "get_table")}
    theirs = {k: v for k, v in vars(fresh.face).items() if k not in ("_pdfScale", *fonts._FACE_DROPPED)}
    assert mine.pop("_ttf_data")[:] == theirs.pop("_ttf_data")  # the file mapped, not read: the same bytes
    assert mine == theirs and warm.face._pdfScale(1234) == fresh.face._pdfScale(1234)
    subset = list(range(40, 90)) + sorted({ord(char) for char in text})
    made = fresh.face.makeSubset(subset)
    assert warm.face.makeSubset(subset) == made and cold.face.makeSubset(subset) == made


def _resident_kb(path: Path) -> int:
    """This process's resident memory mapped from ``path`` (Linux's /proc/self/smaps)."""
    total, inside = 0, False
    for line in Path("/proc/self/smaps").read_text().splitlines():
        if line[:1] in "0123456789abcdef" and "-" in line.split(" ", 1)[0]:
            inside = line.rstrip().endswith(str(path))
        elif inside and line.startswith("Rss:"):
            total += int(line.split()[1])
    return total


@pytest.mark.skipif(not Path("/proc/self/smaps").exists(), reason="needs Linux's /proc/self/smaps")
def test_a_fonts_pages_read_for_a_subset_are_given_back(private, tmp_path):
    import shutil

    from pubkit.typeset import fonts

    path = shutil.copy(REPO / "fonts" / "NotoSansSC-Regular.ttf", tmp_path / "sc.ttf")  # mapped by no one else
    face = fonts._reportlab_font("sc", Path(path)).face
    face.makeSubset([ord(char) for char in "太原省位于河内以北约80公里处。"])
    assert _resident_kb(path) > 0
    fonts.release_pages()
    assert _resident_kb(path) == 0
    assert face.makeSubset([ord("太")])  # read again when needed


def _face_state(face) -> list:
    """Every attribute the cache keeps, in order, each dictionary as its items in order."""
    return [(key, list(value.items()) if isinstance(value, dict) else value) for key, value in vars(face).items()
            if key not in ("_ttf_data", "_pdfScale", "glyphToChar", "get_table")]


@pytest.mark.parametrize("font", sorted(path.name for path in (REPO / "fonts").glob("*.ttf")))
def test_pubkit_reads_a_font_as_reportlab_does(font):
    """The character map, widths and glyph offsets read a table at a time are ReportLab's own reading."""
    from reportlab.pdfbase.ttfonts import TTFont

    from pubkit.typeset import fonts

    path = REPO / "fonts" / font
    mine, theirs = fonts.parse_face(path), TTFont("reference", str(path)).face
    assert _face_state(mine) == _face_state(theirs)
    assert mine._pdfScale(1234) == theirs._pdfScale(1234)
    assert mine.makeSubset(list(range(32, 300))) == theirs.makeSubset(list(range(32, 300)))


@pytest.mark.parametrize("font", sorted(path.name for path in (REPO / "fonts").glob("*.ttf")))
def test_pubkit_reads_a_fonts_character_set_as_fonttools_does(font):
    """The code points read with struct are those of fontTools' best character map, glyph 0 included."""
    from fontTools.ttLib import TTFont as FontFile

    from pubkit.typeset import fonts

    path = REPO / "fonts" / font
    with FontFile(path, lazy=True) as reference:
        expected = frozenset(reference.getBestCmap())
    assert fonts._quick_character_set(path) == expected


def test_a_font_with_another_character_map_is_read_by_reportlab(private, tmp_path):
    """A Macintosh format 6 map only: pubkit's reader leaves it to ReportLab, and the face is still whole."""
    from fontTools.ttLib import TTFont as FontFile
    from fontTools.ttLib.tables._c_m_a_p import CmapSubtable
    from reportlab.pdfbase.ttfonts import TTFont

    from pubkit.typeset import fonts

    font = FontFile(REPO / "fonts" / "BeVietnamPro-Regular.ttf")
    best = font.getBestCmap()
    mac = CmapSubtable.newSubtable(6)
    mac.platformID, mac.platEncID, mac.language = 1, 0, 0
    mac.cmap = {code: best[code] for code in range(32, 127)}
    font["cmap"].tables = [mac]
    path = tmp_path / "mac-only.ttf"
    font.save(path)
    assert fonts.parse_face(path) is None
    assert fonts._quick_character_set(path) is None  # fontTools reads (and judges) its character set
    assert fonts._read_character_set(path) == frozenset(FontFile(path).getBestCmap() or ())
    face = fonts._reportlab_font("mac-only", path).face
    assert face.charToGlyph and _face_state(face) == _face_state(TTFont("reference", str(path)).face)


def test_a_font_whose_tables_overrun_the_file_is_left_to_reportlab(tmp_path):
    """hhea claims more advance widths than the file holds: pubkit's reader gives up instead of failing."""
    from fontTools.ttLib import TTFont as FontFile

    from pubkit.typeset import fonts

    source = REPO / "fonts" / "BeVietnamPro-Regular.ttf"
    data = bytearray(source.read_bytes())
    hhea = FontFile(source).reader.tables["hhea"].offset
    data[hhea + 34:hhea + 36] = (0xFFFF).to_bytes(2, "big")
    path = tmp_path / "overrun.ttf"
    path.write_bytes(bytes(data))
    assert fonts.parse_face(path) is None
    assert fonts.parse_face(source) is not None
    cut = tmp_path / "cut.ttf"  # the file ends inside the character map
    cut.write_bytes(source.read_bytes()[:FontFile(source).reader.tables["cmap"].offset + 64])
    assert fonts._quick_character_set(cut) is None


def _whole_picture_in_cmyk(source: Path, profile: bytes):
    """The picture converted the plain way, all at once: ICC from its embedded profile or sRGB, after
    flattening (the reference for the band-by-band conversion)."""
    from PIL import Image, ImageCms

    from pubkit.typeset import images

    with Image.open(source) as image:
        image.load()
        if image.mode == "CMYK":
            return image.copy()
        embedded = image.info.get("icc_profile") if image.mode in ("RGB", "RGBA") else None
        return ImageCms.applyTransform(images.opaque_8_bit(image).convert("RGB"), images._transform(embedded, profile))


@pytest.mark.parametrize("mode, suffix", [("RGB", ".png"), ("RGBA", ".png"), ("L", ".png"), ("P", ".png"),
                                          ("CMYK", ".tif")])
def test_a_drawn_image_is_the_xobject_reportlab_would_write(private, tmp_path, monkeypatch, mode, suffix):
    """Converted and compressed a band of rows at a time (300 rows: three bands), a picture is the image
    XObject ReportLab writes for the whole picture converted at once (the same dictionary and, once
    inflated, the same samples; pubkit's stream is compressed by ISA-L, ReportLab's by zlib), and its
    highest ink is that picture's."""
    import io

    import pikepdf
    from PIL import Image
    from reportlab import rl_config
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    from pubkit.press.preflight import highest_sum
    from pubkit.typeset import images

    source = tmp_path / f"photo{suffix}"
    noise = Image.effect_noise((120, 300), 60)
    (Image.merge("CMYK", [noise, noise.rotate(90), noise.transpose(Image.Transpose.FLIP_LEFT_RIGHT), noise])
     if mode == "CMYK" else noise.convert("RGB").convert(mode)).save(source)
    profile = next((REPO / "colour").glob("*.icc")).read_bytes()
    monkeypatch.setattr(rl_config, "useA85", 0)  # binary streams, as pubkit.typeset.edition sets it

    def xobject(draw) -> tuple[bytes, dict]:
        out = io.BytesIO()
        canv = Canvas(out, invariant=1)
        draw(canv)
        canv.showPage()
        canv.save()
        with pikepdf.open(io.BytesIO(out.getvalue())) as pdf:
            (image,) = pdf.pages[0].get_images().values()
            return zlib.decompress(image.read_raw_bytes()), {k: str(v) for k, v in image.items() if k != "/Length"}

    picture = images.load_cmyk(source, spec_file=source, key="image", profile=profile)
    ours = xobject(lambda canv: images.draw(canv, picture, 10, 10, width=120, height=300))
    converted = _whole_picture_in_cmyk(source, profile)
    theirs = xobject(lambda canv: canv.drawImage(ImageReader(converted), 10, 10, width=120, height=300))
    assert ours == theirs and picture.highest_ink == highest_sum(converted.tobytes())
    assert len(picture.stream) < len(ours[0])  # compressed, not stored
    images._prepared.cache_clear()  # from the cache now: the same stream
    again = images.load_cmyk(source, spec_file=source, key="image", profile=profile)
    assert again.stream == picture.stream and again.size == (120, 300) and again.highest_ink == picture.highest_ink


def test_a_pictures_coverage_kept_while_converting_is_what_preflight_decodes(private, tmp_path, monkeypatch):
    """Loading a picture keeps its ink coverage (remember_cmyk_ink, with the sum made while converting it);
    preflight then finds it for the drawn picture instead of decoding it, and it is the value decoding
    gives."""
    import io

    import pikepdf
    from PIL import Image
    from reportlab import rl_config
    from reportlab.pdfgen.canvas import Canvas

    from pubkit.press import preflight
    from pubkit.typeset import images

    source = tmp_path / "dark.png"
    Image.new("RGB", (60, 40), (20, 10, 30)).save(source)
    profile = next((REPO / "colour").glob("*.icc")).read_bytes()
    monkeypatch.setattr(rl_config, "useA85", 0)
    picture = images.load_cmyk(source, spec_file=source, key="image", profile=profile)
    out = io.BytesIO()
    canv = Canvas(out, invariant=1, enforceColorSpace="cmyk")
    images.draw(canv, picture, 10, 10, width=60, height=40)
    canv.showPage()
    canv.save()
    decoded = []
    real_decode = preflight._decode_tac
    monkeypatch.setattr(preflight, "_decode_tac", lambda *args: decoded.append(1) or real_decode(*args))

    def coverage() -> float:
        preflight._tac_cache.clear()
        with pikepdf.open(io.BytesIO(out.getvalue())) as pdf:
            (image,) = pdf.pages[0].get_images().values()
            return preflight._image_tac(pikepdf.PdfImage(image), image.ColorSpace)

    with cache.bypassed():
        by_decoding = coverage()
    assert decoded == [1] and 100 < by_decoding <= 400  # a dark picture
    assert coverage() == by_decoding and decoded == [1]  # the kept value: not decoded again

def _edit_one_vietnamese_paragraph(project: Path) -> None:
    """A word of the demo's first paragraph changed, and the translations' msgids following it."""
    old, new = "khoảng 80 km", "chừng 80 km"
    spec = project / "brochures" / "demo" / "brochure.yaml"
    assert spec.read_text(encoding="utf-8").count(old) == 1
    spec.write_text(spec.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    for po_file in (project / "brochures" / "demo" / "translations").glob("*.po"):
        catalog = polib.pofile(str(po_file))
        for entry in catalog:
            entry.msgid = entry.msgid.replace(old, new)
        catalog.save()


def test_editing_one_vietnamese_paragraph_lays_out_only_the_vietnamese_edition(project, monkeypatch, private):
    from pubkit.commands.build import build
    from pubkit.project import load_project
    from pubkit.typeset import edition

    build(load_project(project), out=project / "out")
    before = {p.name: p.read_bytes() for p in (project / "out").glob("*.pdf")}
    measured, laid_out, broken = [], [], []
    real_measure, real_typeset, real_break = edition.measure, edition.typeset, edition.break_lines
    monkeypatch.setattr(edition, "measure", lambda job: measured.append(job.language) or real_measure(job))
    monkeypatch.setattr(edition, "typeset", lambda job: laid_out.append(job.language) or real_typeset(job))
    monkeypatch.setattr(edition, "break_lines", lambda text, *a: broken.append(text) or real_break(text, *a))
    monkeypatch.setenv("PUBKIT_JOBS", "1")  # in this process, so the recording sees every call
    _edit_one_vietnamese_paragraph(project)
    reports = build(load_project(project), out=project / "out")
    assert measured == ["vi"] and laid_out == ["vi"]
    # the lines of every other text come from the last build's (in the build cache): the edited paragraph alone is broken
    assert broken and all("chừng 80 km" in text for text in broken)
    assert [e.language for e in reports[0].editions if not e.cached] == ["vi"]
    after = {p.name: p.read_bytes() for p in (project / "out").glob("*.pdf")}
    assert {name for name in before if before[name] != after[name]} == {"demo-vi.pdf"}


def _rendered_by(record: Path):
    """A stand-in for the build's ``_typeset`` (an edition's render begins with it, in this process, in the
    guessed render's worker or in a pool's) that notes (process, language) in ``record``: forked workers too."""
    from pubkit.commands import build as build_command

    real = build_command._typeset

    def recording(*job):
        with record.open("a", encoding="utf-8") as out:
            out.write(f"{os.getpid()} {job[2]}\n")
        return real(*job)
    return recording


def test_with_a_core_to_spare_the_edited_edition_is_typeset_while_the_plan_is_searched(project, monkeypatch,
                                                                                        private, tmp_path):
    """The last plan comes out again, so the worker's file is kept; it is the file the same rebuild makes
    in one process."""
    import shutil

    from pubkit.commands import build as build_command
    from pubkit.project import load_project

    out, record = project / "out", tmp_path / "rendered.txt"
    build_command.build(load_project(project), out=out)
    shutil.copytree(out, tmp_path / "before")
    _edit_one_vietnamese_paragraph(project)
    monkeypatch.setattr(build_command, "_typeset", _rendered_by(record))
    monkeypatch.setenv("PUBKIT_JOBS", "2")
    build_command.build(load_project(project), out=out)
    worker, language = record.read_text().split()
    assert language == "vi" and int(worker) != os.getpid()
    in_worker = {p.name: p.read_bytes() for p in out.glob("*.pdf")}

    shutil.rmtree(out)
    shutil.copytree(tmp_path / "before", out)
    record.unlink()
    monkeypatch.setenv("PUBKIT_JOBS", "1")
    build_command.build(load_project(project), out=out)
    assert record.read_text().split() == [str(os.getpid()), "vi"]
    assert {p.name: p.read_bytes() for p in out.glob("*.pdf")} == in_worker


def test_a_draft_file_refused_while_a_guess_runs_stops_the_guess_and_writes_nothing(project, monkeypatch, private):
    """The Vietnamese edition is being rendered on the last plan when the Japanese draft file turns out
    broken: the build stops with the file's error, the worker is gone, and the folder is as it was."""
    import multiprocessing

    from pubkit.commands import build as build_command
    from pubkit.errors import PubkitError
    from pubkit.project import load_project

    out = project / "out"
    build_command.build(load_project(project), out=out)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    _edit_one_vietnamese_paragraph(project)
    ja = project / "brochures" / "demo" / "translations" / "ja.po"
    ja.write_text(ja.read_text(encoding="utf-8") + '\nmsgid "unterminated\n', encoding="utf-8")
    monkeypatch.setenv("PUBKIT_JOBS", "2")
    with pytest.raises(PubkitError) as refused:
        build_command.build(load_project(project), out=out)
    assert "ja.po" in str(refused.value.file) and not multiprocessing.active_children()
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


def test_a_guess_on_a_plan_that_then_changes_is_dropped_and_every_edition_laid_out(project, monkeypatch, private,
                                                                                  tmp_path):
    """The Japanese edition, guessed on the last plan, is stopped when the new plan differs (here: one
    that counts a grown step more, which lays out the same pages); the build neither waits for it nor
    hangs, and lays out every edition on the new plan, to the files one process makes."""
    import dataclasses
    import faulthandler
    import json
    import shutil

    from pubkit.commands import build as build_command
    from pubkit.project import load_project
    from pubkit.typeset import edition

    out, record = project / "out", tmp_path / "rendered.txt"
    build_command.build(load_project(project), out=out)
    shutil.copytree(out, tmp_path / "before")
    po_file = project / "brochures" / "demo" / "translations" / "ja.po"
    catalog = polib.pofile(str(po_file))
    paragraph = next(entry for entry in catalog if "80 km" in entry.msgid)
    paragraph.msgstr = paragraph.msgstr * 2
    catalog.save()
    real_plan = edition.plan_editions

    def another_plan(*args):
        plan = real_plan(*args)
        return dataclasses.replace(plan, grown=plan.grown + 1)
    monkeypatch.setattr(edition, "plan_editions", another_plan)
    monkeypatch.setattr(build_command, "_typeset", _rendered_by(record))
    monkeypatch.setenv("PUBKIT_JOBS", "2")
    faulthandler.dump_traceback_later(300, exit=True)  # a hung build fails the run instead of stalling it
    try:
        build_command.build(load_project(project), out=out)
    finally:
        faulthandler.cancel_dump_traceback_later()
    plans = [{entry["plan"] for code, entry in json.loads((folder / ".pubkit-build.json").read_text()).items()
              if code != "_run"} for folder in (tmp_path / "before", out)]
    assert len(plans[0]) == len(plans[1]) == 1 and plans[0] != plans[1]
    rendered = [line.split() for line in record.read_text().splitlines()]
    assert rendered[0][1] == "ja" and int(rendered[0][0]) != os.getpid()  # the guess
    assert sorted(language for _, language in rendered[1:]) == ["en", "ja", "ko", "vi", "zh"]
    in_workers = {p.name: p.read_bytes() for p in out.glob("*.pdf")}

    shutil.rmtree(out)
    shutil.copytree(tmp_path / "before", out)
    monkeypatch.setenv("PUBKIT_JOBS", "1")
    build_command.build(load_project(project), out=out)
    assert {p.name: p.read_bytes() for p in out.glob("*.pdf")} == in_workers


def _never_done(job: tuple) -> dict:
    import time

    time.sleep(60)
    return {}


def _broken(job: tuple) -> dict:
    raise RuntimeError("a worker that fails")


def _language_of(job: tuple) -> dict:
    return {"language": job[2]}


def _large(job: tuple) -> dict:
    return {"pdf": bytes(8_000_000)}  # far more than a pipe holds: the worker waits, writing it


@pytest.mark.parametrize("worker, next_plan, expected", [
    (_language_of, "same", {"xx": {"language": "xx"}}),
    (_language_of, "other", {}),   # a new plan: the worker's render is not what this plan gives
    (_never_done, "other", {}),    # ... and a worker still busy is stopped, not waited for
    (_broken, "same", {}),         # a failed worker: the edition is rendered in this process instead
    (_large, "same", {"xx": {"pdf": bytes(8_000_000)}}),
    (_large, "other", {}),         # stopped while it writes: nothing waits for the rest
])
def test_a_guessed_render_is_taken_only_on_the_same_plan(monkeypatch, tmp_path, worker, next_plan, expected):
    import multiprocessing
    import time

    from pubkit.commands import build as build_command
    from pubkit.typeset.plan import Plan

    monkeypatch.setenv("PUBKIT_JOBS", "2")
    monkeypatch.setattr(build_command, "_render_job", worker)
    last = Plan(pages=4, notes_pages=0, starts=[0, 2], modes=["break", "break"], slots=[])
    other = Plan(pages=4, notes_pages=0, starts=[0, 1], modes=["break", "continue"], slots=[])
    started = time.monotonic()
    with build_command._Guess(last, tmp_path, {}) as guess:  # no edition in the folder yet
        guess.note((None, None, "xx", False, last, "content key"), "file key")
        assert guess.worker is not None
        assert guess.take(last if next_plan == "same" else other) == expected
    assert time.monotonic() - started < 30 and not multiprocessing.active_children()


def test_a_guess_is_dropped_when_a_second_edition_changed_too(monkeypatch, tmp_path):
    import multiprocessing

    from pubkit.commands import build as build_command
    from pubkit.typeset.plan import Plan

    monkeypatch.setenv("PUBKIT_JOBS", "2")
    monkeypatch.setattr(build_command, "_render_job", _never_done)
    last = Plan(pages=4, notes_pages=0, starts=[0, 2], modes=["break", "break"], slots=[])
    with build_command._Guess(last, tmp_path, {}) as guess:
        guess.note((None, None, "xx", False, last, "content key"), "file key")
        assert multiprocessing.active_children()
        guess.note((None, None, "yy", False, last, "content key"), "file key")
        assert not multiprocessing.active_children() and guess.take(last) == {}


def test_a_new_output_folder_typesets_again_but_takes_pdfx_and_preflight_from_the_cache(project, monkeypatch,
                                                                                       private):
    """Typeset to the same bytes (a new folder, or a cover whose edition's body was edited), a file is not
    made PDF/X or preflighted again: both come from the cache, and the files are the same."""
    from pubkit.commands.build import build
    from pubkit.press import pdfx, preflight
    from pubkit.project import load_project

    monkeypatch.setenv("PUBKIT_JOBS", "1")  # in this process, so the recording sees every call
    build(load_project(project), out=project / "first")
    made = []
    real_pdfx, real_check = pdfx.make_pdfx, preflight.check_pdf
    monkeypatch.setattr(pdfx, "make_pdfx", lambda *args, **info: made.append("pdfx") or real_pdfx(*args, **info))
    monkeypatch.setattr(preflight, "check_pdf", lambda *args, **kw: made.append("check") or real_check(*args, **kw))
    build(load_project(project), out=project / "second")
    assert made == []
    first, second = ({p.name: p.read_bytes() for p in (project / out).glob("*.pdf")} for out in ("first", "second"))
    assert len(first) == 5 and first == second


def test_a_key_names_a_package_s_version_without_importing_it():
    """numpy (the ink cache) and openpyxl (the licence sheet) cost more to import than a cache hit saves."""
    import subprocess
    import sys

    probe = ("import sys; from pubkit.cache import package_version; read = [package_version(n) for n in "
             "('numpy', 'openpyxl')]; imported = [n in sys.modules for n in ('numpy', 'openpyxl')]; "
             "import numpy, openpyxl; print(read == [numpy.__version__, openpyxl.__version__], imported)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "[False,", "False]"]


def _noting(record: Path, real, delay: float = 0.0):
    """``real`` made to note (process, first argument's file name) in ``record`` first, and to take ``delay``
    seconds longer: forked workers too."""
    import time

    def noted(path, *args, **kwargs):
        with record.open("a", encoding="utf-8") as out:
            out.write(f"{os.getpid()} {Path(path).name}\n")
        time.sleep(delay)
        return real(path, *args, **kwargs)
    return noted


def test_a_cold_build_in_workers_converts_each_picture_and_parses_each_font_once(project, monkeypatch, private,
                                                                                  tmp_path):
    """Pictures convert beside the measuring (only fonts are waited for first), and every picture is done
    before the editions are rendered: no edition's worker converts one again, and none is converted twice."""
    from pubkit.commands import build as build_command
    from pubkit.project import load_project
    from pubkit.typeset import fonts, images

    converted, parsed = tmp_path / "converted.txt", tmp_path / "parsed.txt"
    monkeypatch.setattr(images, "_converted", _noting(converted, images._converted, delay=0.4))  # outlasts measuring
    monkeypatch.setattr(fonts, "parse_face", _noting(parsed, fonts.parse_face))
    monkeypatch.setattr(fonts, "_registered", {})  # as in a new process: no font registered by an earlier test
    monkeypatch.setenv("PUBKIT_JOBS", "2")
    build_command.build(load_project(project), out=project / "out")
    for record, suffix in ((converted, ".png"), (parsed, ".ttf")):
        done = [line.split() for line in record.read_text().splitlines()]
        names = [name for _, name in done]
        assert done and len(names) == len(set(names)) and all(name.endswith(suffix) for name in names), names
        assert all(int(pid) != os.getpid() for pid, _ in done)  # in the first workers, not this process


def test_a_plan_that_fails_while_pictures_convert_stops_the_build_and_its_workers(project, monkeypatch, private):
    import multiprocessing

    from pubkit.commands import build as build_command
    from pubkit.errors import PubkitError
    from pubkit.project import load_project
    from pubkit.typeset import edition

    def no_plan(brochure, spec_file, measures):
        raise PubkitError("no plan fits", file=spec_file, fix="shorten it")
    monkeypatch.setattr(edition, "plan_editions", no_plan)
    monkeypatch.setenv("PUBKIT_JOBS", "2")
    with pytest.raises(PubkitError, match="no plan fits"):
        build_command.build(load_project(project), out=project / "out")
    assert not multiprocessing.active_children() and not (project / "out").exists()


_HANDED = {}  # the real _parse_shared and the record file, for the stand-in below (pickled by name)


def _handed_out(task):
    with _HANDED["record"].open("a", encoding="utf-8") as out:
        out.write(f"{task[2].name}\n")
    return _HANDED["real"](task)


def test_fonts_and_pictures_the_cache_holds_are_not_handed_out_again(project, monkeypatch, private, tmp_path):
    """A first build into an empty folder hands every font and picture out once, beside the keys; a build
    into another empty folder with that cache hands out none (each worker would only have loaded it)."""
    from pubkit.commands import build as build_command
    from pubkit.project import load_project
    from pubkit.typeset import fonts

    handed = tmp_path / "handed.txt"
    monkeypatch.setitem(_HANDED, "record", handed)
    monkeypatch.setitem(_HANDED, "real", build_command._parse_shared)
    monkeypatch.setattr(build_command, "_parse_shared", _handed_out)
    monkeypatch.setattr(fonts, "_registered", {})  # as in a new process: no font registered by an earlier test
    monkeypatch.setenv("PUBKIT_JOBS", "2")
    build_command.build(load_project(project), out=project / "first")
    first = handed.read_text().split()
    assert len(first) == len(set(first)) and {".ttf", ".png"} <= {Path(name).suffix for name in first}
    handed.unlink()
    build_command.build(load_project(project), out=project / "second")
    assert not handed.exists(), handed.read_text()
    assert [p.read_bytes() for p in sorted((project / "first").glob("*.pdf"))] == [
        p.read_bytes() for p in sorted((project / "second").glob("*.pdf"))]


def _never_parsed(self, path):
    raise AssertionError(f"{path} parsed again")


def test_kept_hyphenation_patterns_hyphenate_as_pyphen_s_own_and_are_not_parsed_again(private, monkeypatch):
    import pyphen

    from pubkit.typeset import justify

    words = ("investment", "international", "hyphenation", "manufacturing", "infrastructure", "provincial",
             "development", "opportunities", "electronics", "agricultural", "administrative", "transportation")
    own = pyphen.Pyphen(lang="en_US", left=2, right=3, cache=False)
    for attempt in ("parsed and kept", "loaded"):
        justify._pyphen.cache_clear()
        monkeypatch.setattr(pyphen, "hdcache", {})
        kept = justify._pyphen("en_US")
        assert [kept.positions(word) for word in words] == [own.positions(word) for word in words], attempt
        monkeypatch.setattr(pyphen.HyphDict, "__init__", _never_parsed)  # a second parse would fail
    justify._pyphen.cache_clear()


def test_a_kept_font_is_parsed_into_the_cache_without_being_held_and_registers_without_parsing(private,
                                                                                                monkeypatch):
    """What the first workers of a build do with each font: parse it into the cache without registering it;
    an edition's worker then registers it from the cache."""
    from pubkit.typeset import fonts

    path = next((REPO / "fonts").rglob("*.ttf"))
    monkeypatch.setattr(fonts, "_registered", {})
    assert not fonts.is_kept(path)
    fonts.keep(path)
    assert fonts.is_kept(path) and path not in fonts._registered
    monkeypatch.setattr(fonts, "parse_face", _never_parsed)
    assert fonts.register(path) and path in fonts._registered


def _two_editions_fail(*job):
    """A stand-in for ``_typeset``: the Japanese edition fails late, the Korean one at once; others as usual."""
    import time

    from pubkit.commands import build as build_command
    from pubkit.errors import PubkitError

    code = job[2]
    if code == "ja":
        time.sleep(1.0)
    if code in ("ja", "ko"):
        raise PubkitError(f"the {code} edition cannot be set", file=job[1].spec, fix="none")
    return _HANDED["real typeset"](*job)


def test_editions_failing_in_workers_report_the_first_in_the_jobs_order_whichever_ends_first(project, monkeypatch,
                                                                                            private):
    """Rendered in workers, the Korean edition fails first and the Japanese one a second later; the build
    reports the Japanese one, as a build in one process would (it renders Japanese first), and leaves no
    workers behind."""
    import multiprocessing

    from pubkit.commands import build as build_command
    from pubkit.errors import PubkitError
    from pubkit.project import load_project

    monkeypatch.setitem(_HANDED, "real typeset", build_command._typeset)
    monkeypatch.setattr(build_command, "_typeset", _two_editions_fail)
    for jobs in ("2", "1"):
        monkeypatch.setenv("PUBKIT_JOBS", jobs)
        with pytest.raises(PubkitError, match="the ja edition cannot be set"):
            build_command.build(load_project(project), out=project / f"out-{jobs}")
        assert not multiprocessing.active_children() and not (project / f"out-{jobs}").exists()


def _slow_hand_out(task):
    import time

    time.sleep(60)


def test_a_first_build_stopped_by_the_review_gate_does_not_wait_for_its_font_and_picture_workers(project,
                                                                                                  monkeypatch,
                                                                                                  private):
    """The fonts and pictures are handed out beside the content keys; an unreviewed translation stops the
    build there, and the workers are stopped, not waited for (each task here would take a minute)."""
    import multiprocessing
    import time

    from pubkit.commands import build as build_command
    from pubkit.errors import PubkitError
    from pubkit.project import load_project

    ja = project / "brochures" / "demo" / "translations" / "ja.po"
    catalog = polib.pofile(str(ja))
    next(entry for entry in catalog if entry.msgstr).flags.append("fuzzy")
    catalog.save()
    monkeypatch.setattr(build_command, "_parse_shared", _slow_hand_out)
    monkeypatch.setenv("PUBKIT_JOBS", "2")
    started = time.monotonic()
    with pytest.raises(PubkitError, match="not reviewed"):
        build_command.build(load_project(project), out=project / "out")
    assert time.monotonic() - started < 30 and not multiprocessing.active_children()
