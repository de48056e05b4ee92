"""Experiment of 2026-11-21, run on commit 6027d49; result: benchmarks/results/planner_prune.md (and .json).

Re-running: from the repository root, `PYTHONPATH=benchmarks python experiments/2026-11-21-planner-prune.py`; it re-scores the predictions a planner_quality.py run saved under .cache/planner-eval/: it cannot re-run from a clean checkout without that run first.

What dropping ungrounded calls does to the planner's scores, from saved predictions.

``toolrag.agent.plan.drop_ungrounded`` removes a call whose literal arguments the query says none of.
It runs after decoding and does not change what the (greedy, deterministic) decoder emits, so
re-scoring the predictions ``benchmarks/planner_quality.py`` saved is exact. The rule was fixed
before looking at test predictions, by how rarely it would drop a gold call of dev.jsonl.

    python benchmarks/planner_prune.py --run planner_quality --setting finetuned-2ep-constrained
"""

from __future__ import annotations

import argparse

from common import (
    SEAL,
    add_saved_run_args,
    drop_ungrounded_rows,
    saved_predictions,
    write_results,
)

from toolrag.agent.plan import drop_ungrounded, to_internal
from toolrag.evaluation.planner import markdown_table, score_predictions
from toolrag.index.toolset import load_toolset
from toolrag.instances import read_instances


def gold_drop_rate(instances, tools) -> tuple[int, int]:
    """Gold calls the rule would drop, and all gold calls."""
    dropped = total = 0
    for inst in instances:
        plan = to_internal(inst.calls, tools)
        total += len(plan)
        dropped += len(plan) - len(drop_ungrounded(plan, inst.query))
    return dropped, total


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_saved_run_args(ap, "a setting of that run (saved without it)")
    ap.add_argument("--name", default="planner_prune")
    args = ap.parse_args()
    tools = {t.name: t for t in load_toolset(SEAL / "tool.jsonl")}
    data, rows = saved_predictions(args)
    dev_dropped, dev_total = gold_drop_rate(read_instances(SEAL / "dev.jsonl"), tools)
    pruned, removed = drop_ungrounded_rows(data, rows, tools)
    results = {
        f"{args.setting} (as run)": score_predictions(data, rows),
        f"{args.setting} + drop ungrounded calls": score_predictions(data, pruned),
    }
    md = [
        f"# Dropping ungrounded calls: {len(data)} instances of {args.instances.name}, "
        f"re-scored from `{args.run}/{args.setting}` predictions",
        "",
        f"{removed} predicted calls removed. On dev.jsonl the rule would drop {dev_dropped} of "
        f"{dev_total} gold calls ({100 * dev_dropped / dev_total:.1f}%). p50 s is the original "
        "run's latency for both rows.",
        "",
        markdown_table(results),
    ]
    write_results(
        args.name,
        {
            "run": args.run,
            "setting": args.setting,
            "calls_removed": removed,
            "dev_gold_calls_dropped": dev_dropped,
            "dev_gold_calls": dev_total,
            "results": results,
        },
        "\n".join(md),
    )


if __name__ == "__main__":
    main()
