"""Planner metrics as the Seal-Tools paper scores them, plus a stricter nested check.

The paper's scorer (facts taken from its published evaluation script):

- **Format ACC**: share of instances whose output parsed into a list of calls.
- **Tool P/R/F1**: every predicted call with an ``api`` counts as predicted; it is correct when
  some gold call has the same api name (matched to the *first* such gold call; gold calls are not
  consumed, so a repeated prediction of one gold tool counts twice). Gold counts every gold call,
  including those of instances whose output did not parse -- an unparsable output costs recall.
- **Parameter P/R/F1**: every parameter of a predicted call counts as predicted; it is correct
  when the matched gold call has a parameter of that name with the same ``str()`` value.
- All micro-averaged over the set.

The stricter nested check: for every gold parameter that references an earlier call's output,
the prediction is right when the call with that api has that parameter pointing to the same
output field of a call to the same api as in the gold plan.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from toolrag.types import REFERENCE_PATTERN, InstanceCategory, ToolCall


@dataclass
class Counts:
    """Micro-average counters for one slice of instances."""

    instances: int = 0
    parsed: int = 0
    tool_pred: int = 0
    tool_gold: int = 0
    tool_correct: int = 0
    param_pred: int = 0
    param_gold: int = 0
    param_correct: int = 0
    ref_gold: int = 0
    ref_correct: int = 0
    exact: int = 0

    def add(self, other: Counts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def summary(self) -> dict[str, float | int]:
        """Percentages (0-100) as the paper reports them, plus the raw instance count."""

        def prf(correct: int, pred: int, gold: int) -> tuple[float, float, float]:
            p = correct / pred if pred else 0.0
            r = correct / gold if gold else 0.0
            f = 2 * p * r / (p + r) if p + r else 0.0
            return 100 * p, 100 * r, 100 * f

        tp, tr, tf = prf(self.tool_correct, self.tool_pred, self.tool_gold)
        pp, pr, pf = prf(self.param_correct, self.param_pred, self.param_gold)
        n = self.instances
        out: dict[str, float | int] = {
            "n": n,
            "format_acc": 100 * self.parsed / n if n else 0.0,
            "tool_p": tp,
            "tool_r": tr,
            "tool_f1": tf,
            "param_p": pp,
            "param_r": pr,
            "param_f1": pf,
            "exact_plan": 100 * self.exact / n if n else 0.0,
        }
        if self.ref_gold:
            out["nested_ref_acc"] = 100 * self.ref_correct / self.ref_gold
        return out


def _first_match(api: str, gold: Sequence[ToolCall]) -> ToolCall | None:
    return next((g for g in gold if g.api == api), None)


def _owner(calls: Sequence[ToolCall]) -> dict[str, tuple[str, int]]:
    """Response id -> (api of the call that owns it, field position)."""
    return {rid: (c.api, j) for c in calls for j, rid in enumerate(c.responses)}


def _ref_target(value: Any, owners: Mapping[str, tuple[str, int]]) -> tuple[str, int] | None:
    m = REFERENCE_PATTERN.match(value) if isinstance(value, str) else None
    return owners.get(m.group(0)) if m else None


def score_instance(gold: Sequence[ToolCall], pred: Sequence[ToolCall] | None) -> Counts:
    """Counters for one instance; ``pred is None`` means the output did not parse."""
    c = Counts(instances=1)
    c.tool_gold = len(gold)
    c.param_gold = sum(len(g.parameters) for g in gold)
    gold_owners = _owner(gold)
    refs = [
        (g.api, name, target)
        for g in gold
        for name, v in g.parameters.items()
        if (target := _ref_target(v, gold_owners)) is not None
    ]
    c.ref_gold = len(refs)
    if pred is None:
        return c
    c.parsed = 1
    for call in pred:
        c.tool_pred += 1
        c.param_pred += len(call.parameters)
        match = _first_match(call.api, gold)
        if match is None:
            continue
        c.tool_correct += 1
        c.param_correct += sum(
            1
            for name, value in call.parameters.items()
            if name in match.parameters and str(value) == str(match.parameters[name])
        )
    pred_owners = _owner(pred)
    for api, name, target in refs:
        call = _first_match(api, pred)
        if call is not None and _ref_target(call.parameters.get(name), pred_owners) == target:
            c.ref_correct += 1
    c.exact = int(_canonical(gold) == _canonical(pred))
    return c


def _canonical(calls: Sequence[ToolCall]) -> list[tuple[str, list[tuple[str, str]]]]:
    return [(c.api, sorted((k, str(v)) for k, v in c.parameters.items())) for c in calls]


@dataclass
class PlannerScores:
    """Counters overall and by instance category."""

    overall: Counts = field(default_factory=Counts)
    by_category: dict[str, Counts] = field(default_factory=dict)

    def add(self, category: InstanceCategory | str, counts: Counts) -> None:
        self.overall.add(counts)
        self.by_category.setdefault(str(category), Counts()).add(counts)

    def summary(self) -> dict[str, dict[str, float | int]]:
        out = {"overall": self.overall.summary()}
        for cat in InstanceCategory:
            if cat.value in self.by_category:
                out[cat.value] = self.by_category[cat.value].summary()
        return out
