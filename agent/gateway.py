"""An MCP gateway: one toolrag MCP server in front of many upstream MCP servers.

The agent connects to the gateway alone and sees four tools instead of every upstream tool:

- ``search_tools(query, k)``: the tools the request needs, best first (hybrid retrieval with
  query decomposition over every upstream tool, and the shipped selector's probability that the
  request needs each), each with its namespaced ``name`` (``server__tool``) and full input and
  output schema;
- ``call_tool(name, arguments)``: checked against the tool's input schema, forwarded to its
  server, the result (``content``, ``structuredContent``, ``isError``) passed back as sent;
- ``plan(query, k)``: the local planner's calls over the selected tools;
- ``run_plan(query, k)``: the same calls run in order, references filled from earlier calls'
  ``structuredContent``, with every step's result.

With ``expose_selected``, the tools a search returned also appear in the session's own
``tools/list`` as first-class tools, announced with ``notifications/tools/list_changed``.

The gateway never runs anything but upstream tool calls. Upstream errors, time-outs and dead
servers come back as MCP tool errors (``isError``), never as a crash; a dead server is restarted
with backoff (:mod:`toolrag.agent.gateway_upstream`), and the catalog follows every server's
``tools/list_changed`` (:mod:`toolrag.agent.gateway_catalog`).

Example:
    >>> gateway = Gateway(GatewayConfig.load("servers.json"))  # doctest: +SKIP
    >>> anyio.run(serve_stdio, gateway)  # doctest: +SKIP
"""

from __future__ import annotations

import functools
import json
import logging
import threading
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import mcp_types as types
from mcp.server.lowlevel.server import NotificationOptions, Server
from mcp.shared.exceptions import MCPError

from toolrag.agent.gateway_catalog import Catalog, Hit
from toolrag.agent.gateway_config import GatewayConfig
from toolrag.agent.gateway_plan import render, run_calls
from toolrag.agent.gateway_upstream import Upstream, UpstreamUnavailable
from toolrag.errors import ToolragError

logger = logging.getLogger(__name__)

MAX_K = 50
"""The most tools one search returns (each carries its full schema)."""

MAX_PLAN_K = 20
"""The most candidate tools a plan may offer the planner (its prompt lists them)."""

_QUERY = {"type": "string", "description": "The user's request, in their words."}


def _k(default: int, most: int, what: str) -> dict[str, Any]:
    return {
        "type": "integer",
        "minimum": 1,
        "maximum": most,
        "default": default,
        "description": what,
    }


META_TOOLS = [
    types.Tool(
        name="search_tools",
        description=(
            "Find the tools a request needs among every connected server's tools. Returns the "
            "best k, best first, each with its name, description, inputSchema and outputSchema, "
            "and 'needed': the probability that the request needs it. Call a tool next with "
            "call_tool(name, arguments)."
        ),
        input_schema={
            "type": "object",
            "properties": {"query": _QUERY, "k": _k(5, MAX_K, "How many tools to return.")},
            "required": ["query"],
        },
    ),
    types.Tool(
        name="call_tool",
        description=(
            "Call a tool that search_tools returned, by its name (server__tool), with arguments "
            "that match its inputSchema. Returns the tool's own result."
        ),
        input_schema={
            "type": "object",
            "properties": {
                "name": {"type": "string", "description": "The tool's name from search_tools."},
                "arguments": {"type": "object", "description": "The tool's arguments."},
            },
            "required": ["name"],
        },
    ),
    types.Tool(
        name="plan",
        description=(
            "Plan the tool calls that answer a request with toolrag's local planner: which "
            "tools, with which arguments; a later call may take an earlier call's output "
            "('references'). Nothing is run."
        ),
        input_schema={
            "type": "object",
            "properties": {
                "query": _QUERY,
                "k": _k(5, MAX_PLAN_K, "Candidate tools to plan with."),
            },
            "required": ["query"],
        },
    ),
    types.Tool(
        name="run_plan",
        description=(
            "Plan the tool calls that answer a request and run them in order, each reference "
            "filled from an earlier call's structured output. Returns the plan and every "
            "step's result."
        ),
        input_schema={
            "type": "object",
            "properties": {
                "query": _QUERY,
                "k": _k(5, MAX_PLAN_K, "Candidate tools to plan with."),
            },
            "required": ["query"],
        },
    ),
]


