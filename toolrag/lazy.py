"""Package attributes that import their module on first use, so importing a package stays cheap.

Example:
    >>> getattr_ = exports_on_use({"dumps": "json"}, "demo", {})
    >>> getattr_("dumps").__name__
    'dumps'
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def exports_on_use(
    exports: dict[str, str], package: str, namespace: dict[str, Any]
) -> Callable[[str], Any]:
    """A module ``__getattr__`` that imports ``exports[name]`` on first use of ``name`` and
    keeps the value in ``namespace`` (the package's globals), so later lookups are plain."""

    def __getattr__(name: str) -> Any:
        if name in exports:
            value = getattr(importlib.import_module(exports[name]), name)
            namespace[name] = value
            return value
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__
