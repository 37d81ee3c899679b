"""Shared fixtures: small real projects built in a temporary folder."""

from __future__ import annotations

import functools
import gc
import io
import os
import shutil
import textwrap
from pathlib import Path

import polib
import pytest
from PIL import Image

REPO = Path(__file__).resolve().parent.parent


def _keep_bytecode() -> None:
    """Compiled modules (pubkit's, and pytest's assertion-rewritten tests) kept between runs, outside the
    checkout: with PYTHONDONTWRITEBYTECODE=1 (set on the development machines) every worker compiled
    every module again, 4 of its 5.8 s of collection (docs/testing.md). Subprocesses read the same
    folder; a clean checkout pays the compilation once."""
    import sys
    import tempfile

    folder = str(Path(tempfile.gettempdir()) / "pubkit-tests" / "pycache")
    sys.pycache_prefix = folder
    sys.dont_write_bytecode = False
    os.environ["PYTHONPYCACHEPREFIX"] = folder


_keep_bytecode()

SPEC = textwrap.dedent("""\
    title: "Thái Nguyên – Tiềm năng phát triển và Cơ hội đầu tư"
    subtitle: "Tài liệu giới thiệu dành cho nhà đầu tư"
    publisher: "Ủy ban nhân dân tỉnh Thái Nguyên"
    date: "2018-06-15"
    languages: [vi, en, ja, ko, zh]
    print_run: {vi: 2800, en: 500, ja: 200, ko: 200, zh: 100}
    format: {trim: A5, bleed: 3mm, binding: saddle-stitch, paper: "Couché 150 gsm"}
    cover:
      image: assets/cover.png
    sections:
      - heading: "Vị trí địa lý"
        content:
          - "Thái Nguyên cách Hà Nội khoảng 80 km về phía bắc."
          - bullets:
              - "Đường cao tốc Hà Nội – Thái Nguyên."
          - image: assets/photo.png
            caption: "Hồ Núi Cốc"
            width: 50mm
          - figures:
              - {label: "Diện tích tự nhiên", value: 3536.4, unit: "km²"}
    back_cover:
      heading: "Liên hệ"
      contact: {organisation: "Sở Kế hoạch và Đầu tư", phone: "+84 208 3855 000", email: "info@example.vn"}
    """)

# Reviewed translations of every segment of SPEC (short, so the tests stay fast).
TRANSLATIONS = {
    "en": ["Thai Nguyen – Development Potential and Investment Opportunities", "An introduction for investors",
           "Thai Nguyen Provincial People's Committee", "Location", "Thai Nguyen lies about 80 km north of Hanoi.",
           "The Hanoi – Thai Nguyen expressway.", "Nui Coc Lake", "Natural area", "km²", "Contact",
           "Department of Planning and Investment"],
    "ja": ["タイグエン省――発展の可能性と投資機会", "投資家の皆様へのご案内", "タイグエン省人民委員会", "地理的位置",
           "タイグエン省はハノイの北約80キロに位置しています。", "ハノイ・タイグエン高速道路。", "ヌイコック湖", "自然面積",
           "km²", "お問い合わせ", "計画投資局"],
    "ko": ["타이응우옌 – 발전 잠재력과 투자 기회", "투자자를 위한 안내서", "타이응우옌성 인민위원회", "지리적 위치",
           "타이응우옌은 하노이에서 북쪽으로 약 80km 떨어져 있습니다.", "하노이–타이응우옌 고속도로.", "누이꼭 호수", "자연 면적",
           "km²", "연락처", "기획투자국"],
    "zh": ["太原省——发展潜力与投资机遇", "投资者指南", "太原省人民委员会", "地理位置", "太原省位于河内以北约80公里。",
           "河内—太原高速公路。", "核谷湖", "自然面积", "km²", "联系方式", "计划投资厅"],
}

CONFIG = ((REPO / "pubkit.toml").read_text(encoding="utf-8").replace('"fonts/', f'"{REPO.as_posix()}/fonts/')
          .replace('"colour/', f'"{REPO.as_posix()}/colour/'))


def write_po(path: Path, language: str, pairs: list[tuple[str, str]], *, fuzzy: bool = False) -> None:
    po = polib.POFile()
    po.metadata = {"Language": language, "Content-Type": "text/plain; charset=UTF-8"}
    for source, target in pairs:
        po.append(polib.POEntry(msgid=source, msgstr=target, flags=["fuzzy"] if fuzzy else []))
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))


