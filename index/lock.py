"""One writer at a time per index: an exclusive ``flock`` on a small file beside the index.

The lock file ``.NAME.lock`` sits in the index's parent folder (the index folder itself is
replaced by rename on every write, so a lock inside it would move with it). The writer that
holds it writes its pid and command line into it, so that a second writer that gives up can
say who holds it. The file is never deleted: deleting a lock file that another process has
open lets two writers each lock "their" file.

Readers never take the lock; they read whichever whole index the last rename left.

Example:
    >>> with writer_lock("my-index", timeout=10):  # doctest: +SKIP
    ...     ToolIndex.load("my-index").updated(add=tools).save("my-index")
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from toolrag.errors import ConfigError
from toolrag.index.errors import IndexBusyError

DEFAULT_TIMEOUT = 30.0
"""Seconds a writer waits for another writer of the same index before it gives up."""

_held: dict[Path, int] = {}  # lock files this process holds, with their nesting depth
_held_guard = threading.Lock()


def lock_path(target: str | Path) -> Path:
    """The lock file of the index (folder or Milvus Lite file) at ``target``."""
    target = Path(target).resolve()
    return target.parent / f".{target.name}.lock"


def _holder(path: Path) -> str:
    try:
        info = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        info = {}
    if not info:
        return "another process"
    return f"pid {info.get('pid')} ({info.get('command', '?')}, since {info.get('since', '?')})"


@contextmanager
def writer_lock(target: str | Path, timeout: float = DEFAULT_TIMEOUT) -> Iterator[None]:
    """Hold the writer lock of the index at ``target`` for the ``with`` block.

    Re-entrant within one process (a CLI command that holds it may call
    :meth:`~toolrag.index.store.ToolIndex.save`, which takes it too).

    Args:
        target: the index folder (or Milvus Lite ``.db`` file); its parent is created.
        timeout: seconds to wait for another writer; 0 tries once.

    Raises:
        IndexBusyError: another process held the lock for the whole timeout; the message names
            its pid and command.
    """
    import fcntl

    if timeout < 0:
        raise ConfigError(f"the lock timeout must be 0 or more seconds, got {timeout}")
    path = lock_path(target)
    with _held_guard:
        if path in _held:
            _held[path] += 1
            reentered = True
        else:
            reentered = False
    if reentered:
        try:
            yield
        finally:
            with _held_guard:
                _held[path] -= 1
        return

    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IndexBusyError(
                        f"{Path(target)} is being written by {_holder(path)}; waited "
                        f"{timeout:g} s. Run again when it is done, or pass a longer "
                        "--lock-timeout"
                    ) from None
                time.sleep(0.05)
        command = " ".join([Path(sys.argv[0]).name, *sys.argv[1:]])[:300]
        info = {
            "pid": os.getpid(),
            "command": command.encode("utf-8", "backslashreplace").decode("utf-8"),
            "since": time.strftime("%Y-%m-%dT%H:%M:%S"),
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode("utf-8", "replace"), 0)
        with _held_guard:
            _held[path] = 1
        try:
            yield
        finally:
            with _held_guard:
                del _held[path]
            os.ftruncate(fd, 0)  # no stale holder named after we are gone
    finally:
        os.close(fd)  # closing releases the flock; so does the process dying


def is_locked(target: str | Path) -> bool:
    """Whether some writer (this process or another) holds the lock of ``target`` now."""
    import fcntl

    path = lock_path(target)
    with _held_guard:
        if path in _held:
            return True
    if not path.exists():
        return False
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False
