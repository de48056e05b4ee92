"""Train the tool selector: a cross-encoder that says which candidate tools a query needs.

Data: for every labelled training query, its candidates as inference will see them -- the
default retriever's top ``depth`` over the whole toolset (hard negatives) and the BM25
distractors the oracle-5 evaluation mixes in -- plus the gold tools. Each (query, tool card) pair
is labelled 1 when the query needs the tool: multi-label, every gold tool is a positive. The
loss is binary cross-entropy on the cross-encoder's logit (sentence-transformers'
``CrossEncoderTrainer``). Afterwards the selection threshold is tuned on validation queries
carved from the training file (:func:`retriever.selector.tune_threshold`).

The validation split and the held-out tools are drawn as the retriever trainer draws them (same
seed and fractions by default), so a selector started from the shipped retriever is validated on
queries neither model was trained on.

Example:
    >>> cfg = SelectorTrainConfig(train=Path("dev.jsonl"), tools=[Path("tool.jsonl")],
    ...                           out=Path("models/selector"))  # doctest: +SKIP
    >>> train_selector(cfg)  # doctest: +SKIP
"""

from __future__ import annotations

import json
import logging
import random
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from agent.candidates import CandidateBuilder
from index.encoder import model_label, resolve_model
from index.toolset import load_toolset
from retriever.selector import (
    CARD_TEMPLATE,
    SELECTOR_FORMAT,
    SELECTOR_RECORD,
    card,
    tune_threshold,
    weights_checksum,
)
from toolrag.instances import read_instances
from toolrag.types import Instance, Tool
from trainer.checkpoint import latest_checkpoint
from trainer.data import held_out_tools

logger = logging.getLogger(__name__)


@dataclass
class SelectorTrainConfig:
    """Everything that determines a selector training run; saved in the selector record.

    Attributes:
        train: labelled instances (Seal-Tools JSONL).
        tools: toolset files the instances refer to.
        out: output folder (a CrossEncoder folder with ``toolrag_selector.json``).
        base: the encoder to start from (``None``: the shipped retriever, already tuned to tool
            text); a new one-logit head is put on top.
        depth: retrieved candidates per training query (hard negatives).
        distractors: BM25 distractors per query, as oracle-N evaluation draws them.
        epochs: passes over the pairs.
        batch_size: pairs per step.
        learning_rate: AdamW peak learning rate.
        warmup_ratio: linear warm-up share of the steps.
        max_length: token cap for query + card.
        held_out_fraction: share of tools kept out of training (as the retriever trainer does).
        val_fraction: share of labelled queries carved out for validation and threshold tuning.
        seed: seed for every random choice and the trainer.
        max_steps: stop after this many steps (``-1``: all epochs); for smoke tests.
        limit: use only the first N instances; for smoke tests.
        save_steps: checkpoint interval (resume picks up the latest).
    """

    train: Path
    tools: list[Path]
    out: Path
    base: str | None = None
    depth: int = 10
    distractors: int = 4
    epochs: float = 2.0
    batch_size: int = 32
    learning_rate: float = 5e-5
    warmup_ratio: float = 0.1
    max_length: int = 128
    held_out_fraction: float = 0.1
    val_fraction: float = 0.1
    seed: int = 42
    max_steps: int = -1
    limit: int | None = None
    save_steps: int = 50

    def __post_init__(self) -> None:
        self.train, self.out = Path(self.train), Path(self.out)
        self.tools = [Path(p) for p in self.tools]
        if self.depth < 1:
            raise ValueError(f"depth={self.depth} must be at least 1")
        if self.epochs <= 0 and self.max_steps <= 0:
            raise ValueError("set epochs > 0 or max_steps > 0")
        if not 0 < self.val_fraction < 1:
            raise ValueError(f"val_fraction={self.val_fraction} must be in (0, 1)")

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.update(train=str(self.train), out=str(self.out), tools=[str(p) for p in self.tools])
        d["base"] = model_label(self.base)
        return d


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
    rng = random.Random(cfg.seed)
    val_ids = set(rng.sample(range(len(usable)), round(len(usable) * cfg.val_fraction)))
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


def _rows(lists: list[CandidateList]):
    from datasets import Dataset

    rows: dict[str, list] = {"query": [], "tool": [], "label": []}
    for item in lists:
        for tool, label in zip(item.tools, item.labels, strict=True):
            rows["query"].append(item.query)
            rows["tool"].append(card(tool))
            rows["label"].append(float(label))
    return Dataset.from_dict(rows)


def validate(selector_model: Any, lists: list[CandidateList]) -> dict[str, float]:
    """Tune the threshold on ``lists`` and report the selection quality there."""
    scored = []
    for item in lists:
        probs = selector_model.predict(
            [(item.query, card(t)) for t in item.tools], show_progress_bar=False
        )
        scored.append(([float(p) for p in probs], item.labels))
    missing = sum(item.missing for item in lists)
    threshold, f1 = tune_threshold(scored, missing=missing)
    exact = sum(
        all((p >= threshold) == y for p, y in zip(probs, labels, strict=True)) and not item.missing
        for (probs, labels), item in zip(scored, lists, strict=True)
    )
    return {"threshold": threshold, "set_f1": f1, "exact_set": exact / max(1, len(lists))}


