"""OpenAPI operations executed as real HTTP calls against a server on loopback, whose spec is the
server's own generated OpenAPI document."""

from __future__ import annotations

import json

import httpx
import pytest
from fastapi import FastAPI, Header, HTTPException
from pydantic import BaseModel

from toolrag.agent.executor import ToolRegistry, execute
from toolrag.agent.http_tools import OpenAPITools
from toolrag.index.toolset import load_toolset
from toolrag.types import ToolCall


class Order(BaseModel):
    item: str
    quantity: int


class OrderReceipt(BaseModel):
    order_id: str
    total: float


class City(BaseModel):
    code: str
    country: str


class Weather(BaseModel):
    city_code: str
    temperature: float
    units: str


def make_app() -> FastAPI:
    app = FastAPI(title="Test services")

    @app.get("/cities/{name}", operation_id="getCity", response_model=City)
    def get_city(name: str) -> City:
        if name == "Atlantis":
            raise HTTPException(404, "no such city")
        return City(code=name[:3].upper(), country="NO")

    @app.get("/weather", operation_id="getWeather", response_model=Weather)
    def get_weather(city_code: str, units: str = "metric") -> Weather:
        return Weather(city_code=city_code, temperature=4.5, units=units)

    @app.post("/orders", operation_id="placeOrder", response_model=OrderReceipt)
    def place_order(order: Order, x_customer: str = Header()) -> OrderReceipt:
        return OrderReceipt(order_id=f"{x_customer}-{order.item}", total=2.5 * order.quantity)

    return app


@pytest.fixture(scope="module")
def served(loopback, tmp_path_factory):
    app = make_app()
    spec = tmp_path_factory.mktemp("spec") / "openapi.json"
    with loopback(app) as url:
        spec.write_text(json.dumps(httpx.get(f"{url}/openapi.json").json()))
        yield url, spec


def test_every_operation_is_a_tool_and_a_callable(served):
    url, spec = served
    tools = {t.name: t for t in load_toolset(spec)}
    assert set(tools) == {"getCity", "getWeather", "placeOrder"}
    assert {p.name for p in tools["placeOrder"].parameters} == {"x-customer", "item", "quantity"}
    api = OpenAPITools(spec, base_url=url)
    assert set(api.functions()) == set(tools)


def test_arguments_go_to_path_query_header_and_body(served):
    url, spec = served
    api = OpenAPITools(spec, base_url=url)
    assert api.call("getCity", {"name": "Oslo"}) == {"code": "OSL", "country": "NO"}
    assert api.call("getWeather", {"city_code": "OSL", "units": "imperial"})["units"] == "imperial"
    receipt = api.call("placeOrder", {"item": "tea", "quantity": 4, "x-customer": "c7"})
    assert receipt == {"order_id": "c7-tea", "total": 10.0}


def test_a_nested_plan_runs_over_http_and_failures_are_observations(served):
    url, spec = served
    tools = {t.name: t for t in load_toolset(spec)}
    registry = ToolRegistry(simulate=False)
    registry.update(OpenAPITools(spec, base_url=url).functions())
    calls = [
        ToolCall(
            api="getCity", parameters={"name": "Oslo"}, responses=["API_call_0", "API_call_1"]
        ),
        ToolCall(
            api="getWeather", parameters={"city_code": "API_call_0"}, responses=["API_call_2"]
        ),
        ToolCall(api="getCity", parameters={"name": "Atlantis"}, responses=["API_call_5"]),
    ]
    trace = execute(calls, tools, registry)
    assert trace[1].output["city_code"] == "OSL"  # call 0's output went into call 1 over HTTP
    assert not trace[1].simulated
    assert trace[2].output is None and "404" in trace[2].error


def test_a_spec_without_a_server_needs_a_base_url(served):
    _, spec = served
    with pytest.raises(ValueError, match="base_url"):
        OpenAPITools(spec)


class CityWeatherPlanner:
    name = "fixed"

    def plan(self, query, tools, selected=None):
        from toolrag.agent.planner import PlanResult

        calls = [
            ToolCall(api="getCity", parameters={"name": "Bergen"}, responses=["API_call_0"]),
            ToolCall(api="getWeather", parameters={"city_code": "API_call_0"}, responses=[]),
        ]
        return PlanResult(calls=calls, text="", format_ok=True)


def test_the_agent_executes_a_registered_spec_over_http(served):
    from toolrag.agent.agent import Agent
    from toolrag.index.store import ToolIndex

    url, spec = served
    registry = ToolRegistry()
    assert sorted(registry.add_openapi(spec, base_url=url)) == [
        "getCity",
        "getWeather",
        "placeOrder",
    ]
    agent = Agent(ToolIndex.build(load_toolset(spec)), CityWeatherPlanner(), registry=registry, k=3)
    answer = agent.ask("What is the weather in Bergen?")
    assert [o.output for o in answer.trace] == [
        {"code": "BER", "country": "NO"},
        {"city_code": "BER", "temperature": 4.5, "units": "metric"},
    ]
    assert not any(o.simulated for o in answer.trace)
