"""Parallel-call instances built from the data's own calls are grounded and well formed."""

from __future__ import annotations

import re

from toolrag.trainer.augment import (
    coordinated_instances,
    elliptic_request,
    parallel_instances,
    second_request,
)
from toolrag.types import Instance, ToolCall


def call(**params) -> ToolCall:
    return ToolCall(api="getWeather", parameters=params)


def test_second_request_replaces_each_changed_value_span():
    q = "Weather in Paris on 2024-05-01, please"
    assert (
        second_request(
            q, call(city="Paris", date="2024-05-01"), call(city="Rome", date="2024-05-02")
        )
        == "Weather in Rome on 2024-05-02, please"
    )
    # unchanged values stay; numbers are replaced as words, not inside other numbers
    assert second_request("Top 5 songs of 2015", call(n=5, year=2015), call(n=7, year=2015)) == (
        "Top 7 songs of 2015"
    )


def test_second_request_refuses_what_it_cannot_ground():
    q = "Weather in the French capital"
    assert second_request(q, call(city="Paris"), call(city="Rome")) is None  # not a span
    assert second_request("Weather in Paris", call(city="Paris"), call(city="Paris")) is None
    assert second_request("Weather in Paris", call(city="Paris"), call(town="Rome")) is None
    # the new value is already in the query: the two requests would not differ clearly
    assert (
        second_request("Paris or Rome: weather in Paris", call(city="Paris"), call(city="Rome"))
        is None
    )
    ref = ToolCall(api="getWeather", parameters={"city": "API_call_0"})
    assert second_request("Weather in Paris", call(city="Paris"), ref) is None


def test_parallel_instances_are_two_grounded_calls_of_one_tool():
    data = [
        Instance(id=f"i{k}", query=f"Weather in {city}.", calling=[call(city=city)])
        for k, city in enumerate(["Paris", "Rome", "Oslo", "Lima"])
    ]
    out = parallel_instances(data, n=3, seed=1)
    assert len(out) == 3
    assert len({i.id for i in out}) == 3
    for inst in out:
        first, second = inst.calls
        assert first.api == second.api == "getWeather"
        assert first.parameters != second.parameters
        for c in inst.calls:
            assert c.parameters["city"] in inst.query
    assert parallel_instances(data, n=3, seed=1) == out  # reproducible


def test_coordinated_instances_call_the_tool_once_per_coordinated_value():
    data = [
        Instance(id=f"i{k}", query=f'Weather in "{city}" in celsius.', calling=[call(city=city)])
        for k, city in enumerate(["Paris", "Rome", "Oslo", "Lima", "Kyiv"])
    ]
    out = coordinated_instances(data, n=4, seed=3, three_share=0.5)
    assert len(out) == 4
    assert {len(i.calls) for i in out} <= {2, 3}
    for inst in out:
        cities = [c.parameters["city"] for c in inst.calls]
        assert len(set(cities)) == len(cities)  # never an identical call
        for city in cities:
            assert f'"{city}"' in inst.query  # quoted like the original span
        assert inst.query.endswith(" in celsius.")
    assert coordinated_instances(data, n=4, seed=3, three_share=0.5) == out


def test_coordinated_instances_keep_integer_values_integers_and_skip_unsaid_values():
    data = [
        Instance(id="a", query="Top 5 songs", calling=[ToolCall(api="top", parameters={"n": 5})]),
        Instance(id="b", query="Top 7 songs", calling=[ToolCall(api="top", parameters={"n": 7})]),
        Instance(
            id="c", query="The best songs", calling=[ToolCall(api="top", parameters={"n": 3})]
        ),
    ]
    out = coordinated_instances(data, n=5, seed=0, three_share=0)
    assert {i.id for i in out} == {"coordinated-a", "coordinated-b"}  # c's 3 is not said
    for inst in out:
        assert all(isinstance(c.parameters["n"], int) for c in inst.calls)


