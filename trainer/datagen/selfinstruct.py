"""Self-instruct generation in the Seal-Tools manner: fields -> tools -> single, multiple and
nested instances, each generated under a JSON schema and passed through :mod:`quality`.

Outputs load straight into training: tools are Seal-Tools JSONL (``toolrag train retriever
--tools``), instances are Seal-Tools instances with ``API_call_N`` references (``--train``).

Example:
    >>> llm = CachedLLM(make_llm("local:smollm2-135m"), Path(".cache/datagen"))  # doctest: +SKIP
    >>> tools, report = generate_tools(llm, ["Oceanography"], per_field=3)  # doctest: +SKIP
"""

from __future__ import annotations

import json
import os
import random
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from agent.llm import ChatLLM, Request, complete_many
from agent.plan import to_internal, to_seal
from agent.prompt import tool_doc
from index.formats.seal import from_records, to_record
from toolrag.errors import ConfigError
from toolrag.sample import sample_instances, sample_tools
from toolrag.types import Instance, Tool
from trainer.datagen.quality import (
    INSTANCE_SCHEMA,
    TOOL_SCHEMA,
    DuplicateFilter,
    Report,
    Verdict,
    check_instance,
    check_tool_record,
    compatible,
    parse_json,
    reject,
)

KINDS = ("single", "multiple", "nested")

_TOOL_SYSTEM = "You design web APIs and describe them as JSON specifications."
_TOOL_PROMPT = """Field: {field}
Invent one practical API that people working in this field would call.{avoid}
Reply with a JSON object with these keys:
- "api_name": lowerCamelCase: a verb, then the specific thing in this field it acts on
- "api_description": one sentence on what the API does
- "parameters": each input's snake_case name mapped to {{"type": one of str, int, float, bool, \
list, dict; "description": what it is, ending with an example value like (e.g., 42)}}
- "required": the inputs the API cannot work without
- "responses": each output's snake_case name mapped to {{"type": ..., "description": ...}}"""

_INSTANCE_SYSTEM = (
    "You write realistic requests to an assistant, with the API calls that serve them."
)
_INSTANCE_PROMPT = """APIs:
{docs}

Write one request a user might make that needs {need}. Write it in plain words, as a person \
would say it: never mention API names. State every input value the calls need in the request \
itself. Then list the calls that answer it, in order.{nesting}
Reply with a JSON object: {{"query": the request, "calling": [{{"api": API name, "parameters": \
{{input name: value}}}}]}}"""

_NEED = {
    "single": "exactly one call to {names}",
    "multiple": "{count} independent calls: {names}",
    "nested": "{count} calls: {names}",
}


def call_schema(tools: Sequence[Tool]) -> dict[str, Any]:
    """The instance schema narrowed to ``tools``: each call names one of them and takes only that
    tool's parameters, its required ones included (values are free: a reference is a string)."""
    schema = json.loads(json.dumps(INSTANCE_SCHEMA))
    schema["properties"]["calling"]["items"] = {
        "anyOf": [
            {
                "type": "object",
                "properties": {
                    "api": {"const": t.name},
                    "parameters": {
                        "type": "object",
                        "properties": {p.name: {} for p in t.parameters},
                        "required": [p.name for p in t.parameters if p.required],
                        "additionalProperties": False,
                    },
                },
                "required": ["api", "parameters"],
                "additionalProperties": False,
            }
            for t in tools
        ]
    }
    return schema


