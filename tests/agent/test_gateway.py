"""The MCP gateway against real MCP servers written with the official SDK (tests/agent/upstreams:
geo and office over stdio, shop over Streamable HTTP; 54 tools with outputSchemas, listed in
pages). One gateway serves the whole module: it runs in an event loop on a portal thread, and
its index is built once with the shipped retriever."""

from __future__ import annotations

import socket
import sys
import time
from pathlib import Path
from typing import Any

import anyio
import mcp_types as types
import pytest
from anyio.from_thread import start_blocking_portal
from mcp import Client, ClientSession
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

from toolrag.agent.gateway import Gateway
from toolrag.agent.gateway_config import GatewayConfig
from toolrag.agent.planner import PlanResult
from toolrag.types import ToolCall

UPSTREAMS = Path(__file__).parent / "upstreams"
SHOP_KEY = "shop-key-0123456789"
TWO_STEP = "Find the latitude and longitude of Oslo, then get the weather forecast there"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ScriptedPlanner:
    """Plans TWO_STEP as geocode -> get_forecast with references, as the real planner writes
    them (output ids numbered across the plan, one per output field)."""

    def __init__(self) -> None:
        self.seen: list[list[str]] = []

    def plan(self, query: str, tools: list[Any], **_: Any) -> PlanResult:
        self.seen.append([t.name for t in tools])
        by_name = {t.name: t for t in tools}
        geo, forecast = by_name["geo__geocode"], by_name["geo__get_forecast"]
        first = [f"API_call_{i}" for i in range(len(geo.returns))]
        second = [f"API_call_{len(first) + i}" for i in range(len(forecast.returns))]
        out = {p.name: rid for p, rid in zip(geo.returns, first, strict=True)}
        calls = [
            ToolCall(api="geo__geocode", parameters={"city": "Oslo"}, responses=first),
            ToolCall(
                api="geo__get_forecast",
                parameters={"lat": out["lat"], "lon": out["lon"]},
                responses=second,
            ),
        ]
        return PlanResult(calls=calls, text="scripted", format_ok=True)


@pytest.fixture(scope="module")
def shop_url(run_shop):
    with run_shop(free_port(), SHOP_KEY) as url:
        yield url


@pytest.fixture(scope="module")
def portal():
    with start_blocking_portal() as p:
        yield p


@pytest.fixture(scope="module")
def gateway(shop_url, portal):
    config = GatewayConfig.from_json(
        {
            "mcpServers": {
                "geo": {
                    "command": sys.executable,
                    "args": [str(UPSTREAMS / "geo.py")],
                    "timeout": 4,
                },
                "office": {
                    "command": sys.executable,
                    "args": [str(UPSTREAMS / "office.py")],
                    "deny": ["export_*"],
                },
                "shop": {"url": shop_url, "headers": {"X-Shop-Key": "${SHOP_TEST_KEY}"}},
            }
        },
        environ={"SHOP_TEST_KEY": SHOP_KEY},
    )
    gw = Gateway(
        config,
        planner=ScriptedPlanner(),
        expose_selected=True,
        health_interval=0.5,
        backoff=0.2,
        max_backoff=1.0,
    )
    with portal.wrap_async_context_manager(gw.running()):
        yield gw


def call(portal, gateway: Gateway, name: str, arguments: dict[str, Any], **client: Any):
    """One tools/call through the SDK's own client, connected in process to the gateway."""

    async def go():
        async with Client(gateway.server, mode="legacy", **client) as c:
            return await c.call_tool(name, arguments)

    return portal.call(go)


def payload(result: types.CallToolResult) -> dict[str, Any]:
    assert not result.is_error, result.content
    return result.structured_content


def wait_for(check, seconds: float = 60.0) -> None:
    deadline = time.time() + seconds
    while not check():
        assert time.time() < deadline, "timed out waiting"
        time.sleep(0.2)


def test_every_upstream_tool_is_listed_page_by_page_and_namespaced(gateway):
    names = set(gateway.catalog.entries)
    by_server = {p: sum(n.startswith(p + "__") for n in names) for p in ("geo", "office", "shop")}
    # shop lists 16 tools in pages of 5 and office 22 in pages of 7: every page was followed
    assert by_server == {"geo": 16, "office": 21, "shop": 16}
    assert "office__export_pdf" not in names  # denied in the config
    assert gateway.status()["shop"]["up"]


