"""Build tiny, random-weight Argos Translate packages for tests and benchmarks.

Why: pubkit translates with Argos Translate packages (a CTranslate2 Transformer
plus a SentencePiece model), but no model can be downloaded on the machines
that run the tests. So the tests make their own packages here, from nothing:

* ``sentencepiece.model`` is trained on the spot with the ``sentencepiece``
  pip package on a few dozen made-up Vietnamese / English / Japanese lines
  (diacritics and digits included), vocabulary of a few hundred pieces;
* ``model/`` is a CTranslate2 ``TransformerSpec`` (pre-norm, ReLU, sinusoidal
  positions: the OpenNMT-py layout that real Argos packages are converted
  from) whose every weight is a seeded numpy array, written through a
  ``ctranslate2.converters.Converter`` subclass, so the result is exactly what
  ``ct2-opennmt-py-converter`` writes: ``model.bin``, ``config.json`` and
  ``shared_vocabulary.json``;
* ``metadata.json`` has the fields that Argos Train / Locomotive write and
  ``argostranslate.package.Package`` reads.

The translations such a package produces are gibberish, but everything around
them is real: the package layout, the SentencePiece tokenizer, the
``ctranslate2.Translator`` and its ``translate_batch`` (beam search, batching,
quantization, ``replace_unknowns``), detokenization. Output is deterministic
for a given ``seed``.

The vocabulary follows real packages: one vocabulary shared by source and
target (OpenNMT-py ``share_vocab``), laid out as OpenNMT-py v3 builds it from
the SentencePiece vocabulary (what Locomotive's ``sp_vocab_to_onmt_vocab`` +
``onmt_build_vocab`` do): ``<unk> <blank> <s> </s>`` at ids 0-3, then every
SentencePiece piece except its own ``<unk> <s> </s>``, in SentencePiece order.
Encoder and decoder share one embedding matrix (``share_embeddings``, as
Locomotive trains them; CTranslate2 stores it once and aliases it).

Purely random weights make a poor stand-in: such a decoder either never emits
``</s>`` (every output runs to CTranslate2's default ``max_decoding_length``
of 256 pieces, which is slow at base size) or emits it at once, and it loops
on one piece whatever the input. So a few residual dimensions are set aside
and a little structure is wired in by hand, the rest staying random:

* a position ramp, and the mean source position (read by one cross-attention
  head with a zero query, i.e. uniform attention) drive the ``</s>`` logit,
  so an output ends after about ``length_ratio`` times as many pieces as its
  input has;
* another cross-attention head attends from decoder step t to source token t
  (its queries and keys are sinusoids of the position), so each output piece
  depends on the source piece at the same place: different inputs give
  different outputs, with few loops;
* the output projection is a separate matrix (tied to the embeddings, a random
  model mostly predicts the piece it was just fed) scaled so that the
  next-piece distribution is peaked, like a trained model's; pieces that start
  a word get a small bonus, so outputs have spaces;
* ``<s>``, ``<blank>`` and pieces in another script than the target
  language's (e.g. kana in an English output; English is limited to ASCII
  letters) are pushed far down so the model never emits them, as a trained
  model would not. ``<unk>`` stays possible, so ``replace_unknowns`` has work.

Outputs are deterministic for one machine; exact gibberish may differ between
CPUs (CTranslate2 picks kernels by instruction set), so tests should compare
runs with each other rather than with stored strings. Create test
translators with ``intra_threads=1``: with CTranslate2's default (all cores)
a tiny model runs 10-100x slower when another process competes for the CPU.

Sizes: the default (2+2 layers, d_model 64) builds in about 0.05 s; the Argos
"base" size (``layers=6, d_model=512, heads=8, ffn=2048, quantization="int8"``)
in about a second (2-core machine), ``model.bin`` about 47 MB.
"""

from __future__ import annotations

import io
import json
import math
import unicodedata
import zipfile
from pathlib import Path

