"""The gateway over Streamable HTTP, with the guards of ``toolrag serve``: the same bearer key
(compared in constant time), the same request body limit (:class:`toolrag.agent.server._BodyLimit`)
and query length limit (:class:`toolrag.agent.server.ServerSettings`). ``/healthz`` answers
without a key and says only whether the gateway is up and how many tools it holds.

Example:
    >>> anyio.run(serve_http, gateway, "127.0.0.1", 8931, ServerSettings())  # doctest: +SKIP
"""

from __future__ import annotations

import hmac
import json
from typing import Any

from toolrag.agent.gateway import Gateway
from toolrag.agent.server import ServerSettings, _BodyLimit

MCP_PATH = "/mcp"


class BearerKey:
    """ASGI middleware: every HTTP request but ``/healthz`` needs ``Authorization: Bearer KEY``
    (401 otherwise, as ``toolrag serve`` answers)."""

    def __init__(self, app: Any, key: str | None) -> None:
        self.app = app
        self.expected = f"Bearer {key}".encode() if key else None

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and self.expected is not None and scope["path"] != "/healthz":
            given = dict(scope.get("headers") or []).get(b"authorization", b"")
            if not hmac.compare_digest(given, self.expected):
                body = json.dumps(
                    {"detail": "missing or wrong API key: send 'Authorization: Bearer <key>'"}
                ).encode()
                await send(
                    {
                        "type": "http.response.start",
                        "status": 401,
                        "headers": [
                            (b"content-type", b"application/json"),
                            (b"www-authenticate", b"Bearer"),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


def http_app(gateway: Gateway, settings: ServerSettings, host: str = "127.0.0.1") -> Any:
    """The ASGI app: MCP at ``/mcp``, ``/healthz``, behind the key and the body limit."""
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    async def healthz(request: Request) -> JSONResponse:
        up = sum(u.up for u in gateway.upstreams.values())
        return JSONResponse(
            {
                "status": "ok",
                "servers_up": up,
                "servers": len(gateway.upstreams),
                "tools": len(gateway.catalog),
            }
        )

    app = gateway.server.streamable_http_app(
        streamable_http_path=MCP_PATH,
        host=host,
        custom_starlette_routes=[Route("/healthz", healthz)],
    )
    return _BodyLimit(BearerKey(app, settings.api_key), limit=settings.max_body_bytes)


async def serve_http(
    gateway: Gateway, host: str, port: int, settings: ServerSettings, ready: Any = None
) -> None:
    """Connect the upstreams, then serve until cancelled; ``ready`` (an anyio Event) is set
    once the port is open."""
    import anyio
    import uvicorn

    async with gateway.running():
        server = uvicorn.Server(
            uvicorn.Config(
                http_app(gateway, settings, host), host=host, port=port, log_level="warning"
            )
        )
        async with anyio.create_task_group() as tg:
            tg.start_soon(server.serve)
            while not server.started:
                await anyio.sleep(0.05)
            if ready is not None:
                ready.set()
