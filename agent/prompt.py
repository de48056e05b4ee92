"""The planner's prompt: compact tool cards and the query, as chat messages.

Training and inference cost grow with prompt length on CPU, so a tool is one line:
``name(param*: type, other: type) -> out1, out2 | short description``; ``*`` marks a required
parameter. The same function builds training and inference prompts so they never drift apart.

Example:
    >>> from toolrag.types import Param, Tool
    >>> t = Tool(name="geo", description="Find where a city is.",
    ...          parameters=[Param(name="city", required=True)], outputs=[Param(name="lat")])
    >>> tool_line(t)
    'geo(city*: string) -> lat | Find where a city is.'
"""

from __future__ import annotations

from collections.abc import Sequence

from toolrag.types import Tool

SYSTEM = (
    "Answer with a JSON list of tool calls "
    '[{"api":NAME,"parameters":{...}}] using only the listed tools. '
    'Use "$i.field" for output field of call i. Answer [] if no tool fits.'
)
DESCRIPTION_CHARS = 120


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


def user_message(query: str, tools: Sequence[Tool]) -> str:
    """The user turn: the candidate tools, then the query."""
    lines = ["Tools:", *(tool_line(t) for t in tools), f"Query: {' '.join(query.split())}"]
    return "\n".join(lines)


def messages(query: str, tools: Sequence[Tool]) -> list[dict[str, str]]:
    """Chat messages for a query and its candidate tools (no assistant turn)."""
    return [
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": user_message(query, tools)},
    ]


def tool_doc(tool: Tool) -> str:
    """A tool as generator and simulator prompts list it: :func:`tool_line` with its whole
    description, as a list item."""
    return "- " + tool_line(tool, description_chars=None)
