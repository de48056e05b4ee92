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

import json
import logging
import os
import shutil
import uuid
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from toolrag.cache import file_sha256, file_stamp, first_changed, staged_folder
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
    """Encodes texts exactly like ``model.encode(..., normalize_embeddings=True)``, from a
    bundle folder alone (:data:`BUNDLE_FILES`): ONNX Runtime, the ``tokenizers`` library and
    numpy, no PyTorch or transformers.

    Args:
        folder: a bundle written by :func:`write_bundle`.
    """

    def __init__(self, folder: Path) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.folder = Path(folder)
        manifest = json.loads((self.folder / BUNDLE_MANIFEST).read_text())
        self.precision = manifest["precision"]
        self.source = manifest["source"]  # the cached export it was copied from
        self.max_length = int(manifest["max_length"])
        self.pad_id = int(manifest["pad_id"])
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = os.cpu_count() or 1
        self.session = ort.InferenceSession(
            str(self.folder / "model.onnx"), options, providers=["CPUExecutionProvider"]
        )
        self.tokenizer = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(self.max_length)
        self.inputs = [i.name for i in self.session.get_inputs()]
        self.dim = int(self.session.get_outputs()[0].shape[-1])

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Texts are batched by token length, so a short sub-query is not padded to the length
        of a long query beside it (padding is most of the cost otherwise)."""
        encodings = self.tokenizer.encode_batch(texts)
        ids = [e.ids for e in encodings]
        order = sorted(range(len(texts)), key=lambda i: len(ids[i]))
        out = np.empty((len(texts), self.dim), dtype=np.float32)
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
        for chunk in chunks:  # pad the already-tokenized texts on the right, as BERT's are
            width = max(len(ids[i]) for i in chunk)
            feed = {
                "input_ids": np.full((len(chunk), width), self.pad_id, dtype=np.int64),
                "attention_mask": np.zeros((len(chunk), width), dtype=np.int64),
                "token_type_ids": np.zeros((len(chunk), width), dtype=np.int64),
            }
            for row, i in enumerate(chunk):
                n = len(ids[i])
                feed["input_ids"][row, :n] = ids[i]
                feed["attention_mask"][row, :n] = encodings[i].attention_mask
                feed["token_type_ids"][row, :n] = encodings[i].type_ids
            (emb,) = self.session.run(None, {n: feed[n] for n in self.inputs})
            out[chunk] = emb
        return out


BUNDLE_MANIFEST = "manifest.json"
BUNDLE_FILES = ("model.onnx", "tokenizer.json")
BUNDLE_VERSION = 2  # 2: files and stamps as the planner's exports record them


def bundle_path(checksum: str, precision: str) -> Path:
    """Where the checked query encoder of weights ``checksum`` in ``precision`` is cached."""
    return cache_dir() / "onnx" / f"{checksum[:24]}-{precision}-bundle-v{BUNDLE_VERSION}"


def write_bundle(model: SentenceTransformer, onnx_file: Path, precision: str, out: Path) -> Path:
    """Publish ``out`` atomically: the ONNX model, the model's fast tokenizer and a manifest
    with each file's sha256 and stamp (what :func:`load_bundle` checks)."""
    with staged_folder(out, replace=True) as staging:
        shutil.copy2(onnx_file, staging / "model.onnx")
        model.tokenizer.backend_tokenizer.save(str(staging / "tokenizer.json"))
        manifest = {
            "format": "toolrag-query-encoder",
            "version": BUNDLE_VERSION,
            "precision": precision,
            "source": onnx_file.name,
            "max_length": int(model.max_seq_length),
            "pad_id": int(model.tokenizer.pad_token_id or 0),
            "files": {name: file_sha256(staging / name) for name in BUNDLE_FILES},
            # the rename that publishes the folder keeps these
            "stamps": {name: file_stamp(staging / name) for name in BUNDLE_FILES},
        }
        (staging / BUNDLE_MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return out


def encoder_for(
    model: SentenceTransformer, onnx_file: Path, precision: str = "fp32"
) -> OnnxQueryEncoder:
    """An unchecked encoder for any export of ``model`` (benchmarks compare exports with it);
    its bundle goes to a temporary folder."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="toolrag-encoder-")) / "bundle"
    return OnnxQueryEncoder(write_bundle(model, onnx_file, precision, folder))


def load_bundle(checksum: str, precision: str | None = None) -> OnnxQueryEncoder | None:
    """The cached, checked query encoder of weights ``checksum``, without loading PyTorch; or
    ``None`` when there is none yet or it fails its manifest (a file changed or is missing),
    so that the caller builds it again."""
    precision = precision or requested_precision()
    if precision == "torch":
        return None
    folder = bundle_path(checksum, precision)
    try:
        manifest = json.loads((folder / BUNDLE_MANIFEST).read_text())
        changed = first_changed(folder, manifest["files"], manifest["stamps"])
        if changed is not None:
            logger.warning("the cached query encoder's %s changed; rebuilding it", changed)
            return None
        return OnnxQueryEncoder(folder)
    except FileNotFoundError:
        return None
    except Exception as err:  # a broken cache entry is rebuilt, never fatal
        logger.warning(
            "the cached query encoder in %s is unusable (%s); rebuilding it", folder, err
        )
        return None


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


def load_document_bundle(model: SentenceTransformer, checksum: str) -> OnnxQueryEncoder | None:
    """The float32 bundle of ``model`` (cached, or exported and checked against PyTorch to
    :data:`TOLERANCE`), which encodes an index's tools as PyTorch would; ``None`` when the model
    cannot be exported or the check fails (reason logged). Tools stay float32 whatever
    ``TOOLRAG_QUERY_ENCODER`` asks of queries."""
    cached = load_bundle(checksum, "fp32")
    if cached is not None:
        return cached
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        logger.info("onnxruntime is not installed; tools are encoded by PyTorch")
        return None
    pooling = _supported(model)
    if pooling is None:
        return None
    try:
        path = export_path(checksum, pooling)
        if not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            _export(model, pooling, path)
        path = _fuse(model, path)
        expected = model.encode(
            PROBE_TEXTS, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        folder = write_bundle(model, path, "fp32", bundle_path(checksum, "fp32"))
        encoder = OnnxQueryEncoder(folder)
        diff = float(np.abs(encoder.encode(PROBE_TEXTS) - expected).max())
    except Exception as err:  # an exporter or runtime failure must never break indexing
        logger.warning("ONNX document encoder unavailable (%s); using PyTorch", err)
        return None
    if diff > TOLERANCE:
        shutil.rmtree(folder, ignore_errors=True)
        logger.warning("ONNX document encoder differs from PyTorch by %.2e; using PyTorch", diff)
        return None
    return encoder


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
    logger.warning("preparing the ONNX query encoder once (cached in %s)", path.parent)
    try:
        if not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            _export(model, pooling, path)
        path = _fuse(model, path)
        expected = model.encode(
            PROBE_TEXTS, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        if precision == "int8":
            folder = write_bundle(model, _quantize(path), "int8", bundle_path(checksum, "int8"))
            encoder = OnnxQueryEncoder(folder)
            cosine = float((encoder.encode(PROBE_TEXTS) * expected).sum(1).min())
            if cosine >= MIN_COSINE:
                return encoder
            shutil.rmtree(folder, ignore_errors=True)  # never loaded again without a check
            logger.warning(
                "int8 query encoder has cosine %.3f < %.2f to PyTorch; using float32 ONNX",
                cosine,
                MIN_COSINE,
            )
        folder = write_bundle(model, path, "fp32", bundle_path(checksum, "fp32"))
        encoder = OnnxQueryEncoder(folder)
        diff = float(np.abs(encoder.encode(PROBE_TEXTS) - expected).max())
    except Exception as err:  # an exporter or runtime failure must never break retrieval
        logger.warning("ONNX query encoder unavailable (%s); using PyTorch", err)
        return None
    if diff > TOLERANCE:
        shutil.rmtree(folder, ignore_errors=True)
        logger.warning("ONNX query encoder differs from PyTorch by %.2e; using PyTorch", diff)
        return None
    if precision == "int8":  # the float32 fallback answers int8 requests from now on
        shutil.copytree(folder, bundle_path(checksum, "int8"), dirs_exist_ok=True)
    return encoder
