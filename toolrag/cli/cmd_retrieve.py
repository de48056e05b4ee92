"""``toolrag retrieve`` and ``toolrag eval retrieval``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from toolrag.choices import Mode
from toolrag.cli.common import (
    EXPECTED_ERRORS,
    DecomposeOpt,
    IndexOpt,
    JsonOpt,
    ModeOpt,
    _fail,
    _print_json,
    app,
    console,
    eval_app,
)
from toolrag.cli.render import hits_table
from toolrag.text import check_text


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
    from toolrag.index.location import load_index

    try:
        check_text(query, "the query")
        retr = _retriever(load_index(index, verify=False), mode, decompose)
        hits = retr.retrieve(query, k)
    except EXPECTED_ERRORS as err:
        _fail(err)
    if as_json:
        _print_json([h.to_json() for h in hits])
        return
    hits_table(query, hits, mode.value + (" + decomposition" if decompose else ""))


def _retriever(idx, mode: Mode, decompose: bool):
    from toolrag.retriever.factory import make_retriever

    return make_retriever(idx, mode, decompose=decompose)


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
    from toolrag.evaluation.retrieval import GROUP_ORDER, evaluate_retriever, markdown_table
    from toolrag.index.location import load_index
    from toolrag.instances import read_instances, spread

    try:
        idx = load_index(index, verify=False)
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
