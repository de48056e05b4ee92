"""Nothing-fits slice of the held-out chain set: requests the right plan for which is ``[]``,
written by hand for this project, never trained or tuned on.

Two kinds:

- ``no-function``: no offered function serves the request; the offered ones are near misses
  (a train request offered flight functions, a translation offered a summariser);
- ``missing-value``: a function fits, but a value it requires is not in the request and nothing
  implies it or could look it up ("What's the final price after a 25% discount and 10% tax?"
  with no price). A made-up value is wrong.

The functions are those of the chain set (`chain_functions.py`, MCP form). Load with
:func:`load`; scored with the chain set by ``python benchmarks/chain_bench.py``.
"""

from __future__ import annotations

from typing import Any

from chain_functions import FUNCTIONS

# fmt: off
# (kind, style, query, offered functions)
REQUESTS: list[tuple[str, str, str, list[str]]] = [
    # --- no-function: nothing offered serves the request
    ("no-function", "plain", "Find the integral of x^3 from 1 to 5.", ["str_to_int", "multiply", "divide"]),
    ("no-function", "plain", "Tell me a joke about airports.", ["search_airport", "airport_info", "flight_status"]),
    ("no-function", "plain", "What's the capital of Australia?", ["country_population", "city_population", "gdp_usd"]),
    ("no-function", "plain", "Book a train from Paris to Brussels on 2026-03-01.", ["search_airport", "search_flights", "book_flight", "search_car_rentals"]),
    ("no-function", "plain", "Cancel my hotel booking HB-2231.", ["search_hotel_destination", "search_hotels", "book_hotel"]),
    ("no-function", "plain", "Translate 'good night' into Italian.", ["summarize", "word_count", "fetch_url"]),
    ("no-function", "plain", "What will the weather be in Oslo tomorrow?", ["geocode", "timezone_at", "elevation_at", "air_quality_at"]),
    ("no-function", "plain", "Rename the Mobile App project to 'Mobile 2'.", ["find_project", "archive_project", "create_project", "add_task"]),
    ("no-function", "terse", "fax +4930123456 the contract", ["send_sms", "send_email", "send_direct_message"]),
    ("no-function", "plain", "What's the dividend yield of Coca-Cola?", ["resolve_ticker", "stock_quote", "price_on_date"]),
    ("no-function", "plain", "Unpin the last message in #general.", ["find_channel", "pin_message", "post_message"]),
    ("no-function", "plain", "How many calories are in a banana?", ["daily_calorie_need", "bmi", "multiply"]),
    ("no-function", "plain", "Set a reminder to call mom at 6pm.", ["turn_on_lights", "play_song", "order_food"]),
    ("no-function", "terse", "sqrt of 1764", ["multiply", "divide", "percentage_of"]),
    ("no-function", "plain", "Who won the 2018 football World Cup?", ["search_movie", "person_details", "country_capital"]),
    ("no-function", "plain", "Convert 30 miles to kilometres.", ["convert_currency", "celsius_to_fahrenheit", "trip_fuel_cost"]),
    ("no-function", "plain", "Merge pull request 42 in the toolrag repo.", ["find_repository", "create_issue", "create_branch", "latest_release"]),
    ("no-function", "plain", "Renew the TLS certificate of example.com.", ["ssl_certificate", "resolve_hostname", "ip_location"]),
    ("no-function", "plain", "Give me a recipe for paella.", ["recipe_calories", "daily_calorie_need", "translate"]),
    ("no-function", "plain", "Show me how the yen's exchange rate moved over the last year.", ["exchange_rate", "convert_currency", "stock_quote"]),
    ("no-function", "plain", "Write a poem about the sea.", ["summarize", "translate", "word_count"]),
    ("no-function", "plain", "Check my credit score.", ["account_balance", "loan_payment", "convert_currency"]),
    ("no-function", "plain", "How far is the Moon from the Earth?", ["road_distance_km", "route", "geocode"]),
    ("no-function", "plain", "How many followers does @natgeo have on Instagram?", ["lookup_user", "send_direct_message", "set_status"]),
    ("no-function", "plain", "Reset my password.", ["find_member", "lookup_user", "set_status"]),
    ("no-function", "plain", "Record a voice memo saying I'll be late.", ["send_sms", "post_message", "set_status"]),
    ("no-function", "plain", "Which films won Best Picture in the 1990s?", ["search_movie", "movie_credits", "similar_movies"]),
    ("no-function", "plain", "Download the album Abbey Road as MP3s.", ["search_artist", "artist_top_tracks", "add_to_playlist"]),
    ("no-function", "plain", "Compare the prices of the iPhone 15 across three different online shops.", ["search_products", "product_reviews", "stock_level"]),
    ("no-function", "situation", "My flight LH454 got cancelled and I want compensation under EU rules. File the claim.", ["flight_status", "book_flight", "search_flights"]),
    ("no-function", "situation", "The fridge in the office kitchen is leaking; order a plumber for tomorrow morning.", ["order_food", "add_task", "nearby_places"]),
    ("no-function", "verbose", "I'm trying to improve my Spanish. Could you quiz me with ten vocabulary questions about food and tell me how I did afterwards?", ["translate", "word_count", "summarize"]),
    ("no-function", "verbose", "We need to know which of our servers run an outdated kernel. Please scan all hosts in the 10.0.0.0/24 network and list the kernel versions.", ["resolve_hostname", "ip_location", "ssl_certificate"]),
    ("no-function", "de", "Wie spät ist es gerade in Tokio?", ["convert_currency", "stock_quote", "company_profile"]),
    ("no-function", "es", "¿Cuál es la receta de la tortilla española?", ["recipe_calories", "daily_calorie_need", "country_capital"]),
    ("no-function", "fr", "Réserve une table pour deux ce soir au restaurant Le Cinq.", ["order_food", "place_details", "tip_amount"]),
    ("no-function", "de", "Überweise 200 Euro an Jonas.", ["convert_currency", "account_balance", "exchange_rate"]),
    ("no-function", "es", "Apaga la calefacción del salón.", ["turn_on_lights", "set_alarm", "play_song"]),
    ("no-function", "fr", "Combien de jours fériés y a-t-il en France en 2026 ?", ["country_population", "country_capital", "gdp_usd"]),
    ("no-function", "de", "Lösche den Kanal #alt-projekte.", ["find_channel", "post_message", "invite_to_channel"]),

    # --- missing-value: a function fits, a required value is not given nor implied
    ("missing-value", "plain", "What is the final price of a product after a 25% discount and 10% sales tax?", ["final_price", "tip_amount", "convert_currency"]),
    ("missing-value", "plain", "Calculate my monthly loan payment at 4.5% a year over 20 years.", ["loan_payment", "convert_currency"]),
    ("missing-value", "plain", "What's my BMI? I'm 180 cm tall.", ["bmi", "daily_calorie_need"]),
    ("missing-value", "terse", "convert 250 dollars", ["convert_currency", "exchange_rate"]),
    ("missing-value", "plain", "Send an email with the subject 'Hello'.", ["send_email", "send_sms"]),
    ("missing-value", "plain", "Text 'running late' to my wife.", ["send_sms", "send_email"]),
    ("missing-value", "terse", "tip 18% please", ["tip_amount", "final_price"]),
    ("missing-value", "plain", "Set an alarm.", ["set_alarm", "play_song"]),
    ("missing-value", "plain", "Add a task 'Call supplier'.", ["add_task", "comment_on_task"]),
    ("missing-value", "plain", "Track my order.", ["track_order", "issue_refund"]),
    ("missing-value", "plain", "Refund 20 dollars.", ["issue_refund", "track_order"]),
    ("missing-value", "plain", "What did the stock close at on 2026-01-05?", ["price_on_date", "stock_quote"]),
    ("missing-value", "terse", "buy 10 shares", ["place_stock_order", "stock_quote"]),
    ("missing-value", "plain", "How much will fuel for my trip cost at 1.80 per litre?", ["trip_fuel_cost", "road_distance_km"]),
    ("missing-value", "plain", "What's the weather at these coordinates?", ["current_weather", "geocode"]),
    ("missing-value", "plain", "Post a message in the channel.", ["post_message", "find_channel"]),
    ("missing-value", "plain", "Book the hotel for Sam Ortiz from 2026-05-01 to 2026-05-03.", ["book_hotel", "book_flight"]),
    ("missing-value", "plain", "Create a branch called feature-x.", ["create_branch", "create_issue"]),
    ("missing-value", "plain", "Convert the temperature to Fahrenheit.", ["celsius_to_fahrenheit", "city_temperature"]),
    ("missing-value", "plain", "Summarize this article for me.", ["summarize", "fetch_url"]),
    ("missing-value", "plain", "Translate this into German.", ["translate", "summarize"]),
    ("missing-value", "plain", "What percentage is 45?", ["percentage_of", "divide"]),
    ("missing-value", "plain", "Show me the sunrise time.", ["sunrise_sunset", "geocode"]),
    ("missing-value", "plain", "Order a pizza margherita to my home.", ["order_food", "tip_amount"]),
    ("missing-value", "plain", "Return the shoes I bought last week and refund me.", ["track_order", "issue_refund", "product_reviews"]),
    ("missing-value", "situation", "My landlord raised the rent by 8%. What will I pay each month now?", ["percentage_of", "multiply", "final_price"]),
    ("missing-value", "verbose", "I'd like you to work out the monthly payment on the loan I'm considering; the bank offers 3.9% a year, and I haven't decided how long to take it for.", ["loan_payment", "divide"]),
    ("missing-value", "situation", "I just landed and need a car; find me rental offers for this week.", ["search_car_rentals", "flight_status"]),
    ("missing-value", "de", "Berechne die monatliche Rate für meinen Kredit über 15 Jahre.", ["loan_payment", "convert_currency"]),
    ("missing-value", "es", "Envía un SMS que diga 'ya llegué'.", ["send_sms", "send_email"]),
    ("missing-value", "fr", "Quel est le prix final avec 20 % de remise ?", ["final_price", "tip_amount"]),
    ("missing-value", "de", "Leg die Aufgabe 'Rechnung prüfen' an.", ["add_task", "assign_task"]),
    ("missing-value", "es", "Reserva el vuelo para María García.", ["book_flight", "flight_status"]),
    ("missing-value", "fr", "Quelle est la qualité de l'air ici ?", ["air_quality_at", "geocode"]),
]
# fmt: on


def load() -> list[dict[str, Any]]:
    """The requests (``id``, ``category`` = ``nothing-fits``, ``kind``, ``style``, ``query``,
    ``offered``, ``calls`` = ``[]``); ids ``none-N``."""
    names = {f["name"] for f in FUNCTIONS}
    rows = []
    for k, (kind, style, query, offered) in enumerate(REQUESTS):
        unknown = [n for n in offered if n not in names]
        if unknown:
            raise ValueError(f"{query!r}: unknown functions {unknown}")
        rows.append(
            {
                "id": f"none-{k}",
                "category": "nothing-fits",
                "kind": kind,
                "style": style,
                "query": query,
                "offered": offered,
                "calls": [],
            }
        )
    return rows
