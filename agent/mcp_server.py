"""An MCP server (stdio) that makes toolrag a tool router for other agents.

Tools exposed:

- ``search_tools(query, k)``: the tools a request needs, from the index (name, description,
  JSON Schema of the parameters), so an agent over a huge catalogue loads only those;
- ``plan(query, k)``: the retrieved tools plus toolrag's planned calls for the request.

The planner loads on the first ``plan`` call, so an agent that only searches never pays for it.

Run it with ``toolrag mcp --index DIR`` (or ``python -m toolrag.agent.mcp_server --index DIR``).
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from collections.abc import AsyncIterator
from io import TextIOWrapper
from pathlib import Path
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError

from toolrag.errors import TextEncodingError
from toolrag.text import SURROGATE, check_text


def build_server(index_dir: str | Path, planner: str | None = None) -> MCPServer:
    """The MCP server over the index at ``index_dir``."""
    from toolrag.index.location import load_index
    from toolrag.retriever.factory import default_retriever

    index = load_index(index_dir)
    retriever = default_retriever(index)
    lock = threading.Lock()
    loaded: dict[str, Any] = {}
    server = MCPServer(
        "toolrag",
        instructions="Find the tools a request needs in a large catalogue, and plan the calls.",
    )

    def _tools(query: str, k: int) -> list[Any]:
        try:
            check_text(query, "the query")
        except TextEncodingError as err:  # an error result, and the server goes on serving
            raise ToolError(str(err)) from None
        if not query.strip():
            raise ToolError("query is empty; pass the user's request")
        return [h.tool for h in retriever.retrieve(query, k=max(1, min(k, len(index))))]

    @server.tool()
    def search_tools(query: str, k: int = 5) -> list[dict[str, Any]]:
        """The k tools the request most likely needs, best first, with their parameter schemas."""
        return [
            {"name": t.name, "description": t.description, "parameters": t.to_json_schema()}
            for t in _tools(query, k)
        ]

    @server.tool()
    def plan(query: str, k: int = 5) -> dict[str, Any]:
        """Retrieve k tools and plan the calls (Seal-Tools form; nested calls use API_call_N)."""
        from toolrag.agent.agent import make_planner, plan_with
        from toolrag.retriever.selector import resolve_selector

        tools = _tools(query, k)
        with lock:
            if "planner" not in loaded:
                loaded["planner"] = make_planner(planner)  # openai:MODEL too
                loaded["selector"] = resolve_selector("auto", index)  # as the CLI plans
            result, selection = plan_with(loaded["planner"], loaded["selector"], query, tools)
        selected = [t.name for t in selection.tools] if selection else None
        return {"candidates": [t.name for t in tools], "selected": selected} | result.to_json()

    return server


def _unencodable(value: Any, where: str = "params") -> str | None:
    """Where in a parsed JSON-RPC message a string holds a lone surrogate, or None."""
    if isinstance(value, str):
        return where if SURROGATE.search(value) else None
    if not isinstance(value, dict | list):
        return None
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, item in items:
        if isinstance(key, str) and SURROGATE.search(key):
            return f"{where} (a key)"
        found = _unencodable(item, f"{where}.{key}" if isinstance(key, str) else f"{where}[{key}]")
        if found:
            return found
    return None


class _CheckedLines:
    """The stdio transport's input lines. The SDK drops a message it cannot validate without
    answering, so a client that sent a lone surrogate (``"\\ud800"`` is valid JSON) would wait
    forever: such a request is answered here with a JSON-RPC error instead, and the server goes
    on with the next line."""

    def __init__(self, lines: Any) -> None:
        self.lines = lines
        self.write: Any = None  # the transport's write stream, set once it is open

    async def __aiter__(self) -> AsyncIterator[str]:
        import mcp_types as types
        from mcp.shared.message import SessionMessage

        async for line in self.lines:
            try:
                message = json.loads(line)
            except ValueError:
                message = None
            where = _unencodable(message.get("params")) if isinstance(message, dict) else None
            if where is None:
                yield line
                continue
            if message.get("id") is not None and self.write is not None:
                error = types.ErrorData(
                    code=types.INVALID_PARAMS,
                    message=f"{where} is not valid Unicode text (a lone surrogate); send UTF-8 text",
                )
                await self.write.send(
                    SessionMessage(types.JSONRPCError(jsonrpc="2.0", id=message["id"], error=error))
                )


async def serve_stdio(server: MCPServer) -> None:
    """``server.run("stdio")``, with requests holding unencodable text answered with an
    error (:class:`_CheckedLines`)."""
    import anyio
    from mcp.server.stdio import stdio_server

    lines = _CheckedLines(
        anyio.wrap_file(TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace"))
    )
    async with stdio_server(stdin=lines) as (read_stream, write_stream):  # type: ignore[arg-type]
        lines.write = write_stream
        lowlevel = server._lowlevel_server
        await lowlevel.run(read_stream, write_stream, lowlevel.create_initialization_options())


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="toolrag MCP server over stdio")
    ap.add_argument("--index", required=True, help="index folder (from `toolrag index build`)")
    ap.add_argument("--planner", default=None, help="planner adapter/model (default: shipped)")
    args = ap.parse_args(argv)
    import anyio

    anyio.run(serve_stdio, build_server(args.index, args.planner))


if __name__ == "__main__":
    main()
