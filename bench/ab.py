"""Two code trees on the same builds, alternating: how much a change saves, on a machine whose speed drifts.

    python bench/ab.py OTHER [--repeat 3]

OTHER is a checkout of another commit (``git worktree add /tmp/other <commit>``). For each
repetition, first OTHER's code, then this checkout's, each on a fresh copy of this checkout's
sample project (the same inputs for both):

  cold build     the five editions in one process (``PUBKIT_JOBS=1``), empty cache
  cold, 2 jobs   the same with two workers (``PUBKIT_JOBS=2``), as bench/run.py's cold build
  edit rebuild   after that build, one Vietnamese paragraph edited (the PO msgids following,
                 as in bench/run.py) and the rebuild timed, two workers

Both trees are byte-compiled first, as an installed package is. Medians are printed with each
tree's wall and CPU seconds. The bench's ratios against Typst (bench/run.py) move with the
machine's speed; this compares code with code at the same moment.

With ``--instructions`` each timed build instead runs once, in one process, under Valgrind
(``cachegrind``, Debian ``valgrind``) and its instruction count is printed: on these machines
the same build's time moves by ±15 % from one minute to the next, its instruction count by
well under 1 %, so a change of a few per cent shows only there (about 50× slower to run).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as bench  # noqa: E402 - this folder's bench/run.py


def measure(code: Path, scratch: Path, timed=bench.run) -> dict:
    shutil.rmtree(scratch, ignore_errors=True)
    project = bench.copy_project(scratch / "project")
    command = [sys.executable, "-m", "pubkit", "build", "brochures/thai-nguyen", "--out"]
    env = dict(os.environ, PYTHONPATH=str(code))
    cold = timed(command + [str(scratch / "cold")], project,
                 dict(env, PUBKIT_CACHE_DIR=str(scratch / "cold-cache"), PUBKIT_JOBS="1"))
    edited = dict(env, PUBKIT_CACHE_DIR=str(scratch / "cache"), PUBKIT_JOBS="2")
    two_jobs = bench.run(command + [str(scratch / "out")], project, edited)
    bench.edit_vietnamese_paragraph(project / "brochures" / "thai-nguyen")
    found = {"cold build": cold, "cold, 2 jobs": two_jobs,
             "edit rebuild": timed(command + [str(scratch / "out")], project, edited)}
    return found if timed is bench.run else {case: found[case] for case in ("cold build", "edit rebuild")}


def instructions(command: list[str], cwd: Path, env: dict) -> int:
    """Instructions the command executes, in one process (a worker's would not be counted)."""
    done = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
                           *command], cwd=cwd, env=dict(env, PUBKIT_JOBS="1"), capture_output=True, text=True,
                          check=True)
    return int(re.search(r"I\s+refs:\s+([\d,]+)", done.stderr).group(1).replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("other", type=Path, help="a checkout of another commit")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--instructions", action="store_true", help="count instructions under Valgrind instead")
    args = parser.parse_args()
    trees = {"other": args.other.resolve(), "this": bench.REPO}
    for code in trees.values():
        bench.compile_code(code / "pubkit")
    scratch = Path(tempfile.mkdtemp(prefix="pubkit-ab-"))
    if args.instructions:
        counts = {label: measure(code, scratch / label, instructions) for label, code in trees.items()}
        for case in ("cold build", "edit rebuild"):
            other, this = counts["other"][case], counts["this"][case]
            print(f"{case}: {trees['other']} {other:,} instructions; this checkout {this:,} ({this / other - 1:+.1%})")
        shutil.rmtree(scratch, ignore_errors=True)
        return
    found: dict[tuple[str, str], list[bench.Measured]] = {}
    for _ in range(args.repeat):
        for label, code in trees.items():
            for case, measured in measure(code, scratch / label).items():
                found.setdefault((label, case), []).append(measured)
                print(f"{label}  {case}  {measured.wall:.2f} s wall, {measured.cpu:.2f} s CPU", file=sys.stderr,
                      flush=True)
    for case in ("cold build", "cold, 2 jobs", "edit rebuild"):
        medians = {label: (bench.median([m.wall for m in found[label, case]]),
                           bench.median([m.cpu for m in found[label, case]])) for label in trees}
        (other_wall, other_cpu), (this_wall, this_cpu) = medians["other"], medians["this"]
        print(f"{case}: {trees['other']} {other_wall:.2f} s wall, {other_cpu:.2f} s CPU; this checkout "
              f"{this_wall:.2f} s wall, {this_cpu:.2f} s CPU ({this_cpu / other_cpu - 1:+.0%} CPU)")
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
