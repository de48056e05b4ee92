"""What a planner adapter folder records about itself beyond peft's own files."""

from __future__ import annotations

import json
from pathlib import Path

from toolrag.agent.config import PlannerConfig

PLANNER_RECORD = "toolrag_planner.json"
"""Written by ``toolrag train planner``: base model alias, config, timing, scores."""

CONFIG_KEY = "planner_config"
"""The record's key for the :class:`PlannerConfig` the planner ships with."""


def read_base(folder: str | Path) -> str:
    """The base model of an adapter folder: toolrag's record first, then peft's config.

    peft writes the base's absolute path at training time, which is a cache folder on the
    training machine; toolrag's record keeps the portable alias (``smollm2-135m``) or hub id.
    """
    folder = Path(folder)
    base = read_record(folder).get("base")
    if base:
        return str(base)
    config = folder / "adapter_config.json"
    if not config.exists():
        raise FileNotFoundError(
            f"{folder} is not a planner adapter folder (no adapter_config.json)"
        )
    return str(json.loads(config.read_text())["base_model_name_or_path"])


def read_record(folder: str | Path) -> dict:
    """An adapter folder's toolrag record (``{}`` where there is none)."""
    record = Path(folder) / PLANNER_RECORD
    return json.loads(record.read_text()) if record.exists() else {}


def prompt_style(model: str | Path) -> str:
    """The prompt style a planner model was trained with (:mod:`toolrag.agent.prompt`): its
    adapter record's ``prompt_style``; ``compact`` for adapters trained before v3 (whose records
    do not say); ``schema`` for a model that is not a toolrag adapter (a base model planning
    zero-shot reads whole schemas best)."""
    folder = Path(model)
    if (folder / PLANNER_RECORD).exists() or (folder / "adapter_config.json").exists():
        return str(read_record(folder).get("prompt_style") or "compact")
    return "schema"


def grounding(model: str | Path) -> str:
    """The grounding mode a planner model was measured best with and ships with
    (:meth:`toolrag.agent.config.PlannerConfig.with_grounding`): its adapter record's
    ``grounding``; ``hard`` where the record does not say (the 135M adapters) or there is none."""
    return str(read_record(model).get("grounding") or "hard")


def stored_config(model: str | Path) -> PlannerConfig:
    """The planner config a model was measured with and ships with: its adapter record's
    ``planner_config`` (:meth:`PlannerConfig.to_dict` data), else the config of its grounding
    mode (:func:`grounding`) for records written before configs were stored.

    Example:
        >>> stored_config("/nowhere").passes == PlannerConfig().with_grounding("hard").passes
        True
    """
    stored = read_record(model).get(CONFIG_KEY)
    if stored is not None:
        return PlannerConfig.from_dict(stored)
    return PlannerConfig().with_grounding(grounding(model))
