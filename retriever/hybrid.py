"""Hybrid retrieval: BM25 and dense candidates, fused."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from toolrag.errors import ConfigError
from toolrag.retriever.base import Retriever
from toolrag.retriever.bm25 import BM25Retriever
from toolrag.retriever.dense import DenseRetriever
from toolrag.retriever.fusion import FusionMethod, reciprocal_rank_fusion, weighted_score_fusion
from toolrag.types import Queries, Run

if TYPE_CHECKING:
    from toolrag.index.store import ToolIndex


@dataclass(frozen=True)
class HybridConfig:
    """How BM25 and dense results are combined. Defaults were chosen on dev.jsonl
    (benchmarks/results/fusion_dev.md), never on test data.

    Attributes:
        method: ``rrf`` or ``weighted`` (min-max normalised scores).
        dense_weight: weight of the dense run; BM25 gets ``1 - dense_weight``.
        rrf_k: the RRF constant.
        depth: candidates taken from each retriever before fusion.
    """

    method: FusionMethod = FusionMethod.WEIGHTED
    dense_weight: float = 0.2
    rrf_k: int = 60
    depth: int = 50

    def __post_init__(self) -> None:
        object.__setattr__(self, "method", FusionMethod(self.method))
        if not 0.0 <= self.dense_weight <= 1.0:
            raise ConfigError(f"dense_weight={self.dense_weight} must be within [0, 1]")
        if self.depth < 1 or self.rrf_k < 0:
            raise ConfigError("depth must be >= 1 and rrf_k >= 0")


class HybridRetriever(Retriever):
    """Fuses a :class:`BM25Retriever` and a :class:`DenseRetriever` over the same index."""

    def __init__(self, index: ToolIndex, config: HybridConfig | None = None) -> None:
        super().__init__(index)
        # An index built with a toolrag-trained model carries the fusion tuned for it.
        self.config = config or HybridConfig(**index.manifest.get("hybrid", {}))
        self.bm25 = BM25Retriever(index)
        self.dense = DenseRetriever(index)

    def search(self, queries: Queries, k: int = 10) -> Run:
        k = self._check_k(k)
        depth = max(k, self.config.depth)
        runs = [self.bm25.search(queries, depth), self.dense.search(queries, depth)]
        weights = [1.0 - self.config.dense_weight, self.config.dense_weight]
        if self.config.method is FusionMethod.RRF:
            return reciprocal_rank_fusion(runs, k=self.config.rrf_k, weights=weights, top=k)
        return weighted_score_fusion(runs, weights=weights, top=k)
