"""The HTTP server on loopback, spoken to over real HTTP."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from toolrag.agent.agent import Agent
from toolrag.agent.planner import PlanResult
from toolrag.agent.server import create_app
from toolrag.types import ToolCall


class WeatherPlanner:
    name = "fixed"

    def plan(self, query, tools, selected=None):
        calls = [ToolCall(api="getWeather", parameters={"city": "Paris"}, responses=["API_call_0"])]
        return PlanResult(calls=calls, text="", format_ok=True)


@pytest.fixture(scope="module")
def base_url(six_index, loopback):
    # a queue long enough for every concurrent client of test_concurrent_clients
    with loopback(create_app(Agent(six_index, WeatherPlanner(), k=3), max_queue=64)) as url:
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


class BlockedPlanner(WeatherPlanner):
    """Plans only once the test lets it, so requests pile up behind it."""

    def __init__(self) -> None:
        import threading

        self.started, self.go = threading.Event(), threading.Event()
        self.armed = False  # the server's warm-up plan passes

    def plan(self, query, tools, selected=None):
        if self.armed:
            self.started.set()
            assert self.go.wait(30)
        return super().plan(query, tools, selected)


def test_a_full_plan_queue_answers_503_and_retrieve_does_not_wait(six_index, loopback):
    planner = BlockedPlanner()
    app = create_app(Agent(six_index, planner, k=3), max_queue=1)
    planner.armed = True
    with loopback(app) as url, ThreadPoolExecutor(4) as pool:
        ask = {"query": "weather in Paris"}
        running = pool.submit(httpx.post, f"{url}/ask", json=ask, timeout=60)
        assert planner.started.wait(30)
        waiting = pool.submit(httpx.post, f"{url}/plan", json=ask, timeout=60)
        # the running plan holds the planner: retrieval still answers at once
        r = httpx.post(f"{url}/retrieve", json={"query": "weather", "k": 1}, timeout=5)
        assert r.status_code == 200
        # one request runs and one waits (max_queue=1): a third is turned away at once
        deadline = time.time() + 30
        while httpx.get(f"{url}/healthz").json()["plan_queue"]["admitted"] < 2:
            assert time.time() < deadline
            time.sleep(0.02)
        full = httpx.post(f"{url}/ask", json=ask, timeout=5)
        assert full.status_code == 503, full.text
        assert int(full.headers["Retry-After"]) >= 1
        assert "busy" in full.json()["detail"]
        planner.go.set()
        assert running.result().status_code == 200
        assert waiting.result().status_code == 200
        assert httpx.get(f"{url}/healthz").json()["plan_queue"]["rejected"] >= 1


def test_plans_run_on_one_planning_thread(six_index, loopback):
    import threading

    class Recording(WeatherPlanner):
        def __init__(self) -> None:
            self.seen: list[tuple[str, int]] = []

        def plan(self, query, tools, selected=None):
            self.seen.append((query, threading.get_native_id()))
            return super().plan(query, tools, selected)

        def close(self) -> None:
            self.closed = True

    planner = Recording()
    app = create_app(Agent(six_index, planner, k=3))
    assert planner.seen[0][0] == "warm up"  # the planner is warmed before the first request
    with loopback(app) as url:
        for path in ("/plan", "/ask"):
            assert httpx.post(f"{url}{path}", json={"query": "weather"}, timeout=30).is_success
        health = httpx.get(f"{url}/healthz").json()
    assert len({tid for _, tid in planner.seen}) == 1
    assert threading.get_native_id() not in {tid for _, tid in planner.seen}
    assert health["plan_queue"]["planner_niceness"] == 0
    assert planner.closed  # the server closed its planner (a planner process) on shutdown


def test_a_planner_process_plans_as_the_planner_does_at_a_lower_priority(smol_folder, six_index):
    import os

    from toolrag.agent.planner import Planner
    from toolrag.agent.worker import PlannerProcess

    tools = list(six_index.tools)[:3]
    here = Planner.load(str(smol_folder), engine="torch", max_new_tokens=40)
    there = PlannerProcess(str(smol_folder), niceness=5, engine="torch", max_new_tokens=40)
    try:
        info = there.info()
        assert info["pid"] != os.getpid()
        assert info["niceness"] == min(19, os.nice(0) + 5)
        assert os.nice(0) != info["niceness"]  # ours is unchanged
        expected = here.plan("weather in Oslo", tools)
        got = there.plan("weather in Oslo", tools)
        assert got.text == expected.text and got.calls == expected.calls
        assert there.plan("weather in Oslo", tools, selected=[]).calls == []
    finally:
        there.close()
    with pytest.raises(ValueError, match="niceness=20"):
        PlannerProcess(str(smol_folder), niceness=20)


def test_a_planner_process_ends_when_its_parent_is_killed(smol_folder, tmp_path):
    import os
    import signal
    import subprocess
    import sys

    script = (
        "import sys, time\n"
        "from toolrag.agent.worker import PlannerProcess\n"
        f"p = PlannerProcess({str(smol_folder)!r}, niceness=0, engine='torch')\n"
        "print(p.info()['pid'], flush=True)\n"
        "time.sleep(600)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        child = int(parent.stdout.readline())
        os.kill(child, 0)  # alive
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=30)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                os.kill(child, 0)
            except ProcessLookupError:
                break
            time.sleep(0.2)
        else:
            os.kill(child, signal.SIGKILL)
            raise AssertionError("the planner process outlived its parent")
    finally:
        parent.kill()


@pytest.mark.parametrize("path", ["/retrieve", "/plan", "/ask"])
@pytest.mark.parametrize(
    "body",
    [
        '{"query": "\\ud800 weather in Oslo"}',  # a lone surrogate: valid JSON, not UTF-8
        '{"query": "weather", "tools": ["\\udc00"]}',
        '{"query": "weather", "k": "\\ud800"}',  # the error echoes the input: it must encode
    ],
)
def test_text_that_cannot_be_encoded_is_a_422(base_url, path, body):
    if '"tools"' in body and path != "/plan":
        pytest.skip("only /plan takes tools; the other endpoints ignore fields they do not have")
    r = httpx.post(f"{base_url}{path}", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422, r.text
    assert "\\ud800" in r.text or "\\udc00" in r.text  # named as an escape, sent as UTF-8
    r.content.decode("utf-8")
