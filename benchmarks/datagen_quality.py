"""Acceptance rate of each data-generation stage and filter, with a local LLM on this CPU.

1. tools: ``--per-field`` tools for each of ``--fields`` Seal-Tools fields, deduplicated against
   the 4,076 Seal-Tools tools;
2. instances: ``--instances`` single / multiple / nested instances over Seal-Tools tools of
   those fields (so instance filters are measured on well-formed tools);
3. simulation: ``--episodes`` ToolAlpaca-style episodes over the same tools.

Every LLM call is cached under .cache/datagen-bench/<model>, so a rerun resumes.

    python benchmarks/datagen_quality.py --llm local:qwen2.5-coder-0.5b
    python benchmarks/datagen_quality.py --stages instances --instances 24   # instances only

Instances get the CLI's default worked examples (the bundled sample's); ``--zero-shot`` leaves
them out.
"""

from __future__ import annotations

import argparse
import json
import re
import time

from common import ROOT, SEAL, write_results

from toolrag.agent.llm import CachedLLM, make_llm
from toolrag.index.toolset import load_toolset
from toolrag.trainer.datagen.selfinstruct import (
    generate_instances,
    generate_tools,
    sample_demonstrations,
    write_jsonl,
)
from toolrag.trainer.datagen.simulate import simulate

FIELDS = [
    "Healthcare",
    "Logistics",
    "Agriculture",
    "Energy",
    "Hospitality",
    "Insurance",
    "Telecommunications",
    "Robotics",
]


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--llm", default="local:qwen2.5-coder-0.5b")
    ap.add_argument("--fields", type=int, default=8)
    ap.add_argument("--per-field", type=int, default=3)
    ap.add_argument("--instances", type=int, default=30)
    ap.add_argument("--episodes", type=int, default=10)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--stages", default="tools,instances,simulation")
    ap.add_argument("--zero-shot", action="store_true", help="no worked examples for instances")
    args = ap.parse_args()
    run = set(args.stages.split(","))
    slug = re.sub(r"[^A-Za-z0-9.]+", "-", args.llm)
    work = ROOT / ".cache" / "datagen-bench" / slug
    llm = CachedLLM(make_llm(args.llm), work / "llm-cache")
    seal = load_toolset(SEAL / "tool.jsonl")
    fields = FIELDS[: args.fields]
    pool = [t for t in seal if (t.domain or "").split("/")[0] in fields]

    stages: dict[str, dict] = {}
    examples: dict[str, list] = {}
    if "tools" in run:
        t0 = time.perf_counter()
        tools, report = generate_tools(llm, fields, args.per_field, existing=seal, seed=args.seed)
        write_jsonl(work / "tools.jsonl", tools)
        stages["tools"] = report.to_json() | {"seconds": round(time.perf_counter() - t0, 1)}
        examples["tools"] = tools[:2]

    if "instances" in run:
        t0 = time.perf_counter()
        instances, report = generate_instances(
            llm,
            pool,
            ["single", "multiple", "nested"],
            args.instances,
            seed=args.seed,
            examples=None if args.zero_shot else sample_demonstrations(),
        )
        write_jsonl(work / "instances.jsonl", instances)
        stages["instances"] = report.to_json() | {"seconds": round(time.perf_counter() - t0, 1)}
        kinds = [i["id"].split("-")[1] for i in instances]
        stages["instances"]["kept_by_kind"] = {k: kinds.count(k) for k in sorted(set(kinds))}
        examples["instances"] = instances[:6]

    if "simulation" in run:
        t0 = time.perf_counter()
        trajectories, sim_instances, report = simulate(llm, pool, args.episodes, seed=args.seed)
        write_jsonl(work / "trajectories.jsonl", trajectories)
        write_jsonl(work / "trajectories.instances.jsonl", sim_instances)
        stages["simulation"] = report.to_json() | {"seconds": round(time.perf_counter() - t0, 1)}
        stages["simulation"]["nested_instances"] = sum(
            any(
                str(v).startswith("API_call_")
                for c in i["calling"]
                for v in c["parameters"].values()
            )
            for i in sim_instances
        )
        examples["trajectories"] = trajectories[:1]

    md = [
        f"# Data generation with `{args.llm}` on this CPU: what each stage keeps",
        "",
        f"Fields: {', '.join(fields)}. Instances and episodes use the {len(pool)} Seal-Tools "
        "tools of those fields. Times include the model's generation only where the call was "
        f"not cached ({llm.calls} new calls, {llm.hits} cached in this run).",
        "",
        "| stage | generated | kept | acceptance | rejected by reason | seconds |",
        "|---|---|---|---|---|---|",
    ]
    for name, s in stages.items():
        reasons = ", ".join(f"{k} {v}" for k, v in s["rejected_by_reason"].items()) or "-"
        md.append(
            f"| {name} | {s['generated']} | {s['kept']} | {100 * s['acceptance_rate']:.0f}% | "
            f"{reasons} | {s['seconds']} |"
        )
    if stages.get("instances", {}).get("kept_by_kind"):
        md += ["", f"Instances kept by kind: {stages['instances']['kept_by_kind']}."]
    md += ["", "Kept examples:", "", "```json"]
    md += [json.dumps(x, ensure_ascii=False) for xs in examples.values() for x in xs]
    md += ["```"]
    suffix = "" if run == {"tools", "instances", "simulation"} else "_" + "_".join(sorted(run))
    write_results(
        f"datagen_quality_{slug}{suffix}",
        {"llm": args.llm, "fields": fields, "stages": stages, "examples": examples},
        "\n".join(md),
    )


if __name__ == "__main__":
    main()