import numpy as np
import sentencepiece as spm
from ctranslate2.converters import Converter
from ctranslate2.specs import common_spec, transformer_spec

__all__ = [
    "DEFAULT_VOCAB_LINES",
    "LANGUAGE_NAMES",
    "SPECIAL_TOKENS",
    "build_package_dir",
    "package_dir_name",
    "zip_package",
]

# The version of Argos Translate written into metadata.json ("argos_version"),
# as Locomotive writes it.
ARGOS_VERSION = "1.9.0"

# Rows of position encodings (OpenNMT-py stores 5000; sentences are far shorter).
_MAX_POSITIONS = 1024
# The position ramp rises by 1 every _RAMP_TOKENS positions.
_RAMP_TOKENS = 64
# Standard deviation of the (non-</s>) logits: makes the next-token distribution peaked.
_LOGIT_SCALE = 2.0
# Rise of the </s> logit per decoding step (before the decoder's layer norm).
_EOS_SLOPE = 4.0
# The </s> logit at the target length.
_EOS_OFFSET = 6.0
# Scale of what encoder layers add to the residual stream, and the resulting
# standard deviation of the encoder output before its final layer norm.
_ENCODER_GAIN = 0.25
_ENCODER_STD = math.sqrt(1.5)
# Scale of what the cross-attention adds to the decoder's residual stream.
_CROSS_GAIN = 1.0
# Periods of the alignment sinusoids (chosen so the pattern nearly repeats
# little within 300 positions), how sharply head 1 attends to the aligned
# source token, the weight of what it reads, and the usual decoder std before
# a layer norm.
_ALIGN_PERIODS = (2.7, 4.43, 6.48, 11.2, 27.08, 46.93)
_ALIGN_SHARPNESS = 3.0
_ALIGN_GAIN = 3.0
_DECODER_STD = 2.0
# Scale of what decoder self-attention and feed-forward layers add (less
# constant drift in the residual stream, so fewer loops on one piece).
_DECODER_GAIN = 0.5
# Added to the logits of pieces that start a word, so outputs have spaces.
_WORD_START_BIAS = 0.75

# Unicode name prefixes of the letters a target language's pieces may have.
_LATIN = ("LATIN",)
_ASCII = ("LATIN CAPITAL LETTER ?", "LATIN SMALL LETTER ?")  # ? = one letter, no accent
_SCRIPTS = {
    "en": _ASCII, "vi": _LATIN, "fr": _LATIN, "de": _LATIN, "es": _LATIN,
    "ja": ("HIRAGANA", "KATAKANA", "CJK", "HALFWIDTH KATAKANA"),
    "ko": ("HANGUL",),
    "zh": ("CJK",), "zt": ("CJK",),
    "ru": ("CYRILLIC",),
    "th": ("THAI",),
}

# OpenNMT-py v3 seq2seq specials, in vocabulary order (ids 0-3).
SPECIAL_TOKENS = ["<unk>", "<blank>", "<s>", "</s>"]

LANGUAGE_NAMES = {
    "vi": "Vietnamese",
    "en": "English",
    "ja": "Japanese",
    "ko": "Korean",
    "zh": "Chinese",
    "zt": "Chinese (traditional)",
    "fr": "French",
    "de": "German",
    "es": "Spanish",
    "ru": "Russian",
    "th": "Thai",
}

