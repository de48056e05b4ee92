"""The mixed planner training set for what fails: chains, parallel requests over near misses,
values that need knowledge, nothing-fits requests, and function-calling requests over the
ToolAlpaca public APIs' training share (:mod:`.functions`) so that single calls do not regress.

Every example is checked before it is kept: each call's arguments against its function's
``inputSchema`` (``jsonschema``; a reference stands in as a value of the parameter's type),
each reference against an earlier call's outputs (``outputSchema``, else ``result``), every
called function among the offered ones, and the internal plan's round trip through the
Seal-Tools form (:func:`toolrag.agent.plan.to_seal` / ``to_internal``) that training reads.
A request repeated word for word is kept at most ``max_repeats`` times. The folder holds
``functions.json`` (an MCP ``tools/list``: output schemas kept), ``instances.jsonl``
(Seal-Tools rows with ``offered`` and ``kind``) and ``manifest.json`` (counts per kind and per
source, rejections, the source list's sha256, every file's sha256, the command): the same
seed and sources make the same bytes.

Example:
    >>> functions, rows, report = generate_mix(None, n=40, seed=0)  # doctest: +SKIP
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from toolrag.trainer.datagen.apis import CHAIN_TOOLS, FAMILIES, PLAIN_NAMES, outputs, plain
from toolrag.trainer.datagen.chains import chain_instance
from toolrag.trainer.datagen.knowledge import knowledge_instance
from toolrag.trainer.datagen.parallel import parallel_instance
from toolrag.trainer.datagen.refusals import refusal_instance

FORMAT_VERSION = 1
MIX = {"chains": 0.30, "parallel": 0.25, "knowledge": 0.15, "refusals": 0.10, "functions": 0.20}
"""Share of each source; ``functions`` needs the public API list (else it is left out and
the others fill its share)."""
MAKERS: dict[str, Callable[[random.Random], dict[str, Any]]] = {
    "chains": chain_instance,
    "parallel": parallel_instance,
    "knowledge": knowledge_instance,
    "refusals": refusal_instance,
}


def written_pool() -> dict[str, dict[str, Any]]:
    """The written functions by name: the chain tools, their plain twins, the families."""
    pool = {t["name"]: t for t in CHAIN_TOOLS.values()}
    pool |= {PLAIN_NAMES[k]: plain(t, PLAIN_NAMES[k]) for k, t in CHAIN_TOOLS.items()}
    pool |= {t["name"]: t for ts in FAMILIES.values() for t in ts}
    return pool


def _stand_in(schema: dict[str, Any]) -> Any:
    return {"string": "x", "number": 0, "integer": 0, "boolean": True, "array": [], "object": {}}[
        schema.get("type", "string")
    ]


def check_plan(plan: list[dict[str, Any]], offered: list[str], pool: dict[str, Any]) -> str | None:
    """Why an internal-form plan is not a valid training target, or None when it is."""
    import jsonschema

    if len(set(offered)) != len(offered):
        return "offered-repeats"
    for i, call in enumerate(plan):
        tool = pool.get(call["api"])
        if tool is None or call["api"] not in offered:
            return "call-not-offered"
        schema = tool["inputSchema"]
        args = dict(call["parameters"])
        for name, value in call["parameters"].items():
            if isinstance(value, str) and value.startswith("$"):
                idx, _, field = value[1:].partition(".")
                if not idx.isdigit() or int(idx) >= i:
                    return "reference-forward"
                if field not in outputs(pool[plan[int(idx)]["api"]]):
                    return "reference-field"
                args[name] = _stand_in(schema["properties"].get(name, {}))
        try:
            jsonschema.validate(args, schema)
        except jsonschema.ValidationError:
            return "schema"
    return None


def _tools(pool: dict[str, dict[str, Any]]) -> dict[str, Any]:
    from toolrag.index.toolset import as_tools

    return {t.name: t for t in as_tools({"tools": list(pool.values())})}


def generate_mix(
    apis_path: Path | None, n: int, seed: int = 0, *, max_repeats: int = 3
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    """``n`` checked examples mixed by :data:`MIX`: (MCP tools offered, Seal-Tools rows with
    ``offered`` and ``kind``, a report with counts)."""
    from toolrag.agent.plan import to_internal, to_seal
    from toolrag.trainer.datagen.functions import generate

    rng = random.Random(seed)
    pool = written_pool()
    shares = dict(MIX)
    raw: list[tuple[str, dict[str, Any]]] = []
    if apis_path is not None:
        k = round(n * shares["functions"])
        fns, rows, _ = generate(Path(apis_path), k, seed=seed, share="train")
        for f in fns:
            name = f["function"]["name"]
            if name not in pool:
                spec = f["function"]
                pool[name] = {
                    "name": name,
                    "description": spec["description"],
                    "inputSchema": spec["parameters"],
                }
        for row in rows:
            plan = [{"api": c["api"], "parameters": c["parameters"]} for c in row["calling"]]
            raw.append(
                (
                    "functions",
                    {
                        "query": row["query"],
                        "plan": plan,
                        "offered": row["offered"],
                        "kind": f"functions-{row['kind']}",
                    },
                )
            )
    else:
        shares.pop("functions")
    total = sum(shares.values())
    for source, share in shares.items():
        if source == "functions":
            continue
        for _ in range(round(n * share / total)):
            raw.append((source, MAKERS[source](rng)))
    rng.shuffle(raw)
    for _, ex in raw:  # arguments in the schema's order, as a model reading it writes them
        for call in ex["plan"]:
            order = list(pool.get(call["api"], {}).get("inputSchema", {}).get("properties", {}))
            params = call["parameters"]
            call["parameters"] = {
                k: params[k] for k in sorted(params, key=lambda k: ([*order, k]).index(k))
            }
    tools = _tools(pool)
    rejected: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    out: list[dict[str, Any]] = []
    for source, ex in raw:
        why = check_plan(ex["plan"], ex["offered"], pool)
        if why is None:
            calls = to_seal(ex["plan"], tools)
            if to_internal(calls, tools) != ex["plan"]:
                why = "round-trip"
        if why is None and seen[ex["query"]] >= max_repeats:
            why = "repeated-request"
        if why:
            rejected[why] += 1
            continue
        seen[ex["query"]] += 1
        out.append(
            {
                "id": f"mix-{len(out)}",
                "query": ex["query"],
                "calling": [c.model_dump() for c in calls],
                "offered": ex["offered"],
                "kind": ex["kind"],
                "source": source,
            }
        )
    used = {name for row in out for name in row["offered"]}
    functions = [pool[name] for name in sorted(used)]
    report = {
        "instances": len(out),
        "functions": len(functions),
        "by_source": dict(sorted(Counter(r["source"] for r in out).items())),
        "by_kind": dict(sorted(Counter(r["kind"] for r in out).items())),
        "by_calls": dict(sorted(Counter(str(len(r["calling"])) for r in out).items())),
        "with_references": sum(any(c["responses"] and _refs(c) for c in r["calling"]) for r in out),
        "empty_plans": sum(not r["calling"] for r in out),
        "distinct_requests": len({r["query"] for r in out}),
        "rejected": dict(sorted(rejected.items())),
        "seed": seed,
        "mix": shares,
        "max_repeats": max_repeats,
    }
    return functions, out, report


def _refs(call: dict[str, Any]) -> bool:
    return any(
        isinstance(v, str) and v.startswith("API_call_") for v in call["parameters"].values()
    )


def write_mix(
    out: Path,
    functions: list[dict[str, Any]],
    rows: list[dict[str, Any]],
    report: dict[str, Any],
    *,
    apis_path: Path | None,
    command: str,
) -> Path:
    """Write ``functions.json``, ``instances.jsonl`` and ``manifest.json`` to the folder
    ``out`` atomically; the manifest carries every file's sha256."""
    from toolrag.cache import file_sha256, staged_folder

    with staged_folder(Path(out), replace=True) as tmp:
        (tmp / "functions.json").write_text(json.dumps({"tools": functions}, indent=1) + "\n")
        (tmp / "instances.jsonl").write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        )
        manifest = {
            "format_version": FORMAT_VERSION,
            "generator": "toolrag.trainer.datagen.mix",
            "command": command,
            "source": (
                {"path": str(apis_path), "sha256": file_sha256(Path(apis_path))}
                if apis_path
                else None
            ),
            "report": report,
            "files": {
                name: {
                    "sha256": file_sha256(tmp / name),
                    "bytes": (tmp / name).stat().st_size,
                }
                for name in ("functions.json", "instances.jsonl")
            },
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return Path(out)
