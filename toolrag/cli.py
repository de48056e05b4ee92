"""The ``toolrag`` command line: build indexes, retrieve tools, evaluate.

Every command prints a readable table; ``--json`` prints machine-readable JSON instead.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from index.bm25 import Bm25Method, Bm25Params
from index.errors import IndexLoadError, ToolsetError
from index.toolset import DuplicatePolicy, ToolFormat, load_toolset
from index.vectors import AnnParams, AnnType
from retriever.base import Mode
from retriever.selector import check_selector_spec, resolve_selector

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
IndexOpt = Annotated[Path, typer.Option("--index", "-i", help="Index folder (from `index build`).")]
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
FreshOpt = Annotated[
    bool, typer.Option("--fresh", help="Ignore checkpoints in OUT instead of resuming.")
]

EXPECTED_ERRORS = (
    ToolsetError,
    IndexLoadError,
    ValueError,
    FileNotFoundError,
    FileExistsError,
    KeyError,
)


def _fail(err: Exception) -> None:
    msg = err.args[0] if isinstance(err, KeyError) and err.args else err
    err_console.print(f"[bold red]error:[/] {msg}", highlight=False)
    raise typer.Exit(2)


def _print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, indent=2, default=str) + "\n")


@app.callback()
def _main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress.")] = False):
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(message)s")


# -- index ----------------------------------------------------------------------------------


@index_app.command("build")
def index_build(
    tools: Annotated[
        list[Path],
        typer.Argument(help="Toolset files (Seal-Tools JSONL, OpenAI, MCP, OpenAPI, ToolAlpaca)."),
    ],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Index folder to write (replaced atomically).")
    ],
    model: Annotated[
        str | None,
        typer.Option(
            "--model",
            help="Embedding model: hub id or folder; `minilm` the untrained all-MiniLM-L6-v2; "
            "default the shipped retriever (MiniLM fine-tuned on Seal-Tools, int8-packed).",
        ),
    ] = None,
    query_model: Annotated[
        str | None,
        typer.Option(
            "--query-model",
            help="A shallower query encoder distilled from --model (`toolrag train "
            "query-encoder`): faster queries, some recall lost; default: --model encodes queries.",
        ),
    ] = None,
    ann: Annotated[
        AnnType, typer.Option("--ann", help="FAISS index: flat (exact), hnsw or ivf.")
    ] = AnnType.FLAT,
    fmt: FormatOpt = ToolFormat.AUTO,
    on_duplicate: DupOpt = DuplicatePolicy.ERROR,
    bm25_method: Annotated[
        Bm25Method, typer.Option("--bm25-method", help="BM25 variant.")
    ] = Bm25Method.LUCENE,
    as_json: JsonOpt = False,
) -> None:
    """Index a toolset: BM25 + dense (FAISS) in one folder with a manifest."""
    from index.store import ToolIndex

    try:
        start = time.perf_counter()
        loaded = load_toolset(tools, fmt, on_duplicate)
        idx = ToolIndex.build(
            loaded,
            model=model,
            ann=AnnParams(ann=ann),
            bm25=Bm25Params(method=bm25_method),
            progress=not as_json and sys.stderr.isatty(),
            query_model=query_model,
        )
        path = idx.save(out)
    except EXPECTED_ERRORS as err:
        _fail(err)
    summary = {
        "index": str(path),
        "tools": len(idx),
        "seconds": round(time.perf_counter() - start, 2),
    }
    queries_by = idx.manifest["embedding"].get("query_model", {}).get("model")
    summary |= {"model": idx.manifest["embedding"]["model"], "query_model": queries_by}
    summary |= {"ann": ann.value}
    if as_json:
        _print_json(summary)
    else:
        console.print(
            f"Indexed [bold]{len(idx)}[/] tools into [bold]{path}[/] in {summary['seconds']} s "
            f"(model {summary['model']}, FAISS {ann.value}"
            + (f", queries by {queries_by}" if queries_by else "")
            + ")."
        )


@index_app.command("add")
def index_add(
    index: Annotated[Path, typer.Argument(help="Index folder to update.")],
    tools: Annotated[
        list[Path], typer.Argument(help="Toolset files with tools to add or replace.")
    ],
    fmt: FormatOpt = ToolFormat.AUTO,
    on_duplicate: DupOpt = DuplicatePolicy.ERROR,
    as_json: JsonOpt = False,
) -> None:
    """Add tools (a tool with an existing name replaces it); only new or changed tools are encoded."""
    from index.store import ToolIndex

    try:
        new = load_toolset(tools, fmt, on_duplicate)
        updated = ToolIndex.load(index).updated(add=new)
        updated.save(index)
    except EXPECTED_ERRORS as err:
        _fail(err)
    _report_update(updated, as_json)


@index_app.command("remove")
def index_remove(
    index: Annotated[Path, typer.Argument(help="Index folder to update.")],
    names: Annotated[list[str], typer.Argument(help="Names of the tools to remove.")],
    as_json: JsonOpt = False,
) -> None:
    """Remove tools by name; nothing is re-encoded."""
    from index.store import ToolIndex

    try:
        updated = ToolIndex.load(index).updated(remove=names)
        updated.save(index)
    except EXPECTED_ERRORS as err:
        _fail(err)
    _report_update(updated, as_json)


def _report_update(idx, as_json: bool) -> None:
    info = {"tools": len(idx)} | idx.manifest["last_build"]
    if as_json:
        _print_json(info)
    else:
        console.print(
            f"Index now holds [bold]{info['tools']}[/] tools "
            f"({info['encoded']} encoded, {info['reused']} embeddings reused)."
        )


@index_app.command("info")
def index_info(
    index: Annotated[Path, typer.Argument(help="Index folder.")], as_json: JsonOpt = False
) -> None:
    """Show an index's manifest."""
    from index.store import ToolIndex

    try:
        loaded = ToolIndex.load(index, verify=False)
    except EXPECTED_ERRORS as err:
        _fail(err)
    manifest = loaded.manifest
    normalised = {t.name: t.normalised for t in loaded.tools if t.normalised}
    if as_json:
        _print_json(manifest | {"normalised": normalised})
        return
    table = Table(show_header=False)
    for key in (
        "tool_count",
        "created",
        "text_template",
        "embedding",
        "faiss",
        "bm25",
        "libraries",
    ):
        table.add_row(key, json.dumps(manifest.get(key)))
    console.print(table)
    if normalised:
        console.print(f"{len(normalised)} tools had their schemas normalised on loading:")
        for name, notes in list(normalised.items())[:10]:
            console.print(f"  {name}: {'; '.join(notes)}")
        if len(normalised) > 10:
            console.print(f"  ... and {len(normalised) - 10} more (--json lists all)")


