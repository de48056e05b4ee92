"""Function-calling training data beyond Seal-Tools: OpenAI-style functions made from the
ToolAlpaca public API list, and instances that need their schemas read.

Each public API (name, one-line description, category) becomes a function whose parameters are
drawn from written *parameter kinds* that fit its category. A kind knows its parameter names,
the descriptions public schemas give such a parameter (where formats live: "Ticker symbol, e.g.
MSFT", "as a decimal fraction, 0.05 for 5%"), and how a request says a value against the value
the schema wants ("Netflix" -> ``"NFLX"``, "7.5%" -> ``0.075`` or ``7.5``, "Tucson" ->
``"Tucson, AZ"``, "2.5 kg" -> ``2500`` grams). Instances are then assembled from the
functions' kinds:

- ``single``: one function, one call; ``multiple``: the same with near-miss functions of the
  same category offered beside it;
- ``parallel``: one function called for two or three values of a kind; ``parallel-multiple``:
  two functions' requests joined;
- ``nested-object``: an object parameter (an address, a person, a time window, line items);
- ``no-tool``: a request no offered function serves, planned as ``[]``;
- ``other-language``: the request's frame in Spanish, French, German or Portuguese.

Held out: every API whose name hashes into the held-out share (:func:`split`) is never used, and
the knowledge tables leave out every entity the project's held-out function-calling set uses
(``benchmarks/heldout_calls.py``), so that set measures reading and knowledge, not recall of
training rows. Every value is checked against its schema (``jsonschema``); rejections are counted.

Example:
    >>> functions, instances, report = generate(n=50, seed=0)  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Value = tuple[str, Any]
"""How a request says a value, and the value the schema wants."""

HELDOUT_SHARE = 0.3


def split(api_name: str) -> str:
    """``train`` or ``heldout`` for a public API, by a stable hash of its name."""
    h = int(hashlib.sha256(api_name.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "heldout" if h < HELDOUT_SHARE else "train"


# --- knowledge tables (entities of benchmarks/heldout_calls.py left out) -------------------
TICKERS = {
    "Netflix": "NFLX",
    "Intel": "INTC",
    "Coca-Cola": "KO",
    "Walmart": "WMT",
    "Disney": "DIS",
    "Nike": "NKE",
    "Pfizer": "PFE",
    "Boeing": "BA",
    "Oracle": "ORCL",
    "Adobe": "ADBE",
    "Salesforce": "CRM",
    "PayPal": "PYPL",
    "Starbucks": "SBUX",
    "McDonald's": "MCD",
    "Visa": "V",
    "Costco": "COST",
    "IBM": "IBM",
    "Uber": "UBER",
    "Ford": "F",
    "Alphabet": "GOOGL",
    "Qualcomm": "QCOM",
    "Cisco": "CSCO",
    "Exxon Mobil": "XOM",
    "Chevron": "CVX",
    "Target": "TGT",
}
US_CITIES = {
    "Tucson": "AZ",
    "Phoenix": "AZ",
    "Reno": "NV",
    "Las Vegas": "NV",
    "Chicago": "IL",
    "Columbus": "OH",
    "Cleveland": "OH",
    "Atlanta": "GA",
    "Nashville": "TN",
    "Memphis": "TN",
    "Boston": "MA",
    "Detroit": "MI",
    "Minneapolis": "MN",
    "Omaha": "NE",
    "Tulsa": "OK",
    "Albuquerque": "NM",
    "Salt Lake City": "UT",
    "Charlotte": "NC",
    "Raleigh": "NC",
    "Pittsburgh": "PA",
    "Philadelphia": "PA",
    "Baltimore": "MD",
    "New Orleans": "LA",
    "Kansas City": "MO",
    "Milwaukee": "WI",
    "Louisville": "KY",
    "Richmond": "VA",
    "Anchorage": "AK",
    "Honolulu": "HI",
    "Spokane": "WA",
    "Eugene": "OR",
    "Orlando": "FL",
}
US_STATES = {
    "Ohio": "OH",
    "Florida": "FL",
    "Georgia": "GA",
    "Illinois": "IL",
    "Michigan": "MI",
    "Arizona": "AZ",
    "Nevada": "NV",
    "Oregon": "OR",
    "Washington state": "WA",
    "Colorado": "CO",
    "Utah": "UT",
    "Virginia": "VA",
    "Tennessee": "TN",
    "Kentucky": "KY",
    "Alaska": "AK",
    "Hawaii": "HI",
    "Massachusetts": "MA",
    "Minnesota": "MN",
    "Wisconsin": "WI",
    "Iowa": "IA",
    "Maine": "ME",
    "Vermont": "VT",
    "Montana": "MT",
    "Idaho": "ID",
    "Nebraska": "NE",
}
COUNTRIES = {
    "Brazil": "BR",
    "Mexico": "MX",
    "Italy": "IT",
    "Netherlands": "NL",
    "Sweden": "SE",
    "Norway": "NO",
    "Poland": "PL",
    "Portugal": "PT",
    "Greece": "GR",
    "Turkey": "TR",
    "India": "IN",
    "China": "CN",
    "South Korea": "KR",
    "Vietnam": "VN",
    "Indonesia": "ID",
    "Australia": "AU",
    "New Zealand": "NZ",
    "Argentina": "AR",
    "Chile": "CL",
    "Peru": "PE",
    "Egypt": "EG",
    "Kenya": "KE",
    "Nigeria": "NG",
    "South Africa": "ZA",
    "Austria": "AT",
    "Switzerland": "CH",
    "Belgium": "BE",
    "Denmark": "DK",
    "Finland": "FI",
    "Czechia": "CZ",
}
CURRENCIES = {
    "euros": "EUR",
    "Swedish kronor": "SEK",
    "Indian rupees": "INR",
    "Brazilian reais": "BRL",
    "Mexican pesos": "MXN",
    "Australian dollars": "AUD",
    "Canadian dollars": "CAD",
    "Chinese yuan": "CNY",
    "South Korean won": "KRW",
    "Norwegian kroner": "NOK",
    "Polish zloty": "PLN",
    "Turkish lira": "TRY",
    "Singapore dollars": "SGD",
    "New Zealand dollars": "NZD",
    "Danish kroner": "DKK",
    "Thai baht": "THB",
}
AIRPORTS = {
    "Chicago O'Hare": "ORD",
    "Atlanta": "ATL",
    "Dallas Fort Worth": "DFW",
    "Denver": "DEN",
    "Paris Charles de Gaulle": "CDG",
    "Amsterdam Schiphol": "AMS",
    "Frankfurt": "FRA",
    "Dubai": "DXB",
    "Hong Kong": "HKG",
    "Seoul Incheon": "ICN",
    "Toronto Pearson": "YYZ",
    "Mexico City": "MEX",
    "Boston Logan": "BOS",
    "Seattle-Tacoma": "SEA",
    "Madrid Barajas": "MAD",
    "Rome Fiumicino": "FCO",
    "Zurich": "ZRH",
    "Istanbul": "IST",
    "Mumbai": "BOM",
    "Doha": "DOH",
}
ZONES = {
    "Chicago": "America/Chicago",
    "Denver": "America/Denver",
    "Paris": "Europe/Paris",
    "Berlin": "Europe/Berlin",
    "Rome": "Europe/Rome",
    "Moscow": "Europe/Moscow",
    "Dubai": "Asia/Dubai",
    "Mumbai": "Asia/Kolkata",
    "Shanghai": "Asia/Shanghai",
    "Hong Kong": "Asia/Hong_Kong",
    "Seoul": "Asia/Seoul",
    "Bangkok": "Asia/Bangkok",
    "Cairo": "Africa/Cairo",
    "Nairobi": "Africa/Nairobi",
    "Johannesburg": "Africa/Johannesburg",
    "Sao Paulo": "America/Sao_Paulo",
    "Mexico City": "America/Mexico_City",
    "Toronto": "America/Toronto",
    "Vancouver": "America/Vancouver",
    "Auckland": "Pacific/Auckland",
    "Honolulu": "Pacific/Honolulu",
    "Lisbon": "Europe/Lisbon",
    "Istanbul": "Europe/Istanbul",
}
LANGUAGES = {
    "Portuguese": "pt",
    "Dutch": "nl",
    "Swedish": "sv",
    "Polish": "pl",
    "Turkish": "tr",
    "Russian": "ru",
    "Japanese": "ja",
    "Korean": "ko",
    "Chinese": "zh",
    "Arabic": "ar",
    "Hindi": "hi",
    "Greek": "el",
    "Czech": "cs",
    "Finnish": "fi",
    "Vietnamese": "vi",
}
KEYS = {
    "F sharp": "F#",
    "G sharp": "G#",
    "E flat": "Eb",
    "A flat": "Ab",
    "D flat": "Db",
    "D sharp": "D#",
    "G flat": "Gb",
    "A sharp": "A#",
}
EXECUTABLES = [
    "notepad",
    "excel",
    "outlook",
    "spotify",
    "slack",
    "teams",
    "zoom",
    "explorer",
    "winword",
    "steam",
    "discord",
    "code",
]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
WORDS = [
    "budget report",
    "team offsite",
    "garden plan",
    "tax documents",
    "quarterly review",
    "birthday party",
    "lab results",
    "server logs",
    "product launch",
    "reading list",
    "vintage cameras",
    "trail running shoes",
    "solar panels",
    "jazz vinyl",
    "yoga mats",
    "mountain bikes",
    "organic coffee",
    "board games",
    "climbing gear",
    "pet insurance",
]
NAMES = [
    "Maria Lopez",
    "Ken Adams",
    "Aisha Bello",
    "Lars Nilsson",
    "Yuki Tanaka",
    "Sam Ortiz",
    "Nina Petrova",
    "David Cohen",
    "Grace Kim",
    "Olu Adeyemi",
    "Emma Weber",
    "Raj Patel",
]
STREETS = [
    "221 Baker Street",
    "48 Oak Avenue",
    "7 Harbour Road",
    "1500 Market St",
    "9 Via Roma",
    "33 Maple Drive",
    "120 King Street",
    "5 Lindenweg",
]
PLAIN_CITIES = [
    "Lyon",
    "Porto",
    "Krakow",
    "Osaka",
    "Cape Town",
    "Valencia",
    "Hamburg",
    "Quito",
    "Hanoi",
    "Perth",
    "Glasgow",
    "Bologna",
    "Tbilisi",
    "Montreal",
]


def _date(rng: random.Random) -> tuple[str, str, int, int, int]:
    y, m, d = rng.randint(2019, 2026), rng.randint(1, 12), rng.randint(1, 28)
    iso = f"{y:04d}-{m:02d}-{d:02d}"
    said = rng.choice([f"{MONTHS[m - 1]} {d}, {y}", f"{d} {MONTHS[m - 1]} {y}", iso])
    return said, iso, y, m, d


def _clock(rng: random.Random) -> tuple[str, str]:
    h, mi = rng.randint(0, 23), rng.choice([0, 15, 30, 45])
    hh = h % 12 or 12
    ampm = "am" if h < 12 else "pm"
    said = rng.choice([f"{hh}{ampm}" if mi == 0 else f"{hh}:{mi:02d}{ampm}", f"{h:02d}:{mi:02d}"])
    return said, f"{h:02d}:{mi:02d}"


def _num(rng: random.Random, lo: float, hi: float, step: float = 1) -> float | int:
    x = round(rng.uniform(lo, hi) / step) * step
    return int(x) if float(x).is_integer() else round(x, 2)


def _say(x: float | int) -> str:
    return f"{x:,}" if isinstance(x, int) and x >= 10000 and x % 7 == 0 else str(x)


# --- parameter kinds ---------------------------------------------------------------------
@dataclass(frozen=True)
class Kind:
    """A kind of parameter: names, schema, descriptions and how requests say its values."""

    name: str
    names: tuple[str, ...]
    schema: dict[str, Any]
    descriptions: tuple[str, ...]
    value: Callable[[random.Random], Value]
    phrases: tuple[str, ...]
    """How a request brings the value in; ``{v}`` is what it says."""
    reads: bool = False
    """True where the value is not the request's words: the description must be read."""


