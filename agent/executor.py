"""Run a checked plan: calls in dependency order, earlier outputs substituted into later calls.

Tool implementations come from a :class:`ToolRegistry`: Python callables registered by name
(decorator or mapping); any tool without one is *simulated* -- a deterministic response built
from the tool's output schema, so a plan can be traced end to end without real services. A tool
that raises becomes an observation with an error, never a crash of the run.

Example:
    >>> registry = ToolRegistry()
    >>> @registry.register("geo")
    ... def geo(city: str) -> dict:
    ...     return {"lat": 59.9, "lon": 10.7}
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolrag.agent.checker import coerce
from toolrag.agent.sample_values import sample_value
from toolrag.types import RESULT, Tool, ToolCall, reference_id

logger = logging.getLogger(__name__)

ToolFn = Callable[..., Any]


@dataclass
class Observation:
    """What one call returned (or how it failed)."""

    call: int
    api: str
    arguments: dict[str, Any]
    output: dict[str, Any] | None = None
    error: str | None = None
    simulated: bool = False
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "call": self.call,
            "api": self.api,
            "arguments": self.arguments,
            "output": self.output,
            "error": self.error,
            "simulated": self.simulated,
            "seconds": round(self.seconds, 4),
        }


@dataclass
class ToolRegistry:
    """Tool name -> Python callable; tools without one are simulated (if ``simulate``) by
    ``simulator`` -- deterministic from the output schema by default, or any
    ``(tool, arguments) -> dict`` such as :class:`toolrag.agent.simulator.LLMToolSimulator`."""

    functions: dict[str, ToolFn] = field(default_factory=dict)
    simulate: bool = True
    simulator: Callable[[Tool, Mapping[str, Any]], dict[str, Any]] | None = None

    def register(self, name: str) -> Callable[[ToolFn], ToolFn]:
        def wrap(fn: ToolFn) -> ToolFn:
            self.functions[name] = fn
            return fn

        return wrap

    def update(self, mapping: Mapping[str, ToolFn]) -> None:
        self.functions.update(mapping)

    def add_openapi(
        self, spec: str | Path, *, base_url: str | None = None, headers: dict | None = None
    ) -> list[str]:
        """Run every operation of an OpenAPI spec as a real HTTP call (see
        :mod:`toolrag.agent.http_tools`); returns the tool names added."""
        from toolrag.agent.http_tools import OpenAPITools

        functions = OpenAPITools(spec, base_url=base_url, headers=headers).functions()
        self.update(functions)
        return list(functions)


def simulate(tool: Tool, arguments: Mapping[str, Any]) -> dict[str, Any]:
    """A deterministic response for ``tool`` from its output schema: same input, same output.

    Values fit each output's name and type (:func:`toolrag.agent.sample_values.sample_value`:
    ``"conditions": "cloudy"``, a temperature in range); a tool that declares no outputs says
    so in ``note`` rather than answering an empty object.
    """
    seed = hashlib.sha256(
        json.dumps([tool.name, arguments], sort_keys=True, default=str).encode()
    ).digest()
    rng = random.Random(seed)
    if not tool.outputs:
        return {"status": "ok", "note": f"simulated: {tool.name} declares no output schema"}
    return {p.name: sample_value(p, arguments, rng) for p in tool.outputs}


def whole_result(output: Mapping[str, Any]) -> Any:
    """What a reference to a tool that declares no outputs (:attr:`toolrag.types.Tool.returns`)
    gets: a registered function's plain return value (kept as ``result``), the one field of a
    one-field answer, else the whole answer.

    Example:
        >>> whole_result({"result": 2.9e12}), whole_result({"gdp": 3}), whole_result({"a": 1, "b": 2})
        (2900000000000.0, 3, {'a': 1, 'b': 2})
    """
    if "result" in output:
        return output["result"]
    if len(output) == 1:
        return next(iter(output.values()))
    return dict(output)


def execute(
    calls: Sequence[ToolCall], tools: Mapping[str, Tool], registry: ToolRegistry | None = None
) -> list[Observation]:
    """Run ``calls`` in order (a checked plan only references earlier calls)."""
    registry = registry or ToolRegistry()
    values: dict[str, Any] = {}
    trace: list[Observation] = []
    for i, call in enumerate(calls):
        tool = tools.get(call.api)
        types = {p.name: p.type for p in tool.parameters} if tool else {}
        args: dict[str, Any] = {}
        obs = Observation(call=i, api=call.api, arguments=args)
        start = time.perf_counter()
        try:
            for name, value in call.parameters.items():
                ref = reference_id(value)
                if ref is not None:
                    if ref not in values:
                        raise LookupError(f"{name} references {ref}, which has no value")
                    value = values[ref]
                args[name] = coerce(value, types[name]) if name in types else value
            if call.api in registry.functions:
                result = registry.functions[call.api](**args)
                obs.output = result if isinstance(result, dict) else {"result": result}
            elif tool is not None and registry.simulate:
                obs.output = (registry.simulator or simulate)(tool, args)
                obs.simulated = True
            else:
                raise LookupError(f"no implementation registered for {call.api!r}")
        except Exception as err:
            obs.error = f"{type(err).__name__}: {err}"
            logger.info("call %d (%s) failed: %s", i, call.api, obs.error)
        obs.seconds = time.perf_counter() - start
        if tool is not None and obs.output is not None:
            for rid, out in zip(call.responses, tool.returns, strict=False):
                if out is RESULT:  # a tool that declares no outputs: its whole answer
                    values[rid] = whole_result(obs.output)
                elif out.name in obs.output:
                    values[rid] = obs.output[out.name]
        trace.append(obs)
    return trace
