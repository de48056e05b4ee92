"""Which of the candidate tools does the query really need? A small trained classifier answers.

The retriever ranks 4,000 tools by similarity; it cannot say where the needed tools end. The
selector turns what the retriever already knows about each candidate into the probability that
the query needs it: the dense similarity of the tool to the whole query and to each sub-request
(:func:`toolrag.retriever.decompose.split_query`), whether it is the best candidate for some
sub-request and by what margin, its BM25 score and the overlap of its name with the query. A
logistic regression over these features (scikit-learn, trained by ``toolrag train selector`` in
seconds) gives the probability. Two uses:

- **re-rank** the retriever's top-N before the top-K cut (:class:`RerankingRetriever`);
- **select**: the tools at or above a threshold tuned on validation queries
  (:meth:`ToolSelector.select`); the planner's grammar then admits only those and must call
  each at least once.

A selector folder holds ``toolrag_selector.json`` (the feature scaling and weights, the tuned
threshold, what it was trained with and its validation scores) and a model card. Its features
live in the embedding space of the model it was trained with, so an index built with another
embedding model is refused.

Example:
    >>> selector = ToolSelector.load(index=index)  # doctest: +SKIP
    >>> [t.name for t in selector.select("Weather in Oslo?", tools).tools]  # doctest: +SKIP
    ['getWeather']
"""

from __future__ import annotations

import importlib.util
import json
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from toolrag.errors import ConfigError, ToolragError
from toolrag.index.text import split_identifier, tokenize
from toolrag.retriever.base import Retriever
from toolrag.retriever.decompose import (
    SENTENCE_END,
    request_clauses,
    split_clauses,
    split_query,
)
from toolrag.text import mentioned_names, output_mentions
from toolrag.types import Queries, Run, Tool

if TYPE_CHECKING:
    from toolrag.index.store import ToolIndex

logger = logging.getLogger(__name__)

SELECTOR_RECORD = "toolrag_selector.json"
SELECTOR_FORMAT = "toolrag-selector/2"
DEFAULT_ALIASES = {"default", "toolrag-selector"}
ORDERS = ("query", "candidates")
"""The orders :meth:`ToolSelector.select` can give the selected tools in."""
DEFAULT_MUST_THRESHOLD = 0.8
"""A selected tool at or above this probability must be called; one below it is offered and
the planner may leave it out. Chosen on the selector's 54 validation queries carved from
dev.jsonl with the shipped selector and planner (against "every selected tool must be called":
Param F1 70.5 -> 72.2, strict Tool F1 89.8 -> 91.2; benchmarks/results/must_validation.md)."""
POINTED_FLOOR = 0.1
"""A candidate under the threshold is still selected when the query says a value of its comes
from an earlier call's output (:func:`pointed`) and no selected tool takes that value, if its
probability is at least this: the pointer itself asks for a tool that uses that output.
Checked on dev.jsonl's oracle-5 lists (no candidate added, none missed there) and the 40
synthetic nested pairs (2 consumers added, both needed; experiments/2026-11-25-pointed-consumers)."""
CLAUSE_MARGIN = 0.1
"""In a one-sentence request cut into clauses ("Lock the front door and turn off the porch
light"), each clause's best-fitting candidate is selected and due, whatever its probability,
when its cosine to the clause leads the next candidate's by at least this. The features
score such terse clauses low (``set_light`` 0.03 there), though the clause's own best fit is
plain. Requests of several sentences, the kind the features were trained on, are left to
them: on Seal-Tools test (oracle-5) the rule over every clause cost Tool F1 96.1 -> 95.0,
and over "and" clauses within a sentence 96.1 -> 94.4 (argument fragments such as "... and
power level of 16.1" fit distractors). Chosen on the hand-written dev calls
(parallel-multiple 28.6 -> 42.9%, margin 0.15: 35.7; with :func:`request_clauses`' finer cuts
50.0); experiments/2026-12-04-clause-winners."""
FEATURES = (
    "cos_query",  # dense similarity to the whole query
    "cos_best_part",  # best similarity to one sub-request
    "gap_to_best",  # cos_query minus the best candidate's cos_query
    "part_margin",  # on its best sub-request: its cos minus the best other candidate's
    "top_for_part",  # 1 if it is the best candidate for the query or some sub-request
    "rank_share",  # its cos_query rank among the candidates / number of candidates
    "bm25_share",  # its BM25 score / the best candidate's
    "name_overlap",  # share of its name's words (stemmed) that the query uses
    "parts",  # sub-requests in the query
    "tops",  # candidates that are best for the query or some sub-request
)