def _table(table: dict[str, str]) -> Callable[[random.Random], Value]:
    def pick(rng: random.Random) -> Value:
        k = rng.choice(list(table))
        return k, table[k]

    return pick


def _words(items: Sequence[str]) -> Callable[[random.Random], Value]:
    def pick(rng: random.Random) -> Value:
        w = rng.choice(list(items))
        return w, w

    return pick


def _percent_fraction(rng: random.Random) -> Value:
    p = rng.choice([1.5, 2, 2.5, 3, 3.75, 4, 4.25, 5.5, 6, 7, 7.5, 9, 12, 15, 18, 22, 30, 35])
    return f"{p}%", round(p / 100, 6)


def _percent_number(rng: random.Random) -> Value:
    p = rng.choice([3, 5, 10, 12.5, 15, 18, 20, 25, 40, 60])
    return rng.choice([f"{p}%", f"{p} percent"]), p


def _scaled(rng: random.Random) -> Value:
    base = rng.choice([1.2, 2, 3.5, 4, 7, 12, 45, 150, 2.75])
    word, mult = rng.choice([("million", 10**6), ("thousand", 10**3), ("billion", 10**9)])
    value = base * mult
    return f"{base} {word}", int(value) if float(value).is_integer() else value


def _grams(rng: random.Random) -> Value:
    kg = rng.choice([0.5, 1, 1.2, 2, 3.5, 4, 7.25])
    return f"{kg} kg", int(kg * 1000)


