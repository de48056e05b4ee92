"""Plans over upstream tools: how the gateway shows them and runs them.

A plan's calls come from the local planner in the Seal-Tools form: a later call's argument may
be a reference (``API_call_N``) to an output field of an earlier call. Upstream tools declare
their outputs in an MCP ``outputSchema``, so a reference names a field of an earlier call's
``structuredContent``; a tool without an output schema offers its whole result (``result``:
the structured content, or the text content, parsed as JSON where it is JSON).

Example:
    >>> from toolrag.types import Param, Tool, ToolCall
    >>> geo = Tool(name="geo__geocode", outputs=[Param(name="lat"), Param(name="lon")])
    >>> calls = [ToolCall(api="geo__geocode", parameters={"city": "Oslo"},
    ...                   responses=["API_call_0", "API_call_1"])]
    >>> sources(calls, {"geo__geocode": geo})
    {'API_call_0': (0, 'lat'), 'API_call_1': (0, 'lon')}
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

import mcp_types as types

from toolrag.agent.checker import coerce
from toolrag.agent.executor import whole_result
from toolrag.types import RESULT, Tool, ToolCall, reference_id

Caller = Callable[[str, dict[str, Any]], Awaitable[types.CallToolResult]]
"""Forwards one call (namespaced name, arguments) upstream; errors come back as a result."""


def sources(calls: Sequence[ToolCall], tools: Mapping[str, Tool]) -> dict[str, tuple[int, str]]:
    """Each output id of the plan -> (the call that makes it, the output field's name)."""
    out: dict[str, tuple[int, str]] = {}
    for i, call in enumerate(calls):
        tool = tools.get(call.api)
        if tool is None:
            continue
        for rid, param in zip(call.responses, tool.returns, strict=False):
            out[rid] = (i, param.name)
    return out


def render(calls: Sequence[ToolCall], tools: Mapping[str, Tool]) -> list[dict[str, Any]]:
    """The calls as an agent reads them: ``name``, literal ``arguments``, and ``references``:
    the arguments filled from an earlier call's output (``{"call": 0, "field": "lat"}``)."""
    where = sources(calls, tools)
    shown = []
    for call in calls:
        literal, refs = {}, {}
        for name, value in call.parameters.items():
            rid = reference_id(value)
            if rid is not None and rid in where:
                refs[name] = {"call": where[rid][0], "field": where[rid][1]}
            else:
                literal[name] = value
        shown.append({"name": call.api, "arguments": literal, "references": refs})
    return shown


def result_json(result: types.CallToolResult) -> dict[str, Any]:
    """A call result as the MCP wire writes it (``content``, ``structuredContent``, ``isError``)."""
    return result.model_dump(by_alias=True, exclude_none=True, mode="json")


def output_values(result: types.CallToolResult, tool: Tool) -> dict[str, Any]:
    """The values a later call may reference: fields of the structured content, or for a
    tool without an output schema its whole result."""
    data = result.structured_content
    if tool.outputs:
        return {
            p.name: data[p.name] for p in tool.outputs if isinstance(data, dict) and p.name in data
        }
    if isinstance(data, dict):
        return {RESULT.name: whole_result(data)}
    texts = [c.text for c in result.content if isinstance(c, types.TextContent)]
    if not texts:
        return {}
    try:
        value = json.loads(texts[0])
    except json.JSONDecodeError:
        value = texts[0]
    return {RESULT.name: whole_result(value) if isinstance(value, dict) else value}


async def run_calls(
    calls: Sequence[ToolCall], tools: Mapping[str, Tool], call: Caller
) -> list[dict[str, Any]]:
    """Run a checked plan in order, each reference filled from the earlier call's output; every
    step's result is returned as the upstream sent it. A call whose reference has no value
    (its source failed) is skipped with the reason, not sent."""
    values: dict[str, Any] = {}
    steps: list[dict[str, Any]] = []
    for i, step in enumerate(calls):
        tool = tools[step.api]
        types_ = {p.name: p.type for p in tool.parameters}
        args: dict[str, Any] = {}
        missing = []
        for name, value in step.parameters.items():
            rid = reference_id(value)
            if rid is not None:
                if rid not in values:
                    missing.append(name)
                    continue
                value = values[rid]
            try:
                args[name] = coerce(value, types_[name]) if name in types_ else value
            except (TypeError, ValueError):
                args[name] = value  # the upstream's schema check says what is wrong
        record: dict[str, Any] = {"call": i, "name": step.api, "arguments": args}
        if missing:
            record["skipped"] = (
                f"{', '.join(missing)} come from an earlier call that returned no such output"
            )
            steps.append(record)
            continue
        result = await call(step.api, args)
        record["result"] = result_json(result)
        if not result.is_error:
            outputs = output_values(result, tool)
            for rid, param in zip(step.responses, tool.returns, strict=False):
                if param.name in outputs:
                    values[rid] = outputs[param.name]
        steps.append(record)
    return steps
