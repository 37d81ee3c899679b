"""pubkit's benchmarks: every figure against an anchor measured in the same run on the same machine.

    python bench/run.py --quick                       # one repetition, no translate, scale to 50 pages (~4 min)
    python bench/run.py                               # three repetitions, translate, scale to 100 pages (~20 min)
    python bench/run.py --quick --baseline /tmp/preplan   # also: cold builds of another checkout, interleaved

Figures (targets from the performance issue, for a 2-core machine; every ratio from one run):
  cold build     five editions of the sample in a fresh process, empty output folder and empty
                 build cache, vs Typst setting the same texts, images, fonts, running heads,
                 back cover and page count (source generated from the spec)  target ≤ 2.0× Typst
  warm cache     the same into an empty output folder with the build cache warm (a CI run,
                 a second output folder)
  edit           one Vietnamese paragraph edited (a word inserted) and every PO file's msgid
                 following it, then a rebuild                          target ≤ 1.0× Typst cold
  no-op          a rebuild with nothing changed                        target ≤ 0.3× Typst cold
  start-up       `pubkit --help`                                       target ≤ 0.2 s
  status         `pubkit status` on the sample (no target: it reads and checks every draft file)
  memory         peak RSS of the cold build's largest process (wait4), and the peak sum over the
                 process and its workers (PSS, shared pages once; /proc every 20 ms)  200 / 300 MB
  translate      batched engine vs one call per sentence (bench/translate_throughput.py), and
                 the peak RSS of a real `pubkit translate` (not in --quick)
  scale          generated A4 brochures of about 10, 50 and 100 pages per edition × 5 languages
                 from FLORES (../shared/corpora/flores-dev; --quick: 10 and 50): CPU per page
  baseline       with --baseline DIR (a checkout of another commit, e.g. the pre-plan 6d4e995):
                 its cold build of its own sample, interleaved with this one's
Commands run one after another with `nice` unchanged; the machine's load average is printed
with the table, since other work on the machine moves every figure (ratios less).
Benchmarks are not tests: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # this checkout's pubkit, for the Typst sources and the edit
FLORES = REPO.parent / "shared" / "corpora" / "flores-dev"
FAMILIES = {"vi": "Be Vietnam Pro", "en": "Be Vietnam Pro", "ja": "Noto Sans JP", "ko": "Noto Sans KR",
            "zh": "Noto Sans SC"}


# --- running and measuring one command -----------------------------------------------------------
def _descendants_pss_kb(root: int) -> int:
    """Memory of ``root`` and every process below it, from /proc (one sample): the proportional set
    size, so pages a forked worker shares with its parent are counted once, not in both."""
    parents: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as stat:
                    fields = stat.read().rsplit(b")", 1)[1].split()
                parents[int(entry.name)] = int(fields[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, grew = {root}, True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grew = True
    total = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as rollup:
                total += int(re.search(rb"^Pss:\s+(\d+) kB", rollup.read(), re.M)[1])
        except (OSError, TypeError, ValueError):
            continue
    return total


class Measured:
    def __init__(self, wall: float, cpu: float, largest_mb: float, summed_mb: float):
        self.wall, self.cpu, self.largest_mb, self.summed_mb = wall, cpu, largest_mb, summed_mb


def run(command: list[str], cwd: Path = REPO, env: dict | None = None, sample: bool = False) -> Measured:
    """One fresh command: wall and CPU seconds (its own and its workers'), peak RSS of its largest
    process (``wait4``: the maximum over the process and the children it reaped) and, with
    ``sample``, the peak of the summed proportional set size of the process tree."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak, stop = [0], threading.Event()

    def sampler():
        while not stop.wait(0.02):
            peak[0] = max(peak[0], _descendants_pss_kb(process.pid))

    thread = threading.Thread(target=sampler, daemon=True)
    if sample:
        thread.start()
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    stop.set()
    if sample:
        thread.join()
    code = os.waitstatus_to_exitcode(status)
    if code:
        raise subprocess.CalledProcessError(code, command, stderr=stderr)
    return Measured(elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, peak[0] / 1024)


def median(values: list[float]) -> float:
    return statistics.median(values)


class Rows(list):
    """The table's rows, each also printed as soon as it is measured (a long run shows progress)."""

    def append(self, row: tuple[str, str, str, str]) -> None:
        super().append(row)
        print("  ".join(row), file=sys.stderr, flush=True)


# --- Typst anchor ------------------------------------------------------------------------------
def _typst_text(text: str) -> str:
    return '#"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def typst_sources(project_root: Path, brochure_dir: Path, folder: Path, pages: dict[str, int]) -> list[Path]:
    """One Typst file per edition with what pubkit's edition sets: the same texts (every segment
    of every block kind, as resolved for print), images, fonts, a full-bleed cover, running heads
    with the title and folios, the back cover with its contact and publisher, and Notes pages up
    to pubkit's page count of that edition (``pages``)."""
    from pubkit import content
    from pubkit.commands.brochures import locate
    from pubkit.project import load_project
    from pubkit.spec import load_spec
    from pubkit.spec.segments import segments

    project = load_project(project_root)
    files = locate(project, (brochure_dir,))[0]
    brochure = load_spec(files.spec)
    fmt = brochure.format
    sources = []
    for language in brochure.languages:
        texts = {path: text.text for path, text in content.resolve(project, files, language, True, segments).texts.items()}

        def t(path: str) -> str:
            return _typst_text(texts.get(path, ""))

        title = t("title")
        lines = [f'#set page(width: {fmt.trim_mm[0]}mm, height: {fmt.trim_mm[1]}mm, '
                 'margin: (inside: 15mm, outside: 15mm, top: 19mm, bottom: 16mm), numbering: "1", '
                 f'header: context {{ set text(size: 7pt); if calc.odd(here().page()) {{ align(right, [{title}]) }} '
                 f'else {{ [{title}] }} }})',
                 f'#set text(font: "{FAMILIES[language]}", size: 9pt, lang: "{language}")',
                 "#set par(justify: true)"]
        cover = getattr(brochure.cover, "image", None)
        lines.append("#page(margin: 0mm, header: none)[")
        if cover:
            lines.append(f'#image("{(project_root / cover).as_posix()}", width: 100%, height: 100%, fit: "cover")')
        lines += [f"#place(top + left, dx: 15mm, dy: 20mm, block(width: 80%)[#text(size: 22pt, weight: \"bold\")[{title}]"
                  f" #linebreak() #text(size: 11pt)[{t('subtitle')}]])", "]"]
        for k, section in enumerate(brochure.sections):
            lines.append(f"= {t(f'sections[{k}].heading')}")
            for b, block in enumerate(section.content):
                where = f"sections[{k}].content[{b}]"
                mine = [path for path in texts if path.startswith(where + ".") or path == where]
                image = getattr(block, "image", None)
                if isinstance(image, str) and image:
                    caption = next((p for p in mine if p.endswith(".caption")), None)
                    lines.append(f'#figure(image("{(project_root / image).as_posix()}", width: 100%), '
                                 f"caption: [{t(caption) if caption else ''}])")
                    mine = [p for p in mine if p != caption]
                rows = getattr(block, "figures", None)
                if rows:
                    cells = ", ".join(f"[{t(f'{where}.figures[{i}].label')}], [{row.value} {t(f'{where}.figures[{i}].unit')}]"
                                      for i, row in enumerate(rows))
                    lines.append(f"#table(columns: 2, {cells})")
                    mine = [p for p in mine if ".figures[" not in p]
                for path in mine:
                    lines += [("- " if "bullets[" in path or "items[" in path else "") + t(path), ""]
        target = pages.get(language, 0)
        # pad with Notes pages to pubkit's count (cover and back cover are pages too)
        lines.append(f"#context {{ let n = here().page(); for i in range({max(target, 1)} - n) "
                     "{ pagebreak(); heading(outlined: false)[Notes] } }")
        back = brochure.back_cover
        lines.append("#pagebreak()")
        if back:
            lines.append(f"#text(size: 16pt, weight: \"bold\")[{t('back_cover.heading')}]")
            lines.append(t("back_cover.text"))
            contact = getattr(back, "contact", None)
            if contact:
                lines.append(f"#text(weight: \"bold\")[{t('back_cover.contact.organisation')}]")
                lines += [_typst_text(getattr(contact, name) or "") for name in ("phone", "email", "website")]
        lines.append(f"#text(weight: \"bold\")[{t('publisher')}]")
        source = folder / f"{language}.typ"
        source.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
        sources.append(source)
    return sources


def typst_command(sources: list[Path], fonts: Path) -> list[str]:
    pairs = [(str(s), str(s.with_suffix(".pdf"))) for s in sources]
    code = ("import typst, json, sys\n"
            f"for src, out in json.loads(sys.argv[1]): typst.compile(src, output=out, root='/', font_paths=[{str(fonts)!r}], "
            "ignore_system_fonts=True)")
    return [sys.executable, "-c", code, json.dumps(pairs)]


def compile_code(package: Path) -> None:
    """Byte-compile ``package`` as pip does on install, then import each of its modules once with bytecode
    writing on, as a first run does: that also keeps its dataclasses' compiled methods
    (``pubkit.dataclass_code``), which a machine with PYTHONDONTWRITEBYTECODE=1 would otherwise compile
    at every start."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True)
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-c", "import importlib, pkgutil, pubkit\n"
                    "for module in pkgutil.walk_packages(pubkit.__path__, 'pubkit.'):\n"
                    "    if not module.name.endswith('__main__'):\n"
                    "        importlib.import_module(module.name)"],
                   env=dict(env, PYTHONPATH=str(package.parent)), check=True)


# --- projects to build ---------------------------------------------------------------------------
def copy_project(target: Path, source: Path = REPO) -> Path:
    """A checkout's project files (not fonts: those are linked) in a scratch folder."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("pubkit.toml", "glossary.yaml"):
        shutil.copy(source / name, target / name)
    for name in ("brochures", "assets", "colour"):
        shutil.copytree(source / name, target / name)
    (target / "fonts").symlink_to(source / "fonts")
    return target


def edit_vietnamese_paragraph(brochure_dir: Path) -> str:
    """Insert a word into the first long paragraph of the spec, and make every PO file's msgid follow.

    The translations stay reviewed (as after `pubkit translate` and a review that kept them),
    so only the Vietnamese text of one paragraph changes.
    """
    import polib

    from pubkit.spec import load_spec
    from pubkit.spec.segments import segments

    spec = brochure_dir / "brochure.yaml"
    yaml_text = spec.read_text(encoding="utf-8")
    for segment in segments(load_spec(spec)):
        if ".content[" not in segment.path or len(segment.text) < 150:
            continue
        for word in segment.text.split():
            if len(word) >= 4 and word.isalpha() and yaml_text.count(word) == 1 and segment.text.count(word) == 1:
                new = segment.text.replace(word, word + " mới")
                spec.write_text(yaml_text.replace(word, word + " mới"), encoding="utf-8")
                for po_file in (brochure_dir / "translations").glob("*.po"):
                    catalog = polib.pofile(str(po_file))
                    for entry in catalog:
                        if entry.msgid == segment.text:
                            entry.msgid = new
                    catalog.save()
                return segment.path
    raise SystemExit("bench: no Vietnamese paragraph to edit in the sample")


PARAGRAPHS = {10: 60, 50: 420, 100: 860}  # FLORES paragraphs for about that many A4 pages per edition


def flores_project(target: Path, pages: int) -> Path:
    """A brochure of about ``pages`` A4 pages per edition from FLORES (tests/support/flores.py: real
    translations, headings, bullets, figures, images, every entry reviewed).

    Paragraph counts are calibrated (60 gave 10 pages, 600 gave 70: later FLORES lines are
    shorter), so the series reaches 100 pages per edition. A5 is not used: the page plan
    cannot fit these generated A5 sections (issue 12's own long-brochure tests use A4 too). A
    literal ``<`` in FLORES (``<sup>``) is written ``&lt;``, as inline markup asks.
    """
    sys.path.insert(0, str(REPO / "tests"))
    from support.flores import flores_project as generate

    target.mkdir(parents=True, exist_ok=True)
    folder = generate(target, paragraphs=PARAGRAPHS[pages], trim="A4")
    for path in [folder / "brochure.yaml", *(folder / "translations").glob("*.po")]:
        path.write_text(path.read_text(encoding="utf-8").replace("<", "&lt;"), encoding="utf-8")
    return folder


def pdf_pages(folder: Path) -> dict[str, int]:
    """Pages of each edition in ``folder`` (text block and cover together), by language."""
    from pypdf import PdfReader

    pages: dict[str, int] = {}
    for pdf in folder.glob("*.pdf"):
        language = re.search(r"-([a-z]{2})(?:-cover)?\.pdf$", pdf.name)
        if language:
            pages[language[1]] = pages.get(language[1], 0) + len(PdfReader(pdf).pages)
    return pages


# --- the run -------------------------------------------------------------------------------------
def translate_peak_rss(project: Path, scratch: Path, env: dict) -> float:
    """Peak RSS of a real ``pubkit translate`` drafting the sample's English on a base-size vi→en model."""
    sys.path.insert(0, str(REPO / "tests"))
    from support.argos_factory import build_package_dir

    packages = scratch / "packages"
    build_package_dir(packages, "vi", "en", layers=6, d_model=512, heads=8, ffn=2048, quantization="int8")
    (project / "brochures" / "thai-nguyen" / "translations" / "en.po").unlink()
    return run([sys.executable, "-m", "pubkit", "translate", "--lang", "en", "--packages", str(packages)], project,
               env).largest_mb


def main() -> None:
    parser = argparse.ArgumentParser(description="pubkit benchmarks (ratios against anchors)")
    parser.add_argument("--quick", action="store_true", help="one repetition, no translate figures (under 5 minutes)")
    parser.add_argument("--baseline", type=Path, metavar="DIR",
                        help="a checkout of another commit: its cold build of its sample, interleaved with this one's")
    args = parser.parse_args()
    repeat = 1 if args.quick else 3
    scratch = Path(tempfile.mkdtemp(prefix="pubkit-bench-"))
    # a snapshot of the code: an edit to the checkout during the run (or another session's) would
    # otherwise change pubkit's code fingerprint and turn every warm figure cold
    shutil.copytree(REPO / "pubkit", scratch / "code" / "pubkit", ignore=shutil.ignore_patterns("__pycache__"))
    # byte-compiled as an installed package is (pip compiles on install): a machine with
    # PYTHONDONTWRITEBYTECODE=1, like the development box, otherwise compiles pubkit's 60-odd modules
    # in every run (0.23 s of each build, cProfile) and never keeps them
    compile_code(scratch / "code" / "pubkit")
    env = dict(os.environ, PYTHONPATH=str(scratch / "code"))
    pubkit = [sys.executable, "-m", "pubkit"]
    rows = Rows()
    loads = [os.getloadavg()[0]]
    fresh = iter(range(10_000))

    def cache_env(folder: Path | None = None) -> dict:
        """A private build cache: ``folder`` (kept, warm) or a new empty one (cold)."""
        return dict(env, PUBKIT_CACHE_DIR=str(folder or scratch / f"cache-{next(fresh)}"))

    project = copy_project(scratch / "project")
    brochure = project / "brochures" / "thai-nguyen"
    build = pubkit + ["build", str(brochure), "--out"]

    # cold builds, interleaved with Typst (and the baseline checkout)
    first = run(build + [str(scratch / "first")], project, cache_env(), sample=True)
    sources = typst_sources(project, brochure, scratch, pdf_pages(scratch / "first"))
    typst, cold, base, typst_cpu, cold_cpu = [], [], [], [], []
    if args.baseline:
        compile_code(args.baseline.resolve() / "pubkit")  # as this checkout's snapshot was
    for i in range(repeat):
        done = run(typst_command(sources, REPO / "fonts"), REPO, env)
        typst.append(done.wall)
        typst_cpu.append(done.cpu)
        done = run(build + [str(scratch / f"cold-{i}")], project, cache_env())
        cold.append(done.wall)
        cold_cpu.append(done.cpu)
        if args.baseline:
            other = args.baseline.resolve()
            base.append(run(pubkit + ["build", "brochures/thai-nguyen", "--out", str(scratch / f"base-{i}")], other,
                            dict(cache_env(), PYTHONPATH=str(other))))
    typst_cold = median(typst)
    rows.append(("cold build, 5 editions (empty cache)", f"{median(cold):.2f} s ({median(cold_cpu):.1f} s CPU)",
                 f"Typst {typst_cold:.2f} s ({median(typst_cpu):.1f} s CPU)",
                 f"{median(cold) / typst_cold:.1f}× (target ≤ 2.0×, goal 1.0×)"))
    if base:
        base_wall = median([b.wall for b in base])
        rows.append(("cold build vs --baseline checkout", f"{median(cold):.2f} s",
                     f"baseline {base_wall:.2f} s ({median([b.cpu for b in base]):.1f} s CPU)",
                     f"{median(cold) / base_wall:.2f}× (issue 12: ≤ 1.5×)"))
    rows.append(("peak RSS, cold build", f"{first.largest_mb:.0f} MB largest, {first.summed_mb:.0f} MB summed",
                 "targets 200 / 300 MB", f"{first.largest_mb / 200:.2f}× / {first.summed_mb / 300:.2f}×"))

    warm_cache = scratch / "cache-warm"
    run(build + [str(scratch / "warm-0")], project, cache_env(warm_cache))
    warms = [run(build + [str(scratch / f"warm-{i + 1}")], project, cache_env(warm_cache)) for i in range(repeat)]
    warm = median([w.wall for w in warms])
    rows.append(("cold build, warm cache (new output folder)", f"{warm:.2f} s ({median([w.cpu for w in warms]):.1f} s CPU)",
                 f"Typst cold {typst_cold:.2f} s", f"{warm / typst_cold:.2f}×"))

    out = scratch / "warm-0"
    edits = []
    for _ in range(repeat):
        edit_vietnamese_paragraph(brochure)
        edits.append(run(build + [str(out)], project, cache_env(warm_cache)))
    rows.append(("rebuild after one vi paragraph edit", f"{median([e.wall for e in edits]):.2f} s "
                 f"({median([e.cpu for e in edits]):.1f} s CPU)", f"Typst cold {typst_cold:.2f} s",
                 f"{median([e.wall for e in edits]) / typst_cold:.2f}× (target ≤ 1.0×, goal 0.3×)"))
    noops = [run(build + [str(out)], project, cache_env(warm_cache)) for _ in range(repeat)]
    noop = median([n.wall for n in noops])
    rows.append(("no-op rebuild", f"{noop:.2f} s ({median([n.cpu for n in noops]):.2f} s CPU)",
                 f"Typst cold {typst_cold:.2f} s", f"{noop / typst_cold:.2f}× (target ≤ 0.3×)"))

    python_start = median([run([sys.executable, "-c", "pass"]).wall for _ in range(5)])
    for name, command, target in (("start-up: pubkit --help", pubkit + ["--help"], 0.2),
                                  ("pubkit status (reads every draft file)", pubkit + ["status"], None)):
        try:
            seconds = median([run(command, project, env).wall for _ in range(5)])
        except subprocess.CalledProcessError:
            seconds = float("nan")
        rows.append((name, f"{seconds:.3f} s", f"python -c pass {python_start:.3f} s",
                     f"{seconds / target:.2f}× of the {target} s target" if target else
                     f"{seconds / python_start:.1f}× python's start (no target)"))

    if not args.quick:
        throughput = subprocess.run([sys.executable, str(REPO / "bench" / "translate_throughput.py"), "--sentences", "40"],
                                    capture_output=True, text=True, check=True, env=env).stdout
        found = dict(re.findall(r"^(pubkit batched|argostranslate per call|one call per sentence)\s+([\d.]+)",
                                throughput, re.M))
        identical = "identical output: True" in throughput and "identical output: False" not in throughput
        other = "argostranslate per call" if "argostranslate per call" in found else "one call per sentence"
        ratio = float(found["pubkit batched"]) / float(found[other])
        rows.append(("translate throughput", f"{found['pubkit batched']} sent/s", f"{other} {found[other]} sent/s",
                     f"{ratio:.1f}×; outputs identical: {identical}"))
        rss = translate_peak_rss(project, scratch, env)
        rows.append(("peak RSS, pubkit translate (base model)", f"{rss:.0f} MB", "target 600 MB", f"{rss / 600:.2f}×"))

    if FLORES.is_dir():
        for pages in ((10, 50) if args.quick else (10, 50, 100)):
            folder = flores_project(scratch / f"flores-{pages}", pages)
            target = scratch / f"flores-{pages}-out"
            try:
                done = run(pubkit + ["build", str(folder), "--out", str(target)], folder.parent.parent, cache_env())
            except subprocess.CalledProcessError as failed:
                rows.append((f"scale: {PARAGRAPHS[pages]} paragraphs", "failed", failed.stderr.decode()[-160:].strip(), ""))
                continue
            counts = pdf_pages(target)
            total = sum(counts.values())
            rows.append((f"scale: {PARAGRAPHS[pages]} paragraphs × 5 editions (A4)", f"{max(counts.values())} pages each, "
                         f"{total} in all, {done.wall:.1f} s", f"{done.cpu:.1f} s CPU",
                         f"{1000 * done.cpu / total:.0f} ms CPU per page"))
    else:
        rows.append(("scale", "skipped", "no ../shared/corpora/flores-dev", ""))

    loads.append(os.getloadavg()[0])
    width = [max(len(row[i]) for row in rows) for i in range(4)]
    print(f"{'figure':<{width[0]}}  {'pubkit':<{width[1]}}  {'anchor':<{width[2]}}  ratio")
    for row in rows:
        print("  ".join(cell.ljust(width[i]) for i, cell in enumerate(row)))
    print(f"load average (1 min) at start / end: {loads[0]:.2f} / {loads[1]:.2f} on {os.cpu_count()} cores; "
          f"PUBKIT_JOBS={os.environ.get('PUBKIT_JOBS', 'default')}")
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
