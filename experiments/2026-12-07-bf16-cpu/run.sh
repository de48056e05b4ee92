#!/usr/bin/env bash
# bf16 vs fp32 planner training speed on this CPU: the fast planner (SmolLM2-135M + its shipped
# LoRA, continued), the same Seal-Tools dev examples, 6 optimizer steps of one example each, once
# per precision. The rate is read between the checkpoints at steps 2 and 6 (checkpoints.jsonl), so
# model loading and the first steps do not count, as wall seconds and as CPU seconds of the process:
# the machine is shared (load average in the log), so CPU seconds are the fairer comparison.
# One thread (OMP_NUM_THREADS=1) so that waiting threads on a crowded machine do not spin.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${OUT:-/tmp/bf16-cpu}
mkdir -p "$OUT"
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
grep -m1 -o -w 'amx_bf16\|avx512_bf16' /proc/cpuinfo | sort -u > "$OUT/flags" || true
for p in fp32 bf16; do
  uptime > "$OUT/$p.load"
  .venv/bin/toolrag train planner --base smollm2-135m --train ../shared/data/seal-tools/dev.jsonl \
    --limit 12 --tools ../shared/data/seal-tools/tool.jsonl --init-adapter agent/data/planner-fast \
    --out "$OUT/$p" --fresh --epochs 1 --lr 3e-4 --max-steps 6 --save-steps 2 --export none \
    --precision "$p" --set batch_size=1 --set n_candidates=3 --set prompt_style=compact \
    --set keep_checkpoints=none --seed 0 --json
  uptime >> "$OUT/$p.load"
done
.venv/bin/python - "$OUT" <<'PY'
import json, sys
from pathlib import Path
out = Path(sys.argv[1])
print("bf16 flags:", (out / "flags").read_text().split() or "none")
for p in ("fp32", "bf16"):
    rows = [json.loads(l) for l in (out / p / "checkpoints.jsonl").read_text().splitlines()]
    a, b = rows[0], rows[-1]
    steps = b["step"] - a["step"]
    rec = json.loads((out / p / "toolrag_planner.json").read_text())
    print(json.dumps({
        "precision": p, "reason": rec["precision"]["reason"], "steps_timed": steps,
        "wall_s_per_step": round((b["seconds"] - a["seconds"]) / steps, 2),
        "cpu_s_per_step": round((b["cpu_seconds"] - a["cpu_seconds"]) / steps, 2),
        "steps_per_s_cpu": round(steps / (b["cpu_seconds"] - a["cpu_seconds"]), 4),
        "train_loss": round(rec["train_loss"], 4),
        "losses_at_checkpoints": [r["train_loss"] for r in rows],
        "load": (out / f"{p}.load").read_text().split("load average:")[-1].strip().replace("\n", " / "),
    }))
PY
