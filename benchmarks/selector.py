"""The tool selector on Seal-Tools test_in_domain: re-ranking, selection quality and latency.

1. Re-ranking: the default retriever (hybrid + decomposition, shipped model) against the same
   retriever's top ``--depth`` re-ordered by the selector, R/COMP/nDCG on all queries.
2. Selection: on each query's oracle-5 candidates (gold + BM25 distractors, as the planner table)
   and on its retrieved top 5, the selected set against the gold tools: micro P/R/F1, exact-set
   rate, and how many tools are selected for single-tool queries.
3. Latency: the selector's time per query on 5 candidates and on ``--depth`` candidates, p50 and
   p95 over the timed queries, on this CPU.

    python benchmarks/selector.py --selector .cache/selector/lr1
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from common import SEAL, seal_index, write_results

from toolrag.evaluation.planner import oracle_candidates, percentile
from toolrag.evaluation.retrieval import GROUP_ORDER, evaluate_retriever, markdown_table
from toolrag.index.toolset import load_toolset
from toolrag.instances import read_instances
from toolrag.retriever.factory import default_retriever
from toolrag.retriever.selector import RerankingRetriever, ToolSelector

COLUMNS = ["R@3", "R@5", "COMP@3", "COMP@5", "nDCG@5", "MRR"]


def selection_scores(selector, instances, lists) -> dict[str, dict[str, float]]:
    """Micro P/R/F1 of the selected sets, exact-set rate, mean set size; overall and by slice."""
    out: dict[str, dict[str, float]] = {}
    for group in ["overall", "single", "multiple", "nested"]:
        tp = fp = fn = exact = n = size = 0
        for inst, cands in zip(instances, lists, strict=True):
            if group != "overall" and inst.category.value != group:
                continue
            chosen = {t.name for t in selector.select(inst.query, cands).tools}
            gold = set(inst.gold_tools)
            tp, fp, fn = tp + len(chosen & gold), fp + len(chosen - gold), fn + len(gold - chosen)
            exact += chosen == gold
            size += len(chosen)
            n += 1
        if not n:
            continue
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        out[group] = {
            "n": n,
            "P": 100 * p,
            "R": 100 * r,
            "F1": 100 * (2 * p * r / (p + r) if p + r else 0.0),
            "exact set %": 100 * exact / n,
            "mean selected": size / n,
        }
    return out


def timed(selector, instances, lists) -> list[float]:
    seconds = []
    for inst, cands in zip(instances, lists, strict=True):
        start = time.perf_counter()
        selector.probabilities(inst.query, cands)
        seconds.append(time.perf_counter() - start)
    return seconds


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--selector", default="default", help="selector folder or 'default'")
    ap.add_argument("--index", type=Path, default=Path(".cache/seal-index-default"))
    ap.add_argument("--instances", type=Path, default=SEAL / "test_in_domain.jsonl")
    ap.add_argument("--depth", type=int, default=20, help="retrieved tools the re-ranker reads")
    ap.add_argument("--timed", type=int, default=200, help="queries timed per setting")
    ap.add_argument("--name", default="selector")
    args = ap.parse_args()

    tools = load_toolset(SEAL / "tool.jsonl")
    idx = seal_index(args.index)
    instances = read_instances(args.instances)
    selector = ToolSelector.load(args.selector, index=idx)
    base = default_retriever(idx)
    reranked = RerankingRetriever(base, selector, depth=args.depth)

    retrieval = {
        "default retriever": evaluate_retriever(base, instances)[0],
        f"default top-{args.depth} re-ranked by the selector": evaluate_retriever(
            reranked, instances
        )[0],
    }
    oracle = oracle_candidates(tools, 5)
    oracle_lists = [oracle(i) for i in instances]
    retrieved_lists = [[h.tool for h in base.retrieve(i.query, k=5)] for i in instances]
    deep_lists = [[h.tool for h in base.retrieve(i.query, k=args.depth)] for i in instances]
    selection = {
        "oracle-5 candidates": selection_scores(selector, instances, oracle_lists),
        "retrieved top-5": selection_scores(selector, instances, retrieved_lists),
    }
    sample = slice(None, None, max(1, len(instances) // args.timed))
    latency = {}
    for n, lists in (("5", oracle_lists), (str(args.depth), deep_lists)):
        seconds = timed(selector, instances[sample], lists[sample])
        latency[f"{n} candidates"] = {
            "p50_ms": 1000 * percentile(seconds, 0.5),
            "p95_ms": 1000 * percentile(seconds, 0.95),
            "n": len(seconds),
        }

    md = [
        f"# Tool selector on {args.instances.name} ({len(instances)} queries, {len(tools)} tools)",
        "",
        f"Selector `{args.selector}` ({selector.label}), threshold {selector.threshold:.2f} "
        "(tuned on validation queries carved from dev.jsonl; nothing here is tuned).",
        "",
        "## Re-ranking",
    ]
    for group in GROUP_ORDER:
        md += ["", f"### {group}", "", markdown_table(retrieval, COLUMNS, group)]
    md += [
        "",
        "## Selection (selected set vs gold tools, micro-averaged)",
        "",
        "| candidates | slice | n | P | R | F1 | exact set % | mean selected |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, groups in selection.items():
        for group, s in groups.items():
            md.append(
                f"| {name} | {group} | {s['n']} | {s['P']:.1f} | {s['R']:.1f} | {s['F1']:.1f} | "
                f"{s['exact set %']:.1f} | {s['mean selected']:.2f} |"
            )
    md += [
        "",
        "## Latency (selector only, one query at a time)",
        "",
        "Features include encoding the query and its sub-requests (int8 ONNX query encoder); "
        "in the agent the retriever has just encoded the same texts.",
        "",
    ]
    md += ["| candidates | queries | p50 ms | p95 ms |", "|---|---|---|---|"]
    for name, s in latency.items():
        md.append(f"| {name} | {s['n']} | {s['p50_ms']:.1f} | {s['p95_ms']:.1f} |")
    write_results(
        args.name,
        {
            "selector": args.selector,
            "label": selector.label,
            "threshold": selector.threshold,
            "retrieval": retrieval,
            "selection": selection,
            "latency": latency,
        },
        "\n".join(md),
    )


if __name__ == "__main__":
    main()
