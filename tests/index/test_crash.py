"""Writers killed with SIGKILL at random moments leave the index whole: it opens, passes its
checksum check, and is either the state before the write or the state after it, never a mix;
the staging folders they leave do not pile up (the next writer removes them).

The default test kills the writing phase of add, remove and build (everything an update does
to disk happens in :meth:`ToolIndex.save`; the encoding before it writes nothing) in a small
child process, so that each trial takes about a second. The ``slow`` test kills the real
``toolrag index add/remove/build`` commands at random moments of their whole run.
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from toolrag.index.errors import IndexLoadError
from toolrag.index.store import ToolIndex
from toolrag.types import Tool

TRIALS = 21  # seven each of add, remove and build
SLOW_TRIALS = 21

WRITER = textwrap.dedent(
    """
    import sys
    from toolrag.index.store import ToolIndex
    after = ToolIndex.load(sys.argv[1])
    after._base = None  # a whole new version, as build or update publishes it
    print("ready", flush=True)
    after.save(sys.argv[2])
    print("done", flush=True)
    """
)


def extra_tools(n: int) -> list[Tool]:
    return [
        Tool(name=f"lookupRecord{i}", description=f"Look up record number {i} in the archive")
        for i in range(n)
    ]


def state(path: Path) -> tuple[list[str], bytes]:
    """What an index holds, for comparison: its tools and embeddings (checksums verified)."""
    idx = ToolIndex.load(path, verify=True)
    return [t.model_dump_json() for t in idx.tools], np.ascontiguousarray(idx.embeddings).tobytes()


def strays(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".tmp-" in p.name or ".old-" in p.name)


@pytest.fixture(scope="module")
def versions(six_index, tmp_path_factory) -> dict[str, Path]:
    """Saved versions to go between: six tools, six plus 12, and a different 12-tool build."""
    root = tmp_path_factory.mktemp("versions")
    small = six_index.save(root / "small")
    big = ToolIndex.load(small).updated(add=extra_tools(12)).save(root / "big")
    other = ToolIndex.build(extra_tools(12)).save(root / "other")
    return {"small": small, "big": big, "other": other}


def _copy(src: Path, dst: Path) -> Path:
    import shutil

    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst)
    return dst


def test_killed_writers_leave_the_old_or_the_new_index(versions, tmp_path):
    rng = random.Random(51)
    ops = {"add": ("small", "big"), "remove": ("big", "small"), "build": ("big", "other")}
    expected = {name: state(path) for name, path in versions.items()}
    # how long a save takes here: the kills are spread over it and a bit past it
    start = time.perf_counter()
    ToolIndex.load(versions["big"]).save(tmp_path / "timing")
    span = (time.perf_counter() - start) * 1.5
    outcomes: dict[str, int] = {"before": 0, "after": 0}
    target = tmp_path / "idx"
    for trial in range(TRIALS):
        op = list(ops)[trial % 3]
        before, after = ops[op]
        _copy(versions[before], target)
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(versions[after]), str(target)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0, span))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        now = state(target)  # opens and passes the checksum check, or the test fails here
        if now == expected[before]:
            outcomes["before"] += 1
        else:
            assert now == expected[after], f"trial {trial} ({op}): a mix of two versions"
            outcomes["after"] += 1
        assert len(strays(tmp_path)) <= 1, strays(tmp_path)  # at most the killed writer's own
        # the next writer cleans up after the killed one
        ToolIndex.load(target).save(tmp_path / "idx")
        assert strays(tmp_path) == []
    assert sum(outcomes.values()) == TRIALS
    assert outcomes["before"] and outcomes["after"], outcomes  # the kills did land mid-write


@pytest.mark.slow
def test_killed_cli_writers_leave_the_old_or_the_new_index(versions, tmp_path):
    """The real commands, killed anywhere in their run (start-up, encoding or writing)."""
    rng = random.Random(510)
    extra = tmp_path / "extra.jsonl"
    extra.write_text("".join(t.model_dump_json() + "\n" for t in extra_tools(12)))
    small_tools = tmp_path / "small.jsonl"
    small_tools.write_text(
        "".join(t.model_dump_json() + "\n" for t in ToolIndex.load(versions["small"]).tools)
    )
    names = [t.name for t in extra_tools(12)]
    target = tmp_path / "idx"
    toolrag = [sys.executable, "-m", "toolrag.cli"]
    ops = {
        "add": ("small", [*toolrag, "index", "add", str(target), str(extra)]),
        "remove": ("big", [*toolrag, "index", "remove", str(target), *names]),
        "build": ("big", [*toolrag, "index", "build", str(small_tools), "--out", str(target)]),
    }
    # the whole run of each command once, to spread the kills over it
    spans = {}
    for op, (before, command) in ops.items():
        _copy(versions[before], target)
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        spans[op] = time.perf_counter() - start
    kinds = {"before": 0, "after": 0}
    for trial in range(SLOW_TRIALS):
        op = list(ops)[trial % 3]
        before, command = ops[op]
        _copy(versions[before], target)
        old = state(target)
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.5, 1.1) * spans[op])
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        try:
            now = state(target)
        except IndexLoadError as err:
            pytest.fail(f"trial {trial} ({op}): the index does not open: {err}")
        kinds["before" if now == old else "after"] += 1
        if now != old:
            names_now = {json.loads(t)["name"] for t in now[0]}
            assert len(names_now) in {6, 18}, f"trial {trial} ({op}): {len(names_now)} tools"
    ToolIndex.load(target).save(target)
    assert strays(tmp_path) == [] and sum(kinds.values()) == SLOW_TRIALS
