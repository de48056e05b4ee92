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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolrag.agent.grammar import regex_literal
from toolrag.agent.llm import ChatLLM, Request, complete_many
from toolrag.agent.plan import INTERNAL_REFERENCE, to_internal, to_seal
from toolrag.agent.prompt import tool_doc
from toolrag.errors import ConfigError
from toolrag.index.formats.seal import from_records, to_record
from toolrag.sample import sample_instances, sample_tools
from toolrag.trainer.datagen.quality import (
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
from toolrag.types import Instance, Tool

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
_CALLS_PROMPT = """APIs:
{docs}

A user asks an assistant for something that needs {need}. List those calls, in order, with \
realistic input values that a user would give.{nesting}
Reply with a JSON object: {{"calling": [{{"api": API name, "parameters": {{input name: \
value}}}}]}}"""
_QUERY_PROMPT = """APIs:
{docs}

Calls: {calls}

Write the request a user made that these calls serve: plain words, as a person would say it, \
never an API name, and every input value of the calls said in it.
Reply with a JSON object: {{"query": the request}}"""

_NEED = {
    "single": "exactly one call to {names}",
    "multiple": "{count} independent calls: {names}",
    "nested": "{count} calls: {names}",
}


_FREE = r"[ -#%-^`-z|~]"
_EDGE = r"[ -#%-/:-@\[-^`|~]"
_BEFORE = f"({_FREE}{{0,80}}{_EDGE})?"
_BETWEEN = f"{_EDGE}({_FREE}{{0,60}}{_EDGE})?"
_AFTER = f"({_EDGE}{_FREE}{{0,30}})?"
"""Free text around the values a request must say: printable ASCII on one line, no identifier or
reference (no ``_ $ { }``), and a value stands as whole words (not "en" inside "often")."""


_PLAIN_VALUE = {"type": "string", "pattern": f"^{_FREE}{{1,40}}$"}
"""A free string value: short, printable ASCII on one line, no reference or identifier."""

_NUMBER_BOUND = 10**7
"""Bounds for a number whose schema gives none."""


def _call_item(tool: Tool, reference: tuple[str, str] | None) -> dict[str, Any]:
    """One call of ``tool``: its parameters, typed by its schema, required ones included;
    ``reference`` = (parameter, ``"$0.output"``) fixes that parameter to the reference."""
    properties: dict[str, Any] = {}
    for p in tool.parameters:
        schema = p.value_schema()
        if schema == {"type": "string"}:
            schema = _PLAIN_VALUE
        elif schema.get("type") in ("integer", "number"):  # a small model's digits run on
            schema = {"minimum": -_NUMBER_BOUND, "maximum": _NUMBER_BOUND} | schema
        properties[p.name] = schema
    if reference is not None:
        properties[reference[0]] = {"const": reference[1]}
    return {
        "type": "object",
        "properties": {
            "api": {"const": tool.name},
            "parameters": {
                "type": "object",
                "properties": properties,
                "required": [p.name for p in tool.parameters if p.required]
                + ([reference[0]] if reference and reference[0] not in tool.required else []),
                "additionalProperties": False,
            },
        },
        "required": ["api", "parameters"],
        "additionalProperties": False,
    }


def call_schema(tools: Sequence[Tool], reference: tuple[str, str] | None = None) -> dict[str, Any]:
    """The calls of one instance over ``tools``: one call each, in their order.
    ``reference`` (parameter, ``"$0.output"``) makes the last call take an earlier output (a
    nested instance)."""
    items = [_call_item(t, reference if i == len(tools) - 1 else None) for i, t in enumerate(tools)]
    return {
        "type": "object",
        "properties": {
            "calling": {
                "type": "array",
                "prefixItems": items,
                "items": False,
                "minItems": len(items),
                "maxItems": len(items),
            }
        },
        "required": ["calling"],
        "additionalProperties": False,
    }


def literal_values(calling: Sequence[dict[str, Any]]) -> list[str]:
    """The values a request for ``calling`` must say, as written, in call order, once each:
    strings and numbers (inside lists and objects too); not booleans (implied by wording) or
    references to earlier outputs."""
    out: dict[str, str] = {}

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, bool) or value is None:
            return
        elif isinstance(value, int | float):
            text = f"{value:g}" if isinstance(value, float) else str(value)
            out.setdefault(text.lower(), text)
        elif isinstance(value, str) and value.strip() and not INTERNAL_REFERENCE.match(value):
            out.setdefault(value.strip().lower(), value.strip())

    for call in calling:
        walk(call.get("parameters", {}) if isinstance(call, dict) else {})
    return list(out.values())


