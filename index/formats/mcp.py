"""MCP ``tools/list`` results: ``{"tools": [{name, description, inputSchema, outputSchema?}]}``,
bare or inside a JSON-RPC response (``{"jsonrpc": "2.0", "result": {"tools": [...]}}``), or the
list of tools alone (``[{name, inputSchema, ...}]``)."""

from __future__ import annotations

from typing import Any

from toolrag.index.formats.base import Document, require_dict, require_str
from toolrag.index.formats.schema import params_from_schema
from toolrag.types import Tool

NAME = "mcp"


def _records(doc: Document) -> list[Any] | None:
    data = doc.data
    if isinstance(data, dict) and isinstance(data.get("result"), dict):
        data = data["result"]
    if isinstance(data, dict) and isinstance(data.get("tools"), list):
        return data["tools"]
    if isinstance(data, list) and data and isinstance(data[0], dict) and "inputSchema" in data[0]:
        return data
    return None


def detect(doc: Document) -> bool:
    records = _records(doc)
    return bool(records) and isinstance(records[0], dict) and "inputSchema" in records[0]


def parse(doc: Document) -> list[Tool]:
    tools = []
    for i, raw in enumerate(_records(doc) or []):
        where = doc.locate(i, "tools")
        rec = require_dict(raw, doc=doc, record=where)
        name = require_str(
            rec.get("name"),
            doc=doc,
            record=where,
            field="name",
            fix="Every MCP tool needs a 'name'",
        )
        notes: list[str] = []
        kw = {"source": doc.source, "record": where, "notes": notes}
        tools.append(
            Tool(
                name=name,
                description=str(rec.get("description") or rec.get("title") or ""),
                parameters=params_from_schema(rec.get("inputSchema"), field="inputSchema", **kw),
                outputs=params_from_schema(rec.get("outputSchema"), field="outputSchema", **kw),
                domain=(rec.get("annotations") or {}).get("domain"),
                source_format=NAME,
                normalised=notes,
            )
        )
    return tools
