"""bf16 where the CPU multiplies bf16 in hardware, fp32 elsewhere: detected, forced, recorded."""

from __future__ import annotations

import json

import pytest

from toolrag.agent.adapter import PLANNER_RECORD
from toolrag.trainer.precision import bf16_units, cpu_flags, resolve_precision


def test_auto_follows_the_cpu_flags():
    assert resolve_precision("auto", {"avx512f", "avx512_vnni"}, "AVX512").precision == "fp32"
    amx = resolve_precision("auto", {"avx512f", "amx_bf16", "amx_tile"}, "AVX512")
    assert amx.precision == "bf16" and "amx_bf16" in amx.reason
    assert resolve_precision("auto", {"avx512_bf16"}, "AVX512").precision == "bf16"
    assert bf16_units(set(), "AMX") == ["capability AMX"]


def test_a_forced_precision_wins_and_says_so():
    forced = resolve_precision("bf16", {"avx2"}, "AVX2")
    assert forced.precision == "bf16" and forced.reason.startswith("forced (no CPU bf16")
    assert resolve_precision("fp32", {"amx_bf16"}, "AVX512").precision == "fp32"
    with pytest.raises(ValueError, match="auto, bf16, fp32"):
        resolve_precision("fp16", set(), "AVX2")


def test_cpu_flags_read_cpuinfo(tmp_path):
    info = tmp_path / "cpuinfo"
    info.write_text("processor\t: 0\nflags\t\t: fpu avx2 amx_bf16\n\nprocessor\t: 1\n")
    assert cpu_flags(info) == {"fpu", "avx2", "amx_bf16"}
    assert cpu_flags(tmp_path / "none") == set()


def _run(tmp_path, six_tools_file, tiny_lm_folder, precision):
    from toolrag.trainer.planner import PlannerTrainConfig, train_planner

    train = tmp_path / "train.jsonl"
    row = {
        "id": "w",
        "query": "What is the weather in Paris?",
        "calling": [{"api": "getWeather", "parameters": {"city": "Paris"}, "responses": []}],
    }
    train.write_text(json.dumps(row) + "\n")
    cfg = PlannerTrainConfig(
        train=train,
        tools=[six_tools_file],
        out=tmp_path / precision,
        base=str(tiny_lm_folder),
        max_steps=1,
        batch_size=1,
        lora_r=2,
        n_candidates=2,
        export=None,
        precision=precision,
    )
    out = train_planner(cfg)
    return json.loads((out / PLANNER_RECORD).read_text()), out


def test_bf16_trains_bf16_weights_with_float32_lora_and_is_recorded(
    tmp_path, six_tools_file, tiny_lm_folder, monkeypatch
):
    import torch
    from safetensors.torch import load_file

    from toolrag.trainer import precision as module
    from toolrag.trainer.planner import PlannerTrainConfig, load_base

    # detected: a CPU that reports AMX trains in bf16 under auto
    monkeypatch.setattr(module, "cpu_flags", lambda: {"avx512f", "amx_bf16"})
    record, out = _run(tmp_path, six_tools_file, tiny_lm_folder, "auto")
    assert record["precision"] == {
        "precision": "bf16",
        "requested": "auto",
        "reason": "auto: CPU bf16 units: amx_bf16",
    }
    lora = load_file(out / "adapter_model.safetensors")
    assert lora and all(t.dtype == torch.float32 for t in lora.values())
    cfg = PlannerTrainConfig.from_record(record["config"])
    choice = resolve_precision("bf16", set(), "AVX2")
    assert next(load_base(cfg, choice).parameters()).dtype == torch.bfloat16

    # without the units auto stays float32, and the card says which was used
    monkeypatch.setattr(module, "cpu_flags", lambda: {"avx512f"})
    record, out = _run(tmp_path, six_tools_file, tiny_lm_folder, "fp32")
    assert record["precision"]["precision"] == "fp32"
    from toolrag.trainer.planner import write_planner_card

    card = write_planner_card(out, "| a |", "toolrag train planner ...").read_text()
    assert "- Precision: float32 (forced (no CPU bf16 units))." in card
