"""Held-out function-calling set v2: 90 OpenAI-style functions and 220 queries, written for
this project by hand (not generated, not taken from any benchmark) and never trained or tuned on.

Each query offers its own functions and lists, per expected call, the acceptable values of each
argument (``None`` among them: the argument may be left out). Categories:

- ``single``: one function offered, one call;
- ``multiple``: 2-4 functions offered, near misses among them, one call;
- ``parallel``: one function, several calls;
- ``parallel-multiple``: several functions, several calls;
- ``nested-object``: an argument is an object (or a list of objects) with its own fields;
- ``description``: the right value is what the parameter's description asks for, not the
  query's words ("8 %" -> ``0.08``, "Seattle" -> ``"Seattle, WA"``, "Apple" -> ``"AAPL"``);
- ``no-tool``: nothing offered fits: the right plan is ``[]``;
- ``other-language``: the query is not in English.

The training data generators (`toolrag.trainer.datagen`) build their functions from the
ToolAlpaca public API list and Seal-Tools; no function here is generated from either.
Load with :func:`load` (``benchmarks/function_calls.py --set heldout``).
"""

from __future__ import annotations

from typing import Any

_TYPES = {
    "str": "string",
    "int": "integer",
    "num": "number",
    "bool": "boolean",
    "float": "float",  # Python type names, as some public schemas write them
    "dict": "dict",
}


def _param(spec: str) -> tuple[str, dict[str, Any], bool]:
    """``name*:type:description``; type ``str``/``int``/``num``/``bool``/``float``,
    ``enum(a|b)``, ``list<item>`` (items as before) or ``list[int]``."""
    name, kind, *text = spec.split(":", 2)
    required = name.endswith("*")
    name = name.rstrip("*")
    if kind.startswith("enum("):
        schema: dict[str, Any] = {"type": "string", "enum": kind[5:-1].split("|")}
    elif kind.startswith("list<"):
        inner = kind[5:-1]
        item = (
            {"type": "string", "enum": inner[5:-1].split("|")}
            if inner.startswith("enum(")
            else {"type": _TYPES[inner]}
        )
        schema = {"type": "array", "items": item}
    elif kind.startswith("list["):
        schema = {"type": kind}
    else:
        schema = {"type": _TYPES[kind]}
    if text:
        schema["description"] = text[0]
    return name, schema, required


def F(name: str, description: str, *params: str | tuple[str, dict, bool]) -> dict[str, Any]:
    props, required = {}, []
    for p in params:
        pname, schema, req = _param(p) if isinstance(p, str) else p
        props[pname] = schema
        if req:
            required.append(pname)
    return {
        "type": "function",
        "function": {
            "name": name,
            "description": description,
            "parameters": {"type": "object", "properties": props, "required": required},
        },
    }


def obj(name: str, description: str, fields: list[str], required: bool = True, array=False):
    """An object parameter (``array``: a list of such objects)."""
    props, req = {}, []
    for f in fields:
        fname, schema, freq = _param(f)
        props[fname] = schema
        if freq:
            req.append(fname)
    schema: dict[str, Any] = {"type": "object", "properties": props, "required": req}
    if array:
        schema = {"type": "array", "items": schema}
    return name, schema | {"description": description}, required


