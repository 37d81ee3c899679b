"""pubkit's benchmarks: every figure against an anchor measured in the same run on the same machine.

    python bench/run.py            # all figures (about 4 minutes on 2 cores)
    python bench/run.py --quick    # one repetition each, no scale series

Figures (targets from the performance issue, for a 2-core machine):
  cold build     five editions of the sample in a fresh process  vs Typst on the same text,
                 images and fonts (Typst source generated from the spec)    target ≤ 1.0× Typst
  incremental    one PO entry of one language edited, then a no-op rebuild    target ≤ 0.3× Typst
  translate      batched engine vs argostranslate per sentence (bench/translate_throughput.py)
                                                                             target ≥ 7×
  start-up       `pubkit --help`, `pubkit status`                            target ≤ 0.2 s
  memory         peak RSS of build and of translate (base-size model)        targets 200 / 600 MB
  scale          generated brochures of 10, 50 and 100 pages × 5 languages from FLORES
                 (../shared/corpora/flores-dev when present): pages per second
Benchmarks are not tests: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FLORES = REPO.parent / "shared" / "corpora" / "flores-dev"
FAMILIES = {"vi": "Be Vietnam Pro", "en": "Be Vietnam Pro", "ja": "Noto Sans JP", "ko": "Noto Sans KR",
            "zh": "Noto Sans SC"}


def run(command: list[str], cwd: Path = REPO) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one fresh command: its largest process (itself or a worker).

    ``os.wait4`` gives this child's own figure; ``RUSAGE_CHILDREN`` would be the maximum over every
    child the benchmark ever ran (Typst included).
    """
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command)
    return elapsed, usage.ru_maxrss / 1024


def median_time(command: list[str], repeat: int, cwd: Path = REPO, prepare=None) -> float:
    times = []
    for _ in range(repeat):
        if prepare:
            prepare()
        times.append(run(command, cwd)[0])
    return statistics.median(times)


# --- Typst anchor ------------------------------------------------------------------------------
def _typst_text(text: str) -> str:
    return '#"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def typst_sources(project_root: Path, brochure_dir: Path, folder: Path) -> list[Path]:
    """One Typst file per edition with the same text, images and fonts as pubkit's edition."""
    from pubkit.commands.brochures import locate
    from pubkit.commands.build import _translator
    from pubkit.project import load_project
    from pubkit.spec import load_spec, model

    project = load_project(project_root)
    files = locate(project, (brochure_dir,))[0]
    brochure = load_spec(files.spec)
    sources = []
    for language in brochure.languages:
        tr, _ = _translator(brochure, files, project, language, True)
        lines = ['#set page(width: 148mm, height: 210mm, margin: (x: 15mm, top: 19mm, bottom: 16mm), '
                 'numbering: "1")',
                 f'#set text(font: "{FAMILIES[language]}", size: 9pt, lang: "{language}")',
                 f'#image("{(project_root / brochure.cover.image).as_posix()}", width: 100%)',
                 f"#text(size: 22pt, weight: \"bold\")[{_typst_text(tr(brochure.title))}]", "#pagebreak()"]
        for section in brochure.sections:
            lines.append(f"= {_typst_text(tr(section.heading))}")
            for block in section.content:
                if isinstance(block, model.Paragraph):
                    lines += [_typst_text(tr(block.text)), ""]
                elif isinstance(block, model.Bullets):
                    lines += [f"- {_typst_text(tr(item))}" for item in block.bullets] + [""]
                elif isinstance(block, model.ImageBlock):
                    lines.append(f'#figure(image("{(project_root / block.image).as_posix()}", width: 100%), '
                                 f"caption: [{_typst_text(tr(block.caption or ''))}])")
                elif isinstance(block, model.Figures):
                    cells = ", ".join(f"[{_typst_text(tr(row.label))}], [{row.value} {_typst_text(tr(row.unit))}]"
                                      for row in block.figures)
                    lines.append(f"#table(columns: 2, {cells})")
        source = folder / f"{language}.typ"
        source.write_text("\n".join(lines) + "\n", encoding="utf-8")
        sources.append(source)
    return sources


def typst_command(sources: list[Path], fonts: Path) -> list[str]:
    pairs = [(str(s), str(s.with_suffix(".pdf"))) for s in sources]
    code = ("import typst, json, sys\n"
            f"for src, out in json.loads(sys.argv[1]): typst.compile(src, output=out, root='/', font_paths=[{str(fonts)!r}], "
            "ignore_system_fonts=True)")
    return [sys.executable, "-c", code, json.dumps(pairs)]


