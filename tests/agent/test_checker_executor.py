"""Plans are checked against the schemas before they run; execution substitutes outputs."""

from __future__ import annotations

import re

import pytest

from toolrag.agent.agent import Agent
from toolrag.agent.checker import check, coerce
from toolrag.agent.executor import ToolRegistry, execute, simulate
from toolrag.agent.planner import PlanResult
from toolrag.types import Param, ParamType, Tool, ToolCall

GEO = Tool(
    name="geo",
    parameters=[Param(name="city", required=True), Param(name="n", type=ParamType.INTEGER)],
    outputs=[Param(name="lat", type=ParamType.NUMBER), Param(name="lon", type=ParamType.NUMBER)],
)
WEATHER = Tool(
    name="weather",
    parameters=[Param(name="lat", type=ParamType.NUMBER, required=True)],
    outputs=[Param(name="temp", type=ParamType.NUMBER)],
)
TOOLS = {"geo": GEO, "weather": WEATHER}


def call(api, responses=(), **params):
    return ToolCall(api=api, parameters=params, responses=list(responses))


def messages(calls):
    return [str(v) for v in check(calls, TOOLS)]


def test_a_good_nested_plan_passes():
    plan = [
        call("geo", ["API_call_0", "API_call_1"], city="Oslo", n="3"),
        call("weather", ["API_call_2"], lat="API_call_0"),
    ]
    assert messages(plan) == []


@pytest.mark.parametrize(
    ("plan", "expected"),
    [
        ([call("book")], "call 0 (book): unknown tool"),
        ([call("geo", n=1)], "call 0 (geo): missing required parameter 'city'"),
        ([call("geo", city="x", town="y")], "call 0 (geo): unknown parameter 'town'"),
        ([call("geo", city="x", n="many")], "call 0 (geo): n='many' is not a integer"),
        ([call("weather", ["API_call_0"], lat="API_call_0")], "references its own or a later call"),
        ([call("weather", lat="API_call_7")], "references no call's output"),
    ],
)
def test_each_violation_is_reported(plan, expected):
    assert any(expected in m for m in messages(plan)), messages(plan)


def test_coerce():
    assert coerce("3", ParamType.INTEGER) == 3
    assert coerce(2.0, ParamType.INTEGER) == 2
    assert coerce("a, b", ParamType.ARRAY) == ["a", "b"]
    with pytest.raises(ValueError):
        coerce("2.5", ParamType.INTEGER)
    with pytest.raises(ValueError):
        coerce("maybe", ParamType.BOOLEAN)


def test_execution_substitutes_outputs_and_records_failures():
    registry = ToolRegistry()

    @registry.register("geo")
    def geo(city, n=1):
        return {"lat": 59.9, "lon": 10.7}

    @registry.register("weather")
    def weather(lat):
        if lat > 50:
            raise RuntimeError("too cold to measure")
        return {"temp": 20.0}

    plan = [
        call("geo", ["API_call_0", "API_call_1"], city="Oslo"),
        call("weather", ["API_call_2"], lat="API_call_0"),
    ]
    trace = execute(plan, TOOLS, registry)
    assert trace[0].output == {"lat": 59.9, "lon": 10.7}
    assert trace[1].arguments == {"lat": 59.9}
    assert trace[1].output is None and "too cold" in trace[1].error


def test_a_tool_without_an_output_schema_can_feed_a_later_call():
    from toolrag.agent.plan import to_seal

    # OpenAI-style functions declare no outputs: a later call references the whole result
    gdp = Tool(name="get_gdp", parameters=[Param(name="country", required=True)])
    convert = Tool(
        name="convert",
        parameters=[
            Param(name="amount", type=ParamType.NUMBER, required=True),
            Param(name="to", required=True),
        ],
    )
    tools = {"get_gdp": gdp, "convert": convert}
    plan = [
        {"api": "get_gdp", "parameters": {"country": "France"}},
        {"api": "convert", "parameters": {"amount": "$0.result", "to": "EUR"}},
    ]
    calls = to_seal(plan, tools)
    assert [c.responses for c in calls] == [["API_call_0"], ["API_call_1"]]
    assert calls[1].parameters == {"amount": "API_call_0", "to": "EUR"}
    assert check(calls, tools) == []
    for answer in (3.1e12, {"gdp": 3.1e12}):  # a plain value, or a one-field answer
        registry = ToolRegistry()
        registry.update(
            {"get_gdp": lambda country, a=answer: a, "convert": lambda amount, to: amount}
        )
        trace = execute(calls, tools, registry)
        assert trace[1].arguments == {"amount": 3.1e12, "to": "EUR"}, answer
        assert trace[1].output == {"result": 3.1e12}


