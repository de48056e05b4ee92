"""Which tools does a query need? BM25, dense and hybrid retrievers over a :class:`ToolIndex`,
fusion functions, and retrieval metrics."""

from retriever.base import Mode, Retriever, ScoredTool
from retriever.bm25 import BM25Retriever
from retriever.dense import DenseRetriever
from retriever.factory import default_retriever, make_retriever
from retriever.fusion import FusionMethod, reciprocal_rank_fusion, weighted_score_fusion
from retriever.hybrid import HybridConfig, HybridRetriever

__all__ = [
    "BM25Retriever",
    "DenseRetriever",
    "FusionMethod",
    "HybridConfig",
    "HybridRetriever",
    "Mode",
    "Retriever",
    "ScoredTool",
    "default_retriever",
    "make_retriever",
    "reciprocal_rank_fusion",
    "weighted_score_fusion",
]
