"""A long planner run survives interruption: stopped and resumed, it takes the same next steps
(same losses) as an unbroken run; every checkpoint is logged; a resume with other settings is
refused. On a tiny random model, so it takes seconds."""

from __future__ import annotations

import json

import pytest

from toolrag.agent.adapter import PLANNER_RECORD
from toolrag.trainer.planner import PlannerTrainConfig, checkpoint_planner, train_planner
from toolrag.trainer.run_log import read_log

CITIES = ["Paris", "Rome", "Oslo", "Lima", "Kyiv", "Doha"]


@pytest.fixture
def train_file(tmp_path):
    rows = [
        {
            "id": f"w{k}",
            "query": f"What is the weather in {city}?",
            "calling": [{"api": "getWeather", "parameters": {"city": city}, "responses": []}],
        }
        for k, city in enumerate(CITIES)
    ]
    path = tmp_path / "train.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def config(train_file, tools, base, out, **kw):
    values = dict(
        train=train_file,
        tools=[tools],
        out=out,
        base=str(base),
        max_steps=4,
        save_steps=2,
        batch_size=2,
        lora_r=2,
        n_candidates=2,
        learning_rate=5e-3,
        export=None,
        precision="fp32",
        keep_checkpoints=None,
    )
    return PlannerTrainConfig(**(values | kw))


def step_losses(out):
    state = json.loads((out / "checkpoints" / "checkpoint-4" / "trainer_state.json").read_text())
    return {h["step"]: h["loss"] for h in state["log_history"] if "loss" in h}


def test_a_stopped_and_resumed_run_takes_the_same_steps(
    tmp_path, train_file, six_tools_file, tiny_lm_folder
):
    whole = train_planner(config(train_file, six_tools_file, tiny_lm_folder, tmp_path / "a"))
    first = config(train_file, six_tools_file, tiny_lm_folder, tmp_path / "b", stop_after_steps=2)
    stopped = train_planner(first)
    record = json.loads((stopped / PLANNER_RECORD).read_text())
    assert record["complete"] is False and record["steps"] == 2
    assert [r["step"] for r in read_log(stopped)] == [2]

    resumed = train_planner(config(train_file, six_tools_file, tiny_lm_folder, tmp_path / "b"))
    record = json.loads((resumed / PLANNER_RECORD).read_text())
    assert record["complete"] is True and record["resumed_from"] == "checkpoint-2"
    a, b = step_losses(whole), step_losses(resumed)
    assert sorted(a) == [1, 2, 3, 4] and sorted(b) == [1, 2, 3, 4]
    assert a[3] == pytest.approx(b[3], rel=1e-5) and a[4] == pytest.approx(b[4], rel=1e-5)
    assert a[1] != a[4]  # the losses are the training's own, not a constant
    rows = read_log(resumed)
    assert [(r["step"], r["examples_seen"]) for r in rows] == [(2, 4), (4, 8)]
    assert all(r["train_loss"] > 0 and r["precision"] == "fp32" for r in rows)


def test_a_resume_with_other_settings_is_refused(
    tmp_path, train_file, six_tools_file, tiny_lm_folder
):
    out = tmp_path / "run"
    train_planner(
        config(train_file, six_tools_file, tiny_lm_folder, out, stop_after_steps=2, max_steps=3)
    )
    with pytest.raises(ValueError, match="learning_rate.*--fresh"):
        train_planner(
            config(train_file, six_tools_file, tiny_lm_folder, out, max_steps=3, learning_rate=1)
        )
    # --fresh (resume=False) starts over with the new settings
    train_planner(
        config(train_file, six_tools_file, tiny_lm_folder, out, max_steps=1, learning_rate=1),
        resume=False,
    )
    assert json.loads((out / PLANNER_RECORD).read_text())["steps"] == 1


def test_dev_loss_is_logged_per_checkpoint_and_a_checkpoint_becomes_a_planner(
    tmp_path, train_file, six_tools_file, tiny_lm_folder
):
    out = tmp_path / "run"
    cfg = config(train_file, six_tools_file, tiny_lm_folder, out, dev=train_file, dev_limit=2)
    train_planner(cfg)
    rows = read_log(out)
    assert [r["step"] for r in rows] == [2, 4]
    assert all(r["dev_loss"] > 0 for r in rows)
    record = json.loads((out / PLANNER_RECORD).read_text())
    assert record["best_checkpoint_by_dev_loss"] in ("checkpoint-2", "checkpoint-4")

    planner_dir = checkpoint_planner(out, "checkpoint-2", tmp_path / "ckpt2")
    made = json.loads((planner_dir / PLANNER_RECORD).read_text())
    assert made["steps"] == 2 and made["examples_seen"] == 4
    assert (planner_dir / "adapter_model.safetensors").is_file()


def test_micro_batches_must_divide_the_batch(tmp_path, train_file):
    with pytest.raises(ValueError, match="micro_batch=3 .*batch_size=4"):
        PlannerTrainConfig(train=train_file, tools=[], out=tmp_path, batch_size=4, micro_batch=3)


def test_micro_batches_put_two_examples_in_a_forward_pass(
    tmp_path, train_file, six_tools_file, tiny_lm_folder
):
    out = train_planner(
        config(train_file, six_tools_file, tiny_lm_folder, tmp_path / "mb", micro_batch=2)
    )
    state = json.loads((out / "checkpoints" / "checkpoint-4" / "trainer_state.json").read_text())
    assert state["train_batch_size"] == 2
    assert json.loads((out / PLANNER_RECORD).read_text())["examples_seen"] == 8
