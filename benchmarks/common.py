"""Helpers shared by the benchmark scripts: data paths, result writing, machine description,
encoder timing."""

from __future__ import annotations

import json
import os
import platform
import shlex
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
SEAL = DATA / "seal-tools"
RESULTS = ROOT / "benchmarks" / "results"


def seal_index(path: Path = ROOT / ".cache" / "seal-index-default", model: str | None = None):
    """The Seal-Tools toolset's index at ``path`` with ``model`` (None: the shipped retriever;
    see :func:`toolrag.index.encoder.resolve_model`), built (and saved) on first use, and rebuilt when
    the folder holds an index of another model."""
    from toolrag.index.encoder import model_label
    from toolrag.index.store import ToolIndex
    from toolrag.index.toolset import load_toolset

    manifest = path / "manifest.json"
    if manifest.exists() and json.loads(manifest.read_text())["embedding"]["model"] == model_label(
        model
    ):
        return ToolIndex.load(path)
    idx = ToolIndex.build(load_toolset(SEAL / "tool.jsonl"), model=model, progress=True)
    idx.save(path)
    return idx


def command_line() -> str:
    script = Path(sys.argv[0]).resolve()
    rel = script.relative_to(ROOT) if script.is_relative_to(ROOT) else script
    return " ".join(["python", shlex.quote(str(rel)), *map(shlex.quote, sys.argv[1:])])


def machine() -> dict[str, object]:
    return {
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
    }


def write_results(name: str, data: dict, markdown: str) -> None:
    """Write ``results/<name>.json`` and ``results/<name>.md`` and print how they were made."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    cmd = command_line()
    markdown = relativize(markdown)
    payload = {
        "command": cmd,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
    } | data
    (RESULTS / f"{name}.json").write_text(relativize(json.dumps(payload, indent=2)) + "\n")
    (RESULTS / f"{name}.md").write_text(
        f"{markdown.rstrip()}\n\nMade by `{cmd}` on {payload['date']} "
        f"({payload['machine']['cpu_count']} CPUs).\n"
    )
    print(markdown)
    print(f"\nwrote {RESULTS / name}.json and .md -- made by: {cmd}")


def relativize(text: str) -> str:
    """Machine paths in results become paths relative to the repository root."""
    return text.replace(str(ROOT.parent / "shared"), "../shared").replace(f"{ROOT}/", "")


def add_saved_run_args(ap, setting_help: str) -> None:
    """Options naming predictions that ``planner_quality.py`` saved, and the instances scored."""
    ap.add_argument("--run", default="planner_quality", help="planner_quality.py --name")
    ap.add_argument("--setting", required=True, help=setting_help)
    ap.add_argument("--instances", type=Path, default=SEAL / "test_in_domain.jsonl")
    ap.add_argument("--limit", type=int, default=140)


def saved_predictions(args) -> tuple[list, dict[str, dict]]:
    """The instances ``args`` name (spread as the run spread them) and that run's saved
    predictions by instance id."""
    from toolrag.evaluation.planner import read_predictions, spread
    from toolrag.instances import read_instances

    data = spread(read_instances(args.instances), args.limit)
    path = ROOT / ".cache" / "planner-eval" / args.run / f"{args.setting}.jsonl"
    return data, read_predictions(path)


def drop_ungrounded_rows(instances, rows: dict[str, dict], tools: dict) -> tuple[dict, int]:
    """Saved prediction rows with ``toolrag.agent.plan.drop_ungrounded`` applied (exact after the fact:
    it runs after decoding), and how many calls it removed. Idempotent on rows already pruned."""
    from toolrag.agent.plan import drop_ungrounded, to_internal, to_seal
    from toolrag.types import ToolCall

    pruned, removed = {}, 0
    for inst in instances:
        row = dict(rows[inst.id])
        if row["format_ok"] and all(c["api"] in tools for c in row["calls"]):
            plan = to_internal([ToolCall.model_validate(c) for c in row["calls"]], tools)
            kept = drop_ungrounded(plan, inst.query)
            removed += len(plan) - len(kept)
            row["calls"] = [c.model_dump() for c in to_seal(kept, tools)]
        pruned[inst.id] = row
    return pruned, removed


def time_in_blocks(
    encoders: dict[str, object],
    queries: list[str],
    block: int,
) -> dict[str, list[float]]:
    """Seconds per query for each encoder, one query per ``encode`` call. Encoders take turns
    over blocks of ``block`` queries, each block after a two-query warm-up, so machine drift
    hits all alike. (Alternating query by query instead more than doubled every encoder's time
    here: each switch evicts the other model from the cache.)"""
    secs: dict[str, list[float]] = {name: [] for name in encoders}
    for start in range(0, len(queries), block):
        chunk = queries[start : start + block]
        for name, enc in encoders.items():
            enc.encode(chunk[:2])
            for q in chunk:
                t0 = time.perf_counter()
                enc.encode([q])
                secs[name].append(time.perf_counter() - t0)
    return secs
