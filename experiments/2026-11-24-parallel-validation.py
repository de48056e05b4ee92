"""Writes .cache/parallel-validation.jsonl: parallel-call instances joined from dev.jsonl with a
seed no planner training used (7; training used 0 and 1), built as benchmarks/planner_quality.py
--parallel-slice builds its held-out slice from test_in_domain.jsonl. The requests themselves are
in the planner's training data, so this checks the parallel behaviour of a candidate adapter
against the shipped one before either is run on the held-out slice; it is not a held-out score.

    python experiments/2026-11-24-parallel-validation.py
    python benchmarks/planner_quality.py --instances .cache/parallel-validation.jsonl --limit 1000 \
        --name parallel_validation --setting shipped=:constrained+select \
        --setting par2=models/planner-par2:constrained+select
"""

from __future__ import annotations

import json
from pathlib import Path

from toolrag.instances import read_instances
from toolrag.trainer.augment import coordinated_instances, parallel_instances

ROOT = Path(__file__).resolve().parent.parent
SEAL = ROOT.parent / "shared" / "data" / "seal-tools"

dev = read_instances(SEAL / "dev.jsonl")
joined = parallel_instances(dev, n=33, seed=7)
data = joined + coordinated_instances(dev, n=33, seed=7)
out = ROOT / ".cache" / "parallel-validation.jsonl"
out.write_text("".join(json.dumps(i.model_dump(by_alias=True)) + "\n" for i in data))
print(f"{len(joined)} joined + {len(data) - len(joined)} coordinated -> {out}")
