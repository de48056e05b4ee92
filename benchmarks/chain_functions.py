"""The functions of the held-out chain set (`benchmarks/chain_calls.py`) and of the nothing-fits
slice (`benchmarks/nothing_fits.py`): real-API-shaped tools written by hand for them, in MCP
``tools/list`` form (``name``, ``description``, ``inputSchema``, ``outputSchema``).

Most declare an ``outputSchema`` (the fields a later call can take: an airport's id, a place's
coordinates); the plain ones (``PLAIN``) declare none, so a later call takes their whole result.
The MCP loader reads ``outputSchema`` into ``Tool.outputs``; the OpenAI loader does not (an
OpenAI function entry has no output schema), which is why the set is in MCP form.

None of these functions comes from the ToolAlpaca public API list, Seal-Tools or the training
data generators. Functions are grouped by domain (``DOMAINS``); a request's distractors are
near misses from its own domain first.
"""

from __future__ import annotations

from typing import Any

from heldout_calls import _param  # the same "name*:type:description" shorthand


def T(name: str, description: str, *inputs: str, out: list[str] | None = None) -> dict[str, Any]:
    """An MCP tool: ``inputs`` and ``out`` written as ``heldout_calls`` parameters
    (``name*:type:description``); ``out=None``: no output schema (a plain function)."""

    def schema(specs: list[str] | tuple[str, ...], all_required: bool = False) -> dict[str, Any]:
        props, required = {}, []
        for spec in specs:
            pname, pschema, req = _param(spec)
            props[pname] = pschema
            if req or all_required:
                required.append(pname)
        return {"type": "object", "properties": props, "required": required}

    tool = {"name": name, "description": description, "inputSchema": schema(inputs)}
    if out is not None:
        tool["outputSchema"] = schema(out, all_required=True)
    return tool


DATE = "Date as YYYY-MM-DD"

# fmt: off
TRAVEL = [
    T("search_airport", "Find airports matching a city or airport name; returns the best match's id for flight searches.", "query*:str:City or airport name, e.g. Lisbon",
      out=["airport_id:str:Airport id used by search_flights", "name:str:Airport name", "city:str", "country:str"]),
    T("search_flights", "Search one-way flights between two airports on a day.", "from_id*:str:Origin airport id from search_airport", "to_id*:str:Destination airport id from search_airport", f"date*:str:{DATE}", "adults:int:Number of adult passengers", "cabin:enum(economy|premium|business|first)",
      out=["cheapest_flight_id:str:Id of the cheapest flight found", "cheapest_price:num:Its price", "currency:str", "count:int:Flights found"]),
    T("book_flight", "Book a flight found by search_flights for a passenger.", "flight_id*:str:Flight id", "passenger_name*:str:Full name as on the passport",
      out=["booking_reference:str", "total_price:num"]),
    T("flight_status", "Live status of a flight by its flight number.", "flight_number*:str:Airline flight number, e.g. LH454", f"date:str:{DATE}",
      out=["status:str", "gate:str", "estimated_arrival:str"]),
    T("search_hotel_destination", "Resolve a city, region or landmark to a destination id for hotel searches.", "query*:str:Place name",
      out=["dest_id:str:Destination id for search_hotels", "dest_type:str:city, region or landmark"]),
    T("search_hotels", "Hotels with free rooms at a destination.", "dest_id*:str:Destination id from search_hotel_destination", f"checkin*:str:{DATE}", f"checkout*:str:{DATE}", "guests:int:Number of guests", "max_price:num:Highest price per night",
      out=["hotel_id:str:Id of the best-rated hotel found", "hotel_name:str", "price_per_night:num"]),
    T("book_hotel", "Book a room at a hotel.", "hotel_id*:str:Hotel id from search_hotels", f"checkin*:str:{DATE}", f"checkout*:str:{DATE}", "guest_name*:str:Name of the main guest",
      out=["confirmation_number:str"]),
    T("airport_info", "Details of an airport from its IATA code.", "iata_code*:str:Three-letter IATA code, e.g. MAD",
      out=["name:str", "city:str", "timezone:str"]),
    T("search_car_rentals", "Rental car offers at a pick-up location.", "location_id*:str:Pick-up location id (an airport id works)", f"pickup_date*:str:{DATE}", f"dropoff_date*:str:{DATE}",
      out=["offer_id:str:Id of the cheapest offer", "price:num"]),
]

