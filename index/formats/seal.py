"""Seal-Tools JSONL: one tool a line with ``api_name``, ``api_description``, ``parameters``,
``required``, ``responses`` and ``field`` (domain/subdomain)."""

from __future__ import annotations

from typing import Any

from toolrag.index.errors import ToolsetError
from toolrag.index.formats.base import Document, require_dict, require_str
from toolrag.types import Param, Tool, normalize_type

NAME = "seal"


def _records(doc: Document) -> list[Any] | None:
    return doc.data if isinstance(doc.data, list) else None


def detect(doc: Document) -> bool:
    records = _records(doc)
    return bool(records) and isinstance(records[0], dict) and "api_name" in records[0]


def _fields(raw: Any, *, doc: Document, record: str, field: str, required: set[str]) -> list[Param]:
    if raw is None:
        return []
    raw = require_dict(raw, doc=doc, record=record, field=field)
    params = []
    for name, spec in raw.items():
        if not isinstance(spec, dict):
            raise ToolsetError(
                doc.source,
                f"expected {{'type': ..., 'description': ...}}, got {spec!r}",
                record=record,
                field=f"{field}.{name}",
                fix="Describe each parameter as an object with 'type' and 'description'",
            )
        params.append(
            Param(
                name=name,
                type=normalize_type(spec.get("type")),
                description=str(spec.get("description") or ""),
                required=name in required,
            )
        )
    return params


def parse(doc: Document) -> list[Tool]:
    tools = []
    for i, raw in enumerate(_records(doc) or []):
        where = doc.locate(i)
        rec = require_dict(raw, doc=doc, record=where)
        name = require_str(
            rec.get("api_name"),
            doc=doc,
            record=where,
            field="api_name",
            fix="Every Seal-Tools record needs an 'api_name'",
        )
        required = rec.get("required") or []
        if not isinstance(required, list):
            raise ToolsetError(
                doc.source,
                "'required' must be a list of parameter names",
                record=where,
                field="required",
                fix='Write it as ["param", ...]',
            )
        params = _fields(
            rec.get("parameters"), doc=doc, record=where, field="parameters", required=set(required)
        )
        missing = set(required) - {p.name for p in params}
        if missing:
            raise ToolsetError(
                doc.source,
                f"'required' names unknown parameters {sorted(missing)}",
                record=where,
                field="required",
                fix="Add them to 'parameters' or remove them from 'required'",
            )
        tools.append(
            Tool(
                name=name,
                description=str(rec.get("api_description") or ""),
                parameters=params,
                outputs=_fields(
                    rec.get("responses"), doc=doc, record=where, field="responses", required=set()
                ),
                domain=rec.get("field"),
                source_format=NAME,
            )
        )
    return tools


_TYPE_NAMES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
_TYPE_NAMES |= {"array": "list", "object": "dict"}


def to_record(tool: Tool) -> dict[str, Any]:
    """A tool as one Seal-Tools JSONL record (what ``parse`` reads back)."""

    def fields(params: list[Param]) -> dict[str, Any]:
        return {
            p.name: {"type": _TYPE_NAMES[p.type.value], "description": p.description}
            for p in params
        }

    record: dict[str, Any] = {
        "api_name": tool.name,
        "api_description": tool.description,
        "field": tool.domain or "",
        "parameters": fields(tool.parameters),
        "required": tool.required,
        "responses": fields(tool.outputs),
    }
    return record


def from_records(records: list[dict[str, Any]], source: str = "<generated>") -> list[Tool]:
    """Tools from in-memory Seal-Tools records, validated as a file of them would be."""
    return parse(Document(source=source, data=records))
