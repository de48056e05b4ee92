"""A local planner in a process of its own, at a lower scheduling priority than its caller.

In one process, a planning thread and the server's request threads share the GIL: the planner
holds it between forward passes, so a lower OS priority for that thread only makes the others
wait on a thread the OS runs last. In a child process the planner has its own interpreter, and
its niceness does what it says: the server's retrieval requests take the CPU first and the
planner runs on what they leave (``toolrag serve --planner-niceness``).

Example:
    >>> planner = PlannerProcess(None, niceness=10)  # doctest: +SKIP
    >>> planner.plan("weather in Oslo", tools).calls  # doctest: +SKIP
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Collection, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING, Any

from toolrag.errors import ConfigError

if TYPE_CHECKING:
    from toolrag.agent.planner import PlanResult
    from toolrag.types import Tool

_PLANNER: Any = None  # the child's planner


def _exit_with(parent: int, every: float = 1.0) -> None:
    """End this process once ``parent`` is gone (killed, or exited without shutting the pool
    down): an orphaned planner would otherwise hold its model and threads forever."""
    while os.getppid() == parent:
        time.sleep(every)
    os._exit(0)


def _load(spec: str | None, niceness: int, kwargs: dict[str, Any]) -> str:
    global _PLANNER
    threading.Thread(target=_exit_with, args=(os.getppid(),), daemon=True).start()
    if niceness:
        os.nice(niceness)
    from toolrag.agent.planner import Planner

    _PLANNER = Planner.load(spec, **kwargs)
    return _PLANNER.name


def _info() -> dict[str, int]:
    return {"pid": os.getpid(), "niceness": os.nice(0)}


def _plan(
    query: str,
    tools: list[Tool],
    selected: list[str] | None,
    required: list[str] | None,
    positions: dict[str, int] | None,
    pointed: dict[str, list[str]] | None,
) -> PlanResult:
    return _PLANNER.plan(
        query, tools, selected=selected, required=required, positions=positions, pointed=pointed
    )


class PlannerProcess:
    """:meth:`toolrag.agent.planner.Planner.load` ``(spec, **kwargs)`` in a child process started with
    ``spawn`` and ``niceness`` lower priority; :meth:`plan` as :meth:`Planner.plan`, one plan at
    a time. The model loads in the constructor, which waits for it (errors raise there). The
    child ends with this process, even when this process is killed; :meth:`close` ends it
    sooner.
    """

    def __init__(self, spec: str | None = None, *, niceness: int = 10, **kwargs: Any) -> None:
        if not 0 <= niceness <= 19:
            raise ConfigError(f"niceness={niceness}: must be 0 (the same priority) to 19")
        self.niceness = niceness
        self._pool = ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("spawn"),
        )
        try:
            self.name: str = self._pool.submit(_load, spec, niceness, kwargs).result()
        except BaseException:
            self._pool.shutdown(cancel_futures=True)
            raise

    def plan(
        self,
        query: str,
        tools: Sequence[Tool],
        *,
        selected: Sequence[str] | None = None,
        required: Sequence[str] | None = None,
        positions: Mapping[str, int] | None = None,
        pointed: Mapping[str, Collection[str]] | None = None,
    ) -> PlanResult:
        chosen = list(selected) if selected is not None else None
        must = list(required) if required is not None else None
        order = dict(positions) if positions is not None else None
        told = {k: list(v) for k, v in pointed.items()} if pointed is not None else None
        return self._pool.submit(_plan, query, list(tools), chosen, must, order, told).result()

    def info(self) -> dict[str, int]:
        """The child's process id and niceness."""
        return self._pool.submit(_info).result()

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)
