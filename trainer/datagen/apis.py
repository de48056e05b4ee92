"""API-shaped functions written for training data: what search -> id -> act chains, parallel
requests with near-miss siblings and nothing-fits requests are planned over.

Each function is written as an MCP tool (``inputSchema``, and ``outputSchema`` where the real
API documents its response), from a compact spec: ``"name*:type:description"`` per parameter
(``*`` = required; types ``str``, ``int``, ``num``, ``bool``, ``enum(a|b)``, ``list<str>``,
``list<num>``). :func:`plain` gives the same function without an output schema, the way
OpenAI-style function lists come: a later call then takes its whole ``result``.

Names, descriptions and domains were written for this project; none is taken from a benchmark,
and the function-calling held-out set's names are checked against (:func:`check_apart`).

Example:
    >>> t = fn("geocode", "Coordinates of a place.", "address*:str:Place to look up",
    ...        out=["latitude:num", "longitude:num"])
    >>> t["inputSchema"]["required"], list(t["outputSchema"]["properties"])
    (['address'], ['latitude', 'longitude'])
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

_TYPES = {"str": "string", "int": "integer", "num": "number", "bool": "boolean"}


def _schema(kind: str) -> dict[str, Any]:
    if kind in _TYPES:
        return {"type": _TYPES[kind]}
    if m := re.fullmatch(r"enum\((.+)\)", kind):
        return {"type": "string", "enum": m.group(1).split("|")}
    if m := re.fullmatch(r"list<(.+)>", kind):
        return {"type": "array", "items": _schema(m.group(1))}
    raise ValueError(f"unknown type {kind!r} in a function spec")


def _props(specs: Iterable[str]) -> tuple[dict[str, Any], list[str]]:
    props: dict[str, Any] = {}
    required: list[str] = []
    for spec in specs:
        name, _, rest = spec.partition(":")
        kind, _, desc = rest.partition(":")
        req = name.endswith("*")
        name = name.rstrip("*")
        props[name] = _schema(kind or "str") | ({"description": desc} if desc else {})
        if req:
            required.append(name)
    return props, required


def fn(name: str, description: str, *params: str, out: Iterable[str] = ()) -> dict[str, Any]:
    """An MCP tool from the compact spec (see the module docstring)."""
    props, required = _props(params)
    tool: dict[str, Any] = {
        "name": name,
        "description": description,
        "inputSchema": {"type": "object", "properties": props, "required": required},
    }
    out = list(out)
    if out:
        oprops, _ = _props(out)
        tool["outputSchema"] = {"type": "object", "properties": oprops}
    return tool


def plain(tool: dict[str, Any], name: str | None = None) -> dict[str, Any]:
    """``tool`` without its output schema (and under ``name`` where given)."""
    return {k: v for k, v in tool.items() if k != "outputSchema"} | {"name": name or tool["name"]}


def outputs(tool: dict[str, Any]) -> list[str]:
    """The fields a later call may reference: the declared outputs, else ``result``."""
    return list((tool.get("outputSchema") or {}).get("properties", {})) or ["result"]


# --- chains: search -> id -> act ----------------------------------------------------------
# Each entry: the lookup tools and the tools acting on what they find, with output schemas.
# The plain twins (snake_case names, no outputs) come from `plain`.
CHAIN_TOOLS = {
    "airport": fn(
        "searchAirport",
        "Search airports by city or name; returns the best match.",
        "query*:str:City or airport name",
        out=[
            "airport_id:str:Internal airport id used by flight search",
            "iata:str:IATA code",
            "name:str:Airport name",
            "city:str",
        ],
    ),
    "flights": fn(
        "searchFlights",
        "Search one-way flights between two airports on a date.",
        "origin_id*:str:Airport id from searchAirport",
        "destination_id*:str:Airport id from searchAirport",
        "date*:str:Departure date, YYYY-MM-DD",
        "adults:int:Number of adult passengers",
        "cabin:enum(economy|premium|business|first)",
        out=["flight_id:str", "price:num:Cheapest fare in USD", "carrier:str", "departure:str"],
    ),
    "book_flight": fn(
        "bookFlightOffer",
        "Book a flight found by searchFlights.",
        "flight_id*:str",
        "passenger_name*:str:Full name as on the passport",
        out=["booking_ref:str", "total:num"],
    ),
    "geocode": fn(
        "geocodePlace",
        "Geocode a place name or address to coordinates.",
        "address*:str:Place name or street address",
        out=["latitude:num", "longitude:num", "formatted_address:str", "country_code:str"],
    ),
    "weather": fn(
        "weatherAtPoint",
        "Current weather at coordinates.",
        "lat*:num:Latitude in degrees",
        "lon*:num:Longitude in degrees",
        "units:enum(metric|imperial)",
        out=["temperature:num", "conditions:str", "wind_speed:num"],
    ),
    "air": fn(
        "airQualityAt",
        "Air quality index at coordinates.",
        "lat*:num",
        "lon*:num",
        out=["aqi:int:Air quality index", "dominant_pollutant:str"],
    ),
    "timezone": fn(
        "timezoneAt",
        "Time zone at coordinates.",
        "lat*:num",
        "lon*:num",
        out=["tz_id:str:IANA zone id", "utc_offset:str"],
    ),
    "create_playlist": fn(
        "createNewPlaylist",
        "Create an empty playlist.",
        "title*:str:Playlist title",
        "public:bool",
        out=["playlist_id:str", "url:str"],
    ),
    "search_track": fn(
        "searchTrack",
        "Search the music catalogue for a song.",
        "q*:str:Song title, optionally with the artist",
        out=["track_id:str", "title:str", "artist:str", "duration_s:int"],
    ),
    "add_track": fn(
        "appendTrackToPlaylist",
        "Add a track to a playlist.",
        "playlist_id*:str",
        "track_id*:str",
        out=["position:int"],
    ),
    "create_project": fn(
        "createProject",
        "Create a project in the task tracker.",
        "name*:str:Project name",
        "owner_email:str",
        out=["project_id:str", "created_at:str"],
    ),
    "add_task": fn(
        "addProjectTask",
        "Add a task to a project.",
        "project_id*:str",
        "title*:str:Task title",
        "due:str:Due date, YYYY-MM-DD",
        "priority:enum(low|normal|high)",
        out=["task_id:str"],
    ),
    "find_customer": fn(
        "findCustomer",
        "Find a customer record by email address.",
        "email*:str",
        out=["customer_id:str", "name:str", "tier:str"],
    ),
    "create_invoice": fn(
        "draftInvoice",
        "Create an invoice for a customer.",
        "customer_id*:str",
        "amount*:num:Amount due in the account currency",
        "due_days:int:Days until payment is due",
        out=["invoice_id:str", "pdf_url:str"],
    ),
    "send_invoice": fn(
        "sendInvoice",
        "Email an invoice to its customer.",
        "invoice_id*:str",
        "message:str",
        out=["sent:bool"],
    ),
    "search_hotels": fn(
        "searchHotels",
        "Find hotels in a city.",
        "city*:str:City name",
        "checkin:str:YYYY-MM-DD",
        "nights:int",
        out=["hotel_id:str", "hotel_name:str", "nightly_rate:num"],
    ),
    "hotel_reviews": fn(
        "getHotelReviews",
        "Guest reviews of a hotel.",
        "hotel_id*:str",
        "limit:int",
        out=["rating:num", "reviews:list<str>"],
    ),
    "search_movie": fn(
        "searchMovie",
        "Search films by title.",
        "title*:str",
        "year:int:Release year",
        out=["movie_id:str", "title:str", "year:int"],
    ),
    "movie_cast": fn(
        "getMovieCast",
        "Cast list of a film.",
        "movie_id*:str",
        out=["cast:list<str>"],
    ),
    "streaming": fn(
        "whereToStream",
        "Streaming services offering a film in a country.",
        "movie_id*:str",
        "country:str:ISO 3166-1 alpha-2 code",
        out=["services:list<str>"],
    ),
    "find_user": fn(
        "lookupUser",
        "Look up a workspace member by email.",
        "email*:str",
        out=["user_id:str", "display_name:str"],
    ),
    "dm": fn(
        "sendDirectMessage",
        "Send a direct message to a workspace member.",
        "user_id*:str",
        "text*:str",
        out=["message_id:str"],
    ),
    "find_restaurant": fn(
        "findRestaurant",
        "Find a restaurant by name in a city.",
        "name*:str",
        "city*:str",
        out=["restaurant_id:str", "address:str", "cuisine:str"],
    ),
    "reserve": fn(
        "reserveRestaurantTable",
        "Reserve a table at a restaurant.",
        "restaurant_id*:str",
        "party_size*:int",
        "time*:str:Local date and time, YYYY-MM-DDTHH:MM",
        out=["reservation_id:str"],
    ),
    "company": fn(
        "searchCompany",
        "Find a listed company by name.",
        "name*:str",
        out=["ticker:str", "exchange:str", "company_id:str"],
    ),
    "quote": fn(
        "getQuote",
        "Latest share price for a ticker.",
        "ticker*:str",
        out=["price:num:Price in the listing currency", "currency:str"],
    ),
    "fx": fn(
        "convertAmount",
        "Convert an amount of money between currencies.",
        "amount*:num",
        "from_currency*:str:ISO 4217 code, e.g. USD",
        "to_currency*:str:ISO 4217 code, e.g. EUR",
        out=["converted:num", "rate:num"],
    ),
    "country_stats": fn(
        "countryIndicators",
        "Economic indicators of a country.",
        "country*:str:Country name",
        "year:int",
        out=["gdp_usd:num", "population:int", "inflation:num"],
    ),
    "shorten": fn(
        "shortenUrl",
        "Shorten a long URL.",
        "url*:str",
        out=["short_url:str"],
    ),
}

# chains as (steps, how requests put them); a step is (tool key, its own arguments, what it
# takes from which earlier step: {param: (step, field)}); the generators fill the values.
# Plain twins: a function without outputs, as OpenAI-style lists give them.
PLAIN_NAMES = {
    key: re.sub(r"(?<!^)(?=[A-Z])", "_", t["name"]).lower() for key, t in CHAIN_TOOLS.items()
}

# --- near-miss families: parallel and parallel-multiple requests -----------------------------
FAMILIES: dict[str, list[dict[str, Any]]] = {
    "solids": [
        fn(
            "volume_box", "Volume of a rectangular box.", "length*:num", "width*:num", "height*:num"
        ),
        fn("volume_ball", "Volume of a ball from its radius.", "radius*:num"),
        fn("volume_tube", "Volume of a cylinder.", "radius*:num", "height*:num"),
        fn("surface_ball", "Surface area of a ball from its radius.", "radius*:num"),
        fn("volume_cone", "Volume of a cone.", "radius*:num", "height*:num"),
    ],
    "savings": [
        fn(
            "simple_interest",
            "Simple interest earned on a deposit.",
            "principal*:num",
            "rate*:num:Yearly rate as a fraction, e.g. 0.04 for 4%",
            "years*:int",
        ),
        fn(
            "compound_growth",
            "Value of a deposit with compound interest.",
            "principal*:num",
            "rate*:num:Yearly rate as a fraction, e.g. 0.04 for 4%",
            "years*:int",
            "times_per_year:int:Compounding periods a year",
        ),
        fn(
            "move_money",
            "Transfer money between two of the user's accounts.",
            "from_account*:enum(checking|savings|brokerage)",
            "to_account*:enum(checking|savings|brokerage)",
            "amount*:num",
        ),
        fn(
            "account_balance",
            "Balance of one of the user's accounts.",
            "account*:enum(checking|savings|brokerage)",
        ),
    ],
    "units": [
        fn(
            "length_convert",
            "Convert a length.",
            "value*:num",
            "from_unit*:enum(m|km|mi|ft|in)",
            "to_unit*:enum(m|km|mi|ft|in)",
        ),
        fn(
            "weight_convert",
            "Convert a weight.",
            "value*:num",
            "from_unit*:enum(g|kg|lb|oz)",
            "to_unit*:enum(g|kg|lb|oz)",
        ),
        fn(
            "speed_convert",
            "Convert a speed.",
            "value*:num",
            "from_unit*:enum(kmh|mph|ms|knots)",
            "to_unit*:enum(kmh|mph|ms|knots)",
        ),
        fn(
            "volume_convert",
            "Convert a liquid volume.",
            "value*:num",
            "from_unit*:enum(l|ml|gal|cup)",
            "to_unit*:enum(l|ml|gal|cup)",
        ),
    ],
    "text": [
        fn(
            "translate_phrase",
            "Translate text.",
            "text*:str",
            "target*:str:ISO 639-1 code of the target language, e.g. de",
        ),
        fn("language_of", "Detect the language of a text.", "text*:str"),
        fn("count_words", "Count the words in a text.", "text*:str"),
        fn("to_upper", "Upper-case a text.", "text*:str"),
        fn("reverse_text", "Reverse the characters of a text.", "text*:str"),
    ],
    "stats": [
        fn("mean_of", "Arithmetic mean of numbers.", "values*:list<num>"),
        fn("median_of", "Median of numbers.", "values*:list<num>"),
        fn("stdev_of", "Sample standard deviation of numbers.", "values*:list<num>"),
        fn("max_of", "Largest of the numbers.", "values*:list<num>"),
    ],
    "chance": [
        fn(
            "draw_probability",
            "Probability of an outcome as favourable over total outcomes.",
            "favorable*:int:Number of favourable outcomes",
            "total*:int:Number of possible outcomes",
            "rounding:int:Decimal places",
        ),
        fn("combinations", "Number of ways to choose k items from n.", "n*:int", "k*:int"),
        fn("permutations", "Number of ordered arrangements of k items from n.", "n*:int", "k*:int"),
        fn("factorial_of", "Factorial of a whole number.", "n*:int"),
    ],
    "places": [
        fn(
            "forecast_city",
            "Weather forecast for a US city.",
            "location*:str:City and state, written City, ST, e.g. Dayton, OH",
            "days:int",
        ),
        fn("city_clock", "Current local time in a city.", "city*:str:City name"),
        fn(
            "weather_now",
            "Current weather for any city.",
            "location*:str:City with its country, e.g. Nantes, France; for US cities City, ST",
            "unit:enum(celsius|fahrenheit)",
        ),
        fn(
            "events_near",
            "Upcoming events near a place.",
            "place*:str:City, Country, e.g. Porto, Portugal",
            "category:enum(music|sports|theatre|food)",
        ),
        fn("sunrise_at", "Sunrise time for a city.", "city*:str:City name", "date:str:YYYY-MM-DD"),
    ],
    "population": [
        fn(
            "density",
            "People per square kilometre.",
            "population*:int:Number of inhabitants",
            "area_km2*:num",
        ),
        fn(
            "per_capita",
            "A total divided per inhabitant.",
            "total*:num",
            "population*:int:Number of inhabitants",
        ),
        fn(
            "growth_projection",
            "Population after years of steady growth.",
            "population*:int",
            "rate*:num:Yearly growth as a fraction, e.g. 0.01 for 1%",
            "years*:int",
        ),
    ],
    "durations": [
        fn("timer_start", "Start a countdown.", "seconds*:int:Length in seconds"),
        fn("stay_cost", "Cost of a stay.", "nightly_rate*:num", "nights*:int"),
        fn(
            "meeting_book",
            "Book a meeting room.",
            "room*:str",
            "minutes*:int:Length in minutes",
            "start*:str:YYYY-MM-DDTHH:MM",
        ),
        fn(
            "order_items",
            "Order an item from the office supplies catalogue.",
            "item*:str",
            "quantity*:int",
        ),
    ],
}


def check_apart(names: Iterable[str], forbidden: Iterable[str]) -> list[str]:
    """Names shared with a set that must stay unseen (case-insensitive); empty when none."""
    banned = {n.lower() for n in forbidden}
    return sorted(n for n in names if n.lower() in banned)
