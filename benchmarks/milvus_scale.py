"""A million synthetic tools on the folder backend and on Milvus Lite, side by side, in one run.

The toolset is ``speed.py``'s: real Seal-Tools texts with their words shuffled and mixed, and
dense vectors that are real tool embeddings plus noise (encoding a million texts on 2 cores
takes hours). Both backends get the same BM25 weights (bm25s, the index's tokenizer) and the
same vectors; the folder backend searches them with bm25s and FAISS IVF, Milvus Lite with its
sparse inverted index and the ``--dense-index`` it is given. Reported per backend: build time,
resident memory (this process's growth; for Milvus Lite also its server process), per-query
latency (p50 / p95, query encoding included) for BM25, dense and hybrid, and the dense top-10's
recall against exact search.

    python benchmarks/milvus_scale.py --n 1000000 --dense-index IVF_FLAT
"""

from __future__ import annotations

import argparse
import gc
import shutil
import time

import numpy as np
import psutil
from common import ROOT, SEAL, seal_index, write_results
from speed import synthetic_texts, synthetic_vectors

from toolrag.index.bm25 import Bm25Params, Bm25Store
from toolrag.index.milvus import DENSE_INDEXES, publish
from toolrag.index.store import ToolIndex
from toolrag.index.text import tool_text
from toolrag.index.vectors import AnnParams, VectorStore
from toolrag.instances import read_instances, spread
from toolrag.retriever import BM25Retriever, DenseRetriever, HybridRetriever
from toolrag.types import Tool

MODES = {"bm25": BM25Retriever, "dense": DenseRetriever, "hybrid": HybridRetriever}


def rss_mb(process: psutil.Process) -> float:
    return process.memory_info().rss / 2**20


def lite_servers() -> list[psutil.Process]:
    """Milvus Lite's server processes (children of this one)."""
    me = psutil.Process()
    return [p for p in me.children(recursive=True) if "milvus" in " ".join(p.cmdline()).lower()]


