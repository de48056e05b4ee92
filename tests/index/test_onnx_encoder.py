"""The ONNX Runtime query encoder must give PyTorch's embeddings (float32 exactly, int8 to a
cosine bound), and fall back when it cannot."""

from __future__ import annotations

import numpy as np
import pytest

from toolrag.index import onnx_encoder
from toolrag.index.encoder import encode, weight_checksum
from toolrag.index.onnx_encoder import load_onnx_encoder

TEXTS = [
    "weather in Paris",
    "Convert 100 EUR to USD, then book a flight to Rome for two people",
    "x",
]


def test_onnx_fp32_matches_pytorch_single_and_padded_batch(six_index):
    model = six_index.encoder
    fast = load_onnx_encoder(model, weight_checksum(model), "fp32")
    assert fast is not None and fast.precision == "fp32"
    expected = encode(model, TEXTS)
    np.testing.assert_allclose(fast.encode(TEXTS), expected, atol=1e-5)  # padded batch
    for i, text in enumerate(TEXTS):
        np.testing.assert_allclose(fast.encode([text])[0], expected[i], atol=1e-5)


def test_int8_is_the_default_and_close_to_pytorch(six_index):
    model = six_index.encoder
    fast = load_onnx_encoder(model, weight_checksum(model))
    assert fast is not None and fast.precision == "int8"
    expected = encode(model, TEXTS)
    got = fast.encode(TEXTS)
    cosine = (got * expected).sum(1)
    assert cosine.min() >= onnx_encoder.MIN_COSINE
    assert np.abs(got - expected).max() > 1e-5  # it really is a different (quantized) model
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)


def test_bert_graph_is_fused_before_quantization(six_index):
    import onnx

    fast = load_onnx_encoder(six_index.encoder, weight_checksum(six_index.encoder))
    assert fast.source.endswith(".fused.int8pc.onnx")
    ops = {n.op_type for n in onnx.load(fast.folder / "model.onnx").graph.node}
    assert {"QAttention", "SkipLayerNormalization"} <= ops  # fused, then quantized
    assert "Softmax" not in ops and "LayerNormalization" not in ops


def test_index_uses_it_transparently(six_index):
    got = six_index.encode_queries(TEXTS)
    assert six_index._fast_encoder.precision == "int8"
    assert (got * encode(six_index.encoder, TEXTS)).sum(1).min() >= onnx_encoder.MIN_COSINE


@pytest.mark.parametrize(
    ("var", "value"), [("TOOLRAG_ONNX", "0"), ("TOOLRAG_QUERY_ENCODER", "torch")]
)
def test_disabled_by_environment(six_index, monkeypatch, var, value):
    monkeypatch.setenv(var, value)
    assert load_onnx_encoder(six_index.encoder, weight_checksum(six_index.encoder)) is None


def test_fp32_chosen_by_environment(six_index, monkeypatch):
    monkeypatch.setenv("TOOLRAG_QUERY_ENCODER", "FP32")
    fast = load_onnx_encoder(six_index.encoder, weight_checksum(six_index.encoder))
    assert fast.precision == "fp32"


def test_unknown_precision_is_a_clear_error(six_index, monkeypatch):
    monkeypatch.setenv("TOOLRAG_QUERY_ENCODER", "int4")
    monkeypatch.setattr(six_index, "_fast_encoder", None)  # chosen at the first query
    with pytest.raises(ValueError, match="int8, fp32, torch"):
        six_index.encode_queries(["weather"])


def test_int8_below_cosine_bound_falls_back_to_fp32(six_index, monkeypatch):
    monkeypatch.setattr(onnx_encoder, "MIN_COSINE", 1.01)  # no int8 model can pass
    fast = load_onnx_encoder(six_index.encoder, weight_checksum(six_index.encoder))
    assert fast.precision == "fp32"


def test_mismatch_falls_back_to_pytorch(six_index, monkeypatch):
    monkeypatch.setattr(onnx_encoder, "MIN_COSINE", 1.01)
    monkeypatch.setattr(onnx_encoder, "TOLERANCE", -1.0)  # any difference is now too large
    assert load_onnx_encoder(six_index.encoder, weight_checksum(six_index.encoder)) is None


def test_export_failure_falls_back(six_index, monkeypatch, tmp_path):
    monkeypatch.setenv("TOOLRAG_CACHE", str(tmp_path))

    def broken(*_a, **_k):
        raise RuntimeError("exporter exploded")

    monkeypatch.setattr(onnx_encoder, "_export", broken)
    assert load_onnx_encoder(six_index.encoder, "f" * 64) is None


def test_a_fresh_process_encodes_queries_from_the_bundle_without_pytorch(six_index, tmp_path):
    import json
    import os
    import subprocess
    import sys

    checksum = weight_checksum(six_index.encoder)
    built = load_onnx_encoder(six_index.encoder, checksum)  # writes the checked bundle
    code = (
        "import json, sys\n"
        "from toolrag.index.onnx_encoder import load_bundle\n"
        f"enc = load_bundle({checksum!r})\n"
        f"vectors = enc.encode({TEXTS!r}).tolist()\n"
        "heavy = [m for m in ('torch', 'transformers', 'sentence_transformers') if m in sys.modules]\n"
        "print(json.dumps([heavy, vectors]))"
    )
    env = os.environ | {"TOOLRAG_CACHE": str(onnx_encoder.cache_dir())}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    heavy, vectors = json.loads(out.stdout)
    assert heavy == []
    np.testing.assert_allclose(np.array(vectors), built.encode(TEXTS), atol=1e-6)


def test_a_changed_bundle_file_is_refused_and_rebuilt(six_index):
    checksum = weight_checksum(six_index.encoder)
    built = load_onnx_encoder(six_index.encoder, checksum)
    assert onnx_encoder.load_bundle(checksum) is not None
    model_file = built.folder / "model.onnx"
    model_file.write_bytes(model_file.read_bytes()[:-10] + b"0123456789")
    assert onnx_encoder.load_bundle(checksum) is None  # the manifest's sha256 no longer holds
    again = load_onnx_encoder(six_index.encoder, checksum)
    assert onnx_encoder.load_bundle(checksum) is not None
    np.testing.assert_allclose(again.encode(TEXTS), built.encode(TEXTS), atol=1e-6)


def test_the_bundle_tokenizes_as_the_models_own_tokenizer(six_index):
    """The torch-free path feeds ONNX Runtime the very ids sentence-transformers would (the
    tokenizer the encoder used before it had a bundle), truncation and padding included."""
    model = six_index.encoder
    fast = load_onnx_encoder(model, weight_checksum(model))
    texts = [
        *TEXTS,
        "",
        "Ünïcödé café — naïve résumé, 東京 weather?",
        "getStockPrice(symbol='AAPL') " * 80,  # past max_seq_length: truncated
    ]
    ours = fast.tokenizer.encode_batch(texts)
    theirs = model.tokenizer(texts, truncation=True, max_length=int(model.max_seq_length))
    assert [e.ids for e in ours] == theirs["input_ids"]
    assert [e.type_ids for e in ours] == theirs["token_type_ids"]
    assert max(len(e.ids) for e in ours) == model.max_seq_length
    np.testing.assert_allclose(
        fast.encode(texts), encode(model, texts), atol=0.05
    )  # int8 against float32 PyTorch, per coordinate
