"""Requests planned as ``[]``: none of the offered functions serves them (a near miss of the
same domain is offered: the area of a triangle beside volumes), or the function that serves
them needs a value the request neither states nor implies (interest "at 4% for 3 years" with
no principal). A made-up value is the failure these teach against; the same functions with
the value stated are planned as calls in :mod:`.parallel` and :mod:`.knowledge`, so a refusal
is learnt from the request, not from the function.

Example:
    >>> import random
    >>> refusal_instance(random.Random(0))["plan"]
    []
"""

from __future__ import annotations

import random
import re
from typing import Any

from toolrag.trainer.datagen.apis import CHAIN_TOOLS, FAMILIES

# (family offered, a request in its domain that none of its functions serves)
UNSERVED = [
    ("solids", "What's the area of a triangle with base 6 and height 9?"),
    ("solids", "perimeter of a rectangle 4 by 7"),
    ("solids", "How long is the diagonal of a square with side 5?"),
    ("savings", "What will my mortgage payment be on a 300000 house?"),
    ("savings", "Open a new savings account for me"),
    ("savings", "Which stocks should I buy this year?"),
    ("units", "Convert 30 degrees Celsius to Fahrenheit"),
    ("units", "How many bytes are in 3 gigabytes?"),
    ("units", "What is 45 degrees in radians?"),
    ("text", "Summarise this paragraph for me: the meeting covered budgets and hiring."),
    ("text", "Check the spelling of 'recieve'"),
    ("text", "Write a haiku about autumn"),
    ("stats", "Fit a linear regression to x=1,2,3 and y=2,4,7"),
    ("stats", "What's the correlation between these two lists: 1,2,3 and 3,1,2?"),
    ("chance", "Differentiate x^4 + 3x with respect to x"),
    ("chance", "Solve 2x + 6 = 14"),
    ("chance", "What's the integral of sin(x) from 0 to pi?"),
    ("places", "How far is it from Porto to Nantes?"),
    ("places", "What's the population of Osaka?"),
    ("places", "Translate 'good evening' into Portuguese"),
    ("population", "Which country has the largest population?"),
    ("population", "When was the last census in Ghana?"),
    ("durations", "What day of the week is 2026-05-14?"),
    ("durations", "Remind me to call my mother tomorrow"),
]
UNSERVED_CHAINS = [
    (["airport", "flights"], "Rent me a car in Leipzig for the weekend"),
    (["geocode", "weather"], "What will the weather be like next year in Perth?"),
    (["create_playlist", "add_track"], "Play some jazz in the kitchen"),
    (["find_customer", "create_invoice"], "Refund the last payment of kwame@mensah.gh"),
    (["search_movie", "movie_cast"], "Buy two cinema tickets for tonight"),
    (["find_user", "dm"], "Schedule a video call with the design team"),
    (["search_hotels", "hotel_reviews"], "Cancel my hotel booking in Busan"),
]
# (function, a request that serves it but leaves a required value unsaid)
MISSING = [
    ("simple_interest", "What's the simple interest at 4% for 3 years?"),
    ("simple_interest", "interest on my deposit over 5 years"),
    ("compound_growth", "How much will my savings grow in 10 years?"),
    ("volume_box", "Volume of a box 3 by 4?"),
    ("volume_tube", "What's the volume of a cylinder that is 12 tall?"),
    ("volume_cone", "volume of a cone, radius 3"),
    ("move_money", "Move 500 dollars to savings"),
    ("draw_probability", "What are my chances if I hold 3 tickets?"),
    ("density", "How dense is a country of 12 million people?"),
    ("per_capita", "What's the per-person share for 5 million people?"),
    ("stay_cost", "What will five nights cost?"),
    ("translate_phrase", "Translate 'see you tomorrow'"),
    ("length_convert", "Convert 12 miles"),
    ("weight_convert", "How much is 5 pounds?"),
    ("combinations", "How many ways can I choose 3 of them?"),
    ("meeting_book", "Book the Aurora room for an hour"),
    ("order_items", "Order some staplers"),
    ("forecast_city", "What's the forecast for the next 5 days?"),
]
MISSING_CHAINS = [
    (["find_customer", "create_invoice"], "Invoice the customer for 300"),
    (["airport", "flights"], "Find me a flight to Bergen"),
    (["find_user", "dm"], "Send a direct message saying the build is green"),
    (["find_restaurant", "reserve"], "Book a table for 4 at Casa Lola tonight"),
    (["create_project", "add_task"], "Add a task to review the contract"),
]
_BY_NAME = {t["name"]: f for f, ts in FAMILIES.items() for t in ts}
_NUMBER = re.compile(r"(?<![\w^.@-])\d+(?![\w.@-])")


def vary_numbers(text: str, rng: random.Random) -> str:
    """``text`` with each standalone whole number replaced by another of as many digits, so a
    written request stands for many ("3 by 4" -> "7 by 2"); dates, emails and terms such as
    ``x^4`` or ``2x`` keep theirs.

    Example:
        >>> vary_numbers("volume of a box 3 by 4 on 2026-05-14", random.Random(0)) != ""
        True
    """

    def swap(m: re.Match[str]) -> str:
        n = len(m.group())
        return str(rng.randint(10 ** (n - 1) if n > 1 else 2, 10**n - 1))

    return _NUMBER.sub(swap, text)


def refusal_instance(rng: random.Random, *, missing_share: float = 0.5) -> dict[str, Any]:
    """One request planned as ``[]`` with the functions it comes with."""
    if rng.random() < missing_share:
        if rng.random() < 0.25:
            keys, query = rng.choice(MISSING_CHAINS)
            offered = [CHAIN_TOOLS[k]["name"] for k in keys]
        else:
            api, query = rng.choice(MISSING)
            family = [t["name"] for t in FAMILIES[_BY_NAME[api]]]
            offered = [api, *rng.sample([n for n in family if n != api], rng.randint(0, 2))]
        kind = "none-missing-value"
    else:
        if rng.random() < 0.25:
            keys, query = rng.choice(UNSERVED_CHAINS)
            offered = [CHAIN_TOOLS[k]["name"] for k in keys]
        else:
            family, query = rng.choice(UNSERVED)
            names = [t["name"] for t in FAMILIES[family]]
            offered = rng.sample(names, rng.randint(1, len(names)))
        kind = "none-unserved"
    rng.shuffle(offered)
    return {"query": vary_numbers(query, rng), "plan": [], "offered": offered, "kind": kind}
