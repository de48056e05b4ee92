"""Scoring plans of dependent calls: which predicted call stands for which expected one, and
whether each reference to an earlier output points at the right call and field.

An expected argument that takes an earlier call's output is written ``REF(0, "airport_id")``
(the call's index in the expected plan, the output field); ``REF(0)`` is a plain function's
whole result (the field :data:`toolrag.types.RESULT` names). A predicted plan is first turned
into the same form (:func:`resolve`): the planner writes Seal-Tools ids (``"API_call_3"``),
numbered across the plan over each call's outputs (``ToolCall.responses``).

Plan order may vary wherever the expected plan does not fix it: calls are matched, not read
in order. :func:`align` finds the one-to-one matching of predicted to expected calls (same
function only) that matches the most calls, then gets the most references right, then the most
arguments right; a predicted reference is right when it points at the predicted call matched
to the expected target, at the expected field. A plan is exact when every call is matched,
every argument acceptable and every reference right (:func:`score`).

Example:
    >>> gold = [C("geocode", address="Oslo"), C("weather", lat=REF(0, "lat"), lon=REF(0, "lon"))]
    >>> pred = [("geocode", {"address": "oslo"}), ("weather", {"lat": REF(0, "lat"), "lon": REF(0, "lat")})]
    >>> s = score(pred, gold)
    >>> s.exact, s.refs_right, s.refs
    (False, 1, 2)
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from function_calls import _same  # the value comparison of the other function-call sets
from heldout_calls import C  # noqa: F401  (expected calls are written as in heldout_calls)

from toolrag.types import RESULT, reference_id


@dataclass(frozen=True)
class REF:
    """An earlier call's output: ``call`` indexes the plan it is written in (expected or
    predicted), ``output`` names the field (``"result"``: a plain function's whole result)."""

    call: int
    output: str = RESULT.name

    def __str__(self) -> str:
        return f"${self.call}.{self.output}"


Call = tuple[str, dict[str, Any]]
"""A call in scoring form: function name and arguments, references as :class:`REF`."""


def resolve(calls: Sequence[Any], returns: Mapping[str, Sequence[str]]) -> tuple[list[Call], int]:
    """Predicted :class:`~toolrag.types.ToolCall`\\ s in scoring form, and how many of their
    references point at no output (kept as written: they score as wrong values).

    ``returns``: each function's output names in the order of ``Tool.returns`` (the order in
    which ``ToolCall.responses`` numbers them).
    """
    owner: dict[str, REF] = {}
    for i, call in enumerate(calls):
        names = returns.get(call.api, [])
        for j, rid in enumerate(call.responses):
            owner[rid] = REF(i, names[j] if j < len(names) else f"#{j}")
    dangling = 0

    def convert(value: Any) -> Any:
        nonlocal dangling
        if isinstance(value, list):
            return [convert(v) for v in value]
        rid = reference_id(value)
        if rid is None:
            return value
        if rid not in owner:
            dangling += 1
            return value
        return owner[rid]

    out = [(c.api, {k: convert(v) for k, v in c.parameters.items()}) for c in calls]
    return out, dangling


def refs_in(value: Any) -> list[REF]:
    """The references in a value (a list of ids may hold several)."""
    if isinstance(value, REF):
        return [value]
    if isinstance(value, list | tuple):
        return [r for v in value for r in refs_in(v)]
    return []


def references(gold: Sequence[Mapping[str, Any]]) -> list[tuple[int, str]]:
    """(expected call, argument) of every argument whose acceptable values hold references:
    reference accuracy counts these arguments."""
    return [
        (j, name)
        for j, call in enumerate(gold)
        for name, accepted in call["arguments"].items()
        if refs_in(accepted)
    ]


def _match(pred: Any, want: Any, mapping: Mapping[int, int]) -> bool:
    if isinstance(want, REF):
        return (
            isinstance(pred, REF)
            and mapping.get(pred.call) == want.call
            and pred.output == want.output
        )
    if isinstance(pred, REF):
        return False
    if isinstance(want, list) and refs_in(want):
        return (
            isinstance(pred, list)
            and len(pred) == len(want)
            and all(_match(p, w, mapping) for p, w in zip(pred, want, strict=True))
        )
    return _same(pred, want)


def _value_ok(pred: Any, accepted: list[Any], mapping: Mapping[int, int]) -> bool:
    """Whether a predicted value is one of the acceptable ones; a predicted reference counts
    only through ``mapping`` (predicted call -> expected call)."""
    return any(_match(pred, want, mapping) for want in accepted if want is not None)


def _call_score(
    pred: dict[str, Any], gold: Mapping[str, list[Any]], mapping: Mapping[int, int]
) -> tuple[bool, int, int]:
    """(every argument acceptable, references right, arguments right) for one matched pair."""
    ok = not (set(pred) - set(gold))
    refs_right = args_right = 0
    for name, accepted in gold.items():
        if name not in pred:
            good = None in accepted
        else:
            good = _value_ok(pred[name], accepted, mapping)
            refs_right += good and bool(refs_in(accepted))
        args_right += good
        ok = ok and good
    return ok, refs_right, args_right


@dataclass
class Score:
    """How one predicted plan compares with its expected one."""

    exact: bool
    refs: int  # expected references
    refs_right: int
    matched: dict[int, int] = field(default_factory=dict)  # predicted call -> expected call
    tp: int = 0  # function names, as a multiset
    fp: int = 0
    fn: int = 0
    dangling: int = 0


def align(pred: Sequence[Call], gold: Sequence[Mapping[str, Any]]) -> dict[int, int]:
    """The matching of predicted to expected calls (same function) that matches the most
    calls, then gets the most references right, then the most arguments right.

    Plans have a few calls each, so every matching is tried.
    """
    options = [[p for p, (name, _) in enumerate(pred) if name == g["name"]] for g in gold]
    best: tuple[tuple[int, int, int], dict[int, int]] = ((-1, -1, -1), {})
    for choice in itertools.product(*[[None, *o] for o in options]):
        used = [p for p in choice if p is not None]
        if len(used) != len(set(used)):
            continue
        mapping = {p: j for j, p in enumerate(choice) if p is not None}
        refs = args = 0
        for p, j in mapping.items():
            _, r, a = _call_score(pred[p][1], gold[j]["arguments"], mapping)
            refs, args = refs + r, args + a
        key = (len(mapping), refs, args)
        if key > best[0]:
            best = (key, mapping)
    return best[1]


def score(pred: Sequence[Call], gold: Sequence[Mapping[str, Any]], dangling: int = 0) -> Score:
    """Compare a predicted plan (scoring form, see :func:`resolve`) with the expected calls
    (``{"name", "arguments": {arg: [acceptable values]}}``, as ``heldout_calls.C`` writes
    them, with :class:`REF` values for references).

    An empty expected plan is right only when nothing is predicted.
    """
    mapping = align(pred, gold)
    exact = len(pred) == len(gold) == len(mapping)
    refs_right = 0
    for p, j in mapping.items():
        ok, r, _ = _call_score(pred[p][1], gold[j]["arguments"], mapping)
        exact = exact and ok
        refs_right += r
    names_p = Counter(name for name, _ in pred)
    names_g = Counter(g["name"] for g in gold)
    tp = sum((names_p & names_g).values())
    return Score(
        exact=exact,
        refs=len(references(gold)),
        refs_right=refs_right,
        matched=mapping,
        tp=tp,
        fp=sum(names_p.values()) - tp,
        fn=sum(names_g.values()) - tp,
        dangling=dangling,
    )


def depth(gold: Sequence[Mapping[str, Any]]) -> int:
    """Steps of the longest dependent path: 1 for independent calls, 2 for A -> B, ..."""
    memo: dict[int, int] = {}

    def d(j: int) -> int:
        if j not in memo:
            parents = {r.call for a in gold[j]["arguments"].values() for r in refs_in(a)}
            memo[j] = 1 + max((d(p) for p in parents), default=0)
        return memo[j]

    return max((d(j) for j in range(len(gold))), default=0)


def components(gold: Sequence[Mapping[str, Any]]) -> int:
    """How many independent groups of calls (chains) the expected plan has."""
    parent = list(range(len(gold)))

    def root(x: int) -> int:
        while parent[x] != x:
            x = parent[x]
        return x

    for j, call in enumerate(gold):
        for accepted in call["arguments"].values():
            for r in refs_in(accepted):
                parent[root(j)] = root(r.call)
    return len({root(j) for j in range(len(gold))})


def fan_in(gold: Sequence[Mapping[str, Any]]) -> bool:
    """Whether some call takes outputs of two or more different earlier calls."""
    return any(
        len({r.call for a in call["arguments"].values() for r in refs_in(a)}) > 1 for call in gold
    )


def jsonable(value: Any) -> Any:
    """``value`` with :class:`REF` markers written as ``"$0.airport_id"`` (for results files)."""
    if isinstance(value, REF):
        return str(value)
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    return value
