"""Paired latency: the same planner and selector, each query planned with the selected tools in
candidate order and in query order, alternating which goes first."""
import sys, statistics, json
sys.path.insert(0, 'benchmarks')
from common import SEAL, seal_index
from agent.agent import plan_with
from agent.planner import Planner
from evaluation.planner import oracle_candidates, spread
from index.toolset import load_toolset
from retriever.selector import ToolSelector
from toolrag.instances import read_instances
n = int(sys.argv[1])
tools = load_toolset(SEAL / "tool.jsonl")
data = spread(read_instances(SEAL / "test_in_domain.jsonl"), n)
cands = oracle_candidates(tools, 5, seed=0)
planner = Planner.load(None)
idx = seal_index()
sel = {o: ToolSelector.load(None, index=idx, order=o) for o in ("candidates", "query")}
t = {o: [] for o in sel}; tok = {o: [] for o in sel}
for k, inst in enumerate(data):
    c = cands(inst)
    for o in (("candidates", "query") if k % 2 else ("query", "candidates")):
        r, _ = plan_with(planner, sel[o], inst.query, c)
        t[o].append(r.seconds); tok[o].append(r.new_tokens)
for o in t:
    print(o, 'p50', round(statistics.median(t[o]), 3), 'mean', round(statistics.mean(t[o]), 3), 'tokens', sum(tok[o]))
