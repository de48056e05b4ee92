"""Planner training examples: (candidate tools + query) -> internal-form plan.

Candidates are built as inference builds them: the gold tools plus BM25 distractors, shuffled,
five in all. In a share of the examples one gold tool is left out of the candidates and its calls
out of the target, so the model learns to plan with what it was given instead of inventing a tool
-- a single-tool query whose tool is missing gets the empty plan ``[]``.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any

from toolrag.agent.plan import dumps, to_internal, to_seal
from toolrag.agent.prompt import messages
from toolrag.evaluation.candidates import CandidateBuilder
from toolrag.types import Instance, Tool, ToolCall


def droppable(calls: Sequence[ToolCall]) -> list[str]:
    """Tools whose calls no other call references (dropping them leaves a valid plan)."""
    owners = {rid: call.api for call in calls for rid in call.responses}
    used = {r for c in calls for r in c.references()}
    referenced = {owners[r] for r in used if r in owners}
    return [api for api in dict.fromkeys(c.api for c in calls) if api not in referenced]


def without(calls: Sequence[ToolCall], api: str, tools: Mapping[str, Tool]) -> list[ToolCall]:
    """``calls`` minus those to ``api``, renumbered (only valid for a :func:`droppable` api)."""
    internal = to_internal(calls, tools)
    kept_index: dict[int, int] = {}
    kept: list[dict[str, Any]] = []
    for i, call in enumerate(internal):
        if call["api"] != api:
            kept_index[i] = len(kept)
            kept.append(call)
    for call in kept:
        for name, value in call["parameters"].items():
            if isinstance(value, str) and value.startswith("$"):
                idx, _, field = value[1:].partition(".")
                if idx.isdigit() and int(idx) in kept_index:
                    call["parameters"][name] = f"${kept_index[int(idx)]}.{field}"
    return to_seal(kept, tools)


def planner_example(
    instance: Instance,
    builder: CandidateBuilder,
    rng: random.Random,
    *,
    n_candidates: int = 5,
    drop_rate: float = 0.1,
    offered: Sequence[str] | None = None,
    style: str = "compact",
) -> dict[str, Any]:
    """One prompt-completion example in TRL's conversational format, its prompt in ``style``
    (:mod:`toolrag.agent.prompt`). ``offered``: the instance's own candidate list (function-list
    data says which functions a request comes with), shown as given, in a shuffled order."""
    tools = builder.by_name
    calls = list(instance.calls)
    if offered is not None:
        cands = [tools[n] for n in offered]
        rng.shuffle(cands)
    else:
        drop: list[str] = []
        options = droppable(calls)
        if options and rng.random() < drop_rate:
            drop = [rng.choice(options)]
            calls = without(calls, drop[0], tools)
        cands = builder.oracle(
            instance.query, instance.gold_tools, n=n_candidates, drop=drop, rng=rng
        )
    target = dumps(to_internal(calls, tools))
    return {
        "id": instance.id,
        "prompt": messages(instance.query, cands, style),
        "completion": [{"role": "assistant", "content": target}],
    }
