"""Data generation: each quality filter proven with hand-made bad generations, the pipelines run
with scripted LLM replies, and the LLM cache / retry machinery."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from toolrag.agent.llm import CachedLLM, Request, complete_many
from toolrag.index.formats.seal import from_records
from toolrag.index.toolset import load_toolset
from toolrag.instances import read_instances
from toolrag.trainer.datagen.quality import (
    DuplicateFilter,
    check_instance,
    check_tool_record,
    grounded,
)
from toolrag.trainer.datagen.selfinstruct import (
    demonstrations,
    generate_instances,
    generate_tools,
    read_fields,
    write_jsonl,
)
from toolrag.trainer.datagen.simulate import simulate
from toolrag.types import Instance, InstanceCategory


class ScriptedLLM:
    """Replies from a function of the last user message; records every call."""

    name = "scripted"
    max_workers = 2

    def __init__(self, reply: Callable[[str, dict | None], str]) -> None:
        self.reply = reply
        self.prompts: list[str] = []
        self.conversations: list[list[dict]] = []

    def complete(self, messages, *, json_schema=None, max_tokens=512, temperature=0.7, seed=0):
        self.prompts.append(messages[-1]["content"])
        self.conversations.append(messages)
        return self.reply(messages[-1]["content"], json_schema)


def tool_record(name: str, description: str, **over) -> dict:
    rec = {
        "api_name": name,
        "api_description": description,
        "parameters": {
            "city": {"type": "str", "description": "The city (e.g., Oslo)"},
            "days": {"type": "int", "description": "Days ahead (e.g., 3)"},
        },
        "required": ["city"],
        "responses": {
            "forecast": {"type": "str", "description": "The forecast text"},
            "temperature": {"type": "float", "description": "Degrees Celsius"},
        },
    }
    return rec | over


TOOLS = {
    t.name: t
    for t in from_records(
        [
            tool_record("getWeather", "Weather forecast for a city") | {"field": "Weather"},
            {
                "api_name": "getCityCode",
                "api_description": "The code of a city",
                "field": "Weather",
                "parameters": {"name": {"type": "str", "description": "City name"}},
                "required": ["name"],
                "responses": {
                    "code": {"type": "str", "description": "City code"},
                    "population": {"type": "int", "description": "Inhabitants"},
                    "districts": {"type": "list", "description": "District names"},
                },
            },
        ]
    )
}


# -- tool filters -------------------------------------------------------------------------------


def test_tool_schema_and_required_filters():
    assert check_tool_record(tool_record("getWeather", "Weather forecast for a city")).kept
    no_outputs = tool_record("getWeather", "Weather forecast for a city")
    del no_outputs["responses"]
    verdict = check_tool_record(no_outputs)
    assert verdict.reason == "schema" and "responses" in verdict.detail
    bad_type = tool_record("getWeather", "Weather forecast for a city")
    bad_type["parameters"]["city"]["type"] = "varchar"
    assert check_tool_record(bad_type).reason == "schema"
    ghost = tool_record("getWeather", "Weather forecast for a city", required=["city", "zip"])
    verdict = check_tool_record(ghost)
    assert verdict.reason == "required_unknown" and "zip" in verdict.detail


def test_duplicate_filters_names_and_descriptions():
    dedup = DuplicateFilter(list(TOOLS.values()))
    assert dedup.check("GetWeather", "anything").reason == "duplicate_name"
    assert dedup.check("getWeathers", "a plural of it").reason == "near_duplicate_name"
    same_meaning = dedup.check("fetchForecast", "Forecast of the weather in a city")
    assert same_meaning.reason == "near_duplicate_description", same_meaning
    assert dedup.check("bookFlight", "Book a flight between two airports").kept
    # a kept tool is remembered: its copy is rejected next
    assert dedup.check("bookFlight", "Book a flight between two airports").reason == (
        "duplicate_name"
    )


# -- instance filters ---------------------------------------------------------------------------

GOOD_NESTED = {
    "query": "Find the code of Oslo and get the weather there for 3 days.",
    "calling": [
        {"api": "getCityCode", "parameters": {"name": "Oslo"}},
        {"api": "getWeather", "parameters": {"city": "$0.code", "days": 3}},
    ],
}


def _with(call: int, **params) -> dict:
    out = json.loads(json.dumps(GOOD_NESTED))
    out["calling"][call]["parameters"] = params
    return out


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ({"query": "weather in Oslo", "calling": []}, "schema"),
        (
            {"query": "Weather in Oslo please.", "calling": [{"api": "getNews", "parameters": {}}]},
            "unknown_tool",
        ),
        (_with(1, city="$0.code", unit="C"), "unknown_parameter"),
        (_with(1, days=3), "missing_required"),
        (_with(0, name="Bergen"), "ungrounded_value"),
        (
            {
                "query": "Call getWeather with city Oslo.",
                "calling": [{"api": "getWeather", "parameters": {"city": "Oslo"}}],
            },
            "query_names_tool",
        ),
        (_with(1, city="$1.forecast"), "bad_reference"),  # itself: a cycle
        (_with(0, name="$1.forecast"), "bad_reference"),  # a later call
        (_with(1, city="$0.zip"), "unknown_output"),
        (_with(1, city="$0.code", days="$0.districts"), "type_mismatch"),
    ],
)
def test_instance_filters_reject_bad_generations(record, reason):
    verdict = check_instance(record, TOOLS)
    assert verdict.reason == reason, verdict
    assert verdict.detail


def test_instance_filters_keep_a_good_nested_instance_and_check_the_kind():
    assert check_instance(GOOD_NESTED, TOOLS, kind="nested").kept
    assert check_instance(GOOD_NESTED, TOOLS, kind="multiple").reason == "wrong_kind"
    assert check_instance(GOOD_NESTED, TOOLS, kind="single").reason == "wrong_kind"
    # an integer output may fill a string parameter; a list may not fill an integer one
    assert check_instance(_with(1, city="$0.population"), TOOLS).kept


def test_grounding_is_lenient_on_dates_and_strict_on_invented_values():
    q = "Book a room in New York from November 25, 2013 for 2 people."
    assert grounded("New York", q) and grounded(2, q) and grounded("2013-11-25", q)
    assert not grounded("Los Angeles", q) and not grounded(7, q)


# -- pipelines with scripted replies ------------------------------------------------------------


def test_generate_tools_keeps_good_ones_and_reports_reasons(tmp_path):
    replies = iter(
        [
            json.dumps(tool_record("getTideLevels", "Tide levels at a harbour over the next days")),
            "Sure! Here is an API: getTide(...)",  # not JSON
            json.dumps(tool_record("getTideLevels", "The same tool again, other words")),
            json.dumps(tool_record("getWeather", "Weather forecast for a city")),  # exists
        ]
    )
    llm = ScriptedLLM(lambda prompt, schema: next(replies))
    llm.max_workers = 1  # keep the scripted order
    rows, report = generate_tools(llm, ["Weather"], 4, existing=list(TOOLS.values()))
    assert [r["api_name"] for r in rows] == ["getTideLevels"]
    assert report.to_json()["rejected_by_reason"] == {"invalid_json": 1, "duplicate_name": 2}
    # the field's existing tools are named in the prompt, so the model avoids them
    assert "Field: Weather" in llm.prompts[0] and "getWeather" in llm.prompts[0]
    out = tmp_path / "tools.jsonl"
    write_jsonl(out, rows)
    (tool,) = load_toolset(out)
    assert tool.domain == "Weather" and tool.required == ["city"]


def test_generate_instances_writes_loadable_seal_instances(tmp_path):
    def reply(prompt: str, schema: dict) -> str:
        if "query" in schema["properties"]:  # the second request: the user's words
            if "Madrid" in prompt:  # multiple: the reply leaves a value out, so it is rejected
                return json.dumps({"query": "Weather in Oslo and the code of Paris."})
            if '"$0.' in prompt:
                return json.dumps({"query": GOOD_NESTED["query"]})
            return json.dumps({"query": "What is the weather in Oslo?"})
        calls = schema["properties"]["calling"]["prefixItems"]
        apis = [c["properties"]["api"]["const"] for c in calls]
        if "$0." in prompt:  # nested: the reference is fixed by the schema
            assert apis == ["getCityCode", "getWeather"]
            ref = calls[1]["properties"]["parameters"]["properties"]["city"]["const"]
            assert ref in {"$0.code", "$0.population"}  # the outputs that fit a string
            nested_ref.append(ref)
            return json.dumps({"calling": _with(1, city=ref, days=3)["calling"]})
        if "exactly one call" in prompt:
            assert len(apis) == 1
            params = {"getWeather": {"city": "Oslo"}, "getCityCode": {"name": "Oslo"}}[apis[0]]
            return json.dumps({"calling": [{"api": apis[0], "parameters": params}]})
        assert set(apis) == set(TOOLS)
        by_api = {"getWeather": {"city": "Oslo"}, "getCityCode": {"name": "Madrid"}}
        return json.dumps({"calling": [{"api": a, "parameters": by_api[a]} for a in apis]})

    nested_ref: list[str] = []
    llm = ScriptedLLM(reply)
    tools = [TOOLS["getWeather"], TOOLS["getCityCode"]]
    ticks = []
    rows, report = generate_instances(
        llm, tools, ["single", "multiple", "nested"], 4, seed=1, on_done=lambda: ticks.append(1)
    )
    assert len(llm.prompts) == len(ticks) == 8, report.examples  # two requests an instance
    out = tmp_path / "instances.jsonl"
    write_jsonl(out, rows)
    loaded = read_instances(out)
    assert [i.category for i in loaded] == [InstanceCategory.SINGLE, InstanceCategory.NESTED]
    nested = loaded[1]
    # $0.code -> call 0's first output, $0.population -> its second
    assert nested.calls[1].parameters["city"] == {"$0.code": "API_call_0"}.get(
        nested_ref[0], "API_call_1"
    )
    assert report.to_json()["rejected_by_reason"] == {
        "ungrounded_value": 1,
        "duplicate_query": 1,  # the 4th instance is single again, with the same query
    }


def test_the_calls_schema_types_values_and_the_request_must_say_them(smol_folder):
    """Checked with llguidance, as the local LLM decodes them."""
    import llguidance.hf
    from llguidance import LLMatcher
    from transformers import AutoTokenizer

    from toolrag.trainer.datagen.selfinstruct import call_schema, literal_values, query_schema

    tok = AutoTokenizer.from_pretrained(smol_folder)
    ll_tok = llguidance.hf.from_tokenizer(tok)

    def accepts(schema: dict, value: object) -> bool:
        grammar = LLMatcher.grammar_from_json_schema(
            schema, defaults={"whitespace_flexible": False}
        )
        m = LLMatcher(ll_tok, grammar, log_level=0)
        assert not m.is_error(), m.get_error()
        text = json.dumps(value, separators=(",", ":"))
        return m.consume_tokens(tok(text, add_special_tokens=False).input_ids) and (
            m.is_accepting()
        )

    calls = call_schema([TOOLS["getCityCode"], TOOLS["getWeather"]], ("city", "$0.code"))
    good = {"calling": GOOD_NESTED["calling"]}
    assert accepts(calls, good)
    assert not accepts(calls, {"calling": GOOD_NESTED["calling"][:1]})  # one call short
    bad_type = json.loads(json.dumps(good))
    bad_type["calling"][1]["parameters"]["days"] = "3 days"
    assert not accepts(calls, bad_type)  # an integer parameter takes an integer
    bad_ref = json.loads(json.dumps(good))
    bad_ref["calling"][1]["parameters"]["city"] = "Oslo"
    assert not accepts(calls, bad_ref)  # the nested parameter is the reference

    values = literal_values(GOOD_NESTED["calling"] + [{"api": "x", "parameters": {"f": True}}])
    assert values == ["Oslo", "3"]  # in order; no reference, no boolean
    query = query_schema(values)
    assert accepts(query, {"query": GOOD_NESTED["query"]})
    assert not accepts(query, {"query": "Weather for 3 days in Oslo."})  # out of order
    assert not accepts(query, {"query": "Find the code of Oslofjord for 3 days."})  # not a word
    assert not accepts(query, {"query": "Call get_code for Oslo for 3 days."})  # no identifier
    assert not accepts(query, {"query": "Oslo: 3 \u0434\u043d\u044f"})  # ASCII only


def _seal(query: str, calling: list[dict]) -> Instance:
    return Instance.model_validate({"id": "x", "query": query, "calling": calling})


def test_demonstrations_are_worked_examples_shown_before_each_request():
    single = _seal(
        "Weather in Oslo?",
        [{"api": "getWeather", "parameters": {"city": "Oslo"}, "responses": ["API_call_0"]}],
    )
    nested = _seal(
        GOOD_NESTED["query"],
        [
            {"api": "getCityCode", "parameters": {"name": "Oslo"}, "responses": ["API_call_0"]},
            {"api": "getWeather", "parameters": {"city": "API_call_0", "days": 3}},
        ],
    )
    unknown = _seal("News?", [{"api": "getNews", "parameters": {}}])
    shots = demonstrations([single, nested, unknown], list(TOOLS.values()))
    assert {k: len(v) for k, v in shots.items()} == {"single": 1, "multiple": 0, "nested": 1}
    prompt, reply = shots["nested"][0].calls_shot()
    assert "getCityCode(name*: string)" in prompt and "$0.code" in prompt  # as a real request
    assert json.loads(reply) == {"calling": GOOD_NESTED["calling"]}  # internal references
    prompt, reply = shots["nested"][0].query_shot()
    assert '"$0.code"' in prompt and json.loads(reply) == {"query": GOOD_NESTED["query"]}

    def reply_with(prompt: str, schema: dict) -> str:
        if "query" in schema["properties"]:
            return json.dumps({"query": GOOD_NESTED["query"]})
        return json.dumps({"calling": GOOD_NESTED["calling"]})

    llm = ScriptedLLM(reply_with)
    tools = [TOOLS["getWeather"], TOOLS["getCityCode"]]
    generate_instances(llm, tools, ["single", "multiple"], 2, seed=1, examples=shots)
    calls_1, calls_2, words_1, _ = llm.conversations
    assert [m["role"] for m in calls_1] == ["system", "user", "assistant", "user"]
    assert calls_1[1:3] == [  # the single request is shown the single example
        {"role": "user", "content": shots["single"][0].calls_shot()[0]},
        {"role": "assistant", "content": shots["single"][0].calls_shot()[1]},
    ]
    assert "exactly one call" in calls_1[3]["content"]
    assert "independent calls" in calls_2[3]["content"]  # no multiple-call example exists,
    assert calls_2[2]["content"] in {e.calls_shot()[1] for es in shots.values() for e in es}
    # the second request shows the same example's request for its calls
    assert words_1[1:3] == [
        {"role": "user", "content": shots["single"][0].query_shot()[0]},
        {"role": "assistant", "content": shots["single"][0].query_shot()[1]},
    ]


def test_simulation_keeps_finished_trajectories_and_derives_nesting():
    def reply(prompt: str, schema: dict | None) -> str:
        if "thing you want done" in prompt:
            return "Get the weather in Oslo for 3 days, using its city code."
        if prompt.startswith("API documentation"):
            if "getCityCode" in prompt:
                return json.dumps({"code": "OSL", "population": 700000, "districts": ["Sentrum"]})
            return json.dumps({"forecast": "rain", "temperature": 4.5})
        steps = prompt.count("Observation:")
        if "getWeather" not in prompt.split("Request:")[0]:
            return json.dumps({"thought": "look", "action": "getCityCode", "action_input": {}})
        script = [
            {"thought": "code first", "action": "getCityCode", "action_input": {"name": "Oslo"}},
            {"thought": "now", "action": "getWeather", "action_input": {"city": "OSL", "days": 3}},
            {"thought": "done", "action": "Finish", "action_input": {"answer": "Rain, 4.5 C."}},
        ]
        return json.dumps(script[min(steps, 2)])

    llm = ScriptedLLM(reply)
    tools = [TOOLS["getWeather"], TOOLS["getCityCode"]]
    trajectories, instances, report = simulate(llm, tools, 2, seed=0, max_steps=4)
    summary = report.to_json()
    assert summary["generated"] == 2
    assert len(trajectories) == len(instances) == summary["kept"]
    assert summary["kept"] >= 1
    for traj, inst in zip(trajectories, instances, strict=True):
        assert traj["final_answer"] == "Rain, 4.5 C."
        assert [s["action"] for s in traj["steps"]] == ["getCityCode", "getWeather", "Finish"]
        # "OSL" came from getCityCode's output: it becomes a reference to that output
        assert inst["calling"][1]["parameters"]["city"] == "API_call_0"


def test_simulation_rejects_episodes_without_a_final_answer():
    def reply(prompt: str, schema: dict | None) -> str:
        if "thing you want done" in prompt:
            return "What is the code of Oslo?"
        if prompt.startswith("API documentation"):
            return json.dumps({"code": "OSL", "population": 1, "districts": []})
        return json.dumps({"thought": "again", "action": "getCityCode", "action_input": {}})

    _, instances, report = simulate(ScriptedLLM(reply), [TOOLS["getCityCode"]], 1, max_steps=2)
    assert instances == [] and report.to_json()["rejected_by_reason"] == {"no_final_answer": 1}
    (example,) = report.examples
    # the missing required parameter became an observation, as a real server would answer
    assert "missing required" in example["item"]["steps"][0]["observation"]["error"]


# -- LLM plumbing -------------------------------------------------------------------------------


def test_cache_replays_calls_so_a_rerun_makes_none(tmp_path):
    llm = ScriptedLLM(lambda prompt, schema: prompt.upper())
    cached = CachedLLM(llm, tmp_path)
    reqs = [Request(messages=[{"role": "user", "content": f"q{i}"}], seed=i) for i in range(3)]
    assert complete_many(cached, reqs) == ["Q0", "Q1", "Q2"]
    again = CachedLLM(ScriptedLLM(lambda p, s: "different"), tmp_path)
    assert complete_many(again, reqs) == ["Q0", "Q1", "Q2"]
    assert (again.calls, again.hits) == (0, 3)
    other_seed = [Request(messages=reqs[0].messages, seed=99)]
    assert complete_many(again, other_seed) == ["different"]


def test_complete_many_retries_then_records_the_failure():
    attempts: dict[str, int] = {}

    def flaky(prompt: str, schema: dict | None) -> str:
        attempts[prompt] = attempts.get(prompt, 0) + 1
        if prompt == "down" or attempts[prompt] < 2:
            raise ConnectionError(f"{prompt} failed")
        return "ok"

    reqs = [Request(messages=[{"role": "user", "content": p}]) for p in ("flaky", "down")]
    out = complete_many(ScriptedLLM(flaky), reqs, retries=2, backoff=0)
    assert out[0] == "ok" and attempts["flaky"] == 2
    assert isinstance(out[1], ConnectionError) and attempts["down"] == 3


def test_read_fields_accepts_jsonl_and_text_and_names_bad_lines(tmp_path):
    f = tmp_path / "fields.jsonl"
    f.write_text('{"field": "Oceanography"}\nVeterinary medicine\n\n')
    assert read_fields(f) == ["Oceanography", "Veterinary medicine"]
    f.write_text('{"field": ""}\n')
    with pytest.raises(ValueError, match="line 1"):
        read_fields(f)


def test_generated_files_feed_the_trainers(tmp_path):
    """Generated tools and instances are exactly what the training commands read."""
    tools_file, inst_file = tmp_path / "tools.jsonl", tmp_path / "instances.jsonl"
    from toolrag.index.formats.seal import to_record

    write_jsonl(tools_file, [to_record(t) for t in TOOLS.values()])
    write_jsonl(
        inst_file,
        [
            {
                "id": "gen-nested-0",
                "query": GOOD_NESTED["query"],
                "calling": [
                    {
                        "api": "getCityCode",
                        "parameters": {"name": "Oslo"},
                        "responses": ["API_call_0", "API_call_1", "API_call_2"],
                    },
                    {
                        "api": "getWeather",
                        "parameters": {"city": "API_call_0", "days": 3},
                        "responses": ["API_call_3", "API_call_4"],
                    },
                ],
            }
        ],
    )
    from toolrag.trainer.planner import PlannerTrainConfig, build_examples
    from toolrag.trainer.retriever import RetrieverTrainConfig, build_queries

    _, _, train_q, val_q = build_queries(
        RetrieverTrainConfig(
            train=inst_file,
            tools=[tools_file],
            out=tmp_path / "m",
            pseudo=False,
            held_out_fraction=0.0,
            val_fraction=0.0,
        )
    )
    assert [q.tools for q in train_q + val_q] == [["getCityCode", "getWeather"]]
    _, _, train_x, val_x = build_queries(  # the same file as generated data: training only
        RetrieverTrainConfig(
            train=inst_file,
            tools=[tools_file],
            out=tmp_path / "m",
            pseudo=False,
            held_out_fraction=0.0,
            val_fraction=1.0,
            extra_train=[inst_file],
        )
    )
    assert [(q.source, q.tools) for q in train_x] == [("generated", ["getCityCode", "getWeather"])]
    assert [q.source for q in val_x] == ["labelled"]
    examples = build_examples(
        PlannerTrainConfig(
            train=inst_file, tools=[tools_file], out=tmp_path / "p", drop_rate=0.0, epochs=1
        )
    )
    assert [e["completion"][0]["content"] for e in examples] == [
        '[{"api":"getCityCode","parameters":{"name":"Oslo"}},'
        '{"api":"getWeather","parameters":{"city":"$0.code","days":3}}]'
    ]


def test_llm_tool_simulator_plays_tools_inside_the_executor():
    from toolrag.agent.executor import ToolRegistry, execute
    from toolrag.agent.simulator import LLMToolSimulator
    from toolrag.types import ToolCall

    def reply(prompt: str, schema: dict | None) -> str:
        assert schema["required"] == ["code", "population", "districts"]
        if "Atlantis" in prompt:
            return "no idea"
        return json.dumps({"code": "OSL", "population": 700000, "districts": ["Sentrum"]})

    registry = ToolRegistry(simulator=LLMToolSimulator(ScriptedLLM(reply)))
    calls = [
        ToolCall(api="getCityCode", parameters={"name": "Oslo"}, responses=["API_call_0"]),
        ToolCall(api="getCityCode", parameters={"name": "Atlantis"}, responses=["API_call_3"]),
    ]
    first, second = execute(calls, TOOLS, registry)
    assert first.output["code"] == "OSL" and first.simulated
    assert second.output is None and "no idea" in second.error  # a recorded failure


def test_the_bundled_sample_gives_worked_examples_of_every_kind():
    from toolrag.sample import sample_instances, sample_tools
    from toolrag.trainer.datagen.selfinstruct import sample_demonstrations

    instances = sample_instances()
    names = {t.name for t in sample_tools()}
    assert all(c.api in names for i in instances for c in i.calls)
    # each example passes the filters a generated instance must pass
    catalog = {t.name: t for t in sample_tools()}
    shots = sample_demonstrations()
    for examples in shots.values():
        for example in examples:
            record = {"query": example.query, "calling": example.calling}
            assert check_instance(record, catalog).kept, record
    assert {k: len(v) for k, v in shots.items()} == {"single": 2, "multiple": 2, "nested": 2}
    prompt, reply = shots["nested"][0].calls_shot()
    assert '"$0.restaurant_id"' in reply and "find_restaurants" in prompt


def test_a_poor_yield_says_what_to_do():
    from toolrag.trainer.datagen.quality import KEEP, Report, reject

    report = Report()
    for _ in range(9):
        report.add(reject("query_names_tool", "x"), {})
    report.add(KEEP, {})
    advice = report.advice("local:smollm2-135m")
    assert "1 of 10 kept" in advice and "query_names_tool" in advice
    assert "--llm openai:MODEL" in advice
    for _ in range(3):
        report.add(KEEP, {})
    assert report.advice("local:smollm2-135m") is None  # 4 of 13 kept: fine


def test_the_default_keeps_instances_in_a_tiny_run_with_the_real_local_model(tmp_path):
    """``toolrag datagen instances`` with every default (the packaged Qwen2.5-Coder-0.5B, the
    bundled sample's worked examples) on the bundled sample toolset: about a minute on 2 cores."""
    from importlib import resources

    from typer.testing import CliRunner

    from toolrag.cli import app

    out = tmp_path / "instances.jsonl"
    with resources.as_file(resources.files("toolrag") / "data" / "sample_tools.json") as tools:
        args = ["datagen", "instances", "--tools", str(tools), "--kinds", "single", "--n", "3"]
        res = CliRunner().invoke(app, [*args, "--out", str(out), "--json"])
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert report["kept"] >= 1, report
    kept = read_instances(out)
    assert len(kept) == report["kept"]
    catalog = {t.name: t for t in load_toolset(tools)}
    for inst in kept:  # each kept instance passes the filters again, as loaded
        record = {"query": inst.query, "calling": [c.model_dump() for c in inst.calls]}
        assert len(inst.calls) == 1 and inst.calls[0].api in catalog
        assert inst.query.lower() != inst.calls[0].api.lower()
        for value in inst.calls[0].parameters.values():
            assert grounded(value, inst.query), record