def make_images(folder: Path) -> None:
    """A full-bleed A5 cover and a photo, both 300 ppi at their placed size."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in _demo_images().items():
        (folder / name).write_bytes(data)


@functools.lru_cache(maxsize=1)
def _demo_images() -> dict[str, bytes]:
    """The demo's PNG files, encoded once per process: compressing the 14 MB cover took 0.13 s, for each of
    the 270 projects a run makes (36 of the suite's 339 profiled seconds)."""
    images = {}
    for name, size, colour in (("cover.png", (1819, 2551), (60, 120, 170)), ("photo.png", (600, 400), (40, 140, 90))):
        encoded = io.BytesIO()
        Image.new("RGB", size, colour).save(encoded, format="PNG", dpi=(300, 300))
        images[name] = encoded.getvalue()
    return images


def run_folder(tmp_path_factory) -> Path:
    """This test run's temporary folder, the same for every pytest-xdist worker of the run."""
    root = tmp_path_factory.getbasetemp()
    return root.parent if os.environ.get("PYTEST_XDIST_WORKER") else root


def shared_build(tmp_path_factory, name: str, make) -> Path:
    """``make(folder)`` done once per test run for all xdist workers: the first worker to ask makes it under a
    file lock, the others wait and read the same folder. For built editions that tests only read (each
    worker built the sample and the demo again: 10–20 s apiece)."""
    import fcntl

    shared = run_folder(tmp_path_factory)
    folder, done = shared / name, shared / f"{name}.done"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a worker that failed half-way left
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


@pytest.fixture(scope="session")
def sample_out(tmp_path_factory) -> Path:
    """The bundled sample brochure built for print, once per test run: for tests that only read its files."""
    from pubkit.commands.build import build
    from pubkit.project import load_project

    return shared_build(tmp_path_factory, "sample-build",
                        lambda out: build(load_project(REPO), (REPO / "brochures" / "thai-nguyen",), out=out))


@pytest.fixture(scope="session")
def flores_out(tmp_path_factory) -> Path:
    """The unseen brochure: 120 FLORES paragraphs (real translations) on A4, perfect-bound, built for print once
    per test run (its typography and its page plan are checked on the same editions)."""
    from support import flores

    if not flores.available():
        pytest.skip(flores.SKIP_REASON)
    return shared_build(tmp_path_factory, "flores-build",
                        lambda root: flores.build(root, root / "out", paragraphs=120, trim="A4")) / "out"


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory):
    """pubkit's caches for this test run only: never the user's ~/.cache, shared by the run's tests and, under
    pytest-xdist, by its workers (the cache writes each entry atomically, so they can fill it together)."""
    # builds in one process: pytest-xdist already keeps the cores busy, and forked workers cost 11-26 % more
    # CPU (docs/performance.md); tests of the workers set PUBKIT_JOBS themselves
    settings = {"XDG_CACHE_HOME": str(run_folder(tmp_path_factory) / "pubkit-cache"),
                "PUBKIT_JOBS": os.environ.get("PUBKIT_JOBS", "1")}
    old = {name: os.environ.get(name) for name in settings}
    os.environ.update(settings)
    yield
    for name, value in old.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with the mini brochure 'demo' and reviewed translations for every language."""
    return make_project(tmp_path)


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The demo's five editions, built once per test run: for tests that only read them."""
    return shared_build(tmp_path_factory, "demo-build", lambda root: built_out(make_project(root))) / "out"


def _demo_key() -> str:
    """What the demo's vi edition depends on: pubkit's code and settings, this file's spec, fonts, profile."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted((REPO / "pubkit").rglob("*.py")) + [REPO / "pubkit.toml", REPO / "tests" / "conftest.py"]:
        digest.update(path.relative_to(REPO).as_posix().encode() + b"\0" + path.read_bytes())
    for folder in ("fonts", "colour"):
        for path in sorted((REPO / folder).iterdir()):
            status = path.stat()
            digest.update(f"{folder}/{path.name}:{status.st_size}:{status.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


@pytest.fixture(scope="module")
def good_pdf(request) -> bytes:
    """The demo's vi edition (4 pages, saddle stitch) for preflight's verdict tests, kept in the temp folder under
    a key of everything it is built from: mutmut runs those tests in a fresh process per mutant, which reads
    it instead of building five editions again."""
    import tempfile

    from pubkit.files import write_atomic

    cached = Path(tempfile.gettempdir()) / "pubkit-tests" / f"demo-vi-{_demo_key()}.pdf"
    if cached.is_file():
        return cached.read_bytes()
    data = (request.getfixturevalue("built") / "demo-vi.pdf").read_bytes()
    write_atomic(cached, data)
    return data


@pytest.fixture
def fresh_coverage_cache(monkeypatch):
    """Each test measures its images itself: preflight keeps measured coverage for the whole process, and
    mutmut forks every mutant's test run from a process where the unaltered code already filled that cache."""
    from pubkit.press import preflight

    monkeypatch.setattr(preflight, "_tac_cache", {})


def invoke_in(root: Path, *args: str):
    """Run the pubkit CLI with ``root`` as the working folder (for session/module fixtures, which
    cannot use the function-scoped ``run``); returns click's result."""
    from click.testing import CliRunner

    from pubkit.cli import cli

    here = Path.cwd()
    os.chdir(root)
    try:
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)
    finally:
        os.chdir(here)


def built_out(root: Path, brochure: str = "demo") -> Path:
    """Build ``brochures/<brochure>`` of ``root`` for print into ``root/out``; asserts it succeeded."""
    result = invoke_in(root, "build", f"brochures/{brochure}", "--out", "out")
    assert result.exit_code == 0, result.output
    return root / "out"


