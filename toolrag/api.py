"""The front door: :class:`ToolRAG` for a toolset you index once, :func:`plan` for a function list.

Both wire the pieces the CLI wires (index, retriever, the shipped tool selector, the planner,
the checker and the executor) with the same defaults, so that the obvious call is the good one.

Example:
    >>> import toolrag  # doctest: +SKIP
    >>> rag = toolrag.ToolRAG.from_tools("tools.jsonl")  # doctest: +SKIP
    >>> [h.tool.name for h in rag.retrieve("weather in Oslo", k=3)]  # doctest: +SKIP
    >>> rag.plan("Weather in Oslo, then email it to Ann").calls  # doctest: +SKIP
    >>> toolrag.plan("What is 2 + 3?", [{"name": "add", "parameters": {...}}]).calls  # doctest: +SKIP
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from toolrag.agent.agent import Agent, Answer
    from toolrag.agent.config import PlannerConfig
    from toolrag.agent.executor import ToolRegistry
    from toolrag.agent.planner import PlanResult
    from toolrag.index.store import ToolIndex
    from toolrag.retriever.base import ScoredTool
    from toolrag.types import Tool


@functools.lru_cache(maxsize=2)
def _planner(spec: str | None, config: PlannerConfig | None) -> Any:
    """One loaded planner per (model, config): loading costs about a second, a plan less."""
    from toolrag.agent.agent import make_planner

    return make_planner(spec, config=config)


class ToolRAG:
    """An index with its retriever, the shipped selector and a planner, ready to answer.

    Args:
        index: a built :class:`~toolrag.index.store.ToolIndex`.
        planner: the planner's model (``None``: the shipped planner; an adapter or model
            folder, a packaged alias such as ``qwen2.5-coder-0.5b``, or ``openai:MODEL``).
        config: planner options (:class:`~toolrag.agent.config.PlannerConfig`).
        selector: ``"auto"`` (the shipped selector when it fits the index's embedding model),
            ``"none"``, or a selector folder.
        k: candidates retrieved per query.
        registry: Python implementations of tools (others are simulated when executed).

    The planner loads on the first :meth:`plan` or :meth:`ask`, not before.
    """

    def __init__(
        self,
        index: ToolIndex,
        *,
        planner: str | None = None,
        config: PlannerConfig | None = None,
        selector: str | Path | None = "auto",
        k: int = 5,
        registry: ToolRegistry | None = None,
    ) -> None:
        from toolrag.retriever.factory import default_retriever

        self.index = index
        self.retriever = default_retriever(index)
        self.k = k
        self._planner_spec = planner
        self._config = config
        self._selector_spec = selector
        self._registry = registry
        self._agent: Agent | None = None

    @classmethod
    def from_tools(cls, tools: Any, *, model: str | None = None, **options: Any) -> ToolRAG:
        """Index ``tools`` in memory: toolset files, function schemas as Python objects (OpenAI,
        Anthropic, MCP ``tools/list``, Seal-Tools shapes) or :class:`~toolrag.types.Tool`\\ s.
        ``model``: the embedding model (default: the shipped retriever). ``options``: as for
        the constructor."""
        from toolrag.index.store import ToolIndex
        from toolrag.index.toolset import as_tools

        return cls(ToolIndex.build(as_tools(tools), model=model), **options)

    @classmethod
    def load(cls, index_dir: str | Path, **options: Any) -> ToolRAG:
        """Open an index folder written by :meth:`save` or ``toolrag index build``."""
        from toolrag.index.location import load_index

        return cls(load_index(index_dir), **options)

    def save(self, path: str | Path) -> Path:
        """Write the index folder (atomically: a failed save leaves the old folder intact)."""
        return self.index.save(path)

    @property
    def tools(self) -> list[Tool]:
        """Every tool in the index."""
        return self.index.all_tools()

    @property
    def agent(self) -> Agent:
        """The :class:`~toolrag.agent.agent.Agent` behind :meth:`plan` and :meth:`ask`."""
        if self._agent is None:
            from toolrag.agent.agent import Agent
            from toolrag.agent.executor import ToolRegistry
            from toolrag.retriever.selector import resolve_selector

            self._agent = Agent(
                self.index,
                _planner(self._planner_spec, self._config),
                retriever=self.retriever,
                registry=self._registry or ToolRegistry(),
                selector=resolve_selector(self._selector_spec, self.index),
                k=self.k,
            )
        return self._agent

    def retrieve(self, query: str, k: int | None = None) -> list[ScoredTool]:
        """The ``k`` tools the query most likely needs, best first (hybrid BM25 + dense)."""
        return self.retriever.retrieve(query, k=k or self.k)

    def plan(self, query: str, k: int | None = None) -> PlanResult:
        """Retrieve ``k`` candidates, let the selector choose, and plan the calls."""
        tools = [hit.tool for hit in self.retrieve(query, k)]
        return self.agent.plan(query, tools)[0]

    def ask(self, query: str, k: int | None = None, *, execute: str = "simulate") -> Answer:
        """Retrieve, select, plan, check and (unless ``execute="none"``) execute."""
        return self.agent.ask(query, k=k, execute_mode=execute)


def plan(
    query: str,
    functions: Any,
    *,
    planner: str | None = None,
    config: PlannerConfig | None = None,
    k: int = 5,
) -> PlanResult:
    """Plan the calls that answer ``query`` with a plain function list.

    ``functions``: OpenAI, Anthropic or MCP function schemas as Python objects (a list, or a
    ``{"tools": [...]}`` wrapper), :class:`~toolrag.types.Tool`\\ s, or toolset files. The shipped
    selector chooses among them (among the ``k`` best retrieved when there are more than ``k``)
    and the planner calls exactly those.

    Example:
        >>> add = {"name": "add", "description": "Add two numbers",  # doctest: +SKIP
        ...        "parameters": {"type": "object", "properties": {"a": {"type": "number"},
        ...        "b": {"type": "number"}}, "required": ["a", "b"]}}
        >>> toolrag.plan("What is 2 plus 3?", [add]).calls  # doctest: +SKIP
        [ToolCall(api='add', parameters={'a': 2, 'b': 3}, ...)]
    """
    from toolrag.index.toolset import as_tools

    key = json.dumps([t.model_dump(mode="json") for t in as_tools(functions)], sort_keys=True)
    rag = _function_list(key, planner, config, k)
    tools = rag.tools if len(rag.index) <= k else [h.tool for h in rag.retrieve(query, k)]
    return rag.agent.plan(query, tools)[0]


@functools.lru_cache(maxsize=8)
def _function_list(
    tools_json: str, planner: str | None, config: PlannerConfig | None, k: int
) -> ToolRAG:
    """The same function list planned again reuses its index (encoding tools costs the most)."""
    from toolrag.types import Tool

    tools = [Tool.model_validate(t) for t in json.loads(tools_json)]
    return ToolRAG.from_tools(tools, planner=planner, config=config, k=k)
