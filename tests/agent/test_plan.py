"""The internal plan form converts exactly to and from the Seal-Tools form."""

from __future__ import annotations

import pytest

from toolrag.agent.plan import PlanFormatError, dumps, parse, response_ids, to_internal, to_seal
from toolrag.index.toolset import load_toolset
from toolrag.instances import read_instances
from toolrag.types import Param, Tool, ToolCall

TOOLS = {
    "geo": Tool(name="geo", outputs=[Param(name="lat"), Param(name="lon")]),
    "weather": Tool(name="weather", outputs=[Param(name="temp")]),
    "noout": Tool(name="noout"),
}


def test_response_ids_are_numbered_across_the_plan():
    # a tool that declares no outputs owns one id: its whole result (Tool.returns)
    assert response_ids(["geo", "noout", "weather"], TOOLS) == [
        ["API_call_0", "API_call_1"],
        ["API_call_2"],
        ["API_call_3"],
    ]


def test_reference_converts_to_the_dataset_id_and_back():
    internal = [
        {"api": "weather", "parameters": {"city": "Oslo"}},
        {"api": "geo", "parameters": {"q": "$0.temp", "n": 3}},
        {"api": "weather", "parameters": {"lat": "$1.lon"}},
    ]
    seal = to_seal(internal, TOOLS)
    assert [c.parameters for c in seal] == [
        {"city": "Oslo"},
        {"q": "API_call_0", "n": 3},
        {"lat": "API_call_2"},
    ]
    assert [c.responses for c in seal] == [
        ["API_call_0"],
        ["API_call_1", "API_call_2"],
        ["API_call_3"],
    ]
    assert to_internal(seal, TOOLS) == internal


@pytest.mark.parametrize(
    "bad",
    ["$1.temp", "$0.nofield", "$5.lat"],  # a later call, an unknown field, no such call
)
def test_invalid_reference_is_kept_verbatim(bad):
    seal = to_seal(
        [{"api": "weather", "parameters": {}}, {"api": "geo", "parameters": {"x": bad}}], TOOLS
    )
    assert seal[1].parameters["x"] == bad


def test_round_trip_on_every_dev_and_test_plan(seal_available):
    from conftest import SEAL

    tools = {t.name: t for t in load_toolset(SEAL / "tool.jsonl")}
    for name in ("dev.jsonl", "test_in_domain.jsonl"):
        for inst in read_instances(SEAL / name):
            internal = to_internal(inst.calls, tools)
            back = to_seal(parse(dumps(internal)), tools)
            # "API_call_0 response" style values come back as the bare id
            want = [
                ToolCall(
                    api=c.api,
                    parameters={k: _bare(v) for k, v in c.parameters.items()},
                    responses=c.responses,
                )
                for c in inst.calls
            ]
            assert back == want, inst.id


def _bare(value):
    if isinstance(value, str) and value.startswith("API_call_"):
        return value.split()[0]
    return value


def test_parse_tolerates_chatter_and_fences():
    text = 'Sure!\n```json\n[{"api":"geo","parameters":{"city":"Oslo"}}]\n```'
    assert parse(text) == [{"api": "geo", "parameters": {"city": "Oslo"}}]


@pytest.mark.parametrize(
    "text",
    [
        "I cannot help",
        '[{"api":"geo"',
        '{"api":"geo"}',
        '[{"name":"geo"}]',
        '[{"api":"g","parameters":1}]',
    ],
)
def test_parse_rejects_non_plans(text):
    with pytest.raises(PlanFormatError):
        parse(text)


def test_dumps_is_compact():
    assert dumps([{"api": "a", "parameters": {"x": 1}}]) == '[{"api":"a","parameters":{"x":1}}]'


def test_ungrounded_calls_keep_flags_references_and_what_feeds_a_kept_call():
    from toolrag.agent.plan import drop_calls, ungrounded_calls

    query = "Convert 100 EUR to USD and book the cheapest room in Rome for 2 nights."
    plan = [
        {"api": "convert", "parameters": {"amount": 100, "from": "EUR", "to": "USD"}},
        {"api": "getRates", "parameters": {"bank": "Chase"}},  # ungrounded, but feeds call 3
        {"api": "ping", "parameters": {}},  # nothing to ground
        {"api": "book", "parameters": {"city": "Rome", "budget": "$1.rate", "nights": 2}},
        {"api": "getNews", "parameters": {"topic": "football", "live": True}},  # a flag counts
        {"api": "hotels", "parameters": {"city": "Milan", "nights": 7}},  # nothing said
    ]
    assert ungrounded_calls(plan, query) == {5}
    assert ungrounded_calls(plan[3:], query) == {2}
    kept = drop_calls(plan, {0, 5})
    assert [c["api"] for c in kept] == ["getRates", "ping", "book", "getNews"]
    assert kept[2]["parameters"]["budget"] == "$0.rate"  # renumbered to getRates' new place