# --- projects to build ---------------------------------------------------------------------------
def copy_project(target: Path) -> Path:
    """The repo's project files (not fonts: those are linked) in a scratch folder."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("pubkit.toml", "glossary.yaml"):
        shutil.copy(REPO / name, target / name)
    for name in ("brochures", "assets", "colour"):
        shutil.copytree(REPO / name, target / name)
    (target / "fonts").symlink_to(REPO / "fonts")
    return target


def flores_project(target: Path, pages: int) -> Path:
    """A brochure of about ``pages`` A5 pages per language from FLORES, with every translation reviewed."""
    import polib

    copy_project(target)
    shutil.rmtree(target / "brochures")
    lines = {lang: (FLORES / f"{lang}.txt").read_text(encoding="utf-8").splitlines() for lang in FAMILIES}
    per_paragraph, paragraphs = 3, pages * 4
    sections = []
    po = {lang: polib.POFile() for lang in ("en", "ja", "ko", "zh")}
    for p in range(paragraphs):
        index = [(p * per_paragraph + i) % len(lines["vi"]) for i in range(per_paragraph)]
        text = {lang: unicodedata.normalize("NFC", " ".join(lines[lang][i] for i in index)).strip() for lang in lines}
        text["vi"] = f"{p + 1}. {text['vi']}"
        if p % 6 == 0:
            sections.append({"heading": f"Phần {p // 6 + 1}", "content": []})
            for lang in po:
                po[lang].append(polib.POEntry(msgid=f"Phần {p // 6 + 1}", msgstr=f"{p // 6 + 1}"))
        sections[-1]["content"].append(text["vi"])
        for lang in po:
            po[lang].append(polib.POEntry(msgid=text["vi"], msgstr=f"{p + 1}. {text[lang]}"))
    spec = {"title": "FLORES", "publisher": "pubkit bench", "languages": list(FAMILIES),
            "print_run": {lang: 1 for lang in FAMILIES}, "format": {"trim": "A5", "binding": "perfect-bound"},
            "sections": sections}
    folder = target / "brochures" / "flores"
    (folder / "translations").mkdir(parents=True)
    (folder / "brochure.yaml").write_text(json.dumps(spec, ensure_ascii=False, indent=1), encoding="utf-8")
    for title in ("FLORES", "pubkit bench"):
        for lang in po:
            po[lang].append(polib.POEntry(msgid=title, msgstr=title))
    for lang, catalog in po.items():
        catalog.metadata = {"Language": lang, "Content-Type": "text/plain; charset=UTF-8"}
        catalog.save(str(folder / "translations" / f"{lang}.po"))
    return folder


def pdf_pages(folder: Path) -> int:
    from pypdf import PdfReader

    return sum(len(PdfReader(pdf).pages) for pdf in folder.glob("*.pdf"))


# --- the run -------------------------------------------------------------------------------------
def translate_peak_rss(project: Path, scratch: Path) -> float:
    """Peak RSS of a real ``pubkit translate`` drafting the sample's English on a base-size vi→en model."""
    sys.path.insert(0, str(REPO / "tests"))
    from support.argos_factory import build_package_dir

    packages = scratch / "packages"
    build_package_dir(packages, "vi", "en", layers=6, d_model=512, heads=8, ffn=2048, quantization="int8")
    (project / "brochures" / "thai-nguyen" / "translations" / "en.po").unlink()
    _, rss = run([sys.executable, "-m", "pubkit", "translate", "--lang", "en", "--packages", str(packages)], project)
    return rss