def query_schema(values: Sequence[str]) -> dict[str, Any]:
    """The request for calls with these ``values``: one line that says each of them, as
    written and in order, with free words around them (no identifier or reference). Saying the
    values is enforced while decoding, so a small model cannot forget one."""
    if values:
        said = _BETWEEN.join(regex_literal(v) for v in values)
        pattern = f"^{_BEFORE}{said}{_AFTER}$"
    else:
        pattern = f"^{_FREE}{{10,160}}$"
    return {
        "type": "object",
        "properties": {"query": {"type": "string", "pattern": pattern}},
        "required": ["query"],
        "additionalProperties": False,
    }


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


def _docs(picked: Sequence[Tool]) -> str:
    return "\n".join(tool_doc(t) for t in picked)


def _calls_prompt(kind: str, picked: Sequence[Tool], hint: str) -> str:
    """The request for the calls of one instance of ``kind`` over ``picked`` (``hint``: the
    nesting line)."""
    names = ", ".join(t.name for t in picked)
    return _CALLS_PROMPT.format(
        docs=_docs(picked), need=_NEED[kind].format(names=names, count=len(picked)), nesting=hint
    )


def _query_prompt(picked: Sequence[Tool], calling: Any) -> str:
    """The request for the user's words behind ``calling``."""
    return _QUERY_PROMPT.format(docs=_docs(picked), calls=json.dumps(calling, ensure_ascii=False))


@dataclass(frozen=True)
class Example:
    """A worked example of one kind: the calls request, the calls, and the user's request."""

    prompt: str
    calling: list[dict[str, Any]]
    query: str
    picked: tuple[Tool, ...]

    def calls_shot(self) -> tuple[str, str]:
        return self.prompt, json.dumps({"calling": self.calling}, ensure_ascii=False)

    def query_shot(self) -> tuple[str, str]:
        reply = json.dumps({"query": self.query}, ensure_ascii=False)
        return _query_prompt(self.picked, self.calling), reply


def _hint(a: str, b: str, out: str, param: str) -> str:
    return (
        f' Call {a} first; {b} must take its "{param}" from {a}\'s output '
        f'"{out}": write that value as the text "$0.{out}" instead of a literal value.'
    )


def demonstrations(
    instances: Sequence[Instance], tools: Sequence[Tool], *, max_calls: int = 3
) -> dict[str, list[Example]]:
    """Worked examples for both requests, by kind, built from labelled instances exactly as a
    generation request is built, so a small model sees what a plain-words request looks like
    (without one, a 0.5B model writes the call itself as the request). Instances with more
    than ``max_calls`` calls, tools outside ``tools``, or nesting other than one call feeding
    the next are skipped, to keep prompts short and uniform."""
    catalog = {t.name: t for t in tools}
    out: dict[str, list[Example]] = {k: [] for k in KINDS}
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
        prompt = _calls_prompt(kind, picked, hint)
        out[kind].append(Example(prompt, plan, inst.query, tuple(picked)))
    return out


def sample_demonstrations() -> dict[str, list[Example]]:
    """Worked examples from the bundled sample's labelled instances (:mod:`toolrag.sample`):
    the default when the user gives none, whatever toolset is generated for (an example shows
    the form of a request and its calls, not the tools to use)."""
    return demonstrations(sample_instances(), sample_tools())


def _choose(kind: str, tools: Sequence[Tool], groups: dict[str | None, list[Tool]], rng):
    """The tools for one instance, the nesting hint and the nested reference (parameter,
    ``"$0.output"``), or ``None`` if this kind cannot be made."""
    if kind == "single":
        return [rng.choice(tools)], "", None
    domain = rng.choice([d for d, ts in groups.items() if len(ts) >= 2] or [None])
    pool = groups.get(domain, list(tools)) if domain is not None else list(tools)
    if len(pool) < 2:
        return None
    if kind == "multiple":
        return rng.sample(pool, min(len(pool), rng.choice([2, 2, 3]))), "", None
    pair = _nested_pair(pool, rng) or _nested_pair(list(tools), rng)
    if pair is None:
        return None
    a, b, out, param = pair
    return [a, b], _hint(a.name, b.name, out, param), (param, f"$0.{out}")


