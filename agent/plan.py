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
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from toolrag.agent.grounding import (
    context_words,
    grounded,
    mentioned,
    query_numbers,
    stated_values,
    states,
    tokens,
)
from toolrag.types import (
    INTERNAL_REFERENCE,
    Param,
    PlanFormatError,
    Tool,
    ToolCall,
    dumps_plan,
    parse_plan,
    reference_id,
)


def response_ids(calls: Sequence[str], tools: Mapping[str, Tool]) -> list[list[str]]:
    """The Seal-Tools output ids of each call, numbered across the plan in call order.

    A tool that is not in ``tools`` (an invented one) owns no ids.
    """
    ids: list[list[str]] = []
    offset = 0
    for api in calls:
        n = len(tools[api].returns) if api in tools else 0
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
    fields = [p.name for p in tools[apis[target]].returns]
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
        for j, p in enumerate(tools[call.api].returns):
            owner[offset + j] = (i, p.name)
        offset += len(tools[call.api].returns)
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


def _value_texts(call: Mapping[str, Any], flags: bool = True) -> list[str]:
    """A call's literal values (list items one by one) as :func:`_as_text`; no references,
    no booleans unless ``flags``."""
    out: list[str] = []
    for value in call.get("parameters", {}).values():
        for v in value if isinstance(value, list) else [value]:
            if isinstance(v, bool) and not flags:
                continue
            if v is not None and literal(v) and not isinstance(v, dict):
                out.append(_as_text(v))
    return out


def adds_nothing(call: Mapping[str, Any], earlier: Sequence[Mapping[str, Any]]) -> bool:
    """Whether ``call`` is identical to one of ``earlier``, or calls a tool they already call
    with only values those calls already gave: ``bmi(weight=175, height=70)`` after
    ``bmi(weight=70, height=175)`` is the same request with its values swapped, not a second
    one. Flags are not counted: ``meta(file, thumbnail=true)`` after ``meta(file,
    thumbnail=false)`` asks for the same file again (no such pair in Seal-Tools' dev and test
    sets). A second call to a tool ("weather in Paris and in Rome") states a new value.

    Example:
        >>> bmi = {"api": "bmi", "parameters": {"weight": 70, "height": 175}}
        >>> adds_nothing({"api": "bmi", "parameters": {"weight": 175, "height": 70}}, [bmi])
        True
        >>> adds_nothing({"api": "bmi", "parameters": {"weight": 82, "height": 175}}, [bmi])
        False
        >>> adds_nothing({"api": "bmi", "parameters": {"weight": 70, "metric": True}}, [bmi])
        True
    """
    key = call_key(call)
    if any(call_key(c) == key for c in earlier):
        return True
    mine = _value_texts(call, flags=False)
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
    before = [v for c in earlier for v in c.get("parameters", {}).values() if literal(v)]
    params = [(k, v) for k, v in call.get("parameters", {}).items() if literal(v)]
    out: dict[str, list[Any]] = {}
    for j, (name, value) in enumerate(params):
        said = [v for v in [*before, *(v for _, v in params[:j])] if _said_in(v, value)]
        if said:
            out[name] = list(dict.fromkeys(said))
    return out


def _stems(text: str) -> set[str]:
    return {t[:5] for t in tokens(_spaced(text))}


def names_only(call: Mapping[str, Any], tool: Tool) -> list[str]:
    """The optional parameters of ``call`` whose string value is made only of words of the
    tool's name or the parameter's own name (first five letters): ``findShelter(gender=
    "shelter")``, ``"city": "city"``, or only points back (:func:`points_back`: ``"the same
    city"``, ``"the previous API response"``). Such a value names what the call is about, it
    does not give one: in Seal-Tools' dev.jsonl 1 of 480 optional string values is like this, against
    14 of 2,422 required ones (required parameters are left as they are).

    Example:
        >>> from toolrag.types import Param
        >>> tool = Tool(name="findShelter", parameters=[Param(name="near", required=True),
        ...                                            Param(name="gender")])
        >>> names_only({"api": "findShelter", "parameters": {"near": "shelter", "gender": "Shelters"}}, tool)
        ['gender']
    """
    optional = {p.name for p in tool.parameters if not p.required}
    own = _stems(tool.name)
    return [
        k
        for k, v in (call.get("parameters") or {}).items()
        if k in optional
        and isinstance(v, str)
        and not INTERNAL_REFERENCE.match(v)
        and (words := _stems(v))
        and (words <= own | _stems(k) or points_back(v, _name_words(tool.name, k)))
    ]


