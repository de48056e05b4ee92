"""Probe: at the point where the planner closes its plan, how likely did the LM find another
call? If that probability separates plans that miss a call from complete ones, the decoder can
go on below the LM's argmax. Run on validation material only: the 54 dev-carved selector
validation queries (.cache/selector-validation.jsonl, written by
experiments/2026-11-24-must-threshold-validation.py) and parallel instances joined from them.

    python experiments/2026-11-24-continue-probe.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from common import SEAL, seal_index  # noqa: E402

from toolrag.agent.agent import plan_with  # noqa: E402
from toolrag.agent.grammar import closed_calls  # noqa: E402
from toolrag.agent.planner import Planner  # noqa: E402
from toolrag.evaluation.planner import oracle_candidates  # noqa: E402
from toolrag.index.toolset import load_toolset  # noqa: E402
from toolrag.instances import read_instances  # noqa: E402
from toolrag.retriever.selector import ToolSelector  # noqa: E402
from toolrag.trainer.augment import coordinated_instances, parallel_instances  # noqa: E402


def continue_probability(planner: Planner, query: str, tools, text: str) -> float | None:
    """P(',') / (P(',') + P(']')) for the next token after the plan's last complete call."""
    ends = closed_calls(text)
    if not ends:
        return None
    ids = planner.prompt_ids(query, tools)
    ids += planner.tokenizer(text[: ends[-1]], add_special_tokens=False).input_ids
    logits = planner.engine.logits(ids).astype(np.float64)
    p = np.exp(logits - logits.max())
    p /= p.sum()
    cont = close = 0.0
    for token in np.argsort(-p)[:200]:
        piece = planner.tokenizer.decode([int(token)]).lstrip()
        if piece.startswith(","):
            cont += p[token]
        elif piece.startswith("]"):
            close += p[token]
    return cont / (cont + close) if cont + close > 0 else None


def main() -> None:
    val = read_instances(ROOT / ".cache" / "selector-validation.jsonl")
    data = val + parallel_instances(val, n=30, seed=0) + coordinated_instances(val, n=30, seed=0)
    cands = oracle_candidates(load_toolset(SEAL / "tool.jsonl"), 5)
    selector = ToolSelector.load("default", index=seal_index())
    planner = Planner.load()
    out = ROOT / ".cache" / "continue-probe.jsonl"
    with out.open("w") as f:
        for inst in data:
            tools = cands(inst)
            result, selection = plan_with(planner, selector, inst.query, tools)
            shown = selection.tools if selection is not None else tools
            prob = continue_probability(planner, inst.query, shown, result.text)
            row = {
                "id": inst.id,
                "gold": len(inst.calls),
                "pred": len(result.calls),
                "p_continue": prob,
                "text": result.text,
            }
            f.write(json.dumps(row) + "\n")
            print(row["id"], row["gold"], row["pred"], prob)


if __name__ == "__main__":
    main()
