"""What every command group shares: the Typer apps, option types, output and errors."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from toolrag.choices import DuplicatePolicy, Mode, ToolFormat
from toolrag.errors import ToolragError

app = typer.Typer(
    help="toolrag: index a toolset, retrieve every tool a query needs, plan the calls, evaluate.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
index_app = typer.Typer(help="Build and update tool indexes.", no_args_is_help=True)
eval_app = typer.Typer(
    help="Evaluate retrieval and planning on labelled instances.", no_args_is_help=True
)
train_app = typer.Typer(help="Train models on labelled instances.", no_args_is_help=True)
app.add_typer(index_app, name="index")
app.add_typer(eval_app, name="eval")
app.add_typer(train_app, name="train")
datagen_app = typer.Typer(
    help="Generate training data with an LLM (self-instruct, multi-agent simulation).",
    no_args_is_help=True,
)
app.add_typer(datagen_app, name="datagen")

console = Console()
err_console = Console(stderr=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
DecomposeOpt = Annotated[
    bool,
    typer.Option(
        "--decompose/--no-decompose",
        help="Split multi-request queries into sub-requests and merge their tools (default on).",
    ),
]
IndexOpt = Annotated[
    str,
    typer.Option("--index", "-i", help="Index folder (from `index build`), or milvus:URI#NAME."),
]
ModeOpt = Annotated[Mode, typer.Option("--mode", "-m", help="Retrieval mode.")]
FormatOpt = Annotated[
    ToolFormat, typer.Option("--format", "-f", help="Toolset format; auto-detected by default.")
]
DupOpt = Annotated[
    DuplicatePolicy,
    typer.Option("--on-duplicate", help="What to do when two tools share a name."),
]
TrainOpt = Annotated[Path, typer.Option("--train", help="Labelled instances (Seal-Tools .jsonl).")]
ToolsOpt = Annotated[list[Path], typer.Option("--tools", help="Toolset file(s) the instances use.")]
MaxStepsOpt = Annotated[
    int, typer.Option("--max-steps", help="Stop after N steps (-1: all epochs).")
]
LimitOpt = Annotated[
    int | None, typer.Option("--limit", help="Only the first N instances (smoke tests).")
]
LimitToolsOpt = Annotated[
    int | None, typer.Option("--limit-tools", help="Pseudo-queries for at most N tools.")
]
SetOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        help="Any field of the training config as KEY=VALUE (repeatable), e.g. "
        "--set warmup_ratio=0.05; the record in OUT lists them all.",
    ),
]
FreshOpt = Annotated[
    bool, typer.Option("--fresh", help="Ignore checkpoints in OUT instead of resuming.")
]

EXPECTED_ERRORS = (ToolragError, FileNotFoundError, FileExistsError)
"""What a command turns into ``error: <message>`` and exit status 2: the project's own errors
(:mod:`toolrag.errors`: a bad file, option or model folder) and missing or existing paths.
Anything else is a bug and shows its traceback."""


def _fail(err: Exception) -> None:
    from toolrag.text import printable

    err_console.print(f"[bold red]error:[/] {printable(str(err))}", highlight=False, soft_wrap=True)
    raise typer.Exit(2)


def _print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, indent=2, default=str) + "\n")


@app.callback()
def _main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress.")] = False):
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(message)s")


PlannerOpt = Annotated[
    str | None,
    typer.Option(
        "--planner",
        help="default (the shipped planner, Qwen2.5-Coder-0.5B + LoRA), fast (the shipped "
        "SmolLM2-135M + LoRA: 2-4x faster, weaker on other people's tools), an adapter folder, "
        "model folder, hub id, packaged alias, or openai:MODEL (an OpenAI-compatible endpoint "
        "from $OPENAI_BASE_URL / $OPENAI_API_KEY).",
    ),
]
WithoutOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--without",
        help="Leave out a plan pass (repeatable; the passes: docs/design.md), e.g. --without "
        "back_references.",
    ),
]
ConstrainedOpt = Annotated[
    bool,
    typer.Option("--constrained/--unconstrained", help="Grammar-constrained decoding (default)."),
]
SelectorOpt = Annotated[
    str,
    typer.Option(
        "--selector",
        help="Tool selector: 'auto' (the shipped one when the index's embedding model fits it), "
        "'default' (the shipped one), a folder from `toolrag train selector`, or 'none'. "
        "The plan calls exactly the selected candidates.",
    ),
]
ThresholdOpt = Annotated[
    float | None,
    typer.Option("--threshold", help="Selector probability cut (0-1); default: the tuned one."),
]


EngineOpt = Annotated[
    str | None,
    typer.Option(
        "--engine",
        help="Local planner's decoding engine: onnx (ONNX Runtime GenAI; the model is exported "
        "once into the cache) or torch. Default: onnx, or torch where onnxruntime-genai is missing.",
    ),
]
PrecisionOpt = Annotated[
    str | None,
    typer.Option(
        "--precision",
        help="Local planner weights: onnx takes int8 (default), int4 or fp32; torch takes fp32 "
        "(default) or int8 (dynamic, linear layers).",
    ),
]


LlmOpt = Annotated[
    str,
    typer.Option(
        "--llm",
        help="local:NAME_OR_DIR (packaged qwen2.5-coder-0.5b or smollm2-135m, a folder, a hub id) "
        "or openai:MODEL (endpoint from $OPENAI_BASE_URL, key from $OPENAI_API_KEY).",
    ),
]
CacheOpt = Annotated[
    Path | None,
    typer.Option("--cache", help="LLM call cache (resume); default <out>.cache beside OUT."),
]
SeedOpt = Annotated[int, typer.Option("--seed", help="Seed for sampling and choices.")]
MaxTokensOpt = Annotated[
    int | None, typer.Option("--max-tokens", help="Cap on tokens per LLM call (default per role).")
]


@contextmanager
def _progress(total: int, what: str, quiet: bool) -> Iterator[Callable[[], None]]:
    """A progress bar on stderr; yields the callback that advances it (thread-safe)."""
    if quiet:
        yield lambda: None
        return
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(what, total=total)
        yield lambda: bar.advance(task)


def _cap(max_tokens: int | None) -> dict[str, int]:
    if max_tokens is not None and max_tokens < 1:
        raise typer.BadParameter("--max-tokens must be at least 1")
    return {} if max_tokens is None else {"max_tokens": max_tokens}


def _datagen_llm(spec: str, out: Path, cache: Path | None):
    from toolrag.agent.llm import CachedLLM, make_llm

    return CachedLLM(make_llm(spec), cache or out.with_name(out.name + ".cache"))


def _datagen_done(out: Path, rows: int, report, as_json: bool, llm, **extra) -> None:
    from toolrag.trainer.datagen.selfinstruct import write_report

    path = write_report(out, report, {"llm": llm.name, "llm_calls": llm.calls} | extra)
    summary = report.to_json()
    if as_json:
        _print_json({"out": str(out), "report": str(path)} | summary)
        return
    console.print(
        f"Wrote [bold]{rows}[/] to {out} ({summary['kept']}/{summary['generated']} kept; "
        f"{llm.hits} cached calls, {llm.calls} new)."
    )
    for reason, count in summary["rejected_by_reason"].items():
        console.print(f"  rejected {count}: {reason}")
    console.print(f"Report: {path}")
    advice = report.advice(llm.name)
    if advice:
        err_console.print(f"[yellow]{advice}[/]", highlight=False)
