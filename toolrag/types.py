"""The data contract every stage shares: tools, calls, instances and retrieval runs.

``index`` produces :class:`Tool` records, ``retriever`` returns :data:`Run` objects keyed by tool
name, ``trainer`` and ``agent`` read :class:`Instance` objects. Nothing here imports from the
stage packages, so any stage can import it.

Retrieval data is BEIR-shaped:

- queries: ``dict[qid, str]``
- relevance (qrels): ``dict[qid, dict[tool_name, int]]`` -- several positives per query
- a run: ``dict[qid, dict[tool_name, float]]`` -- higher score is better
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from toolrag.text import described_examples

Queries = dict[str, str]
Qrels = dict[str, dict[str, int]]
Run = dict[str, dict[str, float]]

REFERENCE_PATTERN = re.compile(r"^API_call_(\d+)\b")
"""A parameter value that names an earlier call's output, as Seal-Tools writes it. The data also
has values like ``"API_call_0 response"``, so only the start is matched."""


def reference_id(value: Any) -> str | None:
    """``"API_call_3"`` for a reference value (also ``"API_call_3 response"``), else ``None``.

    Example:
        >>> reference_id("API_call_3 response"), reference_id("Paris")
        ('API_call_3', None)
    """
    m = REFERENCE_PATTERN.match(value) if isinstance(value, str) else None
    return m.group(0) if m else None


class ParamType(StrEnum):
    """JSON Schema primitive types; every source format is mapped onto these."""

    STRING = "string"
    INTEGER = "integer"
    NUMBER = "number"
    BOOLEAN = "boolean"
    ARRAY = "array"
    OBJECT = "object"


_TYPE_ALIASES = {
    "str": ParamType.STRING,
    "string": ParamType.STRING,
    "text": ParamType.STRING,
    "int": ParamType.INTEGER,
    "integer": ParamType.INTEGER,
    "float": ParamType.NUMBER,
    "double": ParamType.NUMBER,
    "number": ParamType.NUMBER,
    "bool": ParamType.BOOLEAN,
    "boolean": ParamType.BOOLEAN,
    "list": ParamType.ARRAY,
    "array": ParamType.ARRAY,
    "dict": ParamType.OBJECT,
    "object": ParamType.OBJECT,
}


def normalize_type(raw: object) -> ParamType:
    """Map a type name from any supported format onto :class:`ParamType`.

    Unknown or missing types become ``string``: tool descriptions in the wild are loose, and a
    string is what an LLM would pass anyway.

    Example:
        >>> normalize_type("float")
        <ParamType.NUMBER: 'number'>
    """
    if isinstance(raw, list):  # JSON Schema allows ["string", "null"]
        raw = next((t for t in raw if t != "null"), "string")
    if not isinstance(raw, str):
        return ParamType.STRING
    key = raw.strip().lower()
    key = re.split(r"[\[<(|]", key)[0].strip()  # "list[str]", "array<string>" -> "list", "array"
    return _TYPE_ALIASES.get(key, ParamType.STRING)


class Param(BaseModel):
    """One input parameter or output field of a tool."""

    model_config = ConfigDict(frozen=True)

    name: str = Field(min_length=1)
    type: ParamType = ParamType.STRING
    description: str = ""
    required: bool = False
    enum: list[Any] | None = None
    json_schema: dict[str, Any] | None = None
    """The parameter's own JSON Schema (normalised) where the source says more than a type:
    ``items``, ``properties``, ``required``, ``enum``, ``default``, ``minimum``/``maximum``...
    The planner's grammar enforces it."""

    def value_schema(self) -> dict[str, Any]:
        """The JSON Schema a value of this parameter must match (descriptions left out)."""
        schema = (
            dict(self.json_schema) if self.json_schema is not None else {"type": self.type.value}
        )
        for key in ("description", "title", "examples"):
            schema.pop(key, None)
        if self.enum is not None:
            schema["enum"] = self.enum
        return schema

    def examples(self) -> list[str]:
        """The example string values the parameter documents: its schema's ``examples``, then
        those its description lists (:func:`toolrag.text.described_examples`)."""
        listed = (self.json_schema or {}).get("examples")
        own = [x for x in listed if isinstance(x, str)] if isinstance(listed, list) else []
        return list(dict.fromkeys([*own, *described_examples(self.description)]))


RESULT = Param(name="result", description="what the call returns")
"""The one output of a tool that declares none (:attr:`Tool.returns`)."""


