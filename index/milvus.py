"""A tool index stored in Milvus: Milvus Lite (a local ``.db`` file) or a Milvus server/cluster.

The folder index (:class:`~toolrag.index.store.ToolIndex`) is the default on one machine. When
several servers must share one live index, or the toolset outgrows a machine, the same index
lives in Milvus and the same retrievers, fusion, query decomposition and selector run over it.

What goes in: one row per tool (its name as the key, the canonical tool as JSON, its dense
vector, and its BM25 weights as a sparse vector); the manifest, as a folder index writes it, in
the collection's properties. BM25 is computed on the client with the index's own tokenizer and
bm25s parameters and searched as a sparse inner product: a document's vector holds its
per-token BM25 weights and a query's vector its token counts, so Milvus returns exactly the
scores bm25s gives (Milvus's own BM25 function would tokenize differently). Tokens are mapped
to sparse dimensions by a salted 32-bit hash chosen so that the indexed vocabulary has no
collisions.

Readers address an alias. A build writes a new collection and then moves the alias onto it, so
a reader never sees a half-written index, and a failed build leaves the alias where it was.
Updates (``add``/``remove``) are rebuilds of the same kind: BM25 weights depend on the whole
collection.

Example:
    >>> idx = publish(ToolIndex.build(tools), "./tools.db", "tools")  # doctest: +SKIP
    >>> HybridRetriever(open_index("./tools.db", "tools")).retrieve("weather", k=3)  # doctest: +SKIP
"""

from __future__ import annotations

import json
import logging
import os
import uuid
import zlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np

from toolrag.errors import ConfigError, MissingPackageError
from toolrag.index.bm25 import Bm25Params, Bm25Store
from toolrag.index.errors import IndexLoadError
from toolrag.index.store import FORMAT_NAME, FORMAT_VERSION, ToolIndex
from toolrag.types import Tool

if TYPE_CHECKING:
    from pymilvus import MilvusClient

logger = logging.getLogger(__name__)

INSTALL = 'pip install -e ".[milvus]"  (pymilvus with Milvus Lite)'
MANIFEST_PROPERTY = "toolrag.manifest"
BATCH = 1000
MAX_SALTS = 64
QUERY_WINDOW = 16_384  # the most rows one Milvus query returns


def connect(uri: str, *, token_env: str | None = None, timeout: float = 5.0) -> MilvusClient:
    """A client for ``uri``: a Milvus Lite file (``./tools.db``) or a server (``http://HOST:19530``).

    ``token_env`` names an environment variable holding the server's token (never the token
    itself, which would show in ``ps``).

    Raises:
        MissingPackageError: pymilvus is not installed.
        ConfigError: the token variable is unset, or Milvus does not answer within ``timeout``.
    """
    try:
        from pymilvus import MilvusClient
    except ImportError:
        raise MissingPackageError(f"the Milvus backend needs pymilvus: {INSTALL}") from None
    token = ""
    if token_env:
        token = os.environ.get(token_env, "")
        if not token:
            raise ConfigError(f"the environment variable {token_env} (the Milvus token) is not set")
    try:
        return MilvusClient(uri=uri, token=token, timeout=timeout)
    except Exception as err:  # grpc, network and Lite start-up errors all mean the same here
        raise ConfigError(
            f"cannot reach Milvus at {uri!r} within {timeout:.0f} s ({type(err).__name__}: "
            f"{str(err)[:200]}); check the URI (a Lite file ends in .db) and that the server runs"
        ) from None


def token_id(token: str, salt: int) -> int:
    """The sparse dimension of a BM25 token: a salted CRC32."""
    return zlib.crc32(f"{salt}:{token}".encode())


def _collision_free_salt(vocab: Iterable[str]) -> int:
    words = list(vocab)
    for salt in range(MAX_SALTS):
        if len({token_id(w, salt) for w in words}) == len(words):
            return salt
    raise ConfigError(  # pragma: no cover - 64 colliding salts do not happen for real vocabularies
        f"no collision-free token hash for {len(words)} BM25 tokens"
    )