POINTERS = frozenset(
    [
        "the",
        "same",
        "this",
        "that",
        "these",
        "those",
        "its",
        "their",
        "previous",
        "above",
        "said",
        "mentioned",
        "aforementioned",
    ]
)
"""Words that point back at something named before ("the same location", "this word")."""

EARLIER_OUTPUT = frozenset(
    ["api", "call", "response", "result", "results", "output", "obtained", "returned", "found"]
)
"""Words that name an earlier call's output: a value such as "the previous API response" or
"the location found in the previous call" points at one (no literal string value in
dev.jsonl is made only of these words, :data:`POINTERS`, :data:`LINKS` and its parameter's
or tool's name)."""

LINKS = frozenset(["in", "from", "of", "by"])
"""Words that join a pointer to what it points at ("the ID from the previous call")."""


def points_back(value: str, names: set[str] = frozenset()) -> bool:
    """Whether ``value`` only points at something named before: made of :data:`POINTERS`,
    :data:`EARLIER_OUTPUT`, :data:`LINKS` and ``names`` (lower-case words), with at least one
    word that is not a bare pointer or link ("the same" is one), and no other word.

    Example:
        >>> [points_back(v, {"location"}) for v in ("the previous API response", "the same",
        ...     "location found in the previous API response", "this Oslo", "the", "of the")]
        [True, True, True, False, False, False]
    """
    if not re.fullmatch(r"[A-Za-z]+(?: [A-Za-z]+)*", value):
        return False
    words = value.lower().split()
    known = POINTERS | EARLIER_OUTPUT | LINKS
    return all(w in known or w in names for w in words) and any(
        w in names or w in EARLIER_OUTPUT or w == "same" for w in words
    )


def placeholders(call: Mapping[str, Any], tool: Tool) -> list[str]:
    """The required parameters of ``call`` whose string value only names the tool or one of
    its parameters, bare or behind words that point back (:data:`POINTERS`): ``"platform":
    "platform"``, ``"location": "the same location"``, ``"person": "Same"``,
    ``getPersonalityTraits(person_name="Personality Traits")``, or that names an earlier
    output (:data:`EARLIER_OUTPUT`: ``"the previous API response"``); see
    :func:`points_back`. Such a value stands for one the query gave before, not for itself:
    1 of dev.jsonl's 2,422 literal required string values is like this
    (``translateToOdia(target_language="Odia")``).

    Example:
        >>> from toolrag.types import Param
        >>> tool = Tool(name="getDepth", parameters=[Param(name="location", required=True)])
        >>> placeholders({"api": "getDepth", "parameters": {"location": "the same location"}}, tool)
        ['location']
        >>> placeholders({"api": "getDepth", "parameters": {"location": "the same Oslo"}}, tool)
        []
    """
    required = {p.name for p in tool.parameters if p.required}
    name = _name_words(tool.name, *(p.name for p in tool.parameters))
    name |= {w + "s" for w in name}
    return [
        k
        for k, v in (call.get("parameters") or {}).items()
        if k in required and isinstance(v, str) and points_back(v, name)
    ]


def unstated(call: Mapping[str, Any], tool: Tool, query: str) -> list[str]:
    """The required parameters of ``call`` holding a literal number or string (no enum) that
    ``query`` does not state (:func:`toolrag.agent.grounding.states`): ``"project_id": 1`` for
    "add a task to the project I just created". In a later call such a value is made up unless
    an earlier output holds it.

    Example:
        >>> from toolrag.types import Param
        >>> tool = Tool(name="addTask", parameters=[
        ...     Param(name="project_id", type="integer", required=True),
        ...     Param(name="task", required=True)])
        >>> call = {"api": "addTask", "parameters": {"project_id": 1, "task": "Clean up"}}
        >>> unstated(call, tool, "Create a project on October 1, 2022 and add 'Clean up' to it")
        ['project_id']
    """
    required = {p.name: p for p in tool.parameters if p.required}
    out = []
    for k, v in (call.get("parameters") or {}).items():
        param = required.get(k)
        if param is None or "enum" in param.value_schema() or not literal(v):
            continue
        if not states(v, query):  # flags, lists and objects count as stated
            out.append(k)
    return out


