"""int8 packing of a sentence-transformers model, and the shipped default retriever."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from safetensors.torch import load_file

from toolrag.index.encoder import (
    MODEL_RECORD,
    encode,
    load_encoder,
    model_label,
    recommended_fusion,
    resolve_model,
    shipped_retriever,
)
from toolrag.index.packed import PACKED_WEIGHTS, pack_model, unpack_state, unpacked_folder

TEXTS = [
    "Get the weather forecast for Paris tomorrow.",
    "Book a table for two at an Italian restaurant.",
    "Convert 100 US dollars to euros and email me the result.",
]


@pytest.fixture(scope="module")
def packed(tmp_path_factory) -> tuple[Path, Path]:
    base = Path(resolve_model("minilm"))
    out = tmp_path_factory.mktemp("packed") / "minilm-int8"
    return base, pack_model(base, out)


def test_pack_is_a_quarter_of_the_size(packed):
    base, out = packed
    assert (out / PACKED_WEIGHTS).stat().st_size < 0.3 * (base / "model.safetensors").stat().st_size
    assert not (out / "model.safetensors").exists()
    assert (out / "modules.json").is_file() and (out / "tokenizer.json").is_file()


def test_unpacked_weights_are_within_half_a_step_of_the_original(packed):
    base, out = packed
    original = load_file(str(base / "model.safetensors"))
    restored = unpack_state(out / PACKED_WEIGHTS)
    assert restored.keys() == original.keys()
    packed_state = load_file(str(out / PACKED_WEIGHTS))
    quantized = [k for k in original if f"{k}.int8" in packed_state]
    assert "embeddings.word_embeddings.weight" in quantized
    for name in quantized:
        step = packed_state[f"{name}.scale"][:, None]
        assert ((restored[name] - original[name].float()).abs() <= step / 2 + 1e-7).all(), name
    for name in set(original) - set(quantized):
        assert (restored[name] == original[name]).all(), name


def test_unpacked_model_encodes_like_the_original(packed, tmp_path, monkeypatch):
    monkeypatch.setenv("TOOLRAG_CACHE", str(tmp_path))
    base, out = packed
    folder = unpacked_folder(out)
    assert folder.parent == tmp_path / "models"
    cos = (encode(load_encoder(str(base)), TEXTS) * encode(load_encoder(str(folder)), TEXTS)).sum(1)
    assert cos.min() > 0.999
    stamp = (folder / "model.safetensors").stat().st_mtime_ns
    assert unpacked_folder(out) == folder  # made once
    assert (folder / "model.safetensors").stat().st_mtime_ns == stamp
    assert resolve_model(str(out)) == str(folder)  # a packed folder passed as --model


def test_pack_refuses_a_folder_without_safetensors(tmp_path):
    with pytest.raises(FileNotFoundError, match="safetensors"):
        pack_model(tmp_path, tmp_path / "out")


def test_shipped_default_is_small_and_fine_tuned():
    shipped = shipped_retriever()
    total = sum(p.stat().st_size for p in shipped.rglob("*") if p.is_file())
    assert total <= 25 * 1024 * 1024
    record = json.loads((shipped / MODEL_RECORD).read_text())
    assert record["config"]["base"] == "sentence-transformers/all-MiniLM-L6-v2"
    assert recommended_fusion(None) == record["fusion"]
    # the shipped weights are the packed int8 file (no float32 copy), as its card says
    from safetensors import safe_open

    from toolrag.index.packed import PACK_FORMAT, PACKED_WEIGHTS

    assert not list(shipped.glob("model.safetensors")) and not list(shipped.glob("*.bin"))
    with safe_open(str(shipped / PACKED_WEIGHTS), "np") as f:
        assert f.metadata()["format"] == PACK_FORMAT
        dtypes = {f.get_slice(k).get_dtype() for k in f.keys()}  # noqa: SIM118
    assert "I8" in dtypes
    assert f"`{PACKED_WEIGHTS}`" in (shipped / "README.md").read_text()
    default, base = encode(load_encoder(None), TEXTS), encode(load_encoder("minilm"), TEXTS)
    assert not np.allclose(default, base, atol=1e-3)  # not the untrained base


def test_labels_name_the_shipped_version_and_refuse_an_older_one():
    label = model_label(None)
    assert label.startswith("toolrag-retriever@")
    assert resolve_model(label) == resolve_model(None)
    assert model_label("minilm") == "sentence-transformers/all-MiniLM-L6-v2"
    with pytest.raises(ValueError, match="rebuild the index"):
        resolve_model("toolrag-retriever@000000000000")


def test_the_cli_packs_a_retriever(tmp_path):
    from typer.testing import CliRunner

    from toolrag.cli import app

    out = tmp_path / "packed"
    result = CliRunner().invoke(
        app, ["train", "pack", str(resolve_model("minilm")), "--out", str(out), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["model"] == str(out)
    assert (out / PACKED_WEIGHTS).is_file()
