"""Markdown tables for every evaluation report: one renderer, the reports choose the columns.

Example:
    >>> print(table(["mode", "R@5"], [["bm25", 0.5], ["dense", 0.75]]))
    | mode | R@5 |
    |---|---|
    | bm25 | 0.5 |
    | dense | 0.75 |
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any


def table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A Markdown table; cells are written with ``str`` (format numbers before)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)
