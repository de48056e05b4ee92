"""Export a planner to ONNX Runtime GenAI once, and find the export again.

An export is a folder with ``genai_config.json``, ``model.onnx`` (+ ``.data``), the tokenizer and
a manifest, ``toolrag_onnx.json``, that names the source weights' checksum, the precision and each
file's sha256. Exports live in ``<cache>/models/onnx/<checksum>-<precision>``, or beside an
adapter that ``toolrag train planner`` wrote (``<adapter>/onnx-<precision>``).

The conversion merges the LoRA adapter into its base (transformers + peft), runs the ONNX Runtime
GenAI model builder on the merged folder, and checks that the export's next-token logits agree
with the merged float32 model on fixed prompts before publishing it. It writes into a staging
folder renamed into place at the end, so an interrupted conversion leaves nothing behind; an
export whose files do not match its manifest is rebuilt, never used.
"""

from __future__ import annotations

import hashlib
import json
import logging
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from toolrag.agent.models import PRECISIONS
from toolrag.cache import cache_root, file_sha256, file_stamp, first_changed, staged_folder
from toolrag.errors import ConfigError, ToolragError

logger = logging.getLogger(__name__)

EXPORT_FORMAT = "toolrag-onnx/3"  # 2: the manifest records file stamps; 3: BUILDER_OPTIONS
BUILDER_OPTIONS = ("prune_lm_head=true",)
"""Model builder options: the LM head runs on the last position only. The planner reads only the
next token's logits, so they are the same (bit for bit on the shipped planner), and a prompt's
prefill skips a vocabulary-sized product per token (450 tokens: 2.3 -> 1.6 s on 2 cores;
``experiments/2026-12-04-pruned-head``)."""
MANIFEST = "toolrag_onnx.json"
CHECK_PROMPTS = (
    "Book a flight from Oslo to Rome on 2024-05-01 and email the booking id to my boss.",
    '[{"api":"getWeather","parameters":{"city":"Paris"}}]',
)
MIN_COSINE = {"fp32": 0.999, "int8": 0.98, "int4": 0.9}
"""Least cosine similarity between the export's and the float32 model's next-token logits."""


class ExportError(ToolragError, RuntimeError):
    """The model builder failed, or its output disagrees with the source model."""


def source_checksum(model: str | None) -> str:
    """A checksum of the weights ``model`` names: what an export is keyed by."""
    from toolrag.agent.models import PACKAGED, default_planner, resolve_base

    name = model or default_planner()
    path = Path(name)
    if (path / "adapter_config.json").exists():
        from toolrag.agent.adapter import read_base

        files = [*sorted(path.glob("adapter_model.*")), path / "adapter_config.json"]
        base = read_base(path)
        base_id = PACKAGED[base].sha256 if base in PACKAGED else source_checksum(base)
        return hashlib.sha256((file_sha256(*files) + base_id).encode()).hexdigest()
    if name in PACKAGED:
        return PACKAGED[name].sha256
    folder = Path(resolve_base(name))
    weights = sorted(folder.glob("*.safetensors")) + sorted(folder.glob("*.bin"))
    if not weights:
        raise FileNotFoundError(f"{name}: no model weights (*.safetensors) in {folder}")
    return file_sha256(*weights, folder / "config.json")


def export_dir(checksum: str, precision: str) -> Path:
    """Where the cached export of the weights with :func:`source_checksum` ``checksum`` in
    ``precision`` lives."""
    return cache_root() / "models" / "onnx" / f"{checksum[:16]}-{precision}"


def read_manifest(folder: Path) -> dict[str, Any] | None:
    try:
        return json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError):
        return None


def is_valid(folder: Path, checksum: str, precision: str) -> bool:
    """True when ``folder`` is a complete export of these weights in this precision, its files
    matching the manifest's sha256. Files whose size and modification time are still those the
    manifest recorded when it was written are not hashed again (a load then costs no pass over
    the weights); any other file is."""
    manifest = read_manifest(folder)
    if not manifest or manifest.get("format") != EXPORT_FORMAT:
        return False
    if manifest.get("source") != checksum or manifest.get("precision") != precision:
        return False
    changed = first_changed(folder, manifest.get("files", {}), manifest.get("stamps", {}))
    if changed is not None:
        logger.warning("ONNX export %s: %s does not match its manifest", folder, changed)
        return False
    return bool(manifest.get("files"))


