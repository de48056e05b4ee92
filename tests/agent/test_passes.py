"""The plan pass registry: every rule is one named pass of one phase, documented and refusable."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolrag.agent.config import PlannerConfig
from toolrag.agent.passes import (
    DEFAULT_PASSES,
    REGISTRY,
    GrammarPass,
    Phase,
    PlanContext,
    PlanPass,
    RestartPass,
    TextPass,
    of_phase,
)
from toolrag.errors import ConfigError
from toolrag.types import Param, ParamType, Plan, Tool

DESIGN = Path(__file__).resolve().parents[2] / "docs" / "design.md"
METHOD = {GrammarPass: "constrain", RestartPass: "review", TextPass: "rewrite", PlanPass: "apply"}


@pytest.mark.parametrize("name", list(REGISTRY))
def test_every_pass_has_one_phase_one_method_a_docstring_and_a_row_in_the_design(name):
    rule = REGISTRY[name]
    base = next(b for b in METHOD if isinstance(rule, b))
    assert rule.phase is base.phase
    assert getattr(type(rule), METHOD[base]) is not getattr(base, METHOD[base])  # implemented
    assert (type(rule).__doc__ or "").strip() and rule.evidence
    assert f"| `{name}` | {rule.phase.value} |" in DESIGN.read_text()


def test_passes_run_in_phase_order_whatever_order_the_config_lists():
    config = PlannerConfig(passes=("numbers_as_written", "stop_on_repeat", "ground_values"))
    assert config.passes == ("ground_values", "stop_on_repeat", "numbers_as_written")
    assert [p.name for p in of_phase(config.passes, Phase.RESTART)] == ["stop_on_repeat"]
    assert PlannerConfig().passes == DEFAULT_PASSES


def test_an_unknown_pass_is_refused_with_the_valid_ones():
    for make in (
        lambda: PlannerConfig(passes=("ground_values", "cover")),
        lambda: PlannerConfig().without("cover"),
        lambda: PlannerConfig().plus("cover"),
    ):
        with pytest.raises(ConfigError, match=r"unknown planner pass\(es\) 'cover'; valid: .*"):
            make()
    with pytest.raises(ConfigError, match="list of pass names"):
        PlannerConfig(passes="ground_values")


def test_grounding_modes_are_pass_lists():
    hard = PlannerConfig().with_grounding("free").with_grounding("hard")
    assert hard.passes == DEFAULT_PASSES
    free = PlannerConfig().with_grounding("free")
    assert set(DEFAULT_PASSES) - set(free.passes) == {"ground_values", "drop_ungrounded"}
    assert PlannerConfig().with_grounding("soft").query_bias == 2.0


def test_plan_passes_on_a_worked_example():
    tax = Tool(name="tax", parameters=[Param(name="income", type=ParamType.NUMBER)])
    risk = Tool(name="risk", parameters=[Param(name="hazard", description="(e.g., flood, fire)")])
    ctx = PlanContext(
        query="Tax on $38.0 and flood risk", tools=[tax, risk], config=PlannerConfig()
    )
    plan = Plan.from_json(
        [
            {"api": "tax", "parameters": {"income": 38}},
            {"api": "tax", "parameters": {"income": 38}},
            {"api": "risk", "parameters": {"hazard": "flood"}},
        ]
    )
    plan, dropped = REGISTRY["drop_repeats"].apply(plan, ctx)
    assert dropped == {1} and len(plan) == 2
    plan, _ = REGISTRY["numbers_as_written"].apply(plan, ctx)
    assert '"income":38.0' in plan.text  # 38.0 == 38 in Python: the text tells them apart
    assert isinstance(plan.calls[0].parameters["income"], float)
    assert plan.as_json() == [
        {"api": "tax", "parameters": {"income": 38.0}},
        {"api": "risk", "parameters": {"hazard": "flood"}},
    ]
    # a call with none of the query's values is dropped under hard grounding
    alone = Plan.from_json([{"api": "risk", "parameters": {"hazard": "earthquake"}}])
    assert REGISTRY["drop_ungrounded"].apply(alone, ctx)[1] == {0}


def test_restart_passes_on_a_worked_example():
    geo = Tool(
        name="geo", parameters=[Param(name="city", required=True)], outputs=[Param(name="lat")]
    )
    depth = Tool(
        name="depth",
        parameters=[
            Param(name="lat", type=ParamType.STRING, required=True),
            Param(name="tags", type=ParamType.ARRAY),
        ],
    )
    ctx = PlanContext(
        query="Where is Oslo, and how deep there?", tools=[geo, depth], config=PlannerConfig()
    )
    calls = [
        {"api": "geo", "parameters": {"city": "Oslo"}},
        {"api": "depth", "parameters": {"lat": "the same lat", "tags": []}},
    ]
    by_name = {"geo": geo, "depth": depth}
    assert REGISTRY["back_references"].review(calls, by_name, ctx).refer == {"lat"}
    assert REGISTRY["leave_out_fillers"].review(calls, by_name, ctx).omit == {"tags"}
    assert REGISTRY["stop_on_repeat"].review([calls[0], calls[0]], by_name, ctx) is not None
    assert REGISTRY["stop_on_repeat"].review(calls, by_name, ctx) is None
