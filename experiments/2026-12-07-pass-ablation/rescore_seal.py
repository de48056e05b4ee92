"""Seal-Tools oracle-5 plans of a full run, re-read with today's plan passes: the plan passes
act on the decoded text alone, so a deleted plan pass is measured exactly without decoding again.
Usage: rescore_seal.py PREDICTIONS.jsonl SETTING_NAME (the planner's shipped config is used).
Also counts, per pass, the instances where it fired in the run.

    python experiments/2026-12-07-pass-ablation/rescore_seal.py .cache/planner-eval/sp_new_seal/default.jsonl default
"""

from __future__ import annotations

import collections
import json
import sys
from pathlib import Path

from toolrag.agent.adapter import stored_config
from toolrag.agent.models import resolve_planner
from toolrag.agent.planner import PlanResult, read_plan
from toolrag.evaluation.planner import score_predictions, spread
from toolrag.index.toolset import load_toolset
from toolrag.instances import read_instances

SEAL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "seal-tools"


def main() -> None:
    path, name = Path(sys.argv[1]), sys.argv[2]
    config = stored_config(resolve_planner(None if name == "default" else name))
    tools = {t.name: t for t in load_toolset(SEAL / "tool.jsonl")}
    instances = spread(read_instances(SEAL / "test_in_domain.jsonl"), 140)
    rows = {r["id"]: r for r in map(json.loads, path.read_text().splitlines())}
    fired: collections.Counter = collections.Counter()
    changed = 0
    new_rows = {}
    for inst in instances:
        row = rows[inst.id]
        fired.update(row.get("fired", {}).keys())
        query = inst.query
        result = PlanResult(calls=[], text=row["text"], format_ok=False)
        read_plan(result, query, [tools[n] for n in row["candidates"]], config)
        calls = [c.model_dump() for c in result.calls]
        changed += calls != row["calls"]
        new_rows[inst.id] = row | {"calls": calls, "format_ok": result.format_ok}
    before = score_predictions(instances, rows)["scores"]
    after = score_predictions(instances, new_rows)["scores"]
    print(
        json.dumps(
            {
                "setting": name,
                "changed": changed,
                "fired": dict(fired),
                "before": before,
                "after": after,
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
