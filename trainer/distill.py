"""A shallower query encoder distilled from a trained retriever: queries get fast, tools stay put.

Query encoding is most of a hybrid query's latency, and it grows with the encoder's depth. Tools
are encoded once, at index time, so they can keep the full model; only the query side has to be
fast. The student starts as the teacher with a subset of its layers (evenly spaced, first and last
kept) and learns to put each query where the teacher puts it (cosine distance to the teacher's
embedding), optionally also to rank the tools as the teacher does (KL divergence between the two
softmaxes over the teacher's tool scores; ``score_weight``). It then lives in the teacher's embedding
space, so an index built by the teacher is searched with student-encoded queries unchanged.

Training texts are query-like, never test data: the labelled training queries (the validation
carve-out left out), their sub-requests as query decomposition sends them, the pseudo-queries of
:mod:`toolrag.trainer.data`, and tool descriptions. Tools held out of the teacher's training are held out
here too, so the validation scores cover unseen tools the same way.

Example:
    >>> cfg = DistillConfig(train=Path("dev.jsonl"), tools=[Path("tool.jsonl")],
    ...                     out=Path("models/query-student"))  # doctest: +SKIP
    >>> distill_query_encoder(cfg)  # doctest: +SKIP
"""

from __future__ import annotations

import copy
import json
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from toolrag.errors import ConfigError
from toolrag.evaluation.retrieval_metrics import evaluate
from toolrag.index.encoder import (
    STUDENT_RECORD,
    encode,
    load_encoder,
    model_label,
    weight_checksum,
)
from toolrag.index.store import DEFAULT_DENSE_TEMPLATE
from toolrag.retriever.decompose import split_query
from toolrag.trainer.checkpoint import latest_checkpoint
from toolrag.trainer.config import TrainConfig
from toolrag.trainer.data import Query, tool_texts
from toolrag.trainer.losses import ToolScoreDistillLoss
from toolrag.trainer.retriever import RetrieverTrainConfig, build_queries

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

logger = logging.getLogger(__name__)


@dataclass
class DistillConfig(TrainConfig):
    """Everything that determines a distillation run; saved beside the student.

    Attributes:
        train: labelled instances (Seal-Tools JSONL) whose queries are distilled.
        tools: the toolset they use (pseudo-queries, descriptions, validation corpus).
        out: output folder (a sentence-transformers model folder).
        teacher: the retriever whose query embeddings are learnt; ``None`` is the shipped one.
        layers: transformer layers the student keeps.
        epochs: passes over the texts.
        batch_size: texts per step.
        learning_rate: AdamW peak learning rate.
        warmup_ratio: linear warm-up share of the steps.
        score_weight: weight of the tool-score term (:class:`~toolrag.trainer.losses.ToolScoreDistillLoss`:
            KL divergence between the teacher's and the student's softmax over the training
            tools' scores); 0 distils the embedding alone (cosine distance).
        score_scale: inverse temperature of that softmax.
        multi_per_domain, held_out_fraction, val_fraction, seed: as in
            :class:`~toolrag.trainer.retriever.RetrieverTrainConfig`; keep the teacher's values so the
            validation queries and held-out tools are the ones the teacher never saw.
        extra_train: more instance files whose queries are distilled too (training only).
        max_seq_length: token cap.
        max_steps: stop after this many steps (``-1``: all epochs); for smoke tests.
        limit_tools: smoke-test limit, as for the retriever.
        save_steps: checkpoint interval (resume picks up the latest).
    """

    teacher: str | None = None
    layers: int = 3
    epochs: float = 2.0
    batch_size: int = 64
    learning_rate: float = 2e-4
    warmup_ratio: float = 0.1
    score_weight: float = 0.0
    score_scale: float = 20.0
    multi_per_domain: int = 10
    held_out_fraction: float = 0.1
    val_fraction: float = 0.1
    seed: int = 42
    extra_train: list[Path] = field(default_factory=list)
    max_seq_length: int = 128
    max_steps: int = -1
    limit_tools: int | None = None
    save_steps: int = 200

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.layers < 1:
            raise ConfigError("layers must be at least 1")
        if self.epochs <= 0 and self.max_steps <= 0:
            raise ConfigError("set epochs > 0 or max_steps > 0")

    def to_dict(self) -> dict[str, Any]:
        return super().to_dict() | {"teacher": model_label(self.teacher)}

    def queries_config(self) -> RetrieverTrainConfig:
        """The retriever-training config that yields the same queries and splits."""
        return RetrieverTrainConfig(
            train=self.train,
            tools=self.tools,
            out=self.out,
            multi_per_domain=self.multi_per_domain,
            held_out_fraction=self.held_out_fraction,
            val_fraction=self.val_fraction,
            seed=self.seed,
            limit=self.limit,
            limit_tools=self.limit_tools,
            extra_train=self.extra_train,
        )