def test_search_returns_the_needed_tool_with_its_full_schemas(portal, gateway):
    found = payload(
        call(portal, gateway, "search_tools", {"query": "Convert 20 US dollars to euros", "k": 3})
    )["tools"]
    assert len(found) == 3
    top = found[0]
    assert top["name"] == "shop__convert_price"
    listing = gateway.catalog.get("shop__convert_price").listing
    assert top["inputSchema"] == listing["inputSchema"]
    assert top["inputSchema"]["required"] == ["amount", "from_currency", "to_currency"]
    assert top["outputSchema"]["properties"]["amount"]["type"] == "number"
    assert top["available"] is True and 0 <= top["needed"] <= 1


def test_call_is_forwarded_and_its_result_passed_back_unchanged(portal, gateway, shop_url):
    args = {"amount": 10, "from_currency": "USD", "to_currency": "EUR"}
    via_gateway = call(
        portal, gateway, "call_tool", {"name": "shop__convert_price", "arguments": args}
    )

    async def direct():
        client = create_mcp_http_client(headers={"X-Shop-Key": SHOP_KEY})
        async with (
            client,
            streamable_http_client(shop_url, http_client=client) as (r, w),
            ClientSession(r, w) as session,
        ):
            await session.initialize()
            return await session.call_tool("convert_price", args)

    assert via_gateway.structured_content == {"amount": 9.0}
    assert via_gateway.model_dump() == portal.call(direct).model_dump()


def test_bad_arguments_and_unknown_tools_are_refused_with_what_to_do(portal, gateway):
    bad = call(portal, gateway, "call_tool", {"name": "geo__geocode", "arguments": {"city": 3}})
    assert bad.is_error
    assert "city: 3 is not of type 'string'" in bad.content[0].text
    unknown = call(portal, gateway, "call_tool", {"name": "geo__nowhere", "arguments": {}})
    assert unknown.is_error and "search_tools" in unknown.content[0].text
    empty = call(portal, gateway, "search_tools", {"query": "  "})
    assert empty.is_error and "query is empty" in empty.content[0].text


def test_an_upstream_error_is_passed_through_as_a_tool_error(portal, gateway):
    failed = call(
        portal,
        gateway,
        "call_tool",
        {"name": "geo__fail_on_purpose", "arguments": {"reason": "test"}},
    )
    assert failed.is_error
    assert "geo failed on purpose: test" in failed.content[0].text


def test_an_upstream_time_out_is_a_tool_error_and_the_server_stays_up(portal, gateway):
    slow = call(
        portal,
        gateway,
        "call_tool",
        {"name": "geo__slow_echo", "arguments": {"text": "hi", "seconds": 8}},
    )
    assert slow.is_error and "did not answer 'slow_echo' within 4 s" in slow.content[0].text
    fine = call(
        portal, gateway, "call_tool", {"name": "geo__geocode", "arguments": {"city": "Paris"}}
    )
    assert payload(fine)["country"] == "France"


def test_plan_shows_references_and_run_plan_feeds_structured_content_forward(portal, gateway):
    planned = payload(call(portal, gateway, "plan", {"query": TWO_STEP, "k": 5}))
    assert [c["name"] for c in planned["calls"]] == ["geo__geocode", "geo__get_forecast"]
    assert planned["calls"][1]["references"] == {
        "lat": {"call": 0, "field": "lat"},
        "lon": {"call": 0, "field": "lon"},
    }
    assert "steps" not in planned

    ran = payload(call(portal, gateway, "run_plan", {"query": TWO_STEP, "k": 5}))
    first, second = ran["steps"]
    assert first["result"]["structuredContent"] == {"lat": 59.91, "lon": 10.75, "country": "Norway"}
    assert second["arguments"] == {"lat": 59.91, "lon": 10.75}
    assert second["result"]["isError"] is False
    assert set(second["result"]["structuredContent"]) == {"temperature", "conditions", "days"}


def test_exposed_tools_are_listed_after_a_search_and_announced(portal, gateway):
    seen: list[Any] = []

    async def note(message: Any) -> None:
        seen.append(message)

    async def go():
        async with Client(gateway.server, mode="legacy", message_handler=note, cache=None) as c:
            before = {t.name for t in (await c.list_tools()).tools}
            await c.call_tool("search_tools", {"query": "Track my order and cancel it", "k": 2})
            after = {t.name for t in (await c.list_tools()).tools}
            direct = await c.call_tool("shop__track_order", {"order_id": "O-1"})
            return before, after, direct

    before, after, direct = portal.call(go)
    assert before == {"search_tools", "call_tool", "plan", "run_plan"}
    assert {"shop__track_order", "shop__cancel_order"} <= after
    assert any(isinstance(m, types.ToolListChangedNotification) for m in seen)
    assert set(payload(direct)) == {"status", "eta"}


