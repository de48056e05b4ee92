"""The BM25 part of an index, on bm25s (sparse-matrix BM25; rank-bm25 is the test reference).

bm25s precomputes every (term, document) score at index time, so a query is a sparse row sum,
far faster than rank-bm25 on the same tokens (benchmarks/results/speed.md).
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from pathlib import Path

import bm25s
import numpy as np

from toolrag.choices import Bm25Method
from toolrag.errors import ConfigError
from toolrag.index.text import tokenize

logger = logging.getLogger(__name__)
logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every build at DEBUG otherwise


@dataclass(frozen=True)
class Bm25Params:
    """BM25 settings stored in the manifest; defaults chosen on dev.jsonl (benchmarks/results/fusion_dev.md).

    Attributes:
        k1: term-frequency saturation.
        b: document-length normalisation.
        method: bm25s scoring variant.
        stem: Snowball-stem tokens (English).
    """

    k1: float = 1.5
    b: float = 1.0
    method: Bm25Method = Bm25Method.LUCENE
    stem: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "method", Bm25Method(self.method))
        if self.k1 < 0 or not 0 <= self.b <= 1:
            raise ConfigError(f"BM25 needs k1 >= 0 and 0 <= b <= 1, got k1={self.k1}, b={self.b}")

    def to_dict(self) -> dict:
        return asdict(self) | {"method": self.method.value, "tokenizer": "toolrag.tokenize/v1"}


class Bm25Store:
    """A bm25s index over tool texts, addressed by row number."""

    def __init__(self, engine: bm25s.BM25, params: Bm25Params, n_docs: int) -> None:
        self.engine = engine
        self.params = params
        self.n_docs = n_docs

    @classmethod
    def build(cls, texts: list[str], params: Bm25Params | None = None) -> Bm25Store:
        params = params or Bm25Params()
        engine = bm25s.BM25(k1=params.k1, b=params.b, method=params.method.value)
        corpus = [tokenize(t, stem=params.stem) for t in texts]
        engine.index(corpus, show_progress=False)
        return cls(engine, params, len(texts))

    def tokenize(self, text: str) -> list[str]:
        return tokenize(text, stem=self.params.stem)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every document for ``query`` (shape ``[n_docs]``)."""
        tokens = [t for t in self.tokenize(query) if t in self.engine.vocab_dict]
        if not tokens:
            return np.zeros(self.n_docs, dtype=np.float32)
        return self.engine.get_scores(tokens)

    def row_scores(self, query: str, rows: np.ndarray | list[int]) -> np.ndarray:
        """BM25 scores of the documents at ``rows`` for ``query``."""
        return self.scores(query)[rows]

    def top_k(self, query: str, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Rows and scores of the ``k`` best documents, best first; zero-score rows are dropped."""
        scores = self.scores(query)
        k = min(k, self.n_docs)
        rows = np.argpartition(-scores, k - 1)[:k] if k < self.n_docs else np.arange(self.n_docs)
        rows = rows[np.argsort(-scores[rows], kind="stable")]
        keep = scores[rows] > 0
        return rows[keep], scores[rows][keep]

    def save(self, folder: Path) -> list[Path]:
        """Write the bm25s arrays (``.npy``, no pickle) and vocabulary; return the files written."""
        folder.mkdir(parents=True, exist_ok=True)
        self.engine.save(str(folder), allow_pickle=False, show_progress=False)
        return sorted(p for p in folder.iterdir() if p.is_file())

    @classmethod
    def load(cls, folder: Path, params: Bm25Params, n_docs: int) -> Bm25Store:
        engine = bm25s.BM25.load(str(folder), mmap=False, allow_pickle=False, load_corpus=False)
        return cls(engine, params, n_docs)