def test_simulated_tools_are_deterministic_and_follow_the_schema():
    out = simulate(GEO, {"city": "Oslo"})
    assert set(out) == {"lat", "lon"} and all(isinstance(v, float) for v in out.values())
    assert simulate(GEO, {"city": "Oslo"}) == out
    trace = execute(
        [
            call("geo", ["API_call_0", "API_call_1"], city="Oslo"),
            call("weather", ["API_call_2"], lat="API_call_1"),
        ],
        TOOLS,
    )
    assert trace[1].arguments["lat"] == out["lon"] and trace[1].simulated


class FixedPlanner:
    def __init__(self, calls):
        self.calls = calls

    def plan(self, query, tools, selected=None):
        return PlanResult(calls=self.calls, text="", format_ok=True)


def test_agent_checks_before_it_executes(six_index):
    good = [call("getWeather", ["API_call_0"], city="Paris")]
    answer = Agent(six_index, FixedPlanner(good), k=3).ask("weather in Paris")
    assert answer.violations == [] and len(answer.trace) == 1
    assert answer.candidates[0]["name"] == "getWeather"
    bad = [call("getWeather")]
    answer = Agent(six_index, FixedPlanner(bad), k=3).ask("weather in Paris")
    assert answer.violations and answer.trace == []
    assert "missing required parameter 'city'" in answer.to_json()["violations"][0]


def test_simulated_outputs_look_like_data_for_every_sample_tool():
    from importlib import resources

    from toolrag.index.toolset import load_toolset

    with resources.as_file(resources.files("toolrag") / "data" / "sample_tools.json") as path:
        tools = load_toolset(path)
    placeholder = re.compile(r"_[0-9a-f]{6}$")

    def leaves(value):
        if isinstance(value, dict):
            assert value, "an empty object"
            for v in value.values():
                yield from leaves(v)
        elif isinstance(value, list):
            assert value, "an empty list"
            for v in value:
                yield from leaves(v)
        else:
            yield value

    for tool in tools:
        out = simulate(tool, {"location": "Lisbon"})
        for leaf in leaves(out):
            assert not (isinstance(leaf, str) and placeholder.search(leaf)), (tool.name, out)
    weather = next(t for t in tools if t.name == "get_current_weather")
    out = simulate(weather, {"location": "Lisbon"})
    assert out["conditions"] in {"sunny", "cloudy", "rain", "snow"}
    assert -5 <= out["temperature"] <= 32


def test_simulated_values_fit_names_and_echo_arguments():
    import random

    from toolrag.agent.sample_values import sample_value

    rng = random.Random(1)
    assert sample_value(Param(name="city", type=ParamType.STRING), {"city": "Oslo"}, rng) == "Oslo"
    assert sample_value(Param(name="humidity", type=ParamType.INTEGER), {}, rng) in range(5, 96)
    assert "@example.com" in sample_value(Param(name="email", type=ParamType.STRING), {}, rng)
    assert sample_value(Param(name="mode", enum=["a", "b"]), {}, rng) in {"a", "b"}
    items = Param(
        name="days",
        type=ParamType.ARRAY,
        json_schema={"type": "array", "items": {"type": "object", "properties": {"date": {}}}},
    )
    days = sample_value(items, {}, rng)
    assert len(days) == 2 and all(re.fullmatch(r"2025-\d\d-\d\d", d["date"]) for d in days)
