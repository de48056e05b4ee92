"""One pass over a slice of the real Seal-Tools data: load, index, retrieve, evaluate."""

from __future__ import annotations

import random

import pytest

from toolrag.evaluation.retrieval import evaluate_retriever
from toolrag.index.store import ToolIndex
from toolrag.index.toolset import load_toolset
from toolrag.instances import read_instances
from toolrag.retriever.decompose import DecomposingRetriever
from toolrag.retriever.factory import make_retriever


@pytest.fixture(scope="module")
def slice_(seal_available, tmp_path_factory):
    from conftest import SEAL

    tools = load_toolset(SEAL / "tool.jsonl")
    instances = read_instances(SEAL / "dev.jsonl")[::14]  # 50 instances, all categories
    gold = {t for i in instances for t in i.gold_tools}
    others = [t for t in tools if t.name not in gold]
    chosen = [t for t in tools if t.name in gold] + random.Random(0).sample(others, 400 - len(gold))
    idx = ToolIndex.build(chosen)
    path = idx.save(tmp_path_factory.mktemp("seal") / "idx")
    return ToolIndex.load(path), instances


def test_seal_slice_end_to_end(slice_):
    idx, instances = slice_
    assert {i.category.value for i in instances} == {"single", "multiple", "nested"}
    scores = {
        m: evaluate_retriever(make_retriever(idx, m), instances)[0]
        for m in ("bm25", "dense", "hybrid")
    }
    for mode, s in scores.items():
        assert set(s) == {"overall", "single", "multiple", "nested"}, mode
        # 400 tools instead of 4,076: recall must be high, and better than chance by far
        assert s["overall"]["R@10"] > 0.75, (mode, s["overall"])
    assert scores["hybrid"]["overall"]["COMP@5"] >= scores["dense"]["overall"]["COMP@5"]


def test_decomposition_completes_multi_tool_queries_on_the_seal_slice(slice_):
    idx, instances = slice_
    multi = [i for i in instances if len(i.gold_tools) > 1]
    plain = evaluate_retriever(make_retriever(idx, "bm25"), multi)[0]["overall"]
    merged = {
        m: evaluate_retriever(DecomposingRetriever(make_retriever(idx, "bm25"), m), multi)[0]
        for m in ("coverage", "interleave")
    }
    # decomposition must add complete top-5s on multi-tool queries, and the default merge must
    # do at least as well as round-robin
    assert merged["coverage"]["overall"]["COMP@5"] > plain["COMP@5"]
    assert merged["coverage"]["overall"]["COMP@5"] >= merged["interleave"]["overall"]["COMP@5"]
