"""Run a retriever over labelled instances and score it (overall and by instance category)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from toolrag.evaluation.report import table
from toolrag.evaluation.retrieval_metrics import DEFAULT_KS, evaluate
from toolrag.instances import queries_and_qrels
from toolrag.retriever.base import Retriever
from toolrag.types import Instance, InstanceCategory, Run

GROUP_ORDER = ["overall", *(c.value for c in InstanceCategory)]


def evaluate_retriever(
    retriever: Retriever, instances: Sequence[Instance], ks: Iterable[int] = DEFAULT_KS
) -> tuple[dict[str, dict[str, float]], Run]:
    """Scores and the run itself (kept so callers can save per-query results)."""
    ks = list(ks)
    queries, qrels = queries_and_qrels(list(instances))
    run = retriever.search(queries, k=min(max(ks), len(retriever.index)))
    groups = {i.id: i.category.value for i in instances}
    scores = evaluate(qrels, run, ks, groups)
    return {g: scores[g] for g in GROUP_ORDER if g in scores}, run


def markdown_table(
    results: dict[str, dict[str, dict[str, float]]], columns: Sequence[str], group: str = "overall"
) -> str:
    """``results`` maps a row label (e.g. a mode) to :func:`evaluate_retriever` scores."""
    rows = [
        [label, scores[group]["n"], *(f"{scores[group][c]:.3f}" for c in columns)]
        for label, scores in results.items()
        if group in scores
    ]
    return table([" " * 10, "n", *columns], rows)
