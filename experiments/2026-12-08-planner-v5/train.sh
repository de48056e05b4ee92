#!/bin/bash
# planner v5: resumes from ../runs/v5/planner's newest checkpoint when run again
cd "$(dirname "$0")/../.." && source .venv/bin/activate
exec toolrag train planner --train ../shared/data/seal-tools/dev.jsonl \
  --tools ../shared/data/seal-tools/tool.jsonl --tools .cache/mix-8000/functions.json \
  --tools .cache/v5-dev/dev_functions.json --tools .cache/v5-dev/devmix_functions.json \
  --extra-train .cache/mix-8000/instances.jsonl --out ../runs/v5/planner \
  --base qwen2.5-coder-0.5b --epochs 1 --lr 2e-4 --init-adapter agent/data/planner \
  --save-steps 10 --dev .cache/v5-dev/instances.jsonl --export none \
  --set n_candidates=5 --set prompt_style=outputs --set batch_size=8 --set dev_limit=40 \
  --set keep_checkpoints=6 "$@"
