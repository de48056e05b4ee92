"""``toolrag plan``, ``ask``, ``serve`` and ``mcp``: the agent at work."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from toolrag.cli.common import (
    EXPECTED_ERRORS,
    ConstrainedOpt,
    EngineOpt,
    IndexOpt,
    JsonOpt,
    PlannerOpt,
    PrecisionOpt,
    SelectorOpt,
    ThresholdOpt,
    WithoutOpt,
    _fail,
    _print_json,
    app,
    console,
)
from toolrag.cli.render import show_answer
from toolrag.errors import ConfigError
from toolrag.text import check_text


@app.command("plan")
def plan_cmd(
    query: Annotated[str, typer.Argument(help="What the user asks.")],
    index: IndexOpt,
    k: Annotated[int, typer.Option("-k", help="Candidate tools to retrieve.")] = 5,
    planner: PlannerOpt = None,
    constrained: ConstrainedOpt = True,
    engine: EngineOpt = None,
    precision: PrecisionOpt = None,
    selector: SelectorOpt = "auto",
    threshold: ThresholdOpt = None,
    without: WithoutOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Retrieve candidate tools for QUERY and plan the (nested) calls that answer it."""
    from toolrag.agent.agent import Agent

    try:
        check_text(query, "the query")
        agent = Agent.load(
            index,
            planner=planner,
            constrained=constrained,
            engine=engine,
            precision=precision,
            selector=selector,
            threshold=threshold,
            without=without or (),
        )
        cands = [h.tool for h in agent.retriever.retrieve(query, k=k)]
        result, selection = agent.plan(query, cands)
    except EXPECTED_ERRORS as err:
        _fail(err)
    selected = [t.name for t in selection.tools] if selection else None
    if as_json:
        _print_json(
            {"candidates": [t.name for t in cands], "selected": selected} | result.to_json()
        )
        return
    console.print(f"candidates: {', '.join(t.name for t in cands)}")
    if selected is not None:
        console.print(f"selected: {', '.join(selected) or '(none)'}")
    if not result.format_ok:
        console.print(f"[red]format error:[/] {result.error}\n{result.text}")
        return
    for i, call in enumerate(result.calls):
        console.print(
            f"{i}. [bold]{call.api}[/]({json.dumps(call.parameters)}) -> {call.responses}"
        )
    console.print(f"({result.seconds:.2f} s, {result.new_tokens} tokens)")


