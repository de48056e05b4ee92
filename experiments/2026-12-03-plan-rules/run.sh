#!/usr/bin/env bash
# Each plan rule that acts under free grounding, switched off one at a time, on the two
# held-out non-Seal sets (the 214 hand-written queries and the 200 over unseen ToolAlpaca APIs).
# Usage: bash experiments/2026-12-03-plan-rules/run.sh PLANNER_FOLDER SELECTOR
set -euo pipefail
cd "$(dirname "$0")/../.."
planner=$1; selector=${2:-auto}
out=experiments/2026-12-03-plan-rules/results
mkdir -p "$out"
sets=${SETS:-heldout toolalpaca}
for rule in distinct_values=off in_order=false back_references=false documented_forms=false \
            drop_borrowed=false stop_on_repeat=false; do
  name=${rule%%=*}
  for set in $sets; do
    [ -f "$out/${set}_no_${name}.json" ] && continue
    extra=(); [ "$set" = toolalpaca ] && extra=(--data benchmarks/data/toolalpaca_heldout)
    python benchmarks/function_calls.py --set "$set" "${extra[@]}" --planner "$planner" \
      --selector "$selector" --grounding free --option "$rule" --name "rules_${set}_no_${name}"
    mv "benchmarks/results/rules_${set}_no_${name}.json" "$out/${set}_no_${name}.json"
    mv "benchmarks/results/rules_${set}_no_${name}.md" "$out/${set}_no_${name}.md"
  done
done
