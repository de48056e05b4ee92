"""Read toolset files of any supported format into canonical :class:`~toolrag.types.Tool` lists.

Example:
    >>> tools = load_toolset(["tools.jsonl", "openapi.yaml"])  # doctest: +SKIP
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from toolrag.choices import DuplicatePolicy, ToolFormat
from toolrag.errors import ConfigError, ToolragError
from toolrag.index.errors import ToolsetError
from toolrag.index.formats import mcp, openai, openapi, seal, toolalpaca
from toolrag.index.formats.base import Document
from toolrag.text import SURROGATE, printable
from toolrag.types import Tool

logger = logging.getLogger(__name__)


# Detection order matters: MCP before OpenAI (both can be {"tools": [...]}).
_MODULES = {
    ToolFormat.OPENAPI: openapi,
    ToolFormat.MCP: mcp,
    ToolFormat.SEAL: seal,
    ToolFormat.TOOLALPACA: toolalpaca,
    ToolFormat.OPENAI: openai,
}


def read_document(path: str | Path) -> Document:
    """Parse a ``.jsonl``, ``.json``, ``.yaml`` or ``.yml`` file without interpreting it."""
    path = Path(path)
    source = str(path)
    if not path.is_file():
        raise ToolsetError(source, "no such file", fix="Check the path")
    raw = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        records, lines = [], []
        for n, chunk in enumerate(raw.split(b"\n"), start=1):
            line = _decode(chunk, source, n)
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as err:
                raise ToolsetError(
                    source,
                    f"not valid JSON ({err.msg} at column {err.colno})",
                    record=f"line {n}",
                    fix="Each line of a .jsonl file must be one complete JSON object",
                ) from None
            lines.append(n)
            _check_strings(records[-1], source, f"line {n}")
        return Document(source, records, jsonl=True, line_numbers=tuple(lines))
    text = _decode(raw, source)
    if suffix in {".yaml", ".yml"}:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as err:
            raise ToolsetError(
                source, f"not valid YAML ({printable(str(err))})", fix="Fix the YAML syntax"
            ) from None
        except RecursionError:
            raise ToolsetError(source, "nested too deeply", fix="Flatten the file") from None
        _check_strings(data, source, None, text)
        return Document(source, data)
    try:
        data = json.loads(text)
    except RecursionError:
        raise ToolsetError(source, "nested too deeply", fix="Flatten the file") from None
    except json.JSONDecodeError as err:
        raise ToolsetError(
            source,
            f"not valid JSON ({err.msg} at line {err.lineno}, column {err.colno})",
            fix="Fix the JSON syntax (a JSON Lines file needs the .jsonl suffix)",
        ) from None
    _check_strings(data, source, None, text)
    return Document(source, data)


def _decode(raw: bytes, source: str, line: int | None = None) -> str:
    """``raw`` as UTF-8, or a :class:`ToolsetError` at the line of the first bad byte."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        at = line if line is not None else raw[: err.start].count(b"\n") + 1
        raise ToolsetError(
            source,
            f"not UTF-8 text (byte 0x{raw[err.start]:02x})",
            record=f"line {at}",
            fix="Save the file as UTF-8",
        ) from None


LONE_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
"""A JSON ``\\uD800``-style escape of a surrogate (not itself an escaped backslash)."""


def _check_strings(value: Any, source: str, record: str | None, text: str = "") -> None:
    """Refuse a parsed document whose strings hold lone surrogates (JSON allows the escape;
    no tokenizer can encode the result), naming the line: ``record`` for a JSON Lines record,
    else the line of the first surrogate escape in ``text``."""
    field = _surrogate_field(value, "")
    if field is None:
        return
    if record is None:
        found = next((m for m in LONE_ESCAPE.finditer(text) if _lone_at(text, m)), None)
        found = found or next(LONE_ESCAPE.finditer(text), None)
        at = text[: found.start()].count("\n") + 1 if found else None
        record = f"line {at}" if at else None
    raise ToolsetError(
        source,
        "holds text that is not valid Unicode (a lone surrogate escape such as \\ud800)",
        record=record,
        field=field.lstrip(".") or None,
        fix="Remove the escape or write the character it stands for",
    )


