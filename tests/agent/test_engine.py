"""The decoding engine seam: cache bookkeeping, the ONNX export, and torch/ONNX agreement."""

from __future__ import annotations

import logging
import os

import numpy as np
import pytest

from toolrag.agent.engine import (
    OnnxEngine,
    TorchEngine,
    _CachedEngine,
    onnx_available,
    shared_prefix,
)


def test_shared_prefix():
    assert shared_prefix([1, 2, 3], [1, 2, 3, 4]) == 3
    assert shared_prefix([1, 2, 3, 4], [1, 2]) == 2
    assert shared_prefix([1, 2, 3], [1, 9, 3]) == 1
    assert shared_prefix([], [1]) == 0
    assert shared_prefix([5], [6]) == 0


class _CountingEngine(_CachedEngine):
    """Records what the cache bookkeeping asks the model to compute."""

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.calls: list[tuple[int, list[int]]] = []

    def _forward(self, ids, keep):
        self.calls.append((keep, ids[keep:]))
        out = np.zeros(8, dtype=np.float32)
        out[ids[-1] % 8] = 1.0
        return out


def test_the_engine_computes_only_what_its_cache_lacks():
    e = _CountingEngine()
    e.logits([1, 2, 3])
    e.logits([1, 2, 3, 4])  # extends: only the new token
    e.logits([1, 2, 5])  # diverges after 2: rewind and feed the rest
    again = e.logits([1, 2, 5])  # the same sequence: nothing to compute
    e.logits([1, 2])  # a prefix: its last token is fed again to get its logits
    assert e.calls == [(0, [1, 2, 3]), (3, [4]), (2, [5]), (1, [2])]
    assert int(np.argmax(again)) == 5
    assert e.fed_tokens == 6
    fresh = _CountingEngine(reuse=False)
    fresh.logits([1, 2, 3])
    fresh.logits([1, 2, 3, 4])
    assert fresh.calls == [(0, [1, 2, 3]), (0, [1, 2, 3, 4])]
    with pytest.raises(ValueError, match="at least one token"):
        e.logits([])


def test_torch_engine_with_cache_matches_a_full_forward(smol_folder):
    from toolrag.agent.models import load_causal_lm

    lm, tok = load_causal_lm(str(smol_folder))
    ids = tok("Book a flight from Oslo to Rome and email me", add_special_tokens=False).input_ids
    cached, full = TorchEngine(lm), TorchEngine(lm, reuse=False)
    for n in (4, len(ids), 6):  # grow, then rewind
        a, b = cached.logits(ids[:n]), full.logits(ids[:n])
        assert np.allclose(a, b, atol=1e-3), n
        assert int(np.argmax(a)) == int(np.argmax(b))


def test_without_onnxruntime_genai_the_planner_falls_back_to_torch(
    smol_folder, monkeypatch, caplog
):
    from toolrag.agent import loader
    from toolrag.agent.loader import load_engine

    monkeypatch.setattr(loader, "onnx_available", lambda: False)
    with caplog.at_level(logging.WARNING):
        engine, _ = load_engine(str(smol_folder))
    assert isinstance(engine, TorchEngine)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "pip install onnxruntime-genai" in warnings[0]
    with pytest.raises(ValueError, match="engine='tensorrt'"):
        load_engine(str(smol_folder), engine="tensorrt")


needs_onnx = pytest.mark.skipif(not onnx_available(), reason="onnxruntime-genai not installed")


@pytest.fixture(scope="module")
def smol_fp32_export(smol_folder):
    from toolrag.agent.export import onnx_model

    return onnx_model(str(smol_folder), "fp32", progress=False)


@needs_onnx
def test_both_engines_write_the_same_greedy_plans(smol_folder, smol_fp32_export, six_tools):
    from toolrag.agent.models import load_causal_lm
    from toolrag.agent.planner import Planner

    lm, tok = load_causal_lm(str(smol_folder))
    torch_planner = Planner(TorchEngine(lm), tok, max_new_tokens=96)
    onnx_planner = Planner(OnnxEngine(smol_fp32_export), tok, max_new_tokens=96)
    queries = [
        "What is the weather in Paris?",
        "Convert 100 EUR to USD and book a flight from Oslo to Rome",
        "Send an email to my boss about the ACME stock price",
    ]
    for query in queries:
        for selected in (None, [six_tools[0].name, six_tools[1].name]):
            a = torch_planner.plan(query, six_tools[:4], selected=selected)
            b = onnx_planner.plan(query, six_tools[:4], selected=selected)
            assert a.format_ok and b.format_ok
            assert a.text == b.text, (query, a.text, b.text)
            assert a.new_tokens == b.new_tokens and a.forced_tokens == b.forced_tokens


