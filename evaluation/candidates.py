"""Candidate tool lists for the planner, built the same way for training and for evaluation.

The Seal-Tools paper scores planners with the gold tools mixed into retrieved ones (five
candidates); end to end, the candidates are simply the retriever's top K. Distractors here come
from BM25 over the whole toolset, so they are the plausible, similar-looking tools a retriever
would return, not random ones.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from toolrag.index.bm25 import Bm25Store
from toolrag.index.text import TextTemplate, tool_text
from toolrag.types import Tool


class CandidateBuilder:
    """Gold tools plus BM25 distractors, shuffled with a seeded RNG.

    Example:
        >>> builder = CandidateBuilder(tools)  # doctest: +SKIP
        >>> [t.name for t in builder.oracle("weather in Oslo", ["getWeather"], n=5)]  # doctest: +SKIP
    """

    def __init__(self, tools: Sequence[Tool]) -> None:
        self.tools = list(tools)
        self.by_name = {t.name: t for t in self.tools}
        self._bm25 = Bm25Store.build([tool_text(t, TextTemplate.FULL) for t in self.tools])

    def distractors(self, query: str, exclude: set[str], n: int) -> list[Tool]:
        """The ``n`` best BM25 matches for ``query`` that are not in ``exclude``."""
        if n <= 0:
            return []
        rows, _ = self._bm25.top_k(query, min(len(self.tools), n + len(exclude) + 5))
        picked = [self.tools[r] for r in rows if self.tools[r].name not in exclude][:n]
        if len(picked) < n:  # a query with few BM25 matches: fill with arbitrary others
            used = exclude | {t.name for t in picked}
            picked += [t for t in self.tools if t.name not in used][: n - len(picked)]
        return picked

    def oracle(
        self,
        query: str,
        gold: Sequence[str],
        *,
        n: int = 5,
        drop: Sequence[str] = (),
        rng: random.Random | None = None,
    ) -> list[Tool]:
        """Gold tools (less ``drop``) plus distractors up to ``max(n, len(gold))``, shuffled."""
        keep = [self.by_name[g] for g in dict.fromkeys(gold) if g not in set(drop)]
        size = max(n, len(set(gold)))
        cands = keep + self.distractors(query, set(gold), size - len(keep))
        (rng or random.Random(0)).shuffle(cands)
        return cands