class SelectorError(ToolragError, ValueError):
    """A selector folder that cannot be used as it is; the message says what to do."""


def shipped_selector() -> Path:
    """The default selector inside the installed ``retriever`` package."""
    spec = importlib.util.find_spec("toolrag.retriever")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover - same package
        raise ImportError("the retriever package is not installed; pip install toolrag")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "selector"


def check_threshold(threshold: float) -> float:
    """``threshold`` if it is a probability, else a :class:`ValueError` that says so."""
    if not 0.0 <= threshold <= 1.0:
        raise ConfigError(f"threshold={threshold} must be between 0 and 1 (a probability)")
    return float(threshold)


def read_record(folder: Path) -> dict[str, Any]:
    """The selector record of ``folder``.

    Raises:
        SelectorError: not a selector folder, or a record of another format.
    """
    record_file = folder / SELECTOR_RECORD
    if not record_file.is_file():
        raise SelectorError(
            f"{folder} is not a toolrag selector (no {SELECTOR_RECORD}): pass a folder written by "
            "`toolrag train selector`, or 'default' for the shipped one"
        )
    record = json.loads(record_file.read_text())
    if record.get("format") != SELECTOR_FORMAT:
        raise SelectorError(
            f"{record_file} has format {record.get('format')!r}, this toolrag reads "
            f"{SELECTOR_FORMAT!r}: retrain it with `toolrag train selector`"
        )
    if record.get("features") != list(FEATURES):
        raise SelectorError(f"{record_file} was trained on other features: retrain it")
    return record


PARTS = {"requests": split_query, "clauses": split_clauses}
"""How a query is cut into the parts whose similarities the features read: sub-requests at
listed connectors (the shipped selector), or finer clauses, also cut at "and"."""


def features(
    index: ToolIndex, query: str, tools: Sequence[Tool], *, parts: str = "requests"
) -> np.ndarray:
    """``[len(tools), len(FEATURES)]``: what the selector reads of each candidate; ``parts``
    names how the query is cut (:data:`PARTS`).

    Raises:
        ValueError: a candidate that is not in ``index``.
    """
    return _scored(index, query, tools, parts)[0]


