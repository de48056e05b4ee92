"""A tiny planner training run: data built like inference, adapter saved and loadable."""

from __future__ import annotations

import random

import pytest

from toolrag.agent.adapter import PLANNER_RECORD, read_base
from toolrag.agent.plan import parse
from toolrag.evaluation.candidates import CandidateBuilder
from toolrag.index.toolset import load_toolset
from toolrag.trainer.planner_data import droppable, planner_example
from toolrag.types import Instance


def nested_instance():
    return Instance(
        id="n1",
        query="Book a flight to Rome and email the booking id to my boss",
        calling=[
            {
                "api": "bookFlight",
                "parameters": {"origin": "Oslo", "destination": "Rome"},
                "responses": ["API_call_0"],
            },
            {
                "api": "sendEmail",
                "parameters": {"to": "boss", "body": "API_call_0"},
                "responses": [],
            },
        ],
    )


def test_examples_hold_gold_tools_among_five_candidates(six_tools):
    builder = CandidateBuilder(six_tools)
    ex = planner_example(nested_instance(), builder, random.Random(0), drop_rate=0.0)
    user = ex["prompt"][-1]["content"]
    assert sum(line.startswith(t.name + "(") for t in six_tools for line in user.splitlines()) == 5
    assert "bookFlight(" in user and "sendEmail(" in user
    plan = parse(ex["completion"][0]["content"])
    assert plan[1]["parameters"]["body"] == "$0.booking_id"


def test_only_unreferenced_tools_are_dropped(six_tools):
    inst = nested_instance()
    assert droppable(inst.calls) == ["sendEmail"]
    builder = CandidateBuilder(six_tools)
    ex = planner_example(inst, builder, random.Random(0), drop_rate=0.999)
    assert "sendEmail(" not in ex["prompt"][-1]["content"]
    assert [c["api"] for c in parse(ex["completion"][0]["content"])] == ["bookFlight"]


def test_tiny_training_run_saves_a_loadable_adapter(tmp_path, six_tools_file, smol_folder):
    import json

    from toolrag.agent.planner import Planner
    from toolrag.trainer.planner import PlannerTrainConfig, train_planner

    train = tmp_path / "train.jsonl"
    train.write_text(json.dumps(nested_instance().model_dump(by_alias=True)) + "\n")
    cfg = PlannerTrainConfig(
        train=train,
        tools=[six_tools_file],
        out=tmp_path / "adapter",
        base=str(smol_folder),
        max_steps=1,
        batch_size=1,
        lora_r=2,
        save_steps=1,
    )
    out = train_planner(cfg)
    assert (out / "adapter_model.safetensors").stat().st_size < 25 * 2**20
    assert read_base(out) == str(smol_folder)
    record = json.loads((out / PLANNER_RECORD).read_text())
    assert record["steps"] == 1
    planner = Planner.load(str(out), max_new_tokens=40)
    assert planner.plan("Book a flight to Rome", []).calls == []
    # the run ends with the ONNX export beside the adapter, and loading decodes with it
    assert record["onnx"] == "onnx-int8"
    assert planner.engine.name == "onnx" and planner.engine.folder == out / "onnx-int8"
    tools = load_toolset(six_tools_file)[:3]
    result = planner.plan("Book a flight from Oslo to Rome", tools)
    assert result.format_ok and result.new_tokens > 0, result.text
    assert {c.api for c in result.calls} <= {t.name for t in tools}

    # continuing that adapter keeps its LoRA shape (r=2), not the config's fresh default (16)
    more = PlannerTrainConfig(
        train=train,
        tools=[six_tools_file],
        out=tmp_path / "continued",
        base=str(smol_folder),
        max_steps=1,
        batch_size=1,
        init_adapter=out,
        export=None,
    )
    cont = train_planner(more)
    assert json.loads((cont / "adapter_config.json").read_text())["r"] == 2
    assert json.loads((cont / PLANNER_RECORD).read_text())["config"]["init_adapter"] == str(out)
    # the adapter records its prompt style, and planning uses it
    assert record["prompt_style"] == "schema" and planner.prompt_style == "schema"

    # float16 weights (what ships) halve the file and plan the same
    from toolrag.trainer.planner import half_adapter

    size = (cont / "adapter_model.safetensors").stat().st_size
    before = Planner.load(str(cont), engine="torch", max_new_tokens=40).plan(
        "Book a flight from Oslo to Rome", tools
    )
    half_adapter(cont)
    assert (cont / "adapter_model.safetensors").stat().st_size < 0.6 * size
    after = Planner.load(str(cont), engine="torch", max_new_tokens=40).plan(
        "Book a flight from Oslo to Rome", tools
    )
    assert after.text == before.text


