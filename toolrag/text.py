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


EXAMPLE_LIST = re.compile(
    r"\((?:e\.\s?g\.?|eg\.?|for example|for instance|such as)\s*[,:]?\s*([^()]+)\)", re.I
)
"""A parenthesised list of examples in a description: ``(e.g., celsius, fahrenheit)``."""


def described_examples(text: str) -> list[str]:
    """The example values a description lists in parentheses, in order, without repeats.

    Example:
        >>> described_examples("The unit (e.g., Celsius, 'Fahrenheit' or kelvin, etc.)")
        ['Celsius', 'Fahrenheit', 'kelvin']
        >>> described_examples("The city (for example Oslo). The date (YYYY-MM-DD)")
        ['Oslo']
    """
    out: list[str] = []
    for m in EXAMPLE_LIST.finditer(text):
        for item in re.split(r",|;|\bor\b", m.group(1)):
            item = re.sub(r"\s*(?:\betc\b\.?|\.\.\.)$", "", item.strip())
            item = item.strip().strip("'\"`").strip()
            if item:
                out.append(item)
    return list(dict.fromkeys(out))