class Tool(BaseModel):
    """The canonical tool record every loader produces and every stage consumes."""

    model_config = ConfigDict(frozen=True)

    name: str = Field(min_length=1)
    description: str = ""
    parameters: list[Param] = Field(default_factory=list)
    outputs: list[Param] = Field(default_factory=list)
    domain: str | None = None
    source_format: str = "canonical"
    normalised: list[str] = Field(default_factory=list)
    """What the loader rewrote to read the schema (Python type names and the like)."""

    @property
    def required(self) -> list[str]:
        return [p.name for p in self.parameters if p.required]

    @property
    def returns(self) -> list[Param]:
        """The outputs a later call may reference: the declared ones, or for a tool that
        declares none (OpenAI and Anthropic function schemas have no output schema) one,
        :data:`RESULT`, standing for whatever the call returns.

        Example:
            >>> [p.name for p in Tool(name="get_gdp").returns]
            ['result']
        """
        return self.outputs or [RESULT]

    def to_json_schema(self) -> dict[str, Any]:
        """The parameters as a JSON Schema object (what OpenAI and MCP expect)."""
        properties: dict[str, Any] = {}
        for p in self.parameters:
            prop = p.value_schema() | {"description": p.description}
            properties[p.name] = prop
        return {"type": "object", "properties": properties, "required": self.required}

    def to_openai(self) -> dict[str, Any]:
        """This tool as an OpenAI function-calling entry."""
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": self.to_json_schema(),
            },
        }


class ToolCall(BaseModel):
    """One call in a plan, in the Seal-Tools form.

    ``responses`` are the ids under which each output field of this call can be referenced by a
    later call; a parameter whose value is such an id is a nested call.
    """

    api: str
    parameters: dict[str, Any] = Field(default_factory=dict)
    responses: list[str] = Field(default_factory=list)

    def references(self) -> list[str]:
        """The response ids (``API_call_N``) of earlier calls that this call's parameters use."""
        return [r for v in self.parameters.values() if (r := reference_id(v)) is not None]


INTERNAL_REFERENCE = re.compile(r"^\$(\d+)\.([^\s\"]+)$")
"""``$<call index>.<output field>`` -- the planner's reference to an earlier call's output."""


class PlanFormatError(ValueError):
    """The model's output is not a plan: not JSON, not a list of calls, or a malformed call."""


@dataclass(frozen=True)
class Call:
    """One call of a plan in the planner's own form: a tool name and its arguments, where an
    argument may be ``"$<i>.<field>"``, a reference to call ``i``'s output ``field``
    (:data:`INTERNAL_REFERENCE`; the Seal-Tools form numbers outputs across the plan instead,
    :class:`ToolCall`)."""

    api: str
    parameters: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The call as the planner writes it: ``{"api": ..., "parameters": {...}}``."""
        return {"api": self.api, "parameters": dict(self.parameters)}


@dataclass(frozen=True)
class Plan:
    """A plan as the planner's passes see it: its calls, and the compact JSON text they were
    read from (decoding continues from that text exactly as the model wrote it, so it is kept
    beside the calls rather than written anew).

    Example:
        >>> plan = Plan.from_text('[{"api":"geo","parameters":{"city":"Oslo"}}]')
        >>> plan.calls[0].api, plan.as_json()
        ('geo', [{'api': 'geo', 'parameters': {'city': 'Oslo'}}])
        >>> Plan.from_json(plan.as_json()).text == plan.text
        True
    """

    calls: tuple[Call, ...] = ()
    text: str = "[]"

    def __len__(self) -> int:
        return len(self.calls)

    def as_json(self) -> list[dict[str, Any]]:
        """The calls as JSON-shaped dicts (what the rule functions of
        :mod:`toolrag.agent.plan` read)."""
        return [c.as_json() for c in self.calls]

    @classmethod
    def from_json(cls, calls: Sequence[Mapping[str, Any]]) -> Plan:
        """A plan of JSON-shaped calls, its text written compactly (:func:`dumps_plan`)."""
        typed = tuple(Call(str(c["api"]), dict(c.get("parameters", {}))) for c in calls)
        return cls(typed, dumps_plan([c.as_json() for c in typed]))

    @classmethod
    def from_text(cls, text: str) -> Plan:
        """Read a plan from the model's text (:func:`parse_plan`); the text is kept as it is.

        Raises:
            PlanFormatError: the text holds no list of calls.
        """
        return cls(tuple(Call(c["api"], c["parameters"]) for c in parse_plan(text)), text)


def dumps_plan(plan: Sequence[Mapping[str, Any]]) -> str:
    """The compact JSON text the planner is trained to emit (fewer tokens than pretty JSON)."""
    return json.dumps(list(plan), ensure_ascii=False, separators=(",", ":"))


def parse_plan(text: str) -> list[dict[str, Any]]:
    """Parse the model's text into JSON-shaped calls.

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


class InstanceCategory(StrEnum):
    """How the Seal-Tools benchmark splits its instances."""

    SINGLE = "single"
    MULTIPLE = "multiple"
    NESTED = "nested"


class Instance(BaseModel):
    """A labelled query: the calls that answer it are the gold plan."""

    id: str
    query: str
    calls: list[ToolCall] = Field(alias="calling")

    model_config = ConfigDict(populate_by_name=True)

    @property
    def category(self) -> InstanceCategory:
        if any(c.references() for c in self.calls):
            return InstanceCategory.NESTED
        if len(self.calls) > 1:
            return InstanceCategory.MULTIPLE
        return InstanceCategory.SINGLE

    @property
    def gold_tools(self) -> list[str]:
        """Distinct tool names in call order."""
        return list(dict.fromkeys(c.api for c in self.calls))
