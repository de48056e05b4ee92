"""JSON Schema parameter blocks (OpenAI, MCP, OpenAPI) to canonical :class:`Param` lists."""

from __future__ import annotations

from typing import Any

import jsonschema
from jsonschema.validators import validator_for

from index.errors import ToolsetError
from toolrag.types import Param, ParamType, normalize_type


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
    schema: dict[str, Any] | None, *, source: str, record: str, field: str
) -> list[Param]:
    """Flatten the top-level properties of an object schema into parameters.

    Nested objects stay one parameter of type ``object``: planners pass them as one JSON value.
    """
    if not schema:
        return []
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
        )
        for name, prop in properties.items()
    ]


def _describe(prop: Any) -> str:
    if not isinstance(prop, dict):
        return ""
    text = str(prop.get("description") or prop.get("title") or "")
    if "default" in prop and "default" not in text.lower():
        text = f"{text} (default: {prop['default']})".strip()
    return text
