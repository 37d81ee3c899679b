"""Run an Argos Translate package with CTranslate2 and sentencepiece directly.

The model is loaded as argostranslate loads it (``compute_type="auto"``: the fastest type the
CPU supports) and the decoding options are its own (``translate_batch`` with ``beam_size=4``,
``length_penalty=0.2``, ``replace_unknowns=True``; tokens of a segment's sentences decoded
together; a leading space stripped), so outputs match it, but every sentence of a brochure
goes to the model in batches, submitted together, instead of one call per sentence.

Batches hold sentences of the same length in tokens only. With a quantized (int8) model, a
sentence padded to the length of a longer one in its batch can decode to different words: on
the base-size test model, 18 of the sample's first 80 sentences differed from their one-at-a-time
translation with CTranslate2's own length-sorted batches of 8, and 25 with one batch of all
(bench/translate_throughput.py; 0 with batches of one, or of equal lengths). Without padding,
a sentence's result does not depend on its batch, so batched output equals per-sentence output
(tests/test_translate_batch.py); the batches are submitted asynchronously, so the model's
``inter_threads`` workers decode several at once.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

from pubkit.errors import PubkitError
from pubkit.translate.packages import Package

# argostranslate's decoding options; only the batching differs (it sends batches of at most 32 tokens,
# about one sentence).
DECODING = {"replace_unknowns": True, "beam_size": 4, "num_hypotheses": 1, "length_penalty": 0.2}
MAX_BATCH = 8  # sentences per batch, as measured fastest on a base-size model with two cores


def batches(lengths: list[int], size: int = MAX_BATCH) -> list[list[int]]:
    """Indices of sentences grouped by equal token length (no padding), at most ``size`` a batch,
    shortest first."""
    groups: dict[int, list[int]] = {}
    for index, length in enumerate(lengths):
        groups.setdefault(length, []).append(index)
    return [members[start:start + size] for _, members in sorted(groups.items())
            for start in range(0, len(members), size)]


@dataclass
class Engine:
    """One loaded package; counts model calls so a no-op run can be shown to make none."""

    package: Package
    calls: int = field(default=0, init=False)

    def __post_init__(self):
        import ctranslate2
        import sentencepiece

        try:
            self._translator = ctranslate2.Translator(str(self.package.model_dir), device="cpu", compute_type="auto",
                                                      inter_threads=os.cpu_count() or 1, intra_threads=1)
            self._tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(self.package.tokenizer))
        except (RuntimeError, OSError, ValueError) as exc:
            raise PubkitError(f"cannot load the model ({exc})", file=self.package.folder,
                              fix=f"reinstall {self.package.name} with `pubkit models install`") from None
        self._prefix = self._target_prefix()

    def _target_prefix(self) -> str:
        try:
            metadata = json.loads((self.package.folder / "metadata.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return ""
        prefix = metadata.get("target_prefix", "")
        return prefix if isinstance(prefix, str) else ""

    def translate(self, segments: list[list[str]]) -> list[str]:
        """Translate segments given as lists of sentences: one model call of padding-free batches."""
        sentences = [sentence for segment in segments for sentence in segment]
        if not sentences:
            return ["" for _ in segments]
        tokenized = [self._tokenizer.encode(sentence, out_type=str) for sentence in sentences]
        self.calls += 1
        pending = []
        for batch in batches([len(tokens) for tokens in tokenized]):
            prefix = [[self._prefix]] * len(batch) if self._prefix else None
            pending.append((batch, self._translator.translate_batch([tokenized[index] for index in batch],
                                                                    target_prefix=prefix, asynchronous=True, **DECODING)))
        hypotheses: list[list[str]] = [[] for _ in sentences]
        for batch, results in pending:
            for index, result in zip(batch, results):
                hypotheses[index] = result.result().hypotheses[0]
        outputs, position = [], 0
        for segment in segments:
            tokens: list[str] = []
            for hypothesis in hypotheses[position:position + len(segment)]:
                tokens += hypothesis[1:] if self._prefix and hypothesis[:1] == [self._prefix] else hypothesis
            position += len(segment)
            text = self._tokenizer.decode(tokens)
            outputs.append(text[1:] if text.startswith(" ") else text)
        return outputs
