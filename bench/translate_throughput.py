"""Translate throughput: pubkit's batched engine vs one model call per sentence.

Builds a base-size random-weight Argos package (6+6 layers, d_model 512, int8; see
tests/support/argos_factory.py), takes the sample brochure's Vietnamese sentences, and times
    * pubkit: every sentence of the brochure in one batched call (Engine.translate),
    * per-sentence: one call per sentence, as `argostranslate.translate` is used in a loop,
      through the same engine, and through argostranslate itself when it is installed
      (`pip install -e ".[argos]"`),
checking that the outputs are identical (the engine's batches never pad a sentence, which
changed int8 outputs: pubkit/translate/engine.py). Prints sentences per second and the ratio.

    python bench/translate_throughput.py [--sentences N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from support.argos_factory import build_package_dir  # noqa: E402

from pubkit.spec import load_spec  # noqa: E402
from pubkit.spec.segments import segments  # noqa: E402
from pubkit.translate.engine import Engine  # noqa: E402
from pubkit.translate.packages import installed  # noqa: E402
from pubkit.translate.sentences import split_sentences  # noqa: E402


FLORES = REPO.parent / "shared" / "corpora" / "flores-dev" / "vi.txt"


def sample_sentences(limit: int) -> list[str]:
    """The sample brochure's sentences, then FLORES Vietnamese lines (when present) up to ``limit``:
    a long brochure has more sentences of each length, so more of them share a batch."""
    brochure = load_spec(REPO / "brochures" / "thai-nguyen" / "brochure.yaml")
    sentences = [s for segment in segments(brochure) for s in split_sentences(segment.text)]
    if len(sentences) < limit and FLORES.is_file():
        sentences += [line for line in FLORES.read_text(encoding="utf-8").splitlines() if line.strip()]
    return sentences[:limit]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=40)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="pubkit-bench-"))
    started = time.perf_counter()
    build_package_dir(folder, "vi", "en", layers=6, d_model=512, heads=8, ffn=2048, quantization="int8")
    print(f"built base-size package in {time.perf_counter() - started:.1f} s")
    package = installed(folder)[0]
    sentences = sample_sentences(args.sentences)
    engine = Engine(package)

    started = time.perf_counter()
    batched = engine.translate([[s] for s in sentences])
    batched_time = time.perf_counter() - started

    started = time.perf_counter()
    single = [engine.translate([[s]])[0] for s in sentences]
    single_time = time.perf_counter() - started

    n = len(sentences)
    print(f"sentences: {n}")
    print(f"pubkit batched          {n / batched_time:7.2f} sentences/s")
    print(f"one call per sentence   {n / single_time:7.2f} sentences/s   (identical output: {batched == single})")
    print(f"ratio batched / per-sentence: {single_time / batched_time:.1f}x")
    try:
        from support.argos_compat import import_argostranslate

        _, argos = import_argostranslate(Path(tempfile.mkdtemp(prefix="argos-home-")), folder)
    except ImportError:
        print("argostranslate not installed: pip install -e '.[argos]' to compare against it directly")
        return
    started = time.perf_counter()
    theirs = [argos.translate(s, "vi", "en") for s in sentences]
    argos_time = time.perf_counter() - started
    print(f"argostranslate per call {n / argos_time:7.2f} sentences/s   (identical output: {theirs == batched})")
    print(f"ratio pubkit / argostranslate: {argos_time / batched_time:.1f}x")


if __name__ == "__main__":
    main()