def _scored(
    index: ToolIndex, query: str, tools: Sequence[Tool], parts: str, leads: bool = False
) -> tuple[np.ndarray, np.ndarray, list[str], list[tuple[int, float]]]:
    """:func:`features`, for each candidate the position in the query of the part it fits
    best (all 0 when the query is one part), the parts, and with ``leads`` (only selection
    reads them), for each request of a one-sentence query the candidate that fits it best
    with its cosine lead over the next (:func:`_leads`; else none)."""
    rows, missing = [], []
    for tool in tools:
        try:
            rows.append(index.row(tool.name))
        except KeyError:
            missing.append(tool.name)
    if missing:
        raise ConfigError(
            f"candidates {missing[:5]} are not in the index; the selector scores indexed tools "
            "only (build the index over the toolset the candidates come from)"
        )
    pieces = PARTS[parts](query)
    texts = [query] + (pieces if len(pieces) > 1 else [])
    q = index.encode_queries(texts)  # [texts, dim]
    t = index.embeddings[rows]  # [tools, dim]
    cos = q @ t.T  # [texts, tools]
    whole = cos[0]  # [tools]
    best_part = cos.max(axis=0)  # [tools]
    where = cos[1:].argmax(axis=0) if len(texts) > 1 else np.zeros(len(tools), dtype=int)
    winners = set(cos.argmax(axis=1).tolist())  # the candidates that are best for some text
    margins = np.empty(len(tools))
    for j in range(len(tools)):
        i = int(cos[:, j].argmax())
        others = np.delete(cos[i], j)
        margins[j] = cos[i, j] - (others.max() if others.size else 0.0)
    order = (-whole).argsort().argsort()  # 0 = best
    bm25 = index.bm25.row_scores(query, rows)
    words = set(tokenize(query))
    out = np.zeros((len(tools), len(FEATURES)), dtype=np.float64)
    for j, tool in enumerate(tools):
        name_words = tokenize(split_identifier(tool.name))
        out[j] = [
            whole[j],
            best_part[j],
            whole[j] - whole.max(),
            margins[j],
            float(j in winners),
            (order[j] + 1) / len(tools),
            bm25[j] / bm25.max() if bm25.max() > 0 else 0.0,
            sum(w in words for w in name_words) / max(1, len(name_words)),
            math.log(len(texts)),
            len(winners),
        ]
    return out, where, pieces, _leads(index, query, pieces, cos[1:], t) if leads else []


def _leads(
    index: ToolIndex, query: str, pieces: list[str], part_cos: np.ndarray, t: np.ndarray
) -> list[tuple[int, float]]:
    """For each request of a one-sentence ``query`` (:func:`request_clauses`; none for a
    longer query or a single request), the candidate that fits it best and its cosine lead
    over the next; ``part_cos``: the cosines of ``pieces``, reused where the requests are
    those pieces; ``t``: the candidates' embeddings."""
    if len(t) < 2 or len(SENTENCE_END.split(query.strip())) > 1:
        return []
    requests = request_clauses(query)
    if len(requests) < 2:
        return []
    cos = part_cos if requests == pieces else index.encode_queries(requests) @ t.T
    top2 = np.sort(cos, axis=1)[:, -2:]  # [requests, 2]
    return [(int(j), float(a - b)) for j, (b, a) in zip(cos.argmax(axis=1), top2, strict=True)]


@dataclass(frozen=True)
class Selection:
    """The selector's verdict on one candidate list."""

    tools: list[Tool]  # the selected tools, in the selector's order (see ToolSelector)
    probabilities: dict[str, float]  # every candidate's probability
    required: list[Tool] | None = None  # the selected tools a plan must call (None: all)
    positions: dict[str, int] | None = None  # per candidate: the query part it fits best
    # per selected tool: required parameters the query says an earlier output holds
    pointed: dict[str, list[str]] = field(default_factory=dict)