@app.command("ask")
def ask(
    query: Annotated[str, typer.Argument(help="What the user asks.")],
    index: IndexOpt,
    k: Annotated[int, typer.Option("-k", help="Candidate tools to retrieve.")] = 5,
    planner: PlannerOpt = None,
    execute: Annotated[
        str, typer.Option("--execute", help="simulate (run / simulate the tools) or none.")
    ] = "simulate",
    constrained: ConstrainedOpt = True,
    engine: EngineOpt = None,
    precision: PrecisionOpt = None,
    selector: SelectorOpt = "auto",
    threshold: ThresholdOpt = None,
    openapi: Annotated[
        list[Path] | None,
        typer.Option(
            "--openapi",
            help="OpenAPI spec(s) whose operations run as real HTTP calls (others are simulated).",
        ),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option("--base-url", help="Server root for --openapi; default the spec's servers."),
    ] = None,
    simulator: Annotated[
        str | None,
        typer.Option(
            "--simulator",
            help="Simulate unimplemented tools with an LLM (local:NAME or openai:MODEL) playing "
            "the tool from its documentation; default: deterministic from the output schema.",
        ),
    ] = None,
    without: WithoutOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Retrieve tools, plan the (nested) calls, check the plan and execute it."""
    from toolrag.agent.agent import Agent, ExecuteMode
    from toolrag.agent.executor import ToolRegistry

    try:
        mode = ExecuteMode(execute)
    except ValueError:
        _fail(ValueError(f"--execute {execute!r}: choose one of {[m.value for m in ExecuteMode]}"))
    try:
        check_text(query, "the query")
        registry = ToolRegistry()
        if simulator:
            from toolrag.agent.llm import make_llm
            from toolrag.agent.simulator import LLMToolSimulator

            registry.simulator = LLMToolSimulator(make_llm(simulator))
        for spec in openapi or []:
            registry.add_openapi(spec, base_url=base_url)
        agent = Agent.load(
            index,
            planner=planner,
            constrained=constrained,
            engine=engine,
            precision=precision,
            k=k,
            registry=registry,
            selector=selector,
            threshold=threshold,
            without=without or (),
        )
        answer = agent.ask(query, execute_mode=mode)
    except EXPECTED_ERRORS as err:
        _fail(err)
    if as_json:
        _print_json(answer.to_json())
        return
    show_answer(answer)


@app.command("serve")
def serve(
    index: IndexOpt,
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    planner: PlannerOpt = None,
    engine: EngineOpt = None,
    precision: PrecisionOpt = None,
    selector: SelectorOpt = "auto",
    threshold: ThresholdOpt = None,
    k: Annotated[int, typer.Option("-k", help="Default candidate tools per query.")] = 5,
    max_queue: Annotated[
        int,
        typer.Option(
            "--max-queue",
            help="Plan requests that may wait behind the running one; more get 503 + Retry-After.",
        ),
    ] = 4,
    planner_niceness: Annotated[
        int,
        typer.Option(
            "--planner-niceness",
            min=0,
            max=19,
            help="A local planner runs in a child process this much lower in priority than the "
            "server (Linux nice), so /retrieve is served first.",
        ),
    ] = 10,
    api_key_env: Annotated[
        str | None,
        typer.Option(
            "--api-key-env",
            help="Name of an environment variable holding the bearer token clients must send "
            "(Authorization: Bearer ...); never pass the key itself on the command line.",
        ),
    ] = None,
    insecure: Annotated[
        bool,
        typer.Option("--insecure", help="Allow binding a non-loopback --host without an API key."),
    ] = False,
    max_body_bytes: Annotated[
        int, typer.Option("--max-body-bytes", min=1, help="Larger request bodies get 413.")
    ] = 1_000_000,
    max_query_chars: Annotated[
        int, typer.Option("--max-query-chars", min=1, help="Longer queries get 422.")
    ] = 2_000,
    cors_origin: Annotated[
        list[str] | None,
        typer.Option("--cors-origin", help="An origin browsers may call from (repeatable)."),
    ] = None,
) -> None:
    """Serve /retrieve, /plan, /ask, /healthz and /metrics over HTTP (FastAPI + uvicorn; docs
    at /docs)."""
    import uvicorn

    from toolrag.agent.agent import Agent
    from toolrag.agent.server import ServerSettings, create_app

    try:
        settings = ServerSettings(
            api_key=read_api_key(api_key_env),
            max_body_bytes=max_body_bytes,
            max_query_chars=max_query_chars,
            cors_origins=tuple(cors_origin or ()),
        )
        check_bind(host, settings.api_key is not None, insecure)
        agent = Agent.load(
            index,
            planner=planner,
            engine=engine,
            precision=precision,
            k=k,
            selector=selector,
            threshold=threshold,
            planner_niceness=planner_niceness,
        )
    except EXPECTED_ERRORS as err:
        _fail(err)
    app_ = create_app(agent, max_queue=max_queue, settings=settings)
    uvicorn.run(app_, host=host, port=port, log_level="warning")


def read_api_key(env: str | None) -> str | None:
    """The API key from the environment variable named ``env`` (None: no key)."""
    import os

    if env is None:
        return None
    key = os.environ.get(env, "")
    if not key:
        raise ConfigError(f"--api-key-env {env}: the environment variable {env} is not set")
    return key


def check_bind(host: str, has_key: bool, insecure: bool) -> None:
    """Refuse to serve beyond this machine without a key, unless told to."""
    import ipaddress

    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback and not has_key and not insecure:
        raise ConfigError(
            f"--host {host} is reachable from other machines and no API key is set: pass "
            "--api-key-env NAME (the key in that environment variable) or --insecure"
        )


@app.command("mcp")
def mcp_cmd(
    index: IndexOpt,
    planner: PlannerOpt = None,
) -> None:
    """Serve search_tools and plan as an MCP server over stdio (for other agents)."""
    import anyio

    from toolrag.agent.mcp_server import build_server, serve_stdio

    try:
        server = build_server(index, planner)
    except EXPECTED_ERRORS as err:
        _fail(err)
    anyio.run(serve_stdio, server)
