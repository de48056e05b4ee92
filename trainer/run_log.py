"""A long training run that survives interruption: a line per checkpoint, a stop on request,
and a guard against resuming with other data.

The HF Trainer saves and restores what an exact resume needs (LoRA weights, optimizer,
scheduler, RNG states, the step, hence the data position: ``resume_from_checkpoint`` skips the
batches already seen). This module adds what a person watching a days-long run needs:

- :class:`CheckpointLog` appends one JSON line per checkpoint to ``<out>/checkpoints.jsonl``:
  step, examples seen, mean train loss since the previous checkpoint, dev loss where a dev set
  is given, learning rate, wall and CPU seconds;
- :class:`StopAfter` ends a run after N steps or M minutes *in this process*, saving a
  checkpoint first, so a session with a deadline can stop it cleanly and ``--resume`` later;
- :func:`check_resumable` refuses to resume a folder whose run was started with other data or
  hyper-parameters (the skipped batches would not be the ones seen).

Example:
    >>> best_checkpoint([{"checkpoint": "checkpoint-10", "dev_loss": 0.4},
    ...                  {"checkpoint": "checkpoint-20", "dev_loss": 0.3}])
    'checkpoint-20'
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from transformers import TrainerCallback

from toolrag.errors import ConfigError

logger = logging.getLogger(__name__)

LOG_NAME = "checkpoints.jsonl"
RUN_CONFIG = "run_config.json"


class CheckpointLog(TrainerCallback):
    """Append ``{checkpoint, step, examples_seen, train_loss, dev_loss, learning_rate,
    seconds}`` to ``folder/checkpoints.jsonl`` at every save.

    Args:
        folder: the run's output folder.
        examples_per_step: examples one optimizer step consumes (the effective batch).
        extra: fields written on every line (e.g. the precision).
    """

    def __init__(
        self, folder: Path, examples_per_step: int, extra: Mapping[str, Any] | None = None
    ) -> None:
        self.path = Path(folder) / LOG_NAME
        self.examples_per_step = examples_per_step
        self.extra = dict(extra or {})
        self._losses: list[float] = []
        self._dev: float | None = None
        self._lr: float | None = None
        self._start = time.time()
        self._cpu = time.process_time()

    def on_log(self, args, state, control, logs=None, **kwargs):
        logs = logs or {}
        if "loss" in logs:
            self._losses.append(float(logs["loss"]))
        if "learning_rate" in logs:
            self._lr = float(logs["learning_rate"])
        if "eval_loss" in logs:
            self._dev = float(logs["eval_loss"])

    def on_save(self, args, state, control, **kwargs):
        row = {
            "checkpoint": f"checkpoint-{state.global_step}",
            "step": state.global_step,
            "examples_seen": state.global_step * self.examples_per_step,
            "train_loss": round(sum(self._losses) / len(self._losses), 5) if self._losses else None,
            "dev_loss": round(self._dev, 5) if self._dev is not None else None,
            "learning_rate": self._lr,
            "seconds": round(time.time() - self._start, 1),
            # CPU seconds of this process (all threads): on a shared machine, wall time says
            # more about the neighbours than about the run
            "cpu_seconds": round(time.process_time() - self._cpu, 1),
        } | self.extra
        with self.path.open("a") as f:
            f.write(json.dumps(row) + "\n")
        logger.info("checkpoint %s: %s", row["checkpoint"], row)
        self._losses, self._dev = [], None


class StopAfter(TrainerCallback):
    """Stop after ``steps`` optimizer steps or ``minutes`` of training in this process
    (whichever comes first; ``None``: no limit), saving a checkpoint at the stop."""

    def __init__(self, steps: int | None = None, minutes: float | None = None) -> None:
        self.steps, self.minutes = steps, minutes
        self.stopped_at: int | None = None
        self._start = time.time()
        self._first: int | None = None

    def on_step_end(self, args, state, control, **kwargs):
        if self._first is None:
            self._first = state.global_step - 1
        done = state.global_step - self._first
        late = self.minutes is not None and time.time() - self._start >= 60 * self.minutes
        due = (self.steps is not None and done >= self.steps) or late
        if due and state.global_step < state.max_steps:
            self.stopped_at = state.global_step
            control.should_save = True
            control.should_training_stop = True
        return control


def read_log(folder: Path) -> list[dict[str, Any]]:
    """The checkpoint lines of a run folder (empty when there are none), one per step: a line
    written again after a resume replaces the earlier one."""
    path = Path(folder) / LOG_NAME
    if not path.is_file():
        return []
    rows = {}
    for line in path.read_text().splitlines():
        if line.strip():
            row = json.loads(line)
            rows[row["step"]] = row
    return [rows[s] for s in sorted(rows)]


def best_checkpoint(rows: Iterable[Mapping[str, Any]]) -> str | None:
    """The checkpoint with the lowest dev loss (the earliest of equals), or None without one."""
    scored = [r for r in rows if r.get("dev_loss") is not None]
    if not scored:
        return None
    return min(scored, key=lambda r: r["dev_loss"])["checkpoint"]


def check_resumable(folder: Path, config: Mapping[str, Any], free: Iterable[str]) -> None:
    """Write the run's config on a fresh start; on a resume, refuse one that differs.

    Args:
        folder: the run's output folder.
        config: the config as saved (``TrainConfig.to_dict()``).
        free: fields a resume may change (when to stop, what to export).

    Raises:
        ConfigError: the folder's run was started with other values in another field.
    """
    path = Path(folder) / RUN_CONFIG
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(dict(config), indent=2) + "\n")
        return
    saved = json.loads(path.read_text())
    skip = set(free) | {"out"}  # the folder resumed is the run; it may be named another way
    diff = sorted(
        k for k in set(saved) | set(config) if k not in skip and saved.get(k) != config.get(k)
    )
    if diff:
        shown = ", ".join(f"{k}: {saved.get(k)!r} -> {config.get(k)!r}" for k in diff[:4])
        raise ConfigError(
            f"{folder} holds a run started with other settings ({shown}); resume with the same "
            "options, or pass --fresh to start over"
        )