def test_drop_repeats_keeps_distinct_calls_and_rewires_references():
    from toolrag.agent.plan import drop_repeats, finish_plan

    plan = [
        {"api": "geo", "parameters": {"city": "Paris"}},
        {"api": "geo", "parameters": {"city": "Rome"}},  # same tool, other arguments: kept
        {"api": "geo", "parameters": {"city": "Paris"}},  # identical to call 0: dropped
        {"api": "weather", "parameters": {"lat": "$2.lat"}},  # pointed at the repeat
    ]
    out = drop_repeats(plan)
    assert [c["parameters"] for c in out] == [
        {"city": "Paris"},
        {"city": "Rome"},
        {"lat": "$0.lat"},
    ]
    assert finish_plan(plan, "Paris and Rome", stop_on_repeat=False)[0] == [
        {"api": "geo", "parameters": {"city": "Paris"}},
        {"api": "geo", "parameters": {"city": "Rome"}},
        {"api": "geo", "parameters": {"city": "Paris"}},
        {"api": "weather", "parameters": {"lat": "$2.lat"}},
    ]
    # Rome is not in the query: that call is dropped as ungrounded, the rest renumbered
    assert finish_plan(plan, "weather in Paris") == (
        [
            {"api": "geo", "parameters": {"city": "Paris"}},
            {"api": "weather", "parameters": {"lat": "$0.lat"}},
        ],
        [1, 2],
    )


def test_reused_values_finds_a_parameter_that_repeats_an_earlier_one():
    from toolrag.agent.plan import reused_values

    call = {
        "api": "stock",
        "parameters": {"ticker": "NASDAQ", "exchange": "nasdaq", "note": "on NASDAQ today"},
    }
    assert reused_values(call) == {"exchange": ["NASDAQ"], "note": ["NASDAQ", "nasdaq"]}
    # numbers match as numbers; a number inside a longer one or a word is not said
    assert reused_values({"api": "f", "parameters": {"a": 0.04, "b": 0.04, "c": 4}}) == {
        "b": [0.04]
    }
    assert reused_values({"api": "f", "parameters": {"a": "bus", "b": "busy road"}}) == {}
    # references, booleans and empty values never count
    params = {"a": "$0.id", "b": "$0.id", "c": True, "d": True, "e": "", "f": ""}
    assert reused_values({"api": "f", "parameters": params}) == {}
    # earlier calls' values count when given, before the call's own
    earlier = [{"api": "lib", "parameters": {"name": "Central Library", "ref": "$0.x"}}]
    phone = {"api": "phone", "parameters": {"model": "iPhone 12", "os": "Central Library"}}
    assert reused_values(phone) == {}
    assert reused_values(phone, earlier) == {"os": ["Central Library"]}


def test_adds_nothing_spots_identical_calls_and_swapped_values():
    from toolrag.agent.plan import adds_nothing

    bmi = {"api": "bmi", "parameters": {"weight": 70, "height": 175}}
    swapped = {"api": "bmi", "parameters": {"weight": 175, "height": 70}}
    assert adds_nothing(dict(bmi), [bmi])
    assert adds_nothing(swapped, [bmi])
    assert not adds_nothing({"api": "bmi", "parameters": {"weight": 82, "height": 175}}, [bmi])
    # another tool with the same values is a new request; so is a call with no literal values
    assert not adds_nothing({"api": "other", "parameters": {"a": 70, "b": 175}}, [bmi])
    ref = {"api": "bmi", "parameters": {"weight": "$0.w"}}
    assert not adds_nothing(ref, [bmi])
    # parallel calls say a new value: "weather in Paris and in Rome"
    paris = {"api": "weather", "parameters": {"city": "Paris", "unit": "celsius"}}
    rome = {"api": "weather", "parameters": {"city": "Rome", "unit": "celsius"}}
    assert not adds_nothing(rome, [paris])
    assert adds_nothing({"api": "weather", "parameters": {"city": "paris"}}, [paris, rome])
    # a flipped flag is no new request; a call of flags only is not judged by its values
    meta = {"api": "meta", "parameters": {"file": "a.mov", "thumbnail": False}}
    assert adds_nothing({"api": "meta", "parameters": {"file": "a.mov", "thumbnail": True}}, [meta])
    assert not adds_nothing(
        {"api": "meta", "parameters": {"file": "b.mov", "thumbnail": True}}, [meta]
    )
    light = {"api": "light", "parameters": {"on": True}}
    assert not adds_nothing({"api": "light", "parameters": {"on": False}}, [light])


