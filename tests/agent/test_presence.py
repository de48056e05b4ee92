"""The presence model: features, decisions, loading, and a tiny real training run."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from agent.presence import (
    FEATURES,
    PRESENCE_RECORD,
    PresenceError,
    PresenceModel,
    QueryView,
    param_features,
)
from toolrag.cli import app
from toolrag.types import Param, ParamType, Tool
from trainer.presence import thresholds

FLIGHTS = Tool(
    name="searchFlights",
    description="Find flights between two cities.",
    parameters=[
        Param(name="origin", required=True),
        Param(name="destination", required=True),
        Param(name="passengers", type=ParamType.INTEGER, description="How many travel"),
        Param(name="cabin_class", description="Cabin class (e.g., economy)"),
        Param(name="refundable", type=ParamType.BOOLEAN),
    ],
)


def _column(x: np.ndarray, name: str) -> np.ndarray:
    return x[:, FEATURES.index(name)]


def test_features_read_the_query_against_each_optional_parameter():
    view = QueryView.of(
        "Find flights from Madrid to Lisbon for 3 passengers in cabin class business"
    )
    params, x = param_features(view, FLIGHTS)
    assert [p.name for p in params] == ["passengers", "cabin_class", "refundable"]
    assert x.shape == (3, len(FEATURES))
    assert list(_column(x, "name_share")) == [1.0, 1.0, 0.0]
    assert list(_column(x, "is_number")) == [1.0, 0.0, 0.0]
    assert list(_column(x, "is_boolean")) == [0.0, 0.0, 1.0]
    assert _column(x, "numbers_left")[0] > 0  # "3" is there for it
    # a description's examples are not read: Seal-Tools' generator copied them into queries
    quiet = QueryView.of("Find flights from Madrid to Lisbon in economy")
    _, y = param_features(quiet, FLIGHTS)
    assert _column(y, "desc_share")[1] == 0.0
    assert param_features(view, Tool(name="ping"))[0] == []


def _model(**kw) -> PresenceModel:
    """A model that reads name_share only: P = sigmoid(8 * (name_share - 0.5))."""
    coef = np.zeros(len(FEATURES))
    coef[FEATURES.index("name_share")] = 8.0
    args = {"drop_below": 0.2, "keep_above": 0.9} | kw
    return PresenceModel(
        np.zeros(len(FEATURES)), np.ones(len(FEATURES)), coef, -4.0, record={}, **args
    )


def test_decide_leaves_out_the_unlikely_and_keeps_the_likely():
    query = "Flights from Madrid to Lisbon for 3 passengers"
    probs = _model().probabilities(query, FLIGHTS)
    assert probs["passengers"] > 0.9 > 0.2 > probs["cabin_class"]
    drop, keep = _model().decide(query, [FLIGHTS])
    assert drop == {"searchFlights": {"cabin_class", "refundable"}}
    assert keep == {"searchFlights": {"passengers"}}
    drop, keep = _model(drop_below=0.0, keep_above=1.0).decide(query, [FLIGHTS])
    assert drop == keep == {}


def test_thresholds_worked_example():
    probs = np.array([0.05, 0.1, 0.15, 0.3, 0.5, 0.7, 0.8, 0.95])
    labels = np.array([0, 0, 1, 0, 1, 1, 0, 1])
    # below 0.15: two unstated -> 0% error; below 0.16 a stated one enters (1 of 3 = 33%)
    # at or above 0.81: one stated (0% error); at 0.8 an unstated one enters (50%)
    assert thresholds(probs, labels, max_drop_error=0.05, max_keep_error=0.1) == (0.15, 0.81)
    # a 40% bound on the drop side passes 0.16 (1 of 3) and 0.51 (2 of 5), stops at 0.71 (3 of 6)
    assert thresholds(probs, labels, max_drop_error=0.4, max_keep_error=0.1) == (0.7, 0.81)
    # nothing stated: everything may be left out, nothing forced
    assert thresholds(np.array([0.5]), np.array([0]), 0.0, 0.0) == (0.99, 1.0)


def test_a_folder_that_is_not_a_presence_model_is_refused(tmp_path):
    with pytest.raises(PresenceError, match="not a toolrag presence model"):
        PresenceModel.load(tmp_path)
    (tmp_path / PRESENCE_RECORD).write_text(json.dumps({"format": "toolrag-selector/2"}))
    with pytest.raises(PresenceError, match="retrain it"):
        PresenceModel.load(tmp_path)


def test_tiny_presence_training_and_use(seal_available, tmp_path):
    from conftest import SEAL

    lines = SEAL.joinpath("dev.jsonl").read_text().splitlines()[:200]
    (tmp_path / "inst.jsonl").write_text("\n".join(lines) + "\n")
    out = tmp_path / "presence"
    args = ["train", "presence", "--train", tmp_path / "inst.jsonl"]
    args += ["--tools", SEAL / "tool.jsonl", "--out", out, "--json"]
    res = CliRunner().invoke(app, [str(a) for a in args])
    assert res.exit_code == 0, res.output
    record = json.loads((out / PRESENCE_RECORD).read_text())
    assert 0 < record["data"]["stated"] < record["data"]["parameters"]
    assert 0.0 <= record["drop_below"] <= record["keep_above"] <= 1.0
    assert record["validation"]["queries"] >= 1
    assert "# toolrag presence model" in (out / "README.md").read_text()
    model = PresenceModel.load(out)
    # it learned that a parameter the query names is more likely stated than a flag it does not
    probs = model.probabilities("Flights for 3 passengers in cabin class business", FLIGHTS)
    assert probs["cabin_class"] > probs["refundable"]


def test_a_parameter_whose_enum_member_is_said_is_never_left_out():
    cabin = Param(name="cabin", json_schema={"type": "string", "enum": ["economy", "business"]})
    tool = Tool(name="fly", parameters=[Param(name="to", required=True), cabin])
    drop, _ = _model().decide("Fly to Oslo", [tool])
    assert drop == {"fly": {"cabin"}}
    drop, _ = _model().decide("Fly to Oslo in business", [tool])
    assert drop == {}
