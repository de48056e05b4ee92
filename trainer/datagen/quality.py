"""Quality control for generated tools and instances: every rejection carries a reason.

The filters follow the seed papers' checks: output that is not JSON or does not fit the schema,
duplicate and near-duplicate tools, calls to tools that do not exist, missing required
parameters, parameter values the query never mentions, and nested references that point forward,
to themselves, to an output that does not exist, or to an output of the wrong type.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import jsonschema
import numpy as np

from toolrag.agent.grounding import grounded
from toolrag.agent.llm import first_json
from toolrag.agent.plan import INTERNAL_REFERENCE
from toolrag.types import ParamType, Tool

PARAM_TYPES = ["str", "int", "float", "bool", "list", "dict"]

_FIELD: dict[str, Any] = {
    "type": "object",
    "properties": {
        "type": {"type": "string", "enum": PARAM_TYPES},
        "description": {"type": "string", "minLength": 3, "maxLength": 120},
    },
    "required": ["type", "description"],
    "additionalProperties": False,
}
"""One parameter or response field of a generated tool."""

TOOL_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "api_name": {"type": "string", "pattern": "^[a-z][A-Za-z0-9]{2,40}$"},
        "api_description": {"type": "string", "minLength": 10, "maxLength": 200},
        "parameters": {
            "type": "object",
            "additionalProperties": _FIELD,
            "minProperties": 1,
            "maxProperties": 6,
        },
        "required": {"type": "array", "items": {"type": "string"}, "maxItems": 6},
        "responses": {
            "type": "object",
            "additionalProperties": _FIELD,
            "minProperties": 1,
            "maxProperties": 4,
        },
    },
    "required": ["api_name", "api_description", "parameters", "required", "responses"],
    "additionalProperties": False,
}
"""A generated tool, in the Seal-Tools record form (``field`` is added by the generator)."""

INSTANCE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "query": {"type": "string", "minLength": 10, "maxLength": 600},
        "calling": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "api": {"type": "string"},
                    "parameters": {"type": "object"},
                },
                "required": ["api", "parameters"],
                "additionalProperties": False,
            },
            "minItems": 1,
            "maxItems": 6,
        },
    },
    "required": ["query", "calling"],
    "additionalProperties": False,
}
"""A generated instance: references to earlier outputs are written ``"$<call>.<field>"``."""


@dataclass
class Verdict:
    """Kept, or rejected with a reason code and a human-readable detail."""

    reason: str | None = None
    detail: str = ""

    @property
    def kept(self) -> bool:
        return self.reason is None


def reject(reason: str, detail: str) -> Verdict:
    return Verdict(reason, detail)


KEEP = Verdict()


@dataclass
class Report:
    """Counts of kept and rejected items by reason, plus the rejected items themselves."""

    kept: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    examples: list[dict[str, Any]] = field(default_factory=list)

    def add(self, verdict: Verdict, item: Any) -> None:
        if verdict.kept:
            self.kept += 1
            return
        self.rejected[verdict.reason or "?"] += 1
        self.examples.append({"reason": verdict.reason, "detail": verdict.detail, "item": item})

    POOR_YIELD = 0.3
    """Below this share kept, :meth:`advice` suggests a bigger model."""

    def advice(self, llm_name: str) -> str | None:
        """What to do about a poor yield (``None`` when the yield is fine): small local models
        keep few items, and the most common reason says what they get wrong."""
        total = self.kept + sum(self.rejected.values())
        if not total or self.kept / total >= self.POOR_YIELD:
            return None
        reason = self.rejected.most_common(1)[0][0] if self.rejected else "?"
        return (
            f"poor yield: {self.kept} of {total} kept with {llm_name} (most rejected: {reason}). "
            "Generate more and keep what passes, or use a bigger model: --llm openai:MODEL "
            "(any OpenAI-compatible endpoint, from $OPENAI_BASE_URL and $OPENAI_API_KEY)"
        )

    def to_json(self) -> dict[str, Any]:
        total = self.kept + sum(self.rejected.values())
        return {
            "generated": total,
            "kept": self.kept,
            "acceptance_rate": self.kept / total if total else 0.0,
            "rejected_by_reason": dict(self.rejected.most_common()),
        }


def parse_json(text: str) -> tuple[Any, Verdict]:
    """The first JSON value in ``text`` (:func:`toolrag.agent.llm.first_json`), or the rejection."""
    try:
        return first_json(text), KEEP
    except ValueError as err:
        return None, reject("invalid_json", str(err))


def _schema_error(value: Any, schema: dict[str, Any]) -> str | None:
    error = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(schema).iter_errors(value)
    )
    if error is None:
        return None
    where = "/".join(map(str, error.absolute_path)) or "(root)"
    return f"{where}: {error.message}"


# -- tools --------------------------------------------------------------------------------------


def check_tool_record(record: Any) -> Verdict:
    """JSON Schema of a tool record, and ``required`` naming only real parameters."""
    error = _schema_error(record, TOOL_SCHEMA)
    if error:
        return reject("schema", error)
    unknown = set(record["required"]) - set(record["parameters"])
    if unknown:
        return reject("required_unknown", f"required names unknown parameters {sorted(unknown)}")
    return KEEP


def _name_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


class DuplicateFilter:
    """Rejects a tool whose name repeats a known one, is nearly the same string, or whose
    description embeds (MiniLM) almost on top of a known tool's.

    Args:
        known: tools that exist already (the user's toolset and earlier accepted tools).
        name_ratio: difflib similarity of normalised names at or above which names clash.
        cosine: embedding similarity of the descriptions at or above which tools clash
            (paraphrases of one function score 0.92-0.98 with the default encoder, different
            tools of one domain below 0.5).
        encoder: a sentence-transformers model name or folder; ``None`` is toolrag's default.
    """

    def __init__(
        self,
        known: Sequence[Tool] = (),
        *,
        name_ratio: float = 0.92,
        cosine: float = 0.9,
        encoder: str | None = None,
    ) -> None:
        from toolrag.index.encoder import encode, load_encoder

        self._encode = lambda texts: encode(load_encoder(encoder), texts)
        self.name_ratio, self.cosine = name_ratio, cosine
        self.names = [t.name for t in known]
        self.keys = {_name_key(t.name): t.name for t in known}
        # one batched encode for the known toolset; rows stay aligned with ``names``
        self.vectors = self._encode([t.description for t in known]) if known else None

    def check(self, name: str, description: str) -> Verdict:
        """Judge one tool; a kept tool is remembered, so later near-copies of it are rejected."""
        key = _name_key(name)
        if key in self.keys:
            return reject("duplicate_name", f"{name!r} repeats {self.keys[key]!r}")
        close = difflib.get_close_matches(key, list(self.keys), n=1, cutoff=self.name_ratio)
        if close:
            return reject("near_duplicate_name", f"{name!r} is nearly {self.keys[close[0]]!r}")
        vector = self._encode([description])
        if self.vectors is not None:
            sims = self.vectors @ vector[0]
            best = int(sims.argmax())
            if sims[best] >= self.cosine:
                return reject(
                    "near_duplicate_description",
                    f"{name!r} embeds at cosine {sims[best]:.3f} to {self.names[best]!r}",
                )
        self.names.append(name)
        self.keys[key] = name
        self.vectors = vector if self.vectors is None else np.vstack([self.vectors, vector])
        return KEEP


# -- instances ----------------------------------------------------------------------------------


def compatible(output: ParamType, param: ParamType) -> bool:
    """Whether an output of type ``output`` may fill a parameter of type ``param``."""
    if output == param:
        return True
    if (output, param) == (ParamType.INTEGER, ParamType.NUMBER):
        return True
    scalars = {ParamType.STRING, ParamType.INTEGER, ParamType.NUMBER, ParamType.BOOLEAN}
    return param == ParamType.STRING and output in scalars


def check_instance(record: Any, tools: Mapping[str, Tool], *, kind: str | None = None) -> Verdict:
    """Schema; a request that does not name the APIs (users do not know them); known tools and
    parameters; required parameters; grounded values; references to real, earlier,
    type-compatible outputs; and the call structure the kind asks for."""
    error = _schema_error(record, INSTANCE_SCHEMA)
    if error:
        return reject("schema", error)
    query, calls = record["query"], record["calling"]
    named = [c["api"] for c in calls if c["api"].lower() in query.lower()]
    if named:
        return reject("query_names_tool", f"the request names the API {named[0]!r} itself")
    has_reference = False
    for i, call in enumerate(calls):
        tool = tools.get(call["api"])
        if tool is None:
            return reject("unknown_tool", f"call {i} uses {call['api']!r}, which does not exist")
        params = {p.name: p for p in tool.parameters}
        for name, value in call["parameters"].items():
            if name not in params:
                return reject("unknown_parameter", f"{tool.name} has no parameter {name!r}")
            ref = INTERNAL_REFERENCE.match(value) if isinstance(value, str) else None
            if ref:
                has_reference = True
                j, out_name = int(ref.group(1)), ref.group(2)
                if j >= i:
                    return reject(
                        "bad_reference",
                        f"call {i} parameter {name!r} uses call {j}'s output: not an earlier call "
                        "(a forward or cyclic reference)",
                    )
                source = tools.get(calls[j]["api"])
                outputs = {o.name: o for o in source.outputs} if source else {}
                if out_name not in outputs:
                    return reject("unknown_output", f"{calls[j]['api']} has no output {out_name!r}")
                if not compatible(outputs[out_name].type, params[name].type):
                    return reject(
                        "type_mismatch",
                        f"{calls[j]['api']}.{out_name} is {outputs[out_name].type.value}, "
                        f"{tool.name}.{name} takes {params[name].type.value}",
                    )
            elif not grounded(value, query):
                return reject(
                    "ungrounded_value", f"{tool.name}.{name}={value!r} is not in the query"
                )
        missing = [r for r in tool.required if r not in call["parameters"]]
        if missing:
            return reject("missing_required", f"{tool.name} needs {missing}")
    if kind == "single" and len(calls) != 1:
        return reject("wrong_kind", f"a single instance with {len(calls)} calls")
    if kind == "multiple" and (len(calls) < 2 or has_reference):
        return reject("wrong_kind", "a multiple instance needs 2+ independent calls")
    if kind == "nested" and not has_reference:
        return reject("wrong_kind", "a nested instance needs a call that uses an earlier output")
    return KEEP
