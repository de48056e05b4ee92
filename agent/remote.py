"""A planner backed by any OpenAI-compatible chat-completions endpoint (official `openai` client).

Same prompt and same plan parsing as the local planner, so scores are comparable. The endpoint
and key come from the environment (``OPENAI_BASE_URL``, ``OPENAI_API_KEY``) or the arguments; no
grammar is applied remotely, so unparsable replies are recorded format errors.

Example:
    >>> planner = RemotePlanner(model="gpt-4o-mini")  # doctest: +SKIP
    >>> planner.plan("Weather in Oslo?", tools).calls  # doctest: +SKIP
"""

from __future__ import annotations

import os
import time
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from toolrag.agent.config import PlannerConfig
from toolrag.agent.planner import PlanResult, in_selection_order, read_plan
from toolrag.agent.prompt import messages
from toolrag.errors import ConfigError
from toolrag.types import Tool


def openai_client(
    base_url: str | None, api_key: str | None, *, timeout: float, max_retries: int
) -> Any:
    """The official client for an OpenAI-compatible endpoint; the URL and key default to
    ``$OPENAI_BASE_URL`` and ``$OPENAI_API_KEY`` (``"none"`` for servers that ignore it)."""
    try:
        from openai import OpenAI
    except ImportError as err:  # pragma: no cover - a declared dependency
        raise ImportError(
            "OpenAI-compatible endpoints need the client: pip install openai"
        ) from err
    base_url = base_url or os.environ.get("OPENAI_BASE_URL")
    if not base_url:
        raise ConfigError(
            "no endpoint: pass base_url or set OPENAI_BASE_URL (e.g. http://127.0.0.1:8000/v1)"
        )
    return OpenAI(
        base_url=base_url,
        api_key=api_key or os.environ.get("OPENAI_API_KEY", "none"),
        timeout=timeout,
        max_retries=max_retries,
    )


class RemotePlanner:
    """Plans through ``POST {base_url}/chat/completions``.

    Args:
        model: the model name the endpoint serves.
        base_url: endpoint root (``.../v1``); default ``$OPENAI_BASE_URL``.
        api_key: default ``$OPENAI_API_KEY`` (``"none"`` for local servers that ignore it).
        max_tokens: completion cap. timeout: seconds per request. max_retries: client retries.
        config: the :class:`~toolrag.agent.config.PlannerConfig` whose plan passes run over
            the reply (the same :func:`~toolrag.agent.planner.read_plan` as the local planner;
            the grammar, restart and text passes need the local constrained decoder). Default:
            every pass.
    """

    def __init__(
        self,
        model: str,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        max_tokens: int = 384,
        timeout: float = 60.0,
        max_retries: int = 2,
        config: PlannerConfig | None = None,
    ) -> None:
        self.client = openai_client(base_url, api_key, timeout=timeout, max_retries=max_retries)
        self.model = model
        self.max_tokens = max_tokens
        self.name = f"openai:{model}@{self.client.base_url}"
        self.config = config or PlannerConfig()

    def plan(
        self,
        query: str,
        tools: Sequence[Tool],
        *,
        selected: Sequence[str] | None = None,
        required: Sequence[str] | None = None,
        positions: Mapping[str, int] | None = None,
        pointed: Mapping[str, Collection[str]] | None = None,
    ) -> PlanResult:
        """Plan via the endpoint; transport errors and bad replies become recorded errors.

        With ``selected`` (tool names from a selector) only those tools are offered, in that
        order; ``required``, ``positions`` and ``pointed`` are not enforced (the endpoint
        decodes freely).
        """
        start = time.perf_counter()
        tools = in_selection_order(tools, selected)
        if not tools:
            return PlanResult(calls=[], text="[]", format_ok=True)
        result = PlanResult(calls=[], text="", format_ok=False)
        try:
            reply: Any = self.client.chat.completions.create(
                model=self.model,
                messages=messages(query, tools),
                temperature=0,
                max_tokens=self.max_tokens,
            )
            result.text = reply.choices[0].message.content or ""
            if reply.usage is not None:
                result.new_tokens = reply.usage.completion_tokens
        except Exception as err:
            result.error = f"{type(err).__name__}: {err}"
        else:
            read_plan(result, query, tools, self.config)
        result.seconds = time.perf_counter() - start
        return result
