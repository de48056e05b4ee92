"""Is a value said in the query? Shared by the data-generation filters (a generated call must
take its values from the request) and the planner (a call none of whose values the request says
is usually a distractor tool the model added)."""

from __future__ import annotations

import re
from typing import Any

_STOP = {"the", "a", "an", "of", "to", "in", "for", "and", "or", "on", "at", "by", "with", "is"}


def tokens(text: str) -> list[str]:
    """Lower-cased alphanumeric words, without a few stop words."""
    return [t for t in re.findall(r"[a-z0-9]+", text.lower()) if t not in _STOP]


def grounded(value: Any, query: str, *, share: float = 0.5) -> bool:
    """Whether a parameter value is said in the query: a number's digits appear, or at least
    ``share`` of a string's words do (dates and paraphrases keep most of their words).

    Example:
        >>> grounded("New York", "Weather in new york tomorrow"), grounded(42, "Top 42 songs")
        (True, True)
        >>> grounded("Paris", "Weather in Oslo")
        False
    """
    if isinstance(value, bool) or value is None:
        return True  # flags are implied by wording, not quoted
    words = set(tokens(query))
    if isinstance(value, int | float):
        text = f"{value:g}" if isinstance(value, float) else str(value)
        return text in query or all(t in words for t in tokens(text))
    if isinstance(value, list):
        return all(grounded(v, query, share=share) for v in value)
    if isinstance(value, dict):
        return all(grounded(v, query, share=share) for v in value.values())
    toks = tokens(str(value))
    if not toks:
        return True
    return sum(t in words for t in toks) / len(toks) >= share
