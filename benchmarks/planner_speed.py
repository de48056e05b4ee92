"""Planner latency per query on this CPU: plain `generate` beside the constrained decoder, with
and without the shared-prefix KV cache, fp32, int8 linear layers and (optionally) bf16 -- all in one run, same queries.

    python benchmarks/planner_speed.py --planner agent/data/planner --n 40
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch
from common import SEAL, write_results

from agent.evaluate import oracle_candidates, percentile, spread
from agent.planner import Planner
from index.toolset import load_toolset
from toolrag.instances import read_instances

VARIANTS = {
    "plain generate (unconstrained, fp32, no prefix cache)": dict(
        constrained=False, reuse_prefix=False, dtype="float32"
    ),
    "unconstrained + prefix cache (fp32)": dict(
        constrained=False, reuse_prefix=True, dtype="float32"
    ),
    "constrained, no prefix cache (fp32)": dict(
        constrained=True, reuse_prefix=False, dtype="float32"
    ),
    "constrained + prefix cache (fp32)": dict(constrained=True, reuse_prefix=True, dtype="float32"),
    "constrained + prefix cache (int8 linear layers)": dict(
        constrained=True, reuse_prefix=True, dtype="float32", precision="int8"
    ),
}
BF16 = {
    "constrained + prefix cache (bf16)": dict(
        constrained=True, reuse_prefix=True, dtype="bfloat16"
    ),
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--planner", default=None, help="adapter/model (default: shipped planner)")
    ap.add_argument("--n", type=int, default=40, help="test queries, spread over the file")
    ap.add_argument("--max-new-tokens", type=int, default=256)
    ap.add_argument("--name", default="planner_speed")
    ap.add_argument(
        "--bf16", action="store_true", help="also bf16 (very slow on CPUs without bf16 units)"
    )
    args = ap.parse_args()
    variants = VARIANTS | (BF16 if args.bf16 else {})

    data = spread(read_instances(SEAL / "test_in_domain.jsonl"), args.n)
    cands = oracle_candidates(load_toolset(SEAL / "tool.jsonl"))
    cand_lists = [cands(i) for i in data]
    rows = {}
    for name, kw in variants.items():
        dtype = kw.pop("dtype")
        kw.setdefault("precision", "fp32")
        planner = Planner.load(args.planner, dtype=dtype, max_new_tokens=args.max_new_tokens, **kw)
        kw["dtype"] = dtype
        planner.plan(data[0].query, cand_lists[0])  # warm-up (and prefix cache)
        secs, toks, forced, ok = [], [], [], 0
        for inst, tools in zip(data, cand_lists, strict=True):
            r = planner.plan(inst.query, tools)
            secs.append(r.seconds)
            toks.append(r.new_tokens)
            forced.append(r.forced_tokens)
            ok += r.format_ok
        # prompt processing alone: one forward pass over each full prompt, no prefix cache
        prefill = []
        for inst, tools in zip(data, cand_lists, strict=True):
            ids = torch.tensor([planner.prompt_ids(inst.query, tools)])
            start = time.perf_counter()
            with torch.inference_mode():
                planner.model(input_ids=ids, use_cache=False)
            prefill.append((time.perf_counter() - start, ids.shape[1]))
        rows[name] = {
            "prompt_tokens": statistics.mean(n for _, n in prefill),
            "prefill_p50_s": percentile([s for s, _ in prefill], 0.5),
            "p50_s": percentile(secs, 0.5),
            "p95_s": percentile(secs, 0.95),
            "mean_s": statistics.mean(secs),
            "tokens_per_s": sum(toks) / sum(secs),
            "mean_new_tokens": statistics.mean(toks),
            "forced_share": sum(forced) / max(1, sum(toks)),
            "format_ok": ok / len(data),
        } | kw
        del planner
    base = rows[next(iter(VARIANTS))]["p50_s"]
    lines = [
        f"# Planner latency ({len(data)} test queries, oracle-5 candidates, one run)",
        "",
        "| decoder | p50 s | p95 s | x plain p50 | new tokens/s | mean new tokens | forced share | "
        "format ok | prompt tokens | full-prompt forward p50 s |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in rows.items():
        lines.append(
            f"| {name} | {r['p50_s']:.2f} | {r['p95_s']:.2f} | {base / r['p50_s']:.2f} | "
            f"{r['tokens_per_s']:.1f} | {r['mean_new_tokens']:.0f} | {r['forced_share']:.2f} | "
            f"{r['format_ok']:.2f} | {r['prompt_tokens']:.0f} | {r['prefill_p50_s']:.2f} |"
        )
    lines += [
        "",
        "Latency is per query after load, prompt processing included. `forced share`: tokens the "
        "grammar forced, appended without sampling and fed to the model in one forward pass. "
        "`full-prompt forward`: one forward pass over the whole prompt without the prefix cache, "
        "timed separately (the share of latency that is prompt processing).",
    ]
    write_results(
        args.name, {"n": len(data), "planner": args.planner, "rows": rows}, "\n".join(lines)
    )


if __name__ == "__main__":
    main()