# Made-up brochure-like lines the SentencePiece model is trained on.
DEFAULT_VOCAB_LINES: list[str] = [
    "Thái Nguyên cách Hà Nội khoảng 80 km về phía bắc.",
    "Tỉnh có diện tích tự nhiên 3.536,4 km² và dân số hơn 1,3 triệu người.",
    "Đường cao tốc Hà Nội – Thái Nguyên rút ngắn thời gian đi lại còn 60 phút.",
    "Hồ Núi Cốc là điểm du lịch nổi tiếng với cảnh quan thiên nhiên tươi đẹp.",
    "Chè Tân Cương được trồng trên những đồi chè xanh mướt quanh năm.",
    "Các khu công nghiệp Yên Bình, Điềm Thụy và Sông Công đang thu hút nhà đầu tư.",
    "Năm 2017, tổng vốn đầu tư trực tiếp nước ngoài đạt 7,2 tỷ đô la Mỹ.",
    "Ủy ban nhân dân tỉnh luôn đồng hành cùng doanh nghiệp.",
    "Sở Kế hoạch và Đầu tư hỗ trợ thủ tục nhanh chóng, minh bạch.",
    "Điện thoại: +84 208 3855 000. Thư điện tử: info@example.vn",
    "Người dân hiếu khách, nguồn nhân lực trẻ và được đào tạo tốt.",
    "Tăng trưởng kinh tế bình quân đạt 10,5% mỗi năm giai đoạn 2011–2017.",
    "Thái Nguyên lies about 80 km north of Hanoi.",
    "The province covers 3,536.4 km² and has more than 1.3 million people.",
    "The Hanoi – Thai Nguyen expressway cuts travel time to 60 minutes.",
    "Nui Coc Lake is a famous destination with beautiful natural scenery.",
    "Tan Cuong tea is grown on green hills all year round.",
    "Industrial parks attract investors from Korea, Japan and China.",
    "In 2017 foreign direct investment reached 7.2 billion US dollars.",
    "The Provincial People's Committee supports every business.",
    "The Department of Planning and Investment offers fast, transparent procedures.",
    "Phone: +84 208 3855 000. E-mail: info@example.vn",
    "Average economic growth was 10.5% per year from 2011 to 2017.",
    "Welcome to an introduction for investors and visitors.",
    "タイグエン省はハノイの北約80キロに位置しています。",
    "自然面積は3536.4平方キロメートルです。",
    "ヌイコック湖は美しい自然で有名な観光地です。",
    "タンクオン茶は一年中緑の丘で栽培されています。",
    "工業団地には日本と韓国の投資家が集まっています。",
    "2017年の外国直接投資は72億ドルに達しました。",
    "お問い合わせは計画投資局までどうぞ。",
    "투자자를 위한 안내서입니다. 타이응우옌성 인민위원회.",
    "타이응우옌성은 하노이에서 북쪽으로 약 80킬로미터 떨어져 있습니다.",
    "누이꼭 호수는 아름다운 자연 경관으로 유명합니다.",
    "太原省位于河内以北约80公里。投资机会。",
    "努谷湖以美丽的自然风光而闻名。工业园区吸引了投资者。",
    "0 1 2 3 4 5 6 7 8 9 10 25 50 100 250 500 1000 2018",
    "Vị trí địa lý, giao thông, khí hậu, văn hóa và con người.",
    "Location, transport, climate, culture and people.",
    "Cơ hội đầu tư: nông nghiệp công nghệ cao, chế biến, du lịch sinh thái.",
    "Investment opportunities: high-tech farming, processing, eco-tourism.",
    "Ảnh: đồi chè, hồ nước, nhà máy, trường đại học và bệnh viện.",
    "Photos: tea hills, the lake, factories, universities and hospitals.",
]


def package_dir_name(from_code: str, to_code: str, package_version: str = "1.0") -> str:
    """The folder name Argos Train / Locomotive give a package: translate-vi_en-1_0."""
    return f"translate-{from_code}_{to_code}-{package_version.replace('.', '_')}"


