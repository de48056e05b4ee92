"""``toolrag quickstart``: the bundled sample end to end."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from toolrag.cli.common import (
    JsonOpt,
    _print_json,
    app,
    console,
)
from toolrag.cli.render import hits_table, show_answer


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
    from toolrag.index.store import ToolIndex
    from toolrag.retriever.factory import default_retriever
    from toolrag.retriever.selector import resolve_selector
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
        from toolrag.agent.agent import Agent
        from toolrag.agent.planner import Planner

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
        hits_table(q, hits, "hybrid + decomposition")
    if answer is not None:
        console.print()
        show_answer(answer)
    console.print(f'\nNext: toolrag ask "your question" --index {path}')
