"""OpenAI function-calling tools: ``[{"type": "function", "function": {name, description,
parameters}}]``. The older bare form ``[{name, description, parameters}]`` and a
``{"tools": [...]}`` wrapper holding the typed form are read too."""

from __future__ import annotations

from typing import Any

from index.formats.base import Document, require_dict, require_str
from index.formats.schema import params_from_schema
from toolrag.types import Tool

NAME = "openai"


def _records(doc: Document) -> list[Any] | None:
    data = doc.data
    if isinstance(data, dict) and isinstance(data.get("tools"), list):
        data = data["tools"]
        if not (data and isinstance(data[0], dict) and data[0].get("type") == "function"):
            return None
    return data if isinstance(data, list) else None


def detect(doc: Document) -> bool:
    records = _records(doc)
    if not records or not isinstance(records[0], dict):
        return False
    first = records[0]
    if first.get("type") == "function" and "function" in first:
        return True
    return "name" in first and "parameters" in first and "inputSchema" not in first


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
        tools.append(
            Tool(
                name=name,
                description=str(rec.get("description") or ""),
                parameters=params_from_schema(
                    rec.get("parameters"),
                    source=doc.source,
                    record=where,
                    field=f"{prefix}parameters",
                ),
                source_format=NAME,
            )
        )
    return tools
