"""One upstream MCP server, kept connected: start it (stdio) or connect (Streamable HTTP) with the
official SDK's client, list its tools page by page, re-list them when it says they changed (or on
a schedule), and restart it with exponential backoff when it dies.

A supervisor task owns the connection (:meth:`Upstream.supervise`). It pings the server every
``health_interval`` seconds; a failed ping, a closed connection or a failed listing ends the
connection, marks the server's tools unavailable (:meth:`Catalog.mark`) and starts it again after
``backoff`` seconds (doubling up to ``max_backoff``). Calls meanwhile fail at once with an error
that says so (:class:`UpstreamUnavailable`).
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import anyio
import mcp_types as types
from mcp import ClientSession, StdioServerParameters, stdio_client
from mcp.shared.exceptions import MCPError

from toolrag.agent.gateway_config import ServerConfig

logger = logging.getLogger(__name__)

MAX_PAGES = 1000
"""A server that keeps returning cursors past this many pages is refused (a loop)."""


class UpstreamUnavailable(Exception):
    """The upstream server is down (restarting) or did not answer in time."""


class Upstream:
    """The connection to one upstream server.

    Args:
        config: the server's entry in the config.
        on_tools: called with ``(config, listing)`` after every complete ``tools/list`` (the
            listing as dicts, camelCase keys as sent); it updates the catalog (blocking: it is
            run in a worker thread).
        on_state: called with ``(prefix, up)`` when the server comes up or goes down.
        health_interval: seconds between pings.
        refresh_interval: re-list the tools this often even without a notification (None: never).
        backoff, max_backoff: first and longest wait before a restart.
    """

    def __init__(
        self,
        config: ServerConfig,
        on_tools: Callable[[ServerConfig, list[dict[str, Any]]], Any],
        on_state: Callable[[str, bool], None],
        *,
        health_interval: float = 10.0,
        refresh_interval: float | None = None,
        backoff: float = 0.5,
        max_backoff: float = 30.0,
    ) -> None:
        self.config = config
        self.on_tools = on_tools
        self.on_state = on_state
        self.health_interval = health_interval
        self.refresh_interval = refresh_interval
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.session: ClientSession | None = None
        self.up = False
        self.starts = 0  # connections made (1 + restarts)
        self.listings = 0  # complete tools/list runs
        self.listed = 0  # tools in the last listing
        self.last_error: str | None = None
        self.first_attempt = anyio.Event()  # set once the first connection worked or failed
        self._wake = anyio.Event()
        self._relist = False

    @property
    def connect_timeout(self) -> float:
        """Seconds a start, ``initialize`` or ``tools/list`` may take: the call timeout, but at
        least 30 (a server's process may import a lot before it answers)."""
        return max(self.config.timeout, 30.0)

    @property
    def prefix(self) -> str:
        return self.config.prefix

    # -- connection --------------------------------------------------------------------------

    @asynccontextmanager
    async def _connect(self) -> AsyncIterator[ClientSession]:
        cfg = self.config
        if cfg.url:
            from mcp.client.streamable_http import streamable_http_client
            from mcp.shared._httpx_utils import create_mcp_http_client

            client = create_mcp_http_client(headers=dict(cfg.headers) or None)
            async with (
                client,
                streamable_http_client(cfg.url, http_client=client) as (r, w),
                ClientSession(r, w, message_handler=self._on_message) as session,
            ):
                yield session
        else:
            params = StdioServerParameters(
                command=cfg.command or "",
                args=list(cfg.args),
                env=dict(cfg.env) or None,
                cwd=cfg.cwd,
            )
            async with (
                stdio_client(params) as (r, w),
                ClientSession(r, w, message_handler=self._on_message) as session,
            ):
                yield session

    async def _on_message(self, message: Any) -> None:
        if isinstance(message, types.ToolListChangedNotification):
            logger.info("server %s: tools/list_changed", self.prefix)
            self._relist = True
            self._wake.set()
        elif isinstance(message, Exception):
            logger.info("server %s: transport error: %s", self.prefix, self._say(message))
            self._wake.set()

    def _say(self, err: BaseException) -> str:
        """An error as one line with this server's secrets redacted."""
        while isinstance(err, BaseExceptionGroup) and len(err.exceptions) == 1:
            err = err.exceptions[0]
        text = str(err) or type(err).__name__
        return self.config.redact(f"{type(err).__name__}: {text}" if str(err) else text)

    async def list_tools(self, session: ClientSession) -> list[dict[str, Any]]:
        """Every tool the server lists, following ``nextCursor`` page by page."""
        tools: list[dict[str, Any]] = []
        cursor: str | None = None
        for _ in range(MAX_PAGES):
            params = types.PaginatedRequestParams(cursor=cursor) if cursor else None
            with anyio.fail_after(self.connect_timeout):
                page = await session.list_tools(params=params)
            tools += [
                t.model_dump(by_alias=True, exclude_none=True, mode="json") for t in page.tools
            ]
            cursor = page.next_cursor
            if not cursor:
                return tools
        raise RuntimeError(f"tools/list returned more than {MAX_PAGES} pages; is the cursor stuck?")

    async def _refresh(self, session: ClientSession) -> None:
        listing = await self.list_tools(session)
        self.listings += 1
        self.listed = len(listing)
        await anyio.to_thread.run_sync(self.on_tools, self.config, listing)

    async def supervise(self) -> None:
        """Keep the server connected until cancelled (run it in a task group)."""
        delay = self.backoff
        while True:
            began = time.monotonic()
            try:
                async with self._connect() as session:
                    with anyio.fail_after(self.connect_timeout):
                        await session.initialize()
                    self.starts += 1
                    await self._refresh(session)
                    self.session, self.up, self.last_error = session, True, None
                    self.on_state(self.prefix, True)
                    self.first_attempt.set()
                    logger.info("server %s: up (%d tools listed)", self.prefix, self.listed)
                    await self._watch(session)
            except anyio.get_cancelled_exc_class():
                raise
            except Exception as err:  # the server died or never came up: restart it
                self.last_error = self._say(err)
            self.session, self.up = None, False
            self.on_state(self.prefix, False)
            self.first_attempt.set()
            if time.monotonic() - began > 4 * self.max_backoff:
                delay = self.backoff  # it ran a good while: start the backoff over
            logger.warning(
                "server %s is down (%s); restarting in %.1f s", self.prefix, self.last_error, delay
            )
            await anyio.sleep(delay)
            delay = min(delay * 2, self.max_backoff)

    async def _watch(self, session: ClientSession) -> None:
        """Until the connection fails: re-list on notifications and on schedule, ping between."""
        listed = time.monotonic()
        while True:
            with anyio.move_on_after(self.health_interval):
                await self._wake.wait()
            self._wake = anyio.Event()
            due = self.refresh_interval is not None and (
                time.monotonic() - listed >= self.refresh_interval
            )
            if self._relist or due:
                self._relist = False
                await self._refresh(session)
                listed = time.monotonic()
                continue
            with anyio.fail_after(max(5.0, min(self.config.timeout, self.health_interval))):
                await session.send_ping()

    # -- calls -------------------------------------------------------------------------------

    async def call(self, tool: str, arguments: dict[str, Any]) -> types.CallToolResult:
        """Call ``tool`` upstream; its result as the server sent it.

        Raises:
            UpstreamUnavailable: the server is down, restarting, or did not answer in time.
            MCPError: the server answered with a protocol error (unknown tool and the like).
            RuntimeError: the result broke the tool's own output schema (the SDK checks it).
        """
        session = self.session
        if session is None or not self.up:
            why = f": {self.last_error}" if self.last_error else ""
            raise UpstreamUnavailable(
                f"server {self.prefix!r} is unavailable (restarting{why}); retry shortly or "
                "use another tool"
            )
        try:
            return await session.call_tool(
                tool, arguments, read_timeout_seconds=self.config.timeout
            )
        except MCPError as err:
            if _closed(err):
                self.up = False
                self._wake.set()
                raise UpstreamUnavailable(
                    f"server {self.prefix!r} closed the connection during the call (it is being "
                    "restarted); retry shortly"
                ) from None
            if _timed_out(err):
                raise UpstreamUnavailable(
                    f"server {self.prefix!r} did not answer {tool!r} within "
                    f"{_secs(self.config.timeout)} s (its 'timeout' in the config)"
                ) from None
            raise


def _closed(err: MCPError) -> bool:
    return err.code == types.CONNECTION_CLOSED


def _timed_out(err: MCPError) -> bool:
    return err.code == types.REQUEST_TIMEOUT or "timed out" in str(err).lower()


def _secs(value: float) -> str:
    return str(int(value)) if math.isclose(value, round(value)) else f"{value:g}"
