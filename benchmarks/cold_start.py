"""Cold start: what a user waits for in a fresh process, today against an earlier commit.

Each command runs ``--runs`` times in a new process (median wall time, peak resident memory of
the process and its children): ``toolrag --help``, ``toolrag retrieve``, ``toolrag plan``, and
``toolrag mcp`` until it answers ``initialize``; also ``toolrag plan --planner fast`` (the
135M planner), whose baseline is the baseline's default ``plan`` (the 135M was its default);
and from Python over five plain functions (:data:`FUNCTIONS`): ``ToolRAG.from_tools`` plus one
retrieval (the index part alone), and ``toolrag.plan(query, functions)``, which indexes them in
the process before planning, once and twice (the difference is what a later call costs).
The baseline is the same commands at ``--baseline REV`` (checked out into a git worktree under
.cache/ and run from there), in the same run, on the same index, so the ratios compare like
with like; the baseline keeps its model cache under .cache/ (:func:`baseline_env`). One
untimed run of each command first fills the caches (ONNX exports) for both.

    python benchmarks/cold_start.py --baseline 060192d
    python benchmarks/cold_start.py --baseline 49b1377 --shared-cache --rows Python \\
        --name cold_start_plan_api

``--rows`` keeps the commands whose name contains one of its words; ``--shared-cache`` lets
the baseline use this tree's model cache (right when its cache formats are the same, and it
saves converting the planner again).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import ROOT, write_results

QUERY = "Find the GDP of France, then convert it to euros"


def _function(name: str, description: str, **params: str) -> dict:
    properties = {p: {"type": t} for p, t in params.items()}
    return {
        "name": name,
        "description": description,
        "parameters": {"type": "object", "properties": properties, "required": list(params)},
    }


FUNCTIONS = [
    _function(
        "get_gdp", "Get the gross domestic product of a country in US dollars", country="string"
    ),
    _function(
        "convert_currency",
        "Convert an amount of money from one currency to another",
        amount="number",
        from_currency="string",
        to_currency="string",
    ),
    _function("get_weather", "Current weather for a city", city="string"),
    _function("send_email", "Send an email to a recipient", to="string", body="string"),
    _function(
        "search_flights",
        "Search flights between two airports on a date",
        origin="string",
        destination="string",
        date="string",
    ),
]
"""A handful of plain functions, as a script passes them to ``toolrag.plan``."""


def run_once(
    argv: list[str], cwd: Path, stdin: str | None = None, env: dict[str, str] | None = None
) -> tuple[float, int, float]:
    """Wall seconds, peak RSS (MB) and CPU seconds (user + system) of one fresh process. The
    CPU seconds are what a busy shared machine distorts least."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv,
        cwd=cwd,
        env=env,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    if stdin is None:
        proc.stdout.read()
    else:  # MCP: send initialize and wait for its answer, then end the server
        proc.stdin.write(stdin + "\n")
        proc.stdin.flush()
        line = proc.stdout.readline()
        wall = time.perf_counter() - start
        if '"result"' not in line:
            raise RuntimeError(f"no initialize result from {argv}: {line!r}")
        proc.stdin.close()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    if stdin is None:
        wall = time.perf_counter() - start
        if proc.returncode != 0:
            raise RuntimeError(f"{argv} exited {proc.returncode}")
    return wall, usage.ru_maxrss // 1024, usage.ru_utime + usage.ru_stime


def measure(
    argv: list[str], cwd: Path, runs: int, stdin: str | None = None, env: dict | None = None
) -> dict:
    run_once(argv, cwd, stdin, env)  # fills caches; not timed
    walls, peaks, cpus = [], [], []
    for _ in range(runs):
        wall, rss, cpu = run_once(argv, cwd, stdin, env)
        walls.append(wall)
        peaks.append(rss)
        cpus.append(cpu)
    return {
        "wall_s": round(statistics.median(walls), 3),
        "peak_mb": max(peaks),
        "cpu_s": round(statistics.median(cpus), 3),
        "walls": walls,
        "cpus": cpus,
        "load_avg_1min": os.getloadavg()[0],
    }


