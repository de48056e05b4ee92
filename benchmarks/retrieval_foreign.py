"""Retrieval on catalogs the retriever was never trained on, beside Seal-Tools, in one run.

Every set is a toolset plus requests labelled with all the tools each needs:

- each folder under ``benchmarks/data/foreign_retrieval/`` (``tools.json``: an OpenAI-style
  function list; ``queries.jsonl``: ``{"id", "query", "tools": [names]}``; ``manifest.json``),
  written by hand or converted from public specs, never trained or tuned on;
- ``toolalpaca_heldout``: the 214 functions ``toolrag datagen functions --share heldout`` made
  from the 30% of ToolAlpaca's public APIs no training function comes from, with its requests
  that need a tool (no-tool requests left out);
- ``seal_test_in_domain``: Seal-Tools ``test_in_domain.jsonl`` over all 4,076 tools.

For each set, one index per embedding model (``--model LABEL=SPEC``; default: the shipped
retriever and the untrained packaged all-MiniLM-L6-v2), and for each: hybrid and dense alone,
both with query decomposition (the default retriever), plus BM25 alone (the same for every
model). R@5, COMP@5 (all needed tools in the top 5) and nDCG@5. Then the shipped selector over
the shipped retriever's top 5 (what ``toolrag.plan`` offers the planner): the share of needed
tools it keeps (micro recall), the share of requests with every needed tool kept, and its
precision. Query encoding p50 (one query at a time, the ONNX bundle) per model on the first
200 requests of the first set, and each index's embedding bytes. The results are written after
each set, so a run cut off keeps the sets it finished.

    python benchmarks/retrieval_foreign.py
    python benchmarks/retrieval_foreign.py --model new=models/retriever-v2 --name retrieval_foreign_v2
    python benchmarks/retrieval_foreign.py --model shipped=default --model minilm=minilm \
        --model v2=DIR --selector shipped=default --selector v2=SELECTOR_DIR

``--selector LABEL=FOLDER`` runs that selector over model LABEL's retriever (default: the
shipped selector over the shipped retriever).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from common import ROOT, SEAL, seal_index, write_results

from toolrag.evaluation.retrieval_metrics import evaluate
from toolrag.index.encoder import model_label
from toolrag.index.store import ToolIndex
from toolrag.index.toolset import as_tools, load_toolset
from toolrag.instances import read_instances
from toolrag.retriever.factory import make_retriever
from toolrag.retriever.selector import ToolSelector

FOREIGN = ROOT / "benchmarks" / "data" / "foreign_retrieval"
TOOLALPACA = ROOT / "benchmarks" / "data" / "toolalpaca_heldout"
MODES = {"hybrid": "hybrid", "dense alone": "dense", "BM25 alone": "bm25"}
METRICS = ["R@5", "COMP@5", "nDCG@5"]
K = 5


def foreign_set(folder: Path) -> tuple[list, dict[str, str], dict[str, dict[str, int]]]:
    """Tools, queries and relevance of one ``foreign_retrieval`` folder."""
    tools = as_tools(json.loads((folder / "tools.json").read_text()))
    queries, qrels = {}, {}
    for line in (folder / "queries.jsonl").read_text().splitlines():
        if line.strip():
            row = json.loads(line)
            queries[row["id"]] = row["query"]
            qrels[row["id"]] = dict.fromkeys(row["tools"], 1)
    return tools, queries, qrels


def instance_set(tools: list, path: Path) -> tuple[list, dict[str, str], dict[str, dict[str, int]]]:
    instances = [i for i in read_instances(path) if i.gold_tools]  # no-tool requests: no gold
    return (
        tools,
        {i.id: i.query for i in instances},
        {i.id: dict.fromkeys(i.gold_tools, 1) for i in instances},
    )


def load_sets(names: list[str] | None, root: Path) -> dict[str, tuple]:
    sets = {}
    for folder in sorted(p for p in root.glob("*") if (p / "queries.jsonl").is_file()):
        sets[folder.name] = lambda folder=folder: foreign_set(folder)
    sets["toolalpaca_heldout"] = lambda: instance_set(
        as_tools(json.loads((TOOLALPACA / "functions.json").read_text())),
        TOOLALPACA / "instances.jsonl",
    )
    sets["seal_test_in_domain"] = lambda: instance_set(
        load_toolset(SEAL / "tool.jsonl"), SEAL / "test_in_domain.jsonl"
    )
    chosen = names or list(sets)
    unknown = sorted(set(chosen) - set(sets))
    if unknown:
        raise SystemExit(f"unknown sets {unknown}; choose among {sorted(sets)}")
    return {name: sets[name]() for name in chosen}


def index_for(set_name: str, tools: list, label: str, spec: str | None) -> ToolIndex:
    """The set's index with this model, cached under .cache/ (Seal-Tools: the shared one)."""
    folder = ROOT / ".cache" / "foreign-index" / f"{set_name}-{label}"
    if set_name == "seal_test_in_domain":
        default = ROOT / ".cache" / "seal-index-default"
        return seal_index(default if spec is None else folder, model=spec)
    manifest = folder / "manifest.json"
    if manifest.is_file():
        stored = json.loads(manifest.read_text())
        if stored["embedding"]["model"] == model_label(spec) and stored["tool_count"] == len(tools):
            return ToolIndex.load(folder)
    index = ToolIndex.build(tools, model=spec)
    index.save(folder)
    return index


