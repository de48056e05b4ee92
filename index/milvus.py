"""A tool index stored in Milvus: Milvus Lite (a local ``.db`` file) or a Milvus server/cluster.

The folder index (:class:`~toolrag.index.store.ToolIndex`) is the default on one machine. When
several servers must share one live index, or the toolset outgrows a machine, the same index
lives in Milvus and the same retrievers, fusion, query decomposition and selector run over it.

What goes in: one row per tool (its name as the key, the canonical tool as JSON, its dense
vector, and its BM25 term weights as a sparse vector), a document-frequency table beside it,
and the manifest, as a folder index writes it, in the collection's properties.

BM25 is computed with the index's own tokenizer and bm25s's Lucene formula, split in two: a
document's sparse vector holds each token's saturated term frequency (with the average length
frozen at publish), and a query's vector holds each token's count times its IDF, read from the
document-frequency table at query time. Their inner product is the bm25s score, and adding or
removing a tool changes only its own row and the table (Milvus's own BM25 function would
tokenize differently). The table also gives each token its sparse dimension, numbered as tokens
first appear, so no two tokens share one.

Readers address aliases and hold no copy of the toolset: a search returns its hits' records,
which a reader keeps in a cache numbered in the order it met them (the rows its retrievers and
the selector use). So a reader sees tools added, replaced or removed by another process at its
next query, and its memory grows with the tools it has met, not with the index.

A rebuild (:func:`publish`) writes new collections and then moves the aliases onto them, so a
reader never sees a half-written index and a failed build leaves the aliases where they were.
Updates (:meth:`MilvusToolIndex.update`) upsert and delete rows in place.

Example:
    >>> idx = publish(ToolIndex.build(tools), "./tools.db", "tools")  # doctest: +SKIP
    >>> HybridRetriever(open_index("./tools.db", "tools")).retrieve("weather", k=3)  # doctest: +SKIP
"""

from __future__ import annotations

import json
import logging
import os
import threading
import uuid
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from toolrag.choices import Bm25Method
from toolrag.errors import ConfigError, MissingPackageError, UnknownToolError
from toolrag.index.bm25 import Bm25Params
from toolrag.index.errors import IndexChangedError, IndexLoadError
from toolrag.index.store import FORMAT_NAME, FORMAT_VERSION, ToolIndex
from toolrag.index.text import tokenize, tool_text
from toolrag.types import Tool

if TYPE_CHECKING:
    from pymilvus import MilvusClient

logger = logging.getLogger(__name__)

INSTALL = 'pip install -e ".[milvus]"  (pymilvus with Milvus Lite)'
MANIFEST_PROPERTY = "toolrag.manifest"
LAYOUT = 2
"""The backend's layout: 2 = term weights in the rows, IDF at query time from the df table."""
BATCH = 1000
QUERY_WINDOW = 16_384  # the most rows one Milvus query returns
STATS = " stats"  # the df table's row with the tool count (df) and the next free dim (dim);
# no token has a space in it
EMPTY_DIM = 0  # Milvus stores no empty vector: a tool with no tokens has a zero here
DF_SUFFIX = "__df"
FIELDS = ["name", "tool", "dense", "stamp"]


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


class _Bm25Terms:
    """The two halves of the index's BM25 (bm25s's Lucene variant): a document's saturated term
    frequencies, and a token's IDF."""

    def __init__(self, params: Bm25Params, template: str, avgdl: float) -> None:
        import bm25s.scoring

        if params.method != Bm25Method.LUCENE:
            raise ConfigError(
                f"the Milvus backend scores BM25 with the lucene method, not {params.method.value}; "
                "build the index with the default BM25 settings"
            )
        self.params, self.template, self.avgdl = params, template, avgdl
        self._tfc = bm25s.scoring._select_tfc_scorer(params.method.value)
        self._idf = bm25s.scoring._select_idf_scorer(params.method.value)

    def tokens(self, tool: Tool) -> list[str]:
        return tokenize(tool_text(tool, self.template), stem=self.params.stem)

    def weights(self, tokens: list[str], dims: dict[str, int]) -> dict[int, float]:
        """A document's sparse vector: saturated term frequency by token dimension."""
        if not tokens:
            return {EMPTY_DIM: 0.0}
        counts = Counter(tokens)
        tf = np.asarray(list(counts.values()), dtype=np.float64)
        tfc = self._tfc(tf, len(tokens), self.avgdl, self.params.k1, self.params.b)
        return {dims[t]: float(w) for t, w in zip(counts, tfc, strict=True)}

    def idf(self, df: int, n_docs: int) -> float:
        return float(self._idf(df, n_docs))


