"""A faster query encoder: the same sentence-transformers model run by ONNX Runtime.

On this 2-core CPU one MiniLM query takes ~13.6 ms through PyTorch and ~5.1 ms through ONNX Runtime
with identical output (max abs difference ~1e-7), which is most of a hybrid query's latency
(benchmarks/results/speed.md). The model is exported once per weight checksum into a cache folder
and checked against PyTorch on probe texts every time it is loaded; any mismatch, unsupported
architecture or missing onnxruntime falls back to PyTorch.

sentence-transformers' own ``backend="onnx"`` needs optimum, whose ONNX exporter pins
transformers < 5 and cannot be installed beside sentence-transformers 6.

Set ``TOOLRAG_ONNX=0`` to turn it off; ``TOOLRAG_CACHE`` moves the cache (default
``~/.cache/toolrag``).
"""

from __future__ import annotations

import logging
import os
import uuid
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

logger = logging.getLogger(__name__)

PROBE_TEXTS = [
    "weather",
    "Book a flight from Lisbon to Berlin next Friday and email the itinerary to my manager.",
    "getStockPrice: Get the latest stock market price of a company Parameters: symbol (Ticker)",
]
TOLERANCE = 1e-4


def cache_dir() -> Path:
    return Path(os.environ.get("TOOLRAG_CACHE", Path.home() / ".cache" / "toolrag"))


class OnnxQueryEncoder:
    """Encodes texts exactly like ``model.encode(..., normalize_embeddings=True)``."""

    def __init__(self, model: SentenceTransformer, onnx_path: Path) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = os.cpu_count() or 1
        self.session = ort.InferenceSession(
            str(onnx_path), options, providers=["CPUExecutionProvider"]
        )
        self.tokenizer = model.tokenizer
        self.max_length = int(model.max_seq_length)
        self.inputs = [i.name for i in self.session.get_inputs()]

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Texts are batched by token length, so a short sub-query is not padded to the length
        of a long query beside it (padding is most of the cost otherwise)."""
        enc = self.tokenizer(texts, truncation=True, max_length=self.max_length)
        ids = enc["input_ids"]
        order = sorted(range(len(texts)), key=lambda i: len(ids[i]))
        out = np.empty((len(texts), self.session.get_outputs()[0].shape[-1]), dtype=np.float32)
        chunks: list[list[int]] = []
        for i in order:  # a new chunk when the text is clearly longer than the chunk's first
            if (
                chunks
                and len(chunks[-1]) < batch_size
                and len(ids[i]) <= 1.25 * len(ids[chunks[-1][0]]) + 8
            ):
                chunks[-1].append(i)
            else:
                chunks.append([i])
        for chunk in chunks:  # pad the already-tokenized texts; no second tokenization
            batch = self.tokenizer.pad(
                {n: [enc[n][i] for i in chunk] for n in self.inputs}, return_tensors="np"
            )
            (emb,) = self.session.run(None, {n: batch[n].astype(np.int64) for n in self.inputs})
            out[chunk] = emb
        return out


def _supported(model: SentenceTransformer) -> str | None:
    """The pooling mode if the model is Transformer -> Pooling(mean|cls) [-> Normalize]."""
    names = [type(m).__name__ for m in model]
    if names[:2] != ["Transformer", "Pooling"] or any(n != "Normalize" for n in names[2:]):
        return None
    mode = getattr(model[1], "pooling_mode", None)
    return mode if mode in {"mean", "cls"} else None


def _export(model: SentenceTransformer, pooling: str, path: Path) -> None:
    import torch

    backbone = model[0].auto_model
    names = [
        n
        for n in model.tokenizer.model_input_names
        if n in {"input_ids", "attention_mask", "token_type_ids"}
    ]

    class Embed(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.backbone = backbone

        def forward(self, *args: torch.Tensor) -> torch.Tensor:
            feed = dict(zip(names, args, strict=True))
            hidden = self.backbone(**feed).last_hidden_state  # [batch, seq, dim]
            if pooling == "cls":
                pooled = hidden[:, 0]  # [batch, dim]
            else:
                mask = feed["attention_mask"].unsqueeze(-1).to(hidden.dtype)  # [batch, seq, 1]
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)  # [batch, dim]
            return torch.nn.functional.normalize(pooled, dim=-1)

    sample = model.tokenizer(["probe text"], return_tensors="pt")
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}")
    with warnings.catch_warnings(), torch.inference_mode():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            Embed().eval(),
            tuple(sample[n] for n in names),
            str(tmp),
            input_names=names,
            output_names=["embedding"],
            dynamic_axes={n: {0: "batch", 1: "seq"} for n in names} | {"embedding": {0: "batch"}},
            opset_version=17,
            dynamo=False,
        )
    os.replace(tmp, path)


def load_onnx_encoder(model: SentenceTransformer, checksum: str) -> OnnxQueryEncoder | None:
    """The ONNX twin of ``model``, or ``None`` when it cannot be used (reason logged)."""
    if os.environ.get("TOOLRAG_ONNX", "1") == "0":
        return None
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        logger.info("onnxruntime is not installed; queries are encoded by PyTorch")
        return None
    pooling = _supported(model)
    if pooling is None:
        logger.info(
            "ONNX query encoding supports Transformer + mean/cls pooling only; using PyTorch"
        )
        return None
    path = cache_dir() / "onnx" / f"{checksum[:24]}-{pooling}.onnx"
    try:
        if not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            _export(model, pooling, path)
        encoder = OnnxQueryEncoder(model, path)
        expected = model.encode(
            PROBE_TEXTS, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        diff = float(np.abs(encoder.encode(PROBE_TEXTS) - expected).max())
    except Exception as err:  # an exporter or runtime failure must never break retrieval
        logger.warning("ONNX query encoder unavailable (%s); using PyTorch", err)
        return None
    if diff > TOLERANCE:
        logger.warning("ONNX query encoder differs from PyTorch by %.2e; using PyTorch", diff)
        return None
    return encoder
