from __future__ import annotations

import pytest

from toolrag.retriever import BM25Retriever
from toolrag.retriever.decompose import DecomposingRetriever, coverage, interleave, split_query


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


def test_coverage_worked_example():
    # temperature 1: run 1 -> p(a)=e^0/(e^0+e^-1)=0.731, p(b)=0.269; run 2 -> p(c)=0.731, p(a)=0.269
    # step 1: a gains 0.731+0.269=1.0 (c 0.731, b 0.269) -> a; weights become 0.269 and 0.731
    # step 2: c gains 0.731*0.731=0.534, b 0.269*0.269=0.072 -> c; then b
    runs = [{"a": 1.0, "b": 0.0}, {"c": 1.0, "a": 0.0}]
    assert coverage(runs, top=3, temperature=1.0) == {"a": 3.0, "c": 2.0, "b": 1.0}
    assert coverage(runs, top=1, temperature=1.0) == {"a": 1.0}
    # one ranking keeps its own order
    assert list(coverage([{"x": 0.2, "y": 0.9, "z": 0.5}], top=3)) == ["y", "z", "x"]
    # a flat (filler) ranking gets no slot ahead of a sharp sub-request's second-best tool
    flat = {f"f{i}": 1.0 for i in range(20)}
    sharp = {"s1": 1.0, "s2": 0.9, "s3": 0.0}
    assert list(coverage([sharp, flat], top=2)) == ["s1", "s2"]


def test_top_k_is_the_start_of_a_longer_list(six_index):
    retr = DecomposingRetriever(BM25Retriever(six_index), depth=6)
    query = "Convert 100 EUR to USD currency. Then book a flight ticket to Rome. Also translate it."
    assert (
        list(retr.search({"q": query}, k=2)["q"]) == list(retr.search({"q": query}, k=4)["q"])[:2]
    )


def test_decomposition_brings_every_sub_request_into_the_top_k(six_index):
    query = "Convert 100 EUR to USD currency. Then book a flight ticket to Rome. Also translate the text into German."
    gold = {"convertCurrency", "bookFlight", "translateText"}
    for merge in ("coverage", "interleave"):
        retr = DecomposingRetriever(BM25Retriever(six_index), merge=merge)
        assert set(retr.search({"q": query}, k=3)["q"]) == gold
    with pytest.raises(ValueError, match="interleave"):
        DecomposingRetriever(BM25Retriever(six_index), merge="max")


def test_split_clauses_cuts_at_and_between_requests_not_inside_one():
    from toolrag.retriever.decompose import split_clauses

    assert split_clauses("Get the AAPL stock price and the population of Germany.") == [
        "Get the AAPL stock price",
        "the population of Germany.",
    ]
    assert split_clauses("Book a table at 19:00 and email lea@mail.com the menu.") == [
        "Book a table at 19:00",
        "email lea@mail.com the menu.",
    ]
    # values of one request stay together: short pieces, prepositions, numbers
    for one in (
        "Tell me the weather in Paris and Rome",
        "Weather in Seoul and in Bangkok",
        "BMI for 75 kg and 170 cm",
        "salt and pepper",
    ):
        assert split_clauses(one) == [one]
    # it refines split_query's cuts, never undoes them
    assert split_clauses(
        "Get the weather in Paris. Then book a flight and email Ann the plan."
    ) == [
        "Get the weather in Paris.",
        "Then book a flight",
        "email Ann the plan.",
    ]


def test_request_clauses_also_cut_short_requests_and_comma_and():
    from toolrag.retriever.decompose import request_clauses, split_clauses

    # split_query drops a two-word request after "then"; request_clauses keeps it
    query = "Slugify 'My First Post', then URL-encode 'x=1&y=2'."
    assert split_clauses(query) == [query]
    assert request_clauses(query) == ["Slugify 'My First Post'", "URL-encode 'x=1&y=2'."]
    # a comma before "and" ends a request even when a number follows; without it, not
    assert request_clauses("% change 50 to 65, and 212 F in C.") == [
        "% change 50 to 65",
        "212 F in C.",
    ]
    for one in ("BMI for 75 kg and 170 cm", "Weather in Seoul and in Bangkok", "salt and pepper"):
        assert request_clauses(one) == [one]
    # a piece too short to be a request stays with the one before it
    assert request_clauses("Convert 5 km, then round.") == ["Convert 5 km, then round."]
    # where split_clauses already cuts, the same pieces
    query = "Lock the front door and turn off the porch light."
    assert request_clauses(query) == split_clauses(query)


def test_request_clauses_cut_at_plus_where_and_would_cut():
    from toolrag.retriever.decompose import request_clauses, split_clauses

    query = "Moon phase today 2025-03-01 plus sunrise at 48.85, 2.35 that day."
    assert request_clauses(query) == [
        "Moon phase today 2025-03-01",
        "sunrise at 48.85, 2.35 that day.",
    ]
    assert split_clauses(query) == [query]  # the selector's features are not affected
    # arithmetic stays one request: a number after "plus" continues the one before it
    for one in (
        "What is 12 plus 30?",
        "Add 7 plus 5 to the total",
        "Disney plus subscription price",
    ):
        assert request_clauses(one) == [one]
    assert request_clauses("Sum 12 plus 30, and the square root of 81") == [
        "Sum 12 plus 30",
        "the square root of 81",
    ]