class _SparseRows:
    """Each document's BM25 weights by token dimension, row by row (bm25s keeps them
    column-wise; one CSR copy of the weights instead of a dict per document)."""

    def __init__(self, bm25: Bm25Store, salt: int) -> None:
        from scipy.sparse import csc_matrix

        scores = bm25.engine.scores
        vocab = bm25.engine.vocab_dict
        shape = (bm25.n_docs, len(scores["indptr"]) - 1)
        self.matrix = csc_matrix(
            (scores["data"], scores["indices"], scores["indptr"]), shape=shape
        ).tocsr()
        self.dims = np.zeros(max(shape[1], len(vocab)), dtype=np.int64)
        for token, column in vocab.items():
            self.dims[column] = token_id(token, salt)
        self.empty = {token_id("", salt): 0.0}

    def __getitem__(self, row: int) -> dict[int, float]:
        start, stop = self.matrix.indptr[row], self.matrix.indptr[row + 1]
        columns, weights = self.matrix.indices[start:stop], self.matrix.data[start:stop]
        return dict(zip(self.dims[columns].tolist(), weights.tolist(), strict=True)) or self.empty


DENSE_INDEXES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "FLAT": ({}, {}),
    "IVF_FLAT": ({"nlist": 1024}, {"nprobe": 32}),
    "HNSW": ({"M": 16, "efConstruction": 200}, {"ef": 128}),
}
"""Milvus index types for the dense vectors: (build parameters, search parameters). ``FLAT``
(exact) is the default; an approximate one pays off from about a million tools."""


def publish(
    index: ToolIndex,
    uri: str,
    name: str,
    *,
    token_env: str | None = None,
    client: MilvusClient | None = None,
    dense_index: str = "FLAT",
) -> MilvusToolIndex:
    """Write ``index`` into a new collection and move the alias ``name`` onto it.

    ``dense_index``: one of :data:`DENSE_INDEXES`, how Milvus indexes the dense vectors.

    Until the alias moves, readers keep the previous collection; if anything fails, the new
    collection is dropped and the alias stays where it was. The previous collection is dropped
    once the alias has moved.
    """
    from pymilvus import DataType, MilvusClient

    if dense_index not in DENSE_INDEXES:
        raise ConfigError(
            f"dense_index must be one of {', '.join(DENSE_INDEXES)}, got {dense_index!r}"
        )
    client = client or connect(uri, token_env=token_env)
    salt = _collision_free_salt(index.bm25.engine.vocab_dict)
    physical = f"{name}__{uuid.uuid4().hex[:10]}"
    schema = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
    schema.add_field("name", DataType.VARCHAR, is_primary=True, max_length=1024)
    schema.add_field("tool", DataType.VARCHAR, max_length=65535)
    schema.add_field("dense", DataType.FLOAT_VECTOR, dim=int(index.embeddings.shape[1]))
    schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
    params = client.prepare_index_params()
    build, search = DENSE_INDEXES[dense_index]
    params.add_index("dense", index_type=dense_index, metric_type="IP", params=build)
    params.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="IP")
    backend = {"name": "milvus", "collection": physical, "salt": salt}
    if dense_index != "FLAT":
        backend |= {"dense_index": dense_index, "dense_search": search}
    manifest = index.manifest | {"backend": backend}
    manifest.pop("files", None)
    client.create_collection(physical, schema=schema, index_params=params)
    try:
        sparse = _SparseRows(index.bm25, salt)
        for start in range(0, len(index.tools), BATCH):
            rows = [
                {
                    "name": tool.name,
                    "tool": tool.model_dump_json(),
                    "dense": index.embeddings[i].tolist(),
                    "sparse": sparse[i],
                }
                for i, tool in enumerate(index.tools[start : start + BATCH], start=start)
            ]
            client.insert(physical, rows)
        client.flush(physical)  # seal the segments, so searches use their indexes
        client.alter_collection_properties(
            physical, properties={MANIFEST_PROPERTY: json.dumps(manifest)}
        )
        client.load_collection(physical)
        previous = _aliased(client, name)
        if previous is None:
            client.create_alias(physical, name)
        else:
            client.alter_alias(physical, name)
    except BaseException:
        client.drop_collection(physical)
        raise
    if previous is not None and previous != physical:
        client.drop_collection(previous)
    logger.info("published %d tools to %s as %r (%s)", len(index.tools), uri, name, physical)
    return MilvusToolIndex._from_parts(client, uri, name, index.tools, index.embeddings, manifest)


