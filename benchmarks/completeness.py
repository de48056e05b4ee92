"""Query decomposition for completeness: COMP@K with and without it, per merge rule.

The merge rule (coverage, interleave or rrf) and the coverage temperature are chosen on
dev.jsonl, never on test data; test_in_domain is then reported for every rule, the chosen one
marked. With a retriever trained on dev.jsonl its dev scores are optimistic, so the temperature
is chosen with BM25 (no training) on all 700 dev queries. Works on any index, e.g. one built
with a trained retriever:

    python benchmarks/completeness.py --index .cache/seal-index-default --name completeness_trained
"""

from __future__ import annotations

import argparse
from pathlib import Path

from common import SEAL, write_results

from toolrag.evaluation.retrieval import evaluate_retriever
from toolrag.index.store import ToolIndex
from toolrag.instances import read_instances
from toolrag.retriever.decompose import MERGES, DecomposingRetriever
from toolrag.retriever.factory import make_retriever

COLS = ["R@5", "COMP@5", "COMP@3", "R@10", "COMP@10", "nDCG@10"]
TEMPERATURES = [0.05, 0.1, 0.2, 0.3, 0.5, 1.0]


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--index", type=Path, default=Path(".cache/seal-index"))
    ap.add_argument("--name", default="completeness")
    ap.add_argument("--modes", nargs="+", default=["bm25", "hybrid"])
    args = ap.parse_args()
    idx = ToolIndex.load(args.index)
    dev = read_instances(SEAL / "dev.jsonl")
    test = read_instances(SEAL / "test_in_domain.jsonl")

    bm25 = make_retriever(idx, "bm25")
    sweep = {
        t: evaluate_retriever(DecomposingRetriever(bm25, temperature=t), dev)[0]["overall"]
        for t in TEMPERATURES
    }
    temperature = max(TEMPERATURES, key=lambda t: (sweep[t]["COMP@5"], sweep[t]["R@5"]))

    rows: dict[str, dict] = {}
    chosen = {}
    for mode in args.modes:
        base = make_retriever(idx, mode)
        variants = {m: DecomposingRetriever(base, m, temperature=temperature) for m in MERGES}
        dev_scores = {m: evaluate_retriever(r, dev)[0]["overall"] for m, r in variants.items()}
        dev_scores["none"] = evaluate_retriever(base, dev)[0]["overall"]
        best = max(MERGES, key=lambda m: (dev_scores[m]["COMP@5"], dev_scores[m]["R@5"]))
        chosen[mode] = best
        rows[mode] = {
            "merge": None,
            "dev": dev_scores["none"],
            "test": evaluate_retriever(base, test)[0],
        }
        for m, retr in variants.items():
            label = f"{mode} + decomposition ({m}{', chosen' if m == best else ''})"
            rows[label] = {
                "merge": m,
                "dev": dev_scores[m],
                "test": evaluate_retriever(retr, test)[0],
            }
    md = [
        f"# Query decomposition on test_in_domain (index `{args.index}`, model "
        f"`{idx.manifest['embedding']['model']}`)",
        "",
        f"Merge rule chosen on dev.jsonl by COMP@5; coverage temperature {temperature}, chosen "
        "with BM25 on all 700 dev queries (table below). Columns after nDCG@10: multi-tool "
        "slices of test, then dev.",
        "",
        "| retriever | " + " | ".join(COLS) + " | multiple COMP@5 | nested COMP@5 | dev COMP@5 |",
        "|---|" + "---|" * (len(COLS) + 3),
    ]
    for label, r in rows.items():
        o = r["test"]["overall"]
        md.append(
            f"| {label} | "
            + " | ".join(f"{o[c]:.3f}" for c in COLS)
            + f" | {r['test']['multiple']['COMP@5']:.3f} | {r['test']['nested']['COMP@5']:.3f} "
            f"| {r['dev']['COMP@5']:.3f} |"
        )
    md += [
        "",
        "Coverage temperature on dev.jsonl (BM25 + decomposition, 700 queries):",
        "",
        "| temperature | R@5 | COMP@5 | COMP@3 |",
        "|---|---|---|---|",
    ]
    md += [
        f"| {t} | {s['R@5']:.3f} | {s['COMP@5']:.3f} | {s['COMP@3']:.3f} |"
        for t, s in sweep.items()
    ]
    write_results(
        args.name,
        {
            "index": str(args.index),
            "chosen_merge": chosen,
            "temperature": temperature,
            "temperature_sweep_dev_bm25": sweep,
            "results": rows,
        },
        "\n".join(md),
    )


if __name__ == "__main__":
    main()
