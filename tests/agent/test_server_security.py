"""The server is safe to put on a network: a key, size limits, 4xx for bad input, no paths in
/healthz, Prometheus metrics, and a refused non-loopback bind without a key."""

from __future__ import annotations

import httpx
import pytest
from typer.testing import CliRunner

from toolrag.agent.agent import Agent
from toolrag.agent.planner import PlanResult
from toolrag.agent.server import ServerSettings, create_app
from toolrag.cli import app as cli
from toolrag.errors import ConfigError, InputTooLongError
from toolrag.types import ToolCall

KEY = "k" * 24


class WeatherPlanner:
    name = "/secret/path/to/planner"

    def plan(self, query, tools, selected=None):
        if "explode" in query:
            raise RuntimeError("a bug in the planner")
        if "overflow" in query:
            raise InputTooLongError("the query and its 3 tools take 9000 tokens")
        calls = [ToolCall(api="getWeather", parameters={"city": "Paris"}, responses=["API_call_0"])]
        return PlanResult(calls=calls, text="", format_ok=True)


@pytest.fixture(scope="module")
def open_url(six_index, loopback):
    with loopback(create_app(Agent(six_index, WeatherPlanner(), k=3))) as url:
        yield url


@pytest.fixture(scope="module")
def keyed_url(six_index, loopback):
    settings = ServerSettings(
        api_key=KEY, max_body_bytes=10_000, cors_origins=("https://a.example",)
    )
    with loopback(create_app(Agent(six_index, WeatherPlanner(), k=3), settings=settings)) as url:
        yield url


def test_a_key_is_needed_everywhere_but_healthz(keyed_url):
    body = {"query": "weather in Paris"}
    assert httpx.post(f"{keyed_url}/retrieve", json=body).status_code == 401
    wrong = {"Authorization": "Bearer " + "x" * 24}
    r = httpx.post(f"{keyed_url}/retrieve", json=body, headers=wrong)
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    assert httpx.get(f"{keyed_url}/metrics").status_code == 401
    assert httpx.get(f"{keyed_url}/openapi.json").status_code == 401
    good = {"Authorization": f"Bearer {KEY}"}
    assert httpx.post(f"{keyed_url}/retrieve", json=body, headers=good).status_code == 200
    assert httpx.get(f"{keyed_url}/healthz").json()["auth"] is True


def test_an_oversized_body_gets_413_with_the_limit(keyed_url):
    good = {"Authorization": f"Bearer {KEY}"}
    big = {"query": "weather", "padding": "x" * 20_000}
    r = httpx.post(f"{keyed_url}/retrieve", json=big, headers=good)
    assert r.status_code == 413 and "10000 bytes" in r.json()["detail"]

    def chunks():  # no Content-Length: the body streams
        for _ in range(30):
            yield b"x" * 1_000

    r = httpx.post(f"{keyed_url}/retrieve", content=chunks(), headers=good)
    assert r.status_code == 413


def test_cors_answers_only_the_allowed_origin(keyed_url):
    pre = {"Access-Control-Request-Method": "POST"}
    ok = httpx.options(f"{keyed_url}/healthz", headers={**pre, "Origin": "https://a.example"})
    assert ok.headers.get("access-control-allow-origin") == "https://a.example"
    other = httpx.options(f"{keyed_url}/healthz", headers={**pre, "Origin": "https://b.example"})
    assert "access-control-allow-origin" not in other.headers


@pytest.mark.parametrize("path", ["/retrieve", "/plan", "/ask"])
def test_a_50000_character_query_gets_a_4xx_never_a_5xx(open_url, path):
    r = httpx.post(f"{open_url}{path}", json={"query": "weather " * 6_250}, timeout=30)
    assert r.status_code == 422 and "limit is 2000" in r.text


def test_input_the_planner_cannot_take_is_413_and_a_bug_is_500_with_an_id(open_url):
    r = httpx.post(f"{open_url}/plan", json={"query": "overflow please"})
    assert r.status_code == 413 and "9000 tokens" in r.json()["detail"]
    r = httpx.post(f"{open_url}/plan", json={"query": "explode please"})
    assert r.status_code == 500
    assert r.headers["x-request-id"] in r.json()["detail"]
    assert "bug in the planner" not in r.text  # the traceback goes to the log, not the client


def test_too_many_candidates_are_refused(open_url):
    r = httpx.post(f"{open_url}/plan", json={"query": "weather", "k": 50})
    assert r.status_code == 422


def test_healthz_has_counts_and_no_paths(open_url):
    health = httpx.get(f"{open_url}/healthz").json()
    assert health["status"] == "ok" and health["tools"] == 6
    assert "/" not in str(health)


def test_metrics_are_prometheus_text(open_url):
    httpx.post(f"{open_url}/retrieve", json={"query": "weather in Paris"})
    text = httpx.get(f"{open_url}/metrics").text
    assert 'toolrag_requests_total{path="/retrieve",status="200"}' in text
    assert "toolrag_request_seconds_bucket" in text
    assert "toolrag_plan_queue_depth" in text and "toolrag_plan_rejected_total" in text


def test_settings_refuse_a_short_key():
    with pytest.raises(ConfigError, match="at least 16"):
        ServerSettings(api_key="short")


def test_serve_refuses_a_public_bind_without_a_key(tmp_path, monkeypatch):
    runner = CliRunner()
    res = runner.invoke(cli, ["serve", "--index", str(tmp_path), "--host", "0.0.0.0"])
    assert res.exit_code == 2 and "--api-key-env" in res.output
    res = runner.invoke(
        cli, ["serve", "--index", str(tmp_path), "--host", "0.0.0.0", "--api-key-env", "NOPE_KEY"]
    )
    assert res.exit_code == 2 and "NOPE_KEY is not set" in res.output