def _aliased(client: MilvusClient, name: str) -> str | None:
    """The collection the alias ``name`` points to, or None when there is no such alias."""
    if name not in client.list_aliases().get("aliases", []):
        return None
    return client.describe_alias(name)["collection_name"]


def open_index(
    uri: str,
    name: str,
    *,
    token_env: str | None = None,
    model: str | None = None,
    client: MilvusClient | None = None,
) -> MilvusToolIndex:
    """The index published as ``name`` at ``uri``, checked as a folder index is.

    Raises:
        IndexLoadError: no such index, another format, or another embedding model than ``model``.
    """
    from toolrag.index.encoder import model_label

    client = client or connect(uri, token_env=token_env)
    physical = _aliased(client, name)
    if physical is None:
        raise IndexLoadError(
            f"no toolrag index named {name!r} at {uri}; publish one with "
            f"`toolrag index build TOOLS... --backend milvus --uri {uri} --collection {name}`"
        )
    client.load_collection(physical)  # a restarted Milvus (Lite: every new process) has it released
    props = client.describe_collection(physical).get("properties", {})
    if MANIFEST_PROPERTY not in props:
        raise IndexLoadError(f"{name!r} at {uri} is not a toolrag index (no manifest)")
    manifest = json.loads(props[MANIFEST_PROPERTY])
    if manifest.get("format") != FORMAT_NAME or manifest.get("format_version") != FORMAT_VERSION:
        raise IndexLoadError(
            f"{name!r} at {uri} was written in index format {manifest.get('format_version')}, "
            f"this toolrag reads {FORMAT_VERSION}; publish it again with this version"
        )
    if model is not None and model_label(model) != manifest["embedding"]["model"]:
        raise IndexLoadError(
            f"{name!r} at {uri} was built with the embedding model "
            f"{manifest['embedding']['model']!r}, not {model_label(model)!r}: queries must be "
            "encoded by the model that encoded the tools; omit the model or publish it again"
        )
    fields = ["name", "tool", "dense"]
    if manifest["tool_count"] <= QUERY_WINDOW:  # one query; Lite lacks what iterators ask first
        records = client.query(physical, filter="", limit=QUERY_WINDOW, output_fields=fields)
    else:
        records = []
        iterator = client.query_iterator(
            physical, batch_size=BATCH, filter="", output_fields=fields
        )
        while batch := iterator.next():
            records.extend(batch)
        iterator.close()
    if len(records) != manifest["tool_count"]:
        raise IndexLoadError(
            f"{name!r} at {uri} holds {len(records)} tools, its manifest says "
            f"{manifest['tool_count']}; publish it again"
        )
    tools = [Tool.model_validate_json(r["tool"]) for r in records]
    embeddings = np.asarray([r["dense"] for r in records], dtype=np.float32)
    return MilvusToolIndex._from_parts(client, uri, name, tools, embeddings, manifest)


