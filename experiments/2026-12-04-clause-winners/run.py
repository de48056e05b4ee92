"""benchmarks/function_calls.py with the selector's clause margin set (``none``: off):

python experiments/2026-12-04-clause-winners/run.py 0.1 -- --set dev --name NAME
"""

from __future__ import annotations

import sys
from pathlib import Path

from toolrag.retriever import selector as sel

MARGIN = None if sys.argv[1] == "none" else float(sys.argv[1])
sys.argv = [sys.argv[0], *sys.argv[3:]]
_init = sel.ToolSelector.__init__


def init(self: sel.ToolSelector, *args: object, **kwargs: object) -> None:
    _init(self, *args, **kwargs)
    self.clause_margin = MARGIN


sel.ToolSelector.__init__ = init
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import function_calls  # noqa: E402

function_calls.main()