GEO = [
    T("geocode", "Coordinates of an address or place name.", "address*:str:Address or place name",
      out=["lat:num:Latitude", "lon:num:Longitude", "formatted_address:str"]),
    T("reverse_geocode", "Address at a latitude and longitude.", "lat*:num:Latitude", "lon*:num:Longitude",
      out=["address:str", "city:str", "country_code:str"]),
    T("current_weather", "Current weather at coordinates.", "lat*:num:Latitude", "lon*:num:Longitude", "units:enum(metric|imperial)",
      out=["temperature:num", "condition:str", "humidity:num"]),
    T("weather_forecast", "Daily forecast for the next days at coordinates.", "lat*:num:Latitude", "lon*:num:Longitude", "days:int:Number of days, 1 to 10",
      out=["summary:str", "max_temp:num", "min_temp:num", "rain_chance:num"]),
    T("timezone_at", "Time zone at coordinates.", "lat*:num:Latitude", "lon*:num:Longitude",
      out=["timezone_id:str:IANA name, e.g. Europe/Rome", "utc_offset:str"]),
    T("air_quality_at", "Air quality index at coordinates.", "lat*:num:Latitude", "lon*:num:Longitude",
      out=["aqi:int", "dominant_pollutant:str"]),
    T("elevation_at", "Ground elevation at coordinates.", "lat*:num:Latitude", "lon*:num:Longitude",
      out=["elevation_m:num"]),
    T("route", "Route between two points.", "origin_lat*:num", "origin_lon*:num", "dest_lat*:num", "dest_lon*:num", "mode:enum(driving|walking|cycling|transit)",
      out=["distance_km:num", "duration_min:num"]),
    T("nearby_places", "Places of a category near coordinates, nearest first.", "lat*:num:Latitude", "lon*:num:Longitude", "category*:enum(restaurant|cafe|pharmacy|hospital|museum|parking|ev_charger|supermarket)", "radius_m:int:Search radius in metres",
      out=["place_id:str:Id of the nearest match", "name:str", "distance_m:num"]),
    T("place_details", "Phone, opening hours and rating of a place.", "place_id*:str:Place id from nearby_places",
      out=["name:str", "phone:str", "opening_hours:str", "rating:num", "website:str"]),
    T("sunrise_sunset", "Sunrise and sunset times at coordinates on a day.", "lat*:num", "lon*:num", f"date:str:{DATE}",
      out=["sunrise:str", "sunset:str"]),
]

WORK = [
    T("create_project", "Create a project in the team workspace.", "name*:str:Project name", "description:str", "visibility:enum(private|team|public)",
      out=["project_id:str", "url:str"]),
    T("find_project", "Find an existing project by name.", "name*:str:Project name or part of it",
      out=["project_id:str", "owner_id:str:User id of the owner"]),
    T("add_task", "Add a task to a project.", "project_id*:str:Project id", "title*:str:Task title", "assignee_id:str:User id of the assignee", f"due_date:str:{DATE}", "priority:enum(low|medium|high|urgent)",
      out=["task_id:str"]),
    T("find_member", "Find a workspace member by name or e-mail.", "query*:str:Name or e-mail address",
      out=["user_id:str", "email:str", "display_name:str"]),
    T("assign_task", "Assign an existing task to a member.", "task_id*:str:Task id", "user_id*:str:Member's user id",
      out=["assigned:bool"]),
    T("comment_on_task", "Post a comment on a task.", "task_id*:str:Task id", "text*:str:Comment text",
      out=["comment_id:str"]),
    T("list_project_tasks", "Tasks of a project.", "project_id*:str:Project id", "status:enum(open|done|all)",
      out=["open_count:int", "oldest_task_id:str"]),
    T("archive_project", "Archive a project.", "project_id*:str:Project id",
      out=["archived:bool"]),
    T("create_event", "Create a calendar event.", "title*:str:Event title", "start*:str:Start as YYYY-MM-DDTHH:MM", "duration_min:int", "attendee_ids:list<str>:User ids of the attendees",
      out=["event_id:str", "link:str"]),
]