class _SparseBm25:
    """The BM25 half of a Milvus index, with :class:`Bm25Store`'s verbs (rows, not names)."""

    def __init__(self, owner: MilvusToolIndex, params: Bm25Params, salt: int) -> None:
        self.owner, self.params, self.salt = owner, params, salt
        self.n_docs = len(owner.tools)

    def _vector(self, query: str) -> dict[int, float]:
        from toolrag.index.text import tokenize

        counts: dict[int, float] = {}
        for token in tokenize(query, stem=self.params.stem):
            dim = token_id(token, self.salt)
            counts[dim] = counts.get(dim, 0.0) + 1.0
        return counts

    def top_k(self, query: str, k: int) -> tuple[np.ndarray, np.ndarray]:
        vector = self._vector(query)
        if not vector:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        hits = self.owner._search([vector], "sparse", min(k, self.n_docs))[0]
        kept = [(row, score) for row, score in hits if score > 0]
        rows = np.asarray([r for r, _ in kept], dtype=np.int64)
        return rows, np.asarray([s for _, s in kept], dtype=np.float32)

    def scores(self, query: str) -> np.ndarray:
        """Every document's BM25 score (as :meth:`Bm25Store.scores`)."""
        out = np.zeros(self.n_docs, dtype=np.float32)
        rows, scores = self.top_k(query, min(self.n_docs, QUERY_WINDOW))
        out[rows] = scores
        return out


class _DenseVectors:
    """The dense half of a Milvus index, with :class:`VectorStore`'s ``search``."""

    def __init__(self, owner: MilvusToolIndex) -> None:
        self.owner = owner
        self.size = len(owner.tools)

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        k = min(k, self.size)
        hits = self.owner._search([q.tolist() for q in queries], "dense", k)
        scores = np.full((len(queries), k), -np.inf, dtype=np.float32)
        rows = np.full((len(queries), k), -1, dtype=np.int64)
        for i, found in enumerate(hits):
            for j, (row, score) in enumerate(found):
                rows[i, j], scores[i, j] = row, score
        return scores, rows


class MilvusToolIndex(ToolIndex):
    """A :class:`ToolIndex` whose BM25 and dense searches run in Milvus; every retriever, the
    selector and query decomposition use it as they use a folder index."""

    client: MilvusClient
    uri: str
    name: str

    @classmethod
    def _from_parts(
        cls,
        client: MilvusClient,
        uri: str,
        name: str,
        tools: list[Tool],
        embeddings: np.ndarray,
        manifest: dict[str, Any],
    ) -> MilvusToolIndex:
        index = cls.__new__(cls)
        ToolIndex.__init__(index, tools, None, None, embeddings, manifest)  # type: ignore[arg-type]
        index.client, index.uri, index.name = client, uri, name
        bm25_params = {
            k: v for k, v in manifest["bm25"].items() if k in Bm25Params.__dataclass_fields__
        }
        index.bm25 = _SparseBm25(index, Bm25Params(**bm25_params), manifest["backend"]["salt"])  # type: ignore[assignment]
        index.vectors = _DenseVectors(index)  # type: ignore[assignment]
        return index

    def _search(self, data: list[Any], field: str, k: int) -> list[list[tuple[int, float]]]:
        results = self.client.search(
            self.name,
            data=data,
            anns_field=field,
            limit=k,
            output_fields=["name"],
            search_params={
                "metric_type": "IP",
                "params": self.manifest["backend"].get("dense_search", {})
                if field == "dense"
                else {},
            },
        )
        # a tool published after this view was opened is not in it: skipped until refresh()
        return [
            [
                (self._row[n], float(h["distance"]))
                for h in hits
                if (n := h["entity"]["name"]) in self._row
            ]
            for hits in results
        ]

    def refresh(self) -> MilvusToolIndex:
        """The index as the alias now points to it (after another process republished it)."""
        return open_index(self.uri, self.name, client=self.client)

    def save(self, path: Any) -> Any:
        raise ConfigError(
            "a Milvus index lives in Milvus: publish changes with toolrag.index.milvus.publish, "
            "or copy it to a folder with ToolIndex.build(index.tools)"
        )

    def republished(self, add: Iterable[Tool] = (), remove: Iterable[str] = ()) -> MilvusToolIndex:
        """Add (or replace, by name) and remove tools, re-encoding only changed ones: the
        updated index is published as a new collection and the alias moves onto it (BM25
        weights depend on the whole toolset)."""
        updated = ToolIndex.updated(self, add=add, remove=remove)
        dense_index = self.manifest["backend"].get("dense_index", "FLAT")
        return publish(updated, self.uri, self.name, client=self.client, dense_index=dense_index)
