"""One writer at a time: the writer lock names the holder, and a writer that read an older
version of the index refuses to publish over a newer one (compare-and-swap)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from toolrag.index.errors import IndexBusyError, IndexChangedError
from toolrag.index.lock import is_locked, lock_path, writer_lock
from toolrag.index.store import ToolIndex
from toolrag.types import Tool

HOLD = textwrap.dedent(
    """
    import sys, time
    from toolrag.index.lock import writer_lock
    with writer_lock(sys.argv[1], timeout=5):
        print("held", flush=True)
        time.sleep(60)
    """
)


@pytest.fixture
def holder(tmp_path):
    """A process holding the writer lock of tmp_path/idx; yields the process."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path / "idx"), "index", "add"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout.readline().strip() == "held"
    yield proc
    proc.kill()
    proc.wait(timeout=10)


def test_a_second_writer_waits_then_names_the_holder(holder, tmp_path):
    start = time.monotonic()
    with (
        pytest.raises(IndexBusyError, match=rf"pid {holder.pid} \(.*index add.*--lock-timeout"),
        writer_lock(tmp_path / "idx", timeout=0.5),
    ):
        pass
    assert 0.5 <= time.monotonic() - start < 5
    assert is_locked(tmp_path / "idx")


def test_a_killed_holder_releases_the_lock(holder, tmp_path):
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=10)
    with writer_lock(tmp_path / "idx", timeout=5):
        assert is_locked(tmp_path / "idx")
    assert not is_locked(tmp_path / "idx")
    assert lock_path(tmp_path / "idx") == tmp_path / ".idx.lock"


def test_readers_do_not_wait_for_a_writer(six_index, tmp_path, holder):
    six_index.save(tmp_path / "other")  # a free index beside it saves at once
    os.rename(tmp_path / "other", tmp_path / "idx")
    start = time.monotonic()
    assert len(ToolIndex.load(tmp_path / "idx")) == 6
    assert time.monotonic() - start < 5  # no lock wait (the holder sleeps 60 s)
    with pytest.raises(IndexBusyError):
        six_index.save(tmp_path / "idx", lock_timeout=0.2)


def test_the_lock_is_reentrant_in_one_process(six_index, tmp_path):
    with writer_lock(tmp_path / "idx", timeout=0):
        six_index.save(tmp_path / "idx", lock_timeout=0)
    assert len(ToolIndex.load(tmp_path / "idx")) == 6


def test_a_writer_that_read_an_older_version_cannot_publish(six_index, tmp_path):
    path = six_index.save(tmp_path / "idx")
    first, second = ToolIndex.load(path), ToolIndex.load(path)  # both read version 1
    first.updated(add=[Tool(name="getTides", description="Tide times")]).save(path)
    stale = second.updated(add=[Tool(name="getMoon", description="Moon phase")])
    with pytest.raises(IndexChangedError, match="changed after this writer read it.*again"):
        stale.save(path)
    names = {t.name for t in ToolIndex.load(path).tools}
    assert "getTides" in names and "getMoon" not in names  # nothing lost, nothing half-done
    again = ToolIndex.load(path).updated(add=[Tool(name="getMoon", description="Moon phase")])
    again.save(path)
    loaded = ToolIndex.load(path)
    assert {"getTides", "getMoon"} <= {t.name for t in loaded.tools}
    assert loaded.manifest["revision"] == 3
    assert not list(tmp_path.glob(".idx.tmp-*")) and not list(tmp_path.glob(".idx.old-*"))


def test_strays_of_killed_writers_are_cleaned_by_the_next_one(six_index, tmp_path):
    path = six_index.save(tmp_path / "idx")
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        text=True,
        capture_output=True,
        check=True,
    ).stdout.strip()
    (tmp_path / f".idx.tmp-{dead}-cafe0000").mkdir()
    (tmp_path / f".idx.old-{dead}-cafe0001").mkdir()
    (tmp_path / f".idx.tmp-{os.getppid()}-live0000").mkdir()  # a running writer's: kept
    ToolIndex.load(path).updated(remove=["getStockPrice"]).save(path)
    left = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".idx."))
    assert left == [".idx.lock", f".idx.tmp-{os.getppid()}-live0000"]
