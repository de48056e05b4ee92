"""Dense retrieval: the index's embedding model encodes queries; FAISS finds the nearest tools."""

from __future__ import annotations

from toolrag.retriever.base import Retriever
from toolrag.types import Queries, Run


class DenseRetriever(Retriever):
    """Cosine similarity between the query embedding and tool embeddings.

    Queries are encoded in batches (``batch_size``); FAISS searches them in one call.
    """

    batch_size: int = 64

    def search(self, queries: Queries, k: int = 10) -> Run:
        k = self._check_k(k)
        if not queries:
            return {}
        qids = list(queries)
        vectors = self.index.encode_queries([queries[q] for q in qids], self.batch_size)
        scores, rows = self.index.vectors.search(vectors, k)
        tools = self.index.tools
        return {
            qid: {
                tools[r].name: float(s) for r, s in zip(rows[i], scores[i], strict=True) if r >= 0
            }
            for i, qid in enumerate(qids)
        }
