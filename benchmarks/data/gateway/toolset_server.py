"""An MCP server over stdio that serves the tool definitions in a JSON file (a list of MCP tool
entries) and answers every call with made-up values that fit the tool's outputSchema: the
upstream servers of ``benchmarks/gateway.py``.

Run: ``python benchmarks/data/gateway/toolset_server.py TOOLS.json``.
"""

from __future__ import annotations

import json
import sys
import zlib
from pathlib import Path

import anyio
import mcp_types as types
from mcp.server.lowlevel.server import Server
from mcp.server.stdio import stdio_server

MADE_UP = {"string": "x", "number": 1.5, "integer": 2, "boolean": True, "array": [], "object": {}}


def answer(tool: dict, arguments: dict) -> dict:
    seed = zlib.crc32(json.dumps([tool["name"], arguments], sort_keys=True).encode())
    props = (tool.get("outputSchema") or {}).get("properties") or {"result": {"type": "string"}}
    out = {}
    for i, (name, schema) in enumerate(props.items()):
        kind = schema.get("type", "string")
        value = MADE_UP.get(kind if isinstance(kind, str) else "string", "x")
        out[name] = f"{name}-{(seed >> i) % 1000}" if value == "x" else value
    return out


def main() -> None:
    tools = json.loads(Path(sys.argv[1]).read_text())
    by_name = {t["name"]: t for t in tools}
    listed = [types.Tool.model_validate(t) for t in tools]

    async def list_tools(ctx, params) -> types.ListToolsResult:
        start = int(params.cursor) if params is not None and params.cursor else 0
        end = start + 50
        return types.ListToolsResult(
            tools=listed[start:end], next_cursor=str(end) if end < len(listed) else None
        )

    async def call_tool(ctx, params: types.CallToolRequestParams) -> types.CallToolResult:
        tool = by_name[params.name]
        out = answer(tool, params.arguments or {})
        return types.CallToolResult(
            content=[types.TextContent(type="text", text=json.dumps(out))],
            structured_content=out if tool.get("outputSchema") else None,
        )

    server = Server("toolset", on_list_tools=list_tools, on_call_tool=call_tool)

    async def serve() -> None:
        async with stdio_server() as (read, write):
            await server.run(read, write, server.create_initialization_options())

    anyio.run(serve)


if __name__ == "__main__":
    main()
