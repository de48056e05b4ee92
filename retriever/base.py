"""What every retriever offers: ``search`` over many queries (a BEIR run) and ``retrieve`` for one."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from toolrag.choices import Mode  # noqa: F401  (re-exported)
from toolrag.errors import ConfigError
from toolrag.types import Queries, Run, Tool

if TYPE_CHECKING:
    from toolrag.index.store import ToolIndex


@dataclass(frozen=True)
class ScoredTool:
    rank: int
    score: float
    tool: Tool

    def to_json(self) -> dict[str, Any]:
        """The hit as the CLI's ``--json`` and the server's ``/retrieve`` show it."""
        return {
            "rank": self.rank,
            "name": self.tool.name,
            "score": round(float(self.score), 4),
            "description": self.tool.description,
        }


class Retriever(ABC):
    """A retriever reads a :class:`ToolIndex` and returns runs keyed by tool name."""

    def __init__(self, index: ToolIndex) -> None:
        self.index = index

    @abstractmethod
    def search(self, queries: Queries, k: int = 10) -> Run:
        """Top-``k`` tools per query: ``{qid: {tool_name: score}}``, best first."""

    def retrieve(self, query: str, k: int = 5) -> list[ScoredTool]:
        """Top-``k`` tools for one query, ranked."""
        hits = self.search({"q": query}, k)["q"]
        tools = self.index.tools  # the hits' rows: a Milvus index has just read them
        return [
            ScoredTool(rank=i + 1, score=score, tool=tools[self.index.row(name)])
            for i, (name, score) in enumerate(hits.items())
        ]

    def _check_k(self, k: int) -> int:
        """``k`` itself, checked; the stores return fewer hits where there are fewer tools
        (no count of the index, which a Milvus index would read from the server)."""
        if k < 1:
            raise ConfigError(f"k={k} must be at least 1")
        return k
