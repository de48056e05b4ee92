"""What a request may leave to the planner's knowledge: where cities are, how numbers are said,
what a deck of cards holds. Tables for the generators in this package.

Places are written the way the world writes them, and the way a parameter's description asks:
a US city as "City, ST" where the description asks for a state ("Tucson, AZ"), any other city
as "City, Country" where it asks for a country or a region ("Porto, Portugal"), and the bare
city where it asks for a city name. A description that asks for "City, State" is only ever
paired with a US city, so no template teaches "Nantes, CA".

Left out on purpose: every entity, number and phrasing that the issue quotes from hidden test
sets (the Tel Aviv and Lang Son weather queries, "213 million", the heart drawn from a deck,
"for 1, 5 and 10 years"), so that those stay a test of generalisation; the same kinds of value
are taught with other entities (other suits, other numbers, other year lists).

Example:
    >>> place_value(City("Tucson", "Arizona", "United States", "AZ"), "state")
    'Tucson, AZ'
    >>> place_value(City("Porto", "", "Portugal", ""), "country")
    'Porto, Portugal'
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class City:
    name: str
    region: str
    country: str
    state_code: str
    """Two-letter state code for a US city, else empty."""

    @property
    def us(self) -> bool:
        return bool(self.state_code)


US = "United States"
CITIES = [
    City("Tucson", "Arizona", US, "AZ"),
    City("Lubbock", "Texas", US, "TX"),
    City("El Paso", "Texas", US, "TX"),
    City("Sacramento", "California", US, "CA"),
    City("Fresno", "California", US, "CA"),
    City("Pocatello", "Idaho", US, "ID"),
    City("Madison", "Wisconsin", US, "WI"),
    City("Savannah", "Georgia", US, "GA"),
    City("Des Moines", "Iowa", US, "IA"),
    City("Buffalo", "New York", US, "NY"),
    City("Bangor", "Maine", US, "ME"),
    City("Tampa", "Florida", US, "FL"),
    City("Wichita", "Kansas", US, "KS"),
    City("Provo", "Utah", US, "UT"),
    City("Knoxville", "Tennessee", US, "TN"),
    City("Durham", "North Carolina", US, "NC"),
    City("Porto", "", "Portugal", ""),
    City("Nantes", "", "France", ""),
    City("Krakow", "", "Poland", ""),
    City("Osaka", "", "Japan", ""),
    City("Cape Town", "", "South Africa", ""),
    City("Valencia", "", "Spain", ""),
    City("Hamburg", "", "Germany", ""),
    City("Cuenca", "", "Ecuador", ""),
    City("Hanoi", "", "Vietnam", ""),
    City("Da Nang", "", "Vietnam", ""),
    City("Perth", "", "Australia", ""),
    City("Glasgow", "", "United Kingdom", ""),
    City("Bologna", "", "Italy", ""),
    City("Tbilisi", "", "Georgia", ""),
    City("Montreal", "", "Canada", ""),
    City("Haifa", "", "Israel", ""),
    City("Izmir", "", "Turkey", ""),
    City("Chiang Mai", "", "Thailand", ""),
    City("Cebu", "", "Philippines", ""),
    City("Medellin", "", "Colombia", ""),
    City("Rosario", "", "Argentina", ""),
    City("Accra", "", "Ghana", ""),
    City("Marrakesh", "", "Morocco", ""),
    City("Bergen", "", "Norway", ""),
    City("Tartu", "", "Estonia", ""),
    City("Busan", "", "South Korea", ""),
    City("Pune", "", "India", ""),
    City("Kraljevo", "", "Serbia", ""),
    City("Cusco", "", "Peru", ""),
    City("Leipzig", "", "Germany", ""),
    City("Gdansk", "", "Poland", ""),
    City("Hue", "", "Vietnam", ""),
]


def place_value(city: City, wants: str) -> str:
    """The value a location parameter wants: ``state`` ("City, ST"; US cities only),
    ``country`` ("City, Country"), ``any`` (the US form for a US city, the country form
    elsewhere) or ``name`` (the bare city)."""
    if wants == "state":
        if not city.us:
            raise ValueError(f"{city.name} has no US state: a 'City, ST' parameter never gets it")
        return f"{city.name}, {city.state_code}"
    if wants == "country":
        return f"{city.name}, {city.country}"
    if wants == "any":
        return f"{city.name}, {city.state_code}" if city.us else f"{city.name}, {city.country}"
    return city.name


def said_place(city: City, rng: random.Random) -> str:
    """How a request names a city: bare mostly, sometimes with its state or country."""
    r = rng.random()
    if r < 0.6:
        return city.name
    if city.us:
        return f"{city.name}, {city.region}" if r < 0.8 else f"{city.name}, {city.state_code}"
    return f"{city.name}, {city.country}" if r < 0.85 else f"{city.name} in {city.country}"


SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9}


def scaled_number(rng: random.Random) -> tuple[str, int]:
    """A large number as people say it ("47 million", "2.6 billion", "850k") and its value."""
    word = rng.choice(list(SCALES))
    base = rng.choice([2.6, 3, 4.5, 12, 17, 38, 47, 64, 120, 350, 585, 1.75, 9.2, 71, 402])
    value = round(base * SCALES[word])
    if word == "thousand" and rng.random() < 0.4:
        return f"{base:g}k", value
    if word == "million" and rng.random() < 0.2:
        return f"{base:g}M", value
    return f"{base:g} {word}", value


# (what a request says is drawn, how many such cards a 52-card deck holds)
CARDS = [
    ("a spade", 13),
    ("a club", 13),
    ("a diamond", 13),
    ("an ace", 4),
    ("a king", 4),
    ("a queen", 4),
    ("a seven", 4),
    ("a face card", 12),
    ("a red card", 26),
    ("a black card", 26),
    ("the queen of clubs", 1),
    ("a red ace", 2),
    ("a black king", 2),
]
# (what a request says is rolled, favourable outcomes, all outcomes)
DICE = [
    ("a four with one die", 1, 6),
    ("an even number with one die", 3, 6),
    ("a number above 4 with one die", 2, 6),
    ("a total of 7 with two dice", 6, 36),
    ("double sixes with two dice", 1, 36),
    ("a total of 10 with two dice", 3, 36),
]
# spans of time as said, and their length in a unit
DURATIONS_DAYS = [("a fortnight", 14), ("two weeks", 14), ("three weeks", 21), ("a week", 7)]
DURATIONS_MINUTES = [
    ("an hour and a half", 90),
    ("two hours", 120),
    ("half an hour", 30),
    ("a quarter of an hour", 15),
    ("three hours", 180),
]
COUNTS = [("a dozen", 12), ("half a dozen", 6), ("a pair of", 2), ("a couple of", 2)]
YEAR_LISTS = [[2, 4, 8], [3, 7, 15], [5, 20], [1, 3], [10, 25, 30], [2, 6], [4, 12, 20]]
