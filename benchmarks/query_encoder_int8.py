"""The int8 query encoder (toolrag's default) against float32: ONNX Runtime's transformer
fusion (attention, layer norms, GELU) and dynamic int8 quantization (per channel), each with and
without the other: latency per query, embedding cosine to float32, and retrieval quality of the
default retriever over the shipped retriever's index -- one run, same queries. Encoders take
turns over blocks of queries (not single queries: ONNX Runtime's worker threads spin after a run,
and a second session started right then competes with them), so machine drift hits all alike.

    python benchmarks/query_encoder_int8.py --index .cache/seal-index-default
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

import numpy as np
from common import SEAL, time_in_blocks, write_results

from toolrag.evaluation.planner import percentile, spread
from toolrag.evaluation.retrieval import evaluate_retriever
from toolrag.index.encoder import encode
from toolrag.index.onnx_encoder import _quantize, encoder_for, export_path, load_onnx_encoder
from toolrag.index.store import ToolIndex
from toolrag.instances import read_instances
from toolrag.retriever.factory import default_retriever


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--index", type=Path, default=Path(".cache/seal-index-default"))
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--block", type=int, default=25, help="queries per encoder turn")
    args = ap.parse_args()
    idx = ToolIndex.load(args.index)
    checksum = idx.manifest["embedding"]["checksum"]
    default = load_onnx_encoder(idx.encoder, checksum)  # exports, fuses and quantizes
    fused = load_onnx_encoder(idx.encoder, checksum, "fp32")
    assert default.precision == "int8" and fused.precision == "fp32"
    plain = export_path(checksum)
    encoders = {
        "float32, unfused": encoder_for(idx.encoder, plain),
        "float32, fused": fused,
        "int8, unfused": encoder_for(idx.encoder, _quantize(plain), "int8"),
        "int8, fused (default)": default,
    }
    test = read_instances(SEAL / "test_in_domain.jsonl")
    queries = [i.query for i in spread(test, args.n)]
    reference = encode(idx.encoder, queries)  # PyTorch float32
    for enc in encoders.values():
        enc.encode(queries[:5])  # warm-up
    secs = time_in_blocks(encoders, queries, args.block)
    rows = {}
    for name, enc in encoders.items():
        cos = (enc.encode(queries) * reference).sum(1)
        idx._fast_encoder = enc  # every retriever over this index now encodes with it
        scores = evaluate_retriever(default_retriever(idx), test)[0]["overall"]
        rows[name] = {
            "p50_ms": percentile(secs[name], 0.5) * 1000,
            "p95_ms": percentile(secs[name], 0.95) * 1000,
            "mean_ms": statistics.mean(secs[name]) * 1000,
            "cosine_min": float(np.min(cos)),
            "cosine_mean": float(np.mean(cos)),
            "default_retriever": {k: scores[k] for k in ("R@5", "COMP@5", "nDCG@10")},
        }
    md = [
        f"# Query encoder: ONNX Runtime fusion and int8 quantization, {len(queries)} test queries",
        "",
        "Latency: one query at a time, encoding only, encoders taking turns by blocks of queries. "
        "Cosine: to "
        "PyTorch float32. Quality: the default retriever (hybrid + decomposition) over the shipped "
        "retriever's index, all 700 test queries.",
        "",
        "| query encoder | p50 ms | p95 ms | cosine to float32 min / mean | R@5 | COMP@5 | nDCG@10 |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, r in rows.items():
        q = r["default_retriever"]
        md.append(
            f"| {name} | {r['p50_ms']:.2f} | {r['p95_ms']:.2f} | {r['cosine_min']:.4f} / "
            f"{r['cosine_mean']:.4f} | {q['R@5']:.3f} | {q['COMP@5']:.3f} | {q['nDCG@10']:.3f} |"
        )
    write_results("query_encoder_int8", {"index": str(args.index), "rows": rows}, "\n".join(md))


if __name__ == "__main__":
    main()