def latency(retriever, queries: list[str]) -> dict[str, float]:
    for q in queries[:5]:
        retriever.search({"q": q}, 10)
    times = []
    for q in queries:
        start = time.perf_counter()
        retriever.search({"q": q}, 10)
        times.append((time.perf_counter() - start) * 1000)
    return {"p50_ms": float(np.percentile(times, 50)), "p95_ms": float(np.percentile(times, 95))}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--dense-index", default="IVF_FLAT", choices=list(DENSE_INDEXES))
    ap.add_argument("--queries", type=int, default=100)
    ap.add_argument("--name", default="milvus_scale")
    args = ap.parse_args()

    me = psutil.Process()
    real = seal_index()
    queries = [i.query for i in spread(read_instances(SEAL / "test_in_domain.jsonl"), args.queries)]
    real.encode_queries(queries[:2])  # the query encoder loads before anything is measured
    gc.collect()
    start_mb = rss_mb(me)

    t = time.perf_counter()
    texts = synthetic_texts(real.tools, args.n)
    tools = [Tool(name=f"tool_{i}", description=text) for i, text in enumerate(texts)]
    vecs = synthetic_vectors(real.embeddings, args.n)
    data_s, data_mb = time.perf_counter() - t, rss_mb(me) - start_mb

    res: dict = {"n": args.n, "dense_index": args.dense_index, "queries": len(queries)}
    t = time.perf_counter()
    template = real.manifest["text_template"]["bm25"]  # as Milvus's publish reads the tools
    bm25 = Bm25Store.build([tool_text(t, template) for t in tools], Bm25Params())
    bm25_s = time.perf_counter() - t
    del texts
    t = time.perf_counter()
    ivf = VectorStore.build(vecs, AnnParams(ann="ivf"))
    ivf_s = time.perf_counter() - t
    manifest = real.manifest | {"tool_count": args.n}
    folder = ToolIndex(tools, bm25, ivf, vecs, manifest)
    folder._fast_encoder = real._fast_encoder  # the same query encoder, already loaded
    gc.collect()
    res["folder"] = {
        "build_s": {"bm25": bm25_s, "faiss_ivf": ivf_s},
        "rss_mb": rss_mb(me) - start_mb - data_mb,
    }
    print("folder built", res["folder"], flush=True)

    uri = ROOT / ".cache" / "milvus-scale" / "tools.db"
    shutil.rmtree(uri.parent, ignore_errors=True)
    uri.parent.mkdir(parents=True)
    before = rss_mb(me)
    t = time.perf_counter()
    milvus = publish(folder, str(uri), "scale", dense_index=args.dense_index)
    publish_s = time.perf_counter() - t
    milvus._fast_encoder = real._fast_encoder
    gc.collect()
    res["milvus"] = {
        "build_s": {"publish (insert + index + load)": publish_s},
        "rss_mb": rss_mb(me) - before,
        "server_rss_mb": sum(rss_mb(p) for p in lite_servers()),
        "disk_mb": sum(f.stat().st_size for f in uri.parent.rglob("*") if f.is_file()) / 2**20,
    }
    print("milvus built", res["milvus"], flush=True)

    def names(index, rows) -> set[str]:  # a Milvus view numbers rows in the order it met them
        return {index.tools[r].name for r in rows if r >= 0}

    qv = real.encode_queries(queries)
    exact = np.argsort(-(qv @ vecs.T), axis=1)[:, :10]
    for label, index in (("folder", folder), ("milvus", milvus)):
        _, found = index.vectors.search(qv, 10)
        res[label]["dense_recall_at_10_vs_exact"] = float(
            np.mean(
                [
                    len(names(index, a) & names(folder, e)) / 10
                    for a, e in zip(found, exact, strict=True)
                ]
            )
        )
        res[label]["latency"] = {m: latency(make(index), queries) for m, make in MODES.items()}
        print(label, res[label], flush=True)
    same = [
        len(names(folder, folder.bm25.top_k(q, 10)[0]) & names(milvus, milvus.bm25.top_k(q, 10)[0]))
        / 10
        for q in queries
    ]
    res["bm25_top10_overlap"] = float(np.mean(same))

    f, m = res["folder"], res["milvus"]
    build, idx = DENSE_INDEXES[args.dense_index]
    lines = [
        f"# {args.n:,} synthetic tools: folder backend and Milvus Lite, one run",
        "",
        f"| | folder (bm25s + FAISS IVF) | Milvus Lite (sparse inverted + {args.dense_index}) |",
        "| --- | ---: | ---: |",
        f"| build | BM25 {f['build_s']['bm25']:.0f} s + IVF {f['build_s']['faiss_ivf']:.0f} s "
        f"| publish {m['build_s']['publish (insert + index + load)']:.0f} s (from the built "
        "folder index) |",
        f"| resident memory | {f['rss_mb']:.0f} MB (index structures) | {m['rss_mb']:.0f} MB "
        f"client + {m['server_rss_mb']:.0f} MB server |",
        f"| on disk | — | {m['disk_mb']:.0f} MB |",
        f"| dense recall@10 vs exact | {f['dense_recall_at_10_vs_exact']:.3f} | "
        f"{m['dense_recall_at_10_vs_exact']:.3f} |",
    ]
    for mode in MODES:
        a, b = f["latency"][mode], m["latency"][mode]
        lines.append(
            f"| {mode} p50 / p95 ms | {a['p50_ms']:.1f} / {a['p95_ms']:.1f} | "
            f"{b['p50_ms']:.1f} / {b['p95_ms']:.1f} |"
        )
    lines += [
        "",
        f"BM25 top-10 overlap between the backends: {res['bm25_top10_overlap']:.3f} (the same "
        f"weights; ties may order differently). {len(queries)} Seal-Tools test queries, one at a "
        f"time, top 10, query encoding included. Milvus {args.dense_index} parameters: build "
        f"{build}, search {idx}; FAISS IVF nlist {int(ivf.index.nlist)}. The synthetic data "
        f"took {data_s:.0f} s and {data_mb:.0f} MB (tool records and vectors, shared by both).",
    ]
    write_results(args.name, res, "\n".join(lines))


if __name__ == "__main__":
    main()
