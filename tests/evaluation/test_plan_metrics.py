"""The Seal-Tools scorer on a worked example computed by hand."""

from __future__ import annotations

import pytest

from toolrag.evaluation.plan_metrics import Counts, PlannerScores, score_instance
from toolrag.types import ToolCall


def call(api, responses=(), **params):
    return ToolCall(api=api, parameters=params, responses=list(responses))


def test_worked_example():
    # instance 1: gold A(x=1, y="b"), B(z=API_call_0); prediction A(x=1, y="c"), C(w=2), B(z=API_call_0)
    gold1 = [call("A", ["API_call_0"], x=1, y="b"), call("B", ["API_call_1"], z="API_call_0")]
    pred1 = [call("A", ["API_call_0"], x="1", y="c"), call("C", w=2), call("B", z="API_call_0")]
    # instance 2: gold D(q="x"); output did not parse
    gold2 = [call("D", q="x")]
    # instance 3: gold E(); prediction E(), E(k=1) -- both match the first E
    gold3 = [call("E")]
    pred3 = [call("E"), call("E", k=1)]
    scores = PlannerScores()
    scores.add("nested", score_instance(gold1, pred1))
    scores.add("single", score_instance(gold2, None))
    scores.add("single", score_instance(gold3, pred3))
    s = scores.summary()["overall"]
    # tools: predicted 3 + 0 + 2 = 5; gold 2 + 1 + 1 = 4; correct A, B, E, E = 4
    # params: predicted 4 + 0 + 1 = 5; gold 3 + 1 + 0 = 4; correct x (str "1" == str 1), z = 2
    assert s["n"] == 3
    assert s["format_acc"] == pytest.approx(200 / 3)
    assert s["tool_p"] == pytest.approx(80.0)
    assert s["tool_r"] == pytest.approx(100.0)
    assert s["tool_f1"] == pytest.approx(2 * 0.8 * 1.0 / 1.8 * 100)
    assert s["param_p"] == pytest.approx(40.0)
    assert s["param_r"] == pytest.approx(50.0)
    assert s["param_f1"] == pytest.approx(2 * 0.4 * 0.5 / 0.9 * 100)
    # the one gold reference (B.z -> A's output 0) is right in the prediction
    assert s["nested_ref_acc"] == pytest.approx(100.0)
    assert scores.summary()["single"]["n"] == 2


def test_nested_reference_to_wrong_call_is_caught():
    gold = [call("A", ["API_call_0"]), call("B", ["API_call_1"]), call("C", v="API_call_0")]
    # same ids in the text, but the prediction's call 0 is B, so API_call_0 is B's output
    pred = [call("B", ["API_call_0"]), call("A", ["API_call_1"]), call("C", v="API_call_0")]
    c = score_instance(gold, pred)
    assert c.param_correct == 1  # the paper's str() match still counts it
    assert (c.ref_gold, c.ref_correct) == (1, 0)  # the strict check does not


def test_empty_counts_do_not_divide_by_zero():
    assert Counts().summary()["tool_f1"] == 0.0


def test_strict_scorer_and_error_report_on_the_worked_example():
    gold1 = [call("A", ["API_call_0"], x=1, y="b"), call("B", ["API_call_1"], z="API_call_0")]
    pred1 = [call("A", ["API_call_0"], x="1", y="c"), call("C", w=2), call("B", z="API_call_0")]
    gold3 = [call("E")]
    pred3 = [call("E"), call("E", k=1)]  # the paper credits both; strict credits one
    scores = PlannerScores()
    scores.add("nested", score_instance(gold1, pred1))
    scores.add("single", score_instance([call("D", q="x")], None))
    scores.add("single", score_instance(gold3, pred3))
    s = scores.summary()["overall"]
    # strict tools: A, B, E matched once each = 3 of 5 predicted, 3 of 4 gold
    assert s["strict_tool_p"] == pytest.approx(60.0)
    assert s["strict_tool_r"] == pytest.approx(75.0)
    # strict params: x and z agree (2 of 5 predicted, 2 of 4 gold); the paper's count is the same
    assert s["strict_param_p"] == pytest.approx(40.0)
    assert s["strict_param_r"] == pytest.approx(50.0)
    assert s["errors"] == {
        "extra_calls": 2,  # C, the second E
        "missed_calls": 1,  # D (its output did not parse)
        "wrong_value": 1,  # A.y
        "missing_param": 0,
        "extra_param": 0,
        "nested_ref_wrong": 0,
    }
    assert s["tool_p"] > s["strict_tool_p"]  # the repeat is what separates them


def test_missing_and_extra_parameters_are_reported():
    c = score_instance([call("A", x=1, y=2)], [call("A", x=1, z=3)])
    assert (c.missing_param, c.extra_param, c.wrong_value) == (1, 1, 0)
