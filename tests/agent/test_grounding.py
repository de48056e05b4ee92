"""What a string value grounded in the query is made of: its words, separators and quotes."""

from __future__ import annotations

import doctest

import pytest

from toolrag.agent import grounding
from toolrag.agent.grounding import (
    query_numbers,
    query_quotes,
    query_words,
    stated_values,
    word_forms,
)


def test_the_module_examples_hold():
    assert doctest.testmod(grounding).failed == 0


@pytest.mark.parametrize(
    ("query", "quotes"),
    [
        ("Translate 'Hello, how are you?' into Sotho", ["Hello, how are you?"]),
        ('Search "deep learning" and "GPU" papers', ["deep learning", "GPU"]),
        ("Say \u201cgood night\u201d and \u2018cheers\u2019", ["good night", "cheers"]),
        ("It's the students' books, don't move them", []),  # apostrophes are not quotes
        ("Title 'A' and 'A' again", ["A"]),  # without repeats
        ("An unclosed 'quote here", []),
    ],
)
def test_query_quotes(query, quotes):
    assert query_quotes(query) == quotes


def test_no_separator_holds_a_quotation_mark():
    words, seps = query_words("Translate 'Hello, how are you?' into \"Sotho\" now")
    assert words == ["Translate", "Hello", "how", "are", "you", "into", "Sotho", "now"]
    assert seps == [", ", " "]  # " '", "?' " and ' "' are edges of quoted spans


@pytest.mark.parametrize(
    ("word", "forms"),
    [
        ("Smith's", {"Smith", "smith", "Smith's"}),
        ("Inc.'s", {"Inc.", "Inc.'s"}),
        ("dog\u2019s", {"dog", "Dog", "dog\u2019s"}),
        ("dogs", {"dogs", "Dogs"}),  # plurals keep their ending
        ("Paris", {"Paris", "paris"}),
    ],
)
def test_word_forms_drop_a_possessive(word, forms):
    assert set(word_forms(word)) >= forms
    assert "dog" not in word_forms("dogs")


def test_numbers_as_written():
    query = "Tax on $38.0, flow 0.7372920019796602, 1,500 people, 10% off, 2 million"
    assert query_numbers(query) == [38.0, 0.7372920019796602, 1500, 10, 0.1, 2, 2000000]
    assert [type(x) for x in query_numbers(query)[:3]] == [float, float, int]
    assert stated_values(query)[0] == (38.0,)


@pytest.mark.parametrize(
    ("query", "value", "items"),
    [
        (
            "Symptoms: fever, cough, and sore throat and more.",
            "fever",
            ["fever", "cough", "sore throat"],
        ),
        ("Mail ann@x.org and bob@x.org.", "ann@x.org", ["ann@x.org", "bob@x.org"]),
        ("Mail ann@x.org and bob@x.org, subject 'Hi'", "ann@x.org", ["ann@x.org", "bob@x.org"]),
        ('Invite "user1" and "user2" now', "user1", ["user1", "user2"]),
        ("Prices of corn, wheat, and soybeans in Asia", "corn", ["corn", "wheat", "soybeans"]),
        (
            "Lethargy, loss of appetite, and fatigue.",
            "lethargy",
            ["Lethargy", "loss of appetite", "fatigue"],
        ),
        # a phrase after a list with a bare "and" leaves it unclosed: no list
        ("Prices of corn, wheat and soybeans in Asia", "corn", []),
        # not lists: a clause goes on after a bare "and", a function word starts the "item"
        ("Study climate change and I need sources.", "climate change", []),
        ("Grow tomatoes and need instructions for them", "tomatoes", []),
        ("Find dolphins, including their habitat.", "dolphins", []),
        ("Weather in Paris", "Paris", []),
    ],
)
def test_coordination_reads_the_list_a_value_starts(query, value, items):
    assert grounding.coordination(query, value) == items


@pytest.mark.parametrize(
    ("value", "stated"),
    [
        (1, False),  # only the day of "March 1, 2024"
        ("1", False),
        (3, True),  # "three"
        (250, True),
        (0.15, True),  # "15%"
        ("2024-03-01", True),
        ("Berlin office", True),
        ("Paris", False),
        (False, True),  # flags are implied by wording
        (["Paris"], True),  # lists and objects are not checked
    ],
)
def test_states_a_value_only_as_written(value, stated):
    from toolrag.agent.grounding import states

    query = "Book three rooms at the Berlin office for March 1, 2024, budget 250 with a 15% cap"
    assert states(value, query) is stated