def _seconds(rng: random.Random) -> Value:
    m = rng.choice([2, 3, 5, 10, 15, 45, 90])
    return f"{m} minutes", m * 60


def _minutes(rng: random.Random) -> Value:
    h = rng.choice([1, 1.5, 2, 2.5, 3, 4])
    return f"{h} hours", int(h * 60)


def _cents(rng: random.Random) -> Value:
    d = rng.choice([3.99, 12.5, 20, 49.95, 7.25, 105, 0.99])
    return f"${d:.2f}", round(d * 100)


def _phone(rng: random.Random) -> Value:
    a, b = rng.choice(["312", "617", "206", "512", "303", "702"]), rng.randint(1000, 9999)
    return f"({a}) 555-{b}, a US number", f"+1{a}555{b}"


def _city_state(rng: random.Random) -> Value:
    c = rng.choice(list(US_CITIES))
    return c, f"{c}, {US_CITIES[c]}"


def _iso_date(rng: random.Random) -> Value:
    said, iso, *_ = _date(rng)
    return said, iso


def _datetime(rng: random.Random) -> Value:
    said, iso, *_ = _date(rng)
    t_said, t = _clock(rng)
    return f"{said} at {t_said}", f"{iso}T{t}"


def _season(rng: random.Random) -> Value:
    y = rng.randint(2005, 2023)
    return rng.choice([f"{y}-{y + 1}", f"{y}/{y + 1}"]), f"{y}-{str(y + 1)[2:]}"