def test_names_only_finds_optional_values_that_only_name_the_tool_or_parameter():
    from toolrag.agent.plan import names_only

    tool = Tool(
        name="getLibraryCulturalHeritage",
        parameters=[Param(name="library", required=True), Param(name="city"), Param(name="era")],
    )
    call = {
        "api": tool.name,
        "parameters": {"library": "library", "city": "city", "era": "Heritage"},
    }
    assert names_only(call, tool) == ["city", "era"]  # required "library" is left alone
    stated = {
        "api": tool.name,
        "parameters": {"library": "Bodleian", "city": "Oxford", "era": "Tudor"},
    }
    assert names_only(stated, tool) == []
    # a reference, a number or a value with one word of its own is not a name
    mixed = {
        "api": tool.name,
        "parameters": {"library": "x", "city": "$0.city", "era": "cultural 1900s"},
    }
    assert names_only(mixed, tool) == []
    # a value that only points back at an earlier output or value is no value either
    pointing = {
        "api": tool.name,
        "parameters": {"library": "x", "city": "the previous API response", "era": "the same"},
    }
    assert names_only(pointing, tool) == ["city", "era"]
    assert names_only(pointing | {"parameters": {"city": "the previous Oxford"}}, tool) == []


def test_unused_values_are_the_stated_values_no_argument_takes():
    from toolrag.agent.plan import unused_values

    weather = Tool(
        name="weather",
        parameters=[
            Param(name="city", required=True),
            Param(name="unit", json_schema={"type": "string", "enum": ["celsius", "fahrenheit"]}),
        ],
    )
    query = "Weather in Madrid in celsius and in Denver in fahrenheit on 2025-02-20, 'now'"
    plan = [{"api": "weather", "parameters": {"city": "Madrid", "unit": "celsius"}}]
    assert unused_values(query, plan, [weather]) == [("2025-02-20",), ("now",), ("fahrenheit",)]
    # numbers count as numbers or as their text; a quoted tool name is not a value
    query = "Call 'weather' for the 2 cities with ID '59'"
    plan = [{"api": "weather", "parameters": {"city": "x", "n": 2, "id": 59}}]
    assert unused_values(query, plan, [weather]) == []
    # number words and ordinals are prose, not values
    assert unused_values("First, get two forecasts", [], [weather]) == []
    # a value that is part of a quoted span uses it; a reference uses nothing
    plan = [{"api": "w", "parameters": {"file": "data.csv", "x": "$0.out"}}]
    assert unused_values("Load 'the file data.csv' and 5 rows", plan) == [(5,)]


def test_widens_and_fillable_find_a_call_that_left_a_stated_value_out():
    from toolrag.agent.plan import fillable, takes_any, widens

    flights = Tool(
        name="flights",
        parameters=[
            Param(name="origin", required=True),
            Param(name="passengers", type="integer", description="How many travel"),
            Param(name="cabin", json_schema={"type": "string", "enum": ["economy", "business"]}),
            Param(name="note"),
        ],
    )
    plan = [{"api": "flights", "parameters": {"origin": "Oslo"}}]
    query = "Flights from Oslo for 3 passengers in business, 2.5 hours, a 4-seat row, Rome"
    assert fillable(plan, [("business",)], [flights], query) == [(0, "cabin")]
    assert fillable(plan, [(3,)], [flights], query) == [(0, "passengers")]
    assert fillable(plan, [(3,)], [flights], "Flights from Oslo, 3 of them") == []  # unnamed
    assert fillable(plan, [(2.5,)], [flights], query) == []  # not an integer
    assert fillable(plan, [("Rome",)], [flights], query) == []  # a plain string takes anything
    wider = {"api": "flights", "parameters": {"origin": "Oslo", "cabin": "business"}}
    assert widens(wider, plan) == 0 and takes_any(wider, [("Business",)])
    assert (
        widens({"api": "flights", "parameters": {"origin": "Rome", "cabin": "business"}}, plan)
        is None
    )
    assert (
        widens({"api": "flights", "parameters": {"origin": "$0.city", "passengers": 2}}, plan)
        is None
    )


