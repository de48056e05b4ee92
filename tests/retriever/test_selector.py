"""The tool selector: threshold tuning on a worked example, record checks, a tiny training run."""

from __future__ import annotations

import json

import pytest

from retriever.selector import (
    SELECTOR_RECORD,
    SelectorError,
    ToolSelector,
    check_threshold,
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


def test_folder_that_is_not_a_selector_is_refused(tmp_path):
    with pytest.raises(SelectorError, match="not a toolrag selector"):
        read_record(tmp_path)
    with pytest.raises(SelectorError, match="does not exist"):
        ToolSelector.load(tmp_path / "missing")


def test_selector_with_changed_weights_is_refused(tmp_path):
    (tmp_path / "model.safetensors").write_bytes(b"weights")
    record = {"format": "toolrag-selector/1", "weights_sha256": "0" * 64}
    (tmp_path / SELECTOR_RECORD).write_text(json.dumps(record))
    with pytest.raises(SelectorError, match="not the ones"):
        read_record(tmp_path)
    (tmp_path / SELECTOR_RECORD).write_text(json.dumps(record | {"format": "other/9"}))
    with pytest.raises(SelectorError, match="retrain"):
        read_record(tmp_path)
