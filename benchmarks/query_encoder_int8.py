"""Would an int8 query encoder meet the 10 ms hybrid target? ONNX Runtime's dynamic int8
quantization of the exported query encoder (per tensor and per channel) against the float32
ONNX model toolrag uses: latency per query, embedding cosine to float32, and retrieval quality
with the shipped retriever's index -- one run, same queries.

    python benchmarks/query_encoder_int8.py --index .cache/seal-index-default
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np
from common import SEAL, write_results

from agent.evaluate import percentile, spread
from index.onnx_encoder import OnnxQueryEncoder, cache_dir, load_onnx_encoder
from index.store import ToolIndex
from retriever.base import default_retriever
from retriever.evaluate import evaluate_retriever
from toolrag.instances import read_instances


def quantized(fp32: Path, per_channel: bool) -> Path:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out = fp32.with_name(fp32.stem + (".int8pc" if per_channel else ".int8") + ".onnx")
    if not out.exists():
        quantize_dynamic(fp32, out, weight_type=QuantType.QInt8, per_channel=per_channel)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--index", type=Path, default=Path(".cache/seal-index-default"))
    ap.add_argument("--n", type=int, default=200)
    args = ap.parse_args()
    idx = ToolIndex.load(args.index)
    checksum = idx.manifest["embedding"]["checksum"]
    assert load_onnx_encoder(idx.encoder, checksum) is not None  # exports the float32 model
    fp32 = cache_dir() / "onnx" / f"{checksum[:24]}-mean.onnx"
    encoders = {
        "float32 (default)": OnnxQueryEncoder(idx.encoder, fp32),
        "int8 per tensor": OnnxQueryEncoder(idx.encoder, quantized(fp32, False)),
        "int8 per channel": OnnxQueryEncoder(idx.encoder, quantized(fp32, True)),
    }
    test = read_instances(SEAL / "test_in_domain.jsonl")
    queries = [i.query for i in spread(test, args.n)]
    reference = encoders["float32 (default)"].encode(queries)
    rows = {}
    for name, enc in encoders.items():
        enc.encode(queries[:5])  # warm-up
        secs = []
        for q in queries:
            start = time.perf_counter()
            enc.encode([q])
            secs.append(time.perf_counter() - start)
        cos = (enc.encode(queries) * reference).sum(1)
        idx._fast_encoder = enc  # every retriever over this index now encodes with it
        scores = evaluate_retriever(default_retriever(idx), test)[0]["overall"]
        rows[name] = {
            "p50_ms": percentile(secs, 0.5) * 1000,
            "p95_ms": percentile(secs, 0.95) * 1000,
            "mean_ms": statistics.mean(secs) * 1000,
            "cosine_min": float(np.min(cos)),
            "cosine_mean": float(np.mean(cos)),
            "default_retriever": {k: scores[k] for k in ("R@5", "COMP@5", "nDCG@10")},
        }
    md = [
        f"# int8 query encoder (ONNX Runtime dynamic quantization), {len(queries)} test queries",
        "",
        "Latency: one query at a time, encoding only. Quality: the default retriever (hybrid + "
        "decomposition) over the shipped retriever's index, all 700 test queries.",
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