def _exe(rng: random.Random) -> Value:
    e = rng.choice(EXECUTABLES)
    return e, f"{e}.exe"


def _count(rng: random.Random) -> Value:
    n = rng.choice([2, 3, 4, 5, 6, 8, 10, 12, 20, 25, 50])
    return str(n), n


def _amount(rng: random.Random) -> Value:
    x = _num(rng, 5, 5000, rng.choice([1, 0.5, 10]))
    return _say(x), x


def _year(rng: random.Random) -> Value:
    y = rng.randint(1990, 2025)
    return str(y), y


def _coords(rng: random.Random) -> Value:
    x = round(rng.uniform(-60, 60), 2)
    return str(x), x


def _email(rng: random.Random) -> Value:
    n = rng.choice(NAMES).split()[0].lower()
    e = f"{n}@{rng.choice(['example.com', 'mail.org', 'corp.net', 'studio.io'])}"
    return e, e


def _ident(rng: random.Random) -> Value:
    i = rng.choice(["", "ORD-", "TX", "A"]) + str(rng.randint(1000, 99999))
    return i, i


KINDS: dict[str, Kind] = {
    k.name: k
    for k in [
        Kind(
            "ticker",
            ("symbol", "ticker", "stock_symbol"),
            {"type": "string"},
            ("Stock ticker symbol, e.g. KO", "Exchange symbol of the company, e.g. IBM"),
            _table(TICKERS),
            ("for {v}", "of {v}", "for {v} shares"),
            reads=True,
        ),
        Kind(
            "fraction",
            ("rate", "interest_rate", "tax_rate", "growth_rate"),
            {"type": "number"},
            (
                "Rate as a decimal fraction, e.g. 0.05 for 5%",
                "Fraction between 0 and 1 (0.1 means 10%)",
            ),
            _percent_fraction,
            ("at {v}", "with a rate of {v}"),
            reads=True,
        ),
        Kind(
            "percent",
            ("percent", "percentage", "discount_percent"),
            {"type": "number"},
            ("Percentage, e.g. 15 for 15%", "Percent value between 0 and 100"),
            _percent_number,
            ("at {v}", "with {v}"),
            reads=False,
        ),
        Kind(
            "scaled",
            ("population", "revenue", "budget"),
            {"type": "integer"},
            ("Whole number, e.g. 2500000",),
            _scaled,
            ("of {v}", "with {v}"),
            reads=True,
        ),
        Kind(
            "grams",
            ("weight_grams", "mass_g", "weight_g"),
            {"type": "integer"},
            ("Weight in grams",),
            _grams,
            ("weighing {v}", "of {v}"),
            reads=True,
        ),
        Kind(
            "seconds",
            ("duration_seconds", "timeout_s", "seconds"),
            {"type": "integer"},
            ("Duration in seconds",),
            _seconds,
            ("for {v}", "lasting {v}"),
            reads=True,
        ),
        Kind(
            "minutes",
            ("duration_minutes", "minutes"),
            {"type": "integer"},
            ("Length in minutes",),
            _minutes,
            ("for {v}", "lasting {v}"),
            reads=True,
        ),
        Kind(
            "cents",
            ("amount_cents", "price_cents"),
            {"type": "integer"},
            ("Amount in cents, e.g. 1999 for $19.99",),
            _cents,
            ("of {v}", "for {v}"),
            reads=True,
        ),
        Kind(
            "phone",
            ("phone", "phone_number", "to_number"),
            {"type": "string"},
            ("Phone number in E.164 format, e.g. +13035550100",),
            _phone,
            ("to {v}", "at {v}"),
            reads=True,
        ),
        Kind(
            "city_state",
            ("location", "city"),
            {"type": "string"},
            (
                "City and state, formatted as City, ST, e.g. Reno, NV",
                "US city with its two-letter state code, like Omaha, NE",
            ),
            _city_state,
            ("in {v}", "near {v}", "around {v}"),
            reads=True,
        ),
        Kind(
            "state",
            ("state", "state_code"),
            {"type": "string"},
            ("Two-letter US state abbreviation, e.g. OH",),
            _table(US_STATES),
            ("in {v}", "for {v}"),
            reads=True,
        ),
        Kind(
            "country",
            ("country", "country_code"),
            {"type": "string"},
            (
                "ISO 3166-1 alpha-2 country code, e.g. BR",
                "Two-letter country code (ISO 3166), like SE",
            ),
            _table(COUNTRIES),
            ("in {v}", "for {v}", "from {v}"),
            reads=True,
        ),
        Kind(
            "currency",
            ("currency", "target_currency", "base_currency"),
            {"type": "string"},
            ("Three-letter ISO 4217 currency code, e.g. EUR",),
            _table(CURRENCIES),
            ("in {v}", "into {v}"),
            reads=True,
        ),
        Kind(
            "airport",
            ("airport", "origin", "departure_airport"),
            {"type": "string"},
            ("IATA airport code, e.g. ORD",),
            _table(AIRPORTS),
            ("from {v}", "at {v}"),
            reads=True,
        ),
        Kind(
            "zone",
            ("timezone", "tz", "time_zone"),
            {"type": "string"},
            (
                "IANA time zone, e.g. Europe/Berlin",
                "Time zone name from the tz database, like America/Chicago",
            ),
            _table(ZONES),
            ("in {v} time", "for {v}"),
            reads=True,
        ),
        Kind(
            "language",
            ("lang", "language", "target_lang"),
            {"type": "string"},
            ("ISO 639-1 language code, e.g. pt",),
            _table(LANGUAGES),
            ("in {v}", "into {v}"),
            reads=True,
        ),
        Kind(
            "key",
            ("key", "tonic"),
            {"type": "string"},
            ("Note name with # for sharps and b for flats, e.g. Eb",),
            _table(KEYS),
            ("in {v}",),
            reads=True,
        ),
        Kind(
            "date",
            ("date", "start_date", "day"),
            {"type": "string"},
            ("Date in YYYY-MM-DD format", "ISO 8601 date, e.g. 2024-01-31"),
            _iso_date,
            ("on {v}", "for {v}"),
            reads=True,
        ),
        Kind(
            "datetime",
            ("when", "start_time", "scheduled_at"),
            {"type": "string"},
            ("Date and time as YYYY-MM-DDTHH:MM (24-hour)",),
            _datetime,
            ("on {v}", "for {v}"),
            reads=True,
        ),
        Kind(
            "season",
            ("season",),
            {"type": "string"},
            ("Season written YYYY-YY, e.g. 2010-11",),
            _season,
            ("in the {v} season", "for {v}"),
            reads=True,
        ),
        Kind(
            "exe",
            ("process_name", "image"),
            {"type": "string"},
            ("Executable file name, e.g. calc.exe",),
            _exe,
            ("{v}",),
            reads=True,
        ),
        # plain kinds: the value is the request's words
        Kind(
            "city",
            ("city", "place", "location"),
            {"type": "string"},
            ("City name", "Name of the city"),
            _words(PLAIN_CITIES),
            ("in {v}", "for {v}"),
        ),
        Kind(
            "topic",
            ("query", "keyword", "topic", "search_term"),
            {"type": "string"},
            ("What to search for", "Search keywords"),
            _words(WORDS),
            ("about {v}", "for {v}", "on {v}"),
        ),
        Kind(
            "person",
            ("name", "full_name", "author"),
            {"type": "string"},
            ("Person's full name",),
            _words(NAMES),
            ("for {v}", "by {v}"),
        ),
        Kind(
            "email",
            ("email", "recipient"),
            {"type": "string"},
            ("Email address",),
            _email,
            ("to {v}", "for {v}"),
        ),
        Kind(
            "ident",
            ("id", "order_id", "record_id"),
            {"type": "string"},
            ("Identifier of the record",),
            _ident,
            ("number {v}", "{v}"),
        ),
        Kind(
            "count",
            ("limit", "count", "max_results"),
            {"type": "integer"},
            ("How many results to return", "Maximum number of items"),
            _count,
            ("{v} results", "top {v}", "limited to {v}"),
        ),
        Kind(
            "amount",
            ("amount", "value", "price"),
            {"type": "number"},
            ("The amount",),
            _amount,
            ("of {v}", "for {v}"),
        ),
        Kind(
            "year",
            ("year",),
            {"type": "integer"},
            ("Four-digit year",),
            _year,
            ("from {v}", "in {v}"),
        ),
        Kind(
            "latitude",
            ("latitude", "lat"),
            {"type": "number"},
            ("Latitude in degrees",),
            _coords,
            ("at latitude {v}",),
        ),
    ]
}

