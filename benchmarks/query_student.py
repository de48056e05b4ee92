"""The distilled query encoder against the full one: latency (encoding alone, and a whole hybrid
query), cosine to the full model, and retrieval quality of dense, hybrid and the default
retriever (hybrid + decomposition) over the shipped retriever's index -- one run, same queries.

Tools are encoded by the full model in both cases: only the query side changes. Encoders take
turns by blocks of queries, so machine drift hits all alike (see query_encoder_int8.py).

    python benchmarks/query_student.py --index .cache/seal-index-default --student DIR
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import numpy as np
from common import SEAL, write_results

from toolrag.evaluation.planner import percentile, spread
from toolrag.evaluation.retrieval import evaluate_retriever
from toolrag.index.encoder import (
    MODEL_RECORD,
    STUDENT_RECORD,
    encode,
    load_encoder,
    resolve_model,
    weight_checksum,
)
from toolrag.index.onnx_encoder import load_onnx_encoder
from toolrag.index.store import ToolIndex
from toolrag.instances import read_instances
from toolrag.retriever import HybridRetriever, make_retriever

METRICS = ("R@5", "COMP@5", "nDCG@10")
SETTINGS = {"dense": ("dense", False), "hybrid": ("hybrid", False), "default": ("hybrid", True)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--index", type=Path, default=Path(".cache/seal-index-default"))
    ap.add_argument("--student", default="toolrag-query-encoder", help="student folder or name")
    ap.add_argument("--n", type=int, default=200, help="queries timed")
    ap.add_argument("--block", type=int, default=25, help="queries per encoder turn")
    ap.add_argument("--name", default="query_student")
    args = ap.parse_args()

    idx = ToolIndex.load(args.index)
    teacher = idx.encoder
    student = load_encoder(args.student)
    record = json.loads((Path(resolve_model(args.student)) / STUDENT_RECORD).read_text())
    if record["teacher"]["checksum"] != idx.manifest["embedding"]["checksum"]:
        raise SystemExit(f"{args.student} was not distilled from the model of {args.index}")
    encoders = {
        f"full ({teacher[0].auto_model.config.num_hidden_layers} layers), int8": load_onnx_encoder(
            teacher, idx.manifest["embedding"]["checksum"]
        ),
        f"distilled ({len(record['kept_layers'])} layers), int8": load_onnx_encoder(
            student, weight_checksum(student)
        ),
    }
    assert all(e is not None and e.precision == "int8" for e in encoders.values())

    test = read_instances(SEAL / "test_in_domain.jsonl")
    teacher_record = Path(resolve_model(idx._model_arg())) / MODEL_RECORD
    held = (
        set(json.loads(teacher_record.read_text())["held_out_tools"])
        if teacher_record.is_file()
        else set()
    )
    unseen = [i for i in test if held.intersection(i.gold_tools)]
    queries = [i.query for i in spread(test, args.n)]
    reference = encode(teacher, queries)  # PyTorch float32, full model

    secs: dict[str, dict[str, list[float]]] = {n: {"encode": [], "hybrid": []} for n in encoders}
    blocks = [queries[i : i + args.block] for i in range(0, len(queries), args.block)]
    hybrid = HybridRetriever(idx)
    for block in blocks:
        for name, enc in encoders.items():
            idx._fast_encoder = enc
            enc.encode(block[:2])
            for q in block:
                start = time.perf_counter()
                enc.encode([q])
                secs[name]["encode"].append(time.perf_counter() - start)
            for q in block:
                start = time.perf_counter()
                hybrid.search({"q": q}, 10)
                secs[name]["hybrid"].append(time.perf_counter() - start)

    rows = {}
    for name, enc in encoders.items():
        idx._fast_encoder = enc  # every retriever over this index now encodes queries with it
        cos = (enc.encode(queries) * reference).sum(1)
        quality = {}
        for setting, (mode, decompose) in SETTINGS.items():
            retr = make_retriever(idx, mode, decompose=decompose)
            for split, instances in {"all": test, "unseen": unseen}.items():
                scores = evaluate_retriever(retr, instances)[0]["overall"]
                quality[f"{setting}/{split}"] = {m: scores[m] for m in METRICS}
        rows[name] = {
            "encode_p50_ms": percentile(secs[name]["encode"], 0.5) * 1000,
            "encode_p95_ms": percentile(secs[name]["encode"], 0.95) * 1000,
            "hybrid_p50_ms": percentile(secs[name]["hybrid"], 0.5) * 1000,
            "hybrid_p95_ms": percentile(secs[name]["hybrid"], 0.95) * 1000,
            "hybrid_mean_ms": statistics.mean(secs[name]["hybrid"]) * 1000,
            "cosine_to_full_min": float(np.min(cos)),
            "cosine_to_full_mean": float(np.mean(cos)),
            "quality": quality,
        }

    md = [
        f"# Distilled query encoder: {len(queries)} test queries timed, all {len(test)} scored",
        "",
        f"Index: the shipped retriever's ({args.index}); tools encoded by the full model. "
        "Latency: one query at a time, int8 ONNX Runtime, encoders taking turns by blocks of "
        f"{args.block} queries. Cosine: to the full model's PyTorch float32 query embedding. "
        f"Unseen: the {len(unseen)} test queries that need a tool held out of the retriever's "
        "(and the student's) training.",
        "",
        "| query encoder | encode p50 ms | hybrid p50 ms | hybrid p95 ms | cosine to full min / mean |",
        "|---|---|---|---|---|",
    ]
    for name, r in rows.items():
        md.append(
            f"| {name} | {r['encode_p50_ms']:.2f} | {r['hybrid_p50_ms']:.2f} | "
            f"{r['hybrid_p95_ms']:.2f} | {r['cosine_to_full_min']:.3f} / "
            f"{r['cosine_to_full_mean']:.3f} |"
        )
    md += [
        "",
        "| query encoder | retriever | queries | R@5 | COMP@5 | nDCG@10 |",
        "|---|---|---|---|---|---|",
    ]
    for name, r in rows.items():
        for key, q in r["quality"].items():
            setting, split = key.split("/")
            label = {"default": "hybrid + decomposition (default)"}.get(setting, setting)
            md.append(
                f"| {name} | {label} | {split} | "
                + " | ".join(f"{q[m]:.3f}" for m in METRICS)
                + " |"
            )
    write_results(
        args.name,
        {
            "index": str(args.index),
            "student": args.student,
            "student_record": {k: record[k] for k in ("config", "kept_layers", "validation")},
            "unseen_queries": len(unseen),
            "rows": rows,
        },
        "\n".join(md),
    )


if __name__ == "__main__":
    main()
