"""Multi-positive contrastive losses for the dense tool retriever.

A Seal-Tools query needs 1-6 tools. Splitting it into one (query, tool) pair per tool and training
with in-batch negatives (DPR, ToolBench) makes the query's *other* correct tools negatives whenever
two of its pairs share a batch. These losses take a ``label`` per row (the query id) and never
count a same-query positive as a negative.

Inputs, as sentence-transformers passes them: ``sentence_features = [anchor, positive,
negative_1, ..., negative_n]`` (each a tokenized batch of ``B`` texts) and ``labels`` of shape
``[B]``; row ``i`` is (query ``labels[i]``, one of its positive tools, optional hard negatives).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import torch
import torch.nn.functional as F
from sentence_transformers import SentenceTransformer
from sentence_transformers.util import cos_sim
from torch import Tensor, nn


def _scores(
    model: SentenceTransformer, sentence_features: Iterable[dict[str, Tensor]], scale: float
) -> tuple[Tensor, int]:
    embeddings = [model(f)["sentence_embedding"] for f in sentence_features]
    anchors = embeddings[0]  # [B, d]
    docs = torch.cat(embeddings[1:])  # [B * (1 + n_neg), d]: positives first, then negatives
    return cos_sim(anchors, docs) * scale, anchors.size(0)  # [B, B * (1 + n_neg)]


def same_query_mask(labels: Tensor, n_docs: int) -> Tensor:
    """``mask[i, j]`` is True where doc ``j`` is another positive of row ``i``'s query.

    Only the positive block (the first ``B`` docs) holds positives; a row's own positive (the
    diagonal) stays unmasked because it is the target.
    """
    b = labels.size(0)
    same = labels[:, None] == labels[None, :]  # [B, B]
    same &= ~torch.eye(b, dtype=torch.bool, device=labels.device)
    mask = torch.zeros(b, n_docs, dtype=torch.bool, device=labels.device)  # [B, n_docs]
    mask[:, :b] = same
    return mask


class _ScaledLoss(nn.Module):
    """Holds the model and the inverse temperature, as sentence-transformers losses do."""

    def __init__(self, model: SentenceTransformer, scale: float = 20.0) -> None:
        super().__init__()
        self.model = model
        self.scale = scale

    def get_config_dict(self) -> dict[str, Any]:
        return {"scale": self.scale}


class MultiPositiveInfoNCELoss(_ScaledLoss):
    """InfoNCE over in-batch and hard negatives, averaged over every (query, positive) row, with
    the query's other positives masked out of the denominator.

    With one positive per query (all labels distinct) it equals
    :class:`~sentence_transformers.sentence_transformer.losses.MultipleNegativesRankingLoss`.

    Args:
        model: the SentenceTransformer being trained.
        scale: inverse temperature applied to cosine similarities (20 = temperature 0.05, as MNRL).

    Inputs:
        (anchor, positive[, negative_1, ...]) columns plus a ``label`` column with the query id.
    """

    def forward(self, sentence_features: Iterable[dict[str, Tensor]], labels: Tensor) -> Tensor:
        scores, b = _scores(self.model, sentence_features, self.scale)  # [B, N]
        scores = scores.masked_fill(same_query_mask(labels, scores.size(1)), float("-inf"))
        target = torch.arange(b, device=scores.device)  # [B]: row i's positive is doc i
        return F.cross_entropy(scores, target)


class ListwiseMultiLabelLoss(_ScaledLoss):
    """List-wise multi-label loss (after COLT, Qu et al. 2024): one softmax over all in-batch
    candidates per query, trained towards a target spread evenly over the query's positives.

    Every row of a query yields the same distribution, so rows are weighted ``1 / count(query)``:
    the loss is a mean over queries.

    Args:
        model: the SentenceTransformer being trained.
        scale: inverse temperature.

    Inputs:
        (anchor, positive[, negative_1, ...]) columns plus a ``label`` column with the query id.
    """

    def forward(self, sentence_features: Iterable[dict[str, Tensor]], labels: Tensor) -> Tensor:
        scores, b = _scores(self.model, sentence_features, self.scale)  # [B, N]
        same = (labels[:, None] == labels[None, :]).float()  # [B, B]: positives of row i's query
        target = torch.zeros_like(scores)  # [B, N]
        target[:, :b] = same / same.sum(1, keepdim=True)  # uniform over the query's positives
        per_row = -(target * F.log_softmax(scores, dim=1)).sum(1)  # [B]
        weight = 1.0 / same.sum(1)  # [B]: each query counts once
        return (per_row * weight).sum() / weight.sum()


class ToolScoreDistillLoss(nn.Module):
    """Query-encoder distillation against a fixed tool matrix: the cosine distance between the
    student's and the teacher's query embeddings, plus ``weight`` times the KL divergence from the
    teacher's softmax over tool scores to the student's.

    The tools are encoded once by the teacher and never change (they stay in the index), so the
    second term teaches the student exactly what retrieval reads: how a query ranks the tools,
    most of all the tools near the top (temperature ``1 / scale``).

    Args:
        model: the student SentenceTransformer.
        tool_vectors: ``[tools, dim]`` normalised teacher tool embeddings (training tools only).
        weight: weight of the score term; 0 leaves the embedding distance alone.
        scale: inverse temperature for both softmaxes (20 = the retriever's training scale).

    Inputs:
        one text column, and the teacher's query embedding ``[B, dim]`` as ``label``.
    """

    def __init__(
        self,
        model: SentenceTransformer,
        tool_vectors: Any,
        weight: float = 1.0,
        scale: float = 20.0,
    ) -> None:
        super().__init__()
        self.model = model
        self.weight = weight
        self.scale = scale
        tools = torch.as_tensor(tool_vectors, dtype=torch.float32, device=model.device)
        self.register_buffer("tools", F.normalize(tools, dim=-1), persistent=False)

    def forward(self, sentence_features: Iterable[dict[str, Tensor]], labels: Tensor) -> Tensor:
        (features,) = list(sentence_features)
        student = self.model(features)["sentence_embedding"]  # [B, dim]
        return self.from_embeddings(student, labels.detach())

    def from_embeddings(self, student: Tensor, teacher: Tensor) -> Tensor:
        student, teacher = F.normalize(student, dim=-1), F.normalize(teacher, dim=-1)
        loss = (1 - (student * teacher).sum(-1)).mean()
        if self.weight:
            log_student = F.log_softmax(self.scale * student @ self.tools.T, dim=-1)  # [B, T]
            log_teacher = F.log_softmax(self.scale * teacher @ self.tools.T, dim=-1)  # [B, T]
            kl = F.kl_div(log_student, log_teacher, log_target=True, reduction="batchmean")
            loss = loss + self.weight * kl
        return loss

    def get_config_dict(self) -> dict[str, Any]:
        return {"weight": self.weight, "scale": self.scale, "tools": int(self.tools.size(0))}