def _literals(value: Any) -> list[Any]:
    """The literal scalars in an argument value: list items and object fields one by one."""
    if isinstance(value, dict):
        return [x for v in value.values() for x in _literals(v)]
    if isinstance(value, list):
        return [x for v in value for x in _literals(v)]
    return [] if value is None or not literal(value) else [value]


def _uses(form: Any, value: Any) -> bool:
    """Whether an argument ``value`` uses a stated value's ``form``: it says it
    (:func:`_said_in`), or is a piece of it (``"brain_activity.csv"`` of the quoted
    ``"the file brain_activity.csv"``)."""
    if _said_in(form, value):
        return True
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _as_text(value) == _as_text(form).strip()  # "59" quoted, 59 written
    return (
        isinstance(form, str)
        and isinstance(value, str)
        and len(value.strip()) >= 3
        and value.strip().lower() in form.lower()
    )


def stated_enum_members(query: str, tools: Sequence[Tool]) -> list[str]:
    """The members of the tools' enum parameters (and enum array items) that ``query`` says as
    words (:func:`toolrag.agent.grounding.mentioned`)."""
    out: dict[str, None] = {}
    for tool in tools:
        for p in tool.parameters:
            schema = p.value_schema()
            items = schema.get("items") if isinstance(schema.get("items"), dict) else {}
            for member in [*schema.get("enum", ()), *items.get("enum", ())]:
                if isinstance(member, str) and mentioned(member, query):
                    out[member] = None
    return list(out)


def unused_values(
    query: str, plan: Sequence[Mapping[str, Any]], tools: Sequence[Tool] = ()
) -> list[tuple[Any, ...]]:
    """The values ``query`` states (:func:`toolrag.agent.grounding.stated_values`, and the members of
    ``tools``' enums it says) that no literal argument of ``plan`` uses, each as the forms it
    may take. A quoted tool name is not a value.

    A request states the values its calls need: a value with no call to take it ("Weather
    in Madrid in celsius and in Denver in fahrenheit" planned as one call) is the mark of a
    missed call or a parameter left out. In Seal-Tools' dev.jsonl, 4 of 200 single-call and
    47 of 500 multi-call gold plans leave one unused.

    Example:
        >>> plan = [{"api": "avg", "parameters": {"numbers": [1, 2, 3]}}]
        >>> unused_values("Average of 1, 2, 3 and also of 10, 20", plan)
        [(10,), (20,)]
    """
    names = {t.name.lower() for t in tools}
    facts = [
        f for f in stated_values(query) if not (isinstance(f[0], str) and f[0].lower() in names)
    ]
    facts += [(m,) for m in stated_enum_members(query, tools) if (m,) not in facts]
    literals = [
        x for call in plan for v in call.get("parameters", {}).values() for x in _literals(v)
    ]
    return [f for f in facts if not _any_use(literals, [f])]


def takes_any(call: Mapping[str, Any], values: Sequence[tuple[Any, ...]]) -> bool:
    """Whether a literal argument of ``call`` uses one of ``values`` (each as its forms, as
    :func:`unused_values` gives them): says it as whole words or as the same number, or is a
    piece of a quoted span of it.

    Example:
        >>> call = {"api": "mail", "parameters": {"to": "bob@x.org", "cc": ["Ann"], "n": 20}}
        >>> takes_any(call, [("Bob@x.org",)]), takes_any(call, [(2,)]), takes_any(call, [("20",)])
        (True, False, True)
    """
    return _any_use([x for v in call.get("parameters", {}).values() for x in _literals(v)], values)