def test_extra_train_appends_and_keeps_the_train_examples(tmp_path, six_tools_file):
    import json

    from toolrag.trainer.planner import PlannerTrainConfig, build_examples

    train, extra = tmp_path / "train.jsonl", tmp_path / "extra.jsonl"
    train.write_text(json.dumps(nested_instance().model_dump(by_alias=True)) + "\n")
    generated = {
        "id": "gen-0",
        "query": "What is the weather in Paris?",
        "calling": [{"api": "getWeather", "parameters": {"city": "Paris"}, "responses": []}],
    }
    extra.write_text(json.dumps(generated) + "\n")
    base = dict(train=train, tools=[six_tools_file], out=tmp_path / "out", epochs=1)
    alone = build_examples(PlannerTrainConfig(**base))
    both = build_examples(PlannerTrainConfig(**base, extra_train=[extra]))
    assert len(both) == len(alone) + 1
    assert alone[0] in both  # the train instance drew the same candidates
    assert any("Paris" in ex["completion"][0]["content"] for ex in both)

    extra.write_text(json.dumps(generated | {"calling": [{"api": "noSuchTool"}]}) + "\n")
    with pytest.raises(ValueError, match="extra.jsonl calls tools missing"):
        build_examples(PlannerTrainConfig(**base, extra_train=[extra]))


def test_init_adapter_must_be_an_adapter_folder(tmp_path):
    from toolrag.trainer.planner import PlannerTrainConfig

    with pytest.raises(ValueError, match="no adapter_config.json"):
        PlannerTrainConfig(
            train=tmp_path / "t.jsonl", tools=[], out=tmp_path, init_adapter=tmp_path
        )


def test_parallel_adds_two_call_instances_made_from_the_train_calls(tmp_path, six_tools_file):
    import json

    from toolrag.agent.plan import parse
    from toolrag.trainer.planner import PlannerTrainConfig, build_examples

    train = tmp_path / "train.jsonl"
    rows = [
        {
            "id": f"w{k}",
            "query": f"What is the weather in {city}?",
            "calling": [{"api": "getWeather", "parameters": {"city": city}, "responses": []}],
        }
        for k, city in enumerate(["Paris", "Rome", "Oslo"])
    ]
    train.write_text("".join(json.dumps(r) + "\n" for r in rows))
    base = dict(train=train, tools=[six_tools_file], out=tmp_path / "out", epochs=1)
    plain = build_examples(PlannerTrainConfig(**base))
    more = build_examples(PlannerTrainConfig(**base, parallel=2))
    assert len(more) == len(plain) + 2
    joined = [ex for ex in more if len(parse(ex["completion"][0]["content"])) == 2]
    assert len(joined) == 2
    for ex in joined:
        cities = [c["parameters"]["city"] for c in parse(ex["completion"][0]["content"])]
        assert len(set(cities)) == 2
        assert all(city in ex["prompt"][-1]["content"] for city in cities)


def test_the_model_card_says_how_the_adapter_was_made(tmp_path):
    import json

    from toolrag.trainer.planner import PlannerTrainConfig, write_planner_card

    cfg = PlannerTrainConfig(
        train="dev.jsonl", tools=["t.jsonl"], out=tmp_path, parallel=200, init_adapter=None
    )
    record = {
        "base": "smollm2-135m",
        "config": cfg.to_dict() | {"init_adapter": "agent/data/planner"},
        "examples": 871,
        "rounds": 1,
        "train_loss": 0.15,
        "steps": 109,
        "train_seconds": 3900,
        "peak_rss_gb": 4.1,
    }
    (tmp_path / PLANNER_RECORD).write_text(json.dumps(record))
    card = write_planner_card(tmp_path, "| a | b |", "toolrag train planner ...", "Steps 1-50 ...")
    text = card.read_text()
    assert "continued from the adapter `agent/data/planner`" in text
    assert "Up to 200 parallel-call instances" in text and "871 examples" in text
    assert "109 optimizer steps" in text and "Reproduce: `toolrag train planner ...`" in text
    assert text.index("## History") < text.index("## Scores")
