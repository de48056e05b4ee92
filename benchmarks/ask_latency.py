"""`toolrag ask` end to end on the quickstart index: retrieve + select + plan + check + execute
(simulated tools), per stage, for each planner engine, in one run over the bundled sample queries.

    python benchmarks/ask_latency.py --rounds 3
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from common import ROOT, write_results

from toolrag.agent.agent import Agent
from toolrag.evaluation.planner import percentile
from toolrag.index.store import ToolIndex
from toolrag.sample import sample_queries, sample_tools

ENGINES = {"torch fp32": ("torch", "fp32"), "onnx int8": ("onnx", "int8")}


def quickstart_index() -> Path:
    """The folder of the index `toolrag quickstart` builds, made once under .cache/qs-index."""
    path = ROOT / ".cache" / "qs-index"
    if not (path / "manifest.json").exists():
        ToolIndex.build(sample_tools()).save(path)
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rounds", type=int, default=3, help="passes over the sample queries")
    ap.add_argument("--engines", nargs="+", default=list(ENGINES), choices=list(ENGINES))
    ap.add_argument("--name", default="ask_latency")
    args = ap.parse_args()
    queries = sample_queries()
    index = quickstart_index()
    rows, n_tools = {}, 0
    for name in args.engines:
        engine, precision = ENGINES[name]
        start = time.perf_counter()
        agent = Agent.load(index, engine=engine, precision=precision)
        load_s = time.perf_counter() - start
        n_tools = len(agent.index)
        agent.ask(queries[0])  # warm-up
        totals, stages = [], {}
        for _ in range(args.rounds):
            for q in queries:
                t = time.perf_counter()
                answer = agent.ask(q)
                totals.append(time.perf_counter() - t)
                for stage, secs in answer.seconds.items():
                    stages.setdefault(stage, []).append(secs)
        rows[name] = {
            "load_s": load_s,
            "n": len(totals),
            "p50_s": percentile(totals, 0.5),
            "p95_s": percentile(totals, 0.95),
            "mean_s": statistics.mean(totals),
            "stage_p50_s": {k: percentile(v, 0.5) for k, v in stages.items()},
        }
        del agent
    stage_names = sorted({s for r in rows.values() for s in r["stage_p50_s"]})
    base = rows[next(iter(rows))]["p50_s"]
    lines = [
        f"# `ask` end to end on the quickstart index ({n_tools} tools), "
        f"{len(queries)} sample queries x {args.rounds}, one run",
        "",
        "| engine | p50 s | p95 s | x first row | "
        + " | ".join(f"{s} p50 s" for s in stage_names)
        + " |",
        "|---|---|---|---|" + "---|" * len(stage_names),
    ]
    for name, r in rows.items():
        cells = " | ".join(f"{r['stage_p50_s'].get(s, 0):.3f}" for s in stage_names)
        lines.append(
            f"| {name} | {r['p50_s']:.2f} | {r['p95_s']:.2f} | {base / r['p50_s']:.2f} | {cells} |"
        )
    lines += [
        "",
        "Wall time of `Agent.ask` per query after load and one warm-up: retrieval, the "
        "selector, planning, the schema check and simulated execution.",
    ]
    write_results(args.name, {"rounds": args.rounds, "rows": rows}, "\n".join(lines))


if __name__ == "__main__":
    main()
