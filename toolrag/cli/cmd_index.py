"""``toolrag index``: build, update and describe tool indexes."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from toolrag.choices import AnnType, Bm25Method, DuplicatePolicy, ToolFormat
from toolrag.cli.common import (
    EXPECTED_ERRORS,
    DupOpt,
    FormatOpt,
    JsonOpt,
    _fail,
    _print_json,
    console,
    index_app,
)

LockOpt = Annotated[
    float,
    typer.Option(
        "--lock-timeout",
        help="Seconds to wait while another process writes the same index, then give up.",
    ),
]


@index_app.command("build")
def index_build(
    tools: Annotated[
        list[Path],
        typer.Argument(help="Toolset files (Seal-Tools JSONL, OpenAI, MCP, OpenAPI, ToolAlpaca)."),
    ],
    out: Annotated[
        str,
        typer.Option(
            "--out",
            "-o",
            help="Index folder to write (replaced atomically), or milvus:URI#NAME to publish "
            "into Milvus (URI: a Milvus Lite file such as ./tools.db, or http://HOST:19530).",
        ),
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
        AnnType,
        typer.Option(
            "--ann",
            help="Dense index: flat (exact), hnsw or ivf; in FAISS, or in Milvus (FLAT, HNSW, "
            "IVF_FLAT).",
        ),
    ] = AnnType.FLAT,
    fmt: FormatOpt = ToolFormat.AUTO,
    on_duplicate: DupOpt = DuplicatePolicy.ERROR,
    bm25_method: Annotated[
        Bm25Method, typer.Option("--bm25-method", help="BM25 variant.")
    ] = Bm25Method.LUCENE,
    as_json: JsonOpt = False,
    lock_timeout: LockOpt = 30.0,
) -> None:
    """Index a toolset: BM25 + dense (FAISS) in one folder with a manifest."""
    from toolrag.index.bm25 import Bm25Params
    from toolrag.index.store import ToolIndex
    from toolrag.index.toolset import load_toolset
    from toolrag.index.vectors import AnnParams

    try:
        start = time.perf_counter()
        loaded = load_toolset(tools, fmt, on_duplicate)
        with _writing(out, lock_timeout):
            idx = ToolIndex.build(
                loaded,
                model=model,
                ann=AnnParams(ann=ann),
                bm25=Bm25Params(method=bm25_method),
                progress=not as_json and sys.stderr.isatty(),
                query_model=query_model,
            )
            path = _write(idx, out, MILVUS_ANN[ann], lock_timeout)
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
            f"(model {summary['model']}, "
            + ("Milvus" if str(out).startswith("milvus:") else f"FAISS {ann.value}")
            + (f", queries by {queries_by}" if queries_by else "")
            + ")."
        )


@index_app.command("add")
def index_add(
    index: Annotated[str, typer.Argument(help="Index folder, or milvus:URI#NAME, to update.")],
    tools: Annotated[
        list[Path], typer.Argument(help="Toolset files with tools to add or replace.")
    ],
    fmt: FormatOpt = ToolFormat.AUTO,
    on_duplicate: DupOpt = DuplicatePolicy.ERROR,
    as_json: JsonOpt = False,
    lock_timeout: LockOpt = 30.0,
) -> None:
    """Add tools (a tool with an existing name replaces it); only new or changed tools are encoded."""
    from toolrag.index.location import load_index
    from toolrag.index.toolset import load_toolset

    try:
        new = load_toolset(tools, fmt, on_duplicate)
        with _writing(index, lock_timeout):
            updated = _update(load_index(index), index, lock_timeout, add=new)
    except EXPECTED_ERRORS as err:
        _fail(err)
    _report_update(updated, as_json)


@index_app.command("remove")
def index_remove(
    index: Annotated[str, typer.Argument(help="Index folder, or milvus:URI#NAME, to update.")],
    names: Annotated[list[str], typer.Argument(help="Names of the tools to remove.")],
    as_json: JsonOpt = False,
    lock_timeout: LockOpt = 30.0,
) -> None:
    """Remove tools by name; nothing is re-encoded."""
    from toolrag.index.location import load_index

    try:
        with _writing(index, lock_timeout):
            updated = _update(load_index(index), index, lock_timeout, remove=names)
    except EXPECTED_ERRORS as err:
        _fail(err)
    _report_update(updated, as_json)


MILVUS_ANN = {AnnType.FLAT: "FLAT", AnnType.HNSW: "HNSW", AnnType.IVF: "IVF_FLAT"}


def _writing(spec: str, timeout: float):
    """The writer lock of the index at ``spec`` (a folder, or a Milvus Lite file); a Milvus
    server has no lock file: there, :func:`toolrag.index.milvus.publish` refuses to move an
    alias another writer moved first."""
    from contextlib import nullcontext

    from toolrag.index.location import is_milvus, lite_file, split_milvus
    from toolrag.index.lock import writer_lock

    if is_milvus(spec):
        local = lite_file(split_milvus(spec)[0])
        return writer_lock(local, timeout) if local is not None else nullcontext()
    return writer_lock(spec, timeout)


def _update(source, spec: str, lock_timeout: float, add=(), remove=()):
    """``source`` with tools added and removed: a Milvus index in place, a folder rewritten."""
    from toolrag.index.location import is_milvus

    if is_milvus(spec):
        return source.update(add=add, remove=remove)
    updated = source.updated(add=add, remove=remove)
    _write(updated, spec, lock_timeout=lock_timeout)
    return updated


def _write(idx, out: str, dense_index: str = "FLAT", lock_timeout: float = 30.0) -> str:
    """Save to a folder, or publish to Milvus (a new collection, then the alias moves) with
    ``dense_index`` as the dense vectors' index."""
    from toolrag.index.location import is_milvus, split_milvus, token_env

    if is_milvus(out):
        from toolrag.index.milvus import publish

        uri, name = split_milvus(out)
        publish(idx, uri, name, token_env=token_env(), dense_index=dense_index)
        return out
    return str(idx.save(out, lock_timeout=lock_timeout))


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
    from toolrag.index.store import ToolIndex

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
