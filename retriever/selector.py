"""Which of the candidate tools does the query really need? A cross-encoder answers per tool.

The retriever ranks 4,000 tools by similarity; it cannot say where the needed tools end. The
selector reads the query and one tool card together (a cross-encoder: every query token attends
to every tool token) and gives each candidate the probability that the query needs it. Two uses:

- **re-rank** the retriever's top-N before the top-K cut (:class:`RerankingRetriever`);
- **select**: the tools at or above a threshold tuned on validation queries
  (:meth:`ToolSelector.select`); the planner's grammar then admits only those and must call
  each at least once.

A selector folder is a sentence-transformers ``CrossEncoder`` folder plus ``toolrag_selector.json``
(what it was trained with, the tuned threshold, its validation scores and the checksum of its
weights, checked at load). The shipped one is int8-packed like the default retriever.

Example:
    >>> selector = ToolSelector.load()  # doctest: +SKIP
    >>> [t.name for t in selector.select("Weather in Oslo?", tools)]  # doctest: +SKIP
    ['getWeather']
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from index.packed import is_packed, packed_digest, unpacked_folder
from index.text import TextTemplate, tool_text
from retriever.base import Retriever
from toolrag.types import Queries, Run, Tool

logger = logging.getLogger(__name__)

SELECTOR_RECORD = "toolrag_selector.json"
SELECTOR_FORMAT = "toolrag-selector/1"
CARD_TEMPLATE = TextTemplate.NAME_DESC
"""What the selector reads of a tool: its split name and description (parameters add tokens,
and so latency, without telling the tools apart better)."""
DEFAULT_ALIASES = {"default", "toolrag-selector"}


class SelectorError(ValueError):
    """A selector folder that cannot be used as it is; the message says what to do."""


def shipped_selector() -> Path:
    """The packed default selector inside the installed ``retriever`` package."""
    spec = importlib.util.find_spec("retriever")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover - same package
        raise ImportError("the retriever package is not installed; pip install toolrag")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "selector"


def card(tool: Tool) -> str:
    """The text the selector reads for ``tool``.

    Example:
        >>> card(Tool(name="getWeather", description="Current weather for a city."))
        'get weather: Current weather for a city.'
    """
    return tool_text(tool, CARD_TEMPLATE)


def check_threshold(threshold: float) -> float:
    """``threshold`` if it is a probability, else a :class:`ValueError` that says so."""
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"threshold={threshold} must be between 0 and 1 (a probability)")
    return float(threshold)


def weights_checksum(folder: Path) -> str:
    """sha256 of the folder's weights file (packed or plain)."""
    if is_packed(folder):
        return packed_digest(folder)
    digest = hashlib.sha256()
    with open(folder / "model.safetensors", "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_record(folder: Path) -> dict[str, Any]:
    """The selector record of ``folder``, checked against the weights beside it.

    Raises:
        SelectorError: not a selector folder, a record of another format, or weights that are
            not the ones the record was written for.
    """
    record_file = folder / SELECTOR_RECORD
    if not record_file.is_file():
        raise SelectorError(
            f"{folder} is not a toolrag selector (no {SELECTOR_RECORD}): pass a folder written by "
            "`toolrag train selector`, or leave the selector option out for the shipped one"
        )
    record = json.loads(record_file.read_text())
    if record.get("format") != SELECTOR_FORMAT:
        raise SelectorError(
            f"{record_file} has format {record.get('format')!r}, this toolrag reads "
            f"{SELECTOR_FORMAT!r}: retrain it with `toolrag train selector`"
        )
    expected = record.get("weights_sha256")
    actual = weights_checksum(folder)
    if expected and expected != actual and record.get("packed_sha256") != actual:
        raise SelectorError(
            f"the weights in {folder} are not the ones {SELECTOR_RECORD} was written for "
            f"(sha256 {actual[:12]} vs {expected[:12]}): copy the whole folder again or retrain"
        )
    return record


def record_packed(folder: Path) -> None:
    """Note in a packed selector's record the checksum of its packed weights (what
    :func:`read_record` checks them against)."""
    record_file = folder / SELECTOR_RECORD
    record = json.loads(record_file.read_text())
    record["packed_sha256"] = packed_digest(folder)
    record_file.write_text(json.dumps(record, indent=2) + "\n")


@dataclass(frozen=True)
class Selection:
    """The selector's verdict on one candidate list."""

    tools: list[Tool]  # the selected tools, in candidate order
    probabilities: dict[str, float]  # every candidate's probability


class ToolSelector:
    """A cross-encoder over (query, tool card) pairs with a tuned threshold.

    Args:
        model: a sentence-transformers ``CrossEncoder`` with one output (a logit).
        threshold: tools with probability at or above it are selected.
        record: the selector record (what it was trained with), if loaded from a folder.
    """

    def __init__(
        self,
        model: Any,
        threshold: float = 0.5,
        record: dict | None = None,
        onnx: OnnxScorer | None = None,
    ) -> None:
        self.model = model
        self.threshold = check_threshold(threshold)
        self.record = record or {}
        self.onnx = onnx

    @classmethod
    def load(
        cls, folder: str | Path | None = None, *, threshold: float | None = None
    ) -> ToolSelector:
        """Load a selector folder (``None``/``default``: the shipped one); ``threshold``
        overrides the tuned one.

        Raises:
            SelectorError: the folder is not a selector, or its weights do not match its record.
            ValueError: ``threshold`` is outside 0-1.
        """
        if threshold is not None:
            check_threshold(threshold)
        path = (
            shipped_selector() if folder is None or str(folder) in DEFAULT_ALIASES else Path(folder)
        )
        if not path.is_dir():
            raise SelectorError(f"selector folder {path} does not exist")
        record = read_record(path)
        model = _load_cross_encoder(str(path))
        tuned = float(record.get("threshold", 0.5))
        digest = record.get("packed_sha256") or record.get("weights_sha256") or ""
        onnx = load_onnx_scorer(model, digest) if digest else None
        return cls(model, tuned if threshold is None else threshold, record, onnx)

    @property
    def label(self) -> str:
        digest = self.record.get("packed_sha256") or self.record.get("weights_sha256") or ""
        return f"selector@{digest[:12]}" if digest else "selector"

    def probabilities(self, query: str, tools: Sequence[Tool]) -> list[float]:
        """P(the query needs tool) for each tool, in order."""
        if not tools:
            return []
        pairs = [(query, card(t)) for t in tools]
        if self.onnx is not None:
            return [float(p) for p in self.onnx.probabilities(pairs)]
        scores = self.model.predict(
            pairs, batch_size=32, show_progress_bar=False, convert_to_numpy=True
        )
        return [float(s) for s in scores]

    def select(self, query: str, tools: Sequence[Tool]) -> Selection:
        """The candidates at or above the threshold (possibly none)."""
        probs = self.probabilities(query, tools)
        chosen = [t for t, p in zip(tools, probs, strict=True) if p >= self.threshold]
        return Selection(chosen, {t.name: p for t, p in zip(tools, probs, strict=True)})


class RerankingRetriever(Retriever):
    """Any retriever's top ``depth``, re-ordered by a selector; the same verbs as a retriever.

    Example:
        >>> reranked = RerankingRetriever(default_retriever(index), selector)  # doctest: +SKIP
        >>> [h.tool.name for h in reranked.retrieve("weather, then email it", k=5)]  # doctest: +SKIP
    """

    def __init__(self, base: Retriever, selector: ToolSelector, depth: int = 20) -> None:
        if depth < 1:
            raise ValueError(f"depth={depth} must be at least 1")
        super().__init__(base.index)
        self.base, self.selector, self.depth = base, selector, depth

    def search(self, queries: Queries, k: int = 10) -> Run:
        """Top-``k`` tools per query (a BEIR run), scored by the selector's probability."""
        run = self.base.search(queries, max(k, self.depth))
        out = {}
        for qid, hits in run.items():
            names = list(hits)
            probs = self.selector.probabilities(queries[qid], [self.index.tool(n) for n in names])
            order = sorted(range(len(names)), key=lambda i: (-probs[i], i))[:k]
            out[qid] = {names[i]: probs[i] for i in order}
        return out


ENGINES = ("int8", "fp32", "torch")
PROBE_PAIRS = [
    ("weather in Oslo", "get weather: Current weather for a city."),
    ("Book a flight to Rome and email my boss", "send email: Send an email to a recipient."),
    ("stock price of ACME", "get stock price: Latest price of a company's stock."),
]
MAX_PROB_DIFF = {"fp32": 1e-4, "int8": 0.05}  # against PyTorch on the probe pairs


class OnnxScorer:
    """The selector's cross-encoder run by ONNX Runtime: sigmoid(logit) per (query, card)."""

    def __init__(self, tokenizer: Any, path: Path, max_length: int, engine: str) -> None:
        import os

        import onnxruntime as ort

        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = os.cpu_count() or 1
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self.inputs = [i.name for i in self.session.get_inputs()]
        self.tokenizer, self.max_length, self.engine = tokenizer, max_length, engine

    def probabilities(self, pairs: Sequence[tuple[str, str]]) -> Any:
        import numpy as np

        enc = self.tokenizer(
            [q for q, _ in pairs],
            [c for _, c in pairs],
            truncation=True,
            max_length=self.max_length,
            padding=True,
            return_tensors="np",
        )
        (logits,) = self.session.run(None, {n: enc[n].astype(np.int64) for n in self.inputs})
        return 1.0 / (1.0 + np.exp(-logits.reshape(-1)))


def selector_engine() -> str:
    """``TOOLRAG_SELECTOR_ENGINE``: ``int8`` (default), ``fp32`` or ``torch``."""
    import os

    engine = os.environ.get("TOOLRAG_SELECTOR_ENGINE", "int8").lower()
    if engine not in ENGINES:
        raise ValueError(f"TOOLRAG_SELECTOR_ENGINE={engine!r} is not one of {', '.join(ENGINES)}")
    return engine


def load_onnx_scorer(model: Any, checksum: str, engine: str | None = None) -> OnnxScorer | None:
    """The cross-encoder exported to ONNX (cached per weights checksum; BERT graphs fused; int8
    by default) and checked against PyTorch on probe pairs, or ``None`` when PyTorch must score
    (reason logged): a failed int8 check falls back to float32, a failed float32 one to PyTorch.
    """
    import torch

    from index.onnx_encoder import cache_dir, export_module, fuse, quantize_int8

    engine = engine or selector_engine()
    if engine == "torch":
        return None
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        logger.info("onnxruntime is not installed; the selector runs in PyTorch")
        return None
    backbone = model.model  # AutoModelForSequenceClassification
    path = cache_dir() / "onnx" / f"selector-{checksum[:24]}-v1.onnx"
    try:
        if not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            names = [n for n in model.tokenizer.model_input_names if n != "position_ids"]

            class Score(torch.nn.Module):
                def __init__(self) -> None:
                    super().__init__()
                    self.backbone = backbone

                def forward(self, *args: torch.Tensor) -> torch.Tensor:
                    return self.backbone(**dict(zip(names, args, strict=True))).logits  # [b, 1]

            sample = model.tokenizer(["probe query"], ["probe card"], return_tensors="pt")
            export_module(Score(), backbone, {n: sample[n] for n in names}, "logit", path)
        path = fuse(backbone.config, path)
        expected = model.predict(PROBE_PAIRS, show_progress_bar=False, convert_to_numpy=True)
        for name in ["int8", "fp32"] if engine == "int8" else ["fp32"]:
            onnx_file = quantize_int8(path) if name == "int8" else path
            scorer = OnnxScorer(model.tokenizer, onnx_file, model.max_length, name)
            diff = float(abs(scorer.probabilities(PROBE_PAIRS) - expected).max())
            if diff <= MAX_PROB_DIFF[name]:
                return scorer
            logger.warning("%s selector differs from PyTorch by %.3f; falling back", name, diff)
    except Exception as err:  # an exporter or runtime failure must never break selection
        logger.warning("ONNX selector unavailable (%s); using PyTorch", err)
    return None


@lru_cache(maxsize=4)
def _load_cross_encoder(folder: str) -> Any:
    """The CrossEncoder in ``folder`` (a packed one is unpacked into the cache once), with a
    sigmoid on its logit so ``predict`` returns probabilities."""
    import torch
    from sentence_transformers import CrossEncoder

    path = Path(folder)
    target = unpacked_folder(path, name="selector") if is_packed(path) else path
    return CrossEncoder(str(target), device="cpu", activation_fn=torch.nn.Sigmoid())


def tune_threshold(
    lists: Sequence[tuple[Sequence[float], Sequence[bool]]],
    *,
    missing: int = 0,
    grid: int = 100,
) -> tuple[float, float]:
    """The threshold with the best micro F1 of selected vs needed tools over candidate lists.

    Args:
        lists: per query, the candidates' probabilities and whether each is needed.
        missing: needed tools that are in no candidate list (they count as misses at any
            threshold).
        grid: thresholds tried: ``1/grid, 2/grid, ... (grid-1)/grid``.

    Returns:
        ``(threshold, f1)``. Among equally good thresholds the middle one is taken, so a
        plateau's edge (where one more query flips) is avoided.

    Example:
        >>> lists = [([0.9, 0.2, 0.1], [True, False, False]),
        ...          ([0.7, 0.6, 0.3], [True, True, False])]
        >>> tune_threshold(lists, grid=10)
        (0.5, 1.0)
    """
    pairs = [(p, y) for probs, labels in lists for p, y in zip(probs, labels, strict=True)]
    positives = sum(y for _, y in pairs) + missing
    best: list[float] = []
    best_f1 = -1.0
    for step in range(1, grid):
        t = step / grid
        tp = sum(1 for p, y in pairs if p >= t and y)
        fp = sum(1 for p, y in pairs if p >= t and not y)
        f1 = 2 * tp / (2 * tp + fp + (positives - tp)) if positives + fp else 0.0
        if f1 > best_f1 + 1e-12:
            best, best_f1 = [t], f1
        elif abs(f1 - best_f1) <= 1e-12:
            best.append(t)
    return best[len(best) // 2], best_f1
