"""``toolrag gateway``: one MCP server in front of many (search, call, plan and run their tools)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from toolrag.cli.common import EXPECTED_ERRORS, PlannerOpt, SelectorOpt, _fail, app


@app.command("gateway")
def gateway_cmd(
    config: Annotated[
        Path,
        typer.Option(
            "--config",
            "-c",
            help='Upstream servers as Claude Desktop writes them: {"mcpServers": {name: '
            "{command, args, env} or {url, headers}}}; per server also allow, deny, prefix, "
            "timeout.",
        ),
    ],
    index: Annotated[
        str | None,
        typer.Option(
            "--index",
            "-i",
            help="Keep the catalog's index in this folder (reused across restarts) or in "
            "milvus:URI#NAME (shared by several gateways); default: in memory.",
        ),
    ] = None,
    http: Annotated[
        bool, typer.Option("--http", help="Serve Streamable HTTP at /mcp instead of stdio.")
    ] = False,
    host: Annotated[str, typer.Option(help="Interface to bind (--http).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port (--http).")] = 8931,
    api_key_env: Annotated[
        str | None,
        typer.Option(
            "--api-key-env",
            help="(--http) Name of an environment variable holding the bearer token clients "
            "must send; never the key itself.",
        ),
    ] = None,
    insecure: Annotated[
        bool,
        typer.Option("--insecure", help="Allow a non-loopback --host without an API key."),
    ] = False,
    max_body_bytes: Annotated[
        int, typer.Option("--max-body-bytes", min=1, help="(--http) Larger bodies get 413.")
    ] = 1_000_000,
    max_query_chars: Annotated[
        int, typer.Option("--max-query-chars", min=1, help="Longer queries are refused.")
    ] = 2_000,
    planner: PlannerOpt = None,
    selector: SelectorOpt = "auto",
    expose_selected: Annotated[
        bool,
        typer.Option(
            "--expose-selected",
            help="Also list the tools each search found as first-class tools (the client is "
            "told through notifications/tools/list_changed).",
        ),
    ] = False,
    refresh_interval: Annotated[
        float | None,
        typer.Option(
            "--refresh-interval",
            help="Re-list every server's tools this often, in seconds, besides on "
            "notifications/tools/list_changed.",
        ),
    ] = None,
    health_interval: Annotated[
        float,
        typer.Option(
            "--health-interval", min=0.1, help="Seconds between pings of each upstream server."
        ),
    ] = 10.0,
) -> None:
    """Serve one MCP server in front of the upstream MCP servers in CONFIG: search_tools,
    call_tool, plan and run_plan over all their tools (stdio by default)."""
    import anyio

    from toolrag.agent.gateway import Gateway, serve_stdio
    from toolrag.agent.gateway_catalog import check_index_spec
    from toolrag.agent.gateway_config import GatewayConfig
    from toolrag.agent.server import ServerSettings
    from toolrag.cli.cmd_agent import check_bind, read_api_key
    from toolrag.retriever.selector import check_selector_spec

    try:
        cfg = GatewayConfig.load(config)
        check_index_spec(index)
        check_selector_spec(selector, None)
        settings = ServerSettings(
            api_key=read_api_key(api_key_env),
            max_body_bytes=max_body_bytes,
            max_query_chars=max_query_chars,
        )
        if http:
            check_bind(host, settings.api_key is not None, insecure)
        if refresh_interval is not None and refresh_interval <= 0:
            raise typer.BadParameter("--refresh-interval must be a positive number of seconds")
        gateway = Gateway(
            cfg,
            index=index,
            selector=selector,
            planner=planner,
            expose_selected=expose_selected,
            health_interval=health_interval,
            refresh_interval=refresh_interval,
            max_query_chars=max_query_chars,
        )
    except EXPECTED_ERRORS as err:
        _fail(err)
    if http:
        from toolrag.agent.gateway_http import serve_http

        anyio.run(serve_http, gateway, host, port, settings)
    else:
        anyio.run(serve_stdio, gateway)
