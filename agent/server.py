"""HTTP API over an :class:`~toolrag.agent.agent.Agent`: FastAPI app, served by uvicorn.

Endpoints: ``GET /healthz``, ``POST /retrieve``, ``POST /plan``, ``POST /ask``; the generated
OpenAPI docs are at ``/docs``. Models load once, when the app is created. Handlers are plain
functions, which FastAPI runs in its thread pool; retrieval is thread-safe, and plans run one at a
time (one CPU-bound generation at a time is as fast as two interleaved ones on this kind of
machine, and the engine keeps one cache).

Planning requests are admitted into a bounded queue (:class:`PlanQueue`): past ``max_queue``
waiting requests the server answers 503 with a ``Retry-After`` estimate at once, instead of
holding the client (and a worker thread) for minutes. ``/retrieve`` never waits on the planner.
Plans run one at a time on one worker thread. ``toolrag serve`` loads the local planner in a
child process at a lower priority (:class:`toolrag.agent.worker.PlannerProcess`), so that retrieval
requests take the CPU first; in this process, a lower-priority planning thread would hold the
GIL between forward passes and make the other threads wait on it.

Example:
    >>> app = create_app(Agent.load("my-index"))  # doctest: +SKIP
    >>> uvicorn.run(app, host="127.0.0.1", port=8000)  # doctest: +SKIP
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager, contextmanager
from typing import Any, TypeVar

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, Field

from toolrag.agent.agent import Agent, ExecuteMode
from toolrag.agent.checker import check
from toolrag.errors import ConfigError

logger = logging.getLogger(__name__)
T = TypeVar("T")


class RetrieveRequest(BaseModel):
    query: str = Field(min_length=1, description="What the user asks.")
    k: int = Field(5, ge=1, le=100, description="How many tools to return.")


class PlanRequest(RetrieveRequest):
    tools: list[str] | None = Field(
        None, description="Candidate tool names; default: the retriever's top k."
    )


class AskRequest(RetrieveRequest):
    execute: ExecuteMode = Field(ExecuteMode.SIMULATE, description="simulate or none.")


class PlanQueue:
    """One plan runs at a time; at most ``max_queue`` more wait. Beyond that, :meth:`slot`
    raises a 503 whose ``Retry-After`` is the expected wait (recent plan time x queue length)."""

    def __init__(self, max_queue: int = 4) -> None:
        if max_queue < 0:
            raise ConfigError(f"max_queue={max_queue}: must be 0 or more")
        self.max_queue = max_queue
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="planner")
        self._admitted = threading.BoundedSemaphore(max_queue + 1)
        self._run = threading.Lock()
        self._recent: deque[float] = deque(maxlen=16)
        self.rejected = 0
        self.admitted = 0  # running or waiting now
        self._count = threading.Lock()

    def retry_after(self) -> int:
        typical = sorted(self._recent)[len(self._recent) // 2] if self._recent else 2.0
        return max(1, math.ceil(typical * (self.max_queue + 1)))

    def run(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` on the planning thread, once admitted (see :meth:`slot`)."""
        with self.slot():
            return self._worker.submit(fn, *args).result()

    @contextmanager
    def slot(self) -> Iterator[None]:
        if not self._admitted.acquire(blocking=False):
            with self._count:
                self.rejected += 1
            wait = self.retry_after()
            raise HTTPException(
                503,
                f"the planner is busy ({self.max_queue} requests already waiting); "
                f"retry in about {wait} s",
                headers={"Retry-After": str(wait)},
            )
        with self._count:
            self.admitted += 1
        try:
            with self._run:
                start = time.perf_counter()
                yield
                self._recent.append(time.perf_counter() - start)
        finally:
            with self._count:
                self.admitted -= 1
            self._admitted.release()


def create_app(agent: Agent, *, max_queue: int = 4) -> FastAPI:
    """The FastAPI app serving ``agent``; ``max_queue``: planning requests that may wait
    behind the running one before the server answers 503."""

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        close = getattr(agent.planner, "close", None)  # a planner process ends with the server
        if close is not None:
            close()

    app = FastAPI(
        title="toolrag",
        description="Retrieve the tools a query needs, plan the calls, check and execute them.",
        lifespan=lifespan,
    )
    plans = PlanQueue(max_queue)
    # load the query encoder and warm the planner now, not inside 20 concurrent first requests
    hits = agent.retriever.retrieve("warm up", k=1)
    plans.run(agent.plan, "warm up", [h.tool for h in hits])

    @app.get("/healthz")
    def healthz() -> dict[str, Any]:
        return {
            "status": "ok",
            "tools": len(agent.index),
            "planner": agent.planner.name,
            "plan_queue": {
                "max_waiting": plans.max_queue,
                "planner_niceness": getattr(agent.planner, "niceness", 0),
                "admitted": plans.admitted,
                "rejected": plans.rejected,
            },
        }

    @app.post("/retrieve")
    def retrieve(req: RetrieveRequest) -> dict[str, Any]:
        hits = agent.retriever.retrieve(req.query, k=min(req.k, len(agent.index)))
        return {
            "query": req.query,
            "tools": [h.to_json() for h in hits],
        }

    @app.post("/plan")
    def plan(req: PlanRequest) -> dict[str, Any]:
        if req.tools is not None:
            names = {t.name for t in agent.index.tools}
            unknown = [t for t in req.tools if t not in names]
            if unknown:
                raise HTTPException(400, f"unknown tools {unknown[:5]}; GET /retrieve lists names")
            tools = [agent.index.tool(t) for t in req.tools]
        else:
            hits = agent.retriever.retrieve(req.query, k=min(req.k, len(agent.index)))
            tools = [h.tool for h in hits]
        result, selection = plans.run(agent.plan, req.query, tools)
        by_name = {t.name: t for t in tools}
        violations = check(result.calls, by_name) if result.format_ok else []
        return {
            "candidates": [t.name for t in tools],
            "selected": [t.name for t in selection.tools] if selection else None,
            "plan": result.to_json(),
            "violations": [str(v) for v in violations],
        }

    @app.post("/ask")
    def ask(req: AskRequest) -> dict[str, Any]:
        answer = plans.run(
            lambda: agent.ask(req.query, k=min(req.k, len(agent.index)), execute_mode=req.execute)
        )
        return answer.to_json()

    return app
