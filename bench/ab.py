"""Two code trees on the same builds, alternating: how much a change saves, on a machine whose speed drifts.

    python bench/ab.py OTHER [--repeat 3]

OTHER is a checkout of another commit (``git worktree add /tmp/other <commit>``). For each
repetition, first OTHER's code, then this checkout's, each on a fresh copy of this checkout's
sample project (the same inputs for both):

  cold build     the five editions in one process (``PUBKIT_JOBS=1``), empty cache
  edit rebuild   a cold build with two workers, then one Vietnamese paragraph edited (the PO
                 msgids following, as in bench/run.py) and the rebuild timed

Both trees are byte-compiled first, as an installed package is. Medians are printed with each
tree's wall and CPU seconds. The bench's ratios against Typst (bench/run.py) move with the
machine's speed; this compares code with code at the same moment.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as bench  # noqa: E402 - this folder's bench/run.py


def measure(code: Path, scratch: Path) -> dict[str, bench.Measured]:
    shutil.rmtree(scratch, ignore_errors=True)
    project = bench.copy_project(scratch / "project")
    command = [sys.executable, "-m", "pubkit", "build", "brochures/thai-nguyen", "--out"]
    env = dict(os.environ, PYTHONPATH=str(code))
    cold = bench.run(command + [str(scratch / "cold")], project,
                     dict(env, PUBKIT_CACHE_DIR=str(scratch / "cold-cache"), PUBKIT_JOBS="1"))
    edited = dict(env, PUBKIT_CACHE_DIR=str(scratch / "cache"), PUBKIT_JOBS="2")
    bench.run(command + [str(scratch / "out")], project, edited)
    bench.edit_vietnamese_paragraph(project / "brochures" / "thai-nguyen")
    return {"cold build": cold, "edit rebuild": bench.run(command + [str(scratch / "out")], project, edited)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("other", type=Path, help="a checkout of another commit")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    trees = {"other": args.other.resolve(), "this": bench.REPO}
    for code in trees.values():
        bench.compile_code(code / "pubkit")
    scratch = Path(tempfile.mkdtemp(prefix="pubkit-ab-"))
    found: dict[tuple[str, str], list[bench.Measured]] = {}
    for _ in range(args.repeat):
        for label, code in trees.items():
            for case, measured in measure(code, scratch / label).items():
                found.setdefault((label, case), []).append(measured)
                print(f"{label}  {case}  {measured.wall:.2f} s wall, {measured.cpu:.2f} s CPU", file=sys.stderr,
                      flush=True)
    for case in ("cold build", "edit rebuild"):
        medians = {label: (bench.median([m.wall for m in found[label, case]]),
                           bench.median([m.cpu for m in found[label, case]])) for label in trees}
        (other_wall, other_cpu), (this_wall, this_cpu) = medians["other"], medians["this"]
        print(f"{case}: {trees['other']} {other_wall:.2f} s wall, {other_cpu:.2f} s CPU; this checkout "
              f"{this_wall:.2f} s wall, {this_cpu:.2f} s CPU ({this_cpu / other_cpu - 1:+.0%} CPU)")
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