class ToolCallError(Exception):
    """What the caller did wrong or what went wrong upstream; becomes an ``isError`` result."""


def error_result(message: str) -> types.CallToolResult:
    return types.CallToolResult(
        content=[types.TextContent(type="text", text=message)], is_error=True
    )


def json_result(data: dict[str, Any]) -> types.CallToolResult:
    return types.CallToolResult(
        content=[types.TextContent(type="text", text=json.dumps(data, indent=1))],
        structured_content=data,
    )


class Gateway:
    """The gateway: upstream connections, the catalog and the MCP server the agent talks to.

    Args:
        config: the upstream servers.
        index: where the catalog's index lives (``None``: in memory; a folder; or
            ``milvus:URI#NAME``; see :class:`~toolrag.agent.gateway_catalog.Catalog`).
        model: the embedding model (``None``: the shipped retriever).
        selector: the tool selector (``"auto"``, ``"none"`` or a folder).
        planner: a planner spec for :func:`toolrag.agent.agent.make_planner` (``None``: the
            shipped planner), or a planner object with ``plan(query, tools, ...)``; loaded on
            the first plan.
        expose_selected: also list the tools each search returned as first-class tools.
        health_interval, refresh_interval, backoff, max_backoff: see
            :class:`~toolrag.agent.gateway_upstream.Upstream`.
        max_query_chars: longer queries are refused (the planner's context is finite).
    """

    def __init__(
        self,
        config: GatewayConfig,
        *,
        index: str | Path | None = None,
        model: str | None = None,
        selector: str = "auto",
        planner: Any = None,
        expose_selected: bool = False,
        health_interval: float = 10.0,
        refresh_interval: float | None = None,
        backoff: float = 0.5,
        max_backoff: float = 30.0,
        max_query_chars: int = 2_000,
    ) -> None:
        self.config = config
        self.catalog = Catalog(index, model=model, selector=selector)
        self.upstreams = {
            s.prefix: Upstream(
                s,
                self.catalog.set_server,
                self.catalog.mark,
                health_interval=health_interval,
                refresh_interval=refresh_interval,
                backoff=backoff,
                max_backoff=max_backoff,
            )
            for s in config.servers
        }
        self.expose_selected = expose_selected
        self.max_query_chars = max_query_chars
        self._planner_spec = planner
        self.planner: Any = None if planner is None or isinstance(planner, str) else planner
        """The planner, loaded on the first plan (or the object given)."""
        self._plan_lock = threading.Lock()
        self._exposed: weakref.WeakKeyDictionary[Any, list[str]] = weakref.WeakKeyDictionary()
        self.server = Server(
            "toolrag-gateway",
            instructions=(
                "Many tools sit behind this server. Call search_tools with the user's request "
                "to find the ones it needs, then call_tool; or plan / run_plan to let toolrag "
                "plan the calls."
            ),
            on_list_tools=self._list_tools,
            on_call_tool=self._call_tool,
        )

    # -- lifecycle ---------------------------------------------------------------------------

    @asynccontextmanager
    async def running(self, wait: float = 120.0) -> AsyncIterator[Gateway]:
        """Connect every upstream (each in its own supervisor task) and wait up to ``wait``
        seconds for each one's first connection to work or fail; stop them all on exit."""
        async with anyio.create_task_group() as tg:
            for upstream in self.upstreams.values():
                tg.start_soon(upstream.supervise)
            with anyio.move_on_after(wait):
                for upstream in self.upstreams.values():
                    await upstream.first_attempt.wait()
            try:
                yield self
            finally:
                tg.cancel_scope.cancel()

    def init_options(self) -> Any:
        return self.server.create_initialization_options(NotificationOptions(tools_changed=True))

    def status(self) -> dict[str, Any]:
        """Per server: up or not, tools in the catalog, restarts, last error (redacted)."""
        counts: dict[str, int] = {}
        for entry in self.catalog.entries.values():
            counts[entry.server] = counts.get(entry.server, 0) + 1
        return {
            prefix: {
                "up": u.up,
                "tools": counts.get(prefix, 0),
                "starts": u.starts,
                "last_error": u.last_error,
            }
            for prefix, u in self.upstreams.items()
        }

    # -- MCP handlers ------------------------------------------------------------------------

    async def _list_tools(self, ctx: Any, params: Any) -> types.ListToolsResult:
        tools = list(META_TOOLS)
        for name in self._exposed.get(_connection(ctx), []):
            entry = self.catalog.get(name)
            if entry is not None:
                tools.append(types.Tool.model_validate(entry.definition()))
        return types.ListToolsResult(tools=tools)

    async def _call_tool(
        self, ctx: Any, params: types.CallToolRequestParams
    ) -> types.CallToolResult:
        args = dict(params.arguments or {})
        try:
            if params.name == "search_tools":
                hits = await self.search(
                    _query(args, self.max_query_chars), _int(args, "k", 5, MAX_K)
                )
                await self._expose(ctx, [h.name for h in hits])
                return json_result({"tools": [_hit_json(h, self.catalog) for h in hits]})
            if params.name == "call_tool":
                name = args.get("name")
                if not isinstance(name, str) or not name:
                    raise ToolCallError("call_tool needs 'name': a tool name from search_tools")
                arguments = args.get("arguments") or {}
                if not isinstance(arguments, dict):
                    raise ToolCallError("'arguments' must be an object of the tool's parameters")
                return await self.call(name, arguments)
            if params.name in ("plan", "run_plan"):
                query = _query(args, self.max_query_chars)
                planned = await self.plan(query, _int(args, "k", 5, MAX_PLAN_K))
                await self._expose(ctx, planned["selected"] or planned["candidates"])
                if params.name == "run_plan":
                    planned = await self.run_plan(planned)
                else:
                    planned.pop("_calls")
                return json_result(planned)
            if self.catalog.get(params.name) is not None:  # an exposed first-class tool
                return await self.call(params.name, args)
            raise ToolCallError(
                f"unknown tool {params.name!r}: this gateway serves search_tools, call_tool, "
                "plan and run_plan; find a tool's name with search_tools"
            )
        except (ToolCallError, ToolragError, UpstreamUnavailable) as err:
            return error_result(str(err))

    async def _expose(self, ctx: Any, names: list[str]) -> None:
        if not self.expose_selected or self._exposed.get(_connection(ctx)) == names:
            return
        self._exposed[_connection(ctx)] = list(names)
        try:
            await ctx.session.send_tool_list_changed()
        except Exception as err:  # the client went away: nothing to refresh
            logger.info("could not send tools/list_changed: %s", err)

    # -- the four verbs ----------------------------------------------------------------------

    async def search(self, query: str, k: int = 5) -> list[Hit]:
        """The ``k`` tools the query most likely needs (see :meth:`Catalog.search`)."""
        return await anyio.to_thread.run_sync(self.catalog.search, query, k)

    async def call(self, name: str, arguments: dict[str, Any]) -> types.CallToolResult:
        """Check ``arguments`` against the tool's input schema, forward the call, and return the
        upstream's result as sent; what goes wrong comes back as an ``isError`` result."""
        entry = self.catalog.get(name)
        if entry is None:
            raise ToolCallError(
                f"unknown tool {name!r}; use a name that search_tools returned (server__tool)"
            )
        problems = _schema_errors(entry.listing.get("inputSchema") or {}, arguments)
        if problems:
            raise ToolCallError(
                f"arguments for {name} do not match its inputSchema: {'; '.join(problems)}. "
                "Fix them (search_tools shows the schema) and call again"
            )
        upstream = self.upstreams[entry.server]
        try:
            return await upstream.call(entry.upstream, arguments)
        except MCPError as err:
            return error_result(f"server {entry.server!r} refused {entry.upstream!r}: {err}")
        except RuntimeError as err:  # the SDK found the result breaking the tool's outputSchema
            return error_result(f"server {entry.server!r}: {upstream.config.redact(str(err))}")

    async def plan(self, query: str, k: int = 5) -> dict[str, Any]:
        """The local planner's calls over the selected tools among the top ``k``."""
        hits = await self.search(query, k)
        tools = [h.entry.tool for h in hits]
        result, selection = await anyio.to_thread.run_sync(self._plan_sync, query, tools)
        by_name = {t.name: t for t in tools}
        out: dict[str, Any] = {
            "query": query,
            "candidates": [t.name for t in tools],
            "selected": [t.name for t in selection.tools] if selection else None,
            "format_ok": result.format_ok,
            "calls": render(result.calls, by_name) if result.format_ok else [],
            "seconds": round(result.seconds, 3),
        }
        if not result.format_ok:
            out["error"] = result.error
        out["_calls"] = result.calls  # for run_plan; dropped before it is sent
        return out

    async def run_plan(self, planned: dict[str, Any]) -> dict[str, Any]:
        """Run a plan from :meth:`plan`: checked first, then call by call."""
        from toolrag.agent.checker import check

        calls = planned.pop("_calls")
        by_name = {
            n: self.catalog.get(n).tool for n in planned["candidates"] if self.catalog.get(n)
        }
        if not planned["format_ok"]:
            raise ToolCallError(f"the planner wrote no valid plan: {planned.get('error')}")
        violations = check(calls, by_name)
        if violations:
            raise ToolCallError(
                "the plan does not fit the tools' schemas, so nothing was run: "
                + "; ".join(str(v) for v in violations)
            )

        async def forward(name: str, arguments: dict[str, Any]) -> types.CallToolResult:
            try:
                return await self.call(name, arguments)
            except (ToolCallError, UpstreamUnavailable) as err:
                return error_result(str(err))

        planned["steps"] = await run_calls(calls, by_name, forward)
        return planned

    def _plan_sync(self, query: str, tools: list[Any]) -> Any:
        from toolrag.agent.agent import make_planner, plan_with

        with self._plan_lock:
            if self.planner is None:
                self.planner = make_planner(self._planner_spec)
            return plan_with(self.planner, self.catalog.selector, query, tools)


