"""A tool simulator for the executor: an LLM plays any tool from its documentation, replying
with a value for each of the tool's output fields (the tool-executor agent of ToolAlpaca's
simulation, on its own). ``toolrag ask --simulator LLM`` and the data-generation simulation
(:mod:`toolrag.trainer.datagen.simulate`) use it."""

from __future__ import annotations

import json
from typing import Any

from toolrag.agent.llm import ChatLLM, Request, complete_request, first_json
from toolrag.agent.prompt import tool_doc
from toolrag.errors import ConfigError
from toolrag.types import ParamType, Tool

_EXECUTOR_SYSTEM = "You simulate an API server: you return what the real API would return."
_EXECUTOR_PROMPT = """API documentation:
{doc}
Output fields: {outputs}

Request: {name}({arguments})
Reply with the JSON response: a plausible value for every output field."""


def response_schema(tool: Tool) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for o in tool.outputs:
        props[o.name] = {"type": o.type.value}  # ParamType's values are JSON Schema's types
        if o.type == ParamType.STRING:
            props[o.name]["maxLength"] = 120
        if o.type == ParamType.ARRAY:
            props[o.name]["maxItems"] = 4
    return {
        "type": "object",
        "properties": props,
        "required": list(props),
        "additionalProperties": False,
    }


def executor_request(tool: Tool, arguments: dict[str, Any], seed: int, max_tokens: int) -> Request:
    prompt = _EXECUTOR_PROMPT.format(
        doc=tool_doc(tool),
        outputs=", ".join(f"{o.name} ({o.type.value}): {o.description}" for o in tool.outputs),
        name=tool.name,
        arguments=json.dumps(arguments, ensure_ascii=False),
    )
    return Request.chat(
        _EXECUTOR_SYSTEM,
        prompt,
        json_schema=response_schema(tool),
        max_tokens=max_tokens,
        temperature=0.7,
        seed=seed,
    )


class LLMToolSimulator:
    """The tool-executor agent on its own: plays any tool from its documentation, for
    :class:`toolrag.agent.executor.ToolRegistry` (``ToolRegistry(simulator=LLMToolSimulator(llm))``).

    Replies follow the tool's output schema (enforced while decoding); a reply that does not
    parse raises, and the executor records it as the call's error.
    """

    def __init__(self, llm: ChatLLM, *, seed: int = 0, max_tokens: int = 200) -> None:
        self.llm, self.seed, self.max_tokens = llm, seed, max_tokens

    def __call__(self, tool: Tool, arguments: dict[str, Any]) -> dict[str, Any]:
        req = executor_request(tool, dict(arguments), self.seed, self.max_tokens)
        text = complete_request(self.llm, req)
        try:
            value = first_json(text)
        except ValueError as err:
            raise ConfigError(f"the simulated {tool.name} replied {text[:120]!r}: {err}") from err
        if not isinstance(value, dict):
            raise ConfigError(f"the simulated {tool.name} replied {text[:120]!r}: not an object")
        return value
