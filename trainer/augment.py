"""Training instances made from the training set's own verified calls, grounded by construction.

**Parallel calls** (one tool called twice with different arguments, "weather in Paris, and in
Rome"): Seal-Tools has almost none, so the planner never learns to write them. From a
single-call instance whose argument values are spans of its query, and another call of the same
tool elsewhere in the data with the same parameters, a second request is written by replacing
each value's span with the other call's value; the two requests are joined, and the plan is the
two calls. Every value of the second call is a span of the new query.

**Coordinated values** ("weather in Paris and Rome", "prices of AMZN, NVDA and INTC"): in a
single-call instance, one argument's span is replaced by a coordination of its value and one or
two other values that the same parameter takes elsewhere in the data; the plan is one call per
value, the other arguments unchanged. This is the elliptic form people write far more often than
two whole requests.

Example:
    >>> from toolrag.types import Instance
    >>> a = Instance(id="a", query="Weather in Paris in celsius.", calling=[
    ...     {"api": "getWeather", "parameters": {"city": "Paris", "unit": "celsius"}}])
    >>> b = Instance(id="b", query="Is it warm in Rome?", calling=[
    ...     {"api": "getWeather", "parameters": {"city": "Rome", "unit": "celsius"}}])
    >>> [i.query for i in parallel_instances([a, b], n=2, seed=0)]
    ['Weather in Paris in celsius. Also, weather in Rome in celsius.', 'Is it warm in Rome? Do the same for this: is it warm in Paris?']
    >>> [i.query for i in coordinated_instances([a, b], n=2, seed=0, three_share=0)]
    ['Weather in Paris and also Rome in celsius.', 'Is it warm in Rome and also Paris?']
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from itertools import pairwise

from toolrag.text import split_identifier
from toolrag.types import REFERENCE_PATTERN, Instance, ParamType, Tool, ToolCall

CONNECTIVES = ("Also, ", "And ", "Then ", "Do the same for this: ")


def _span(value: object, query: str) -> re.Match[str] | None:
    if not isinstance(value, str | int | float) or isinstance(value, bool) or value == "":
        return None
    return re.search(rf"(?<!\w){re.escape(str(value))}(?!\w)", query)


def _replaced(
    query: str, call: ToolCall, other: ToolCall
) -> tuple[str, list[tuple[int, int]]] | None:
    """``query`` with each of ``call``'s values that ``other`` changes replaced by ``other``'s,
    and where the new values stand in it; None when that cannot be done safely (see
    :func:`second_request`)."""
    if set(call.parameters) != set(other.parameters) or call.references() or other.references():
        return None
    if all(str(call.parameters[k]) == str(other.parameters[k]) for k in call.parameters):
        return None
    spans = []
    for name, value in call.parameters.items():
        new = other.parameters[name]
        if str(new) == str(value):
            continue
        match = _span(value, query)
        if match is None or _span(new, query) is not None:
            return None  # not replaceable, or the new value is already said
        spans.append((match.start(), match.end(), str(new)))
    spans.sort()
    if any(a[1] > b[0] for a, b in pairwise(spans)):
        return None  # overlapping spans
    out, pos, shift, where = [], 0, 0, []
    for start, end, new in spans:
        out += [query[pos:start], new]
        where.append((start + shift, start + shift + len(new)))
        shift += len(new) - (end - start)
        pos = end
    return "".join([*out, query[pos:]]), where


def second_request(query: str, call: ToolCall, other: ToolCall) -> str | None:
    """``query`` rewritten to ask for ``other``'s arguments instead of ``call``'s, or None when
    that cannot be done safely: different parameter names, a value of ``call`` that is not a
    span of the query (it could not be replaced), or nothing that differs."""
    replaced = _replaced(query, call, other)
    return None if replaced is None else replaced[0]


PREPOSITIONS = ("in", "on", "at", "for", "to", "from", "of", "with", "by", "into", "about")
_PREPOSITION = rf"\b({'|'.join(PREPOSITIONS)})\s+"
_BEFORE_VALUE = re.compile(rf"{_PREPOSITION}$", re.IGNORECASE)
"""A preposition right before a value ("in " of "in Paris")."""
_LEAD = re.compile(rf"(?:{_PREPOSITION})?[\"']?$", re.IGNORECASE)
"""What an elliptic second request starts with before its first value: a preposition, a quote."""
MAX_TAIL_WORDS = 3
"""Words after the last changed value that an elliptic second request repeats."""


def elliptic_request(query: str, call: ToolCall, other: ToolCall) -> str | None:
    """``query`` and its :func:`second_request` for ``other`` said as one elliptic request:
    the second keeps only what changes, from the preposition before its first new value to the
    end ("Weather in Paris in celsius" and "... in Rome in fahrenheit": "Weather in Paris in
    celsius and in Rome in fahrenheit."). None where :func:`second_request` is None, where the
    first new value opens the request (nothing to elide), or where more than
    :data:`MAX_TAIL_WORDS` words follow the last one (the elided part would be the request).

    Example:
        >>> a = ToolCall(api="getWeather", parameters={"city": "Paris", "unit": "celsius"})
        >>> b = ToolCall(api="getWeather", parameters={"city": "Rome", "unit": "fahrenheit"})
        >>> elliptic_request("Weather in Paris in celsius.", a, b)
        'Weather in Paris in celsius and in Rome in fahrenheit.'
    """
    replaced = _replaced(query, call, other)
    if replaced is None:
        return None
    second, where = replaced
    body = second.rstrip().rstrip(".?!")
    start, end = where[0][0], where[-1][1]
    lead = _LEAD.search(second[:start])
    start = lead.start() if lead else start
    if not second[:start].strip() or len(body[end:].split()) > MAX_TAIL_WORDS:
        return None
    if re.search(r"[.!?]\s", body[start:]):
        return None  # the changes run over sentences: not one elided phrase
    first = query.strip()
    mark = first[-1] if first[-1:] in ".?!" else "."
    return f"{first.rstrip('.?!')} and {body[start:].strip()}{mark}"


def parallel_instances(
    instances: Sequence[Instance],
    *,
    n: int,
    seed: int = 0,
    id_prefix: str = "parallel",
    elliptic: bool = False,
) -> list[Instance]:
    """Up to ``n`` two-call instances (see the module docstring), drawn reproducibly: two
    joined requests, or with ``elliptic`` one request whose second half says only what changes
    (:func:`elliptic_request`)."""
    rng = random.Random(seed)
    calls_by_api: dict[str, list[ToolCall]] = defaultdict(list)
    for inst in instances:
        for call in inst.calls:
            calls_by_api[call.api].append(call)
    singles = [i for i in instances if len(i.calls) == 1]
    rng.shuffle(singles)
    out: list[Instance] = []
    for inst in singles:
        if len(out) >= n:
            break
        call = inst.calls[0]
        others = list(calls_by_api[call.api])
        rng.shuffle(others)
        for other in others:
            query = _joined(inst.query, call, other, rng, elliptic)
            if query is None:
                continue
            new = ToolCall(api=call.api, parameters=dict(other.parameters))
            out.append(
                Instance(
                    id=f"{id_prefix}-{inst.id}",
                    query=query,
                    calling=[
                        ToolCall(api=call.api, parameters=dict(call.parameters)),
                        new,
                    ],
                )
            )
            break
    return out


def _joined(
    query: str, call: ToolCall, other: ToolCall, rng: random.Random, elliptic: bool
) -> str | None:
    if elliptic:
        return elliptic_request(query, call, other)
    second = second_request(query, call, other)
    if second is None:
        return None
    first = query.strip()
    if first[-1:] not in ".?!":
        first += "."
    return f"{first} {rng.choice(CONNECTIVES)}{second[:1].lower()}{second[1:]}"


def _coordination(values: Sequence[str], rng: random.Random, lead: str = "") -> str:
    """The values coordinated; ``lead`` (a preposition and a space) repeated before each value
    after the first ("in Paris and in Rome")."""
    first, *rest = values
    rest = [f"{lead}{v}" for v in rest]
    if len(rest) == 1:
        return f"{first}{rng.choice((' and ', ' and also ', ' as well as '))}{rest[0]}"
    return f"{', '.join([first, *rest[:-1]])} and {rest[-1]}"


def coordinated_instances(
    instances: Sequence[Instance],
    *,
    n: int,
    seed: int = 0,
    id_prefix: str = "coordinated",
    three_share: float = 0.3,
    lead_share: float = 0.0,
) -> list[Instance]:
    """Up to ``n`` instances of one tool called for two or three values of one parameter, said
    as a coordination in the query (see the module docstring), drawn reproducibly. Only values
    that are word-bounded spans of the query, said once, are coordinated; the other values come
    from the same tool's parameter elsewhere in ``instances`` and are not already in the query.
    Where a preposition stands before the value, ``lead_share`` of the coordinations repeat it
    before each other value ("in Paris and in Rome")."""
    rng = random.Random(seed)
    pool: dict[tuple[str, str], list[str]] = defaultdict(list)
    by_name: dict[str, list[str]] = defaultdict(list)
    for inst in instances:
        for call in inst.calls:
            for name, value in call.parameters.items():
                if _span(value, str(value)) and not REFERENCE_PATTERN.match(str(value)):
                    pool[call.api, name].append(str(value))
                    by_name[name].append(str(value))
    singles = [i for i in instances if len(i.calls) == 1 and not i.calls[0].references()]
    rng.shuffle(singles)
    out: list[Instance] = []
    for inst in singles:
        if len(out) >= n:
            break
        call = inst.calls[0]
        names = [k for k, v in call.parameters.items() if _span(v, inst.query) is not None]
        rng.shuffle(names)
        for name in names:
            value = call.parameters[name]
            text = str(value)
            if len(re.findall(rf"(?<!\w){re.escape(text)}(?!\w)", inst.query)) != 1:
                continue
            k = 2 if rng.random() < three_share else 1
            # the same tool's values first; the same parameter name in other tools otherwise
            for source in (pool[call.api, name], by_name[name]):
                others = sorted(
                    {
                        v
                        for v in source
                        if v != text
                        and (not isinstance(value, int) or v.lstrip("-").isdigit())
                        and _span(v, inst.query) is None
                        and text not in v
                        and v not in text
                    }
                )
                if len(others) >= k:
                    break
            if len(others) < k:
                continue
            extra = rng.sample(others, k)
            match = _span(value, inst.query)
            assert match is not None
            start, end = match.span()
            quote = inst.query[start - 1 : start] if start else ""
            if quote in ("'", '"') and inst.query[end : end + 1] == quote:
                start, end = start - 1, end + 1
                said = [f"{quote}{v}{quote}" for v in (text, *extra)]
            else:
                said = [text, *extra]
            lead = ""
            before = _BEFORE_VALUE.search(inst.query[:start])
            if before and lead_share > 0 and rng.random() < lead_share:
                lead = f"{before.group(1)} "
            query = inst.query[:start] + _coordination(said, rng, lead) + inst.query[end:]
            kind = type(value)
            calls = [ToolCall(api=call.api, parameters=dict(call.parameters))]
            for v in extra:
                params = dict(call.parameters)
                params[name] = int(v) if kind is int and v.lstrip("-").isdigit() else v
                calls.append(ToolCall(api=call.api, parameters=params))
            out.append(Instance(id=f"{id_prefix}-{inst.id}", query=query, calling=calls))
            break
    return out


NESTED_PHRASES = (
    "the {param} from the previous API call",
    "the {param} obtained from the previous step",
    "the {param} mentioned in the previous API call",
    "the same {noun}",
    "this {noun}",
    "the {noun} it returned",
    "that {noun}",
)
"""How a request says that a value is an earlier call's output, in the words of dev.jsonl's
nested requests ("the ID from previous API call", "the event ID obtained from the
registration", "the location mentioned in the previous API call", "the same patient", "this
location"), and two more plain ways of pointing back; ``{param}`` is the parameter's name as
words, ``{noun}`` its last word."""


def nested_instances(
    instances: Sequence[Instance],
    tools: Mapping[str, Tool],
    *,
    n: int,
    seed: int = 0,
    id_prefix: str = "nested",
) -> list[Instance]:
    """Up to ``n`` two-call instances whose second call takes the first call's output, drawn
    reproducibly: a single-call request A whose tool has outputs, then a single-call request B
    of another tool with a required string value said once in it; that value's span becomes a
    phrase that points back (:data:`NESTED_PHRASES`), and B's parameter takes A's first
    output (``API_call_0``: what 28 of 32 references in dev.jsonl point to). B's other values
    stay spans of the new query.

    Example:
        >>> from toolrag.types import Param
        >>> tools = {"geo": Tool(name="geo", parameters=[Param(name="city", required=True)],
        ...                      outputs=[Param(name="lat"), Param(name="lon")]),
        ...          "energy": Tool(name="energy", parameters=[Param(name="location", required=True)],
        ...                         outputs=[Param(name="supply")])}
        >>> a = Instance(id="a", query="Locate Oslo.", calling=[{"api": "geo", "parameters": {"city": "Oslo"}}])
        >>> b = Instance(id="b", query="Get the energy supply in London.", calling=[
        ...     {"api": "energy", "parameters": {"location": "London"}}])
        >>> [(i.query, [c.parameters for c in i.calls]) for i in nested_instances([a, b], tools, n=1)]
        [('Locate Oslo. Once that is done, get the energy supply in the location mentioned in the previous API call.', [{'city': 'Oslo'}, {'location': 'API_call_0'}])]
    """
    rng = random.Random(seed)
    singles = [
        i
        for i in instances
        if len(i.calls) == 1 and not i.calls[0].references() and i.calls[0].api in tools
    ]
    producers = [i for i in singles if tools[i.calls[0].api].outputs]
    rng.shuffle(producers)
    consumers = list(singles)
    rng.shuffle(consumers)
    out: list[Instance] = []
    for a in producers:
        if len(out) >= n:
            break
        tool_a = tools[a.calls[0].api]
        for b in consumers:
            call = b.calls[0]
            tool_b = tools[call.api]
            if call.api == tool_a.name:
                continue
            required = {
                p.name for p in tool_b.parameters if p.required and p.type == ParamType.STRING
            }
            names = [
                k
                for k, v in call.parameters.items()
                if k in required
                and isinstance(v, str)
                and len(re.findall(rf"(?<!\w){re.escape(v)}(?!\w)", b.query)) == 1
            ]
            if not names:
                continue
            name = rng.choice(names)
            match = _span(call.parameters[name], b.query)
            assert match is not None
            start, end = match.span()
            if (
                b.query[start - 1 : start] in ("'", '"')
                and b.query[end : end + 1] == b.query[start - 1]
            ):
                start, end = start - 1, end + 1  # the quotes go with the value
            start -= len(
                _DETERMINER.search(b.query[:start])[0]
            )  # so does "a", "the" or "$" before it
            words = split_identifier(name).split()
            phrase = rng.choice(NESTED_PHRASES).format(param=" ".join(words), noun=words[-1])
            second = b.query[:start] + phrase + b.query[end:]
            first = a.query.strip()
            if first[-1:] not in ".?!":
                first += "."
            query = f"{first} {rng.choice(_THEN)}{second[:1].lower()}{second[1:]}"
            n_out = len(tool_a.outputs)
            first_call = ToolCall(
                api=tool_a.name,
                parameters=dict(a.calls[0].parameters),
                responses=[f"API_call_{j}" for j in range(n_out)],
            )
            params = dict(call.parameters) | {name: "API_call_0"}
            second_call = ToolCall(
                api=call.api,
                parameters=params,
                responses=[f"API_call_{n_out + j}" for j in range(len(tool_b.outputs))],
            )
            out.append(
                Instance(
                    id=f"{id_prefix}-{a.id}-{b.id}", query=query, calling=[first_call, second_call]
                )
            )
            consumers.remove(b)
            break
    return out


_THEN = ("Then, ", "After that, ", "Next, ", "Once that is done, ")
_DETERMINER = re.compile(r"(?:(?<!\w)(?:a|an|the)\s+|\$)?$", re.IGNORECASE)