# fmt: off
FUNCTIONS = [
    # finance
    F("stock_quote", "Latest trade price of a listed company.", "symbol*:str:Exchange ticker symbol, e.g. MSFT", "currency:enum(USD|EUR|GBP)"),
    F("loan_payment", "Monthly payment of an amortised loan.", "principal*:num:Amount borrowed", "annual_rate*:num:Yearly interest rate as a decimal fraction, e.g. 0.05 for 5%", "years*:int:Term in years"),
    F("apply_discount", "Price after a discount.", "price*:num:Original price", "discount*:num:Discount as a fraction between 0 and 1, e.g. 0.2 for 20% off"),
    F("exchange_rate", "Exchange rate between two currencies.", "base*:str:ISO 4217 code of the currency to convert from, e.g. USD", "quote*:str:ISO 4217 code of the currency to convert to, e.g. JPY"),
    F("sales_tax", "Sales tax due on an amount in a US state.", "amount*:num:Pre-tax amount in dollars", "state*:str:Two-letter US state code, e.g. TX"),
    F("savings_goal", "Months needed to reach a savings goal.", "goal*:num:Target amount", "monthly_deposit*:num:Amount saved each month", "starting_balance:num:Money already saved"),
    F("net_present_value", "Net present value of a series of cash flows.", "rate*:num:Discount rate per period as a fraction, e.g. 0.1", "cash_flows*:list<num>:Cash flow of each period, the first usually negative"),
    F("crypto_price", "Current price of a cryptocurrency.", "coin*:str:Coin symbol, e.g. BTC", "fiat:enum(usd|eur|gbp)"),
    # math and geometry
    F("circle_area", "Area of a circle.", "radius*:num:Radius of the circle", "unit:enum(m|cm|mm|ft|in):Unit of the radius"),
    F("rectangle_area", "Area of a rectangle.", "length*:num:Length", "width*:num:Width"),
    F("triangle_area", "Area of a triangle from its base and height.", "base*:num:Base length", "height*:num:Height"),
    F("cylinder_volume", "Volume of a cylinder.", "radius*:num:Radius of the base", "height*:num:Height"),
    F("hypotenuse", "Length of the hypotenuse of a right triangle.", "a*:num:First leg", "b*:num:Second leg"),
    F("solve_quadratic", "Real roots of ax^2 + bx + c = 0.", "a*:num:Coefficient of x^2", "b*:num:Coefficient of x", "c*:num:Constant term"),
    F("greatest_common_divisor", "Greatest common divisor of two integers.", "x*:int:First integer", "y*:int:Second integer"),
    F("least_common_multiple", "Least common multiple of a list of integers.", "numbers*:list<int>:The integers"),
    F("factorial", "Factorial of a non-negative integer.", "n*:int:The integer"),
    F("is_prime", "Whether an integer is prime.", "number*:int:Integer to test"),
    F("standard_deviation", "Standard deviation of a sample.", "values*:list<num>:The sample", "population:bool:True for the population formula"),
    F("card_probability", "Probability of drawing a card with a property from a deck.", "favorable*:int:Number of cards with the property", "total*:int:Cards in the deck"),
    F("binomial_probability", "Probability of exactly k successes in n independent trials.", "n*:int:Number of trials", "k*:int:Number of successes", "p*:num:Success probability of one trial, between 0 and 1"),
    F("convert_length", "Convert a length between units.", "value*:num:The length", "from_unit*:enum(m|km|mi|ft|in|cm)", "to_unit*:enum(m|km|mi|ft|in|cm)"),
    F("matrix_determinant", "Determinant of a square matrix.", "matrix*:list[list[float]]:Rows of the matrix"),
    # science
    F("molar_mass", "Molar mass of a chemical compound.", "formula*:str:Chemical formula, e.g. H2O"),
    F("element_info", "Properties of a chemical element.", "symbol*:str:Chemical symbol, e.g. Fe"),
    F("radioactive_remaining", "Amount left of a radioactive substance after some time.", "initial_amount*:num:Starting amount", "half_life*:num:Half-life", "elapsed*:num:Time elapsed, in the same unit as the half-life"),
    F("kinetic_energy", "Kinetic energy of a moving body in joules.", "mass_kg*:num:Mass in kilograms", "speed_ms*:num:Speed in metres per second"),
    F("ohms_law_current", "Current through a resistor.", "voltage*:num:Voltage in volts", "resistance*:num:Resistance in ohms"),
    F("planet_facts", "Facts about a planet of the solar system.", "planet*:enum(mercury|venus|earth|mars|jupiter|saturn|uranus|neptune)"),
    F("dna_complement", "Complementary strand of a DNA sequence.", "sequence*:str:DNA bases, e.g. ATGC", "reverse:bool:Also reverse it"),
    # travel and places
    F("find_flights", "Flights between two airports on a day.", "origin*:str:IATA airport code, e.g. JFK", "destination*:str:IATA airport code, e.g. LHR", "date*:str:Departure date as YYYY-MM-DD", "cabin:enum(economy|premium|business|first)"),
    F("hotel_availability", "Hotels with free rooms in a city.", "location*:str:City and state, in the format City, State, e.g. Austin, TX", "check_in*:str:Date as YYYY-MM-DD", "nights*:int:Number of nights"),
    F("driving_route", "Driving directions between two places.", "start*:str:Start address or city", "end*:str:Destination address or city", "avoid:list<enum(highways|tolls|ferries)>:Road types to avoid"),
    F("convert_timezone", "Convert a time from one time zone to another.", "time*:str:Time as HH:MM, 24-hour", "from_zone*:str:IANA time zone name, e.g. America/New_York", "to_zone*:str:IANA time zone name, e.g. Asia/Tokyo"),
    F("local_time", "Current local time in a time zone.", "zone*:str:IANA time zone name, e.g. Europe/Paris"),
    F("geocode_address", "Latitude and longitude of an address.", "address*:str:Full address"),
    F("nearby_places", "Places of a kind near a location.", "location*:str:Address or city", "kind*:enum(restaurant|cafe|pharmacy|atm|gas_station|museum)", "radius_m:int:Search radius in metres"),
    F("visa_requirement", "Whether travellers need a visa.", "passport_country*:str:ISO 3166-1 alpha-2 code of the passport's country, e.g. DE", "destination_country*:str:ISO 3166-1 alpha-2 code, e.g. TH"),
    F("train_timetable", "Train departures between two stations.", "from_station*:str:Departure station", "to_station*:str:Arrival station", "date:str:Date as YYYY-MM-DD"),
    F("ride_estimate", "Price estimate for a ride.", "pickup*:str:Pickup address", "dropoff*:str:Drop-off address", "ride_type:enum(standard|xl|premium)"),
    F("charging_stations", "Electric vehicle chargers near a point.", "latitude*:num", "longitude*:num", "connector:enum(CCS|CHAdeMO|Type2)"),
    # weather
    F("weather_forecast", "Daily weather forecast.", "location*:str:City and state or country, e.g. Denver, CO", "days:int:Number of days, 1 to 14"),
    F("air_quality", "Air quality index of a city.", "city*:str:City name"),
    F("historical_weather", "Weather on a past date.", "location*:str:City name", "date*:str:Date as YYYY-MM-DD"),
    # health
    F("calories_burned", "Calories burned by an activity.", "activity*:enum(running|cycling|swimming|walking|yoga)", "minutes*:int:Duration in minutes", "weight_kg:num:Body weight in kilograms"),
    F("daily_water_intake", "Recommended daily water intake in litres.", "weight_kg*:num:Body weight in kilograms", "activity_level:enum(low|moderate|high)"),
    F("target_heart_rate", "Target heart rate zone for exercise.", "age*:int:Age in years", "intensity*:enum(light|moderate|vigorous)"),
    F("drug_interactions", "Known interactions between medicines.", "drugs*:list<str>:Generic names of the medicines"),
    F("book_appointment", "Book a doctor's appointment.", "specialty*:str:Medical specialty, e.g. dermatology", "date*:str:Date as YYYY-MM-DD", obj("patient", "The patient", ["name*:str", "birth_date*:str:YYYY-MM-DD"])),
    # software and IT
    F("run_sql", "Run a read-only SQL query on the analytics database.", "query*:str:The SQL statement"),
    F("kill_process", "Terminate a running process on Windows.", "image_name*:str:Executable name of the process, e.g. notepad.exe", "force:bool:Force termination"),
    F("ping_host", "Send ICMP echo requests to a host.", "host*:str:Hostname or IP address", "count:int:Number of requests"),
    F("dns_lookup", "DNS records of a domain.", "domain*:str:Domain name", "record_type:enum(A|AAAA|MX|TXT|CNAME)"),
    F("http_request", "Send an HTTP request.", "method*:enum(GET|POST|PUT|DELETE)", "url*:str:Full URL", ("headers", {"type": "object", "description": "Header names mapped to values", "additionalProperties": {"type": "string"}}, False)),
    F("hash_text", "Hash a text.", "text*:str:Text to hash", "algorithm:enum(md5|sha1|sha256)"),
    F("git_commit", "Commit files to the current git repository.", "message*:str:Commit message", "files:list<str>:Paths to commit (default: all staged)"),
    F("start_container", "Start a Docker container.", "image*:str:Image name with tag, e.g. nginx:1.25", "ports:list<str>:Port mappings as host:container, e.g. 8080:80"),
    F("regex_search", "Find matches of a regular expression in a text.", "pattern*:str:The regular expression", "text*:str:Text to search"),
    # productivity and communication
    F("send_sms", "Send a text message.", "phone*:str:Recipient number in E.164 format, e.g. +14155550123", "message*:str:Message text"),
    F("set_reminder", "Set a reminder.", "text*:str:What to be reminded of", "when*:str:Date and time as YYYY-MM-DDTHH:MM"),
    F("create_task", "Add a task to the to-do list.", "title*:str:Task title", "priority:enum(low|medium|high)", "due:str:Due date as YYYY-MM-DD"),
    F("schedule_meeting", "Schedule a meeting.", "title*:str:Meeting title", "attendees*:list<str>:Email addresses of the attendees", obj("slot", "When the meeting takes place", ["start*:str:YYYY-MM-DDTHH:MM", "end*:str:YYYY-MM-DDTHH:MM"])),
    F("translate", "Translate a text.", "text*:str:Text to translate", "target*:str:ISO 639-1 code of the target language, e.g. fr", "source:str:ISO 639-1 code of the source language"),
    F("summarize", "Summarize a text.", "text*:str:Text to summarize", "max_words:int:Length limit"),
    F("spell_check", "Check the spelling of a text.", "text*:str:Text to check", "language:enum(en|de|fr|es)"),
    # music, media and games
    F("scale_notes", "Notes of a musical scale.", "key*:str:Tonic written with # for sharp and b for flat, e.g. F# or Bb", "mode*:enum(major|minor)"),
    F("song_lyrics", "Lyrics of a song.", "title*:str:Song title", "artist:str:Performer"),
    F("movie_details", "Details of a film.", "title*:str:Film title", "year:int:Release year"),
    F("book_recommendations", "Recommend books.", "genre*:enum(fantasy|mystery|romance|science_fiction|history|biography)", "count:int:How many"),
    F("game_score", "Final score of a team's latest game.", "team*:str:Team name", "league*:enum(NBA|NFL|MLB|NHL|EPL)"),
    F("player_season_stats", "A player's statistics for a season.", "player*:str:Player name", "season*:str:Season as YYYY-YY, e.g. 2021-22"),
    F("roll_dice", "Roll dice.", "sides*:int:Faces per die", "count:int:Number of dice"),
    # shopping and delivery
    F("search_products", "Search the shop's catalogue.", "query*:str:What to look for", "max_price:num:Highest price", "category:enum(electronics|books|clothing|home|toys)"),
    F("track_parcel", "Where a parcel is.", "carrier*:enum(UPS|FedEx|USPS|DHL)", "tracking_number*:str"),
    F("shipping_cost", "Cost to ship a parcel.", "weight_g*:int:Parcel weight in grams", "destination*:str:ISO 3166-1 alpha-2 country code, e.g. FR"),
    F("return_order", "Start the return of an order.", "order_id*:str", "reason*:enum(damaged|wrong_item|not_needed|other)"),
    F("place_order", "Order items from the shop.", obj("items", "Items to order", ["sku*:str:Product code", "quantity*:int"], array=True), "express:bool:Express delivery"),
    # property and work
    F("property_listings", "Homes for sale.", "city*:str:City and state, in the format City, State, e.g. Boise, ID", "min_bedrooms:int", "max_price:int:Highest price in dollars"),
    F("salary_after_tax", "Net yearly salary after income tax.", "gross*:num:Gross yearly salary", "country*:str:ISO 3166-1 alpha-2 code, e.g. GB"),
    F("job_search", "Open job positions.", "title*:str:Job title", "location:str:City", "remote:bool:Remote only"),
    # language and learning
    F("define_word", "Dictionary definition of a word.", "word*:str:The word", "language:enum(en|es|fr|de)"),
    F("conjugate_verb", "Conjugation of a verb.", "verb*:str:Infinitive", "tense*:enum(present|past|future)", "language*:enum(spanish|french|german|italian)"),
    F("make_quiz", "Generate a quiz.", "topic*:str:Subject", "questions:int:Number of questions", "difficulty:enum(easy|medium|hard)"),
    # food
    F("find_recipes", "Recipes that use given ingredients.", "ingredients*:list<str>:Ingredients to use", "diet:enum(vegan|vegetarian|keto|gluten_free)", "max_minutes:int:Longest cooking time"),
    F("nutrition_facts", "Nutrition facts of a food.", "food*:str:Food name", "grams:int:Portion in grams"),
    F("restaurant_search", "Restaurants near a place.", "cuisine*:str:Kind of food", "location*:str:City or neighbourhood", "price_level:int:1 (cheap) to 4 (expensive)"),
    # accounts and records
    F("create_user", "Create a user account.", obj("profile", "The user's details", ["name*:str", "email*:str", "age:int"])),
    F("update_shipping_address", "Change an order's delivery address.", "order_id*:str", obj("address", "New address", ["street*:str", "city*:str", "postal_code*:str", "country:str"])),
    F("log_expense", "Record an expense.", "amount*:num", "category*:enum(food|travel|office|software)", obj("merchant", "Who was paid", ["name*:str", "city:str"], required=False)),
    F("add_contact", "Add a contact to the address book.", "name*:str", obj("phones", "Phone numbers", ["label*:enum(home|work|mobile)", "number*:str"], array=True, required=False)),
    F("census_population", "Population of a US state in a census year.", "state*:str:Two-letter US state code, e.g. CA", "year:int:Census year"),
]
# fmt: on

