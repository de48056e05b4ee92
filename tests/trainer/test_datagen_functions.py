"""The function-calling data generator: valid values, the held-out split, clean tables, and
the training examples it feeds."""

from __future__ import annotations

import importlib.util
import json
import random
from collections import Counter
from pathlib import Path

import jsonschema
import pytest

from toolrag.index.toolset import load_toolset
from toolrag.trainer.datagen import functions as fdata
from toolrag.trainer.planner import PlannerTrainConfig, build_examples

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def made(toolalpaca_apis):
    return fdata.generate(toolalpaca_apis, 400, seed=3)


def test_every_call_validates_and_is_offered(made):
    functions, instances, report = made
    schemas = {f["function"]["name"]: f["function"]["parameters"] for f in functions}
    for inst in instances:
        for call in inst["calling"]:
            assert call["api"] in inst["offered"]
            jsonschema.validate(call["parameters"], schemas[call["api"]])
        assert all(name in schemas for name in inst["offered"])
    kinds = Counter(i["kind"] for i in instances)
    assert set(kinds) == set(fdata.MIX), kinds
    assert all(i["calling"] == [] for i in instances if i["kind"] == "no-tool")
    assert all(len(i["calling"]) >= 2 for i in instances if i["kind"].startswith("parallel"))
    assert report["instances"] == len(instances) and report["reads_description"] > 100


def test_values_the_description_asks_for():
    rng = random.Random(0)
    said, value = fdata.KINDS["fraction"].value(rng)
    assert said.endswith("%") and value == pytest.approx(float(said[:-1]) / 100)
    said, value = fdata.KINDS["city_state"].value(rng)
    assert value == f"{said}, {fdata.US_CITIES[said]}"
    said, value = fdata.KINDS["grams"].value(rng)
    assert value == round(float(said.split()[0]) * 1000)


def test_heldout_apis_never_become_functions(made, toolalpaca_apis):
    functions, _, report = made
    entries = json.loads(toolalpaca_apis.read_text())["entries"]
    heldout = {fdata._snake(e["API"]) for e in entries if fdata.split(e["API"]) == "heldout"}
    train = {fdata._snake(e["API"]) for e in entries if fdata.split(e["API"]) == "train"}
    assert 0.2 < len(heldout) / len(entries) < 0.4
    for f in functions:
        stem = f["function"]["name"].split("_", 1)[1]
        assert stem in train or any(stem == t[: len(stem)] for t in train)
    assert report["share_apis"] < report["apis"]
    held_fns, _, held_report = fdata.generate(toolalpaca_apis, 40, seed=3, share="heldout")
    assert held_report["share"] == "heldout"
    assert not {f["function"]["name"] for f in held_fns} & {
        f["function"]["name"] for f in functions
    }


def test_tables_leave_out_the_heldout_sets_values():
    """No value the project's held-out function-calling set expects is in a knowledge table."""
    spec = importlib.util.spec_from_file_location(
        "heldout", ROOT / "benchmarks" / "heldout_calls.py"
    )
    heldout = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(heldout)
    _, queries = heldout.load()
    expected = {
        v
        for q in queries
        if q["category"] == "description"
        for c in q["calls"]
        for vs in c["arguments"].values()
        for v in vs
        if isinstance(v, str)
    }
    tables = [
        fdata.TICKERS,
        fdata.US_STATES,
        fdata.COUNTRIES,
        fdata.CURRENCIES,
        fdata.AIRPORTS,
        fdata.ZONES,
        fdata.LANGUAGES,
        fdata.KEYS,
    ]
    table_values = {v for t in tables for v in t.values()}
    table_values |= {f"{c}, {s}" for c, s in fdata.US_CITIES.items()}
    assert expected, "the held-out set has description queries"
    assert not expected & table_values, sorted(expected & table_values)


def test_training_examples_use_the_offered_functions(tmp_path, toolalpaca_apis, seal_available):
    from conftest import SEAL

    apis = toolalpaca_apis
    functions, instances, report = fdata.generate(apis, 30, seed=1)
    out = fdata.write(tmp_path / "fc", functions, instances, report, apis_path=apis, command="x")
    manifest = json.loads((out / "manifest.json").read_text())
    assert set(manifest["files"]) == {"functions.json", "instances.jsonl"}
    assert len(load_toolset(out / "functions.json")) == len(functions)
    cfg = PlannerTrainConfig(
        train=SEAL / "dev.jsonl",
        tools=[SEAL / "tool.jsonl", out / "functions.json"],
        out=tmp_path / "adapter",
        extra_train=[out / "instances.jsonl"],
        limit=5,
        epochs=1,
    )
    examples = build_examples(cfg)
    made = {e["id"]: e for e in examples if e["id"].startswith("fc-")}
    assert len(made) == 30 and len(examples) == 35
    for inst in instances:
        prompt = made[inst["id"]]["prompt"][1]["content"]
        shown = [
            line.split(" ")[0]
            for line in prompt.splitlines()[1:]
            if not line.startswith((" ", "Query:"))
        ]
        assert sorted(shown) == sorted(inst["offered"])
        assert " - " in prompt  # schema style: a line per parameter
        plan = json.loads(made[inst["id"]]["completion"][0]["content"])
        assert [c["api"] for c in plan] == [c["api"] for c in inst["calling"]]
