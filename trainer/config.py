"""What every training config shares: the data it reads, where it writes, and how it is saved.

Each trainer's config (:class:`toolrag.trainer.retriever.RetrieverTrainConfig`,
:class:`toolrag.trainer.planner.PlannerTrainConfig`, ...) is a dataclass deriving from
:class:`TrainConfig`: paths given as strings become :class:`~pathlib.Path` objects (a list of
paths, a list of them), ``--limit`` means the same everywhere (``limit`` instances spread evenly
over the file, :func:`toolrag.instances.spread`), and :meth:`TrainConfig.to_dict` is what the
model record saves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import Field, asdict, dataclass, fields
from enum import Enum
from pathlib import Path
from typing import Any, Self

from toolrag.errors import ConfigError
from toolrag.instances import read_instances, spread
from toolrag.types import Instance

_RENAMED = {"limit_queries": "limit"}
"""Field names of older records, and what they are called now."""


@dataclass
class TrainConfig:
    """Fields of every training run.

    Attributes:
        train: labelled instances (Seal-Tools JSONL).
        tools: toolset files the instances refer to.
        out: output folder.
        limit: use only this many instances, spread evenly over ``train``; for smoke tests.
    """

    train: Path
    tools: list[Path]
    out: Path
    limit: int | None = None

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            kind = str(f.type)
            if value is None or "Path" not in kind:
                continue
            if kind.startswith("list["):
                setattr(self, f.name, [Path(v) for v in value])
            else:
                setattr(self, f.name, Path(value))

    @classmethod
    def from_options(cls, options: Mapping[str, Any], overrides: Sequence[str] = ()) -> Self:
        """The config from a command's options plus ``--set KEY=VALUE`` overrides, which reach
        every field (``--set warmup_ratio=0.05``, ``--set tools=a.jsonl,b.jsonl``). Options that
        are not fields (``--json``, ``--fresh``) are ignored, an unset list option is the
        field's default.

        Raises:
            ConfigError: an override that is not ``KEY=VALUE`` with a field's name, or a value
                that does not parse as the field's type.
        """
        known = {f.name: f for f in fields(cls)}
        values = {
            k: v
            for k, v in options.items()
            if k in known and not (v is None and str(known[k].type).startswith("list["))
        }
        for item in overrides:
            key, sep, raw = item.partition("=")
            key = key.strip().replace("-", "_")
            if not sep or key not in known:
                raise ConfigError(
                    f"--set {item!r}: expected KEY=VALUE with KEY one of {sorted(known)}"
                )
            values[key] = _parse(raw.strip(), known[key])
        return cls(**values)

    @classmethod
    def from_record(cls, config: Mapping[str, Any]) -> Self:
        """The config a model record saved (:meth:`to_dict`), older field names read too."""
        values = {_RENAMED.get(k, k): v for k, v in config.items()}
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ConfigError(f"a {cls.__name__} record with unknown fields {unknown}")
        return cls(**values)

    def train_instances(self) -> list[Instance]:
        """``train``'s instances, ``limit`` of them spread over the file when set."""
        return spread(read_instances(self.train), self.limit)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: paths as strings, enums as their values."""
        return {k: _plain(v) for k, v in asdict(self).items()}


def _plain(value: Any) -> Any:
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _parse(raw: str, f: Field[Any]) -> Any:
    kind = str(f.type)
    if raw.lower() in ("none", "null") and "None" in kind:
        return None
    if kind.startswith("list["):
        return [v.strip() for v in raw.split(",") if v.strip()]
    try:
        if kind.startswith("bool"):
            if raw.lower() not in ("true", "false", "1", "0", "yes", "no"):
                raise ValueError(raw)
            return raw.lower() in ("true", "1", "yes")
        if kind.startswith("int"):
            return int(raw)
        if kind.startswith("float"):
            return float(raw)
    except ValueError:
        raise ConfigError(f"--set {f.name}={raw}: not a valid {kind}") from None
    return raw
