"""Experiment of 2026-11-22, run on commit 0ad3e53; result: benchmarks/results/datagen_planner_effect.md (and .json).

Re-running: from the repository root, `PYTHONPATH=benchmarks python experiments/2026-11-22-datagen-planner-effect.py`; it needs the two adapters trained into .cache/planners/ and their saved predictions: it cannot re-run from a clean checkout.

Generated instances in planner training: an adapter trained on dev.jsonl alone against one
trained on dev.jsonl + the instances ``datagen_effect.py`` generated, same schedule (1 epoch) and
seed; dev.jsonl's examples draw the same candidates in both (``--extra-train`` appends).

Two slices of test_in_domain, oracle-5 candidates, ungrounded calls dropped (toolrag's default):
- the 140 instances spread over the file that ``planner_quality.py`` ran: both settings' saved
  predictions, re-scored (dropping runs after decoding, so re-scoring is exact);
- every test instance that needs a tool the generated instances use -- the slice where they could
  matter most: both adapters plan them here (predictions saved and resumed).

    python benchmarks/planner_quality.py --limit 140 --setting dev+generated-1ep=.cache/planners/smollm2-lora-gen:constrained
    python benchmarks/datagen_planner_effect.py
"""

from __future__ import annotations

import argparse
import gc
from pathlib import Path

from common import ROOT, SEAL, drop_ungrounded_rows, write_results

from toolrag.agent.planner import Planner
from toolrag.evaluation.planner import (
    evaluate_planner,
    markdown_table,
    oracle_candidates,
    read_predictions,
    score_predictions,
    spread,
)
from toolrag.index.toolset import load_toolset
from toolrag.instances import read_instances


def saved(run: str, setting: str) -> dict[str, dict]:
    path = ROOT / ".cache" / "planner-eval" / run / f"{setting}.jsonl"
    return read_predictions(path)


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--generated", type=Path, default=ROOT / ".cache/datagen-effect/instances.jsonl"
    )
    ap.add_argument("--run", default="planner_quality", help="planner_quality.py --name")
    ap.add_argument(
        "--setting",
        action="append",
        default=None,
        help="NAME=ADAPTER: a planner_quality.py setting and its adapter (twice: dev, then dev+generated)",
    )
    ap.add_argument("--limit", type=int, default=140)
    ap.add_argument("--name", default="datagen_planner_effect")
    args = ap.parse_args()
    settings = dict(
        s.split("=", 1)
        for s in args.setting
        or [
            "finetuned-constrained=.cache/planners/smollm2-lora",
            "dev+generated-1ep=.cache/planners/smollm2-lora-gen",
        ]
    )
    tools = {t.name: t for t in load_toolset(SEAL / "tool.jsonl")}
    test = read_instances(SEAL / "test_in_domain.jsonl")
    generated = read_instances(args.generated)
    covered_tools = {n for i in generated for n in i.gold_tools}
    covered = [i for i in test if covered_tools.intersection(i.gold_tools)]
    spread_140 = spread(test, args.limit)
    cands = oracle_candidates(list(tools.values()), 5)

    results: dict[str, dict] = {}
    for name, adapter in settings.items():
        rows, _ = drop_ungrounded_rows(spread_140, saved(args.run, name), tools)
        results[f"{name} / {len(spread_140)} spread"] = score_predictions(spread_140, rows)
        planner = Planner.load(adapter, constrained=True, max_new_tokens=256)
        pred = ROOT / ".cache" / "planner-eval" / args.name / f"{name}.jsonl"
        evaluate_planner(planner, covered, cands, pred)
        rows, _ = drop_ungrounded_rows(covered, saved(args.name, name), tools)
        results[f"{name} / covered by generated"] = score_predictions(covered, rows)
        del planner
        gc.collect()

    md = [
        "# Generated instances in planner training: dev.jsonl vs dev.jsonl + generated",
        "",
        f"{len(generated)} generated instances (`{args.generated.name}`, from "
        "`benchmarks/datagen_effect.py`) over tools dev.jsonl never uses; 1 epoch each, seed 0. "
        f"Slices of test_in_domain: the {len(spread_140)} instances of planner_quality.py, and "
        f"the {len(covered)} that need one of the {len(covered_tools)} tools the generated "
        "instances use. Oracle-5 candidates, constrained decoding, ungrounded calls dropped. "
        "Metrics in %; one training run per setting. As in the paper's scorer, gold calls are "
        "not consumed: a prediction that repeats a gold call counts as correct each time, so "
        "recall can exceed 100 on a small slice (the dev-only adapter called `getVersion` three "
        "times for one gold call).",
        "",
        markdown_table(results),
    ]
    write_results(
        args.name,
        {
            "settings": settings,
            "generated": len(generated),
            "covered_tools": sorted(covered_tools),
            "covered_instances": [i.id for i in covered],
            "results": results,
        },
        "\n".join(md),
    )


if __name__ == "__main__":
    main()
