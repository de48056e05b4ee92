"""A table-driven MCP server on the SDK's low-level ``Server``: tools with input and output
schemas from a compact table, ``tools/list`` in pages of ``page_size`` (so a client must follow
``nextCursor``), and deterministic answers (each output made from the arguments, unless the
table gives the tool its own function)."""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable
from typing import Any

import mcp_types as types
from mcp.server.lowlevel.server import Server

JSON_TYPES = {"str": "string", "int": "integer", "float": "number", "bool": "boolean"}


def tool(
    name: str,
    description: str,
    params: dict[str, tuple[str, str]],
    outputs: dict[str, tuple[str, str]],
    fn: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    optional: tuple[str, ...] = (),
) -> dict[str, Any]:
    """One row: parameters and outputs as ``{name: (type, description)}``; every parameter is
    required unless named in ``optional``."""
    return {
        "name": name,
        "description": description,
        "params": params,
        "outputs": outputs,
        "fn": fn,
        "optional": optional,
    }


def _schema(fields: dict[str, tuple[str, str]], required: list[str]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            n: {"type": JSON_TYPES[t], "description": d} for n, (t, d) in fields.items()
        },
        "required": required,
    }


def _made_up(row: dict[str, Any], args: dict[str, Any]) -> dict[str, Any]:
    seed = zlib.crc32(json.dumps([row["name"], args], sort_keys=True).encode())
    out: dict[str, Any] = {}
    for i, (name, (kind, _)) in enumerate(row["outputs"].items()):
        s = (seed >> i) % 1000
        out[name] = {
            "str": f"{name}-{s}",
            "int": s % 100,
            "float": round(s / 10, 1),
            "bool": True,
        }[kind]
    return out


def table_server(name: str, rows: list[dict[str, Any]], page_size: int = 7) -> Server:
    by_name = {r["name"]: r for r in rows}
    listed = [
        types.Tool(
            name=r["name"],
            description=r["description"],
            input_schema=_schema(r["params"], [p for p in r["params"] if p not in r["optional"]]),
            output_schema=_schema(r["outputs"], list(r["outputs"])),
        )
        for r in rows
    ]

    async def list_tools(
        ctx: Any, params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        start = int(params.cursor) if params is not None and params.cursor else 0
        end = start + page_size
        return types.ListToolsResult(
            tools=listed[start:end], next_cursor=str(end) if end < len(listed) else None
        )

    async def call_tool(ctx: Any, params: types.CallToolRequestParams) -> types.CallToolResult:
        row = by_name.get(params.name)
        if row is None:
            return types.CallToolResult(
                content=[types.TextContent(type="text", text=f"no tool {params.name}")],
                is_error=True,
            )
        args = params.arguments or {}
        out = (row["fn"] or (lambda a: _made_up(row, a)))(args)
        return types.CallToolResult(
            content=[types.TextContent(type="text", text=json.dumps(out))], structured_content=out
        )

    return Server(name, on_list_tools=list_tools, on_call_tool=call_tool)