DENSE_INDEXES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "FLAT": ({}, {}),
    "IVF_FLAT": ({"nlist": 1024}, {"nprobe": 32}),
    "HNSW": ({"M": 16, "efConstruction": 200}, {"ef": 128}),
}
"""Milvus index types for the dense vectors: (build parameters, search parameters). ``FLAT``
(exact) is the default; an approximate one pays off from about a million tools."""


def _create(client: MilvusClient, physical: str, dim: int, dense_index: str) -> None:
    """The tools collection and its df table (Milvus wants a vector in every collection: the
    table's is a 2-d placeholder)."""
    from pymilvus import DataType, MilvusClient

    schema = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
    schema.add_field("name", DataType.VARCHAR, is_primary=True, max_length=1024)
    schema.add_field("tool", DataType.VARCHAR, max_length=65535)
    schema.add_field("dense", DataType.FLOAT_VECTOR, dim=dim)
    schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
    schema.add_field("stamp", DataType.INT64)  # a checksum of the record: readers refetch on change
    params = client.prepare_index_params()
    build, _ = DENSE_INDEXES[dense_index]
    params.add_index("dense", index_type=dense_index, metric_type="IP", params=build)
    params.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="IP")
    client.create_collection(physical, schema=schema, index_params=params)
    schema = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
    schema.add_field("token", DataType.VARCHAR, is_primary=True, max_length=1024)
    schema.add_field("dim", DataType.INT64)
    schema.add_field("df", DataType.INT64)
    schema.add_field("placeholder", DataType.FLOAT_VECTOR, dim=2)
    params = client.prepare_index_params()
    params.add_index("placeholder", index_type="FLAT", metric_type="L2")
    client.create_collection(physical + DF_SUFFIX, schema=schema, index_params=params)


def _df_rows(table: dict[str, tuple[int, int]]) -> list[dict[str, Any]]:
    """Rows of the df table from ``{token: (dim, df)}``."""
    return [
        {"token": t, "dim": d, "df": n, "placeholder": [0.0, 0.0]} for t, (d, n) in table.items()
    ]


