"""Sparse retrieval: BM25 over the tools' indexed text."""

from __future__ import annotations

from toolrag.retriever.base import Retriever
from toolrag.types import Queries, Run


class BM25Retriever(Retriever):
    """BM25 (bm25s engine) with the tokenizer and parameters recorded in the index manifest.

    Example:
        >>> BM25Retriever(index).search({"q1": "weather in Paris"}, k=3)  # doctest: +SKIP
        {'q1': {'getWeather': 7.1, 'getForecast': 5.3, 'getAirQuality': 2.0}}
    """

    def search(self, queries: Queries, k: int = 10) -> Run:
        k = self._check_k(k)
        tools = self.index.tools
        run: Run = {}
        for qid, text in queries.items():
            rows, scores = self.index.bm25.top_k(text, k)
            run[qid] = {tools[r].name: float(s) for r, s in zip(rows, scores, strict=True)}
        return run
