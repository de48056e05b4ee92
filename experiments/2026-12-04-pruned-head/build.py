"""Build the default planner's int8 ONNX export with extra model-builder options, beside the
shipped one, to compare load, prefill and logits (2026-12-04).

    python experiments/2026-12-04-pruned-head/build.py OUT key=value [key=value ...]
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from toolrag.agent.models import load_causal_lm

out, options = Path(sys.argv[1]), sys.argv[2:]
with tempfile.TemporaryDirectory() as tmp:
    lm, tok = load_causal_lm(os.environ.get("PLANNER", "agent/data/planner"))
    merged = Path(tmp) / "merged"
    lm.save_pretrained(merged)
    tok.save_pretrained(merged)
    cmd = [sys.executable, "-m", "onnxruntime_genai.models.builder", "-i", str(merged)]
    cmd += ["-o", str(out), "-p", "int8", "-e", "cpu", "-c", str(Path(tmp) / "cache")]
    if options:
        cmd += ["--extra_options", *options]
    subprocess.run(cmd, check=True)
    tok.save_pretrained(out)