def test_a_tools_list_changed_notification_updates_the_index_in_place(portal, gateway):
    updates = gateway.catalog.updates
    payload(call(portal, gateway, "call_tool", {"name": "geo__add_tide_tool", "arguments": {}}))
    wait_for(lambda: "geo__tide_times" in gateway.catalog.entries)
    assert gateway.catalog.updates == updates + 1
    found = payload(
        call(portal, gateway, "search_tools", {"query": "When is high tide on the coast?", "k": 3})
    )["tools"]
    assert found[0]["name"] == "geo__tide_times"
    tide = call(
        portal, gateway, "call_tool", {"name": "geo__tide_times", "arguments": {"lat": 1, "lon": 2}}
    )
    assert payload(tide) == {"high": "04:12", "low": "10:25"}


def test_a_crashed_upstream_is_restarted_and_unavailable_meanwhile(portal, gateway):
    geo = gateway.upstreams["geo"]
    starts = geo.starts
    crashed = call(portal, gateway, "call_tool", {"name": "geo__crash_server", "arguments": {}})
    assert crashed.is_error and "restart" in crashed.content[0].text
    # the other servers answer while geo is down
    other = call(
        portal, gateway, "call_tool", {"name": "office__word_count", "arguments": {"text": "a b"}}
    )
    assert not other.is_error
    wait_for(lambda: geo.starts == starts + 1 and geo.up)
    back = call(
        portal, gateway, "call_tool", {"name": "geo__geocode", "arguments": {"city": "Tokyo"}}
    )
    assert payload(back)["country"] == "Japan"
    # the new process never added the tide tool: the re-listing removed it from the index
    assert "geo__tide_times" not in gateway.catalog.entries


def test_a_down_server_gives_a_clear_error_from_call_tool(portal, gateway):
    geo = gateway.upstreams["geo"]
    geo.up = False  # as the supervisor leaves it between a crash and the restart
    try:
        down = call(
            portal, gateway, "call_tool", {"name": "geo__geocode", "arguments": {"city": "Oslo"}}
        )
        found = payload(
            call(portal, gateway, "search_tools", {"query": "coordinates of Oslo", "k": 3})
        )
    finally:
        geo.up = True
    assert down.is_error and "server 'geo' is unavailable" in down.content[0].text
    assert any(t["name"] == "geo__geocode" and t["available"] is False for t in found["tools"]) or (
        gateway.catalog.available("geo__geocode")
    )


def test_over_http_the_gateway_wants_the_bearer_key(portal, gateway, loopback):
    import httpx

    from toolrag.agent.gateway_http import http_app
    from toolrag.agent.server import ServerSettings

    key = "gateway-key-0123456789"
    app = http_app(gateway, ServerSettings(api_key=key, max_body_bytes=50_000))
    with loopback(app) as base:
        assert httpx.get(f"{base}/healthz").json()["tools"] == len(gateway.catalog)
        refused = httpx.post(f"{base}/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "ping"})
        assert refused.status_code == 401
        huge = httpx.post(
            f"{base}/mcp", content=b"x" * 60_000, headers={"Authorization": f"Bearer {key}"}
        )
        assert huge.status_code == 413

        async def session_calls():
            client = create_mcp_http_client(headers={"Authorization": f"Bearer {key}"})
            async with (
                client,
                streamable_http_client(f"{base}/mcp", http_client=client) as (r, w),
                ClientSession(r, w) as session,
            ):
                await session.initialize()
                listed = await session.list_tools()
                found = await session.call_tool("search_tools", {"query": "store opening hours"})
                return listed, found

        listed, found = anyio.run(session_calls)
    assert {t.name for t in listed.tools} >= {"search_tools", "call_tool", "plan", "run_plan"}
    assert found.structured_content["tools"][0]["name"] == "shop__store_hours"


def test_the_real_planner_plans_over_upstream_tools(portal, gateway, smol_planner):
    scripted, gateway.planner = gateway.planner, smol_planner
    try:
        planned = payload(
            call(portal, gateway, "plan", {"query": "Convert 20 US dollars to euros", "k": 3})
        )
    finally:
        gateway.planner = scripted
    assert planned["format_ok"], planned
    assert planned["calls"], planned
    assert {c["name"] for c in planned["calls"]} <= set(planned["candidates"])