class ToolSelector:
    """Logistic regression over :func:`features`, with a tuned threshold.

    Args:
        index: the index whose embeddings and BM25 the features read.
        record: the selector record: ``mean``, ``scale``, ``coef``, ``intercept``, ``threshold``.
        threshold: overrides the record's tuned threshold.
        must_threshold: a selected tool at or above it must be called; one below it may be
            (None: :data:`DEFAULT_MUST_THRESHOLD`; 0: every selected tool must be called).
        order: how :meth:`select` orders the selected tools (:data:`ORDERS`): ``query``, the
            order in which the query asks for them (the part of the query each fits best;
            ties keep candidate order), or ``candidates``. The planner lists them in its
            prompt in this order; with ``query``, the selection also says each candidate's
            part (``Selection.positions``), in which order the planner calls them.
        pointed: where the query says a value comes from an earlier call's output ("the ID
            from the previous API call"), say which selected tool's parameter it is
            (``Selection.pointed``; the planner writes a reference there), and select a
            candidate under the threshold that takes it when no selected one does
            (:func:`pointed`, :data:`POINTED_FLOOR`). On by default.
        clause_margin: in a one-sentence query, a candidate that fits a clause best by at
            least this cosine over the next one is selected and must be called (None: off;
            default :data:`CLAUSE_MARGIN`).

    Raises:
        SelectorError: the index was built with another embedding model than the selector.
        ValueError: ``threshold`` outside 0-1.
        ConfigError: an unknown ``order``.
    """

    def __init__(
        self,
        index: ToolIndex,
        record: dict[str, Any],
        threshold: float | None = None,
        must_threshold: float | None = None,
        order: str = "query",
        pointed: bool = True,
        clause_margin: float | None = CLAUSE_MARGIN,
    ) -> None:
        if order not in ORDERS:
            raise ConfigError(f"order must be one of {', '.join(ORDERS)}, got {order!r}")
        trained_with = record.get("embedding_model")
        built_with = index.manifest["embedding"]["model"]
        if trained_with and trained_with != built_with:
            raise SelectorError(
                f"the selector was trained on features of {trained_with!r}, but the index "
                f"encodes with {built_with!r}: train a selector for this index's model "
                "(`toolrag train selector --model ...`) or rebuild the index with that model"
            )
        self.index = index
        self.record = record
        self.mean = np.asarray(record["mean"])
        self.scale = np.asarray(record["scale"])
        self.coef = np.asarray(record["coef"])
        self.intercept = float(record["intercept"])
        self.threshold = check_threshold(record["threshold"] if threshold is None else threshold)
        self.must_threshold = check_threshold(
            DEFAULT_MUST_THRESHOLD if must_threshold is None else must_threshold
        )
        self.order = order
        self.pointed = pointed
        if clause_margin is not None and clause_margin < 0:
            raise ConfigError(
                f"clause_margin={clause_margin} must be at least 0 (a cosine lead), or None for off"
            )
        self.clause_margin = clause_margin

    @classmethod
    def load(
        cls,
        folder: str | Path | None = None,
        *,
        index: ToolIndex,
        threshold: float | None = None,
        must_threshold: float | None = None,
        order: str = "query",
        pointed: bool = True,
        clause_margin: float | None = CLAUSE_MARGIN,
    ) -> ToolSelector:
        """Load a selector folder (``None``/``default``: the shipped one) for ``index``."""
        if threshold is not None:
            check_threshold(threshold)
        default = folder is None or str(folder) in DEFAULT_ALIASES
        path = shipped_selector() if default else Path(folder)
        if not path.is_dir():
            raise SelectorError(f"selector folder {path} does not exist")
        return cls(
            index, read_record(path), threshold, must_threshold, order, pointed, clause_margin
        )

    @property
    def label(self) -> str:
        return f"selector@{self.record.get('id', '?')}"

    def probabilities(self, query: str, tools: Sequence[Tool]) -> list[float]:
        """P(the query needs tool) for each tool, in order."""
        return self._scored(query, tools)[0]

    def _scored(
        self, query: str, tools: Sequence[Tool], leads: bool = False
    ) -> tuple[list[float], list[int], list[str], list[tuple[int, float]]]:
        """:meth:`probabilities`, the position of the query part each tool fits best, the
        parts, and with ``leads`` each request's best candidate with its lead
        (:func:`_scored`)."""
        if not tools:
            return [], [], [query], []
        x, where, parts, found = _scored(
            self.index, query, tools, self.record.get("parts", "requests"), leads
        )
        x = (x - self.mean) / self.scale
        logits = x @ self.coef + self.intercept
        probs = [float(p) for p in 1.0 / (1.0 + np.exp(-logits))]
        return probs, [int(w) for w in where], parts, found

    def select(self, query: str, tools: Sequence[Tool]) -> Selection:
        """The candidates at or above the threshold (possibly none), in :attr:`order`; with
        :attr:`pointed`, also a candidate the query points an earlier output at
        (:func:`pointed`); with :attr:`clause_margin`, also each clause's clear best fit."""
        probs, where, parts, leads = self._scored(
            query, tools, leads=self.clause_margin is not None
        )
        chosen_at = {j for j, p in enumerate(probs) if p >= self.threshold}
        must_at = {j for j in chosen_at if probs[j] >= self.must_threshold}
        if self.clause_margin is not None:
            clear = {j for j, lead in leads if lead >= self.clause_margin}
            chosen_at |= clear
            must_at |= clear
        takes: dict[int, list[str]] = {}
        if self.pointed:
            takes = pointed(query, tools, probs, where, parts, chosen_at)
            chosen_at |= takes.keys()  # a tool the query asks an output of is a call it needs
            must_at |= takes.keys()
        ranked = list(range(len(tools)))
        if self.order == "query":
            ranked.sort(key=lambda j: where[j])  # stable: ties keep candidate order
        chosen = [tools[j] for j in ranked if j in chosen_at]
        by_name = {t.name: p for t, p in zip(tools, probs, strict=True)}
        required = [tools[j] for j in ranked if j in must_at]
        positions = {t.name: w for t, w in zip(tools, where, strict=True)}
        return Selection(
            chosen,
            by_name,
            required,
            positions if self.order == "query" else None,
            {tools[j].name: names for j, names in takes.items()},
        )


