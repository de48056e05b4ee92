"""Cache the shipped selector's probabilities on dev.jsonl's oracle-5 candidate lists (the
benchmark's builder, seed 0) and on the synthetic nested pairs, for the pointer analysis."""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from common import SEAL, seal_index  # noqa: E402

from toolrag.evaluation.planner import oracle_candidates  # noqa: E402
from toolrag.index.toolset import load_toolset  # noqa: E402
from toolrag.instances import read_instances  # noqa: E402
from toolrag.retriever.selector import ToolSelector  # noqa: E402

index = seal_index()
selector = ToolSelector.load(None, index=index)
cands = oracle_candidates(load_toolset(SEAL / "tool.jsonl"), 5)
out = ROOT / ".cache" / "pointed-probs.jsonl"
with out.open("w") as f:
    for src in (SEAL / "dev.jsonl", ROOT / ".cache" / "nested-validation.jsonl"):
        for inst in read_instances(src):
            tools = cands(inst)
            probs, where, parts, _ = selector._scored(inst.query, tools)
            row = {
                "id": inst.id,
                "query": inst.query,
                "gold": sorted(inst.gold_tools),
                "candidates": [t.name for t in tools],
                "probabilities": probs,
                "parts": parts,
                "where": where,
            }
            f.write(json.dumps(row) + "\n")
print(out)