def _reply_field(text: str | Exception, key: str, kind: type) -> tuple[Any, Verdict, Any]:
    """``(reply[key], verdict, what to report)`` for a JSON object reply: the verdict rejects
    a failed call, a reply that is not JSON, or one whose ``key`` is not a ``kind``."""
    if isinstance(text, Exception):
        return None, reject("llm_error", str(text)), text
    reply, verdict = parse_json(text)
    value = reply.get(key) if isinstance(reply, dict) else None
    if verdict.kept and not isinstance(value, kind):
        verdict = reject("schema", f"the reply has no {key!r} {kind.__name__}")
    return value, verdict, text if reply is None else reply


def generate_instances(
    llm: ChatLLM,
    tools: Sequence[Tool],
    kinds: Sequence[str],
    n: int,
    *,
    seed: int = 0,
    max_tokens: int = 320,
    temperature: float = 0.5,
    examples: dict[str, list[Example]] | None = None,
    on_done: Callable[[], None] | None = None,
) -> tuple[list[dict[str, Any]], Report]:
    """``n`` instances spread evenly over ``kinds``, in Seal-Tools form.

    Each instance takes two requests: first its calls, typed by the tools' schemas, then the
    user's request, which must say every value of the calls (:func:`query_schema`), so values
    are grounded by construction. ``examples`` (from :func:`demonstrations`) puts one worked
    example of the same kind, drawn at random, before each request as an earlier turn of the
    conversation. ``on_done`` is called once per request: ``2 * n`` times in all."""
    unknown = set(kinds) - set(KINDS)
    if unknown or not kinds:
        raise ConfigError(f"unknown kinds {sorted(unknown)}; choose from {list(KINDS)}")
    if not tools:
        raise ConfigError("no tools to write instances for")
    rng = random.Random(seed)
    groups = by_domain(tools)
    jobs: list[tuple[str, list[Tool], Example | None, Request]] = []
    report = Report()
    for i in range(n):
        kind = kinds[i % len(kinds)]
        chosen = _choose(kind, tools, groups, rng)
        if chosen is None:
            report.add(reject("no_suitable_tools", f"no tools fit a {kind} instance"), {})
            continue
        picked, hint, reference = chosen
        pool = (examples or {}).get(kind) or [e for es in (examples or {}).values() for e in es]
        shot = rng.choice(pool) if pool else None
        request = Request.chat(
            _INSTANCE_SYSTEM,
            _calls_prompt(kind, picked, hint),
            shots=[shot.calls_shot()] if shot else [],
            json_schema=call_schema(picked, reference),
            max_tokens=max_tokens,
            temperature=temperature,
            seed=seed * 1_000_003 + i,
        )
        jobs.append((kind, picked, shot, request))
    outputs = complete_many(llm, [j[3] for j in jobs], on_done=on_done)
    second: list[tuple[str, list[Tool], Any, Request]] = []
    for (kind, picked, shot, request), text in zip(jobs, outputs, strict=True):
        item: dict[str, Any] = {"kind": kind, "tools": [t.name for t in picked]}
        calling, verdict, output = _reply_field(text, "calling", list)
        if not verdict.kept:
            report.add(verdict, item | {"output": output})
            if on_done is not None:
                on_done()  # this instance's second request is never made
            continue
        query_request = Request.chat(
            _INSTANCE_SYSTEM,
            _query_prompt(picked, calling),
            shots=[shot.query_shot()] if shot else [],
            json_schema=query_schema(literal_values(calling)),
            max_tokens=max_tokens,
            temperature=temperature,
            seed=request.seed,
        )
        second.append((kind, picked, calling, query_request))
    queries = complete_many(llm, [s[3] for s in second], on_done=on_done)
    catalog = {t.name: t for t in tools}
    seen: set[str] = set()
    kept = []
    for (kind, picked, calling, _), text in zip(second, queries, strict=True):
        item = {"kind": kind, "tools": [t.name for t in picked]}
        query, verdict, _ = _reply_field(text, "query", str)
        record = {"query": query, "calling": calling}
        if verdict.kept:
            verdict = check_instance(record, catalog, kind=kind)
        if verdict.kept:
            key = " ".join(record["query"].lower().split())
            if key in seen:
                verdict = Verdict("duplicate_query", "the same request was written before")
            seen.add(key)
        report.add(verdict, item | {"output": record})
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
