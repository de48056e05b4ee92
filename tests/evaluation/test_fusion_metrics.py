from __future__ import annotations

import math

import pytest

from toolrag.evaluation.retrieval_metrics import evaluate
from toolrag.retriever.fusion import reciprocal_rank_fusion, weighted_score_fusion


def test_rrf_worked_example():
    a = {"q": {"x": 3.0, "y": 2.0, "z": 1.0}}
    b = {"q": {"z": 0.9, "x": 0.5}}
    fused = reciprocal_rank_fusion([a, b], k=60)["q"]
    assert fused["x"] == pytest.approx(1 / 61 + 1 / 62)
    assert fused["z"] == pytest.approx(1 / 63 + 1 / 61)
    assert fused["y"] == pytest.approx(1 / 62)
    assert list(fused) == ["x", "z", "y"]
    weighted = reciprocal_rank_fusion([a, b], k=0, weights=[0.0, 1.0], top=1)["q"]
    assert weighted == {"z": 1.0}


def test_weighted_fusion_worked_example():
    bm25 = {"q": {"x": 10.0, "y": 5.0, "z": 0.0}}
    dense = {"q": {"y": 0.8, "w": 0.4}}
    fused = weighted_score_fusion([bm25, dense], weights=[0.7, 0.3])["q"]
    assert fused == pytest.approx({"x": 0.7, "y": 0.7 * 0.5 + 0.3, "w": 0.0, "z": 0.0})
    with pytest.raises(ValueError, match="one per run"):
        weighted_score_fusion([bm25, dense], weights=[1.0])


def test_metrics_worked_example():
    qrels = {"single": {"a": 1}, "multi": {"a": 1, "b": 1, "c": 1}, "miss": {"z": 1}}
    run = {
        "single": {"x": 0.9, "a": 0.8},  # gold at rank 2
        "multi": {"a": 0.9, "x": 0.8, "b": 0.7, "c": 0.1},  # gold at ranks 1, 3, 4
        "miss": {"a": 1.0},
    }
    groups = {"single": "single", "multi": "multiple", "miss": "single"}
    res = evaluate(qrels, run, ks=[1, 3], groups=groups)
    multi = res["multiple"]
    assert multi["R@1"] == pytest.approx(1 / 3) and multi["R@3"] == pytest.approx(2 / 3)
    assert multi["COMP@3"] == 0.0 and multi["MRR"] == 1.0
    idcg3 = 1 + 1 / math.log2(3) + 1 / math.log2(4)
    assert multi["nDCG@3"] == pytest.approx((1 + 1 / math.log2(4)) / idcg3)
    single = res["single"]
    assert single["n"] == 2 and single["R@1"] == 0.0 and single["R@3"] == pytest.approx(0.5)
    assert single["COMP@3"] == pytest.approx(0.5) and single["MRR"] == pytest.approx(0.25)
    assert single["nDCG@3"] == pytest.approx((1 / math.log2(3)) / 2)
    assert res["overall"]["n"] == 3
    assert res["overall"]["R@3"] == pytest.approx((1 + 2 / 3 + 0) / 3)