def pointed(
    query: str,
    tools: Sequence[Tool],
    probs: Sequence[float],
    where: Sequence[int],
    parts: Sequence[str],
    chosen: set[int],
    floor: float = POINTED_FLOOR,
) -> dict[int, list[str]]:
    """Per candidate (by position in ``tools``), the required parameters whose value ``query``
    says an earlier call's output holds (:func:`toolrag.text.output_mentions`: "the resource
    ID obtained from the previous API call").

    Each mention goes to the candidates that fit the query part it is in best (``where``) and
    have a required parameter it names (:func:`toolrag.text.mentioned_names`): the ``chosen``
    ones; when none of those takes it, the most probable other one at ``floor`` or above (a
    tool the selector missed: the mention asks for a call that uses the output).

    Example:
        >>> from toolrag.types import Param
        >>> tools = [Tool(name="getInventory"), Tool(name="getResourceInfo",
        ...     parameters=[Param(name="resource_id", required=True)])]
        >>> parts = ["Get the inventory.", "Then get the resource ID from the previous API call."]
        >>> pointed(" ".join(parts), tools, [0.9, 0.3], [0, 1], parts, chosen={0})
        {1: ['resource_id']}
    """
    spans, cursor = [], 0
    for part in parts:
        start = query.find(part, cursor)
        if start < 0:  # pragma: no cover - parts are pieces of the query
            return {}
        spans.append((start, start + len(part)))
        cursor = start + len(part)
    out: dict[int, list[str]] = {}
    for mention in output_mentions(query):
        at = next((k for k, (a, b) in enumerate(spans) if a <= mention.end - 1 < b), 0)
        fits = [j for j in range(len(tools)) if len(parts) < 2 or where[j] == at]
        named = {
            j: names for j in fits if (names := mentioned_names(tools[j].required, mention.words))
        }
        takers = [j for j in named if j in chosen]
        if not takers:
            extra = [j for j in named if probs[j] >= floor]
            takers = [max(extra, key=lambda j: probs[j])] if extra else []
        for j in takers:
            out[j] = sorted({*out.get(j, []), *named[j]})
    return out


