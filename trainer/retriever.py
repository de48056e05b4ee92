"""Fine-tune the dense tool retriever on sentence-transformers' own trainer.

Example:
    >>> cfg = RetrieverTrainConfig(train=Path("dev.jsonl"), tools=[Path("tool.jsonl")],
    ...                            out=Path("models/retriever"))  # doctest: +SKIP
    >>> train_retriever(cfg)  # doctest: +SKIP
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from toolrag.errors import ConfigError
from toolrag.evaluation.retrieval_metrics import evaluate
from toolrag.index.encoder import BASE_MODEL, MODEL_RECORD, load_encoder, model_label, resolve_model
from toolrag.index.store import DEFAULT_DENSE_TEMPLATE, ToolIndex
from toolrag.index.toolset import load_toolset
from toolrag.instances import read_instances, spread
from toolrag.retriever import BM25Retriever, DenseRetriever
from toolrag.retriever.fusion import weighted_score_fusion
from toolrag.retriever.hybrid import HybridConfig
from toolrag.trainer.checkpoint import latest_checkpoint
from toolrag.trainer.config import TrainConfig
from toolrag.trainer.data import (
    Query,
    held_out_tools,
    labelled_queries,
    mine_hard_negatives,
    pseudo_queries,
    split_validation,
    to_rows,
    tool_texts,
)
from toolrag.trainer.losses import ListwiseMultiLabelLoss, MultiPositiveInfoNCELoss
from toolrag.trainer.sampler import QueryGroupBatchSampler
from toolrag.types import Instance

logger = logging.getLogger(__name__)

TRAINING_FILE = MODEL_RECORD


class LossName(StrEnum):
    """Training objectives (see :mod:`toolrag.trainer.losses`)."""

    PAIRS = "pairs"  # MultipleNegativesRankingLoss on (query, tool) pairs, no duplicate queries per batch
    INFONCE = "infonce"  # multi-positive InfoNCE with same-query positives masked
    LISTWISE = "listwise"  # list-wise multi-label softmax (COLT)


@dataclass
class RetrieverTrainConfig(TrainConfig):
    """Everything that determines a training run; saved beside the model.

    Attributes:
        train: labelled instances (Seal-Tools JSONL).
        tools: toolset files the instances refer to.
        out: output folder (a sentence-transformers model folder).
        base: model to start from; ``None`` is the packaged all-MiniLM-L6-v2.
        loss: training objective.
        epochs: passes over the training rows.
        batch_size: rows per batch (whole queries are packed together).
        learning_rate: AdamW peak learning rate.
        warmup_ratio: linear warm-up share of the steps.
        hard_negatives: add one mined hard negative per row.
        negative_depth: how deep in BM25 / zero-shot dense rankings negatives are mined.
        pseudo: add pseudo-queries generated from tool descriptions.
        multi_per_domain: multi-tool pseudo-queries per top-level domain.
        held_out_fraction: share of tools kept out of all training (unseen-tool evaluation).
        val_fraction: share of labelled queries carved out for validation.
        max_seq_length: token cap while training (tool texts are truncated beyond it).
        seed: seed for every random choice and the trainer.
        max_steps: stop after this many steps (``-1``: run all epochs); for smoke tests.
        limit_tools: pseudo-queries for at most N tools; for smoke tests.
        save_steps: checkpoint interval (resume picks up the latest).
        extra_train: more instance files (e.g. from ``toolrag datagen instances``), used for
            training only: validation stays carved from ``train``.
        evaluate: run the validation evaluator at the end of each epoch.
        tune_fusion: after training, pick the hybrid retriever's dense weight for this model on
            the validation queries (:func:`tune_dense_weight`); indexes built with the model
            then use it.
    """

    base: str | None = None
    loss: LossName = LossName.INFONCE
    epochs: float = 1.0
    batch_size: int = 32
    learning_rate: float = 5e-5
    warmup_ratio: float = 0.1
    hard_negatives: bool = True
    negative_depth: int = 10
    pseudo: bool = True
    multi_per_domain: int = 10
    held_out_fraction: float = 0.1
    val_fraction: float = 0.1
    max_seq_length: int = 128
    seed: int = 42
    max_steps: int = -1
    limit_tools: int | None = None
    save_steps: int = 50
    evaluate: bool = True
    tune_fusion: bool = True
    template: str = field(default=DEFAULT_DENSE_TEMPLATE.value)
    extra_train: list[Path] = field(default_factory=list)

    def __post_init__(self) -> None:
        try:
            self.loss = LossName(self.loss)
        except ValueError:
            raise ConfigError(
                f"unknown loss {self.loss!r}; choose one of {[n.value for n in LossName]}"
            ) from None
        super().__post_init__()
        self.base = self.base or BASE_MODEL  # never the shipped fine-tuned default
        if self.batch_size < 2:
            raise ConfigError("batch_size must be at least 2: in-batch negatives need company")
        if self.epochs <= 0 and self.max_steps <= 0:
            raise ConfigError("set epochs > 0 or max_steps > 0")

    def to_dict(self) -> dict[str, Any]:
        return super().to_dict() | {"base": model_label(self.base)}


def _loss(name: LossName, model):
    from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss

    return {
        LossName.PAIRS: MultipleNegativesRankingLoss,
        LossName.INFONCE: MultiPositiveInfoNCELoss,
        LossName.LISTWISE: ListwiseMultiLabelLoss,
    }[name](model)


def build_queries(cfg: RetrieverTrainConfig):
    """Tools, held-out set, training and validation queries, per the config."""
    tools = load_toolset(cfg.tools)
    known = {t.name for t in tools}

    def read(path: Path, limit: int | None = None) -> list[Instance]:
        instances = spread(read_instances(path), limit)
        unknown = sorted({n for i in instances for n in i.gold_tools} - known)
        if unknown:
            raise ConfigError(
                f"{path} uses tools missing from the toolset: {unknown[:5]}; pass the toolset "
                "the instances were written for with --tools"
            )
        return instances

    instances = read(cfg.train, cfg.limit)
    extra = [i for path in cfg.extra_train for i in read(path)]
    held = held_out_tools(tools, cfg.held_out_fraction, cfg.seed)
    queries: list[Query] = labelled_queries(instances, held)
    if cfg.pseudo:
        seen = [t for t in tools if t.name not in held][: cfg.limit_tools]
        queries += pseudo_queries(seen, multi_per_domain=cfg.multi_per_domain, seed=cfg.seed)
    train_q, val_q = split_validation(queries, cfg.val_fraction, cfg.seed)
    train_q += [Query(q.text, q.tools, "generated") for q in labelled_queries(extra, held)]
    return tools, held, train_q, val_q


def train_retriever(
    cfg: RetrieverTrainConfig, *, resume: bool = True, progress: bool = True
) -> Path:
    """Train, save the model folder with its training record, and return its path."""
    from sentence_transformers import (
        SentenceTransformerTrainer,
        SentenceTransformerTrainingArguments,
    )
    from sentence_transformers.base.sampler import BatchSamplers
    from sentence_transformers.sentence_transformer.evaluation import (
        InformationRetrievalEvaluator,
    )

    start = time.perf_counter()
    tools, held, train_q, val_q = build_queries(cfg)
    texts = tool_texts(tools, cfg.template)
    negatives = None
    if cfg.hard_negatives:
        pool = [t for t in tools if t.name not in held]
        zero_shot = ToolIndex.build(pool, model=cfg.base, dense_template=cfg.template)
        negatives = mine_hard_negatives(
            train_q,
            [BM25Retriever(zero_shot), DenseRetriever(zero_shot)],
            depth=cfg.negative_depth,
            exclude=held,
        )
    dataset = to_rows(train_q, texts, negatives)
    logger.info(
        "%d training rows from %d queries; %d validation queries",
        len(dataset),
        len(train_q),
        len(val_q),
    )

    # A fresh copy: load_encoder's cached instance must not be trained in place.
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(resolve_model(cfg.base), device="cpu")
    model.max_seq_length = cfg.max_seq_length
    evaluator = None
    if cfg.evaluate and val_q:
        evaluator = InformationRetrievalEvaluator(
            queries={str(i): q.text for i, q in enumerate(val_q)},
            corpus=texts,
            relevant_docs={str(i): set(q.tools) for i, q in enumerate(val_q)},
            name="val",
            accuracy_at_k=[5, 10],
            precision_recall_at_k=[5, 10],
            ndcg_at_k=[10],
            mrr_at_k=[10],
            map_at_k=[10],
            show_progress_bar=False,
            batch_size=64,
        )
    checkpoints = cfg.out / "checkpoints"
    args = SentenceTransformerTrainingArguments(
        output_dir=str(checkpoints),
        num_train_epochs=cfg.epochs,
        max_steps=cfg.max_steps,
        per_device_train_batch_size=cfg.batch_size,
        learning_rate=cfg.learning_rate,
        warmup_steps=cfg.warmup_ratio,  # a float below 1 is a ratio in transformers 5
        seed=cfg.seed,
        data_seed=cfg.seed,
        batch_sampler=(
            BatchSamplers.NO_DUPLICATES if cfg.loss is LossName.PAIRS else QueryGroupBatchSampler
        ),
        save_strategy="steps",
        save_steps=cfg.save_steps,
        save_total_limit=2,
        eval_strategy="epoch" if evaluator else "no",
        logging_steps=10,
        report_to="none",
        use_cpu=True,
        disable_tqdm=not progress,
    )
    trainer = SentenceTransformerTrainer(
        model=model,
        args=args,
        train_dataset=dataset,
        loss=_loss(cfg.loss, model),
        evaluator=evaluator,
    )
    last = latest_checkpoint(checkpoints) if resume else None
    if last:
        logger.info("resuming from %s", last)
    trainer.train(resume_from_checkpoint=str(last) if last else None)
    val_scores = evaluator(model) if evaluator else {}
    model.save(str(cfg.out))
    record = {
        "config": cfg.to_dict(),
        "held_out_tools": sorted(held),
        "data": {
            "rows": len(dataset),
            "queries": {
                s: sum(q.source == s for q in train_q)
                for s in ("labelled", "pseudo-single", "pseudo-multi", "generated")
            },
            "validation_queries": len(val_q),
        },
        "validation": {k: float(v) for k, v in val_scores.items()},
        "train_seconds": round(time.perf_counter() - start, 1),
        "steps": int(trainer.state.global_step),
    }
    load_encoder.cache_clear()
    if cfg.tune_fusion and val_q:
        index = ToolIndex.build(tools, model=str(cfg.out), dense_template=cfg.template)
        record["fusion"] = {
            "dense_weight": tune_dense_weight(index, val_q),
            "tuned_on": f"{len(val_q)} validation queries",
        }
        load_encoder.cache_clear()
    (cfg.out / TRAINING_FILE).write_text(json.dumps(record, indent=2) + "\n")
    write_model_card(cfg.out)
    return cfg.out


DENSE_WEIGHTS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


def tune_dense_weight(index: ToolIndex, queries: Sequence[Query]) -> float:
    """The hybrid retriever's dense weight with the best COMP@5 (then R@5) on ``queries``, over
    :data:`DENSE_WEIGHTS`; ties go to the smaller weight."""

    texts = {str(i): q.text for i, q in enumerate(queries)}
    qrels = {str(i): dict.fromkeys(q.tools, 1) for i, q in enumerate(queries)}
    depth = HybridConfig().depth
    runs = [BM25Retriever(index).search(texts, depth), DenseRetriever(index).search(texts, depth)]
    best, best_key = DENSE_WEIGHTS[0], (-1.0, -1.0)
    for w in DENSE_WEIGHTS:
        fused = weighted_score_fusion(runs, weights=[1 - w, w], top=10)
        s = evaluate(qrels, fused, [5])["overall"]
        key = (round(s["COMP@5"], 4), round(s["R@5"], 4))
        if key > best_key:
            best, best_key = w, key
    return best


def update_record(folder: Path, **fields: Any) -> dict[str, Any]:
    """Add ``fields`` (e.g. ``test=`` scores) to a model folder's training record; return it."""
    path = Path(folder) / TRAINING_FILE
    record = json.loads(path.read_text()) | fields
    path.write_text(json.dumps(record, indent=2) + "\n")
    return record


