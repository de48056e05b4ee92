"""The planner's internal plan form and its exact conversion to and from the Seal-Tools form.

Seal-Tools numbers output ids across the whole plan: call 0 of a tool with three output fields
owns ``API_call_0..2``, the next call starts at ``API_call_3``. A model that must emit those
numbers has to count every earlier tool's outputs, which a small model gets wrong. So the planner
writes a reference as ``"$<call>.<field>"`` (``"$1.growth_stage"``: call 1's ``growth_stage``
output) and this module converts it to the dataset's id, and back for training targets.

Example:
    >>> from toolrag.types import Param, Tool
    >>> tools = {
    ...     "geo": Tool(name="geo", outputs=[Param(name="lat"), Param(name="lon")]),
    ...     "weather": Tool(name="weather", outputs=[Param(name="temp")]),
    ... }
    >>> calls = to_seal([{"api": "geo", "parameters": {"city": "Oslo"}},
    ...                  {"api": "weather", "parameters": {"lon": "$0.lon"}}], tools)
    >>> [(c.api, c.parameters, c.responses) for c in calls]
    [('geo', {'city': 'Oslo'}, ['API_call_0', 'API_call_1']), ('weather', {'lon': 'API_call_1'}, ['API_call_2'])]
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from agent.grounding import grounded
from toolrag.types import Tool, ToolCall, reference_id

INTERNAL_REFERENCE = re.compile(r"^\$(\d+)\.([^\s\"]+)$")
"""``$<call index>.<output field>`` -- the planner's reference to an earlier call's output."""


class PlanFormatError(ValueError):
    """The model's output is not a plan: not JSON, not a list of calls, or a malformed call."""


def response_ids(calls: Sequence[str], tools: Mapping[str, Tool]) -> list[list[str]]:
    """The Seal-Tools output ids of each call, numbered across the plan in call order.

    A tool that is not in ``tools`` (an invented one) owns no ids.
    """
    ids: list[list[str]] = []
    offset = 0
    for api in calls:
        n = len(tools[api].outputs) if api in tools else 0
        ids.append([f"API_call_{offset + j}" for j in range(n)])
        offset += n
    return ids


def to_seal(plan: Sequence[Mapping[str, Any]], tools: Mapping[str, Tool]) -> list[ToolCall]:
    """Convert internal-form calls into Seal-Tools :class:`ToolCall` objects.

    A reference to a call or field that does not exist stays as written, so the scorer and the
    checker see the model's mistake instead of a silently repaired plan.
    """
    apis = [str(c.get("api", "")) for c in plan]
    ids = response_ids(apis, tools)
    out: list[ToolCall] = []
    for call, api, own in zip(plan, apis, ids, strict=True):
        params = call.get("parameters") or {}
        if not isinstance(params, Mapping):
            raise PlanFormatError(f"call {api!r}: 'parameters' must be an object, got {params!r}")
        converted = {
            name: _resolve(value, apis, ids, tools, len(out)) for name, value in params.items()
        }
        out.append(ToolCall(api=api, parameters=converted, responses=own))
    return out


def _resolve(
    value: Any,
    apis: list[str],
    ids: list[list[str]],
    tools: Mapping[str, Tool],
    position: int,
) -> Any:
    if not isinstance(value, str):
        return value
    m = INTERNAL_REFERENCE.match(value)
    if not m:
        return value
    target, field = int(m.group(1)), m.group(2)
    if target >= position or apis[target] not in tools:
        return value
    fields = [p.name for p in tools[apis[target]].outputs]
    if field not in fields:
        return value
    return ids[target][fields.index(field)]


def to_internal(calls: Sequence[ToolCall], tools: Mapping[str, Tool]) -> list[dict[str, Any]]:
    """Convert Seal-Tools calls (a gold plan) into the internal form the planner learns to emit.

    Seal-Tools values like ``"API_call_0 response"`` are references too; they become
    ``"$0.<field>"``. Raises ``KeyError`` for a call to a tool that is not in ``tools``.
    """
    owner: dict[int, tuple[int, str]] = {}
    offset = 0
    for i, call in enumerate(calls):
        for j, p in enumerate(tools[call.api].outputs):
            owner[offset + j] = (i, p.name)
        offset += len(tools[call.api].outputs)
    plan: list[dict[str, Any]] = []
    for call in calls:
        params: dict[str, Any] = {}
        for name, value in call.parameters.items():
            ref = reference_id(value)
            if ref and int(ref.removeprefix("API_call_")) in owner:
                i, field = owner[int(ref.removeprefix("API_call_"))]
                value = f"${i}.{field}"
            params[name] = value
        plan.append({"api": call.api, "parameters": params})
    return plan


