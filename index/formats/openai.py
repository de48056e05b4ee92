"""OpenAI function-calling tools: ``[{"type": "function", "function": {name, description,
parameters}}]``. Also read: the older bare form ``[{name, description, parameters}]``; a
``{"tools": [...]}`` wrapper holding the typed form; ``{"functions": [...]}``; one function
object on its own; and Anthropic-style tools, whose schema is under ``input_schema``. An output
schema beside the parameters (``outputSchema``, ``output_schema``, ``returns``: the JSON Schema of
what the function returns, as MCP and some agent frameworks add it) becomes the tool's outputs."""

from __future__ import annotations

from typing import Any

from toolrag.index.formats.base import Document, require_dict, require_str
from toolrag.index.formats.schema import params_from_schema
from toolrag.types import Tool

NAME = "openai"


SCHEMA_KEYS = ("parameters", "input_schema")  # OpenAI, Anthropic
OUTPUT_KEYS = ("outputSchema", "output_schema", "returns")


def _is_function(rec: Any) -> bool:
    if not isinstance(rec, dict):
        return False
    if rec.get("type") == "function" and "function" in rec:
        return True
    return "name" in rec and any(k in rec for k in SCHEMA_KEYS) and "inputSchema" not in rec


def _records(doc: Document) -> list[Any] | None:
    data = doc.data
    if isinstance(data, dict):
        if isinstance(data.get("functions"), list):
            data = data["functions"]
        elif isinstance(data.get("tools"), list):
            data = data["tools"]
            if not (data and _is_function(data[0])):
                return None  # e.g. MCP's tools/list
        elif _is_function(data):
            data = [data]
    return data if isinstance(data, list) else None


def detect(doc: Document) -> bool:
    records = _records(doc)
    return bool(records) and _is_function(records[0])


def parse(doc: Document) -> list[Tool]:
    tools = []
    for i, raw in enumerate(_records(doc) or []):
        where = doc.locate(i, "tools")
        rec = require_dict(raw, doc=doc, record=where)
        prefix = ""
        if "function" in rec:
            rec = require_dict(rec["function"], doc=doc, record=where, field="function")
            prefix = "function."
        name = require_str(
            rec.get("name"),
            doc=doc,
            record=where,
            field=f"{prefix}name",
            fix="Every function needs a 'name'",
        )
        key = next((k for k in SCHEMA_KEYS if k in rec), "parameters")
        notes: list[str] = []
        params = params_from_schema(
            rec.get(key), source=doc.source, record=where, field=f"{prefix}{key}", notes=notes
        )
        out_key = next((k for k in OUTPUT_KEYS if isinstance(rec.get(k), dict)), None)
        outputs = (
            params_from_schema(
                rec[out_key],
                source=doc.source,
                record=where,
                field=f"{prefix}{out_key}",
                notes=notes,
            )
            if out_key
            else []
        )
        tools.append(
            Tool(
                name=name,
                description=str(rec.get("description") or ""),
                parameters=params,
                outputs=outputs,
                source_format=NAME,
                normalised=notes,
            )
        )
    return tools
