"""Writes the tool selector's validation queries (carved from dev.jsonl exactly as
`toolrag train selector` carves them, with the shipped selector's config) to
.cache/selector-validation.jsonl, so the planner can be tuned on them, never on the test set:

    python experiments/2026-11-24-must-threshold-validation.py
    python benchmarks/planner_quality.py --instances .cache/selector-validation.jsonl --limit 100 \
        --name must_threshold_validation --setting must-all=:constrained+select \
        --setting must-0.8=:constrained+select --must-threshold 0.8
"""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path

from toolrag.index.toolset import load_toolset
from toolrag.instances import read_instances
from toolrag.retriever.selector import read_record, shipped_selector
from toolrag.trainer.selector import SelectorTrainConfig, split_instances

ROOT = Path(__file__).resolve().parent.parent
SEAL = ROOT.parent / "shared" / "data" / "seal-tools"

record = read_record(shipped_selector())
names = {f.name for f in fields(SelectorTrainConfig)}
cfg = SelectorTrainConfig(**{k: v for k, v in record["config"].items() if k in names})
instances = read_instances(SEAL / "dev.jsonl")
_, val, _ = split_instances(instances, load_toolset(SEAL / "tool.jsonl"), cfg)
out = ROOT / ".cache" / "selector-validation.jsonl"
out.write_text("".join(json.dumps(i.model_dump(by_alias=True)) + "\n" for i in val))
print(f"{len(val)} validation instances -> {out} (selector validation: {record['validation']})")
