"""Retrieval metrics for queries with several relevant tools.

- Recall@K: share of a query's gold tools in its top K.
- COMP@K: 1 if *all* gold tools are in the top K (the completeness measure of COLT), else 0.
- nDCG@K: binary-relevance nDCG, ideal ranking puts all gold tools first.
- MRR: reciprocal rank of the first gold tool in the run (0 if none).

All are averaged over queries (macro), overall and per group (single / multiple / nested).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from toolrag.types import Qrels, Run

DEFAULT_KS = (1, 3, 5, 10, 20)


def _ranked(hits: Mapping[str, float]) -> list[str]:
    return [d for d, _ in sorted(hits.items(), key=lambda kv: -kv[1])]


def recall_at_k(gold: set[str], ranked: list[str], k: int) -> float:
    return len(gold.intersection(ranked[:k])) / len(gold) if gold else 0.0


def comp_at_k(gold: set[str], ranked: list[str], k: int) -> float:
    return float(bool(gold) and gold.issubset(ranked[:k]))


def ndcg_at_k(gold: set[str], ranked: list[str], k: int) -> float:
    dcg = sum(1.0 / math.log2(i + 2) for i, d in enumerate(ranked[:k]) if d in gold)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(len(gold), k)))
    return dcg / ideal if ideal else 0.0


def mrr(gold: set[str], ranked: list[str]) -> float:
    return next((1.0 / (i + 1) for i, d in enumerate(ranked) if d in gold), 0.0)


def per_query(
    qrels: Qrels, run: Run, ks: Iterable[int] = DEFAULT_KS
) -> dict[str, dict[str, float]]:
    """Every metric for every query in ``qrels`` (a query missing from ``run`` scores 0)."""
    out = {}
    for qid, rel in qrels.items():
        gold = {d for d, r in rel.items() if r > 0}
        ranked = _ranked(run.get(qid, {}))
        row = {"MRR": mrr(gold, ranked)}
        for k in ks:
            row[f"R@{k}"] = recall_at_k(gold, ranked, k)
            row[f"COMP@{k}"] = comp_at_k(gold, ranked, k)
            row[f"nDCG@{k}"] = ndcg_at_k(gold, ranked, k)
        out[qid] = row
    return out


def evaluate(
    qrels: Qrels,
    run: Run,
    ks: Iterable[int] = DEFAULT_KS,
    groups: Mapping[str, str] | None = None,
) -> dict[str, dict[str, float]]:
    """Mean metrics overall and per group.

    Args:
        qrels: gold tools per query.
        run: retrieved tools per query.
        ks: cut-offs.
        groups: optional ``{qid: group}``, e.g. the instance category.

    Returns:
        ``{"overall": {"n": ..., "R@5": ..., ...}, "<group>": {...}}``.

    Example:
        >>> evaluate({"q": {"a": 1, "b": 1}}, {"q": {"a": 2.0, "x": 1.0, "b": 0.5}}, ks=[2])
        {'overall': {'n': 1, 'MRR': 1.0, 'R@2': 0.5, 'COMP@2': 0.0, 'nDCG@2': 0.6131471927654584}}
    """
    rows = per_query(qrels, run, ks)
    buckets: dict[str, list[str]] = {"overall": list(rows)}
    for qid, group in (groups or {}).items():
        if qid in rows:
            buckets.setdefault(group, []).append(qid)
    keys = list(next(iter(rows.values()))) if rows else []
    result = {}
    for name, qids in buckets.items():
        result[name] = {"n": len(qids)} | {
            key: sum(rows[q][key] for q in qids) / len(qids) if qids else 0.0 for key in keys
        }
    return result
