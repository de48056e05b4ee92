"""Text helpers every stage shares; standard library only, so that the planner's light import
path (no PyTorch, no index) can use them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

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


_HELD = (
    r"found|obtained|mentioned|returned|retrieved|given|provided|received|available|contained|"
    r"listed"
)
OUTPUT_MENTION = re.compile(
    rf"\b((?:[\w-]+\s+){{0,3}}(?!(?:{_HELD}|that|which|is|was|are|were)\b)[\w-]+)\s+"
    rf"(?:(?:that|which)\s+(?:is|was|are|were)\s+)?(?:(?:{_HELD})\s+)?(?:in|from)\s+"
    r"(?:the\s+)?(?:response\s+of\s+the\s+)?(?:previous|first|last|earlier|above|prior|"
    r"preceding)\s+(?:[\w-]+\s+){0,2}?(?:call|response|step|request|operation|query|result)s?\b",
    re.I,
)
"""A value the text says an earlier call's output holds: "the resource ID obtained from the
previous API call", "a location found in the previous API response", "the ID from previous
API call". Group 1: up to four words before the pointer, the value's name last. "The same
location" is not one: in dev.jsonl such a value is as often the earlier literal again."""


@dataclass(frozen=True)
class OutputMention:
    """Where :data:`OUTPUT_MENTION` matched in a text, and the lower-case words naming the value
    (the last one is the value's own noun)."""

    start: int
    end: int
    words: tuple[str, ...]


def output_mentions(text: str) -> list[OutputMention]:
    """Every value ``text`` says an earlier call's output holds, in order.

    Example:
        >>> [m.words for m in output_mentions(
        ...     "Get the inventory. Then get the resource ID obtained from the previous API call.")]
        [('get', 'the', 'resource', 'id')]
    """
    return [
        OutputMention(m.start(), m.end(), tuple(m.group(1).lower().split()))
        for m in OUTPUT_MENTION.finditer(text)
    ]


def mentioned_names(names: Sequence[str], words: Sequence[str]) -> list[str]:
    """The identifiers among ``names`` that ``words`` (an :class:`OutputMention`'s) name: the
    last word is the identifier's last word (a plural ending aside), and its other words are
    among ``words``; when just one identifier ends in that word, it alone.

    Example:
        >>> mentioned_names(["resource_id", "user_id"], ["the", "resource", "id"])
        ['resource_id']
        >>> mentioned_names(["resource_id", "format"], ["with", "the", "id"])
        ['resource_id']
        >>> mentioned_names(["source_id", "target_id"], ["the", "id"])
        []
    """
    if not words:
        return []
    split = {n: [_stem(w) for w in split_identifier(n).split()] or [""] for n in names}
    ending = [n for n in names if split[n][-1] == _stem(words[-1])]
    if len(ending) == 1:
        return ending
    seen = {_stem(w) for w in words}
    return [n for n in ending if set(split[n][:-1]) <= seen]


def _stem(word: str) -> str:
    """``word`` in lower case without a plural ``s`` (``IDs`` and ``id`` compare equal)."""
    return word.lower().removesuffix("s")


SURROGATE = re.compile("[\ud800-\udfff]")
"""A lone UTF-16 surrogate: valid in a Python ``str`` (JSON's ``\\ud800`` escape decodes to one,
and so does an undecodable byte of a command line), but not encodable as UTF-8."""


def check_text(text: str, what: str) -> str:
    """``text`` itself when every character can be encoded as UTF-8, else a
    :class:`~toolrag.errors.TextEncodingError` naming ``what`` and the first bad character.

    Text is checked once where it enters (request models, the toolset loader, the command
    line), so that no tokenizer further on meets it.

    Example:
        >>> check_text("weather in Oslo", "the query")
        'weather in Oslo'
        >>> check_text(chr(0xD800) + " weather", "the query")
        Traceback (most recent call last):
        ...
        toolrag.errors.TextEncodingError: the query is not valid Unicode text: a lone surrogate \\ud800 at character 1; send UTF-8 text
    """
    from toolrag.errors import TextEncodingError

    bad = SURROGATE.search(text)
    if bad is None:
        return text
    raise TextEncodingError(
        f"{what} is not valid Unicode text: a lone surrogate \\u{ord(bad.group()):04x} at "
        f"character {bad.start() + 1}; send UTF-8 text"
    )


def printable(text: str) -> str:
    """``text`` with each lone surrogate written as its escape, so that it can be printed or
    sent as UTF-8.

    Example:
        >>> print(printable("a" + chr(0xDCFF) + " b"))
        a\\udcff b
    """
    return SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
