"""End-to-end evaluation: one run gives retrieval, both planner settings, errors and plots."""

from __future__ import annotations

import json

from toolrag.agent.planner import PlanResult
from toolrag.evaluation.e2e import error_label, evaluate_e2e
from toolrag.types import Instance, ToolCall


class FirstToolPlanner:
    """Calls the first candidate that the query names, with the gold-looking parameter."""

    name = "rule"

    def plan(self, query, tools, selected=None):
        calls = [ToolCall(api="getWeather", parameters={"city": "Paris"}, responses=["API_call_0"])]
        if any(t.name == "getWeather" for t in tools):
            return PlanResult(calls=calls, text="", format_ok=True)
        return PlanResult(calls=[], text="oops", format_ok=False, error="no JSON list")


def inst(i, api="getWeather", params=None):
    return Instance(
        id=f"q{i}",
        query="What is the weather in Paris?",
        calling=[
            {"api": api, "parameters": params or {"city": "Paris"}, "responses": ["API_call_0"]}
        ],
    )


def test_error_labels():
    row = {
        "format_ok": True,
        "gold_in_candidates": True,
        "calls": [{"api": "getWeather", "parameters": {"city": "Paris"}, "responses": []}],
    }
    assert error_label(inst(0), row) == "ok"
    assert error_label(inst(0, params={"city": "Rome"}), row) == "wrong_param"
    assert error_label(inst(0, api="bookFlight"), row) == "wrong_tool"
    assert error_label(inst(0), row | {"gold_in_candidates": False}) == "retrieval_miss"
    assert error_label(inst(0), row | {"format_ok": False}) == "format"


def test_one_run_writes_report_and_plots(six_index, tmp_path):
    data = [inst(0), inst(1, params={"city": "Rome"})]
    report = evaluate_e2e(six_index, FirstToolPlanner(), data, tmp_path, k=3, progress=False)
    assert report["retrieval"]["overall"]["R@1"] == 1.0
    assert report["planner_oracle5"]["scores"]["overall"]["tool_f1"] == 100.0
    assert report["errors"]["overall"] == {"ok": 1, "wrong_param": 1}
    for name in ["report.json", "report.md", "recall_at_k.png", "f1_by_category.png"]:
        assert (tmp_path / name).stat().st_size > 0
    assert json.loads((tmp_path / "report.json").read_text())["k"] == 3


def test_report_is_written_without_matplotlib(six_index, tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib", None)  # `import matplotlib` now fails
    report = evaluate_e2e(six_index, FirstToolPlanner(), [inst(0)], tmp_path, k=3, progress=False)
    assert report["plots"] == []
    assert (tmp_path / "report.json").stat().st_size > 0
    assert "Where the score is lost" in (tmp_path / "report.md").read_text()
    assert not (tmp_path / "recall_at_k.png").exists()
