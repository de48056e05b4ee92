"""Load a planner model into the engine that decodes it: PyTorch, or ONNX Runtime GenAI from
the model's cached export (made on first use). Apart from :mod:`toolrag.agent.models` (what the models
are and where their weights live) and :mod:`toolrag.agent.export` (the conversion), which both stay
free of each other's imports."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from toolrag.agent.engine import DEFAULT_ENGINE, ENGINES, OnnxEngine, TorchEngine, onnx_available
from toolrag.agent.export import onnx_model
from toolrag.agent.models import DEFAULT_PRECISION, PRECISIONS, load_causal_lm
from toolrag.agent.tokenizer import ChatTokenizer
from toolrag.errors import ConfigError

if TYPE_CHECKING:
    from transformers import PreTrainedTokenizerBase

    from toolrag.agent.engine import Engine

logger = logging.getLogger(__name__)


def load_engine(
    model: str | None = None, *, engine: str | None = None, precision: str | None = None
) -> tuple[Engine, PreTrainedTokenizerBase]:
    """The planner's decoding engine and tokenizer for ``model`` (see :func:`toolrag.agent.models.load_causal_lm`).

    ``engine``: ``onnx`` or ``torch`` (``None``: :data:`toolrag.agent.engine.DEFAULT_ENGINE`; onnx falls
    back to torch, with a warning, where onnxruntime-genai is not installed). ``precision``: one of
    :data:`toolrag.agent.models.PRECISIONS` for that engine (``None``: :data:`toolrag.agent.models.DEFAULT_PRECISION`).
    """
    engine = engine or DEFAULT_ENGINE
    if engine not in ENGINES:
        raise ConfigError(f"engine={engine!r}; choose one of {ENGINES}")
    if engine == "onnx" and not onnx_available():
        logger.warning(
            "onnxruntime-genai is not installed, so the planner decodes with PyTorch (slower); pip install onnxruntime-genai onnx-ir"
        )
        engine, precision = "torch", None
    precision = precision or DEFAULT_PRECISION[engine]
    if precision not in PRECISIONS[engine]:
        raise ConfigError(
            f"precision={precision!r} with engine={engine!r}; choose one of {PRECISIONS[engine]}"
        )
    if engine == "torch":
        lm, tok = load_causal_lm(model, precision=precision)
        return TorchEngine(lm), tok
    folder = onnx_model(model, precision)
    return OnnxEngine(folder), ChatTokenizer.load(folder)  # no transformers import