def commands(index: Path) -> dict[str, tuple[list[str], str | None]]:
    cli = [sys.executable, "-m", "toolrag.cli"]
    init = json.dumps(
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": {"name": "cold-start", "version": "0"},
            },
        }
    )
    return {
        "toolrag --help": ([*cli, "--help"], None),
        "toolrag retrieve": ([*cli, "retrieve", QUERY, "--index", str(index)], None),
        "toolrag plan": ([*cli, "plan", QUERY, "--index", str(index)], None),
        "toolrag plan --planner fast": (
            [*cli, "plan", QUERY, "--index", str(index), "--planner", "fast"],
            None,
        ),
        "toolrag mcp (initialize answered)": ([*cli, "mcp", "--index", str(index)], init),
        "ToolRAG.from_tools(5 functions) + retrieve from Python": (
            [
                sys.executable,
                "-c",
                "import toolrag; rag = toolrag.ToolRAG.from_tools("
                f"{FUNCTIONS!r}); print(rag.retrieve({QUERY!r}, k=2))",
            ],
            None,
        ),
        "toolrag.plan(query, 5 functions) from Python": (
            [
                sys.executable,
                "-c",
                f"import toolrag; print(toolrag.plan({QUERY!r}, {FUNCTIONS!r}).calls)",
            ],
            None,
        ),
        "toolrag.plan(query, 5 functions) twice from Python": (
            [
                sys.executable,
                "-c",
                f"import toolrag; print(toolrag.plan({QUERY!r}, {FUNCTIONS!r}).calls); "
                f"print(toolrag.plan({QUERY!r}, {FUNCTIONS!r}).calls)",
            ],
            None,
        ),
    }


def baseline_tree(rev: str) -> Path:
    tree = ROOT / ".cache" / f"cold-start-{rev}"
    if not tree.exists():
        subprocess.run(["git", "worktree", "add", "--detach", str(tree), rev], cwd=ROOT, check=True)
    return tree


_BASELINE_IMPORTS = """import importlib.util, json, os, sys
TREE = os.environ["TOOLRAG_BASELINE_TREE"]
DIRS = json.loads(os.environ["TOOLRAG_BASELINE_DIRS"])
class BaselineFinder:
    @classmethod
    def find_spec(cls, name, path=None, target=None):
        if name not in DIRS:
            return None
        folder = os.path.join(TREE, DIRS[name])
        return importlib.util.spec_from_file_location(
            name, os.path.join(folder, "__init__.py"), submodule_search_locations=[folder]
        )
sys.meta_path.insert(0, BaselineFinder)
"""