MESSAGING = [
    T("lookup_user", "Look up a chat user by display name or handle.", "name*:str:Display name or @handle",
      out=["user_id:str", "email:str", "timezone:str"]),
    T("send_direct_message", "Send a direct chat message to a user.", "user_id*:str:User id from lookup_user", "text*:str:Message text",
      out=["message_id:str"]),
    T("find_channel", "Find a chat channel by name.", "name*:str:Channel name without #",
      out=["channel_id:str", "member_count:int"]),
    T("post_message", "Post a message in a chat channel.", "channel_id*:str:Channel id", "text*:str:Message text",
      out=["message_id:str", "permalink:str"]),
    T("pin_message", "Pin a message in its channel.", "channel_id*:str:Channel id", "message_id*:str:Message id",
      out=["pinned:bool"]),
    T("invite_to_channel", "Add a user to a chat channel.", "channel_id*:str:Channel id", "user_id*:str:User id",
      out=["ok:bool"]),
    T("send_email", "Send an e-mail.", "to*:str:Recipient e-mail address", "subject*:str:Subject line", "body:str:Message text",
      out=["message_id:str"]),
    T("search_contacts", "Search the address book.", "query*:str:Name, company or e-mail",
      out=["contact_id:str", "email:str", "phone:str"]),
    T("send_sms", "Send a text message to a phone number.", "phone_number*:str:Number in international format", "message*:str:Text",
      out=["sid:str"]),
    T("set_status", "Set your own chat status.", "text*:str:Status text", "emoji:str",
      out=["ok:bool"]),
]

FINANCE = [
    T("resolve_ticker", "Find the stock ticker symbol of a company.", "company*:str:Company name",
      out=["symbol:str:Ticker symbol", "exchange:str", "currency:str:Currency the stock trades in"]),
    T("stock_quote", "Latest price of a stock.", "symbol*:str:Ticker symbol, e.g. SAP",
      out=["price:num", "currency:str", "change_pct:num"]),
    T("convert_currency", "Convert an amount between currencies at today's rate.", "amount*:num:Amount to convert", "from_currency*:str:ISO 4217 code, e.g. USD", "to_currency*:str:ISO 4217 code, e.g. EUR",
      out=["converted_amount:num", "rate:num"]),
    T("exchange_rate", "Today's exchange rate between two currencies.", "base*:str:ISO 4217 code", "target*:str:ISO 4217 code",
      out=["rate:num"]),
    T("company_profile", "Profile of a listed company.", "symbol*:str:Ticker symbol",
      out=["ceo:str", "sector:str", "employees:int", "market_cap:num"]),
    T("price_on_date", "Closing price of a stock on a past day.", "symbol*:str:Ticker symbol", f"date*:str:{DATE}",
      out=["close:num", "currency:str"]),
    T("place_stock_order", "Place a market order in the brokerage account.", "symbol*:str:Ticker symbol", "quantity*:int:Number of shares", "side*:enum(buy|sell)",
      out=["order_id:str", "fill_price:num"]),
    T("account_balance", "Cash balance of a brokerage account.", "account_id*:str:Account id",
      out=["balance:num", "currency:str"]),
]

