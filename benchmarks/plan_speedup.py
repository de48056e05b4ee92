"""Plan latency now against an earlier commit, same planner weights, same queries, one run.

Each side plans the same N Seal-Tools test queries (spread over the file, oracle-5 candidates,
the shipped selector choosing among them) in a warm process: the earlier commit from a git
worktree under .cache/ (its own code, its default planner), this tree with ``--planner``
(``fast``: the same SmolLM2-135M adapter that was the default then). The sides alternate
``--rounds`` times; a query's time on a side is its fastest round, which takes out most of
this shared machine's drift. Plans are compared call by call: a speed-up counts only with the
same plans.

    python benchmarks/plan_speedup.py --baseline 060192d --n 40
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from cold_start import baseline_env, baseline_tree
from common import ROOT, SEAL, seal_index, write_results

WORKER = r"""
import json, sys, time
from toolrag.instances import read_instances
try:
    from toolrag.agent.planner import Planner
    from toolrag.evaluation.planner import oracle_candidates, spread
    from toolrag.index.store import ToolIndex
    from toolrag.index.toolset import load_toolset
    from toolrag.retriever.selector import ToolSelector
except ImportError:  # a commit from before the toolrag namespace
    from agent.planner import Planner
    from evaluation.planner import oracle_candidates, spread
    from index.store import ToolIndex
    from index.toolset import load_toolset
    from retriever.selector import ToolSelector

seal, index_dir, spec, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
data = spread(read_instances(f"{seal}/test_in_domain.jsonl"), n)
cands = oracle_candidates(load_toolset(f"{seal}/tool.jsonl"))
lists = [cands(i) for i in data]
selector = ToolSelector.load("default", index=ToolIndex.load(index_dir))
sels = [selector.select(i.query, t) for i, t in zip(data, lists)]
planner = Planner.load(None if spec == "default" else spec, engine="onnx", precision="int8")
def run(inst, tools, sel):
    return planner.plan(inst.query, tools, selected=[t.name for t in sel.tools],
        required=None if sel.required is None else [t.name for t in sel.required],
        positions=sel.positions)
run(data[0], lists[0], sels[0])  # warm-up
for inst, tools, sel in zip(data, lists, sels):
    r = run(inst, tools, sel)
    calls = [[c.api, c.parameters] for c in r.calls]
    print(json.dumps({"id": inst.id, "seconds": r.seconds, "calls": calls}), flush=True)
"""


def side(tree: Path, spec: str, n: int, index_dir: Path, env: dict | None = None) -> list[dict]:
    """One warm pass in ``tree`` (this tree: the installed package; another: its own code
    first on the path, in ``env``)."""
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(WORKER)
    argv = [sys.executable, f.name, str(SEAL), str(index_dir), spec, str(n)]
    env = (env or os.environ) | ({} if tree == ROOT else {"PYTHONPATH": str(tree)})
    out = subprocess.run(argv, cwd=tree, capture_output=True, text=True, env=env)
    Path(f.name).unlink()
    if out.returncode:
        raise SystemExit(f"{tree}: the worker failed:\n{out.stderr[-2000:]}")
    return [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", required=True, help="the earlier commit")
    ap.add_argument("--planner", default="fast", help="this tree's planner (the same weights)")
    ap.add_argument("--n", type=int, default=40)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--name", default="plan_speedup")
    args = ap.parse_args()

    seal_index()  # built once, read by both sides
    index_dir = ROOT / ".cache" / "seal-index-default"
    old_tree, old_env = baseline_tree(args.baseline), baseline_env(args.baseline)
    runs: dict[str, list[list[dict]]] = {"baseline": [], "now": []}
    for _ in range(args.rounds):
        runs["baseline"].append(side(old_tree, "default", args.n, index_dir, old_env))
        runs["now"].append(side(ROOT, args.planner, args.n, index_dir))
    best = {
        k: [min(r[i]["seconds"] for r in rounds) for i in range(len(rounds[0]))]
        for k, rounds in runs.items()
    }
    first = {k: rounds[0] for k, rounds in runs.items()}
    same = sum(
        a["calls"] == b["calls"] for a, b in zip(first["baseline"], first["now"], strict=True)
    )
    p50 = {k: statistics.median(v) for k, v in best.items()}
    mean = {k: statistics.mean(v) for k, v in best.items()}
    ratio = p50["baseline"] / p50["now"]
    differ = [
        a["id"]
        for a, b in zip(first["baseline"], first["now"], strict=True)
        if a["calls"] != b["calls"]
    ]
    lines = [
        f"# Plan latency: {args.baseline} against now ({args.n} Seal-Tools test queries, "
        "oracle-5, shipped selector, warm process, one run)",
        "",
        "| side | planner | p50 s | mean s | plans identical to the baseline's |",
        "| --- | --- | ---: | ---: | ---: |",
        f"| {args.baseline} | its default (SmolLM2-135M + LoRA) | {p50['baseline']:.3f} | "
        f"{mean['baseline']:.3f} | — |",
        f"| now | `{args.planner}` | {p50['now']:.3f} | {mean['now']:.3f} | {same} of {args.n} |",
        "",
        f"Speed-up at p50: **{ratio:.2f}x**. A query's time is its fastest of {args.rounds} "
        "rounds; the sides alternate within the run.",
    ]
    if differ:
        lines.append(f"Plans that differ: {', '.join(differ)}.")
    write_results(
        args.name,
        {
            "baseline": args.baseline,
            "planner": args.planner,
            "n": args.n,
            "rounds": args.rounds,
            "p50_s": p50,
            "mean_s": mean,
            "speedup_p50": ratio,
            "identical_plans": same,
            "differ": differ,
            "runs": runs,
        },
        "\n".join(lines),
    )


if __name__ == "__main__":
    main()
