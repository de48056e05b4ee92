"""Cache, for every usable dev.jsonl query, its candidate lists (retrieved top-10 + 4 BM25
distractors, with and without the gold tools, and oracle-5) with the shipped selector's
features and raw signals for new features. Run from the repository root."""

import pickle
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, "benchmarks")
sys.path.insert(0, ".")
from common import SEAL, seal_index

from toolrag.evaluation.candidates import CandidateBuilder
from toolrag.index.text import split_identifier, tokenize
from toolrag.index.toolset import load_toolset
from toolrag.retriever.decompose import split_clauses
from toolrag.retriever.factory import default_retriever
from toolrag.retriever.selector import features
from toolrag.trainer.selector import SelectorTrainConfig, candidate_lists, split_instances


def extra(index, query, tools):
    """Raw signals for candidate new features."""
    parts = split_clauses(query)
    texts = [query] + (parts if len(parts) > 1 else [])
    q = index.encode_queries(texts)
    t = index.embeddings[[index.row(x.name) for x in tools]]
    cos = q @ t.T
    words = set(tokenize(query))
    rows = []
    for j, tool in enumerate(tools):
        part_rank = min(int((cos[i] > cos[i, j]).sum()) for i in range(len(texts)))
        wins = int(sum(cos[i].argmax() == j for i in range(1, len(texts))))
        pnames = [tokenize(split_identifier(p.name)) for p in tool.parameters]
        param_hit = [sum(w in words for w in ws) / max(1, len(ws)) for ws in pnames]
        req = [h for h, p in zip(param_hit, tool.parameters, strict=False) if p.required]
        desc = tokenize(tool.description or "")
        rows.append(
            [
                part_rank,
                wins,
                float(np.mean(param_hit)) if param_hit else 0.0,
                float(np.mean(req)) if req else 0.0,
                sum(w in words for w in desc) / max(1, len(desc)),
            ]
        )
    return np.asarray(rows)


def main():
    tools = load_toolset([SEAL / "tool.jsonl"])
    cfg = SelectorTrainConfig(
        train=SEAL / "dev.jsonl", tools=[SEAL / "tool.jsonl"], out=Path("/tmp/x"), parts="clauses"
    )
    instances = cfg.train_instances()
    train, val, held = split_instances(instances, tools, cfg)
    index = seal_index()
    retriever = default_retriever(index)
    builder = CandidateBuilder(tools)
    out = {}
    for name, insts in (("train", train), ("val", val)):
        rows = []
        for inst in insts:
            item = {
                "id": inst.id,
                "query": inst.query,
                "gold": list(dict.fromkeys(inst.gold_tools)),
            }
            for kind, lists in (
                (
                    "with_gold",
                    candidate_lists(
                        [inst], retriever, builder, depth=10, distractors=4, exclude=held
                    ),
                ),
                (
                    "retrieved",
                    candidate_lists(
                        [inst], retriever, builder, depth=10, distractors=4, add_gold=False
                    ),
                ),
            ):
                cl = lists[0]
                item[kind] = (
                    [t.name for t in cl.tools],
                    cl.labels,
                    cl.missing,
                    features(index, cl.query, cl.tools, parts="clauses"),
                    extra(index, cl.query, cl.tools),
                )
            o = builder.oracle(inst.query, inst.gold_tools)
            item["oracle5"] = (
                [t.name for t in o],
                [t.name in inst.gold_tools for t in o],
                0,
                features(index, inst.query, o, parts="clauses"),
                extra(index, inst.query, o),
            )
            rows.append(item)
        out[name] = rows
        print(name, len(rows))
    Path(".cache/selector-features.pkl").write_bytes(pickle.dumps(out))


if __name__ == "__main__":
    main()