def resolve_selector(
    spec: str | Path | None, index: ToolIndex, threshold: float | None = None
) -> ToolSelector | None:
    """The selector a user asked for over ``index``.

    ``"auto"`` (the default everywhere): the shipped selector when the index uses the embedding
    model it was trained for, else none (logged). ``"none"`` or ``None``: no selector.
    ``"default"``: the shipped one, refused on a mismatching index. A path: that folder.

    Raises:
        SelectorError: a folder that is not a selector, or one trained for another model.
        ValueError: a threshold outside 0-1, or a threshold without a selector.
    """
    if spec is None or str(spec) == "none":
        if threshold is not None:
            raise ConfigError("a threshold needs a selector (--selector)")
        return None
    if str(spec) == "auto":
        try:
            return ToolSelector.load(None, index=index, threshold=threshold)
        except SelectorError as err:
            logger.warning("planning without a tool selector: %s", err)
            return None
    return ToolSelector.load(spec, index=index, threshold=threshold)


def check_selector_spec(spec: str | Path | None, threshold: float | None) -> None:
    """Fail early, before an index is loaded, on a selector option that cannot work."""
    if threshold is not None:
        check_threshold(threshold)
    if spec is None or str(spec) == "none":
        if threshold is not None:
            raise ConfigError("a threshold needs a selector (--selector)")
        return
    if str(spec) != "auto":
        read_record(shipped_selector() if str(spec) in DEFAULT_ALIASES else Path(spec))


class RerankingRetriever(Retriever):
    """Any retriever's top ``depth``, re-ordered by a selector; the same verbs as a retriever.

    Example:
        >>> reranked = RerankingRetriever(default_retriever(index), selector)  # doctest: +SKIP
        >>> [h.tool.name for h in reranked.retrieve("weather, then email it", k=5)]  # doctest: +SKIP
    """

    def __init__(self, base: Retriever, selector: ToolSelector, depth: int = 20) -> None:
        if depth < 1:
            raise ConfigError(f"depth={depth} must be at least 1")
        super().__init__(base.index)
        self.base, self.selector, self.depth = base, selector, depth

    def search(self, queries: Queries, k: int = 10) -> Run:
        """Top-``k`` tools per query (a BEIR run), scored by the selector's probability."""
        run = self.base.search(queries, max(k, self.depth))
        out = {}
        for qid, hits in run.items():
            names = list(hits)
            probs = self.selector.probabilities(queries[qid], [self.index.tool(n) for n in names])
            order = sorted(range(len(names)), key=lambda i: (-probs[i], i))[:k]
            out[qid] = {names[i]: probs[i] for i in order}
        return out


def tune_threshold(
    lists: Sequence[tuple[Sequence[float], Sequence[bool]]],
    *,
    missing: int = 0,
    grid: int = 100,
) -> tuple[float, float]:
    """The threshold with the best micro F1 of selected vs needed tools over candidate lists.

    Args:
        lists: per query, the candidates' probabilities and whether each is needed.
        missing: needed tools that are in no candidate list (they count as misses at any
            threshold).
        grid: thresholds tried: ``1/grid, 2/grid, ... (grid-1)/grid``.

    Returns:
        ``(threshold, f1)``. Among equally good thresholds the middle one is taken, so a
        plateau's edge (where one more query flips) is avoided.

    Example:
        >>> lists = [([0.9, 0.2, 0.1], [True, False, False]),
        ...          ([0.7, 0.6, 0.3], [True, True, False])]
        >>> tune_threshold(lists, grid=10)
        (0.5, 1.0)
    """
    pairs = [(p, y) for probs, labels in lists for p, y in zip(probs, labels, strict=True)]
    positives = sum(y for _, y in pairs) + missing
    best: list[float] = []
    best_f1 = -1.0
    for step in range(1, grid):
        t = step / grid
        tp = sum(1 for p, y in pairs if p >= t and y)
        fp = sum(1 for p, y in pairs if p >= t and not y)
        f1 = 2 * tp / (2 * tp + fp + (positives - tp)) if positives + fp else 0.0
        if f1 > best_f1 + 1e-12:
            best, best_f1 = [t], f1
        elif abs(f1 - best_f1) <= 1e-12:
            best.append(t)
    return best[len(best) // 2], best_f1
