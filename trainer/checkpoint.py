"""Where an interrupted training run picks up: the newest checkpoint of a trainer's folder."""

from __future__ import annotations

from pathlib import Path


def latest_checkpoint(folder: Path) -> Path | None:
    """The newest ``checkpoint-N`` in ``folder`` by step number (``checkpoint-100`` after
    ``checkpoint-75``), or None when there is none.

    Example:
        >>> latest_checkpoint(Path("no/such/folder")) is None
        True
    """
    from transformers.trainer_utils import get_last_checkpoint

    last = get_last_checkpoint(str(folder)) if Path(folder).is_dir() else None
    return Path(last) if last else None
