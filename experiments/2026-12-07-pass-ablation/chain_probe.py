"""The 14-chain probe (experiments/2026-12-04-unstated-references/chains.py) with the shipped
default planner, with every pass and without ``back_references``: which plans are right, and
which passes fired. Writes results/chain_probe.json.

    python experiments/2026-12-07-pass-ablation/chain_probe.py
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import toolrag
from toolrag.agent.adapter import stored_config
from toolrag.agent.models import resolve_planner

HERE = Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location(
    "chains", HERE.parent / "2026-12-04-unstated-references" / "chains.py"
)
chains = importlib.util.module_from_spec(spec)
spec.loader.exec_module(chains)


def main() -> None:
    shipped = stored_config(resolve_planner(None))
    out = {}
    for label, config in (
        ("all passes", shipped),
        ("without back_references", shipped.without("back_references")),
    ):
        rows = []
        for query, functions, want in chains.CHAINS:
            result = toolrag.plan(query, functions, config=config)
            rows.append(
                {
                    "query": query,
                    "right": chains.right(result.calls, functions, want),
                    "plan": result.text,
                    "fired": result.fired,
                }
            )
        out[label] = {"right": sum(r["right"] for r in rows), "rows": rows}
        print(label, out[label]["right"], "of", len(rows), flush=True)
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "chain_probe.json").write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
