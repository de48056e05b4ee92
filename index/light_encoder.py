"""Encoding tools without PyTorch: the same ONNX bundle that encodes queries, at float32.

Building an index used to load the embedding model in PyTorch (about 5 s of imports for
sentence-transformers alone) just to encode a handful of tool descriptions, so the first
``toolrag.plan(query, functions)`` in a fresh process took 9-11 s. A model is prepared once in
PyTorch -- its ONNX export checked against it (:mod:`toolrag.index.onnx_encoder`) -- and a small
record in the cache then ties the model folder (its files' sizes and modification times) to
its weight checksum, dimension and maximum length. Later processes read that record and encode
tools through the float32 bundle: ONNX Runtime, ``tokenizers`` and numpy only. The float32
export matches PyTorch to ``onnx_encoder.TOLERANCE`` (1e-4) on every load check, so an index
built either way holds the same embeddings within that tolerance.

Hub ids (no folder to stamp), ``TOOLRAG_ONNX=0`` / ``TOOLRAG_QUERY_ENCODER=torch`` and models
the exporter does not support keep encoding in PyTorch.

Example:
    >>> encoder = document_encoder(None)  # the shipped retriever  # doctest: +SKIP
    >>> encoder.encode(["getWeather: Get the weather of a city"]).shape  # doctest: +SKIP
    (1, 384)
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from toolrag.cache import cache_root, file_stamp
from toolrag.index.encoder import embedding_dim, encode, load_encoder, resolve_model

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

    from toolrag.index.onnx_encoder import OnnxQueryEncoder

logger = logging.getLogger(__name__)

RECORD_VERSION = 1
_SKIP_DIRS = {"checkpoints", "onnx"}


@dataclass
class DocumentEncoder:
    """What an index build needs from its embedding model.

    Attributes:
        checksum: :func:`toolrag.index.encoder.weight_checksum` of the weights.
        dimension: embedding size.
        max_seq_length: tokens kept per text.
        bundle: the checked float32 ONNX bundle, or ``None`` when PyTorch encodes.
        model: the PyTorch model when this process loaded it (preparing, or falling back).
    """

    checksum: str
    dimension: int
    max_seq_length: int
    bundle: OnnxQueryEncoder | None = None
    model: SentenceTransformer | None = None

    def encode(self, texts: list[str], batch_size: int = 64, progress: bool = False) -> np.ndarray:
        """L2-normalised float32 embeddings ``[len(texts), dimension]``."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if self.bundle is not None:
            return np.ascontiguousarray(self.bundle.encode(texts, batch_size), dtype=np.float32)
        return encode(self.model, texts, batch_size=batch_size, progress=progress)


def model_identity(name_or_dir: str | None) -> str | None:
    """A digest of the model folder's path and its files' stamps, or ``None`` for a hub id.

    Changing any file (retraining into the same folder) changes the identity, so a stale record
    is never read."""
    folder = Path(resolve_model(name_or_dir))
    if not folder.is_dir():
        return None
    folder = folder.resolve()
    files = sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
        and p.relative_to(folder).parts[0] not in _SKIP_DIRS
    )
    digest = hashlib.sha256(str(folder).encode())
    for path in files:
        digest.update(f"\n{path.relative_to(folder).as_posix()} {file_stamp(path)}".encode())
    return digest.hexdigest()


def record_path(identity: str) -> Path:
    return cache_root() / "onnx" / "models" / f"{identity[:32]}.json"


def _read_record(identity: str) -> dict | None:
    try:
        record = json.loads(record_path(identity).read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    return record if record.get("version") == RECORD_VERSION else None


def _write_record(identity: str, encoder: DocumentEncoder, folder: str) -> None:
    path = record_path(identity)
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {
        "version": RECORD_VERSION,
        "folder": folder,
        "checksum": encoder.checksum,
        "dimension": encoder.dimension,
        "max_seq_length": encoder.max_seq_length,
    }
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(record, indent=2) + "\n")
    tmp.replace(path)


def document_encoder(name_or_dir: str | None = None) -> DocumentEncoder:
    """The encoder for an index's tools: the cached float32 bundle when this model was prepared
    before (no PyTorch), else the model loaded in PyTorch, prepared (exported, checked, both
    bundles cached) and recorded for the next process.

    Args:
        name_or_dir: as for :func:`toolrag.index.encoder.resolve_model`.
    """
    from toolrag.index.onnx_encoder import (
        load_bundle,
        load_document_bundle,
        load_onnx_encoder,
        requested_precision,
    )

    onnx = requested_precision() != "torch"
    identity = model_identity(name_or_dir) if onnx else None
    record = _read_record(identity) if identity else None
    if record is not None:
        bundle = load_bundle(record["checksum"], "fp32")
        if bundle is not None:
            return DocumentEncoder(
                record["checksum"], record["dimension"], record["max_seq_length"], bundle
            )
    from toolrag.index.encoder import weight_checksum

    model = load_encoder(name_or_dir)
    encoder = DocumentEncoder(
        weight_checksum(model), embedding_dim(model), int(model.max_seq_length), model=model
    )
    if onnx:
        # the query bundle too, so that a later process needs PyTorch for neither
        load_bundle(encoder.checksum) or load_onnx_encoder(model, encoder.checksum)
        encoder.bundle = load_document_bundle(model, encoder.checksum)
        if encoder.bundle is not None and identity is not None:
            _write_record(identity, encoder, str(resolve_model(name_or_dir)))
    return encoder
