"""Text helpers every stage shares; standard library only, so that the planner's light import
path (no PyTorch, no index) can use them."""

from __future__ import annotations

import re

CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
"""Where a camelCase or PascalCase identifier changes words (``getHTAReport``: get|HTA|Report)."""


def split_identifier(name: str) -> str:
    """``getWeatherForecast`` / ``get_weather_forecast`` -> ``get weather forecast``.

    Example:
        >>> split_identifier("getHTAReport"), split_identifier("due-date_v2")
        ('get hta report', 'due date v2')
    """
    return " ".join(CAMEL.sub(" ", name).replace("_", " ").replace("-", " ").split()).lower()
