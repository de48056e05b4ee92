"""LLM backends for data generation: a local transformers model or any OpenAI-compatible endpoint,
behind one ``complete`` call, with an on-disk cache and bounded, retried concurrency.

Every call is keyed by (model, messages, JSON schema, sampling settings, seed): a crashed run
started again replays finished calls from the cache instead of repeating them, and a fixed seed
makes a fresh run repeat itself. A JSON schema, when given, is enforced while decoding: locally
with llguidance (the planner's grammar library), remotely as ``response_format``.

Example:
    >>> llm = CachedLLM(make_llm("local:smollm2-135m"), Path(".cache/datagen"))  # doctest: +SKIP
    >>> llm.complete([{"role": "user", "content": "Name a colour."}], seed=1)  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from toolrag.errors import ConfigError

logger = logging.getLogger(__name__)

Messages = list[dict[str, str]]


class ChatLLM(Protocol):
    """What the generators need from a model."""

    name: str
    max_workers: int

    def complete(
        self,
        messages: Messages,
        *,
        json_schema: dict[str, Any] | None = None,
        max_tokens: int = 512,
        temperature: float = 0.7,
        seed: int = 0,
    ) -> str: ...


class LocalLLM:
    """A transformers causal LM on the CPU (a packaged alias, a folder or a hub id).

    Calls are serialised: one CPU model gains nothing from concurrent generate calls.
    """

    max_workers = 1

    def __init__(self, model: str = "qwen2.5-coder-0.5b") -> None:
        from toolrag.agent.models import load_causal_lm

        self.model, self.tokenizer = load_causal_lm(model)
        self.name = f"local:{model}"
        self._lock = threading.Lock()
        self._ll_tokenizer: Any = None

    def _schema_processor(self, schema: dict[str, Any]) -> Any:
        import llguidance.hf
        import torch
        from llguidance import LLMatcher
        from llguidance.torch import (
            allocate_token_bitmask,
            apply_token_bitmask_inplace,
            fill_next_token_bitmask,
        )
        from transformers import LogitsProcessor

        if self._ll_tokenizer is None:
            self._ll_tokenizer = llguidance.hf.from_tokenizer(self.tokenizer)
        grammar = LLMatcher.grammar_from_json_schema(
            schema, defaults={"whitespace_flexible": False}
        )
        matcher = LLMatcher(self._ll_tokenizer, grammar, log_level=0)
        if matcher.is_error():
            raise ConfigError(f"the JSON schema does not compile: {matcher.get_error()}")
        mask = allocate_token_bitmask(1, self._ll_tokenizer.vocab_size)
        eos = self.tokenizer.eos_token_id

        class SchemaMask(LogitsProcessor):
            """Masks every token the schema's grammar does not allow next."""

            def __init__(self) -> None:
                self.start: int | None = None

            def __call__(self, input_ids: torch.Tensor, scores: torch.Tensor) -> torch.Tensor:
                if self.start is None:
                    self.start = input_ids.shape[1]
                elif input_ids.shape[1] > self.start:
                    matcher.consume_token(int(input_ids[0, -1]))
                if matcher.is_stopped() or matcher.is_error():
                    scores[:] = -float("inf")
                    scores[0, eos] = 0.0
                    return scores
                fill_next_token_bitmask(matcher, mask)
                width = min(scores.shape[1], mask.shape[1] * 32)
                apply_token_bitmask_inplace(scores[:, :width], mask)
                return scores

        return SchemaMask()

    def complete(
        self,
        messages: Messages,
        *,
        json_schema: dict[str, Any] | None = None,
        max_tokens: int = 512,
        temperature: float = 0.7,
        seed: int = 0,
    ) -> str:
        import torch
        from transformers import LogitsProcessorList

        ids = self.tokenizer.apply_chat_template(
            messages, add_generation_prompt=True, return_tensors="pt", return_dict=True
        )["input_ids"]
        processors = LogitsProcessorList()
        if json_schema is not None:
            processors.append(self._schema_processor(json_schema))
        with self._lock, torch.inference_mode():
            torch.manual_seed(seed)
            out = self.model.generate(
                ids,
                attention_mask=torch.ones_like(ids),
                max_new_tokens=max_tokens,
                do_sample=temperature > 0,
                temperature=temperature if temperature > 0 else None,
                top_p=0.95 if temperature > 0 else None,
                top_k=None,
                logits_processor=processors,
                pad_token_id=self.tokenizer.pad_token_id,
            )
        return self.tokenizer.decode(out[0, ids.shape[1] :], skip_special_tokens=True)


class OpenAILLM:
    """Any OpenAI-compatible chat-completions endpoint through the official client.

    ``base_url`` defaults to ``$OPENAI_BASE_URL``, the key to ``$OPENAI_API_KEY``.
    """

    def __init__(
        self,
        model: str,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        timeout: float = 60.0,
        max_workers: int = 4,
    ) -> None:
        from toolrag.agent.remote import openai_client

        # Retries are ours (complete_many), so the client does not retry on its own.
        self.client = openai_client(base_url, api_key, timeout=timeout, max_retries=0)
        self.model = model
        self.name = f"openai:{model}"
        self.max_workers = max_workers

    def complete(
        self,
        messages: Messages,
        *,
        json_schema: dict[str, Any] | None = None,
        max_tokens: int = 512,
        temperature: float = 0.7,
        seed: int = 0,
    ) -> str:
        extra: dict[str, Any] = {}
        if json_schema is not None:
            extra["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "output", "schema": json_schema, "strict": True},
            }
        reply = self.client.chat.completions.create(
            model=self.model,
            messages=messages,  # type: ignore[arg-type]
            max_tokens=max_tokens,
            temperature=temperature,
            seed=seed,
            **extra,
        )
        return reply.choices[0].message.content or ""


