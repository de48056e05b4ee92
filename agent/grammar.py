"""Grammars for constrained planning, compiled by llguidance.

The constraint the planner needs is context-dependent: call ``i`` may reference only outputs of
calls ``0..i-1``, and only the output fields of the tools *those* calls chose; never an earlier
call to its own tool (none of dev.jsonl's 32 references does, and a model that repeats a tool
fed its own output back: ``getTitle(study_id=$0.title)`` after ``getTitle(study_id=69)``). A single
context-free grammar cannot remember which tool each earlier call picked, so decoding moves
through stages: stage ``i`` is a grammar whose prefix is the literal text of the calls already
written, followed by call ``i`` with exactly the references that are valid now. When call ``i``
closes, the decoder builds stage ``i + 1`` and replays the generated tokens into it.

Each stage also allows the rest of the list loosely (any candidate tool, references to any
earlier index), so that a token which runs past the end of call ``i`` (``"},{"`` is one token in
many vocabularies) is not forbidden; the next stage tightens it again.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from toolrag.agent.grounding import (
    date_forms,
    mentioned,
    query_numbers,
    query_quotes,
    query_runs,
    query_words,
    word_forms,
)
from toolrag.errors import ConfigError
from toolrag.text import split_identifier
from toolrag.types import RESULT, Param, ParamType, Tool

NOT_A_REFERENCE = r"^([^$\s](.*[^\s])?)?$"
"""A plain string value: anything that does not start with ``$`` or start or end with a space."""

STRING_SLACK = 32
"""Characters a grounded string value may run beyond the query's length. Gold values are
spans, codes and short phrases (on dev.jsonl all but one of 2,936 are shorter than their query
plus 32 characters); the bound stops a value that would otherwise run on to the token budget."""


def plain_string_pattern(max_chars: int | None = None) -> str:
    """:data:`NOT_A_REFERENCE`, at most ``max_chars`` characters long (None: any length)."""
    if max_chars is None:
        return NOT_A_REFERENCE
    if max_chars < 2:
        raise ValueError(f"max_chars must be at least 2, got {max_chars}")
    return rf"^([^$\s](.{{0,{max_chars - 2}}}[^\s])?)?$"


Refs = Sequence[tuple[int, Sequence[Param]]]
"""The earlier outputs a value may reference: (call index, that call's output fields)."""


def compatible(output: ParamType, param: ParamType) -> bool:
    """Whether an output of type ``output`` may fill a parameter of type ``param``: the same
    type, an integer for a number, or a string on either side (Seal-Tools' outputs are mostly
    strings that hold numbers, and its references feed them to integer parameters).

    Example:
        >>> compatible(ParamType.STRING, ParamType.INTEGER)
        True
        >>> compatible(ParamType.BOOLEAN, ParamType.INTEGER)
        False
    """
    return (
        output == param
        or ParamType.STRING in (output, param)
        or (output, param) == (ParamType.INTEGER, ParamType.NUMBER)
    )


def _refs_for(param: Param, refs: Refs) -> str | None:
    """The pattern of the references ``param`` may take: type-compatible earlier outputs."""
    return _ref_pattern(
        [(j, [o.name for o in outs if compatible(o.type, param.type)]) for j, outs in refs]
    )


def _ref_pattern(options: Sequence[tuple[int, Sequence[str]]]) -> str | None:
    alts = [
        rf"\${i}\.({'|'.join(re.escape(f) for f in fields)})" for i, fields in options if fields
    ]
    return f"^({'|'.join(alts)})$" if alts else None


STRING_MODES = ("free", "optional", "all", "spans")
"""Which plain string values must be made of the query's words (:meth:`QueryFacts.string_pattern`):
none (any string), the optional parameters' only, or all; ``spans``: all, and the words in the
order the query writes them, one after another."""


def check_string_mode(strings: str) -> str:
    """``strings`` if it is one of :data:`STRING_MODES`.

    Raises:
        ConfigError: any other value.
    """
    if strings not in STRING_MODES:
        raise ConfigError(f"strings must be one of {', '.join(STRING_MODES)}, got {strings!r}")
    return strings


MAX_WORDS = 16
"""The most query words a grounded string value strings together."""


def regex_literal(text: str) -> str:
    """``text`` as a regex (llguidance's syntax) that matches it exactly."""
    return re.sub(r"([\\.+*?()|\[\]{}^$#&~-])", r"\\\1", text)


@dataclass(frozen=True)
class QueryFacts:
    """What a query states that values can be checked against: its numbers
    (:func:`toolrag.agent.grounding.query_numbers`), its words and the separators between them
    (:func:`toolrag.agent.grounding.query_words`) with the ISO form of the dates it writes out, what it
    quotes (:func:`toolrag.agent.grounding.query_quotes`), its dates in ISO form and as written
    (:func:`toolrag.agent.grounding.date_forms`) and its text; ``strings`` says which plain string
    values must be made of its words (one of :data:`STRING_MODES`)."""

    text: str
    numbers: tuple[int | float, ...]
    words: tuple[str, ...] = ()
    separators: tuple[str, ...] = ()
    strings: str = "free"
    quotes: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()  # the ISO form of each date it states
    date_texts: tuple[str, ...] = ()  # each date as it writes it

    @property
    def max_string(self) -> int:
        """The longest plain string value a call may write for this query."""
        return len(self.text) + STRING_SLACK

    @classmethod
    def of(cls, query: str, strings: str = "free") -> QueryFacts:
        check_string_mode(strings)
        words, seps = query_words(query)
        iso, written = date_forms(query)
        words += [d for d in iso if d not in words]
        quotes = tuple(q for q in query_quotes(query) if q not in words)  # one word: a run
        numbers = tuple(query_numbers(query))
        return cls(
            query, numbers, tuple(words), tuple(seps), strings, quotes, tuple(iso), tuple(written)
        )

    def string_pattern(self, required: bool) -> str:
        """The pattern of a plain string value: up to :data:`MAX_WORDS` of the query's words
        (:func:`toolrag.agent.grounding.word_forms`) joined by its separators, or a span it quotes
        whole, where ``strings`` asks it for this parameter; else any string of at most
        :attr:`max_string` characters that does not start with ``$`` or start or end with a
        space. A value made of the query's words cannot invent a name (``"Alembia"`` for
        Adele), cut a word (``"example.com"`` of ``bob@example.com``) or add one (``"Lyon,
        France"``)."""
        if self.strings == "free" or (self.strings == "optional" and required) or not self.words:
            return self._bounded_pattern
        return self._spans_pattern if self.strings == "spans" else self._words_pattern

    @cached_property
    def _bounded_pattern(self) -> str:
        return plain_string_pattern(self.max_string)

    @cached_property
    def _words_pattern(self) -> str:  # built once per query, used by every string parameter
        forms = dict.fromkeys(f for w in self.words for f in word_forms(w))
        word = "(" + "|".join(regex_literal(f) for f in forms) + ")"
        sep = "(" + "|".join(regex_literal(s) for s in self.separators or (" ",)) + ")"
        run = f"{word}({sep}{word}){{0,{MAX_WORDS - 1}}}"
        return "^(" + "|".join([*(regex_literal(q) for q in self.quotes), run]) + ")$"

    @cached_property
    def _spans_pattern(self) -> str:  # built once per query, used by every string parameter
        def word(w: str) -> str:
            forms = word_forms(w)
            return regex_literal(forms[0]) if len(forms) == 1 else _alt(forms)

        spans: dict[str, None] = {}
        for run in map(_joined, query_runs(self.text)):  # only this mode reads the runs
            words = [word(w) for w, _ in run]  # each word's and separator's regex, once
            seps = [_separator(sep) for _, sep in run]
            for i in range(len(run)):
                tail = ""
                for j in reversed(range(i + 1, min(i + MAX_WORDS, len(run)))):
                    tail = f"({seps[j]}{words[j]}{tail})?"
                spans[words[i] + tail] = None
        whole = dict.fromkeys([*self.quotes, *self.dates])  # a date's ISO form: one "word"
        return "^(" + "|".join([*(regex_literal(q) for q in whole), *spans]) + ")$"


_CONJUNCTION = re.compile(r",?\s+(?:and|or)\s+|,\s+", re.IGNORECASE)


def _joined(run: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """``run`` with each "and"/"or" between two words made part of the separator before the
    next word: ``[("a", ""), ("and", " "), ("b", " ")]`` -> ``[("a", ""), ("b", " and ")]``."""
    out: list[tuple[str, str]] = []
    for w, sep in run:
        if len(out) > 1 and out[-1][0].lower() in ("and", "or"):
            conj, before = out.pop()
            sep = before + conj + sep
        out.append((w, sep))
    return out


def _separator(sep: str) -> str:
    """The regex of a separator between two words of a span: as written, or, where it joins
    list items (", and ", " or "), a plain ``", "``: "fever, cough, and sore throat" lists
    its symptoms as ``"fever, cough, sore throat"``."""
    if _CONJUNCTION.fullmatch(sep) and sep != ", ":
        return _alt([sep, ", "])
    return regex_literal(sep)


def _alt(options: Sequence[str]) -> str:
    return "(" + "|".join(regex_literal(o) for o in options) + ")"


def _in_range(schema: dict[str, Any], x: float) -> bool:
    lo, hi = schema.get("minimum"), schema.get("maximum")
    return (lo is None or x >= lo) and (hi is None or x <= hi)


def _grounded(schema: dict[str, Any], facts: QueryFacts, required: bool) -> dict[str, Any] | None:
    """``schema`` narrowed to what the query states, or None where an optional value has
    nothing to take (the parameter is then left out).

    - An integer or number takes one of the query's numbers (of its type, in its range), a
      number as the query writes it (``38.0`` stays 38.0, all of ``0.7372920019796602``): no
      run-on or cut digits (``2`` read as ``200``), no invented counts. A required one whose query
      states no fitting number keeps its plain type.
    - An enum takes the members the query says, if it says any; an optional enum whose members
      the query never says is left out (the tool's default applies).
    - An array of numbers takes its items from the query's numbers.
    """
    kind = schema.get("type")
    if "enum" in schema:
        said = [e for e in schema["enum"] if mentioned(e, facts.text)]
        if said:
            return {"enum": said}
        return schema if required else None
    if kind in ("integer", "number"):
        fits = [
            x if kind == "number" else int(x)
            for x in facts.numbers
            if (kind == "number" or float(x).is_integer()) and _in_range(schema, x)
        ]
        if fits:
            return {"enum": fits}
        return schema if required else None
    if kind == "array" and isinstance(schema.get("items"), dict):
        items = _grounded(schema["items"], facts, required=True)
        if items is not None and items != schema["items"]:
            return schema | {"items": items}
    return schema


def _unstated_number(param: Param, facts: QueryFacts) -> bool:
    """Whether ``param`` takes an integer or number (no enum) and the query states none that
    fits it (:func:`_grounded` keeps its plain type)."""
    schema = param.value_schema()
    if schema.get("type") not in ("integer", "number") or "enum" in schema:
        return False
    return _grounded(schema, facts, required=True) == schema


def _plain_string(schema: Any) -> bool:
    """A string schema with no enum, const, pattern or format of its own."""
    return (
        isinstance(schema, dict)
        and schema.get("type") == "string"
        and not {"enum", "const", "pattern", "format"} & set(schema)
    )


DATE_EXCLUDED = frozenset({"range", "ranges", "format", "formats", "time", "times"})
"""Words that make a parameter named for a date something else: ``date_range``, ``date_format``,
``date_time``."""


def date_param(param: Param) -> bool:
    """A string parameter that takes one calendar date: its schema says ``"format": "date"``,
    or it is a plain string whose name has the word "date" (``due_date``, ``dateOfBirth``) and
    none of :data:`DATE_EXCLUDED`.

    Example:
        >>> [date_param(Param(name=n)) for n in ("due_date", "startDate", "date_range", "update")]
        [True, True, False, False]
    """
    schema = param.value_schema()
    if schema.get("type") != "string":
        return False
    if schema.get("format") == "date":
        return True
    words = set(split_identifier(param.name).split())
    return _plain_string(schema) and "date" in words and not words & DATE_EXCLUDED


def _dated(param: Param, schema: dict[str, Any], facts: QueryFacts) -> dict[str, Any] | None:
    """A date parameter's (:func:`date_param`) schema narrowed to the dates the query states:
    their ISO forms, and for a parameter with no format of its own also the dates as written;
    None where an optional one has none to take (the parameter is then left out), ``schema``
    itself where a required one has none. A year alone is no date: "a horse born in 2010"
    gives ``birth_date`` nothing to take."""
    iso_only = schema.get("format") == "date"
    options = list(dict.fromkeys(facts.dates if iso_only else (*facts.dates, *facts.date_texts)))
    if options:
        return {"type": "string", "enum": options}
    return schema if param.required else None


def closed_objects(schema: Any) -> Any:
    """``schema`` with every object that lists its ``properties`` and says nothing of
    ``additionalProperties`` closed to those properties, at any depth. JSON Schema leaves such
    an object open, and llguidance then lets a call write the outer call's parameters, or
    invented fields, inside it (``"guest": {"first_name": "Ana", "host": "Tom"}``).

    Example:
        >>> closed_objects({"type": "array", "items": {"type": "object", "properties": {"a": {}}}})
        {'type': 'array', 'items': {'type': 'object', 'properties': {'a': {}}, 'additionalProperties': False}}
    """
    if isinstance(schema, list):
        return [closed_objects(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = dict(schema)
    for key in ("items", "anyOf", "oneOf", "allOf", "additionalProperties"):
        if key in out:
            out[key] = closed_objects(out[key])
    if isinstance(out.get("properties"), dict) and out["properties"]:
        out["properties"] = {name: closed_objects(v) for name, v in out["properties"].items()}
        out.setdefault("additionalProperties", False)
    return out


def _value_schema(
    param: Param, refs: Refs = (), facts: QueryFacts | None = None
) -> dict[str, Any] | None:
    """A parameter's value: what its schema admits, or a reference to an earlier output.

    A plain string (no enum, pattern or format of its own) must not start with ``$``, so that a
    reference is always one of the valid ``refs`` whose type fits (:func:`compatible`). Typed
    values take only their type: an integer is never ``"50 kilometers"``, an enum only its
    members, an array its item type, an object its properties. With ``facts``, numbers and enums
    are also narrowed to what the query states (:func:`_grounded`) and a plain string, or an
    array's plain string items, take :meth:`QueryFacts.string_pattern`; None: the parameter can
    only be left out.
    """
    schema: dict[str, Any] | None = closed_objects(param.value_schema())
    pattern = _refs_for(param, refs)
    if facts is not None:
        schema = _grounded(schema, facts, param.required)
        if schema is not None and date_param(param):
            schema = _dated(param, schema, facts)
    if schema is None:
        return {"type": "string", "pattern": pattern} if pattern else None
    if _plain_string(schema):
        schema["pattern"] = (
            facts.string_pattern(param.required) if facts else plain_string_pattern()
        )
    elif facts is not None and schema.get("type") == "array" and _plain_string(schema.get("items")):
        schema = schema | {
            "items": schema["items"] | {"pattern": facts.string_pattern(param.required)}
        }
    if not pattern:
        return schema
    return {"anyOf": [schema, {"type": "string", "pattern": pattern}]}


def parameters_schema(
    tool: Tool,
    refs: Refs = (),
    facts: QueryFacts | None = None,
    omit: Collection[str] = (),
    refer: Collection[str] = (),
) -> dict[str, Any]:
    """JSON Schema of ``tool``'s parameters object: its names only, in declaration order, each
    value as its schema says (:func:`_value_schema`), required ones always present, the
    optional ones named in ``omit`` left out, the required ones named in ``refer`` only a
    reference to an earlier output where one fits (else as their schema says).

    Only a required parameter may take a reference to an earlier output (``refs``), unless the
    tool marks none required: an optional one holds what the user asks for (in dev.jsonl 33 of
    34 references fill a required parameter, 1 of 524 filled optional ones does). With
    ``facts``, a required number the query states no value for (:func:`_unstated_number`) is
    a reference where one fits: any literal would be made up.

    The whole result of an earlier tool that declares no outputs (:data:`toolrag.types.RESULT`)
    is offered only there, where a reference is asked for: the model, trained on declared
    outputs, is not invited to reach for it elsewhere."""
    properties = {}
    any_required = any(p.required for p in tool.parameters)
    declared = [(j, [o for o in outs if o is not RESULT]) for j, outs in refs]
    for p in tool.parameters:
        if p.name in omit and not p.required:
            continue
        refer_p = p.required and (
            p.name in refer or (facts is not None and _unstated_number(p, facts))
        )
        pattern = _refs_for(p, refs) if refer_p else None
        if pattern:
            value: dict[str, Any] | None = {"type": "string", "pattern": pattern}
        else:
            value = _value_schema(p, declared if p.required or not any_required else (), facts)
        if value is not None:
            properties[p.name] = value
    schema: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
        "x-guidance": {"whitespace_flexible": False},
    }
    if tool.required:
        schema["required"] = tool.required
    return schema


def _lark_str(text: str) -> str:
    return json.dumps(text)


def _call_rule(
    name: str,
    tools: Sequence[Tool],
    refs: Callable[[Tool], Refs],
    facts: QueryFacts | None,
    omit: Mapping[str, Collection[str]] | None = None,
    refer: Mapping[str, Collection[str]] | None = None,
) -> list[str]:
    """Rule ``name``: a call to one of ``tools``; ``refs(tool)``: the earlier outputs its values
    may reference; ``omit``: per tool name, optional parameters left out; ``refer``: per tool
    name, required parameters that take a reference (:func:`parameters_schema`)."""
    alts, rules = [], []
    for k, tool in enumerate(tools):
        head = _lark_str('{"api":' + json.dumps(tool.name, ensure_ascii=False) + ',"parameters":')
        alts.append(f'{head} {name}_p{k} "}}"')
        schema = parameters_schema(
            tool,
            refs(tool),
            facts,
            (omit or {}).get(tool.name, ()),
            (refer or {}).get(tool.name, ()),
        )
        rules.append(f"{name}_p{k}: %json {json.dumps(schema)}")
    return [f"{name}: {' | '.join(alts)}", *rules]


def _rest_rules(k: int) -> list[str]:
    """``rest<k>``: the loose tail of the list with at least ``k`` more calls, then ``]``."""
    rules = ['rest0: "]" | "," loose rest0']
    rules += [f'rest{j}: "," loose rest{j - 1}' for j in range(1, k + 1)]
    return rules


def stage_grammar(
    prefix: str,
    done: Sequence[Tool | None],
    tools: Sequence[Tool],
    *,
    max_calls: int,
    required: Sequence[str] = (),
    next_required: bool = False,
    facts: QueryFacts | None = None,
    omit: Mapping[str, Collection[str]] | None = None,
    extend: bool = False,
    positions: Mapping[str, int] | None = None,
    refer: Mapping[str, Collection[str]] | None = None,
) -> str:
    """The Lark grammar for decoding stage ``len(done)``.

    Args:
        prefix: the literal text already written (``""`` at stage 0, else ``[`` + the calls).
        done: the tool each earlier call chose (``None`` for one that is not a candidate).
        tools: the tools a call may name.
        max_calls: the plan's length cap.
        required: names of tools the plan must call at least once (each must be in ``tools``);
            the list cannot close while one of them is uncalled.
        next_required: call ``len(done)`` must be one of the uncalled required tools (the
            decoder asks for this after it stopped an identical repeat).
        facts: the query's facts: numbers and enums take only what it states (None: any value
            of the parameter's type).
        omit: optional parameters call ``len(done)`` leaves out, per tool name (the decoder's
            answer to an optional parameter that repeated another's value:
            :func:`toolrag.agent.plan.reused_values`).
        extend: the list may not close before call ``len(done)`` (the decoder asks for one
            more call when the plan left a value the query states unused:
            :func:`toolrag.agent.plan.unused_values`).
        positions: where in the query each tool is asked for (a smaller number: earlier;
            a tool not in it counts as 0). Tools are then first called in that order: call
            ``len(done)`` may name a tool not called yet only if no uncalled required tool
            is asked for before it. Tools asked for at the same position keep no order among
            themselves, and a tool already called may be called again anywhere. ``None``:
            any order.
        refer: required parameters call ``len(done)`` fills with a reference to an earlier
            output where one fits, per tool name (the decoder's answer to a value that only
            named the parameter: :func:`toolrag.agent.plan.placeholders`).

    Raises:
        ValueError: a required tool is not among ``tools``, or more tools are required than
            ``max_calls`` leaves room for.
    """
    i = len(done)
    names = {t.name for t in tools}
    if not set(required) <= names:
        raise ConfigError(f"required tools {sorted(set(required) - names)} are not among the tools")
    called = {t.name for t in done if t is not None}
    remaining = [t for t in tools if t.name in set(required) - called]
    others = [t for t in tools if t not in remaining]
    r, left = len(remaining), max_calls - i  # calls still needed, calls still allowed
    if positions is not None and remaining:
        due = min(positions.get(t.name, 0) for t in remaining)
        remaining = [t for t in remaining if positions.get(t.name, 0) <= due]
        others = [t for t in others if t.name in called or positions.get(t.name, 0) <= due]
    if r > left:
        raise ConfigError(f"{r} required tools do not fit in the {left} calls left of max_calls")

    def exact(tool: Tool) -> Refs:  # outputs of earlier calls to other tools
        return [(j, t.returns) for j, t in enumerate(done) if t is not None and t.name != tool.name]

    # any output name of any candidate, at any index, as a string (which fits every type)
    loose_fields = [Param(name=n) for n in sorted({p.name for t in tools for p in t.returns})]
    loose: Refs = [(j, loose_fields) for j in range(max_calls)]
    head = f"{_lark_str(prefix)} " if prefix else ""
    lines = [f"start: {head}{'open' if i == 0 else 'more'}"]

    def after(needed: int) -> str:  # what may follow call i when ``needed`` calls remain due
        return '"]"' if left == 1 else f"rest{needed}"

    alts = []  # call i, then the rest of the list
    if remaining:
        alts.append(f"need {after(r - 1)}")
    if others and left - 1 >= r and not (next_required and remaining):
        alts.append(f"call {after(r)}")
    body = " | ".join(f"({a})" for a in alts)
    close = ['"]"'] if r == 0 and not (extend and alts) else []
    if i == 0:
        lines.append(f'open: "[" ({" | ".join([*close, body])})' if alts else 'open: "[]"')
    elif left <= 0 or not alts:
        lines.append('more: "]"')
    else:
        lines.append("more: " + " | ".join([*close, f'"," ({body})']))
    if tools:
        lines += _rest_rules(max(r, 0))
        if others:
            lines += _call_rule("call", others, exact, facts, omit, refer)
        if remaining:
            lines += _call_rule("need", remaining, exact, facts, omit, refer)
        lines += _call_rule("loose", tools, lambda _: loose, facts)
    return "\n".join(lines)


def closed_calls(text: str) -> list[int]:
    """End offsets of the complete top-level objects in a (partial) JSON list.

    Example:
        >>> closed_calls('[{"a":{"b":1}},{"c":"}"}')
        [14, 24]
    """
    ends: list[int] = []
    depth, in_string, escaped = 0, False, False
    for pos, ch in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
            if depth == 1 and ch == "}":
                ends.append(pos + 1)
    return ends


def call_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of the complete calls in a compact plan text
    (:func:`toolrag.agent.plan.dumps`: no space after ``[`` or between calls).

    Example:
        >>> call_spans('[{"a":1},{"b":"}"}]')
        [(1, 8), (9, 18)]
    """
    ends = closed_calls(text)
    return [(1 if k == 0 else ends[k - 1] + 1, end) for k, end in enumerate(ends)]