def write_jsonl(path: Path, rows: Iterable[Any]) -> None:
    """Write JSON lines atomically: a crash leaves the old file (or none), never half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with tmp.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def write_report(out: Path, report: Report, extra: dict[str, Any] | None = None) -> Path:
    """``<out>.report.json`` (counts by reason) and ``<out>.rejected.jsonl`` (each rejection)."""
    path = out.with_name(out.name + ".report.json")
    path.write_text(json.dumps(report.to_json() | (extra or {}), indent=2) + "\n")
    write_jsonl(out.with_name(out.name + ".rejected.jsonl"), report.examples)
    return path


def read_fields(path: Path) -> list[str]:
    """Fields from JSONL (``{"field": ...}`` per line) or plain text (one field per line)."""
    fields = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        if line.startswith("{"):
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as err:
                raise ConfigError(f"{path} line {n}: not JSON ({err})") from None
            if not isinstance(rec.get("field"), str) or not rec["field"].strip():
                raise ConfigError(f"{path} line {n}: needs a non-empty 'field' string")
            fields.append(rec["field"].strip())
        else:
            fields.append(line)
    if not fields:
        raise ConfigError(f"{path} names no fields: write one field per line")
    return fields


# -- tools --------------------------------------------------------------------------------------


def generate_tools(
    llm: ChatLLM,
    fields: Sequence[str],
    per_field: int,
    *,
    existing: Sequence[Tool] = (),
    seed: int = 0,
    encoder: str | None = None,
    max_tokens: int = 360,
    on_done: Callable[[], None] | None = None,
) -> tuple[list[dict[str, Any]], Report]:
    """``per_field`` tools per field, as Seal-Tools records, deduplicated against ``existing``."""
    requests, owners = [], []
    for f_i, field in enumerate(fields):
        known = [t.name for t in existing if t.domain == field][:12]
        avoid = f" Do not repeat these existing APIs: {', '.join(known)}." if known else ""
        for k in range(per_field):
            prompt = _TOOL_PROMPT.format(field=field, avoid=avoid)
            requests.append(
                Request.chat(
                    _TOOL_SYSTEM,
                    prompt,
                    json_schema=TOOL_SCHEMA,
                    max_tokens=max_tokens,
                    temperature=0.9,
                    seed=seed * 1_000_003 + f_i * 1_009 + k,
                )
            )
            owners.append(field)
    outputs = complete_many(llm, requests, on_done=on_done)
    dedup = DuplicateFilter(existing, encoder=encoder)
    report, kept = Report(), []
    for field, text in zip(owners, outputs, strict=True):
        if isinstance(text, Exception):
            report.add(reject("llm_error", str(text)), {"field": field})
            continue
        record, verdict = parse_json(text)
        if verdict.kept:
            verdict = check_tool_record(record)
        if verdict.kept:
            verdict = dedup.check(record["api_name"], record["api_description"])
        item = record if isinstance(record, dict) else {"text": text}
        report.add(verdict, item | {"field": field})
        if verdict.kept:
            tool = from_records([record | {"field": field}])[0]
            kept.append(to_record(tool))
    return kept, report


# -- instances ----------------------------------------------------------------------------------


def _nested_pair(tools: Sequence[Tool], rng: random.Random) -> tuple[Tool, Tool, str, str] | None:
    """Two tools where an output of the first can fill a parameter of the second; pairs whose
    names share a word are preferred (``location`` -> ``location``)."""
    options: list[tuple[int, Tool, Tool, str, str]] = []
    for a in tools:
        for b in tools:
            if a.name == b.name:
                continue
            for out in a.outputs:
                for p in b.parameters:
                    if compatible(out.type, p.type):
                        words = set(re.split(r"[_\W]+", out.name)) & set(
                            re.split(r"[_\W]+", p.name)
                        )
                        options.append((len(words), a, b, out.name, p.name))
    if not options:
        return None
    best = max(o[0] for o in options)
    _, a, b, out, param = rng.choice([o for o in options if o[0] == best])
    return a, b, out, param


def _instance_prompt(kind: str, picked: Sequence[Tool], hint: str) -> str:
    """The request for one instance of ``kind`` over ``picked`` (``hint``: the nesting line)."""
    names = ", ".join(t.name for t in picked)
    return _INSTANCE_PROMPT.format(
        docs="\n".join(tool_doc(t) for t in picked),
        need=_NEED[kind].format(names=names, count=len(picked)),
        nesting=hint,
    )


def _hint(a: str, b: str, out: str, param: str) -> str:
    return (
        f' Call {a} first; {b} must take its "{param}" from {a}\'s output '
        f'"{out}": write that value as the text "$0.{out}" instead of a literal value.'
    )


def demonstrations(
    instances: Sequence[Instance], tools: Sequence[Tool], *, max_calls: int = 3
) -> dict[str, list[tuple[str, str]]]:
    """Worked examples for the instance prompt, by kind: ``(prompt, reply)`` pairs built from
    labelled instances exactly as a generation request is built, so a small model sees what a
    plain-words request looks like (without one, a 0.5B model writes the call itself as the
    request). Instances with more than ``max_calls`` calls, tools outside ``tools``, or nesting
    other than one call feeding the next are skipped, to keep prompts short and uniform."""
    catalog = {t.name: t for t in tools}
    out: dict[str, list[tuple[str, str]]] = {k: [] for k in KINDS}
    for inst in instances:
        if len(inst.calls) > max_calls or any(c.api not in catalog for c in inst.calls):
            continue
        plan = to_internal(inst.calls, catalog)
        picked = [catalog[c.api] for c in inst.calls]
        kind = inst.category.value
        if kind == "single" and len(picked) != 1:
            continue
        hint = ""
        if kind == "nested":
            refs = [
                (j, name, value)
                for j, call in enumerate(plan)
                for name, value in call["parameters"].items()
                if isinstance(value, str) and value.startswith("$")
            ]
            if len(plan) != 2 or len(refs) != 1 or refs[0][0] != 1:
                continue
            _, param, value = refs[0]
            hint = _hint(plan[0]["api"], plan[1]["api"], value.split(".", 1)[1], param)
        prompt = _instance_prompt(kind, picked, hint)
        reply = json.dumps({"query": inst.query, "calling": plan}, ensure_ascii=False)
        out[kind].append((prompt, reply))
    return out


def sample_demonstrations() -> dict[str, list[tuple[str, str]]]:
    """Worked examples from the bundled sample's labelled instances (:mod:`toolrag.sample`):
    the default when the user gives none, whatever toolset is generated for (an example shows
    the form of a request and its calls, not the tools to use)."""
    return demonstrations(sample_instances(), sample_tools())


def _choose(kind: str, tools: Sequence[Tool], groups: dict[str | None, list[Tool]], rng):
    """The tools for one instance and the nesting hint (or ``None`` if this kind cannot be made)."""
    if kind == "single":
        return [rng.choice(tools)], ""
    domain = rng.choice([d for d, ts in groups.items() if len(ts) >= 2] or [None])
    pool = groups.get(domain, list(tools)) if domain is not None else list(tools)
    if len(pool) < 2:
        return None
    if kind == "multiple":
        return rng.sample(pool, min(len(pool), rng.choice([2, 2, 3]))), ""
    pair = _nested_pair(pool, rng) or _nested_pair(list(tools), rng)
    if pair is None:
        return None
    a, b, out, param = pair
    return [a, b], _hint(a.name, b.name, out, param)


def generate_instances(
    llm: ChatLLM,
    tools: Sequence[Tool],
    kinds: Sequence[str],
    n: int,
    *,
    seed: int = 0,
    max_tokens: int = 320,
    examples: dict[str, list[tuple[str, str]]] | None = None,
    on_done: Callable[[], None] | None = None,
) -> tuple[list[dict[str, Any]], Report]:
    """``n`` instances spread evenly over ``kinds``, in Seal-Tools form.

    ``examples`` (from :func:`demonstrations`) puts one worked example of the same kind, drawn
    at random, before each request as an earlier turn of the conversation."""
    unknown = set(kinds) - set(KINDS)
    if unknown or not kinds:
        raise ConfigError(f"unknown kinds {sorted(unknown)}; choose from {list(KINDS)}")
    if not tools:
        raise ConfigError("no tools to write instances for")
    rng = random.Random(seed)
    groups = by_domain(tools)
    jobs: list[tuple[str, list[Tool], Request]] = []
    report = Report()
    for i in range(n):
        kind = kinds[i % len(kinds)]
        chosen = _choose(kind, tools, groups, rng)
        if chosen is None:
            report.add(reject("no_suitable_tools", f"no tools fit a {kind} instance"), {})
            continue
        picked, hint = chosen
        schema = call_schema(picked)
        prompt = _instance_prompt(kind, picked, hint)
        pool = (examples or {}).get(kind) or [e for es in (examples or {}).values() for e in es]
        shots = [rng.choice(pool)] if pool else []
        jobs.append(
            (
                kind,
                picked,
                Request.chat(
                    _INSTANCE_SYSTEM,
                    prompt,
                    shots=shots,
                    json_schema=schema,
                    max_tokens=max_tokens,
                    temperature=0.8,
                    seed=seed * 1_000_003 + i,
                ),
            )
        )
    outputs = complete_many(llm, [j[2] for j in jobs], on_done=on_done)
    catalog = {t.name: t for t in tools}
    seen: set[str] = set()
    kept = []
    for (kind, picked, _), text in zip(jobs, outputs, strict=True):
        item: dict[str, Any] = {"kind": kind, "tools": [t.name for t in picked]}
        if isinstance(text, Exception):
            report.add(reject("llm_error", str(text)), item)
            continue
        record, verdict = parse_json(text)
        if verdict.kept:
            verdict = check_instance(record, catalog, kind=kind)
        if verdict.kept:
            key = " ".join(record["query"].lower().split())
            if key in seen:
                verdict = Verdict("duplicate_query", "the same request was written before")
            seen.add(key)
        report.add(verdict, item | {"output": record if record is not None else text})
        if verdict.kept:
            kept.append(seal_instance(f"gen-{kind}-{len(kept)}", record, catalog))
    return kept, report


def seal_instance(
    instance_id: str, record: dict[str, Any], catalog: dict[str, Tool]
) -> dict[str, Any]:
    """A checked ``{"query", "calling"}`` record (internal ``$i.field`` references) as a
    Seal-Tools instance line (``API_call_N`` references, response ids)."""
    calls = to_seal(record["calling"], catalog)
    return {
        "id": instance_id,
        "query": record["query"],
        "calling": [c.model_dump() for c in calls],
    }


def by_domain(tools: Sequence[Tool]) -> dict[str | None, list[Tool]]:
    """Tools grouped by their domain, in first-seen order."""
    groups: dict[str | None, list[Tool]] = {}
    for t in tools:
        groups.setdefault(t.domain, []).append(t)
    return groups
