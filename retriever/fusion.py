"""Fusing runs from several retrievers. Pure functions on BEIR-shaped runs."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from toolrag.errors import ConfigError
from toolrag.types import Run


class FusionMethod(StrEnum):
    RRF = "rrf"
    WEIGHTED = "weighted"


def reciprocal_rank_fusion(
    runs: Sequence[Run],
    *,
    k: int = 60,
    weights: Sequence[float] | None = None,
    top: int | None = None,
) -> Run:
    """Reciprocal-rank fusion (Cormack et al., 2009): ``score = sum_i w_i / (k + rank_i)``.

    Ranks start at 1; a tool absent from a run gets nothing from it.

    Example:
        >>> reciprocal_rank_fusion([{"q": {"a": 9.0, "b": 1.0}}, {"q": {"b": 0.9}}], k=1)
        {'q': {'b': 1.0, 'a': 0.5}}
    """
    weights = _weights(runs, weights)
    fused: Run = {}
    for qid in _qids(runs):
        scores: dict[str, float] = {}
        for run, w in zip(runs, weights, strict=True):
            ranked = sorted(run.get(qid, {}).items(), key=lambda kv: -kv[1])
            for rank, (doc, _) in enumerate(ranked, start=1):
                scores[doc] = scores.get(doc, 0.0) + w / (k + rank)
        fused[qid] = _top(scores, top)
    return fused


def weighted_score_fusion(
    runs: Sequence[Run], *, weights: Sequence[float] | None = None, top: int | None = None
) -> Run:
    """Convex combination of min-max-normalised scores, per query.

    Each run's scores for a query are mapped onto [0, 1] (all equal -> 1); a tool missing from a
    run counts 0 there. Use it when the score scales carry signal that ranks drop.

    Example:
        >>> weighted_score_fusion([{"q": {"a": 10.0, "b": 0.0}}, {"q": {"a": 0.2, "b": 0.6}}],
        ...                       weights=[0.5, 0.5])
        {'q': {'a': 0.5, 'b': 0.5}}
    """
    weights = _weights(runs, weights)
    fused: Run = {}
    for qid in _qids(runs):
        scores: dict[str, float] = {}
        for run, w in zip(runs, weights, strict=True):
            hits = run.get(qid, {})
            if not hits:
                continue
            lo, hi = min(hits.values()), max(hits.values())
            for doc, s in hits.items():
                norm = (s - lo) / (hi - lo) if hi > lo else 1.0
                scores[doc] = scores.get(doc, 0.0) + w * norm
        fused[qid] = _top(scores, top)
    return fused


def _weights(runs: Sequence[Run], weights: Sequence[float] | None) -> list[float]:
    if weights is None:
        return [1.0] * len(runs)
    if len(weights) != len(runs):
        raise ConfigError(f"got {len(weights)} weights for {len(runs)} runs; pass one per run")
    return list(weights)


def _qids(runs: Sequence[Run]) -> list[str]:
    return list(dict.fromkeys(q for run in runs for q in run))


def _top(scores: dict[str, float], top: int | None) -> dict[str, float]:
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    return dict(ranked[:top] if top else ranked)
