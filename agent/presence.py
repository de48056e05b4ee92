"""Does the query state a value for this optional parameter? A small trained classifier answers.

The planner's LM fills optional parameters with whatever words are near (``"gender":
"shelter"`` for "Find a shelter near the address"), and leaves out some the query does state
(``"cabin": "business"``). In dev.jsonl 36% of the optional parameter slots of the gold calls
are filled. A logistic regression over what the query shares with the parameter (its name's
words, its description's words, its type against the query's numbers, its enum members) gives
the probability that the query states a value for it; the planner's grammar leaves out an
optional parameter below a low threshold and must write one above a high threshold
(:class:`agent.planner.Planner`'s ``presence``). Between the two, the LM decides.

A presence folder holds ``toolrag_presence.json`` (the feature scaling and weights, the
thresholds, what it was trained with and its validation scores) and a model card.
"""

from __future__ import annotations

import importlib.util
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from agent.grounding import mentioned, query_numbers
from index.text import split_identifier, tokenize
from retriever.decompose import split_query
from toolrag.errors import ToolragError
from toolrag.types import Param, ParamType, Tool

PRESENCE_RECORD = "toolrag_presence.json"
PRESENCE_FORMAT = "toolrag-presence/1"

FEATURES = (
    "name_share",  # share of the parameter name's words (stemmed) the query uses
    "name_share_part",  # the same, in the sub-request that best matches the tool
    "desc_share",  # share of the description's words the query uses
    "desc_share_part",  # the same, in the tool's sub-request
    "enum_said",  # 1 if the query says a member of its enum
    "is_string",
    "is_number",  # integer or number
    "is_boolean",
    "numbers_left",  # the query's numbers beyond the tool's required numeric parameters (log1p)
    "has_default",
    "position",  # its place among the tool's parameters, 0 (first) to 1 (last)
    "optionals",  # how many optional parameters the tool has (log1p)
    "parts",  # sub-requests in the query (log1p)
    "tool_share",  # share of the tool name's words the query uses
)


_EXAMPLES = re.compile(r"\((?:e\.g\.|(?:eg|such as|for example|like)\b)[^)]*\)", re.I)
"""A description's examples, "(e.g., Paris)". Left out of the features: Seal-Tools' generator
wrote its optional values from them (50% of optional slots with examples are filled in dev.jsonl,
4% of those without), which other toolsets' queries do not do."""


class PresenceError(ToolragError, ValueError):
    """A presence folder that cannot be used as it is; the message says what to do."""


def _share(words: Sequence[str], said: set[str]) -> float:
    return sum(w in said for w in words) / len(words) if words else 0.0


def _best_part(tool: Tool, parts: Sequence[str]) -> set[str]:
    """The stemmed words of the sub-request that shares most words with the tool's name and
    description (the whole query when it has one part)."""
    card = set(tokenize(f"{split_identifier(tool.name)} {tool.description}"))
    scored = [(len(card & set(tokenize(p))), -k) for k, p in enumerate(parts)]
    best = parts[-max(scored)[1]]
    return set(tokenize(best))


@dataclass(frozen=True)
class QueryView:
    """What the features read of one query, computed once for all its tools."""

    text: str
    words: frozenset[str]
    parts: tuple[str, ...]
    numbers: int

    @classmethod
    def of(cls, query: str) -> QueryView:
        parts = tuple(split_query(query)) or (query,)
        return cls(query, frozenset(tokenize(query)), parts, len(query_numbers(query)))


