"""One-at-a-time pass ablation on the non-Seal-Tools sets, re-planning only where a pass fired.

Decoding is greedy and a pass that does not fire on a request leaves its decoding untouched
(``PlanResult.fired``), so leaving a pass out can change a plan only where it fired: each pass
is re-run without it on exactly those requests of the full run. Grammar passes (they shape every
step) are re-run on every request. Reads the full runs' per-query results
(``results/full_runs/sp_new_{set}_{planner}.json``, written by ``benchmarks/function_calls.py
--name sp_new_{set}_{planner}`` and moved there; with ``fired``), writes
``results/ablation.{json,md}`` beside this file.

    python experiments/2026-12-07-pass-ablation/ablate.py [default] [fast] [--no-grammar]
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "benchmarks" / "results"
OUT = Path(__file__).resolve().parent / "results"
SETS = {
    "heldout": ["--set", "heldout"],
    "toolalpaca": ["--set", "toolalpaca", "--data", "benchmarks/data/toolalpaca_heldout"],
    "dev": ["--set", "dev"],
}
GRAMMAR = ("ground_values", "in_order")


def full_run(set_name: str, planner: str) -> dict:
    return json.loads((OUT / "full_runs" / f"sp_new_{set_name}_{planner}.json").read_text())


def main() -> None:
    OUT.mkdir(exist_ok=True)
    args = sys.argv[1:]
    skip_grammar = "--no-grammar" in args
    planners = [a for a in args if not a.startswith("--")] or ["default", "fast"]
    previous = OUT / "ablation.json"
    rows = [
        r
        for r in (json.loads(previous.read_text()) if previous.exists() else [])
        if r["planner"] not in planners
    ]
    for planner in planners:
        for set_name, set_args in SETS.items():
            full = full_run(set_name, planner)
            passes = full["passes"]
            exact = {q["id"]: q["exact"] for q in full["queries"]}
            for name in passes:
                if skip_grammar and name in GRAMMAR:
                    continue
                ids = (
                    list(exact)
                    if name in GRAMMAR
                    else [q["id"] for q in full["queries"] if q.get("fired", {}).get(name)]
                )
                row = {"planner": planner, "set": set_name, "pass": name, "fired": len(ids)}
                if name not in GRAMMAR and not ids:
                    rows.append(row | {"won": [], "lost": [], "changed": 0})
                    continue
                tag = f"ablate_{planner}_{set_name}_{name}"
                cmd = [sys.executable, "benchmarks/function_calls.py", *set_args]
                cmd += ["--name", tag, "--without", name, "--ids", ",".join(ids)]
                if planner == "fast":
                    cmd += ["--planner", "fast"]
                subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
                out = json.loads((RESULTS / f"{tag}.json").read_text())
                for f in (RESULTS / f"{tag}.json", RESULTS / f"{tag}.md"):
                    f.replace(OUT / f.name)
                before = {q["id"]: q for q in full["queries"]}
                changed = [
                    q["id"]
                    for q in out["queries"]
                    if q["predicted"] != before[q["id"]]["predicted"]
                ]
                won = [q["id"] for q in out["queries"] if q["exact"] and not exact[q["id"]]]
                lost = [q["id"] for q in out["queries"] if exact[q["id"]] and not q["exact"]]
                rows.append(row | {"won": won, "lost": lost, "changed": len(changed)})
                print(json.dumps(rows[-1]), flush=True)
                (OUT / "ablation.json").write_text(json.dumps(rows, indent=1))
    (OUT / "ablation.json").write_text(json.dumps(rows, indent=1))
    lines = [
        "# Each pass left out alone, on the non-Seal-Tools sets",
        "",
        "`fired`: requests of the full run where the pass changed something (every request for "
        "the grammar passes); only those are re-planned without it. `changed`: plans that differ "
        "without it; `won` / `lost`: exact plans gained / lost without it.",
        "",
        "| planner | set | pass | fired | changed | won without it | lost without it |",
        "| --- | --- | --- | ---: | ---: | --- | --- |",
    ]
    for r in rows:
        lines.append(
            f"| {r['planner']} | {r['set']} | `{r['pass']}` | {r['fired']} | {r['changed']} | "
            f"{len(r['won'])} {' '.join(r['won'])} | {len(r['lost'])} {' '.join(r['lost'])} |"
        )
    lines += ["", "    python experiments/2026-12-07-pass-ablation/ablate.py default fast"]
    (OUT / "ablation.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
