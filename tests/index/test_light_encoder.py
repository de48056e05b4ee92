"""Tools are encoded through the float32 ONNX bundle once the model was prepared: the same
embeddings as PyTorch within the export's tolerance, and no PyTorch in a later process."""

from __future__ import annotations

import os

import numpy as np

from toolrag.index import light_encoder, onnx_encoder
from toolrag.index.encoder import encode
from toolrag.index.light_encoder import document_encoder, model_identity
from toolrag.index.store import ToolIndex
from toolrag.index.text import tool_text


def test_index_embeddings_match_pytorch_within_tolerance(six_index, six_tools):
    texts = [tool_text(t, six_index.manifest["text_template"]["dense"]) for t in six_tools]
    expected = encode(six_index.encoder, texts)  # PyTorch
    np.testing.assert_allclose(six_index.embeddings, expected, atol=onnx_encoder.TOLERANCE)
    again = document_encoder(None)  # the second build reads the record: no PyTorch model
    assert again.model is None and again.bundle is not None and again.bundle.precision == "fp32"
    assert again.checksum == six_index.manifest["embedding"]["checksum"]
    assert np.abs(again.encode(texts) - expected).max() <= onnx_encoder.TOLERANCE


def test_rebuilt_index_is_the_same(six_index, six_tools):
    rebuilt = ToolIndex.build(six_tools)
    assert rebuilt.manifest["embedding"] == six_index.manifest["embedding"]
    np.testing.assert_allclose(rebuilt.embeddings, six_index.embeddings, atol=1e-6)


def test_a_changed_model_folder_is_prepared_again(six_index, tmp_path):
    import shutil

    from toolrag.index.encoder import resolve_model

    folder = tmp_path / "model"
    shutil.copytree(resolve_model(None), folder)
    first = model_identity(str(folder))
    assert light_encoder._read_record(first) is None  # a new folder has no record yet
    (folder / "config.json").touch()
    os.utime(folder / "config.json", ns=(1, 1))
    assert model_identity(str(folder)) != first
    assert model_identity("sentence-transformers/some-hub-id") is None  # no folder: PyTorch


def test_torch_requested_by_environment_encodes_in_pytorch(six_index, monkeypatch):
    monkeypatch.setenv("TOOLRAG_QUERY_ENCODER", "torch")
    encoder = document_encoder(None)
    assert encoder.bundle is None and encoder.model is not None
