"""Query-encoder distillation: the student keeps a subset of layers, trains through the CLI, and an
index built by the teacher uses it for queries only."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from toolrag.cli import app
from toolrag.index.encoder import (
    STUDENT_RECORD,
    encode,
    load_encoder,
    resolve_model,
    weight_checksum,
)
from toolrag.index.errors import IndexLoadError
from toolrag.index.store import ToolIndex
from toolrag.trainer.data import Query
from toolrag.trainer.distill import distill_texts, kept_layers, make_student


def test_kept_layers_spread_and_keep_the_last():
    assert kept_layers(6, 3) == [0, 3, 5]
    assert kept_layers(12, 4) == [0, 4, 7, 11]
    assert kept_layers(6, 1) == [5]
    assert kept_layers(3, 5) == [0, 1, 2]


def test_make_student_drops_layers_and_leaves_the_teacher_alone():
    teacher = load_encoder("minilm")
    before = weight_checksum(teacher)
    student, keep = make_student(teacher, 2)
    assert keep == [0, 5]
    assert len(student[0].auto_model.encoder.layer) == 2
    assert student[0].auto_model.config.num_hidden_layers == 2
    assert weight_checksum(teacher) == before  # a copy was thinned, not the cached teacher
    # the kept layers are the teacher's own weights until training moves them
    kept = student[0].auto_model.encoder.layer[1].output.dense.weight
    assert kept.data_ptr() != teacher[0].auto_model.encoder.layer[5].output.dense.weight.data_ptr()
    assert np.allclose(
        kept.detach().numpy(), teacher[0].auto_model.encoder.layer[5].output.dense.weight.detach()
    )


def test_distill_texts_add_sub_requests_and_descriptions_once():
    queries = [
        Query("Get the weather in Paris. Then book a flight to Rome.", ["a", "b"], "labelled"),
        Query("Get the weather in Paris.", ["a"], "pseudo-single"),
    ]
    texts = distill_texts(queries, ["Book a flight", "  ", "Book a flight"])
    assert texts == [
        "Get the weather in Paris. Then book a flight to Rome.",
        "Get the weather in Paris.",
        "Then book a flight to Rome.",
        "Book a flight",
    ]


@pytest.fixture(scope="module")
def student_dir(seal_available, tmp_path_factory):
    """A two-layer student of the packaged MiniLM after two steps on a slice of dev.jsonl, with the
    tool-score term on."""
    from conftest import SEAL

    folder = tmp_path_factory.mktemp("distill")
    instances = SEAL.joinpath("dev.jsonl").read_text().splitlines()[195:215]
    gold = {c["api"] for line in instances for c in json.loads(line)["calling"]}
    tools = SEAL.joinpath("tool.jsonl").read_text().splitlines()
    chosen = list(
        dict.fromkeys([t for t in tools if json.loads(t)["api_name"] in gold] + tools[:25])
    )
    (folder / "inst.jsonl").write_text("\n".join(instances) + "\n")
    (folder / "tools.jsonl").write_text("\n".join(chosen) + "\n")
    out = folder / "student"
    args = [
        "train", "query-encoder",
        "--train", folder / "inst.jsonl",
        "--tools", folder / "tools.jsonl",
        "--out", out,
        "--teacher", "minilm",
        "--layers", "2",
        "--batch-size", "8",
        "--max-steps", "2",
        "--score-weight", "0.5",
        "--json",
    ]  # fmt: skip
    res = CliRunner().invoke(app, [str(a) for a in args])
    assert res.exit_code == 0, res.output
    return out


def test_distillation_run_writes_a_student_with_its_record(student_dir):
    record = json.loads((student_dir / STUDENT_RECORD).read_text())
    assert record["steps"] == 2 and record["kept_layers"] == [0, 5]
    assert record["teacher"]["checksum"] == weight_checksum(load_encoder("minilm"))
    val = record["validation"]
    assert 0.0 <= val["student"]["R@5"] <= 1.0 and val["teacher"]["n"] == val["student"]["n"] > 0
    assert -1.0 <= val["cosine_to_teacher_min"] <= val["cosine_to_teacher_mean"] <= 1.0
    card = (student_dir / "README.md").read_text()
    assert "# toolrag query encoder (distilled)" in card and "| student |" in card
    assert record["config"]["score_weight"] == 0.5 and "0.5 x KL divergence" in card


def test_index_encodes_queries_with_its_student(student_dir, six_tools, tmp_path, monkeypatch):
    idx = ToolIndex.build(six_tools, model="minilm", query_model=str(student_dir))
    entry = idx.manifest["embedding"]["query_model"]
    assert entry["model"] == str(student_dir.resolve()) and entry["layers"] == 2
    loaded = ToolIndex.load(idx.save(tmp_path / "idx"))
    student = load_encoder(str(student_dir))
    assert weight_checksum(loaded.query_encoder) == weight_checksum(student)
    assert loaded.query_encoder is not loaded.encoder
    query = ["What is the weather in Paris?"]
    by_student = encode(student, query)
    by_teacher = encode(loaded.encoder, query)
    assert not np.allclose(by_student, by_teacher, atol=1e-3)
    assert float((loaded.encode_queries(query) * by_student).sum()) > 0.97
    # the ONNX twin is the student's, not the tool encoder's
    assert loaded._fast_encoder.folder.name.startswith(entry["checksum"][:24])

    monkeypatch.setenv("TOOLRAG_QUERY_MODEL", "full")  # the index's own model, on request
    full = ToolIndex.load(tmp_path / "idx")
    assert full.query_encoder is full.encoder
    assert float((full.encode_queries(query) * by_teacher).sum()) > 0.97

    # updates keep the query encoder
    monkeypatch.delenv("TOOLRAG_QUERY_MODEL")
    grown = loaded.updated(remove=["sendEmail"])
    assert grown.manifest["embedding"]["query_model"] == entry


def test_a_student_of_another_model_is_refused(student_dir, six_tools):
    with pytest.raises(ValueError, match="distilled from"):
        ToolIndex.build(six_tools, model="default", query_model=str(student_dir))
    with pytest.raises(ValueError, match="toolrag train query-encoder"):
        ToolIndex.build(six_tools, model="minilm", query_model=resolve_model("minilm"))


def test_without_a_student_queries_use_the_index_model(six_index):
    assert "query_model" not in six_index.manifest["embedding"]
    assert six_index.query_encoder is six_index.encoder


def test_a_changed_student_is_caught(student_dir, six_tools, tmp_path):
    idx = ToolIndex.build(six_tools, model="minilm", query_model=str(student_dir))
    idx.manifest["embedding"]["query_model"]["checksum"] = "0" * 64
    with pytest.raises(IndexLoadError, match="TOOLRAG_QUERY_MODEL=full"):
        idx.query_encoder  # noqa: B018


def test_cli_builds_an_index_with_a_query_encoder(student_dir, six_tools_file, tmp_path):
    out = tmp_path / "idx"
    args = ["index", "build", six_tools_file, "--out", out, "--model", "minilm"]
    res = CliRunner().invoke(app, [str(a) for a in [*args, "--query-model", student_dir, "--json"]])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["query_model"] == str(student_dir.resolve())
    res = CliRunner().invoke(app, ["retrieve", "--index", str(out), "weather in Paris", "--json"])
    assert res.exit_code == 0, res.output
    assert "getWeather" in res.output

    res = CliRunner().invoke(app, [str(a) for a in [*args, "--query-model", tmp_path, "--json"]])
    assert res.exit_code != 0 and "toolrag train query-encoder" in res.output