COMMERCE = [
    T("search_products", "Search the shop's catalogue.", "query*:str:What to look for", "max_price:num:Highest price",
      out=["product_id:str:Id of the best match", "title:str", "price:num"]),
    T("add_to_cart", "Put a product in a new or existing cart.", "product_id*:str:Product id", "quantity:int", "cart_id:str:Existing cart (a new one if left out)",
      out=["cart_id:str", "subtotal:num"]),
    T("apply_coupon", "Apply a coupon code to a cart.", "cart_id*:str:Cart id", "code*:str:Coupon code",
      out=["new_total:num"]),
    T("checkout", "Place the order for a cart.", "cart_id*:str:Cart id", "shipping:enum(standard|express)",
      out=["order_id:str", "total:num"]),
    T("track_order", "Shipping status of an order.", "order_id*:str:Order id",
      out=["status:str", "eta:str", "carrier:str"]),
    T("find_customer", "Find a customer account by e-mail.", "email*:str:E-mail address",
      out=["customer_id:str", "name:str"]),
    T("latest_order", "A customer's most recent order.", "customer_id*:str:Customer id",
      out=["order_id:str", "total:num", "placed_on:str"]),
    T("issue_refund", "Refund an order, fully or in part.", "order_id*:str:Order id", "amount:num:Amount to refund (all if left out)", "reason:str",
      out=["refund_id:str"]),
    T("product_reviews", "Review summary of a product.", "product_id*:str:Product id",
      out=["average_rating:num", "review_count:int"]),
    T("stock_level", "Units of a product in a warehouse.", "product_id*:str:Product id", "warehouse:enum(north|south|east|west)",
      out=["units:int"]),
]

MEDIA = [
    T("search_artist", "Find a music artist by name.", "name*:str:Artist name",
      out=["artist_id:str", "genres:list<str>"]),
    T("artist_top_tracks", "An artist's most played tracks.", "artist_id*:str:Artist id from search_artist", "market:str:Two-letter country code",
      out=["track_ids:list<str>:Ids of the top tracks", "top_track_id:str"]),
    T("create_playlist", "Create an empty playlist.", "name*:str:Playlist name", "public:bool",
      out=["playlist_id:str"]),
    T("add_to_playlist", "Add tracks to a playlist.", "playlist_id*:str:Playlist id", "track_ids*:list<str>:Track ids",
      out=["snapshot_id:str"]),
    T("search_movie", "Find a film by title.", "title*:str:Film title", "year:int:Release year",
      out=["movie_id:str", "release_year:int"]),
    T("movie_credits", "Director and cast of a film.", "movie_id*:str:Movie id from search_movie",
      out=["director_id:str:Person id of the director", "lead_actor_id:str:Person id of the lead actor"]),
    T("person_details", "Biography of a person in the film database.", "person_id*:str:Person id",
      out=["name:str", "birthday:str", "birthplace:str"]),
    T("showtimes", "Cinema showtimes for a film near coordinates.", "movie_id*:str:Movie id", "lat*:num:Latitude", "lon*:num:Longitude", f"date:str:{DATE}",
      out=["cinema:str", "first_showtime:str"]),
    T("similar_movies", "Films similar to a film.", "movie_id*:str:Movie id",
      out=["movie_ids:list<str>", "top_movie_id:str"]),
]

DEV = [
    T("find_repository", "Find a code repository by name.", "name*:str:Repository name, e.g. toolrag or org/toolrag",
      out=["repo_id:str", "default_branch:str"]),
    T("create_issue", "Open an issue in a repository.", "repo_id*:str:Repository id", "title*:str:Issue title", "body:str", "labels:list<str>",
      out=["issue_number:int", "url:str"]),
    T("latest_release", "Latest release of a repository.", "repo_id*:str:Repository id",
      out=["tag:str", "published_at:str"]),
    T("create_branch", "Create a branch in a repository.", "repo_id*:str:Repository id", "name*:str:New branch name", "from_branch*:str:Branch to start from",
      out=["ref:str"]),
    T("resolve_hostname", "DNS lookup: the IP address of a host name.", "hostname*:str:Host name, e.g. example.com",
      out=["ip_address:str"]),
    T("ip_location", "Approximate location of an IP address.", "ip*:str:IPv4 or IPv6 address",
      out=["lat:num", "lon:num", "city:str", "country_code:str"]),
    T("ssl_certificate", "TLS certificate of a host.", "hostname*:str:Host name",
      out=["issuer:str", "expires_on:str"]),
]

