"""The gateway's configuration: the ``mcpServers`` object MCP clients already use.

A stdio server has ``command`` (and ``args``, ``env``, ``cwd``); a Streamable HTTP server has
``url`` (and ``headers``). toolrag reads a few more keys per server, which other clients ignore:
``allow`` / ``deny`` (tool names or shell-style patterns such as ``"delete_*"``), ``prefix``
(the namespace, default: the server's key), ``timeout`` (seconds per call, default 60) and
``disabled``. A stdio server starts in the config file's folder unless ``cwd`` says otherwise,
so relative paths in ``args`` are read from there. A value written ``${NAME}`` in ``env`` or ``headers`` is read from the gateway's
own environment, so a secret need not sit in the file; secrets are never logged
(:meth:`ServerConfig.redact`).

Example:
    >>> cfg = GatewayConfig.from_json({"mcpServers": {"geo": {"command": "python",
    ...     "args": ["geo.py"]}, "shop": {"url": "http://127.0.0.1:8765/mcp"}}})
    >>> [(s.name, s.transport) for s in cfg.servers]
    [('geo', 'stdio'), ('shop', 'http')]
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolrag.errors import ConfigError

SEPARATOR = "__"
"""Between a server's prefix and a tool's upstream name: ``geo__get_forecast``."""

NAME_PATTERN = re.compile(r"^[A-Za-z0-9_.-]{1,128}$")
"""The tool names MCP clients accept (letters, digits, ``_ - .``; at most 128 characters)."""

_KNOWN_KEYS = {
    "command",
    "args",
    "env",
    "cwd",
    "url",
    "headers",
    "type",
    "transport",
    "allow",
    "deny",
    "prefix",
    "timeout",
    "disabled",
}
_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _expand(value: str, where: str, environ: dict[str, str]) -> str:
    def sub(m: re.Match[str]) -> str:
        if m.group(1) not in environ:
            raise ConfigError(f"{where} uses ${{{m.group(1)}}}, which is not set; export it")
        return environ[m.group(1)]

    return _VAR.sub(sub, value)


def _str_map(raw: Any, where: str, environ: dict[str, str]) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
        raise ConfigError(f'{where} must be an object of strings, e.g. {{"KEY": "value"}}')
    return {str(k): _expand(v, f"{where}.{k}", environ) for k, v in raw.items()}


def _patterns(raw: Any, where: str) -> tuple[str, ...] | None:
    if raw is None:
        return None
    if not isinstance(raw, list) or not all(isinstance(p, str) for p in raw):
        raise ConfigError(f'{where} must be a list of tool names or patterns, e.g. ["get_*"]')
    return tuple(raw)


@dataclass(frozen=True)
class ServerConfig:
    """One upstream MCP server."""

    name: str
    command: str | None = None
    args: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict, repr=False)
    cwd: str | None = None
    url: str | None = None
    headers: dict[str, str] = field(default_factory=dict, repr=False)
    allow: tuple[str, ...] | None = None
    deny: tuple[str, ...] = ()
    prefix: str = ""
    timeout: float = 60.0

    @property
    def transport(self) -> str:
        """``stdio`` or ``http`` (Streamable HTTP)."""
        return "http" if self.url else "stdio"

    def exposed_name(self, tool: str) -> str:
        """The namespaced name the agent sees: ``prefix__tool``."""
        return f"{self.prefix}{SEPARATOR}{tool}"

    def admits(self, tool: str) -> bool:
        """Whether the allow and deny lists let ``tool`` through (deny wins)."""
        if any(fnmatch.fnmatchcase(tool, p) for p in self.deny):
            return False
        return self.allow is None or any(fnmatch.fnmatchcase(tool, p) for p in self.allow)

    def secrets(self) -> list[str]:
        """Values that must never reach a log: every env value and header value (and a
        header's last word, the token of ``Bearer TOKEN``)."""
        values = [*self.env.values(), *self.headers.values()]
        values += [v.split()[-1] for v in self.headers.values() if " " in v.strip()]  # Bearer X
        return [v for v in values if len(v) >= 4]

    def redact(self, text: str) -> str:
        """``text`` with every secret of this server replaced by ``***``."""
        for secret in sorted(self.secrets(), key=len, reverse=True):
            text = text.replace(secret, "***")
        return text

    @classmethod
    def from_json(
        cls,
        name: str,
        raw: Any,
        environ: dict[str, str] | None = None,
        base: Path | None = None,
    ) -> ServerConfig:
        """One entry of ``mcpServers``; ``environ`` resolves ``${NAME}`` (default: os.environ);
        ``base``: the folder a stdio server starts in when it names no ``cwd`` (and that a
        relative ``cwd`` is read from)."""
        environ = dict(os.environ) if environ is None else environ
        where = f"mcpServers.{name}"
        if not isinstance(raw, dict):
            raise ConfigError(f"{where} must be an object with 'command' (stdio) or 'url' (HTTP)")
        unknown = sorted(set(raw) - _KNOWN_KEYS)
        if unknown:
            raise ConfigError(
                f"{where} has unknown keys {unknown}; known: {', '.join(sorted(_KNOWN_KEYS))}"
            )
        command, url = raw.get("command"), raw.get("url")
        if bool(command) == bool(url):
            raise ConfigError(
                f"{where} needs exactly one of 'command' (a stdio server) or 'url' (a "
                "Streamable HTTP server)"
            )
        kind = raw.get("type", raw.get("transport"))
        if kind is not None and kind not in ("stdio", "http", "streamable-http", "streamableHttp"):
            raise ConfigError(f"{where}.type {kind!r}: use 'stdio' or 'http' (Streamable HTTP)")
        if url is not None and (
            not isinstance(url, str) or not url.startswith(("http://", "https://"))
        ):
            raise ConfigError(f"{where}.url must start with http:// or https://")
        args = raw.get("args", [])
        if not isinstance(args, list) or not all(isinstance(a, str) for a in args):
            raise ConfigError(f"{where}.args must be a list of strings")
        prefix = raw.get("prefix", name)
        if not isinstance(prefix, str) or not NAME_PATTERN.match(prefix) or SEPARATOR in prefix:
            fixed = re.sub(r"[^A-Za-z0-9_.-]+", "_", str(name)).replace(SEPARATOR, "_")
            if "prefix" in raw or not fixed:
                raise ConfigError(
                    f"{where}.prefix {prefix!r}: use letters, digits, '_', '-' or '.', "
                    f"without '{SEPARATOR}'"
                )
            prefix = fixed
        timeout = raw.get("timeout", 60.0)
        if not isinstance(timeout, int | float) or isinstance(timeout, bool) or timeout <= 0:
            raise ConfigError(f"{where}.timeout must be a positive number of seconds")
        return cls(
            name=name,
            command=command,
            args=tuple(args),
            env=_str_map(raw.get("env"), f"{where}.env", environ),
            cwd=_cwd(raw.get("cwd"), base, where) if command else None,
            url=url,
            headers=_str_map(raw.get("headers"), f"{where}.headers", environ),
            allow=_patterns(raw.get("allow"), f"{where}.allow"),
            deny=_patterns(raw.get("deny"), f"{where}.deny") or (),
            prefix=prefix,
            timeout=float(timeout),
        )


def _cwd(raw: Any, base: Path | None, where: str) -> str | None:
    if raw is not None and not isinstance(raw, str):
        raise ConfigError(f"{where}.cwd must be a folder path")
    if raw is None:
        return None if base is None else str(base)
    return str(base / raw) if base is not None else raw


@dataclass(frozen=True)
class GatewayConfig:
    """Every upstream server, in the order the file lists them."""

    servers: tuple[ServerConfig, ...]

    @classmethod
    def from_json(
        cls, data: Any, environ: dict[str, str] | None = None, base: Path | None = None
    ) -> GatewayConfig:
        """From a parsed config: ``{"mcpServers": {name: {...}}}`` (Claude Desktop's shape);
        ``base``: where stdio servers start (the config file's folder)."""
        if not isinstance(data, dict) or not isinstance(data.get("mcpServers"), dict):
            raise ConfigError(
                "the gateway config needs an 'mcpServers' object, as in Claude Desktop's "
                'config: {"mcpServers": {"name": {"command": "...", "args": [...]}}}'
            )
        servers = tuple(
            ServerConfig.from_json(name, raw, environ, base)
            for name, raw in data["mcpServers"].items()
            if not (isinstance(raw, dict) and raw.get("disabled"))
        )
        if not servers:
            raise ConfigError("mcpServers lists no enabled server; add at least one")
        prefixes = [s.prefix for s in servers]
        twice = sorted({p for p in prefixes if prefixes.count(p) > 1})
        if twice:
            raise ConfigError(f"two servers share the prefix {twice}; give one a 'prefix'")
        return cls(servers)

    @classmethod
    def load(cls, path: str | Path, environ: dict[str, str] | None = None) -> GatewayConfig:
        """Read a config file (JSON)."""
        path = Path(path)
        try:
            data = json.loads(path.read_text())
        except FileNotFoundError:
            raise FileNotFoundError(
                f"no gateway config at {path}; write one (see README)"
            ) from None
        except json.JSONDecodeError as err:
            raise ConfigError(f"{path} is not JSON: {err.msg} at line {err.lineno}") from None
        return cls.from_json(data, environ, base=path.resolve().parent)

    def server(self, prefix: str) -> ServerConfig:
        for s in self.servers:
            if s.prefix == prefix:
                return s
        raise ConfigError(f"no server with prefix {prefix!r}")
