"""The Milvus backend beside the folder backend on Seal-Tools, in one run.

The Seal-Tools index (4,076 tools, shipped retriever) is published into Milvus Lite (a file under
.cache/), then every retrieval mode runs over both backends on the same test queries: quality
(R@5, COMP@5, nDCG@10) and per-query latency (p50 / p95, query encoding included). Publishing
time is reported too.

    python benchmarks/milvus_backend.py --limit 140
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from common import ROOT, SEAL, seal_index, write_results

from toolrag.evaluation.retrieval import evaluate_retriever
from toolrag.index.milvus import open_index, publish
from toolrag.instances import read_instances, spread
from toolrag.retriever import BM25Retriever, DenseRetriever, HybridRetriever, default_retriever

MODES = {
    "bm25": BM25Retriever,
    "dense": DenseRetriever,
    "hybrid": HybridRetriever,
    "hybrid + decomposition (default)": default_retriever,
}
METRICS = ("R@5", "COMP@5", "nDCG@10")


def latency(retriever, queries: list[str]) -> dict[str, float]:
    times = []
    for q in queries:
        start = time.perf_counter()
        retriever.search({"q": q}, 10)
        times.append((time.perf_counter() - start) * 1000)
    return {"p50_ms": float(np.percentile(times, 50)), "p95_ms": float(np.percentile(times, 95))}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=140, help="test instances, spread over the file")
    ap.add_argument("--latency-queries", type=int, default=50)
    args = ap.parse_args()
    folder = seal_index()
    uri = str(ROOT / ".cache" / "milvus" / "seal.db")
    (ROOT / ".cache" / "milvus").mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    publish(folder, uri, "seal")
    publish_s = time.perf_counter() - start
    milvus = open_index(uri, "seal")
    data = spread(read_instances(SEAL / "test_in_domain.jsonl"), args.limit)
    queries = [i.query for i in data][: args.latency_queries]
    rows = {}
    for mode, make in MODES.items():
        for backend, index in (("folder (bm25s + FAISS)", folder), ("Milvus Lite", milvus)):
            retriever = make(index)
            scores, _ = evaluate_retriever(retriever, data)
            rows[f"{mode} | {backend}"] = {
                "quality": {m: scores["overall"][m] for m in METRICS},
                "latency": latency(retriever, queries),
            }
            print(mode, backend, rows[f"{mode} | {backend}"], flush=True)
    lines = [
        f"# Milvus backend beside the folder backend ({len(data)} test_in_domain instances, "
        f"{len(folder.tools)} tools)",
        "",
        "| mode | backend | " + " | ".join(METRICS) + " | p50 ms | p95 ms |",
        "|---|---|" + "---|" * (len(METRICS) + 2),
    ]
    for label, row in rows.items():
        mode, backend = label.split(" | ")
        q, lat = row["quality"], row["latency"]
        lines.append(
            f"| {mode} | {backend} | "
            + " | ".join(f"{q[m]:.3f}" for m in METRICS)
            + f" | {lat['p50_ms']:.1f} | {lat['p95_ms']:.1f} |"
        )
    lines += [
        "",
        f"Publishing the index into Milvus Lite took {publish_s:.1f} s. Latency: "
        f"{len(queries)} queries one at a time, top 10, query encoding included.",
    ]
    write_results(
        "milvus_backend",
        {"n": len(data), "publish_s": publish_s, "rows": rows},
        "\n".join(lines),
    )


if __name__ == "__main__":
    main()
