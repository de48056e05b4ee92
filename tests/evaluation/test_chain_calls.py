"""The chain set's scorer (benchmarks/chain_scoring.py) on worked examples, and the set's shape.

Predicted plans are written as the planner writes them (Seal-Tools ids numbered over each call's
outputs by ``toolrag.agent.plan.response_ids``), so the examples also check that the scorer reads
those ids the way the planner numbers them. No model runs.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

import pytest

from toolrag.agent.plan import response_ids
from toolrag.index.toolset import as_tools
from toolrag.types import ToolCall

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture
def bench(monkeypatch: pytest.MonkeyPatch) -> dict[str, ModuleType]:
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    names = ("chain_scoring", "chain_functions", "chain_calls", "nothing_fits")
    return {n: importlib.import_module(n) for n in names}


def plan(bench, calls: list[tuple[str, dict]]) -> list[ToolCall]:
    """ToolCalls as the planner returns them: each call owns the ids of its outputs, and a
    value ``("ref", i, field)`` becomes the id of call ``i``'s output ``field``."""
    tools = {t.name: t for t in as_tools({"tools": bench["chain_functions"].FUNCTIONS})}
    ids = response_ids([name for name, _ in calls], tools)

    def value(v):
        if isinstance(v, tuple):
            _, i, field = v
            fields = [p.name for p in tools[calls[i][0]].returns]
            return ids[i][fields.index(field)]
        return v

    return [
        ToolCall(api=name, parameters={k: value(v) for k, v in args.items()}, responses=ids[j])
        for j, (name, args) in enumerate(calls)
    ]


def scored(bench, calls, gold):
    s = bench["chain_scoring"]
    tools = as_tools({"tools": bench["chain_functions"].FUNCTIONS})
    pred, dangling = s.resolve(
        plan(bench, calls), {t.name: [p.name for p in t.returns] for t in tools}
    )
    return s.score(pred, gold, dangling)


@pytest.fixture
def flights(bench):
    """New York and London airports, then flights between them (fan-in)."""
    C, R = bench["chain_calls"].C, bench["chain_scoring"].REF
    return [
        C("search_airport", query="New York"),
        C("search_airport", query="London"),
        C(
            "search_flights",
            from_id=R(0, "airport_id"),
            to_id=R(1, "airport_id"),
            date="2026-03-14",
            adults=(None, 1),
        ),
    ]


def test_a_right_plan_is_exact_with_every_reference_right(bench, flights):
    s = scored(
        bench,
        [
            ("search_airport", {"query": "New York"}),
            ("search_airport", {"query": "london"}),
            (
                "search_flights",
                {
                    "from_id": ("ref", 0, "airport_id"),
                    "to_id": ("ref", 1, "airport_id"),
                    "date": "2026-03-14",
                },
            ),
        ],
        flights,
    )
    assert (s.exact, s.refs, s.refs_right, s.tp, s.fp, s.fn) == (True, 2, 2, 3, 0, 0)


def test_a_reference_to_the_wrong_call_or_field_is_wrong(bench, flights):
    wrong_call = [
        ("search_airport", {"query": "New York"}),
        ("search_airport", {"query": "London"}),
        (
            "search_flights",
            {
                "from_id": ("ref", 0, "airport_id"),
                "to_id": ("ref", 0, "airport_id"),  # New York again
                "date": "2026-03-14",
            },
        ),
    ]
    s = scored(bench, wrong_call, flights)
    assert (s.exact, s.refs, s.refs_right) == (False, 2, 1)
    assert (s.tp, s.fp, s.fn) == (3, 0, 0)  # the right functions all the same

    wrong_field = [*wrong_call[:2], ("search_flights", dict(wrong_call[2][1]))]
    wrong_field[2][1]["to_id"] = ("ref", 1, "city")
    s = scored(bench, wrong_field, flights)
    assert (s.exact, s.refs_right) == (False, 1)


def test_independent_calls_may_come_in_any_order(bench, flights):
    s = scored(
        bench,
        [
            ("search_airport", {"query": "London"}),
            ("search_airport", {"query": "New York"}),
            (
                "search_flights",
                {
                    "from_id": ("ref", 1, "airport_id"),  # New York is now call 1
                    "to_id": ("ref", 0, "airport_id"),
                    "date": "2026-03-14",
                    "adults": 1,
                },
            ),
        ],
        flights,
    )
    assert (s.exact, s.refs_right) == (True, 2)
    assert s.matched == {0: 1, 1: 0, 2: 2}


def test_a_plain_functions_whole_result_is_referenced_as_result(bench):
    C, R = bench["chain_calls"].C, bench["chain_scoring"].REF
    gold = [C("country_capital", country="Kenya"), C("city_population", city=R(0))]
    right = [
        ("country_capital", {"country": "Kenya"}),
        ("city_population", {"city": ("ref", 0, "result")}),
    ]
    assert scored(bench, right, gold).exact
    made_up = [("country_capital", {"country": "Kenya"}), ("city_population", {"city": "Nairobi"})]
    s = scored(bench, made_up, gold)
    assert (s.exact, s.refs, s.refs_right) == (False, 1, 0)


def test_a_missing_call_and_a_dangling_reference_score_as_wrong(bench, flights):
    s = scored(
        bench,
        [
            (
                "search_flights",
                {"from_id": "API_call_40", "to_id": "API_call_41", "date": "2026-03-14"},
            )
        ],
        flights,
    )
    assert (s.exact, s.refs_right, s.tp, s.fn, s.dangling) == (False, 0, 1, 2, 2)


def test_nothing_fits_is_right_only_for_an_empty_plan(bench):
    s = bench["chain_scoring"].score([], [])
    assert (s.exact, s.refs, s.tp, s.fp, s.fn) == (True, 0, 0, 0, 0)
    s = scored(bench, [("final_price", {"price": 100, "discount_pct": 25, "tax_pct": 10})], [])
    assert (s.exact, s.fp) == (False, 1)


def test_the_set_has_the_promised_shape(bench):
    scoring = bench["chain_scoring"]
    functions, chains = bench["chain_calls"].load()  # also checks every reference's target
    none = bench["nothing_fits"].load()
    assert len(chains) >= 150 and len(none) >= 60
    assert len({c["name"] for r in chains for c in r["calls"]}) >= 60
    assert {scoring.depth(r["calls"]) for r in chains} == {2, 3, 4}
    assert all(
        5 <= len(r["offered"]) <= 6 or set(r["offered"]) == {c["name"] for c in r["calls"]}
        for r in chains
    )
    assert any(scoring.fan_in(r["calls"]) for r in chains)
    assert any(scoring.components(r["calls"]) > 1 for r in chains)
    tools = as_tools({"tools": functions})
    assert sum(bool(t.outputs) for t in tools) > len(tools) / 2  # the MCP loader read them
