"""Ship a fine-tuned sentence-transformers model small: int8 weights, unpacked once into the cache.

A MiniLM-L6 folder holds 87 MB of float32 weights. ``pack_model`` stores every large 2-D weight
matrix as int8 with one float32 scale per row (symmetric, per-channel); biases, LayerNorms and
small tensors stay as they are: about a quarter of the size. (torch's per-channel quantizers are
deprecated, so the two lines of rounding are written out.) ``unpacked_folder`` turns the packed
folder back into a plain float32 sentence-transformers folder under the cache (atomically, once
per packed file), so everything downstream -- ``SentenceTransformer(DIR)``, index manifests, the
ONNX query encoder -- sees an ordinary model. Compute stays float32; only the weights carry the
rounding error.

Example:
    >>> pack_model(Path("models/retriever"), Path("retriever/data/default"))  # doctest: +SKIP
    >>> SentenceTransformer(str(unpacked_folder(Path("retriever/data/default"))))  # doctest: +SKIP
"""

from __future__ import annotations

import json
import shutil
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from toolrag.cache import cache_root, file_sha256, staged_folder

PACKED_WEIGHTS = "model.int8.safetensors"
PACK_FORMAT = "toolrag-int8-per-row/1"
_MIN_NUMEL = 4096  # smaller matrices are not worth quantizing
_PACK_NOTE = f"""## Packed weights

The weights are stored as int8 with one float32 scale per row ({PACK_FORMAT}) in
`{PACKED_WEIGHTS}`, packed from the float32 model `{{src}}` by `toolrag train pack {{src}} --out <this folder>`.
toolrag unpacks them to a plain float32 folder in its cache on first use
(`toolrag.index.packed.unpacked_folder`); `toolrag index build --model <this folder>` takes the packed
folder directly."""
_SKIP = {"checkpoints", "model.safetensors", "pytorch_model.bin", "onnx"}


if TYPE_CHECKING:  # PyTorch loads only to pack or unpack, never to read a digest
    import torch


def _quantize(weight: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    import torch

    scales = (weight.abs().amax(dim=1) / 127.0).clamp(min=1e-12)
    q = torch.round(weight / scales[:, None]).clamp(-127, 127).to(torch.int8)
    return q, scales


def pack_model(model_dir: Path, out: Path) -> Path:
    """Write ``out``: the model folder's files with its weights packed to int8 per row.

    Raises:
        FileNotFoundError: ``model_dir`` has no ``model.safetensors``.
    """
    from safetensors.torch import load_file, save_file

    model_dir, out = Path(model_dir), Path(out)
    weights = model_dir / "model.safetensors"
    if not weights.is_file():
        raise FileNotFoundError(
            f"{weights} not found: pass a sentence-transformers folder saved in safetensors form"
        )
    state = load_file(str(weights))
    packed: dict[str, torch.Tensor] = {}
    for name, tensor in state.items():
        if tensor.ndim == 2 and tensor.is_floating_point() and tensor.numel() >= _MIN_NUMEL:
            packed[f"{name}.int8"], packed[f"{name}.scale"] = _quantize(tensor.float())
        else:
            packed[name] = tensor.contiguous()
    with staged_folder(out, replace=True) as staging:
        _copy_files(model_dir, staging, skip=_SKIP | {PACKED_WEIGHTS})
        save_file(packed, str(staging / PACKED_WEIGHTS), metadata={"format": PACK_FORMAT})
        card = staging / "README.md"
        text = card.read_text() if card.exists() else ""
        card.write_text(text.rstrip() + "\n\n" + _PACK_NOTE.format(src=model_dir.name) + "\n")
    return out


def _copy_files(src: Path, dst: Path, *, skip: set[str]) -> None:
    """Copy ``src``'s files and sub-folders into ``dst``, leaving out ``skip`` and hidden ones."""
    for path in src.iterdir():
        if path.name in skip or path.name.startswith("."):
            continue
        if path.is_dir():
            shutil.copytree(path, dst / path.name)
        else:
            shutil.copy2(path, dst / path.name)


def unpack_state(packed_file: Path) -> dict[str, torch.Tensor]:
    """The float32 state dict stored in a packed weights file."""
    from safetensors.torch import load_file

    packed = load_file(str(packed_file))
    state: dict[str, torch.Tensor] = {}
    for name, tensor in packed.items():
        if name.endswith(".scale"):
            continue
        if name.endswith(".int8"):
            base = name.removesuffix(".int8")
            state[base] = tensor.float() * packed[f"{base}.scale"][:, None]
        else:
            state[name] = tensor
    return state


def is_packed(folder: Path) -> bool:
    return (Path(folder) / PACKED_WEIGHTS).is_file()


def packed_digest(folder: Path) -> str:
    """sha256 of the packed weights file: names the unpacked copy in the cache and the index
    label. Computed once per file version (path, size, mtime), not on every model lookup."""
    path = (Path(folder) / PACKED_WEIGHTS).resolve()
    stat = path.stat()
    return _file_sha256(str(path), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=16)
def _file_sha256(path: str, size: int, mtime_ns: int) -> str:
    """:func:`file_sha256`, cached while the file's size and mtime stay the same."""
    return file_sha256(Path(path))


def unpacked_folder(folder: Path, name: str = "retriever") -> Path:
    """A plain float32 sentence-transformers folder for a packed one, made on first use."""
    folder = Path(folder)
    digest = packed_digest(folder)
    target = cache_root() / "models" / f"{name}-{digest[:16]}"
    if (target / "model.safetensors").is_file():
        return target
    from safetensors.torch import save_file

    with staged_folder(target) as staging:
        _copy_files(folder, staging, skip={PACKED_WEIGHTS})
        save_file(unpack_state(folder / PACKED_WEIGHTS), str(staging / "model.safetensors"))
        (staging / "unpacked_from.json").write_text(
            json.dumps({"packed": str(folder), "sha256": digest}) + "\n"
        )
    return target
