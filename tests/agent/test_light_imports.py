"""The planner's ONNX path stays light: importing it loads neither PyTorch, transformers nor
the index (FAISS), so a planner process starts fast."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_planner_loads_no_torch_transformers_or_index():
    code = (
        "import sys, toolrag.agent.planner, toolrag.agent.grammar, toolrag.agent.plan\n"
        "heavy = [m for m in ('torch', 'transformers', 'faiss', 'toolrag.index') if m in sys.modules]\n"
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
