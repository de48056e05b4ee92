"""Labelled instances (query + gold calls) in the Seal-Tools JSONL format.

Example:
    >>> ds = load_instances("../shared/data/seal-tools/dev.jsonl")  # doctest: +SKIP
    >>> ds.column_names  # doctest: +SKIP
    ['id', 'query', 'calling', 'category', 'tools']
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from toolrag.errors import ConfigError
from toolrag.types import Instance, Qrels, Queries

if TYPE_CHECKING:
    import datasets


def read_instances(path: str | Path) -> list[Instance]:
    """Parse a Seal-Tools instance file; errors name the line and what is wrong."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such instances file")
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            out.append(Instance.model_validate_json(line))
        except ValidationError as err:
            first = err.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise ConfigError(
                f"{path}, line {n}: {first['msg']} at '{where}'; each line must be "
                '{"id", "query", "calling": [{"api", "parameters", "responses"}]}'
            ) from None
    if not out:
        raise ConfigError(f"{path}: no instances found")
    return out


def to_dataset(instances: list[Instance]) -> datasets.Dataset:
    """A ``datasets.Dataset`` with columns id, query, calling (JSON text), category and tools."""
    import datasets

    return datasets.Dataset.from_dict(
        {
            "id": [i.id for i in instances],
            "query": [i.query for i in instances],
            # Parameter values mix types across calls; keep calls as JSON text for Arrow.
            "calling": [json.dumps([c.model_dump() for c in i.calls]) for i in instances],
            "category": [i.category.value for i in instances],
            "tools": [i.gold_tools for i in instances],
        }
    )


def load_instances(path: str | Path) -> datasets.Dataset:
    """Read a Seal-Tools instance file into a ``datasets.Dataset`` (see :func:`to_dataset`)."""
    return to_dataset(read_instances(path))


def queries_and_qrels(instances: list[Instance]) -> tuple[Queries, Qrels]:
    """BEIR-shaped queries and relevance: every gold tool of an instance is relevant (1)."""
    queries = {i.id: i.query for i in instances}
    qrels = {i.id: dict.fromkeys(i.gold_tools, 1) for i in instances}
    return queries, qrels


def spread(instances: Sequence[Instance], limit: int | None) -> list[Instance]:
    """``limit`` instances evenly spaced over the file (the files are ordered easy -> hard, so
    the first N would be all single-tool queries): what every ``--limit`` means."""
    if not limit or limit >= len(instances):
        return list(instances)
    step = len(instances) / limit
    return [instances[int(i * step)] for i in range(limit)]
