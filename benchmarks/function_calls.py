"""Planner on OpenAI-style function lists (not Seal-Tools): typed, enum, array and object
parameters; single, multiple-choice, parallel and parallel-multiple queries; exact match.

The functions and queries are written here (`FUNCTIONS`, `QUERIES`), in the shape of public
function-calling benchmarks: each query offers one to four functions and lists, per argument of
each expected call, the acceptable values (`None` among them: the argument may be left out).
Some functions use Python type names (`dict`, `float`, `list[int]`), which the loader
normalises. A plan is exactly right when its calls match the expected ones one to one (in any
order), each with the right function and only acceptable arguments. Also counted: plans that
repeat an identical call, and arguments that do not validate against their parameter's schema.

The pipeline is the product's: the functions are loaded by the OpenAI loader and indexed; for
each query the selector (auto) chooses among the offered functions and the planner plans with
them (default engine).

    python benchmarks/function_calls.py
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import jsonschema
from common import write_results

from toolrag.agent.agent import plan_with
from toolrag.agent.grammar import STRING_MODES
from toolrag.agent.models import DEFAULT_PRECISION
from toolrag.agent.planner import Planner
from toolrag.evaluation.planner import percentile
from toolrag.index.store import ToolIndex
from toolrag.index.toolset import load_toolset
from toolrag.retriever.selector import resolve_selector


def fn(name: str, description: str, props: dict[str, Any], required: list[str]) -> dict:
    return {
        "type": "function",
        "function": {
            "name": name,
            "description": description,
            "parameters": {"type": "object", "properties": props, "required": required},
        },
    }


S, INT, N, B = {"type": "string"}, {"type": "integer"}, {"type": "number"}, {"type": "boolean"}


def d(schema: dict, text: str) -> dict:
    return schema | {"description": text}


FUNCTIONS = [
    fn(
        "get_weather",
        "Current weather for a city.",
        {
            "city": d(S, "City name, e.g. Paris"),
            "unit": {"type": "string", "enum": ["celsius", "fahrenheit"], "default": "celsius"},
        },
        ["city"],
    ),
    fn(
        "convert_currency",
        "Convert an amount of money from one currency to another.",
        {
            "amount": d({"type": "float"}, "Amount to convert"),
            "from_currency": d(S, "ISO code of the source currency, e.g. USD"),
            "to_currency": d(S, "ISO code of the target currency, e.g. EUR"),
        },
        ["amount", "from_currency", "to_currency"],
    ),
    fn(
        "calculate_distance",
        "Distance between two places.",
        {
            "origin": d(S, "Start place"),
            "destination": d(S, "End place"),
            "unit": {"type": "string", "enum": ["km", "miles"]},
        },
        ["origin", "destination"],
    ),
    fn(
        "book_table",
        "Reserve a table at a restaurant.",
        {
            "restaurant": d(S, "Restaurant name"),
            "party_size": d({"type": "int"}, "Number of guests"),
            "time": d(S, "Time of the reservation, HH:MM"),
        },
        ["restaurant", "party_size", "time"],
    ),
    fn(
        "compute_average",
        "Arithmetic mean of a list of numbers.",
        {"numbers": d({"type": "list[float]"}, "The numbers")},
        ["numbers"],
    ),
    fn(
        "create_event",
        "Create a calendar event.",
        {
            "title": d(S, "Event title"),
            "date": d(S, "Date, YYYY-MM-DD"),
            "attendees": d({"type": "array", "items": S}, "Names of the attendees"),
        },
        ["title", "date"],
    ),
    fn(
        "get_stock_price",
        "Latest stock price for a ticker symbol.",
        {
            "ticker": d(S, "Ticker symbol, e.g. AAPL"),
            "exchange": {"type": "string", "enum": ["NASDAQ", "NYSE"]},
        },
        ["ticker"],
    ),
    fn(
        "translate_text",
        "Translate text into another language.",
        {
            "text": d(S, "Text to translate"),
            "target_language": {
                "type": "string",
                "enum": ["french", "german", "spanish", "italian", "japanese"],
            },
        },
        ["text", "target_language"],
    ),
    fn(
        "calculate_bmi",
        "Body mass index from weight and height.",
        {"weight_kg": d(N, "Weight in kilograms"), "height_cm": d(N, "Height in centimetres")},
        ["weight_kg", "height_cm"],
    ),
    fn(
        "search_flights",
        "Search flights between two airports on a date.",
        {
            "origin": d(S, "Origin city or airport"),
            "destination": d(S, "Destination city or airport"),
            "passengers": d(INT, "Number of passengers"),
            "cabin": {"type": "string", "enum": ["economy", "business", "first"]},
        },
        ["origin", "destination"],
    ),
    fn(
        "send_email",
        "Send an email.",
        {
            "to": d(S, "Recipient address"),
            "subject": d(S, "Subject line"),
            "body": d(S, "Message text"),
        },
        ["to", "subject"],
    ),
    fn(
        "update_address",
        "Change a customer's postal address.",
        {
            "customer_id": d(INT, "Customer number"),
            "address": {
                "type": "dict",
                "properties": {"street": S, "city": S, "zip": S},
                "required": ["street", "city"],
            },
        },
        ["customer_id", "address"],
    ),
    fn(
        "calculate_tip",
        "Tip for a restaurant bill.",
        {"bill": d(N, "Bill amount"), "percent": d(INT, "Tip percentage")},
        ["bill", "percent"],
    ),
    fn(
        "get_population",
        "Population of a country, optionally in a given year.",
        {"country": d(S, "Country name"), "year": d(INT, "Year")},
        ["country"],
    ),
    fn(
        "set_thermostat",
        "Set the thermostat.",
        {
            "temperature": d(N, "Target temperature in degrees"),
            "mode": {"type": "string", "enum": ["heat", "cool", "auto"]},
        },
        ["temperature"],
    ),
    fn(
        "order_pizza",
        "Order pizzas for delivery.",
        {
            "size": {"type": "string", "enum": ["small", "medium", "large"]},
            "toppings": d({"type": "array", "items": S}, "Toppings"),
            "quantity": d(INT, "How many pizzas"),
        },
        ["size"],
    ),
    fn(
        "compound_interest",
        "Value of an investment with compound interest.",
        {
            "principal": d(N, "Initial amount"),
            "rate": d(N, "Yearly interest rate as a fraction, e.g. 0.05"),
            "years": d(INT, "Number of years"),
        },
        ["principal", "rate", "years"],
    ),
    fn(
        "play_music",
        "Play music.",
        {
            "artist": d(S, "Artist name"),
            "shuffle": d(B, "Shuffle the tracks"),
        },
        ["artist"],
    ),
]

# fmt: off
# (query, expected calls [(function, {argument: [acceptable values]})])
# None among acceptable values: the argument may be left out.
SINGLE = [
    ("What's the weather in Paris right now?", [("get_weather", {"city": ["Paris"], "unit": [None, "celsius"]})]),
    ("Tell me the weather in Tokyo in fahrenheit.", [("get_weather", {"city": ["Tokyo"], "unit": ["fahrenheit"]})]),
    ("Convert 250 US dollars to euros.", [("convert_currency", {"amount": [250], "from_currency": ["USD"], "to_currency": ["EUR"]})]),
    ("How much is 80 GBP in JPY?", [("convert_currency", {"amount": [80], "from_currency": ["GBP"], "to_currency": ["JPY"]})]),
    ("How far is it from Berlin to Munich in km?", [("calculate_distance", {"origin": ["Berlin"], "destination": ["Munich"], "unit": ["km"]})]),
    ("Distance between Boston and Chicago in miles, please.", [("calculate_distance", {"origin": ["Boston"], "destination": ["Chicago"], "unit": ["miles"]})]),
    ("Book a table for 4 at Chez Marie at 19:30.", [("book_table", {"restaurant": ["Chez Marie"], "party_size": [4], "time": ["19:30"]})]),
    ("Reserve Luigi's for 2 people at 20:00.", [("book_table", {"restaurant": ["Luigi's"], "party_size": [2], "time": ["20:00"]})]),
    ("What is the average of 3, 7 and 11?", [("compute_average", {"numbers": [[3, 7, 11]]})]),
    ("Compute the mean of 2.5, 4.5, 6 and 9.", [("compute_average", {"numbers": [[2.5, 4.5, 6, 9]]})]),
    ("Create an event called Team sync on 2025-03-14 with Ana and Ben.", [("create_event", {"title": ["Team sync"], "date": ["2025-03-14"], "attendees": [["Ana", "Ben"], None]})]),
    ("Put Dentist on my calendar for 2025-06-02.", [("create_event", {"title": ["Dentist"], "date": ["2025-06-02"], "attendees": [None]})]),
    ("What's the price of AAPL on NASDAQ?", [("get_stock_price", {"ticker": ["AAPL"], "exchange": ["NASDAQ", None]})]),
    ("Get me the latest IBM stock price.", [("get_stock_price", {"ticker": ["IBM"], "exchange": [None, "NYSE"]})]),
    ("Translate 'good morning' into french.", [("translate_text", {"text": ["good morning"], "target_language": ["french"]})]),
    ("Translate 'where is the station' to german.", [("translate_text", {"text": ["where is the station"], "target_language": ["german"]})]),
    ("My weight is 70 kg and I am 175 cm tall. What is my BMI?", [("calculate_bmi", {"weight_kg": [70], "height_cm": [175]})]),
    ("BMI for 82.5 kg and 180 cm.", [("calculate_bmi", {"weight_kg": [82.5], "height_cm": [180]})]),
    ("Find flights from Madrid to Lisbon for 3 passengers in business.", [("search_flights", {"origin": ["Madrid"], "destination": ["Lisbon"], "passengers": [3], "cabin": ["business"]})]),
    ("Search flights from Oslo to Rome.", [("search_flights", {"origin": ["Oslo"], "destination": ["Rome"], "passengers": [None, 1], "cabin": [None, "economy"]})]),
    ("Email bob@example.com with the subject Lunch and say See you at noon.", [("send_email", {"to": ["bob@example.com"], "subject": ["Lunch"], "body": ["See you at noon", None]})]),
    ("Send an email to ann@corp.com with subject Report ready.", [("send_email", {"to": ["ann@corp.com"], "subject": ["Report ready"], "body": [None]})]),
    ("Change the address of customer 4521 to 12 Oak Street, Springfield.", [("update_address", {"customer_id": [4521], "address": [{"street": "12 Oak Street", "city": "Springfield"}]})]),
    ("What tip should I leave on a 64 dollar bill at 15 percent?", [("calculate_tip", {"bill": [64], "percent": [15]})]),
    ("Population of Brazil in 2010?", [("get_population", {"country": ["Brazil"], "year": [2010]})]),
    ("How many people live in Canada?", [("get_population", {"country": ["Canada"], "year": [None]})]),
    ("Set the thermostat to 21 degrees in heat mode.", [("set_thermostat", {"temperature": [21], "mode": ["heat"]})]),
    ("Order 2 large pizzas with mushrooms and olives.", [("order_pizza", {"size": ["large"], "quantity": [2], "toppings": [["mushrooms", "olives"]]})]),
    ("What will 1000 grow to at a rate of 0.05 over 10 years?", [("compound_interest", {"principal": [1000], "rate": [0.05], "years": [10]})]),
    ("Play some Miles Davis on shuffle.", [("play_music", {"artist": ["Miles Davis"], "shuffle": [True]})]),
]

PARALLEL = [
    ("What's the weather in Paris and in Rome?", [("get_weather", {"city": [c], "unit": [None, "celsius"]}) for c in ("Paris", "Rome")]),
    ("Weather for Oslo, Lima and Cairo please.", [("get_weather", {"city": [c], "unit": [None, "celsius"]}) for c in ("Oslo", "Lima", "Cairo")]),
    ("Convert 100 USD to EUR and 50 USD to GBP.", [("convert_currency", {"amount": [a], "from_currency": ["USD"], "to_currency": [t]}) for a, t in ((100, "EUR"), (50, "GBP"))]),
    ("Stock prices of MSFT and TSLA?", [("get_stock_price", {"ticker": [t], "exchange": [None, "NASDAQ"]}) for t in ("MSFT", "TSLA")]),
    ("Get the prices for AMZN, NVDA and INTC.", [("get_stock_price", {"ticker": [t], "exchange": [None, "NASDAQ"]}) for t in ("AMZN", "NVDA", "INTC")]),
    ("Translate 'thank you' into spanish and into italian.", [("translate_text", {"text": ["thank you"], "target_language": [lang]}) for lang in ("spanish", "italian")]),
    ("Population of India and of China.", [("get_population", {"country": [c], "year": [None]}) for c in ("India", "China")]),
    ("How far is Paris to Lyon, and Paris to Nice?", [("calculate_distance", {"origin": ["Paris"], "destination": [c], "unit": [None, "km"]}) for c in ("Lyon", "Nice")]),
    ("Book Sushi Zen for 2 at 18:00 and Casa Pepe for 6 at 21:00.", [("book_table", {"restaurant": [r], "party_size": [n], "time": [t]}) for r, n, t in (("Sushi Zen", 2, "18:00"), ("Casa Pepe", 6, "21:00"))]),
    ("Tip on a 40 dollar bill at 10 percent and on 90 dollars at 20 percent.", [("calculate_tip", {"bill": [b], "percent": [p]}) for b, p in ((40, 10), (90, 20))]),
    ("Flights from London to Dublin and from London to Edinburgh.", [("search_flights", {"origin": ["London"], "destination": [c], "passengers": [None, 1], "cabin": [None, "economy"]}) for c in ("Dublin", "Edinburgh")]),
    ("Play Adele and play Coldplay.", [("play_music", {"artist": [a], "shuffle": [None, False]}) for a in ("Adele", "Coldplay")]),
    ("BMI for 60 kg at 165 cm and for 90 kg at 185 cm.", [("calculate_bmi", {"weight_kg": [w], "height_cm": [h]}) for w, h in ((60, 165), (90, 185))]),
    ("Email tom@x.org with subject Hello and jane@x.org with subject Invoice.", [("send_email", {"to": [t], "subject": [s], "body": [None]}) for t, s in (("tom@x.org", "Hello"), ("jane@x.org", "Invoice"))]),
    ("Weather in Madrid in celsius and in Denver in fahrenheit.", [("get_weather", {"city": [c], "unit": [u]}) for c, u in (("Madrid", "celsius"), ("Denver", "fahrenheit"))]),
    ("Average of 1, 2, 3 and also the average of 10, 20.", [("compute_average", {"numbers": [v]}) for v in ([1, 2, 3], [10, 20])]),
    ("Population of Japan in 2000 and in 2020.", [("get_population", {"country": ["Japan"], "year": [y]}) for y in (2000, 2020)]),
    ("Convert 20 EUR to CHF and 20 EUR to SEK.", [("convert_currency", {"amount": [20], "from_currency": ["EUR"], "to_currency": [t]}) for t in ("CHF", "SEK")]),
    ("Order a small pizza with ham and a medium pizza with tuna.", [("order_pizza", {"size": [s], "toppings": [[t]], "quantity": [None, 1]}) for s, t in (("small", "ham"), ("medium", "tuna"))]),
    ("Set the thermostat to 18 and then to 22.", [("set_thermostat", {"temperature": [t], "mode": [None]}) for t in (18, 22)]),
    ("Distance from Austin to Dallas and from Austin to Houston in miles.", [("calculate_distance", {"origin": ["Austin"], "destination": [c], "unit": ["miles"]}) for c in ("Dallas", "Houston")]),
    ("What is the population of France in 1990 and of Spain in 1990?", [("get_population", {"country": [c], "year": [1990]}) for c in ("France", "Spain")]),
    ("Interest on 500 at 0.04 for 3 years and on 800 at 0.02 for 6 years.", [("compound_interest", {"principal": [p], "rate": [r], "years": [y]}) for p, r, y in ((500, 0.04, 3), (800, 0.02, 6))]),
    ("Translate 'good night' into french and 'cheers' into german.", [("translate_text", {"text": [t], "target_language": [lang]}) for t, lang in (("good night", "french"), ("cheers", "german"))]),
    ("Create events Kickoff on 2025-01-10 and Review on 2025-02-20.", [("create_event", {"title": [t], "date": [dt], "attendees": [None]}) for t, dt in (("Kickoff", "2025-01-10"), ("Review", "2025-02-20"))]),
]

PARALLEL_MULTIPLE = [
    ("What's the weather in Vienna, and convert 30 EUR to USD.", [("get_weather", {"city": ["Vienna"], "unit": [None, "celsius"]}), ("convert_currency", {"amount": [30], "from_currency": ["EUR"], "to_currency": ["USD"]})]),
    ("Get the AAPL stock price and the population of Germany.", [("get_stock_price", {"ticker": ["AAPL"], "exchange": [None, "NASDAQ"]}), ("get_population", {"country": ["Germany"], "year": [None]})]),
    ("Book a table for 3 at Bistro Nord at 19:00 and email lea@mail.com with subject Dinner.", [("book_table", {"restaurant": ["Bistro Nord"], "party_size": [3], "time": ["19:00"]}), ("send_email", {"to": ["lea@mail.com"], "subject": ["Dinner"], "body": [None]})]),
    ("Translate 'hello' to japanese and play Queen.", [("translate_text", {"text": ["hello"], "target_language": ["japanese"]}), ("play_music", {"artist": ["Queen"], "shuffle": [None, False]})]),
    ("Set the thermostat to 19 in cool mode and order a large pizza.", [("set_thermostat", {"temperature": [19], "mode": ["cool"]}), ("order_pizza", {"size": ["large"], "toppings": [None], "quantity": [None, 1]})]),
    ("Weather in Seoul and in Bangkok, and the price of TSLA.", [("get_weather", {"city": ["Seoul"], "unit": [None, "celsius"]}), ("get_weather", {"city": ["Bangkok"], "unit": [None, "celsius"]}), ("get_stock_price", {"ticker": ["TSLA"], "exchange": [None, "NASDAQ"]})]),
    ("Distance from Rome to Milan in km and flights from Rome to Milan.", [("calculate_distance", {"origin": ["Rome"], "destination": ["Milan"], "unit": ["km"]}), ("search_flights", {"origin": ["Rome"], "destination": ["Milan"], "passengers": [None, 1], "cabin": [None, "economy"]})]),
    ("Compute the BMI for 75 kg and 170 cm and the tip on a 55 dollar bill at 18 percent.", [("calculate_bmi", {"weight_kg": [75], "height_cm": [170]}), ("calculate_tip", {"bill": [55], "percent": [18]})]),
    ("Population of Mexico, and convert 500 MXN to USD.", [("get_population", {"country": ["Mexico"], "year": [None]}), ("convert_currency", {"amount": [500], "from_currency": ["MXN"], "to_currency": ["USD"]})]),
    ("Play Bach on shuffle and set the thermostat to 20 in auto mode.", [("play_music", {"artist": ["Bach"], "shuffle": [True]}), ("set_thermostat", {"temperature": [20], "mode": ["auto"]})]),
    ("Weather in Nairobi and the population of Kenya.", [("get_weather", {"city": ["Nairobi"], "unit": [None, "celsius"]}), ("get_population", {"country": ["Kenya"], "year": [None]})]),
    ("Convert 75 CAD to USD and translate 'thank you' into spanish.", [("convert_currency", {"amount": [75], "from_currency": ["CAD"], "to_currency": ["USD"]}), ("translate_text", {"text": ["thank you"], "target_language": ["spanish"]})]),
    ("Prices of GOOG and META, and the weather in Zurich.", [("get_stock_price", {"ticker": ["GOOG"], "exchange": [None, "NASDAQ"]}), ("get_stock_price", {"ticker": ["META"], "exchange": [None, "NASDAQ"]}), ("get_weather", {"city": ["Zurich"], "unit": [None, "celsius"]})]),
    ("Order 3 medium pizzas and email max@home.net with subject Pizza.", [("order_pizza", {"size": ["medium"], "quantity": [3], "toppings": [None]}), ("send_email", {"to": ["max@home.net"], "subject": ["Pizza"], "body": [None]})]),
    ("Average of 4, 8 and 15, and interest on 2000 at 0.03 for 5 years.", [("compute_average", {"numbers": [[4, 8, 15]]}), ("compound_interest", {"principal": [2000], "rate": [0.03], "years": [5]})]),
]


# fmt: on


def build_queries() -> list[dict[str, Any]]:
    """The query set: single, multiple-choice (the single queries again, 2-4 functions offered),
    parallel and parallel-multiple, each offering its functions in a fixed order."""
    names = [f["function"]["name"] for f in FUNCTIONS]
    out = []

    def add(category: str, query: str, calls, offered: list[str]) -> None:
        out.append(
            {
                "id": f"{category}-{len([q for q in out if q['category'] == category])}",
                "category": category,
                "query": query,
                "offered": offered,
                "calls": [{"name": n, "arguments": a} for n, a in calls],
            }
        )

    for query, calls in SINGLE:
        add("single", query, calls, [calls[0][0]])
    for k, (query, calls) in enumerate(SINGLE):
        gold = calls[0][0]
        others = [n for n in names if n != gold]
        n_extra = 1 + k % 3  # 2-4 functions offered
        extra = [others[(k * 7 + 3 * j) % len(others)] for j in range(n_extra)]
        offered = list(dict.fromkeys([*extra[: k % (n_extra + 1)], gold, *extra]))
        add("multiple", query, calls, offered)
    for query, calls in PARALLEL:
        add("parallel", query, calls, [calls[0][0]])
    for k, (query, calls) in enumerate(PARALLEL_MULTIPLE):
        gold = list(dict.fromkeys(n for n, _ in calls))
        others = [n for n in names if n not in gold]
        add("parallel-multiple", query, calls, [*gold, others[(k * 5) % len(others)]])
    return out


def arguments_ok(pred: dict[str, Any], gold: dict[str, list[Any]]) -> bool:
    if set(pred) - set(gold):
        return False
    for name, accepted in gold.items():
        if name not in pred:
            if None not in accepted:
                return False
        elif not any(_same(pred[name], v) for v in accepted if v is not None):
            return False
    return True


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return set(a) == set(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(a - b) < 1e-9
    return isinstance(a, str) and isinstance(b, str) and a.strip().lower() == b.strip().lower()


def exact(pred: list[tuple[str, dict]], gold: list[dict]) -> bool:
    """One-to-one match of predicted and expected calls, in any order."""
    if len(pred) != len(gold):
        return False
    left = list(range(len(gold)))

    def match(i: int) -> bool:  # backtracking over the few calls of a query
        if i == len(pred):
            return True
        name, args = pred[i]
        for j in list(left):
            if gold[j]["name"] == name and arguments_ok(args, gold[j]["arguments"]):
                left.remove(j)
                if match(i + 1):
                    return True
                left.append(j)
        return False

    return match(0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--name", default="function_calls")
    ap.add_argument(
        "--set",
        dest="query_set",
        choices=["written", "dev", "heldout", "toolalpaca"],
        default="written",
        help="written: the 100 queries below; dev: benchmarks/dev_calls.py (61 hand-written "
        "queries to tune and gate changes on); heldout: benchmarks/heldout_calls.py (214 "
        "queries over 91 functions, never trained or tuned on); toolalpaca: instances made by "
        "`toolrag datagen functions --share heldout` over the public APIs no training function "
        "comes from (--data)",
    )
    ap.add_argument("--data", type=Path, help="with --set toolalpaca: the datagen folder")
    ap.add_argument("--selector", default="auto")
    ap.add_argument(
        "--threshold",
        type=float,
        default=None,
        help="the selector's offer threshold (default: the one it was tuned with)",
    )
    ap.add_argument("--planner", default=None, help="adapter folder (default: the packaged one)")
    ap.add_argument(
        "--precision", default=None, help="the engine's weights (int8, int4, fp32; default: int8)"
    )
    ap.add_argument(
        "--strings",
        default=None,
        choices=STRING_MODES,
        help="Planner(ground_strings=...): which plain strings take only the query's words "
        "(default: the planner's default)",
    )
    ap.add_argument(
        "--without",
        action="append",
        default=[],
        metavar="PASS",
        help="leave out a plan pass (toolrag.agent.passes.REGISTRY), as PlannerConfig.without",
    )
    ap.add_argument(
        "--ids",
        default=None,
        help="only these query ids (comma-separated; e.g. those where a pass fired)",
    )
    ap.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a PlannerConfig setting, VALUE as JSON where it parses (distinct_scope=plan)",
    )
    ap.add_argument(
        "--grounding",
        choices=["hard", "free", "soft"],
        default=None,
        help="PlannerConfig.with_grounding(MODE) (default: the planner's own config)",
    )
    args = ap.parse_args()
    options = {}
    for item in args.option:
        key, _, raw = item.partition("=")
        try:
            options[key] = json.loads(raw)
        except json.JSONDecodeError:
            options[key] = raw

    if args.query_set == "heldout":
        import heldout_calls

        functions, queries = heldout_calls.load()
    elif args.query_set == "dev":
        import dev_calls

        functions, queries = dev_calls.load()
    elif args.query_set == "toolalpaca":
        functions = json.loads((args.data / "functions.json").read_text())
        queries = [
            {
                "id": row["id"],
                "category": row["kind"],
                "query": row["query"],
                "offered": row["offered"],
                "calls": [
                    {"name": c["api"], "arguments": {k: [v] for k, v in c["parameters"].items()}}
                    for c in row["calling"]
                ],
            }
            for row in map(json.loads, (args.data / "instances.jsonl").read_text().splitlines())
        ]
    else:
        functions, queries = FUNCTIONS, build_queries()
    if args.ids:
        wanted = set(args.ids.split(","))
        queries = [q for q in queries if q["id"] in wanted]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "functions.json"
        path.write_text(json.dumps(functions))
        tools = load_toolset(path)
    by_name = {t.name: t for t in tools}
    index = ToolIndex.build(tools)
    selector = resolve_selector(args.selector, index, args.threshold)
    planner = Planner.load(
        args.planner,
        **({"precision": args.precision} if args.precision else {}),
        **({"ground_strings": args.strings} if args.strings else {}),
        **options,
    )
    if args.grounding:
        planner.config = planner.config.with_grounding(args.grounding).with_options(**options)
    planner.config = planner.config.without(*args.without)
    per_cat: dict[str, Counter] = {}
    rows, secs = [], []
    typed_total = typed_ok = 0
    for q in queries:
        offered = [by_name[n] for n in q["offered"]]
        result, _ = plan_with(planner, selector, q["query"], offered)
        secs.append(result.seconds)
        pred = [(c.api, dict(c.parameters)) for c in result.calls]
        keys = [json.dumps(p, sort_keys=True) for p in pred]
        repeated = len(keys) != len(set(keys))
        for api, params in pred:
            schemas = {p.name: p.value_schema() for p in by_name[api].parameters}
            for name, value in params.items():
                typed_total += 1
                try:
                    jsonschema.validate(value, schemas[name])
                    typed_ok += 1
                except (jsonschema.ValidationError, KeyError):
                    pass
        ok = exact(pred, q["calls"])
        c = per_cat.setdefault(q["category"], Counter())
        c["n"] += 1
        c["exact"] += ok
        c["repeated"] += repeated
        predicted = [{"name": a, "arguments": p} for a, p in pred]
        rows.append(q | {"predicted": predicted, "exact": ok, "fired": result.fired})
    overall = Counter()
    for c in per_cat.values():
        overall.update(c)
    per_cat["overall"] = overall
    table = {
        cat: {
            "n": c["n"],
            "exact_match": round(100 * c["exact"] / c["n"], 1),
            "plans_with_a_repeated_call": c["repeated"],
        }
        for cat, c in per_cat.items()
    }
    lines = [
        f"# Planner on {args.query_set} OpenAI-style "
        f"function lists ({len(queries)} queries over {len(functions)} functions, one run)",
        "",
        "| category | n | exact match % | plans repeating an identical call |",
        "|---|---|---|---|",
    ]
    for cat, r in table.items():
        lines.append(
            f"| {cat} | {r['n']} | {r['exact_match']} | {r['plans_with_a_repeated_call']} |"
        )
    lines += [
        "",
        f"Arguments that validate against their parameter's schema: {typed_ok} of {typed_total} "
        f"({100 * typed_ok / max(1, typed_total):.1f}%). Plan p50 {percentile(secs, 0.5):.2f} s.",
        "",
        "Exact match: the predicted calls match the expected ones one to one, in any order, "
        "with only acceptable argument values (numbers compared as numbers, strings "
        "case-insensitively). The planner is "
        + (f"`{args.planner}`" if args.planner else "the shipped default")
        + ", "
        f"with the selector `{args.selector}`"
        + (f" (threshold {args.threshold})" if args.threshold is not None else "")
        + " choosing among the offered functions, "
        + (
            f"values grounded in the query (plain strings: `{planner.config.ground_strings}`)"
            if "ground_values" in planner.config.passes
            else f"values constrained by the schema only (query bias {planner.config.query_bias})"
        )
        + f"; plan passes: `{', '.join(planner.config.passes)}`.",
    ]
    write_results(
        args.name,
        {
            "summary": table,
            "typed_arguments": {"valid": typed_ok, "total": typed_total},
            "ground_strings": planner.config.ground_strings,
            "passes": list(planner.config.passes),
            "without": args.without,
            "planner": args.planner or "shipped",
            "precision": args.precision or DEFAULT_PRECISION[planner.engine.name],
            "prompt_style": planner.prompt_style,
            "grounding": args.grounding,
            "config": planner.config.to_dict(),
            "p50_s": percentile(secs, 0.5),
            "p95_s": percentile(secs, 0.95),
            "queries": rows,
        },
        "\n".join(lines),
    )


if __name__ == "__main__":
    main()
