"""A benchmark script with the clause rule also applied to requests of several sentences, at a
higher margin (LONG): their clauses (the selector's ``split_clauses`` pieces) count when the best
candidate's cosine leads the next one's by at least LONG.

    cd benchmarks && python ../experiments/2026-12-04-clause-winners/long_margin.py 0.3 \
        planner_quality -- --instances ../../shared/data/seal-tools/dev.jsonl --limit 140 \
        --name N --setting default=:constrained+select+free
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import numpy as np

from toolrag.retriever import selector as sel

LONG = float(sys.argv[1])
SCRIPT = sys.argv[2]
sys.argv = [SCRIPT, *sys.argv[4:]]
_leads = sel._leads


def leads(index, query, pieces, part_cos, t):
    if len(t) < 2 or len(pieces) < 2 or len(sel.SENTENCE_END.split(query.strip())) == 1:
        return _leads(index, query, pieces, part_cos, t)
    top2 = np.sort(part_cos, axis=1)[:, -2:]
    shift = LONG - sel.CLAUSE_MARGIN  # the selector compares with CLAUSE_MARGIN
    return [
        (int(j), float(a - b) - shift)
        for j, (b, a) in zip(part_cos.argmax(axis=1), top2, strict=True)
    ]


sel._leads = leads
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
importlib.import_module(SCRIPT).main()