def publish(
    index: ToolIndex,
    uri: str,
    name: str,
    *,
    token_env: str | None = None,
    client: MilvusClient | None = None,
    dense_index: str = "FLAT",
) -> MilvusToolIndex:
    """Write ``index`` into new collections and move the aliases ``name`` (and its df table's)
    onto them.

    ``dense_index``: one of :data:`DENSE_INDEXES`, how Milvus indexes the dense vectors.

    Until the aliases move, readers keep the previous collections; if anything fails, the new
    ones are dropped and the aliases stay where they were. The previous collections are dropped
    once the aliases have moved.

    Raises:
        ConfigError: an unknown ``dense_index``, or BM25 settings the backend cannot split.
        IndexChangedError: another writer moved the alias while this one wrote (compare and
            swap at the alias: the later publish is refused, not silently lost).
    """
    if dense_index not in DENSE_INDEXES:
        raise ConfigError(
            f"dense_index must be one of {', '.join(DENSE_INDEXES)}, got {dense_index!r}"
        )
    params = Bm25Params(**_bm25_params(index.manifest))
    template = index.manifest["text_template"]["bm25"]
    terms = _Bm25Terms(params, template, 1.0)  # refuses what it cannot score before writing
    tokens = [terms.tokens(t) for t in index.tools]
    terms.avgdl = float(np.mean([len(d) for d in tokens]))
    df = Counter(t for doc in tokens for t in set(doc))
    client = client or connect(uri, token_env=token_env)
    previous = _aliased(client, name)
    dims = _dims(client, previous, sorted(df))
    physical = f"{name}__{uuid.uuid4().hex[:10]}"
    backend: dict[str, Any] = {
        "name": "milvus",
        "layout": LAYOUT,
        "collection": physical,
        "avgdl": terms.avgdl,
    }
    if dense_index != "FLAT":
        backend |= {"dense_index": dense_index, "dense_search": DENSE_INDEXES[dense_index][1]}
    manifest = index.manifest | {"backend": backend}
    manifest.pop("files", None)
    _create(client, physical, int(index.embeddings.shape[1]), dense_index)
    try:
        for start in range(0, len(index.tools), BATCH):
            rows = [
                _record(
                    index.tools[i], index.embeddings[i].tolist(), terms.weights(tokens[i], dims)
                )
                for i in range(start, min(start + BATCH, len(index.tools)))
            ]
            client.insert(physical, rows)
        table = {t: (dims[t], n) for t, n in df.items()}
        table[STATS] = (dims[STATS], len(index.tools))
        rows = _df_rows(table)
        for start in range(0, len(rows), BATCH):
            client.insert(physical + DF_SUFFIX, rows[start : start + BATCH])
        for collection in (physical, physical + DF_SUFFIX):
            client.flush(collection)  # seal the segments, so searches use their indexes
            client.load_collection(collection)
        client.alter_collection_properties(
            physical, properties={MANIFEST_PROPERTY: json.dumps(manifest)}
        )
        _expect_alias(client, name, previous, uri)
        _point(client, name + DF_SUFFIX, physical + DF_SUFFIX)
        _point(client, name, physical)
    except BaseException:
        if _aliased(client, name + DF_SUFFIX) == physical + DF_SUFFIX:  # it moved already
            if previous is not None and client.has_collection(previous + DF_SUFFIX):
                _point(client, name + DF_SUFFIX, previous + DF_SUFFIX)
            else:
                client.drop_alias(name + DF_SUFFIX)
        for collection in (physical, physical + DF_SUFFIX):
            client.drop_collection(collection)
        raise
    if previous is not None and previous != physical:
        for collection in (previous, previous + DF_SUFFIX):
            if client.has_collection(collection):  # an older layout had no df table
                client.drop_collection(collection)
    logger.info("published %d tools to %s as %r (%s)", len(index.tools), uri, name, physical)
    return MilvusToolIndex._open(client, uri, name, manifest)


def _dims(client: MilvusClient, previous: str | None, vocab: list[str]) -> dict[str, int]:
    """Sparse dimensions for ``vocab``: those of the previous build where it had the token, so
    that a reader whose two aliases point to different builds for a moment still matches
    tokens right, and new ones after its largest."""
    old: dict[str, int] = {}
    if previous is not None and client.has_collection(previous + DF_SUFFIX):
        client.load_collection(previous + DF_SUFFIX)  # released in a new Milvus Lite process
        iterator = client.query_iterator(
            previous + DF_SUFFIX, batch_size=BATCH, filter="", output_fields=["token", "dim"]
        )
        while batch := iterator.next():
            old |= {r["token"]: r["dim"] for r in batch}
        iterator.close()
    next_dim = old.pop(STATS, EMPTY_DIM + 1)
    dims = {}
    for token in vocab:
        if token in old:
            dims[token] = old[token]
        else:
            dims[token], next_dim = next_dim, next_dim + 1
    dims[STATS] = next_dim
    return dims


def _expect_alias(client: MilvusClient, name: str, read: str | None, uri: str) -> None:
    """Refuse to go on when the alias ``name`` no longer points where this writer read it."""
    now = _aliased(client, name)
    if now != read:
        raise IndexChangedError(
            f"{name!r} at {uri} was published by another writer while this one worked (it now "
            f"points to {now}, not {read}); nothing was changed. Run the command again"
        )