@needs_onnx
def test_an_export_is_reused_and_a_corrupt_one_is_rebuilt(
    smol_folder, smol_fp32_export, monkeypatch
):
    from toolrag.agent import export as export_module

    checksum = export_module.source_checksum(str(smol_folder))
    manifest = export_module.read_manifest(smol_fp32_export)
    assert manifest["source"] == checksum and manifest["precision"] == "fp32"
    assert min(manifest["check_cosines"]) > 0.999
    assert export_module.is_valid(smol_fp32_export, checksum, "fp32")
    assert not export_module.is_valid(smol_fp32_export, checksum, "int8")
    rebuilt = []
    monkeypatch.setattr(export_module, "export", lambda *a, **k: rebuilt.append(a))
    assert export_module.onnx_model(str(smol_folder), "fp32") == smol_fp32_export
    assert rebuilt == []  # valid: used as it is
    config = smol_fp32_export / "genai_config.json"
    original = config.read_bytes()
    try:
        config.write_bytes(original.replace(b'"llama"', b'"llamb"'))  # same size, new content
        assert not export_module.is_valid(smol_fp32_export, checksum, "fp32")
        # a file changed behind the recorded stamps is hashed, not trusted
        stamp = manifest["stamps"]["genai_config.json"]
        os.utime(config, ns=(stamp[1], stamp[1]))
        assert export_module.is_valid(smol_fp32_export, checksum, "fp32")  # stamps match: trusted
        os.utime(config, ns=(stamp[1] + 10**9, stamp[1] + 10**9))
        assert not export_module.is_valid(smol_fp32_export, checksum, "fp32")
        export_module.onnx_model(str(smol_folder), "fp32")
        assert len(rebuilt) == 1  # corrupt: converted again, never used
    finally:
        config.write_bytes(original)


@needs_onnx
def test_the_export_computes_the_head_on_the_last_position_only(
    smol_folder, smol_fp32_export, monkeypatch, caplog
):
    import json

    import onnx

    from toolrag.agent import export as export_module

    graph = onnx.load(smol_fp32_export / "model.onnx", load_external_data=False).graph
    logits = next(o for o in graph.output if o.name == "logits")
    assert [d.dim_value for d in logits.type.tensor_type.shape.dim][1:] == [1, 49152]
    manifest = export_module.read_manifest(smol_fp32_export)
    assert manifest["builder_options"] == list(export_module.BUILDER_OPTIONS)
    # an export of the previous format (full-sequence head) is rebuilt, and the log says why
    checksum = export_module.source_checksum(str(smol_folder))
    path = smol_fp32_export / export_module.MANIFEST
    original = path.read_text()
    rebuilt = []
    monkeypatch.setattr(export_module, "export", lambda *a, **k: rebuilt.append(a))
    try:
        path.write_text(json.dumps(manifest | {"format": "toolrag-onnx/2"}))
        assert not export_module.is_valid(smol_fp32_export, checksum, "fp32")
        with caplog.at_level(logging.WARNING):
            export_module.onnx_model(str(smol_folder), "fp32")
        assert len(rebuilt) == 1
        assert "older format (toolrag-onnx/2)" in caplog.text
    finally:
        path.write_text(original)


def test_an_interrupted_export_leaves_nothing_behind(smol_folder, tmp_path, monkeypatch):
    from toolrag.agent import export as export_module

    def broken_build(merged, out, precision, cache):
        (out / "model.onnx").write_bytes(b"half a model")
        raise export_module.ExportError("the ONNX model builder failed (-9)")

    monkeypatch.setattr(export_module, "_build", broken_build)
    target = tmp_path / "export"
    with pytest.raises(export_module.ExportError, match="builder failed"):
        export_module.export(str(smol_folder), target, "int8", progress=False)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []  # no staging folder left either
    with pytest.raises(ValueError, match="ONNX exports are"):
        export_module.onnx_model(str(smol_folder), "int3")
