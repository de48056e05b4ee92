"""The gateway's config (Claude Desktop's mcpServers), its secrets, and the catalog's in-place
index updates, without any server running."""

from __future__ import annotations

import json
import logging
from contextlib import asynccontextmanager

import anyio
import pytest

from toolrag.agent.gateway_catalog import Catalog
from toolrag.agent.gateway_config import GatewayConfig, ServerConfig
from toolrag.agent.gateway_upstream import Upstream
from toolrag.errors import ConfigError


def test_stdio_and_http_servers_are_read_as_claude_desktop_writes_them(tmp_path):
    path = tmp_path / "servers.json"
    path.write_text(
        json.dumps(
            {
                "mcpServers": {
                    "files": {"command": "npx", "args": ["-y", "fs"], "env": {"TOKEN": "${T}"}},
                    "web app": {
                        "url": "https://h/mcp",
                        "headers": {"Authorization": "Bearer ${T}"},
                    },
                    "off": {"command": "x", "disabled": True},
                },
                "otherClientSetting": 1,
            }
        )
    )
    config = GatewayConfig.load(path, environ={"T": "s3cret-token"})
    files, web = config.servers
    assert (files.transport, files.args, files.env, files.cwd) == (
        "stdio",
        ("-y", "fs"),
        {"TOKEN": "s3cret-token"},
        str(tmp_path),  # stdio servers start in the config's folder
    )
    assert (web.transport, web.prefix, web.headers) == (
        "http",
        "web_app",  # a key that is no valid tool-name prefix is made one
        {"Authorization": "Bearer s3cret-token"},
    )
    assert web.exposed_name("get") == "web_app__get"
    assert "s3cret-token" not in repr(config)


@pytest.mark.parametrize(
    ("servers", "message"),
    [
        ({"a": {"command": "x", "url": "http://h"}}, "exactly one of 'command'"),
        ({"a": {"args": []}}, "exactly one of 'command'"),
        ({"a": {"command": "x", "tools": []}}, "unknown keys ['tools']"),
        ({"a": {"url": "ftp://h"}}, "must start with http"),
        ({"a": {"command": "x", "env": {"K": "${MISSING}"}}}, "${MISSING}, which is not set"),
        ({"a": {"command": "x", "prefix": "a__b"}}, "without '__'"),
        ({"a": {"command": "x"}, "b": {"command": "y", "prefix": "a"}}, "share the prefix ['a']"),
        ({"a": {"command": "x", "timeout": 0}}, "timeout must be a positive"),
        ({"a": {"command": "x", "allow": "get_*"}}, "list of tool names or patterns"),
        ({}, "no enabled server"),
    ],
)
def test_a_bad_config_says_what_to_fix(servers, message):
    with pytest.raises(ConfigError, match=None) as err:
        GatewayConfig.from_json({"mcpServers": servers}, environ={})
    assert message in str(err.value)


def test_a_missing_or_broken_file_says_so(tmp_path):
    with pytest.raises(FileNotFoundError, match="no gateway config"):
        GatewayConfig.load(tmp_path / "none.json")
    (tmp_path / "bad.json").write_text("{")
    with pytest.raises(ConfigError, match="is not JSON"):
        GatewayConfig.load(tmp_path / "bad.json")
    with pytest.raises(ConfigError, match="needs an 'mcpServers' object"):
        GatewayConfig.from_json({"servers": {}})


def test_allow_and_deny_lists_take_patterns_and_deny_wins():
    s = ServerConfig.from_json(
        "db", {"command": "x", "allow": ["get_*", "list_tables"], "deny": ["get_secret*"]}, {}
    )
    assert [s.admits(t) for t in ("get_row", "list_tables", "drop_table", "get_secret_key")] == [
        True,
        True,
        False,
        False,
    ]


def test_secrets_never_reach_the_log(caplog):
    secret = "tok-9f8e7d6c5b4a"
    config = ServerConfig.from_json(
        "api",
        {"url": "http://127.0.0.1:9/mcp", "headers": {"Authorization": f"Bearer {secret}"}},
        {},
    )
    upstream = Upstream(config, lambda *_: None, lambda *_: None, backoff=0.05, max_backoff=0.05)

    @asynccontextmanager
    async def refuses():
        raise RuntimeError(f"401 for 'Authorization: Bearer {secret}'")
        yield  # pragma: no cover

    upstream._connect = refuses

    async def run_briefly():
        with anyio.move_on_after(0.3):
            await upstream.supervise()

    with caplog.at_level(logging.INFO):
        anyio.run(run_briefly)
    assert "server api is down" in caplog.text
    assert "Authorization: ***" in caplog.text and "Authorization: ***" in upstream.last_error
    assert secret not in caplog.text and secret not in upstream.last_error
    assert config.redact(f"token={secret}") == "token=***"


def _listing(name: str, description: str) -> dict:
    return {
        "name": name,
        "description": description,
        "inputSchema": {"type": "object", "properties": {"city": {"type": "string"}}},
        "outputSchema": {"type": "object", "properties": {"temperature": {"type": "number"}}},
    }


def test_the_catalog_updates_a_folder_index_in_place_and_reuses_it(tmp_path):
    server = ServerConfig.from_json("wx", {"command": "x", "deny": ["debug_*"]}, {})
    first = [
        _listing("get_weather", "Current weather in a city"),
        _listing("get_forecast", "Weather forecast for the next days"),
        _listing("debug_dump", "Internal"),
    ]
    catalog = Catalog(tmp_path / "idx")
    assert catalog.set_server(server, first) == {"added": 2, "changed": 0, "removed": 0}
    assert [t.name for t in catalog.index.all_tools()] == ["wx__get_weather", "wx__get_forecast"]
    assert catalog.index.tool("wx__get_weather").outputs[0].name == "temperature"

    second = [
        _listing("get_weather", "Current weather and wind in a city"),
        _listing("get_uv", "UV index"),
    ]
    assert catalog.set_server(server, second) == {"added": 1, "changed": 1, "removed": 1}
    assert catalog.index.manifest["last_build"] == {"encoded": 2, "reused": 0}
    assert sorted(catalog.entries) == ["wx__get_uv", "wx__get_weather"]
    assert catalog.search("ultraviolet index", k=1)[0].name == "wx__get_uv"

    # a restarted gateway opens the saved folder and encodes nothing unchanged
    again = Catalog(tmp_path / "idx")
    assert again.set_server(server, second)["added"] == 2
    assert again.updates == 0
    assert sorted(t.name for t in again.index.all_tools()) == ["wx__get_uv", "wx__get_weather"]


def test_the_catalog_updates_a_milvus_index_in_place(tmp_path):
    pytest.importorskip(
        "pymilvus", reason='the Milvus backend is an extra: pip install -e ".[milvus]"'
    )
    server = ServerConfig.from_json("wx", {"command": "x"}, {})
    spec = f"milvus:{tmp_path / 'catalog.db'}#tools"
    catalog = Catalog(spec)
    catalog.set_server(server, [_listing("get_weather", "Current weather in a city")])
    index = catalog.index
    counts = catalog.set_server(
        server,
        [_listing("get_weather", "Current weather in a city"), _listing("get_uv", "UV index")],
    )
    assert counts == {"added": 1, "changed": 0, "removed": 0}
    assert catalog.index is index  # updated in place, not rebuilt
    assert sorted(t.name for t in index.all_tools()) == ["wx__get_uv", "wx__get_weather"]
    assert catalog.search("ultraviolet index", k=1)[0].name == "wx__get_uv"
