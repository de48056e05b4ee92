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

Safe to put on a network (:class:`ServerSettings`): an optional bearer token (every path but
``/healthz`` then needs ``Authorization: Bearer KEY``; compared in constant time), a request body
limit (413) and a query length limit (422), both saying the limit; input the planner cannot take
is a 4xx with the reason, and a 5xx is a bug, logged with the request id it returns
(``X-Request-ID``). ``/metrics`` serves Prometheus text (requests, latency, queue depth, 503s).

Example:
    >>> app = create_app(Agent.load("my-index"))  # doctest: +SKIP
    >>> uvicorn.run(app, host="127.0.0.1", port=8000)  # doctest: +SKIP
"""

from __future__ import annotations

import hmac
import logging
import math
import threading
import time
import uuid
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from fastapi import FastAPI, HTTPException, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from pydantic import BaseModel, Field, field_validator
from starlette.exceptions import HTTPException as StarletteHTTPException

from toolrag.agent.agent import Agent, ExecuteMode
from toolrag.agent.checker import check
from toolrag.errors import ConfigError, InputTooLongError, ToolragError, UnknownToolError
from toolrag.text import SURROGATE, check_text

logger = logging.getLogger(__name__)
T = TypeVar("T")


MAX_PLAN_TOOLS = 20
"""The most candidate tools a /plan or /ask request may offer the planner (its prompt lists them)."""


@dataclass(frozen=True)
class ServerSettings:
    """What the server accepts, and from whom."""

    api_key: str | None = field(
        default=None, metadata={"help": "bearer token every path but /healthz needs; None: open"}
    )
    max_body_bytes: int = field(
        default=1_000_000, metadata={"help": "larger request bodies get 413"}
    )
    max_query_chars: int = field(
        default=2_000, metadata={"help": "longer queries get 422 (the planner's context is finite)"}
    )
    cors_origins: tuple[str, ...] = field(
        default=(), metadata={"help": "origins browsers may call from; none by default"}
    )

    def __post_init__(self) -> None:
        if self.api_key is not None and len(self.api_key) < 16:
            raise ConfigError("the API key must be at least 16 characters; use a random token")
        for name in ("max_body_bytes", "max_query_chars"):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name} must be at least 1, got {getattr(self, name)}")


class RetrieveRequest(BaseModel):
    query: str = Field(min_length=1, description="What the user asks.")
    k: int = Field(5, ge=1, le=100, description="How many tools to return.")

    @field_validator("query")
    @classmethod
    def _encodable(cls, query: str) -> str:  # a JSON "\ud800" escape: 422, not a tokenizer's 500
        return check_text(query, "the query")


class PlanRequest(RetrieveRequest):
    k: int = Field(5, ge=1, le=MAX_PLAN_TOOLS, description="How many candidate tools to plan with.")
    tools: list[str] | None = Field(
        None,
        max_length=MAX_PLAN_TOOLS,
        description="Candidate tool names; default: the retriever's top k.",
    )

    @field_validator("tools")
    @classmethod
    def _encodable_names(cls, tools: list[str] | None) -> list[str] | None:
        for name in tools or []:
            check_text(name, "a tool name")
        return tools


class AskRequest(RetrieveRequest):
    k: int = Field(5, ge=1, le=MAX_PLAN_TOOLS, description="How many candidate tools to plan with.")
    execute: ExecuteMode = Field(ExecuteMode.SIMULATE, description="simulate or none.")


def _printable(value: Any) -> Any:
    """``value`` with every lone surrogate in its strings written as an escape."""
    if isinstance(value, str):
        return SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", value)
    if isinstance(value, dict):
        return {_printable(k): _printable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_printable(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # JSON has no inf or nan
    return value


class SafeJSONResponse(JSONResponse):
    """A JSON response that can always be sent: text that cannot be encoded as UTF-8 (a lone
    surrogate echoed from a request) is written as its escape, and a number JSON cannot hold
    (``1e400`` parses as inf) as its name, instead of failing with a 500."""

    def render(self, content: Any) -> bytes:
        try:
            return super().render(content)
        except (UnicodeEncodeError, ValueError):  # a lone surrogate, or inf from "1e400"
            return super().render(_printable(content))


class ErrorDetail(BaseModel):
    """The body of every 4xx but 422 (whose body is FastAPI's validation error list)."""

    detail: str = Field(description="What is wrong and what to do.")


ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorDetail, "description": why}
    for status, why in [
        (400, "A tool name that is not in the index."),
        (401, "Missing or wrong API key."),
        (413, "The body or the planner's input is over its limit."),
        (503, "The planner's queue is full; retry after Retry-After seconds."),
    ]
}
"""The error responses each endpoint documents in its OpenAPI schema."""


