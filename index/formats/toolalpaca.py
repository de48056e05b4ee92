"""ToolAlpaca API records: ``[{"Name", "Description", "Category", "Function_Description":
{function: "<description>\\nParameters: {json: name -> 'Required. type. description'}\\nOutput: ..."}}]``.

Each function becomes a tool; its domain is ``<Category>/<API name>``. Non-text entries of
``Function_Description`` (ToolAlpaca stores shared ``components`` there) are skipped.
"""

from __future__ import annotations

import json
import re
from typing import Any

from toolrag.index.errors import ToolsetError
from toolrag.index.formats.base import Document, require_dict, require_str
from toolrag.types import Param, ParamType, Tool, normalize_type

NAME = "toolalpaca"
_SECTIONS = re.compile(r"\n\s*(Parameters|Output)\s*:\s*", re.IGNORECASE)
_TYPE_WORDS = {
    "string",
    "str",
    "integer",
    "int",
    "number",
    "float",
    "boolean",
    "bool",
    "array",
    "list",
    "object",
    "dict",
}


def detect(doc: Document) -> bool:
    data = doc.data
    return (
        isinstance(data, list)
        and bool(data)
        and isinstance(data[0], dict)
        and "Function_Description" in data[0]
    )


def _split(text: str) -> tuple[str, str, str]:
    parts = _SECTIONS.split(text)
    sections = {"description": parts[0].strip(), "parameters": "", "output": ""}
    for label, body in zip(parts[1::2], parts[2::2], strict=True):
        sections[label.lower()] = body.strip()
    return sections["description"], sections["parameters"], sections["output"]


def _param(name: str, spec: Any) -> Param:
    """``"Required. string. The city"`` -> Param(required=True, type=string, description=...)."""
    required, ptype, rest = False, ParamType.STRING, []
    for token in re.split(r"\.\s+|\.$", str(spec).strip()):
        word = token.strip().lower()
        if word in {"required", "optional"}:
            required = word == "required"
        elif word in _TYPE_WORDS or re.fullmatch(r"(array|list)\[\w+\]", word):
            ptype = normalize_type(word)
        elif token.strip():
            rest.append(token.strip())
    return Param(name=name, type=ptype, description=". ".join(rest), required=required)


def parse(doc: Document) -> list[Tool]:
    tools = []
    for i, raw in enumerate(doc.data):
        where = doc.locate(i, "apis")
        api = require_dict(raw, doc=doc, record=where)
        api_name = require_str(
            api.get("Name"), doc=doc, record=where, field="Name", fix="Every API needs a 'Name'"
        )
        functions = require_dict(
            api.get("Function_Description"), doc=doc, record=where, field="Function_Description"
        )
        for fn, text in functions.items():
            if not isinstance(text, str) or fn == "components":
                continue
            description, params_text, output = _split(text)
            params: dict[str, Any] = {}
            if params_text:
                try:
                    params = json.loads(params_text)
                except json.JSONDecodeError as err:
                    raise ToolsetError(
                        doc.source,
                        f"the Parameters block is not JSON ({err.msg})",
                        record=where,
                        field=f"Function_Description.{fn}",
                        fix='Write it as Parameters: {"name": "Required. string. what it is"}',
                    ) from None
                if not isinstance(params, dict):
                    raise ToolsetError(
                        doc.source,
                        "the Parameters block must be a JSON object",
                        record=where,
                        field=f"Function_Description.{fn}",
                        fix="Map each parameter name to its text",
                    )
            outputs = [Param(name="output", description=output)] if output else []
            tools.append(
                Tool(
                    name=fn,
                    description=description,
                    parameters=[_param(k, v) for k, v in params.items()],
                    outputs=outputs,
                    domain="/".join(str(x) for x in (api.get("Category"), api_name) if x),
                    source_format=NAME,
                )
            )
    return tools
