"""The shipped default retriever (int8-packed) against the float32 model it was packed from.

Builds an index of all 4,076 Seal-Tools tools with each model (cached under .cache/), then
evaluates dense, hybrid and the default hybrid + decomposition on test_in_domain, overall and on
the "unseen" slice (test queries needing a tool held out of the model's training). Also reports
the artifact's size and the cosine between the two models' query embeddings.

    python benchmarks/shipped_retriever.py --source .cache/retrievers/infonce
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from common import ROOT, SEAL, write_results

from toolrag.evaluation.retrieval import evaluate_retriever
from toolrag.index.encoder import MODEL_RECORD, encode, load_encoder, model_label, shipped_retriever
from toolrag.index.store import ToolIndex
from toolrag.index.toolset import load_toolset
from toolrag.instances import read_instances
from toolrag.retriever.factory import default_retriever, make_retriever

COLS = ["R@5", "COMP@5", "R@10", "COMP@10", "nDCG@10"]


def index_for(model: str | None, folder: Path, tools) -> ToolIndex:
    if (folder / "manifest.json").exists():
        idx = ToolIndex.load(folder)
        if idx.manifest["embedding"]["model"] == model_label(model):
            return idx
    idx = ToolIndex.build(tools, model=model)
    idx.save(folder)
    return idx


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--source", type=Path, default=ROOT / ".cache" / "retrievers" / "infonce")
    args = ap.parse_args()
    tools = load_toolset(SEAL / "tool.jsonl")
    test = read_instances(SEAL / "test_in_domain.jsonl")
    shipped = shipped_retriever()
    record = json.loads((shipped / MODEL_RECORD).read_text())
    held = set(record["held_out_tools"])
    unseen = [i for i in test if held.intersection(i.gold_tools)]

    sizes = {p.relative_to(shipped).as_posix(): p.stat().st_size for p in shipped.rglob("*")}
    sizes = {k: v for k, v in sizes.items() if (shipped / k).is_file()}
    queries = [i.query for i in test]
    a = encode(load_encoder(str(args.source)), queries)
    b = encode(load_encoder(None), queries)
    cos = (a * b).sum(axis=1)

    models = {
        "float32 (source)": (str(args.source), ROOT / ".cache" / "seal-index-source"),
        "int8 packed (shipped default)": (None, ROOT / ".cache" / "seal-index-default"),
    }
    rows: dict[str, dict] = {}
    for label, (model, folder) in models.items():
        idx = index_for(model, folder, tools)
        retrievers = {
            "dense": make_retriever(idx, "dense"),
            "hybrid": make_retriever(idx, "hybrid"),
            "hybrid + decomposition (default)": default_retriever(idx),
        }
        for mode, retr in retrievers.items():
            rows[f"{label} | {mode}"] = {
                "test": evaluate_retriever(retr, test)[0]["overall"],
                "unseen": evaluate_retriever(retr, unseen)[0]["overall"],
            }
    total = sum(sizes.values())
    md = [
        "# Shipped default retriever: int8-packed vs the float32 model it was packed from",
        "",
        f"Artifact `retriever/data/default`: {total / 1e6:.1f} MB in {len(sizes)} files "
        f"(weights {sizes['model.int8.safetensors'] / 1e6:.1f} MB; the float32 weights are "
        f"{(args.source / 'model.safetensors').stat().st_size / 1e6:.1f} MB). Query-embedding "
        f"cosine int8 vs float32 over the {len(queries)} test queries: min {cos.min():.5f}, "
        f"mean {cos.mean():.5f}.",
        "",
        f"test_in_domain ({len(test)} queries); unseen: the {len(unseen)} queries that need a tool "
        "held out of training.",
        "",
        "| model | retriever | " + " | ".join(COLS) + " | unseen R@5 | unseen COMP@5 |",
        "|---|---|" + "---|" * (len(COLS) + 2),
    ]
    for key, r in rows.items():
        model, mode = key.split(" | ")
        md.append(
            f"| {model} | {mode} | "
            + " | ".join(f"{r['test'][c]:.3f}" for c in COLS)
            + f" | {r['unseen']['R@5']:.3f} | {r['unseen']['COMP@5']:.3f} |"
        )
    write_results(
        "shipped_retriever",
        {
            "artifact_bytes": sizes,
            "artifact_total_bytes": total,
            "cosine": {"min": float(cos.min()), "mean": float(np.mean(cos))},
            "unseen_queries": len(unseen),
            "results": rows,
        },
        "\n".join(md),
    )


if __name__ == "__main__":
    main()
