"""The dev set the v5 planner run scores its checkpoints on (teacher-forced loss): the 61
hand-written dev calls (``benchmarks/dev_calls.py``) plus a mix drawn with another seed than the
training mix, minus every request the training mix has. Nothing here is held out.

    python experiments/2026-12-08-planner-v5/make_dev.py --train-mix .cache/mix-8000 \\
        --dev-mix .cache/mix-dev --out .cache/v5-dev
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import dev_calls  # noqa: E402


def dev_call_instances() -> tuple[list[dict], list[dict]]:
    """The dev calls as instances (the first accepted value of each argument; an optional
    argument whose first accepted value is "" is left out)."""
    functions, queries = dev_calls.load()
    rows = []
    for q in queries:
        calling = [
            {
                "api": call["name"],
                "parameters": {k: v[0] for k, v in call["arguments"].items() if v[0] != ""},
                "responses": [f"API_call_{i}"],
            }
            for i, call in enumerate(q["calls"] or [])
        ]
        rows.append(
            {
                "id": f"devcall-{q['id']}",
                "query": q["query"],
                "calling": calling,
                "offered": q["offered"],
                "kind": q["category"],
                "source": "dev_calls",
            }
        )
    return functions, rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train-mix", type=Path, required=True)
    ap.add_argument("--dev-mix", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--mix-n", type=int, default=300)
    args = ap.parse_args()
    seen = {json.loads(line)["query"] for line in (args.train_mix / "instances.jsonl").open()}
    mix = [json.loads(line) for line in (args.dev_mix / "instances.jsonl").open()]
    fresh = [r for r in mix if r["query"] not in seen][: args.mix_n]
    for r in fresh:
        r["id"] = "devmix-" + r["id"]
    functions, calls = dev_call_instances()
    args.out.mkdir(parents=True, exist_ok=True)
    with (args.out / "instances.jsonl").open("w") as f:
        for r in calls + fresh:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    (args.out / "dev_functions.json").write_text(json.dumps(functions, indent=1))
    known = {
        t["name"] for t in json.loads((args.train_mix / "functions.json").read_text())["tools"]
    }
    new = [
        t
        for t in json.loads((args.dev_mix / "functions.json").read_text())["tools"]
        if t["name"] not in known
    ]
    (args.out / "devmix_functions.json").write_text(json.dumps({"tools": new}, indent=1))
    print(
        f"{len(calls)} dev calls + {len(fresh)} of {len(mix)} dev-mix requests "
        f"(the rest are in the training mix) -> {args.out}"
    )


if __name__ == "__main__":
    main()
