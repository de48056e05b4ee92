# The post-decoding pass tried (was appended to agent/plan.py and called in
# agent/planner.py read_plan after numbers_as_written, behind TOOLRAG_UNSTATED=1).
# The grammar variant: agent/grammar.py _grounded() returned the schema unchanged for
# required parameters (and _dated was skipped for them) behind TOOLRAG_OPTONLY=1, run with
# --option ground_values=true --strings optional --no-cover --no-lists.


def _stated(value, query, numbers, dates):
    from toolrag.agent.grounding import grounded, mentioned
    from toolrag.agent.plan import INTERNAL_REFERENCE

    if value is None:
        return True
    if isinstance(value, bool):
        return False  # a flag: judged by its parameter's name
    if isinstance(value, int | float):
        return value in numbers or grounded(value, query)
    if isinstance(value, str):
        if INTERNAL_REFERENCE.match(value):
            return True
        return (
            grounded(value, query)
            or mentioned(value, query)
            or any(value.startswith(d) for d in dates)
        )
    if isinstance(value, list):
        return all(_stated(v, query, numbers, dates) for v in value)
    if isinstance(value, dict):
        return all(_stated(v, query, numbers, dates) for v in value.values())
    return True


def unstated_optional(plan, query, tools):
    """``plan`` without the optional arguments whose values the query does not state."""
    import re

    from toolrag.agent.grounding import date_forms, query_numbers
    from toolrag.agent.plan import _rewrite
    from toolrag.index.text import split_identifier

    numbers = query_numbers(query)
    dates = date_forms(query)[0]
    words = set(re.findall(r"[a-z0-9]+", query.lower()))

    def fix(tool, params):
        optional = {p.name for p in tool.parameters if not p.required}
        out = {}
        for k, v in params.items():
            if k in optional:
                if isinstance(v, bool):
                    named = split_identifier(k).lower().split()
                    if not any(w[:5] in " ".join(words) for w in named if len(w) > 2):
                        continue
                elif not _stated(v, query, numbers, dates):
                    continue
            out[k] = v
        return out

    return _rewrite(plan, tools, fix)