def _point(client: MilvusClient, alias: str, collection: str) -> None:
    if _aliased(client, alias) is None:
        client.create_alias(collection, alias)
    else:
        client.alter_alias(collection, alias)


def _aliased(client: MilvusClient, name: str) -> str | None:
    """The collection the alias ``name`` points to, or None when there is no such alias."""
    if name not in client.list_aliases().get("aliases", []):
        return None
    return client.describe_alias(name)["collection_name"]


def _bm25_params(manifest: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in manifest["bm25"].items() if k in Bm25Params.__dataclass_fields__}


def _manifest(
    client: MilvusClient, physical: str, name: str, uri: str, *, check: bool = True
) -> dict[str, Any]:
    props = client.describe_collection(physical).get("properties", {})
    if MANIFEST_PROPERTY not in props:
        raise IndexLoadError(f"{name!r} at {uri} is not a toolrag index (no manifest)")
    manifest = json.loads(props[MANIFEST_PROPERTY])
    if not check:
        return manifest
    if manifest.get("format") != FORMAT_NAME or manifest.get("format_version") != FORMAT_VERSION:
        raise IndexLoadError(
            f"{name!r} at {uri} was written in index format {manifest.get('format_version')}, "
            f"this toolrag reads {FORMAT_VERSION}; publish it again with this version"
        )
    if manifest.get("backend", {}).get("layout") != LAYOUT:
        raise IndexLoadError(
            f"{name!r} at {uri} was published by an older toolrag (Milvus layout "
            f"{manifest.get('backend', {}).get('layout', 1)}, this one reads {LAYOUT}); publish "
            "it again with `toolrag index build TOOLS... --out milvus:URI#NAME`"
        )
    return manifest


def open_index(
    uri: str,
    name: str,
    *,
    token_env: str | None = None,
    model: str | None = None,
    client: MilvusClient | None = None,
) -> MilvusToolIndex:
    """The index published as ``name`` at ``uri``, checked as a folder index is; it reads no
    tools until a query finds them.

    Raises:
        IndexLoadError: no such index, another format, or another embedding model than ``model``.
    """
    from toolrag.index.encoder import model_label

    client = client or connect(uri, token_env=token_env)
    physical = _aliased(client, name)
    if physical is None:
        raise IndexLoadError(
            f"no toolrag index named {name!r} at {uri}; publish one with "
            f"`toolrag index build TOOLS... --out milvus:{uri}#{name}`"
        )
    manifest = _manifest(client, physical, name, uri)
    if model is not None and model_label(model) != manifest["embedding"]["model"]:
        raise IndexLoadError(
            f"{name!r} at {uri} was built with the embedding model "
            f"{manifest['embedding']['model']!r}, not {model_label(model)!r}: queries must be "
            "encoded by the model that encoded the tools; omit the model or publish it again"
        )
    # a restarted Milvus (Lite: every new process) has the collections released
    for collection in (physical, physical + DF_SUFFIX):
        client.load_collection(collection)
    return MilvusToolIndex._open(client, uri, name, manifest)


def _record(tool: Tool, dense: list[float], sparse: dict[int, float]) -> dict[str, Any]:
    text = tool.model_dump_json()
    stamp = zlib.crc32(text.encode() + np.asarray(dense, dtype=np.float32).tobytes())
    return {"name": tool.name, "tool": text, "dense": dense, "sparse": sparse, "stamp": stamp}


def _in_filter(field: str, values: Iterable[str]) -> str:
    """A Milvus filter: ``field`` is one of ``values``."""
    return f"{field} in {json.dumps(list(values), ensure_ascii=False)}"