NONE = None  # an argument that may be left out lists None among its values


def C(function: str, /, **args: Any) -> dict[str, Any]:
    """An expected call: each argument's acceptable values (a non-list value is the only one;
    a tuple lists alternatives)."""
    return {
        "name": function,
        "arguments": {k: list(v) if isinstance(v, tuple) else [v] for k, v in args.items()},
    }


# (category, query, offered functions, expected calls)
# fmt: off
QUERIES: list[tuple[str, str, list[str], list[dict[str, Any]]]] = [
    # --- single: one function, one call
    ("single", "What's Microsoft trading at right now?", ["stock_quote"], [C("stock_quote", symbol="MSFT", currency=(None, "USD"))]),
    ("single", "Monthly payment on a 250000 loan over 30 years at 0.065 annual interest?", ["loan_payment"], [C("loan_payment", principal=250000, annual_rate=0.065, years=30)]),
    ("single", "How many months until I have 12000 if I put away 500 a month, starting from 2000?", ["savings_goal"], [C("savings_goal", goal=12000, monthly_deposit=500, starting_balance=2000)]),
    ("single", "Area of a circle with radius 7 cm.", ["circle_area"], [C("circle_area", radius=7, unit=("cm", None))]),
    ("single", "A rectangle is 14 long and 9 wide; what's its area?", ["rectangle_area"], [C("rectangle_area", length=14, width=9)]),
    ("single", "Volume of a cylinder of radius 3 and height 10.", ["cylinder_volume"], [C("cylinder_volume", radius=3, height=10)]),
    ("single", "Legs of 6 and 8: how long is the hypotenuse?", ["hypotenuse"], [C("hypotenuse", a=(6, 8), b=(8, 6))]),
    ("single", "Solve 2x^2 - 4x - 6 = 0.", ["solve_quadratic"], [C("solve_quadratic", a=2, b=-4, c=-6)]),
    ("single", "GCD of 84 and 126?", ["greatest_common_divisor"], [C("greatest_common_divisor", x=(84, 126), y=(126, 84))]),
    ("single", "What is 12 factorial?", ["factorial"], [C("factorial", n=12)]),
    ("single", "Is 7919 a prime number?", ["is_prime"], [C("is_prime", number=7919)]),
    ("single", "Standard deviation of 2, 4, 4, 4, 5, 5, 7 and 9.", ["standard_deviation"], [C("standard_deviation", values=[2, 4, 4, 4, 5, 5, 7, 9], population=(None, False, True))]),
    ("single", "Probability of exactly 3 heads in 10 fair coin flips.", ["binomial_probability"], [C("binomial_probability", n=10, k=3, p=0.5)]),
    ("single", "Convert 26.2 miles to kilometres.", ["convert_length"], [C("convert_length", value=26.2, from_unit="mi", to_unit="km")]),
    ("single", "What's the molar mass of C6H12O6?", ["molar_mass"], [C("molar_mass", formula="C6H12O6")]),
    ("single", "Kinetic energy of a 1200 kg car moving at 25 m/s.", ["kinetic_energy"], [C("kinetic_energy", mass_kg=1200, speed_ms=25)]),
    ("single", "What current flows with 12 volts across 4 ohms?", ["ohms_law_current"], [C("ohms_law_current", voltage=12, resistance=4)]),
    ("single", "Tell me about Saturn.", ["planet_facts"], [C("planet_facts", planet="saturn")]),
    ("single", "Give me the complement of ATTGCAC.", ["dna_complement"], [C("dna_complement", sequence="ATTGCAC", reverse=(None, False))]),
    ("single", "Air quality in Delhi today?", ["air_quality"], [C("air_quality", city="Delhi")]),
    ("single", "How many calories do I burn cycling for 45 minutes?", ["calories_burned"], [C("calories_burned", activity="cycling", minutes=45, weight_kg=None)]),
    ("single", "Check interactions between ibuprofen, warfarin and aspirin.", ["drug_interactions"], [C("drug_interactions", drugs=["ibuprofen", "warfarin", "aspirin"])]),
    ("single", "Ping example.org 4 times.", ["ping_host"], [C("ping_host", host="example.org", count=4)]),
    ("single", "Look up the MX records for proton.me.", ["dns_lookup"], [C("dns_lookup", domain="proton.me", record_type="MX")]),
    ("single", "SHA-256 hash of the text hello world.", ["hash_text"], [C("hash_text", text="hello world", algorithm="sha256")]),
    ("single", "Commit README.md and setup.py with the message 'fix install docs'.", ["git_commit"], [C("git_commit", message="fix install docs", files=(["README.md", "setup.py"], ["setup.py", "README.md"]))]),
    ("single", "Add a high-priority task 'renew passport'.", ["create_task"], [C("create_task", title="renew passport", priority="high", due=None)]),
    ("single", "Summarize this in 50 words: The committee met for three hours and agreed on a new budget.", ["summarize"], [C("summarize", text="The committee met for three hours and agreed on a new budget.", max_words=50)]),
    ("single", "Lyrics of Bohemian Rhapsody by Queen.", ["song_lyrics"], [C("song_lyrics", title="Bohemian Rhapsody", artist=("Queen", None))]),
    ("single", "Details on the movie Arrival from 2016.", ["movie_details"], [C("movie_details", title="Arrival", year=2016)]),
    ("single", "Recommend 5 mystery books.", ["book_recommendations"], [C("book_recommendations", genre="mystery", count=5)]),
    ("single", "How did the Lakers do in their last NBA game?", ["game_score"], [C("game_score", team="Lakers", league="NBA")]),
    ("single", "Roll three twenty-sided dice.", ["roll_dice"], [C("roll_dice", sides=20, count=3)]),
    ("single", "Find headphones under 80 dollars in electronics.", ["search_products"], [C("search_products", query="headphones", max_price=80, category="electronics")]),
    ("single", "Where is my FedEx package 7489203311?", ["track_parcel"], [C("track_parcel", carrier="FedEx", tracking_number="7489203311")]),
    ("single", "Return order A-5531, it arrived damaged.", ["return_order"], [C("return_order", order_id="A-5531", reason="damaged")]),
    ("single", "Find remote data engineer jobs.", ["job_search"], [C("job_search", title="data engineer", location=None, remote=True)]),
    ("single", "Define the word 'serendipity'.", ["define_word"], [C("define_word", word="serendipity", language=(None, "en"))]),
    ("single", "Conjugate the French verb aller in the future tense.", ["conjugate_verb"], [C("conjugate_verb", verb="aller", tense="future", language="french")]),
    ("single", "Make a hard 10-question quiz on the French Revolution.", ["make_quiz"], [C("make_quiz", topic="French Revolution", questions=10, difficulty="hard")]),
    ("single", "Vegan recipes with chickpeas and spinach.", ["find_recipes"], [C("find_recipes", ingredients=(["chickpeas", "spinach"], ["spinach", "chickpeas"]), diet="vegan", max_minutes=None)]),
    ("single", "Nutrition facts for 150 grams of salmon.", ["nutrition_facts"], [C("nutrition_facts", food="salmon", grams=150)]),
    ("single", "Cheap Thai food in Brooklyn, price level 1.", ["restaurant_search"], [C("restaurant_search", cuisine="Thai", location="Brooklyn", price_level=1)]),
    ("single", "Find pharmacies within 500 metres of Union Square.", ["nearby_places"], [C("nearby_places", location="Union Square", kind="pharmacy", radius_m=500)]),
    ("single", "Price of a premium ride from 5 Main St to the airport.", ["ride_estimate"], [C("ride_estimate", pickup="5 Main St", dropoff=("the airport", "airport"), ride_type="premium")]),
    # --- multiple: 2-4 functions, one call
    ("multiple", "Area of a rectangle 12 by 5.", ["triangle_area", "rectangle_area", "circle_area"], [C("rectangle_area", length=(12, 5), width=(5, 12))]),
    ("multiple", "Triangle with base 10 and height 4: area?", ["rectangle_area", "triangle_area"], [C("triangle_area", base=10, height=4)]),
    ("multiple", "Least common multiple of 4, 6 and 10.", ["greatest_common_divisor", "least_common_multiple", "factorial"], [C("least_common_multiple", numbers=[4, 6, 10])]),
    ("multiple", "What are the chances of drawing an ace from a standard 52-card deck?", ["binomial_probability", "card_probability"], [C("card_probability", favorable=4, total=52)]),
    ("multiple", "What time is it in Singapore now?", ["convert_timezone", "local_time", "weather_forecast"], [C("local_time", zone="Asia/Singapore")]),
    ("multiple", "Weather on 2023-07-04 in Boston.", ["weather_forecast", "historical_weather", "air_quality"], [C("historical_weather", location="Boston", date="2023-07-04")]),
    ("multiple", "Forecast for Denver, CO for the next 3 days.", ["historical_weather", "weather_forecast"], [C("weather_forecast", location="Denver, CO", days=3)]),
    ("multiple", "Trains from Paris Gare de Lyon to Lyon Part-Dieu.", ["find_flights", "train_timetable", "ride_estimate"], [C("train_timetable", from_station="Paris Gare de Lyon", to_station="Lyon Part-Dieu", date=None)]),
    ("multiple", "Send an SMS to +447700900123 saying 'running late'.", ["send_sms", "set_reminder"], [C("send_sms", phone="+447700900123", message="running late")]),
    ("multiple", "Kill chrome.exe, forcefully.", ["ping_host", "kill_process", "start_container"], [C("kill_process", image_name="chrome.exe", force=True)]),
    ("multiple", "Start an nginx:1.25 container mapping port 8080 to 80.", ["kill_process", "start_container"], [C("start_container", image="nginx:1.25", ports=["8080:80"])]),
    ("multiple", "Find all email addresses in 'contact a@b.io or c@d.org' with the pattern \\S+@\\S+.", ["regex_search", "hash_text", "spell_check"], [C("regex_search", pattern="\\S+@\\S+", text=("contact a@b.io or c@d.org",))]),
    ("multiple", "Check the spelling of 'recieve the pakage' in English.", ["translate", "spell_check", "define_word"], [C("spell_check", text="recieve the pakage", language=("en", None))]),
    ("multiple", "Notes of the D minor scale.", ["scale_notes", "song_lyrics"], [C("scale_notes", key="D", mode="minor")]),
    ("multiple", "LeBron James's stats for the 2019-20 season.", ["game_score", "player_season_stats"], [C("player_season_stats", player="LeBron James", season="2019-20")]),
    ("multiple", "Shipping cost for a 1500 g parcel to FR.", ["track_parcel", "shipping_cost", "return_order"], [C("shipping_cost", weight_g=1500, destination="FR")]),
    ("multiple", "Three-bedroom homes in Boise, ID under 450000.", ["hotel_availability", "property_listings"], [C("property_listings", city="Boise, ID", min_bedrooms=3, max_price=450000)]),
    ("multiple", "What's my take-home pay on 60000 gross in GB?", ["salary_after_tax", "loan_payment", "sales_tax"], [C("salary_after_tax", gross=60000, country="GB")]),
    ("multiple", "How much water should a 70 kg person with high activity drink a day?", ["calories_burned", "daily_water_intake", "target_heart_rate"], [C("daily_water_intake", weight_kg=70, activity_level="high")]),
    ("multiple", "Target heart rate for a 40 year old doing vigorous exercise.", ["daily_water_intake", "target_heart_rate"], [C("target_heart_rate", age=40, intensity="vigorous")]),
    ("multiple", "Properties of the element Au.", ["molar_mass", "element_info", "planet_facts"], [C("element_info", symbol="Au")]),
    ("multiple", "How much of 80 grams remains after 30 years if the half-life is 10 years?", ["radioactive_remaining", "kinetic_energy"], [C("radioactive_remaining", initial_amount=80, half_life=10, elapsed=30)]),
    ("multiple", "Determinant of the matrix [[1, 2], [3, 4]].", ["matrix_determinant", "standard_deviation", "solve_quadratic"], [C("matrix_determinant", matrix=[[1, 2], [3, 4]])]),
    ("multiple", "Price of ETH in euros.", ["stock_quote", "crypto_price", "exchange_rate"], [C("crypto_price", coin="ETH", fiat="eur")]),
    ("multiple", "Exchange rate from USD to JPY.", ["crypto_price", "exchange_rate"], [C("exchange_rate", base="USD", quote="JPY")]),
    ("multiple", "Run SELECT count(*) FROM orders on the analytics db.", ["run_sql", "http_request"], [C("run_sql", query="SELECT count(*) FROM orders")]),
    ("multiple", "Send a DELETE request to https://api.example.com/items/42.", ["run_sql", "http_request", "ping_host"], [C("http_request", method="DELETE", url="https://api.example.com/items/42", headers=None)]),
    ("multiple", "Remind me to call mom at 2024-05-12T18:00.", ["create_task", "set_reminder", "send_sms"], [C("set_reminder", text=("call mom", "Call mom"), when="2024-05-12T18:00")]),
    ("multiple", "Find Italian restaurants in Soho.", ["nearby_places", "restaurant_search"], [C("restaurant_search", cuisine="Italian", location="Soho", price_level=None)]),
    ("multiple", "Roll one six-sided die.", ["roll_dice", "card_probability"], [C("roll_dice", sides=6, count=(1, None))]),
    ("multiple", "Track USPS parcel 9400111899223856.", ["shipping_cost", "track_parcel"], [C("track_parcel", carrier="USPS", tracking_number="9400111899223856")]),
    ("multiple", "Gas stations near 10 Downing Street.", ["geocode_address", "nearby_places", "driving_route"], [C("nearby_places", location="10 Downing Street", kind="gas_station", radius_m=None)]),
    ("multiple", "Coordinates of 1600 Pennsylvania Avenue, Washington.", ["nearby_places", "geocode_address"], [C("geocode_address", address=("1600 Pennsylvania Avenue, Washington",))]),
    ("multiple", "Recommend two fantasy novels.", ["book_recommendations", "movie_details", "make_quiz"], [C("book_recommendations", genre="fantasy", count=2)]),
    ("multiple", "Population of TX in the 2010 census.", ["census_population", "sales_tax"], [C("census_population", state="TX", year=2010)]),
    ("multiple", "Chargers with a CCS connector near 52.52, 13.40.", ["charging_stations", "nearby_places"], [C("charging_stations", latitude=52.52, longitude=13.40, connector="CCS")]),
    # --- parallel: one function, several calls
    ("parallel", "Areas of circles with radius 5, 10, 15 and 20 m.", ["circle_area"], [C("circle_area", radius=r, unit=("m", None)) for r in (5, 10, 15, 20)]),
    ("parallel", "Quotes for NVDA and AMD.", ["stock_quote"], [C("stock_quote", symbol=s, currency=(None, "USD")) for s in ("NVDA", "AMD")]),
    ("parallel", "Is 97 prime? And 221?", ["is_prime"], [C("is_prime", number=n) for n in (97, 221)]),
    ("parallel", "Factorials of 5, 7 and 9.", ["factorial"], [C("factorial", n=n) for n in (5, 7, 9)]),
    ("parallel", "Air quality in Beijing, Seoul and Lima.", ["air_quality"], [C("air_quality", city=c) for c in ("Beijing", "Seoul", "Lima")]),
    ("parallel", "Define 'ephemeral' and 'ubiquitous'.", ["define_word"], [C("define_word", word=w, language=(None, "en")) for w in ("ephemeral", "ubiquitous")]),
    ("parallel", "Facts on Mars and Jupiter.", ["planet_facts"], [C("planet_facts", planet=p) for p in ("mars", "jupiter")]),
    ("parallel", "Molar masses of NaCl, H2SO4 and CO2.", ["molar_mass"], [C("molar_mass", formula=f) for f in ("NaCl", "H2SO4", "CO2")]),
    ("parallel", "Ping 8.8.8.8 and 1.1.1.1 twice each.", ["ping_host"], [C("ping_host", host=h, count=2) for h in ("8.8.8.8", "1.1.1.1")]),
    ("parallel", "A records for github.com and gitlab.com.", ["dns_lookup"], [C("dns_lookup", domain=d, record_type="A") for d in ("github.com", "gitlab.com")]),
    ("parallel", "Hypotenuse for legs 3 and 4, and for legs 5 and 12.", ["hypotenuse"], [C("hypotenuse", a=(3, 4), b=(4, 3)), C("hypotenuse", a=(5, 12), b=(12, 5))]),
    ("parallel", "Tasks: 'buy milk' low priority and 'file taxes' high priority.", ["create_task"], [C("create_task", title="buy milk", priority="low", due=None), C("create_task", title="file taxes", priority="high", due=None)]),
    ("parallel", "Kinetic energy of a 2 kg ball at 3 m/s and a 5 kg ball at 4 m/s.", ["kinetic_energy"], [C("kinetic_energy", mass_kg=2, speed_ms=3), C("kinetic_energy", mass_kg=5, speed_ms=4)]),
    ("parallel", "Calories for 30 minutes of running and 60 minutes of yoga.", ["calories_burned"], [C("calories_burned", activity="running", minutes=30, weight_kg=None), C("calories_burned", activity="yoga", minutes=60, weight_kg=None)]),
    ("parallel", "Latest scores for the Yankees in MLB and the Rangers in NHL.", ["game_score"], [C("game_score", team="Yankees", league="MLB"), C("game_score", team="Rangers", league="NHL")]),
    ("parallel", "Track UPS 1Z999 and DHL 4401.", ["track_parcel"], [C("track_parcel", carrier="UPS", tracking_number="1Z999"), C("track_parcel", carrier="DHL", tracking_number="4401")]),
    ("parallel", "Nutrition facts for 100 g of rice and 200 g of broccoli.", ["nutrition_facts"], [C("nutrition_facts", food="rice", grams=100), C("nutrition_facts", food="broccoli", grams=200)]),
    ("parallel", "Convert 10 km to miles and 6 ft to cm.", ["convert_length"], [C("convert_length", value=10, from_unit="km", to_unit="mi"), C("convert_length", value=6, from_unit="ft", to_unit="cm")]),
    ("parallel", "Volumes of cylinders 2x5 and 4x8 (radius x height).", ["cylinder_volume"], [C("cylinder_volume", radius=2, height=5), C("cylinder_volume", radius=4, height=8)]),
    ("parallel", "Roll 2 six-sided dice and 1 twelve-sided die.", ["roll_dice"], [C("roll_dice", sides=6, count=2), C("roll_dice", sides=12, count=(1, None))]),
    ("parallel", "Hash 'alpha' with md5 and 'beta' with sha1.", ["hash_text"], [C("hash_text", text="alpha", algorithm="md5"), C("hash_text", text="beta", algorithm="sha1")]),
    ("parallel", "Lyrics for Yesterday and Let It Be by the Beatles.", ["song_lyrics"], [C("song_lyrics", title=t, artist=("the Beatles", "Beatles", None)) for t in ("Yesterday", "Let It Be")]),
    ("parallel", "Movie details for Heat (1995) and Alien (1979).", ["movie_details"], [C("movie_details", title="Heat", year=1995), C("movie_details", title="Alien", year=1979)]),
    ("parallel", "Elements Na, K and Li.", ["element_info"], [C("element_info", symbol=s) for s in ("Na", "K", "Li")]),
    ("parallel", "What would 0.3 and 0.7 success probability give for 2 successes in 5 trials?", ["binomial_probability"], [C("binomial_probability", n=5, k=2, p=p) for p in (0.3, 0.7)]),
    ("parallel", "Summaries under 20 words of 'Rain fell all day in the valley.' and 'The market closed higher on Friday.'", ["summarize"], [C("summarize", text=t, max_words=20) for t in ("Rain fell all day in the valley.", "The market closed higher on Friday.")]),
    ("parallel", "GCD of 12 and 18, then of 35 and 49.", ["greatest_common_divisor"], [C("greatest_common_divisor", x=(12, 18), y=(18, 12)), C("greatest_common_divisor", x=(35, 49), y=(49, 35))]),
    ("parallel", "Exchange rates EUR to GBP and EUR to CHF.", ["exchange_rate"], [C("exchange_rate", base="EUR", quote=q) for q in ("GBP", "CHF")]),
    ("parallel", "Search books under 15 and toys under 30.", ["search_products"], [C("search_products", query=("books",), max_price=15, category=("books", None)), C("search_products", query=("toys",), max_price=30, category=("toys", None))]),
    ("parallel", "Conjugate hablar in the past and in the present, in Spanish.", ["conjugate_verb"], [C("conjugate_verb", verb="hablar", tense=t, language="spanish") for t in ("past", "present")]),
    # --- parallel-multiple: several functions, several calls
    ("parallel-multiple", "Area of a circle of radius 2 and of a rectangle 3 by 4.", ["circle_area", "rectangle_area", "triangle_area"], [C("circle_area", radius=2, unit=None), C("rectangle_area", length=(3, 4), width=(4, 3))]),
    ("parallel-multiple", "Quote for TSLA and the price of BTC in usd.", ["stock_quote", "crypto_price"], [C("stock_quote", symbol="TSLA", currency=(None, "USD")), C("crypto_price", coin="BTC", fiat="usd")]),
    ("parallel-multiple", "Air quality in Madrid and the local time in Europe/Madrid.", ["air_quality", "local_time", "weather_forecast"], [C("air_quality", city="Madrid"), C("local_time", zone="Europe/Madrid")]),
    ("parallel-multiple", "Is 101 prime, and what's 6 factorial?", ["is_prime", "factorial", "least_common_multiple"], [C("is_prime", number=101), C("factorial", n=6)]),
    ("parallel-multiple", "Facts about Venus and the element Hg.", ["planet_facts", "element_info"], [C("planet_facts", planet="venus"), C("element_info", symbol="Hg")]),
    ("parallel-multiple", "Ping db.local 3 times and look up TXT records for db.local.", ["ping_host", "dns_lookup", "http_request"], [C("ping_host", host="db.local", count=3), C("dns_lookup", domain="db.local", record_type="TXT")]),
    ("parallel-multiple", "Text +12025550186 'on my way' and remind me to pack at 2024-06-01T07:30.", ["send_sms", "set_reminder", "create_task"], [C("send_sms", phone="+12025550186", message="on my way"), C("set_reminder", text="pack", when="2024-06-01T07:30")]),
    ("parallel-multiple", "Definition of 'quorum' and a medium 5-question quiz on civics.", ["define_word", "make_quiz"], [C("define_word", word="quorum", language=(None, "en")), C("make_quiz", topic="civics", questions=5, difficulty="medium")]),
    ("parallel-multiple", "Keto recipes with eggs, and nutrition facts for 50 g of almonds.", ["find_recipes", "nutrition_facts", "restaurant_search"], [C("find_recipes", ingredients=["eggs"], diet="keto", max_minutes=None), C("nutrition_facts", food="almonds", grams=50)]),
    ("parallel-multiple", "Standard deviation of 1, 2, 3 and the LCM of 8 and 12.", ["standard_deviation", "least_common_multiple"], [C("standard_deviation", values=[1, 2, 3], population=(None, False, True)), C("least_common_multiple", numbers=[8, 12])]),
    ("parallel-multiple", "Current through 9 V and 3 ohms, and kinetic energy of 0.5 kg at 10 m/s.", ["ohms_law_current", "kinetic_energy", "molar_mass"], [C("ohms_law_current", voltage=9, resistance=3), C("kinetic_energy", mass_kg=0.5, speed_ms=10)]),
    ("parallel-multiple", "Score of the Celtics' last NBA game and Jayson Tatum's 2022-23 stats.", ["game_score", "player_season_stats"], [C("game_score", team="Celtics", league="NBA"), C("player_season_stats", player="Jayson Tatum", season="2022-23")]),
    ("parallel-multiple", "Roll 4 eight-sided dice and tell me the odds of drawing one of the 13 spades from 52 cards.", ["roll_dice", "card_probability", "binomial_probability"], [C("roll_dice", sides=8, count=4), C("card_probability", favorable=13, total=52)]),
    ("parallel-multiple", "Find jobs for nurse in Leeds and define 'triage'.", ["job_search", "define_word"], [C("job_search", title="nurse", location="Leeds", remote=None), C("define_word", word="triage", language=(None, "en"))]),
    ("parallel-multiple", "Hash 'pw123' with sha256 and search 'pw123' for the pattern [0-9]+.", ["hash_text", "regex_search"], [C("hash_text", text="pw123", algorithm="sha256"), C("regex_search", pattern="[0-9]+", text="pw123")]),
    ("parallel-multiple", "Movie details for Jaws and lyrics of Imagine.", ["movie_details", "song_lyrics", "book_recommendations"], [C("movie_details", title="Jaws", year=None), C("song_lyrics", title="Imagine", artist=None)]),
    ("parallel-multiple", "Return order 8812 as the wrong item and track DHL parcel 5512.", ["return_order", "track_parcel", "shipping_cost"], [C("return_order", order_id="8812", reason="wrong_item"), C("track_parcel", carrier="DHL", tracking_number="5512")]),
    ("parallel-multiple", "Convert 100 m to ft, and the area of a triangle with base 6 and height 7.", ["convert_length", "triangle_area"], [C("convert_length", value=100, from_unit="m", to_unit="ft"), C("triangle_area", base=6, height=7)]),
    ("parallel-multiple", "Calories for 20 minutes of swimming, water intake for 55 kg, and heart rate zone at age 30, light intensity.", ["calories_burned", "daily_water_intake", "target_heart_rate"], [C("calories_burned", activity="swimming", minutes=20, weight_kg=None), C("daily_water_intake", weight_kg=55, activity_level=None), C("target_heart_rate", age=30, intensity="light")]),
    ("parallel-multiple", "Complement of GGCAT and molar mass of NH3.", ["dna_complement", "molar_mass", "element_info"], [C("dna_complement", sequence="GGCAT", reverse=(None, False)), C("molar_mass", formula="NH3")]),
    ("parallel-multiple", "Trains from Bern to Basel and a standard ride from Basel station to Messeplatz.", ["train_timetable", "ride_estimate"], [C("train_timetable", from_station="Bern", to_station="Basel", date=None), C("ride_estimate", pickup="Basel station", dropoff="Messeplatz", ride_type="standard")]),
    ("parallel-multiple", "Commit app.py with message 'v2', then start redis:7 with ports 6379:6379.", ["git_commit", "start_container", "kill_process"], [C("git_commit", message="v2", files=["app.py"]), C("start_container", image="redis:7", ports=["6379:6379"])]),
    ("parallel-multiple", "GCD of 20 and 30 and LCM of 20 and 30.", ["greatest_common_divisor", "least_common_multiple"], [C("greatest_common_divisor", x=(20, 30), y=(30, 20)), C("least_common_multiple", numbers=([20, 30], [30, 20]))]),
    ("parallel-multiple", "Search clothing for 'rain jacket' and recommend 3 biographies.", ["search_products", "book_recommendations"], [C("search_products", query="rain jacket", max_price=None, category="clothing"), C("book_recommendations", genre="biography", count=3)]),
    ("parallel-multiple", "Spell-check 'teh cat' and translate 'the cat' to de.", ["spell_check", "translate", "summarize"], [C("spell_check", text="teh cat", language=(None, "en")), C("translate", text="the cat", target="de", source=(None, "en"))]),
    # --- nested-object: object or list-of-object arguments
    ("nested-object", "Create a user named Ana Silva, email ana@silva.pt, age 34.", ["create_user"], [C("create_user", profile={"name": "Ana Silva", "email": "ana@silva.pt", "age": 34})]),
    ("nested-object", "Sign up Tom Baker with tom@bbc.co.uk.", ["create_user"], [C("create_user", profile={"name": "Tom Baker", "email": "tom@bbc.co.uk"})]),
    ("nested-object", "Ship order 4471 to 12 Elm Street, Springfield, 62704.", ["update_shipping_address"], [C("update_shipping_address", order_id="4471", address=({"street": "12 Elm Street", "city": "Springfield", "postal_code": "62704"}, {"street": "12 Elm Street", "city": "Springfield", "postal_code": "62704", "country": "US"}))]),
    ("nested-object", "Change the address of order Z9 to 3 Rue Cler, Paris 75007, France.", ["update_shipping_address"], [C("update_shipping_address", order_id="Z9", address=({"street": "3 Rue Cler", "city": "Paris", "postal_code": "75007", "country": "France"}, {"street": "3 Rue Cler", "city": "Paris", "postal_code": "75007", "country": "FR"}))]),
    ("nested-object", "Order 2 of SKU A100 and 1 of SKU B200.", ["place_order"], [C("place_order", items=([{"sku": "A100", "quantity": 2}, {"sku": "B200", "quantity": 1}],), express=(None, False))]),
    ("nested-object", "Express order of 5 units of SKU X-7.", ["place_order"], [C("place_order", items=[{"sku": "X-7", "quantity": 5}], express=True)]),
    ("nested-object", "Log a 42.50 food expense at Joe's Diner in Austin.", ["log_expense"], [C("log_expense", amount=42.5, category="food", merchant={"name": "Joe's Diner", "city": "Austin"})]),
    ("nested-object", "Log 19.99 for software paid to JetBrains.", ["log_expense"], [C("log_expense", amount=19.99, category="software", merchant={"name": "JetBrains"})]),
    ("nested-object", "Add contact Priya with mobile 555-0101 and work 555-0199.", ["add_contact"], [C("add_contact", name="Priya", phones=([{"label": "mobile", "number": "555-0101"}, {"label": "work", "number": "555-0199"}],))]),
    ("nested-object", "Add Carlos to my contacts, home number 020 7946 0000.", ["add_contact"], [C("add_contact", name="Carlos", phones=[{"label": "home", "number": "020 7946 0000"}])]),
    ("nested-object", "Book a dermatology appointment on 2024-09-10 for Mia Wong, born 1990-02-14.", ["book_appointment"], [C("book_appointment", specialty="dermatology", date="2024-09-10", patient={"name": "Mia Wong", "birth_date": "1990-02-14"})]),
    ("nested-object", "Cardiology appointment 2024-11-03 for Omar Haddad (born 1975-06-30).", ["book_appointment"], [C("book_appointment", specialty="cardiology", date="2024-11-03", patient={"name": "Omar Haddad", "birth_date": "1975-06-30"})]),
    ("nested-object", "Schedule 'Design review' with kim@acme.com and raj@acme.com from 2024-03-05T10:00 to 2024-03-05T11:00.", ["schedule_meeting"], [C("schedule_meeting", title="Design review", attendees=(["kim@acme.com", "raj@acme.com"], ["raj@acme.com", "kim@acme.com"]), slot={"start": "2024-03-05T10:00", "end": "2024-03-05T11:00"})]),
    ("nested-object", "Set up 'Budget sync' for lee@corp.io on 2024-04-02T15:30 until 2024-04-02T16:00.", ["schedule_meeting"], [C("schedule_meeting", title="Budget sync", attendees=["lee@corp.io"], slot={"start": "2024-04-02T15:30", "end": "2024-04-02T16:00"})]),
    ("nested-object", "POST to https://hooks.example.com/deploy with header X-Token set to abc123.", ["http_request"], [C("http_request", method="POST", url="https://hooks.example.com/deploy", headers={"X-Token": "abc123"})]),
    ("nested-object", "GET https://api.example.com/me with Accept: application/json.", ["http_request"], [C("http_request", method="GET", url="https://api.example.com/me", headers={"Accept": "application/json"})]),
    ("nested-object", "Create an account for Li Wei, li.wei@mail.cn, 27 years old, and order 3 of SKU C3.", ["create_user", "place_order"], [C("create_user", profile={"name": "Li Wei", "email": "li.wei@mail.cn", "age": 27}), C("place_order", items=[{"sku": "C3", "quantity": 3}], express=(None, False))]),
    ("nested-object", "Log 120 travel expense paid to Amtrak in Chicago.", ["log_expense", "create_task"], [C("log_expense", amount=120, category="travel", merchant={"name": "Amtrak", "city": "Chicago"})]),
    ("nested-object", "Order one SKU K1, one SKU K2 and four SKU K3.", ["place_order"], [C("place_order", items=([{"sku": "K1", "quantity": 1}, {"sku": "K2", "quantity": 1}, {"sku": "K3", "quantity": 4}],), express=(None, False))]),
    ("nested-object", "New user: name Jo Park, email jo@park.kr.", ["create_user", "add_contact"], [C("create_user", profile={"name": "Jo Park", "email": "jo@park.kr"})]),
    # --- description: the value is what the description asks for
    ("description", "Monthly payment on 300000 borrowed for 15 years at 4.5% interest.", ["loan_payment"], [C("loan_payment", principal=300000, annual_rate=0.045, years=15)]),
    ("description", "What does a 120 dollar jacket cost with 25% off?", ["apply_discount"], [C("apply_discount", price=120, discount=0.25)]),
    ("description", "Stock price of Apple.", ["stock_quote"], [C("stock_quote", symbol="AAPL", currency=(None, "USD"))]),
    ("description", "How is Amazon's stock doing?", ["stock_quote", "crypto_price"], [C("stock_quote", symbol="AMZN", currency=(None, "USD"))]),
    ("description", "Sales tax on 80 dollars in California.", ["sales_tax"], [C("sales_tax", amount=80, state="CA")]),
    ("description", "Rate from British pounds to US dollars.", ["exchange_rate"], [C("exchange_rate", base="GBP", quote="USD")]),
    ("description", "Hotels in Seattle for 2 nights from 2024-08-15.", ["hotel_availability"], [C("hotel_availability", location="Seattle, WA", check_in="2024-08-15", nights=2)]),
    ("description", "Find hotels in Miami checking in on 2024-12-20 for 5 nights.", ["hotel_availability"], [C("hotel_availability", location="Miami, FL", check_in="2024-12-20", nights=5)]),
    ("description", "Flights from New York JFK to London Heathrow on March 3, 2024.", ["find_flights"], [C("find_flights", origin="JFK", destination="LHR", date="2024-03-03", cabin=None)]),
    ("description", "Business class from San Francisco to Tokyo Haneda on 2024-10-01.", ["find_flights"], [C("find_flights", origin="SFO", destination="HND", date="2024-10-01", cabin="business")]),
    ("description", "What's 9:30 in New York in Tokyo time?", ["convert_timezone"], [C("convert_timezone", time="09:30", from_zone="America/New_York", to_zone="Asia/Tokyo")]),
    ("description", "Convert 16:00 London time to Los Angeles time.", ["convert_timezone"], [C("convert_timezone", time="16:00", from_zone="Europe/London", to_zone="America/Los_Angeles")]),
    ("description", "Current time in Sydney.", ["local_time"], [C("local_time", zone="Australia/Sydney")]),
    ("description", "Do Germans need a visa for Thailand?", ["visa_requirement"], [C("visa_requirement", passport_country="DE", destination_country="TH")]),
    ("description", "Does a Canadian passport holder need a visa for Japan?", ["visa_requirement"], [C("visa_requirement", passport_country="CA", destination_country="JP")]),
    ("description", "Translate 'good morning' into Italian.", ["translate"], [C("translate", text="good morning", target="it", source=(None, "en"))]),
    ("description", "Notes of the C sharp major scale.", ["scale_notes"], [C("scale_notes", key="C#", mode="major")]),
    ("description", "B flat minor scale, please.", ["scale_notes"], [C("scale_notes", key="Bb", mode="minor")]),
    ("description", "Shipping cost of a 2.5 kg parcel to Spain.", ["shipping_cost"], [C("shipping_cost", weight_g=2500, destination="ES")]),
    ("description", "Text 415 555 0123 (a US number) 'dinner at 8'.", ["send_sms"], [C("send_sms", phone="+14155550123", message="dinner at 8")]),
    ("description", "Remind me to submit the report on June 3rd, 2024 at 9am.", ["set_reminder"], [C("set_reminder", text=("submit the report", "Submit the report"), when="2024-06-03T09:00")]),
    ("description", "Close firefox using taskkill.", ["kill_process"], [C("kill_process", image_name="firefox.exe", force=(None, False, True))]),
    ("description", "Population of New York state in the 2020 census.", ["census_population"], [C("census_population", state="NY", year=2020)]),
    ("description", "Take-home pay on a 45000 salary in Ireland.", ["salary_after_tax"], [C("salary_after_tax", gross=45000, country="IE")]),
    ("description", "Weather forecast for Portland, Oregon for a week.", ["weather_forecast"], [C("weather_forecast", location="Portland, OR", days=7)]),
    ("description", "Stats of Stephen Curry in the 2015-2016 season.", ["player_season_stats"], [C("player_season_stats", player="Stephen Curry", season="2015-16")]),
    ("description", "NPV at 8% of -1000, 300, 400 and 500.", ["net_present_value"], [C("net_present_value", rate=0.08, cash_flows=[-1000, 300, 400, 500])]),
    ("description", "Homes for sale in Austin, Texas with at least 2 bedrooms.", ["property_listings"], [C("property_listings", city="Austin, TX", min_bedrooms=2, max_price=None)]),
    # --- no-tool: nothing offered fits
    ("no-tool", "Tell me a joke about penguins.", ["stock_quote"], []),
    ("no-tool", "What's the capital of Australia?", ["circle_area", "factorial"], []),
    ("no-tool", "Write a haiku about autumn.", ["summarize", "spell_check"], []),
    ("no-tool", "How are you today?", ["weather_forecast"], []),
    ("no-tool", "Book me a haircut for Saturday.", ["book_recommendations", "restaurant_search"], []),
    ("no-tool", "Turn off the living room lights.", ["kill_process", "ping_host"], []),
    ("no-tool", "Order a large pepperoni pizza.", ["track_parcel"], []),
    ("no-tool", "What's 2 plus 2?", ["translate"], []),
    ("no-tool", "Play some jazz on the kitchen speaker.", ["song_lyrics", "movie_details"], []),
    ("no-tool", "Who won the 1998 World Cup?", ["game_score"], []),
    ("no-tool", "Explain how photosynthesis works.", ["molar_mass", "element_info"], []),
    ("no-tool", "Cancel my gym membership.", ["return_order"], []),
    ("no-tool", "Thanks, that's all.", ["create_task", "set_reminder"], []),
    ("no-tool", "Recommend a podcast about history.", ["book_recommendations"], []),
    ("no-tool", "Set the oven to 200 degrees.", ["weather_forecast", "convert_length"], []),
    ("no-tool", "What does my horoscope say for Leo?", ["planet_facts"], []),
    ("no-tool", "Compose an email to HR about my leave.", ["send_sms"], []),
    ("no-tool", "How tall is Mount Everest?", ["convert_length", "geocode_address"], []),
    ("no-tool", "Vacuum the bedroom.", ["start_container"], []),
    ("no-tool", "What's your favourite color?", ["hash_text", "regex_search"], []),
    # --- other-language
    ("other-language", "¿Qué tiempo hará en Madrid, España los próximos 5 días?", ["weather_forecast"], [C("weather_forecast", location=("Madrid, España", "Madrid, Spain", "Madrid"), days=5)]),
    ("other-language", "Calcule l'aire d'un cercle de rayon 4.", ["circle_area", "rectangle_area"], [C("circle_area", radius=4, unit=None)]),
    ("other-language", "Wie viel ist 8 Fakultät?", ["factorial", "is_prime"], [C("factorial", n=8)]),
    ("other-language", "Ist 89 eine Primzahl?", ["is_prime"], [C("is_prime", number=89)]),
    ("other-language", "Traduci 'buongiorno' in inglese.", ["translate"], [C("translate", text="buongiorno", target="en", source=(None, "it"))]),
    ("other-language", "Qual é a qualidade do ar em Lisboa?", ["air_quality"], [C("air_quality", city="Lisboa")]),
    ("other-language", "Lance deux dés à six faces.", ["roll_dice"], [C("roll_dice", sides=6, count=2)]),
    ("other-language", "Recomiéndame 3 libros de fantasía.", ["book_recommendations", "movie_details"], [C("book_recommendations", genre="fantasy", count=3)]),
    ("other-language", "Wat is de molaire massa van NaOH?", ["molar_mass"], [C("molar_mass", formula="NaOH")]),
    ("other-language", "Envoie un SMS au +33612345678 : « j'arrive ».", ["send_sms"], [C("send_sms", phone="+33612345678", message="j'arrive")]),
]
# fmt: on


def load() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The functions and the queries (``id``, ``category``, ``query``, ``offered``, ``calls``)."""
    return FUNCTIONS, numbered(FUNCTIONS, QUERIES)


def numbered(
    functions: list[dict[str, Any]], rows: list[tuple[str, str, list[str], list[dict[str, Any]]]]
) -> list[dict[str, Any]]:
    """``rows`` (category, query, offered, calls) as query records with ids numbered per
    category; a function name not in ``functions`` raises :class:`ValueError`."""
    names = {f["function"]["name"] for f in functions}
    counts: dict[str, int] = {}
    queries = []
    for category, query, offered, calls in rows:
        unknown = [n for n in offered + [c["name"] for c in calls] if n not in names]
        if unknown:
            raise ValueError(f"{query!r}: unknown functions {unknown}")
        k = counts[category] = counts.get(category, -1) + 1
        queries.append(
            {
                "id": f"{category}-{k}",
                "category": category,
                "query": query,
                "offered": offered,
                "calls": calls,
            }
        )
    return queries
