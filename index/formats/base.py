"""What every format module gets: a parsed document and where each record came from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from toolrag.index.errors import ToolsetError


@dataclass(frozen=True)
class Document:
    """A parsed toolset file.

    Attributes:
        source: the file path, for error messages.
        data: the parsed JSON/YAML value; for JSONL, the list of records.
        jsonl: whether ``data`` came from a JSON Lines file (records are then named by line).
    """

    source: str
    data: Any
    jsonl: bool = False
    line_numbers: tuple[int, ...] = ()

    def locate(self, i: int, prefix: str = "") -> str:
        """A human-readable position of record ``i``: ``line 7`` or ``tools[6]``."""
        if self.jsonl:
            return f"line {self.line_numbers[i]}"
        return f"{prefix}[{i}]"


def require_str(value: Any, *, doc: Document, record: str, field: str, fix: str) -> str:
    """Return ``value`` if it is a non-empty string, else raise a :class:`ToolsetError`."""
    if not isinstance(value, str) or not value.strip():
        what = "missing" if value is None else f"not a non-empty string ({value!r})"
        raise ToolsetError(doc.source, f"'{field}' is {what}", record=record, field=field, fix=fix)
    return value.strip()


def require_dict(value: Any, *, doc: Document, record: str, field: str | None = None) -> dict:
    if not isinstance(value, dict):
        raise ToolsetError(
            doc.source,
            f"expected a JSON object, got {type(value).__name__}",
            record=record,
            field=field,
            fix="Each record must be a JSON object",
        )
    return value