ENUMS: list[tuple[tuple[str, ...], list[str], dict[str, str]]] = [
    # (names, members, how requests say some members)
    (
        ("sort", "order_by"),
        ["newest", "oldest", "popular", "relevance"],
        {"most popular": "popular", "latest": "newest"},
    ),
    (
        ("units", "unit_system"),
        ["metric", "imperial"],
        {"in metric units": "metric", "in imperial units": "imperial"},
    ),
    (("size",), ["small", "medium", "large", "x_large"], {"extra large": "x_large"}),
    (
        ("format", "output_format"),
        ["json", "csv", "xml", "pdf"],
        {"as a PDF": "pdf", "as CSV": "csv"},
    ),
    (
        ("genre",),
        ["science_fiction", "thriller", "comedy", "documentary", "horror"],
        {"sci-fi": "science_fiction", "science fiction": "science_fiction"},
    ),
    (
        ("level", "difficulty"),
        ["beginner", "intermediate", "advanced"],
        {"for beginners": "beginner", "expert-level": "advanced"},
    ),
    (
        ("period", "interval"),
        ["daily", "weekly", "monthly", "yearly"],
        {"every week": "weekly", "per month": "monthly"},
    ),
]

OBJECTS: list[tuple[str, str, list[tuple[str, str, Callable[[random.Random], Value]]], str]] = [
    # (parameter name, description, fields (name, type, value), how the request lists them)
    (
        "address",
        "Postal address",
        [
            ("street", "string", _words(STREETS)),
            ("city", "string", _words(PLAIN_CITIES)),
            ("zip", "string", lambda r: (s := str(r.randint(10000, 99999)), s)),
        ],
        "{street}, {city} {zip}",
    ),
    (
        "contact",
        "Who to contact",
        [("name", "string", _words(NAMES)), ("email", "string", _email)],
        "{name} ({email})",
    ),
    (
        "window",
        "Time window",
        [("start", "string", _datetime), ("end", "string", _datetime)],
        "from {start} to {end}",
    ),
]