# -- retrieve ---------------------------------------------------------------------------------


@app.command("retrieve")
def retrieve(
    query: Annotated[str, typer.Argument(help="What the user asks for.")],
    index: IndexOpt,
    k: Annotated[int, typer.Option("-k", help="How many tools to return.")] = 5,
    mode: ModeOpt = Mode.HYBRID,
    decompose: DecomposeOpt = True,
    as_json: JsonOpt = False,
) -> None:
    """Rank the tools a query needs."""
    from index.store import ToolIndex

    try:
        retr = _retriever(ToolIndex.load(index, verify=False), mode, decompose)
        hits = retr.retrieve(query, k)
    except EXPECTED_ERRORS as err:
        _fail(err)
    if as_json:
        _print_json([h.to_json() for h in hits])
        return
    _hits_table(query, hits, mode.value + (" + decomposition" if decompose else ""))


def _retriever(idx, mode: Mode, decompose: bool):
    from retriever.base import make_retriever

    return make_retriever(idx, mode, decompose=decompose)


def _hits_table(query: str, hits, label: str) -> None:
    table = Table(title=f"{query}  [dim]({label})[/]", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("tool", style="bold cyan")
    table.add_column("score", justify="right")
    table.add_column("description")
    for h in hits:
        table.add_row(str(h.rank), h.tool.name, f"{h.score:.3f}", h.tool.description)
    console.print(table)


# -- eval -------------------------------------------------------------------------------------


@eval_app.command("retrieval")
def eval_retrieval(
    index: IndexOpt,
    instances: Annotated[Path, typer.Option("--instances", help="Seal-Tools instances (.jsonl).")],
    mode: Annotated[
        list[Mode], typer.Option("--mode", "-m", help="Mode(s) to evaluate; repeat for several.")
    ] = [Mode.HYBRID],  # noqa: B006
    out: Annotated[
        Path | None, typer.Option("--out", help="Write results JSON here (and .md beside it).")
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", help="N instances spread evenly over the file.")
    ] = None,
    decompose: DecomposeOpt = True,
    as_json: JsonOpt = False,
) -> None:
    """Recall, COMP, nDCG@K and MRR, overall and by single / multiple / nested instances."""
    from index.store import ToolIndex
    from retriever.evaluate import GROUP_ORDER, evaluate_retriever, markdown_table
    from toolrag.instances import read_instances, spread

    try:
        idx = ToolIndex.load(index, verify=False)
        data = spread(read_instances(instances), limit)
        results = {
            m.value + (" + decompose" if decompose else ""): evaluate_retriever(
                _retriever(idx, m, decompose), data
            )[0]
            for m in mode
        }
    except EXPECTED_ERRORS as err:
        _fail(err)
    cols = ["R@1", "R@5", "R@10", "COMP@5", "COMP@10", "nDCG@10", "MRR"]
    md = [f"# Retrieval on {instances.name} ({len(data)} instances, index {index})"]
    for group in GROUP_ORDER:
        md += ["", f"## {group}", "", markdown_table(results, cols, group)]
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(
            json.dumps(
                {"index": str(index), "instances": str(instances), "results": results}, indent=2
            )
            + "\n"
        )
        out.with_suffix(".md").write_text("\n".join(md) + "\n")
    if as_json:
        _print_json(results)
        return
    for group in GROUP_ORDER:
        table = Table(title=group, title_justify="left")
        for c in ["mode", "n", *cols]:
            table.add_column(c, justify="right")
        for m, scores in results.items():
            if group in scores:
                row = scores[group]
                table.add_row(m, str(row["n"]), *(f"{row[c]:.3f}" for c in cols))
        console.print(table)


# -- train ----------------------------------------------------------------------------------


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
    fresh: FreshOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Fine-tune the dense retriever with a multi-positive loss (resumes from OUT's checkpoints)."""
    from trainer.retriever import TRAINING_FILE, RetrieverTrainConfig, train_retriever

    try:
        cfg = RetrieverTrainConfig(
            train=train,
            tools=tools,
            out=out,
            base=base,
            loss=loss,
            epochs=epochs,
            batch_size=batch_size,
            learning_rate=learning_rate,
            hard_negatives=hard_negatives,
            pseudo=pseudo,
            held_out_fraction=held_out,
            extra_train=extra_train or [],
            seed=seed,
            max_steps=max_steps,
            limit_queries=limit,
            limit_tools=limit_tools,
            save_steps=save_steps,
            evaluate=not no_eval,
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
    as_json: JsonOpt = False,
) -> None:
    """Distil a shallower query encoder from a retriever: queries encode faster, tools keep the
    retriever's embeddings (resumes from OUT's checkpoints)."""
    from index.encoder import STUDENT_RECORD
    from trainer.distill import DistillConfig, distill_query_encoder

    try:
        cfg = DistillConfig(
            train=train,
            tools=tools,
            out=out,
            teacher=teacher,
            layers=layers,
            epochs=epochs,
            batch_size=batch_size,
            learning_rate=learning_rate,
            score_weight=score_weight,
            score_scale=score_scale,
            held_out_fraction=held_out,
            seed=seed,
            max_steps=max_steps,
            limit_queries=limit,
            limit_tools=limit_tools,
            extra_train=extra_train or [],
        )
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
    """Pack a trained retriever's or selector's weights to int8 (about a quarter of the size)."""
    from index.packed import PACKED_WEIGHTS, pack_model
    from retriever.selector import SELECTOR_RECORD, record_packed

    try:
        path = pack_model(model, out)
        if (path / SELECTOR_RECORD).is_file():
            record_packed(path)
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
    limit: LimitOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Train the tool selector (multi-label: P(needed) per candidate) and tune its threshold."""
    from retriever.selector import SELECTOR_RECORD
    from trainer.selector import SelectorTrainConfig, train_selector

    try:
        cfg = SelectorTrainConfig(
            train=train, tools=tools, out=out, model=model, depth=depth, c=c, seed=seed, limit=limit
        )
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
    fresh: FreshOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """LoRA SFT of the planner (TRL + peft), loss on the plan only; resumes from checkpoints."""
    from agent.adapter import PLANNER_RECORD
    from trainer.planner import PlannerTrainConfig, train_planner

    try:
        cfg = PlannerTrainConfig(
            train=train,
            tools=tools,
            out=out,
            base=base,
            epochs=epochs,
            learning_rate=learning_rate,
            lora_r=lora_r,
            drop_rate=drop_rate,
            seed=seed,
            max_steps=max_steps,
            limit=limit,
            extra_train=extra_train or [],
            parallel=parallel,
            init_adapter=init_adapter,
            export=None if export == "none" else export,
        )
        path = train_planner(cfg, resume=not fresh)
    except EXPECTED_ERRORS as err:
        _fail(err)
    record = json.loads((path / PLANNER_RECORD).read_text())
    if as_json:
        _print_json({"adapter": str(path)} | {k: record[k] for k in ("steps", "train_seconds")})
    else:
        console.print(
            f"Trained [bold]{path}[/] in {record['train_seconds']} s ({record['steps']} steps)."
        )


PlannerOpt = Annotated[
    str | None,
    typer.Option(
        "--planner",
        help="Adapter folder, model folder, hub id, packaged alias, or openai:MODEL "
        "(an OpenAI-compatible endpoint from $OPENAI_BASE_URL / $OPENAI_API_KEY). "
        "Default: the shipped fine-tuned adapter.",
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


@eval_app.command("planner")
def eval_planner(
    instances: Annotated[Path, typer.Option("--instances", help="Seal-Tools instances (.jsonl).")],
    tools: Annotated[
        list[Path] | None,
        typer.Option("--tools", help="Toolset for oracle candidates (default: the index's tools)."),
    ] = None,
    planner: PlannerOpt = None,
    candidates: Annotated[
        str, typer.Option("--candidates", help="oracle5 (gold + distractors) or retrieved:K.")
    ] = "oracle5",
    index: Annotated[
        Path | None, typer.Option("--index", "-i", help="Index for retrieved:K candidates.")
    ] = None,
    constrained: ConstrainedOpt = True,
    engine: EngineOpt = None,
    precision: PrecisionOpt = None,
    selector: SelectorOpt = "auto",
    threshold: ThresholdOpt = None,
    limit: Annotated[
        int | None, typer.Option("--limit", help="N instances spread evenly over the file.")
    ] = None,
    out: Annotated[
        Path, typer.Option("--out", help="Folder for predictions.jsonl (resumed) and scores.")
    ] = Path("planner-eval"),
    as_json: JsonOpt = False,
) -> None:
    """Seal-Tools metrics (Format ACC, Tool and Parameter P/R/F1) by single / multiple / nested."""
    from agent.agent import make_planner
    from agent.evaluate import (
        CandidateSpec,
        check_gold_tools,
        error_table,
        evaluate_planner,
        markdown_table,
        oracle_candidates,
        retrieved_candidates,
        spread,
    )
    from toolrag.instances import read_instances

    try:
        check_selector_spec(selector, threshold)  # bad options fail before any work
        idx = None
        spec = CandidateSpec.parse(candidates)
        data = spread(read_instances(instances), limit)
        if spec.kind == "retrieved":
            if index is None:
                raise ValueError("retrieved:K candidates need --index DIR")
            from index.store import ToolIndex
            from retriever.base import default_retriever

            idx = ToolIndex.load(index)
            check_gold_tools(data, {t.name for t in idx.tools}, f"the index {index}")
            cand_fn = retrieved_candidates(default_retriever(idx), spec.k)
        else:
            if not tools:
                raise ValueError("oracle candidates need --tools (the toolset of the instances)")
            toolset = load_toolset(tools)
            check_gold_tools(data, {t.name for t in toolset}, ", ".join(map(str, tools)))
            cand_fn = oracle_candidates(toolset, spec.k)
            if selector != "none":  # the selector reads an index of the toolset
                from index.store import ToolIndex

                idx = ToolIndex.load(index) if index else ToolIndex.build(toolset)
        sel = resolve_selector(selector, idx, threshold) if idx is not None else None
        model = make_planner(planner, constrained=constrained, engine=engine, precision=precision)
        result = evaluate_planner(
            model, data, cand_fn, out / "predictions.jsonl", selector=sel, progress=not as_json
        )
    except EXPECTED_ERRORS as err:
        _fail(err)
    setting = f"{getattr(model, 'name', planner)} {spec} {'constrained' if constrained else 'free'}"
    if sel is not None:
        setting += f" {sel.label} t={sel.threshold:.2f}"
    report = {"setting": setting, "instances": str(instances), "n": len(data)} | result
    tables = markdown_table({setting: result}) + "\n\n" + error_table({setting: result})
    (out / "scores.json").write_text(json.dumps(report, indent=2) + "\n")
    (out / "scores.md").write_text(tables + "\n")
    if as_json:
        _print_json(report)
        return
    console.print(tables)


@eval_app.command("e2e")
def eval_e2e(
    index: IndexOpt,
    instances: Annotated[Path, typer.Option("--instances", help="Seal-Tools instances (.jsonl).")],
    planner: PlannerOpt = None,
    engine: EngineOpt = None,
    precision: PrecisionOpt = None,
    selector: SelectorOpt = "auto",
    threshold: ThresholdOpt = None,
    k: Annotated[int, typer.Option("-k", "--k", help="Retrieved candidates per query.")] = 5,
    limit: Annotated[
        int | None, typer.Option("--limit", help="N instances spread evenly over the file.")
    ] = None,
    out: Annotated[
        Path, typer.Option("--out", help="Folder for predictions (resumed), report and plots.")
    ] = Path("e2e-eval"),
    as_json: JsonOpt = False,
) -> None:
    """Retrieval metrics + planner metrics with oracle-5 and with retrieved top-K, error breakdown."""
    from agent.agent import make_planner
    from agent.e2e import evaluate_e2e, markdown
    from agent.evaluate import spread
    from index.store import ToolIndex
    from toolrag.instances import read_instances

    try:
        check_selector_spec(selector, threshold)
        idx = ToolIndex.load(index)
        sel = resolve_selector(selector, idx, threshold)
        data = spread(read_instances(instances), limit)
        model = make_planner(planner, engine=engine, precision=precision)
        report = evaluate_e2e(idx, model, data, out, k=k, progress=not as_json, selector=sel)
    except EXPECTED_ERRORS as err:
        _fail(err)
    if as_json:
        _print_json({key: v for key, v in report.items() if key != "error_per_instance"})
        return
    console.print(markdown(report))
    plots = ", ".join(report["plots"]) or "no plots (pip install matplotlib for them)"
    console.print(f"\nwrote {out}/report.json, report.md; {plots}")


@app.command("plan")
def plan_cmd(
    query: Annotated[str, typer.Argument(help="What the user asks.")],
    index: IndexOpt,
    k: Annotated[int, typer.Option("-k", help="Candidate tools to retrieve.")] = 5,
    planner: PlannerOpt = None,
    constrained: ConstrainedOpt = True,
    engine: EngineOpt = None,
    precision: PrecisionOpt = None,
    selector: SelectorOpt = "auto",
    threshold: ThresholdOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Retrieve candidate tools for QUERY and plan the (nested) calls that answer it."""
    from agent.agent import Agent

    try:
        agent = Agent.load(
            index,
            planner=planner,
            constrained=constrained,
            engine=engine,
            precision=precision,
            selector=selector,
            threshold=threshold,
        )
        cands = [h.tool for h in agent.retriever.retrieve(query, k=k)]
        result, selection = agent.plan(query, cands)
    except EXPECTED_ERRORS as err:
        _fail(err)
    selected = [t.name for t in selection.tools] if selection else None
    if as_json:
        _print_json(
            {"candidates": [t.name for t in cands], "selected": selected} | result.to_json()
        )
        return
    console.print(f"candidates: {', '.join(t.name for t in cands)}")
    if selected is not None:
        console.print(f"selected: {', '.join(selected) or '(none)'}")
    if not result.format_ok:
        console.print(f"[red]format error:[/] {result.error}\n{result.text}")
        return
    for i, call in enumerate(result.calls):
        console.print(
            f"{i}. [bold]{call.api}[/]({json.dumps(call.parameters)}) -> {call.responses}"
        )
    console.print(f"({result.seconds:.2f} s, {result.new_tokens} tokens)")


@app.command("ask")
def ask(
    query: Annotated[str, typer.Argument(help="What the user asks.")],
    index: IndexOpt,
    k: Annotated[int, typer.Option("-k", help="Candidate tools to retrieve.")] = 5,
    planner: PlannerOpt = None,
    execute: Annotated[
        str, typer.Option("--execute", help="simulate (run / simulate the tools) or none.")
    ] = "simulate",
    constrained: ConstrainedOpt = True,
    engine: EngineOpt = None,
    precision: PrecisionOpt = None,
    selector: SelectorOpt = "auto",
    threshold: ThresholdOpt = None,
    openapi: Annotated[
        list[Path] | None,
        typer.Option(
            "--openapi",
            help="OpenAPI spec(s) whose operations run as real HTTP calls (others are simulated).",
        ),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option("--base-url", help="Server root for --openapi; default the spec's servers."),
    ] = None,
    simulator: Annotated[
        str | None,
        typer.Option(
            "--simulator",
            help="Simulate unimplemented tools with an LLM (local:NAME or openai:MODEL) playing "
            "the tool from its documentation; default: deterministic from the output schema.",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Retrieve tools, plan the (nested) calls, check the plan and execute it."""
    from agent.agent import Agent, ExecuteMode
    from agent.executor import ToolRegistry

    try:
        mode = ExecuteMode(execute)
    except ValueError:
        _fail(ValueError(f"--execute {execute!r}: choose one of {[m.value for m in ExecuteMode]}"))
    try:
        registry = ToolRegistry()
        if simulator:
            from trainer.datagen.simulate import LLMToolSimulator
            from trainer.llm import make_llm

            registry.simulator = LLMToolSimulator(make_llm(simulator))
        for spec in openapi or []:
            registry.add_openapi(spec, base_url=base_url)
        agent = Agent.load(
            index,
            planner=planner,
            constrained=constrained,
            engine=engine,
            precision=precision,
            k=k,
            registry=registry,
            selector=selector,
            threshold=threshold,
        )
        answer = agent.ask(query, execute_mode=mode)
    except EXPECTED_ERRORS as err:
        _fail(err)
    if as_json:
        _print_json(answer.to_json())
        return
    _show_answer(answer)


def _show_answer(answer) -> None:
    from rich.tree import Tree

    table = Table(title=f"Retrieved for: {answer.query}", title_justify="left")
    for c in ["#", "tool", "score", "description"]:
        table.add_column(c)
    if answer.selected is not None:
        table.add_column("P(needed)")
    for i, c in enumerate(answer.candidates, 1):
        row = [str(i), c["name"], f"{c['score']:.3f}", c["description"][:70]]
        if answer.selected is not None:
            mark = " *" if c["name"] in answer.selected else ""
            row.append(f"{c['probability']:.2f}{mark}")
        table.add_row(*row)
    console.print(table)
    plan = answer.plan
    if not plan.format_ok:
        console.print(f"[red]format error:[/] {plan.error}")
        return
    owner = {rid: i for i, call in enumerate(plan.calls) for rid in call.responses}
    tree = Tree(f"plan ({len(plan.calls)} calls, {plan.seconds:.2f} s)")
    nodes = []
    for i, call in enumerate(plan.calls):
        deps = sorted({owner[v.split()[0]] for v in call.references() if v.split()[0] in owner})
        parent = nodes[deps[-1]] if deps else tree
        label = f"[bold]{i}. {call.api}[/]({json.dumps(call.parameters, ensure_ascii=False)})"
        if deps:
            label += f"  [dim]uses output of call {', '.join(map(str, deps))}[/]"
        nodes.append(parent.add(label))
    if not plan.calls:
        tree.add("[dim]no tool fits: empty plan[/]")
    console.print(tree)
    for v in answer.violations:
        console.print(f"[yellow]check:[/] {v}")
    for obs in answer.trace:
        result = obs.error or json.dumps(obs.output, ensure_ascii=False)
        tag = " (simulated)" if obs.simulated else ""
        console.print(f"  -> {obs.call}. {obs.api}{tag}: {result}")


@app.command("serve")
def serve(
    index: IndexOpt,
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    planner: PlannerOpt = None,
    engine: EngineOpt = None,
    precision: PrecisionOpt = None,
    selector: SelectorOpt = "auto",
    threshold: ThresholdOpt = None,
    k: Annotated[int, typer.Option("-k", help="Default candidate tools per query.")] = 5,
    max_queue: Annotated[
        int,
        typer.Option(
            "--max-queue",
            help="Plan requests that may wait behind the running one; more get 503 + Retry-After.",
        ),
    ] = 4,
) -> None:
    """Serve /retrieve, /plan, /ask and /healthz over HTTP (FastAPI + uvicorn; docs at /docs)."""
    import uvicorn

    from agent.agent import Agent
    from agent.server import create_app

    try:
        agent = Agent.load(
            index,
            planner=planner,
            engine=engine,
            precision=precision,
            k=k,
            selector=selector,
            threshold=threshold,
        )
    except EXPECTED_ERRORS as err:
        _fail(err)
    uvicorn.run(create_app(agent, max_queue=max_queue), host=host, port=port, log_level="warning")


@app.command("mcp")
def mcp_cmd(
    index: IndexOpt,
    planner: PlannerOpt = None,
) -> None:
    """Serve search_tools and plan as an MCP server over stdio (for other agents)."""
    from agent.mcp_server import build_server

    try:
        server = build_server(index, planner)
    except EXPECTED_ERRORS as err:
        _fail(err)
    server.run("stdio")


# -- quickstart -------------------------------------------------------------------------------


@app.command("quickstart")
def quickstart(
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Where to write the sample index.")
    ] = Path("toolrag-quickstart-index"),
    k: Annotated[int, typer.Option("-k", help="Tools per query.")] = 5,
    no_plan: Annotated[
        bool, typer.Option("--no-plan", help="Only retrieve; skip loading the planner.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Index the bundled sample toolset (88 tools, 12 domains), retrieve tools for sample queries,
    and plan + execute the first one with the shipped planner."""
    from index.store import ToolIndex
    from retriever.base import default_retriever
    from toolrag.sample import sample_queries, sample_tools

    tools, queries = sample_tools(), sample_queries()
    start = time.perf_counter()
    idx = ToolIndex.build(tools)
    path = idx.save(out)
    built = time.perf_counter() - start
    retr = default_retriever(idx)
    answers = {q: retr.retrieve(q, k) for q in queries}
    answer = None
    if not no_plan:
        from agent.agent import Agent
        from agent.planner import Planner

        selector = resolve_selector("auto", idx)
        answer = Agent(idx, Planner.load(), retriever=retr, selector=selector, k=k).ask(queries[0])
    if as_json:
        _print_json(
            {
                "index": str(path),
                "tools": len(idx),
                "results": {q: [h.tool.name for h in hits] for q, hits in answers.items()},
                "ask": answer.to_json() if answer else None,
            }
        )
        return
    console.print(f"Indexed {len(idx)} sample tools into [bold]{path}[/] in {built:.1f} s.\n")
    for q, hits in answers.items():
        _hits_table(q, hits, "hybrid + decomposition")
    if answer is not None:
        console.print()
        _show_answer(answer)
    console.print(f'\nNext: toolrag ask "your question" --index {path}')


# -- datagen --------------------------------------------------------------------------------

LlmOpt = Annotated[
    str,
    typer.Option(
        "--llm",
        help="local:NAME_OR_DIR (packaged smollm2-135m, qwen2.5-coder-0.5b, a folder, a hub id) "
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
    from trainer.llm import CachedLLM, make_llm

    return CachedLLM(make_llm(spec), cache or out.with_name(out.name + ".cache"))


def _datagen_done(out: Path, rows: int, report, as_json: bool, llm, **extra) -> None:
    from trainer.datagen.selfinstruct import write_report

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


@datagen_app.command("tools")
def datagen_tools(
    fields: Annotated[
        Path, typer.Option("--fields", help="Fields: JSONL {'field': ...} or one per line.")
    ],
    per_field: Annotated[int, typer.Option("--per-field", help="Tools to generate per field.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output tools (Seal-Tools JSONL).")],
    existing: Annotated[
        list[Path] | None,
        typer.Option("--existing", help="Toolset(s) the new tools must not duplicate."),
    ] = None,
    llm: LlmOpt = "local:smollm2-135m",
    cache: CacheOpt = None,
    seed: SeedOpt = 0,
    max_tokens: MaxTokensOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Self-instruct tools per field, checked for schema, duplicates and near-duplicates."""
    from index.toolset import load_toolset
    from trainer.datagen.selfinstruct import generate_tools, read_fields, write_jsonl

    try:
        names = read_fields(fields)
        known = load_toolset(existing) if existing else []
        if per_field < 1:
            raise ValueError("--per-field must be at least 1")
        model = _datagen_llm(llm, out, cache)
        with _progress(len(names) * per_field, "tools", as_json) as tick:
            rows, report = generate_tools(
                model,
                names,
                per_field,
                existing=known,
                seed=seed,
                on_done=tick,
                **_cap(max_tokens),
            )
        write_jsonl(out, rows)
    except EXPECTED_ERRORS as err:
        _fail(err)
    _datagen_done(out, len(rows), report, as_json, model)


@datagen_app.command("instances")
def datagen_instances(
    tools: Annotated[list[Path], typer.Option("--tools", help="Toolset file(s).")],
    n: Annotated[int, typer.Option("--n", help="Instances to generate (before filtering).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output instances (Seal-Tools JSONL).")],
    kinds: Annotated[
        str, typer.Option("--kinds", help="Comma-separated: single,multiple,nested.")
    ] = "single,multiple,nested",
    examples: Annotated[
        Path | None,
        typer.Option(
            "--examples",
            help="Labelled instances (Seal-Tools .jsonl) over tools in --tools, shown as one "
            "worked example per request (few-shot); small local models need it.",
        ),
    ] = None,
    llm: LlmOpt = "local:smollm2-135m",
    cache: CacheOpt = None,
    seed: SeedOpt = 0,
    max_tokens: MaxTokensOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Queries with gold calls (nested ones use earlier outputs), checked for grounding,
    required parameters, real tools and valid nesting."""
    from index.toolset import load_toolset
    from toolrag.instances import read_instances
    from trainer.datagen.selfinstruct import demonstrations, generate_instances, write_jsonl

    try:
        toolset = load_toolset(tools)
        shots = None
        if examples is not None:
            shots = demonstrations(read_instances(examples), toolset)
            if not any(shots.values()):
                raise ValueError(
                    f"{examples} has no instance usable as an example: each needs at most 3 "
                    "calls, all to tools in --tools"
                )
        model = _datagen_llm(llm, out, cache)
        with _progress(n, "instances", as_json) as tick:
            rows, report = generate_instances(
                model,
                toolset,
                [k.strip() for k in kinds.split(",") if k.strip()],
                n,
                seed=seed,
                examples=shots,
                on_done=tick,
                **_cap(max_tokens),
            )
        write_jsonl(out, rows)
    except EXPECTED_ERRORS as err:
        _fail(err)
    _datagen_done(out, len(rows), report, as_json, model)


@datagen_app.command("simulate")
def datagen_simulate(
    tools: Annotated[list[Path], typer.Option("--tools", help="Toolset file(s).")],
    n: Annotated[int, typer.Option("--n", help="Episodes to simulate.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output trajectories (JSONL).")],
    instances_out: Annotated[
        Path | None,
        typer.Option(
            "--instances-out", help="Planner training data; default <out>.instances.jsonl."
        ),
    ] = None,
    max_steps: Annotated[int, typer.Option("--max-steps", help="Assistant steps per episode.")] = 4,
    llm: LlmOpt = "local:smollm2-135m",
    cache: CacheOpt = None,
    seed: SeedOpt = 0,
    max_tokens: MaxTokensOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """ToolAlpaca-style simulation: user, assistant and tool-executor agents; trajectories that
    end in a final answer are kept and converted to planner training data."""
    from index.toolset import load_toolset
    from trainer.datagen.selfinstruct import write_jsonl
    from trainer.datagen.simulate import simulate

    try:
        toolset = load_toolset(tools)
        model = _datagen_llm(llm, out, cache)
        with _progress(max_steps, "rounds", as_json) as tick:
            trajectories, instances, report = simulate(
                model,
                toolset,
                n,
                seed=seed,
                max_steps=max_steps,
                on_round=tick,
                **_cap(max_tokens),
            )
        target = instances_out or out.with_name(out.stem + ".instances.jsonl")
        write_jsonl(out, trajectories)
        write_jsonl(target, instances)
    except EXPECTED_ERRORS as err:
        _fail(err)
    _datagen_done(out, len(trajectories), report, as_json, model, instances=str(target))


if __name__ == "__main__":  # pragma: no cover
    app()
