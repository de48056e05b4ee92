"""The planner's ONNX path stays light: importing it loads neither PyTorch, transformers nor
the index (FAISS), so a planner process starts fast."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_planner_loads_no_torch_transformers_or_index():
    code = (
        "import sys, toolrag.agent.planner, toolrag.agent.grammar, toolrag.agent.plan\n"
        "heavy = [m for m in ('torch', 'transformers', 'faiss', 'toolrag.index') if m in sys.modules]\n"
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


HEAVY = ("torch", "transformers", "sentence_transformers", "sklearn")


def _loaded_after(argv: list[str], env: dict[str, str] | None = None) -> list[str]:
    """Which heavy modules a fresh ``toolrag ARGV`` process imported (it reports them at exit)."""
    import os

    code = (
        "import atexit, sys\n"
        f"atexit.register(lambda: print('HEAVY', [m for m in {HEAVY!r} if m in sys.modules]))\n"
        "from toolrag.cli import app\n"
        f"app({argv!r})\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=os.environ | (env or {}),
    )
    line = [x for x in out.stdout.splitlines() if x.startswith("HEAVY")]
    assert line, out.stdout + out.stderr
    return eval(line[-1].removeprefix("HEAVY "))


def test_help_imports_no_heavy_library():
    assert _loaded_after(["--help"]) == []


def test_retrieve_in_a_fresh_process_loads_no_pytorch(six_index, tmp_path):
    import os

    folder = six_index.save(tmp_path / "idx")
    six_index.encode_queries(["warm"])  # builds the checked ONNX bundle in the test cache
    env = {"TOOLRAG_CACHE": os.environ["TOOLRAG_CACHE"]}
    assert _loaded_after(["retrieve", "weather in Paris", "--index", str(folder)], env) == []


def test_indexing_functions_in_a_fresh_process_loads_no_pytorch(six_index, six_tools_file):
    """What ``toolrag.plan(query, functions)`` does before the planner: index the functions
    (encoded through the cached ONNX bundle), retrieve, and load the shipped selector."""
    import os

    code = (
        "import sys\n"
        "from toolrag.api import ToolRAG\n"
        "from toolrag.retriever.selector import resolve_selector\n"
        f"rag = ToolRAG.from_tools({str(six_tools_file)!r})\n"
        "hits = rag.retrieve('What is the weather in Paris?', k=1)\n"
        "assert resolve_selector('auto', rag.index) is not None\n"
        f"print(hits[0].tool.name, [m for m in {HEAVY!r} if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=dict(os.environ)
    )
    assert out.stdout.strip() == "getWeather []", out.stdout + out.stderr
