"""The HTTP server on loopback, spoken to over real HTTP."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from agent.agent import Agent
from agent.planner import PlanResult
from agent.server import create_app
from toolrag.types import ToolCall


class WeatherPlanner:
    name = "fixed"

    def plan(self, query, tools, selected=None):
        calls = [ToolCall(api="getWeather", parameters={"city": "Paris"}, responses=["API_call_0"])]
        return PlanResult(calls=calls, text="", format_ok=True)


@pytest.fixture(scope="module")
def base_url(six_index, loopback):
    with loopback(create_app(Agent(six_index, WeatherPlanner(), k=3))) as url:
        yield url


def test_healthz_and_docs(base_url):
    assert httpx.get(f"{base_url}/healthz").json()["tools"] == 6
    assert "/retrieve" in httpx.get(f"{base_url}/openapi.json").json()["paths"]


def test_retrieve_plan_ask(base_url):
    r = httpx.post(f"{base_url}/retrieve", json={"query": "weather in Paris", "k": 2})
    assert r.status_code == 200 and r.json()["tools"][0]["name"] == "getWeather"
    r = httpx.post(f"{base_url}/plan", json={"query": "weather in Paris", "tools": ["getWeather"]})
    assert r.json()["plan"]["calls"][0]["api"] == "getWeather" and r.json()["violations"] == []
    r = httpx.post(f"{base_url}/ask", json={"query": "weather in Paris"})
    assert r.json()["trace"][0]["simulated"] is True


@pytest.mark.parametrize(
    ("path", "body", "status", "text"),
    [
        ("/retrieve", {"query": ""}, 422, "at least 1 character"),
        ("/retrieve", {"query": "x", "k": 0}, 422, "greater than or equal to 1"),
        ("/plan", {"query": "x", "tools": ["nope"]}, 400, "unknown tools"),
        ("/ask", {"query": "x", "execute": "really"}, 422, "simulate"),
    ],
)
def test_bad_requests_get_4xx_with_a_reason(base_url, path, body, status, text):
    r = httpx.post(f"{base_url}{path}", json=body)
    assert r.status_code == status and text in r.text


def test_concurrent_clients(base_url):
    def one(i):
        return httpx.post(f"{base_url}/ask", json={"query": f"weather {i}"}, timeout=30).status_code

    with ThreadPoolExecutor(20) as pool:
        codes = list(pool.map(one, range(60)))
    assert codes == [200] * 60
