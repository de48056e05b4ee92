"""How a tool becomes text (for BM25 and the embedder) and how text becomes BM25 tokens.

Both are recorded in the index manifest: a query must be tokenised and encoded the way the
index was.
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import lru_cache

import Stemmer

from toolrag.text import CAMEL
from toolrag.text import split_identifier as split_identifier  # re-exported; its home
from toolrag.types import Tool

_WORD = re.compile(r"[a-z0-9]+")

# A small English stop list: BM25's idf already discounts common words; this only drops the ones
# that carry no tool meaning at all.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "from",
        "has",
        "have",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "me",
        "my",
        "of",
        "on",
        "or",
        "our",
        "please",
        "so",
        "such",
        "than",
        "that",
        "the",
        "their",
        "then",
        "there",
        "these",
        "this",
        "to",
        "was",
        "we",
        "were",
        "what",
        "when",
        "which",
        "will",
        "with",
        "would",
        "you",
        "your",
        "can",
        "could",
        "should",
        "do",
        "does",
        "did",
        "get",
    ]
)


class TextTemplate(StrEnum):
    """Which parts of a tool go into its indexed text."""

    NAME = "name"
    NAME_DESC = "name_desc"
    NAME_DESC_PARAMS = "name_desc_params"
    FULL = "full"


def tool_text(tool: Tool, template: TextTemplate | str = TextTemplate.NAME_DESC_PARAMS) -> str:
    """Render ``tool`` as one string.

    Example:
        >>> from toolrag.types import Tool, Param
        >>> tool_text(Tool(name="getWeather", description="Current weather.",
        ...                parameters=[Param(name="city", description="City name")]))
        'get weather: Current weather. Parameters: city (City name)'
    """
    template = TextTemplate(template)
    parts = [split_identifier(tool.name)]
    if template is TextTemplate.NAME:
        return parts[0]
    text = f"{parts[0]}: {tool.description}".strip()
    if template in (TextTemplate.NAME_DESC_PARAMS, TextTemplate.FULL) and tool.parameters:
        params = "; ".join(
            f"{split_identifier(p.name)} ({p.description})"
            if p.description
            else split_identifier(p.name)
            for p in tool.parameters
        )
        text += f" Parameters: {params}"
    if template is TextTemplate.FULL:
        if tool.outputs:
            text += " Returns: " + "; ".join(split_identifier(p.name) for p in tool.outputs)
        if tool.domain:
            text += f" Domain: {tool.domain}"
    return text


@lru_cache(maxsize=4)
def _stemmer(language: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(language)


def tokenize(text: str, *, stem: bool = True) -> list[str]:
    """Lower-case word tokens with identifiers split, stop words dropped and Snowball stemming.

    Example:
        >>> tokenize("getWeatherForecast for the cities")
        ['weather', 'forecast', 'citi']
    """
    words = [w for w in _WORD.findall(CAMEL.sub(" ", text).lower()) if w not in STOPWORDS]
    return _stemmer("english").stemWords(words) if stem else words
