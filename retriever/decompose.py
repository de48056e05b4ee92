"""Completeness beyond a bigger K: split a multi-request query into sub-requests, retrieve for
each, and merge so that every sub-request gets its best tools into the top K.

"Find X, then do Y, and also tell me Z" needs three tools; one embedding of the whole sentence
tends to favour one of them. Splitting on sentence ends and on connectors ("then", "also",
"additionally", "after that", "and" before a verb phrase is not guessed: only listed connectors)
is cheap, deterministic and needs no model.

The default merge, ``coverage``, is the greedy coverage objective of search-result
diversification (xQuAD with the sub-requests as aspects): each ranking -- the whole query's and
each sub-request's -- becomes a distribution over tools, and the next tool is the one that adds
the most probability mass not yet covered. A sub-request with one clear tool gets it early; a
sentence that asks for nothing ("I need your help with my studies.") has a flat distribution and
takes no slot from a real request, where round-robin ``interleave`` gives it one.
"""

from __future__ import annotations

import math
import re

from toolrag.errors import ConfigError
from toolrag.retriever.base import Retriever
from toolrag.retriever.fusion import reciprocal_rank_fusion
from toolrag.types import Queries, Run

SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
"""Where one sentence of a query ends and the next begins."""
_SPLIT = re.compile(
    SENTENCE_END.pattern
    + r"|;\s*|,?\s+(?:and\s+)?(?:then|after\s+that|afterwards|additionally|also|"
    r"as\s+well\s+as|furthermore|moreover|finally|besides|in\s+addition)\b[,:]?\s*",
    re.IGNORECASE,
)
MIN_WORDS = 3


def split_query(query: str) -> list[str]:
    """Sub-requests of ``query``; a single-request query comes back as ``[query]``.

    Example:
        >>> split_query("Get the weather in Paris. Then book a flight, and also email it to Ann.")
        ['Get the weather in Paris.', 'Then book a flight', 'email it to Ann.']
    """
    parts = [p.strip() for p in _SPLIT.split(query) if p and p.strip()]
    parts = [p for p in parts if len(p.split()) >= MIN_WORDS]
    return parts if len(parts) > 1 else [query]


_AND = re.compile(r",?\s+and\s+(?:also\s+)?", re.IGNORECASE)
_GOES_ON = re.compile(r"^(?:\d|(?:in|on|at|for|to|from|of|with|by|into|per)\b)", re.IGNORECASE)
"""A piece after "and" that starts so continues the request before it ("in Bangkok", "170 cm")."""
_COMMA_AND = re.compile(r",\s+and\s+(?:also\s+)?", re.IGNORECASE)
_PLUS = re.compile(r",?\s+plus\s+", re.IGNORECASE)


def split_clauses(query: str, *, min_words: int = 2) -> list[str]:
    """:func:`split_query`'s sub-requests, each further cut at "and" where both sides keep at
    least ``min_words`` words and the right one does not start with a preposition or a number:
    "Get the AAPL price and the population of Germany" is two clauses; "weather in Paris and
    in Rome", "BMI for 75 kg and 170 cm" and "salt and pepper" stay one. Finer than
    :func:`split_query` (which cuts only at listed connectors): for scoring each candidate
    against the clause it fits best, not for retrieving per sub-request.

    Example:
        >>> split_clauses("Translate 'hello' to japanese and play Queen.")
        ["Translate 'hello' to japanese", 'play Queen.']
        >>> split_clauses("Weather in Seoul and in Bangkok, and the price of TSLA.")
        ['Weather in Seoul and in Bangkok', 'the price of TSLA.']
    """
    out: list[str] = []
    for part in split_query(query):
        out += _and_pieces(part, min_words)
    return out if len(out) > 1 else [query]


def request_clauses(query: str, *, min_words: int = 2) -> list[str]:
    """The requests of a terse one-sentence query: :func:`split_clauses`' cuts, and also a
    short request after a listed connector (``split_query`` drops pieces under
    :data:`MIN_WORDS` words), ", and" whatever follows it (a comma before "and" ends a
    request even when a number comes next), and "plus" where "and" would cut ("5 plus 3"
    stays one). A piece under ``min_words`` words stays with the one before it.

    Example:
        >>> request_clauses("Slugify 'My First Post', then URL-encode 'x=1&y=2'.")
        ["Slugify 'My First Post'", "URL-encode 'x=1&y=2'."]
        >>> request_clauses("% change 50 to 65, and 212 F in C.")
        ['% change 50 to 65', '212 F in C.']
        >>> request_clauses("BMI for 75 kg and 170 cm")
        ['BMI for 75 kg and 170 cm']
        >>> request_clauses("Moon phase on 2025-03-01 plus sunrise in Paris that day.")
        ['Moon phase on 2025-03-01', 'sunrise in Paris that day.']
        >>> request_clauses("What is 12 plus 30 and the square root of 81?")
        ['What is 12 plus 30', 'the square root of 81?']
    """
    pieces: list[str] = []
    for part in (p.strip() for p in _SPLIT.split(query)):
        for chunk in (c.strip() for c in _COMMA_AND.split(part) if c.strip()):
            for piece in _and_pieces(chunk, min_words, _PLUS, "plus"):
                pieces += _and_pieces(piece, min_words)
    out: list[str] = []
    for piece in pieces:
        if out and len(piece.split()) < min_words:
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return out if len(out) > 1 else [query]


