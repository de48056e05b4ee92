"""Index build throughput, peak memory and per-query latency, at 4,076 real tools and at 1,000,000
synthetic tools, each beside the naive path measured in the same run.

Naive paths: rank-bm25 (pure Python) for BM25, one-text-at-a-time encoding for the embedder, exact
flat search for FAISS. At 1M tools the dense vectors are synthetic (real tool embeddings plus
noise, re-normalised): encoding a million texts on 2 cores takes hours, so encoding cost is
measured per tool at 4k instead. Latencies are single queries, one at a time, query encoding
included for dense and hybrid (int8 ONNX Runtime, the default; float32 ONNX and PyTorch shown
beside it).

    python benchmarks/speed.py              # 4k and 1M (about 30 min, ~10 GB RAM)
    python benchmarks/speed.py --scale 4k   # 4k only (a few minutes)
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import time

import numpy as np
from common import SEAL, write_results
from rank_bm25 import BM25Okapi

from toolrag.index.bm25 import Bm25Params, Bm25Store
from toolrag.index.encoder import encode, load_encoder
from toolrag.index.onnx_encoder import load_onnx_encoder
from toolrag.index.store import DEFAULT_BM25_TEMPLATE, DEFAULT_DENSE_TEMPLATE, ToolIndex
from toolrag.index.text import tokenize, tool_text
from toolrag.index.toolset import load_toolset
from toolrag.index.vectors import AnnParams, VectorStore
from toolrag.instances import read_instances
from toolrag.retriever import BM25Retriever, DenseRetriever, HybridRetriever, default_retriever
from toolrag.retriever.decompose import coverage, split_query
from toolrag.retriever.fusion import weighted_score_fusion


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def latency(fn, queries: list[str], warmup: int = 5) -> dict[str, float]:
    for q in queries[:warmup]:
        fn(q)
    times = []
    for q in queries:
        t0 = time.perf_counter()
        fn(q)
        times.append((time.perf_counter() - t0) * 1000)
    return {
        "p50_ms": float(np.percentile(times, 50)),
        "p95_ms": float(np.percentile(times, 95)),
        "n": len(times),
    }


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


class TransformersTokenized:
    """The int8 query encoder as it ran before the torch-free path: the same ONNX session fed by
    the transformers tokenizer and its ``pad`` (one query at a time, as the benchmark asks)."""

    def __init__(self, encoder, tokenizer) -> None:
        self.encoder, self.tokenizer = encoder, tokenizer

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        enc = self.tokenizer(texts, truncation=True, max_length=self.encoder.max_length)
        names = self.encoder.inputs
        batch = self.tokenizer.pad({n: enc[n] for n in names}, return_tensors="np")
        feed = {n: batch[n].astype(np.int64) for n in names}
        return self.encoder.session.run(None, feed)[0]


def bench_4k(queries: list[str]) -> dict:
    tools = load_toolset(SEAL / "tool.jsonl")
    encoder = load_encoder(None)
    dense_texts = [tool_text(t, DEFAULT_DENSE_TEMPLATE) for t in tools]
    bm25_texts = [tool_text(t, DEFAULT_BM25_TEMPLATE) for t in tools]
    res: dict = {"tools": len(tools)}

    _, t_batched = timed(lambda: encode(encoder, dense_texts, batch_size=64))
    sample = random.Random(0).sample(dense_texts, 300)
    _, t_single = timed(lambda: [encode(encoder, [t]) for t in sample])
    res["encode_tools_per_s"] = {
        "batched (64, length-sorted)": len(tools) / t_batched,
        "one at a time (naive)": len(sample) / t_single,
    }
    _, t_bm25s = timed(lambda: Bm25Store.build(bm25_texts, Bm25Params()))
    tokens = [tokenize(t) for t in bm25_texts]
    _, t_rank = timed(lambda: BM25Okapi(tokens))
    res["bm25_build_s"] = {"bm25s (incl. tokenizing)": t_bm25s, "rank-bm25 (pre-tokenized)": t_rank}
    idx, t_build = timed(lambda: ToolIndex.build(tools))
    res["full_build"] = {"seconds": t_build, "tools_per_s": len(tools) / t_build}
    res["peak_rss_mb_after_build"] = peak_rss_mb()

    bm25_ref = BM25Okapi(tokens)
    fp32 = load_onnx_encoder(idx.encoder, idx.manifest["embedding"]["checksum"], "fp32")
    idx.encode_queries(["warm-up"])  # loads the default (int8) query encoder

    int8 = idx._fast_encoder
    before = TransformersTokenized(int8, idx.encoder.tokenizer)

    def float32_queries(fn, encoder=fp32):
        def run(q: str):
            default, idx._fast_encoder = idx._fast_encoder, encoder
            try:
                return fn(q)
            finally:
                idx._fast_encoder = default

        return run

    lat = {
        "bm25 (bm25s)": latency(lambda q: BM25Retriever(idx).search({"q": q}, 10), queries),
        "bm25 (rank-bm25, naive)": latency(
            lambda q: np.argsort(-bm25_ref.get_scores(tokenize(q)))[:10], queries[:100]
        ),
        "query encoding, PyTorch (sentence-transformers encode)": latency(
            lambda q: encode(idx.encoder, [q]), queries
        ),
        "query encoding, ONNX Runtime float32": latency(lambda q: fp32.encode([q]), queries),
        "query encoding, ONNX Runtime int8 (default)": latency(
            lambda q: idx.encode_queries([q]), queries
        ),
        "query encoding, ONNX Runtime int8, transformers tokenizer (before 2026-12-03)": latency(
            lambda q: before.encode([q]), queries
        ),
        "dense flat (exact)": latency(lambda q: DenseRetriever(idx).search({"q": q}, 10), queries),
        "hybrid, float32 query encoder": latency(
            float32_queries(lambda q: HybridRetriever(idx).search({"q": q}, 10)), queries
        ),
        "hybrid, int8, transformers tokenizer (before 2026-12-03)": latency(
            float32_queries(lambda q: HybridRetriever(idx).search({"q": q}, 10), before), queries
        ),
        "hybrid": latency(lambda q: HybridRetriever(idx).search({"q": q}, 10), queries),
        "hybrid + decomposition (default)": latency(
            lambda q: default_retriever(idx).search({"q": q}, 10), queries
        ),
    }
    hnsw = ToolIndex.build(
        tools, ann=AnnParams(ann="hnsw"), reuse=dict(zip(dense_texts, idx.embeddings, strict=True))
    )
    lat["dense hnsw"] = latency(lambda q: DenseRetriever(hnsw).search({"q": q}, 10), queries)
    lat["hybrid hnsw"] = latency(lambda q: HybridRetriever(hnsw).search({"q": q}, 10), queries)
    res["latency"] = lat
    res["_index"] = idx
    return res


def synthetic_texts(tools, n: int, seed: int = 0) -> list[str]:
    """Real tool texts with their words shuffled and mixed with words from other tools."""
    rng = random.Random(seed)
    words = [tool_text(t, DEFAULT_BM25_TEMPLATE).split() for t in tools]
    out = []
    for i in range(n):
        base = words[i % len(words)]
        other = words[rng.randrange(len(words))]
        mix = rng.sample(base, k=min(len(base), 25)) + rng.sample(other, k=min(len(other), 10))
        out.append(" ".join(mix))
    return out


def synthetic_vectors(base: np.ndarray, n: int) -> np.ndarray:
    """``n`` unit vectors: real tool embeddings (cycled) plus noise, re-normalised."""
    rng = np.random.default_rng(0)
    vecs = np.empty((n, base.shape[1]), dtype=np.float32)
    for start in range(0, n, 100_000):
        stop = min(n, start + 100_000)
        chunk = base[np.arange(start, stop) % len(base)] + 0.05 * rng.standard_normal(
            (stop - start, base.shape[1]), dtype=np.float32
        )
        vecs[start:stop] = chunk / np.linalg.norm(chunk, axis=1, keepdims=True)
    return vecs


def bench_1m(queries: list[str], idx4k: ToolIndex, n: int) -> dict:
    res: dict = {"tools": n}
    tools = idx4k.tools
    texts, t_gen = timed(lambda: synthetic_texts(tools, n))
    res["synthetic_text_seconds"] = t_gen
    store, t_bm25 = timed(lambda: Bm25Store.build(texts, Bm25Params()))
    res["bm25s_build_s"] = t_bm25
    res["peak_rss_mb_after_bm25"] = peak_rss_mb()

    vecs = synthetic_vectors(idx4k.embeddings, n)
    flat, t_flat = timed(lambda: VectorStore.build(vecs, AnnParams(ann="flat")))
    ivf, t_ivf = timed(lambda: VectorStore.build(vecs, AnnParams(ann="ivf")))
    res["faiss_build_s"] = {"flat": t_flat, "ivf": t_ivf, "ivf_nlist": int(ivf.index.nlist)}
    res["peak_rss_mb_after_faiss"] = peak_rss_mb()

    qvecs = {q: idx4k.encode_queries([q]) for q in queries}
    _, exact = flat.search(np.vstack(list(qvecs.values())), 10)
    _, approx = ivf.search(np.vstack(list(qvecs.values())), 10)
    res["ivf_recall_at_10_vs_flat"] = float(
        np.mean([len(set(a) & set(e)) / 10 for a, e in zip(approx, exact, strict=True)])
    )

    def hybrid(q: str, vectors: VectorStore) -> dict[str, float]:
        return hybrid_many([q], vectors)[0]

    def hybrid_many(
        texts: list[str], vectors: VectorStore, top: int = 10
    ) -> list[dict[str, float]]:
        qv = idx4k.encode_queries(texts)  # one batch, as DenseRetriever does
        d_scores, d_rows = vectors.search(qv, 50)
        out = []
        for i, q in enumerate(texts):
            rows, scores = store.top_k(q, 50)
            out.append(fuse(rows, scores, d_rows[i : i + 1], d_scores[i : i + 1], top))
        return out

    def decomposed(q: str, vectors: VectorStore) -> dict[str, float]:
        parts = split_query(q)
        texts = [q, *parts] if len(parts) > 1 else [q]
        return coverage(hybrid_many(texts, vectors, top=50), 10)  # as DecomposingRetriever

    def fuse(rows, scores, d_rows, d_scores, top: int = 10) -> dict[str, float]:
        return weighted_score_fusion(
            [
                {"q": dict(zip(map(int, rows), map(float, scores), strict=True))},
                {"q": dict(zip(map(int, d_rows[0]), map(float, d_scores[0]), strict=True))},
            ],
            weights=[0.8, 0.2],
            top=top,
        )["q"]

    lat = {
        "bm25 (bm25s)": latency(lambda q: store.top_k(q, 10), queries),
        "dense flat (exact, naive)": latency(
            lambda q: flat.search(idx4k.encode_queries([q]), 10), queries[:50]
        ),
        "dense ivf": latency(lambda q: ivf.search(idx4k.encode_queries([q]), 10), queries),
        "hybrid ivf": latency(lambda q: hybrid(q, ivf), queries),
        "hybrid ivf + decomposition (default)": latency(lambda q: decomposed(q, ivf), queries),
    }
    flat = None  # free 1.5 GB before building rank-bm25
    gc.collect()
    tokens = [tokenize(t) for t in texts[:n]]
    ref, t_ref = timed(lambda: BM25Okapi(tokens))
    res["rank_bm25_build_s"] = t_ref
    lat["bm25 (rank-bm25, naive)"] = latency(
        lambda q: ref.get_scores(tokenize(q)), queries[:5], warmup=0
    )
    res["latency"] = lat
    res["peak_rss_mb"] = peak_rss_mb()
    return res


def table(title: str, lat: dict) -> list[str]:
    lines = [f"### {title}", "", "| path | p50 ms | p95 ms | queries |", "|---|---|---|---|"]
    for name, v in lat.items():
        lines.append(f"| {name} | {v['p50_ms']:.2f} | {v['p95_ms']:.2f} | {v['n']} |")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--scale", choices=["4k", "1m"], default="1m", help="1m runs 4k too")
    ap.add_argument("--n", type=int, default=1_000_000, help="synthetic tools at the large scale")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--name", default="speed", help="results file name")
    args = ap.parse_args()
    # A seeded sample across the file: its first 200 lines are all single-tool queries.
    pool = [i.query for i in read_instances(SEAL / "test_in_domain.jsonl")]
    queries = random.Random(0).sample(pool, min(args.queries, len(pool)))

    small = bench_4k(queries)
    idx = small.pop("_index")
    md = ["# Speed on this machine", "", f"## {small['tools']:,} Seal-Tools tools", ""]
    md += ["| build step | value |", "|---|---|"]
    for k, v in small["encode_tools_per_s"].items():
        md.append(f"| encode, {k} | {v:.0f} tools/s |")
    for k, v in small["bm25_build_s"].items():
        md.append(f"| BM25 build, {k} | {v:.2f} s |")
    md.append(
        f"| full index build | {small['full_build']['seconds']:.1f} s ({small['full_build']['tools_per_s']:.0f} tools/s) |"
    )
    md.append(f"| peak RSS after build | {small['peak_rss_mb_after_build']:.0f} MB |")
    md += ["", *table("Latency per query (top 10)", small["latency"])]
    data = {"4k": small}
    if args.scale == "1m":
        big = bench_1m(queries, idx, args.n)
        data["1m"] = big
        md += [
            "",
            f"## {big['tools']:,} synthetic tools",
            "",
            "| build step | value |",
            "|---|---|",
            f"| BM25 build (bm25s, incl. tokenizing) | {big['bm25s_build_s']:.0f} s |",
            f"| BM25 build (rank-bm25, pre-tokenized) | {big['rank_bm25_build_s']:.0f} s |",
            f"| FAISS flat build | {big['faiss_build_s']['flat']:.1f} s |",
            f"| FAISS IVF build (nlist {big['faiss_build_s']['ivf_nlist']}) | {big['faiss_build_s']['ivf']:.0f} s |",
            f"| IVF recall@10 vs exact | {big['ivf_recall_at_10_vs_flat']:.3f} |",
            f"| peak RSS | {big['peak_rss_mb']:.0f} MB |",
            "",
            *table("Latency per query (top 10)", big["latency"]),
        ]
    write_results(args.name, data, "\n".join(md))


if __name__ == "__main__":
    main()
