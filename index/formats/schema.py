"""JSON Schema parameter blocks (OpenAI, MCP, OpenAPI) to canonical :class:`Param` lists."""

from __future__ import annotations

import logging
import re
from typing import Any

import jsonschema
from jsonschema.validators import validator_for

from toolrag.index.errors import ToolsetError
from toolrag.types import Param, ParamType, normalize_type

logger = logging.getLogger(__name__)

PYTHON_TYPES = {
    "dict": "object",
    "float": "number",
    "double": "number",
    "int": "integer",
    "str": "string",
    "bool": "boolean",
    "list": "array",
    "tuple": "array",
}
"""Type names that Python-generated and Gorilla-style function lists write, in JSON Schema terms."""
_GENERIC = re.compile(r"^(list|tuple|array|dict|set)\[(.+)\]$", re.IGNORECASE)


def normalize_schema(schema: Any, path: str = "") -> tuple[Any, list[str]]:
    """``schema`` with Python type names rewritten as JSON Schema types, and what was rewritten.

    ``dict``/``float``/``int``/``str``/``bool``/``list``/``tuple`` map to their JSON Schema
    types, ``list[int]`` to an array of integers, ``any`` drops the type (any value); nested
    ``properties``, ``items`` and ``anyOf``/``oneOf``/``allOf`` are rewritten too. Other
    unknown names are left for the validator to report.

    Example:
        >>> normalize_schema({"type": "dict", "properties": {"xs": {"type": "list[float]"}}})
        ({'type': 'object', 'properties': {'xs': {'type': 'array', 'items': {'type': 'number'}}}}, ["type: 'dict' -> 'object'", "properties.xs.type: 'list[float]' -> array of 'number'"])
    """
    if not isinstance(schema, dict):
        return schema, []
    out = dict(schema)
    notes: list[str] = []
    where = f"{path}.type" if path else "type"
    kind = out.get("type")
    if isinstance(kind, str) and kind not in _JSON_TYPES:
        key = kind.strip().lower()
        generic = _GENERIC.match(key)
        if key == "any":
            del out["type"]
            notes.append(f"{where}: 'any' -> any value")
        elif key in PYTHON_TYPES:
            out["type"] = PYTHON_TYPES[key]
            notes.append(f"{where}: {kind!r} -> {out['type']!r}")
        elif generic and generic.group(1) in ("list", "tuple", "array", "set"):
            item = PYTHON_TYPES.get(generic.group(2).strip(), generic.group(2).strip())
            out["type"] = "array"
            out.setdefault("items", {"type": item})
            notes.append(f"{where}: {kind!r} -> array of {item!r}")
        elif generic:
            out["type"] = "object"
            notes.append(f"{where}: {kind!r} -> 'object'")
    for key in ("properties", "$defs", "definitions"):
        if isinstance(out.get(key), dict):
            children = {}
            for name, child in out[key].items():
                children[name], sub = normalize_schema(
                    child, f"{path + '.' if path else ''}{key}.{name}"
                )
                notes += sub
            out[key] = children
    for key in ("items", "additionalProperties"):
        if isinstance(out.get(key), dict):
            out[key], sub = normalize_schema(out[key], f"{path + '.' if path else ''}{key}")
            notes += sub
    for key in ("anyOf", "oneOf", "allOf"):
        if isinstance(out.get(key), list):
            parts = []
            for i, child in enumerate(out[key]):
                part, sub = normalize_schema(child, f"{path + '.' if path else ''}{key}[{i}]")
                parts.append(part)
                notes += sub
            out[key] = parts
    return out, notes


_JSON_TYPES = {"object", "array", "string", "number", "integer", "boolean", "null"}


def check_schema(schema: Any, *, source: str, record: str, field: str) -> dict[str, Any]:
    """Raise :class:`ToolsetError` unless ``schema`` is a valid JSON Schema object."""
    if not isinstance(schema, dict):
        raise ToolsetError(
            source,
            f"expected a JSON Schema object, got {type(schema).__name__}",
            record=record,
            field=field,
            fix='Write the parameters as {"type": "object", "properties": {...}}',
        )
    try:
        validator_for(schema).check_schema(schema)
    except jsonschema.SchemaError as err:
        path = ".".join(str(p) for p in err.path)
        raise ToolsetError(
            source,
            f"invalid JSON Schema: {err.message}",
            record=record,
            field=f"{field}.{path}" if path else field,
            fix="Fix the schema so that it validates against its JSON Schema draft",
        ) from None
    return schema


def params_from_schema(
    schema: dict[str, Any] | None,
    *,
    source: str,
    record: str,
    field: str,
    notes: list[str] | None = None,
) -> list[Param]:
    """Flatten the top-level properties of an object schema into parameters.

    Nested objects stay one parameter of type ``object`` (planners pass them as one JSON value)
    whose ``json_schema`` keeps their ``properties``; arrays keep their ``items``. What had to be
    normalised is logged and appended to ``notes``.
    """
    if not schema:
        return []
    schema, done = normalize_schema(schema)
    if done:
        logger.warning("%s, %s: normalised %s: %s", source, record, field, "; ".join(done))
        if notes is not None:
            notes += [f"{field}: {n}" for n in done]
    check_schema(schema, source=source, record=record, field=field)
    if schema.get("type", "object") != "object":
        raise ToolsetError(
            source,
            f"the parameters schema must have type 'object', not {schema.get('type')!r}",
            record=record,
            field=f"{field}.type",
            fix="Wrap the value in an object with one property per parameter",
        )
    properties = schema.get("properties") or {}
    required = set(schema.get("required") or [])
    unknown = required - set(properties)
    if unknown:
        raise ToolsetError(
            source,
            f"'required' names parameters that are not in 'properties': {sorted(unknown)}",
            record=record,
            field=f"{field}.required",
            fix="Add them to 'properties' or remove them from 'required'",
        )
    return [
        Param(
            name=name,
            type=normalize_type(prop.get("type")) if isinstance(prop, dict) else ParamType.STRING,
            description=_describe(prop),
            required=name in required,
            enum=prop.get("enum") if isinstance(prop, dict) else None,
            json_schema=_structure(prop),
        )
        for name, prop in properties.items()
    ]


STRUCTURE_KEYS = (
    "type", "items", "properties", "required", "additionalProperties", "enum", "const",
    "default", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minItems",
    "maxItems", "minLength", "maxLength", "pattern", "format", "anyOf", "oneOf",
)  # fmt: skip
"""What a value's schema keeps of a property (descriptions stay in ``Param.description``)."""


def _structure(prop: Any) -> dict[str, Any] | None:
    """A property's schema, without the top-level prose; None when it says only a type."""
    if not isinstance(prop, dict):
        return None
    kept = {k: prop[k] for k in STRUCTURE_KEYS if k in prop}
    return kept if set(kept) - {"type"} or "type" not in prop else None


def _describe(prop: Any) -> str:
    if not isinstance(prop, dict):
        return ""
    text = str(prop.get("description") or prop.get("title") or "")
    if "default" in prop and "default" not in text.lower():
        text = f"{text} (default: {prop['default']})".strip()
    return text
