"""Paired latency: one planner and selector; each query planned with the selected tools in
candidate order and in query order, alternating which goes first.

    python experiments/2026-11-24-selector-order/ab_latency.py 70
"""

import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from common import SEAL, seal_index

from toolrag.agent.agent import plan_with
from toolrag.agent.planner import Planner
from toolrag.evaluation.planner import oracle_candidates, spread
from toolrag.index.toolset import load_toolset
from toolrag.instances import read_instances
from toolrag.retriever.selector import ToolSelector

n = int(sys.argv[1])
data = spread(read_instances(SEAL / "test_in_domain.jsonl"), n)
cands = oracle_candidates(load_toolset(SEAL / "tool.jsonl"), 5, seed=0)
planner = Planner.load(None)
index = seal_index()
orders = ("candidates", "query")
selectors = {o: ToolSelector.load(None, index=index, order=o) for o in orders}
seconds: dict[str, list[float]] = {o: [] for o in orders}
tokens: dict[str, int] = dict.fromkeys(orders, 0)
for k, inst in enumerate(data):
    for o in orders if k % 2 else orders[::-1]:
        result, _ = plan_with(planner, selectors[o], inst.query, cands(inst))
        seconds[o].append(result.seconds)
        tokens[o] += result.new_tokens
for o in orders:
    p50, mean = statistics.median(seconds[o]), statistics.mean(seconds[o])
    print(f"{o}: p50 {p50:.3f} s, mean {mean:.3f} s, {tokens[o]} new tokens")
