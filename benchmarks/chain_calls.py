"""Held-out chain set: requests answered by calls that feed one another (find the airport -> its
id -> search flights; geocode -> coordinates -> weather; create a project -> its id -> add a
task), written by hand for this project, never trained or tuned on. Do not generate training
data from these requests or functions, and do not tune on their scores.

The functions (`chain_functions.py`, MCP ``tools/list`` form) are real-API-shaped tools written
here, not taken from the ToolAlpaca public API list or Seal-Tools; most declare an
``outputSchema``, some are plain (a later call takes their whole result). Each request lists
its expected calls in plan order (``C(function, argument=acceptable value or (alternatives))``,
as in ``heldout_calls.py``); an argument that takes an earlier call's output is written
``REF(call index in this list, output field)``, ``REF(i)`` for a plain function's whole
result (`chain_scoring.py` scores them; independent calls may come in any order). An optional
parameter a request does not mention may only be left out, or set to its default
(``DEFAULTS``).

Each request has a wording style (``plain``, ``terse``, ``verbose``, ``situation`` or a
language: ``es``, ``de``, ``fr``) and is offered its gold functions plus near misses from their
domains, 5-6 functions in all (every fifth request: the gold functions only), in a fixed
shuffled order (:func:`offered`). Chain length, fan-in and independent chains are read off the
expected calls (`chain_scoring.depth`, ``fan_in``, ``components``).

The nothing-fits slice (right plan ``[]``) is in `nothing_fits.py`. Run both with
``python benchmarks/chain_bench.py``; load with :func:`load`.
"""

from __future__ import annotations

import random
from typing import Any

from chain_functions import DOMAIN_OF, DOMAINS, FUNCTIONS
from chain_scoring import REF, refs_in
from heldout_calls import NONE, C

from toolrag.types import RESULT

R = REF

DEFAULTS: dict[tuple[str, str], Any] = {
    ("search_flights", "adults"): 1,
    ("search_flights", "cabin"): "economy",
    ("search_hotels", "guests"): (1, 2),
    ("add_to_cart", "quantity"): 1,
    ("current_weather", "units"): "metric",
    ("list_project_tasks", "status"): "open",
    ("checkout", "shipping"): "standard",
    ("route", "mode"): "driving",
    ("create_project", "visibility"): ("private", "team"),
    ("create_playlist", "public"): False,
    ("summarize", "max_sentences"): (),
}
"""Optional parameters whose default may be written out when the request does not say."""

NEIGHBOUR = {
    "travel": "geo",
    "geo": "travel",
    "work": "messaging",
    "messaging": "work",
    "finance": "commerce",
    "commerce": "finance",
    "media": "geo",
    "dev": "geo",
    "plain": "finance",
}
"""Where a request's distractors come from once its own domains run out."""

CONFLICTS = {
    "add_task": {"assign_task"},  # add_task(assignee_id=...) or add_task -> assign_task
    "assign_task": {"add_task"},
    "percentage_of": {"divide", "multiply"},
    "trip_fuel_cost": {"multiply"},
}
"""Functions never offered as distractors beside a gold function (together they would answer
the request another way)."""

D1, D2 = "2026-03-14", "2026-06-09"

