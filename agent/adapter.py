"""What a planner adapter folder records about itself beyond peft's own files."""

from __future__ import annotations

import json
from pathlib import Path

PLANNER_RECORD = "toolrag_planner.json"
"""Written by ``toolrag train planner``: base model alias, config, timing, scores."""


def read_base(folder: str | Path) -> str:
    """The base model of an adapter folder: toolrag's record first, then peft's config.

    peft writes the base's absolute path at training time, which is a cache folder on the
    training machine; toolrag's record keeps the portable alias (``smollm2-135m``) or hub id.
    """
    folder = Path(folder)
    record = folder / PLANNER_RECORD
    if record.exists():
        base = json.loads(record.read_text()).get("base")
        if base:
            return str(base)
    config = folder / "adapter_config.json"
    if not config.exists():
        raise FileNotFoundError(
            f"{folder} is not a planner adapter folder (no adapter_config.json)"
        )
    return str(json.loads(config.read_text())["base_model_name_or_path"])
