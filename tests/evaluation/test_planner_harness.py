"""Planner evaluation resumes from its predictions file and scores from it."""

from __future__ import annotations

import json

import pytest

from toolrag.agent.planner import PlanResult
from toolrag.evaluation.planner import CandidateSpec, evaluate_planner, spread
from toolrag.types import Instance, ToolCall


class EchoPlanner:
    """Plans the first candidate with no parameters; counts its calls."""

    def __init__(self):
        self.calls = 0

    def plan(self, query, tools, selected=None):
        self.calls += 1
        return PlanResult(calls=[ToolCall(api=tools[0].name)], text="[]", format_ok=True)


def test_resume_plans_only_missing_instances(tmp_path, six_tools):
    insts = [
        Instance(id=f"q{i}", query="weather", calling=[{"api": "getWeather", "parameters": {}}])
        for i in range(3)
    ]
    planner = EchoPlanner()
    cand = lambda inst: [six_tools[0]]  # noqa: E731  (getWeather)
    out = tmp_path / "pred.jsonl"
    evaluate_planner(planner, insts[:2], cand, out, progress=False)
    result = evaluate_planner(planner, insts, cand, out, progress=False)
    assert planner.calls == 3
    assert len(out.read_text().splitlines()) == 3
    assert json.loads(out.read_text().splitlines()[0])["gold_in_candidates"] is True
    assert result["scores"]["overall"]["tool_f1"] == 100.0


def test_spread_covers_the_whole_file():
    insts = [Instance(id=str(i), query="q", calling=[]) for i in range(10)]
    assert [i.id for i in spread(insts, 3)] == ["0", "3", "6"]
    assert len(spread(insts, None)) == 10


def test_candidate_spec():
    assert str(CandidateSpec.parse("oracle5")) == "oracle5"
    assert CandidateSpec.parse("retrieved:10").k == 10
    with pytest.raises(ValueError, match="oracle5"):
        CandidateSpec.parse("gold")


def test_instances_calling_tools_outside_the_toolset_are_refused_before_the_run():
    import pytest

    from toolrag.evaluation.planner import check_gold_tools
    from toolrag.types import Instance

    ok = Instance(id="a", query="q", calling=[{"api": "getWeather", "parameters": {}}])
    bad = Instance(id="b-7", query="q", calling=[{"api": "getDetails", "parameters": {}}])
    check_gold_tools([ok], {"getWeather"}, "tools.json")  # nothing missing: no error
    with pytest.raises(
        ValueError,
        match=r"1 instance\(s\) call tools missing from tools.json: b-7 needs getDetails",
    ):
        check_gold_tools([ok, bad], {"getWeather"}, "tools.json")
