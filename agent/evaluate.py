"""Evaluate a planner on labelled instances, resumably, with paper-style metrics.

Candidates per instance:

- ``oracle5``: the paper's setting -- the gold tools plus BM25 distractors, five in all, shuffled
  with a seed derived from the instance id (the same list on every run);
- ``retrieved:K``: the retriever's top K over an index (end to end).

Predictions are appended to a JSONL file one instance at a time, so an interrupted run resumes
where it stopped; the scores are always computed from that file.
"""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agent.candidates import CandidateBuilder
from agent.metrics import PlannerScores, score_instance
from agent.planner import Planner
from toolrag.types import Instance, Tool, ToolCall

logger = logging.getLogger(__name__)

CandidateFn = Callable[[Instance], list[Tool]]


@dataclass(frozen=True)
class CandidateSpec:
    """``oracle5`` (or ``oracleN``) or ``retrieved:K``."""

    kind: str
    k: int

    @classmethod
    def parse(cls, text: str) -> CandidateSpec:
        if text.startswith("oracle") and text[6:].isdigit():
            return cls("oracle", int(text[6:]))
        if text.startswith("retrieved:") and text[10:].isdigit():
            return cls("retrieved", int(text[10:]))
        raise ValueError(f"unknown candidates {text!r}; use oracle5 (or oracleN) or retrieved:K")

    def __str__(self) -> str:
        return f"oracle{self.k}" if self.kind == "oracle" else f"retrieved:{self.k}"


def oracle_candidates(tools: Sequence[Tool], n: int = 5, seed: int = 0) -> CandidateFn:
    builder = CandidateBuilder(tools)

    def fn(inst: Instance) -> list[Tool]:
        return builder.oracle(
            inst.query, inst.gold_tools, n=n, rng=random.Random(f"{seed}:{inst.id}")
        )

    return fn


def retrieved_candidates(retriever: Any, k: int) -> CandidateFn:
    def fn(inst: Instance) -> list[Tool]:
        return [hit.tool for hit in retriever.retrieve(inst.query, k=k)]

    return fn


def spread(instances: Sequence[Instance], limit: int | None) -> list[Instance]:
    """``limit`` instances evenly spaced over the file (the files are ordered easy -> hard, so
    the first N would be all single-tool queries)."""
    if not limit or limit >= len(instances):
        return list(instances)
    step = len(instances) / limit
    return [instances[int(i * step)] for i in range(limit)]


def evaluate_planner(
    planner: Planner,
    instances: Sequence[Instance],
    candidates: CandidateFn,
    predictions: Path,
    *,
    progress: bool = True,
) -> dict[str, Any]:
    """Plan every instance not yet in ``predictions`` (JSONL), then score the whole file."""
    from tqdm.auto import tqdm

    done: dict[str, dict[str, Any]] = {}
    if predictions.exists():
        for line in predictions.read_text().splitlines():
            if line.strip():
                row = json.loads(line)
                done[row["id"]] = row
    todo = [i for i in instances if i.id not in done]
    if done:
        logger.info("resuming: %d done, %d to go", len(done), len(todo))
    predictions.parent.mkdir(parents=True, exist_ok=True)
    with predictions.open("a") as out:
        for inst in tqdm(todo, desc="planning", disable=not progress):
            cands = candidates(inst)
            result = planner.plan(inst.query, cands)
            row = {
                "id": inst.id,
                "category": inst.category.value,
                "candidates": [t.name for t in cands],
                "gold_in_candidates": all(g in {t.name for t in cands} for g in inst.gold_tools),
            } | result.to_json()
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            out.flush()
            done[inst.id] = row
    return score_predictions(instances, done)


def score_predictions(
    instances: Sequence[Instance], rows: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """Paper metrics and timing from saved prediction rows."""
    scores = PlannerScores()
    seconds = []
    for inst in instances:
        row = rows[inst.id]
        pred = [ToolCall(**c) for c in row["calls"]] if row["format_ok"] else None
        scores.add(inst.category, score_instance(inst.calls, pred))
        seconds.append(row["seconds"])
    return {
        "scores": scores.summary(),
        "latency_s": {
            "p50": percentile(seconds, 0.5),
            "p95": percentile(seconds, 0.95),
            "mean": sum(seconds) / max(1, len(seconds)),
        },
    }


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank ``q`` quantile (``0.0`` for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def markdown_table(results: dict[str, dict[str, Any]]) -> str:
    """One row per (setting, category) with the paper's columns."""
    head = (
        "| setting | slice | n | Format ACC | Tool P | Tool R | Tool F1 | Param P | Param R | "
        "Param F1 | nested refs | p50 s |\n|---|---|---|---|---|---|---|---|---|---|---|---|"
    )
    lines = [head]
    for name, res in results.items():
        for cat, s in res["scores"].items():
            ref = f"{s['nested_ref_acc']:.1f}" if "nested_ref_acc" in s else "-"
            lines.append(
                f"| {name} | {cat} | {s['n']} | {s['format_acc']:.1f} | {s['tool_p']:.1f} | "
                f"{s['tool_r']:.1f} | {s['tool_f1']:.1f} | {s['param_p']:.1f} | {s['param_r']:.1f} | "
                f"{s['param_f1']:.1f} | {ref} | {res['latency_s']['p50']:.2f} |"
            )
    return "\n".join(lines)
