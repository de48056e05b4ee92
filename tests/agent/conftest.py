"""Fixtures for the gateway tests: the shipped upstream MCP servers (tests/agent/upstreams)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

UPSTREAMS = Path(__file__).parent / "upstreams"


@contextmanager
def shop_server(port: int, key: str | None) -> Iterator[str]:
    """tests/agent/upstreams/shop.py (Streamable HTTP) on ``port``, wanting ``X-Shop-Key: key``;
    yields its MCP URL."""
    env = os.environ | ({"SHOP_KEY": key} if key else {})
    proc = subprocess.Popen(
        [sys.executable, str(UPSTREAMS / "shop.py"), "--port", str(port)], env=env
    )
    try:
        deadline = time.time() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError("the shop server did not start") from None
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture(scope="session")
def run_shop():
    """:func:`shop_server`, for tests that need the HTTP upstream."""
    return shop_server
