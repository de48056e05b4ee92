from __future__ import annotations

import json

import pytest

from toolrag.instances import load_instances, queries_and_qrels, read_instances
from toolrag.types import InstanceCategory


def test_seal_instances_load_as_a_dataset(seal_available):
    from conftest import SEAL

    ds = load_instances(SEAL / "dev.jsonl")
    assert len(ds) == 700 and {"id", "query", "calling", "category", "tools"} <= set(
        ds.column_names
    )
    counts = {c: ds["category"].count(c) for c in ("single", "multiple", "nested")}
    assert counts == {"single": 200, "multiple": 472, "nested": 28}
    nested = ds.filter(lambda r: r["category"] == "nested")[0]
    assert any(
        str(v).startswith("API_call_")
        for c in json.loads(nested["calling"])
        for v in c["parameters"].values()
    )


def test_categories_and_qrels(tmp_path):
    path = tmp_path / "i.jsonl"
    path.write_text(
        "\n".join(
            json.dumps(x)
            for x in [
                {
                    "id": "s",
                    "query": "q1",
                    "calling": [{"api": "a", "parameters": {}, "responses": []}],
                },
                {
                    "id": "n",
                    "query": "q2",
                    "calling": [
                        {"api": "a", "parameters": {}, "responses": ["API_call_0"]},
                        {"api": "b", "parameters": {"x": "API_call_0"}, "responses": []},
                    ],
                },
            ]
        )
    )
    inst = read_instances(path)
    assert [i.category for i in inst] == [InstanceCategory.SINGLE, InstanceCategory.NESTED]
    queries, qrels = queries_and_qrels(inst)
    assert queries == {"s": "q1", "n": "q2"} and qrels["n"] == {"a": 1, "b": 1}


def test_bad_instance_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "x", "query": "q"}\n')
    with pytest.raises(ValueError, match="line 1.*calling"):
        read_instances(path)
