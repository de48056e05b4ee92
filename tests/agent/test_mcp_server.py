"""The MCP server over stdio, driven by the official SDK's own client."""

from __future__ import annotations

import json
import os
import sys

import anyio
import pytest

mcp = pytest.importorskip("mcp")
from mcp import ClientSession, StdioServerParameters, stdio_client  # noqa: E402


async def _session_calls(index_dir):
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "toolrag.agent.mcp_server", "--index", str(index_dir)],
        env={"TOOLRAG_CACHE": os.environ["TOOLRAG_CACHE"]},
    )
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        listed = await session.list_tools()
        found = await session.call_tool("search_tools", {"query": "weather in Paris", "k": 2})
        empty = await session.call_tool("search_tools", {"query": "  ", "k": 2})
        return listed, found, empty


def test_search_tools_over_stdio(six_index_dir):
    listed, found, empty = anyio.run(_session_calls, six_index_dir)
    assert {t.name for t in listed.tools} == {"search_tools", "plan"}
    assert not found.is_error
    payload = found.structured_content or json.loads(found.content[0].text)
    tools = payload["result"] if isinstance(payload, dict) and "result" in payload else payload
    assert tools[0]["name"] == "getWeather"
    assert tools[0]["parameters"]["required"] == ["city"]
    assert empty.is_error and "query is empty" in empty.content[0].text
