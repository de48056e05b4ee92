"""Plausible values for a simulated tool output, from the output's name, type and description.

A simulated weather tool should say ``"conditions": "cloudy"`` and ``"temperature": 17.4``, not
a hash-suffixed placeholder: people read these traces, and later calls take them as arguments.
Values are drawn from a seeded :class:`random.Random`, so the same call gives the same output.
An output named like one of the call's arguments (``city`` after ``city="Oslo"``) repeats it.

Example:
    >>> import random
    >>> from toolrag.types import Param
    >>> sample_value(Param(name="conditions", type="string"), {}, random.Random(0))
    'snow'
    >>> sample_value(Param(name="city", type="string"), {"city": "Oslo"}, random.Random(0))
    'Oslo'
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from typing import Any

from toolrag.text import split_identifier
from toolrag.types import Param, ParamType

# (words of the output's name or description, low, high, decimals): the first row that matches
_NUMBERS: list[tuple[frozenset[str], float, float, int]] = [
    (frozenset({"temperature", "temp", "celsius"}), -5, 32, 1),
    (frozenset({"latitude", "lat"}), -60, 70, 4),
    (frozenset({"longitude", "lon", "lng"}), -150, 150, 4),
    (frozenset({"humidity", "percent", "percentage", "pct"}), 5, 95, 0),
    (frozenset({"probability", "confidence", "ratio", "share"}), 0, 1, 2),
    (frozenset({"rating", "stars"}), 1, 5, 1),
    (frozenset({"score", "index", "aqi", "level"}), 1, 100, 0),
    (
        frozenset({"price", "cost", "amount", "fee", "total", "balance", "salary", "revenue"}),
        5,
        500,
        2,
    ),
    (frozenset({"rate", "exchange"}), 0.5, 2, 4),
    (frozenset({"speed", "wind"}), 0, 60, 1),
    (frozenset({"distance", "km", "miles"}), 1, 900, 1),
    (frozenset({"duration", "minutes", "seconds", "hours", "time"}), 1, 120, 0),
    (frozenset({"population"}), 10_000, 9_000_000, 0),
    (frozenset({"year"}), 1990, 2025, 0),
    (frozenset({"age"}), 18, 80, 0),
]

_WORDS: list[tuple[frozenset[str], tuple[str, ...]]] = [
    (frozenset({"condition", "conditions", "weather", "sky"}), ("sunny", "cloudy", "rain", "snow")),
    (frozenset({"status", "state"}), ("ok", "pending", "completed", "active")),
    (frozenset({"currency"}), ("USD", "EUR", "GBP", "JPY")),
    (frozenset({"country"}), ("France", "Japan", "Brazil", "Canada")),
    (frozenset({"city", "location", "place", "destination"}), ("Lisbon", "Osaka", "Denver")),
    (frozenset({"language", "lang"}), ("English", "Spanish", "German")),
    (frozenset({"category", "type", "genre", "kind"}), ("general", "standard", "premium")),
    (frozenset({"level", "severity", "risk"}), ("low", "moderate", "high")),
    (frozenset({"direction"}), ("north", "east", "south", "west")),
    (
        frozenset({"name", "author", "owner", "user", "username", "person"}),
        ("Ana Silva", "Kenji Sato", "Maya Cohen"),
    ),
    (frozenset({"title"}), ("Quarterly report", "Getting started", "Field notes")),
]


def _words(param: Param) -> set[str]:
    return {w.lower() for w in split_identifier(param.name).split()} | {
        w.lower() for w in re.findall(r"[A-Za-z]+", param.description or "")[:12]
    }


def _name_words(param: Param) -> set[str]:
    return {w.lower() for w in split_identifier(param.name).split()}


def sample_value(param: Param, arguments: Mapping[str, Any], rng: random.Random) -> Any:
    """A value of ``param``'s type that fits its name and description."""
    if param.enum:
        return rng.choice(list(param.enum))
    if param.name in arguments and param.type == ParamType.STRING:
        return arguments[param.name]
    schema = param.json_schema or {}
    if param.type == ParamType.ARRAY:
        item = _param(_singular(param.name), schema.get("items"), param.description)
        return [sample_value(item, {}, rng) for _ in range(2)]
    if param.type == ParamType.OBJECT:
        props = schema.get("properties") or {}
        if not props:
            return {"id": rng.randint(1000, 9999), "name": sample_value(_param("name"), {}, rng)}
        return {k: sample_value(_param(k, v), {}, rng) for k, v in props.items()}
    if param.type == ParamType.BOOLEAN:
        return rng.random() < 0.5
    if param.type in (ParamType.INTEGER, ParamType.NUMBER):
        return _number(param, rng)
    return _string(param, arguments, rng)


def _number(param: Param, rng: random.Random) -> int | float:
    low, high, decimals = 1.0, 100.0, 0
    found = False
    for words in (_name_words(param), _words(param)):  # the name first, then the description
        for keys, lo, hi, dec in _NUMBERS:
            if words & keys:
                low, high, decimals, found = lo, hi, dec, True
                break
        if found:
            break
    value = rng.uniform(low, high)
    if param.type == ParamType.INTEGER or decimals == 0:
        return round(value)
    return round(value, decimals)


def _string(param: Param, arguments: Mapping[str, Any], rng: random.Random) -> str:
    words = _name_words(param)
    if words & {"date", "day", "birthday", "deadline"}:
        return f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if words & {"time", "timestamp", "datetime"}:
        return f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:{rng.choice(('00', '15', '30', '45'))}:00Z"
    if words & {"email", "mail"}:
        return rng.choice(("ana.silva", "k.sato", "maya")) + "@example.com"
    if words & {"url", "link", "website", "href"}:
        return f"https://example.com/{param.name.lower()}/{rng.randint(100, 999)}"
    if words & {"phone", "telephone"}:
        return f"+1-555-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}"
    if words & {"id", "identifier", "code", "number", "reference", "token", "key"}:
        prefix = "".join(w[0] for w in split_identifier(param.name).split()).upper() or "ID"
        return f"{prefix}-{rng.randint(10000, 99999)}"
    for keys, choices in _WORDS:
        if words & keys:
            return rng.choice(choices)
    subject = " ".join(str(v) for v in arguments.values() if isinstance(v, str | int | float))[:60]
    what = split_identifier(param.name).lower()
    return f"{what} for {subject}".strip() if subject else f"sample {what}"


def _param(name: str, schema: Any = None, description: str = "") -> Param:
    schema = schema if isinstance(schema, dict) else {}
    kind = schema.get("type", "string")
    return Param(
        name=name,
        type=kind if kind in {t.value for t in ParamType} else "string",
        description=schema.get("description", description) or "",
        enum=schema.get("enum"),
        json_schema=schema or None,
    )


def _singular(name: str) -> str:
    return name[:-1] if name.endswith("s") and not name.endswith("ss") else name
