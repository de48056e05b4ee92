"""Choose BM25 and fusion settings on dev.jsonl (never on test data).

Grid: BM25 variant x k1 x b, then fusion method x dense weight x RRF constant, scored by
COMP@5 then R@5 on dev. The winners become the defaults in index/bm25.py and retriever/hybrid.py.
"""

from __future__ import annotations

import argparse
import itertools
from pathlib import Path

from common import SEAL, write_results

from toolrag.evaluation.retrieval_metrics import evaluate
from toolrag.index.bm25 import Bm25Params, Bm25Store
from toolrag.index.store import ToolIndex
from toolrag.index.text import tool_text
from toolrag.index.toolset import load_toolset
from toolrag.instances import queries_and_qrels, read_instances
from toolrag.retriever import BM25Retriever, DenseRetriever, HybridConfig
from toolrag.retriever.fusion import reciprocal_rank_fusion, weighted_score_fusion


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--index", type=Path, default=Path(".cache/dev-index"), help="built if missing")
    args = ap.parse_args()
    if (args.index / "manifest.json").exists():
        idx = ToolIndex.load(args.index)
    else:
        idx = ToolIndex.build(load_toolset(SEAL / "tool.jsonl"), progress=True)
        idx.save(args.index)
    dev = read_instances(SEAL / "dev.jsonl")
    queries, qrels = queries_and_qrels(dev)
    key = lambda s: (round(s["COMP@5"], 4), round(s["R@5"], 4))  # noqa: E731

    bm25_rows = []
    texts = [tool_text(t, idx.manifest["text_template"]["bm25"]) for t in idx.tools]
    for method, k1, b in itertools.product(
        ["lucene", "robertson"], [0.9, 1.2, 1.5, 2.0], [0.5, 0.75, 1.0]
    ):
        idx.bm25 = Bm25Store.build(texts, Bm25Params(k1=k1, b=b, method=method))
        s = evaluate(qrels, BM25Retriever(idx).search(queries, 10), [5, 10])["overall"]
        bm25_rows.append({"method": method, "k1": k1, "b": b} | s)
    best_bm25 = max(bm25_rows, key=key)
    idx.bm25 = Bm25Store.build(
        texts, Bm25Params(k1=best_bm25["k1"], b=best_bm25["b"], method=best_bm25["method"])
    )

    depth = HybridConfig().depth
    runs = [BM25Retriever(idx).search(queries, depth), DenseRetriever(idx).search(queries, depth)]
    fusion_rows = []
    for w in [0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.7]:
        fused = weighted_score_fusion(runs, weights=[1 - w, w], top=10)
        fusion_rows.append(
            {"method": "weighted", "dense_weight": w, "rrf_k": None}
            | evaluate(qrels, fused, [5, 10])["overall"]
        )
        for rrf_k in [10, 60]:
            fused = reciprocal_rank_fusion(runs, k=rrf_k, weights=[1 - w, w], top=10)
            fusion_rows.append(
                {"method": "rrf", "dense_weight": w, "rrf_k": rrf_k}
                | evaluate(qrels, fused, [5, 10])["overall"]
            )
    best_fusion = max(fusion_rows, key=key)

    cols = ["R@5", "COMP@5", "R@10", "COMP@10", "nDCG@10"]
    md = [
        "# BM25 and fusion settings chosen on dev.jsonl (700 queries)",
        "",
        "## BM25 (top 8 by COMP@5)",
        "",
        "| method | k1 | b | " + " | ".join(cols) + " |",
        "|---|---|---|" + "---|" * len(cols),
    ]
    for r in sorted(bm25_rows, key=key, reverse=True)[:8]:
        md.append(
            f"| {r['method']} | {r['k1']} | {r['b']} | "
            + " | ".join(f"{r[c]:.3f}" for c in cols)
            + " |"
        )
    md += [
        "",
        "## Fusion, on the best BM25 (top 8 by COMP@5)",
        "",
        "| method | dense weight | rrf k | " + " | ".join(cols) + " |",
        "|---|---|---|" + "---|" * len(cols),
    ]
    for r in sorted(fusion_rows, key=key, reverse=True)[:8]:
        md.append(
            f"| {r['method']} | {r['dense_weight']} | {r['rrf_k'] or ''} | "
            + " | ".join(f"{r[c]:.3f}" for c in cols)
            + " |"
        )
    md += [
        "",
        f"Chosen: BM25 {best_bm25['method']} k1={best_bm25['k1']} b={best_bm25['b']}; "
        f"fusion {best_fusion['method']} dense_weight={best_fusion['dense_weight']}"
        + (f" rrf_k={best_fusion['rrf_k']}" if best_fusion["rrf_k"] else ""),
    ]
    write_results(
        "fusion_dev",
        {
            "bm25": bm25_rows,
            "fusion": fusion_rows,
            "best_bm25": best_bm25,
            "best_fusion": best_fusion,
        },
        "\n".join(md),
    )


if __name__ == "__main__":
    main()
