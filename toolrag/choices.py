"""The choices the command line offers, as ``str`` enums importable without FAISS, bm25s or
pydantic, so that ``toolrag --help`` starts fast. Each enum's home module re-exports it."""

from __future__ import annotations

from enum import StrEnum


class ToolFormat(StrEnum):
    """Supported toolset formats (``auto`` detects from the content)."""

    AUTO = "auto"
    SEAL = "seal"
    OPENAI = "openai"
    MCP = "mcp"
    OPENAPI = "openapi"
    TOOLALPACA = "toolalpaca"


class DuplicatePolicy(StrEnum):
    """What to do when two tools share a name."""

    ERROR = "error"
    KEEP_FIRST = "keep-first"


class Bm25Method(StrEnum):
    """bm25s scoring variants. ``robertson`` is rank-bm25's BM25Okapi up to the factor (k1 + 1)."""

    LUCENE = "lucene"
    ROBERTSON = "robertson"
    ATIRE = "atire"
    BM25L = "bm25l"
    BM25PLUS = "bm25+"


class AnnType(StrEnum):
    """FAISS index kinds: ``flat`` is exact; ``hnsw`` and ``ivf`` are approximate and scale to 1M+."""

    FLAT = "flat"
    HNSW = "hnsw"
    IVF = "ivf"


class Mode(StrEnum):
    """Retrieval modes."""

    BM25 = "bm25"
    DENSE = "dense"
    HYBRID = "hybrid"