def kept_layers(total: int, keep: int) -> list[int]:
    """Evenly spaced layer indices, first and last included.

    Example:
        >>> kept_layers(6, 3), kept_layers(6, 2), kept_layers(6, 1), kept_layers(4, 9)
        ([0, 3, 5], [0, 5], [5], [0, 1, 2, 3])
    """
    if keep >= total:
        return list(range(total))
    if keep == 1:
        return [total - 1]
    return sorted({int(i * (total - 1) / (keep - 1) + 0.5) for i in range(keep)})


def make_student(
    teacher: SentenceTransformer, layers: int
) -> tuple[SentenceTransformer, list[int]]:
    """A copy of ``teacher`` with only ``layers`` of its transformer layers (BERT-style encoders).

    Raises:
        ValueError: the model has no ``encoder.layer`` list to thin out.
    """
    import torch

    student = copy.deepcopy(teacher)
    backbone = student[0].auto_model
    stack = getattr(getattr(backbone, "encoder", None), "layer", None)
    if not isinstance(stack, torch.nn.ModuleList):
        raise ConfigError(
            f"cannot thin out {type(backbone).__name__}: query distillation supports "
            "BERT-style encoders (encoder.layer); use the full model for queries"
        )
    keep = kept_layers(len(stack), layers)
    backbone.encoder.layer = torch.nn.ModuleList(stack[i] for i in keep)
    backbone.config.num_hidden_layers = len(keep)
    return student, keep


def distill_texts(queries: list[Query], descriptions: list[str]) -> list[str]:
    """Training texts, deduplicated in order: each query, its sub-requests, then descriptions."""
    texts: dict[str, None] = {}
    for q in queries:
        texts.setdefault(q.text)
        for part in split_query(q.text):
            texts.setdefault(part)
    for d in descriptions:
        if d.strip():
            texts.setdefault(d.strip())
    return list(texts)


def validation_scores(
    query_model: SentenceTransformer,
    val: list[Query],
    tool_names: list[str],
    tool_vectors: np.ndarray,
) -> dict[str, float]:
    """Dense retrieval over the validation queries with ``query_model`` encoding them and the
    teacher's tool vectors: R@5, COMP@5, nDCG@10."""
    vectors = encode(query_model, [q.text for q in val])
    scores = vectors @ tool_vectors.T  # [queries, tools]
    top = np.argsort(-scores, axis=1)[:, :10]
    run = {str(i): {tool_names[j]: float(scores[i, j]) for j in top[i]} for i in range(len(val))}
    qrels = {str(i): {t: 1 for t in q.tools} for i, q in enumerate(val)}
    metrics = evaluate(qrels, run, ks=(5, 10))["overall"]
    return {k: float(metrics[k]) for k in ("R@5", "COMP@5", "nDCG@10")} | {"n": len(val)}


