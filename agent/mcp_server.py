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
import threading
from pathlib import Path
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError


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


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="toolrag MCP server over stdio")
    ap.add_argument("--index", required=True, help="index folder (from `toolrag index build`)")
    ap.add_argument("--planner", default=None, help="planner adapter/model (default: shipped)")
    args = ap.parse_args(argv)
    build_server(args.index, args.planner).run("stdio")


if __name__ == "__main__":
    main()
