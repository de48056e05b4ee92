#!/usr/bin/env bash
# Soft grounding's query bias swept on the validation function calls (.cache/fc-val: 150
# instances made by `toolrag datagen functions --seed 11` over the train share of the public
# APIs, never trained on), default planner, shipped selector, free grounding + bias.
# Usage: bash experiments/2026-12-03-query-bias/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
out=experiments/2026-12-03-query-bias/results
mkdir -p "$out"
for bias in ${BIASES:-0.0 0.5 1.0}; do
  [ -f "$out/val_bias_${bias}.json" ] && continue
  python benchmarks/function_calls.py --set toolalpaca --data .cache/fc-val --grounding free \
    --option "query_bias=$bias" --name "qbias_val_${bias}"
  mv "benchmarks/results/qbias_val_${bias}.json" "$out/val_bias_${bias}.json"
  mv "benchmarks/results/qbias_val_${bias}.md" "$out/val_bias_${bias}.md"
done