DEFAULT_LLM = "local:qwen2.5-coder-0.5b"
"""The data generators' default: the best packaged model (Qwen2.5-Coder-0.5B-Instruct). The
135M SmolLM2 writes requests that ramble and rarely say the values of their calls."""


def make_llm(spec: str) -> ChatLLM:
    """``local:NAME_OR_DIR`` (``local:`` alone: the packaged Qwen2.5-Coder-0.5B) or
    ``openai:MODEL``."""
    kind, _, name = spec.partition(":")
    if kind == "local":
        return LocalLLM(name or DEFAULT_LLM.partition(":")[2])
    if kind == "openai" and name:
        return OpenAILLM(name)
    raise ConfigError(f"unknown LLM {spec!r}: use local:NAME_OR_DIR or openai:MODEL")


class CachedLLM:
    """Wraps a backend; every finished call is stored under ``folder`` and never made twice."""

    def __init__(self, llm: ChatLLM, folder: Path) -> None:
        self.llm = llm
        self.folder = Path(folder)
        self.name = llm.name
        self.max_workers = llm.max_workers
        self.hits = 0
        self.calls = 0

    def _path(self, key: dict[str, Any]) -> Path:
        digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()
        return self.folder / digest[:2] / f"{digest}.json"

    def complete(
        self,
        messages: Messages,
        *,
        json_schema: dict[str, Any] | None = None,
        max_tokens: int = 512,
        temperature: float = 0.7,
        seed: int = 0,
    ) -> str:
        key = {
            "model": self.llm.name,
            "messages": messages,
            "schema": json_schema,
            "max_tokens": max_tokens,
            "temperature": temperature,
            "seed": seed,
        }
        path = self._path(key)
        if path.is_file():
            self.hits += 1
            return json.loads(path.read_text(encoding="utf-8"))["text"]
        text = self.llm.complete(
            messages,
            json_schema=json_schema,
            max_tokens=max_tokens,
            temperature=temperature,
            seed=seed,
        )
        self.calls += 1
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp-{os.getpid()}-{threading.get_ident()}")
        tmp.write_text(json.dumps(key | {"text": text}), encoding="utf-8")
        os.replace(tmp, path)
        return text


@dataclass(frozen=True)
class Request:
    """One ``complete`` call: messages plus its settings."""

    messages: Messages
    json_schema: dict[str, Any] | None = None
    max_tokens: int = 512
    temperature: float = 0.7
    seed: int = 0

    @classmethod
    def chat(
        cls,
        system: str,
        user: str,
        *,
        shots: Sequence[tuple[str, str]] = (),
        **settings: Any,
    ) -> Request:
        """A system message and a user message, with ``settings`` (schema, tokens, ...);
        ``shots`` are worked ``(user, assistant)`` turns placed before the user message."""
        messages = [{"role": "system", "content": system}]
        for question, answer in shots:
            messages += [
                {"role": "user", "content": question},
                {"role": "assistant", "content": answer},
            ]
        messages.append({"role": "user", "content": user})
        return cls(messages=messages, **settings)


def complete_request(llm: ChatLLM, req: Request) -> str:
    """``llm.complete`` with a :class:`Request`'s messages and settings."""
    return llm.complete(
        req.messages,
        json_schema=req.json_schema,
        max_tokens=req.max_tokens,
        temperature=req.temperature,
        seed=req.seed,
    )


def complete_many(
    llm: ChatLLM,
    requests: Sequence[Request],
    *,
    retries: int = 3,
    backoff: float = 1.0,
    on_done: Callable[[], None] | None = None,
) -> list[str | Exception]:
    """Run requests with at most ``llm.max_workers`` in flight; each failed call is retried
    ``retries`` times with exponential backoff, and a call that still fails returns its exception
    (in order, in place of its text) instead of stopping the run."""

    def one(req: Request) -> str | Exception:
        for attempt in range(retries + 1):
            try:
                return complete_request(llm, req)
            except Exception as err:  # a transport or model error is recorded, not raised
                if attempt == retries:
                    logger.warning("LLM call failed %d times: %s", retries + 1, err)
                    return err
                time.sleep(backoff * 2**attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    def tracked(req: Request) -> str | Exception:
        out = one(req)
        if on_done is not None:
            on_done()
        return out

    with ThreadPoolExecutor(max_workers=max(1, llm.max_workers)) as pool:
        return list(pool.map(tracked, requests))


def first_json(text: str) -> Any:
    """The first JSON object or list in an LLM's reply (models wrap it in prose or code fences).

    Raises:
        ValueError: the reply holds no JSON object or list (a ``json.JSONDecodeError`` when one
            starts but does not parse).
    """
    start = min((i for i in (text.find("{"), text.find("[")) if i >= 0), default=-1)
    if start < 0:
        raise ValueError("no JSON object in the output")
    value, _ = json.JSONDecoder().raw_decode(text[start:])
    return value