def _lone_at(text: str, m: re.Match[str]) -> bool:
    """Whether the surrogate escape ``m`` is not half of a pair (high then low)."""
    code = int(m.group()[-4:], 16)
    if code < 0xDC00:
        after = text[m.end() : m.end() + 6]
        return not re.fullmatch(r"\\u[dD][c-fC-F][0-9a-fA-F]{2}", after)
    before = text[max(0, m.start() - 6) : m.start()]
    return not re.fullmatch(r"\\u[dD][89abAB][0-9a-fA-F]{2}", before)


def _surrogate_field(value: Any, where: str) -> str | None:
    """The path of the first string (key or value) in ``value`` with a lone surrogate."""
    if isinstance(value, str):
        return where or "." if SURROGATE.search(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and SURROGATE.search(key):
                return f"{where}.{printable(key)}"
            found = _surrogate_field(item, f"{where}.{key}")
            if found:
                return found
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found = _surrogate_field(item, f"{where}[{i}]")
            if found:
                return found
    return None


def detect_format(doc: Document) -> ToolFormat:
    """Guess a document's format from its shape."""
    for fmt, module in _MODULES.items():
        if module.detect(doc):
            return fmt
    valid = ", ".join(f.value for f in ToolFormat if f is not ToolFormat.AUTO)
    raise ToolsetError(
        doc.source,
        "could not recognise the toolset format",
        fix=f"Pass --format with one of: {valid} (see the README for what each looks like)",
    )


def parse_document(doc: Document, fmt: ToolFormat | str = ToolFormat.AUTO) -> list[Tool]:
    """Turn one parsed document into tools, detecting its format unless ``fmt`` is given."""
    fmt = ToolFormat(fmt)
    if not doc.jsonl:  # Python objects too (a file's were checked as it was read, with its line)
        _check_strings(doc.data, doc.source, None)
    if fmt is ToolFormat.AUTO:
        fmt = detect_format(doc)
    tools = _parse(_MODULES[fmt], doc)
    if not tools:
        raise ToolsetError(
            doc.source,
            f"no tools found when read as {fmt.value}",
            fix="Check the file is a non-empty toolset, or pass the right --format",
        )
    return tools


_SHAPE_ERRORS = (ValidationError, TypeError, AttributeError, KeyError, IndexError, ValueError)


def _parse(module: Any, doc: Document) -> list[Tool]:
    """``module.parse(doc)``, with a record whose shape the parser did not foresee (a
    parameter with an empty name, a list where an object belongs) turned into a
    :class:`ToolsetError` at its line, as the parsers' own checks are."""
    try:
        return module.parse(doc)
    except ToolragError:
        raise
    except _SHAPE_ERRORS:
        record = None
        if doc.jsonl:  # find the line: parse the records one by one
            for i, item in enumerate(doc.data):
                one = Document(doc.source, [item], jsonl=True, line_numbers=(doc.line_numbers[i],))
                try:
                    module.parse(one)
                except ToolragError:
                    raise
                except _SHAPE_ERRORS as first:
                    err, record = first, doc.locate(i)
                    break
        raise ToolsetError(
            doc.source,
            f"a tool is malformed ({_describe(err)})",
            record=record,
            fix="Check the record against the format's examples in the README",
        ) from None


def _describe(err: Exception) -> str:
    if isinstance(err, ValidationError):
        first = err.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        return printable(f"{where}: {first.get('msg')}" if where else str(first.get("msg")))
    return printable(f"{type(err).__name__}: {err}")[:200]


def load_toolset(
    paths: Sequence[str | Path] | str | Path,
    fmt: ToolFormat | str = ToolFormat.AUTO,
    on_duplicate: DuplicatePolicy | str = DuplicatePolicy.ERROR,
) -> list[Tool]:
    """Load and validate one or more toolset files into one list of tools.

    Args:
        paths: files in any supported format; formats may differ between files.
        fmt: force a format for every file instead of detecting it.
        on_duplicate: ``error`` (default) or ``keep-first`` when a tool name repeats.

    Returns:
        Tools in file order.

    Raises:
        ToolsetError: naming the file, record and field of the first problem found.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    if not paths:
        raise ConfigError("no toolset files given; pass at least one file")
    found: list[tuple[Tool, str]] = []
    for path in paths:
        found.extend((tool, str(path)) for tool in parse_document(read_document(path), fmt))
    return dedupe(found, on_duplicate)


def as_tools(
    tools: Any,
    fmt: ToolFormat | str = ToolFormat.AUTO,
    on_duplicate: DuplicatePolicy | str = DuplicatePolicy.ERROR,
) -> list[Tool]:
    """Tools from whatever a user has at hand, checked as a file's would be.

    Args:
        tools: a :class:`~toolrag.types.Tool`, a toolset file path, function schemas as Python
            objects (one schema, a list of them, or a wrapper such as ``{"tools": [...]}`` or
            an MCP ``tools/list`` result; OpenAI, Anthropic, MCP and Seal-Tools shapes), or a
            list mixing these.
        fmt: force the format of the schemas instead of detecting it.
        on_duplicate: ``error`` (default) or ``keep-first`` when a tool name repeats.

    Raises:
        ToolsetError: naming the item and field of the first problem found.

    Example:
        >>> [t.name for t in as_tools([{"name": "add", "description": "Add two numbers",
        ...     "parameters": {"type": "object", "properties": {"a": {"type": "number"}}}}])]
        ['add']
    """
    items = tools if isinstance(tools, list | tuple) else [tools]
    found: list[tuple[Tool, str]] = []
    schemas: list[Any] = []

    def flush() -> None:
        if schemas:
            doc = Document("<python objects>", list(schemas))
            found.extend((t, doc.source) for t in parse_document(doc, fmt))
            schemas.clear()

    for item in items:
        if isinstance(item, Tool):
            flush()
            found.append((item, "<python objects>"))
        elif isinstance(item, str | Path):
            flush()
            path = str(item)
            found.extend((t, path) for t in parse_document(read_document(item), fmt))
        elif isinstance(item, dict) and not _is_schema(item):
            flush()
            doc = Document("<python objects>", item)
            found.extend((t, doc.source) for t in parse_document(doc, fmt))
        else:
            schemas.append(item)
    flush()
    if not found:
        raise ConfigError("no tools given; pass at least one function schema, Tool or file")
    return dedupe(found, on_duplicate)


def _is_schema(item: dict[str, Any]) -> bool:
    """One function schema (``name`` or ``function``), not a wrapper of several."""
    return "name" in item or "function" in item or "api_name" in item


def dedupe(found: Iterable[tuple[Tool, str]], on_duplicate: DuplicatePolicy | str) -> list[Tool]:
    """Apply the duplicate-name policy to ``(tool, source file)`` pairs."""
    policy = DuplicatePolicy(on_duplicate)
    seen: dict[str, tuple[Tool, str]] = {}
    dropped = 0
    for tool, source in found:
        if tool.name in seen:
            if policy is DuplicatePolicy.ERROR:
                raise ToolsetError(
                    source,
                    f"duplicate tool name {tool.name!r} (first defined in {seen[tool.name][1]})",
                    field="name",
                    fix="Rename one of them, or pass --on-duplicate keep-first to keep the first",
                )
            dropped += 1
            continue
        seen[tool.name] = (tool, source)
    if dropped:
        logger.warning("dropped %d tools whose names were already taken (keep-first)", dropped)
    return [tool for tool, _ in seen.values()]