def _any_use(literals: Sequence[Any], values: Sequence[tuple[Any, ...]]) -> bool:
    """Whether one of ``literals`` uses a form of one of ``values`` (:func:`_uses`)."""
    return any(_uses(form, v) for fact in values for form in fact for v in literals)


def _can_take(schema: Mapping[str, Any], form: Any) -> bool:
    """Whether a value of ``schema`` could be ``form``: a member of its enum, or a number of
    its type (plain strings could take anything, so they never count)."""
    if "enum" in schema:
        return any(_as_text(m) == _as_text(form) for m in schema["enum"])
    kind = schema.get("type")
    if isinstance(form, bool) or not isinstance(form, int | float):
        return False
    return kind == "number" or (kind == "integer" and float(form).is_integer())


def _about(query: str, form: Any, param: Param) -> bool:
    """Whether the words around the number ``form`` in ``query`` name what ``param`` is: a
    word of its name or description shares its first 4 letters with one of them ("2 large
    pizzas" and "How many pizzas")."""
    if not isinstance(form, int | float) or isinstance(form, bool):
        return True  # an enum member names itself
    near = {w[:4] for w in context_words(query, form) if len(w) >= 3}
    own = {w[:4] for w in tokens(f"{_spaced(param.name)} {param.description}") if len(w) >= 3}
    return bool(near & own)


def _name_words(*names: str) -> set[str]:
    """The lower-case words of identifiers (:func:`_spaced`)."""
    return {w.lower() for n in names for w in _spaced(n).split()}


