"""Equivalence with references (rank-bm25, brute-force numpy) and the hand-made worked example."""

from __future__ import annotations

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from toolrag.index.bm25 import Bm25Params, Bm25Store
from toolrag.index.text import split_identifier, tokenize, tool_text
from toolrag.index.vectors import AnnParams, VectorStore
from toolrag.retriever import BM25Retriever, DenseRetriever, HybridRetriever, make_retriever

CORPUS = [
    "get weather forecast for a city and country",
    "convert currency amount from euro to dollar",
    "book flight ticket between airports on a date",
    "send an email message to a recipient with subject",
    "translate text between languages",
    "stock market price quote for a ticker symbol",
    "weather radar images for a region",
    "hotel booking in a city for dates",
]


def test_bm25s_matches_rank_bm25():
    """bm25s's 'robertson' variant is BM25Okapi without the constant factor (k1 + 1)."""
    k1, b = 1.5, 0.75
    store = Bm25Store.build(CORPUS, Bm25Params(k1=k1, b=b, method="robertson"))
    reference = BM25Okapi([tokenize(t) for t in CORPUS], k1=k1, b=b)
    for query in [
        "weather in a city",
        "euro dollar conversion",
        "book hotel and flight",
        "stock price",
    ]:
        ours = store.scores(query)
        theirs = reference.get_scores(tokenize(query)) / (k1 + 1)
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)


def test_bm25_lucene_on_a_hand_computed_case():
    """Two docs, one query term in doc 0 only: idf = ln(1 + (2 - 1 + .5)/(1 + .5)) = ln 2."""
    store = Bm25Store.build(
        ["apple pie", "banana bread"], Bm25Params(k1=1.2, b=0.0, method="lucene")
    )
    # tf = 1, b = 0: tfc = tf / (k1 + tf) = 1 / 2.2 (bm25s leaves out the (k1 + 1) factor)
    np.testing.assert_allclose(store.scores("apple"), [np.log(2) / 2.2, 0.0], rtol=1e-5)
    assert store.top_k("unknownword", 2)[0].size == 0


def test_faiss_flat_matches_brute_force():
    rng = np.random.default_rng(0)
    vecs = rng.normal(size=(500, 32)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    queries = vecs[:20] + 0.1 * rng.normal(size=(20, 32)).astype(np.float32)
    scores, rows = VectorStore.build(vecs).search(queries, 10)
    brute = queries @ vecs.T
    expected = np.argsort(-brute, axis=1)[:, :10]
    np.testing.assert_array_equal(rows, expected)
    np.testing.assert_allclose(scores, np.take_along_axis(brute, expected, 1), rtol=1e-5)


@pytest.mark.parametrize("ann", ["hnsw", "ivf"])
def test_approximate_search_recall(ann):
    """On clustered data, as embeddings are; uniform random vectors are IVF's worst case."""
    rng = np.random.default_rng(1)
    centers = rng.normal(size=(50, 32))
    vecs = (centers[rng.integers(0, 50, 4000)] + 0.5 * rng.normal(size=(4000, 32))).astype(
        np.float32
    )
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    queries = vecs[:100] + 0.05 * rng.normal(size=(100, 32)).astype(np.float32)
    _, exact = VectorStore.build(vecs).search(queries, 10)
    _, approx = VectorStore.build(vecs, AnnParams(ann=ann)).search(queries, 10)
    recall = np.mean([len(set(a) & set(e)) / 10 for a, e in zip(approx, exact, strict=True)])
    assert recall >= 0.9


def test_text_helpers(six_tools):
    assert split_identifier("getHTTPResponseCode") == "get http response code"
    assert split_identifier("convert_currency-v2") == "convert currency v2"
    assert tool_text(six_tools[0], "name") == "get weather"
    full = tool_text(six_tools[0], "full")
    assert (
        "city (City name, e.g. Paris)" in full
        and "Returns: temperature" in full
        and "Weather/Forecast" in full
    )


@pytest.mark.parametrize("mode", ["bm25", "dense", "hybrid"])
def test_worked_example(six_index, mode):
    """Every retriever puts the hand-picked tools of each query in its top 2."""
    from conftest import WORKED_QUERIES

    retr = make_retriever(six_index, mode)
    run = retr.search({qid: q for qid, (q, _) in WORKED_QUERIES.items()}, k=2)
    for qid, (_, gold) in WORKED_QUERIES.items():
        top = list(run[qid])
        assert top[0] == gold[0] or top[0] in gold, (mode, qid, top)
        if len(gold) == 2:
            assert set(top) == set(gold), (mode, qid, top)


def test_retrieve_and_bad_k(six_index):
    hits = HybridRetriever(six_index).retrieve("weather in Paris", k=3)
    assert [h.rank for h in hits] == [1, 2, 3] and hits[0].tool.name == "getWeather"
    assert hits[0].score >= hits[1].score >= hits[2].score
    assert len(BM25Retriever(six_index).retrieve("weather", k=50)) <= 6
    with pytest.raises(ValueError, match="at least 1"):
        DenseRetriever(six_index).search({"q": "x"}, k=0)
    with pytest.raises(ValueError, match="unknown mode 'sparse'"):
        make_retriever(six_index, "sparse")