def distill_query_encoder(
    cfg: DistillConfig, *, resume: bool = True, progress: bool = True
) -> Path:
    """Distil, save the student folder with its record and card, and return its path."""
    from datasets import Dataset
    from sentence_transformers import (
        SentenceTransformerTrainer,
        SentenceTransformerTrainingArguments,
    )

    start = time.perf_counter()
    tools, held, train_q, val_q = build_queries(cfg.queries_config())
    seen = [t for t in tools if t.name not in held]
    texts = distill_texts(train_q, [t.description for t in seen])
    teacher = load_encoder(cfg.teacher)
    targets = encode(teacher, texts, progress=progress)
    names = [t.name for t in tools]
    tool_vectors = encode(teacher, list(tool_texts(tools, DEFAULT_DENSE_TEMPLATE.value).values()))
    seen_rows = [i for i, t in enumerate(tools) if t.name not in held]
    logger.info("%d distillation texts; %d validation queries", len(texts), len(val_q))

    student, keep = make_student(teacher, cfg.layers)  # a thinned copy; the teacher stays
    student.max_seq_length = cfg.max_seq_length
    dataset = Dataset.from_dict({"text": texts, "label": [list(map(float, v)) for v in targets]})
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
        save_strategy="steps",
        save_steps=cfg.save_steps,
        save_total_limit=2,
        logging_steps=20,
        report_to="none",
        use_cpu=True,
        disable_tqdm=not progress,
    )
    trainer = SentenceTransformerTrainer(
        model=student,
        args=args,
        train_dataset=dataset,
        loss=ToolScoreDistillLoss(
            student, tool_vectors[seen_rows], weight=cfg.score_weight, scale=cfg.score_scale
        ),
    )
    last = latest_checkpoint(checkpoints) if resume else None
    if last:
        logger.info("resuming from %s", last)
    trainer.train(resume_from_checkpoint=str(last) if last else None)
    student.save(str(cfg.out))

    val_texts = distill_texts(val_q, [])
    cosine = (encode(student, val_texts) * encode(teacher, val_texts)).sum(1)
    record = {
        "config": cfg.to_dict(),
        "teacher": {"model": model_label(cfg.teacher), "checksum": weight_checksum(teacher)},
        "kept_layers": keep,
        "held_out_tools": sorted(held),
        "data": {"texts": len(texts), "validation_queries": len(val_q)},
        "validation": {
            "student": validation_scores(student, val_q, names, tool_vectors),
            "teacher": validation_scores(teacher, val_q, names, tool_vectors),
            "cosine_to_teacher_mean": float(cosine.mean()),
            "cosine_to_teacher_min": float(cosine.min()),
        },
        "train_seconds": round(time.perf_counter() - start, 1),
        "steps": int(trainer.state.global_step),
    }
    (cfg.out / STUDENT_RECORD).write_text(json.dumps(record, indent=2) + "\n")
    write_student_card(cfg.out)
    return cfg.out


def write_student_card(folder: Path) -> None:
    """README.md for a student folder, from its record."""
    record = json.loads((folder / STUDENT_RECORD).read_text())
    cfg, val = record["config"], record["validation"]
    rows = [
        f"| {who} | "
        + " | ".join(f"{val[who][m]:.3f}" for m in ("R@5", "COMP@5", "nDCG@10"))
        + " |"
        for who in ("teacher", "student")
    ]
    lines = [
        "---",
        "library_name: sentence-transformers",
        "tags: [toolrag, tool-retrieval, query-encoder, distillation]",
        "---",
        "",
        "# toolrag query encoder (distilled)",
        "",
        f"Layers {record['kept_layers']} of `{record['teacher']['model']}`, trained to put every "
        "query where the teacher puts it (cosine distance"
        + (
            f", plus {cfg['score_weight']} x KL divergence of its tool-score softmax from the "
            "teacher's"
            if cfg.get("score_weight")
            else ""
        )
        + "). Encodes **queries only**, for an "
        "index whose tools the teacher encoded (teacher weight checksum "
        f"`{record['teacher']['checksum'][:16]}…`).",
        "",
        "## Data",
        "",
        f"- {record['data']['texts']} texts: training queries of `{cfg['train']}`, their "
        "sub-requests, pseudo-queries and tool descriptions of the toolset "
        + ", ".join(f"`{p}`" for p in cfg["tools"]),
        f"- validation: {record['data']['validation_queries']} labelled queries carved out "
        f"(seed {cfg['seed']}); {len(record['held_out_tools'])} tools held out of all training "
        "(the teacher's held-out tools, for unseen-tool evaluation)",
        "",
        "## Hyper-parameters",
        "",
        "| name | value |",
        "| --- | --- |",
        *(f"| {k} | {v} |" for k, v in cfg.items() if k not in {"tools", "train", "out"}),
        "",
        f"Training: {record['steps']} steps in {record['train_seconds']} s on the CPU.",
        "",
        "## Validation (dense retrieval, tools encoded by the teacher)",
        "",
        "Test scores are not written here: `benchmarks/query_student.py` measures them.",
        "",
        "| query encoder | R@5 | COMP@5 | nDCG@10 |",
        "| --- | --- | --- | --- |",
        *rows,
        "",
        f"Cosine to the teacher's query embeddings: mean {val['cosine_to_teacher_mean']:.3f}, "
        f"min {val['cosine_to_teacher_min']:.3f}.",
        "",
        "Reproduce: `toolrag train query-encoder` with the hyper-parameters above "
        f"(`{STUDENT_RECORD}` holds them in full).",
    ]
    (folder / "README.md").write_text("\n".join(lines) + "\n")