CATEGORY_KINDS = {
    "Finance": ["ticker", "fraction", "currency", "amount", "date", "scaled"],
    "Cryptocurrency": ["currency", "amount", "date", "count"],
    "Currency Exchange": ["currency", "amount", "date"],
    "Business": ["ticker", "scaled", "state", "country", "percent"],
    "Weather": ["city_state", "date", "zone", "count"],
    "Geocoding": ["city_state", "country", "latitude", "city"],
    "Transportation": ["airport", "date", "datetime", "city", "count"],
    "Music": ["key", "person", "topic", "minutes"],
    "Sports & Fitness": ["season", "person", "minutes", "date"],
    "Calendar": ["date", "datetime", "zone", "country"],
    "Government": ["state", "country", "year", "topic"],
    "Shopping": ["cents", "grams", "percent", "topic", "count"],
    "Health": ["grams", "minutes", "date", "person"],
    "Development": ["exe", "seconds", "ident", "count"],
    "Phone": ["phone", "country"],
    "Email": ["email", "person", "topic"],
    "Open Data": ["country", "state", "year", "scaled"],
    "Science & Math": ["fraction", "amount", "scaled", "count"],
    "Entertainment": ["person", "year", "topic", "count"],
    "Dictionaries": ["language", "topic"],
    "Text Analysis": ["language", "topic", "count"],
}
GENERIC = ["topic", "count", "date", "city", "ident", "amount", "year", "language", "country"]

LEADS = ["", "Get ", "Show me ", "I want ", "Look up ", "Find me ", "Please get "]
FRAMES = {
    "es": ("Necesito {need}", " y "),
    "fr": ("J'ai besoin de {need}", " et "),
    "de": ("Ich brauche {need}", " und "),
    "pt": ("Preciso de {need}", " e "),
}
CHITCHAT = [
    "Tell me a joke.",
    "How are you doing today?",
    "Thanks, that's all for now.",
    "Write a short poem about the sea.",
    "What is the meaning of life?",
    "Who painted the Mona Lisa?",
    "Good night!",
    "Can you sing a song?",
    "Explain why the sky is blue.",
    "What's your name?",
]


def _snake(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def _need(description: str) -> str:
    """A description as the object of a request: "Daily cat facts" -> "daily cat facts"."""
    d = description.strip().rstrip(".")
    return d[0].lower() + d[1:] if d[:2] != d[:2].upper() else d


@dataclass
class Function:
    name: str
    description: str
    category: str
    params: list[tuple[str, dict[str, Any], bool, str]]
    """(name, schema with description, required, kind name or ``enum:N``/``object:N``)."""

    def openai(self) -> dict[str, Any]:
        props = {p: s for p, s, _, _ in self.params}
        req = [p for p, _, r, _ in self.params if r]
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": {"type": "object", "properties": props, "required": req},
            },
        }