def main() -> None:
    parser = argparse.ArgumentParser(description="pubkit benchmarks (ratios against anchors)")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    repeat = 1 if args.quick else 3
    pubkit = [sys.executable, "-m", "pubkit"]
    rows: list[tuple[str, str, str, str]] = []
    scratch = Path(tempfile.mkdtemp(prefix="pubkit-bench-"))

    project = copy_project(scratch / "project")
    brochure = project / "brochures" / "thai-nguyen"
    sources = typst_sources(project, brochure, scratch)
    typst_cold = median_time(typst_command(sources, REPO / "fonts"), repeat)
    out = scratch / "out"
    cold = median_time(pubkit + ["build", str(brochure), "--out", str(out)], repeat, project,
                       prepare=lambda: shutil.rmtree(out, ignore_errors=True))
    rows.append(("cold build, 5 editions", f"{cold:.2f} s", f"Typst {typst_cold:.2f} s",
                 f"{cold / typst_cold:.1f}× (target ≤ 1.0×)"))

    _, build_rss = run(pubkit + ["build", str(brochure), "--out", str(scratch / "rss")], project)
    po = brochure / "translations" / "ja.po"

    def edit_one_entry():
        text = po.read_text(encoding="utf-8")
        po.write_text(re.sub(r'msgstr "([^"]+)"', lambda m: f'msgstr "{m.group(1)}。"', text, count=1), encoding="utf-8")

    incremental = median_time(pubkit + ["build", str(brochure), "--out", str(out)], repeat, project,
                              prepare=edit_one_entry)
    noop = median_time(pubkit + ["build", str(brochure), "--out", str(out)], repeat, project)
    rows.append(("incremental build (1 ja entry)", f"{incremental:.2f} s", f"Typst cold {typst_cold:.2f} s",
                 f"{incremental / typst_cold:.2f}× (target ≤ 0.3×)"))
    rows.append(("no-op rebuild", f"{noop:.2f} s", f"Typst cold {typst_cold:.2f} s",
                 f"{noop / typst_cold:.2f}× (target ≤ 0.3×)"))

    python_start = median_time([sys.executable, "-c", "pass"], 5)
    for name, command in (("start-up: pubkit --help", pubkit + ["--help"]), ("start-up: pubkit status", pubkit + ["status"])):
        try:
            seconds = median_time(command, 5, project)
        except subprocess.CalledProcessError:
            seconds = float("nan")
        rows.append((name, f"{seconds:.3f} s", f"python -c pass {python_start:.3f} s",
                     f"{seconds / 0.2:.2f}× of the 0.2 s target"))
    rows.append(("peak RSS, build", f"{build_rss:.0f} MB", "target 200 MB", f"{build_rss / 200:.2f}×"))

    throughput = subprocess.run([sys.executable, str(REPO / "bench" / "translate_throughput.py"), "--sentences",
                                 "20" if args.quick else "40"], capture_output=True, text=True, check=True).stdout
    found = dict(re.findall(r"^(pubkit batched|argostranslate per call|one call per sentence)\s+([\d.]+)", throughput,
                            re.M))
    if "argostranslate per call" in found:
        ratio = float(found["pubkit batched"]) / float(found["argostranslate per call"])
        rows.append(("translate throughput", f"{found['pubkit batched']} sent/s",
                     f"argostranslate per call {found['argostranslate per call']} sent/s", f"{ratio:.1f}× (target ≥ 7×)"))
    elif found:  # no argostranslate here: say what was compared, and claim no target
        ratio = float(found["pubkit batched"]) / float(found["one call per sentence"])
        rows.append(("translate throughput", f"{found['pubkit batched']} sent/s",
                     f"same engine, one call per sentence {found['one call per sentence']} sent/s",
                     f"{ratio:.1f}× (argostranslate not installed: target not measured)"))
    translate_rss = translate_peak_rss(project, scratch)
    rows.append(("peak RSS, pubkit translate (base model)", f"{translate_rss:.0f} MB", "target 600 MB",
                 f"{translate_rss / 600:.2f}×"))

    if FLORES.is_dir() and not args.quick:
        rates = []
        for pages in (10, 50, 100):
            folder = flores_project(scratch / f"flores-{pages}", pages)
            target = scratch / f"flores-{pages}-out"
            seconds, _ = run(pubkit + ["build", str(folder), "--out", str(target)], folder.parent.parent)
            total = pdf_pages(target)
            rates.append(total / seconds)
            rows.append((f"scale: {pages * 4} paragraphs × 5 editions", f"{total} pages in {seconds:.1f} s",
                         f"{rates[0]:.1f} pages/s, smallest", f"{total / seconds:.1f} pages/s ({rates[-1] / rates[0]:.2f}×)"))
    elif not FLORES.is_dir():
        rows.append(("scale", "skipped", "no ../shared/corpora/flores-dev", ""))

    width = [max(len(row[i]) for row in rows) for i in range(4)]
    print(f"{'figure':<{width[0]}}  {'pubkit':<{width[1]}}  {'anchor':<{width[2]}}  ratio")
    for row in rows:
        print("  ".join(cell.ljust(width[i]) for i, cell in enumerate(row)))
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
