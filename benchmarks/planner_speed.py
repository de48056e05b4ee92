"""Planner latency on this CPU, by decoding engine, all in one run on the same queries.

For each engine/precision: warm latency per plan (p50/p95 over N test queries, oracle-5
candidates, the shipped selector choosing the tools as in the product), where the time goes
(model forward passes, grammar compilation, the rest: masks, tokenizer, Python), and the cold
start: a fresh process that imports toolrag, loads the planner (ONNX export already cached) and
plans one query. `--conversion` also times a fresh ONNX export into an empty cache.

    python benchmarks/planner_speed.py --n 140 --conversion
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, SEAL, seal_index, write_results

from toolrag.agent.agent import plan_with
from toolrag.agent.planner import Planner, in_selection_order
from toolrag.evaluation.planner import oracle_candidates, percentile, spread
from toolrag.index.toolset import load_toolset
from toolrag.instances import read_instances
from toolrag.retriever.selector import ToolSelector

VARIANTS = {
    "torch fp32": ("torch", "fp32"),
    "torch int8 (dynamic)": ("torch", "int8"),
    "onnx fp32": ("onnx", "fp32"),
    "onnx int8": ("onnx", "int8"),
    "onnx int4": ("onnx", "int4"),
}

COLD = """
import sys, time, json
from toolrag.index.toolset import load_toolset
names = json.loads(sys.argv[4])
tools = sorted((t for t in load_toolset(sys.argv[3]) if t.name in names),
               key=lambda t: names.index(t.name))
t0 = time.perf_counter()
from toolrag.agent.planner import Planner, in_selection_order
t1 = time.perf_counter()
planner = Planner.load(None, engine=sys.argv[1], precision=sys.argv[2])
t2 = time.perf_counter()
r = planner.plan(sys.argv[5], tools)
t3 = time.perf_counter()
r2 = planner.plan(sys.argv[5], tools)
t4 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "load_s": t2 - t1, "first_plan_s": t3 - t2,
                  "second_plan_s": t4 - t3, "to_first_plan_s": t3 - t0}))