def make_function(entry: dict[str, Any], rng: random.Random) -> Function:
    verb = rng.choice(["get", "search", "find", "lookup", "fetch", "list"])
    name = f"{verb}_{_snake(entry['API'])}"[:48]
    pool = CATEGORY_KINDS.get(entry.get("Category", ""), []) + GENERIC
    chosen: list[str] = []
    for k in rng.sample(pool, len(pool)):
        if k not in chosen and len(chosen) < rng.randint(1, 3):
            chosen.append(k)
    params: list[tuple[str, dict[str, Any], bool, str]] = []
    used: set[str] = set()
    for i, k in enumerate(chosen):
        kind = KINDS[k]
        pname = next((n for n in rng.sample(kind.names, len(kind.names)) if n not in used), None)
        if pname is None:
            continue
        used.add(pname)
        params.append(
            (
                pname,
                dict(kind.schema) | {"description": rng.choice(kind.descriptions)},
                i == 0 or rng.random() < 0.5,
                k,
            )
        )
    r = rng.random()
    if r < 0.35:
        e = rng.randrange(len(ENUMS))
        names, members, _ = ENUMS[e]
        pname = next((n for n in names if n not in used), None)
        if pname:
            params.append((pname, {"type": "string", "enum": members}, False, f"enum:{e}"))
    elif r < 0.5:
        o = rng.randrange(len(OBJECTS))
        oname, odesc, fields, _ = OBJECTS[o]
        if oname not in used:
            schema = {
                "type": "object",
                "description": odesc,
                "properties": {f: {"type": t} for f, t, _ in fields},
                "required": [f for f, _, _ in fields],
            }
            params.append((oname, schema, True, f"object:{o}"))
    return Function(name, entry["Description"].strip(), entry.get("Category", ""), params)


def _clause(
    fn: Function, rng: random.Random, skip_optional: float = 0.3
) -> tuple[str, dict[str, Any]] | None:
    """A request for one call to ``fn``: (text, arguments)."""
    parts, args = [], {}
    for pname, _schema, required, kind in fn.params:
        if not required and rng.random() < skip_optional:
            continue
        if kind.startswith("enum:"):
            _, members, said = ENUMS[int(kind[5:])]
            if said and rng.random() < 0.5:
                phrase, value = rng.choice(list(said.items()))
            else:
                value = rng.choice(members)
                phrase = f"{pname.replace('_', ' ')} {value}"
            parts.append(phrase)
            args[pname] = value
        elif kind.startswith("object:"):
            _, _, fields, shape = OBJECTS[int(kind[7:])]
            said, value = {}, {}
            for f, _, make in fields:
                said[f], value[f] = make(rng)
            parts.append(f"{pname} {shape.format(**said)}")
            args[pname] = value
        else:
            k = KINDS[kind]
            said, value = k.value(rng)
            phrase = rng.choice(k.phrases)
            if rng.random() < 0.35:  # name the parameter: "with max results 5"
                phrase = rng.choice(["{p} {v}", "with {p} {v}", "{p}: {v}"])
            parts.append(phrase.format(v=said, p=pname.replace("_", " ")))
            args[pname] = value
    if not args:
        return None
    return " ".join(parts), args


def _call(fn: Function, args: dict[str, Any]) -> dict[str, Any]:
    return {"api": fn.name, "parameters": args, "responses": []}


def _valid(fn: Function, args: dict[str, Any]) -> bool:
    import jsonschema

    try:
        jsonschema.validate(args, fn.openai()["function"]["parameters"])
    except jsonschema.ValidationError:
        return False
    return True


