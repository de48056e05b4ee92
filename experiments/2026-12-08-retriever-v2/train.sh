#!/bin/bash
# retriever v2: from the untrained all-MiniLM-L6-v2, on Seal-Tools dev + the planner mix + ToolAlpaca
# train-share functions + public OpenAPI operations; resumes from ../runs/rv2/retriever
cd "$(dirname "$0")/../.." && source .venv/bin/activate
exec toolrag train retriever --train ../shared/data/seal-tools/dev.jsonl \
  --tools ../shared/data/seal-tools/tool.jsonl --tools .cache/mix-8000/functions.json \
  --tools .cache/rv2/datagen_extra_functions.json --tools .cache/rv2/openapi_tools.json \
  --extra-train .cache/rv2/mix_instances.jsonl --extra-train .cache/rv2/datagen_instances.jsonl \
  --out ../runs/rv2/retriever --loss infonce --batch-size 32 --max-steps 360 --save-steps 40 "$@"
