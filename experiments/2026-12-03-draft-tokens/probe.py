"""Plan time with prompt-lookup drafts (draft_tokens=N) against one token a pass: the same
planner, the same Seal-Tools queries (oracle-5 + shipped selector), sizes back to back per query
(so the second size finds the prompt cached: see README), plans compared. Needs drafts.patch.

    ENGINE=torch PRECISION=fp32 ONLY=11,14 python probe.py fast 20 0,4
"""

import json
import os
import statistics
import sys
import time

from toolrag.agent.planner import Planner
from toolrag.evaluation.planner import oracle_candidates, spread
from toolrag.index.store import ToolIndex
from toolrag.index.toolset import load_toolset
from toolrag.instances import read_instances
from toolrag.retriever.selector import ToolSelector

spec, n, sizes = sys.argv[1], int(sys.argv[2]), [int(x) for x in sys.argv[3].split(",")]
seal = "../shared/data/seal-tools"
data = spread(read_instances(f"{seal}/test_in_domain.jsonl"), n)
if os.environ.get("ONLY"):
    data = [data[int(i)] for i in os.environ["ONLY"].split(",")]
    n = len(data)
cands = oracle_candidates(load_toolset(f"{seal}/tool.jsonl"))
lists = [cands(i) for i in data]
selector = ToolSelector.load("default", index=ToolIndex.load(".cache/seal-index-default"))
sels = [selector.select(i.query, t) for i, t in zip(data, lists, strict=True)]
planner = Planner.load(
    None if spec == "default" else spec,
    engine=os.environ.get("ENGINE", "onnx"),
    precision=os.environ.get("PRECISION", "int8"),
)
base = planner.config
times = {k: [] for k in sizes}
plans = {k: [] for k in sizes}


def run(inst, tools, sel):
    required = None if sel.required is None else [t.name for t in sel.required]
    selected = [t.name for t in sel.tools]
    return planner.plan(
        inst.query, tools, selected=selected, required=required, positions=sel.positions
    )


run(data[0], lists[0], sels[0])
for inst, tools, sel in zip(data, lists, sels, strict=True):
    for k in sizes:
        planner.config = base.with_options(draft_tokens=k)
        t = time.perf_counter()
        r = run(inst, tools, sel)
        times[k].append(time.perf_counter() - t)
        plans[k].append(r.text)
out = {"planner": spec, "n": n}
for k in sizes:
    same = sum(a == b for a, b in zip(plans[k], plans[sizes[0]], strict=True))
    out[k] = {"p50": statistics.median(times[k]), "same_as_first": same}
    print(k, round(statistics.median(times[k]), 3), f"same {same}/{n}", flush=True)
print(json.dumps(out))
for k in sizes[1:]:
    for i, (a, b) in enumerate(zip(plans[sizes[0]], plans[k], strict=True)):
        if a != b:
            print(f"draft {k}, query {i}:\n  {a}\n  {b}")
