"""Train the dense retriever under several settings and measure each on test_in_domain.

For every setting: train with `toolrag train retriever` (in a subprocess, for wall time and peak
memory; resumable: a finished model is reused), tune the hybrid dense weight on the run's own
validation queries (carved from dev.jsonl, never trained on), build an index of all 4,076 tools
with the model, and evaluate dense and hybrid retrieval on test_in_domain -- overall and on the
"unseen" slice: test queries that need at least one of the tools held out of training.

    python benchmarks/train_retriever.py                       # all settings (~2 h)
    python benchmarks/train_retriever.py --only infonce        # one setting
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from common import ROOT, SEAL, write_results

from toolrag.evaluation.retrieval import evaluate_retriever
from toolrag.evaluation.retrieval_metrics import evaluate
from toolrag.index.store import ToolIndex
from toolrag.index.toolset import load_toolset
from toolrag.instances import read_instances
from toolrag.retriever import DenseRetriever, HybridConfig, HybridRetriever
from toolrag.retriever.decompose import DecomposingRetriever
from toolrag.trainer.retriever import (
    TRAINING_FILE,
    RetrieverTrainConfig,
    build_queries,
    tune_dense_weight,
    update_record,
    write_model_card,
)

SETTINGS = {
    "pairs": ["--loss", "pairs"],
    "infonce": ["--loss", "infonce"],
    "listwise": ["--loss", "listwise"],
    "infonce-no-hard-negatives": ["--loss", "infonce", "--no-hard-negatives"],
    "infonce-no-pseudo": ["--loss", "infonce", "--no-pseudo"],
    # hard negatives with / without at the labelled-only size (~10 min instead of ~45)
    "infonce-no-pseudo-no-hard-negatives": [
        "--loss",
        "infonce",
        "--no-pseudo",
        "--no-hard-negatives",
    ],
    # labelled + self-instruct instances (benchmarks/datagen_effect.py writes the file)
    "infonce-no-pseudo+generated": [
        "--loss",
        "infonce",
        "--no-pseudo",
        "--extra-train",
        ".cache/datagen-effect/instances.jsonl",
    ],
}
COLS = ["R@5", "R@10", "COMP@5", "COMP@10", "nDCG@10"]


def train(name: str, extra: list[str], models: Path, epochs: float) -> dict:
    out = models / name
    if (out / TRAINING_FILE).exists() and (out / "model.safetensors").exists():
        return {"reused": True}
    cmd = [
        sys.executable,
        "-m",
        "toolrag.cli",
        "train",
        "retriever",
        "--train",
        os.path.relpath(SEAL / "dev.jsonl", ROOT),
        "--tools",
        os.path.relpath(SEAL / "tool.jsonl", ROOT),
        "--out",
        os.path.relpath(out, ROOT),
        "--epochs",
        str(epochs),
        *extra,
    ]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)  # this child's own peak memory
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"training {name} failed: {' '.join(cmd)}")
    return {
        "wall_seconds": time.perf_counter() - start,
        "peak_rss_mb": usage.ru_maxrss / 1024,
        "command": " ".join(["toolrag", *cmd[3:]]),
    }


def validation(record: dict) -> tuple[dict[str, str], dict[str, dict[str, int]]]:
    """The run's validation queries and qrels, rebuilt exactly as training carved them (labelled
    dev queries never trained on)."""

    cfg = RetrieverTrainConfig.from_record(record["config"])
    _, _, _, val = build_queries(cfg)
    queries = {str(i): q.text for i, q in enumerate(val)}
    qrels = {str(i): dict.fromkeys(q.tools, 1) for i, q in enumerate(val)}
    return queries, qrels


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--only", nargs="*", choices=list(SETTINGS), help="settings to run")
    ap.add_argument("--models", type=Path, default=ROOT / ".cache" / "retrievers")
    ap.add_argument("--epochs", type=float, default=1.0)
    args = ap.parse_args()
    tools = load_toolset(SEAL / "tool.jsonl")
    test = read_instances(SEAL / "test_in_domain.jsonl")
    results_file = ROOT / "benchmarks" / "results" / "retriever_training.json"
    results = json.loads(results_file.read_text())["results"] if results_file.exists() else {}

    for name in args.only or list(SETTINGS):
        run_info = train(name, SETTINGS[name], args.models, args.epochs)
        model_dir = args.models / name
        record = json.loads((model_dir / TRAINING_FILE).read_text())
        held = set(record["held_out_tools"])
        unseen = [i for i in test if held.intersection(i.gold_tools)]
        index_dir = args.models / f"{name}-index"
        if (index_dir / "manifest.json").exists():
            idx = ToolIndex.load(index_dir)
        else:
            idx = ToolIndex.build(tools, model=str(model_dir))
            idx.save(index_dir)
        val_queries, val_qrels = validation(record)  # rebuilt once: loads the toolset
        # the trainer tunes the weight on these validation queries; older records lack it
        weight = record.get("fusion", {}).get("dense_weight")
        if weight is None:
            cfg = RetrieverTrainConfig.from_record(record["config"])
            weight = tune_dense_weight(idx, build_queries(cfg)[3])
            update_record(model_dir, fusion={"dense_weight": weight})
        hybrid = HybridRetriever(idx, HybridConfig(dense_weight=weight))
        retrievers = {
            "dense": DenseRetriever(idx),
            "hybrid": hybrid,
            "hybrid + decomposition": DecomposingRetriever(hybrid),
        }
        scores = {}
        for mode, retr in retrievers.items():
            scores[mode] = evaluate_retriever(retr, test)[0]
            scores[f"{mode} unseen"] = evaluate_retriever(retr, unseen)[0]
        # model selection uses these, never the test scores
        val_run = DecomposingRetriever(hybrid).search(val_queries, 10)
        val_scores = evaluate(val_qrels, val_run, [5, 10])["overall"]
        update_record(
            model_dir, test={f"test_in_domain {k}": v["overall"] for k, v in scores.items()}
        )
        write_model_card(model_dir)
        prev = results.get(name, {})
        results[name] = {
            "train": run_info if not run_info.get("reused") else prev.get("train", run_info),
            "train_seconds_in_process": record["train_seconds"],
            "steps": record["steps"],
            "rows": record["data"]["rows"],
            "dense_weight": weight,
            "validation_hybrid_decomposition": val_scores,
            "validation_queries": len(val_queries),
            "unseen_queries": len(unseen),
            "scores": scores,
        }
        results_file.parent.mkdir(parents=True, exist_ok=True)
        results_file.write_text(json.dumps({"results": results}, indent=2))  # resumable checkpoint

    md = [
        "# Dense retriever training (MiniLM-L6, CPU), evaluated on test_in_domain",
        "",
        "Unseen: the test queries that need at least one tool held out of all training (10% of "
        "tools). Hybrid + decomposition is toolrag's default mode. The last table is on each "
        "run's validation queries (labelled dev queries carved out before training): the numbers "
        "a default is chosen by.",
        "",
        "| setting | mode | " + " | ".join(COLS) + " | unseen COMP@5 | unseen R@5 |",
        "|---|---|" + "---|" * (len(COLS) + 2),
    ]
    for name, r in results.items():
        for mode in ("dense", "hybrid", "hybrid + decomposition"):
            if mode not in r["scores"]:
                continue
            o, u = r["scores"][mode]["overall"], r["scores"][f"{mode} unseen"]["overall"]
            label = f"{mode} (w={r['dense_weight']})" if mode != "dense" else mode
            md.append(
                f"| {name} | {label} | "
                + " | ".join(f"{o[c]:.3f}" for c in COLS)
                + f" | {u['COMP@5']:.3f} | {u['R@5']:.3f} |"
            )
    md += [
        "",
        "| setting | rows | steps | train wall s | peak RSS MB | unseen queries |",
        "|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        t = r["train"]
        md.append(
            f"| {name} | {r['rows']} | {r['steps']} | {t.get('wall_seconds', float('nan')):.0f} | "
            f"{t.get('peak_rss_mb', float('nan')):.0f} | {r['unseen_queries']} |"
        )
    md += [
        "",
        "| setting | validation queries | val R@5 | val COMP@5 | val COMP@10 |",
        "|---|---|---|---|---|",
    ]
    for name, r in results.items():
        v = r.get("validation_hybrid_decomposition")
        if v:
            md.append(
                f"| {name} | {r['validation_queries']} | {v['R@5']:.3f} | {v['COMP@5']:.3f} | "
                f"{v['COMP@10']:.3f} |"
            )
    write_results("retriever_training", {"results": results}, "\n".join(md))


if __name__ == "__main__":
    main()
