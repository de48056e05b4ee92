"""toolrag: retrieval-augmented tool selection.

Index a toolset once, retrieve every tool a query needs, and plan the (nested) calls::

    import toolrag

    rag = toolrag.ToolRAG.from_tools("tools.jsonl")  # or .load("my-index")
    rag.retrieve("weather in Oslo", k=5)
    rag.plan("Weather in Oslo, then email it to Ann").calls
    toolrag.plan("What is 2 plus 3?", [add_schema]).calls  # a plain function list

The names below import on first use, so ``import toolrag`` stays cheap. The pipeline's packages
are :mod:`toolrag.index`, :mod:`toolrag.retriever`, :mod:`toolrag.trainer`, :mod:`toolrag.agent`
and :mod:`toolrag.evaluation`; shared types live in :mod:`toolrag.types`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolrag.lazy import exports_on_use

__version__ = "0.1.0"

_EXPORTS = {
    "ToolRAG": "toolrag.api",
    "plan": "toolrag.api",
    "PlannerConfig": "toolrag.agent.config",
    "ToolRegistry": "toolrag.agent.executor",
    "ToolIndex": "toolrag.index.store",
    "as_tools": "toolrag.index.toolset",
    "load_toolset": "toolrag.index.toolset",
    "Tool": "toolrag.types",
    "Param": "toolrag.types",
    "ToolCall": "toolrag.types",
    "ToolragError": "toolrag.errors",
}

__all__ = [
    "Param",
    "PlannerConfig",
    "Tool",
    "ToolCall",
    "ToolIndex",
    "ToolRAG",
    "ToolRegistry",
    "ToolragError",
    "__version__",
    "as_tools",
    "load_toolset",
    "plan",
]

if TYPE_CHECKING:
    from toolrag.agent.config import PlannerConfig
    from toolrag.agent.executor import ToolRegistry
    from toolrag.api import ToolRAG, plan
    from toolrag.errors import ToolragError
    from toolrag.index.store import ToolIndex
    from toolrag.index.toolset import as_tools, load_toolset
    from toolrag.types import Param, Tool, ToolCall


__getattr__ = exports_on_use(_EXPORTS, "toolrag", globals())