def baseline_env(rev: str, shared_cache: bool = False) -> dict[str, str]:
    """The environment the baseline runs in: its own model cache (``$TOOLRAG_CACHE``; unless
    ``shared_cache``), so that its exports, of another format, do not replace this tree's in
    the shared one (each side would then rebuild the other's before every run); and its own
    packages. The editable install maps ``toolrag.index``, ``toolrag.agent``... onto this
    tree's folders, and Python's own finder cannot find them under the baseline's
    ``toolrag/``: without the ``sitecustomize`` written here, a baseline process run from its
    tree imported this tree's subpackages under its own ``toolrag/``."""
    import tomllib

    tree = baseline_tree(rev)
    project = tomllib.loads((tree / "pyproject.toml").read_text())
    dirs = project["tool"]["setuptools"]["package-dir"]
    for package in project["tool"]["setuptools"]["packages"]:  # sub-packages of mapped ones
        parent, _, leaf = package.rpartition(".")
        if package not in dirs and parent in dirs:
            dirs[package] = f"{dirs[parent]}/{leaf}"
    shim = ROOT / ".cache" / f"cold-start-{rev}-imports"
    shim.mkdir(parents=True, exist_ok=True)
    (shim / "sitecustomize.py").write_text(_BASELINE_IMPORTS)
    env = os.environ | {
        "TOOLRAG_BASELINE_TREE": str(tree),
        "TOOLRAG_BASELINE_DIRS": json.dumps(dirs),
        "PYTHONPATH": str(shim),
    }
    if not shared_cache:
        env["TOOLRAG_CACHE"] = str(ROOT / ".cache" / f"toolrag-cache-{rev}")
    return env


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", default=None, help="an earlier commit to compare with")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--rows", nargs="*", default=None, help="only commands naming these words")
    ap.add_argument("--shared-cache", action="store_true", help="baseline uses this model cache")
    ap.add_argument("--name", default="cold_start", help="results file name")
    args = ap.parse_args()
    index_dir = ROOT / ".cache" / "seal-index-default"
    cmds = {
        name: cmd
        for name, cmd in commands(index_dir).items()
        if not args.rows or any(word in name for word in args.rows)
    }
    n_tools = 0
    if any(str(index_dir) in cmd[0] for cmd in cmds.values()):
        # the 4,076 Seal-Tools tools, built once into .cache by a child: this process stays
        # small, since a child's peak RSS counts what its parent held when it was forked
        code = "from common import seal_index; print(len(seal_index()))"
        build = [sys.executable, "-c", code]
        n_tools = int(
            subprocess.run(
                build, cwd=Path(__file__).parent, check=True, capture_output=True, text=True
            ).stdout.split()[-1]
        )
    rows = {}
    for name, (argv, stdin) in cmds.items():
        now = measure(argv, Path("/"), args.runs, stdin)  # outside the checkout: the install
        row = {"now": now}
        if args.baseline:  # run from the old tree: its folders are on sys.path through cwd
            old = commands(index_dir)["toolrag plan"][0] if "--planner fast" in name else argv
            tree = baseline_tree(args.baseline)
            env = baseline_env(args.baseline, args.shared_cache)
            row["baseline"] = measure(old, tree, args.runs, stdin, env)
            row["speedup"] = round(row["baseline"]["wall_s"] / now["wall_s"], 2)
        rows[name] = row
        print(name, row, flush=True)
    head = "| command | now: wall (median) | now: CPU s | now: peak MB |"
    sep = "| --- | ---: | ---: | ---: |"
    if args.baseline:
        head += f" {args.baseline}: wall | {args.baseline}: CPU s | {args.baseline}: peak MB |"
        head += " speed-up (wall) |"
        sep += " ---: | ---: | ---: | ---: |"
    lines = [
        f"# Cold start ({n_tools} Seal-Tools tools, median of {args.runs} fresh processes)"
        if n_tools
        else f"# Cold start (median of {args.runs} fresh processes)",
        "",
        head,
        sep,
    ]
    for name, row in rows.items():
        n = row["now"]
        line = f"| `{name}` | {n['wall_s']:.2f} s | {n['cpu_s']:.2f} | {n['peak_mb']} |"
        if args.baseline:
            b = row["baseline"]
            line += f" {b['wall_s']:.2f} s | {b['cpu_s']:.2f} | {b['peak_mb']} |"
            line += f" {row['speedup']:.1f}x |"
        lines.append(line)
    lines += [
        "",
        f"Query: {QUERY!r}. Caches (ONNX exports, the planner's token table) filled by one "
        "untimed run first. `toolrag plan` runs the default planner (Qwen2.5-Coder-0.5B + "
        "LoRA); `--planner fast` the SmolLM2-135M one, compared with the baseline's default "
        "`plan` (the 135M then).",
    ]
    lines[-1] += (
        " The Python rows index five plain functions in the process (`from_tools` then retrieves; "
        "`toolrag.plan` plans too)."
        if any("Python" in name for name in rows)
        else ""
    )
    loads = [
        r[side]["load_avg_1min"] for r in rows.values() for side in ("now", "baseline") if side in r
    ]
    lines[-1] += (
        f" Load average (1 min) after each command: {', '.join(f'{x:.1f}' for x in loads)}."
    )
    if args.shared_cache:
        lines[-1] += " The baseline shared this tree's model cache (`--shared-cache`)."
    record = {"baseline": args.baseline, "shared_cache": args.shared_cache, "rows": rows}
    write_results(args.name, record, "\n".join(lines))


if __name__ == "__main__":
    main()
