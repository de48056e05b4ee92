"""The ONNX Runtime query encoder must give PyTorch's embeddings, and fall back when it cannot."""

from __future__ import annotations

import numpy as np

from index import onnx_encoder
from index.encoder import encode, weight_checksum
from index.onnx_encoder import load_onnx_encoder

TEXTS = [
    "weather in Paris",
    "Convert 100 EUR to USD, then book a flight to Rome for two people",
    "x",
]


def test_onnx_matches_pytorch_single_and_padded_batch(six_index):
    model = six_index.encoder
    fast = load_onnx_encoder(model, weight_checksum(model))
    assert fast is not None
    expected = encode(model, TEXTS)
    np.testing.assert_allclose(fast.encode(TEXTS), expected, atol=1e-5)  # padded batch
    for i, text in enumerate(TEXTS):
        np.testing.assert_allclose(fast.encode([text])[0], expected[i], atol=1e-5)


def test_index_uses_it_transparently(six_index):
    got = six_index.encode_queries(TEXTS)
    assert six_index._fast_encoder
    np.testing.assert_allclose(got, encode(six_index.encoder, TEXTS), atol=1e-5)


def test_disabled_by_environment(six_index, monkeypatch):
    monkeypatch.setenv("TOOLRAG_ONNX", "0")
    assert load_onnx_encoder(six_index.encoder, weight_checksum(six_index.encoder)) is None


def test_mismatch_falls_back_to_pytorch(six_index, monkeypatch):
    monkeypatch.setattr(onnx_encoder, "TOLERANCE", -1.0)  # any difference is now too large
    assert load_onnx_encoder(six_index.encoder, weight_checksum(six_index.encoder)) is None


def test_export_failure_falls_back(six_index, monkeypatch, tmp_path):
    monkeypatch.setenv("TOOLRAG_CACHE", str(tmp_path))

    def broken(*_a, **_k):
        raise RuntimeError("exporter exploded")

    monkeypatch.setattr(onnx_encoder, "_export", broken)
    assert load_onnx_encoder(six_index.encoder, "f" * 64) is None
