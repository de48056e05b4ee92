"""``toolrag train``: the retriever, the query encoder, packing and the selector."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from toolrag.cli.common import (
    EXPECTED_ERRORS,
    FreshOpt,
    JsonOpt,
    LimitOpt,
    LimitToolsOpt,
    MaxStepsOpt,
    SetOpt,
    ToolsOpt,
    TrainOpt,
    _fail,
    _print_json,
    console,
    train_app,
)


@train_app.command("retriever")
def train_retriever_cmd(
    train: TrainOpt,
    tools: ToolsOpt,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output model folder.")],
    base: Annotated[
        str | None,
        typer.Option(
            "--base",
            help="Model to start from (hub id or folder); default the untrained packaged MiniLM.",
        ),
    ] = None,
    loss: Annotated[str, typer.Option("--loss", help="pairs | infonce | listwise.")] = "infonce",
    epochs: Annotated[float, typer.Option("--epochs")] = 1.0,
    batch_size: Annotated[int, typer.Option("--batch-size")] = 32,
    learning_rate: Annotated[float, typer.Option("--lr")] = 5e-5,
    hard_negatives: Annotated[
        bool,
        typer.Option(
            "--hard-negatives/--no-hard-negatives",
            help="Mine BM25 + zero-shot dense hard negatives.",
        ),
    ] = True,
    pseudo: Annotated[
        bool,
        typer.Option(
            "--pseudo/--no-pseudo", help="Add pseudo-queries generated from tool descriptions."
        ),
    ] = True,
    held_out: Annotated[
        float,
        typer.Option(
            "--held-out", help="Share of tools kept out of training, for unseen-tool evaluation."
        ),
    ] = 0.1,
    seed: Annotated[int, typer.Option("--seed")] = 42,
    max_steps: MaxStepsOpt = -1,
    limit: LimitOpt = None,
    limit_tools: LimitToolsOpt = None,
    save_steps: Annotated[int, typer.Option("--save-steps", help="Checkpoint every N steps.")] = 50,
    extra_train: Annotated[
        list[Path] | None,
        typer.Option(
            "--extra-train",
            help="More instances for training only, e.g. from `toolrag datagen instances` "
            "(repeatable); validation stays carved from --train.",
        ),
    ] = None,
    no_eval: Annotated[bool, typer.Option("--no-eval", help="Skip validation.")] = False,
    no_tune_fusion: Annotated[
        bool,
        typer.Option(
            "--no-tune-fusion",
            help="Skip tuning the hybrid dense weight on the validation queries after training.",
        ),
    ] = False,
    fresh: FreshOpt = False,
    set_: SetOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Fine-tune the dense retriever with a multi-positive loss (resumes from OUT's checkpoints)."""
    options = dict(locals())  # the parameters: config fields and command flags
    from toolrag.trainer.retriever import TRAINING_FILE, RetrieverTrainConfig, train_retriever

    try:
        cfg = RetrieverTrainConfig.from_options(
            options
            | {
                "held_out_fraction": held_out,
                "evaluate": not no_eval,
                "tune_fusion": not no_tune_fusion,
            },
            set_ or [],
        )
        path = train_retriever(cfg, resume=not fresh, progress=not as_json)
    except EXPECTED_ERRORS as err:
        _fail(err)
    _report_training(
        path / TRAINING_FILE,
        "Trained",
        f"toolrag index build TOOLS --out DIR --model {path}",
        as_json,
    )


def _report_training(record_file: Path, verb: str, index_cmd: str, as_json: bool) -> None:
    """Print a training run's record (JSON: model, steps, time, validation) or a summary line
    and the command that indexes with the new model."""
    record = json.loads(record_file.read_text())
    path = record_file.parent
    if as_json:
        _print_json(
            {"model": str(path)} | {k: record[k] for k in ("steps", "train_seconds", "validation")}
        )
    else:
        console.print(
            f"{verb} [bold]{path}[/] in {record['train_seconds']} s ({record['steps']} steps)."
        )
        console.print(f"Index with it: {index_cmd}")


