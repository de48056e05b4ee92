"""Reliability at a larger size than the default tests: writers raced on one index (folder and
Milvus Lite), writers killed at random moments, and generated request bodies per HTTP endpoint.

It runs the test suite's own machinery (tests/index/test_concurrent_writers.py,
tests/index/test_crash.py, tests/agent/test_server_fuzz.py) and counts what they check: tools
lost, indexes that did not open or were a mix of two versions, and 5xx answers.

    python benchmarks/reliability.py --writers 6 --trials 60 --fuzz 500
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, write_results


def _module(rel: str):
    sys.path.insert(0, str(ROOT / "tests"))  # the test modules import conftest
    spec = importlib.util.spec_from_file_location(Path(rel).stem, ROOT / rel)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def race_writers(work: Path, six_index, writers: int) -> dict[str, dict[str, int]]:
    race = _module("tests/index/test_concurrent_writers.py")
    out = {}
    for backend in ("folder", "milvus-lite"):
        folder = work / backend
        folder.mkdir()
        if backend == "folder":
            spec = str(six_index.save(folder / "idx"))
        else:
            race._publish_and_let_go(six_index, str(folder / "tools.db"))
            spec = f"milvus:{folder / 'tools.db'}#six"
        added, refused = race.race(spec, folder, writers, lock_timeout=600)
        from toolrag.index.location import load_index

        held = {t.name for t in load_index(spec).all_tools()}
        expected = {t.name for t in six_index.tools} | added
        out[backend] = {
            "writers": writers,
            "refused": len(refused) // 3,
            "tools_expected": len(expected),
            "tools_held": len(held & expected),
            "tools_lost": len(expected - held),
        }
    return out


def crash_trials(work: Path, six_index, trials: int, seed: int) -> dict[str, int]:
    crash = _module("tests/index/test_crash.py")
    from toolrag.index.store import ToolIndex

    root = work / "versions"
    small = six_index.save(root / "small")
    big = ToolIndex.load(small).updated(add=crash.extra_tools(12)).save(root / "big")
    other = ToolIndex.build(crash.extra_tools(12)).save(root / "other")
    versions = {"small": small, "big": big, "other": other}
    expected = {name: crash.state(path) for name, path in versions.items()}
    ops = {"add": ("small", "big"), "remove": ("big", "small"), "build": ("big", "other")}
    start = time.perf_counter()
    ToolIndex.load(big).save(work / "timing")
    span = (time.perf_counter() - start) * 1.5
    rng = random.Random(seed)
    counts = {"trials": 0, "before": 0, "after": 0, "mixed": 0, "did_not_open": 0}
    counts["max_strays"] = 0
    target = work / "crash" / "idx"
    for trial in range(trials):
        before, after = ops[list(ops)[trial % 3]]
        crash._copy(versions[before], target)
        proc = subprocess.Popen(
            [sys.executable, "-c", crash.WRITER, str(versions[after]), str(target)],
            stdout=subprocess.PIPE,
            text=True,
        )
        proc.stdout.readline()
        time.sleep(rng.uniform(0, span))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        counts["trials"] += 1
        try:
            now = crash.state(target)
        except Exception:
            counts["did_not_open"] += 1
            continue
        kind = "before" if now == expected[before] else "after" if now == expected[after] else None
        counts[kind or "mixed"] += 1
        counts["max_strays"] = max(counts["max_strays"], len(crash.strays(target.parent)))
        ToolIndex.load(target).save(target)
    counts["strays_left"] = len(crash.strays(target.parent))
    return counts


def fuzz_http(six_index, examples: int) -> dict[str, dict[str, int]]:
    fuzz = _module("tests/agent/test_server_fuzz.py")
    from fastapi.testclient import TestClient

    from toolrag.agent.agent import Agent
    from toolrag.agent.server import ServerSettings, create_app

    app = create_app(
        Agent(six_index, fuzz.FixedPlanner(), k=3), max_queue=64, settings=ServerSettings()
    )
    out = {}
    with TestClient(app, raise_server_exceptions=False) as client:
        openapi = client.get("/openapi.json").json()
        statuses: dict[str, dict[int, int]] = {}
        original = client.post

        def counted(path, **kw):
            r = original(path, **kw)
            statuses.setdefault(path, {}).setdefault(r.status_code, 0)
            statuses[path][r.status_code] += 1
            return r

        client.post = counted  # type: ignore[method-assign]
        failures = {}
        for path in fuzz.ENDPOINTS:
            try:
                fuzz._fuzzer(client, openapi, path, examples)()
            except AssertionError as err:  # a 5xx or a schema violation: counted, not hidden
                failures[path] = str(err)[:300]
        for path in fuzz.ENDPOINTS:
            seen = statuses.get(path, {})
            out[path] = {
                "sent": sum(seen.values()),
                "5xx": sum(n for s, n in seen.items() if s >= 500),
                "2xx": sum(n for s, n in seen.items() if s < 300),
                "4xx": sum(n for s, n in seen.items() if 400 <= s < 500),
                "failure": failures.get(path, ""),
            }
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--writers", type=int, default=6, help="writer processes raced per backend")
    ap.add_argument("--trials", type=int, default=60, help="writers killed with SIGKILL")
    ap.add_argument("--fuzz", type=int, default=500, help="generated bodies per endpoint")
    ap.add_argument("--seed", type=int, default=51)
    args = ap.parse_args()
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT]
    conftest = _module("tests/conftest.py")
    from toolrag.index.store import ToolIndex
    from toolrag.index.toolset import load_toolset

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        os.environ.setdefault("TOOLRAG_CACHE", str(work / "cache"))
        tools_file = work / "six.jsonl"
        tools_file.write_text(
            "".join(__import__("json").dumps(t) + "\n" for t in conftest.SIX_TOOLS)
        )
        six = ToolIndex.build(load_toolset(tools_file))
        start = time.perf_counter()
        fuzz = fuzz_http(six, args.fuzz)
        crash = crash_trials(work, six, args.trials, args.seed)
        race = race_writers(work, six, args.writers)
        seconds = round(time.perf_counter() - start, 1)
    data = {"writers": race, "crash": crash, "fuzz": fuzz, "seconds": seconds}
    rows = [
        "| check | size | result |",
        "| --- | --- | --- |",
    ]
    for backend, r in race.items():
        rows.append(
            f"| writers raced ({backend}) | {r['writers']} `index add` at once | "
            f"{r['tools_lost']} tools lost of {r['tools_expected']}, {r['refused']} refused |"
        )
    rows.append(
        f"| writers killed (SIGKILL) | {crash['trials']} trials of add/remove/build | "
        f"{crash['before']} old, {crash['after']} new, {crash['mixed']} mixed, "
        f"{crash['did_not_open']} did not open; {crash['strays_left']} strays left |"
    )
    for path, f in fuzz.items():
        rows.append(
            f"| fuzzed `{path}` | {f['sent']} bodies | {f['5xx']} 5xx "
            f"({f['2xx']} 2xx, {f['4xx']} 4xx){'; ' + f['failure'] if f['failure'] else ''} |"
        )
    write_results("reliability", data, "\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