def _and_pieces(
    part: str, min_words: int, connector: re.Pattern[str] = _AND, word: str = "and"
) -> list[str]:
    """``part`` cut at "and" (or another ``connector`` ``word``) as :func:`split_clauses`
    cuts it."""
    pieces = [p.strip() for p in connector.split(part) if p.strip()]
    merged: list[str] = []
    for piece in pieces:  # a piece too short to stand alone stays with its left side
        if merged and (
            len(piece.split()) < min_words
            or len(merged[-1].split()) < min_words
            or _GOES_ON.match(piece)
        ):
            merged[-1] = f"{merged[-1]} {word} {piece}"
        else:
            merged.append(piece)
    return merged


def interleave(runs: list[dict[str, float]], top: int) -> dict[str, float]:
    """Round-robin over ranked lists: every list's 1st tool, then every list's 2nd, ...

    Scores are synthetic and decreasing (``top - position``) so the result is a valid run.
    """
    ranked = [sorted(r, key=lambda t: -r[t]) for r in runs]
    merged: dict[str, None] = {}
    depth = max((len(r) for r in ranked), default=0)
    for pos in range(depth):
        for lst in ranked:
            if pos < len(lst):
                merged.setdefault(lst[pos])
            if len(merged) >= top:
                break
        if len(merged) >= top:
            break
    return {name: float(top - i) for i, name in enumerate(merged)}


def coverage(runs: list[dict[str, float]], top: int, temperature: float = 0.3) -> dict[str, float]:
    """Greedy probabilistic coverage of several rankings (xQuAD-style diversification).

    Each run's scores are min-max normalised and turned into a distribution
    ``p_r(t) = softmax(score / temperature)``. Every run starts fully uncovered (weight 1); the
    next tool maximises ``sum_r weight_r * p_r(t)``, then each weight shrinks by
    ``(1 - p_r(tool))``. With one run this is that run's own order. Scores of the result are
    synthetic and decreasing (``top - position``).

    Args:
        runs: ``{tool: score}`` rankings, higher is better.
        top: tools to return.
        temperature: lower trusts each ranking's first tool more. 0.3 was chosen on dev.jsonl
            (benchmarks/results/completeness_trained.md), never on test data.

    Example:
        >>> whole = {"a": 3.0, "b": 2.9, "c": 1.0}
        >>> vague = {f"x{i}": 1.0 for i in range(10)}  # a filler sentence: a flat ranking
        >>> sharp = {"d": 5.0, "e": 0.0}
        >>> list(coverage([whole, vague, sharp], top=3))
        ['d', 'a', 'b']
        >>> list(interleave([whole, vague, sharp], top=3))  # round-robin gives the filler a slot
        ['a', 'x0', 'd']
    """
    dists: list[dict[str, float]] = []
    for run in runs:
        if not run:
            continue
        lo, hi = min(run.values()), max(run.values())
        span = (hi - lo) or 1.0
        z = {t: math.exp((s - hi) / span / temperature) for t, s in run.items()}
        total = sum(z.values())
        dists.append({t: v / total for t, v in z.items()})
    weights = [1.0] * len(dists)
    pool = list(dict.fromkeys(t for d in dists for t in d))  # first-seen order breaks ties
    picked: dict[str, float] = {}
    while len(picked) < top and len(picked) < len(pool):
        best = max(
            (t for t in pool if t not in picked),
            key=lambda t: sum(w * d.get(t, 0.0) for w, d in zip(weights, dists, strict=True)),
        )
        picked[best] = float(top - len(picked))
        weights = [w * (1.0 - d.get(best, 0.0)) for w, d in zip(weights, dists, strict=True)]
    return picked


MERGES = ("coverage", "interleave", "rrf")


class DecomposingRetriever(Retriever):
    """Wraps any retriever; merges the whole query's ranking with its sub-requests' rankings.

    Args:
        base: the retriever run for the whole query and for each sub-request.
        merge: ``coverage`` (default, see :func:`coverage`), ``interleave`` (round-robin, whole
            query first) or ``rrf``.
        depth: candidates taken from each ranking before merging, whatever ``k`` is, so the
            top 5 is always the start of the top 10.
        temperature: of the ``coverage`` merge.
    """

    def __init__(
        self, base: Retriever, merge: str = "coverage", depth: int = 50, temperature: float = 0.3
    ) -> None:
        super().__init__(base.index)
        if merge not in MERGES:
            raise ConfigError(f"merge={merge!r}; choose one of {MERGES}")
        self.base = base
        self.merge = merge
        self.depth = depth
        self.temperature = temperature

    def search(self, queries: Queries, k: int = 10) -> Run:
        k = self._check_k(k)
        parts = {qid: split_query(text) for qid, text in queries.items()}
        flat = {qid: text for qid, text in queries.items()}
        for qid, subs in parts.items():
            if len(subs) > 1:
                flat |= {f"{qid}\x00{i}": s for i, s in enumerate(subs)}
        run = self.base.search(flat, self._check_k(max(k, self.depth)))
        out: Run = {}
        for qid, subs in parts.items():
            if len(subs) == 1:
                out[qid] = dict(list(run[qid].items())[:k])
                continue
            runs = [run[qid]] + [run[f"{qid}\x00{i}"] for i in range(len(subs))]
            if self.merge == "rrf":
                out[qid] = reciprocal_rank_fusion([{"q": r} for r in runs], k=10, top=k)["q"]
            elif self.merge == "interleave":
                out[qid] = interleave(runs, k)
            else:
                out[qid] = coverage(runs, k, self.temperature)
        return out