def build_package_dir(
    root: Path,
    from_code: str,
    to_code: str,
    *,
    layers: int = 2,
    d_model: int = 64,
    heads: int = 4,
    ffn: int = 128,
    vocab_lines: list[str] | None = None,
    seed: int = 0,
    package_version: str = "1.0",
    quantization: str | None = None,
    vocab_size: int = 320,
    length_ratio: float = 1.0,
) -> Path:
    """Create an unzipped Argos package folder with random weights; return its path.

    The folder is ``root/translate-{from}_{to}-{version with . -> _}/`` and holds
    ``metadata.json``, ``README.md``, ``sentencepiece.model`` and ``model/``
    (CTranslate2: ``model.bin``, ``config.json``, ``shared_vocabulary.json``).

    ``layers`` encoder and ``layers`` decoder layers of width ``d_model`` with
    ``heads`` attention heads and a ``ffn``-wide feed-forward network.
    ``vocab_lines`` (default: DEFAULT_VOCAB_LINES) train the SentencePiece
    model; ``vocab_size`` is a soft limit (fewer pieces if the lines are too few).
    ``quantization`` is passed to the converter (e.g. ``"int8"``, as real Argos
    packages are). ``seed`` fixes every weight. Outputs end after about
    ``length_ratio`` times as many pieces as the input has.

    Raises FileExistsError if the package folder already exists.
    """
    if d_model % heads:
        raise ValueError(f"d_model ({d_model}) must be a multiple of heads ({heads})")
    if d_model < 16 or layers < 1:
        raise ValueError("need d_model >= 16 and layers >= 1")
    root = Path(root)
    package_dir = root / package_dir_name(from_code, to_code, package_version)
    if package_dir.exists():
        raise FileExistsError(f"{package_dir} already exists")
    package_dir.mkdir(parents=True)

    sp_model = _train_sentencepiece(vocab_lines or DEFAULT_VOCAB_LINES, vocab_size)
    (package_dir / "sentencepiece.model").write_bytes(sp_model)
    vocabulary = _onmt_vocabulary(sp_model)

    spec = _random_transformer_spec(
        vocabulary,
        layers=layers,
        d_model=d_model,
        heads=heads,
        ffn=ffn,
        seed=seed,
        length_ratio=length_ratio,
        to_code=to_code,
    )
    _SpecConverter(spec).convert(str(package_dir / "model"), quantization=quantization)

    from_name = LANGUAGE_NAMES.get(from_code, from_code)
    to_name = LANGUAGE_NAMES.get(to_code, to_code)
    metadata = {
        "package_version": package_version,
        "argos_version": ARGOS_VERSION,
        "from_code": from_code,
        "from_name": from_name,
        "to_code": to_code,
        "to_name": to_name,
        "type": "translate",
    }
    (package_dir / "metadata.json").write_text(json.dumps(metadata, indent=4) + "\n", encoding="utf-8")
    (package_dir / "README.md").write_text(
        f"# {from_name} - {to_name} version {package_version}\n\n"
        f"Test package with random weights (seed {seed}, {layers}+{layers} layers, "
        f"d_model {d_model}, {heads} heads, ffn {ffn}, quantization {quantization or 'none'}). "
        "Its translations are gibberish.\n",
        encoding="utf-8",
    )
    return package_dir


def zip_package(package_dir: Path, dest: Path) -> Path:
    """Zip an unzipped package folder into a ``.argosmodel`` file; return its path.

    As in real packages the archive holds one top folder, named like the
    package folder. ``dest`` is the file to write, or an existing directory
    (the file is then ``dest/<folder name>.argosmodel``). Entries are sorted
    and dated 1980-01-01, so the same folder always gives the same bytes.
    """
    package_dir = Path(package_dir)
    if not (package_dir / "metadata.json").is_file():
        raise FileNotFoundError(f"{package_dir} has no metadata.json")
    dest = Path(dest)
    if dest.is_dir():
        dest = dest / f"{package_dir.name}.argosmodel"
    dest.parent.mkdir(parents=True, exist_ok=True)
    top = package_dir.name
    paths = sorted(package_dir.rglob("*"))
    with zipfile.ZipFile(dest, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(_zip_info(f"{top}/", is_dir=True), b"")
        for path in paths:
            name = f"{top}/{path.relative_to(package_dir).as_posix()}"
            if path.is_dir():
                archive.writestr(_zip_info(name + "/", is_dir=True), b"")
            else:
                archive.writestr(_zip_info(name), path.read_bytes())
    return dest


# --------------------------------------------------------------------------
# SentencePiece


def _train_sentencepiece(lines: list[str], vocab_size: int) -> bytes:
    """Train a unigram SentencePiece model on ``lines``; return the serialized model."""
    lines = [line for line in lines if line.strip()]
    if not lines:
        raise ValueError("vocab_lines has no non-empty line")
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=model,
        model_type="unigram",
        vocab_size=vocab_size,
        hard_vocab_limit=False,  # a few dozen lines may not support vocab_size pieces
        character_coverage=1.0,  # every character of the lines is a piece: no <unk> on them
        num_threads=1,  # deterministic
        minloglevel=2,  # quiet
    )
    return model.getvalue()