class _SparseBm25:
    """The BM25 half of a Milvus index, with :class:`~toolrag.index.bm25.Bm25Store`'s verbs
    (rows, not names)."""

    def __init__(self, owner: MilvusToolIndex) -> None:
        self.owner = owner
        manifest = owner.manifest
        backend = manifest["backend"]
        self.params = Bm25Params(**_bm25_params(manifest))
        self.terms = _Bm25Terms(self.params, manifest["text_template"]["bm25"], backend["avgdl"])

    def tokenize(self, text: str) -> list[str]:
        return tokenize(text, stem=self.params.stem)

    def _vector(self, query: str) -> dict[int, float]:
        """The query's token counts times their IDF, from the df table as it is now."""
        counts = Counter(self.tokenize(query))
        if not counts:
            return {}
        table = self.owner._df([*counts, STATS])
        _, n_docs = table.pop(STATS, (0, 0))
        return {d: counts[t] * self.terms.idf(n, n_docs) for t, (d, n) in table.items() if n > 0}

    def top_k(self, query: str, k: int) -> tuple[np.ndarray, np.ndarray]:
        vector = self._vector(query)
        if not vector:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        hits = self.owner._search([vector], "sparse", k)[0]
        kept = [(row, score) for row, score in hits if score > 0]
        rows = np.asarray([r for r, _ in kept], dtype=np.int64)
        return rows, np.asarray([s for _, s in kept], dtype=np.float32)

    def row_scores(self, query: str, rows: Sequence[int]) -> np.ndarray:
        """The BM25 scores of the tools at ``rows`` (0 where a tool has none of the words)."""
        out = np.zeros(len(rows), dtype=np.float32)
        vector = self._vector(query)
        if not vector or not len(rows):
            return out
        where = {r: i for i, r in enumerate(rows)}
        names = [self.owner.tools[r].name for r in rows]
        hits = self.owner._search(
            [vector], "sparse", len(names), where=_in_filter("name", names), fetch=False
        )[0]
        for row, score in hits:
            out[where[row]] = score
        return out


class _DenseVectors:
    """The dense half of a Milvus index, with :class:`VectorStore`'s ``search``."""

    def __init__(self, owner: MilvusToolIndex) -> None:
        self.owner = owner

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        hits = self.owner._search([q.tolist() for q in queries], "dense", k)
        scores = np.full((len(queries), k), -np.inf, dtype=np.float32)
        rows = np.full((len(queries), k), -1, dtype=np.int64)
        for i, found in enumerate(hits):
            for j, (row, score) in enumerate(found):
                rows[i, j], scores[i, j] = row, score
        return scores, rows


