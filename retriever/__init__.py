"""Which tools does a query need? BM25, dense and hybrid retrievers over a :class:`ToolIndex`,
fusion functions, and retrieval metrics."""

from toolrag.retriever.base import Mode, Retriever, ScoredTool
from toolrag.retriever.bm25 import BM25Retriever
from toolrag.retriever.dense import DenseRetriever
from toolrag.retriever.factory import default_retriever, make_retriever
from toolrag.retriever.fusion import FusionMethod, reciprocal_rank_fusion, weighted_score_fusion
from toolrag.retriever.hybrid import HybridConfig, HybridRetriever

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
