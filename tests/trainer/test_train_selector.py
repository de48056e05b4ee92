"""A tiny real selector training run through the CLI, and the selector it writes in use."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from toolrag.cli import app
from toolrag.retriever.selector import SELECTOR_RECORD, ToolSelector


@pytest.fixture(scope="module")
def tiny(seal_available, tmp_path_factory):
    from conftest import SEAL

    folder = tmp_path_factory.mktemp("tiny-selector")
    instances = SEAL.joinpath("dev.jsonl").read_text().splitlines()[170:230]  # single + multiple
    gold = {c["api"] for line in instances for c in json.loads(line)["calling"]}
    tools = SEAL.joinpath("tool.jsonl").read_text().splitlines()
    chosen = [t for t in tools if json.loads(t)["api_name"] in gold] + tools[:40]
    (folder / "inst.jsonl").write_text("\n".join(instances) + "\n")
    (folder / "tools.jsonl").write_text("\n".join(dict.fromkeys(chosen)) + "\n")
    return folder


def test_tiny_selector_training_and_use(tiny, tmp_path):
    from toolrag.index.store import ToolIndex
    from toolrag.index.toolset import load_toolset
    from toolrag.instances import read_instances

    out = tmp_path / "selector"
    args = ["train", "selector", "--train", tiny / "inst.jsonl", "--tools", tiny / "tools.jsonl"]
    res = CliRunner().invoke(app, [str(a) for a in [*args, "--out", out, "--depth", "4", "--json"]])
    assert res.exit_code == 0, res.output
    record = json.loads((out / SELECTOR_RECORD).read_text())
    assert record["data"]["positives"] > 0
    assert record["data"]["candidates"] > record["data"]["positives"]
    assert 0 < record["threshold"] < 1 and record["validation"]["queries"] >= 1
    assert "# toolrag tool selector" in (out / "README.md").read_text()

    tools = load_toolset(tiny / "tools.jsonl")
    index = ToolIndex.build(tools)
    selector = ToolSelector.load(out, index=index)
    # trained on these instances, it ranks a query's gold tool above the tools it does not need
    by_name = {t.name: t for t in tools}
    wins = 0
    singles = [i for i in read_instances(tiny / "inst.jsonl") if len(i.gold_tools) == 1]
    for inst in singles:
        others = [t for t in tools[:4] if t.name not in inst.gold_tools]
        probs = selector.probabilities(inst.query, [by_name[inst.gold_tools[0]], *others])
        wins += probs[0] == max(probs)
    assert singles and wins / len(singles) >= 0.8
    assert ToolSelector.load(out, index=index, threshold=1.0).select("x", tools[:3]).tools == []
    assert len(ToolSelector.load(out, index=index, threshold=0.0).select("x", tools[:3]).tools) == 3
    assert record["parts"] == "requests"  # the default cut

    # a selector trained on clauses reads its queries cut into clauses at use too
    clauses = tmp_path / "clauses"
    more = [*args, "--out", clauses, "--depth", "4", "--set", "parts=clauses"]
    assert CliRunner().invoke(app, [str(a) for a in more]).exit_code == 0
    selector = ToolSelector.load(clauses, index=index)
    assert selector.record["parts"] == "clauses"
    query = (
        "Translate the DNA sequence ATGC into protein and open an issue in the toolrag repository"
    )
    from toolrag.retriever.selector import FEATURES, features

    parts = FEATURES.index("parts")  # log of the texts scored: the query and its parts
    assert features(index, query, tools[:3])[0, parts] == 0.0  # no listed connector: one text
    assert np.isclose(features(index, query, tools[:3], parts="clauses")[0, parts], np.log(3))


def test_cli_refuses_a_threshold_outside_zero_one_and_a_non_selector_folder(tmp_path):
    args = ["eval", "planner", "--instances", "x.jsonl", "--tools", "t.json"]

    def error(*extra: str) -> str:
        res = CliRunner().invoke(app, [*args, *extra])
        assert res.exit_code == 2, res.output
        return " ".join(res.stderr.split())  # the console wraps long lines

    assert "between 0 and 1" in error("--selector", str(tmp_path), "--threshold", "1.5")
    assert "not a toolrag selector" in error("--selector", str(tmp_path))
    assert "a threshold needs a selector" in error("--selector", "none", "--threshold", "0.3")


def test_selector_trains_on_offered_function_lists_too(tiny, tmp_path, toolalpaca_apis):
    """Instances written by `toolrag datagen functions` add one candidate list each (their
    offered functions, on an index over those functions); validation reports both groups."""
    from toolrag.trainer.datagen import functions as fdata

    apis = toolalpaca_apis
    functions, instances, report = fdata.generate(apis, 60, seed=5)
    data = fdata.write(tmp_path / "fc", functions, instances, report, apis_path=apis, command="t")
    out = tmp_path / "selector"
    args = ["train", "selector", "--train", tiny / "inst.jsonl", "--tools", tiny / "tools.jsonl"]
    args += ["--out", out, "--depth", "4", "--json"]
    extra = ["--extra-train", data / "instances.jsonl", "--extra-tools", data / "functions.json"]
    res = CliRunner().invoke(app, [str(a) for a in [*args, *extra]])
    assert res.exit_code == 0, res.output
    record = json.loads((out / SELECTOR_RECORD).read_text())
    assert 40 <= record["data"]["offered_lists"] < 60  # the rest carved out for validation
    seal, offered = record["validation"]["groups"]
    assert seal["queries"] == record["validation"]["queries"] - offered["queries"]
    assert offered["queries"] == 60 - record["data"]["offered_lists"]
    assert 0 <= offered["set_f1"] <= 1
    assert "offered lists" in (out / "README.md").read_text()

    def error(*more) -> str:
        res = CliRunner().invoke(app, [str(a) for a in [*args, *more]])
        assert res.exit_code == 2, res.output
        return " ".join(res.stderr.split())

    assert "needs extra_tools" in error("--extra-train", data / "instances.jsonl")
    assert "missing from --extra-tools" in error(*extra[:3], tiny / "tools.jsonl")
