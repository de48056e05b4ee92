"""A tiny real selector training run through the CLI, and the selector it writes in use."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from retriever.selector import SELECTOR_RECORD, SelectorError, ToolSelector
from toolrag.cli import app


@pytest.fixture(scope="module")
def tiny(seal_available, tmp_path_factory):
    from conftest import SEAL

    folder = tmp_path_factory.mktemp("tiny-selector")
    instances = SEAL.joinpath("dev.jsonl").read_text().splitlines()[190:215]  # single + multiple
    gold = {c["api"] for line in instances for c in json.loads(line)["calling"]}
    tools = SEAL.joinpath("tool.jsonl").read_text().splitlines()
    chosen = [t for t in tools if json.loads(t)["api_name"] in gold] + tools[:25]
    (folder / "inst.jsonl").write_text("\n".join(instances) + "\n")
    (folder / "tools.jsonl").write_text("\n".join(dict.fromkeys(chosen)) + "\n")
    return folder


def train(tiny, out, *extra):
    args = ["train", "selector", "--train", tiny / "inst.jsonl", "--tools", tiny / "tools.jsonl"]
    args += ["--out", out, "--depth", "4", "--save-steps", "1", "--json", *extra]
    return CliRunner().invoke(app, [str(a) for a in args])


def test_tiny_selector_training_resume_and_use(tiny, tmp_path):
    out = tmp_path / "selector"
    res = train(tiny, out, "--max-steps", "2")
    assert res.exit_code == 0, res.output
    record = json.loads((out / SELECTOR_RECORD).read_text())
    assert record["steps"] == 2
    assert record["data"]["positives"] > 0 and record["data"]["pairs"] > record["data"]["positives"]
    assert 0 < record["threshold"] < 1 and record["validation"]["queries"] >= 1
    assert "# toolrag tool selector" in (out / "README.md").read_text()

    res = train(tiny, out, "--max-steps", "3")  # resumes from checkpoint-2: one more step
    assert res.exit_code == 0, res.output
    assert json.loads((out / SELECTOR_RECORD).read_text())["steps"] == 3

    from index.toolset import load_toolset

    tools = load_toolset(tiny / "tools.jsonl")[:5]
    selector = ToolSelector.load(out, threshold=0.0)  # everything passes a zero threshold
    probs = selector.probabilities("book a flight to Rome", tools)
    assert len(probs) == 5 and all(0.0 <= p <= 1.0 for p in probs)
    assert len(selector.select("book a flight to Rome", tools).tools) == 5
    assert ToolSelector.load(out, threshold=1.0).select("x", tools).tools == []

    # weights changed after training: refused at load
    (out / "model.safetensors").write_bytes(
        (out / "model.safetensors").read_bytes()[:-8] + b"\0" * 8
    )
    with pytest.raises(SelectorError, match="not the ones"):
        ToolSelector.load(out)


def test_cli_refuses_a_threshold_outside_zero_one_and_a_non_selector_folder(tmp_path):
    args = ["eval", "planner", "--instances", "x.jsonl", "--tools", "t.json"]
    res = CliRunner().invoke(app, [*args, "--selector", str(tmp_path), "--threshold", "1.5"])
    assert res.exit_code == 2 and "between 0 and 1" in res.stderr
    res = CliRunner().invoke(app, [*args, "--selector", str(tmp_path)])
    assert res.exit_code == 2 and "not a toolrag selector" in res.stderr
    res = CliRunner().invoke(app, [*args, "--threshold", "0.3"])
    assert res.exit_code == 2 and "--threshold needs --selector" in res.stderr
