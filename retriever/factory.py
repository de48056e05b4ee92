"""The retriever a user asks for by name: BM25, dense or hybrid, optionally with query
decomposition. Kept apart from :mod:`toolrag.retriever.base`, which the retrievers import, so that no
module imports its own subclasses."""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolrag.errors import ConfigError
from toolrag.retriever.base import Mode, Retriever
from toolrag.retriever.bm25 import BM25Retriever
from toolrag.retriever.decompose import DecomposingRetriever
from toolrag.retriever.dense import DenseRetriever
from toolrag.retriever.hybrid import HybridRetriever

if TYPE_CHECKING:
    from toolrag.index.store import ToolIndex


def make_retriever(
    index: ToolIndex, mode: Mode | str = Mode.HYBRID, *, decompose: bool = False
) -> Retriever:
    """The retriever for ``mode`` over ``index``, optionally wrapped in query decomposition.

    toolrag's default (CLI, quickstart, agent) is ``mode="hybrid", decompose=True``: see
    :func:`default_retriever`.
    """
    try:
        mode = Mode(mode)
    except ValueError:
        raise ConfigError(
            f"unknown mode {mode!r}; choose one of {[m.value for m in Mode]}"
        ) from None
    retriever = {
        Mode.BM25: BM25Retriever,
        Mode.DENSE: DenseRetriever,
        Mode.HYBRID: HybridRetriever,
    }[mode](index)
    return DecomposingRetriever(retriever) if decompose else retriever


def default_retriever(index: ToolIndex) -> Retriever:
    """Hybrid retrieval with query decomposition: the best COMP@5 on dev.jsonl
    (benchmarks/results/completeness_untrained.md)."""
    return make_retriever(index, Mode.HYBRID, decompose=True)