def make_instance(
    kind: str, fn: Function, others: list[Function], rng: random.Random, k: int
) -> dict[str, Any] | None:
    lead = rng.choice(LEADS)
    need = _need(fn.description)
    if kind == "no-tool":
        if rng.random() < 0.5:
            return {
                "id": f"fc-{k}",
                "query": rng.choice(CHITCHAT),
                "calling": [],
                "offered": [fn.name],
                "kind": kind,
            }
        other = rng.choice([o for o in others if o.category != fn.category] or others)
        c = _clause(other, rng)
        if c is None:
            return None
        return {
            "id": f"fc-{k}",
            "query": f"{lead}{_need(other.description)} {c[0]}.".strip(),
            "calling": [],
            "offered": [fn.name],
            "kind": kind,
        }
    c = _clause(fn, rng)
    if c is None or not _valid(fn, c[1]):
        return None
    text, args = c
    calls = [_call(fn, args)]
    offered = [fn.name]
    if kind == "parallel":
        varying = [
            p for p, _, _, kd in fn.params if p in args and not kd.startswith(("enum", "object"))
        ]
        if not varying:
            return None
        p = rng.choice(varying)
        kd = next(kd for q, _, _, kd in fn.params if q == p)
        said = [text]
        for _ in range(rng.choice([1, 1, 2])):
            s2, v2 = KINDS[kd].value(rng)
            if any(c["parameters"][p] == v2 for c in calls):
                continue
            a2 = dict(args) | {p: v2}
            calls.append(_call(fn, a2))
            said.append(rng.choice(KINDS[kd].phrases).format(v=s2))
        if len(calls) < 2:
            return None
        text = ", ".join(said[:-1]) + " and " + said[-1]
    elif kind == "parallel-multiple":
        other = rng.choice(others)
        c2 = _clause(other, rng)
        if c2 is None or other.name == fn.name or not _valid(other, c2[1]):
            return None
        calls.append(_call(other, c2[1]))
        offered = [fn.name, other.name]
        query = f"{lead}{need} {text}, and also {_need(other.description)} {c2[0]}."
        return {
            "id": f"fc-{k}",
            "query": query.strip(),
            "calling": calls,
            "offered": offered,
            "kind": kind,
        }
    elif kind == "multiple":
        near = [o for o in others if o.category == fn.category and o.name != fn.name]
        offered = [fn.name] + [o.name for o in rng.sample(near, min(len(near), rng.randint(1, 3)))]
        rng.shuffle(offered)
    if kind == "other-language":
        lang = rng.choice(list(FRAMES))
        frame, _ = FRAMES[lang]
        query = frame.format(need=f"{need} {text}") + "."
    else:
        query = f"{lead}{need} {text}.".strip()
    query = query[0].upper() + query[1:]
    return {"id": f"fc-{k}", "query": query, "calling": calls, "offered": offered, "kind": kind}


MIX = {
    "single": 0.3,
    "multiple": 0.2,
    "parallel": 0.15,
    "parallel-multiple": 0.15,
    "no-tool": 0.12,
    "other-language": 0.08,
}


def generate(
    apis_path: Path, n: int, seed: int = 0, share: str = "train"
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    """``n`` instances over functions made from one share of the public API list (``train``, or
    ``heldout`` for a test set over APIs no training function comes from): (OpenAI-style
    functions, instances with ``offered`` and ``kind``, a report)."""
    if share not in ("train", "heldout"):
        raise ValueError(f"share={share!r}: train or heldout")
    rng = random.Random(seed)
    entries = json.loads(Path(apis_path).read_text())["entries"]
    train = [e for e in entries if split(e["API"]) == share and e.get("Description")]
    functions, seen = [], set()
    for e in train:
        f = make_function(e, rng)
        if f.name not in seen and f.params:
            seen.add(f.name)
            functions.append(f)
    kinds, weights = list(MIX), list(MIX.values())
    out, rejected = [], Counter()
    tries = 0
    while len(out) < n and tries < n * 5:
        tries += 1
        kind = rng.choices(kinds, weights)[0]
        fn = rng.choice(functions)
        inst = make_instance(kind, fn, functions, rng, len(out))
        if inst is None:
            rejected[kind] += 1
            continue
        out.append(inst)
    used = {name for i in out for name in i["offered"]}
    made = [f.openai() for f in functions if f.name in used]
    by_name = {f.name: f for f in functions}
    report = {
        "apis": len(entries),
        "share": share,
        "share_apis": len(train),
        "functions": len(made),
        "instances": len(out),
        "by_kind": dict(Counter(i["kind"] for i in out)),
        "rejected": dict(rejected),
        "reads_description": sum(
            any(
                KINDS.get(kd) and KINDS[kd].reads and p in c["parameters"]
                for c in i["calling"]
                for p, _, _, kd in by_name[c["api"]].params
            )
            for i in out
        ),
        "seed": seed,
    }
    return made, out, report


FORMAT_VERSION = 1


def write(
    out: Path,
    functions: list[dict[str, Any]],
    instances: list[dict[str, Any]],
    report: dict[str, Any],
    *,
    apis_path: Path,
    command: str,
) -> Path:
    """Write ``functions.json``, ``instances.jsonl`` and ``manifest.json`` (the report, the
    source's sha256, the command, file checksums) to the folder ``out``, atomically."""
    from toolrag.cache import file_sha256, staged_folder

    with staged_folder(Path(out), replace=True) as tmp:
        (tmp / "functions.json").write_text(json.dumps(functions, indent=1) + "\n")
        (tmp / "instances.jsonl").write_text(
            "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in instances)
        )
        manifest = {
            "format_version": FORMAT_VERSION,
            "generator": "toolrag.trainer.datagen.functions",
            "source": {"path": str(apis_path), "sha256": file_sha256(Path(apis_path))},
            "command": command,
            "report": report,
            "files": {n: file_sha256(tmp / n) for n in ("functions.json", "instances.jsonl")},
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return Path(out)


def read_offered(path: Path) -> dict[str, list[str]]:
    """Instance id -> the functions offered with it, for an instances file that lists them
    (``offered``); empty for a Seal-Tools file."""
    out = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            if "offered" in row:
                out[row["id"]] = row["offered"]
    return out
