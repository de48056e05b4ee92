"""A benchmark script with the selector's clause margin set (``none``: the rule off):

    python experiments/2026-12-04-clause-winners/run.py 0.1 function_calls -- --set dev --name N
    cd benchmarks && python ../experiments/2026-12-04-clause-winners/run.py none planner_quality \
        -- --instances ../../shared/data/seal-tools/dev.jsonl --limit 140 --name N \
        --setting default=:constrained+select+free
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from toolrag.retriever import selector as sel

MARGIN = None if sys.argv[1] == "none" else float(sys.argv[1])
SCRIPT = sys.argv[2]
sys.argv = [SCRIPT, *sys.argv[4:]]
_init = sel.ToolSelector.__init__


def init(self: sel.ToolSelector, *args: object, **kwargs: object) -> None:
    _init(self, *args, **kwargs)
    self.clause_margin = MARGIN


sel.ToolSelector.__init__ = init
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
importlib.import_module(SCRIPT).main()
