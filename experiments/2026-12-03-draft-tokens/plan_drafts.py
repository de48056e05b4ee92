"""Plan latency with prompt-lookup drafts (``draft_tokens``) against one token a forward pass.

The same planner, in one warm process, plans the same N Seal-Tools test queries (spread over
the file, oracle-5 candidates, the shipped selector choosing among them) once with each draft
size; the sizes alternate query by query, ``--rounds`` times, and a query's time on a side is
its fastest round. Before each timed plan the engine's cache is moved onto another prompt, as
after a plan for another query: only the prompt head all queries share stays cached (else the
second size of a query would find the whole prompt cached by the first). Plans are compared text by text: with int8 weights a batched pass rounds a
little differently from one token at a time, so a near-tie can fall the other way.

    python benchmarks/plan_drafts.py --planners default fast --n 40
"""

from __future__ import annotations

import argparse
import statistics
import time

from common import SEAL, seal_index, write_results

from toolrag.agent.planner import Planner
from toolrag.evaluation.planner import oracle_candidates, spread
from toolrag.index.toolset import load_toolset
from toolrag.instances import read_instances
from toolrag.retriever.selector import ToolSelector


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--planners", nargs="+", default=["default", "fast"])
    ap.add_argument("--sizes", type=int, nargs="+", default=[0, 4], help="draft_tokens values")
    ap.add_argument("--n", type=int, default=40)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--name", default="plan_drafts")
    args = ap.parse_args()

    index = seal_index()
    data = spread(read_instances(SEAL / "test_in_domain.jsonl"), args.n)
    candidates = oracle_candidates(load_toolset(SEAL / "tool.jsonl"))
    lists = [candidates(i) for i in data]
    selector = ToolSelector.load("default", index=index)
    selections = [selector.select(i.query, t) for i, t in zip(data, lists, strict=True)]

    results: dict[str, dict] = {}
    for spec in args.planners:
        planner = Planner.load(None if spec == "default" else spec)
        base = planner.config
        elsewhere = planner.prompt_ids("What time is it in Oslo?", lists[0][:1])
        seconds = {k: [float("inf")] * len(data) for k in args.sizes}
        texts: dict[int, list[str]] = {k: [""] * len(data) for k in args.sizes}
        tokens = {k: 0 for k in args.sizes}
        for r in range(args.rounds):
            for i, (inst, tools, sel) in enumerate(zip(data, lists, selections, strict=True)):
                for k in args.sizes:
                    planner.config = base.with_options(draft_tokens=k)
                    planner.engine.logits(elsewhere)
                    start = time.perf_counter()
                    result = planner.plan(
                        inst.query,
                        tools,
                        selected=[t.name for t in sel.tools],
                        required=None if sel.required is None else [t.name for t in sel.required],
                        positions=sel.positions,
                    )
                    seconds[k][i] = min(seconds[k][i], time.perf_counter() - start)
                    texts[k][i] = result.text
                    if r == 0:
                        tokens[k] += result.new_tokens
        first = args.sizes[0]
        results[spec] = {
            str(k): {
                "p50_s": statistics.median(seconds[k]),
                "p95_s": p95(seconds[k]),
                "mean_s": statistics.mean(seconds[k]),
                "new_tokens_per_plan": tokens[k] / len(data),
                "identical_plans": sum(a == b for a, b in zip(texts[first], texts[k], strict=True)),
                "differ": [data[i].id for i in range(len(data)) if texts[first][i] != texts[k][i]],
                "seconds": seconds[k],
            }
            for k in args.sizes
        }

    lines = [
        f"# Plan latency with prompt-lookup drafts ({args.n} Seal-Tools test queries, oracle-5, "
        "shipped selector, warm process, one run)",
        "",
        "| planner | draft_tokens | p50 s | p95 s | mean s | speed-up at p50 | "
        f"plans identical to draft_tokens={args.sizes[0]} |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for spec, by_size in results.items():
        ref = by_size[str(args.sizes[0])]["p50_s"]
        for k, r in by_size.items():
            lines.append(
                f"| `{spec}` | {k} | {r['p50_s']:.3f} | {r['p95_s']:.3f} | {r['mean_s']:.3f} | "
                f"{ref / r['p50_s']:.2f}x | {r['identical_plans']} of {args.n} |"
            )
    lines += [
        "",
        f"A query's time is its fastest of {args.rounds} rounds; the draft sizes alternate query "
        "by query. `default` is Qwen2.5-Coder-0.5B + the v4 adapter, `fast` SmolLM2-135M + its "
        "adapter, both ONNX int8.",
    ]
    for spec, by_size in results.items():
        for k, r in by_size.items():
            if r["differ"]:
                lines.append(
                    f"`{spec}` draft_tokens={k}: plans differ on {', '.join(r['differ'])}."
                )
    write_results(
        args.name, {"n": args.n, "rounds": args.rounds, "planners": results}, "\n".join(lines)
    )


if __name__ == "__main__":
    main()
