"""A Streamable HTTP MCP server of shop tools: 16 tools listed in pages of 5, on the SDK's
low-level Server (:mod:`_table`). When ``SHOP_KEY`` is set, every request must carry the
header ``X-Shop-Key: <that value>`` (the gateway sends the config's headers).

Run: ``python tests/agent/upstreams/shop.py --port 8765`` (serves http://127.0.0.1:8765/mcp).
"""

from __future__ import annotations

import argparse
import os

import uvicorn
from _table import table_server, tool

S, N, F, B = "str", "int", "float", "bool"
RATES = {"USD": 1.0, "EUR": 0.9, "GBP": 0.8, "JPY": 150.0}


def convert(args: dict) -> dict:
    rate = RATES.get(args["to_currency"], 1.0) / RATES.get(args["from_currency"], 1.0)
    return {"amount": round(float(args["amount"]) * rate, 2)}


def find(args: dict) -> dict:
    return {
        "product_id": "P-" + str(len(args["query"])),
        "name": args["query"].title(),
        "price": 19.5,
    }


ROWS = [
    tool(
        "search_products",
        "Search the shop's catalog for a product",
        {"query": (S, "What to look for")},
        {
            "product_id": (S, "Best match's id"),
            "name": (S, "Its name"),
            "price": (F, "Its price in USD"),
        },
        find,
    ),
    tool(
        "product_details",
        "Details of a product: name, price and stock",
        {"product_id": (S, "The product's id")},
        {"name": (S, "Name"), "price": (F, "Price in USD"), "stock": (N, "Units in stock")},
    ),
    tool(
        "add_to_cart",
        "Put a product in the shopping cart",
        {"product_id": (S, "The product's id"), "quantity": (N, "How many")},
        {"cart_total": (F, "Cart total in USD")},
    ),
    tool(
        "view_cart",
        "Show the shopping cart",
        {},
        {"items": (N, "Items in the cart"), "total": (F, "Total in USD")},
    ),
    tool(
        "checkout",
        "Pay for the cart and place the order",
        {"address": (S, "Delivery address")},
        {"order_id": (S, "The order's id")},
    ),
    tool(
        "track_order",
        "Track the delivery status of an order",
        {"order_id": (S, "The order's id")},
        {"status": (S, "Where it is"), "eta": (S, "Expected delivery day")},
    ),
    tool(
        "cancel_order",
        "Cancel an order",
        {"order_id": (S, "The order's id")},
        {"cancelled": (B, "Whether it was cancelled")},
    ),
    tool(
        "convert_price",
        "Convert an amount of money from one currency to another",
        {
            "amount": (F, "Amount"),
            "from_currency": (S, "Currency code, e.g. USD"),
            "to_currency": (S, "Currency code, e.g. EUR"),
        },
        {"amount": (F, "The converted amount")},
        convert,
    ),
    tool(
        "apply_coupon",
        "Apply a discount coupon code to the cart",
        {"code": (S, "Coupon code")},
        {"discount": (F, "Discount in USD")},
    ),
    tool(
        "product_reviews",
        "Customer reviews and star rating of a product",
        {"product_id": (S, "The product's id")},
        {"rating": (F, "Average stars"), "count": (N, "Number of reviews")},
    ),
    tool(
        "compare_prices",
        "Compare a product's price across other stores",
        {"product_id": (S, "The product's id")},
        {"lowest": (F, "Lowest price found")},
    ),
    tool(
        "shipping_cost",
        "Shipping cost of a parcel to an address",
        {"address": (S, "Delivery address"), "weight_kg": (F, "Parcel weight in kg")},
        {"cost": (F, "Cost in USD")},
    ),
    tool(
        "return_item",
        "Return an item from an order for a refund",
        {"order_id": (S, "The order's id"), "reason": (S, "Why")},
        {"return_id": (S, "The return's id")},
    ),
    tool(
        "gift_wrap",
        "Gift-wrap an order",
        {"order_id": (S, "The order's id")},
        {"wrapped": (B, "Whether it will be wrapped")},
    ),
    tool(
        "store_hours",
        "Opening hours of the shop's store in a city",
        {"city": (S, "City")},
        {"opens": (S, "Opening time"), "closes": (S, "Closing time")},
    ),
    tool(
        "loyalty_points",
        "A customer's loyalty points balance",
        {"customer_email": (S, "The customer's email")},
        {"points": (N, "Points")},
    ),
]

server = table_server("shop", ROWS, page_size=5)


class KeyCheck:
    """401 unless the request carries X-Shop-Key equal to $SHOP_KEY (when that is set)."""

    def __init__(self, app, key: str | None) -> None:
        self.app, self.key = app, key

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and self.key is not None:
            given = dict(scope.get("headers") or []).get(b"x-shop-key", b"").decode()
            if given != self.key:
                await send({"type": "http.response.start", "status": 401, "headers": []})
                await send({"type": "http.response.body", "body": b"missing X-Shop-Key"})
                return
        await self.app(scope, receive, send)


def app():
    return KeyCheck(server.streamable_http_app(), os.environ.get("SHOP_KEY"))


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=8765)
    port = ap.parse_args().port
    uvicorn.run(app(), host="127.0.0.1", port=port, log_level="warning")
