"""The multi-positive losses: reduction to MNRL, the mask, and that training lowers them."""

from __future__ import annotations

import pytest
import torch
from sentence_transformers import SentenceTransformer
from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss

from toolrag.index.encoder import resolve_model
from toolrag.trainer.losses import (
    ListwiseMultiLabelLoss,
    MultiPositiveInfoNCELoss,
    ToolScoreDistillLoss,
    same_query_mask,
)

QUERIES = ["weather in Paris", "convert euros to dollars", "book a flight", "send an email"]
TOOLS = [
    "get weather: current weather",
    "convert currency: money",
    "book flight: tickets",
    "send email: mail",
]
NEGATIVES = [
    "stock price: shares",
    "translate text: language",
    "get time: clock",
    "play music: songs",
]


@pytest.fixture(scope="module")
def model() -> SentenceTransformer:
    torch.manual_seed(0)
    return SentenceTransformer(resolve_model(None), device="cpu")


def feats(model, *columns):
    return [model.preprocess(list(c)) for c in columns]


@pytest.mark.parametrize("with_negatives", [False, True])
def test_infonce_equals_mnrl_with_one_positive_per_query(model, with_negatives):
    cols = (QUERIES, TOOLS, NEGATIVES) if with_negatives else (QUERIES, TOOLS)
    labels = torch.arange(len(QUERIES))
    model.eval()
    with torch.no_grad():
        ours = MultiPositiveInfoNCELoss(model)(feats(model, *cols), labels)
        ref = MultipleNegativesRankingLoss(model)(feats(model, *cols), labels)
    assert ours.item() == pytest.approx(ref.item(), rel=1e-4, abs=1e-6)


def test_mask_removes_exactly_the_same_query_positives():
    labels = torch.tensor([0, 0, 1, 2, 2, 2])
    mask = same_query_mask(labels, n_docs=12)  # 6 positives + 6 negatives
    expected = torch.zeros(6, 12, dtype=torch.bool)
    for i, j in [(0, 1), (1, 0), (3, 4), (3, 5), (4, 3), (4, 5), (5, 3), (5, 4)]:
        expected[i, j] = True
    assert torch.equal(mask, expected)


def test_masking_changes_the_loss_only_when_queries_repeat(model):
    q = [QUERIES[0], QUERIES[0], QUERIES[1]]
    t = [TOOLS[0], NEGATIVES[2], TOOLS[1]]  # query 0 has two positives
    model.eval()
    with torch.no_grad():
        f = feats(model, q, t)
        masked = MultiPositiveInfoNCELoss(model)(f, torch.tensor([0, 0, 1]))
        unmasked = MultiPositiveInfoNCELoss(model)(f, torch.tensor([0, 1, 2]))
    assert masked.item() < unmasked.item()


def test_listwise_target_is_uniform_over_positives(model):
    """With one query whose two positives score equally, the loss is ln(2) at its minimum; check
    the loss is finite, positive and that rows of one query count once."""
    q = [QUERIES[0], QUERIES[0], QUERIES[2]]
    t = [TOOLS[0], TOOLS[0], TOOLS[2]]
    model.eval()
    with torch.no_grad():
        loss = ListwiseMultiLabelLoss(model)(feats(model, q, t), torch.tensor([0, 0, 1]))
    assert torch.isfinite(loss) and loss.item() > 0


@pytest.mark.parametrize(
    "loss_cls", [MultiPositiveInfoNCELoss, ListwiseMultiLabelLoss, MultipleNegativesRankingLoss]
)
def test_each_loss_decreases_on_a_tiny_fixed_set(loss_cls):
    torch.manual_seed(0)
    model = SentenceTransformer(resolve_model(None), device="cpu")
    q = [QUERIES[0], QUERIES[0], QUERIES[1], QUERIES[2], QUERIES[3]]
    t = [TOOLS[0], NEGATIVES[1], TOOLS[1], TOOLS[2], TOOLS[3]]
    labels = torch.tensor([0, 0, 1, 2, 3])
    loss_fn = loss_cls(model)
    frozen = model[0].auto_model.embeddings.word_embeddings.weight.detach().clone()
    layer = model[0].auto_model.encoder.layer[-1].output.dense.weight
    before_layer = layer.detach().clone()
    model[0].auto_model.embeddings.requires_grad_(False)
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-4)
    model.train()
    losses = []
    for _ in range(6):
        loss = loss_fn(feats(model, q, t), labels)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < losses[0]
    assert not torch.equal(layer.detach(), before_layer), "trainable weights moved"
    assert torch.equal(model[0].auto_model.embeddings.word_embeddings.weight, frozen), (
        "frozen ones did not"
    )


def test_score_distillation_is_zero_for_the_teacher_and_cosine_without_weight(model):
    tools = torch.nn.functional.normalize(
        torch.randn(7, 384, generator=torch.manual_seed(1)), dim=-1
    )
    teacher = torch.nn.functional.normalize(
        torch.randn(4, 384, generator=torch.manual_seed(2)), dim=-1
    )
    student = torch.nn.functional.normalize(teacher + 0.3 * torch.randn(4, 384), dim=-1)
    loss = ToolScoreDistillLoss(model, tools, weight=1.0)
    assert loss.from_embeddings(teacher, teacher).item() == pytest.approx(0.0, abs=1e-6)
    cosine = (1 - (student * teacher).sum(-1)).mean().item()
    plain = ToolScoreDistillLoss(model, tools, weight=0.0).from_embeddings(student, teacher)
    assert plain.item() == pytest.approx(cosine, rel=1e-5)
    assert loss.from_embeddings(student, teacher).item() > plain.item()  # the KL term adds


def test_score_distillation_sees_a_ranking_swap_the_cosine_misses(model):
    """Two students at the same cosine to the teacher: the one that swaps the teacher's top two
    tools pays a larger score term than the one that does not."""
    tools = torch.eye(3)  # tool i sits on axis i
    teacher = torch.nn.functional.normalize(torch.tensor([[1.0, 0.8, 0.0]]), dim=-1)
    keeps = torch.nn.functional.normalize(torch.tensor([[1.0, 0.8, 0.3]]), dim=-1)
    swaps = torch.nn.functional.normalize(torch.tensor([[0.8, 1.0, 0.0]]), dim=-1)
    assert abs((keeps * teacher).sum().item() - (swaps * teacher).sum().item()) < 0.01
    loss = ToolScoreDistillLoss(model, tools, weight=1.0, scale=20.0)
    kl_keeps = loss.from_embeddings(keeps, teacher) - (1 - (keeps * teacher).sum())
    kl_swaps = loss.from_embeddings(swaps, teacher) - (1 - (swaps * teacher).sum())
    assert kl_swaps.item() > kl_keeps.item()


def test_score_distillation_trains_the_student_through_the_model(model):
    texts = QUERIES
    tools = model.encode(TOOLS, convert_to_tensor=True, normalize_embeddings=True)
    targets = model.encode(texts[::-1], convert_to_tensor=True, normalize_embeddings=True)
    student = SentenceTransformer(resolve_model(None), device="cpu")
    loss_fn = ToolScoreDistillLoss(student, tools, weight=1.0)
    opt = torch.optim.AdamW(student.parameters(), lr=1e-4)
    student.train()
    losses = []
    for _ in range(5):
        loss = loss_fn(feats(student, texts), targets)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < losses[0]
