"""Batched translation equals one sentence at a time (pubkit.translate.engine): batches never pad.

With an int8 model, a sentence padded to a longer one's length in its batch can decode to other
words; the engine batches only sentences of equal token length, so each sentence's result is the
one it gets alone.
"""

from __future__ import annotations

import pytest

from conftest import REPO
from support.argos_factory import build_package_dir

from pubkit.translate.engine import DECODING, Engine, batches
from pubkit.translate.packages import installed
from pubkit.translate.sentences import split_sentences

# A small int8 model on which CTranslate2's own length-sorted batches (with padding) change some
# sentences' output: the identity below is then a real check, not a coincidence of a tiny model.
MODEL = dict(layers=2, d_model=256, heads=4, ffn=512, quantization="int8")


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Engine:
    folder = tmp_path_factory.mktemp("batch-model")
    build_package_dir(folder, "vi", "en", **MODEL)
    return Engine(installed(folder)[0])


@pytest.fixture(scope="module")
def sentences() -> list[str]:
    import polib

    po = polib.pofile(str(REPO / "brochures" / "thai-nguyen" / "translations" / "en.po"))
    return [sentence for entry in po for sentence in split_sentences(entry.msgid)][:30]


def test_batches_hold_equal_lengths_only_and_every_sentence_once():
    lengths = [5, 3, 5, 7, 3, 5, 5, 5, 5, 5, 5, 5, 5, 1]
    grouped = batches(lengths, size=4)
    assert sorted(index for batch in grouped for index in batch) == list(range(len(lengths)))
    assert all(len({lengths[i] for i in batch}) == 1 and 1 <= len(batch) <= 4 for batch in grouped)
    assert [lengths[batch[0]] for batch in grouped] == sorted(lengths[batch[0]] for batch in grouped)


@pytest.fixture(scope="module")
def one_at_a_time(engine, sentences) -> list[str]:
    """Each sentence translated alone by the engine (a random-weight model decodes to full length, so this
    is most of the module's time: made once for both tests)."""
    return [engine.translate([[sentence]])[0] for sentence in sentences]


def test_batched_output_equals_one_sentence_at_a_time(engine, sentences, one_at_a_time):
    calls = []
    real = engine._translator

    class Recording:
        def translate_batch(self, source, **options):
            calls.append([len(tokens) for tokens in source])
            return real.translate_batch(source, **options)

    engine._translator = Recording()
    try:
        batched = engine.translate([[sentence] for sentence in sentences])
    finally:
        engine._translator = real
    assert all(len(set(lengths)) == 1 for lengths in calls)  # no call pads a sentence
    assert any(len(lengths) > 1 for lengths in calls)  # and some do batch
    assert batched == one_at_a_time and all(batched)


def test_padding_would_change_this_model_s_output(engine, sentences, one_at_a_time):
    """The reason for the rule, on the test model: CTranslate2's padded batches differ from one at a time."""
    tokenizer, translator = engine._tokenizer, engine._translator
    tokens = [tokenizer.encode(sentence, out_type=str) for sentence in sentences]
    padded = [tokenizer.decode(r.hypotheses[0]) for r in translator.translate_batch(tokens, max_batch_size=8, **DECODING)]
    assert [text.removeprefix(" ") for text in padded] != one_at_a_time
