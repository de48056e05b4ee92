"""Requests whose values the planner must work out: what a deck or a pair of dice holds,
numbers said in words ("47 million" = 47000000, "a dozen" = 12), spans of time in another
unit ("a quarter of an hour" = 900 seconds), a list of years that is one call each, and a
place written the way the parameter's description asks (:func:`.world.place_value`), with the
US-only sibling offered beside the worldwide one so that "City, ST" is chosen only for US
cities.

Example:
    >>> import random
    >>> ex = knowledge_instance(random.Random(3))
    >>> ex["kind"].startswith("knowledge-") and len(ex["plan"]) >= 1
    True
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from toolrag.trainer.datagen.apis import FAMILIES
from toolrag.trainer.datagen.world import (
    CARDS,
    CITIES,
    COUNTS,
    DICE,
    DURATIONS_DAYS,
    DURATIONS_MINUTES,
    YEAR_LISTS,
    place_value,
    said_place,
    scaled_number,
)

Made = tuple[str, list[dict[str, Any]], str]
"""(request, internal-form plan, family whose functions are offered)."""


def _call(api: str, **params: Any) -> dict[str, Any]:
    return {"api": api, "parameters": params}


def _cards(rng: random.Random) -> Made:
    if rng.random() < 0.7:
        said, k = rng.choice(CARDS)
        q = rng.choice(
            [
                f"What are the odds of drawing {said} from a standard deck?",
                f"probability of pulling {said} out of a shuffled 52-card deck",
                f"If I draw one card from a full deck, how likely is {said}?",
            ]
        )
        return q, [_call("draw_probability", favorable=k, total=52)], "chance"
    said, f, t = rng.choice(DICE)
    q = rng.choice([f"What's the probability of rolling {said}?", f"chance of {said}"])
    return q, [_call("draw_probability", favorable=f, total=t)], "chance"


def _scaled(rng: random.Random) -> Made:
    said, value = scaled_number(rng)
    area = rng.choice([41000, 92000, 310000, 1200, 65300])
    r = rng.random()
    if r < 0.4:
        q = rng.choice(
            [
                f"Population density for {said} people living on {area:,} km²",
                f"What's the density of a region with {said} inhabitants and an area of {area} square kilometres?",
            ]
        )
        return q, [_call("density", population=value, area_km2=area)], "population"
    if r < 0.7:
        total_said, total = scaled_number(rng)
        q = rng.choice(
            [
                f"Split a budget of {total_said} across a population of {said}: how much per person?",
                f"per-capita value of {total_said} for {said} people",
            ]
        )
        return q, [_call("per_capita", total=total, population=value)], "population"
    pct = rng.choice([0.5, 1, 1.2, 2, 2.5, 3])
    years = rng.choice([5, 10, 20, 25])
    q = f"Project a population of {said} growing {pct:g}% a year for {years} years"
    return (
        q,
        [_call("growth_projection", population=value, rate=round(pct / 100, 6), years=years)],
        "population",
    )


def _durations(rng: random.Random) -> Made:
    r = rng.random()
    if r < 0.3:
        said, minutes = rng.choice(DURATIONS_MINUTES)
        q = rng.choice(
            [f"Set a timer for {said}", f"countdown {said}", f"Start a {said} timer please"]
        )
        return q, [_call("timer_start", seconds=minutes * 60)], "durations"
    if r < 0.55:
        said, days = rng.choice(DURATIONS_DAYS)
        rate = rng.choice([89, 120, 145.5, 210])
        q = rng.choice(
            [f"How much is a stay of {said} at {rate} a night?", f"cost of {said} at ${rate}/night"]
        )
        return q, [_call("stay_cost", nightly_rate=rate, nights=days)], "durations"
    if r < 0.8:
        said, minutes = rng.choice(DURATIONS_MINUTES)
        room = rng.choice(["Aurora", "Room 4B", "Boardroom", "Juniper"])
        day, hour = rng.randint(1, 28), rng.choice([9, 10, 14, 15])
        q = f"Book {room} for {said} starting 2026-03-{day:02d} at {hour}:00"
        start = f"2026-03-{day:02d}T{hour:02d}:00"
        return q, [_call("meeting_book", room=room, minutes=minutes, start=start)], "durations"
    said, n = rng.choice(COUNTS)
    item = rng.choice(["notebooks", "staplers", "whiteboard markers", "desk lamps", "chairs"])
    q = rng.choice([f"Order {said} {item}", f"I need {said} {item} from the supplies catalogue"])
    return q, [_call("order_items", item=item, quantity=n)], "durations"


def _years(rng: random.Random) -> Made:
    years = rng.choice(YEAR_LISTS)
    p = rng.choice([2000, 5000, 10000, 15000])
    pct = rng.choice([2, 3, 3.5, 4, 6])
    listed = (
        ", ".join(map(str, years[:-1])) + f" and {years[-1]}" if len(years) > 1 else str(years[0])
    )
    api = rng.choice(["compound_growth", "simple_interest"])
    what = "What will" if api == "compound_growth" else "How much simple interest will"
    verb = "be worth" if api == "compound_growth" else "earn"
    q = rng.choice(
        [
            f"{what} {p} at {pct:g}% {verb} after {listed} years?",
            f"{api.replace('_', ' ')} on {p}, {pct:g}%, for {listed} years",
        ]
    )
    plan = [_call(api, principal=p, rate=round(pct / 100, 6), years=y) for y in years]
    return q, plan, "savings"


def _places(rng: random.Random) -> Made:
    city = rng.choice(CITIES)
    said = said_place(city, rng)
    r = rng.random()
    if r < 0.45:
        # the US-only forecast takes "City, ST"; the worldwide one "City, Country" (or
        # "City, ST" for a US city): a city outside the US never gets a state
        days = rng.choice([None, 3, 5, 7]) if city.us else None
        extra = f" for the next {days} days" if days else ""
        q = rng.choice(
            [
                f"What's the weather in {said}{extra}?",
                f"weather {said}{extra}",
                f"Is it raining in {said}?",
            ]
        )
        if days:
            return (
                q,
                [_call("forecast_city", location=place_value(city, "state"), days=days)],
                "places",
            )
        return q, [_call("weather_now", location=place_value(city, "any"))], "places"
    if r < 0.65 and not city.us:
        cat = rng.choice(["music", "sports", "theatre", "food"])
        q = rng.choice([f"Any {cat} events coming up near {said}?", f"{cat} events in {said}"])
        return q, [_call("events_near", place=place_value(city, "country"), category=cat)], "places"
    if r < 0.85:
        q = rng.choice([f"What time is it in {said}?", f"local time {said}"])
        return q, [_call("city_clock", city=city.name)], "places"
    q = rng.choice([f"When is sunrise in {said}?", f"sunrise {said}"])
    return q, [_call("sunrise_at", city=city.name)], "places"


MAKERS: dict[str, Callable[[random.Random], Made]] = {
    "cards": _cards,
    "scaled": _scaled,
    "durations": _durations,
    "years": _years,
    "places": _places,
}


def knowledge_instance(rng: random.Random) -> dict[str, Any]:
    """One request whose values need knowledge or arithmetic, offered with its family."""
    name = rng.choice(list(MAKERS))
    query, plan, family = MAKERS[name](rng)
    offered = [t["name"] for t in FAMILIES[family]]
    rng.shuffle(offered)
    return {"query": query, "plan": plan, "offered": offered, "kind": f"knowledge-{name}"}
