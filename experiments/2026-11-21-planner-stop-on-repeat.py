"""Experiment of 2026-11-21, run on commit 10f12bf; result: benchmarks/results/planner_stop_on_repeat.md (and .json).

Re-running: from the repository root, `PYTHONPATH=benchmarks python experiments/2026-11-21-planner-stop-on-repeat.py`; it re-scores the predictions a planner_quality.py run saved under .cache/planner-eval/ (a setting run before stop_on_repeat existed): it cannot re-run from a clean checkout.

What stopping at a repeated call does to the planner's scores, from saved predictions.

The constrained decoder is greedy and deterministic, so a run with ``stop_on_repeat`` produces
exactly the calls of a run without it, cut before the first call that repeats an earlier one
(same API, same parameters): the prefix up to that point is the same text. This script re-scores
the predictions that ``benchmarks/planner_quality.py`` saved for a setting run without the rule
(before it existed), cut that way. Latency is not re-measured here (a cut plan only ends sooner).

    python benchmarks/planner_stop_on_repeat.py --run planner_quality \
        --setting finetuned-2ep-constrained --limit 140
"""

from __future__ import annotations

import argparse

from common import add_saved_run_args, saved_predictions, write_results

from toolrag.agent.plan import call_key, first_repeat
from toolrag.evaluation.planner import markdown_table, score_predictions


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_saved_run_args(ap, "a setting of that run (no stop rule)")
    args = ap.parse_args()
    data, rows = saved_predictions(args)
    cut_rows, cut_calls = {}, 0
    for inst in data:
        row = dict(rows[inst.id])
        repeat = first_repeat(row["calls"]) if row["format_ok"] else None
        if repeat is not None:
            cut_calls += len(row["calls"]) - repeat
            row["calls"] = row["calls"][:repeat]
        cut_rows[inst.id] = row
    # for comparison: drop only the repeated calls and keep what follows (not what the decoder
    # would emit after a repeat, which it never saw; an upper bound for a dedupe rule)
    deduped = {}
    for inst in data:
        row = dict(rows[inst.id])
        kept, seen = [], set()
        for call in row["calls"]:
            key = call_key(call)
            if key not in seen:
                seen.add(key)
                kept.append(call)
        row["calls"] = kept
        deduped[inst.id] = row
    results = {
        f"{args.setting} (as run)": score_predictions(data, rows),
        f"{args.setting} + stop on repeat": score_predictions(data, cut_rows),
        f"{args.setting} + drop repeats only": score_predictions(data, deduped),
    }
    md = [
        f"# Stop on a repeated call: {len(data)} instances of {args.instances.name}, "
        f"re-scored from `{args.run}/{args.setting}` predictions",
        "",
        f"{cut_calls} predicted calls removed. p50 s is the original run's latency for both rows.",
        "",
        markdown_table(results),
    ]
    write_results(
        "planner_stop_on_repeat",
        {"run": args.run, "setting": args.setting, "calls_removed": cut_calls, "results": results},
        "\n".join(md),
    )


if __name__ == "__main__":
    main()
