"""Planner quality and latency on test_in_domain, Seal-Tools metrics, several settings in one run.

Each setting is `NAME=MODEL:DECODING` (DECODING is `constrained` or `free`, optionally with
an engine, `+onnx` or `+torch` (default: the library's), a precision, `+fp32`, `+int8` or `+int4`
(default: the engine's), `+select` for the tool selector of `--selector`, `+all` to list every
candidate in the prompt, not only the selected ones, `+words` / `+optwords` / `+freestrings` /
`+spans` for `PlannerConfig.ground_strings` (all / optional / free / spans), `+planwide` for
`PlannerConfig(distinct_scope="plan")`, `+hard` / `+free` / `+soft` for one of
`PlannerConfig.with_grounding`'s modes, `+nopointed` to ignore where the query says a value comes
from an earlier call's output (`ToolSelector(pointed=False)`), and `-PASS` to leave out a plan
pass (`PlannerConfig.without(PASS)`, `toolrag.agent.passes.REGISTRY`; applied last), e.g.
`v4=models/planner-v4:constrained+select+free-back_references`; MODEL an adapter folder, model
folder or packaged alias; an empty MODEL is the shipped planner). Predictions go to .cache/planner-eval/<run>/<NAME>.jsonl
and are resumed, so an interrupted benchmark picks up where it stopped; the tables are rewritten
after every setting. Latency is per query after load, prompt included, on this CPU.

    python benchmarks/planner_quality.py --limit 140 \
        --setting finetuned-constrained=agent/planner_adapter:constrained \
        --setting finetuned-free=agent/planner_adapter:free
"""

from __future__ import annotations

import argparse
import gc
import json
import re
import time
from datetime import UTC, datetime
from pathlib import Path

from common import RESULTS, ROOT, SEAL, command_line, seal_index, write_results

from toolrag.agent.engine import DEFAULT_ENGINE, ENGINES
from toolrag.agent.models import DEFAULT_PRECISION
from toolrag.agent.planner import Planner
from toolrag.evaluation.planner import (
    error_table,
    evaluate_planner,
    markdown_table,
    oracle_candidates,
    retrieved_candidates,
    spread,
)
from toolrag.index.toolset import load_toolset
from toolrag.instances import read_instances
from toolrag.retriever.factory import default_retriever
from toolrag.retriever.selector import ORDERS, ToolSelector
from toolrag.trainer.augment import coordinated_instances, parallel_instances

