"""Planner on the held-out chain set (`chain_calls.py`: requests whose calls feed one another)
and its nothing-fits slice (`nothing_fits.py`: the right plan is ``[]``).

The pipeline is the product's, as in `function_calls.py`: the functions (MCP ``tools/list``
form, output schemas included) are loaded by the toolset loader and indexed; for each request
the selector (auto) chooses among the offered functions and the planner plans with them.

Reported (`chain_scoring.py` says how plans are matched):

- exact plans: every expected call matched one to one (independent calls in any order), each
  argument acceptable, each reference pointing at the right earlier output;
- reference accuracy: the share of expected reference arguments that point at the right call's
  right output field (under the best matching of predicted to expected calls);
- function P/R/F1: function names, as multisets, micro-averaged over requests;
- selector recall: requests where the selector kept every gold function;
- per chain length (steps of the longest dependent path), per slice (fan-in, two chains,
  plain-function references, distractors offered or not, wording style) and, for nothing-fits,
  the share of empty plans; p50/p95 seconds a plan (selector included).

    python benchmarks/chain_bench.py                   # the shipped default planner
    python benchmarks/chain_bench.py --planner fast    # the fast one
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import chain_calls
import nothing_fits
from chain_scoring import Score, components, depth, fan_in, jsonable, refs_in, resolve, score
from common import RESULTS, write_results

from toolrag.agent.agent import make_planner, plan_with
from toolrag.evaluation.planner import percentile
from toolrag.index.store import ToolIndex
from toolrag.index.toolset import load_toolset
from toolrag.retriever.selector import resolve_selector


def run_order(*sets: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The requests of ``sets`` in a fixed shuffled order, the sets interleaved, so that the
    results written along the way (every 10 requests) are a fair sample of every set, domain
    and style while the run goes on."""
    keyed = []
    for requests in sets:
        order = list(range(len(requests)))
        random.Random(0).shuffle(order)
        keyed += [(rank / len(requests), requests[i]) for rank, i in enumerate(order)]
    return [r for _, r in sorted(keyed, key=lambda x: x[0])]


def slices(row: dict[str, Any]) -> list[str]:
    """The slices a request belongs to (besides ``all``)."""
    if row["category"] == "nothing-fits":
        return [f"nothing-fits: {row['kind']}", f"nothing-fits style: {row['style']}"]
    gold = row["calls"]
    refs = refs_in([a for c in gold for a in c["arguments"].values()])
    out = [f"{depth(gold)} steps", f"style: {row['style']}"]
    if fan_in(gold):
        out.append("fan-in")
    if components(gold) > 1:
        out.append("two independent chains")
    out.append(
        "references a plain function's result"
        if any(r.output == "result" for r in refs)
        else "output schemas only"
    )
    literal = any(
        refs_in(list(c["arguments"].values()))
        and any(v is not None and not refs_in([v]) for a in c["arguments"].values() for v in a)
        for c in gold
    )
    if literal:
        out.append("later call also takes stated values")
    gold_names = {c["name"] for c in gold}
    out.append("distractors offered" if set(row["offered"]) - gold_names else "gold functions only")
    return out


