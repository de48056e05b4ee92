"""Development function-calling set: 36 OpenAI-style functions and 61 queries, written by hand
for this project (not generated, not taken from any benchmark) to tune and gate planner and
selector changes *before* a held-out run.

It is not held out: look at its plans, tune on it. Its functions share no name or domain task
with the held-out set (`benchmarks/heldout_calls.py`) or the training data generators, and its
queries were written without reading the held-out ones. It weights what the held-out scores
miss: values the description asks for (codes, fractions, units, formats), terse
parallel-multiple requests (acronyms, short clauses), object arguments, no-tool requests.
Categories as in `heldout_calls.py`. Load with :func:`load` (``benchmarks/function_calls.py
--set dev``).
"""

from __future__ import annotations

from typing import Any

from heldout_calls import C, F, numbered, obj

NONE = None

# fmt: off
FUNCTIONS = [
    # home and devices
    F("set_light", "Switch a smart light and set its brightness.", "room*:str:Room name", "on*:bool:True to switch on", "brightness:int:Brightness in percent, 0-100"),
    F("set_light_color", "Set a smart light's colour.", "room*:str:Room name", "hex_color*:str:Colour as a 6-digit hex code with a leading #, e.g. #FF8800"),
    F("lock_door", "Lock or unlock a smart door lock.", "door*:enum(front|back|garage)", "locked*:bool:True to lock"),
    F("robot_vacuum", "Start the robot vacuum.", "mode*:enum(quick|standard|deep)", "rooms:list<str>:Rooms to clean; all when left out"),
    # text and code
    F("base64_encode", "Encode text as Base64.", "text*:str:Text to encode"),
    F("url_encode", "Percent-encode text for use in a URL.", "text*:str:Text to encode"),
    F("word_count", "Count the words of a text.", "text*:str:The text"),
    F("slugify", "Turn a title into a URL slug.", "title*:str:The title", "separator:enum(-|_):Character between words"),
    F("detect_language", "Detect the language a text is written in.", "text*:str:The text"),
    F("mime_type", "Look up the MIME type of a file format.", "extension*:str:File extension without the dot, lower case, e.g. png"),
    # dates and time
    F("days_between", "Number of days between two dates.", "start*:str:Start date, YYYY-MM-DD", "end*:str:End date, YYYY-MM-DD"),
    F("business_days", "Working days between two dates in a country.", "start*:str:Start date, YYYY-MM-DD", "end*:str:End date, YYYY-MM-DD", "country*:str:ISO 3166-1 alpha-2 country code, e.g. JP"),
    F("schedule_alarm", "Set an alarm.", "time*:str:Time of day, 24-hour HH:MM", "label:str:Label shown when it rings", "repeat:list<enum(mon|tue|wed|thu|fri|sat|sun)>:Days it repeats on"),
    F("countdown_timer", "Start a countdown timer.", "seconds*:int:Duration in seconds", "label:str"),
    F("moon_phase", "Phase of the moon on a date.", "date*:str:Date, YYYY-MM-DD"),
    # science and math
    F("percent_change", "Percentage change from an old value to a new one.", "old*:num:Old value", "new*:num:New value"),
    F("projectile_range", "Horizontal range of a projectile on flat ground.", "speed*:num:Launch speed in metres per second", "angle*:num:Launch angle in degrees above the horizontal"),
    F("ph_from_concentration", "pH of a solution from its hydrogen ion concentration.", "concentration*:num:H+ concentration in mol/L, e.g. 0.001"),
    F("convert_temperature", "Convert a temperature.", "value*:num:The temperature", "from_scale*:enum(C|F|K)", "to_scale*:enum(C|F|K)"),
    F("convert_mass", "Convert a mass between units.", "value*:num:The mass", "from_unit*:enum(g|kg|lb|oz)", "to_unit*:enum(g|kg|lb|oz)"),
    F("mean_absolute_deviation", "Mean absolute deviation of numbers.", "values*:list<num>:The numbers"),
    F("bmr", "Basal metabolic rate (Mifflin-St Jeor).", "weight_kg*:num", "height_cm*:num", "age*:int", "sex*:enum(female|male)"),
    # money
    F("inflation_adjust", "Value of an amount of money in another year's prices.", "amount*:num", "from_year*:int", "to_year*:int", "country:str:ISO 3166-1 alpha-2 code; US when left out"),
    F("split_bill", "Split a bill among people, tip included.", "total*:num:Bill total", "people*:int:Number of people", "tip_rate:num:Tip as a fraction of the total, e.g. 0.15 for 15%"),
    F("vat_amount", "VAT included in a gross price.", "gross*:num:Price with VAT", "rate*:num:VAT rate as a fraction, e.g. 0.2 for 20%"),
    F("currency_symbol", "The symbol of a currency.", "code*:str:ISO 4217 currency code, upper case, e.g. EUR"),
    # travel and places
    F("airport_delays", "Current departure delays at an airport.", "airport*:str:IATA airport code, e.g. SFO"),
    F("bike_share", "Free bikes at bike-share stations near a place.", "near*:str:Place, written as 'City, Country', e.g. 'Lyon, France'", "electric_only:bool"),
    F("tide_times", "High and low tides for a coastal town.", "town*:str:Town name", "date:str:Date, YYYY-MM-DD; today when left out"),
    F("sunrise_sunset", "Sunrise and sunset times.", "latitude*:num", "longitude*:num", "date:str:Date, YYYY-MM-DD"),
    # people, media and errands
    F("library_hold", "Place a hold on a library book.", "isbn*:str:ISBN-13 of the book, digits only", "branch:str:Library branch"),
    F("podcast_search", "Search podcast episodes.", "query*:str:Search words", "language:str:ISO 639-1 language code, e.g. fr", "max_results:int"),
    F("pet_feeder", "Schedule an automatic pet feeder.", "pet*:str:Pet's name", "grams*:int:Food per meal in grams", "times*:list<str>:Meal times, 24-hour HH:MM"),
    F("create_invoice", "Create an invoice for a client.", obj("client", "Who is billed", ["name*:str", "email:str", "vat_id:str"]), obj("items", "Lines of the invoice", ["description*:str", "quantity*:int", "unit_price*:num"], array=True), "currency:str:ISO 4217 code, e.g. USD"),
    F("register_guest", "Register a guest at the front desk.", obj("guest", "The guest", ["first_name*:str", "last_name*:str", "phone:str"]), "host*:str:Employee they visit", "badge:enum(visitor|contractor)"),
    F("water_plants", "Water the garden zones.", obj("zones", "Zones with their watering time", ["zone*:str", "minutes*:int"], array=True)),
]
# fmt: on


