"""A persisted tool index: one folder with the tools, a BM25 index, a FAISS index and a manifest.

Layout::

    DIR/
      manifest.json      format version, counts, templates, model + checksum, params, file checksums
      tools.jsonl        canonical tools, one per line, in row order
      embeddings.npy     float32 [n_tools, dim], L2-normalised (reused by add/remove: no re-encoding)
      dense.faiss        FAISS index over the embeddings
      bm25/              bm25s arrays (.npy, no pickle) and vocabulary (.json)

Writes are atomic: a new index is written to a hidden sibling folder and swapped in by rename, so
an interrupted build or update leaves the previous index as it was. Writers take turns
(:func:`toolrag.index.lock.writer_lock`), and a writer that read the index refuses to publish
over a version it did not read (compare-and-swap on the manifest's checksum), so no update is
lost even by a writer that skipped the lock. Readers never wait: they load whichever whole index
the last swap left, and load again if a swap happened while they read.

Example:
    >>> idx = ToolIndex.build(load_toolset("tools.jsonl"))  # doctest: +SKIP
    >>> idx.save("my-index")  # doctest: +SKIP
    >>> ToolIndex.load("my-index").tools[0].name  # doctest: +SKIP
"""

from __future__ import annotations

import ctypes
import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import time
import uuid
from collections.abc import Iterable, Sequence
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from toolrag.cache import file_sha256
from toolrag.errors import ConfigError, UnknownToolError
from toolrag.index.bm25 import Bm25Params, Bm25Store
from toolrag.index.encoder import (
    encode,
    load_encoder,
    model_label,
    query_model_for,
    recommended_fusion,
    use_query_model,
    weight_checksum,
)
from toolrag.index.errors import IndexBusyError, IndexChangedError, IndexLoadError
from toolrag.index.light_encoder import document_encoder
from toolrag.index.lock import DEFAULT_TIMEOUT, writer_lock
from toolrag.index.text import TextTemplate, tool_text
from toolrag.index.vectors import AnnParams, VectorStore
from toolrag.types import Tool

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

logger = logging.getLogger(__name__)

FORMAT_NAME = "toolrag-index"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
TOOLS_FILE = "tools.jsonl"
EMBEDDINGS_FILE = "embeddings.npy"
FAISS_FILE = "dense.faiss"
BM25_DIR = "bm25"

DEFAULT_BM25_TEMPLATE = TextTemplate.FULL
DEFAULT_DENSE_TEMPLATE = TextTemplate.NAME_DESC_PARAMS


