"""Restart passes: each call is read as soon as the model closes it, and written again (a
:class:`~toolrag.agent.passes.base.Redo`) or the plan ended there (a
:class:`~toolrag.agent.passes.base.Stop`). The planner first asks every pass for a redo; only a
call none of them redoes can be stopped."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from toolrag.agent import plan as rules
from toolrag.agent.grammar import compatible
from toolrag.agent.passes.base import PlanContext, Redo, RestartPass, Stop, register
from toolrag.types import ParamType, Tool


def _optional(tool: Tool) -> set[str]:
    """The names of ``tool``'s optional parameters (the only ones a restart may leave out)."""
    return {p.name for p in tool.parameters if not p.required}


@register
class LeaveOutFillers(RestartPass):
    """An optional parameter given an empty list (``"attendees": []`` says no more than
    leaving it out, and a tool may read it as "none"), or a string made only of words of the
    tool's or the parameter's own name (:func:`toolrag.agent.plan.names_only`:
    ``findShelter(gender="shelter")``), is left out: the call is written again without it.
    """

    name = "leave_out_fillers"
    evidence = (
        "Seal-Tools dev.jsonl gold: 1 of 480 optional strings only names its tool (docs/guide.md)"
    )

    def review(
        self, calls: Sequence[Mapping[str, Any]], tools: Mapping[str, Tool], ctx: PlanContext
    ) -> Redo | None:
        call, tool = calls[-1], tools.get(calls[-1]["api"])
        if tool is None:
            return None
        optional = _optional(tool)
        out = {k for k, v in call.get("parameters", {}).items() if v == [] and k in optional}
        out |= set(rules.names_only(call, tool))
        return Redo(omit=frozenset(out)) if out else None


@register
class DistinctValues(RestartPass):
    """One value fills one argument: an optional parameter that repeats the value of a
    parameter written before it (:func:`toolrag.agent.plan.reused_values`: ``"exchange":
    "NASDAQ"`` after ``"ticker": "NASDAQ"``) is left out, as when the query states nothing for
    it. ``PlannerConfig.distinct_scope``: ``call`` (parameters of the same call) or ``plan``
    (also earlier calls to other tools; calls to one tool share values by design).
    """

    name = "distinct_values"
    evidence = (
        "no plan of the 214 held-out calls changes without it (default v4 planner, "
        "experiments/2026-12-03-plan-rules/); Seal-Tools only otherwise"
    )

    def review(
        self, calls: Sequence[Mapping[str, Any]], tools: Mapping[str, Tool], ctx: PlanContext
    ) -> Redo | None:
        call, tool = calls[-1], tools.get(calls[-1]["api"])
        if tool is None:
            return None
        optional = _optional(tool)
        earlier = [
            c for c in calls[:-1] if ctx.config.distinct_scope == "plan" and c["api"] != call["api"]
        ]
        out = set(rules.reused_values(call, earlier)) & optional
        return Redo(omit=frozenset(out)) if out else None


@register
class BackReferences(RestartPass):
    """A later call's required value that only names its tool or a parameter
    (:func:`toolrag.agent.plan.placeholders`: ``"location": "the same location"``), that the
    query says an earlier output holds (``pointed``), or that the query does not state
    (:func:`toolrag.agent.plan.unstated`: ``"project_id": 1``) is written again as a reference
    to an earlier output where one fits: a declared output of a fitting type, or, for a made-up
    number, the whole result of an earlier tool that declares none
    (:attr:`toolrag.types.Tool.returns`). A call never refers to its own tool's outputs.

    Example: "Find the GDP of France, then convert it to euros" over two plain functions plans
    ``convert_currency(amount="$0.result", ...)`` instead of ``amount: 1000``.
    """

    name = "back_references"
    evidence = (
        "the README's GDP chain over plain functions (amount 1000 -> $0.result) and 1 of the "
        "14-chain probe (experiments/2026-12-04-unstated-references/); Seal nested refs 36.8 -> "
        "47.4% (seal_nested30_default.md)"
    )

    def review(
        self, calls: Sequence[Mapping[str, Any]], tools: Mapping[str, Tool], ctx: PlanContext
    ) -> Redo | None:
        call = calls[-1]
        tool = tools.get(call["api"])
        if tool is None or len(calls) < 2:
            return None
        args = call.get("parameters", {})
        said = {
            name
            for name in ctx.pointed.get(tool.name, ())
            if name in args and rules.literal(args[name])
        }
        earlier = [  # a call never refers to its own tool's outputs (the grammar's rule)
            t for c in calls[:-1] if (t := tools.get(c["api"])) is not None and t.name != tool.name
        ]
        declared = [o.type for t in earlier for o in t.outputs]
        implicit = any(not t.outputs for t in earlier)
        types = {p.name: p.type for p in tool.parameters}

        def fits(name: str, result_too: bool) -> bool:
            """A declared earlier output fits; with ``result_too``, for a number, also the
            whole result of an earlier tool that declares none."""
            number = types[name] in (ParamType.INTEGER, ParamType.NUMBER)
            return any(compatible(o, types[name]) for o in declared) or (
                result_too and implicit and number
            )

        named = set(rules.placeholders(call, tool)) | said
        made_up = set(rules.unstated(call, tool, ctx.query)) if ctx.query else set()
        refer = {n for n in named if fits(n, False)} | {n for n in made_up if fits(n, True)}
        return Redo(refer=frozenset(refer)) if refer else None


@register
class StopOnRepeat(RestartPass):
    """No call twice: a call that repeats an earlier one, or calls a tool again with only
    values its earlier calls gave (:func:`toolrag.agent.plan.adds_nothing`), is dropped and the
    plan ends there, or goes on with a required tool that is still uncalled. (The plan pass
    ``drop_repeats`` drops identical repeats from any planner's output.)
    """

    name = "stop_on_repeat"
    evidence = (
        "214 held-out calls: 3 plans lost without it (single-11, multiple-22, "
        "nested-object-9; experiments/2026-12-03-plan-rules/)"
    )

    def review(
        self, calls: Sequence[Mapping[str, Any]], tools: Mapping[str, Tool], ctx: PlanContext
    ) -> Stop | None:
        return Stop() if rules.adds_nothing(calls[-1], calls[:-1]) else None
