"""Query decomposition for completeness: COMP@K with and without it.

The merge method (interleave or rrf) is chosen on dev.jsonl; test_in_domain is then reported for
the chosen one. Works on any index, e.g. one built with a trained retriever:

    python benchmarks/completeness.py --index .cache/seal-index
"""

from __future__ import annotations

import argparse
from pathlib import Path

from common import SEAL, write_results

from index.store import ToolIndex
from retriever.base import make_retriever
from retriever.decompose import DecomposingRetriever
from retriever.evaluate import evaluate_retriever
from toolrag.instances import read_instances

COLS = ["R@5", "COMP@5", "R@10", "COMP@10", "nDCG@10"]


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
    rows: dict[str, dict] = {}
    chosen = {}
    for mode in args.modes:
        base = make_retriever(idx, mode)
        dev_scores = {
            m: evaluate_retriever(DecomposingRetriever(base, m), dev)[0]["overall"]
            for m in ("interleave", "rrf")
        }
        dev_scores["none"] = evaluate_retriever(base, dev)[0]["overall"]
        best = max(
            ("interleave", "rrf"), key=lambda m: (dev_scores[m]["COMP@5"], dev_scores[m]["R@5"])
        )
        chosen[mode] = best
        for label, retr in (
            (f"{mode}", base),
            (f"{mode} + decomposition ({best})", DecomposingRetriever(base, best)),
        ):
            scores = evaluate_retriever(retr, test)[0]
            rows[label] = {
                "dev": dev_scores["none"] if retr is base else dev_scores[best],
                "test": scores,
            }
    md = [
        f"# Query decomposition on test_in_domain (index `{args.index}`, model "
        f"`{idx.manifest['embedding']['model']}`)",
        "",
        "Merge method chosen on dev.jsonl by COMP@5. Rows: overall, then the multi-tool (multiple + nested) queries.",
        "",
        "| retriever | " + " | ".join(COLS) + " | multiple COMP@5 | nested COMP@5 | dev COMP@5 |",
        "|---|" + "---|" * (len(COLS) + 3),
    ]
    for label, r in rows.items():
        o = r["test"]["overall"]
        md.append(
            f"| {label} | "
            + " | ".join(f"{o[c]:.3f}" for c in COLS)
            + f" | {r['test']['multiple']['COMP@5']:.3f} | {r['test']['nested']['COMP@5']:.3f} | {r['dev']['COMP@5']:.3f} |"
        )
    write_results(
        args.name,
        {"index": str(args.index), "chosen_merge": chosen, "results": rows},
        "\n".join(md),
    )


if __name__ == "__main__":
    main()
