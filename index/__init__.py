"""Turn a toolset into a persisted, searchable index: tool records, BM25 state, FAISS, manifest.

The names below import on first use: reading a toolset needs neither FAISS nor bm25s.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolrag.lazy import exports_on_use

_EXPORTS = {
    "DuplicatePolicy": "toolrag.index.toolset",
    "IndexLoadError": "toolrag.index.errors",
    "ToolFormat": "toolrag.index.toolset",
    "ToolIndex": "toolrag.index.store",
    "ToolsetError": "toolrag.index.errors",
    "as_tools": "toolrag.index.toolset",
    "load_toolset": "toolrag.index.toolset",
}

__all__ = [
    "DuplicatePolicy",
    "IndexLoadError",
    "ToolFormat",
    "ToolIndex",
    "ToolsetError",
    "as_tools",
    "load_toolset",
]

if TYPE_CHECKING:
    from toolrag.index.errors import IndexLoadError, ToolsetError
    from toolrag.index.store import ToolIndex
    from toolrag.index.toolset import DuplicatePolicy, ToolFormat, as_tools, load_toolset


__getattr__ = exports_on_use(_EXPORTS, "toolrag.index", globals())
