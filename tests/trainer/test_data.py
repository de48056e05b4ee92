from __future__ import annotations

import random

import pytest
from datasets import Dataset

from toolrag.trainer.data import (
    Query,
    example_value,
    held_out_tools,
    labelled_queries,
    mine_hard_negatives,
    pseudo_queries,
    split_validation,
    to_rows,
)
from toolrag.trainer.sampler import QueryGroupBatchSampler


def test_example_value():
    assert example_value("The type of evidence (e.g., DNA, fingerprints)") == "DNA"
    assert example_value("City name, e.g. Paris") == "Paris"
    assert example_value("no example here") is None


def test_pseudo_queries_single_and_multi(six_tools):
    qs = pseudo_queries(six_tools, multi_per_domain=3, seed=0)
    singles = [q for q in qs if q.source == "pseudo-single"]
    assert [q.tools for q in singles] == [[t.name] for t in six_tools]
    weather = singles[0].text
    assert "Paris" in weather  # the example value from the parameter description
    multis = [q for q in qs if q.source == "pseudo-multi"]
    assert multis and all(2 <= len(q.tools) <= 4 for q in multis)
    # only Finance has two tools: multi-tool queries stay within one domain
    assert all(set(q.tools) <= {"convertCurrency", "getStockPrice"} for q in multis)


def test_held_out_and_labelled_queries(six_tools, tmp_path):
    from toolrag.types import Instance, ToolCall

    held = held_out_tools(six_tools, 0.34, seed=1)
    assert len(held) == 2 and held == held_out_tools(six_tools, 0.34, seed=1)
    inst = [
        Instance(id=str(i), query=f"q{i}", calling=[ToolCall(api=t.name)])
        for i, t in enumerate(six_tools)
    ]
    kept = labelled_queries(inst, held)
    assert len(kept) == 4 and not any(set(q.tools) & held for q in kept)
    with pytest.raises(ValueError, match="fraction"):
        held_out_tools(six_tools, 1.0, seed=0)


def test_hard_negatives_never_positive_or_excluded(six_index):
    from toolrag.retriever import BM25Retriever, DenseRetriever

    queries = [
        Query("book a flight and email it", ["bookFlight", "sendEmail"], "labelled"),
        Query("weather and stock price", ["getWeather"], "labelled"),
    ]
    negs = mine_hard_negatives(
        queries,
        [BM25Retriever(six_index), DenseRetriever(six_index)],
        depth=6,
        exclude={"getStockPrice"},
    )
    assert set(negs[0]).isdisjoint({"bookFlight", "sendEmail", "getStockPrice"})
    assert set(negs[1]).isdisjoint({"getWeather", "getStockPrice"})
    assert len(negs[0]) == 3 and len(negs[1]) == 4  # 6 tools minus positives minus excluded


def test_rows_and_validation_split():
    queries = [Query(f"q{i}", [f"t{i}", f"t{i + 1}"], "labelled") for i in range(10)]
    queries += [Query("p", ["t0"], "pseudo-single")]
    train, val = split_validation(queries, 0.2, seed=0)
    assert len(val) == 2 and len(train) == 9 and all(q.source == "labelled" for q in val)
    texts = {f"t{i}": f"text {i}" for i in range(12)}
    ds = to_rows(train, texts, [["t11"]] * len(train))
    assert set(ds.column_names) == {"anchor", "positive", "negative", "label"}
    assert len(ds) == 8 * 2 + 1


def test_query_group_sampler_keeps_queries_whole_and_avoids_conflicts():
    rng = random.Random(0)
    rows = {"anchor": [], "positive": [], "negative": [], "label": []}
    for qi in range(40):
        tools = rng.sample(range(30), rng.randint(1, 4))
        for t in tools:
            rows["anchor"].append(f"q{qi}")
            rows["positive"].append(f"tool{t}")
            rows["negative"].append(f"tool{rng.randrange(30)}")
            rows["label"].append(qi)
    ds = Dataset.from_dict(rows)
    sampler = QueryGroupBatchSampler(ds, batch_size=8, drop_last=False, seed=3)
    import torch

    sampler.generator = torch.Generator()
    batches = list(sampler)
    assert len(batches) == len(sampler)
    assert sorted(i for b in batches for i in b) == list(range(len(ds)))
    for batch in batches:
        assert len(batch) <= 8
        labels = {rows["label"][i] for i in batch}
        for lab in labels:  # whole query in this batch
            assert {i for i in batch if rows["label"][i] == lab} == {
                i for i, x in enumerate(rows["label"]) if x == lab
            }
        for i in batch:
            for j in batch:
                if rows["label"][i] != rows["label"][j]:
                    assert rows["positive"][i] != rows["positive"][j]
                    assert rows["positive"][i] != rows["negative"][j]
    sampler.set_epoch(1)
    assert list(sampler) != batches  # reshuffled per epoch


def test_resume_takes_the_newest_checkpoint_by_step_number(tmp_path):
    from toolrag.trainer.checkpoint import latest_checkpoint

    assert latest_checkpoint(tmp_path) is None
    for step in (75, 100, 9):
        (tmp_path / f"checkpoint-{step}").mkdir()
    assert (
        latest_checkpoint(tmp_path) == tmp_path / "checkpoint-100"
    )  # not checkpoint-75 (text order)


def test_configs_read_older_records():
    from toolrag.trainer.retriever import RetrieverTrainConfig

    old = {"train": "dev.jsonl", "tools": ["tool.jsonl"], "out": "m", "limit_queries": 16}
    cfg = RetrieverTrainConfig.from_record(old)
    assert cfg.limit == 16 and cfg.to_dict()["limit"] == 16
    again = RetrieverTrainConfig.from_record(cfg.to_dict())  # round trip (base as its label)
    assert again.to_dict() == cfg.to_dict()
    import pytest

    with pytest.raises(ValueError, match="unknown fields"):
        RetrieverTrainConfig.from_record(old | {"nope": 1})
