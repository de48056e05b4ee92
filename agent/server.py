"""HTTP API over an :class:`~agent.agent.Agent`: FastAPI app, served by uvicorn.

Endpoints: ``GET /healthz``, ``POST /retrieve``, ``POST /plan``, ``POST /ask``; the generated
OpenAPI docs are at ``/docs``. Models load once, when the app is created. Handlers are plain
functions, which FastAPI runs in its thread pool; retrieval is thread-safe, and planning holds a
lock because one CPU-bound generation at a time is as fast as two interleaved ones on this kind
of machine and keeps the model's state simple.

Example:
    >>> app = create_app(Agent.load("my-index"))  # doctest: +SKIP
    >>> uvicorn.run(app, host="127.0.0.1", port=8000)  # doctest: +SKIP
"""

from __future__ import annotations

import threading
from typing import Any

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, Field

from agent.agent import Agent, ExecuteMode
from agent.checker import check


class RetrieveRequest(BaseModel):
    query: str = Field(min_length=1, description="What the user asks.")
    k: int = Field(5, ge=1, le=100, description="How many tools to return.")


class PlanRequest(RetrieveRequest):
    tools: list[str] | None = Field(
        None, description="Candidate tool names; default: the retriever's top k."
    )


class AskRequest(RetrieveRequest):
    execute: ExecuteMode = Field(ExecuteMode.SIMULATE, description="simulate or none.")


def create_app(agent: Agent) -> FastAPI:
    """The FastAPI app serving ``agent``."""
    app = FastAPI(
        title="toolrag",
        description="Retrieve the tools a query needs, plan the calls, check and execute them.",
    )
    plan_lock = threading.Lock()
    # load the query encoder now, not lazily inside 20 concurrent first requests
    agent.retriever.retrieve("warm up", k=1)

    @app.get("/healthz")
    def healthz() -> dict[str, Any]:
        return {"status": "ok", "tools": len(agent.index), "planner": agent.planner.name}

    @app.post("/retrieve")
    def retrieve(req: RetrieveRequest) -> dict[str, Any]:
        hits = agent.retriever.retrieve(req.query, k=min(req.k, len(agent.index)))
        return {
            "query": req.query,
            "tools": [
                {
                    "rank": h.rank,
                    "name": h.tool.name,
                    "score": float(h.score),
                    "description": h.tool.description,
                }
                for h in hits
            ],
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
        with plan_lock:
            result, selection = agent.plan(req.query, tools)
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
        with plan_lock:
            answer = agent.ask(req.query, k=min(req.k, len(agent.index)), execute_mode=req.execute)
        return answer.to_json()

    return app