@train_app.command("query-encoder")
def train_query_encoder_cmd(
    train: TrainOpt,
    tools: ToolsOpt,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output model folder.")],
    teacher: Annotated[
        str | None,
        typer.Option(
            "--teacher",
            help="The retriever whose query embeddings are learnt (folder); default the shipped "
            "retriever.",
        ),
    ] = None,
    layers: Annotated[int, typer.Option("--layers", help="Transformer layers to keep.")] = 3,
    epochs: Annotated[float, typer.Option("--epochs")] = 2.0,
    batch_size: Annotated[int, typer.Option("--batch-size")] = 64,
    learning_rate: Annotated[float, typer.Option("--lr")] = 2e-4,
    score_weight: Annotated[
        float,
        typer.Option(
            "--score-weight",
            help="Weight of the tool-score term (KL between the teacher's and the student's "
            "softmax over tool scores); 0 = match embeddings only.",
        ),
    ] = 0.0,
    score_scale: Annotated[
        float, typer.Option("--score-scale", help="Inverse temperature of that softmax.")
    ] = 20.0,
    held_out: Annotated[
        float,
        typer.Option("--held-out", help="Share of tools kept out; use the teacher's value."),
    ] = 0.1,
    seed: Annotated[int, typer.Option("--seed", help="Use the teacher's seed.")] = 42,
    max_steps: MaxStepsOpt = -1,
    limit: LimitOpt = None,
    limit_tools: LimitToolsOpt = None,
    extra_train: Annotated[
        list[Path] | None,
        typer.Option("--extra-train", help="More instances whose queries are distilled."),
    ] = None,
    fresh: FreshOpt = False,
    set_: SetOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Distil a shallower query encoder from a retriever: queries encode faster, tools keep the
    retriever's embeddings (resumes from OUT's checkpoints)."""
    options = dict(locals())  # the parameters: config fields and command flags
    from toolrag.index.encoder import STUDENT_RECORD
    from toolrag.trainer.distill import DistillConfig, distill_query_encoder

    try:
        cfg = DistillConfig.from_options(options | {"held_out_fraction": held_out}, set_ or [])
        path = distill_query_encoder(cfg, resume=not fresh, progress=not as_json)
    except EXPECTED_ERRORS as err:
        _fail(err)
    model = f" --model {teacher}" if teacher else ""
    _report_training(
        path / STUDENT_RECORD,
        "Distilled",
        f"toolrag index build TOOLS --out DIR{model} --query-model {path}",
        as_json,
    )


@train_app.command("pack")
def train_pack_cmd(
    model: Annotated[Path, typer.Argument(help="A trained sentence-transformers folder.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder (replaced).")],
    as_json: JsonOpt = False,
) -> None:
    """Pack a trained retriever's weights to int8 (about a quarter of the size)."""
    from toolrag.index.packed import PACKED_WEIGHTS, pack_model

    try:
        path = pack_model(model, out)
    except EXPECTED_ERRORS as err:
        _fail(err)
    size = sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    if as_json:
        _print_json({"model": str(path), "bytes": size})
    else:
        console.print(f"Packed [bold]{path}[/] ({size / 1e6:.1f} MB, weights in {PACKED_WEIGHTS}).")
        console.print(f"Index with it: toolrag index build TOOLS --out DIR --model {path}")


@train_app.command("selector")
def train_selector_cmd(
    train: TrainOpt,
    tools: ToolsOpt,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output selector folder (replaced).")],
    model: Annotated[
        str | None,
        typer.Option(
            "--model", help="Embedding model of the indexes it will read (default: shipped)."
        ),
    ] = None,
    depth: Annotated[int, typer.Option(help="Retrieved candidates per query (negatives).")] = 10,
    c: Annotated[float, typer.Option("--c", help="Inverse L2 regularisation strength.")] = 1.0,
    seed: Annotated[int, typer.Option("--seed")] = 42,
    extra_train: Annotated[
        list[Path] | None,
        typer.Option(
            "--extra-train",
            help="Instances with the functions offered with each (`toolrag datagen functions`); "
            "each offered list is one candidate list (repeatable).",
        ),
    ] = None,
    extra_tools: Annotated[
        list[Path] | None,
        typer.Option("--extra-tools", help="The functions --extra-train offers (repeatable)."),
    ] = None,
    limit: LimitOpt = None,
    set_: SetOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Train the tool selector (multi-label: P(needed) per candidate) and tune its threshold."""
    options = dict(locals())  # the parameters: config fields and command flags
    from toolrag.retriever.selector import SELECTOR_RECORD
    from toolrag.trainer.selector import SelectorTrainConfig, train_selector

    try:
        cfg = SelectorTrainConfig.from_options(options, set_ or [])
        path = train_selector(cfg, progress=not as_json)
    except EXPECTED_ERRORS as err:
        _fail(err)
    record = json.loads((path / SELECTOR_RECORD).read_text())
    if as_json:
        _print_json(
            {"selector": str(path)} | {k: record[k] for k in ("train_seconds", "validation")}
        )
        return
    val = record["validation"]
    console.print(
        f"Trained [bold]{path}[/] in {record['train_seconds']} s: threshold "
        f"{val['threshold']:.2f}, validation set F1 {100 * val['set_f1']:.1f}."
    )
    console.print(f"Use it: toolrag ask QUERY --index DIR --selector {path}")
