"""Errors raised while reading toolsets and indexes; each says where the problem is and the fix."""

from __future__ import annotations

from toolrag.errors import ToolragError


class ToolsetError(ToolragError, ValueError):
    """A toolset file that cannot be read into tools.

    Args:
        source: the file (or other origin) being read.
        message: what is wrong.
        record: where in the file, e.g. ``"line 3"`` or ``"tools[2]"``.
        field: the offending field, e.g. ``"parameters.properties.city"``.
        fix: what the user should do about it.
    """

    def __init__(
        self,
        source: str,
        message: str,
        *,
        record: str | None = None,
        field: str | None = None,
        fix: str | None = None,
    ) -> None:
        self.source = source
        self.record = record
        self.field = field
        self.fix = fix
        where = source + "".join(
            f", {part}" for part in (record, field and f"field '{field}'") if part
        )
        text = f"{where}: {message}"
        if fix:
            text += f". {fix}"
        super().__init__(text)


class IndexLoadError(ToolragError, RuntimeError):
    """An index folder that cannot be loaded as it is; the message says how to rebuild or repair it."""


class IndexBusyError(ToolragError, RuntimeError):
    """Another process is writing the index and did not finish within the timeout; the message
    names it."""


class IndexChangedError(ToolragError, RuntimeError):
    """The index changed on disk after this writer read it: publishing would lose that change."""
