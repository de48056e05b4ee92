"""A faster query encoder: the same sentence-transformers model run by ONNX Runtime.

Query encoding is most of a hybrid query's latency (benchmarks/results/speed_4k.md). The model is
exported once per weight checksum into a cache folder; for BERT-family models ONNX Runtime's
transformer optimizer then fuses attention, layer norms and GELU; and by default the linear layers
are quantized to int8 (ONNX Runtime dynamic quantization, per output channel). On this 2-core CPU a
test query takes ~15 ms in float32 ONNX and ~9.5 ms in int8; the int8 embeddings have cosine
>= 0.985 to float32 and the default retriever's R@5 / COMP@5 move by <= 0.002
(benchmarks/results/query_encoder_int8.md). Tool embeddings in the index stay float32.

Every load checks the encoder against PyTorch on probe texts: float32 must match to 1e-4, int8 to
a cosine of ``MIN_COSINE``. A failed check falls back from int8 to float32 ONNX, and from there to
PyTorch, as do an unsupported architecture or a missing onnxruntime.

sentence-transformers' own ``backend="onnx"`` needs optimum, whose ONNX exporter pins
transformers < 5 and cannot be installed beside sentence-transformers 6.

``TOOLRAG_QUERY_ENCODER`` picks ``int8`` (default), ``fp32`` or ``torch`` (``TOOLRAG_ONNX=0`` is
the same as ``torch``); ``TOOLRAG_CACHE`` moves the cache (default ``~/.cache/toolrag``).
"""

from __future__ import annotations

import logging
import os
import uuid
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from toolrag.errors import ConfigError

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

logger = logging.getLogger(__name__)

PROBE_TEXTS = [
    "weather",
    "Book a flight from Lisbon to Berlin next Friday and email the itinerary to my manager.",
    "getStockPrice: Get the latest stock market price of a company Parameters: symbol (Ticker)",
]
TOLERANCE = 1e-4  # float32 ONNX against PyTorch, max abs difference
MIN_COSINE = 0.97  # int8 ONNX against PyTorch, per probe text
PRECISIONS = ("int8", "fp32", "torch")
EXPORT_VERSION = 2  # in the cache file name: 2 = eager-attention export, fused
FUSABLE = {"bert"}  # measured; other families use the plain export


def cache_dir() -> Path:
    return Path(os.environ.get("TOOLRAG_CACHE", Path.home() / ".cache" / "toolrag"))


def export_path(checksum: str, pooling: str = "mean") -> Path:
    """Where the plain float32 export of the model with weight ``checksum`` is cached."""
    return cache_dir() / "onnx" / f"{checksum[:24]}-{pooling}-v{EXPORT_VERSION}.onnx"


class OnnxQueryEncoder:
    """Encodes texts exactly like ``model.encode(..., normalize_embeddings=True)``."""

    def __init__(
        self, model: SentenceTransformer, onnx_path: Path, precision: str = "fp32"
    ) -> None:
        import onnxruntime as ort

        self.precision = precision
        self.path = Path(onnx_path)

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
    # Eager attention exports the classic MatMul/Softmax pattern, which ONNX Runtime's
    # transformer optimizer fuses; PyTorch's SDPA exports a graph it cannot.
    attention = getattr(backbone.config, "_attn_implementation", None)
    eager = attention not in (None, "eager") and hasattr(backbone, "set_attn_implementation")
    if eager:
        backbone.set_attn_implementation("eager")
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
    if eager:
        backbone.set_attn_implementation(attention)
    os.replace(tmp, path)


def _fuse(model: SentenceTransformer, path: Path, *, tanh_gelu: bool = False) -> Path:
    """The exported graph with attention, layer norms and GELU fused by ONNX Runtime's
    transformer optimizer (BERT-family encoders; others are returned as they are).
    ``tanh_gelu`` approximates GELU by tanh (measured, not used: query_engines.md)."""
    config = model[0].auto_model.config
    if getattr(config, "model_type", None) not in FUSABLE:
        return path
    out = path.with_name(path.stem + (".fused-tanh.onnx" if tanh_gelu else ".fused.onnx"))
    if not out.is_file():
        from onnxruntime.transformers.fusion_options import FusionOptions
        from onnxruntime.transformers.optimizer import optimize_model

        options = FusionOptions("bert")
        options.enable_gelu_approximation = tanh_gelu
        fused = optimize_model(
            str(path),
            model_type="bert",
            num_heads=config.num_attention_heads,
            hidden_size=config.hidden_size,
            optimization_options=options,
        )
        if not fused.get_fused_operator_statistics().get("Attention"):
            logger.info("no attention fused in %s; using the plain export", path.name)
            return path
        tmp = out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}")
        fused.save_model_to_file(str(tmp))
        os.replace(tmp, out)
    return out


def _quantize(fp32: Path) -> Path:
    """The int8 twin of an exported float32 model (cached beside it, written atomically)."""
    out = fp32.with_name(fp32.stem + ".int8pc.onnx")
    if not out.is_file():
        import onnx
        from onnxruntime.quantization import QuantType, quantize_dynamic

        tmp = out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}")
        quant_logger = logging.getLogger()  # the quantizer logs a pre-processing hint at WARNING
        level = quant_logger.level
        quant_logger.setLevel(logging.ERROR)
        try:
            quantize_dynamic(
                fp32,
                tmp,
                weight_type=QuantType.QInt8,
                per_channel=True,
                # fused operators (com.microsoft domain) have no inferred output types
                extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
            )
        finally:
            quant_logger.setLevel(level)
        os.replace(tmp, out)
    return out


def requested_precision() -> str:
    if os.environ.get("TOOLRAG_ONNX", "1") == "0":
        return "torch"
    precision = os.environ.get("TOOLRAG_QUERY_ENCODER", "int8").lower()
    if precision not in PRECISIONS:
        raise ConfigError(
            f"TOOLRAG_QUERY_ENCODER={precision!r} is not one of {', '.join(PRECISIONS)}"
        )
    return precision


def load_onnx_encoder(
    model: SentenceTransformer, checksum: str, precision: str | None = None
) -> OnnxQueryEncoder | None:
    """The ONNX twin of ``model`` (int8 by default), or ``None`` when PyTorch must encode
    (reason logged). ``precision`` defaults to ``TOOLRAG_QUERY_ENCODER``."""
    precision = precision or requested_precision()
    if precision == "torch":
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
    path = export_path(checksum, pooling)
    try:
        if not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            _export(model, pooling, path)
        path = _fuse(model, path)
        expected = model.encode(
            PROBE_TEXTS, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        if precision == "int8":
            encoder = OnnxQueryEncoder(model, _quantize(path), "int8")
            cosine = float((encoder.encode(PROBE_TEXTS) * expected).sum(1).min())
            if cosine >= MIN_COSINE:
                return encoder
            logger.warning(
                "int8 query encoder has cosine %.3f < %.2f to PyTorch; using float32 ONNX",
                cosine,
                MIN_COSINE,
            )
        encoder = OnnxQueryEncoder(model, path, "fp32")
        diff = float(np.abs(encoder.encode(PROBE_TEXTS) - expected).max())
    except Exception as err:  # an exporter or runtime failure must never break retrieval
        logger.warning("ONNX query encoder unavailable (%s); using PyTorch", err)
        return None
    if diff > TOLERANCE:
        logger.warning("ONNX query encoder differs from PyTorch by %.2e; using PyTorch", diff)
        return None
    return encoder