"""


class Profile:
    """Where one planner's time goes, by part: the engine's forward passes split into prompt
    prefill (positions inside the prompt), single-token decode steps and multi-token chunks
    (grammar-forced tokens, or a call written again), the grammar's token masks, stage grammar
    compilation, detokenising, and the rest (plan rules, parsing, Python)."""

    PARTS = ("prefill", "decode", "forced chunks", "masks", "grammar compile", "detokenise")

    def __init__(self, planner) -> None:
        import llguidance.numpy as llnp

        self.seconds = dict.fromkeys(self.PARTS, 0.0)
        self.tokens = dict.fromkeys(("prefill", "decode", "forced chunks"), 0)
        self.decodes = 0
        self.prompt_len = 0
        engine = planner.engine
        forward = engine._forward

        def timed_forward(ids, keep):
            start = time.perf_counter()
            try:
                return forward(ids, keep)
            finally:
                n = len(ids) - keep
                part = (
                    "prefill" if keep < self.prompt_len else "decode" if n == 1 else "forced chunks"
                )
                self.seconds[part] += time.perf_counter() - start
                self.tokens[part] += n

        engine._forward = timed_forward
        for name in ("fill_next_token_bitmask", "apply_token_bitmask_inplace"):
            setattr(llnp, name, self._timed(getattr(llnp, name), "masks"))
        planner._compile = self._timed(planner._compile, "grammar compile")
        planner.tokenizer.decode = self._timed(planner.tokenizer.decode, "detokenise")
        decode = planner._decode

        def counted(*args, **kwargs):
            self.decodes += 1
            return decode(*args, **kwargs)

        planner._decode = counted

    def _timed(self, fn, part):
        def wrapped(*args, **kwargs):
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds[part] += time.perf_counter() - start

        return wrapped

    def reset(self) -> None:
        self.seconds = dict.fromkeys(self.PARTS, 0.0)
        self.tokens = dict.fromkeys(self.tokens, 0)
        self.decodes = 0


def cold_start(engine: str, precision: str, names: list[str], query: str) -> dict:
    """A fresh process: import, load, first plan (toolset loading excluded)."""
    tools_file = str(SEAL / "tool.jsonl")
    out = subprocess.run(
        [sys.executable, "-c", COLD, engine, precision, tools_file, json.dumps(names), query],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=140, help="test queries, spread over the file")
    ap.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=list(VARIANTS))
    ap.add_argument("--conversion", action="store_true", help="also time a fresh ONNX export")
    ap.add_argument("--name", default="planner_speed")
    args = ap.parse_args()

    data = spread(read_instances(SEAL / "test_in_domain.jsonl"), args.n)
    cands = oracle_candidates(load_toolset(SEAL / "tool.jsonl"))
    cand_lists = [cands(i) for i in data]
    selector = ToolSelector.load("default", index=seal_index())
    selections = [selector.select(i.query, t) for i, t in zip(data, cand_lists, strict=True)]

    cold_names = [t.name for t in cand_lists[0]]
    rows: dict[str, dict] = {}
    for name in args.variants:
        engine, precision = VARIANTS[name]
        start = time.perf_counter()
        planner = Planner.load(None, engine=engine, precision=precision, max_new_tokens=256)
        load_s = time.perf_counter() - start
        profile = Profile(planner)
        plan_with(planner, selector, data[0].query, cand_lists[0])  # warm-up
        profile.reset()
        fed0 = planner.engine.fed_tokens
        secs, toks = [], []
        for inst, tools, sel in zip(data, cand_lists, selections, strict=True):
            shown = in_selection_order(tools, [t.name for t in sel.tools]) or tools
            profile.prompt_len = len(planner.prompt_ids(inst.query, shown))
            r = planner.plan(
                inst.query,
                tools,
                selected=[t.name for t in sel.tools],
                required=None if sel.required is None else [t.name for t in sel.required],
                positions=sel.positions,
            )
            secs.append(r.seconds)
            toks.append(r.new_tokens)
        total = sum(secs)
        rows[name] = {
            "engine": engine,
            "precision": precision,
            "load_s": load_s,
            "p50_s": percentile(secs, 0.5),
            "p95_s": percentile(secs, 0.95),
            "mean_s": statistics.mean(secs),
            "mean_new_tokens": statistics.mean(toks),
            "fed_tokens_per_plan": (planner.engine.fed_tokens - fed0) / len(data),
            "model_share": sum(profile.seconds[p] for p in Profile.PARTS[:3]) / total,
            "grammar_share": profile.seconds["grammar compile"] / total,
            "parts_s_per_plan": {p: v / len(data) for p, v in profile.seconds.items()},
            "rest_s_per_plan": (total - sum(profile.seconds.values())) / len(data),
            "tokens_per_plan": {p: v / len(data) for p, v in profile.tokens.items()},
            "decode_passes_per_plan": profile.decodes / len(data),
            "cold": cold_start(engine, precision, cold_names, data[0].query),
        }
        del planner
    conversion = None
    if args.conversion:
        from toolrag.agent.export import export

        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            manifest = export(None, Path(tmp) / "x", "int8", progress=False)
            conversion = {"seconds": time.perf_counter() - start, "precision": "int8"}
            conversion["check_cosines"] = manifest["check_cosines"]

    base = rows.get("torch fp32", next(iter(rows.values())))["p50_s"]
    lines = [
        f"# Planner latency by engine ({len(data)} test queries, oracle-5 candidates, shipped "
        "selector, one run)",
        "",
        "| engine | p50 s | p95 s | x torch fp32 p50 | mean new tokens | tokens fed to the model "
        "per plan | model share | grammar share | load s | cold: to first plan s | "
        "cold: first plan s |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in rows.items():
        c = r["cold"]
        lines.append(
            f"| {name} | {r['p50_s']:.2f} | {r['p95_s']:.2f} | {base / r['p50_s']:.2f} | "
            f"{r['mean_new_tokens']:.0f} | {r['fed_tokens_per_plan']:.0f} | "
            f"{r['model_share']:.2f} | {r['grammar_share']:.2f} | {r['load_s']:.1f} | "
            f"{c['to_first_plan_s']:.1f} | {c['first_plan_s']:.1f} |"
        )
    lines += [
        "",
        "Latency is per plan after load, prompt processing included, selector excluded (its "
        "choice is computed beforehand, as the product does before planning). `model share`: "
        "time in the engine's forward passes; `grammar share`: compiling stage grammars; the "
        "rest is masks, tokenizer and Python. `cold`: a fresh process importing toolrag, loading "
        "the planner (ONNX export already cached) and planning one query.",
    ]
    lines += [
        "",
        "Where a plan's time goes (mean per plan; share of the plan's time; tokens through the "
        "model per plan):",
        "",
        "| engine | " + " | ".join(Profile.PARTS) + " | rest: plan rules, parsing, Python | "
        "decode passes per plan (1 = no call written again) |",
        "|---|" + "---|" * (len(Profile.PARTS) + 2),
    ]
    for name, r in rows.items():
        mean = r["mean_s"]
        cells = []
        for part in Profile.PARTS:
            sec = r["parts_s_per_plan"][part]
            tok = r["tokens_per_plan"].get(part)
            cells.append(
                f"{sec * 1000:.0f} ms ({sec / mean:.0%})" + (f", {tok:.0f} tok" if tok else "")
            )
        rest = r["rest_s_per_plan"]
        cells.append(f"{rest * 1000:.0f} ms ({rest / mean:.0%})")
        cells.append(f"{r['decode_passes_per_plan']:.2f}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    if conversion:
        lines += [
            "",
            f"A fresh int8 ONNX export (merge, build, check) took {conversion['seconds']:.1f} s.",
        ]
    write_results(
        args.name,
        {"n": len(data), "rows": rows, "conversion": conversion},
        "\n".join(lines),
    )


if __name__ == "__main__":
    main()
