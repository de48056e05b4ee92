"""Plan passes: the parsed plan post-processed. Every planner runs these, local or remote
(:func:`toolrag.agent.planner.read_plan`), so their plans are scored alike."""

from __future__ import annotations

from toolrag.agent import plan as rules
from toolrag.agent.passes.base import PlanContext, PlanPass, register
from toolrag.types import Plan


@register
class DropRepeats(PlanPass):
    """A call identical to an earlier one is dropped; a reference to it points to the first
    copy instead (:func:`toolrag.agent.plan.drop_repeats`). The paper's scorer credits a
    repeat; a user never wants one.
    """

    name = "drop_repeats"
    evidence = (
        "part of the no-repeat rule: 214 held-out calls lose 3 plans without it and "
        "stop_on_repeat (experiments/2026-12-03-plan-rules/)"
    )

    def apply(self, plan: Plan, ctx: PlanContext) -> tuple[Plan, set[int]]:
        calls = plan.as_json()
        same = rules.repeats(calls)
        if not same:
            return plan, set()
        return Plan.from_json(rules.drop_repeats(calls)), set(same)


@register
class DropUngrounded(PlanPass):
    """A call whose literal arguments the query says none of is dropped
    (:func:`toolrag.agent.plan.ungrounded_calls`; kept in ``PlanResult.dropped``): a small
    fine-tuned model plans about as many calls as its training plans had.
    """

    name = "drop_ungrounded"
    evidence = (
        "part of hard grounding: the fast planner's 43.9 vs 34.6% on the 214 held-out calls "
        "(heldout_calls_fast.md vs heldout_calls_135m_soft.md)"
    )

    def apply(self, plan: Plan, ctx: PlanContext) -> tuple[Plan, set[int]]:
        calls = plan.as_json()
        drop = rules.ungrounded_calls(calls, ctx.query)
        if not drop:
            return plan, set()
        return Plan.from_json(rules.drop_calls(calls, drop)), drop


@register
class NumbersAsWritten(PlanPass):
    """A whole number given to a ``number`` parameter is written as the query writes it:
    "$38.0" gives 38.0 (:func:`toolrag.agent.plan.numbers_as_written`). The grammar engine reads
    a number enum by value and writes ``38``; this undoes that, so it is not a habit of any
    data set.
    """

    name = "numbers_as_written"
    evidence = "undoes a grammar-engine artifact (38.0 written 38); changes no value otherwise"

    def apply(self, plan: Plan, ctx: PlanContext) -> tuple[Plan, set[int]]:
        calls = plan.as_json()
        fixed = rules.numbers_as_written(calls, ctx.query, {t.name: t for t in ctx.candidates})
        # compared as text: 38.0 == 38 in Python, and that difference is the point
        return (plan if rules.dumps(fixed) == rules.dumps(calls) else Plan.from_json(fixed)), set()