def summarize(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per slice: n, exact %, reference accuracy, function P/R/F1, empty plans, selector recall."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        for name in [row["category"], *row["slices"]]:
            groups[name].append(row)
    table = {}
    for name, group in groups.items():
        tp = sum(r["score"]["tp"] for r in group)
        fp = sum(r["score"]["fp"] for r in group)
        fn = sum(r["score"]["fn"] for r in group)
        refs = sum(r["score"]["refs"] for r in group)
        p = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        table[name] = {
            "n": len(group),
            "exact": round(100 * sum(r["score"]["exact"] for r in group) / len(group), 1),
            "refs": refs,
            "ref_accuracy": (
                round(100 * sum(r["score"]["refs_right"] for r in group) / refs, 1)
                if refs
                else None
            ),
            "function_p": round(100 * p, 1),
            "function_r": round(100 * rec, 1),
            "function_f1": round(100 * (2 * p * rec / (p + rec) if p + rec else 0.0), 1),
            "empty_plans": round(100 * sum(not r["predicted"] for r in group) / len(group), 1),
            "selector_kept_gold": round(
                100 * sum(r["selector_kept_gold"] for r in group) / len(group), 1
            ),
            "p50_s": round(percentile([r["seconds"] for r in group], 0.5), 3),
            "p95_s": round(percentile([r["seconds"] for r in group], 0.95), 3),
        }
    return table


def markdown(table: dict[str, dict[str, Any]], args: argparse.Namespace, n_functions: int) -> str:
    planner = f"`{args.planner}`" if args.planner else "the shipped default"
    chain, none = table.get("chain", {}), table.get("nothing-fits", {})
    lines = [
        f"# Planner on the held-out chain set ({chain.get('n', 0)} requests) and the "
        f"nothing-fits slice ({none.get('n', 0)}), {n_functions} functions, one run",
        "",
        f"Planner {planner}, selector `{args.selector}` choosing among the offered functions. "
        "Exact: every expected call matched one to one (independent calls in any order) with "
        "acceptable arguments and references to the right earlier output. References: the "
        "share of expected reference arguments pointing at the right call's right field. "
        "Function P/R/F1: function names as multisets, micro-averaged. Selector kept gold: "
        "requests where the selector kept every expected function.",
        "",
        "| slice | n | exact % | references right % (n) | function P | R | F1 | empty plans % "
        "| selector kept gold % | p50 s | p95 s |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    order = sorted(table, key=lambda k: (k != "chain", k.startswith("nothing"), k))
    for name in order:
        r = table[name]
        ref = f"{r['ref_accuracy']} ({r['refs']})" if r["refs"] else "-"
        lines.append(
            f"| {name} | {r['n']} | {r['exact']} | {ref} | {r['function_p']} | "
            f"{r['function_r']} | {r['function_f1']} | {r['empty_plans']} | "
            f"{r['selector_kept_gold']} | {r['p50_s']} | {r['p95_s']} |"
        )
    lines += [
        "",
        "For nothing-fits rows, exact = empty plans (the right plan is `[]`).",
    ]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--planner", default=None, help="`fast`, an adapter folder (default: shipped)")
    ap.add_argument("--selector", default="auto", help="auto, none or a selector folder")
    ap.add_argument("--name", default=None, help="results name (default chain_calls_<planner>)")
    ap.add_argument("--limit", type=int, default=None, help="the first N requests of each set")
    ap.add_argument(
        "--resume",
        action="store_true",
        help="keep the requests the results file already has and plan only the others",
    )
    args = ap.parse_args()
    name = args.name or f"chain_calls_{args.planner or 'default'}"

    functions, chains = chain_calls.load()
    requests = run_order(chains[: args.limit], nothing_fits.load()[: args.limit])
    done: list[dict[str, Any]] = []
    if args.resume and (RESULTS / f"{name}.json").exists():
        done = json.loads((RESULTS / f"{name}.json").read_text())["requests"]
    done_ids = {r["id"] for r in done}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "tools.json"
        path.write_text(json.dumps({"tools": functions}))
        tools = load_toolset(path)
    by_name = {t.name: t for t in tools}
    returns = {t.name: [p.name for p in t.returns] for t in tools}
    index = ToolIndex.build(tools)
    selector = resolve_selector(args.selector, index)
    planner = make_planner(args.planner)

    rows = list(done)
    for req in requests:
        if req["id"] in done_ids:
            continue
        result, selection = plan_with(
            planner, selector, req["query"], [by_name[n] for n in req["offered"]]
        )
        pred, dangling = resolve(result.calls, returns)
        s: Score = score(pred, req["calls"], dangling)
        gold_names = {c["name"] for c in req["calls"]}
        kept = selection is None or gold_names <= {t.name for t in selection.tools}
        rows.append(
            {
                **{k: v for k, v in req.items() if k != "calls"},
                "slices": slices(req),
                "expected": jsonable(req["calls"]),
                "predicted": [{"name": a, "arguments": jsonable(p)} for a, p in pred],
                "selected": [t.name for t in selection.tools] if selection else None,
                "selector_kept_gold": kept,
                "format_ok": result.format_ok,
                "seconds": round(result.seconds, 3),
                "score": {
                    "exact": s.exact,
                    "refs": s.refs,
                    "refs_right": s.refs_right,
                    "tp": s.tp,
                    "fp": s.fp,
                    "fn": s.fn,
                    "dangling_references": s.dangling,
                    "matched": {str(p): j for p, j in s.matched.items()},
                },
            }
        )
        if len(rows) % 10 == 0 or len(rows) == len(requests):
            table = summarize(rows)
            text = markdown(table, args, len(functions))
            if len(rows) < len(requests):
                text += f"\n\nPartial: {len(rows)} of {len(requests)} requests planned so far."
            with contextlib.redirect_stdout(sys.stderr):
                write_results(
                    name,
                    {
                        "planner": args.planner or "shipped",
                        "selector": args.selector,
                        "n_functions": len(functions),
                        "planned": len(rows),
                        "requests_in_run": len(requests),
                        "summary": table,
                        "requests": rows,
                    },
                    text,
                )


if __name__ == "__main__":
    main()
