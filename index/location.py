"""Where an index lives: a folder (the default) or a Milvus collection, named by one string.

``my-index`` is a folder; ``milvus:URI#NAME`` is the index published as ``NAME`` in Milvus at
``URI`` (a Milvus Lite file such as ``./tools.db``, or a server such as ``http://HOST:19530``).
A server's token is read from ``TOOLRAG_MILVUS_TOKEN`` when that variable is set, never from the
command line.

Example:
    >>> split_milvus("milvus:http://10.0.0.5:19530#tools")
    ('http://10.0.0.5:19530', 'tools')
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from toolrag.errors import ConfigError

if TYPE_CHECKING:
    from toolrag.index.store import ToolIndex

PREFIX = "milvus:"
TOKEN_ENV = "TOOLRAG_MILVUS_TOKEN"


def is_milvus(spec: str | Path) -> bool:
    return str(spec).startswith(PREFIX)


def split_milvus(spec: str) -> tuple[str, str]:
    """``(uri, collection)`` of ``milvus:URI#NAME``."""
    uri, sep, name = spec.removeprefix(PREFIX).rpartition("#")
    if not sep or not uri or not name:
        raise ConfigError(
            f"{spec!r}: a Milvus index is named milvus:URI#NAME, e.g. milvus:./tools.db#tools "
            "or milvus:http://HOST:19530#tools"
        )
    return uri, name


def lite_file(uri: str) -> Path | None:
    """The local file of a Milvus Lite ``uri`` (``./tools.db``); None for a server."""
    if "://" in uri:
        return None
    return Path(uri).resolve()


def token_env() -> str | None:
    return TOKEN_ENV if os.environ.get(TOKEN_ENV) else None


def load_index(spec: str | Path, *, verify: bool = True, model: str | None = None) -> ToolIndex:
    """The index at ``spec``: a folder, or ``milvus:URI#NAME``."""
    if is_milvus(spec):
        from toolrag.index.milvus import open_index

        uri, name = split_milvus(str(spec))
        return open_index(uri, name, token_env=token_env(), model=model)
    from toolrag.index.store import ToolIndex

    return ToolIndex.load(spec, verify=verify, model=model)
