"""Train the presence model: which optional parameters does a query state a value for?

Data: every gold call of every labelled training query; each optional parameter of the called
tool is one example, labelled 1 when the gold call writes it. A logistic regression
(scikit-learn) learns P(stated) from :data:`agent.presence.FEATURES`. The two thresholds are then
read off validation queries carved from the training file exactly as the tool selector carves
them (:func:`trainer.selector.split_instances`: same seed and fractions), so neither model saw
them:

- ``drop_below``: raised step by step while at most ``max_drop_error`` of the validation
  parameters below it are stated (left out wrongly); 0 when the first step fails;
- ``keep_above``: lowered step by step while at most ``max_keep_error`` of those at or above it
  are not stated (written wrongly); 1.0 when the first step fails, which keeps nothing.

Example:
    >>> cfg = PresenceTrainConfig(train=Path("dev.jsonl"), tools=[Path("tool.jsonl")],
    ...                           out=Path("models/presence"))  # doctest: +SKIP
    >>> train_presence(cfg)  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from agent.presence import (
    FEATURES,
    PRESENCE_FORMAT,
    PRESENCE_RECORD,
    QueryView,
    param_features,
)
from index.toolset import load_toolset
from toolrag.cache import staged_folder
from toolrag.errors import ConfigError
from toolrag.types import Instance, Tool
from trainer.config import TrainConfig

GRID = tuple(round(0.01 * k, 2) for k in range(1, 100))
"""The thresholds tried."""


@dataclass
class PresenceTrainConfig(TrainConfig):
    """Everything that determines a presence training run; saved in the model record.

    Attributes:
        c: inverse L2 regularisation strength of the logistic regression.
        max_drop_error: the largest share of stated parameters ``drop_below`` may leave out
            on validation.
        max_keep_error: the largest share of unstated parameters ``keep_above`` may force in.
        held_out_fraction, val_fraction, seed: the tool selector's split (the same queries
            are carved out for validation).
    """

    c: float = 1.0
    max_drop_error: float = 0.05
    max_keep_error: float = 0.1
    held_out_fraction: float = 0.1
    val_fraction: float = 0.1
    seed: int = 42

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.c <= 0:
            raise ConfigError(f"c={self.c} must be positive")
        for name in ("max_drop_error", "max_keep_error"):
            if not 0 <= getattr(self, name) <= 1:
                raise ConfigError(f"{name}={getattr(self, name)} must be between 0 and 1")
        if not 0 < self.val_fraction < 1:
            raise ConfigError(f"val_fraction={self.val_fraction} must be in (0, 1)")


def examples(
    instances: Sequence[Instance], by_name: dict[str, Tool]
) -> tuple[np.ndarray, np.ndarray]:
    """Feature rows and labels of every optional parameter of every gold call."""
    xs, ys = [np.zeros((0, len(FEATURES)))], [np.zeros(0, dtype=int)]
    for inst in instances:
        view = QueryView.of(inst.query)
        for call in inst.calls:
            params, x = param_features(view, by_name[call.api])
            xs.append(x)
            ys.append(np.asarray([p.name in call.parameters for p in params], dtype=int))
    return np.vstack(xs), np.concatenate(ys)


def thresholds(
    probs: np.ndarray, labels: np.ndarray, max_drop_error: float, max_keep_error: float
) -> tuple[float, float]:
    """``(drop_below, keep_above)`` read off scored validation parameters (module docs)."""
    drop, keep = 0.0, 1.0
    for t in GRID:  # upwards, until the parameters below t hold too many stated ones
        below = probs < t
        if below.any():
            if labels[below].mean() > max_drop_error:
                break
            drop = t
    for t in reversed(GRID):  # downwards, until those at or above t hold too many unstated
        above = probs >= t
        if above.any():
            if 1 - labels[above].mean() > max_keep_error:
                break
            keep = t
    return drop, max(keep, drop)


def train_presence(cfg: PresenceTrainConfig) -> Path:
    """Fit the model, read its thresholds off validation, write the folder; return its path."""
    from sklearn.linear_model import LogisticRegression

    from trainer.selector import SelectorTrainConfig, split_instances

    start = time.perf_counter()
    tools = load_toolset(cfg.tools)
    by_name = {t.name: t for t in tools}
    instances = cfg.train_instances()
    unknown = sorted({c.api for i in instances for c in i.calls} - set(by_name))
    if unknown:
        raise ConfigError(
            f"{cfg.train} uses tools missing from the toolset: {unknown[:5]}; pass the toolset "
            "the instances were written for with --tools"
        )
    split = SelectorTrainConfig(
        train=cfg.train,
        tools=cfg.tools,
        out=cfg.out,
        held_out_fraction=cfg.held_out_fraction,
        val_fraction=cfg.val_fraction,
        seed=cfg.seed,
    )
    train, val, _ = split_instances(instances, tools, split)
    if not val:
        raise ConfigError(
            f"no validation queries: {len(instances)} instances x val_fraction "
            f"{cfg.val_fraction} rounds to 0; give more instances"
        )
    x, y = examples(train, by_name)
    if len(set(y.tolist())) < 2:
        raise ConfigError(
            f"{cfg.train}: the training calls need optional parameters both written and left "
            f"out ({len(y)} found, {int(y.sum())} written); give more instances"
        )
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    fit = LogisticRegression(C=cfg.c, max_iter=1000).fit((x - mean) / scale, y)
    weights = {
        "mean": mean.tolist(),
        "scale": scale.tolist(),
        "coef": fit.coef_[0].tolist(),
        "intercept": float(fit.intercept_[0]),
    }
    vx, vy = examples(val, by_name)
    z = ((vx - mean) / scale) @ fit.coef_[0] + weights["intercept"]
    probs = 1.0 / (1.0 + np.exp(-z))
    drop, keep = thresholds(probs, vy, cfg.max_drop_error, cfg.max_keep_error)
    validation = _validation(probs, vy, drop, keep) | {"queries": len(val)}
    record = {
        "format": PRESENCE_FORMAT,
        "id": hashlib.sha256(json.dumps(weights).encode()).hexdigest()[:12],
        "features": list(FEATURES),
        **weights,
        "drop_below": drop,
        "keep_above": keep,
        "config": cfg.to_dict(),
        "validation": validation,
        "data": {"queries": len(train), "parameters": len(y), "stated": int(y.sum())},
        "train_seconds": round(time.perf_counter() - start, 1),
    }
    with staged_folder(cfg.out, replace=True) as staging:
        (staging / PRESENCE_RECORD).write_text(json.dumps(record, indent=2) + "\n")
        write_presence_card(staging)
    return cfg.out


def _validation(probs: np.ndarray, labels: np.ndarray, drop: float, keep: float) -> dict[str, Any]:
    from sklearn.metrics import roc_auc_score

    below, above = probs < drop, probs >= keep
    return {
        "parameters": len(labels),
        "stated": int(labels.sum()),
        "auc": round(float(roc_auc_score(labels, probs)), 4)
        if 0 < labels.sum() < len(labels)
        else None,
        "dropped": int(below.sum()),
        "dropped_stated": int(labels[below].sum()),
        "kept": int(above.sum()),
        "kept_unstated": int((1 - labels[above]).sum()),
    }


def write_presence_card(folder: Path) -> Path:
    """README.md of a presence folder from its record."""
    record = json.loads((folder / PRESENCE_RECORD).read_text())
    cfg, val = record["config"], record["validation"]
    weights = "\n".join(
        f"| {name} | {w:+.3f} |" for name, w in zip(record["features"], record["coef"], strict=True)
    )
    lines = [
        "# toolrag presence model",
        "",
        "A logistic regression over what a query shares with each optional parameter of a",
        "tool (its name's and description's words, its type against the query's numbers, its",
        "enum). It gives the probability that the query states a value for the parameter. The",
        f"planner leaves out one below {record['drop_below']:.2f} and must write one at or above",
        f"{record['keep_above']:.2f}. Load with `PresenceModel.load(<this folder>)`.",
        "",
        "## Data",
        "",
        f"- labelled instances: `{cfg['train']}`; toolset: {', '.join(f'`{p}`' for p in cfg['tools'])}",
        f"- {record['data']['queries']} training queries -> {record['data']['parameters']} optional "
        f"parameters of their gold calls ({record['data']['stated']} written)",
        f"- {val['queries']} validation queries carved out as the tool selector carves them "
        f"(seed {cfg['seed']})",
        "",
        "## Weights (on standardised features)",
        "",
        "| feature | weight |",
        "| --- | --- |",
        weights,
        f"| (intercept) | {record['intercept']:+.3f} |",
        "",
        "## Validation",
        "",
        f"{val['parameters']} optional parameters ({val['stated']} written), ROC AUC {val['auc']}. "
        f"Left out: {val['dropped']}, of which {val['dropped_stated']} stated (at most "
        f"{cfg['max_drop_error']:.0%} allowed). Forced in: {val['kept']}, of which "
        f"{val['kept_unstated']} not stated (at most {cfg['max_keep_error']:.0%} allowed). "
        f"Trained in {record['train_seconds']} s on the CPU.",
        "",
        "Reproduce: `toolrag train presence --train "
        f"{cfg['train']} --tools {' --tools '.join(cfg['tools'])} --out DIR` "
        f"(`{PRESENCE_RECORD}` holds the full config).",
    ]
    (folder / "README.md").write_text("\n".join(lines) + "\n")
    return folder / "README.md"
