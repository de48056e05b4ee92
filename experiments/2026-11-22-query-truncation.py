"""Experiment of 2026-11-22, run on commit b430899; result: benchmarks/results/query_truncation.md (and .json).

Re-running: from the repository root, `PYTHONPATH=benchmarks python experiments/2026-11-22-query-truncation.py`; it needs an untrained index built into .cache/seal-index (toolrag index build ... --model minilm).

Would capping the query's token length meet the 10 ms hybrid target? The query encoder's
token cap set to 256 (the model's own), 64, 48 and 32, on dev.jsonl (so no test data decides):
hybrid latency p50 over 200 queries, one at a time, and hybrid / default-mode quality over all
700 dev queries. BM25 always sees the whole query. Use the untrained MiniLM index: the shipped
retriever was trained on dev queries.

    python benchmarks/query_truncation.py --index .cache/seal-index
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from common import SEAL, write_results

from toolrag.evaluation.planner import percentile, spread
from toolrag.evaluation.retrieval import evaluate_retriever
from toolrag.index.store import ToolIndex
from toolrag.instances import read_instances
from toolrag.retriever import HybridRetriever
from toolrag.retriever.factory import default_retriever

CAPS = (256, 64, 48, 32)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--index", type=Path, default=Path(".cache/seal-index"))
    ap.add_argument("--n", type=int, default=200)
    args = ap.parse_args()
    idx = ToolIndex.load(args.index)
    dev = read_instances(SEAL / "dev.jsonl")
    idx.encode_queries(["warm-up"])
    enc = idx._fast_encoder
    queries = [i.query for i in spread(dev, args.n)]
    lengths = sorted(len(enc.tokenizer(q)["input_ids"]) for q in queries)
    rows = {}
    for cap in CAPS:
        enc.max_length = cap
        hybrid = HybridRetriever(idx)
        for q in queries[:5]:
            hybrid.search({"q": q}, 10)
        secs = []
        for q in queries:
            start = time.perf_counter()
            hybrid.search({"q": q}, 10)
            secs.append(time.perf_counter() - start)
        h = evaluate_retriever(hybrid, dev)[0]["overall"]
        d = evaluate_retriever(default_retriever(idx), dev)[0]["overall"]
        rows[cap] = {
            "hybrid_p50_ms": percentile(secs, 0.5) * 1000,
            "hybrid": {k: h[k] for k in ("R@5", "COMP@5")},
            "default": {k: d[k] for k in ("R@5", "COMP@5")},
        }
    md = [
        f"# Query token cap, dev.jsonl, index `{args.index}` (query encoder: {enc.precision})",
        "",
        f"Query length over the {len(queries)} timed queries: median {lengths[len(lengths) // 2]} "
        f"tokens, 90th percentile {lengths[int(len(lengths) * 0.9)]}.",
        "",
        "| token cap | hybrid p50 ms | hybrid R@5 | hybrid COMP@5 | default R@5 | default COMP@5 |",
        "|---|---|---|---|---|---|",
    ]
    for cap, r in rows.items():
        md.append(
            f"| {cap} | {r['hybrid_p50_ms']:.2f} | {r['hybrid']['R@5']:.3f} | "
            f"{r['hybrid']['COMP@5']:.3f} | {r['default']['R@5']:.3f} | "
            f"{r['default']['COMP@5']:.3f} |"
        )
    write_results("query_truncation", {"index": str(args.index), "rows": rows}, "\n".join(md))


if __name__ == "__main__":
    main()
