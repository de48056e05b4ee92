"""The bundled sample toolset (88 tools, 12 domains) and sample queries: what `toolrag quickstart`,
the notebooks and the latency benchmarks run on."""

from __future__ import annotations

import json
from importlib import resources

from toolrag.types import Instance, Tool

_DATA = resources.files("toolrag") / "data"


def sample_tools() -> list[Tool]:
    """The bundled sample toolset, loaded by its format's loader."""
    from toolrag.index.toolset import load_toolset

    with resources.as_file(_DATA / "sample_tools.json") as path:
        return load_toolset(path)


def sample_instances() -> list[Instance]:
    """Labelled instances over the bundled sample toolset (two single, two multiple, two
    nested): the data generators' default worked examples."""
    from toolrag.instances import read_instances

    with resources.as_file(_DATA / "sample_instances.jsonl") as path:
        return read_instances(path)


def sample_queries() -> list[str]:
    """The bundled sample queries."""
    return json.loads((_DATA / "sample_queries.json").read_text())