def depends_on(calls: Sequence[ToolCall]) -> list[list[int]]:
    """For each call, the earlier calls whose outputs it uses (indices, sorted).

    Example:
        >>> from toolrag.types import ToolCall
        >>> calls = [ToolCall(api="geo", parameters={}, responses=["API_call_0"]),
        ...          ToolCall(api="weather", parameters={"lat": "API_call_0 response"})]
        >>> depends_on(calls)
        [[], [0]]
    """
    owner = {rid: i for i, call in enumerate(calls) for rid in call.responses}
    return [sorted({owner[r] for r in call.references() if r in owner}) for call in calls]


def call_key(call: Mapping[str, Any]) -> str:
    """A call's identity for repeat detection: its API and parameters, order-insensitive."""
    return json.dumps([call.get("api"), call.get("parameters")], sort_keys=True, default=str)


def first_repeat(plan: Sequence[Mapping[str, Any]]) -> int | None:
    """Index of the first call identical (same API, same parameters) to an earlier call, or None.

    An identical repeat adds nothing to a plan: a read returns the same output, an action is
    done twice. A small model that emits one has usually started to loop; the planner can cut
    the plan there (``Planner(stop_on_repeat=True)``).

    Example:
        >>> first_repeat([{"api": "a", "parameters": {"x": 1}}, {"api": "b", "parameters": {}},
        ...               {"api": "a", "parameters": {"x": 1}}])
        2
    """
    return min(repeats(plan), default=None)


def _as_text(value: Any) -> str:
    """A scalar value as a query would write it, case-folded (``0.04``, not ``0.040000``)."""
    return f"{value:g}" if isinstance(value, float) else str(value).lower()


def _value_texts(call: Mapping[str, Any]) -> list[str]:
    """A call's literal values (list items one by one) as :func:`_as_text`; no references."""
    out: list[str] = []
    for value in call.get("parameters", {}).values():
        for v in value if isinstance(value, list) else [value]:
            if v is not None and _literal(v) and not isinstance(v, dict):
                out.append(_as_text(v))
    return out


def adds_nothing(call: Mapping[str, Any], earlier: Sequence[Mapping[str, Any]]) -> bool:
    """Whether ``call`` is identical to one of ``earlier``, or calls a tool they already call
    with only values those calls already gave: ``bmi(weight=175, height=70)`` after
    ``bmi(weight=70, height=175)`` is the same request with its values swapped, not a second
    one. A second call to a tool ("weather in Paris and in Rome") states a new value.

    Example:
        >>> bmi = {"api": "bmi", "parameters": {"weight": 70, "height": 175}}
        >>> adds_nothing({"api": "bmi", "parameters": {"weight": 175, "height": 70}}, [bmi])
        True
        >>> adds_nothing({"api": "bmi", "parameters": {"weight": 82, "height": 175}}, [bmi])
        False
    """
    key = call_key(call)
    if any(call_key(c) == key for c in earlier):
        return True
    mine = _value_texts(call)
    if not mine:
        return False
    given = {v for c in earlier if c.get("api") == call.get("api") for v in _value_texts(c)}
    return bool(given) and set(mine) <= given


def _said_in(part: Any, value: Any) -> bool:
    """Whether ``value`` repeats ``part``: equal numbers, or a string that holds ``part``'s
    text as whole words (case aside)."""
    scalar = (str, int, float)
    if isinstance(part, bool) or isinstance(value, bool):
        return False
    if not isinstance(part, scalar) or not isinstance(value, scalar) or part == "":
        return False
    if not isinstance(value, str):
        return not isinstance(part, str) and part == value
    pattern = rf"(?<![A-Za-z0-9]){re.escape(_as_text(part))}(?![A-Za-z0-9])"
    return re.search(pattern, value.lower()) is not None