def _spaced(name: str) -> str:
    """A parameter name as words: ``weight_kg`` -> ``weight kg``, ``partySize`` -> ``party
    Size``."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])|_", " ", name)


def fillable(
    plan: Sequence[Mapping[str, Any]],
    values: Sequence[tuple[Any, ...]],
    tools: Sequence[Tool],
    query: str,
) -> list[tuple[int, str]]:
    """``(call index, parameter)`` for each optional parameter a call of ``plan`` leaves out
    that could take one of ``values`` (:func:`unused_values`): an enum with it as a member, or
    a number parameter (an array of either for its items) for a number that ``query`` writes
    beside a word of the parameter's name or description ("2 large pizzas" for "How many
    pizzas", not "a 1-year timeframe" for "population density").

    Example:
        >>> from toolrag.types import Param, Tool
        >>> pizza = Tool(name="pizza", parameters=[Param(name="size", required=True),
        ...     Param(name="quantity", type="integer", description="How many pizzas"),
        ...     Param(name="budget", type="integer"), Param(name="note")])
        >>> fillable([{"api": "pizza", "parameters": {"size": "large"}}], [(2,)], [pizza],
        ...          "Order 2 large pizzas")
        [(0, 'quantity')]
    """
    by_name = {t.name: t for t in tools}
    out = []
    for i, call in enumerate(plan):
        tool = by_name.get(call.get("api", ""))
        for p in tool.parameters if tool else ():
            if p.required or p.name in call.get("parameters", {}):
                continue
            schema = p.value_schema()
            items = schema.get("items")
            if schema.get("type") == "array" and isinstance(items, dict):
                schema = items
            if any(
                _can_take(schema, form) and _about(query, form, p)
                for fact in values
                for form in fact
            ):
                out.append((i, p.name))
    return out


def widens(call: Mapping[str, Any], plan: Sequence[Mapping[str, Any]]) -> int | None:
    """The index of the call of ``plan`` that ``call`` widens: one to the same tool whose
    every argument ``call`` also gives, with the same value, while giving more; None if there
    is none, or if ``call`` references an earlier output (it could not take that call's place).

    Example:
        >>> flights = {"api": "flights", "parameters": {"origin": "Oslo"}}
        >>> widens({"api": "flights", "parameters": {"origin": "Oslo", "cabin": "business"}},
        ...        [flights])
        0
        >>> widens({"api": "flights", "parameters": {"origin": "Rome"}}, [flights]) is None
        True
    """
    params = call.get("parameters", {})
    if _references(call):
        return None
    for i, old in enumerate(plan):
        mine = old.get("parameters", {})
        if (
            old.get("api") == call.get("api")
            and len(params) > len(mine)
            and all(k in params and params[k] == v for k, v in mine.items())
        ):
            return i
    return None


def corrects(call: Mapping[str, Any], plan: Sequence[Mapping[str, Any]]) -> int | None:
    """The index of the call of ``plan`` that ``call`` corrects: one to the same tool, whose
    arguments ``call`` all gives, where each value ``call`` changes was borrowed from another
    call of the plan (one value fills one argument: ``"artist": "Note-taking App"`` beside
    ``"application_name": "Note-taking App"``); None if there is none, or if ``call``
    references an earlier output.

    Example:
        >>> plan = [{"api": "art", "parameters": {"artist": "Notes", "title": "Pixel"}},
        ...         {"api": "migrate", "parameters": {"app": "Notes"}}]
        >>> corrects({"api": "art", "parameters": {"artist": "Picasso", "title": "Pixel"}}, plan)
        0
        >>> corrects({"api": "art", "parameters": {"artist": "Notes", "title": "Rain"}}, plan)
    """
    params = call.get("parameters", {})
    if _references(call):
        return None
    for i, old in enumerate(plan):
        mine = old.get("parameters", {})
        changed = [k for k, v in mine.items() if params.get(k, v) != v]
        if old.get("api") != call.get("api") or not changed or not set(mine) <= set(params):
            continue
        others = [
            v for j, c in enumerate(plan) if j != i for v in _literals(c.get("parameters", {}))
        ]
        if all(
            literal(mine[k]) and any(_said_in(o, mine[k]) or _said_in(mine[k], o) for o in others)
            for k in changed
        ):
            return i
    return None


def literal(value: Any) -> bool:
    """Whether ``value`` is not a reference to an earlier output (``"$0.location"``)."""
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
        literals = [v for v in params.values() if literal(v)]
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


def numbers_as_written(
    plan: Sequence[Mapping[str, Any]], query: str, tools: Mapping[str, Tool]
) -> list[dict[str, Any]]:
    """``plan`` with a whole number given to a ``number`` parameter written as the query writes
    it: "$38.0" gives 38.0, "38" stays 38. Grammar engines read a number enum as a value, so
    38.0 comes out as ``38``; a caller that types the parameter as a float gets the float.

    Example:
        >>> from toolrag.types import ParamType
        >>> tools = {"tax": Tool(name="tax", parameters=[Param(name="income", type=ParamType.NUMBER)])}
        >>> numbers_as_written([{"api": "tax", "parameters": {"income": 38}}], "Tax on $38.0", tools)
        [{'api': 'tax', 'parameters': {'income': 38.0}}]
    """
    written = [x for x in query_numbers(query) if isinstance(x, float) and x.is_integer()]

    def fix(tool: Tool, params: Mapping[str, Any]) -> dict[str, Any]:
        numbers = {p.name for p in tool.parameters if p.value_schema().get("type") == "number"}
        return {
            k: float(v)
            if k in numbers and isinstance(v, int) and not isinstance(v, bool) and v in written
            else v
            for k, v in params.items()
        }

    return _rewrite(plan, tools, fix)


def _rewrite(
    plan: Sequence[Mapping[str, Any]],
    tools: Mapping[str, Tool],
    fix: Callable[[Tool, Mapping[str, Any]], dict[str, Any]],
) -> list[dict[str, Any]]:
    """``plan`` with each call's arguments as ``fix(tool, arguments)`` gives them; a call to an
    unknown tool, or without an arguments object, as it is."""
    out = []
    for call in plan:
        tool = tools.get(str(call.get("api")))
        params = call.get("parameters")
        if tool is None or not isinstance(params, Mapping):
            out.append(dict(call))
        else:
            out.append(dict(call) | {"parameters": fix(tool, params)})
    return out


dumps = dumps_plan
"""The compact JSON text of a plan (:func:`toolrag.types.dumps_plan`)."""

parse = parse_plan
"""Parse the model's text into JSON-shaped calls (:func:`toolrag.types.parse_plan`)."""