def _connection(ctx: Any) -> Any:
    """The client connection a request came on: the SDK makes a ServerSession per request, over
    one Connection per client, which it does not expose publicly."""
    return getattr(ctx.session, "_connection", ctx.session)


def _hit_json(hit: Hit, catalog: Catalog) -> dict[str, Any]:
    listing = hit.entry.listing
    out: dict[str, Any] = {
        "name": hit.name,
        "description": listing.get("description", ""),
        "inputSchema": listing.get("inputSchema", {"type": "object"}),
    }
    if "outputSchema" in listing:
        out["outputSchema"] = listing["outputSchema"]
    out["server"] = hit.entry.server
    out["available"] = catalog.available(hit.name)
    out["score"] = round(hit.score, 4)
    if hit.probability is not None:
        out["needed"] = hit.probability
    return out


def _query(args: dict[str, Any], limit: int) -> str:
    query = args.get("query")
    if not isinstance(query, str) or not query.strip():
        raise ToolCallError("query is empty; pass the user's request")
    if len(query) > limit:
        raise ToolCallError(f"the query is {len(query)} characters; the limit is {limit}")
    return query


def _int(args: dict[str, Any], key: str, default: int, most: int) -> int:
    value = args.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= most:
        raise ToolCallError(f"{key} must be a whole number from 1 to {most}, got {value!r}")
    return value


@functools.lru_cache(maxsize=4096)
def _validator(schema_json: str) -> Any:
    """A compiled validator per schema (compiling costs more than validating); None for a
    schema that is itself broken (then the upstream judges the arguments)."""
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    schema = json.loads(schema_json)
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError:
        return None
    return Draft202012Validator(schema)


def _schema_errors(schema: dict[str, Any], arguments: dict[str, Any]) -> list[str]:
    """Where ``arguments`` break ``schema`` (at most 5, each with its path)."""
    validator = _validator(json.dumps(schema, sort_keys=True))
    if validator is None:
        return []
    errors = sorted(validator.iter_errors(arguments), key=lambda e: list(e.path))
    return [f"{'/'.join(map(str, e.path)) or '(arguments)'}: {e.message}" for e in errors[:5]]


async def serve_stdio(gateway: Gateway) -> None:
    """Serve the gateway over this process's stdin and stdout until the client leaves."""
    from mcp.server.stdio import stdio_server

    async with gateway.running(), stdio_server() as (read, write):
        await gateway.server.run(read, write, gateway.init_options())
