"""Train the tool selector: which candidate tools does a query need?

Data: for every labelled training query, its candidates as inference will see them -- the
default retriever's top ``depth`` over the whole toolset (hard negatives) and the BM25
distractors the oracle-5 evaluation mixes in -- plus the gold tools. Each candidate is labelled
1 when the query needs it: multi-label, every gold tool is a positive. A logistic regression
(scikit-learn) learns P(needed) from the selector's features (:func:`toolrag.retriever.selector.features`);
the selection threshold is then tuned on validation queries carved from the training file
(:func:`toolrag.retriever.selector.tune_threshold`).

The validation split and the held-out tools are drawn as the retriever trainer draws them (same
seed and fractions by default), so with the shipped retriever the validation queries are ones
neither model was trained on.

Example:
    >>> cfg = SelectorTrainConfig(train=Path("dev.jsonl"), tools=[Path("tool.jsonl")],
    ...                           out=Path("models/selector"))  # doctest: +SKIP
    >>> train_selector(cfg)  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from toolrag.cache import staged_folder
from toolrag.errors import ConfigError
from toolrag.evaluation.candidates import CandidateBuilder
from toolrag.index.encoder import model_label
from toolrag.index.store import ToolIndex
from toolrag.index.toolset import load_toolset
from toolrag.instances import read_instances
from toolrag.retriever.factory import default_retriever
from toolrag.retriever.selector import (
    FEATURES,
    PARTS,
    SELECTOR_FORMAT,
    SELECTOR_RECORD,
    ToolSelector,
    features,
    tune_threshold,
)
from toolrag.trainer.config import TrainConfig
from toolrag.trainer.data import held_out_tools, validation_positions
from toolrag.types import Instance, Tool

logger = logging.getLogger(__name__)


@dataclass
class SelectorTrainConfig(TrainConfig):
    """Everything that determines a selector training run; saved in the selector record.

    Attributes:
        train: labelled instances (Seal-Tools JSONL).
        tools: toolset files the instances refer to.
        out: output folder (``toolrag_selector.json`` and a model card).
        model: the embedding model whose index the features read (``None``: the shipped
            retriever); a selector works only with indexes built with it.
        depth: retrieved candidates per training query (hard negatives).
        distractors: BM25 distractors per query, as oracle-N evaluation draws them.
        c: inverse L2 regularisation strength of the logistic regression.
        held_out_fraction: share of tools kept out of training (as the retriever trainer does).
        val_fraction: share of labelled queries carved out for validation and threshold tuning.
        seed: seed for every random choice.
        parts: how the features cut a query (``requests`` or ``clauses``, see
            :data:`toolrag.retriever.selector.PARTS`).
        extra_train: more labelled instances that list the functions offered with each
            (``offered``, as ``toolrag datagen functions`` writes them): each becomes one
            candidate list, its offered functions, scored on an index over ``extra_tools``
            (a user's function list, not a retrieved top-N); ``val_fraction`` of them are
            carved out for validation too.
        extra_tools: the toolset files the ``extra_train`` instances use.
    """

    model: str | None = None
    depth: int = 10
    distractors: int = 4
    c: float = 1.0
    held_out_fraction: float = 0.1
    val_fraction: float = 0.1
    seed: int = 42
    parts: str = "requests"
    extra_train: list[Path] = field(default_factory=list)
    extra_tools: list[Path] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.parts not in PARTS:
            raise ConfigError(f"parts={self.parts!r}: choose one of {sorted(PARTS)}")
        if self.depth < 1:
            raise ConfigError(f"depth={self.depth} must be at least 1")
        if self.c <= 0:
            raise ConfigError(f"c={self.c} must be positive")
        if not 0 < self.val_fraction < 1:
            raise ConfigError(f"val_fraction={self.val_fraction} must be in (0, 1)")

    def to_dict(self) -> dict[str, Any]:
        return super().to_dict() | {"model": model_label(self.model)}


@dataclass
class CandidateList:
    """One query with its candidate tools and which of them it needs."""

    query: str
    tools: list[Tool]
    labels: list[bool]
    missing: int  # gold tools that are not among the candidates


def split_instances(
    instances: list[Instance], tools: list[Tool], cfg: SelectorTrainConfig
) -> tuple[list[Instance], list[Instance], set[str]]:
    """Training and validation instances (whole queries) and the held-out tool names."""
    held = held_out_tools(tools, cfg.held_out_fraction, cfg.seed)
    usable = [i for i in instances if not held.intersection(i.gold_tools)]
    val_ids = validation_positions(len(usable), cfg.val_fraction, cfg.seed)
    train = [inst for n, inst in enumerate(usable) if n not in val_ids]
    val = [inst for n, inst in enumerate(usable) if n in val_ids]
    return train, val, held


def candidate_lists(
    instances: list[Instance],
    retriever: Any,
    builder: CandidateBuilder,
    *,
    depth: int,
    distractors: int,
    exclude: set[str] = frozenset(),  # type: ignore[assignment]
    add_gold: bool = True,
) -> list[CandidateList]:
    """Each instance's retrieved top ``depth`` plus BM25 distractors (plus its gold tools when
    ``add_gold``), without the ``exclude`` tools unless they are gold."""
    out = []
    for inst in instances:
        gold = set(inst.gold_tools)
        names = [h.tool.name for h in retriever.retrieve(inst.query, k=depth)]
        names += [t.name for t in builder.distractors(inst.query, gold, distractors)]
        if add_gold:
            names += inst.gold_tools
        names = [n for n in dict.fromkeys(names) if n in gold or n not in exclude]
        cands = [builder.by_name[n] for n in names]
        labels = [n in gold for n in names]
        out.append(CandidateList(inst.query, cands, labels, len(gold - set(names))))
    return out


Group = tuple[Any, list[CandidateList]]
"""Candidate lists and the index their features are read from."""


def feature_rows(
    index: Any, lists: list[CandidateList], parts: str = "requests", extra: Sequence[Group] = ()
) -> tuple[np.ndarray, np.ndarray]:
    """Stacked features and labels of every candidate of every list (``lists`` on ``index``,
    then each ``extra`` group on its own index)."""
    groups = [(index, lists), *extra]
    x = [features(idx, item.query, item.tools, parts=parts) for idx, ls in groups for item in ls]
    y = [np.asarray(item.labels, dtype=int) for _, ls in groups for item in ls]
    return np.vstack(x), np.concatenate(y)


def offered_lists(
    cfg: SelectorTrainConfig, progress: bool = True
) -> tuple[Any, list[CandidateList], list[CandidateList]]:
    """The index over ``cfg.extra_tools`` and the ``extra_train`` instances' offered-function
    lists, split into training and validation lists."""
    from toolrag.trainer.datagen.functions import read_offered

    if not cfg.extra_tools:
        raise ConfigError("extra_train needs extra_tools: the functions its instances offer")
    tools = load_toolset(cfg.extra_tools)
    by_name = {t.name: t for t in tools}
    lists = []
    for path in cfg.extra_train:
        offered = read_offered(path)
        for inst in read_instances(path):
            names = offered.get(inst.id)
            if names is None:
                raise ConfigError(
                    f"{path}: instance {inst.id} lists no offered functions; --extra-train takes "
                    "files written by `toolrag datagen functions`"
                )
            unknown = sorted(set(names) - by_name.keys())
            if unknown:
                raise ConfigError(
                    f"{path}: instance {inst.id} offers functions missing from --extra-tools: "
                    f"{unknown[:5]}; pass the functions.json written with it"
                )
            gold = set(inst.gold_tools)
            labels = [n in gold for n in names]
            lists.append(CandidateList(inst.query, [by_name[n] for n in names], labels, 0))
    logger.info("indexing %d offered functions for %d lists", len(tools), len(lists))
    index = ToolIndex.build(tools, model=cfg.model, progress=progress)
    val_ids = validation_positions(len(lists), cfg.val_fraction, cfg.seed)
    train = [item for n, item in enumerate(lists) if n not in val_ids]
    val = [item for n, item in enumerate(lists) if n in val_ids]
    return index, train, val


def selector_lists(
    cfg: SelectorTrainConfig,
    tools: list[Tool],
    train: list[Instance],
    val: list[Instance],
    held: set[str],
    progress: bool = True,
) -> tuple[ToolIndex, list[CandidateList], list[CandidateList]]:
    """The index over ``tools`` (``cfg.model``) and the training and validation candidate lists
    :func:`train_selector` fits and tunes on (validation lists without the gold tools added)."""
    logger.info("indexing %d tools for the candidates and features", len(tools))
    index = ToolIndex.build(tools, model=cfg.model, progress=progress)
    retriever = default_retriever(index)
    builder = CandidateBuilder(tools)
    kw = {"depth": cfg.depth, "distractors": cfg.distractors}
    train_lists = candidate_lists(train, retriever, builder, exclude=held, **kw)
    val_lists = candidate_lists(val, retriever, builder, add_gold=False, **kw)
    return index, train_lists, val_lists


def fit_weights(
    index: Any,
    lists: list[CandidateList],
    c: float,
    parts: str = "requests",
    extra: Sequence[Group] = (),
) -> dict[str, Any]:
    """The logistic regression (inverse regularisation ``c``) over the standardised features of
    every candidate in ``lists`` (and the ``extra`` groups): the record's ``mean``, ``scale``,
    ``coef``, ``intercept`` and ``parts``."""
    from sklearn.linear_model import LogisticRegression

    x, y = feature_rows(index, lists, parts, extra)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    fit = LogisticRegression(C=c, max_iter=1000).fit((x - mean) / scale, y)
    return {
        "mean": mean.tolist(),
        "scale": scale.tolist(),
        "coef": fit.coef_[0].tolist(),
        "intercept": float(fit.intercept_[0]),
        "parts": parts,
    }


def validate(
    index: Any,
    lists: list[CandidateList],
    weights: dict[str, Any],
    extra: Sequence[Group] = (),
) -> dict[str, Any]:
    """Tune the threshold on ``lists`` and the ``extra`` groups' lists together and report the
    selection quality there (with ``extra``, also per group under ``groups``)."""
    groups = [(index, lists), *extra]
    scored = []
    for idx, ls in groups:
        selector = ToolSelector(idx, weights | {"threshold": 0.5})  # the threshold is tuned here
        scored.append(
            [(selector.probabilities(item.query, item.tools), item.labels) for item in ls]
        )
    threshold, f1 = tune_threshold(
        [s for ss in scored for s in ss], missing=sum(i.missing for _, ls in groups for i in ls)
    )

    def quality(pairs: list, ls: list[CandidateList]) -> dict[str, float]:
        tp = sum(
            p >= threshold and y
            for probs, labels in pairs
            for p, y in zip(probs, labels, strict=True)
        )
        chosen = sum(p >= threshold for probs, _ in pairs for p in probs)
        needed = sum(sum(labels) for _, labels in pairs) + sum(i.missing for i in ls)
        exact = sum(
            all((p >= threshold) == y for p, y in zip(probs, labels, strict=True)) and not i.missing
            for (probs, labels), i in zip(pairs, ls, strict=True)
        )
        return {
            "set_f1": 2 * tp / max(1, chosen + needed),
            "exact_set": exact / max(1, len(ls)),
            "queries": len(ls),
        }

    every = quality([s for ss in scored for s in ss], [i for _, ls in groups for i in ls])
    out: dict[str, Any] = every | {"threshold": threshold, "set_f1": f1}
    if extra:
        out["groups"] = [quality(pairs, ls) for pairs, (_, ls) in zip(scored, groups, strict=True)]
    return out


def train_selector(cfg: SelectorTrainConfig, *, progress: bool = True) -> Path:
    """Fit the selector, tune its threshold, write the selector folder; return its path."""
    start = time.perf_counter()
    tools = load_toolset(cfg.tools)
    instances = cfg.train_instances()
    known = {t.name for t in tools}
    unknown = sorted({n for i in instances for n in i.gold_tools} - known)
    if unknown:
        raise ConfigError(
            f"{cfg.train} uses tools missing from the toolset: {unknown[:5]}; pass the toolset "
            "the instances were written for with --tools"
        )
    train, val, held = split_instances(instances, tools, cfg)
    if not val:
        raise ConfigError(
            f"no validation queries: {len(instances)} instances x val_fraction "
            f"{cfg.val_fraction} rounds to 0; give more instances"
        )
    extra_train, extra_val = [], []
    if cfg.extra_train:  # first: its errors come before the long part
        extra_index, offered_train, offered_val = offered_lists(cfg, progress)
        extra_train, extra_val = [(extra_index, offered_train)], [(extra_index, offered_val)]
    index, train_lists, val_lists = selector_lists(cfg, tools, train, val, held, progress)
    weights = fit_weights(index, train_lists, cfg.c, cfg.parts, extra_train)
    validation = validate(index, val_lists, weights, extra_val)
    record = {
        "format": SELECTOR_FORMAT,
        "id": hashlib.sha256(json.dumps(weights).encode()).hexdigest()[:12],
        "features": list(FEATURES),
        **weights,
        "threshold": validation["threshold"],
        "embedding_model": index.manifest["embedding"]["model"],
        "config": cfg.to_dict(),
        "validation": validation,
        "held_out_tools": sorted(held),
        "data": {
            "queries": len(train),
            "candidates": sum(len(item.labels) for item in train_lists),
            "positives": sum(int(sum(item.labels)) for item in train_lists),
            "offered_lists": sum(len(ls) for _, ls in extra_train),
        },
        "train_seconds": round(time.perf_counter() - start, 1),
    }
    with staged_folder(cfg.out, replace=True) as staging:
        (staging / SELECTOR_RECORD).write_text(json.dumps(record, indent=2) + "\n")
        write_selector_card(staging)
    return cfg.out


def write_selector_card(folder: Path, extra: str = "") -> Path:
    """README.md of a selector folder from its record (plus ``extra`` markdown)."""
    record = json.loads((folder / SELECTOR_RECORD).read_text())
    cfg, val = record["config"], record["validation"]
    weights = "\n".join(
        f"| {name} | {w:+.3f} |" for name, w in zip(record["features"], record["coef"], strict=True)
    )
    lines = [
        "# toolrag tool selector",
        "",
        "A logistic regression over what the retriever knows of each candidate tool (dense",
        "similarity to the query and to each sub-request, margins, BM25, name overlap). It gives",
        "the probability that the query needs the tool; tools at or above the threshold are",
        "selected. Load with `ToolSelector.load(<this folder>, index=index)` or pass",
        "`--selector <this folder>` to `toolrag plan / ask / serve / eval`.",
        "",
        "## Data",
        "",
        f"- labelled instances: `{cfg['train']}`; toolset: {', '.join(f'`{p}`' for p in cfg['tools'])}",
        f"- embedding model (the index it reads): `{record['embedding_model']}`",
        f"- {record['data']['queries']} training queries -> {record['data']['candidates']} candidates "
        f"({record['data']['positives']} needed): the default retriever's top {cfg['depth']}, "
        f"{cfg['distractors']} BM25 distractors and the gold tools per query",
        f"- {val['queries']} validation queries carved out (seed {cfg['seed']}); "
        f"{len(record['held_out_tools'])} tools held out of training",
    ]
    if cfg.get("extra_train"):
        lines += [
            f"- {record['data']['offered_lists']} more training queries with the functions offered "
            f"with them as candidates: {', '.join(f'`{p}`' for p in cfg['extra_train'])} "
            f"(functions: {', '.join(f'`{p}`' for p in cfg['extra_tools'])})",
        ]
    lines += [
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
        f"Threshold {val['threshold']:.2f} (tuned for micro F1 of the selected set): set F1 "
        f"{100 * val['set_f1']:.1f}, exact set {100 * val['exact_set']:.1f}% of queries. "
        f"Trained in {record['train_seconds']} s on the CPU.",
    ]
    for name, group in zip(
        ("Seal-Tools lists", "offered lists"), val.get("groups", []), strict=False
    ):
        lines.append(
            f"- {name}: {group['queries']} queries, set F1 {100 * group['set_f1']:.1f}, exact set "
            f"{100 * group['exact_set']:.1f}%"
        )
    extra_args = "".join(f" --extra-train {p}" for p in cfg.get("extra_train", [])) + "".join(
        f" --extra-tools {p}" for p in cfg.get("extra_tools", [])
    )
    lines += [
        "",
        "Reproduce: `toolrag train selector --train "
        f"{cfg['train']} --tools {' --tools '.join(cfg['tools'])}{extra_args} --out DIR` "
        f"(`{SELECTOR_RECORD}` holds the full config).",
    ]
    if extra:
        lines += ["", extra]
    (folder / "README.md").write_text("\n".join(lines) + "\n")
    return folder / "README.md"
