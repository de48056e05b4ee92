"""The gateway's catalog: every upstream tool under its namespaced name, and the index over them.

Each upstream's listing replaces that server's entries (:meth:`Catalog.set_server`); the index
follows in place: only the tools that were added, changed or removed are touched
(``ToolIndex.updated``, which re-encodes only changed text, or a Milvus index's ``update``).
Writers hold one lock; readers take one snapshot (index, retriever, selector) and never see a
half-updated index. A server that is down keeps its tools in the index, marked unavailable.

Example:
    >>> catalog = Catalog(model=None)  # doctest: +SKIP
    >>> catalog.set_server(server_config, listed_tools)  # doctest: +SKIP
    >>> [h.name for h in catalog.search("weather in Oslo", k=3)]  # doctest: +SKIP
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolrag.agent.gateway_config import SEPARATOR, ServerConfig
from toolrag.errors import ConfigError, ToolragError
from toolrag.types import Tool

if TYPE_CHECKING:
    from toolrag.index.store import ToolIndex
    from toolrag.retriever.base import Retriever
    from toolrag.retriever.selector import ToolSelector

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Entry:
    """One upstream tool as the agent sees it."""

    name: str  # namespaced: prefix__tool
    server: str  # the server's prefix
    upstream: str  # the name the upstream server knows it by
    listing: dict[str, Any]  # the upstream's tools/list entry, as sent (camelCase keys)
    tool: Tool  # the toolrag record the index holds (name = the namespaced name)

    def definition(self) -> dict[str, Any]:
        """The MCP tool definition under the namespaced name (input and output schema as the
        upstream wrote them)."""
        return self.listing | {"name": self.name}


@dataclass(frozen=True)
class Hit:
    """One search result."""

    entry: Entry
    score: float
    probability: float | None  # the selector's: does the request need this tool?
    selected: bool | None  # the selector's verdict (None: no selector)

    @property
    def name(self) -> str:
        return self.entry.name


@dataclass(frozen=True)
class _Snapshot:
    index: ToolIndex | None
    retriever: Retriever | None
    selector: ToolSelector | None


def to_tool(name: str, listing: dict[str, Any]) -> Tool:
    """The toolrag record of one MCP tool (its schema read as ``toolrag index build`` reads a
    ``tools/list`` file)."""
    from toolrag.index.toolset import as_tools

    return as_tools({"tools": [listing | {"name": name}]}, fmt="mcp")[0]


class Catalog:
    """Namespaced upstream tools, their index, retriever and selector.

    Args:
        index_spec: where the index lives: ``None`` (in memory), a folder (loaded when it
            exists, so a restart re-encodes nothing unchanged; saved after every change) or
            ``milvus:URI#NAME`` (updated in place, so several gateways share one catalog).
        model: the embedding model (``None``: the shipped retriever).
        selector: ``"auto"``, ``"none"`` or a selector folder (as ``toolrag plan --selector``).
    """

    def __init__(
        self,
        index_spec: str | Path | None = None,
        *,
        model: str | None = None,
        selector: str = "auto",
    ) -> None:
        self.index_spec = None if index_spec is None else str(index_spec)
        self.model = model
        self.selector_spec = selector
        self.entries: dict[str, Entry] = {}
        self.down: set[str] = set()  # prefixes of servers that are unreachable now
        self._write = threading.Lock()
        self._snap = _Snapshot(None, None, None)
        self._opened = False
        self.updates = 0  # index updates applied (for tests and /healthz-like reports)
        self.depth = 20  # candidates the selector re-orders per search

    # -- reading -----------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, name: str) -> Entry | None:
        return self.entries.get(name)

    def available(self, name: str) -> bool:
        entry = self.entries.get(name)
        return entry is not None and entry.server not in self.down

    @property
    def index(self) -> ToolIndex | None:
        return self._snap.index

    @property
    def selector(self) -> ToolSelector | None:
        return self._snap.selector

    def search(self, query: str, k: int = 5, *, rerank: bool = True) -> list[Hit]:
        """The ``k`` tools the query most likely needs, best first: hybrid retrieval with query
        decomposition takes the top :attr:`depth`, and the selector, where there is one,
        orders them by its probability that the request needs each (``rerank=False``: the
        retriever's order, its top ``k``)."""
        snap = self._snap
        if snap.index is None or snap.retriever is None or not self.entries:
            raise ToolragError("no upstream tools are indexed yet; check the servers' logs")
        wide = max(k, self.depth) if rerank and snap.selector is not None else k
        hits = snap.retriever.retrieve(query, k=wide)
        hits = [h for h in hits if h.tool.name in self.entries]  # a shared index may hold more
        if snap.selector is None or not hits:
            return [Hit(self.entries[h.tool.name], float(h.score), None, None) for h in hits[:k]]
        selection = snap.selector.select(query, [h.tool for h in hits])
        probs = [float(selection.probabilities.get(h.tool.name, 0.0)) for h in hits]
        chosen = {t.name for t in selection.tools}
        order = (
            sorted(range(len(hits)), key=lambda i: (-probs[i], i)) if rerank else range(len(hits))
        )
        return [
            Hit(
                self.entries[hits[i].tool.name],
                float(hits[i].score),
                round(probs[i], 4),
                hits[i].tool.name in chosen,
            )
            for i in list(order)[:k]
        ]

    # -- writing -----------------------------------------------------------------------------

    def mark(self, server: str, up: bool) -> None:
        """Mark a server's tools available (``up``) or not; the index keeps them either way."""
        (self.down.discard if up else self.down.add)(server)

    def set_server(self, server: ServerConfig, listed: list[dict[str, Any]]) -> dict[str, int]:
        """Replace ``server``'s tools with its listing (allow/deny applied) and update the index
        in place: only tools added, changed or gone are written. Returns those counts."""
        fresh: dict[str, Entry] = {}
        for raw in listed:
            upstream = raw.get("name")
            if not isinstance(upstream, str) or not server.admits(upstream):
                continue
            name = server.exposed_name(upstream)
            try:
                tool = to_tool(name, raw)
            except ToolragError as err:
                logger.warning("server %s: skipping tool %r: %s", server.prefix, upstream, err)
                continue
            fresh[name] = Entry(name, server.prefix, upstream, raw, tool)
        with self._write:
            old = {n: e for n, e in self.entries.items() if e.server == server.prefix}
            counts = {
                "added": sum(n not in old for n in fresh),
                "changed": sum(n in old and old[n].listing != e.listing for n, e in fresh.items()),
                "removed": sum(n not in fresh for n in old),
            }
            self._apply(server.prefix, fresh)
        if any(counts.values()):
            logger.info("server %s: %s", server.prefix, counts)
        return counts

    def _apply(self, prefix: str, fresh: dict[str, Entry]) -> None:
        """Under the writer lock: bring the index to ``fresh`` for this server (a stored index
        may hold tools from before a restart), then swap in the entries and the snapshot."""
        from toolrag.index.location import is_milvus

        index = self._snap.index
        if not self._opened:
            index, self._opened = self._open(), True
        entries = {n: e for n, e in self.entries.items() if e.server != prefix} | fresh
        stored = {t.name: t for t in index.all_tools()} if index is not None else {}
        mine = {n for n in stored if n.startswith(prefix + SEPARATOR)}
        add = [e.tool for n, e in fresh.items() if stored.get(n) != e.tool]
        remove = sorted(mine - fresh.keys())
        if index is None:
            index = self._build([e.tool for e in entries.values()]) if entries else None
            changed = index is not None
        elif not add and not remove:
            changed = False
        elif is_milvus(self.index_spec or ""):
            index.update(add=add, remove=remove)
            changed = True
        else:
            keep = len(stored) - len(remove) + sum(t.name not in stored for t in add)
            index = index.updated(add=add, remove=remove) if keep else None
            changed = True
        if changed and index is not None and self.index_spec and not is_milvus(self.index_spec):
            index.save(self.index_spec)
        self.entries = entries
        self._snap = self._snapshot(index)
        self.updates += changed

    def _open(self) -> ToolIndex | None:
        """The stored index at :attr:`index_spec`, or None (in memory, or not written yet)."""
        if self.index_spec is None:
            return None
        from toolrag.index.location import is_milvus, load_index

        if not is_milvus(self.index_spec) and not Path(self.index_spec).exists():
            return None
        try:
            return load_index(self.index_spec)
        except ToolragError as err:
            if is_milvus(self.index_spec):  # not published yet
                logger.info("publishing a new catalog to %s (%s)", self.index_spec, err)
                return None
            raise

    def _build(self, tools: list[Tool]) -> ToolIndex:
        from toolrag.index.location import is_milvus, split_milvus, token_env
        from toolrag.index.store import ToolIndex

        index = ToolIndex.build(tools, model=self.model)
        if self.index_spec and is_milvus(self.index_spec):
            from toolrag.index.milvus import open_index, publish

            uri, name = split_milvus(self.index_spec)
            publish(index, uri, name, token_env=token_env())
            return open_index(uri, name, token_env=token_env())
        return index

    def _snapshot(self, index: ToolIndex | None) -> _Snapshot:
        if index is None:
            return _Snapshot(None, None, None)
        from toolrag.retriever.factory import default_retriever
        from toolrag.retriever.selector import resolve_selector

        old = self._snap
        if old.index is index and old.retriever is not None:  # Milvus: updated in place
            return old
        return _Snapshot(
            index, default_retriever(index), resolve_selector(self.selector_spec, index)
        )


def _names(index: ToolIndex) -> list[str]:
    return [t.name for t in index.all_tools()]


def check_index_spec(spec: str | None) -> None:
    """Fail before any server starts on an index spec that cannot work."""
    if spec is None:
        return
    from toolrag.index.location import is_milvus, split_milvus

    if is_milvus(spec):
        split_milvus(spec)
    elif Path(spec).exists() and not Path(spec).is_dir():
        raise ConfigError(f"--index {spec} is a file; give a folder (or milvus:URI#NAME)")
