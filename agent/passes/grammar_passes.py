"""Grammar passes: what the plan grammar admits, decided before decoding."""

from __future__ import annotations

from toolrag.agent.grammar import QueryFacts
from toolrag.agent.passes.base import GrammarPass, PlanContext, register


@register
class GroundValues(GrammarPass):
    """Numbers and enum members only as the query states them, plain strings from its words
    (:class:`toolrag.agent.grammar.QueryFacts`; which strings: ``PlannerConfig.ground_strings``).
    An optional number or enum the query says nothing for is left out, and a later call's
    required number it does not state can only be a reference. The text pass
    ``cover_values`` reads what this pass finds and does nothing without it.

    Example: "Convert 250 euros" admits ``"amount": 250`` and not ``"amount": 2500``.
    """

    name = "ground_values"
    evidence = (
        "fast (135M) planner on the 214 held-out calls: 43.9% exact with it (hard grounding, "
        "heldout_calls_fast.md) vs 34.6% without (soft, heldout_calls_135m_soft.md); the default "
        "0.5B plans better without it (76.2 vs 64.0%, heldout_calls_qwen_ft_{free,hard}.md), so "
        "its config leaves it out"
    )

    def constrain(self, ctx: PlanContext) -> None:
        ctx.facts = QueryFacts.of(ctx.query, ctx.config.ground_strings)


@register
class InOrder(GrammarPass):
    """Tools are first called in the order the query asks for them (the selector's
    ``positions``): no tool before an uncalled required one asked for earlier
    (:func:`toolrag.agent.grammar.stage_grammar`'s ``positions``). Acts only with a selection.
    """

    name = "in_order"
    evidence = (
        "no plan of the 214 held-out calls changes without it (default v4 planner, "
        "experiments/2026-12-03-plan-rules/); Seal-Tools only: 135M validation Param F1 73.3 -> "
        "77.3 (docs/guide.md)"
    )

    def constrain(self, ctx: PlanContext) -> None:
        ctx.order = ctx.positions if ctx.selected is not None else None
