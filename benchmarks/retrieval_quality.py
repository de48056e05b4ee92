"""Retrieval quality of the untrained defaults on Seal-Tools test_in_domain.

Rows: plain rank-bm25 (reference: split name + description + parameter descriptions, whitespace
tokens), toolrag BM25, dense (packaged MiniLM, untrained) and hybrid (the default mode). Settings
were fixed on dev.jsonl beforehand (benchmarks/tune_fusion.py); nothing here is tuned.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from common import SEAL, seal_index, write_results
from rank_bm25 import BM25Okapi

from toolrag.evaluation.retrieval import GROUP_ORDER, evaluate_retriever, markdown_table
from toolrag.evaluation.retrieval_metrics import DEFAULT_KS, evaluate
from toolrag.index.text import split_identifier
from toolrag.index.toolset import load_toolset
from toolrag.instances import queries_and_qrels, read_instances
from toolrag.retriever.base import Mode
from toolrag.retriever.factory import make_retriever

COLUMNS = ["R@1", "R@5", "R@10", "COMP@5", "COMP@10", "nDCG@10", "MRR"]


def plain_rank_bm25(tools, instances):
    def toks(text: str) -> list[str]:
        return re.findall(r"\w+", text.lower())

    texts = [
        " ".join([split_identifier(t.name), t.description, *(p.description for p in t.parameters)])
        for t in tools
    ]
    bm25 = BM25Okapi([toks(t) for t in texts])
    queries, qrels = queries_and_qrels(instances)
    run = {}
    for qid, q in queries.items():
        scores = bm25.get_scores(toks(q))
        top = scores.argsort()[::-1][:20]
        run[qid] = {tools[i].name: float(scores[i]) for i in top}
    groups = {i.id: i.category.value for i in instances}
    res = evaluate(qrels, run, DEFAULT_KS, groups)
    return {g: res[g] for g in GROUP_ORDER if g in res}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument(
        "--index",
        type=Path,
        default=Path(".cache/seal-index-minilm"),
        help="built with the untrained MiniLM if missing or built with another model",
    )
    ap.add_argument("--instances", type=Path, default=SEAL / "test_in_domain.jsonl")
    ap.add_argument("--name", default="retrieval_test_in_domain")
    args = ap.parse_args()
    tools = load_toolset(SEAL / "tool.jsonl")
    idx = seal_index(args.index, model="minilm")
    instances = read_instances(args.instances)
    results = {"rank-bm25 (plain reference)": plain_rank_bm25(idx.tools, instances)}
    for mode in Mode:
        results[f"toolrag {mode.value}"] = evaluate_retriever(make_retriever(idx, mode), instances)[
            0
        ]
    md = [
        f"# Retrieval on {args.instances.name} ({len(instances)} queries, {len(tools)} tools), "
        "untrained models",
        "",
        f"Index: BM25 `{idx.manifest['bm25']}` over template `{idx.manifest['text_template']['bm25']}`; "
        f"dense `{idx.manifest['embedding']['model']}` over `{idx.manifest['text_template']['dense']}`, "
        f"FAISS {idx.manifest['faiss']['ann']}.",
    ]
    for group in GROUP_ORDER:
        md += ["", f"## {group}", "", markdown_table(results, COLUMNS, group)]
    write_results(args.name, {"manifest": idx.manifest, "results": results}, "\n".join(md))


if __name__ == "__main__":
    main()
