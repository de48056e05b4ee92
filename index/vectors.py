"""The dense part of an index: a FAISS index over L2-normalised tool embeddings (inner product =
cosine), flat (exact), HNSW or IVF."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from pathlib import Path

import faiss
import numpy as np

from toolrag.choices import AnnType


@dataclass(frozen=True)
class AnnParams:
    """FAISS settings stored in the manifest.

    Attributes:
        ann: index kind.
        hnsw_m: HNSW graph degree.
        ef_construction: HNSW build beam width.
        ef_search: HNSW search beam width.
        nlist: IVF cells; 0 picks ``4 * sqrt(n)``.
        nprobe: IVF cells visited per query.
    """

    ann: AnnType = AnnType.FLAT
    hnsw_m: int = 32
    ef_construction: int = 80
    ef_search: int = 64
    nlist: int = 0
    nprobe: int = 32

    def __post_init__(self) -> None:
        object.__setattr__(self, "ann", AnnType(self.ann))

    def to_dict(self) -> dict:
        return asdict(self) | {"ann": self.ann.value}


class VectorStore:
    """Rows of a FAISS index correspond to rows of the tool table."""

    def __init__(self, index: faiss.Index, params: AnnParams) -> None:
        self.index = index
        self.params = params
        self._apply_search_params()

    @classmethod
    def build(cls, vectors: np.ndarray, params: AnnParams | None = None) -> VectorStore:
        params = params or AnnParams()
        n, dim = vectors.shape
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if params.ann is AnnType.FLAT:
            index = faiss.IndexFlatIP(dim)
        elif params.ann is AnnType.HNSW:
            index = faiss.IndexHNSWFlat(dim, params.hnsw_m, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = params.ef_construction
        else:
            nlist = params.nlist or max(1, min(n // 39, int(4 * math.sqrt(n))))
            index = faiss.IndexIVFFlat(
                faiss.IndexFlatIP(dim), dim, nlist, faiss.METRIC_INNER_PRODUCT
            )
            sample = (
                vectors
                if n <= 256 * nlist
                else vectors[np.random.default_rng(0).choice(n, 256 * nlist, replace=False)]
            )
            index.train(sample)
        index.add(vectors)
        return cls(index, params)

    def _apply_search_params(self) -> None:
        if self.params.ann is AnnType.HNSW:
            self.index.hnsw.efSearch = self.params.ef_search
        elif self.params.ann is AnnType.IVF:
            self.index.nprobe = self.params.nprobe

    @property
    def size(self) -> int:
        return int(self.index.ntotal)

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Scores and rows, each ``[n_queries, k]``; missing hits have row ``-1``."""
        k = min(k, self.size)
        scores, rows = self.index.search(np.ascontiguousarray(queries, dtype=np.float32), k)
        return scores, rows

    def save(self, path: Path) -> None:
        faiss.write_index(self.index, str(path))

    @classmethod
    def load(cls, path: Path, params: AnnParams) -> VectorStore:
        return cls(faiss.read_index(str(path)), params)
