from __future__ import annotations

import pytest

from retriever import BM25Retriever
from retriever.decompose import DecomposingRetriever, interleave, split_query


def test_split_query():
    assert split_query("What is the weather in Paris?") == ["What is the weather in Paris?"]
    parts = split_query(
        "Convert 100 EUR to USD. Then book a flight to Rome, and also email my boss about it."
    )
    assert parts == [
        "Convert 100 EUR to USD.",
        "Then book a flight to Rome",
        "email my boss about it.",
    ]
    assert split_query("Do A; do B") == [
        "Do A; do B"
    ]  # fragments under three words are not requests


def test_interleave_worked_example():
    whole = {"a": 3.0, "b": 2.0, "c": 1.0}
    part1 = {"b": 5.0, "d": 4.0}
    part2 = {"e": 1.0, "a": 0.5}
    assert list(interleave([whole, part1, part2], top=4)) == ["a", "b", "e", "d"]
    assert interleave([whole], top=2) == {"a": 2.0, "b": 1.0}


def test_decomposition_brings_every_sub_request_into_the_top_k(six_index):
    query = "Convert 100 EUR to USD currency. Then book a flight ticket to Rome. Also translate the text into German."
    gold = {"convertCurrency", "bookFlight", "translateText"}
    decomposed = DecomposingRetriever(BM25Retriever(six_index)).search({"q": query}, k=3)["q"]
    assert set(decomposed) == gold
    with pytest.raises(ValueError, match="interleave"):
        DecomposingRetriever(BM25Retriever(six_index), merge="max")
