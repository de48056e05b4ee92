"""The planner's prompt: tool cards and the query, as chat messages.

Training and inference cost grow with prompt length on CPU, so tool cards are short. Two styles:

- ``compact`` (the 135M adapters trained before v3): a tool is one line,
  ``name(param*: type, other: type) -> out1, out2 | short description``; ``*`` marks a required
  parameter.
- ``schema`` (v3): the tool's line, then one line per parameter with what the schema says of
  it: enum members, item and field types, and the start of its description, where formats
  live ("Ticker symbol, e.g. MSFT", "as a fraction, 0.05 for 5%").

A model is trained with one style and planned with the same (its adapter records which); the
same functions build training and inference prompts so they never drift apart.

Example:
    >>> from toolrag.types import Param, Tool
    >>> t = Tool(name="geo", description="Find where a city is.",
    ...          parameters=[Param(name="city", required=True)], outputs=[Param(name="lat")])
    >>> tool_line(t)
    'geo(city*: string) -> lat | Find where a city is.'
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import partial
from typing import Any

from toolrag.types import Tool

SYSTEM = (
    "Answer with a JSON list of tool calls "
    '[{"api":NAME,"parameters":{...}}] using only the listed tools. '
    'Use "$i.field" for output field of call i. Answer [] if no tool fits.'
)
SCHEMA_SYSTEM = (
    "Answer with a JSON list of tool calls "
    '[{"api":NAME,"parameters":{...}}] using only the listed tools. '
    "Write each value in the form its parameter's description asks for. "
    'Use "$i.field" for output field of call i. Answer [] if no tool fits.'
)
OUTPUTS_SYSTEM = (
    "Answer with a JSON list of tool calls "
    '[{"api":NAME,"parameters":{...}}] using only the listed tools. '
    "Write each value in the form its parameter's description asks for. "
    'A tool returns the names after "->"; use "$i.name" for output name of call i. '
    "Answer [] if no tool fits or a required value is not given."
)
DESCRIPTION_CHARS = 120
PARAM_CHARS = 80
PROMPT_STYLES = ("compact", "schema", "outputs")
"""``compact``: a line per tool (the 135M adapters before v3); ``schema``: a card per tool, a
line per parameter, declared outputs after ``->``; ``outputs``: the same card, and every tool
says what it returns (a tool that declares nothing returns ``result``), so that the planner
can see which output a later argument takes (the v5 adapters)."""


def check_style(style: str) -> str:
    if style not in PROMPT_STYLES:
        from toolrag.errors import ConfigError

        raise ConfigError(f"prompt style {style!r}: choose one of {', '.join(PROMPT_STYLES)}")
    return style


def _short(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + "..."


def tool_line(tool: Tool, description_chars: int | None = DESCRIPTION_CHARS) -> str:
    """One compact line describing ``tool`` to an LLM: the planner's prompt, and the data
    generators' (which pass ``description_chars=None`` for the whole description)."""
    params = ", ".join(
        f"{p.name}{'*' if p.required else ''}: {p.type.value}" for p in tool.parameters
    )
    outputs = ", ".join(p.name for p in tool.outputs)
    line = f"{tool.name}({params})"
    if outputs:
        line += f" -> {outputs}"
    if tool.description:
        text = " ".join(tool.description.split())
        line += f" | {text if description_chars is None else _short(text, description_chars)}"
    return line


def schema_type(schema: Any, depth: int = 0) -> str:
    """A JSON Schema as a short type expression: ``"a"|"b"``, ``list[number]``,
    ``{street*: string, city: string}``.

    >>> schema_type({"type": "array", "items": {"type": "string", "enum": ["x", "y"]}})
    'list["x"|"y"]'
    """
    if not isinstance(schema, dict):
        return "any"
    if isinstance(schema.get("enum"), list):
        return "|".join(json.dumps(v, ensure_ascii=False) for v in schema["enum"])
    kind = schema.get("type", "any")
    if kind == "array":
        return f"list[{schema_type(schema.get('items'), depth + 1)}]"
    if kind == "object" and isinstance(schema.get("properties"), dict) and depth < 2:
        required = set(schema.get("required") or ())
        inner = ", ".join(
            f"{k}{'*' if k in required else ''}: {schema_type(v, depth + 1)}"
            for k, v in schema["properties"].items()
        )
        return "{" + inner + "}"
    return kind if isinstance(kind, str) else "|".join(map(str, kind))


def schema_card(tool: Tool, *, all_outputs: bool = False) -> str:
    """The ``schema`` style card: the tool's line, then a line per parameter. With
    ``all_outputs`` (the ``outputs`` style) a tool that declares no outputs shows ``-> result``.

    >>> from toolrag.types import Param, Tool
    >>> t = Tool(name="quote", description="Latest price.", parameters=[
    ...     Param(name="symbol", required=True, description="Ticker symbol, e.g. MSFT"),
    ...     Param(name="currency", enum=["USD", "EUR"])])
    >>> print(schema_card(t))
    quote | Latest price.
     - symbol*: string | Ticker symbol, e.g. MSFT
     - currency: "USD"|"EUR"
    """
    head = tool.name
    outputs = ", ".join(p.name for p in (tool.returns if all_outputs else tool.outputs))
    if outputs:
        head += f" -> {outputs}"
    if tool.description:
        head += f" | {_short(tool.description)}"
    lines = [head]
    for p in tool.parameters:
        line = f" - {p.name}{'*' if p.required else ''}: {schema_type(p.value_schema())}"
        if p.description.strip():
            line += f" | {_short(p.description, PARAM_CHARS)}"
        lines.append(line)
    return "\n".join(lines)


def user_message(query: str, tools: Sequence[Tool], style: str = "compact") -> str:
    """The user turn: the candidate tools, then the query."""
    check_style(style)
    if style == "compact":
        card = tool_line
    elif style == "outputs":
        card = partial(schema_card, all_outputs=True)
    else:
        card = schema_card
    lines = ["Tools:", *(card(t) for t in tools), f"Query: {' '.join(query.split())}"]
    return "\n".join(lines)


def messages(query: str, tools: Sequence[Tool], style: str = "compact") -> list[dict[str, str]]:
    """Chat messages for a query and its candidate tools (no assistant turn), in ``style``."""
    return [
        {"role": "system", "content": _SYSTEMS[check_style(style)]},
        {"role": "user", "content": user_message(query, tools, style)},
    ]


_SYSTEMS = {"compact": SYSTEM, "schema": SCHEMA_SYSTEM, "outputs": OUTPUTS_SYSTEM}


def tool_doc(tool: Tool) -> str:
    """A tool as generator and simulator prompts list it: :func:`tool_line` with its whole
    description, as a list item."""
    return "- " + tool_line(tool, description_chars=None)