def selector_recall(
    index: ToolIndex, queries: dict, qrels: dict, folder: str | None = None
) -> dict[str, float]:
    """A selector (``None``: the shipped one) over the default retriever's top 5 of its
    index, against the needed tools."""
    selector = ToolSelector.load(folder, index=index)
    retriever = make_retriever(index, "hybrid", decompose=True)
    kept = needed = chosen = complete = 0
    for qid, query in queries.items():
        cands = [hit.tool for hit in retriever.retrieve(query, k=min(K, len(index)))]
        picked = {t.name for t in selector.select(query, cands).tools}
        gold = set(qrels[qid])
        kept += len(picked & gold)
        needed += len(gold)
        chosen += len(picked)
        complete += gold <= picked
    return {
        "n": len(queries),
        "recall": kept / needed,
        "all_needed_kept": complete / len(queries),
        "precision": kept / chosen if chosen else 0.0,
    }


def encode_p50(index: ToolIndex, queries: list[str]) -> float:
    index.encode_queries(["warm up"])
    times = []
    for query in queries:
        start = time.perf_counter()
        index.encode_queries([query])
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--model",
        action="append",
        default=None,
        help="LABEL=SPEC (repeatable); default: shipped=default minilm=minilm",
    )
    ap.add_argument("--sets", nargs="*", default=None, help="set names (default: all)")
    ap.add_argument("--data", type=Path, default=FOREIGN, help="folder of foreign sets")
    ap.add_argument("--no-selector", action="store_true", help="skip the selector rows")
    ap.add_argument(
        "--selector",
        action="append",
        default=None,
        help="LABEL=FOLDER (repeatable): that selector over model LABEL's index; "
        "default: shipped=default",
    )
    ap.add_argument("--name", default="retrieval_foreign")
    args = ap.parse_args()
    models = dict(m.split("=", 1) for m in (args.model or ["shipped=default", "minilm=minilm"]))
    specs = {label: (None if spec == "default" else spec) for label, spec in models.items()}
    selectors = (
        {}
        if args.no_selector
        else dict(s.split("=", 1) for s in (args.selector or ["shipped=default"]))
    )
    unknown = sorted(set(selectors) - set(specs))
    if unknown:
        raise SystemExit(f"--selector for models not measured: {unknown}")

    sets = load_sets(args.sets, args.data)
    results: dict[str, dict] = {}
    latency: dict[str, dict] = {}
    timed = next(iter(sets))  # query encoding is timed on the first set's requests
    for set_name, (tools, queries, qrels) in sets.items():
        row: dict[str, dict] = {"tools": len(tools), "queries": len(queries)}
        multi = sum(len(g) >= 2 for g in qrels.values())
        row["multi_tool_queries"] = multi
        for label, spec in specs.items():
            index = index_for(set_name, tools, label, spec)
            modes = (
                MODES
                if label == next(iter(specs))
                else {"hybrid": "hybrid", "dense alone": "dense"}
            )
            for mode_label, mode in modes.items():
                retriever = make_retriever(index, mode, decompose=True)
                run = retriever.search(queries, k=min(10, len(index)))
                scores = evaluate(qrels, run, ks=[K])["overall"]
                key = "BM25 alone" if mode == "bm25" else f"{label} {mode_label}"
                row[key] = {m: scores[m] for m in METRICS}
                print(set_name, key, row[key], flush=True)
            if label not in latency:
                latency[label] = {"dimension": index.manifest["embedding"]["dimension"]}
            if set_name == timed:
                latency[label]["encode_p50_ms"] = encode_p50(index, list(queries.values())[:200])
            latency[label].setdefault("embedding_bytes", {})[set_name] = int(
                index.embeddings.nbytes
            )
            if label in selectors:
                folder = None if selectors[label] == "default" else selectors[label]
                key = "selector" if label == "shipped" else f"{label} selector"
                row[key] = selector_recall(index, queries, qrels, folder)
                print(set_name, key, row[key], flush=True)
        results[set_name] = row
        write(args, models, results, latency, timed)  # after each set: a cut-off run keeps them


