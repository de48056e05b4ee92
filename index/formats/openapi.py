"""OpenAPI 3 specs (JSON or YAML): every operation becomes one tool.

The tool name is the ``operationId``, else ``<method>_<path>`` with the path's non-word characters
turned into ``_``. Path, query, header and cookie parameters and the JSON request body's properties
become parameters; the first 2xx JSON response's properties become outputs. Local ``$ref``s
(``#/components/...``) are resolved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from toolrag.index.errors import ToolsetError
from toolrag.index.formats.base import Document, require_dict
from toolrag.index.formats.schema import check_schema, params_from_schema
from toolrag.types import Param, Tool, normalize_type

NAME = "openapi"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def detect(doc: Document) -> bool:
    return isinstance(doc.data, dict) and ("openapi" in doc.data or "swagger" in doc.data)


def _resolve(node: Any, spec: dict, doc: Document, where: str, seen: frozenset[str] = frozenset()):
    """Inline local ``$ref``s; a cycle is left as an opaque object rather than recursing forever."""
    if isinstance(node, list):
        return [_resolve(x, spec, doc, where, seen) for x in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str):
        if not ref.startswith("#/"):
            raise ToolsetError(
                doc.source,
                f"external $ref {ref!r} is not supported",
                record=where,
                fix="Bundle the spec into one file first (e.g. `redocly bundle`)",
            )
        if ref in seen:
            return {"type": "object", "description": ref.rsplit("/", 1)[-1]}
        target: Any = spec
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(target, dict) or part not in target:
                raise ToolsetError(
                    doc.source,
                    f"$ref {ref!r} points to nothing",
                    record=where,
                    fix="Define the referenced component or fix the reference",
                )
            target = target[part]
        return _resolve(target, spec, doc, where, seen | {ref})
    return {k: _resolve(v, spec, doc, where, seen) for k, v in node.items()}


def _json_schema(content: Any) -> dict | None:
    if not isinstance(content, dict):
        return None
    for mime, media in content.items():
        if "json" in mime and isinstance(media, dict) and isinstance(media.get("schema"), dict):
            return media["schema"]
    return None


def _tool_name(method: str, path: str, op: dict) -> str:
    if isinstance(op.get("operationId"), str) and op["operationId"].strip():
        return op["operationId"].strip()
    slug = re.sub(r"\W+", "_", path).strip("_")
    return f"{method}_{slug}" if slug else method


def draft_2020(node: Any) -> Any:
    """A copy of an OpenAPI 3.0 schema (or document) with its draft-4 bounds rewritten as JSON
    Schema 2020-12 writes them, the draft OpenAPI 3.1 and toolrag's checks use: 3.0 says
    ``exclusiveMinimum: true`` beside ``minimum: 0``, 2020-12 says ``exclusiveMinimum: 0``.

    >>> draft_2020({"type": "integer", "minimum": 0, "exclusiveMinimum": True})
    {'type': 'integer', 'exclusiveMinimum': 0}
    """
    if isinstance(node, list):
        return [draft_2020(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: draft_2020(v) for k, v in node.items()}
    for flag, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        # a boolean flag goes either way; a true one takes the bound's value
        if isinstance(out.get(flag), bool) and out.pop(flag) and bound in out:
            out[flag] = out.pop(bound)
    return out


def parse(doc: Document) -> list[Tool]:
    spec = require_dict(doc.data, doc=doc, record="document")
    version = str(spec.get("openapi", spec.get("swagger", "")))
    if not version.startswith("3"):
        raise ToolsetError(
            doc.source,
            f"OpenAPI version {version!r} is not supported",
            field="openapi",
            fix="Convert the spec to OpenAPI 3 (e.g. with swagger2openapi)",
        )
    if version.startswith("3.0"):
        spec = draft_2020(spec)
    paths = spec.get("paths")
    if not isinstance(paths, dict):
        raise ToolsetError(
            doc.source,
            "'paths' is missing or not an object",
            field="paths",
            fix="An OpenAPI document needs a 'paths' object with at least one operation",
        )
    domain = (spec.get("info") or {}).get("title")
    tools = []
    for path, item in paths.items():
        item = _resolve(require_dict(item, doc=doc, record=f"paths[{path!r}]"), spec, doc, path)
        shared = item.get("parameters") or []
        for method in METHODS:
            if method not in item:
                continue
            where = f"paths[{path!r}].{method}"
            op = require_dict(item[method], doc=doc, record=where)
            params = _parameters([*shared, *(op.get("parameters") or [])], doc, where)
            body = op.get("requestBody") or {}
            body_schema = _json_schema(body.get("content"))
            if body_schema is not None:
                check_schema(body_schema, source=doc.source, record=where, field="requestBody")
                if body_schema.get("type", "object") == "object" and "properties" in body_schema:
                    named = {p.name for p in params}  # a body field never shadows a parameter
                    params += [
                        p
                        for p in params_from_schema(
                            body_schema, source=doc.source, record=where, field="requestBody"
                        )
                        if p.name not in named
                    ]
                else:
                    params.append(
                        Param(
                            name="body",
                            type=normalize_type(body_schema.get("type")),
                            description=str(body.get("description") or "request body"),
                            required=bool(body.get("required")),
                        )
                    )
            description = " ".join(
                s.strip() for s in (op.get("summary"), op.get("description")) if isinstance(s, str)
            )
            tags = op.get("tags") or []
            tools.append(
                Tool(
                    name=_tool_name(method, path, op),
                    description=description,
                    parameters=params,
                    outputs=_outputs(op, doc, where),
                    domain=tags[0] if tags else domain,
                    source_format=NAME,
                )
            )
    return tools


def _parameters(raw: list, doc: Document, where: str) -> list[Param]:
    by_key: dict[tuple[str, str], Param] = {}
    for j, p in enumerate(raw):
        p = require_dict(p, doc=doc, record=where, field=f"parameters[{j}]")
        if not isinstance(p.get("name"), str) or not p["name"]:
            raise ToolsetError(
                doc.source,
                "parameter without a 'name'",
                record=where,
                field=f"parameters[{j}].name",
                fix="Give every parameter a 'name' and an 'in'",
            )
        schema = p.get("schema") or {}
        by_key[(p["name"], p.get("in", "query"))] = Param(  # operation-level overrides path-level
            name=p["name"],
            type=normalize_type(schema.get("type")),
            description=str(p.get("description") or schema.get("description") or ""),
            required=bool(p.get("required")) or p.get("in") == "path",
            enum=schema.get("enum"),
        )
    return list(by_key.values())


def _outputs(op: dict, doc: Document, where: str) -> list[Param]:
    responses = op.get("responses") or {}
    for code in sorted(responses, key=str):
        if not str(code).startswith("2"):
            continue
        schema = _json_schema((responses[code] or {}).get("content"))
        if schema is None:
            continue
        if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
            schema = schema["items"]
        if "properties" in schema:
            return params_from_schema(
                {k: v for k, v in schema.items() if k != "required"} | {"type": "object"},
                source=doc.source,
                record=where,
                field=f"responses.{code}",
            )
    return []


@dataclass(frozen=True)
class Operation:
    """How to call one tool over HTTP: method, path template, and where each parameter goes
    (``path``, ``query``, ``header``, ``cookie``, ``body`` for a JSON body property, or ``json``
    for a whole non-object body passed as the ``body`` parameter)."""

    method: str
    path: str
    locations: dict[str, str]


def operations(doc: Document) -> tuple[dict[str, Operation], list[str]]:
    """Tool name -> :class:`Operation` for every operation ``parse`` turns into a tool, plus the
    spec's server URLs (first one is the default base URL)."""
    parse(doc)  # the same validation, the same names
    spec = doc.data
    out: dict[str, Operation] = {}
    for path, item in spec["paths"].items():
        item = _resolve(item, spec, doc, path)
        shared = item.get("parameters") or []
        for method in METHODS:
            if method not in item:
                continue
            op = item[method]
            locations = {
                p["name"]: p.get("in", "query") for p in [*shared, *(op.get("parameters") or [])]
            }
            body_schema = _json_schema((op.get("requestBody") or {}).get("content"))
            if body_schema is not None:
                if body_schema.get("type", "object") == "object" and "properties" in body_schema:
                    locations |= {
                        name: "body" for name in body_schema["properties"] if name not in locations
                    }
                else:
                    locations["body"] = "json"
            out[_tool_name(method, path, op)] = Operation(method.upper(), path, locations)
    servers = [
        s["url"]
        for s in spec.get("servers") or []
        if isinstance(s, dict) and isinstance(s.get("url"), str)
    ]
    return out, servers