def unprocessable(message: str, loc: tuple[str, ...] = ("body",)) -> SafeJSONResponse:
    """A 422 shaped as FastAPI's own (the schema's ``HTTPValidationError``)."""
    error = {"loc": list(loc), "msg": message, "type": "value_error"}
    return SafeJSONResponse({"detail": [error]}, status_code=422)


class PlanQueue:
    """One plan runs at a time; at most ``max_queue`` more wait. Beyond that, :meth:`slot`
    raises a 503 whose ``Retry-After`` is the expected wait (recent plan time x queue length)."""

    def __init__(self, max_queue: int = 4, on_reject: Callable[[], None] | None = None) -> None:
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
        self._on_reject = on_reject

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
            if self._on_reject is not None:
                self._on_reject()
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


KNOWN_PATHS = frozenset({"/healthz", "/metrics", "/retrieve", "/plan", "/ask", "/docs"})
"""Paths that get their own metric labels (anything else is "other": no unbounded labels)."""


class _Metrics:
    """Prometheus series of one app (its own registry, so that two apps in a process never
    share counts)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "toolrag_requests", "HTTP requests answered", ["path", "status"], registry=self.registry
        )
        self.latency = Histogram(
            "toolrag_request_seconds",
            "Time to answer a request",
            ["path"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
            registry=self.registry,
        )
        self.rejected = Counter(
            "toolrag_plan_rejected",
            "Plan requests answered 503 (queue full)",
            registry=self.registry,
        )
        self.queue = Gauge(
            "toolrag_plan_queue_depth", "Plan requests running or waiting", registry=self.registry
        )


class _BodyLimit:
    """ASGI middleware: a request body over ``limit`` bytes is answered 413 before the app
    reads it, whether it says its length (Content-Length) or streams it (chunked)."""

    def __init__(self, app: Any, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            return await self._refuse(scope, receive, send)
        seen = 0
        over = started = False

        async def counted() -> dict:
            nonlocal seen, over
            if over:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:  # the app sees the client go; the 413 is sent below
                    over = True
                    return {"type": "http.disconnect"}
            return message

        async def tracked_send(message: dict) -> None:
            nonlocal started
            if over:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, tracked_send)
        except Exception:
            if not over:
                raise
        if over and not started:
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: dict, receive: Callable, send: Callable) -> None:
        detail = f"the request body is over the limit of {self.limit} bytes; send less"
        await JSONResponse({"detail": detail}, status_code=413)(scope, receive, send)


def create_app(
    agent: Agent, *, max_queue: int = 4, settings: ServerSettings | None = None
) -> FastAPI:
    """The FastAPI app serving ``agent``; ``max_queue``: planning requests that may wait
    behind the running one before the server answers 503; ``settings``: who may call and how
    much they may send (:class:`ServerSettings`)."""
    settings = settings or ServerSettings()

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
        default_response_class=SafeJSONResponse,
    )
    metrics = _Metrics()
    plans = PlanQueue(max_queue, on_reject=metrics.rejected.inc)
    metrics.queue.set_function(lambda: plans.admitted)
    started = time.time()
    # load the query encoder and warm the planner now, not inside 20 concurrent first requests
    hits = agent.retriever.retrieve("warm up", k=1)
    plans.run(agent.plan, "warm up", [h.tool for h in hits])
    expected = f"Bearer {settings.api_key}".encode() if settings.api_key else None

    @app.middleware("http")
    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]):
        request_id = request.headers.get("x-request-id") or uuid.uuid4().hex[:16]
        request.state.request_id = request_id
        path = request.url.path
        route = path if path in KNOWN_PATHS else "other"
        begin = time.perf_counter()
        given = request.headers.get("authorization", "").encode()
        if expected is not None and path != "/healthz" and not hmac.compare_digest(given, expected):
            response: Response = JSONResponse(
                {"detail": "missing or wrong API key: send 'Authorization: Bearer <key>'"},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        else:
            try:
                response = await call_next(request)
            except Exception:  # a bug: logged with the id the client gets
                logger.exception("request %s to %s failed", request_id, path)
                response = JSONResponse(
                    {"detail": f"internal error; quote request id {request_id}"}, status_code=500
                )
        response.headers["X-Request-ID"] = request_id
        metrics.requests.labels(route, str(response.status_code)).inc()
        metrics.latency.labels(route).observe(time.perf_counter() - begin)
        return response

    @app.exception_handler(ToolragError)
    async def input_error(request: Request, err: ToolragError) -> JSONResponse:
        if isinstance(err, InputTooLongError):
            return SafeJSONResponse({"detail": str(err)}, status_code=413)
        return unprocessable(str(err))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, err: RequestValidationError) -> JSONResponse:
        # FastAPI's own handler echoes the input, which may not be encodable
        return SafeJSONResponse({"detail": jsonable_encoder(err.errors())}, status_code=422)

    @app.exception_handler(StarletteHTTPException)  # FastAPI's and the router's 404 and 405
    async def http_error(request: Request, err: StarletteHTTPException) -> JSONResponse:
        if err.status_code == 422:
            return unprocessable(str(err.detail), ("body", "query"))
        return SafeJSONResponse(
            {"detail": err.detail}, status_code=err.status_code, headers=err.headers
        )

    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", "X-Request-ID"],
        )
    app.add_middleware(_BodyLimit, limit=settings.max_body_bytes)

    def check_query(query: str) -> None:
        if len(query) > settings.max_query_chars:
            raise HTTPException(
                422,
                f"the query is {len(query)} characters; the limit is {settings.max_query_chars}",
            )

    @app.get("/healthz")
    def healthz() -> dict[str, Any]:
        return {
            "status": "ok",
            "tools": len(agent.index),
            "uptime_s": round(time.time() - started, 1),
            "auth": expected is not None,
            "plan_queue": {
                "max_waiting": plans.max_queue,
                "planner_niceness": getattr(agent.planner, "niceness", 0),
                "admitted": plans.admitted,
                "rejected": plans.rejected,
            },
        }

    @app.get("/metrics")
    def prometheus() -> Response:
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    @app.post("/retrieve", responses=ERRORS)
    def retrieve(req: RetrieveRequest) -> dict[str, Any]:
        check_query(req.query)
        hits = agent.retriever.retrieve(req.query, k=min(req.k, len(agent.index)))
        return {
            "query": req.query,
            "tools": [h.to_json() for h in hits],
        }

    @app.post("/plan", responses=ERRORS)
    def plan(req: PlanRequest) -> dict[str, Any]:
        check_query(req.query)
        if req.tools is not None:
            tools, unknown = [], []
            for name in req.tools:
                try:
                    tools.append(agent.index.tool(name))
                except UnknownToolError:
                    unknown.append(name)
            if unknown:
                raise HTTPException(400, f"unknown tools {unknown[:5]}; GET /retrieve lists names")
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

    @app.post("/ask", responses=ERRORS)
    def ask(req: AskRequest) -> dict[str, Any]:
        check_query(req.query)
        answer = plans.run(
            lambda: agent.ask(req.query, k=min(req.k, len(agent.index)), execute_mode=req.execute)
        )
        return answer.to_json()

    return app