def write(args, models: dict, results: dict, latency: dict, timed: str) -> None:
    """The table and the record of the sets measured so far."""
    lines = [
        "# Retrieval on foreign catalogs beside Seal-Tools (top 5, query decomposition on)",
        "",
        "| set | tools | queries (2+ tools) | retriever | R@5 | COMP@5 | nDCG@5 |",
        "| --- | ---: | ---: | --- | ---: | ---: | ---: |",
    ]
    for set_name, row in results.items():
        first = True
        for key, scores in row.items():
            if not isinstance(scores, dict) or key.endswith("selector"):
                continue
            lead = (
                f"| {set_name} | {row['tools']} | {row['queries']} ({row['multi_tool_queries']}) |"
                if first
                else "| | | |"
            )
            first = False
            lines.append(
                lead + f" {key} | " + " | ".join(f"{scores[m]:.3f}" for m in METRICS) + " |"
            )
    if not args.no_selector:
        lines += [
            "",
            "Selectors over their retriever's top 5 (what `toolrag.plan` offers the planner; "
            "`selector`: the shipped one over the shipped retriever):",
            "",
            "| set | selector | needed tools kept (recall) | requests with all needed kept | "
            "precision |",
            "| --- | --- | ---: | ---: | ---: |",
        ]
        for set_name, row in results.items():
            for key, s in row.items():
                if key.endswith("selector") and isinstance(s, dict):
                    lines.append(
                        f"| {set_name} | {key} | {s['recall']:.3f} | {s['all_needed_kept']:.3f} | "
                        f"{s['precision']:.3f} |"
                    )
    lines += [
        "",
        f"| model | spec | dimension | query encoding p50 ms ({timed}, first 200, one at a time) |",
        "| --- | --- | ---: | ---: |",
    ]
    for label, info in latency.items():
        lines.append(
            f"| {label} | `{models[label]}` | {info['dimension']} | {info['encode_p50_ms']:.2f} |"
        )
    lines += [
        "",
        "Hybrid and dense alone run with query decomposition, as the default retriever does; "
        "BM25 alone is the same for every model. COMP@5: the share of requests with every "
        "needed tool in the top 5. No-tool requests are left out of ToolAlpaca's held-out set.",
    ]
    record = {"models": models, "sets": results, "latency": latency}
    write_results(args.name, record, "\n".join(lines))


if __name__ == "__main__":
    main()
