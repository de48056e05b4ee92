"""``toolrag datagen``: training data from an LLM."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from toolrag.agent.llm import DEFAULT_LLM
from toolrag.cli.common import (
    EXPECTED_ERRORS,
    CacheOpt,
    JsonOpt,
    LlmOpt,
    MaxTokensOpt,
    SeedOpt,
    _cap,
    _datagen_done,
    _datagen_llm,
    _fail,
    _progress,
    datagen_app,
)
from toolrag.errors import ConfigError


@datagen_app.command("tools")
def datagen_tools(
    fields: Annotated[
        Path, typer.Option("--fields", help="Fields: JSONL {'field': ...} or one per line.")
    ],
    per_field: Annotated[int, typer.Option("--per-field", help="Tools to generate per field.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output tools (Seal-Tools JSONL).")],
    existing: Annotated[
        list[Path] | None,
        typer.Option("--existing", help="Toolset(s) the new tools must not duplicate."),
    ] = None,
    llm: LlmOpt = DEFAULT_LLM,
    cache: CacheOpt = None,
    seed: SeedOpt = 0,
    max_tokens: MaxTokensOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Self-instruct tools per field, checked for schema, duplicates and near-duplicates."""
    from toolrag.index.toolset import load_toolset
    from toolrag.trainer.datagen.selfinstruct import generate_tools, read_fields, write_jsonl

    try:
        names = read_fields(fields)
        known = load_toolset(existing) if existing else []
        if per_field < 1:
            raise ConfigError("--per-field must be at least 1")
        model = _datagen_llm(llm, out, cache)
        with _progress(len(names) * per_field, "tools", as_json) as tick:
            rows, report = generate_tools(
                model,
                names,
                per_field,
                existing=known,
                seed=seed,
                on_done=tick,
                **_cap(max_tokens),
            )
        write_jsonl(out, rows)
    except EXPECTED_ERRORS as err:
        _fail(err)
    _datagen_done(out, len(rows), report, as_json, model)


