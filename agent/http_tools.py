"""Run tools described by an OpenAPI spec as real HTTP calls (httpx).

Each operation of the spec is one tool (named as :mod:`toolrag.index.formats.openapi` names it); a call
puts every argument where the spec says it goes -- path, query, header, cookie or JSON body --
and returns the JSON response. A non-2xx status or a transport error raises, and the executor
records it as that call's observation.

Example:
    >>> api = OpenAPITools("petstore.yaml", base_url="http://127.0.0.1:8080")  # doctest: +SKIP
    >>> registry = ToolRegistry(); registry.update(api.functions())  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from toolrag.errors import ConfigError
from toolrag.index.formats.openapi import Operation, operations
from toolrag.index.toolset import read_document


class OpenAPITools:
    """Callables for every operation of an OpenAPI spec.

    Args:
        spec: the OpenAPI 3 file (JSON or YAML).
        base_url: server root; default the spec's first ``servers`` URL.
        headers: sent with every request (e.g. an ``Authorization`` header).
        timeout: seconds per request.
        client: an ``httpx.Client`` to use instead of a new one (tests, proxies, auth).
    """

    def __init__(
        self,
        spec: str | Path,
        *,
        base_url: str | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 10.0,
        client: httpx.Client | None = None,
    ) -> None:
        self.operations, servers = operations(read_document(spec))
        base = base_url or (servers[0] if servers else None)
        if not base or not base.startswith(("http://", "https://")):
            raise ConfigError(
                f"{spec}: no absolute server URL (servers: {servers or 'none'}); pass base_url"
            )
        self.client = client or httpx.Client(
            base_url=base, headers=headers or {}, timeout=timeout, follow_redirects=True
        )

    def call(self, name: str, arguments: Mapping[str, Any]) -> dict[str, Any]:
        """Send the request for tool ``name``; the JSON reply as a dict. (Arguments come as a
        mapping: a parameter may well be called ``name``.)

        Raises:
            KeyError: ``name`` is not an operation of the spec.
            httpx.HTTPError: transport failure or a non-2xx status.
        """
        op: Operation = self.operations[name]
        path, query, headers, cookies, body = op.path, {}, {}, {}, {}
        json_body: Any = None
        for key, value in arguments.items():
            where = op.locations.get(key, "query")
            if where == "path":
                path = path.replace("{" + key + "}", quote(str(value), safe=""))
            elif where == "header":
                headers[key] = str(value)
            elif where == "cookie":
                cookies[key] = str(value)
            elif where == "body":
                body[key] = value
            elif where == "json":
                json_body = value
            else:
                query[key] = value
        if "{" in path:
            raise ConfigError(f"{name}: path parameters missing from {path!r}")
        response = self.client.request(
            op.method,
            path,
            params=query or None,
            headers=headers or None,
            cookies=cookies or None,
            json=body if body else json_body,
        )
        response.raise_for_status()
        if not response.content:
            return {}
        try:
            data = response.json()
        except ValueError:
            return {"text": response.text}
        return data if isinstance(data, dict) else {"result": data}

    def functions(self) -> dict[str, Callable[..., dict[str, Any]]]:
        """Tool name -> callable, for :meth:`toolrag.agent.executor.ToolRegistry.update`."""
        return {name: self._bound(name) for name in self.operations}

    def _bound(self, name: str) -> Callable[..., dict[str, Any]]:
        def run(**arguments: Any) -> dict[str, Any]:
            return self.call(name, arguments)

        run.__name__ = name
        return run

    def close(self) -> None:
        self.client.close()