def _onmt_vocabulary(sp_model: bytes) -> list[str]:
    """The shared vocabulary OpenNMT-py v3 builds from a SentencePiece model."""
    processor = spm.SentencePieceProcessor(model_proto=sp_model)
    pieces = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    return SPECIAL_TOKENS + [p for p in pieces if p not in ("<unk>", "<s>", "</s>")]


# --------------------------------------------------------------------------
# CTranslate2 model


class _SpecConverter(Converter):
    """A converter whose "source model" is an already filled specification."""

    def __init__(self, spec: transformer_spec.TransformerSpec):
        self._spec = spec

    def _load(self):
        return self._spec


def _random_transformer_spec(
    vocabulary: list[str],
    *,
    layers: int,
    d_model: int,
    heads: int,
    ffn: int,
    seed: int,
    length_ratio: float,
    to_code: str,
) -> transformer_spec.TransformerSpec:
    # What ctranslate2.converters.opennmt_py builds for an OpenNMT-py
    # "transformer" (position_encoding: true, relu, pre-norm with final norm).
    spec = transformer_spec.TransformerSpec.from_config(
        (layers, layers),
        heads,
        pre_norm=True,
        activation=common_spec.Activation.RELU,
    )
    spec.config.decoder_start_token = "<s>"

    rng = np.random.default_rng(seed)
    vocab = len(vocabulary)
    eos = vocabulary.index("</s>")
    # Four residual-stream dimensions are kept out of the random mixing. Each
    # signal is stored as a +x/-x pair, so layer norm's mean subtraction
    # cancels out of their difference. RAMP carries the position (encoder and
    # decoder); SRC the mean source position, copied by a uniform
    # cross-attention head. The </s> logit reads RAMP - SRC.
    ramp_pos, ramp_neg, src_pos, src_neg = d_model - 1, d_model - 2, d_model - 3, d_model - 4
    # Head 1 of the cross-attention aligns decoder step t with source token t:
    # its queries and keys are sinusoids of the position kept in ALIGN.
    head_dim = d_model // heads
    aligned = heads >= 2 and head_dim >= 2 * len(_ALIGN_PERIODS)
    align = list(range(d_model - 4 - 2 * len(_ALIGN_PERIODS), d_model - 4)) if aligned else []
    reserved = [ramp_pos, ramp_neg, src_pos, src_neg] + align

    def normal(shape, std):
        return (rng.standard_normal(shape, dtype=np.float32) * np.float32(std)).astype(np.float32)

    def linear(lin, n_out: int, n_in: int, *, residual: bool = False, gain: float = 1.0) -> None:
        weight = normal((n_out, n_in), gain / math.sqrt(n_in))  # (out, in) as in PyTorch
        bias = normal((n_out,), 0.02)
        if residual:  # writes into the residual stream: leave the reserved dimensions alone
            weight[reserved, :] = 0.0
            bias[reserved] = 0.0
        lin.weight, lin.bias = weight, bias

    def layer_norm(norm, *, exact: bool = False) -> None:
        gamma = 1.0 + normal((d_model,), 0.05)
        beta = normal((d_model,), 0.02)
        if exact:
            gamma[reserved], beta[reserved] = 1.0, 0.0
        norm.gamma, norm.beta = gamma, beta

    def self_attention(attention, gain: float) -> None:
        layer_norm(attention.layer_norm)
        linear(attention.linear[0], 3 * d_model, d_model)  # fused query/key/value
        linear(attention.linear[1], d_model, d_model, residual=True, gain=gain)  # output

    def feed_forward(ffn_spec, gain: float) -> None:
        layer_norm(ffn_spec.layer_norm)
        linear(ffn_spec.linear_0, ffn, d_model)
        linear(ffn_spec.linear_1, d_model, ffn, residual=True, gain=gain)

    # One matrix for encoder and decoder embeddings (share_embeddings, as
    # Locomotive trains them); multiplied by sqrt(d_model) at run time, so
    # each residual dimension starts with variance 1.
    embeddings = normal((vocab, d_model), 1.0 / math.sqrt(d_model))
    embeddings[:, reserved] = 0.0
    ramp = np.arange(_MAX_POSITIONS, dtype=np.float32) / np.float32(_RAMP_TOKENS)
    positions = _sinusoidal_encodings(_MAX_POSITIONS, d_model)
    positions[:, reserved] = 0.0
    positions[:, ramp_pos], positions[:, ramp_neg] = ramp, -ramp
    for k, period in enumerate(_ALIGN_PERIODS if aligned else ()):
        angle = np.arange(_MAX_POSITIONS, dtype=np.float64) * (2.0 * math.pi / period)
        positions[:, align[2 * k]] = np.sin(angle)
        positions[:, align[2 * k + 1]] = np.cos(angle)

    # The encoder layers add only a little to the residual stream, so its
    # final layer norm divides by a nearly constant standard deviation
    # (embeddings + position encodings: about sqrt(1.5)) and the copied
    # source length does not depend much on the input.
    encoder = spec.encoder
    encoder.embeddings[0].weight = embeddings
    encoder.position_encodings.encodings = positions
    for layer in encoder.layer:
        self_attention(layer.self_attention, gain=_ENCODER_GAIN)
        feed_forward(layer.ffn, gain=_ENCODER_GAIN)
    layer_norm(encoder.layer_norm, exact=True)

    decoder = spec.decoder
    decoder.embeddings.weight = embeddings
    decoder.position_encodings.encodings = positions
    for layer in decoder.layer:
        self_attention(layer.self_attention, gain=_DECODER_GAIN)
        cross = layer.attention
        layer_norm(cross.layer_norm, exact=True)
        linear(cross.linear[0], d_model, d_model)  # query
        linear(cross.linear[1], 2 * d_model, d_model)  # fused key/value
        linear(cross.linear[2], d_model, d_model, residual=True, gain=_CROSS_GAIN)  # output
        query, key_value, output = (lin.weight for lin in cross.linear)
        query_bias, key_value_bias = cross.linear[0].bias, cross.linear[1].bias
        # Head 0 has a zero query, so it attends uniformly to the source
        # tokens; its first value dimension reads the encoder's RAMP, so it
        # returns the mean source position, which is added to SRC.
        query[:head_dim, :] = 0.0
        query_bias[:head_dim] = 0.0
        value = d_model  # first value row of head 0 in the fused key/value
        key_value[value, :] = 0.0
        key_value[value, ramp_pos], key_value[value, ramp_neg] = 0.5, -0.5
        key_value_bias[value] = 0.0
        output[src_pos, 0], output[src_neg, 0] = 1.0, -1.0
        if aligned:
            # Head 1: query . key = sharpness * sum_k cos(w_k (t - s)), which
            # peaks at source position s = decoder step t.
            head = slice(head_dim, 2 * head_dim)
            query[head, :] = 0.0
            query_bias[head] = 0.0
            key_value[head, :] = 0.0  # keys are the first d_model rows
            key_value_bias[head] = 0.0
            sharpness = _ALIGN_SHARPNESS * math.sqrt(head_dim) * _ENCODER_STD * _DECODER_STD
            for j, dim in enumerate(align):
                query[head_dim + j, dim] = sharpness
                key_value[head_dim + j, dim] = 1.0
            # What it reads from the aligned source token weighs more.
            output[:, head] *= np.float32(_ALIGN_GAIN)
        feed_forward(layer.ffn, gain=_DECODER_GAIN)
    layer_norm(decoder.layer_norm, exact=True)

    # Output projection, NOT tied to the embeddings: with random weights a tied
    # projection mostly predicts the token it was just fed. Its scale makes the
    # next-token distribution peaked, like a trained model's.
    projection = normal((vocab, d_model), _LOGIT_SCALE / math.sqrt(d_model))
    projection[:, reserved] = 0.0
    bias = normal((vocab,), 0.1)
    for never in ("<s>", "<blank>"):  # a trained model never emits these
        bias[vocabulary.index(never)] = -1e4
    bias[[i for i, piece in enumerate(vocabulary) if piece.startswith("\u2581")]] += np.float32(
        _WORD_START_BIAS
    )
    # ... nor pieces in another script than the target language's.
    bias[_foreign_pieces(vocabulary, to_code)] = -1e4
    # After the decoder's layer norm (std s): RAMP = t / (R s) at decoder step
    # t, SRC = layers * (S - 1) / (2 R sigma s) for S source tokens, sigma the
    # encoder's std. So the </s> logit grows as
    # EOS_SLOPE / s * (t - length_ratio * (S - 1)).
    slope = _EOS_SLOPE * _RAMP_TOKENS / 2.0
    src_weight = slope * 2.0 * length_ratio * _ENCODER_STD / layers
    projection[eos, :] = 0.0
    projection[eos, ramp_pos], projection[eos, ramp_neg] = slope, -slope
    projection[eos, src_pos], projection[eos, src_neg] = -src_weight, src_weight
    bias[eos] = _EOS_OFFSET
    decoder.projection.weight = projection
    decoder.projection.bias = bias

    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    return spec