STRING_FLAGS = {"words": "all", "optwords": "optional", "freestrings": "free", "spans": "spans"}
"""Setting flags -> ``Planner(ground_strings=...)``."""


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--setting", action="append", required=True, help="NAME=MODEL:DECODING")
    ap.add_argument("--instances", type=Path, default=SEAL / "test_in_domain.jsonl")
    ap.add_argument("--limit", type=int, default=None, help="N instances spread over the file")
    ap.add_argument(
        "--parallel-slice",
        action="store_true",
        help="score the parallel-call instances built from --instances (trainer.augment) instead",
    )
    ap.add_argument("--candidates", type=int, default=5, help="candidates per query")
    ap.add_argument(
        "--retrieved",
        action="store_true",
        help="candidates are the shipped retriever's top K (end to end) instead of oracle-K",
    )
    ap.add_argument("--max-new-tokens", type=int, default=256)
    ap.add_argument("--name", default="planner_quality")
    ap.add_argument("--selector", default="default", help="selector folder for +select settings")
    ap.add_argument("--threshold", type=float, default=None, help="override the tuned threshold")
    ap.add_argument(
        "--must-threshold",
        type=float,
        default=None,
        help="selected tools below it may be left out of the plan (default: the selector's, "
        "retriever.selector.DEFAULT_MUST_THRESHOLD; 0: all must be called)",
    )
    ap.add_argument(
        "--selector-order",
        choices=ORDERS,
        default="query",
        help="the order the prompt lists the selected tools in (ToolSelector(order=...))",
    )
    args = ap.parse_args()

    data = spread(read_instances(args.instances), args.limit)
    if args.parallel_slice:
        source = read_instances(args.instances)
        joined = parallel_instances(source, n=len(data), seed=0)
        data = joined + coordinated_instances(source, n=len(joined), seed=0)
    if args.retrieved:
        cands = retrieved_candidates(default_retriever(seal_index()), args.candidates)
        kind = f"retrieved top-{args.candidates} candidates (the shipped retriever, hybrid + decomposition)"
    else:
        cands = oracle_candidates(load_toolset(SEAL / "tool.jsonl"), args.candidates)
        kind = f"oracle-{args.candidates} candidates (gold + BM25 distractors)"
    pred_dir = ROOT / ".cache" / "planner-eval" / args.name
    previous = RESULTS / f"{args.name}.json"
    results: dict[str, dict] = {}
    if previous.exists():
        results = json.loads(previous.read_text()).get("results", {})
    for spec in args.setting:
        name, _, rest = spec.partition("=")
        model, _, decoding = rest.rpartition(":")
        decoding, *tokens = re.split(r"(?=[+-])", decoding)
        flags = [t[1:] for t in tokens if t.startswith("+")]
        without = [t[1:] for t in tokens if t.startswith("-")]
        engines, precisions = set(flags) & set(ENGINES), set(flags) & {"fp32", "int8", "int4"}
        known = {*ENGINES, *precisions, "select", "all", "planwide", "nopointed", *STRING_FLAGS}
        if (
            decoding not in ("constrained", "free")
            or not set(flags) <= known | {"hard", "free", "soft"}
            or len(engines) > 1
            or len(precisions) > 1
        ):
            raise SystemExit(
                f"{spec}: decoding must be constrained or free, optionally with one engine "
                "(+onnx, +torch), one precision (+fp32, +int8, +int4), +select, +all, +planwide, "
                "+nopointed, +words, +optwords, +freestrings, +spans, one of +hard/+free/+soft, "
                "and -PASS for each plan pass to leave out"
            )
        engine = next(iter(engines), DEFAULT_ENGINE)
        precision = next(iter(precisions), DEFAULT_PRECISION[engine])
        start = time.time()
        chosen = [STRING_FLAGS[f] for f in flags if f in STRING_FLAGS]
        planner = Planner.load(
            model or None,
            **({"ground_strings": chosen[0]} if chosen else {}),
            engine=engine,
            precision=precision,
            constrained=decoding == "constrained",
            max_new_tokens=args.max_new_tokens,
            show_selected_only="all" not in flags,
            distinct_scope="plan" if "planwide" in flags else "call",
        )
        grounding = [f for f in flags if f in ("hard", "free", "soft")]
        if grounding:  # one of PlannerConfig's grounding modes, on top of the flags above
            planner.config = planner.config.with_grounding(grounding[0])
        planner.config = planner.config.without(*without)
        selector = None
        if "select" in flags:
            selector = ToolSelector.load(
                args.selector,
                index=seal_index(),
                threshold=args.threshold,
                must_threshold=args.must_threshold,
                order=args.selector_order,
                pointed="nopointed" not in flags,
            )
        load_s = time.time() - start
        res = evaluate_planner(planner, data, cands, pred_dir / f"{name}.jsonl", selector=selector)
        res |= {"model": model, "decoding": decoding, "engine": engine, "precision": precision}
        res["prompt_tools"] = (
            "selected" if selector and planner.config.show_selected_only else "all"
        )
        if selector is not None:
            res |= {"selector": args.selector, "threshold": selector.threshold}
            res["must_threshold"] = selector.must_threshold
            res["selector_order"] = selector.order
        res["load_s"] = round(load_s, 1)
        res["command"] = command_line()
        res["date"] = datetime.now(UTC).isoformat(timespec="seconds")
        results[name] = res
        del planner
        gc.collect()
        md = [
            f"# Planner on {args.instances.name}: {len(data)} "
            + (
                "parallel-call instances built from it (trainer.augment: joined requests, "
                "then coordinated values)"
                if args.parallel_slice
                else "instances spread over the file"
            )
            + f", {kind}",
            "",
            "Seal-Tools metrics in %. `nested refs`: share of gold references whose prediction "
            "points to the same output of the same earlier call (stricter than the paper's "
            "string match). `p50 s`: planner latency per query on this CPU.",
            "",
            markdown_table(results),
            "",
            "## Where the score is lost (strict one-to-one matching)",
            "",
            error_table(results),
            "",
            "Each setting's run (settings kept from earlier runs of this file say theirs):",
            "",
            *(
                f"- `{n}`: `{r.get('command', 'not recorded')}`"
                + (f" ({r['date']})" if "date" in r else "")
                for n, r in results.items()
            ),
        ]
        write_results(
            args.name,
            {"instances": str(args.instances), "n": len(data), "results": results},
            "\n".join(md),
        )


if __name__ == "__main__":
    main()