# fmt: off
# (style, query, expected calls in plan order)
REQUESTS: list[tuple[str, str, list[dict[str, Any]]]] = [
    # --- travel: airport -> id -> flights, destination -> id -> hotels
    ("plain", "Find the airport ids of New York and London, then search flights between them on 2026-03-14.",
     [C("search_airport", query="New York"), C("search_airport", query="London"), C("search_flights", from_id=R(0, "airport_id"), to_id=R(1, "airport_id"), date=D1)]),
    ("terse", "flights lisbon -> berlin 2026-05-02, 2 adults",
     [C("search_airport", query="Lisbon"), C("search_airport", query="Berlin"), C("search_flights", from_id=R(0, "airport_id"), to_id=R(1, "airport_id"), date="2026-05-02", adults=2)]),
    ("verbose", "I'm planning a trip and need to fly from Madrid to Rome on the 9th of June 2026. Could you look up both airports and then search for business class flights between them?",
     [C("search_airport", query="Madrid"), C("search_airport", query="Rome"), C("search_flights", from_id=R(0, "airport_id"), to_id=R(1, "airport_id"), date=D2, cabin="business")]),
    ("situation", "My sister lives in Toronto and I live in Dublin. I want to fly over to her on 2026-07-20; what flights are there?",
     [C("search_airport", query="Dublin"), C("search_airport", query="Toronto"), C("search_flights", from_id=R(0, "airport_id"), to_id=R(1, "airport_id"), date="2026-07-20")]),
    ("plain", "Search flights from Paris to Tokyo on 2026-04-01 and book the cheapest one for Marie Curie.",
     [C("search_airport", query="Paris"), C("search_airport", query="Tokyo"), C("search_flights", from_id=R(0, "airport_id"), to_id=R(1, "airport_id"), date="2026-04-01"), C("book_flight", flight_id=R(2, "cheapest_flight_id"), passenger_name="Marie Curie")]),
    ("plain", "Book the cheapest flight from Oslo to Athens on 2026-08-15 for Lars Holm, and find a rental car at the Athens airport from 2026-08-15 to 2026-08-22.",
     [C("search_airport", query="Oslo"), C("search_airport", query="Athens"), C("search_flights", from_id=R(0, "airport_id"), to_id=R(1, "airport_id"), date="2026-08-15"), C("book_flight", flight_id=R(2, "cheapest_flight_id"), passenger_name="Lars Holm"), C("search_car_rentals", location_id=R(1, "airport_id"), pickup_date="2026-08-15", dropoff_date="2026-08-22")]),
    ("plain", "Find a hotel in Vienna from 2026-09-10 to 2026-09-13.",
     [C("search_hotel_destination", query="Vienna"), C("search_hotels", dest_id=R(0, "dest_id"), checkin="2026-09-10", checkout="2026-09-13")]),
    ("plain", "Book a hotel near the Sagrada Familia for Ana Ruiz, checking in 2026-10-02 and out 2026-10-05.",
     [C("search_hotel_destination", query="Sagrada Familia"), C("search_hotels", dest_id=R(0, "dest_id"), checkin="2026-10-02", checkout="2026-10-05"), C("book_hotel", hotel_id=R(1, "hotel_id"), checkin="2026-10-02", checkout="2026-10-05", guest_name="Ana Ruiz")]),
    ("es", "Busca vuelos de Ciudad de México a Bogotá para el 2026-11-03.",
     [C("search_airport", query=("Ciudad de México", "Mexico City")), C("search_airport", query=("Bogotá", "Bogota")), C("search_flights", from_id=R(0, "airport_id"), to_id=R(1, "airport_id"), date="2026-11-03")]),
    ("de", "Such mir Hotels in München vom 2026-02-10 bis 2026-02-12 für 2 Personen.",
     [C("search_hotel_destination", query=("München", "Munich")), C("search_hotels", dest_id=R(0, "dest_id"), checkin="2026-02-10", checkout="2026-02-12", guests=2)]),
    ("fr", "Trouve les vols de Lyon à Marrakech le 2026-04-18.",
     [C("search_airport", query="Lyon"), C("search_airport", query="Marrakech"), C("search_flights", from_id=R(0, "airport_id"), to_id=R(1, "airport_id"), date="2026-04-18")]),
    ("plain", "Search flights from Chicago to Denver on 2026-03-03, and find a hotel in Denver from 2026-03-03 to 2026-03-06.",
     [C("search_airport", query="Chicago"), C("search_airport", query="Denver"), C("search_flights", from_id=R(0, "airport_id"), to_id=R(1, "airport_id"), date="2026-03-03"), C("search_hotel_destination", query="Denver"), C("search_hotels", dest_id=R(3, "dest_id"), checkin="2026-03-03", checkout="2026-03-06")]),
    ("plain", "Rent a car at Nice airport from 2026-06-01 to 2026-06-07.",
     [C("search_airport", query=("Nice", "Nice airport")), C("search_car_rentals", location_id=R(0, "airport_id"), pickup_date="2026-06-01", dropoff_date="2026-06-07")]),
    ("terse", "hotel prague 2026-12-28 to 2027-01-02, max 120 a night",
     [C("search_hotel_destination", query="Prague"), C("search_hotels", dest_id=R(0, "dest_id"), checkin="2026-12-28", checkout="2027-01-02", max_price=120)]),
    ("plain", "Search flights from Singapore to Sydney on 2026-01-15 for 3 adults in premium economy.",
     [C("search_airport", query="Singapore"), C("search_airport", query="Sydney"), C("search_flights", from_id=R(0, "airport_id"), to_id=R(1, "airport_id"), date="2026-01-15", adults=3, cabin="premium")]),
    ("plain", "Find a hotel in Kyoto from 2026-04-05 to 2026-04-09, book it for Kenji Sato, then email the confirmation number to kenji@example.jp with the subject 'Kyoto hotel'.",
     [C("search_hotel_destination", query="Kyoto"), C("search_hotels", dest_id=R(0, "dest_id"), checkin="2026-04-05", checkout="2026-04-09"), C("book_hotel", hotel_id=R(1, "hotel_id"), checkin="2026-04-05", checkout="2026-04-09", guest_name="Kenji Sato"), C("send_email", to="kenji@example.jp", subject="Kyoto hotel", body=R(2, "confirmation_number"))]),
    ("plain", "Book the cheapest flight from Helsinki to Reykjavik on 2026-02-20 for Aino Virtanen and text the booking reference to +358401234567.",
     [C("search_airport", query="Helsinki"), C("search_airport", query="Reykjavik"), C("search_flights", from_id=R(0, "airport_id"), to_id=R(1, "airport_id"), date="2026-02-20"), C("book_flight", flight_id=R(2, "cheapest_flight_id"), passenger_name="Aino Virtanen"), C("send_sms", phone_number="+358401234567", message=R(3, "booking_reference"))]),
    ("plain", "Find the airport for Cancún and look for rental cars there from 2026-01-10 to 2026-01-17.",
     [C("search_airport", query=("Cancún", "Cancun")), C("search_car_rentals", location_id=R(0, "airport_id"), pickup_date="2026-01-10", dropoff_date="2026-01-17")]),
    ("de", "Buche den günstigsten Flug von Hamburg nach Wien am 2026-05-11 für Jana Meier.",
     [C("search_airport", query="Hamburg"), C("search_airport", query=("Wien", "Vienna")), C("search_flights", from_id=R(0, "airport_id"), to_id=R(1, "airport_id"), date="2026-05-11"), C("book_flight", flight_id=R(2, "cheapest_flight_id"), passenger_name="Jana Meier")]),
    ("terse", "cheapest flight SFO area -> Seattle 2026-09-01",
     [C("search_airport", query=("SFO", "San Francisco")), C("search_airport", query="Seattle"), C("search_flights", from_id=R(0, "airport_id"), to_id=R(1, "airport_id"), date="2026-09-01")]),
    ("situation", "We're four friends going from Manchester to Barcelona on 2026-05-22 for a stag weekend. What flights can we get?",
     [C("search_airport", query="Manchester"), C("search_airport", query="Barcelona"), C("search_flights", from_id=R(0, "airport_id"), to_id=R(1, "airport_id"), date="2026-05-22", adults=4)]),
    ("fr", "Réserve un hôtel à Montréal du 2026-08-01 au 2026-08-04 pour Julie Tremblay.",
     [C("search_hotel_destination", query=("Montréal", "Montreal")), C("search_hotels", dest_id=R(0, "dest_id"), checkin="2026-08-01", checkout="2026-08-04"), C("book_hotel", hotel_id=R(1, "hotel_id"), checkin="2026-08-01", checkout="2026-08-04", guest_name="Julie Tremblay")]),
    ("verbose", "My parents want to visit the Lake District in the autumn. Could you find where that is for the hotel search and then look for rooms for two people from 2026-10-12 until 2026-10-16?",
     [C("search_hotel_destination", query="Lake District"), C("search_hotels", dest_id=R(0, "dest_id"), checkin="2026-10-12", checkout="2026-10-16", guests=2)]),

    # --- geo: place -> coordinates -> weather, air, route, places
    ("plain", "What's the weather like at the Eiffel Tower right now?",
     [C("geocode", address="Eiffel Tower"), C("current_weather", lat=R(0, "lat"), lon=R(0, "lon"))]),
    ("terse", "weather 221B Baker Street London",
     [C("geocode", address=("221B Baker Street London", "221B Baker Street, London")), C("current_weather", lat=R(0, "lat"), lon=R(0, "lon"))]),
    ("plain", "Give me a 5-day forecast for Banff, Alberta.",
     [C("geocode", address=("Banff, Alberta", "Banff")), C("weather_forecast", lat=R(0, "lat"), lon=R(0, "lon"), days=5)]),
    ("plain", "What time zone is Ulaanbaatar in?",
     [C("geocode", address="Ulaanbaatar"), C("timezone_at", lat=R(0, "lat"), lon=R(0, "lon"))]),
    ("plain", "How's the air quality near Times Square?",
     [C("geocode", address="Times Square"), C("air_quality_at", lat=R(0, "lat"), lon=R(0, "lon"))]),
    ("plain", "How high above sea level is Cusco?",
     [C("geocode", address="Cusco"), C("elevation_at", lat=R(0, "lat"), lon=R(0, "lon"))]),
    ("plain", "How long does it take to drive from the Louvre to the Palace of Versailles?",
     [C("geocode", address="Louvre"), C("geocode", address=("Palace of Versailles", "Versailles")), C("route", origin_lat=R(0, "lat"), origin_lon=R(0, "lon"), dest_lat=R(1, "lat"), dest_lon=R(1, "lon"), mode=(NONE, "driving"))]),
    ("plain", "Walking route from Amsterdam Centraal to the Rijksmuseum.",
     [C("geocode", address="Amsterdam Centraal"), C("geocode", address="Rijksmuseum"), C("route", origin_lat=R(0, "lat"), origin_lon=R(0, "lon"), dest_lat=R(1, "lat"), dest_lon=R(1, "lon"), mode="walking")]),
    ("plain", "Find the nearest pharmacy to 10 Downing Street and give me its phone number.",
     [C("geocode", address="10 Downing Street"), C("nearby_places", lat=R(0, "lat"), lon=R(0, "lon"), category="pharmacy"), C("place_details", place_id=R(1, "place_id"))]),
    ("plain", "Find a cafe near Plaza Mayor in Madrid, get its phone number and text it to +34600111222.",
     [C("geocode", address=("Plaza Mayor, Madrid", "Plaza Mayor in Madrid", "Plaza Mayor Madrid")), C("nearby_places", lat=R(0, "lat"), lon=R(0, "lon"), category="cafe"), C("place_details", place_id=R(1, "place_id")), C("send_sms", phone_number="+34600111222", message=R(2, "phone"))]),
    ("plain", "Which city is at latitude 41.8902, longitude 12.4922, and how many people live there?",
     [C("reverse_geocode", lat=41.8902, lon=12.4922), C("city_population", city=R(0, "city"))]),
    ("plain", "When does the sun set at Uluru on 2026-06-21?",
     [C("geocode", address="Uluru"), C("sunrise_sunset", lat=R(0, "lat"), lon=R(0, "lon"), date="2026-06-21")]),
    ("situation", "I'm standing at the Brandenburg Gate; what's the temperature here right now?",
     [C("geocode", address="Brandenburg Gate"), C("current_weather", lat=R(0, "lat"), lon=R(0, "lon"))]),
    ("de", "Wie ist das Wetter gerade am Kölner Dom?",
     [C("geocode", address=("Kölner Dom", "Cologne Cathedral")), C("current_weather", lat=R(0, "lat"), lon=R(0, "lon"))]),
    ("fr", "Quel temps fait-il en ce moment au Mont Saint-Michel ?",
     [C("geocode", address="Mont Saint-Michel"), C("current_weather", lat=R(0, "lat"), lon=R(0, "lon"))]),
    ("es", "¿Cuál es la farmacia más cercana a la Puerta del Sol? Dame su teléfono.",
     [C("geocode", address="Puerta del Sol"), C("nearby_places", lat=R(0, "lat"), lon=R(0, "lon"), category="pharmacy"), C("place_details", place_id=R(1, "place_id"))]),
    ("plain", "Current weather at the Golden Gate Bridge, and the air quality at Griffith Observatory.",
     [C("geocode", address="Golden Gate Bridge"), C("current_weather", lat=R(0, "lat"), lon=R(0, "lon")), C("geocode", address="Griffith Observatory"), C("air_quality_at", lat=R(2, "lat"), lon=R(2, "lon"))]),
    ("terse", "bike route Tiergarten to Alexanderplatz",
     [C("geocode", address="Tiergarten"), C("geocode", address="Alexanderplatz"), C("route", origin_lat=R(0, "lat"), origin_lon=R(0, "lon"), dest_lat=R(1, "lat"), dest_lon=R(1, "lon"), mode="cycling")]),
    ("plain", "Find a museum within 500 m of the Colosseum.",
     [C("geocode", address="Colosseum"), C("nearby_places", lat=R(0, "lat"), lon=R(0, "lon"), category="museum", radius_m=500)]),
    ("plain", "Find an EV charger near Zurich main station and tell me its opening hours.",
     [C("geocode", address=("Zurich main station", "Zurich HB", "Zürich Hauptbahnhof")), C("nearby_places", lat=R(0, "lat"), lon=R(0, "lon"), category="ev_charger"), C("place_details", place_id=R(1, "place_id"))]),
    ("plain", "What's the weather at Niagara Falls, in imperial units?",
     [C("geocode", address="Niagara Falls"), C("current_weather", lat=R(0, "lat"), lon=R(0, "lon"), units="imperial")]),
    ("verbose", "We are driving up to the Matterhorn and my partner is worried about the altitude. Could you find the coordinates of Zermatt and then check how high it is?",
     [C("geocode", address="Zermatt"), C("elevation_at", lat=R(0, "lat"), lon=R(0, "lon"))]),
    ("plain", "For Reykjavik, get the time zone and a 3-day forecast.",
     [C("geocode", address="Reykjavik"), C("timezone_at", lat=R(0, "lat"), lon=R(0, "lon")), C("weather_forecast", lat=R(0, "lat"), lon=R(0, "lon"), days=3)]),
    ("plain", "Where's the nearest supermarket to the Hotel Adlon in Berlin?",
     [C("geocode", address=("Hotel Adlon, Berlin", "Hotel Adlon Berlin", "Hotel Adlon")), C("nearby_places", lat=R(0, "lat"), lon=R(0, "lon"), category="supermarket")]),
    ("plain", "How long is the drive from the Space Needle to Mount Rainier, and what's the 2-day forecast at Mount Rainier?",
     [C("geocode", address="Space Needle"), C("geocode", address="Mount Rainier"), C("route", origin_lat=R(0, "lat"), origin_lon=R(0, "lon"), dest_lat=R(1, "lat"), dest_lon=R(1, "lon"), mode=(NONE, "driving")), C("weather_forecast", lat=R(1, "lat"), lon=R(1, "lon"), days=2)]),
    ("plain", "Find a restaurant near the Sydney Opera House and text its phone number to +61400000000.",
     [C("geocode", address="Sydney Opera House"), C("nearby_places", lat=R(0, "lat"), lon=R(0, "lon"), category="restaurant"), C("place_details", place_id=R(1, "place_id")), C("send_sms", phone_number="+61400000000", message=R(2, "phone"))]),
    ("es", "Estoy en la Alhambra y quiero saber cómo está la calidad del aire.",
     [C("geocode", address="Alhambra"), C("air_quality_at", lat=R(0, "lat"), lon=R(0, "lon"))]),
    ("terse", "sunrise machu picchu 2026-07-01",
     [C("geocode", address="Machu Picchu"), C("sunrise_sunset", lat=R(0, "lat"), lon=R(0, "lon"), date="2026-07-01")]),
    ("situation", "My car is parked at the Rotterdam Markthal and I need a hospital nearby; how do I reach it?",
     [C("geocode", address=("Rotterdam Markthal", "Markthal, Rotterdam", "Markthal Rotterdam")), C("nearby_places", lat=R(0, "lat"), lon=R(0, "lon"), category="hospital"), C("place_details", place_id=R(1, "place_id"))]),
    ("fr", "Quelle est l'altitude de Chamonix ?",
     [C("geocode", address="Chamonix"), C("elevation_at", lat=R(0, "lat"), lon=R(0, "lon"))]),
    ("de", "In welcher Zeitzone liegt Wladiwostok?",
     [C("geocode", address=("Wladiwostok", "Vladivostok")), C("timezone_at", lat=R(0, "lat"), lon=R(0, "lon"))]),

    # --- work: create/find project -> id -> tasks
    ("plain", "Create a project called Website Redesign and add a task 'Draft sitemap' to it.",
     [C("create_project", name="Website Redesign"), C("add_task", project_id=R(0, "project_id"), title="Draft sitemap")]),
    ("terse", "new project Q3 Audit + task 'Collect invoices' due 2026-07-01",
     [C("create_project", name="Q3 Audit"), C("add_task", project_id=R(0, "project_id"), title="Collect invoices", due_date="2026-07-01")]),
    ("plain", "Add a task 'Fix login bug' to the Mobile App project and assign it to Priya Shah.",
     [C("find_project", name="Mobile App"), C("find_member", query="Priya Shah"), C("add_task", project_id=R(0, "project_id"), title="Fix login bug", assignee_id=R(1, "user_id"))]),
    ("plain", "Create a project 'Onboarding 2026', add the task 'Prepare laptops', and comment 'Order 5 ThinkPads' on that task.",
     [C("create_project", name="Onboarding 2026"), C("add_task", project_id=R(0, "project_id"), title="Prepare laptops"), C("comment_on_task", task_id=R(1, "task_id"), text="Order 5 ThinkPads")]),
    ("plain", "Find the Billing Revamp project and archive it.",
     [C("find_project", name="Billing Revamp"), C("archive_project", project_id=R(0, "project_id"))]),
    ("plain", "How many open tasks does the Data Platform project have?",
     [C("find_project", name="Data Platform"), C("list_project_tasks", project_id=R(0, "project_id"), status=(NONE, "open"))]),
    ("plain", "In the Marketing project, add 'Book venue' with high priority.",
     [C("find_project", name="Marketing"), C("add_task", project_id=R(0, "project_id"), title="Book venue", priority="high")]),
    ("plain", "Schedule 'Design review' on 2026-03-05T14:00 with Tom Lee and Sara Kim.",
     [C("find_member", query="Tom Lee"), C("find_member", query="Sara Kim"), C("create_event", title="Design review", start="2026-03-05T14:00", attendee_ids=([R(0, "user_id"), R(1, "user_id")], [R(1, "user_id"), R(0, "user_id")]))]),
    ("plain", "Add 'Write release notes' to the Toolrag 2.0 project, assigned to alex@corp.io, due 2026-05-30.",
     [C("find_project", name="Toolrag 2.0"), C("find_member", query="alex@corp.io"), C("add_task", project_id=R(0, "project_id"), title="Write release notes", assignee_id=R(1, "user_id"), due_date="2026-05-30")]),
    ("plain", "Take the oldest open task in the Legal project and assign it to Omar Haddad.",
     [C("find_project", name="Legal"), C("list_project_tasks", project_id=R(0, "project_id"), status=(NONE, "open")), C("find_member", query="Omar Haddad"), C("assign_task", task_id=R(1, "oldest_task_id"), user_id=R(2, "user_id"))]),
    ("de", "Leg ein Projekt 'Umzug Berlin' an und füge die Aufgabe 'Kartons kaufen' hinzu.",
     [C("create_project", name="Umzug Berlin"), C("add_task", project_id=R(0, "project_id"), title="Kartons kaufen")]),
    ("fr", "Crée un projet « Salon 2026 » et ajoute-lui la tâche « Réserver le stand ».",
     [C("create_project", name="Salon 2026"), C("add_task", project_id=R(0, "project_id"), title="Réserver le stand")]),
    ("es", "Busca el proyecto Nómina y archívalo.",
     [C("find_project", name="Nómina"), C("archive_project", project_id=R(0, "project_id"))]),
    ("situation", "Our intern Lea Braun starts Monday and I already have a project named Onboarding. Put a task 'Set up accounts' there with Lea as the assignee.",
     [C("find_project", name="Onboarding"), C("find_member", query="Lea Braun"), C("add_task", project_id=R(0, "project_id"), title="Set up accounts", assignee_id=R(1, "user_id"))]),
    ("plain", "Comment 'Blocked by legal' on the oldest open task of the Vendor Portal project.",
     [C("find_project", name="Vendor Portal"), C("list_project_tasks", project_id=R(0, "project_id"), status=(NONE, "open")), C("comment_on_task", task_id=R(1, "oldest_task_id"), text="Blocked by legal")]),
    ("terse", "archive project 'Old Intranet'",
     [C("find_project", name="Old Intranet"), C("archive_project", project_id=R(0, "project_id"))]),
    ("verbose", "I'd like to get the Spring Campaign started properly: please set up a new project with that name, and once it exists, add a task called 'Brief the agency' with urgent priority due on 2026-03-20.",
     [C("create_project", name="Spring Campaign"), C("add_task", project_id=R(0, "project_id"), title="Brief the agency", priority="urgent", due_date="2026-03-20")]),
    ("plain", "Set up a 30-minute meeting 'Budget check' at 2026-04-02T10:30 with dana@corp.io.",
     [C("find_member", query="dana@corp.io"), C("create_event", title="Budget check", start="2026-04-02T10:30", duration_min=30, attendee_ids=[R(0, "user_id")])]),
    ("plain", "Create the project 'Mobile Checkout' and add two tasks to it: 'API spec' and 'UI mockups'.",
     [C("create_project", name="Mobile Checkout"), C("add_task", project_id=R(0, "project_id"), title="API spec"), C("add_task", project_id=R(0, "project_id"), title="UI mockups")]),
    ("plain", "Find the Research project's oldest open task and comment 'Still relevant?' on it, then archive the Old Research project.",
     [C("find_project", name="Research"), C("list_project_tasks", project_id=R(0, "project_id"), status=(NONE, "open")), C("comment_on_task", task_id=R(1, "oldest_task_id"), text="Still relevant?"), C("find_project", name="Old Research"), C("archive_project", project_id=R(3, "project_id"))]),
    ("de", "Füge dem Projekt Vertrieb die Aufgabe 'Angebot schreiben' für Lukas Weber hinzu.",
     [C("find_project", name="Vertrieb"), C("find_member", query="Lukas Weber"), C("add_task", project_id=R(0, "project_id"), title="Angebot schreiben", assignee_id=R(1, "user_id"))]),

    # --- messaging: user/channel/contact -> id -> message
    ("plain", "Send a direct message to Maria Lopez saying 'The report is ready'.",
     [C("lookup_user", name="Maria Lopez"), C("send_direct_message", user_id=R(0, "user_id"), text="The report is ready")]),
    ("terse", "DM @jkowalski: 'standup moved to 10:30'",
     [C("lookup_user", name=("@jkowalski", "jkowalski")), C("send_direct_message", user_id=R(0, "user_id"), text="standup moved to 10:30")]),
    ("plain", "Post 'Deploy finished' in the #releases channel and pin it.",
     [C("find_channel", name="releases"), C("post_message", channel_id=R(0, "channel_id"), text="Deploy finished"), C("pin_message", channel_id=R(0, "channel_id"), message_id=R(1, "message_id"))]),
    ("plain", "Invite Chen Wei to the design-team channel.",
     [C("find_channel", name="design-team"), C("lookup_user", name="Chen Wei"), C("invite_to_channel", channel_id=R(0, "channel_id"), user_id=R(1, "user_id"))]),
    ("plain", "Email Jonas Berg from my contacts with the subject 'Invoice 4471'.",
     [C("search_contacts", query="Jonas Berg"), C("send_email", to=R(0, "email"), subject="Invoice 4471")]),
    ("plain", "Text Grandma's number from my contacts: 'Landing at 6pm'.",
     [C("search_contacts", query="Grandma"), C("send_sms", phone_number=R(0, "phone"), message="Landing at 6pm")]),
    ("plain", "Look up Priya in chat and email her at the address on her profile with the subject 'Lunch Friday?'.",
     [C("lookup_user", name="Priya"), C("send_email", to=R(0, "email"), subject="Lunch Friday?")]),
    ("plain", "DM Ana Souza 'Call me' and post 'Office closed Friday' in #general.",
     [C("lookup_user", name="Ana Souza"), C("send_direct_message", user_id=R(0, "user_id"), text="Call me"), C("find_channel", name="general"), C("post_message", channel_id=R(2, "channel_id"), text="Office closed Friday")]),
    ("es", "Envía un mensaje directo a Lucía Gómez: 'La reunión es a las 3'.",
     [C("lookup_user", name="Lucía Gómez"), C("send_direct_message", user_id=R(0, "user_id"), text="La reunión es a las 3")]),
    ("de", "Schick im Kanal #backend die Nachricht 'Wartung heute 22 Uhr'.",
     [C("find_channel", name="backend"), C("post_message", channel_id=R(0, "channel_id"), text="Wartung heute 22 Uhr")]),
    ("fr", "Envoie un SMS à Claire Martin (cherche son numéro dans mes contacts) : « Je suis en retard ».",
     [C("search_contacts", query="Claire Martin"), C("send_sms", phone_number=R(0, "phone"), message="Je suis en retard")]),
    ("verbose", "Could you please find the channel called incidents, post a message there that says 'Database failover complete', and also add Raj Patel to that channel?",
     [C("find_channel", name="incidents"), C("post_message", channel_id=R(0, "channel_id"), text="Database failover complete"), C("lookup_user", name="Raj Patel"), C("invite_to_channel", channel_id=R(0, "channel_id"), user_id=R(2, "user_id"))]),
    ("terse", "#finance: post 'Q3 numbers are in', pin it",
     [C("find_channel", name="finance"), C("post_message", channel_id=R(0, "channel_id"), text="Q3 numbers are in"), C("pin_message", channel_id=R(0, "channel_id"), message_id=R(1, "message_id"))]),
    ("situation", "I can't remember Olga Petrova's email, but she's in my address book. Send her a mail with the subject 'Contract draft'.",
     [C("search_contacts", query="Olga Petrova"), C("send_email", to=R(0, "email"), subject="Contract draft")]),
    ("plain", "Find Ken Adams in chat and email him at his profile address: subject 'Keys', body 'Left them at reception'.",
     [C("lookup_user", name="Ken Adams"), C("send_email", to=R(0, "email"), subject="Keys", body="Left them at reception")]),
    ("plain", "Add Fatima Zahra and Leo Rossi to the #onboarding channel.",
     [C("find_channel", name="onboarding"), C("lookup_user", name="Fatima Zahra"), C("invite_to_channel", channel_id=R(0, "channel_id"), user_id=R(1, "user_id")), C("lookup_user", name="Leo Rossi"), C("invite_to_channel", channel_id=R(0, "channel_id"), user_id=R(3, "user_id"))]),
    ("fr", "Publie « Livraison terminée » dans le canal #logistique puis épingle ce message.",
     [C("find_channel", name="logistique"), C("post_message", channel_id=R(0, "channel_id"), text="Livraison terminée"), C("pin_message", channel_id=R(0, "channel_id"), message_id=R(1, "message_id"))]),

    # --- finance: company -> ticker -> quote -> currency
    ("plain", "What's Siemens trading at?",
     [C("resolve_ticker", company="Siemens"), C("stock_quote", symbol=R(0, "symbol"))]),
    ("plain", "Get Toyota's share price and convert it to US dollars.",
     [C("resolve_ticker", company="Toyota"), C("stock_quote", symbol=R(0, "symbol")), C("convert_currency", amount=R(1, "price"), from_currency=(R(1, "currency"), R(0, "currency"), "JPY"), to_currency="USD")]),
    ("plain", "Who is the CEO of Nestlé?",
     [C("resolve_ticker", company=("Nestlé", "Nestle")), C("company_profile", symbol=R(0, "symbol"))]),
    ("terse", "nvidia quote in EUR",
     [C("resolve_ticker", company=("nvidia", "NVIDIA Corporation")), C("stock_quote", symbol=R(0, "symbol")), C("convert_currency", amount=R(1, "price"), from_currency=(R(1, "currency"), R(0, "currency"), "USD"), to_currency="EUR")]),
    ("plain", "How many employees does Adobe have?",
     [C("resolve_ticker", company="Adobe"), C("company_profile", symbol=R(0, "symbol"))]),
    ("plain", "What did Ferrari close at on 2025-12-31?",
     [C("resolve_ticker", company="Ferrari"), C("price_on_date", symbol=R(0, "symbol"), date="2025-12-31")]),
    ("plain", "Buy 10 shares of Spotify.",
     [C("resolve_ticker", company="Spotify"), C("place_stock_order", symbol=R(0, "symbol"), quantity=10, side="buy")]),
    ("plain", "Buy 5 shares of ASML and convert the fill price to US dollars.",
     [C("resolve_ticker", company="ASML"), C("place_stock_order", symbol=R(0, "symbol"), quantity=5, side="buy"), C("convert_currency", amount=R(1, "fill_price"), from_currency=(R(0, "currency"), "EUR"), to_currency="USD")]),
    ("plain", "Compare Shell's price today with its close on 2026-01-02.",
     [C("resolve_ticker", company="Shell"), C("stock_quote", symbol=R(0, "symbol")), C("price_on_date", symbol=R(0, "symbol"), date="2026-01-02")]),
    ("plain", "Convert the cash balance of my brokerage account ACC-778 to Swiss francs.",
     [C("account_balance", account_id="ACC-778"), C("convert_currency", amount=R(0, "balance"), from_currency=R(0, "currency"), to_currency="CHF")]),
    ("es", "¿A cuánto cotiza Inditex ahora mismo?",
     [C("resolve_ticker", company="Inditex"), C("stock_quote", symbol=R(0, "symbol"))]),
    ("de", "Wie viele Mitarbeiter hat Volkswagen?",
     [C("resolve_ticker", company="Volkswagen"), C("company_profile", symbol=R(0, "symbol"))]),
    ("fr", "Achète 20 actions de LVMH.",
     [C("resolve_ticker", company="LVMH"), C("place_stock_order", symbol=R(0, "symbol"), quantity=20, side="buy")]),
    ("plain", "Get Samsung's stock price, and sell 3 shares of Sony.",
     [C("resolve_ticker", company="Samsung"), C("stock_quote", symbol=R(0, "symbol")), C("resolve_ticker", company="Sony"), C("place_stock_order", symbol=R(2, "symbol"), quantity=3, side="sell")]),
    ("plain", "Sell 8 shares of Netflix and tell me what the fill price is in euros.",
     [C("resolve_ticker", company="Netflix"), C("place_stock_order", symbol=R(0, "symbol"), quantity=8, side="sell"), C("convert_currency", amount=R(1, "fill_price"), from_currency=(R(0, "currency"), "USD"), to_currency="EUR")]),
    ("situation", "I hold Unilever shares and want to know its market cap before the shareholder meeting.",
     [C("resolve_ticker", company="Unilever"), C("company_profile", symbol=R(0, "symbol"))]),
    ("plain", "What's the GDP of Brazil, and what percentage of it is 50 billion dollars?",
     [C("gdp_usd", country="Brazil", year=NONE), C("percentage_of", part=50000000000, whole=R(0))]),
    ("terse", "microsoft close 2026-02-27",
     [C("resolve_ticker", company="Microsoft"), C("price_on_date", symbol=R(0, "symbol"), date="2026-02-27")]),
    ("plain", "Which sector is Airbus in, and what's its share price?",
     [C("resolve_ticker", company="Airbus"), C("company_profile", symbol=R(0, "symbol")), C("stock_quote", symbol=R(0, "symbol"))]),
    ("verbose", "I'm thinking about trimming my position. Could you look up the ticker for Intel, sell 15 shares of it, and then convert what I got per share into British pounds?",
     [C("resolve_ticker", company="Intel"), C("place_stock_order", symbol=R(0, "symbol"), quantity=15, side="sell"), C("convert_currency", amount=R(1, "fill_price"), from_currency=(R(0, "currency"), "USD"), to_currency="GBP")]),
    ("es", "Convierte el saldo de mi cuenta ACC-1203 a euros.",
     [C("account_balance", account_id="ACC-1203"), C("convert_currency", amount=R(0, "balance"), from_currency=R(0, "currency"), to_currency="EUR")]),

    # --- commerce: product -> cart -> order; customer -> order -> refund
    ("plain", "Find a USB-C hub under 40 and add 2 of them to a cart.",
     [C("search_products", query="USB-C hub", max_price=40), C("add_to_cart", product_id=R(0, "product_id"), quantity=2)]),
    ("plain", "Buy a yoga mat: find one, add it to a cart and check out with express shipping.",
     [C("search_products", query="yoga mat"), C("add_to_cart", product_id=R(0, "product_id")), C("checkout", cart_id=R(1, "cart_id"), shipping="express")]),
    ("plain", "Find a French press, put it in a cart, check out, and track the order.",
     [C("search_products", query="French press"), C("add_to_cart", product_id=R(0, "product_id")), C("checkout", cart_id=R(1, "cart_id")), C("track_order", order_id=R(2, "order_id"))]),
    ("plain", "Order noise cancelling headphones: add the best match to a cart, apply the coupon SAVE10, then check out.",
     [C("search_products", query="noise cancelling headphones"), C("add_to_cart", product_id=R(0, "product_id")), C("apply_coupon", cart_id=R(1, "cart_id"), code="SAVE10"), C("checkout", cart_id=R(1, "cart_id"))]),
    ("plain", "Where is the latest order of kim@shop.com?",
     [C("find_customer", email="kim@shop.com"), C("latest_order", customer_id=R(0, "customer_id")), C("track_order", order_id=R(1, "order_id"))]),
    ("plain", "Refund the most recent order of ben.d@mail.com, reason: damaged.",
     [C("find_customer", email="ben.d@mail.com"), C("latest_order", customer_id=R(0, "customer_id")), C("issue_refund", order_id=R(1, "order_id"), reason="damaged")]),
    ("plain", "Refund 15 dollars on the last order of ana@x.io.",
     [C("find_customer", email="ana@x.io"), C("latest_order", customer_id=R(0, "customer_id")), C("issue_refund", order_id=R(1, "order_id"), amount=15)]),
    ("plain", "How are the reviews for the Kindle Paperwhite?",
     [C("search_products", query="Kindle Paperwhite"), C("product_reviews", product_id=R(0, "product_id"))]),
    ("plain", "How many Lego Millennium Falcon sets are in the north warehouse?",
     [C("search_products", query=("Lego Millennium Falcon", "Lego Millennium Falcon set")), C("stock_level", product_id=R(0, "product_id"), warehouse="north")]),
    ("plain", "Check the reviews for the Instant Pot and track order ORD-5521.",
     [C("search_products", query="Instant Pot"), C("product_reviews", product_id=R(0, "product_id")), C("track_order", order_id="ORD-5521")]),
    ("es", "¿Dónde está el último pedido de luis@correo.es?",
     [C("find_customer", email="luis@correo.es"), C("latest_order", customer_id=R(0, "customer_id")), C("track_order", order_id=R(1, "order_id"))]),
    ("de", "Such einen Wasserkocher und leg ihn in den Warenkorb.",
     [C("search_products", query=("Wasserkocher", "kettle", "electric kettle")), C("add_to_cart", product_id=R(0, "product_id"))]),
    ("fr", "Rembourse la dernière commande de paul@exemple.fr.",
     [C("find_customer", email="paul@exemple.fr"), C("latest_order", customer_id=R(0, "customer_id")), C("issue_refund", order_id=R(1, "order_id"))]),
    ("verbose", "A customer, marta@inbox.com, wrote in saying her last parcel never arrived. Please look her up, find her latest order and refund it in full with the reason 'lost in transit'.",
     [C("find_customer", email="marta@inbox.com"), C("latest_order", customer_id=R(0, "customer_id")), C("issue_refund", order_id=R(1, "order_id"), reason="lost in transit")]),
    ("plain", "Put a screen protector in a new cart, then add a phone case to that same cart.",
     [C("search_products", query="screen protector"), C("add_to_cart", product_id=R(0, "product_id")), C("search_products", query="phone case"), C("add_to_cart", product_id=R(2, "product_id"), cart_id=R(1, "cart_id"))]),
    ("terse", "stock of 'standing desk' in west warehouse",
     [C("search_products", query="standing desk"), C("stock_level", product_id=R(0, "product_id"), warehouse="west")]),
    ("situation", "My running shoes fell apart, so I need new ones under 90. Find a pair and put one in a cart for me.",
     [C("search_products", query=("running shoes",), max_price=90), C("add_to_cart", product_id=R(0, "product_id"), quantity=(NONE, 1))]),
    ("plain", "Find Joe Park's account by joe.park@mail.net and tell me when his latest order will arrive, and how the Dyson V15 is rated.",
     [C("find_customer", email="joe.park@mail.net"), C("latest_order", customer_id=R(0, "customer_id")), C("track_order", order_id=R(1, "order_id")), C("search_products", query="Dyson V15"), C("product_reviews", product_id=R(3, "product_id"))]),
    ("fr", "Trouve une bouilloire à moins de 30 et ajoute-la au panier.",
     [C("search_products", query=("bouilloire", "kettle"), max_price=30), C("add_to_cart", product_id=R(0, "product_id"))]),

    # --- media: artist/film -> id -> tracks, credits, people
    ("plain", "Make a playlist called 'Road Trip' with Fleetwood Mac's top tracks.",
     [C("search_artist", name="Fleetwood Mac"), C("artist_top_tracks", artist_id=R(0, "artist_id")), C("create_playlist", name="Road Trip"), C("add_to_playlist", playlist_id=R(2, "playlist_id"), track_ids=R(1, "track_ids"))]),
    ("plain", "Who directed Parasite (2019)?",
     [C("search_movie", title="Parasite", year=2019), C("movie_credits", movie_id=R(0, "movie_id")), C("person_details", person_id=R(1, "director_id"))]),
    ("plain", "Where was the lead actor of Amélie born?",
     [C("search_movie", title=("Amélie", "Amelie")), C("movie_credits", movie_id=R(0, "movie_id")), C("person_details", person_id=R(1, "lead_actor_id"))]),
    ("plain", "Showtimes for Dune: Part Two near Leicester Square on 2026-03-01.",
     [C("search_movie", title="Dune: Part Two"), C("geocode", address="Leicester Square"), C("showtimes", movie_id=R(0, "movie_id"), lat=R(1, "lat"), lon=R(1, "lon"), date="2026-03-01")]),
    ("plain", "Recommend a film similar to Arrival and tell me about its director.",
     [C("search_movie", title="Arrival"), C("similar_movies", movie_id=R(0, "movie_id")), C("movie_credits", movie_id=R(1, "top_movie_id")), C("person_details", person_id=R(2, "director_id"))]),
    ("terse", "top tracks of Rosalía",
     [C("search_artist", name=("Rosalía", "Rosalia")), C("artist_top_tracks", artist_id=R(0, "artist_id"))]),
    ("plain", "Add Daft Punk's most played track to my playlist PL-2231.",
     [C("search_artist", name="Daft Punk"), C("artist_top_tracks", artist_id=R(0, "artist_id")), C("add_to_playlist", playlist_id="PL-2231", track_ids=[R(1, "top_track_id")])]),
    ("es", "¿Quién dirigió Roma (2018)?",
     [C("search_movie", title="Roma", year=2018), C("movie_credits", movie_id=R(0, "movie_id")), C("person_details", person_id=R(1, "director_id"))]),
    ("de", "Erstelle eine Playlist 'Krautrock' mit den Top-Titeln von Kraftwerk.",
     [C("search_artist", name="Kraftwerk"), C("artist_top_tracks", artist_id=R(0, "artist_id")), C("create_playlist", name="Krautrock"), C("add_to_playlist", playlist_id=R(2, "playlist_id"), track_ids=R(1, "track_ids"))]),
    ("fr", "Où est né le réalisateur de La Haine ?",
     [C("search_movie", title="La Haine"), C("movie_credits", movie_id=R(0, "movie_id")), C("person_details", person_id=R(1, "director_id"))]),
    ("plain", "When is the birthday of the director of Spirited Away?",
     [C("search_movie", title="Spirited Away"), C("movie_credits", movie_id=R(0, "movie_id")), C("person_details", person_id=R(1, "director_id"))]),
    ("plain", "Top tracks of Bad Bunny in the US market, and who directed Coco?",
     [C("search_artist", name="Bad Bunny"), C("artist_top_tracks", artist_id=R(0, "artist_id"), market="US"), C("search_movie", title="Coco"), C("movie_credits", movie_id=R(2, "movie_id")), C("person_details", person_id=R(3, "director_id"))]),
    ("plain", "Find showtimes for Oppenheimer near the Ferry Building in San Francisco.",
     [C("search_movie", title="Oppenheimer"), C("geocode", address=("Ferry Building, San Francisco", "Ferry Building in San Francisco", "Ferry Building San Francisco")), C("showtimes", movie_id=R(0, "movie_id"), lat=R(1, "lat"), lon=R(1, "lon"))]),
    ("situation", "My daughter loved Paddington 2 and wants to see something like it; what's the most similar film?",
     [C("search_movie", title="Paddington 2"), C("similar_movies", movie_id=R(0, "movie_id"))]),
    ("verbose", "For our film club I need a bit of background: please find the movie Whiplash from 2014, get its credits, and then pull up the biography of its lead actor.",
     [C("search_movie", title="Whiplash", year=2014), C("movie_credits", movie_id=R(0, "movie_id")), C("person_details", person_id=R(1, "lead_actor_id"))]),
    ("plain", "Create a public playlist 'Gym' and put ABBA's top tracks in it.",
     [C("search_artist", name="ABBA"), C("artist_top_tracks", artist_id=R(0, "artist_id")), C("create_playlist", name="Gym", public=True), C("add_to_playlist", playlist_id=R(2, "playlist_id"), track_ids=R(1, "track_ids"))]),

    # --- dev and network: repo -> id -> issue/branch; host -> ip -> location
    ("plain", "Open an issue 'Crash on startup' in the toolrag repo.",
     [C("find_repository", name="toolrag"), C("create_issue", repo_id=R(0, "repo_id"), title="Crash on startup")]),
    ("plain", "What is the latest release of the fastapi repository?",
     [C("find_repository", name="fastapi"), C("latest_release", repo_id=R(0, "repo_id"))]),
    ("plain", "Create a branch hotfix-42 in payments-api from its default branch.",
     [C("find_repository", name="payments-api"), C("create_branch", repo_id=R(0, "repo_id"), name="hotfix-42", from_branch=R(0, "default_branch"))]),
    ("plain", "Where is the server behind api.example.com located?",
     [C("resolve_hostname", hostname="api.example.com"), C("ip_location", ip=R(0, "ip_address"))]),
    ("plain", "What's the weather where github.com's server is?",
     [C("resolve_hostname", hostname="github.com"), C("ip_location", ip=R(0, "ip_address")), C("current_weather", lat=R(1, "lat"), lon=R(1, "lon"))]),
    ("plain", "Which time zone is the host mail.example.org in?",
     [C("resolve_hostname", hostname="mail.example.org"), C("ip_location", ip=R(0, "ip_address")), C("timezone_at", lat=R(1, "lat"), lon=R(1, "lon"))]),
    ("terse", "issue in repo dataflow: 'Docs typo in README', label docs",
     [C("find_repository", name="dataflow"), C("create_issue", repo_id=R(0, "repo_id"), title="Docs typo in README", labels=["docs"])]),
    ("de", "Leg im Repository billing-service einen Branch release-3.2 vom Standard-Branch an.",
     [C("find_repository", name="billing-service"), C("create_branch", repo_id=R(0, "repo_id"), name="release-3.2", from_branch=R(0, "default_branch"))]),
    ("fr", "Quelle est la dernière version du dépôt kubernetes ?",
     [C("find_repository", name="kubernetes"), C("latest_release", repo_id=R(0, "repo_id"))]),
    ("es", "¿Dónde está el servidor de www.ejemplo.es?",
     [C("resolve_hostname", hostname="www.ejemplo.es"), C("ip_location", ip=R(0, "ip_address"))]),
    ("plain", "Latest release of numpy and latest release of pandas.",
     [C("find_repository", name="numpy"), C("latest_release", repo_id=R(0, "repo_id")), C("find_repository", name="pandas"), C("latest_release", repo_id=R(2, "repo_id"))]),
    ("plain", "Resolve shop.example.com, locate its IP, find the nearest parking there and give me its opening hours.",
     [C("resolve_hostname", hostname="shop.example.com"), C("ip_location", ip=R(0, "ip_address")), C("nearby_places", lat=R(1, "lat"), lon=R(1, "lon"), category="parking"), C("place_details", place_id=R(2, "place_id"))]),
    ("verbose", "We got a bug report about timeouts. Please find the repository named gateway and open an issue titled 'Timeouts under load' with the body 'Seen at 500 rps' and the label bug.",
     [C("find_repository", name="gateway"), C("create_issue", repo_id=R(0, "repo_id"), title="Timeouts under load", body="Seen at 500 rps", labels=["bug"])]),
    ("plain", "Create a branch 'docs-refresh' off main in the website repo and open an issue 'Refresh docs' there.",
     [C("find_repository", name="website"), C("create_branch", repo_id=R(0, "repo_id"), name="docs-refresh", from_branch="main"), C("create_issue", repo_id=R(0, "repo_id"), title="Refresh docs")]),
    ("situation", "Our status page at status.acme.io is slow for European users; I suspect the server is far away. Where is it hosted?",
     [C("resolve_hostname", hostname="status.acme.io"), C("ip_location", ip=R(0, "ip_address"))]),
    ("terse", "air quality where 203.0.113.7 is",
     [C("ip_location", ip="203.0.113.7"), C("air_quality_at", lat=R(0, "lat"), lon=R(0, "lon"))]),

    # --- plain functions (no output schema): the whole result feeds the next call
    ("plain", "What's the population of the capital of Kenya?",
     [C("country_capital", country="Kenya"), C("city_population", city=R(0))]),
    ("plain", "Current temperature in the capital of Peru, in Fahrenheit.",
     [C("country_capital", country="Peru"), C("city_temperature", city=R(0)), C("celsius_to_fahrenheit", celsius=R(1))]),
    ("plain", "Summarize the page at https://example.org/news/42.",
     [C("fetch_url", url="https://example.org/news/42"), C("summarize", text=R(0))]),
    ("plain", "Summarize https://blog.example.com/post in 3 sentences and translate the summary into German.",
     [C("fetch_url", url="https://blog.example.com/post"), C("summarize", text=R(0), max_sentences=3), C("translate", text=R(1), target_language="German")]),
    ("plain", "How many words are on https://example.com/terms?",
     [C("fetch_url", url="https://example.com/terms"), C("word_count", text=R(0))]),
    ("plain", "How much does the book 'Dune' cost?",
     [C("book_isbn", title="Dune"), C("book_price", isbn=R(0))]),
    ("plain", "What does 'The Hobbit' cost in euros?",
     [C("book_isbn", title="The Hobbit"), C("book_price", isbn=R(0)), C("convert_currency", amount=R(1), from_currency="USD", to_currency="EUR")]),
    ("plain", "What percentage of Canada's population lives in Toronto?",
     [C("city_population", city="Toronto"), C("country_population", country="Canada"), C("percentage_of", part=R(0), whole=R(1))]),
    ("plain", "Fuel cost of driving from Lyon to Marseille at 6.5 litres per 100 km and 1.85 per litre.",
     [C("road_distance_km", origin="Lyon", destination="Marseille"), C("trip_fuel_cost", distance_km=R(0), litres_per_100km=6.5, price_per_litre=1.85)]),
    ("plain", "How many servings of lasagna make up my daily calorie need? I'm 70 kg, 175 cm and 34 years old.",
     [C("daily_calorie_need", weight_kg=70, height_cm=175, age=34), C("recipe_calories", recipe="lasagna"), C("divide", a=R(0), b=R(1))]),
    ("plain", "Shorten the link https://example.com/very/long/path?x=1 and text it to +15551234567.",
     [C("shorten_url", url="https://example.com/very/long/path?x=1"), C("send_sms", phone_number="+15551234567", message=R(0))]),
    ("plain", "GDP of Japan in euros.",
     [C("gdp_usd", country="Japan", year=NONE), C("convert_currency", amount=R(0), from_currency="USD", to_currency="EUR")]),
    ("plain", "What is Chile's GDP per person?",
     [C("gdp_usd", country="Chile", year=NONE), C("country_population", country="Chile"), C("divide", a=R(0), b=R(1))]),
    ("es", "¿Cuántos habitantes tiene la capital de Portugal?",
     [C("country_capital", country="Portugal"), C("city_population", city=R(0))]),
    ("de", "Fasse https://example.de/artikel zusammen und übersetze die Zusammenfassung ins Englische.",
     [C("fetch_url", url="https://example.de/artikel"), C("summarize", text=R(0)), C("translate", text=R(1), target_language=("English", "Englisch"))]),
    ("fr", "Quelle est la température actuelle dans la capitale du Sénégal, en Fahrenheit ?",
     [C("country_capital", country=("Sénégal", "Senegal")), C("city_temperature", city=R(0)), C("celsius_to_fahrenheit", celsius=R(1))]),
    ("plain", "Divide the GDP of Norway by 12.",
     [C("gdp_usd", country="Norway", year=NONE), C("divide", a=R(0), b=12)]),
    ("plain", "Population of the capital of Egypt, and summarize https://example.net/egypt.",
     [C("country_capital", country="Egypt"), C("city_population", city=R(0)), C("fetch_url", url="https://example.net/egypt"), C("summarize", text=R(2))]),
    ("terse", "capital of australia -> temperature",
     [C("country_capital", country="Australia"), C("city_temperature", city=R(0))]),
    ("plain", "Translate the page https://example.jp/about into English.",
     [C("fetch_url", url="https://example.jp/about"), C("translate", text=R(0), target_language="English")]),
    ("terse", "fuel Berlin->Hamburg, 5.8 l/100km, 1.79/l",
     [C("road_distance_km", origin="Berlin", destination="Hamburg"), C("trip_fuel_cost", distance_km=R(0), litres_per_100km=5.8, price_per_litre=1.79)]),
    ("plain", "Email the summary of https://example.com/report to boss@corp.com with the subject 'Report summary'.",
     [C("fetch_url", url="https://example.com/report"), C("summarize", text=R(0)), C("send_email", to="boss@corp.com", subject="Report summary", body=R(1))]),
    ("plain", "Post a short link for https://example.com/launch-event in the #marketing channel.",
     [C("shorten_url", url="https://example.com/launch-event"), C("find_channel", name="marketing"), C("post_message", channel_id=R(1, "channel_id"), text=R(0))]),
    ("situation", "I'm writing a school report on Argentina and need its GDP in 2020 as a share of Brazil's GDP in 2020, in percent.",
     [C("gdp_usd", country="Argentina", year=2020), C("gdp_usd", country="Brazil", year=2020), C("percentage_of", part=R(0), whole=R(1))]),
    ("verbose", "I have a long article at https://news.example.org/climate that I don't have time to read. Could you fetch it, condense it into 2 sentences, and count how many words that summary has?",
     [C("fetch_url", url="https://news.example.org/climate"), C("summarize", text=R(0), max_sentences=2), C("word_count", text=R(1))]),
    ("de", "Wie viel kostet das Buch 'Der Process' in Schweizer Franken?",
     [C("book_isbn", title=("Der Process", "Der Prozess")), C("book_price", isbn=R(0)), C("convert_currency", amount=R(1), from_currency="USD", to_currency="CHF")]),
    ("plain", "Which share of Italy's population lives in its capital?",
     [C("country_capital", country="Italy"), C("city_population", city=R(0)), C("country_population", country="Italy"), C("percentage_of", part=R(1), whole=R(2))]),
    ("terse", "word count of https://example.org/faq translated to Spanish",
     [C("fetch_url", url="https://example.org/faq"), C("translate", text=R(0), target_language=("Spanish", "Español")), C("word_count", text=R(1))]),

    # --- mixed domains
    ("plain", "Send a DM to Ravi Kumar with the short link for https://example.com/q3-deck.",
     [C("shorten_url", url="https://example.com/q3-deck"), C("lookup_user", name="Ravi Kumar"), C("send_direct_message", user_id=R(1, "user_id"), text=R(0))]),
    ("plain", "Text the Acme Corp contact 'Order shipped', and post 'Acme order shipped' in #sales.",
     [C("search_contacts", query=("Acme Corp", "Acme")), C("send_sms", phone_number=R(0, "phone"), message="Order shipped"), C("find_channel", name="sales"), C("post_message", channel_id=R(2, "channel_id"), text="Acme order shipped")]),
    ("plain", "Geocode Lake Como and get the current weather there.",
     [C("geocode", address="Lake Como"), C("current_weather", lat=R(0, "lat"), lon=R(0, "lon"))]),
    ("situation", "I'm flying into Lisbon and want to know how far the airport is from my hotel, the Pestana Palace, by car.",
     [C("geocode", address=("Lisbon airport", "Lisbon Airport", "Humberto Delgado Airport")), C("geocode", address="Pestana Palace"), C("route", origin_lat=R(0, "lat"), origin_lon=R(0, "lon"), dest_lat=R(1, "lat"), dest_lon=R(1, "lon"), mode=(NONE, "driving"))]),
    ("plain", "Create a project for the Lisbon offsite called 'Lisbon Offsite' and add a task 'Book flights'; also DM Nuno Costa 'Project created'.",
     [C("create_project", name="Lisbon Offsite"), C("add_task", project_id=R(0, "project_id"), title="Book flights"), C("lookup_user", name="Nuno Costa"), C("send_direct_message", user_id=R(2, "user_id"), text="Project created")]),
    ("plain", "Open an issue 'Update numpy pin' in the analytics repo, and tell me numpy's latest release.",
     [C("find_repository", name="analytics"), C("create_issue", repo_id=R(0, "repo_id"), title="Update numpy pin"), C("find_repository", name="numpy"), C("latest_release", repo_id=R(2, "repo_id"))]),
    ("es", "Busca el aeropuerto de Santiago de Chile y alquila un coche allí del 2026-02-01 al 2026-02-08.",
     [C("search_airport", query=("Santiago de Chile", "Santiago")), C("search_car_rentals", location_id=R(0, "airport_id"), pickup_date="2026-02-01", dropoff_date="2026-02-08")]),
    ("fr", "Quel est le cours de Danone en dollars américains ?",
     [C("resolve_ticker", company="Danone"), C("stock_quote", symbol=R(0, "symbol")), C("convert_currency", amount=R(1, "price"), from_currency=(R(1, "currency"), R(0, "currency"), "EUR"), to_currency="USD")]),
    ("de", "Finde das nächste Café am Marienplatz in München und nenne mir die Öffnungszeiten.",
     [C("geocode", address=("Marienplatz, München", "Marienplatz in München", "Marienplatz München", "Marienplatz")), C("nearby_places", lat=R(0, "lat"), lon=R(0, "lon"), category="cafe"), C("place_details", place_id=R(1, "place_id"))]),

    # --- four steps
    ("plain", "Find Mia Chen's latest order by her e-mail mia.chen@mail.com, check its shipping status and text the status to +4915112345678.",
     [C("find_customer", email="mia.chen@mail.com"), C("latest_order", customer_id=R(0, "customer_id")), C("track_order", order_id=R(1, "order_id")), C("send_sms", phone_number="+4915112345678", message=R(2, "status"))]),
    ("plain", "Find a museum near the Acropolis and give me a short link to its website.",
     [C("geocode", address="Acropolis"), C("nearby_places", lat=R(0, "lat"), lon=R(0, "lon"), category="museum"), C("place_details", place_id=R(1, "place_id")), C("shorten_url", url=R(2, "website"))]),
    ("plain", "Fetch https://example.com/press, summarize it, translate the summary into French and email it to claire@agence.fr with the subject 'Résumé'.",
     [C("fetch_url", url="https://example.com/press"), C("summarize", text=R(0)), C("translate", text=R(1), target_language=("French", "Français")), C("send_email", to="claire@agence.fr", subject="Résumé", body=R(2))]),
    ("plain", "Where was the lead actor of the film most similar to Inception born?",
     [C("search_movie", title="Inception"), C("similar_movies", movie_id=R(0, "movie_id")), C("movie_credits", movie_id=R(1, "top_movie_id")), C("person_details", person_id=R(2, "lead_actor_id"))]),
    ("plain", "Buy AA batteries: add the best match to a cart, check out with express shipping, and post the order id in #ops.",
     [C("search_products", query="AA batteries"), C("add_to_cart", product_id=R(0, "product_id")), C("checkout", cart_id=R(1, "cart_id"), shipping="express"), C("find_channel", name="ops"), C("post_message", channel_id=R(3, "channel_id"), text=R(2, "order_id"))]),
    ("terse", "capital of Mongolia: temperature in F, text it to +97699112233",
     [C("country_capital", country="Mongolia"), C("city_temperature", city=R(0)), C("celsius_to_fahrenheit", celsius=R(1)), C("send_sms", phone_number="+97699112233", message=R(2))]),
    ("es", "Busca un restaurante cerca del Museo del Prado, consigue su teléfono y envíalo por SMS al +34611222333.",
     [C("geocode", address="Museo del Prado"), C("nearby_places", lat=R(0, "lat"), lon=R(0, "lon"), category="restaurant"), C("place_details", place_id=R(1, "place_id")), C("send_sms", phone_number="+34611222333", message=R(2, "phone"))]),
]
# fmt: on