def _foreign_pieces(vocabulary: list[str], to_code: str) -> list[int]:
    """Ids of pieces with letters outside the target language's scripts.

    Empty when the language's scripts are unknown or when the vocabulary has
    too few pieces in them (then the model may emit any piece).
    """
    scripts = _SCRIPTS.get(to_code)
    if scripts is None:
        return []
    foreign = []
    for index, piece in enumerate(vocabulary):
        if piece in SPECIAL_TOKENS:
            continue
        for char in piece.replace("\u2581", ""):
            if unicodedata.category(char)[0] != "L":  # digits, punctuation, symbols
                continue
            if not _in_scripts(unicodedata.name(char, ""), scripts):
                foreign.append(index)
                break
    if len(vocabulary) - len(foreign) < 5 + len(SPECIAL_TOKENS):
        return []
    return foreign


def _in_scripts(name: str, scripts: tuple[str, ...]) -> bool:
    for prefix in scripts:
        if prefix.endswith("?"):
            if name.startswith(prefix[:-1]) and len(name) == len(prefix):
                return True
        elif name.startswith(prefix):
            return True
    return False


def _sinusoidal_encodings(length: int, depth: int) -> np.ndarray:
    """OpenNMT-py's position encodings: sin on even, cos on odd dimensions."""
    position = np.arange(length, dtype=np.float64)[:, None]
    div = np.exp(np.arange(0, depth, 2, dtype=np.float64) * -(math.log(10000.0) / depth))
    encodings = np.zeros((length, depth), dtype=np.float64)
    encodings[:, 0::2] = np.sin(position * div)
    encodings[:, 1::2] = np.cos(position * div)[:, : depth // 2]
    return encodings.astype(np.float32)


def _zip_info(name: str, *, is_dir: bool = False) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    if is_dir:
        info.external_attr = (0o40755 << 16) | 0x10
    else:
        info.external_attr = 0o100644 << 16
        info.compress_type = zipfile.ZIP_DEFLATED
    return info