def reused_values(
    call: Mapping[str, Any], earlier: Sequence[Mapping[str, Any]] = ()
) -> dict[str, list[Any]]:
    """Per parameter, the literal values written before it that its own value repeats: the
    same number, or a string that says the earlier value as whole words. "Before" is the
    call's earlier parameters, and every parameter of the ``earlier`` calls.

    One value the query states fills one argument: in Seal-Tools' dev.jsonl a parameter repeats
    an earlier one's value this way in 11 of 1,804 gold calls, and an optional parameter
    repeats an earlier call's value in 5 of 523. A small model does it far more often
    (``"ticker": "NASDAQ", "exchange": "NASDAQ"``, ``"subject": "Email bob@example.com"`` after
    ``"to": "bob@example.com"``, a body that copies the subject): the planner decodes such a
    call again with the optional parameters among them left out. References and booleans are
    never counted.

    Example:
        >>> reused_values({"api": "mail", "parameters": {
        ...     "to": "bob@x.org", "subject": "Mail bob@x.org", "body": "Hi", "cc": "hi"}})
        {'subject': ['bob@x.org'], 'cc': ['Hi']}
        >>> reused_values({"api": "b", "parameters": {"city": "Oslo", "note": "in Oslo"}},
        ...               earlier=[{"api": "a", "parameters": {"town": "Oslo"}}])
        {'city': ['Oslo'], 'note': ['Oslo']}
    """
    before = [v for c in earlier for v in c.get("parameters", {}).values() if _literal(v)]
    params = [(k, v) for k, v in call.get("parameters", {}).items() if _literal(v)]
    out: dict[str, list[Any]] = {}
    for j, (name, value) in enumerate(params):
        said = [v for v in [*before, *(v for _, v in params[:j])] if _said_in(v, value)]
        if said:
            out[name] = list(dict.fromkeys(said))
    return out


def _literal(value: Any) -> bool:
    return not (isinstance(value, str) and INTERNAL_REFERENCE.match(value))


def _references(call: Mapping[str, Any]) -> set[int]:
    return {
        int(m.group(1))
        for v in call.get("parameters", {}).values()
        if isinstance(v, str) and (m := INTERNAL_REFERENCE.match(v))
    }


def ungrounded_calls(plan: Sequence[Mapping[str, Any]], query: str) -> set[int]:
    """Indices of calls with literal arguments of which the query says none.

    Such a call is usually a candidate tool the model added by habit (a small fine-tuned model
    plans about as many calls as its training plans had): Seal-Tools requests state the values
    their calls need. A call without literal arguments, one that takes an earlier output, and
    one whose output another kept call takes are never among them.
    """
    drop = set()
    for i, call in enumerate(plan):
        params = call.get("parameters", {})
        literals = [v for v in params.values() if _literal(v)]
        if (
            literals
            and len(literals) == len(params)
            and not any(grounded(v, query) for v in literals)
        ):
            drop.add(i)
    return drop - {j for i, call in enumerate(plan) if i not in drop for j in _references(call)}


def drop_calls(plan: Sequence[Mapping[str, Any]], drop: set[int]) -> list[dict[str, Any]]:
    """The plan without the calls at ``drop``, references renumbered to the calls kept (none
    may point at a dropped call)."""
    new_index: dict[int, int] = {}
    for i in range(len(plan)):
        if i not in drop:
            new_index[i] = len(new_index)
    out = []
    for i, call in enumerate(plan):
        if i in drop:
            continue
        params = {}
        for name, value in call.get("parameters", {}).items():
            m = INTERNAL_REFERENCE.match(value) if isinstance(value, str) else None
            if m and int(m.group(1)) in new_index:
                value = f"${new_index[int(m.group(1))]}.{m.group(2)}"
            params[name] = value
        out.append({"api": call.get("api"), "parameters": params})
    return out


def drop_ungrounded(plan: Sequence[Mapping[str, Any]], query: str) -> list[dict[str, Any]]:
    """The plan without :func:`ungrounded_calls`.

    Example:
        >>> plan = [{"api": "weather", "parameters": {"city": "Oslo"}},
        ...         {"api": "flights", "parameters": {"origin": "Paris"}},
        ...         {"api": "alert", "parameters": {"text": "$0.summary"}}]
        >>> drop_ungrounded(plan, "Weather in Oslo, and alert me about it")
        [{'api': 'weather', 'parameters': {'city': 'Oslo'}}, {'api': 'alert', 'parameters': {'text': '$0.summary'}}]
        >>> len(drop_ungrounded(plan[1:], "Alert me"))  # now alert takes flights' output: kept
        2
    """
    return drop_calls(plan, ungrounded_calls(plan, query))