def test_elliptic_request_keeps_only_what_changes_from_the_preposition_on():
    q = "Monitor the infestation of pests in rice crops."
    a = ToolCall(api="monitor", parameters={"crop": "rice"})
    b = ToolCall(api="monitor", parameters={"crop": "wheat"})
    assert elliptic_request(q, a, b) == (
        "Monitor the infestation of pests in rice crops and in wheat crops."
    )
    # two changed values: the second half runs from the first one to the last
    assert (
        elliptic_request(
            "Distance from Lyon to Nice in km?",
            ToolCall(api="d", parameters={"a": "Lyon", "b": "Nice"}),
            ToolCall(api="d", parameters={"a": "Lyon", "b": "Nantes"}),
        )
        == "Distance from Lyon to Nice in km and to Nantes in km?"
    )


def test_elliptic_request_refuses_what_it_cannot_elide():
    a, b = call(city="Paris"), call(city="Rome")
    assert elliptic_request("Paris weather", a, b) is None  # the value opens the request
    # the request goes on after the value: the "elided" part would be most of it
    assert elliptic_request("Weather in Paris for the next five sunny days", a, b) is None
    assert elliptic_request("Weather in the capital", a, b) is None  # not a span
    two = ToolCall(api="getWeather", parameters={"city": "Paris", "day": "Monday"})
    other = ToolCall(api="getWeather", parameters={"city": "Rome", "day": "Friday"})
    assert elliptic_request("Weather in Paris. Plan for Monday.", two, other) is None


def test_parallel_instances_can_be_elliptic_and_stay_grounded():
    data = [
        Instance(id=f"i{k}", query=f"Weather in {city} today.", calling=[call(city=city)])
        for k, city in enumerate(["Paris", "Rome", "Oslo"])
    ]
    out = parallel_instances(data, n=3, seed=0, elliptic=True, id_prefix="elliptic")
    assert len(out) == 3
    for inst in out:
        first, second = (c.parameters["city"] for c in inst.calls)
        assert inst.query == f"Weather in {first} today and in {second} today."


def test_coordinations_can_repeat_the_preposition_before_each_value():
    data = [
        Instance(id=f"i{k}", query=f"Weather in {city} now.", calling=[call(city=city)])
        for k, city in enumerate(["Paris", "Rome", "Oslo", "Lima"])
    ]
    out = coordinated_instances(data, n=4, seed=0, three_share=0, lead_share=1.0)
    assert len(out) == 4
    for inst in out:
        first, second = (c.parameters["city"] for c in inst.calls)
        assert re.fullmatch(
            rf"Weather in {first} (and|and also|as well as) in {second} now\.", inst.query
        )
    # without a share, the old wording (and the old draws) stay
    for inst in coordinated_instances(data, n=4, seed=0, three_share=0):
        first, second = (c.parameters["city"] for c in inst.calls)
        assert re.fullmatch(
            rf"Weather in {first} (and|and also|as well as) {second} now\.", inst.query
        )


def test_nested_instances_point_the_second_call_at_the_first_output():
    from toolrag.agent.plan import to_internal
    from toolrag.trainer.augment import nested_instances
    from toolrag.types import Param, ParamType, Tool

    tools = {
        "geo": Tool(
            name="geo",
            parameters=[Param(name="city", required=True)],
            outputs=[Param(name="lat"), Param(name="lon")],
        ),
        "energy": Tool(
            name="energy",
            parameters=[
                Param(name="location", required=True),
                Param(name="days", type=ParamType.INTEGER, required=True),
            ],
            outputs=[Param(name="supply")],
        ),
    }
    geo = Instance(
        id="g", query="Locate Oslo.", calling=[{"api": "geo", "parameters": {"city": "Oslo"}}]
    )
    energy = Instance(
        id="e",
        query="Get the energy supply of the 'London' grid for 7 days.",
        calling=[{"api": "energy", "parameters": {"location": "London", "days": 7}}],
    )
    made = nested_instances([geo, energy], tools, n=5, seed=1)
    assert len(made) == 2  # each request once as the producer
    inst = next(i for i in made if i.query.startswith("Locate Oslo. "))
    # the quoted value and the article before it give way to a phrase that points back
    assert inst.query == (
        "Locate Oslo. Once that is done, get the energy supply of the same location grid for 7 days."
    )
    plan = to_internal(inst.calls, tools)
    assert plan == [
        {"api": "geo", "parameters": {"city": "Oslo"}},
        {"api": "energy", "parameters": {"location": "$0.lat", "days": 7}},
    ]
