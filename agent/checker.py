"""Check a plan against the tool schemas before anything runs.

Per call: the tool exists; its required parameters are present; no unknown parameters; each
literal value is coercible to the parameter's type; each reference names an output of an
*earlier* call (which also rules out cycles: a plan is ordered, and a reference to the call
itself or a later one is reported).

Example:
    >>> from toolrag.types import Param, Tool, ToolCall
    >>> tools = {"geo": Tool(name="geo", parameters=[Param(name="city", required=True)])}
    >>> [str(v) for v in check([ToolCall(api="geo")], tools)]
    ["call 0 (geo): missing required parameter 'city'"]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from toolrag.errors import ConfigError
from toolrag.types import ParamType, Tool, ToolCall, reference_id


@dataclass(frozen=True)
class Violation:
    """One problem with one call of a plan."""

    call: int
    api: str
    message: str

    def __str__(self) -> str:
        return f"call {self.call} ({self.api}): {self.message}"


def coerce(value: Any, ptype: ParamType) -> Any:
    """``value`` as ``ptype``, or ``ValueError`` when it cannot be read as that type."""
    if ptype == ParamType.STRING:
        return value if isinstance(value, str) else str(value)
    if ptype == ParamType.BOOLEAN:
        if isinstance(value, bool):
            return value
        if str(value).strip().lower() in ("true", "false", "yes", "no", "1", "0"):
            return str(value).strip().lower() in ("true", "yes", "1")
        raise ConfigError(f"{value!r} is not a boolean")
    if ptype == ParamType.INTEGER:
        if isinstance(value, bool):
            raise ConfigError(f"{value!r} is not an integer")
        number = float(value)
        if not number.is_integer():
            raise ConfigError(f"{value!r} is not an integer")
        return int(number)
    if ptype == ParamType.NUMBER:
        if isinstance(value, bool):
            raise ConfigError(f"{value!r} is not a number")
        return float(value)
    if ptype == ParamType.ARRAY:
        if isinstance(value, list):
            return value
        if isinstance(value, str):
            return [v.strip() for v in value.split(",") if v.strip()]
        raise ConfigError(f"{value!r} is not a list")
    if ptype == ParamType.OBJECT and not isinstance(value, dict):
        raise ConfigError(f"{value!r} is not an object")
    return value


def check(calls: Sequence[ToolCall], tools: Mapping[str, Tool]) -> list[Violation]:
    """Every schema violation in ``calls``; an empty list means the plan can run."""
    problems: list[Violation] = []
    available: set[str] = set()
    later = {rid for c in calls for rid in c.responses}
    for i, call in enumerate(calls):
        tool = tools.get(call.api)
        if tool is None:
            problems.append(Violation(i, call.api, "unknown tool (not among the candidates)"))
            available.update(call.responses)
            continue
        params = {p.name: p for p in tool.parameters}
        for name in tool.required:
            if name not in call.parameters:
                problems.append(Violation(i, call.api, f"missing required parameter {name!r}"))
        for name, value in call.parameters.items():
            if name not in params:
                problems.append(Violation(i, call.api, f"unknown parameter {name!r}"))
                continue
            ref = reference_id(value)
            if ref is not None:
                if ref in available:
                    continue
                why = (
                    "its own or a later call's output (a cycle)"
                    if ref in later
                    else "no call's output"
                )
                problems.append(Violation(i, call.api, f"{name}={value!r} references {why}"))
                continue
            try:
                coerce(value, params[name].type)
            except (TypeError, ValueError):
                problems.append(
                    Violation(i, call.api, f"{name}={value!r} is not a {params[name].type.value}")
                )
        available.update(call.responses)
    return problems
