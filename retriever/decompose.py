"""Completeness beyond a bigger K: split a multi-request query into sub-requests, retrieve for
each, and merge so that every sub-request gets its best tools into the top K.

"Find X, then do Y, and also tell me Z" needs three tools; one embedding of the whole sentence
tends to favour one of them. Splitting on sentence ends and on connectors ("then", "also",
"additionally", "after that", "and" before a verb phrase is not guessed: only listed connectors)
is cheap, deterministic and needs no model.
"""

from __future__ import annotations

import re

from retriever.base import Retriever
from retriever.fusion import reciprocal_rank_fusion
from toolrag.types import Queries, Run

_SPLIT = re.compile(
    r"(?<=[.!?])\s+|;\s*|,?\s+(?:and\s+)?(?:then|after\s+that|afterwards|additionally|also|"
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


class DecomposingRetriever(Retriever):
    """Wraps any retriever; merges the whole query's ranking with its sub-requests' rankings.

    Args:
        base: the retriever run for the whole query and for each sub-request.
        merge: ``interleave`` (round-robin, whole query first) or ``rrf``.
    """

    def __init__(self, base: Retriever, merge: str = "interleave") -> None:
        super().__init__(base.index)
        if merge not in {"interleave", "rrf"}:
            raise ValueError(f"merge={merge!r}; choose 'interleave' or 'rrf'")
        self.base = base
        self.merge = merge

    def search(self, queries: Queries, k: int = 10) -> Run:
        k = self._check_k(k)
        parts = {qid: split_query(text) for qid, text in queries.items()}
        flat = {qid: text for qid, text in queries.items()}
        for qid, subs in parts.items():
            if len(subs) > 1:
                flat |= {f"{qid}\x00{i}": s for i, s in enumerate(subs)}
        run = self.base.search(flat, k)
        out: Run = {}
        for qid, subs in parts.items():
            if len(subs) == 1:
                out[qid] = run[qid]
                continue
            runs = [run[qid]] + [run[f"{qid}\x00{i}"] for i in range(len(subs))]
            if self.merge == "rrf":
                out[qid] = reciprocal_rank_fusion([{"q": r} for r in runs], k=10, top=k)["q"]
            else:
                out[qid] = interleave(runs, k)
        return out