def test_corrects_replaces_only_a_call_whose_changed_values_were_borrowed():
    from toolrag.agent.plan import corrects

    plan = [
        {"api": "translate", "parameters": {"text": "good night", "lang": "french"}},
        {"api": "art", "parameters": {"artist": "Note-taking App", "year": 64}},
        {"api": "migrate", "parameters": {"app": "Note-taking App", "id": 64}},
    ]
    # "french" is this call's own value: a call in German is a second request, not a fix
    assert (
        corrects({"api": "translate", "parameters": {"text": "good night", "lang": "german"}}, plan)
        is None
    )
    # the artist repeated the migrated app: the call with the quoted artist takes its place
    fixed = {"api": "art", "parameters": {"artist": "Pablo Picasso", "year": 64}}
    assert corrects(fixed, plan) == 1
    # a call that drops one of the old call's arguments does not correct it
    assert corrects({"api": "art", "parameters": {"artist": "Pablo Picasso"}}, plan) is None
    # nor does one that feeds on an earlier output
    assert corrects({"api": "art", "parameters": {"artist": "$2.owner", "year": 64}}, plan) is None


@pytest.mark.parametrize(
    ("name", "value", "pointing"),
    [
        ("location", "the same location", True),
        ("platform", "platform", True),
        ("person", "Same", True),
        ("word", "this word", True),
        ("participant_name", "the participant name", True),
        ("tunnelName", "tunnel names", True),
        ("location", "Oslo", False),
        ("location", "the same Oslo", False),  # a value beside the pointer
        ("time_range", "this month", False),  # "month" is not the parameter's name
        ("sample_id", "sample_001", False),  # a code, not words
        ("text", "This is a sample text", False),
        ("person_name", "Extra", True),  # another parameter's name
        ("person_name", "the T", True),  # the tool's name
        ("location", "the previous API response", True),  # an earlier output
        ("location", "the result", True),
        ("location", "the previous", False),  # only pointers
        ("location", "location found in the previous API response", True),
        ("location", "of the", False),  # only links and pointers
    ],
)
def test_placeholders_are_values_that_only_name_their_parameter(name, value, pointing):
    from toolrag.agent.plan import placeholders

    tool = Tool(name="t", parameters=[Param(name=name, required=True), Param(name="extra")])
    assert placeholders({"api": "t", "parameters": {name: value}}, tool) == (
        [name] if pointing else []
    )
    # an optional parameter is not one (names_only leaves such values out)
    assert placeholders({"api": "t", "parameters": {"extra": "extra"}}, tool) == []


def test_param_examples_come_from_the_schema_then_the_description():
    from toolrag.text import described_examples

    assert described_examples("Unit (e.g., Celsius, 'Fahrenheit' or kelvin, etc.)") == [
        "Celsius",
        "Fahrenheit",
        "kelvin",
    ]
    assert described_examples("The date (YYYY-MM-DD); a city (such as Oslo; Bergen)") == [
        "Oslo",
        "Bergen",
    ]
    assert described_examples("No examples here.") == []
    param = Param(
        name="unit",
        description="The unit (for example metric)",
        json_schema={"type": "string", "examples": ["imperial", 3]},
    )
    assert param.examples() == ["imperial", "metric"]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            "Then get the resource ID obtained from the previous API call.",
            ("get", "the", "resource", "id"),
        ),
        (
            "seismic data for a location found in the previous API response",
            ("data", "for", "a", "location"),
        ),
        ("the ID from previous API call", ("the", "id")),
        ("the text can be found in the response of the previous API call", ("text", "can", "be")),
        ("photo_id obtained from the previous hash operation", ("photo_id",)),
        ("the tracking number provided in the previous response", ("the", "tracking", "number")),
        ("the facility ID received from the first API response", ("the", "facility", "id")),
    ],
)
def test_output_mentions_name_the_value_an_earlier_output_holds(text, words):
    from toolrag.text import output_mentions

    assert [m.words[-len(words) :] for m in output_mentions(text)] == [words]


@pytest.mark.parametrize(
    "text",
    [
        "Get the weather in the same location.",  # "the same": as often the earlier literal
        "Retrieve data from the first quarter of 2022.",  # no call, response or step
        "Then, get the previous API call's status.",
    ],
)
def test_no_output_mention_without_an_earlier_call_named(text):
    from toolrag.text import output_mentions

    assert output_mentions(text) == []


def test_mentioned_names_match_the_last_word_then_the_others():
    from toolrag.text import mentioned_names

    assert mentioned_names(["resource_id", "user_id"], ["the", "resource", "ids"]) == [
        "resource_id"
    ]
    assert mentioned_names(["resourceId", "format"], ["with", "the", "ID"]) == ["resourceId"]
    assert mentioned_names(["source_id", "target_id"], ["the", "id"]) == []
    assert mentioned_names(["location", "date"], ["the", "city"]) == []
    assert mentioned_names(["location"], []) == []
