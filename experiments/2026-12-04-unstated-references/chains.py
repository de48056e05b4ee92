"""Two-step chains over plain functions (no output schemas), written for this experiment: does
the default planner feed the first call's result into the second? One run, prints a table.

    python experiments/2026-12-04-unstated-references/chains.py
"""

from __future__ import annotations

import json
import time

import toolrag


def fn(fname: str, description: str, **params: tuple[str, str]) -> dict:
    props = {k: {"type": t, "description": d} for k, (t, d) in params.items()}
    return {
        "name": fname,
        "description": description,
        "parameters": {"type": "object", "properties": props, "required": list(props)},
    }


PRICE = fn(
    "get_price", "Current price of a product in US dollars", product=("string", "Product name")
)
CONVERT = fn(
    "convert_currency",
    "Convert an amount of money between currencies",
    amount=("number", "Amount to convert"),
    from_currency=("string", "ISO code, e.g. USD"),
    to_currency=("string", "ISO code, e.g. EUR"),
)
DISTANCE = fn(
    "get_distance_km",
    "Driving distance between two cities in kilometres",
    origin=("string", "Start city"),
    destination=("string", "End city"),
)
FUEL = fn(
    "fuel_cost",
    "Fuel cost of a drive",
    distance_km=("number", "Distance in kilometres"),
    price_per_litre=("number", "Fuel price per litre"),
)
COUNT = fn(
    "count_open_tickets", "Number of open support tickets of a team", team=("string", "Team name")
)
STAFF = fn(
    "staff_needed",
    "How many agents a ticket backlog needs",
    tickets=("integer", "Number of tickets"),
    per_agent=("integer", "Tickets one agent handles"),
)
LANDMARK = fn("find_city", "The city a landmark is in", landmark=("string", "Landmark name"))
WEATHER = fn("get_weather", "Current weather in a city", city=("string", "City name"))
TICKER = fn("lookup_ticker", "Stock ticker of a company", company=("string", "Company name"))
QUOTE = fn("stock_quote", "Latest stock price", symbol=("string", "Ticker symbol, e.g. MSFT"))
USER = fn("find_user", "Look up a user's e-mail address by name", name=("string", "Full name"))
MAIL = fn(
    "send_email",
    "Send an e-mail",
    to=("string", "Recipient address"),
    subject=("string", "Subject line"),
)
TEMP = fn(
    "get_temperature_c", "Current temperature in a city, Celsius", city=("string", "City name")
)
TOF = fn("celsius_to_fahrenheit", "Convert Celsius to Fahrenheit", celsius=("number", "Degrees C"))

R = "API_call_0"
CHAINS = [  # (query, functions, the second call's expected arguments; None: any value)
    (
        "What does a Kindle cost in euros?",
        [PRICE, CONVERT],
        {"amount": R, "from_currency": "USD", "to_currency": "EUR"},
    ),
    (
        "Price of the iPad Air, converted to yen",
        [PRICE, CONVERT],
        {"amount": R, "from_currency": "USD", "to_currency": "JPY"},
    ),
    (
        "How far is it from Lyon to Paris, and what will the fuel cost at 1.9 per litre?",
        [DISTANCE, FUEL],
        {"distance_km": R, "price_per_litre": 1.9},
    ),
    (
        "Get the driving distance Berlin to Munich, then the fuel cost for it at 1.75 a litre",
        [DISTANCE, FUEL],
        {"distance_km": R, "price_per_litre": 1.75},
    ),
    (
        "Count the billing team's open tickets and tell me how many agents we need at 12 per agent",
        [COUNT, STAFF],
        {"tickets": R, "per_agent": 12},
    ),
    (
        "How many agents does the support team's open backlog need if each handles 8?",
        [COUNT, STAFF],
        {"tickets": R, "per_agent": 8},
    ),
    ("What's the temperature in Oslo in Fahrenheit?", [TEMP, TOF], {"celsius": R}),
    (
        "Take the current Celsius temperature in Cairo and convert it to Fahrenheit",
        [TEMP, TOF],
        {"celsius": R},
    ),
    (
        "Which city is the Eiffel Tower in? Then get the weather there.",
        [LANDMARK, WEATHER],
        {"city": R},
    ),
    ("Weather in the city where the Colosseum is", [LANDMARK, WEATHER], {"city": R}),
    ("Find Tesla's ticker and get its latest stock price", [TICKER, QUOTE], {"symbol": R}),
    ("Look up the ticker for Nvidia, then quote it", [TICKER, QUOTE], {"symbol": R}),
    (
        "Find Ana Lima's e-mail address and send her a mail with subject 'Welcome'",
        [USER, MAIL],
        {"to": R, "subject": "Welcome"},
    ),
    (
        "Email Tom Berg (look up his address first) about 'Q3 report'",
        [USER, MAIL],
        {"to": R, "subject": "Q3 report"},
    ),
]


def right(calls: list, functions: list, want: dict) -> bool:
    first, second = functions[0]["name"], functions[1]["name"]
    if [c.api for c in calls] != [first, second]:
        return False
    got = calls[1].parameters
    return set(got) == set(want) and all(
        str(got[k]).lower() == str(v).lower() for k, v in want.items() if v is not None
    )


def main() -> None:
    rows, seconds = [], []
    for query, functions, want in CHAINS:
        start = time.perf_counter()
        result = toolrag.plan(query, functions)
        seconds.append(time.perf_counter() - start)
        kind = (
            "number"
            if functions[1]["parameters"]["properties"][next(iter(want))]["type"]
            in ("number", "integer")
            else "string"
        )
        rows.append((kind, right(result.calls, functions, want), query, result.text))
    print("| fed value | n | right |\n| --- | ---: | ---: |")
    for kind in ("number", "string"):
        hits = [ok for k, ok, *_ in rows if k == kind]
        print(f"| {kind} | {len(hits)} | {sum(hits)} |")
    print()
    for kind, ok, query, text in rows:
        print(f"- {'ok ' if ok else 'NO '} ({kind}) {query}\n  `{text}`")
    print(json.dumps({"p50_s": sorted(seconds)[len(seconds) // 2]}))


if __name__ == "__main__":
    main()
