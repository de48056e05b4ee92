"""Turn a toolset into a persisted, searchable index: tool records, BM25 state, FAISS, manifest."""

from toolrag.index.errors import IndexLoadError, ToolsetError
from toolrag.index.store import ToolIndex
from toolrag.index.toolset import DuplicatePolicy, ToolFormat, load_toolset

__all__ = [
    "DuplicatePolicy",
    "IndexLoadError",
    "ToolFormat",
    "ToolIndex",
    "ToolsetError",
    "load_toolset",
]
