"""``toolrag eval planner`` and ``toolrag eval e2e``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from toolrag.cli.common import (
    EXPECTED_ERRORS,
    ConstrainedOpt,
    EngineOpt,
    IndexOpt,
    JsonOpt,
    PlannerOpt,
    PrecisionOpt,
    SelectorOpt,
    ThresholdOpt,
    _fail,
    _print_json,
    console,
    eval_app,
)
from toolrag.errors import ConfigError


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
    from toolrag.agent.agent import make_planner
    from toolrag.evaluation.planner import (
        CandidateSpec,
        check_gold_tools,
        error_table,
        evaluate_planner,
        markdown_table,
        oracle_candidates,
        retrieved_candidates,
        spread,
    )
    from toolrag.index.toolset import load_toolset
    from toolrag.instances import read_instances
    from toolrag.retriever.selector import check_selector_spec, resolve_selector

    try:
        check_selector_spec(selector, threshold)  # bad options fail before any work
        idx = None
        spec = CandidateSpec.parse(candidates)
        data = spread(read_instances(instances), limit)
        if spec.kind == "retrieved":
            if index is None:
                raise ConfigError("retrieved:K candidates need --index DIR")
            from toolrag.index.location import load_index
            from toolrag.index.store import ToolIndex
            from toolrag.retriever.factory import default_retriever

            idx = load_index(index)
            check_gold_tools(data, {t.name for t in idx.all_tools()}, f"the index {index}")
            cand_fn = retrieved_candidates(default_retriever(idx), spec.k)
        else:
            if not tools:
                raise ConfigError("oracle candidates need --tools (the toolset of the instances)")
            toolset = load_toolset(tools)
            check_gold_tools(data, {t.name for t in toolset}, ", ".join(map(str, tools)))
            cand_fn = oracle_candidates(toolset, spec.k)
            if selector != "none":  # the selector reads an index of the toolset
                from toolrag.index.location import load_index
                from toolrag.index.store import ToolIndex

                idx = load_index(index) if index else ToolIndex.build(toolset)
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
    from toolrag.agent.agent import make_planner
    from toolrag.evaluation.e2e import evaluate_e2e, markdown
    from toolrag.evaluation.planner import spread
    from toolrag.index.location import load_index
    from toolrag.instances import read_instances
    from toolrag.retriever.selector import check_selector_spec, resolve_selector

    try:
        check_selector_spec(selector, threshold)
        idx = load_index(index)
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
