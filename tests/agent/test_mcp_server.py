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


def test_a_lone_surrogate_gets_a_json_rpc_error_and_the_server_goes_on(six_index_dir):
    """The SDK's own client cannot send it (it encodes UTF-8), so this speaks raw JSON-RPC."""
    import subprocess

    proc = subprocess.Popen(
        [sys.executable, "-m", "toolrag.agent.mcp_server", "--index", str(six_index_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=os.environ | {"TOOLRAG_CACHE": os.environ["TOOLRAG_CACHE"]},
    )

    def call(id_: int, query_json: str) -> dict:
        params = '{"name": "search_tools", "arguments": {"query": ' + query_json + ', "k": 1}}'
        proc.stdin.write(
            f'{{"jsonrpc": "2.0", "id": {id_}, "method": "tools/call", "params": {params}}}\n'
        )
        proc.stdin.flush()
        return json.loads(proc.stdout.readline())

    try:
        hello = {"protocolVersion": "2025-06-18", "capabilities": {}}
        hello["clientInfo"] = {"name": "test", "version": "0"}
        proc.stdin.write(
            json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": hello}) + "\n"
        )
        proc.stdin.flush()
        assert "result" in json.loads(proc.stdout.readline())
        proc.stdin.write('{"jsonrpc": "2.0", "method": "notifications/initialized"}\n')
        bad = call(2, '"\\ud800 weather in Paris"')
        assert bad["id"] == 2 and bad["error"]["code"] == -32602
        assert "arguments.query is not valid Unicode" in bad["error"]["message"]
        good = call(3, '"weather in Paris"')
        assert good["id"] == 3 and "getWeather" in good["result"]["content"][0]["text"]
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)