def repeats(plan: Sequence[Mapping[str, Any]]) -> dict[int, int]:
    """``{i: j}`` for every call ``i`` identical to an earlier call ``j`` (its first copy)."""
    first: dict[str, int] = {}
    out = {}
    for i, call in enumerate(plan):
        j = first.setdefault(call_key(call), i)
        if j != i:
            out[i] = j
    return out


def drop_repeats(plan: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The plan without calls identical to an earlier one; a reference to a dropped repeat
    points to the first of its copies instead.

    Example:
        >>> drop_repeats([{"api": "a", "parameters": {"x": 1}},
        ...               {"api": "a", "parameters": {"x": 1}},
        ...               {"api": "b", "parameters": {"y": "$1.out"}}])
        [{'api': 'a', 'parameters': {'x': 1}}, {'api': 'b', 'parameters': {'y': '$0.out'}}]
    """
    same = repeats(plan)
    rewired = [
        {
            "api": call.get("api"),
            "parameters": {
                name: _point_to(value, same) for name, value in call.get("parameters", {}).items()
            },
        }
        for call in plan
    ]
    return drop_calls(rewired, set(same))


def _point_to(value: Any, mapping: Mapping[int, int]) -> Any:
    m = INTERNAL_REFERENCE.match(value) if isinstance(value, str) else None
    if m and int(m.group(1)) in mapping:
        return f"${mapping[int(m.group(1))]}.{m.group(2)}"
    return value


def finish_plan(
    plan: Sequence[Mapping[str, Any]],
    query: str,
    *,
    stop_on_repeat: bool = True,
    drop_ungrounded: bool = True,
) -> tuple[list[dict[str, Any]], list[int]]:
    """The post-processing every planner applies to a parsed plan, local or remote.

    ``stop_on_repeat`` drops calls identical to an earlier one (:func:`drop_repeats`);
    ``drop_ungrounded`` drops :func:`ungrounded_calls`.

    Returns:
        The plan kept, and the positions in ``plan`` of the calls dropped.
    """
    kept = list(range(len(plan)))
    out = [dict(c) for c in plan]
    if stop_on_repeat:
        same = repeats(plan)
        out, kept = drop_repeats(plan), [i for i in kept if i not in same]
    if drop_ungrounded:
        drop = ungrounded_calls(out, query)
        out, kept = drop_calls(out, drop), [i for n, i in enumerate(kept) if n not in drop]
    return out, sorted(set(range(len(plan))) - set(kept))


def dumps(plan: Sequence[Mapping[str, Any]]) -> str:
    """The compact JSON text the planner is trained to emit (fewer tokens than pretty JSON)."""
    return json.dumps(list(plan), ensure_ascii=False, separators=(",", ":"))


def parse(text: str) -> list[dict[str, Any]]:
    """Parse the model's text into internal-form calls.

    Accepts the JSON list alone or surrounded by chatter or a code fence (unconstrained models
    add both); raises :class:`PlanFormatError` when no list of ``{"api", "parameters"}`` objects
    can be read.
    """
    start = text.find("[")
    if start < 0:
        raise PlanFormatError(f"no JSON list in the output: {text[:80]!r}")
    try:
        data, _ = json.JSONDecoder().raw_decode(text[start:])
    except json.JSONDecodeError as err:
        raise PlanFormatError(f"output is not valid JSON ({err.msg}): {text[:80]!r}") from err
    if not isinstance(data, list):
        raise PlanFormatError("the plan must be a JSON list of calls")
    calls: list[dict[str, Any]] = []
    for i, item in enumerate(data):
        if not isinstance(item, dict) or not isinstance(item.get("api"), str):
            raise PlanFormatError(f'call {i} is not an object with a string "api": {item!r}')
        params = item.get("parameters", {})
        if not isinstance(params, dict):
            raise PlanFormatError(f"call {i}: 'parameters' must be an object, got {params!r}")
        calls.append({"api": item["api"], "parameters": params})
    return calls
