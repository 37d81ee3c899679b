"""Batched translation equals one sentence at a time (pubkit.translate.engine): batches never pad.

With an int8 model, a sentence padded to a longer one's length in its batch can decode to other
words; the engine batches only sentences of equal token length, so each sentence's result is the
one it gets alone.

Whether padding changes a result depends on the CPU's kernels: Intel MKL (CTranslate2's GEMM backend
on x86) gives this test model's padded batches the same output as one at a time with its AVX-512
kernels, and other output for 2 of the 30 sentences with its AVX2 kernels, which CPUs without
AVX-512 run (measured 2026-11-30 on a Xeon with AVX-512: 0 differences by default, 2 with
``MKL_ENABLE_INSTRUCTIONS=AVX2``). So the model is run in a child process held to the AVX2 kernels,
where padding provably changes output: the identity below is then a real check on every machine,
not a coincidence of the CPU that runs the suite. MKL reads the setting when it starts, hence the
child process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import REPO
from support.argos_factory import build_package_dir

from pubkit.translate.engine import batches

# A small int8 model on which CTranslate2's own length-sorted batches (with padding) change some
# sentences' output (on MKL's AVX2 kernels, above).
MODEL = dict(layers=2, d_model=256, heads=4, ffn=512, quantization="int8")

CHILD = """
import json, sys
from pathlib import Path
import polib
from pubkit.translate.engine import DECODING, Engine
from pubkit.translate.packages import installed
from pubkit.translate.sentences import split_sentences

folder, po_path = sys.argv[1:3]
sentences = [s for entry in polib.pofile(po_path) for s in split_sentences(entry.msgid)][:30]
engine = Engine(installed(Path(folder))[0])
one_at_a_time = [engine.translate([[sentence]])[0] for sentence in sentences]
calls = []
real = engine._translator

class Recording:
    def translate_batch(self, source, **options):
        calls.append([len(tokens) for tokens in source])
        return real.translate_batch(source, **options)

engine._translator = Recording()
batched = engine.translate([[sentence] for sentence in sentences])
tokenizer = engine._tokenizer
tokens = [tokenizer.encode(sentence, out_type=str) for sentence in sentences]
padded = [tokenizer.decode(r.hypotheses[0]).removeprefix(" ")
          for r in real.translate_batch(tokens, max_batch_size=8, **DECODING)]
print(json.dumps(dict(sentences=sentences, one_at_a_time=one_at_a_time, batched=batched, calls=calls,
                      padded=padded)))
"""


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> dict:
    """The 30 sentences translated alone, by the engine's batches, and by CTranslate2's padded batches,
    in one child process on MKL's AVX2 kernels (a random-weight model decodes to full length, so this
    is most of the module's time: made once for both tests)."""
    folder = tmp_path_factory.mktemp("batch-model")
    build_package_dir(folder, "vi", "en", **MODEL)
    po_path = REPO / "brochures" / "thai-nguyen" / "translations" / "en.po"
    env = dict(os.environ, MKL_ENABLE_INSTRUCTIONS="AVX2")
    done = subprocess.run([sys.executable, "-c", CHILD, str(folder), str(po_path)], env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(result["sentences"]) == 30
    return result


def test_batches_hold_equal_lengths_only_and_every_sentence_once():
    lengths = [5, 3, 5, 7, 3, 5, 5, 5, 5, 5, 5, 5, 5, 1]
    grouped = batches(lengths, size=4)
    assert sorted(index for batch in grouped for index in batch) == list(range(len(lengths)))
    assert all(len({lengths[i] for i in batch}) == 1 and 1 <= len(batch) <= 4 for batch in grouped)
    assert [lengths[batch[0]] for batch in grouped] == sorted(lengths[batch[0]] for batch in grouped)


def test_batched_output_equals_one_sentence_at_a_time(run):
    assert all(len(set(lengths)) == 1 for lengths in run["calls"])  # no call pads a sentence
    assert any(len(lengths) > 1 for lengths in run["calls"])  # and some do batch
    assert run["batched"] == run["one_at_a_time"] and all(run["batched"])


def test_padding_would_change_this_model_s_output(run):
    """The reason for the rule, on the test model: CTranslate2's padded batches differ from one at a time."""
    assert run["padded"] != run["one_at_a_time"]
