"""Reference numbers on the held-out foreign retrieval catalogs.

    python benchmarks/data/foreign_retrieval/baseline.py            # BM25 and ToolRAG's default
    python benchmarks/data/foreign_retrieval/baseline.py --bm25-only

For every catalog: recall@5 and @10 (share of a request's tools in the top k, averaged) and
COMP@10 (share of requests with all their tools in the top 10). BM25 is plain rank-bm25 over the
split name, description and parameter descriptions; "toolrag" is ToolRAG.from_tools(tools) with
its defaults, i.e. whatever retriever this checkout ships. Nothing here is tuned on the sets.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent


def load(folder: Path):
    tools = json.loads((folder / "tools.json").read_text(encoding="utf-8"))
    queries = [
        json.loads(x)
        for x in (folder / "queries.jsonl").read_text(encoding="utf-8").splitlines()
        if x
    ]
    return tools, queries


def score(queries, ranked) -> dict[str, float]:
    r5 = r10 = c10 = 0.0
    for q, top in zip(queries, ranked, strict=True):
        gold = set(q["tools"])
        r5 += len(gold & set(top[:5])) / len(gold)
        r10 += len(gold & set(top[:10])) / len(gold)
        c10 += gold <= set(top[:10])
    n = len(queries)
    return {"R@5": round(r5 / n, 3), "R@10": round(r10 / n, 3), "COMP@10": round(c10 / n, 3)}


def bm25_ranked(tools, queries):
    from rank_bm25 import BM25Okapi

    from toolrag.index.text import split_identifier

    def toks(text: str) -> list[str]:
        return re.findall(r"\w+", text.lower())

    texts = [
        " ".join(
            [
                split_identifier(t["name"]),
                t["description"],
                *(str(p.get("description", "")) for p in t["parameters"]["properties"].values()),
            ]
        )
        for t in tools
    ]
    bm = BM25Okapi([toks(x) for x in texts])
    names = [t["name"] for t in tools]
    return [
        [names[i] for i in bm.get_scores(toks(q["query"])).argsort()[::-1][:10]] for q in queries
    ]


def toolrag_ranked(tools, queries):
    from toolrag.api import ToolRAG

    rag = ToolRAG.from_tools(tools)
    return [[s.tool.name for s in rag.retrieve(q["query"], k=10)] for q in queries]


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--bm25-only", action="store_true")
    args = ap.parse_args()
    for folder in sorted(p for p in HERE.iterdir() if (p / "tools.json").exists()):
        tools, queries = load(folder)
        rows = {"bm25": score(queries, bm25_ranked(tools, queries))}
        if not args.bm25_only:
            rows["toolrag default"] = score(queries, toolrag_ranked(tools, queries))
        for name, res in rows.items():
            print(f"{folder.name:12s} {name:16s} {res}")


if __name__ == "__main__":
    main()
