"""``toolrag train planner``: LoRA fine-tuning of the planner."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from toolrag.cli.common import (
    EXPECTED_ERRORS,
    FreshOpt,
    JsonOpt,
    SetOpt,
    ToolsOpt,
    TrainOpt,
    _fail,
    _print_json,
    console,
    train_app,
)


@train_app.command("planner")
def train_planner_cmd(
    train: TrainOpt,
    tools: ToolsOpt,
    out: Annotated[Path, typer.Option("--out", help="Adapter output folder.")],
    base: Annotated[
        str,
        typer.Option("--base", help="Packaged alias (smollm2-135m), model folder or hub id."),
    ] = "smollm2-135m",
    epochs: Annotated[float, typer.Option(help="Passes; each draws fresh candidates.")] = 2.0,
    learning_rate: Annotated[float, typer.Option("--lr", help="Peak learning rate.")] = 1e-3,
    lora_r: Annotated[int, typer.Option("--lora-r", help="LoRA rank.")] = 16,
    drop_rate: Annotated[
        float, typer.Option(help="Share of examples with one gold tool missing.")
    ] = 0.1,
    seed: Annotated[int, typer.Option(help="Seed for candidates and the trainer.")] = 0,
    max_steps: Annotated[int, typer.Option(help="Stop after N steps (-1: all).")] = -1,
    limit: Annotated[int | None, typer.Option(help="Only the first N instances.")] = None,
    extra_train: Annotated[
        list[Path] | None,
        typer.Option(
            "--extra-train",
            help="More instances, e.g. from `toolrag datagen instances` (repeatable).",
        ),
    ] = None,
    parallel: Annotated[
        int,
        typer.Option(
            "--parallel",
            help="Add up to N parallel-call instances (one tool, several argument sets) made "
            "from --train's own calls.",
        ),
    ] = 0,
    init_adapter: Annotated[
        Path | None,
        typer.Option(
            "--init-adapter",
            help="Continue training this adapter (e.g. agent/data/planner) instead of a new one.",
        ),
    ] = None,
    export: Annotated[
        str,
        typer.Option(
            "--export",
            help="Precision of the ONNX model written beside the adapter at the end "
            "(int8, int4, fp32), or none.",
        ),
    ] = "int8",
    precision: Annotated[
        str,
        typer.Option(
            "--precision",
            help="auto (bf16 where the CPU has bf16 matrix units: amx_bf16/avx512_bf16; fp32 "
            "elsewhere), bf16 or fp32.",
        ),
    ] = "auto",
    save_steps: Annotated[
        int, typer.Option("--save-steps", help="Checkpoint (and log a line) every N steps.")
    ] = 25,
    dev: Annotated[
        Path | None,
        typer.Option("--dev", help="Instances scored by loss at every checkpoint (dev set)."),
    ] = None,
    micro_batch: Annotated[
        int,
        typer.Option(
            "--micro-batch", help="Examples per forward pass, batched by length (divides batch)."
        ),
    ] = 1,
    stop_after_steps: Annotated[
        int | None,
        typer.Option("--stop-after-steps", help="Stop this process after N steps (resumable)."),
    ] = None,
    stop_after_minutes: Annotated[
        float | None,
        typer.Option("--stop-after-minutes", help="Stop this process after M minutes (resumable)."),
    ] = None,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume",
            help="Continue OUT's run from its newest checkpoint exactly (optimizer, schedule, "
            "data position); fails if there is none. Without it a checkpoint is resumed too.",
        ),
    ] = False,
    fresh: FreshOpt = False,
    set_: SetOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """LoRA SFT of the planner (TRL + peft), loss on the plan only; resumes from checkpoints."""
    options = dict(locals())  # the parameters: config fields and command flags
    from toolrag.agent.adapter import PLANNER_RECORD
    from toolrag.errors import ConfigError
    from toolrag.trainer.checkpoint import latest_checkpoint
    from toolrag.trainer.planner import PlannerTrainConfig, train_planner

    try:
        cfg = PlannerTrainConfig.from_options(
            options | {"export": None if export == "none" else export}, set_ or []
        )
        if resume and fresh:
            raise ConfigError("--resume and --fresh contradict each other; pass one")
        if resume and latest_checkpoint(out / "checkpoints") is None:
            raise ConfigError(f"--resume: {out}/checkpoints holds no checkpoint to continue")
        path = train_planner(cfg, resume=not fresh)
    except EXPECTED_ERRORS as err:
        _fail(err)
    record = json.loads((path / PLANNER_RECORD).read_text())
    if as_json:
        keys = ("steps", "examples_seen", "complete", "train_seconds", "precision")
        _print_json({"adapter": str(path)} | {k: record[k] for k in keys})
    else:
        state = "Trained" if record["complete"] else "Stopped (resume with --resume)"
        console.print(
            f"{state} [bold]{path}[/] in {record['train_seconds']} s ({record['steps']} steps, "
            f"{record['precision']['precision']}: {record['precision']['reason']})."
        )
