"""The full 4,076-tool Seal-Tools index (slow: ~2 min to encode); the fast sibling is
tests/test_integration_seal.py on a 400-tool slice."""

from __future__ import annotations

import pytest

from toolrag.evaluation.retrieval import evaluate_retriever
from toolrag.index.store import ToolIndex
from toolrag.index.toolset import load_toolset
from toolrag.instances import read_instances
from toolrag.retriever.factory import make_retriever


@pytest.mark.slow
def test_full_toolset_hybrid_beats_plain_bm25_reference(seal_available, tmp_path):
    from conftest import SEAL

    idx = ToolIndex.load(ToolIndex.build(load_toolset(SEAL / "tool.jsonl")).save(tmp_path / "idx"))
    dev = read_instances(SEAL / "dev.jsonl")
    scores = evaluate_retriever(make_retriever(idx, "hybrid"), dev)[0]["overall"]
    # the plain rank-bm25 reference scores R@5 0.82 / COMP@5 0.57 on test_in_domain
    assert scores["R@5"] >= 0.82 and scores["COMP@5"] >= 0.57, scores