def _versions() -> dict[str, str]:
    out = {}
    for dist in ("toolrag", "faiss-cpu", "bm25s", "sentence-transformers", "torch", "numpy"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "not installed"
    return out


class ToolIndex:
    """Tools plus their BM25 and dense indexes, built once and loaded many times.

    Attributes:
        tools: tools in row order; BM25 and FAISS rows refer to this order.
        bm25: the sparse index.
        vectors: the FAISS index.
        embeddings: ``[n_tools, dim]`` float32, kept so updates never re-encode unchanged tools.
        model_name: the embedding model as recorded in the manifest.
        manifest: the manifest as loaded or as it will be written.
    """

    def __init__(
        self,
        tools: list[Tool],
        bm25: Bm25Store,
        vectors: VectorStore,
        embeddings: np.ndarray,
        manifest: dict[str, Any],
        encoder: SentenceTransformer | None = None,
    ) -> None:
        self.tools = tools
        self.bm25 = bm25
        self.vectors = vectors
        self.embeddings = embeddings
        self.manifest = manifest
        self._encoder = encoder
        self._query_encoder: SentenceTransformer | None = None
        self._fast_encoder: Any = None
        self._row = {t.name: i for i, t in enumerate(tools)}
        self._base: tuple[Path, str] | None = None  # (folder, manifest sha256) it was read from

    # -- building ---------------------------------------------------------------------------

    @classmethod
    def build(
        cls,
        tools: Sequence[Tool],
        *,
        model: str | None = None,
        ann: AnnParams | None = None,
        bm25: Bm25Params | None = None,
        bm25_template: TextTemplate | str = DEFAULT_BM25_TEMPLATE,
        dense_template: TextTemplate | str = DEFAULT_DENSE_TEMPLATE,
        batch_size: int = 64,
        progress: bool = False,
        reuse: dict[str, np.ndarray] | None = None,
        query_model: str | None = None,
    ) -> ToolIndex:
        """Encode and index ``tools``.

        Args:
            tools: the toolset; names must be unique.
            model: sentence-transformers hub id or folder, or an alias
                (:func:`toolrag.index.encoder.resolve_model`); ``None`` is the shipped fine-tuned
                retriever, ``"minilm"`` the packaged untrained MiniLM.
            ann: FAISS settings (flat by default).
            bm25: BM25 settings.
            bm25_template: which tool fields BM25 indexes.
            dense_template: which tool fields the embedder encodes.
            batch_size: encoding batch size.
            progress: show an encoding progress bar.
            reuse: embeddings by dense text, from an earlier index; those texts are not encoded.
            query_model: a shallower encoder for queries only, distilled from ``model`` by
                ``toolrag train query-encoder``; ``None`` (or ``"full"``) encodes queries with
                ``model`` itself.

        Raises:
            ValueError: empty toolset, duplicate names, or a query model not distilled from
                ``model``.
        """
        tools = list(tools)
        if not tools:
            raise ConfigError("cannot build an index with no tools; pass a non-empty toolset")
        names = [t.name for t in tools]
        if len(set(names)) != len(names):
            dupes = sorted({n for n in names if names.count(n) > 1})[:5]
            raise ConfigError(f"duplicate tool names {dupes}; tool names must be unique")
        ann = ann or AnnParams()
        bm25 = bm25 or Bm25Params()
        bm25_template, dense_template = TextTemplate(bm25_template), TextTemplate(dense_template)
        encoder = document_encoder(model)

        dense_texts = [tool_text(t, dense_template) for t in tools]
        reuse = reuse or {}
        todo = [i for i, text in enumerate(dense_texts) if text not in reuse]
        fresh = encoder.encode(
            [dense_texts[i] for i in todo], batch_size=batch_size, progress=progress
        )
        dim = encoder.dimension
        embeddings = np.empty((len(tools), dim), dtype=np.float32)
        fresh_rows = dict(zip(todo, fresh, strict=True))
        for i, text in enumerate(dense_texts):
            embeddings[i] = fresh_rows[i] if i in fresh_rows else reuse[text]
        logger.info("encoded %d tools, reused %d embeddings", len(todo), len(tools) - len(todo))

        checksum = encoder.checksum
        student = query_model_for(query_model, checksum)
        store = Bm25Store.build([tool_text(t, bm25_template) for t in tools], bm25)
        vectors = VectorStore.build(embeddings, ann)
        manifest = {
            "format": FORMAT_NAME,
            "format_version": FORMAT_VERSION,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "tool_count": len(tools),
            "text_template": {"bm25": bm25_template.value, "dense": dense_template.value},
            "embedding": {
                "model": model_label(model),
                "checksum": checksum,
                "dimension": dim,
                "normalized": True,
                "max_seq_length": encoder.max_seq_length,
            },
            "faiss": ann.to_dict() | {"index_type": type(vectors.index).__name__},
            "bm25": bm25.to_dict(),
            "hybrid": recommended_fusion(model),
            "libraries": _versions(),
            "last_build": {"encoded": len(todo), "reused": len(tools) - len(todo)},
            "revision": 1,
        }
        if student is not None:
            query_encoder = load_encoder(student)
            manifest["embedding"]["query_model"] = {
                "model": model_label(student),
                "checksum": weight_checksum(query_encoder),
                "layers": int(query_encoder[0].auto_model.config.num_hidden_layers),
            }
        return cls(tools, store, vectors, embeddings, manifest, encoder.model)

    def updated(self, add: Iterable[Tool] = (), remove: Iterable[str] = ()) -> ToolIndex:
        """A new index with tools added (or replaced, by name) and removed, re-encoding only tools
        whose text changed.

        Raises:
            ValueError: removing a name that is not in the index.
        """
        remove = set(remove)
        missing = sorted(remove - set(self._row))
        if missing:
            raise ConfigError(f"cannot remove tools not in the index: {missing[:10]}")
        merged = {t.name: t for t in self.tools if t.name not in remove}
        merged.update((t.name, t) for t in add)
        template = self.manifest["text_template"]["dense"]
        reuse = {tool_text(t, template): self.embeddings[i] for i, t in enumerate(self.tools)}
        new = ToolIndex.build(
            list(merged.values()),
            model=self._model_arg(),
            ann=AnnParams(**_params(self.manifest["faiss"], AnnParams)),
            bm25=Bm25Params(**_params(self.manifest["bm25"], Bm25Params)),
            bm25_template=self.manifest["text_template"]["bm25"],
            dense_template=template,
            reuse=reuse,
            query_model=self._query_model_arg(),
        )
        new._base = self._base  # saving it back publishes only over the version read here
        new.manifest["revision"] = int(self.manifest.get("revision", 1)) + 1
        return new

    # -- querying helpers --------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.tools)

    def all_tools(self) -> list[Tool]:
        """Every tool in the index, in row order."""
        return list(self.tools)

    def row(self, name: str) -> int:
        return self._row[name]

    def tool(self, name: str) -> Tool:
        """The tool called ``name``; a ``KeyError`` with the index size when there is none."""
        try:
            return self.tools[self._row[name]]
        except KeyError:
            raise UnknownToolError(
                f"no tool named {name!r} in this index ({len(self)} tools)"
            ) from None

    @property
    def encoder(self) -> SentenceTransformer:
        """The query encoder, loaded on first use and checked against the manifest."""
        if self._encoder is None:
            encoder = load_encoder(self._model_arg())
            expected = self.manifest["embedding"]["checksum"]
            if weight_checksum(encoder) != expected:
                raise IndexLoadError(
                    f"the embedding model {self.manifest['embedding']['model']!r} has changed since "
                    "this index was built (weight checksum differs); rebuild the index with "
                    "`toolrag index build ... --model <the model you want>`"
                )
            self._encoder = encoder
        return self._encoder

    @property
    def query_encoder(self) -> SentenceTransformer:
        """The model that encodes queries: the index's distilled query encoder when the manifest
        names one (unless ``TOOLRAG_QUERY_MODEL=full``), else :attr:`encoder`; checked against
        the manifest on first use."""
        entry = self._query_entry()
        if entry is self.manifest["embedding"]:
            return self.encoder
        if self._query_encoder is None:
            encoder = load_encoder(entry["model"])
            if weight_checksum(encoder) != entry["checksum"]:
                raise IndexLoadError(
                    f"the query encoder {entry['model']!r} has changed since this index was built "
                    "(weight checksum differs); rebuild the index, or set "
                    "TOOLRAG_QUERY_MODEL=full to encode queries with the index's own model"
                )
            self._query_encoder = encoder
        return self._query_encoder

    def encode_queries(self, queries: list[str], batch_size: int = 64) -> np.ndarray:
        """Query embeddings from :attr:`query_encoder`, through ONNX Runtime (int8 by default)
        when the model allows it, else through PyTorch; see :mod:`toolrag.index.onnx_encoder`."""
        if self._fast_encoder is None:
            from toolrag.index.onnx_encoder import load_bundle, load_onnx_encoder

            # the checked export cached by an earlier process needs no PyTorch; the first
            # process loads the model, exports and checks it once
            checksum = self._query_entry()["checksum"]
            self._fast_encoder = (
                load_bundle(checksum) or load_onnx_encoder(self.query_encoder, checksum) or False
            )
        if self._fast_encoder and queries:
            return self._fast_encoder.encode(queries, batch_size)
        return encode(self.query_encoder, queries, batch_size=batch_size)

    def _query_entry(self) -> dict[str, Any]:
        """The manifest entry of the model that encodes queries: the distilled query encoder's,
        or the embedding model's own."""
        embedding = self.manifest["embedding"]
        student = embedding.get("query_model")
        return student if student is not None and use_query_model() else embedding

    def _model_arg(self) -> str | None:
        label = self.manifest["embedding"]["model"]
        return None if label == model_label(None) else label

    def _query_model_arg(self) -> str | None:
        entry = self.manifest["embedding"].get("query_model")
        return entry["model"] if entry else None

    # -- persistence -------------------------------------------------------------------------

    def save(self, path: str | Path, *, lock_timeout: float = DEFAULT_TIMEOUT) -> Path:
        """Write the index folder atomically (temp folder, then swapped in by rename), holding
        the folder's writer lock.

        An index read from ``path`` (or updated from one read there) is published only if
        ``path`` still holds the version it read: otherwise another writer's change would be
        lost.

        Raises:
            IndexBusyError: another writer held the lock for ``lock_timeout`` seconds.
            IndexChangedError: ``path`` changed since this index was read from it.
        """
        path = Path(path).resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        with writer_lock(path, lock_timeout):
            _clean_staging(path)
            tmp = path.parent / f".{path.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
            tmp.mkdir()
            try:
                self._write(tmp)
                if self._base is not None and self._base[0] == path:
                    now = _manifest_digest(path)
                    if now != self._base[1]:
                        raise IndexChangedError(
                            f"{path} changed after this writer read it (another writer published "
                            "meanwhile); nothing was written. Run the command again: it will "
                            "start from the new version"
                        )
                _swap_in(tmp, path)
            except BaseException:
                shutil.rmtree(tmp, ignore_errors=True)
                raise
        self._base = (path, _manifest_digest(path) or "")
        return path

    def _write(self, folder: Path) -> None:
        with (folder / TOOLS_FILE).open("w", encoding="utf-8") as fh:
            for tool in self.tools:
                fh.write(tool.model_dump_json() + "\n")
        np.save(folder / EMBEDDINGS_FILE, self.embeddings, allow_pickle=False)
        self.vectors.save(folder / FAISS_FILE)
        self.bm25.save(folder / BM25_DIR)
        files = sorted(p for p in folder.rglob("*") if p.is_file())
        self.manifest["files"] = {
            p.relative_to(folder).as_posix(): {"sha256": file_sha256(p), "bytes": p.stat().st_size}
            for p in files
        }
        (folder / MANIFEST).write_text(json.dumps(self.manifest, indent=2) + "\n", encoding="utf-8")
        for p in [*files, folder / MANIFEST]:
            with p.open("rb") as fh:
                os.fsync(fh.fileno())

    @classmethod
    def load(cls, path: str | Path, *, model: str | None = None, verify: bool = True) -> ToolIndex:
        """Load an index folder; see :meth:`_load_once`. A writer that swaps a new version in
        while this reads makes the files disagree with the manifest read first: then the new
        version is read (a few times at most), so a reader always gets one whole index."""
        path = Path(path).resolve()
        for attempt in range(5):
            before = _manifest_digest(path)
            try:
                return cls._load_once(path, model=model, verify=verify)
            except (IndexLoadError, OSError, RuntimeError, ValueError):
                if attempt == 4 or _manifest_digest(path) == before:
                    raise
                logger.info("%s changed while it was read; reading it again", path)
        raise AssertionError("unreachable")

    @classmethod
    def _load_once(cls, path: Path, *, model: str | None = None, verify: bool = True) -> ToolIndex:
        """Load an index folder.

        Args:
            path: the folder ``save`` wrote.
            model: the query encoder the caller intends to use; it must be the one the index was
                built with. ``None`` uses the manifest's.
            verify: check every file's sha256 against the manifest (sizes are always checked).

        Raises:
            IndexLoadError: missing folder or file, wrong format version, corrupt file, or a
                different query encoder; the message says what to do.
        """
        _recover(path)
        manifest_path = path / MANIFEST
        if not manifest_path.is_file():
            raise IndexLoadError(
                f"{path} is not a toolrag index (no {MANIFEST}); build one with "
                f"`toolrag index build TOOLS... --out {path}`"
            )
        raw = manifest_path.read_bytes()
        try:
            manifest = json.loads(raw.decode("utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as err:
            raise IndexLoadError(f"{manifest_path} is corrupt ({err}); rebuild the index") from None
        if manifest.get("format") != FORMAT_NAME:
            raise IndexLoadError(f"{path} holds a {manifest.get('format')!r}, not a toolrag index")
        if manifest.get("format_version") != FORMAT_VERSION:
            raise IndexLoadError(
                f"{path} was written in index format version {manifest.get('format_version')}, "
                f"this toolrag reads version {FORMAT_VERSION}; rebuild it with "
                "`toolrag index build` or install the toolrag version that wrote it"
            )
        if model is not None and model_label(model) != manifest["embedding"]["model"]:
            raise IndexLoadError(
                f"{path} was built with the embedding model {manifest['embedding']['model']!r}, "
                f"not {model_label(model)!r}: queries must be encoded by the model that encoded "
                "the tools. Omit --model, or rebuild the index with --model "
                f"{model}"
            )
        _check_files(path, manifest, verify=verify)

        tools = []
        with (path / TOOLS_FILE).open(encoding="utf-8") as fh:
            tools = [Tool.model_validate_json(line) for line in fh if line.strip()]
        embeddings = np.load(path / EMBEDDINGS_FILE, allow_pickle=False)
        vectors = VectorStore.load(
            path / FAISS_FILE, AnnParams(**_params(manifest["faiss"], AnnParams))
        )
        bm25 = Bm25Store.load(
            path / BM25_DIR, Bm25Params(**_params(manifest["bm25"], Bm25Params)), len(tools)
        )
        if not len(tools) == len(embeddings) == vectors.size == manifest["tool_count"]:
            raise IndexLoadError(
                f"{path} is inconsistent: {len(tools)} tools, {len(embeddings)} embeddings, "
                f"{vectors.size} vectors, manifest says {manifest['tool_count']}; rebuild it"
            )
        index = cls(tools, bm25, vectors, embeddings, manifest)
        index._base = (path, hashlib.sha256(raw).hexdigest())
        return index


def _manifest_digest(path: Path) -> str | None:
    """The sha256 of ``path``'s manifest as it is now; None when there is none."""
    try:
        return hashlib.sha256((path / MANIFEST).read_bytes()).hexdigest()
    except OSError:
        return None


def _params(stored: dict[str, Any], cls: type) -> dict[str, Any]:
    fields = cls.__dataclass_fields__
    return {k: v for k, v in stored.items() if k in fields}


def _check_files(path: Path, manifest: dict[str, Any], *, verify: bool) -> None:
    for rel, info in manifest.get("files", {}).items():
        file = path / rel
        if not file.is_file():
            raise IndexLoadError(f"{file} is missing; the index is incomplete, rebuild it")
        if file.stat().st_size != info["bytes"] or (verify and file_sha256(file) != info["sha256"]):
            raise IndexLoadError(
                f"{file} does not match its checksum in {MANIFEST} (corrupt or edited); "
                "rebuild the index with `toolrag index build`"
            )


def _swap_in(tmp: Path, path: Path) -> None:
    """Replace ``path`` by ``tmp``. Between the two renames the old index sits at a backup name,
    which :func:`_recover` restores if the process died in that instant."""
    if not path.exists():
        os.rename(tmp, path)
        return
    if not (path / MANIFEST).is_file():
        raise FileExistsError(
            f"{path} exists and is not a toolrag index; refusing to replace it. "
            "Choose another --out or remove that folder"
        )
    if _exchange(tmp, path):  # one atomic step: ``tmp`` now holds the old index
        shutil.rmtree(tmp, ignore_errors=True)
        return
    backup = path.parent / f".{path.name}.old-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    os.rename(path, backup)
    os.rename(tmp, path)
    shutil.rmtree(backup, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step (Linux ``renameat2(RENAME_EXCHANGE)``); False where
    the system or the filesystem cannot, and nothing was changed."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    renameat2.argtypes += [ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    errno = ctypes.get_errno()
    if errno in {22, 38, 95}:  # EINVAL, ENOSYS, EOPNOTSUPP: not here
        return False
    raise OSError(errno, os.strerror(errno), str(b))


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _clean_staging(path: Path) -> None:
    """Remove the staging and backup folders that killed writers left beside ``path`` (called
    with the writer lock held; a folder whose writer still runs is left alone)."""
    for pattern in (f".{path.name}.tmp-*", f".{path.name}.old-*"):
        for stray in path.parent.glob(pattern):
            if stray.name.startswith(f".{path.name}.old-") and not path.exists():
                continue  # the previous index itself, which _recover puts back
            pid = stray.name.rsplit(".", 1)[-1].split("-")[1]
            if pid.isdigit() and int(pid) != os.getpid() and _pid_alive(int(pid)):
                continue
            logger.info("removing %s, left by an interrupted write", stray)
            shutil.rmtree(stray, ignore_errors=True)


def _recover(path: Path) -> None:
    """Put the previous index back when a writer died between its two renames (only where
    folders cannot be exchanged atomically); a writer in that instant is waited for."""
    if path.exists() or not any(path.parent.glob(f".{path.name}.old-*")):
        return  # (no lock file is made for a path that is simply not there)
    deadline = time.monotonic() + 5
    while not path.exists():
        try:
            with writer_lock(path, timeout=0):
                backups = sorted(
                    path.parent.glob(f".{path.name}.old-*"), key=lambda p: p.stat().st_mtime
                )
                if backups and not path.exists():
                    logger.warning(
                        "restoring %s from %s (an earlier write was interrupted)", path, backups[-1]
                    )
                    os.rename(backups[-1], path)
                return
        except IndexBusyError:  # a writer is between its renames: the new index comes next
            if time.monotonic() > deadline:
                return
            time.sleep(0.05)
        except OSError:  # a read-only place: nothing to restore from here
            return
