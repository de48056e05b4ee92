"""A tiny real training run through the CLI: few steps, few instances, few tools."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sentence_transformers import SentenceTransformer
from typer.testing import CliRunner

from toolrag.cli import app
from toolrag.index.encoder import encode, load_encoder
from toolrag.index.store import ToolIndex


@pytest.fixture(scope="module")
def tiny(seal_available, tmp_path_factory):
    from conftest import SEAL

    folder = tmp_path_factory.mktemp("tiny")
    instances = SEAL.joinpath("dev.jsonl").read_text().splitlines()[195:215]  # single + multiple
    gold = {c["api"] for line in instances for c in json.loads(line)["calling"]}
    tools = [line for line in SEAL.joinpath("tool.jsonl").read_text().splitlines()]
    chosen = [t for t in tools if json.loads(t)["api_name"] in gold] + tools[:25]
    chosen = list(dict.fromkeys(chosen))
    (folder / "inst.jsonl").write_text("\n".join(instances) + "\n")
    (folder / "tools.jsonl").write_text("\n".join(chosen) + "\n")
    return folder


def train(tiny, out, *extra):
    args = [
        "train",
        "retriever",
        "--train",
        tiny / "inst.jsonl",
        "--tools",
        tiny / "tools.jsonl",
        "--out",
        out,
        "--batch-size",
        "8",
        "--no-eval",
        "--held-out",
        "0.1",
        "--save-steps",
        "1",
        "--json",
        *extra,
    ]
    return CliRunner().invoke(app, [str(a) for a in args])


def test_tiny_training_run_resume_and_index(tiny, tmp_path):
    out = tmp_path / "model"
    res = train(tiny, out, "--max-steps", "2")
    assert res.exit_code == 0, res.output
    record = json.loads((out / "toolrag_training.json").read_text())
    assert record["steps"] == 2 and record["config"]["loss"] == "infonce"
    assert (
        record["data"]["queries"]["labelled"] > 0 and record["data"]["queries"]["pseudo-multi"] > 0
    )
    assert "# toolrag dense tool retriever" in (out / "README.md").read_text()
    # the trainer tuned the hybrid weight for this model on its validation queries, and an
    # index built with the model takes it
    from toolrag.index.encoder import recommended_fusion
    from toolrag.trainer.retriever import DENSE_WEIGHTS

    assert record["fusion"]["dense_weight"] in DENSE_WEIGHTS
    assert "validation queries" in record["fusion"]["tuned_on"]
    assert recommended_fusion(str(out)) == {"dense_weight": record["fusion"]["dense_weight"]}
    assert "Hybrid dense weight tuned on the" in (out / "README.md").read_text()

    trained = SentenceTransformer(str(out), device="cpu")  # a standard sentence-transformers folder
    text = ["book a flight to Rome"]
    assert not np.allclose(encode(trained, text), encode(load_encoder(None), text), atol=1e-6)

    res = train(tiny, out, "--max-steps", "3")  # resumes from checkpoint-2: one more step
    assert res.exit_code == 0, res.output
    assert json.loads((out / "toolrag_training.json").read_text())["steps"] == 3

    idx = ToolIndex.build(tiny_tools(tiny), model=str(out))
    assert idx.manifest["embedding"]["model"] == str(out.resolve())
    loaded = ToolIndex.load(idx.save(tmp_path / "idx"))
    assert loaded.encode_queries(text).shape == (1, 384)


def tiny_tools(tiny):
    from toolrag.index.toolset import load_toolset

    return load_toolset(tiny / "tools.jsonl")


def test_no_tune_fusion_records_no_weight(tiny, tmp_path):
    out = tmp_path / "model"
    res = train(tiny, out, "--max-steps", "1", "--no-tune-fusion")
    assert res.exit_code == 0, res.output
    assert "fusion" not in json.loads((out / "toolrag_training.json").read_text())


def test_bad_loss_name_is_explained(tiny, tmp_path):
    res = train(tiny, tmp_path / "m", "--loss", "triplet")
    assert res.exit_code == 2 and "choose one of ['pairs', 'infonce', 'listwise']" in res.stderr
