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

The **strict scorer** (``strict_*`` keys) matches predicted and gold calls one to one: a gold
call is credited to at most one predicted call (the same api, most parameters agreeing), so a
repeated call counts as an extra call instead of a second correct one. Its matching also feeds
the error report: extra and missed calls; for matched calls, wrong values, missing and extra
parameters; wrong nested references.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from toolrag.types import InstanceCategory, ToolCall, reference_id


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
    strict_tool_correct: int = 0
    strict_param_correct: int = 0
    extra_calls: int = 0
    missed_calls: int = 0
    wrong_value: int = 0
    missing_param: int = 0
    extra_param: int = 0

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
        stp, str_, stf = prf(self.strict_tool_correct, self.tool_pred, self.tool_gold)
        spp, spr, spf = prf(self.strict_param_correct, self.param_pred, self.param_gold)
        out |= {
            "strict_tool_p": stp,
            "strict_tool_r": str_,
            "strict_tool_f1": stf,
            "strict_param_p": spp,
            "strict_param_r": spr,
            "strict_param_f1": spf,
        }
        out["errors"] = {
            "extra_calls": self.extra_calls,
            "missed_calls": self.missed_calls,
            "wrong_value": self.wrong_value,
            "missing_param": self.missing_param,
            "extra_param": self.extra_param,
            "nested_ref_wrong": self.ref_gold - self.ref_correct,
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
    ref = reference_id(value)
    return owners.get(ref) if ref else None


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
        c.missed_calls = len(gold)
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
    _strict(c, gold, pred)
    return c


def _agree(pred: ToolCall, gold: ToolCall) -> int:
    return sum(
        1
        for k, v in pred.parameters.items()
        if k in gold.parameters and str(v) == str(gold.parameters[k])
    )


def one_to_one(gold: Sequence[ToolCall], pred: Sequence[ToolCall]) -> list[tuple[int, int]]:
    """``(pred index, gold index)`` pairs: each predicted call takes the unmatched gold call of
    its api with the most agreeing parameters (ties: the earliest), in predicted order.

    Example:
        >>> g = [ToolCall(api="w", parameters={"city": "Paris"}), ToolCall(api="w", parameters={"city": "Rome"})]
        >>> p = [ToolCall(api="w", parameters={"city": "Rome"}), ToolCall(api="w", parameters={"city": "Rome"})]
        >>> one_to_one(g, p)
        [(0, 1), (1, 0)]
    """
    free = set(range(len(gold)))
    pairs = []
    for i, call in enumerate(pred):
        options = [j for j in sorted(free) if gold[j].api == call.api]
        if options:
            j = max(options, key=lambda j: (_agree(call, gold[j]), -j))
            free.discard(j)
            pairs.append((i, j))
    return pairs


def _strict(c: Counts, gold: Sequence[ToolCall], pred: Sequence[ToolCall]) -> None:
    pairs = one_to_one(gold, pred)
    c.strict_tool_correct = len(pairs)
    c.extra_calls = len(pred) - len(pairs)
    c.missed_calls = len(gold) - len(pairs)
    for i, j in pairs:
        p, g = pred[i].parameters, gold[j].parameters
        agree = _agree(pred[i], gold[j])
        c.strict_param_correct += agree
        c.wrong_value += sum(1 for k in p if k in g) - agree
        c.missing_param += sum(1 for k in g if k not in p)
        c.extra_param += sum(1 for k in p if k not in g)


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