def offered(k: int, calls: list[dict[str, Any]]) -> list[str]:
    """The functions request ``k`` offers: its gold ones and near misses from their domains
    (then from ``NEIGHBOUR``), 5 or 6 in all (one more than the gold ones when those are 5 or
    more); every fifth request the gold ones only. Shuffled with the request's index as seed."""
    gold = list(dict.fromkeys(c["name"] for c in calls))
    if k % 5 == 4:
        names = gold
    else:
        total = max(len(gold) + 1, 5 + (k % 3 == 0))
        banned = set(gold).union(*(CONFLICTS.get(g, set()) for g in gold))
        domains = list(dict.fromkeys(DOMAIN_OF[g] for g in gold))
        domains += [NEIGHBOUR[d] for d in domains if NEIGHBOUR[d] not in domains]
        names = list(gold)
        for d in domains:
            pool = [f["name"] for f in DOMAINS[d] if f["name"] not in banned]
            shift = k % len(pool) if pool else 0
            for name in pool[shift:] + pool[:shift]:
                if len(names) < total and name not in names:
                    names.append(name)
    random.Random(k).shuffle(names)
    return names


def _complete(call: dict[str, Any], by_name: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """``call`` with every optional parameter it leaves unsaid accepted only when left out (or
    set to its ``DEFAULTS`` value); a required parameter left unsaid is a data error."""
    schema = by_name[call["name"]]["inputSchema"]
    args = dict(call["arguments"])
    unknown = set(args) - set(schema["properties"])
    missing = [p for p in schema["required"] if p not in args]
    if unknown or missing:
        raise ValueError(f"{call['name']}: unknown {sorted(unknown)}, missing {missing}")
    for p in schema["properties"]:
        if p not in args:
            default = DEFAULTS.get((call["name"], p), ())
            args[p] = [NONE, *(default if isinstance(default, tuple) else (default,))]
    return {"name": call["name"], "arguments": args}


def _check_refs(query: str, calls: list[dict[str, Any]], by_name: dict[str, dict]) -> None:
    """Every reference points at an earlier call and at a field that call returns."""
    for j, call in enumerate(calls):
        for ref in refs_in(list(call["arguments"].values())):
            target = by_name[calls[ref.call]["name"]] if ref.call < j else {}
            schema = target.get("outputSchema", {"properties": {RESULT.name: {}}})
            if not target or ref.output not in schema["properties"]:
                raise ValueError(f"{query!r}: call {j} has a bad reference {ref}")


def load() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The functions (MCP tools) and the chain requests (``id``, ``category``, ``style``,
    ``query``, ``offered``, ``calls``); ids ``chain-N``."""
    by_name = {f["name"]: f for f in FUNCTIONS}
    rows = []
    for k, (style, query, calls) in enumerate(REQUESTS):
        full = [_complete(c, by_name) for c in calls]
        _check_refs(query, full, by_name)
        rows.append(
            {
                "id": f"chain-{k}",
                "category": "chain",
                "style": style,
                "query": query,
                "offered": offered(k, calls),
                "calls": full,
            }
        )
    return FUNCTIONS, rows
