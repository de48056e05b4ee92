"""Chains over API-shaped tools: search -> id -> act, geocode -> coordinates -> weather,
create -> its id -> add. The request names the things (a city, a song, an email address),
never the ids: the plan must look each one up first and pass the lookup's output on.

A chain is written once and planned two ways: over tools with output schemas
(``$0.airport_id``: the right field among several) and over their plain twins without one
(``$0.result``: whatever the call returned), as OpenAI-style function lists come. Chains take
2-4 steps; some requests hold two independent chains. The plan is in the planner's internal
form (``{"api", "parameters"}``, references ``"$<call>.<field>"``); :mod:`.mix` converts it.

Example:
    >>> import random
    >>> ex = chain_instance(random.Random(1), plain_share=0.0, two_share=0.0)
    >>> any(isinstance(v, str) and v.startswith("$") for c in ex["plan"]
    ...     for v in c["parameters"].values())
    True
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from toolrag.trainer.datagen.apis import CHAIN_TOOLS, PLAIN_NAMES
from toolrag.trainer.datagen.functions import MONTHS
from toolrag.trainer.datagen.world import CITIES, said_place

Step = tuple[str, dict[str, Any], dict[str, tuple[int, str]]]
"""(tool key, literal arguments, {parameter: (earlier step, output field)})."""
Chain = tuple[str, list[Step]]

PEOPLE = [
    "Ines Duarte",
    "Tomasz Wrobel",
    "Amara Okafor",
    "Henrik Dahl",
    "Mei Lin",
    "Rafael Sousa",
    "Zoe Carter",
    "Kwame Mensah",
    "Lena Fischer",
    "Arjun Mehta",
]
EMAILS = [
    "ines@duarte.pt",
    "t.wrobel@firma.pl",
    "amara@okafor.dev",
    "henrik.dahl@nordic.no",
    "mei.lin@studio.cn",
    "rsousa@agencia.br",
    "zoe@carter.co",
    "kwame@mensah.gh",
]
SONGS = [
    ("Blue in Green", "Miles Davis"),
    ("Clair de Lune", "Debussy"),
    ("Take Five", "Dave Brubeck"),
    ("Dancing Queen", "ABBA"),
    ("Hallelujah", "Leonard Cohen"),
    ("Wonderwall", "Oasis"),
    ("La Vie en rose", "Edith Piaf"),
    ("Heroes", "David Bowie"),
]
FILMS = [
    "Casablanca",
    "Spirited Away",
    "The Third Man",
    "Amelie",
    "Parasite",
    "Metropolis",
    "Rashomon",
    "Cinema Paradiso",
    "Paris, Texas",
    "Stalker",
]
COMPANIES = ["Siemens", "Toyota", "Nestle", "Samsung", "Unilever", "Shell", "Sony", "Volvo"]
CURRENCY_WORDS = {
    "euros": "EUR",
    "pounds": "GBP",
    "yen": "JPY",
    "Swiss francs": "CHF",
    "Canadian dollars": "CAD",
    "rupees": "INR",
}
STREAM_COUNTRIES = {
    "Germany": "DE",
    "Spain": "ES",
    "Japan": "JP",
    "Brazil": "BR",
    "Canada": "CA",
    "Italy": "IT",
}
PROJECTS = [
    "Website redesign",
    "Q3 audit",
    "Garden shed",
    "Dissertation",
    "Mobile app beta",
    "Office move",
]
TASKS = [
    "draft the budget",
    "call the plumber",
    "write release notes",
    "book the venue",
    "review the contract",
    "order samples",
]
RESTAURANTS = ["Casa Lola", "The Green Fig", "Sakura House", "Trattoria Nonna", "Blue Door Bistro"]
HOTEL_CITIES = [c for c in CITIES if not c.us][:12] + [c for c in CITIES if c.us][:4]


def _date(rng: random.Random) -> tuple[str, str]:
    y, m, d = rng.randint(2025, 2027), rng.randint(1, 12), rng.randint(1, 28)
    iso = f"{y:04d}-{m:02d}-{d:02d}"
    said = rng.choice(
        [
            f"{MONTHS[m - 1]} {d}, {y}",
            f"{d} {MONTHS[m - 1]} {y}",
            iso,
            f"{MONTHS[m - 1][:3]} {d}, {y}",
        ]
    )
    return said, iso


def _flights(rng: random.Random) -> Chain:
    a, b = rng.sample([c for c in CITIES], 2)
    said, iso = _date(rng)
    steps: list[Step] = [("airport", {"query": a.name}, {}), ("airport", {"query": b.name}, {})]
    extra: dict[str, Any] = {"date": iso}
    words = ""
    if rng.random() < 0.3:
        n = rng.randint(2, 4)
        extra["adults"] = n
        words = rng.choice([f" for {n} adults", f", {n} people"])
    if rng.random() < 0.2:
        extra["cabin"] = "business"
        words += " in business class"
    steps.append(
        ("flights", extra, {"origin_id": (0, "airport_id"), "destination_id": (1, "airport_id")})
    )
    if rng.random() < 0.3:
        who = rng.choice(PEOPLE)
        steps.append(("book_flight", {"passenger_name": who}, {"flight_id": (2, "flight_id")}))
        text = rng.choice(
            [
                f"Book {who} on a flight from {said_place(a, rng)} to {said_place(b, rng)} on {said}{words}",
                f"find a flight {a.name} -> {b.name} {said}{words} and book it for {who}",
            ]
        )
    else:
        text = rng.choice(
            [
                f"Find flights from {said_place(a, rng)} to {said_place(b, rng)} on {said}{words}",
                f"flights {a.name} to {b.name}, {said}{words}",
                f"I need to fly from {a.name} to {b.name} on {said}{words}. What's available?",
                f"Look up the airport ids of {a.name} and {b.name}, then search flights between them for {said}{words}",
            ]
        )
    return text, steps


def _weather(rng: random.Random) -> Chain:
    city = rng.choice(CITIES)
    place = said_place(city, rng)
    steps: list[Step] = [("geocode", {"address": place}, {})]
    point = {"lat": (0, "latitude"), "lon": (0, "longitude")}
    asks = rng.sample(["weather", "air", "timezone"], rng.choice([1, 1, 1, 2]))
    said = []
    for ask in asks:
        args: dict[str, Any] = {}
        if ask == "weather" and rng.random() < 0.3:
            args["units"] = rng.choice(["metric", "imperial"])
        steps.append((ask, args, point))
        said.append(
            {
                "weather": "the weather"
                + {"metric": " in celsius", "imperial": " in fahrenheit"}.get(
                    args.get("units", ""), ""
                ),
                "air": "the air quality",
                "timezone": "the time zone",
            }[ask]
        )
    what = " and ".join(said)
    text = rng.choice(
        [
            f"What's {what} in {place}?",
            f"{what} {place}",
            f"Get the coordinates of {place} and then {what} there",
            f"Could you tell me {what} at {place} right now?",
        ]
    )
    return text, steps


def _playlist(rng: random.Random) -> Chain:
    title = rng.choice(
        ["Road trip", "Focus", "Sunday morning", "Gym", "Dinner party", "Rainy days"]
    )
    song, artist = rng.choice(SONGS)
    q = f"{song} {artist}" if rng.random() < 0.5 else song
    steps: list[Step] = [
        ("create_playlist", {"title": title}, {}),
        ("search_track", {"q": q}, {}),
        ("add_track", {}, {"playlist_id": (0, "playlist_id"), "track_id": (1, "track_id")}),
    ]
    by = f" by {artist}" if q != song else ""
    text = rng.choice(
        [
            f"Create a playlist called '{title}' and put {song}{by} on it",
            f"new playlist {title}, add {song}{by}",
            f"Make me a '{title}' playlist and add the song {song}{by} to it.",
        ]
    )
    return text, steps


def _project(rng: random.Random) -> Chain:
    name = rng.choice(PROJECTS)
    tasks = rng.sample(TASKS, rng.choice([1, 1, 2]))
    steps: list[Step] = [("create_project", {"name": name}, {})]
    said = []
    for t in tasks:
        args: dict[str, Any] = {"title": t}
        s = t
        if rng.random() < 0.4:
            d_said, iso = _date(rng)
            args["due"] = iso
            s += f" (due {d_said})"
        steps.append(("add_task", args, {"project_id": (0, "project_id")}))
        said.append(s)
    tasks_text = " and ".join(said)
    text = rng.choice(
        [
            f"Set up a project '{name}' with a task to {tasks_text}",
            f"create project {name}; tasks: {tasks_text}",
            f"Start a new project called {name} and add a to-do: {tasks_text}.",
        ]
    )
    return text, steps


def _invoice(rng: random.Random) -> Chain:
    email = rng.choice(EMAILS)
    amount = rng.choice([120, 450, 980.5, 1500, 2250, 75])
    steps: list[Step] = [
        ("find_customer", {"email": email}, {}),
        ("create_invoice", {"amount": amount}, {"customer_id": (0, "customer_id")}),
    ]
    send = rng.random() < 0.5
    if send:
        steps.append(("send_invoice", {}, {"invoice_id": (1, "invoice_id")}))
    then = rng.choice([" and email it to them", ", then send it"]) if send else ""
    text = rng.choice(
        [
            f"Invoice the customer {email} for {amount}{then}",
            f"Create an invoice of {amount} for {email}{then}.",
            f"bill {email} {amount}{then}",
        ]
    )
    return text, steps


def _hotel(rng: random.Random) -> Chain:
    city = rng.choice(HOTEL_CITIES)
    args: dict[str, Any] = {"city": city.name}
    steps: list[Step] = [("search_hotels", args, {})]
    rev: dict[str, Any] = {}
    if rng.random() < 0.3:
        rev["limit"] = rng.choice([3, 5, 10])
    steps.append(("hotel_reviews", rev, {"hotel_id": (0, "hotel_id")}))
    n = f" {rev['limit']}" if rev else ""
    text = rng.choice(
        [
            f"Find a hotel in {city.name} and show me{n} reviews of it",
            f"hotel {city.name} + its{n} reviews",
            f"What do guests say about the top hotel in {city.name}?",
        ]
    )
    return text, steps


def _movie(rng: random.Random) -> Chain:
    film = rng.choice(FILMS)
    steps: list[Step] = [("search_movie", {"title": film}, {})]
    if rng.random() < 0.5:
        steps.append(("movie_cast", {}, {"movie_id": (0, "movie_id")}))
        text = rng.choice(
            [
                f"Who acts in {film}?",
                f"cast of {film}",
                f"Look up the film {film} and list its cast.",
            ]
        )
    else:
        country = rng.choice(list(STREAM_COUNTRIES))
        steps.append(
            ("streaming", {"country": STREAM_COUNTRIES[country]}, {"movie_id": (0, "movie_id")})
        )
        text = rng.choice(
            [f"Where can I stream {film} in {country}?", f"{film} streaming options, {country}"]
        )
    return text, steps


def _message(rng: random.Random) -> Chain:
    email = rng.choice(EMAILS)
    note = rng.choice(
        [
            "the meeting moved to 3pm",
            "thanks for the review!",
            "can you send the slides?",
            "lunch on Friday?",
        ]
    )
    steps: list[Step] = [
        ("find_user", {"email": email}, {}),
        ("dm", {"text": note}, {"user_id": (0, "user_id")}),
    ]
    text = rng.choice([f"DM {email}: {note}", f'Send a direct message to {email} saying "{note}"'])
    return text, steps


def _restaurant(rng: random.Random) -> Chain:
    name, city = rng.choice(RESTAURANTS), rng.choice(CITIES)
    n = rng.randint(2, 8)
    said, iso = _date(rng)
    hour = rng.choice([18, 19, 20, 21])
    steps: list[Step] = [
        ("find_restaurant", {"name": name, "city": city.name}, {}),
        (
            "reserve",
            {"party_size": n, "time": f"{iso}T{hour:02d}:00"},
            {"restaurant_id": (0, "restaurant_id")},
        ),
    ]
    h = rng.choice([f"{hour - 12}pm", f"{hour}:00", f"{hour - 12} in the evening"])
    text = rng.choice(
        [
            f"Book a table for {n} at {name} in {city.name} on {said} at {h}",
            f"table for {n}, {name} ({city.name}), {said} {h}",
        ]
    )
    return text, steps


def _share_price(rng: random.Random) -> Chain:
    company = rng.choice(COMPANIES)
    word, code = rng.choice(list(CURRENCY_WORDS.items()))
    steps: list[Step] = [
        ("company", {"name": company}, {}),
        ("quote", {}, {"ticker": (0, "ticker")}),
        ("fx", {"to_currency": code}, {"amount": (1, "price"), "from_currency": (1, "currency")}),
    ]
    text = rng.choice(
        [
            f"What is {company}'s share price in {word}?",
            f"{company} stock price converted to {word}",
            f"Find {company}'s ticker, get its latest price and convert it into {word}.",
        ]
    )
    return text, steps


def _gdp(rng: random.Random) -> Chain:
    country = rng.choice(["Chile", "Kenya", "Poland", "Vietnam", "Norway", "Morocco", "Peru"])
    word, code = rng.choice(list(CURRENCY_WORDS.items()))
    args: dict[str, Any] = {"country": country}
    year = ""
    if rng.random() < 0.4:
        args["year"] = rng.randint(2010, 2023)
        year = f" in {args['year']}"
    steps: list[Step] = [
        ("country_stats", args, {}),
        ("fx", {"from_currency": "USD", "to_currency": code}, {"amount": (0, "gdp_usd")}),
    ]
    text = rng.choice(
        [
            f"What was {country}'s GDP{year} in {word}?",
            f"GDP of {country}{year}, converted from dollars to {word}",
        ]
    )
    return text, steps


CHAINS: dict[str, Callable[[random.Random], Chain]] = {
    "flights": _flights,
    "weather": _weather,
    "playlist": _playlist,
    "project": _project,
    "invoice": _invoice,
    "hotel": _hotel,
    "movie": _movie,
    "message": _message,
    "restaurant": _restaurant,
    "share_price": _share_price,
    "gdp": _gdp,
}


def plan_of(steps: list[Step], plain: bool, offset: int = 0) -> list[dict[str, Any]]:
    """Internal-form calls: each step's literals plus its references (``$i.field``; over
    plain tools ``$i.result``), the step numbers shifted by ``offset``."""
    plan = []
    for key, args, refs in steps:
        params = dict(args)
        for p, (i, field) in refs.items():
            params[p] = f"${i + offset}.{'result' if plain else field}"
        name = PLAIN_NAMES[key] if plain else CHAIN_TOOLS[key]["name"]
        plan.append({"api": name, "parameters": params})
    return plan


def single_use(steps: list[Step]) -> bool:
    """True where no step's output feeds two parameters (a plain tool's one ``result``
    cannot be both a latitude and a longitude)."""
    used = [i for _, _, refs in steps for i, _ in refs.values()]
    return len(used) == len(set(used))


def _names(keys: list[str], plain: bool) -> list[str]:
    return [PLAIN_NAMES[k] if plain else CHAIN_TOOLS[k]["name"] for k in keys]


def chain_instance(
    rng: random.Random, *, plain_share: float = 0.4, two_share: float = 0.2
) -> dict[str, Any]:
    """One chain request (two independent ones in ``two_share`` of them), its plan, the
    offered tools (the chain's plus 1-3 near misses from other chains) and its kind."""
    plain = rng.random() < plain_share
    names = rng.sample(list(CHAINS), 2 if rng.random() < two_share else 1)
    made = [CHAINS[name](rng) for name in names]
    # over plain tools a call returns one thing: a chain that takes two fields of one call
    # (latitude and longitude) needs output schemas
    plain = plain and all(single_use(steps) for _, steps in made)
    texts, plan, keys = [], [], []
    for text, steps in made:
        plan += plan_of(steps, plain, offset=len(plan))
        texts.append(text)
        keys += [k for k, _, _ in steps]
    if len(texts) == 2:
        texts[0] = texts[0].rstrip(".?!")
        second = texts[1][0].lower() + texts[1][1:]
        query = rng.choice(
            [f"{texts[0]}. Also, {second}", f"{texts[0]}, and {second}", f"{texts[0]}; {second}"]
        )
    else:
        query = texts[0]
    query = query[0].upper() + query[1:]
    used = list(dict.fromkeys(keys))
    others = [k for k in CHAIN_TOOLS if k not in used]
    offered = _names(used + rng.sample(others, rng.randint(1, 3)), plain)
    rng.shuffle(offered)
    kind = f"chain-{'plain' if plain else 'outputs'}-{'two' if len(names) == 2 else 'one'}"
    return {"query": query, "plan": plan, "offered": offered, "kind": kind}