def make_project(tmp_path: Path) -> Path:
    (tmp_path / "pubkit.toml").write_text(CONFIG, encoding="utf-8")
    make_images(tmp_path / "assets")
    spec = tmp_path / "brochures" / "demo" / "brochure.yaml"
    spec.parent.mkdir(parents=True)
    spec.write_text(SPEC, encoding="utf-8")
    (spec.parent / "translations").mkdir(exist_ok=True)
    for name, data in _demo_drafts(spec).items():
        (spec.parent / "translations" / name).write_bytes(data)
    return tmp_path


_drafts: dict[str, bytes] = {}  # the demo's PO files by name, made by the first project of the process


def _demo_drafts(spec: Path) -> dict[str, bytes]:
    """The demo's reviewed PO files, made once per process from the first project's spec (SPEC's segments,
    the same in every project). A cache keyed by ``spec`` would miss: every project has its own path."""
    if not _drafts:
        from pubkit.spec.segments import segments
        from pubkit.spec.validate import to_brochure
        from pubkit.spec.yamlsource import load_yaml

        sources = list(dict.fromkeys(s.text for s in segments(to_brochure(load_yaml(spec), spec))))
        for language, targets in TRANSLATIONS.items():
            assert len(targets) == len(sources)
            po = spec.parent / "translations" / f"{language}.po"
            write_po(po, language, list(zip(sources, targets)))
            _drafts[po.name] = po.read_bytes()
    return _drafts


@pytest.fixture
def run(monkeypatch):
    """Run the pubkit CLI in a project folder; returns click's result."""
    from click.testing import CliRunner

    from pubkit.cli import cli

    def invoke(folder: Path, *args: str):
        monkeypatch.chdir(folder)
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)

    return invoke


def pdf_text(path: Path) -> str:
    """The text of every page, read by PDFium (pypdfium2; pypdf's pure-Python extraction took 5.5 of the
    suite's profiled seconds)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        texts = []
        for page in document:
            textpage = page.get_textpage()
            texts.append(textpage.get_text_bounded())
            textpage.close()
            page.close()
        return "\n".join(texts)
    finally:
        document.close()


def has_tool(name: str) -> bool:
    return shutil.which(name) is not None


# --- scheduling under pytest-xdist ---------------------------------------------------------------
# The modules that read the sample's and the FLORES brochure's shared builds go to one worker as one
# work unit: it makes both builds while the other worker runs other modules (before, both waited on
# one build's lock), and it reads each PDF's lines and plates once. Work units then go out slowest
# first, so the two workers finish together (module times from a timeline of a run, docs/testing.md):
# a worker keeps a unit or two queued, so the last to go out must be the shortest (a 4-second module
# queued last left one worker idle for 6 s). The rest, under a second each, follow in collection order.
SHARED_BUILD_UNIT = ("tests/test_typography.py", "tests/test_page_plan.py", "tests/test_sample.py")
SLOWEST_FIRST = tuple(f"tests/test_{name}.py" for name in (  # every unit over a second, 2026-11-30 12:35
    # web_browser after web and two others: started beside web, it waited 7 s for the shared site web makes
    "typography", "cache", "robustness", "web", "blocks", "hostile", "web_browser", "covers", "build", "po_strict",
    "charts", "translate_batch", "colophon", "uptodate", "markup", "translate", "proof", "interchange",
    "mutants_preflight", "preflight", "preflight_verdicts", "commands", "new", "mutants_drafts"))


def pytest_configure(config):
    # pubkit's own setting (its console entry sets it; in-process tests do not pass through there): the
    # workers spent 13 of their 165 busy seconds collecting garbage at CPython's default, 5 with this
    from pubkit.cli import GC_THRESHOLDS

    gc.set_threshold(*GC_THRESHOLDS)
    # No test checks that a write reached the disk (tests/test_files.py makes each step of a write fail
    # on purpose, fsync included, with its own stand-in): the 1,700 fsyncs of a run's in-process builds
    # were 3.0 s of waiting in a profiled run. Commands run as subprocesses still sync.
    os.fsync = _not_synced


def _not_synced(fd: int) -> None:
    os.fstat(fd)  # a closed or bad descriptor still fails as it would


def pytest_collection_finish(session):
    gc.collect()
    gc.freeze()  # the modules and collected tests stay for the run: later collections skip them


def _work_unit(nodeid: str) -> str:
    module = nodeid.split("::", 1)[0]
    return SHARED_BUILD_UNIT[0] if module in SHARED_BUILD_UNIT else module


def pytest_collection_modifyitems(config, items):
    rank = {module: place for place, module in enumerate(SLOWEST_FIRST)}
    order = {id(item): index for index, item in enumerate(items)}
    items.sort(key=lambda item: (rank.get(_work_unit(item.nodeid), len(rank)), order[id(item)]))


def pytest_xdist_make_scheduler(config, log):
    from xdist.scheduler import LoadScopeScheduling

    class SharedBuildScheduling(LoadScopeScheduling):
        """``--dist loadscope`` with the shared-build modules as one unit, in collection order."""

        def _split_scope(self, nodeid: str) -> str:
            return _work_unit(nodeid)

    config.option.loadscopereorder = False  # keep the slowest-first order above, not "most tests first"
    return SharedBuildScheduling(config, log)