@datagen_app.command("instances")
def datagen_instances(
    tools: Annotated[list[Path], typer.Option("--tools", help="Toolset file(s).")],
    n: Annotated[int, typer.Option("--n", help="Instances to generate (before filtering).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output instances (Seal-Tools JSONL).")],
    kinds: Annotated[
        str, typer.Option("--kinds", help="Comma-separated: single,multiple,nested.")
    ] = "single,multiple,nested",
    examples: Annotated[
        Path | None,
        typer.Option(
            "--examples",
            help="Labelled instances (Seal-Tools .jsonl) over tools in --tools, shown as one "
            "worked example per request (few-shot); default: the bundled sample's.",
        ),
    ] = None,
    llm: LlmOpt = DEFAULT_LLM,
    cache: CacheOpt = None,
    seed: SeedOpt = 0,
    max_tokens: MaxTokensOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Queries with gold calls (nested ones use earlier outputs), checked for grounding,
    required parameters, real tools and valid nesting."""
    from toolrag.index.toolset import load_toolset
    from toolrag.instances import read_instances
    from toolrag.trainer.datagen.selfinstruct import (
        demonstrations,
        generate_instances,
        sample_demonstrations,
        write_jsonl,
    )

    try:
        toolset = load_toolset(tools)
        if examples is None:
            shots = sample_demonstrations()
        else:
            shots = demonstrations(read_instances(examples), toolset)
            if not any(shots.values()):
                raise ConfigError(
                    f"{examples} has no instance usable as an example: each needs at most 3 "
                    "calls, all to tools in --tools"
                )
        model = _datagen_llm(llm, out, cache)
        with _progress(2 * n, "LLM requests", as_json) as tick:
            rows, report = generate_instances(
                model,
                toolset,
                [k.strip() for k in kinds.split(",") if k.strip()],
                n,
                seed=seed,
                examples=shots,
                on_done=tick,
                **_cap(max_tokens),
            )
        write_jsonl(out, rows)
    except EXPECTED_ERRORS as err:
        _fail(err)
    _datagen_done(out, len(rows), report, as_json, model)


@datagen_app.command("simulate")
def datagen_simulate(
    tools: Annotated[list[Path], typer.Option("--tools", help="Toolset file(s).")],
    n: Annotated[int, typer.Option("--n", help="Episodes to simulate.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output trajectories (JSONL).")],
    instances_out: Annotated[
        Path | None,
        typer.Option(
            "--instances-out", help="Planner training data; default <out>.instances.jsonl."
        ),
    ] = None,
    max_steps: Annotated[int, typer.Option("--max-steps", help="Assistant steps per episode.")] = 4,
    llm: LlmOpt = DEFAULT_LLM,
    cache: CacheOpt = None,
    seed: SeedOpt = 0,
    max_tokens: MaxTokensOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """ToolAlpaca-style simulation: user, assistant and tool-executor agents; trajectories that
    end in a final answer are kept and converted to planner training data."""
    from toolrag.index.toolset import load_toolset
    from toolrag.trainer.datagen.selfinstruct import write_jsonl
    from toolrag.trainer.datagen.simulate import simulate

    try:
        toolset = load_toolset(tools)
        model = _datagen_llm(llm, out, cache)
        with _progress(max_steps, "rounds", as_json) as tick:
            trajectories, instances, report = simulate(
                model,
                toolset,
                n,
                seed=seed,
                max_steps=max_steps,
                on_round=tick,
                **_cap(max_tokens),
            )
        target = instances_out or out.with_name(out.stem + ".instances.jsonl")
        write_jsonl(out, trajectories)
        write_jsonl(target, instances)
    except EXPECTED_ERRORS as err:
        _fail(err)
    _datagen_done(out, len(trajectories), report, as_json, model, instances=str(target))


@datagen_app.command("functions")
def datagen_functions(
    apis: Annotated[
        Path, typer.Option("--apis", help="ToolAlpaca's public API list (public_apis.json).")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")],
    n: Annotated[int, typer.Option("-n", help="Instances to make.")] = 2000,
    seed: SeedOpt = 0,
    share: Annotated[
        str,
        typer.Option(
            "--share",
            help="train: the APIs training data is made from; heldout: the others (a test set "
            "over unseen APIs).",
        ),
    ] = "train",
    as_json: JsonOpt = False,
) -> None:
    """Function-calling instances over functions made from a public API list (no LLM):
    schema-reading values, multiple choice, parallel calls, nested objects, no-tool requests."""
    import shlex
    import sys

    from toolrag.cli.common import _print_json, console
    from toolrag.trainer.datagen.functions import generate, write

    try:
        if n < 1:
            raise ConfigError("-n must be at least 1")
        if not apis.is_file():
            raise ConfigError(f"--apis {apis}: no such file")
        if share not in ("train", "heldout"):
            raise ConfigError(f"--share {share}: choose train or heldout")
        functions, instances, report = generate(apis, n, seed=seed, share=share)
        command = "toolrag " + " ".join(shlex.quote(a) for a in sys.argv[1:])
        write(out, functions, instances, report, apis_path=apis, command=command)
    except EXPECTED_ERRORS as err:
        _fail(err)
    if as_json:
        _print_json({"out": str(out)} | report)
        return
    console.print(
        f"Wrote [bold]{len(instances)}[/] instances over {len(functions)} functions to {out} "
        f"({report['reads_description']} need a description read; by kind {report['by_kind']})."
    )


@datagen_app.command("mix")
def datagen_mix(
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")],
    apis: Annotated[
        Path | None,
        typer.Option(
            "--apis",
            help="ToolAlpaca's public API list (public_apis.json): its training share adds "
            "function-calling requests (20%); without it the written sources fill the mix.",
        ),
    ] = None,
    n: Annotated[int, typer.Option("-n", help="Instances to make (before checks).")] = 8000,
    seed: SeedOpt = 0,
    max_repeats: Annotated[
        int,
        typer.Option("--max-repeats", help="Keep a request written word for word at most N times."),
    ] = 3,
    as_json: JsonOpt = False,
) -> None:
    """The planner's mixed training set for what fails (no LLM): chains over API-shaped tools
    (with and without output schemas), parallel requests over near misses, values that need
    knowledge, nothing-fits requests, and function-calling requests; checked against the
    schemas, with a manifest of checksums and counts per kind."""
    import shlex
    import sys

    from toolrag.cli.common import _print_json, console
    from toolrag.trainer.datagen.mix import generate_mix, write_mix

    try:
        if n < 1:
            raise ConfigError("-n must be at least 1")
        if apis is not None and not apis.is_file():
            raise ConfigError(f"--apis {apis}: no such file")
        if max_repeats < 1:
            raise ConfigError("--max-repeats must be at least 1")
        functions, rows, report = generate_mix(apis, n, seed=seed, max_repeats=max_repeats)
        command = "toolrag " + " ".join(shlex.quote(a) for a in sys.argv[1:])
        write_mix(out, functions, rows, report, apis_path=apis, command=command)
    except EXPECTED_ERRORS as err:
        _fail(err)
    if as_json:
        _print_json({"out": str(out)} | report)
        return
    console.print(
        f"Wrote [bold]{len(rows)}[/] instances over {len(functions)} functions to {out} "
        f"(by source {report['by_source']}; {report['with_references']} with references, "
        f"{report['empty_plans']} planned []; rejected {report['rejected']})."
    )
