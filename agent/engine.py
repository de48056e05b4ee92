"""Decoding engines: the one seam between the planner and the model that scores tokens.

The planner drives decoding itself (grammar masks, forced tokens, repeat policy), so all it asks
of a model is: *the next-token logits after this sequence of token ids*. An engine answers that
and keeps its key/value cache of the last sequence it saw; a call whose ids share a prefix with
that sequence computes only the part past the prefix (rewinding the cache where they diverge).
So the shared prompt head, a plan's own growing sequence and a restart from earlier calls are all
reused without the planner managing caches.

Engines:

- :class:`TorchEngine`: a transformers causal LM (float32, or PyTorch dynamic int8); the
  training and GPU path.
- :class:`OnnxEngine`: ONNX Runtime GenAI on a model exported by :mod:`toolrag.agent.export`
  (int8 weights by default), about three times faster per token on CPU.

Engines are stateful and not thread-safe: one plan at a time per engine (the planner holds a
lock).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from toolrag.errors import ConfigError

if TYPE_CHECKING:
    from transformers import PreTrainedModel

logger = logging.getLogger(__name__)

ENGINES = ("onnx", "torch")
DEFAULT_ENGINE = "onnx"


class Engine(Protocol):
    """What the planner decodes through."""

    name: str

    def logits(self, ids: Sequence[int]) -> np.ndarray:
        """Float32 logits (1-D, one per vocabulary id) for the token after ``ids``."""
        ...


def shared_prefix(a: Sequence[int], b: Sequence[int]) -> int:
    """Length of the longest common prefix of two id sequences."""
    n = min(len(a), len(b))
    if list(a[:n]) == list(b[:n]):
        return n
    return next(i for i in range(n) if a[i] != b[i])


class _CachedEngine:
    """The cache bookkeeping both engines share: what is cached, what to feed."""

    name = "engine"

    def __init__(self, *, reuse: bool = True) -> None:
        self.reuse = reuse
        self._seq: list[int] = []
        self._last: np.ndarray | None = None
        self.fed_tokens = 0  # tokens run through the model (for profiling and tests)

    def logits(self, ids: Sequence[int]) -> np.ndarray:
        ids = list(ids)
        if not ids:
            raise ConfigError("an engine needs at least one token id")
        keep = shared_prefix(self._seq, ids) if self.reuse else 0
        if keep == len(ids) == len(self._seq) and self._last is not None:
            return self._last
        keep = min(keep, len(ids) - 1)  # at least one token is fed, to get its logits
        self._last = self._forward(ids, keep)
        self._seq = ids
        self.fed_tokens += len(ids) - keep
        return self._last

    def _forward(self, ids: list[int], keep: int) -> np.ndarray:
        """Logits after ``ids``, keeping the first ``keep`` cached positions (0: start over)."""
        raise NotImplementedError


class TorchEngine(_CachedEngine):
    """A transformers causal LM with a ``DynamicCache`` cropped to the shared prefix."""

    name = "torch"

    def __init__(self, model: PreTrainedModel, *, reuse: bool = True) -> None:
        super().__init__(reuse=reuse)
        self.model = model
        self.context_length: int | None = getattr(model.config, "max_position_embeddings", None)
        self._cache: Any = None

    def _forward(self, ids: list[int], keep: int) -> np.ndarray:
        import torch
        from transformers import DynamicCache

        if keep == 0 or self._cache is None:
            self._cache, keep = DynamicCache(), 0
        elif self._cache.get_seq_length() > keep:
            self._cache.crop(keep - self._cache.get_seq_length())  # negative: drop the tail
        with torch.inference_mode():
            out = self.model(
                input_ids=torch.tensor([ids[keep:]]),
                past_key_values=self._cache,
                use_cache=True,
                logits_to_keep=1,
            )
        return out.logits[0, -1].float().numpy()


class OnnxEngine(_CachedEngine):
    """ONNX Runtime GenAI: a ``Generator`` whose cache is rewound to the shared prefix.

    Args:
        folder: an exported model (``genai_config.json`` + ``model.onnx``), see
            :func:`toolrag.agent.export.onnx_model`.
        threads: intra-op threads (``None``: one per core this process may use).

    The model loads on first use, in the thread that first asks for logits: ONNX Runtime's
    worker threads start then and inherit that thread's scheduling priority (the server plans
    on a low-priority thread so that retrieval keeps its speed under planning load).
    """

    name = "onnx"

    def __init__(
        self, folder: str | Path, *, reuse: bool = True, threads: int | None = None
    ) -> None:
        super().__init__(reuse=reuse)
        import onnxruntime_genai as og

        self.folder = Path(folder)
        config = og.Config(str(self.folder))
        # ONNX Runtime GenAI runs the CPU session on one thread unless told otherwise; one
        # thread per available core is faster
        threads = threads or len(os.sched_getaffinity(0))
        options = {"intra_op_num_threads": threads}
        config.overlay(json.dumps({"model": {"decoder": {"session_options": options}}}))
        self._config = config
        genai = json.loads((self.folder / "genai_config.json").read_text())
        self.context_length: int | None = genai["model"].get("context_length")
        self._model: Any = None
        self._og = og
        self._gen: Any = None
        self._capacity = 0

    @property
    def model(self) -> Any:
        """The ONNX Runtime GenAI model, loaded on first use."""
        if self._model is None:
            self._model = self._og.Model(self._config)
        return self._model

    def _generator(self, length: int) -> Any:
        # the KV buffer is allocated for max_length up front: grow it in steps, not to 8k
        capacity = max(1024, 1 << (length + 256 - 1).bit_length())
        if self.context_length:
            capacity = min(capacity, self.context_length)
        params = self._og.GeneratorParams(self.model)
        params.set_search_options(max_length=capacity, do_sample=False)
        self._capacity = capacity
        return self._og.Generator(self.model, params)

    def _forward(self, ids: list[int], keep: int) -> np.ndarray:
        if self._gen is None or keep == 0 or len(ids) >= self._capacity:
            self._gen, keep = self._generator(len(ids)), 0
        elif self._gen.token_count() > keep:
            self._gen.rewind_to(keep)
        self._gen.append_tokens(np.asarray(ids[keep:], dtype=np.int32))
        return np.array(self._gen.get_logits()[0, -1], dtype=np.float32)


def onnx_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("onnxruntime_genai") is not None
