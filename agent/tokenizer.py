"""The planner's tokenizer without transformers: the model folder's ``tokenizer.json`` through
the ``tokenizers`` library, and its chat template rendered with jinja2.

Importing transformers pulls in PyTorch, seconds of a fresh process's first plan; the ONNX
engine needs neither. :class:`ChatTokenizer` offers the part of a transformers tokenizer the
planner uses (chat template, encode, decode, end-of-sequence id, vocabulary size) and builds
llguidance's tokenizer from the same JSON; a test checks that it gives transformers' ids.

Example:
    >>> tok = ChatTokenizer.load("path/to/exported/model")  # doctest: +SKIP
    >>> tok(tok.apply_chat_template(messages, tokenize=False,
    ...                              add_generation_prompt=True)).input_ids  # doctest: +SKIP
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolrag.errors import ConfigError


@dataclass(frozen=True)
class Encoding:
    input_ids: list[int]


class ChatTokenizer:
    """A model folder's fast tokenizer and chat template (see the module docstring)."""

    def __init__(self, folder: str | Path) -> None:
        from tokenizers import Tokenizer

        self.folder = Path(folder)
        files = [self.folder / "tokenizer.json", self.folder / "tokenizer_config.json"]
        missing = [f.name for f in files if not f.is_file()]
        if missing:
            raise ConfigError(f"{self.folder} has no {', '.join(missing)}: not a model folder")
        self._json = files[0].read_text()
        self._tok = Tokenizer.from_str(self._json)
        self._tok.no_padding()
        self._tok.no_truncation()
        self.config = json.loads(files[1].read_text())
        template = self.config.get("chat_template")
        if template is None and (self.folder / "chat_template.jinja").is_file():
            template = (self.folder / "chat_template.jinja").read_text()
        if not isinstance(template, str):
            raise ConfigError(f"{self.folder}: the tokenizer has no chat template")
        self.chat_template = template
        self.special = {
            k: self._token_text(v)
            for k, v in self.config.items()
            if k.endswith("_token") and v is not None
        }
        eos = self.special.get("eos_token")
        self.eos_token_id = self._tok.token_to_id(eos) if eos else None
        self.pad_token_id = self.eos_token_id

    @classmethod
    def load(cls, folder: str | Path) -> ChatTokenizer:
        return cls(folder)

    @staticmethod
    def _token_text(value: Any) -> str:
        return value["content"] if isinstance(value, dict) else str(value)

    def __len__(self) -> int:
        return self._tok.get_vocab_size(with_added_tokens=True)

    def __call__(self, text: str, add_special_tokens: bool = False) -> Encoding:
        return Encoding(self._tok.encode(text, add_special_tokens=add_special_tokens).ids)

    def decode(self, ids: Sequence[int], skip_special_tokens: bool = False) -> str:
        return self._tok.decode(list(ids), skip_special_tokens=skip_special_tokens)

    def apply_chat_template(
        self,
        messages: Sequence[dict[str, str]],
        *,
        tokenize: bool = False,
        add_generation_prompt: bool = True,
    ) -> str:
        """The chat as the model was trained to read it (``tokenize=False`` only)."""
        if tokenize:
            raise ConfigError("ChatTokenizer.apply_chat_template renders text; encode it after")
        return _template(self.chat_template).render(
            messages=list(messages), add_generation_prompt=add_generation_prompt, **self.special
        )

    def ll_tokenizer(self) -> Any:
        """llguidance's tokenizer over the same vocabulary."""
        from llguidance import LLTokenizer

        return LLTokenizer(self._json, eos_token=self.eos_token_id)


@functools.lru_cache(maxsize=8)
def _template(source: str) -> Any:
    """The compiled chat template (compiled once per source: about 8 ms a plan otherwise)."""
    from jinja2.ext import loopcontrols
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    def raise_exception(message: str) -> None:
        raise ConfigError(f"chat template: {message}")

    env = ImmutableSandboxedEnvironment(
        trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols]
    )
    env.globals["raise_exception"] = raise_exception
    return env.from_string(source)


def ll_tokenizer(tokenizer: Any) -> Any:
    """llguidance's tokenizer for a :class:`ChatTokenizer` or a transformers fast tokenizer."""
    if isinstance(tokenizer, ChatTokenizer):
        return tokenizer.ll_tokenizer()
    import llguidance.hf

    return llguidance.hf.from_tokenizer(tokenizer)
