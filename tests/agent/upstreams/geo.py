"""A stdio MCP server of places and weather, written as the SDK's examples write one (MCPServer,
one decorated function per tool, typed results that become outputSchemas). Values are made up
but deterministic, so tests can check them.

Besides its 16 tools it has levers for the gateway's tests: ``fail_on_purpose`` (an upstream
error), ``crash_server`` (the process dies), ``slow_echo`` (a time-out) and ``add_tide_tool``
(a new tool, announced with notifications/tools/list_changed).

Run: ``python tests/agent/upstreams/geo.py`` (stdio).
"""

from __future__ import annotations

import os
import zlib

import anyio
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import BaseModel

mcp = MCPServer("geo")

CITIES = {
    "oslo": (59.91, 10.75, "Norway"),
    "paris": (48.86, 2.35, "France"),
    "lisbon": (38.72, -9.14, "Portugal"),
    "tokyo": (35.68, 139.69, "Japan"),
    "nairobi": (-1.29, 36.82, "Kenya"),
}


def _seed(*parts: object) -> int:
    return zlib.crc32(repr(parts).encode())


class Coordinates(BaseModel):
    lat: float
    lon: float
    country: str


class Forecast(BaseModel):
    temperature: float
    conditions: str
    days: int


class AirQuality(BaseModel):
    aqi: int
    category: str


class SunTimes(BaseModel):
    sunrise: str
    sunset: str


class Zone(BaseModel):
    timezone: str
    utc_offset: int


class Distance(BaseModel):
    km: float


class Elevation(BaseModel):
    meters: int


class Tide(BaseModel):
    high: str
    low: str


@mcp.tool()
def geocode(city: str) -> Coordinates:
    """Find the latitude and longitude of a city by its name."""
    lat, lon, country = CITIES.get(city.strip().lower(), (10.0, 20.0, "Unknown"))
    return Coordinates(lat=lat, lon=lon, country=country)


@mcp.tool()
def get_forecast(lat: float, lon: float, days: int = 1) -> Forecast:
    """Weather forecast (temperature in Celsius and sky conditions) at a latitude and longitude."""
    s = _seed(round(lat, 2), round(lon, 2))
    return Forecast(
        temperature=round(lat / 4 + s % 7, 1),
        conditions=["sunny", "cloudy", "rain"][s % 3],
        days=days,
    )


@mcp.tool()
def air_quality(lat: float, lon: float) -> AirQuality:
    """Air quality index and pollution category at a latitude and longitude."""
    aqi = _seed("aqi", lat, lon) % 150
    return AirQuality(aqi=aqi, category="good" if aqi < 50 else "moderate" if aqi < 100 else "poor")


@mcp.tool()
def sunrise_sunset(lat: float, lon: float, date: str = "today") -> SunTimes:
    """Sunrise and sunset times at a latitude and longitude on a date."""
    return SunTimes(sunrise="06:4" + str(_seed(lat) % 10), sunset="19:1" + str(_seed(lon) % 10))


@mcp.tool()
def timezone_at(lat: float, lon: float) -> Zone:
    """The time zone and UTC offset in hours at a latitude and longitude."""
    offset = round(lon / 15)
    return Zone(timezone=f"UTC{offset:+d}", utc_offset=offset)


@mcp.tool()
def elevation_at(lat: float, lon: float) -> Elevation:
    """Ground elevation above sea level, in meters, at a latitude and longitude."""
    return Elevation(meters=_seed("elev", lat, lon) % 2500)


@mcp.tool()
def distance_between(city_a: str, city_b: str) -> Distance:
    """Great-circle distance in kilometers between two cities."""
    return Distance(km=float(_seed(*sorted([city_a.lower(), city_b.lower()])) % 9000 + 100))


@mcp.tool()
def uv_index(lat: float, lon: float) -> AirQuality:
    """Ultraviolet (UV) radiation index of the sun at a latitude and longitude."""
    uv = _seed("uv", lat, lon) % 11
    return AirQuality(aqi=uv, category="high" if uv > 6 else "low")


@mcp.tool()
def pollen_count(lat: float, lon: float) -> AirQuality:
    """Pollen count for allergy sufferers at a latitude and longitude."""
    return AirQuality(aqi=_seed("pollen", lat, lon) % 12, category="pollen")


@mcp.tool()
def earthquake_risk(lat: float, lon: float) -> AirQuality:
    """Seismic earthquake risk level of a place at a latitude and longitude."""
    return AirQuality(aqi=_seed("quake", lat, lon) % 5, category="seismic")


@mcp.tool()
def country_of(lat: float, lon: float) -> Coordinates:
    """Reverse geocoding: the country at a latitude and longitude."""
    for clat, clon, country in CITIES.values():
        if abs(clat - lat) < 1 and abs(clon - lon) < 1:
            return Coordinates(lat=lat, lon=lon, country=country)
    return Coordinates(lat=lat, lon=lon, country="Unknown")


@mcp.tool()
def marine_forecast(lat: float, lon: float) -> Forecast:
    """Wave height and wind forecast at sea for sailors at a latitude and longitude."""
    return Forecast(temperature=12.0, conditions="swell 2 m", days=1)


@mcp.tool()
def fail_on_purpose(reason: str = "asked to") -> Distance:
    """A tool that always fails (for the gateway's tests)."""
    raise ToolError(f"geo failed on purpose: {reason}")


@mcp.tool()
def crash_server() -> Distance:
    """Kill this server process at once (for the gateway's tests)."""
    os._exit(3)


@mcp.tool()
async def slow_echo(text: str, seconds: float = 5.0) -> Zone:
    """Answer after a delay (for the gateway's time-out tests)."""
    await anyio.sleep(seconds)
    return Zone(timezone=text, utc_offset=0)


@mcp.tool()
async def add_tide_tool(ctx: Context) -> Distance:
    """Add the tide_times tool and tell clients the tool list changed (for the gateway's tests)."""

    def tide_times(lat: float, lon: float) -> Tide:
        """High and low tide times on the coast at a latitude and longitude."""
        return Tide(high="04:12", low="10:25")

    mcp.add_tool(tide_times)
    await ctx.session.send_tool_list_changed()
    return Distance(km=0.0)


if __name__ == "__main__":
    mcp.run("stdio")
