"""Text passes: the decoded plan rewritten, here by decoding more of it (``cover_values``, which
reads the query facts of the ``ground_values`` pass and does nothing without them)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from toolrag.agent import plan as rules
from toolrag.agent.grammar import call_spans
from toolrag.agent.passes.base import PlanContext, TextPass, register
from toolrag.types import Plan


def _last_call(calls: Sequence[Mapping[str, Any]]) -> str:
    """The compact text of the last of ``calls``."""
    return rules.dumps(calls[-1:])[1:-1]


def _replace_call(text: str, i: int, call_text: str) -> str:
    """The plan ``text`` with call ``i`` replaced by ``call_text``."""
    start, end = call_spans(text)[i]
    return text[:start] + call_text + text[end:]


@register
class CoverValues(TextPass):
    """Every value the query states is used (:func:`toolrag.agent.plan.unused_values`: a
    number, date, quoted span, address or enum member no argument takes). While one is unused:
    a call whose tool has an optional parameter that could take it
    (:func:`toolrag.agent.plan.fillable`) is written again with that parameter required, and
    takes its own place if it keeps every argument and adds the value; else the model writes
    one more call, kept if it takes an unused value (in place of an earlier call it widens or
    corrects: :func:`toolrag.agent.plan.widens`, :func:`toolrag.agent.plan.corrects`). Stops at
    the first new call that takes none, and at ``max_calls``. Needs ``ground_values``.
    """

    name = "cover_values"
    needs = ("ground_values",)
    evidence = (
        "Seal-Tools dev.jsonl gold: 4 of 200 single and 47 of 500 multi-call plans leave such a "
        "value unused (docs/guide.md); acts only under hard grounding (the fast planner)"
    )

    def rewrite(self, plan: Plan, ctx: PlanContext) -> Plan:
        facts, decode = ctx.facts, ctx.one_more
        if facts is None or decode is None:
            return plan

        def one_more(tools: Sequence[Any], required: Sequence[str], text: str) -> list[Any]:
            longer, n_new, n_forced = decode(tools, required, text)
            ctx.new_tokens += n_new
            ctx.forced_tokens += n_forced
            return longer

        text = plan.text
        tools = ctx.tools
        max_calls = max(ctx.config.max_calls, len(ctx.required))
        by_name = ctx.by_name
        tried: set[tuple[int, str]] = set()
        while True:
            calls = rules.parse(text)
            unused = rules.unused_values(facts.text, calls, tools)
            if not unused:
                break
            changed = None
            for i, name in rules.fillable(calls, unused, tools, facts.text):
                if (i, name) in tried:
                    continue
                tried.add((i, name))
                tool = by_name[calls[i]["api"]]
                forced = tool.model_copy(
                    update={
                        "parameters": [
                            p.model_copy(update={"required": True}) if p.name == name else p
                            for p in tool.parameters
                        ]
                    }
                )
                longer = one_more([forced], [], text)
                new = longer[len(calls)] if longer and len(longer) > len(calls) else None
                if (
                    new is not None
                    and rules.widens(new, [calls[i]]) == 0
                    and rules.takes_any(new, unused)
                ):
                    changed = _replace_call(text, i, _last_call(longer))
                    break
            if changed is None:
                if len(calls) >= max_calls:
                    break
                longer = one_more(tools, ctx.required, text)
                if not longer or len(longer) <= len(calls):  # it repeated an earlier call
                    break
                new = longer[len(calls)]
                if not rules.takes_any(new, unused):
                    break
                # in place of an earlier call it widens or corrects, else after the others
                at = rules.widens(new, calls)
                at = rules.corrects(new, calls) if at is None else at
                if at is None:
                    changed = rules.dumps(longer)
                else:
                    changed = _replace_call(text, at, _last_call(longer))
            text = changed
        return plan if text == plan.text else Plan.from_text(text)