def param_features(view: QueryView, tool: Tool) -> tuple[list[Param], np.ndarray]:
    """The tool's optional parameters and their ``[n, len(FEATURES)]`` feature rows."""
    optional = [p for p in tool.parameters if not p.required]
    if not optional:
        return [], np.zeros((0, len(FEATURES)))
    part = _best_part(tool, view.parts)
    numeric_required = sum(
        p.required and p.type in (ParamType.INTEGER, ParamType.NUMBER) for p in tool.parameters
    )
    numbers_left = math.log1p(max(view.numbers - numeric_required, 0))
    tool_words = tokenize(split_identifier(tool.name))
    rows = []
    for p in optional:
        name = tokenize(split_identifier(p.name))
        desc = [w for w in tokenize(_EXAMPLES.sub(" ", p.description)) if w not in name]
        enum = p.value_schema().get("enum") or []
        position = tool.parameters.index(p) / max(len(tool.parameters) - 1, 1)
        rows.append(
            [
                _share(name, view.words),
                _share(name, part),
                _share(desc, view.words),
                _share(desc, part),
                float(any(mentioned(e, view.text) for e in enum)),
                float(p.type == ParamType.STRING),
                float(p.type in (ParamType.INTEGER, ParamType.NUMBER)),
                float(p.type == ParamType.BOOLEAN),
                numbers_left if p.type in (ParamType.INTEGER, ParamType.NUMBER) else 0.0,
                float("default" in p.value_schema()),
                position,
                math.log1p(len(optional)),
                math.log1p(len(view.parts)),
                _share(tool_words, view.words),
            ]
        )
    return optional, np.asarray(rows, dtype=np.float64)


@dataclass
class PresenceModel:
    """Logistic regression weights over :data:`FEATURES` and the two thresholds.

    ``drop_below``: an optional parameter whose probability is below it is left out;
    ``keep_above``: one at or above it must be written. ``record``: the folder's record.
    """

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    drop_below: float
    keep_above: float
    record: dict[str, Any]

    def probabilities(self, query: str | QueryView, tool: Tool) -> dict[str, float]:
        """Per optional parameter of ``tool``: the probability that ``query`` states it."""
        view = query if isinstance(query, QueryView) else QueryView.of(query)
        params, x = param_features(view, tool)
        if not params:
            return {}
        z = ((x - self.mean) / self.scale) @ self.coef + self.intercept
        return {p.name: float(v) for p, v in zip(params, 1.0 / (1.0 + np.exp(-z)), strict=True)}

    def decide(
        self, query: str, tools: Sequence[Tool]
    ) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
        """``(drop, keep)``: per tool name, the optional parameters to leave out and the ones
        that must be written. A parameter whose enum has a member the query says is never left
        out: Seal-Tools, which the shipped model learned from, has no enums to teach that."""
        view = QueryView.of(query)
        drop: dict[str, set[str]] = {}
        keep: dict[str, set[str]] = {}
        for tool in tools:
            enums = {p.name: p.value_schema().get("enum") or [] for p in tool.parameters}
            for name, prob in self.probabilities(view, tool).items():
                said = any(mentioned(e, query) for e in enums[name])
                if prob < self.drop_below and not said:
                    drop.setdefault(tool.name, set()).add(name)
                elif prob >= self.keep_above:
                    keep.setdefault(tool.name, set()).add(name)
        return drop, keep

    @classmethod
    def load(cls, folder: str | Path | None = None) -> PresenceModel:
        """Load a presence folder (``None`` or ``"default"``: the shipped one).

        Raises:
            PresenceError: not a presence folder, another format, or other features.
        """
        path = shipped_presence() if folder in (None, "default") else Path(folder)
        record_file = path / PRESENCE_RECORD
        if not record_file.is_file():
            raise PresenceError(
                f"{path} is not a toolrag presence model (no {PRESENCE_RECORD}): pass a folder "
                "written by `toolrag train presence`, or 'default' for the shipped one"
            )
        record = json.loads(record_file.read_text())
        if record.get("format") != PRESENCE_FORMAT:
            raise PresenceError(
                f"{record_file} has format {record.get('format')!r}, this toolrag reads "
                f"{PRESENCE_FORMAT!r}: retrain it with `toolrag train presence`"
            )
        if record.get("features") != list(FEATURES):
            raise PresenceError(f"{record_file} was trained on other features: retrain it")
        return cls(
            mean=np.asarray(record["mean"]),
            scale=np.asarray(record["scale"]),
            coef=np.asarray(record["coef"]),
            intercept=float(record["intercept"]),
            drop_below=float(record["drop_below"]),
            keep_above=float(record["keep_above"]),
            record=record,
        )


def shipped_presence() -> Path:
    """The default presence model inside the installed ``agent`` package."""
    spec = importlib.util.find_spec("agent")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover - same package
        raise ImportError("the agent package is not installed; pip install toolrag")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "presence"
