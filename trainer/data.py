"""Training data for the dense retriever: (query, positive tool, hard negative, query id) rows.

Sources:
- labelled instances (dev.jsonl): one row per gold tool of each query;
- pseudo-queries for every tool: a description-based request with the example values that tool
  descriptions give ("e.g., DNA, fingerprints"), and multi-tool requests that join 2-4 tools of one
  domain, so the model also sees queries that need several tools;
- hard negatives mined from BM25 and the zero-shot dense retriever, never a positive of the query.

A slice of the toolset can be held out of everything (rows, negatives, pseudo-queries) to measure
generalisation to unseen tools.
"""

from __future__ import annotations

import logging
import random
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from datasets import Dataset

from toolrag.errors import ConfigError
from toolrag.index.text import split_identifier, tool_text
from toolrag.types import Instance, Tool

logger = logging.getLogger(__name__)

_EXAMPLE = re.compile(r"e\.g\.,?\s*([^),;]+)", re.IGNORECASE)
_CONNECTORS = ["Also, ", "Then ", "After that, ", "Additionally, ", "And "]


@dataclass
class Query:
    """A training query with the tools it needs."""

    text: str
    tools: list[str]
    source: str  # "labelled" | "pseudo-single" | "pseudo-multi" | "generated"


@dataclass
class RetrieverData:
    train: Dataset
    queries: list[Query]
    val_queries: list[Query]
    held_out: set[str] = field(default_factory=set)
    stats: dict[str, int] = field(default_factory=dict)


def held_out_tools(tools: Sequence[Tool], fraction: float, seed: int) -> set[str]:
    """A random ``fraction`` of tool names, kept out of all training."""
    if not 0.0 <= fraction < 1.0:
        raise ConfigError(f"held-out fraction {fraction} must be in [0, 1)")
    names = sorted(t.name for t in tools)
    return set(random.Random(seed).sample(names, round(len(names) * fraction)))


def example_value(description: str) -> str | None:
    """The first example a parameter description gives: ``"(e.g., DNA, blood)"`` -> ``"DNA"``."""
    m = _EXAMPLE.search(description)
    return m.group(1).strip().strip("'\"") if m else None


def pseudo_query(tool: Tool, rng: random.Random) -> str:
    """A plausible request for ``tool`` built from its description and example parameter values."""
    parts = []
    for p in tool.parameters:
        value = example_value(p.description)
        if value and (p.required or rng.random() < 0.3):
            parts.append(f"{split_identifier(p.name)} {value}")
    desc = tool.description.strip().rstrip(".") or split_identifier(tool.name)
    style = rng.randrange(3)
    if style == 0:
        text = desc[0].upper() + desc[1:]
    elif style == 1:
        text = f"I need to {desc[0].lower() + desc[1:]}"
    else:
        text = f"Can you help me {split_identifier(tool.name)}"
    if parts:
        text += " with " + " and ".join(parts[:3])
    return text + "."


def pseudo_queries(tools: Sequence[Tool], *, multi_per_domain: int, seed: int) -> list[Query]:
    """One single-tool pseudo-query per tool, and ``multi_per_domain`` multi-tool ones per domain."""
    rng = random.Random(seed)
    out = [Query(pseudo_query(t, rng), [t.name], "pseudo-single") for t in tools]
    by_domain: dict[str, list[Tool]] = defaultdict(list)
    for t in tools:
        by_domain[(t.domain or "").split("/")[0]].append(t)
    for members in by_domain.values():
        if len(members) < 2:
            continue
        for _ in range(multi_per_domain):
            chosen = rng.sample(members, k=min(len(members), rng.randint(2, 4)))
            sentences = [pseudo_query(t, rng) for t in chosen]
            text = (
                sentences[0]
                + " "
                + " ".join(rng.choice(_CONNECTORS) + s[0].lower() + s[1:] for s in sentences[1:])
            )
            out.append(Query(text, [t.name for t in chosen], "pseudo-multi"))
    return out


def mine_hard_negatives(
    queries: Sequence[Query], searchers: Sequence, *, depth: int, exclude: set[str]
) -> list[list[str]]:
    """For each query, tools that retrievers rank high but that are not among its positives.

    Args:
        queries: training queries.
        searchers: retrievers with ``search(queries, k)`` (BM25, zero-shot dense); their top
            ``depth`` lists are interleaved, best first.
        depth: how deep to look in each retriever's ranking.
        exclude: tools never to use (held-out tools).
    """
    batch = {str(i): q.text for i, q in enumerate(queries)}
    runs = [s.search(batch, depth) for s in searchers]
    out = []
    for i, q in enumerate(queries):
        positives = set(q.tools)
        ranked = [list(run[str(i)]) for run in runs]
        seen: dict[str, None] = {}
        for rank in range(depth):
            for lst in ranked:
                if rank < len(lst):
                    name = lst[rank]
                    if name not in positives and name not in exclude:
                        seen.setdefault(name)
        out.append(list(seen))
    return out


def to_rows(
    queries: Sequence[Query],
    texts: dict[str, str],
    negatives: Sequence[Sequence[str]] | None,
) -> Dataset:
    """One row per (query, positive): anchor, positive, [negative], label (the query's index).

    Each row of a query takes a different hard negative, best first.
    """
    rows: dict[str, list] = {"anchor": [], "positive": []}
    if negatives is not None:
        rows["negative"] = []
    rows["label"] = []  # last: sentence-transformers reads the text columns by position
    for qi, q in enumerate(queries):
        for j, name in enumerate(dict.fromkeys(q.tools)):
            if negatives is not None:
                if not negatives[qi]:
                    continue
                rows["negative"].append(texts[negatives[qi][j % len(negatives[qi])]])
            rows["anchor"].append(q.text)
            rows["positive"].append(texts[name])
            rows["label"].append(qi)
    return Dataset.from_dict(rows)


def labelled_queries(instances: Sequence[Instance], exclude: set[str]) -> list[Query]:
    """Queries from labelled instances, dropping any that needs an excluded tool."""
    return [
        Query(i.query, i.gold_tools, "labelled")
        for i in instances
        if not exclude.intersection(i.gold_tools)
    ]


def validation_positions(n: int, fraction: float, seed: int) -> set[int]:
    """The positions, among ``n`` labelled items, carved out for validation: the same draw for
    the retriever and the selector trainers, so with equal seeds they validate on the same
    queries."""
    return set(random.Random(seed).sample(range(n), round(n * fraction)))


def split_validation(
    queries: list[Query], fraction: float, seed: int
) -> tuple[list[Query], list[Query]]:
    """Carve ``fraction`` of the labelled queries out for validation (whole queries)."""
    labelled = [q for q in queries if q.source == "labelled"]
    val_ids = validation_positions(len(labelled), fraction, seed)
    val = [q for i, q in enumerate(labelled) if i in val_ids]
    train = [q for q in queries if q.source != "labelled"] + [
        q for i, q in enumerate(labelled) if i not in val_ids
    ]
    return train, val


def tool_texts(tools: Sequence[Tool], template: str) -> dict[str, str]:
    return {t.name: tool_text(t, template) for t in tools}
