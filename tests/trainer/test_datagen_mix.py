"""The mixed training set for what fails: each source on a few examples, the checks, the
manifest, reproducibility, and the planner's data preparation reading it."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from toolrag.trainer.datagen.apis import CHAIN_TOOLS, FAMILIES, fn, outputs, plain
from toolrag.trainer.datagen.chains import CHAINS, chain_instance, plan_of, single_use
from toolrag.trainer.datagen.knowledge import knowledge_instance
from toolrag.trainer.datagen.mix import check_plan, generate_mix, write_mix, written_pool
from toolrag.trainer.datagen.parallel import parallel_instance
from toolrag.trainer.datagen.refusals import refusal_instance, vary_numbers
from toolrag.trainer.datagen.world import CITIES, City, place_value

ROOT = Path(__file__).resolve().parents[2]


def test_a_tool_without_output_schema_returns_result():
    t = fn("geo", "Coordinates.", "q*:str", out=["lat:num", "lon:num"])
    assert outputs(t) == ["lat", "lon"] and outputs(plain(t)) == ["result"]


def test_chains_reference_the_right_output_with_schemas_and_result_without():
    _, steps = CHAINS["flights"](random.Random(0))
    with_schema = plan_of(steps, plain=False)
    assert with_schema[2]["parameters"]["origin_id"] == "$0.airport_id"
    assert with_schema[2]["parameters"]["destination_id"] == "$1.airport_id"
    without = plan_of(steps, plain=True)
    assert (
        without[2]["api"] == "search_flights"
        and without[2]["parameters"]["origin_id"] == "$0.result"
    )
    # a chain taking two fields of one call (latitude, longitude) is never planned over plain tools
    _, weather = CHAINS["weather"](random.Random(0))
    assert not single_use(weather) and single_use(steps)


def test_two_chains_in_one_request_number_the_second_after_the_first():
    rng = random.Random(0)
    two = next(
        ex for ex in (chain_instance(rng, two_share=1.0) for _ in range(30)) if len(ex["plan"]) >= 4
    )
    pool = written_pool()
    assert check_plan(two["plan"], two["offered"], pool) is None
    refs = [
        int(v[1:].partition(".")[0])
        for i, c in enumerate(two["plan"])
        for v in c["parameters"].values()
        if isinstance(v, str) and v.startswith("$")
    ]
    assert refs and max(refs) < len(two["plan"]) - 1


def test_places_follow_the_description_and_never_put_a_state_on_a_foreign_city():
    tucson = City("Tucson", "Arizona", "United States", "AZ")
    porto = City("Porto", "", "Portugal", "")
    assert place_value(tucson, "state") == "Tucson, AZ"
    assert place_value(porto, "any") == "Porto, Portugal" and place_value(porto, "name") == "Porto"
    with pytest.raises(ValueError):
        place_value(porto, "state")
    rng = random.Random(0)
    made = [knowledge_instance(rng) for _ in range(300)]
    states = {c.state_code for c in CITIES if c.us}
    for ex in made:
        for call in ex["plan"]:
            value = call["parameters"].get("location") or call["parameters"].get("place") or ""
            code = value.rpartition(", ")[2]
            if code in states:  # "City, ST" only for a US city
                city = value.rpartition(", ")[0]
                assert any(c.name == city and c.state_code == code for c in CITIES), value


def test_knowledge_values_are_worked_out():
    rng = random.Random(1)
    made = [knowledge_instance(rng) for _ in range(200)]
    cards = [ex for ex in made if "deck" in ex["query"]]
    assert cards and all(ex["plan"][0]["parameters"]["total"] == 52 for ex in cards)
    spade = [ex for ex in cards if "a spade" in ex["query"]]
    assert all(ex["plan"][0]["parameters"]["favorable"] == 13 for ex in spade)
    years = [ex for ex in made if ex["kind"] == "knowledge-years"]
    for ex in years:  # "for 3, 7 and 15 years": one call per year
        said = [
            int(y) for y in re.findall(r"(\d+)(?:,| and| years)", ex["query"].split("for ")[-1])
        ]
        assert [c["parameters"]["years"] for c in ex["plan"]] == said
    million = [ex for ex in made if " million" in ex["query"] and ex["plan"][0]["api"] == "density"]
    for ex in million:
        said = float(re.search(r"([\d.]+) million", ex["query"]).group(1))
        assert ex["plan"][0]["parameters"]["population"] == round(said * 10**6)


def test_parallel_requests_need_every_call_and_offer_the_near_misses():
    rng = random.Random(2)
    for _ in range(50):
        ex = parallel_instance(rng)
        assert 2 <= len(ex["plan"]) <= 4
        family = next(
            f for f, ts in FAMILIES.items() if ex["plan"][0]["api"] in {t["name"] for t in ts}
        )
        assert {t["name"] for t in FAMILIES[family]} <= set(ex["offered"])
        assert len({json.dumps(c, sort_keys=True) for c in ex["plan"]}) == len(ex["plan"])


def test_refusals_plan_nothing_and_vary_their_numbers():
    rng = random.Random(3)
    made = [refusal_instance(rng) for _ in range(40)]
    assert all(ex["plan"] == [] and ex["offered"] for ex in made)
    assert {ex["kind"] for ex in made} == {"none-missing-value", "none-unserved"}
    assert vary_numbers("pay kwame@mensah.gh on 2026-05-14 for x^4", rng) == (
        "pay kwame@mensah.gh on 2026-05-14 for x^4"
    )
    assert re.fullmatch(r"a box \d by \d", vary_numbers("a box 3 by 4", rng))


def test_check_plan_rejects_what_training_must_not_see():
    pool = written_pool()
    ok = [
        {"api": "searchHotels", "parameters": {"city": "Perth"}},
        {"api": "getHotelReviews", "parameters": {"hotel_id": "$0.hotel_id"}},
    ]
    offered = ["searchHotels", "getHotelReviews"]
    assert check_plan(ok, offered, pool) is None
    bad_field = [ok[0], {"api": "getHotelReviews", "parameters": {"hotel_id": "$0.id"}}]
    assert check_plan(bad_field, offered, pool) == "reference-field"
    forward = [{"api": "getHotelReviews", "parameters": {"hotel_id": "$1.hotel_id"}}, ok[0]]
    assert check_plan(forward, offered, pool) == "reference-forward"
    assert (
        check_plan([{"api": "searchHotels", "parameters": {"city": 3}}], offered, pool) == "schema"
    )
    assert check_plan([{"api": "searchHotels", "parameters": {}}], offered, pool) == "schema"
    assert check_plan(ok, ["searchHotels"], pool) == "call-not-offered"


def test_the_mix_is_checked_reproducible_and_its_manifest_adds_up(tmp_path):
    from toolrag.agent.plan import to_internal
    from toolrag.cache import file_sha256
    from toolrag.index.toolset import load_toolset
    from toolrag.types import ToolCall

    functions, rows, report = generate_mix(None, n=150, seed=4)
    again = generate_mix(None, n=150, seed=4)
    assert again[1] == rows and again[0] == functions
    out = write_mix(tmp_path / "mix", functions, rows, report, apis_path=None, command="test")
    manifest = json.loads((out / "manifest.json").read_text())
    for name, meta in manifest["files"].items():
        assert file_sha256(out / name) == meta["sha256"]
    assert sum(manifest["report"]["by_kind"].values()) == len(rows) == report["instances"]
    tools = {t.name: t for t in load_toolset(out / "functions.json")}
    pool = written_pool()
    for row in rows:
        plan = to_internal([ToolCall(**c) for c in row["calling"]], tools)
        assert check_plan(plan, row["offered"], pool) is None
    assert any(t.outputs for t in tools.values()) and any(not t.outputs for t in tools.values())
    assert report["with_references"] > 0 and report["empty_plans"] > 0


def test_written_names_stay_apart_from_the_held_out_and_seal_toolsets():
    names = {n.lower() for n in written_pool()}
    for path in ("benchmarks/heldout_calls.py", "benchmarks/dev_calls.py"):
        text = (ROOT / path).read_text()
        theirs = {m.lower() for m in re.findall(r'F\("([A-Za-z_0-9.]+)"', text)}
        assert theirs and not names & theirs, (path, names & theirs)
    seal = ROOT.parent / "shared/data/seal-tools/tool.jsonl"
    if seal.is_file():
        seal_names = {json.loads(line)["api_name"].lower() for line in seal.open() if line.strip()}
        assert not names & seal_names
    assert set(CHAIN_TOOLS)  # the catalogue is not empty


def test_planner_data_preparation_reads_the_mix(tmp_path, six_tools_file):
    from toolrag.agent.plan import parse
    from toolrag.trainer.planner import PlannerTrainConfig, build_examples

    functions, rows, report = generate_mix(None, n=60, seed=5)
    out = write_mix(tmp_path / "mix", functions, rows, report, apis_path=None, command="test")
    train = tmp_path / "train.jsonl"
    train.write_text(
        json.dumps(
            {
                "id": "w",
                "query": "Weather in Paris?",
                "calling": [
                    {"api": "getWeather", "parameters": {"city": "Paris"}, "responses": []}
                ],
            }
        )
        + "\n"
    )
    cfg = PlannerTrainConfig(
        train=train,
        tools=[six_tools_file, out / "functions.json"],
        extra_train=[out / "instances.jsonl"],
        out=tmp_path / "run",
        epochs=1,
    )
    examples = build_examples(cfg)
    assert len(examples) == len(rows) + 1
    plans = [parse(ex["completion"][0]["content"]) for ex in examples]
    refs = [
        v
        for p in plans
        for c in p
        for v in c["parameters"].values()
        if isinstance(v, str) and v.startswith("$")
    ]
    assert refs and all(re.fullmatch(r"\$\d+\.\w+", v) for v in refs)
    assert any(p == [] for p in plans)
