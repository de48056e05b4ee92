"""The installed package is one namespace: a wheel of this repository puts ``toolrag`` (and its
dist-info) at the top of site-packages and nothing else, with the shipped weights inside it."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PIPELINE = ("index", "retriever", "trainer", "agent", "evaluation")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    # build from a copy: an in-tree build would leave build/ in the checkout
    src = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in ("toolrag", *PIPELINE):
        shutil.copytree(ROOT / folder, src / folder, ignore=skip)
    out = tmp_path_factory.mktemp("wheel")
    cmd = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation"]
    subprocess.run([*cmd, "-w", str(out), str(src)], check=True, capture_output=True)
    (path,) = out.glob("toolrag-*.whl")
    return zipfile.ZipFile(path)


def test_the_wheel_installs_one_top_level_package(wheel):
    top = {name.split("/")[0] for name in wheel.namelist()}
    assert {t for t in top if not t.endswith(".dist-info")} == {"toolrag"}


def test_every_pipeline_package_and_its_data_is_inside_the_namespace(wheel):
    names = set(wheel.namelist())
    for folder in PIPELINE:
        modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / folder).rglob("*.py")}
        assert {f"toolrag/{m}" for m in modules} <= names, folder
    assert "toolrag/agent/data/planner/adapter_model.safetensors" in names
    assert "toolrag/agent/data/planner-fast/adapter_model.safetensors" in names
    assert "toolrag/retriever/data/default/model.int8.safetensors" in names
    assert "toolrag/data/sample_tools.json" in names


def test_the_old_top_level_names_do_not_import():
    code = f"import importlib.util as u; print([m for m in {PIPELINE!r} if u.find_spec(m)])"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd="/"
    )
    assert out.stdout.strip() == "[]"
