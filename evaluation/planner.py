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
from typing import TYPE_CHECKING, Any

from toolrag.agent.agent import plan_with
from toolrag.agent.planner import Planner
from toolrag.errors import ConfigError
from toolrag.evaluation.candidates import CandidateBuilder
from toolrag.evaluation.plan_metrics import PlannerScores, score_instance
from toolrag.evaluation.report import table
from toolrag.instances import spread  # noqa: F401 - re-exported for notebook and benchmark callers
from toolrag.types import Instance, Tool, ToolCall

if TYPE_CHECKING:
    from toolrag.retriever.selector import ToolSelector

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
        raise ConfigError(f"unknown candidates {text!r}; use oracle5 (or oracleN) or retrieved:K")

    def __str__(self) -> str:
        return f"oracle{self.k}" if self.kind == "oracle" else f"retrieved:{self.k}"


def check_gold_tools(instances: Sequence[Instance], known: set[str], where: str) -> None:
    """Refuse, before any planning, instances whose gold tools are not in the toolset.

    Raises:
        ValueError: naming the first instances and their missing tools, and what to pass.
    """
    missing = [
        (inst.id, sorted(set(inst.gold_tools) - known))
        for inst in instances
        if not set(inst.gold_tools) <= known
    ]
    if missing:
        shown = "; ".join(f"{iid} needs {', '.join(names)}" for iid, names in missing[:3])
        raise ConfigError(
            f"{len(missing)} instance(s) call tools missing from {where}: {shown}"
            f"{' ...' if len(missing) > 3 else ''}. Pass the toolset the instances were written "
            "for, or leave those instances out"
        )


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


def evaluate_planner(
    planner: Planner,
    instances: Sequence[Instance],
    candidates: CandidateFn,
    predictions: Path,
    *,
    selector: ToolSelector | None = None,
    progress: bool = True,
) -> dict[str, Any]:
    """Plan every instance not yet in ``predictions`` (JSONL), then score the whole file.

    With a ``selector``, the planner must use exactly the candidates it selects (each at
    least once, no others); the selection and its time are saved with each prediction.
    """
    from tqdm.auto import tqdm

    done = read_predictions(predictions) if predictions.exists() else {}
    todo = [i for i in instances if i.id not in done]
    if done:
        logger.info("resuming: %d done, %d to go", len(done), len(todo))
    predictions.parent.mkdir(parents=True, exist_ok=True)
    with predictions.open("a") as out:
        for inst in tqdm(todo, desc="planning", disable=not progress):
            cands = candidates(inst)
            result, selection = plan_with(planner, selector, inst.query, cands)
            extra: dict[str, Any] = {}
            if selection is not None:
                extra = {
                    "selected": [t.name for t in selection.tools],
                    "probabilities": {k: round(v, 4) for k, v in selection.probabilities.items()},
                }
                if selection.pointed:
                    extra["pointed"] = selection.pointed
            row = (
                {
                    "id": inst.id,
                    "category": inst.category.value,
                    "candidates": [t.name for t in cands],
                    "gold_in_candidates": all(
                        g in {t.name for t in cands} for g in inst.gold_tools
                    ),
                }
                | extra
                | result.to_json()
            )
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            out.flush()
            done[inst.id] = row
    return score_predictions(instances, done)


def read_predictions(path: Path) -> dict[str, dict[str, Any]]:
    """Saved prediction rows (one JSON object per line, as :func:`evaluate_planner` writes
    them) by instance id; a later row for an id replaces an earlier one."""
    rows: dict[str, dict[str, Any]] = {}
    for line in Path(path).read_text().splitlines():
        if line.strip():
            row = json.loads(line)
            rows[row["id"]] = row
    return rows


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


PLANNER_COLUMNS = (
    "setting", "slice", "n", "Format ACC", "Tool P", "Tool R", "Tool F1", "Param P", "Param R",
    "Param F1", "strict Tool F1", "strict Param F1", "exact plans", "nested refs", "p50 s",
)  # fmt: skip


def markdown_table(results: dict[str, dict[str, Any]]) -> str:
    """One row per (setting, category) with the paper's columns and the strict scorer's."""
    rows = []
    for name, res in results.items():
        for cat, s in res["scores"].items():
            scores = [
                s["format_acc"], s["tool_p"], s["tool_r"], s["tool_f1"], s["param_p"],
                s["param_r"], s["param_f1"], s.get("strict_tool_f1", float("nan")),
                s.get("strict_param_f1", float("nan")), s.get("exact_plan", 0),
            ]  # fmt: skip
            ref = f"{s['nested_ref_acc']:.1f}" if "nested_ref_acc" in s else "-"
            p50 = f"{res['latency_s']['p50']:.2f}"
            rows.append([name, cat, s["n"], *(f"{v:.1f}" for v in scores), ref, p50])
    return table(PLANNER_COLUMNS, rows)


def error_table(results: dict[str, dict[str, Any]]) -> str:
    """Where the score is lost, per setting and slice (strict one-to-one matching): calls
    predicted but not needed, calls needed but not predicted, and for matched calls wrong
    values, missing and extra parameters; plus wrong nested references."""
    keys = ["extra_calls", "missed_calls", "wrong_value", "missing_param", "extra_param"]
    keys.append("nested_ref_wrong")
    rows = [
        [name, cat, s["n"], *(s["errors"][k] for k in keys)]
        for name, res in results.items()
        for cat, s in res["scores"].items()
        if "errors" in s
    ]
    header = ["setting", "slice", "n", *(k.replace("_", " ") for k in keys)]
    return table(header, rows)
