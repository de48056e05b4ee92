"""Build a planner's ONNX export with other model-builder options, beside the shipped one, to
compare load, prefill and logits (2026-12-04). Runs toolrag's own export (merge, build, logit
check, manifest) with ``BUILDER_OPTIONS`` replaced.

    python experiments/2026-12-04-pruned-head/build.py OUT key=value [key=value ...]
    PLANNER=agent/data/planner-fast PRECISION=int4 python ... OUT prune_lm_head=false
"""

import os
import sys
from pathlib import Path

from toolrag.agent import export

export.BUILDER_OPTIONS = tuple(sys.argv[2:])
export.export(
    os.environ.get("PLANNER", "agent/data/planner"),
    Path(sys.argv[1]),
    os.environ.get("PRECISION", "int8"),
    progress=False,
)