# (category, query, offered functions, expected calls)
# fmt: off
QUERIES: list[tuple[str, str, list[str], list[dict[str, Any]]]] = [
    # --- single
    ("single", "Turn on the kitchen light at 40 percent.", ["set_light"], [C("set_light", room="kitchen", on=True, brightness=40)]),
    ("single", "How many words are in 'the quick brown fox jumps'?", ["word_count"], [C("word_count", text="the quick brown fox jumps")]),
    ("single", "Days between 2024-02-01 and 2024-03-15?", ["days_between"], [C("days_between", start="2024-02-01", end="2024-03-15")]),
    ("single", "Percent change from 80 to 92.", ["percent_change"], [C("percent_change", old=80, new=92)]),
    ("single", "Split a 120 bill between 4 people.", ["split_bill"], [C("split_bill", total=120, people=4, tip_rate=NONE)]),
    ("single", "Deep clean the house with the robot.", ["robot_vacuum"], [C("robot_vacuum", mode="deep", rooms=NONE)]),
    # --- multiple: near misses offered, one call
    ("multiple", "Base64 of 'hello world'.", ["base64_encode", "url_encode", "word_count"], [C("base64_encode", text="hello world")]),
    ("multiple", "URL-encode 'a b&c'.", ["base64_encode", "url_encode", "slugify"], [C("url_encode", text="a b&c")]),
    ("multiple", "Lock the garage.", ["lock_door", "set_light", "robot_vacuum"], [C("lock_door", door="garage", locked=True)]),
    ("multiple", "Convert 5 lb to kg.", ["convert_mass", "convert_temperature"], [C("convert_mass", value=5, from_unit="lb", to_unit="kg")]),
    ("multiple", "Set a 10 second timer.", ["countdown_timer", "schedule_alarm"], [C("countdown_timer", seconds=10, label=NONE)]),
    ("multiple", "Which language is 'dziękuję bardzo'?", ["detect_language", "word_count", "podcast_search"], [C("detect_language", text="dziękuję bardzo")]),
    ("multiple", "What's the moon like on 2025-07-04?", ["moon_phase", "sunrise_sunset", "tide_times"], [C("moon_phase", date="2025-07-04")]),
    ("multiple", "Mean absolute deviation of 2, 4, 6 and 8.", ["mean_absolute_deviation", "percent_change"], [C("mean_absolute_deviation", values=[2, 4, 6, 8])]),
    # --- parallel
    ("parallel", "Slugs for 'Hello World' and 'Big News Today'.", ["slugify"], [C("slugify", title="Hello World", separator=(NONE, "-")), C("slugify", title="Big News Today", separator=(NONE, "-"))]),
    ("parallel", "Turn off the lights in the hall and the bedroom.", ["set_light"], [C("set_light", room="hall", on=False, brightness=NONE), C("set_light", room="bedroom", on=False, brightness=NONE)]),
    ("parallel", "Moon phase on 2025-01-13 and on 2025-01-29.", ["moon_phase"], [C("moon_phase", date="2025-01-13"), C("moon_phase", date="2025-01-29")]),
    ("parallel", "Tides in St Ives and in Padstow.", ["tide_times"], [C("tide_times", town="St Ives", date=NONE), C("tide_times", town="Padstow", date=NONE)]),
    ("parallel", "Convert 0 C, 37 C and 100 C to F.", ["convert_temperature"], [C("convert_temperature", value=v, from_scale="C", to_scale="F") for v in (0, 37, 100)]),
    ("parallel", "Delays at JFK and at CDG?", ["airport_delays"], [C("airport_delays", airport="JFK"), C("airport_delays", airport="CDG")]),
    # --- parallel-multiple: several functions, terse clauses
    ("parallel-multiple", "Lock the front door and turn off the porch light.", ["lock_door", "set_light", "robot_vacuum"], [C("lock_door", door="front", locked=True), C("set_light", room="porch", on=False, brightness=NONE)]),
    ("parallel-multiple", "Base64 'abc' and count words in 'one two three'.", ["base64_encode", "word_count", "url_encode"], [C("base64_encode", text="abc"), C("word_count", text="one two three")]),
    ("parallel-multiple", "pH at 1e-5 M H+ and the MAD of 1, 3, 5.", ["ph_from_concentration", "mean_absolute_deviation", "percent_change"], [C("ph_from_concentration", concentration=0.00001), C("mean_absolute_deviation", values=[1, 3, 5])]),
    ("parallel-multiple", "Timer for 2 minutes, and MIME type of webp.", ["countdown_timer", "mime_type", "schedule_alarm"], [C("countdown_timer", seconds=120, label=NONE), C("mime_type", extension="webp")]),
    ("parallel-multiple", "Moon phase today 2025-03-01 plus sunrise at 48.85, 2.35 that day.", ["moon_phase", "sunrise_sunset"], [C("moon_phase", date="2025-03-01"), C("sunrise_sunset", latitude=48.85, longitude=2.35, date=("2025-03-01", NONE))]),
    ("parallel-multiple", "JFK delays, and symbol for JPY.", ["airport_delays", "currency_symbol", "bike_share"], [C("airport_delays", airport="JFK"), C("currency_symbol", code="JPY")]),
    ("parallel-multiple", "BMR for a 30-year-old woman, 60 kg, 165 cm, and convert 60 kg to lb.", ["bmr", "convert_mass", "percent_change"], [C("bmr", weight_kg=60, height_cm=165, age=30, sex="female"), C("convert_mass", value=60, from_unit="kg", to_unit="lb")]),
    ("parallel-multiple", "Hold ISBN 9780141439518 and find German podcasts on chess.", ["library_hold", "podcast_search", "word_count"], [C("library_hold", isbn="9780141439518", branch=NONE), C("podcast_search", query="chess", language="de", max_results=NONE)]),
    ("parallel-multiple", "Quick vacuum of the kitchen; lights off in there too.", ["robot_vacuum", "set_light", "lock_door"], [C("robot_vacuum", mode="quick", rooms=["kitchen"]), C("set_light", room="kitchen", on=False, brightness=NONE)]),
    ("parallel-multiple", "Days from 2025-01-01 to 2025-02-01 and working days in that span in DE.", ["days_between", "business_days", "moon_phase"], [C("days_between", start="2025-01-01", end="2025-02-01"), C("business_days", start="2025-01-01", end="2025-02-01", country="DE")]),
    ("parallel-multiple", "Slugify 'My First Post', then URL-encode 'x=1&y=2'.", ["slugify", "url_encode", "base64_encode"], [C("slugify", title="My First Post", separator=(NONE, "-")), C("url_encode", text="x=1&y=2")]),
    ("parallel-multiple", "Alarm at 06:45 and a 90 s timer.", ["schedule_alarm", "countdown_timer", "moon_phase"], [C("schedule_alarm", time="06:45", label=NONE, repeat=NONE), C("countdown_timer", seconds=90, label=NONE)]),
    ("parallel-multiple", "VAT in 240 gross at 20%, and split 240 among 3.", ["vat_amount", "split_bill", "inflation_adjust"], [C("vat_amount", gross=240, rate=0.2), C("split_bill", total=240, people=3, tip_rate=NONE)]),
    ("parallel-multiple", "% change 50 to 65, and 212 F in C.", ["percent_change", "convert_temperature", "convert_mass"], [C("percent_change", old=50, new=65), C("convert_temperature", value=212, from_scale="F", to_scale="C")]),
    # --- nested-object
    ("nested-object", "Invoice Acme Ltd (billing@acme.io) for 3 hours of consulting at 95 each, in EUR.", ["create_invoice"], [C("create_invoice", client={"name": "Acme Ltd", "email": "billing@acme.io"}, items=tuple([{"description": d, "quantity": 3, "unit_price": 95}] for d in ("consulting", "hours of consulting", "consulting hours")), currency="EUR")]),
    ("nested-object", "Bill Jo Park for 2 logo designs at 300 and 1 banner at 120.", ["create_invoice"], [C("create_invoice", client={"name": "Jo Park"}, items=tuple([{"description": d, "quantity": 2, "unit_price": 300}, {"description": "banner", "quantity": 1, "unit_price": 120}] for d in ("logo designs", "logo design", "logo")), currency=NONE)]),
    ("nested-object", "Register visitor Ana Ruiz to see Tom.", ["register_guest"], [C("register_guest", guest={"first_name": "Ana", "last_name": "Ruiz"}, host="Tom", badge=("visitor", NONE))]),
    ("nested-object", "Contractor Lee Wong, phone 555-0101, is here for Priya.", ["register_guest"], [C("register_guest", guest={"first_name": "Lee", "last_name": "Wong", "phone": "555-0101"}, host="Priya", badge="contractor")]),
    ("nested-object", "Water the lawn for 20 minutes and the roses for 5.", ["water_plants"], [C("water_plants", zones=[{"zone": "lawn", "minutes": 20}, {"zone": "roses", "minutes": 5}])]),
    ("nested-object", "Water the veggie bed 12 minutes.", ["water_plants", "pet_feeder"], [C("water_plants", zones=tuple([{"zone": z, "minutes": 12}] for z in ("veggie bed", "veggie")))]),
    # --- description: the value is what the parameter's description asks for
    ("description", "Make the living room light orange.", ["set_light_color"], [C("set_light_color", room="living room", hex_color=("#FFA500", "#FF8000", "#FF8C00", "#FF7F00"))]),
    ("description", "Set the office light to pure red.", ["set_light_color", "set_light"], [C("set_light_color", room="office", hex_color="#FF0000")]),
    ("description", "Working days in France between 1 May 2025 and 31 May 2025.", ["business_days"], [C("business_days", start="2025-05-01", end="2025-05-31", country="FR")]),
    ("description", "How much is 100 dollars from 1990 worth in 2020 in Canada?", ["inflation_adjust"], [C("inflation_adjust", amount=100, from_year=1990, to_year=2020, country="CA")]),
    ("description", "Split 90 among 3 people with a 15% tip.", ["split_bill"], [C("split_bill", total=90, people=3, tip_rate=0.15)]),
    ("description", "How much VAT is in a 119 euro price at 19 percent?", ["vat_amount"], [C("vat_amount", gross=119, rate=0.19)]),
    ("description", "What's the symbol for the British pound?", ["currency_symbol"], [C("currency_symbol", code="GBP")]),
    ("description", "Are flights out of Heathrow delayed?", ["airport_delays"], [C("airport_delays", airport="LHR")]),
    ("description", "Any e-bikes free near the Porto station in Portugal?", ["bike_share"], [C("bike_share", near=("Porto, Portugal",), electric_only=True)]),
    ("description", "Wake me at 7:30 pm on weekdays.", ["schedule_alarm"], [C("schedule_alarm", time="19:30", label=NONE, repeat=["mon", "tue", "wed", "thu", "fri"])]),
    ("description", "Start a timer for a quarter of an hour.", ["countdown_timer"], [C("countdown_timer", seconds=900, label=NONE)]),
    ("description", "MIME type for a JPEG image?", ["mime_type"], [C("mime_type", extension=("jpeg", "jpg"))]),
    ("description", "pH of a solution with 0.01 molar hydrogen ions.", ["ph_from_concentration"], [C("ph_from_concentration", concentration=0.01)]),
    ("description", "Spanish podcasts about football, at most 5.", ["podcast_search"], [C("podcast_search", query=("football", "futbol", "fútbol"), language="es", max_results=5)]),
    ("description", "Feed Milo 40 g at 8 in the morning and 6 in the evening.", ["pet_feeder"], [C("pet_feeder", pet="Milo", grams=40, times=["08:00", "18:00"])]),
    # --- no-tool
    ("no-tool", "Write me a haiku about autumn.", ["word_count", "slugify"], []),
    ("no-tool", "Who painted the Mona Lisa?", ["library_hold", "podcast_search"], []),
    ("no-tool", "Book a taxi to the airport.", ["airport_delays", "bike_share"], []),
    ("no-tool", "Turn up the thermostat.", ["set_light", "lock_door"], []),
    # --- other languages
    ("other-language", "Éteins la lumière du salon.", ["set_light", "lock_door"], [C("set_light", room=("salon", "living room"), on=False, brightness=NONE)]),
    ("other-language", "Wie viele Tage liegen zwischen 2025-04-01 und 2025-04-20?", ["days_between", "moon_phase"], [C("days_between", start="2025-04-01", end="2025-04-20")]),
]
# fmt: on


def load() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The functions and the queries (``id``, ``category``, ``query``, ``offered``, ``calls``)."""
    return FUNCTIONS, numbered(FUNCTIONS, QUERIES)