class MilvusToolIndex(ToolIndex):
    """A :class:`ToolIndex` whose BM25 and dense searches run in Milvus; every retriever, the
    selector and query decomposition use it as they use a folder index.

    ``tools`` and ``embeddings`` hold only the tools this view has met in hits (or asked for by
    name), numbered in that order; :meth:`all_tools` reads the whole toolset.
    """

    client: MilvusClient
    uri: str
    name: str
    _stamps: dict[str, int]
    _lock: threading.Lock

    @classmethod
    def _open(
        cls, client: MilvusClient, uri: str, name: str, manifest: dict[str, Any]
    ) -> MilvusToolIndex:
        index = cls.__new__(cls)
        dim = int(manifest["embedding"]["dimension"])
        empty = np.zeros((0, dim), dtype=np.float32)
        ToolIndex.__init__(index, [], None, None, empty, manifest)  # type: ignore[arg-type]
        index.client, index.uri, index.name = client, uri, name
        index._stamps, index._lock = {}, threading.Lock()
        index.bm25 = _SparseBm25(index)  # type: ignore[assignment]
        index.vectors = _DenseVectors(index)  # type: ignore[assignment]
        return index

    # -- the cache of met tools ------------------------------------------------------------

    def _remember(self, records: list[dict[str, Any]]) -> list[int]:
        """Rows for ``records`` (:data:`FIELDS`), refreshing the ones met before so that a
        replaced tool reads as it is now. Safe under a server's concurrent requests."""
        latest = {r["name"]: r for r in records}
        with self._lock:
            fresh = []
            for name, record in latest.items():
                tool = Tool.model_validate_json(record["tool"])
                row = self._row.get(name)
                if row is None:
                    self._row[name] = len(self.tools)
                    self.tools.append(tool)
                    fresh.append(record["dense"])
                else:
                    self.tools[row] = tool
                    self.embeddings[row] = record["dense"]
                self._stamps[name] = record["stamp"]
            if fresh:
                grown = np.asarray(fresh, dtype=np.float32)
                self.embeddings = np.vstack([self.embeddings, grown])
            return [self._row[r["name"]] for r in records]

    def row(self, name: str) -> int:
        """The row of the tool called ``name``, read from Milvus when this view has not met it.

        Raises:
            KeyError: no such tool in the index.
        """
        if name not in self._row:
            records = self.client.get(self.name, ids=[name], output_fields=FIELDS)
            if not records:
                raise KeyError(name)
            self._remember(list(records))
        return self._row[name]

    def tool(self, name: str) -> Tool:
        """The tool called ``name`` as the index holds it now (read from Milvus).

        Raises:
            UnknownToolError: no such tool in the index.
        """
        records = self.client.get(self.name, ids=[name], output_fields=FIELDS)
        if not records:
            raise UnknownToolError(f"no tool named {name!r} in the Milvus index {self.name!r}")
        return self.tools[self._remember(list(records))[0]]

    def __len__(self) -> int:
        return self._df([STATS]).get(STATS, (0, 0))[1]

    def all_tools(self) -> list[Tool]:
        """Every tool in the index, read from Milvus (the whole collection: costly at scale)."""
        records = []
        iterator = self.client.query_iterator(
            self.name, batch_size=BATCH, filter="", output_fields=FIELDS
        )
        while batch := iterator.next():
            records.extend(batch)
        iterator.close()
        return [self.tools[r] for r in self._remember(records)]

    # -- searching ---------------------------------------------------------------------------

    def _df(self, tokens: list[str]) -> dict[str, tuple[int, int]]:
        """``{token: (dim, df)}`` for those of ``tokens`` in the df table."""
        out = {}
        for start in range(0, len(tokens), BATCH):
            found = self.client.query(
                self.name + DF_SUFFIX,
                filter=_in_filter("token", tokens[start : start + BATCH]),
                output_fields=["token", "dim", "df"],
            )
            out |= {r["token"]: (r["dim"], r["df"]) for r in found}
        return out

    def _search(
        self, data: list[Any], field: str, k: int, *, where: str = "", fetch: bool = True
    ) -> list[list[tuple[int, float]]]:
        """Rows and scores of each query's hits; ``fetch`` reads (and caches) the records of
        hits not met before or changed since, else only hits already met are returned."""
        params = self.manifest["backend"].get("dense_search", {}) if field == "dense" else {}
        results = self.client.search(
            self.name,
            data=data,
            anns_field=field,
            limit=k,
            filter=where,
            output_fields=["name", "stamp"],
            search_params={"metric_type": "IP", "params": params},
        )
        if fetch:  # one read for the hits not met or changed (one removed meanwhile is skipped)
            stale = {
                h["entity"]["name"]
                for hits in results
                for h in hits
                if h["entity"]["name"] not in self._row
                or self._stamps.get(h["entity"]["name"]) != h["entity"]["stamp"]
            }
            if stale:
                records = self.client.get(self.name, ids=sorted(stale), output_fields=FIELDS)
                self._remember(list(records))
        out = []
        for hits in results:
            rows = [self._row.get(h["entity"]["name"], -1) for h in hits]
            out.append(
                [(r, float(h["distance"])) for r, h in zip(rows, hits, strict=True) if r >= 0]
            )
        return out

    # -- updating ----------------------------------------------------------------------------

    def update(self, add: Iterable[Tool] = (), remove: Iterable[str] = ()) -> MilvusToolIndex:
        """Add (or replace, by name) and remove tools in place: their rows are upserted or
        deleted and the df table adjusted; only tools whose text changed are encoded. Readers
        see the change at their next query. The average document length stays as published
        (publish again to renew it).

        Raises:
            ConfigError: removing a name that is not in the index.
            IndexChangedError: the index was published again since this view opened it.
        """
        from toolrag.index.encoder import encode

        _expect_alias(self.client, self.name, self.manifest["backend"].get("collection"), self.uri)
        add, remove = list({t.name: t for t in add}.values()), set(remove)
        readded = {t.name for t in add}
        touched = sorted(remove | readded)
        records = self.client.get(self.name, ids=touched, output_fields=FIELDS) if touched else []
        old = {r["name"]: (Tool.model_validate_json(r["tool"]), r["dense"]) for r in records}
        missing = sorted(remove - set(old))
        if missing:
            raise ConfigError(f"cannot remove tools not in the index: {missing[:10]}")
        template = self.manifest["text_template"]["dense"]
        texts = [tool_text(t, template) for t in add]
        reuse = {tool_text(tool, template): dense for tool, dense in old.values()}
        todo = [text for text in dict.fromkeys(texts) if text not in reuse]
        if todo:
            reuse |= dict(zip(todo, encode(self.encoder, todo).tolist(), strict=True))
        terms = self.bm25.terms
        removed = remove - readded
        delta: Counter[str] = Counter()
        for tool, _ in old.values():
            delta.subtract(set(terms.tokens(tool)))
        words = [terms.tokens(t) for t in add]
        for doc in words:
            delta.update(set(doc))
        delta[STATS] += len(readded - set(old)) - len(removed)
        # the df table first: a crash before the rows are written leaves counts a little high,
        # never a row whose token has no dimension
        dims = self._adjust_df(delta)
        rows = [
            _record(t, reuse[text], terms.weights(doc, dims))
            for t, text, doc in zip(add, texts, words, strict=True)
        ]
        self._write_rows(rows, removed)
        self.manifest["last_build"] = {"encoded": len(todo), "reused": len(add) - len(todo)}
        logger.info("updated %s: %d tools upserted, %d removed", self.name, len(add), len(remove))
        return self

    def _write_rows(self, rows: list[dict[str, Any]], removed: set[str]) -> None:
        for start in range(0, len(rows), BATCH):
            self.client.upsert(self.name, rows[start : start + BATCH])
        if removed:
            self.client.delete(self.name, ids=sorted(removed))
            for name in removed:
                self._row.pop(name, None)  # its cached row stays, unreachable by name
                self._stamps.pop(name, None)
        self.client.flush(self.name)

    def _adjust_df(self, delta: Counter[str]) -> dict[str, int]:
        """Add ``delta`` to the df table (new tokens get the next free dimensions; a token
        whose count reaches 0 leaves) and return every touched token's dimension."""
        table = self.name + DF_SUFFIX
        now = self._df([*delta, STATS])
        next_dim, n_docs = now.pop(STATS)
        dims, rows, gone = {}, {}, []
        for token, change in delta.items():
            if token == STATS:
                continue
            dim, count = now.get(token, (None, 0))
            if dim is None:
                dim, next_dim = next_dim, next_dim + 1
            dims[token] = dim
            if count + change > 0:
                rows[token] = (dim, count + change)
            elif token in now:
                gone.append(token)
        rows[STATS] = (next_dim, n_docs + delta[STATS])
        records = _df_rows(rows)
        for start in range(0, len(records), BATCH):
            self.client.upsert(table, records[start : start + BATCH])
        for start in range(0, len(gone), BATCH):
            self.client.delete(table, ids=gone[start : start + BATCH])
        self.client.flush(table)
        return dims

    def refresh(self) -> MilvusToolIndex:
        """A fresh view of the index as the alias now points to it (another manifest, after
        another process published it again)."""
        return open_index(self.uri, self.name, client=self.client)

    def save(self, path: Any) -> Any:
        raise ConfigError(
            "a Milvus index lives in Milvus: change it with MilvusToolIndex.update or publish, "
            "or copy it to a folder with ToolIndex.build(index.all_tools())"
        )

    def updated(self, add: Iterable[Tool] = (), remove: Iterable[str] = ()) -> ToolIndex:
        raise ConfigError(
            "a Milvus index is updated in place: use MilvusToolIndex.update(add=..., remove=...)"
        )