PLAIN = [
    T("country_capital", "The capital city of a country.", "country*:str:Country name"),
    T("country_population", "Population of a country.", "country*:str:Country name"),
    T("city_population", "Population of a city.", "city*:str:City name"),
    T("percentage_of", "What percentage part is of whole.", "part*:num", "whole*:num"),
    T("celsius_to_fahrenheit", "Convert degrees Celsius to Fahrenheit.", "celsius*:num:Degrees Celsius"),
    T("city_temperature", "Current temperature of a city in degrees Celsius.", "city*:str:City name"),
    T("fetch_url", "Download a web page and return its text.", "url*:str:Full URL"),
    T("summarize", "Summarise a text in a few sentences.", "text*:str:Text to summarise", "max_sentences:int"),
    T("translate", "Translate text into a language.", "text*:str:Text", "target_language*:str:Language name, e.g. German"),
    T("word_count", "Number of words in a text.", "text*:str:Text"),
    T("book_isbn", "ISBN of a book from its title.", "title*:str:Book title"),
    T("book_price", "Current price of a book in US dollars.", "isbn*:str:ISBN"),
    T("recipe_calories", "Calories per serving of a recipe.", "recipe*:str:Recipe name"),
    T("daily_calorie_need", "Daily calorie need of a person.", "weight_kg*:num", "height_cm*:num", "age*:int"),
    T("multiply", "Multiply two numbers.", "a*:num", "b*:num"),
    T("divide", "Divide a by b.", "a*:num:Dividend", "b*:num:Divisor"),
    T("road_distance_km", "Road distance between two cities in kilometres.", "origin*:str:City", "destination*:str:City"),
    T("trip_fuel_cost", "Fuel cost of a drive.", "distance_km*:num", "litres_per_100km*:num", "price_per_litre*:num"),
    T("shorten_url", "Make a short link for a URL.", "url*:str:Full URL"),
    T("gdp_usd", "Gross domestic product of a country in US dollars.", "country*:str:Country name", "year:int"),
]

# Functions only the nothing-fits slice offers (near misses of what its requests ask for).
EXTRA = [
    T("final_price", "Price after a discount and sales tax.", "price*:num:Original price", "discount_pct*:num", "tax_pct*:num",
      out=["final_price:num"]),
    T("definite_integral", "Definite integral of a polynomial given by its coefficients.", "coefficients*:list<num>:Highest power first", "lower*:num", "upper*:num",
      out=["value:num"]),
    T("str_to_int", "Parse a string of digits into an integer.", "value*:str:Digits"),
    T("loan_payment", "Monthly payment of a loan.", "principal*:num", "annual_rate_pct*:num", "years*:int",
      out=["monthly_payment:num"]),
    T("bmi", "Body mass index.", "weight_kg*:num", "height_cm*:num",
      out=["bmi:num", "category:str"]),
    T("set_alarm", "Set an alarm on the phone.", "time*:str:HH:MM, 24-hour", "label:str",
      out=["alarm_id:str"]),
    T("play_song", "Play a song on the speaker.", "title*:str", "artist:str",
      out=["ok:bool"]),
    T("turn_on_lights", "Switch on the lights in a room.", "room*:str", "brightness_pct:int",
      out=["ok:bool"]),
    T("order_food", "Order a dish from a delivery restaurant.", "restaurant*:str", "dish*:str", "quantity:int",
      out=["order_id:str", "eta_min:int"]),
    T("tip_amount", "Tip on a bill.", "bill*:num", "tip_pct*:num",
      out=["tip:num", "total:num"]),
]
# fmt: on

DOMAINS: dict[str, list[dict[str, Any]]] = {
    "travel": TRAVEL,
    "geo": GEO,
    "work": WORK,
    "messaging": MESSAGING,
    "finance": FINANCE,
    "commerce": COMMERCE,
    "media": MEDIA,
    "dev": DEV,
    "plain": PLAIN,
    "extra": EXTRA,
}
FUNCTIONS = [f for group in DOMAINS.values() for f in group]
DOMAIN_OF = {f["name"]: d for d, group in DOMAINS.items() for f in group}