def onnx_model(model: str | None, precision: str = "int8", *, progress: bool = True) -> Path:
    """The folder of ``model``'s ONNX export in ``precision``, converting it on first use.

    Looks beside the adapter (``<adapter>/onnx-<precision>``, written by training), then in the
    cache; a missing or corrupt export is (re)built into the cache.
    """
    if precision not in PRECISIONS["onnx"]:
        raise ConfigError(f"precision={precision!r}; ONNX exports are {PRECISIONS['onnx']}")
    checksum = source_checksum(model)
    candidates = []
    if model and (Path(model) / "adapter_config.json").exists():
        candidates.append(Path(model) / f"onnx-{precision}")
    target = export_dir(checksum, precision)
    candidates.append(target)
    for folder in candidates:
        if folder.exists() and is_valid(folder, checksum, precision):
            return folder
        if folder.exists():
            # another candidate may still be valid: say what this one is, not what happens next
            made = (read_manifest(folder) or {}).get("format")
            if made and made != EXPORT_FORMAT:
                logger.warning("ONNX export %s is of an older format (%s): not used", folder, made)
            else:
                logger.warning(
                    "ONNX export %s is incomplete, corrupt or of other weights: not used", folder
                )
    export(model, target, precision, progress=progress, checksum=checksum)
    return target


def export(
    model: str | None,
    target: Path,
    precision: str = "int8",
    *,
    progress: bool = True,
    checksum: str | None = None,
) -> dict[str, Any]:
    """Convert ``model`` (adapter folder, model folder or packaged alias) into ``target``,
    replacing what is there; returns the manifest. About 30 s for a 135M model on 2 cores.
    ``checksum``: the model's :func:`source_checksum`, when the caller has it already."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from toolrag.agent.models import load_causal_lm

    checksum = checksum or source_checksum(model)
    logger.info(
        "converting %s to ONNX (%s), once, into %s", model or "the planner", precision, target
    )
    steps = ("merge the adapter", "build the ONNX model", "check its logits", "write")
    with (
        Progress(
            SpinnerColumn(),
            TextColumn("converting the planner to ONNX ({task.description})"),
            TimeElapsedColumn(),
            disable=not (progress and sys.stderr.isatty()),  # a live line only on a terminal
            transient=True,
            redirect_stdout=False,  # other libraries' progress bars write meanwhile
            redirect_stderr=False,
        ) as bar,
        tempfile.TemporaryDirectory(prefix="toolrag-export-") as tmp,
        staged_folder(target, replace=True) as staging,
    ):
        task = bar.add_task(steps[0], total=len(steps))
        lm, tok = load_causal_lm(model)
        merged = Path(tmp) / "merged"
        lm.save_pretrained(merged)
        tok.save_pretrained(merged)
        bar.update(task, advance=1, description=steps[1])
        _build(merged, staging, precision, Path(tmp) / "cache")
        tok.save_pretrained(staging)
        bar.update(task, advance=1, description=steps[2])
        cosines = check_export(lm, tok, staging, precision)
        bar.update(task, advance=1, description=steps[3])
        files = sorted(p for p in staging.iterdir() if p.is_file())
        manifest = {
            "format": EXPORT_FORMAT,
            "source": checksum,
            "model": str(model or "default"),
            "precision": precision,
            "builder": _genai_version(),
            "builder_options": list(BUILDER_OPTIONS),
            "check_cosines": [round(c, 5) for c in cosines],
            "files": {p.name: file_sha256(p) for p in files},
            "stamps": {p.name: file_stamp(p) for p in files},  # kept by the rename below
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
        bar.update(task, advance=1)
    logger.info("exported %s (%s) to %s", model or "the default planner", precision, target)
    return manifest


def _genai_version() -> str:
    import onnxruntime_genai

    return onnxruntime_genai.__version__


def _build(merged: Path, out: Path, precision: str, cache: Path) -> None:
    """Run the ONNX Runtime GenAI model builder (its command line is its stable interface)."""
    cmd = [sys.executable, "-m", "onnxruntime_genai.models.builder"]
    cmd += ["-i", str(merged), "-o", str(out), "-p", precision, "-e", "cpu", "-c", str(cache)]
    cmd += ["--extra_options", *BUILDER_OPTIONS]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout)[-2000:]
        raise ExportError(f"the ONNX model builder failed ({proc.returncode}):\n{tail}")


def check_export(lm: Any, tok: Any, folder: Path, precision: str) -> list[float]:
    """Cosine similarity of the export's and the source model's next-token logits on
    :data:`CHECK_PROMPTS`; raises :class:`ExportError` below :data:`MIN_COSINE` or when the top
    token differs (int8, fp32)."""
    from toolrag.agent.engine import OnnxEngine, TorchEngine

    onnx, torch_engine = OnnxEngine(folder), TorchEngine(lm)
    cosines = []
    for text in CHECK_PROMPTS:
        ids = tok(text, add_special_tokens=False).input_ids
        a, b = onnx.logits(ids), torch_engine.logits(ids)
        cos = float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))
        cosines.append(cos)
        same_top = int(np.argmax(a)) == int(np.argmax(b))
        if cos < MIN_COSINE[precision] or (precision != "int4" and not same_top):
            raise ExportError(
                f"the {precision} export disagrees with the source model on {text!r}: "
                f"logit cosine {cos:.4f}, same top token: {same_top}"
            )
    return cosines
