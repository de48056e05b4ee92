"""Several ``toolrag index add`` processes started at once on one index, each with its own
tools: every tool ends up in the index (writers take turns), or a writer that waited past its
lock timeout is refused with the one-line message and changes nothing. For a folder index and
for Milvus Lite."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from toolrag.index.location import load_index

WRITERS = 3
MILVUS_WRITERS = 2  # each opens Milvus Lite: slower
SLOW_WRITERS = 6


def _groups(folder: Path, n: int) -> list[tuple[Path, set[str]]]:
    out = []
    for g in range(n):
        names = {f"group{g}Tool{i}" for i in range(3)}
        path = folder / f"group{g}.jsonl"
        path.write_text(
            "".join(
                json.dumps(
                    {
                        "api_name": name,
                        "api_description": f"Tool {name} of writer {g}",
                        "parameters": {},
                        "required": [],
                        "responses": {},
                    }
                )
                + "\n"
                for name in sorted(names)
            )
        )
        out.append((path, names))
    return out


def race(spec: str, folder: Path, n: int, lock_timeout: float) -> tuple[set[str], set[str]]:
    """Start ``n`` writers of disjoint tool files on ``spec`` at once; the names they added
    and the names of those refused (each refusal checked for its one-line message)."""
    groups = _groups(folder, n)
    toolrag = [sys.executable, "-m", "toolrag.cli", "index", "add", spec]
    procs = [
        subprocess.Popen(
            [*toolrag, str(path), "--lock-timeout", str(lock_timeout), "--json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for path, _ in groups
    ]
    added, refused = set(), set()
    for proc, (_, names) in zip(procs, groups, strict=True):
        _, err = proc.communicate(timeout=600)
        if proc.returncode == 0:
            added |= names
            continue
        errors = [line for line in err.splitlines() if line.startswith("error:")]
        assert proc.returncode == 2 and len(errors) == 1, err
        assert "is being written by pid" in errors[0] and "index add" in errors[0], errors[0]
        refused |= names
    return added, refused


def _publish_and_let_go(index, uri: str) -> None:
    """Publish ``index`` as "six" at the Milvus Lite file ``uri``, then stop this process's
    Lite server: one process at a time may open a Lite file, and the writers are others."""
    from milvus_lite.server_manager import server_manager_instance

    from toolrag.index.milvus import publish

    publish(index, uri, "six").client.close()
    server_manager_instance.release_server(uri)


def check_race(spec: str, before: set[str], added: set[str], refused: set[str]) -> None:
    held = {t.name for t in load_index(spec).all_tools()}
    assert added, "no writer got through"
    assert held == before | added, f"lost: {sorted((before | added) - held)}"
    assert not held & refused


def test_folder_writers_at_once_lose_nothing(six_index, tmp_path):
    path = six_index.save(tmp_path / "idx")
    added, refused = race(str(path), tmp_path, WRITERS, lock_timeout=300)
    check_race(str(path), {t.name for t in six_index.tools}, added, refused)
    assert not refused  # 300 s is plenty for three small adds


def test_a_writer_past_its_timeout_is_refused_in_one_line_and_changes_nothing(six_index, tmp_path):
    from toolrag.index.lock import writer_lock

    path = six_index.save(tmp_path / "idx")
    before = (path / "manifest.json").read_bytes()
    (path_tools,) = [p for p, _ in _groups(tmp_path, 1)]
    with writer_lock(path, timeout=0):  # this test process is the other writer
        r = subprocess.run(
            [
                sys.executable,
                "-m",
                "toolrag.cli",
                "index",
                "add",
                str(path),
                str(path_tools),
                "--lock-timeout",
                "0.5",
            ],
            capture_output=True,
            text=True,
            timeout=600,
        )
    assert r.returncode == 2 and r.stdout == ""
    errors = [line for line in r.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and f"is being written by pid {os.getpid()}" in errors[0], r.stderr
    assert "--lock-timeout" in errors[0]
    assert (path / "manifest.json").read_bytes() == before


def test_milvus_lite_writers_at_once_lose_nothing(six_index, tmp_path):
    pytest.importorskip("pymilvus", reason='the Milvus extra: pip install -e ".[milvus]"')
    uri = str(tmp_path / "tools.db")
    _publish_and_let_go(six_index, uri)
    spec = f"milvus:{uri}#six"
    added, refused = race(spec, tmp_path, MILVUS_WRITERS, lock_timeout=300)
    check_race(spec, {t.name for t in six_index.tools}, added, refused)
    assert not refused
    assert len(load_index(spec)) == 6 + 3 * MILVUS_WRITERS  # the df table's count agrees


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["folder", "milvus"])
def test_many_writers_at_once_lose_nothing(six_index, tmp_path, backend):
    if backend == "milvus":
        pytest.importorskip("pymilvus")
        _publish_and_let_go(six_index, str(tmp_path / "tools.db"))
        spec = f"milvus:{tmp_path / 'tools.db'}#six"
    else:
        spec = str(six_index.save(tmp_path / "idx"))
    added, refused = race(spec, tmp_path, SLOW_WRITERS, lock_timeout=600)
    check_race(spec, {t.name for t in six_index.tools}, added, refused)
