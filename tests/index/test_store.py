from __future__ import annotations

import json

import numpy as np
import pytest

from toolrag.index.errors import IndexLoadError
from toolrag.index.store import MANIFEST, ToolIndex
from toolrag.index.vectors import AnnParams
from toolrag.retriever import BM25Retriever, DenseRetriever, HybridRetriever
from toolrag.types import Param, Tool


def _queries():
    from conftest import WORKED_QUERIES

    return {qid: q for qid, (q, _) in WORKED_QUERIES.items()}


def test_round_trip_gives_identical_results(six_index, six_index_dir):
    loaded = ToolIndex.load(six_index_dir)
    assert [t.name for t in loaded.tools] == [t.name for t in six_index.tools]
    for cls in (BM25Retriever, DenseRetriever, HybridRetriever):
        assert cls(loaded).search(_queries(), 6) == cls(six_index).search(_queries(), 6)


def test_folder_holds_exactly_the_manifest_files(six_index_dir):
    manifest = json.loads((six_index_dir / MANIFEST).read_text())
    on_disk = {
        p.relative_to(six_index_dir).as_posix() for p in six_index_dir.rglob("*") if p.is_file()
    }
    assert on_disk == set(manifest["files"]) | {MANIFEST}
    assert not any(name.endswith((".pkl", ".pickle")) for name in on_disk)
    emb = manifest["embedding"]
    assert emb["dimension"] == 384 and emb["normalized"] and len(emb["checksum"]) == 64
    assert manifest["tool_count"] == 6 and manifest["faiss"]["index_type"] == "IndexFlatIP"


def test_interrupted_save_leaves_old_index(six_index, six_index_dir, tmp_path, monkeypatch):
    target = tmp_path / "idx"
    six_index.save(target)
    before = (target / MANIFEST).read_text()
    smaller = ToolIndex.build(six_index.tools[:3])

    def crash(*_args, **_kwargs):
        raise KeyboardInterrupt("power cut while writing FAISS")

    monkeypatch.setattr("toolrag.index.vectors.VectorStore.save", crash)
    with pytest.raises(KeyboardInterrupt):
        smaller.save(target)
    assert (target / MANIFEST).read_text() == before
    assert len(ToolIndex.load(target)) == 6
    assert not list(tmp_path.glob(".idx.tmp-*")), "the temporary folder must be cleaned up"


def test_backup_is_restored_after_crash_between_renames(six_index, tmp_path):
    target = tmp_path / "idx"
    six_index.save(target)
    target.rename(tmp_path / ".idx.old-deadbeef")  # the state right after the first rename
    assert len(ToolIndex.load(target)) == 6 and target.is_dir()


def test_corrupt_file_is_detected(six_index, tmp_path):
    target = six_index.save(tmp_path / "idx")
    emb = target / "embeddings.npy"
    data = bytearray(emb.read_bytes())
    data[-1] ^= 0xFF
    emb.write_bytes(bytes(data))
    with pytest.raises(IndexLoadError, match="checksum.*rebuild"):
        ToolIndex.load(target)


def test_missing_file_and_wrong_version(six_index, tmp_path):
    target = six_index.save(tmp_path / "idx")
    (target / "dense.faiss").unlink()
    with pytest.raises(IndexLoadError, match="missing"):
        ToolIndex.load(target)
    target = six_index.save(tmp_path / "idx2")
    manifest = json.loads((target / MANIFEST).read_text())
    manifest["format_version"] = 99
    (target / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(IndexLoadError, match="version 99.*rebuild"):
        ToolIndex.load(target)
    with pytest.raises(IndexLoadError, match="not a toolrag index"):
        ToolIndex.load(tmp_path)


def test_other_query_encoder_is_refused(six_index_dir, tmp_path):
    with pytest.raises(IndexLoadError, match="built with the embedding model"):
        ToolIndex.load(six_index_dir, model=str(tmp_path))


def test_changed_model_weights_are_refused(six_index, tmp_path):
    target = six_index.save(tmp_path / "idx")
    manifest = json.loads((target / MANIFEST).read_text())
    manifest["embedding"]["checksum"] = "0" * 64
    (target / MANIFEST).write_text(json.dumps(manifest))
    loaded = ToolIndex.load(target)
    with pytest.raises(IndexLoadError, match="has changed"):
        loaded.encode_queries(["x"])


def test_refuses_to_overwrite_a_non_index_folder(six_index, tmp_path):
    (tmp_path / "precious").mkdir()
    (tmp_path / "precious" / "thesis.txt").write_text("do not delete")
    with pytest.raises(FileExistsError, match="not a toolrag index"):
        six_index.save(tmp_path / "precious")
    assert (tmp_path / "precious" / "thesis.txt").exists()


def test_add_and_remove_reuse_embeddings(six_index):
    new = Tool(
        name="getTime",
        description="Current time in a time zone",
        parameters=[Param(name="zone", required=True)],
    )
    changed = six_index.tools[0].model_copy(update={"description": "Weather right now in a city"})
    grown = six_index.updated(add=[new, changed])
    assert len(grown) == 7 and grown.manifest["last_build"] == {"encoded": 2, "reused": 5}
    for name in ("convertCurrency", "bookFlight"):
        np.testing.assert_array_equal(
            grown.embeddings[grown.row(name)], six_index.embeddings[six_index.row(name)]
        )
    assert grown.tool("getWeather").description == "Weather right now in a city"
    shrunk = grown.updated(remove=["getTime", "sendEmail"])
    assert len(shrunk) == 5 and shrunk.manifest["last_build"]["encoded"] == 0
    assert "sendEmail" not in {t.name for t in shrunk.tools}
    with pytest.raises(ValueError, match="not in the index"):
        shrunk.updated(remove=["nope"])


def test_build_rejects_empty_and_duplicates(six_tools):
    with pytest.raises(ValueError, match="no tools"):
        ToolIndex.build([])
    with pytest.raises(ValueError, match="duplicate"):
        ToolIndex.build([six_tools[0], six_tools[0]])


@pytest.mark.parametrize("ann", ["hnsw", "ivf"])
def test_approximate_indexes_round_trip(six_tools, tmp_path, ann):
    idx = ToolIndex.build(six_tools, ann=AnnParams(ann=ann))
    loaded = ToolIndex.load(idx.save(tmp_path / ann))
    assert loaded.manifest["faiss"]["ann"] == ann
    assert DenseRetriever(loaded).search(_queries(), 3) == DenseRetriever(idx).search(_queries(), 3)