def train_selector(cfg: SelectorTrainConfig, *, resume: bool = True, progress: bool = True) -> Path:
    """Train, tune the threshold, save the selector folder with its record; return its path."""
    import torch
    from sentence_transformers import CrossEncoder
    from sentence_transformers.cross_encoder import (
        CrossEncoderTrainer,
        CrossEncoderTrainingArguments,
    )
    from sentence_transformers.cross_encoder.losses import BinaryCrossEntropyLoss

    from index.store import ToolIndex
    from retriever.base import default_retriever

    start = time.perf_counter()
    tools = load_toolset(cfg.tools)
    instances = read_instances(cfg.train)[: cfg.limit]
    known = {t.name for t in tools}
    unknown = sorted({n for i in instances for n in i.gold_tools} - known)
    if unknown:
        raise ValueError(
            f"{cfg.train} uses tools missing from the toolset: {unknown[:5]}; pass the toolset "
            "the instances were written for with --tools"
        )
    train, val, held = split_instances(instances, tools, cfg)
    if not val:
        raise ValueError(
            f"no validation queries: {len(instances)} instances x val_fraction "
            f"{cfg.val_fraction} rounds to 0; give more instances"
        )
    logger.info("indexing %d tools for the training candidates", len(tools))
    retriever = default_retriever(ToolIndex.build(tools))
    builder = CandidateBuilder(tools)
    kw = {"depth": cfg.depth, "distractors": cfg.distractors}
    train_lists = candidate_lists(train, retriever, builder, exclude=held, **kw)
    val_lists = candidate_lists(val, retriever, builder, add_gold=False, **kw)
    dataset = _rows(train_lists)
    positives = int(sum(dataset["label"]))
    logger.info("%d pairs (%d positive) from %d queries", len(dataset), positives, len(train))

    model = CrossEncoder(
        resolve_model(cfg.base), num_labels=1, max_length=cfg.max_length, device="cpu"
    )
    checkpoints = cfg.out / "checkpoints"
    args = CrossEncoderTrainingArguments(
        output_dir=str(checkpoints),
        num_train_epochs=cfg.epochs,
        max_steps=cfg.max_steps,
        per_device_train_batch_size=cfg.batch_size,
        learning_rate=cfg.learning_rate,
        warmup_steps=cfg.warmup_ratio,  # a float below 1 is a ratio in transformers 5
        seed=cfg.seed,
        data_seed=cfg.seed,
        save_strategy="steps",
        save_steps=cfg.save_steps,
        save_total_limit=2,
        logging_steps=10,
        report_to="none",
        use_cpu=True,
        disable_tqdm=not progress,
    )
    trainer = CrossEncoderTrainer(
        model=model, args=args, train_dataset=dataset, loss=BinaryCrossEntropyLoss(model)
    )
    last = latest_checkpoint(checkpoints) if resume else None
    if last:
        logger.info("resuming from %s", last)
    trainer.train(resume_from_checkpoint=str(last) if last else None)
    model.activation_fn = torch.nn.Sigmoid()
    validation = validate(model, val_lists)
    model.save_pretrained(str(cfg.out))
    record = {
        "format": SELECTOR_FORMAT,
        "config": cfg.to_dict(),
        "card_template": CARD_TEMPLATE.value,
        "threshold": validation["threshold"],
        "validation": validation | {"queries": len(val_lists)},
        "held_out_tools": sorted(held),
        "data": {"queries": len(train), "pairs": len(dataset), "positives": positives},
        "train_seconds": round(time.perf_counter() - start, 1),
        "steps": int(trainer.state.global_step),
        "weights_sha256": weights_checksum(cfg.out),
    }
    (cfg.out / SELECTOR_RECORD).write_text(json.dumps(record, indent=2) + "\n")
    write_selector_card(cfg.out)
    return cfg.out


def write_selector_card(folder: Path, extra: str = "") -> Path:
    """README.md of a selector folder from its record (plus ``extra`` markdown)."""
    record = json.loads((folder / SELECTOR_RECORD).read_text())
    cfg, val = record["config"], record["validation"]
    lines = [
        "---",
        "library_name: sentence-transformers",
        "tags: [toolrag, tool-selection, cross-encoder]",
        "---",
        "",
        "# toolrag tool selector",
        "",
        f"A cross-encoder started from `{cfg['base']}`. It reads (query, tool card) and gives the",
        "probability that the query needs the tool; tools at or above the threshold are selected.",
        f"Card: the tool's `{record['card_template']}` text. Load with `ToolSelector.load(<this folder>)`",
        "or pass `--selector <this folder>` to `toolrag plan / ask / eval`.",
        "",
        "## Data",
        "",
        f"- labelled instances: `{cfg['train']}`; toolset: {', '.join(f'`{p}`' for p in cfg['tools'])}",
        f"- {record['data']['queries']} training queries -> {record['data']['pairs']} pairs "
        f"({record['data']['positives']} positive): the default retriever's top {cfg['depth']}, "
        f"{cfg['distractors']} BM25 distractors and the gold tools per query",
        f"- {val['queries']} validation queries carved out (seed {cfg['seed']}); "
        f"{len(record['held_out_tools'])} tools held out of training",
        "",
        "## Hyper-parameters",
        "",
        "| name | value |",
        "| --- | --- |",
        *(f"| {k} | {v} |" for k, v in cfg.items() if k not in {"tools", "train", "out"}),
        "",
        f"Training: {record['steps']} steps in {record['train_seconds']} s on the CPU.",
        "",
        "## Validation",
        "",
        f"Threshold {val['threshold']:.2f} (tuned for micro F1 of the selected set): set F1 "
        f"{100 * val['set_f1']:.1f}, exact set {100 * val['exact_set']:.1f}% of queries.",
        "",
        "Reproduce: `toolrag train selector` with the hyper-parameters above "
        f"(`{SELECTOR_RECORD}` holds them in full).",
    ]
    if extra:
        lines += ["", extra]
    (folder / "README.md").write_text("\n".join(lines) + "\n")
    return folder / "README.md"
