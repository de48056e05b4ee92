"""Turn a toolset into a persisted, searchable index: tool records, BM25 state, FAISS, manifest."""

from index.errors import IndexLoadError, ToolsetError
from index.store import ToolIndex
from index.toolset import DuplicatePolicy, ToolFormat, load_toolset

__all__ = [
    "DuplicatePolicy",
    "IndexLoadError",
    "ToolFormat",
    "ToolIndex",
    "ToolsetError",
    "load_toolset",
]
