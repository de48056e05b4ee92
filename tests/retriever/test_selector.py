"""The tool selector: threshold tuning on a worked example, record checks, a tiny training run."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from toolrag.retriever.selector import (
    CLAUSE_MARGIN,
    DEFAULT_MUST_THRESHOLD,
    FEATURES,
    SELECTOR_FORMAT,
    SELECTOR_RECORD,
    SelectorError,
    ToolSelector,
    check_threshold,
    features,
    pointed,
    read_record,
    tune_threshold,
)


def test_tune_threshold_worked_example():
    # query 1 needs tool a (0.9); query 2 needs a and b (0.7, 0.6); the rest are not needed.
    lists = [([0.9, 0.2, 0.1], [True, False, False]), ([0.7, 0.6, 0.3], [True, True, False])]
    # thresholds 0.31..0.60 select exactly the needed tools (F1 1.0); the middle one is taken
    threshold, f1 = tune_threshold(lists, grid=100)
    assert f1 == pytest.approx(1.0)
    assert 0.3 < threshold <= 0.6
    assert threshold == pytest.approx(0.45, abs=0.011)
    # a needed tool that no list holds caps F1 below 1 at every threshold: 3 of 4 found
    threshold, f1 = tune_threshold(lists, missing=1, grid=100)
    assert f1 == pytest.approx(2 * 3 / (2 * 3 + 0 + 1))


def test_tune_threshold_prefers_recall_when_precision_costs_less():
    # one needed tool at 0.35 among non-needed ones at 0.3: taking all four (t<=0.3) gives
    # P 1/4; taking only it gives F1 1.0
    threshold, f1 = tune_threshold([([0.35, 0.3, 0.3, 0.3], [True, False, False, False])], grid=20)
    assert threshold == pytest.approx(0.35)
    assert f1 == pytest.approx(1.0)


@pytest.mark.parametrize("bad", [-0.1, 1.5])
def test_threshold_outside_zero_one_is_refused(bad):
    with pytest.raises(ValueError, match="between 0 and 1"):
        check_threshold(bad)


def test_folder_that_is_not_a_selector_is_refused(tmp_path, six_index):
    with pytest.raises(SelectorError, match="not a toolrag selector"):
        read_record(tmp_path)
    with pytest.raises(SelectorError, match="does not exist"):
        ToolSelector.load(tmp_path / "missing", index=six_index)
    (tmp_path / SELECTOR_RECORD).write_text(json.dumps({"format": "other/9"}))
    with pytest.raises(SelectorError, match="retrain"):
        read_record(tmp_path)


def _record(**extra):
    n = len(FEATURES)
    return {
        "format": SELECTOR_FORMAT,
        "features": list(FEATURES),
        "mean": [0.0] * n,
        "scale": [1.0] * n,
        "coef": [0.0] * n,
        "intercept": 0.0,
        "threshold": 0.5,
    } | extra


def test_selector_from_another_embedding_model_is_refused(six_index):
    with pytest.raises(SelectorError, match="trained on features of"):
        ToolSelector(six_index, _record(embedding_model="some/other-model"))


def test_features_on_the_six_tool_worked_example(six_index):
    tools = six_index.tools
    query = "What is the weather in Paris? Then convert 100 EUR to USD."
    x = features(six_index, query, tools)
    assert x.shape == (len(tools), len(FEATURES))
    col = {name: x[:, i] for i, name in enumerate(FEATURES)}
    names = [t.name for t in tools]
    best = names[int(col["cos_query"].argmax())]
    assert col["gap_to_best"][names.index(best)] == pytest.approx(0.0)
    assert (col["gap_to_best"] <= 1e-9).all()
    assert col["parts"][0] == pytest.approx(math.log(3))  # the query and its two sub-requests
    # each sub-request has one best candidate, and a tool is top for some text iff its margin > 0
    assert set(np.flatnonzero(col["top_for_part"])) == set(np.flatnonzero(col["part_margin"] > 0))
    assert 1 <= col["tops"][0] <= 3


def test_probabilities_follow_the_weights(six_index):
    tools = six_index.tools[:3]
    flat = ToolSelector(six_index, _record())
    assert flat.probabilities("weather in Paris", tools) == pytest.approx([0.5] * 3)
    assert len(flat.select("weather in Paris", tools).tools) == 3  # 0.5 >= threshold 0.5
    coef = [0.0] * len(FEATURES)
    coef[FEATURES.index("cos_query")] = 50.0
    sharp = ToolSelector(six_index, _record(coef=coef), threshold=0.5)
    probs = sharp.probabilities("weather in Paris", tools)
    x = features(six_index, "weather in Paris", tools)[:, FEATURES.index("cos_query")]
    assert list(np.argsort(probs)) == list(np.argsort(x))
    with pytest.raises(ValueError, match="not in the index"):
        sharp.probabilities("x", [tools[0].model_copy(update={"name": "notIndexed"})])


def test_must_threshold_splits_the_selection_into_required_and_optional(six_index):
    tools = six_index.tools[:3]
    coef = [0.0] * len(FEATURES)
    coef[FEATURES.index("cos_query")] = 50.0
    probs = ToolSelector(six_index, _record(coef=coef)).probabilities("weather in Paris", tools)
    low, high = sorted(probs)[1], max(probs)
    assert low < high
    selector = ToolSelector(six_index, _record(coef=coef), threshold=low, must_threshold=high)
    selection = selector.select("weather in Paris", tools)
    assert len(selection.tools) == 2  # the two most probable are selected...
    assert [t.name for t in selection.required] == [tools[int(np.argmax(probs))].name]  # one due
    # by default the most likely ones are due; with 0, every selected tool is
    default = ToolSelector(six_index, _record(coef=coef), threshold=low)
    assert default.must_threshold == DEFAULT_MUST_THRESHOLD
    due = [t.name for t, p in zip(tools, probs, strict=True) if p >= max(low, 0.8)]
    assert [t.name for t in default.select("weather in Paris", tools).required] == due
    every = ToolSelector(six_index, _record(coef=coef), threshold=low, must_threshold=0)
    assert every.select("weather in Paris", tools).required == selection.tools
    with pytest.raises(ValueError, match="0"):
        ToolSelector(six_index, _record(), must_threshold=1.5)


def test_selected_tools_come_in_the_order_the_query_asks_for_them(six_index):
    by_name = {t.name: t for t in six_index.tools}
    tools = [by_name["getWeather"], by_name["convertCurrency"]]
    query = "Convert 100 EUR to USD. Then tell me the weather in Paris."
    in_query = ToolSelector(six_index, _record())  # every probability 0.5: all selected
    assert in_query.order == "query"
    selection = in_query.select(query, tools)
    assert [t.name for t in selection.tools] == ["convertCurrency", "getWeather"]
    assert selection.positions == {"convertCurrency": 0, "getWeather": 1}
    as_listed = ToolSelector(six_index, _record(), order="candidates")
    assert [t.name for t in as_listed.select(query, tools).tools] == [
        "getWeather",
        "convertCurrency",
    ]
    # one part: nothing to order by, candidate order stays
    assert [t.name for t in in_query.select("weather and money", tools).tools] == [
        "getWeather",
        "convertCurrency",
    ]
    with pytest.raises(ValueError, match="order must be one of"):
        ToolSelector(six_index, _record(), order="alphabetical")


def test_a_value_from_an_earlier_output_goes_to_the_tool_that_takes_it(six_index):
    by_name = {t.name: t for t in six_index.tools}
    tools = [by_name["convertCurrency"], by_name["getWeather"]]
    query = "Convert 100 EUR to USD. Then tell me the weather in the city from the previous call."
    # every probability is 0.5: at threshold 0.4 both are selected, and the mention is noted
    both = ToolSelector(six_index, _record(), threshold=0.4, clause_margin=None).select(
        query, tools
    )
    assert [t.name for t in both.tools] == ["convertCurrency", "getWeather"]
    assert both.pointed == {"getWeather": ["city"]}
    # at 0.6 none is; the mention still asks for the tool that takes the city, and it is due
    # (the clause rule, tested below, is off here)
    none = ToolSelector(six_index, _record(), threshold=0.6, must_threshold=0.9, clause_margin=None)
    selection = none.select(query, tools)
    assert (
        [t.name for t in selection.tools] == [t.name for t in selection.required] == ["getWeather"]
    )
    assert selection.pointed == {"getWeather": ["city"]}
    # off, or a probability under the floor: nothing
    off = ToolSelector(
        six_index, _record(), threshold=0.6, pointed=False, clause_margin=None
    ).select(query, tools)
    assert off.tools == [] and off.pointed == {}
    unlikely = ToolSelector(six_index, _record(intercept=-5.0), threshold=0.6, clause_margin=None)
    assert unlikely.select(query, tools).tools == []


def test_each_clause_s_clear_best_fit_is_selected_and_due(six_index):
    by_name = {t.name: t for t in six_index.tools}
    tools = [by_name[n] for n in ("getStockPrice", "convertCurrency", "getWeather", "sendEmail")]
    query = "Convert 100 EUR to USD and tell me the weather in Paris"
    # probabilities near 0: nothing passes the threshold; each clause's best fit is still due
    unlikely = _record(intercept=-10.0, parts="clauses")  # cut at "and" too, as shipped
    default = ToolSelector(six_index, unlikely)
    assert default.clause_margin == CLAUSE_MARGIN
    selection = default.select(query, tools)
    assert [t.name for t in selection.tools] == ["convertCurrency", "getWeather"]
    assert [t.name for t in selection.required] == ["convertCurrency", "getWeather"]
    # the leads behind it: each clause's best candidate and its cosine over the next
    _, _, parts, leads = default._scored(query, tools, leads=True)
    assert parts == ["Convert 100 EUR to USD", "tell me the weather in Paris"]
    assert [tools[j].name for j, _ in leads] == ["convertCurrency", "getWeather"]
    assert all(lead >= CLAUSE_MARGIN for _, lead in leads)
    # a margin no lead reaches, or the rule off: nothing selected
    assert ToolSelector(six_index, unlikely, clause_margin=2.0).select(query, tools).tools == []
    assert ToolSelector(six_index, unlikely, clause_margin=None).select(query, tools).tools == []
    with pytest.raises(ValueError, match="clause_margin"):
        ToolSelector(six_index, unlikely, clause_margin=-0.1)
    # a one-clause query has no clauses to fit; a request of several sentences is left to
    # the features (on Seal-Tools' long requests the rule adds distractors)
    assert default.select("weather in Paris", tools).tools == []
    apart = "Convert 100 EUR to USD. Tell me the weather in Paris."
    assert default._scored(apart, tools, leads=True)[3] == []
    assert default.select(apart, tools).tools == []


def test_a_mention_goes_only_to_a_tool_of_its_own_query_part():
    from toolrag.types import Param, Tool

    loc = [Param(name="location", required=True)]
    tools = [
        Tool(name="getWindEnergy", parameters=loc),
        Tool(name="getElevation", parameters=loc),
        Tool(name="getSeismicData", parameters=loc),
    ]
    parts = [
        "Get the wind energy in Oslo.",
        "Then the seismic data for a location found in the previous API response.",
    ]
    query = " ".join(parts)
    # the selected tool of the mention's part takes it; the others are left as they are
    assert pointed(query, tools, [0.9, 0.3, 0.8], [0, 1, 1], parts, chosen={0, 2}) == {
        2: ["location"]
    }
    # none selected there: the most probable unselected one of that part, at the floor or above
    assert pointed(query, tools, [0.9, 0.3, 0.2], [0, 1, 1], parts, chosen={0}) == {1: ["location"]}
    assert pointed(query, tools, [0.9, 0.05, 0.08], [0, 1, 1], parts, chosen={0}) == {}
    # a tool that fits another part best takes nothing, selected or not
    assert pointed(query, tools, [0.9, 0.3, 0.2], [0, 0, 0], parts, chosen={0}) == {}
    # no mention, nothing
    assert pointed("Get the wind energy in Oslo.", tools, [0.9] * 3, [0] * 3, parts[:1], {0}) == {}
