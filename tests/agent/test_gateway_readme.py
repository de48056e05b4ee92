"""The README's gateway snippets, as written, run `toolrag gateway` against the shipped test
servers, and a client speaks to it through the SDK's own ClientSession over stdio, as Claude
Desktop does."""

from __future__ import annotations

import json
import os
import re
import socket
import sys
from pathlib import Path

import anyio
import pytest
from mcp import ClientSession, StdioServerParameters, stdio_client

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = "/path/to/toolrag"


def readme_snippets() -> tuple[dict, dict, str]:
    """(servers.json, the Claude Desktop entry, the shop server's key) from the README."""
    text = (ROOT / "README.md").read_text()
    section = text.split("## Use it with Claude Desktop / any MCP client", 1)[1].split("\n## ", 1)[
        0
    ]
    blocks = [json.loads(b) for b in re.findall(r"```json\n(.*?)```", section, re.S)]
    servers = next(b for b in blocks if "geo" in b["mcpServers"])
    desktop = next(b for b in blocks if "toolrag" in b["mcpServers"])
    key = re.search(r"SHOP_KEY=(\S+) python tests/agent/upstreams/shop.py", section).group(1)
    return servers, desktop, key


def test_the_readme_snippets_parse_and_name_the_shipped_servers():
    from toolrag.agent.gateway_config import GatewayConfig

    servers, desktop, key = readme_snippets()
    config = GatewayConfig.from_json(servers, environ={"SHOP_KEY": key})
    assert [s.transport for s in config.servers] == ["stdio", "stdio", "http"]
    for s in config.servers:
        for arg in s.args:
            assert (ROOT / arg).is_file(), arg
    entry = desktop["mcpServers"]["toolrag"]
    assert entry["args"][:2] == ["gateway", "--config"]
    assert entry["env"]["SHOP_KEY"] == key


async def _as_claude_desktop(params: StdioServerParameters):
    async with stdio_client(params) as (r, w), ClientSession(r, w) as session:
        await session.initialize()
        listed = await session.list_tools()
        found = await session.call_tool("search_tools", {"query": "Convert 20 dollars to euros"})
        name = found.structured_content["tools"][0]["name"]
        converted = await session.call_tool(
            "call_tool",
            {
                "name": name,
                "arguments": {"amount": 20, "from_currency": "USD", "to_currency": "EUR"},
            },
        )
        place = await session.call_tool(
            "call_tool", {"name": "geo__geocode", "arguments": {"city": "Lisbon"}}
        )
        denied = await session.call_tool(
            "call_tool", {"name": "office__export_pdf", "arguments": {"doc_id": "d1"}}
        )
        return listed, name, converted, place, denied


def test_the_readme_config_runs_the_gateway_for_an_mcp_client(tmp_path, run_shop):
    servers, desktop, key = readme_snippets()
    shop_port = int(re.search(r":(\d+)/mcp", servers["mcpServers"]["shop"]["url"]).group(1))
    with socket.socket() as s:
        if s.connect_ex(("127.0.0.1", shop_port)) == 0:
            pytest.skip(f"port {shop_port} is taken; the README's shop server needs it")
    # the README says: save servers.json in the checkout; here, a folder that looks like one
    (tmp_path / "tests").symlink_to(ROOT / "tests")
    config = tmp_path / "servers.json"
    config.write_text(json.dumps(servers))
    entry = desktop["mcpServers"]["toolrag"]
    command = entry["command"].replace(f"{PLACEHOLDER}/.venv/bin", str(Path(sys.executable).parent))
    args = [a.replace(f"{PLACEHOLDER}/servers.json", str(config)) for a in entry["args"]]
    bin_dir = str(Path(sys.executable).parent)
    env = entry["env"] | {
        "PATH": bin_dir + os.pathsep + os.environ["PATH"],  # `python` is toolrag's python
        "TOOLRAG_CACHE": os.environ["TOOLRAG_CACHE"],
    }
    with run_shop(shop_port, key):
        params = StdioServerParameters(command=command, args=args, env=env, cwd="/")
        listed, name, converted, place, denied = anyio.run(_as_claude_desktop, params)
    assert {t.name for t in listed.tools} == {"search_tools", "call_tool", "plan", "run_plan"}
    assert name == "shop__convert_price"
    assert converted.structured_content == {"amount": 18.0}
    assert place.structured_content["country"] == "Portugal"
    assert denied.is_error and "unknown tool 'office__export_pdf'" in denied.content[0].text
