"""Query-encoding engines on this CPU: ONNX Runtime (toolrag's default: fused, int8), the same with
tanh-approximated GELU, OpenVINO (float32, and int8 by NNCF post-training quantization) and
CTranslate2 (int8 weights with int8 or float32 compute) -- one run, the same test queries, the
shipped retriever's weights. Per engine: latency of one query, cosine to PyTorch float32, and the
default retriever's quality over the index when that engine encodes the queries.

OpenVINO, NNCF and CTranslate2 are not toolrag dependencies; engines whose package is missing are
left out of the table (``pip install openvino nncf ctranslate2`` to measure them). NNCF calibrates
on dev.jsonl queries, never test queries. Engines take turns over blocks of queries (see
``query_encoder_int8.py``).

    python benchmarks/query_engines.py --index .cache/seal-index-default
"""

from __future__ import annotations

import argparse
import importlib.util
import logging
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
from common import SEAL, time_in_blocks, write_results

from toolrag.evaluation.planner import percentile, spread
from toolrag.evaluation.retrieval import evaluate_retriever
from toolrag.index.encoder import encode
from toolrag.index.onnx_encoder import (
    _fuse,
    _quantize,
    cache_dir,
    encoder_for,
    export_path,
    load_onnx_encoder,
)
from toolrag.index.store import ToolIndex
from toolrag.instances import read_instances
from toolrag.retriever.factory import default_retriever

INPUTS = ("input_ids", "attention_mask", "token_type_ids")


class OneByOne:
    """An engine that encodes one text per call, wrapped to encode lists like the others."""

    def __init__(self, embed: Callable[[str], np.ndarray]) -> None:
        self.embed = embed

    def encode(self, texts: list[str], batch_size: int = 1) -> np.ndarray:
        out = np.stack([self.embed(t) for t in texts]).astype(np.float32)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def openvino_engines(model, checksum: str, calibration: list[str]) -> dict[str, OneByOne]:
    import openvino as ov

    tok, limit = model.tokenizer, int(model.max_seq_length)

    def feed(text: str) -> dict[str, np.ndarray]:
        batch = tok([text], truncation=True, max_length=limit, return_tensors="np")
        return {n: batch[n].astype(np.int64) for n in INPUTS if n in batch}

    core = ov.Core()
    plain = export_path(checksum)
    graphs = {"OpenVINO float32": core.read_model(str(plain))}
    if importlib.util.find_spec("nncf"):
        import nncf

        logging.getLogger("nncf").setLevel(logging.ERROR)
        graphs["OpenVINO int8 (NNCF, dev calibration)"] = nncf.quantize(
            core.read_model(str(plain)),
            nncf.Dataset([feed(t) for t in calibration]),
            model_type=nncf.ModelType.TRANSFORMER,
            subset_size=len(calibration),
        )
    engines = {}
    for name, graph in graphs.items():
        compiled = core.compile_model(
            graph, "CPU", {"PERFORMANCE_HINT": "LATENCY", "INFERENCE_NUM_THREADS": 2}
        )
        request = compiled.create_infer_request()
        engines[name] = OneByOne(
            lambda t, r=request: next(iter(r.infer(feed(t)).values()))[0].copy()
        )
    return engines


def ctranslate2_engines(model, checksum: str) -> dict[str, OneByOne]:
    import ctranslate2

    tok, limit = model.tokenizer, int(model.max_seq_length)
    folder = cache_dir() / "ct2" / f"{checksum[:24]}-int8"
    if not folder.is_dir():
        with tempfile.TemporaryDirectory() as hf:
            model[0].auto_model.save_pretrained(hf)
            tok.save_pretrained(hf)
            ctranslate2.converters.TransformersConverter(hf).convert(
                str(folder), quantization="int8"
            )

    def embed(text: str, encoder) -> np.ndarray:
        ids = tok([text], truncation=True, max_length=limit)["input_ids"]
        hidden = np.asarray(encoder.forward_batch(ids).last_hidden_state)[0]  # [seq, dim]
        return hidden.mean(0)  # mean pooling; one text, so no padding to mask

    engines = {}
    for compute in ("int8", "int8_float32"):
        encoder = ctranslate2.Encoder(str(folder), "cpu", compute_type=compute, intra_threads=2)
        engines[f"CTranslate2 {compute}"] = OneByOne(lambda t, e=encoder: embed(t, e))
    return engines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--index", type=Path, default=Path(".cache/seal-index-default"))
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--block", type=int, default=25, help="queries per engine turn")
    args = ap.parse_args()
    idx = ToolIndex.load(args.index)
    model, checksum = idx.encoder, idx.manifest["embedding"]["checksum"]
    default = load_onnx_encoder(model, checksum)
    assert default is not None and default.precision == "int8"
    engines: dict[str, object] = {
        "ONNX Runtime int8, fused (default)": default,
        "ONNX Runtime int8, fused, tanh GELU": encoder_for(
            model, _quantize(_fuse(model, export_path(checksum), tanh_gelu=True)), "int8"
        ),
    }
    missing = []
    if importlib.util.find_spec("openvino"):
        calibration = [i.query for i in read_instances(SEAL / "dev.jsonl")][:300]
        engines |= openvino_engines(model, checksum, calibration)
    else:
        missing.append("openvino")
    if importlib.util.find_spec("ctranslate2"):
        engines |= ctranslate2_engines(model, checksum)
    else:
        missing.append("ctranslate2")

    test = read_instances(SEAL / "test_in_domain.jsonl")
    queries = [i.query for i in spread(test, args.n)]
    reference = encode(model, queries)  # PyTorch float32
    for enc in engines.values():
        enc.encode(queries[:5])  # warm-up
    secs = time_in_blocks(engines, queries, args.block)
    rows = {}
    for name, enc in engines.items():
        cos = (enc.encode(queries) * reference).sum(1)
        idx._fast_encoder = enc  # the default retriever over this index now encodes with it
        scores = evaluate_retriever(default_retriever(idx), test)[0]["overall"]
        rows[name] = {
            "p50_ms": percentile(secs[name], 0.5) * 1000,
            "p95_ms": percentile(secs[name], 0.95) * 1000,
            "cosine_min": float(np.min(cos)),
            "cosine_mean": float(np.mean(cos)),
            "default_retriever": {k: scores[k] for k in ("R@5", "COMP@5", "nDCG@10")},
        }
    base = rows["ONNX Runtime int8, fused (default)"]["p50_ms"]
    md = [
        f"# Query-encoding engines, {len(queries)} test queries, one at a time",
        "",
        "Same weights (the shipped retriever). Cosine: to PyTorch float32. Quality: the default "
        "retriever (hybrid + decomposition) over the shipped retriever's index, all "
        f"{len(test)} test queries, with that engine encoding the queries.",
        "",
        "| engine | p50 ms | p95 ms | p50 / default | cosine min / mean | R@5 | COMP@5 | nDCG@10 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, r in rows.items():
        q = r["default_retriever"]
        md.append(
            f"| {name} | {r['p50_ms']:.2f} | {r['p95_ms']:.2f} | {r['p50_ms'] / base:.2f} | "
            f"{r['cosine_min']:.4f} / {r['cosine_mean']:.4f} | {q['R@5']:.3f} | "
            f"{q['COMP@5']:.3f} | {q['nDCG@10']:.3f} |"
        )
    if missing:
        md += ["", f"Not installed, so not measured: {', '.join(missing)}."]
    write_results(
        "query_engines", {"index": str(args.index), "rows": rows, "missing": missing}, "\n".join(md)
    )


if __name__ == "__main__":
    main()
