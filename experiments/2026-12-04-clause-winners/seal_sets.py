"""Which tools the selector makes the planner call, with and without the clause rule, against
the gold tools of Seal-Tools instances (oracle-5 candidates: gold + BM25 distractors).

    python experiments/2026-12-04-clause-winners/seal_sets.py ../shared/data/seal-tools/dev.jsonl 600 0.1

Sets: ``must`` (probability >= 0.8, plus pointed consumers: the rule before) and
``must+winners`` (also every candidate that fits some clause best by at least MARGIN in
cosine), each scored as micro P/R/F1 and exact-set rate, over all instances and by category.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from common import SEAL, seal_index

from toolrag.evaluation.planner import oracle_candidates
from toolrag.index.toolset import load_toolset
from toolrag.instances import read_instances
from toolrag.retriever import selector as sel


def score(pairs: list[tuple[set[str], set[str]]]) -> dict[str, float]:
    tp = sum(len(a & g) for a, g in pairs)
    fp = sum(len(a - g) for a, g in pairs)
    fn = sum(len(g - a) for a, g in pairs)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {
        "n": len(pairs),
        "P": round(100 * p, 1),
        "R": round(100 * r, 1),
        "F1": round(100 * 2 * p * r / (p + r), 1) if p + r else 0.0,
        "exact": round(100 * sum(a == g for a, g in pairs) / len(pairs), 1),
    }


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else SEAL / "dev.jsonl"
    limit = int(sys.argv[2]) if len(sys.argv) > 2 else 600
    margin = float(sys.argv[3]) if len(sys.argv) > 3 else sel.CLAUSE_MARGIN
    index = seal_index()
    selector = sel.ToolSelector.load(None, index=index, clause_margin=None)
    candidates = oracle_candidates(load_toolset(SEAL / "tool.jsonl"))
    rows: dict[str, dict[str, list]] = {}
    for inst in read_instances(path)[:limit]:
        cands = candidates(inst)
        s = selector.select(inst.query, cands)
        must = {t.name for t in s.required}
        won = {
            cands[j].name
            for j, lead in selector._scored(inst.query, cands, leads=True)[3]
            if lead >= margin
        }
        gold = set(inst.gold_tools)
        for group in ("overall", inst.category.value):
            g = rows.setdefault(group, {})
            g.setdefault("must", []).append((must, gold))
            g.setdefault("must+winners", []).append((must | won, gold))
    print(f"{path} (first {limit}), oracle-5, margin {margin}")
    for group, sets in rows.items():
        for name, pairs in sets.items():
            print(group, name, score(pairs))


if __name__ == "__main__":
    main()