def write_model_card(folder: Path) -> None:
    """README.md for the model folder, rendered from its training record."""
    record = json.loads((folder / TRAINING_FILE).read_text())
    cfg = record["config"]
    lines = [
        "---",
        "library_name: sentence-transformers",
        "tags: [toolrag, tool-retrieval, sentence-transformers]",
        "---",
        "",
        "# toolrag dense tool retriever",
        "",
        f"Fine-tuned from `{cfg['base']}` with the `{cfg['loss']}` loss for retrieving every tool a "
        "query needs. Load with `SentenceTransformer(<this folder>)`; index with "
        "`toolrag index build TOOLS --model <this folder>`.",
        "",
        "## Data",
        "",
        f"- labelled instances: `{cfg['train']}`; toolset: {', '.join(f'`{p}`' for p in cfg['tools'])}",
        f"- training queries: {record['data']['queries']} -> {record['data']['rows']} rows",
        f"- validation: {record['data']['validation_queries']} labelled queries carved out (seed {cfg['seed']})",
        f"- held out of all training: {len(record['held_out_tools'])} tools ({cfg['held_out_fraction']:.0%})",
        f"- hard negatives: {cfg['hard_negatives']} (BM25 + zero-shot dense, depth {cfg['negative_depth']})",
        "",
        "## Hyper-parameters",
        "",
        "| name | value |",
        "| --- | --- |",
        *(f"| {k} | {v} |" for k, v in cfg.items() if k not in {"tools", "train", "out"}),
        "",
        f"Training: {record['steps']} steps in {record['train_seconds']} s on the CPU.",
        "",
        "## Scores",
        "",
        "Validation (carved from the training instances): "
        + ", ".join(
            f"{k.removeprefix('val_')} {v:.3f}"
            for k, v in record["validation"].items()
            if any(s in k for s in ("recall@5", "recall@10", "ndcg@10"))
        ),
    ]
    if "fusion" in record:
        lines += [
            "",
            "Hybrid dense weight tuned on the "
            f"{record['fusion'].get('tuned_on', 'validation queries')}: "
            f"{record['fusion']['dense_weight']}",
        ]
    if "test" in record:
        lines += [
            "",
            "Test (toolrag benchmarks):",
            "",
            "| setting | R@5 | COMP@5 | R@10 | COMP@10 | nDCG@10 |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for name, s in record["test"].items():
            lines.append(
                f"| {name} | "
                + " | ".join(f"{s[c]:.3f}" for c in ("R@5", "COMP@5", "R@10", "COMP@10", "nDCG@10"))
                + " |"
            )
    lines += [
        "",
        "Reproduce: `toolrag train retriever` with the hyper-parameters above "
        f"(`{TRAINING_FILE}` holds them in full).",
    ]
    (folder / "README.md").write_text("\n".join(lines) + "\n")
