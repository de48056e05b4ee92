"""The planner's tokenizer without transformers: the model folder's ``tokenizer.json`` through
the ``tokenizers`` library, and its chat template rendered with jinja2.

Importing transformers pulls in PyTorch, seconds of a fresh process's first plan; the ONNX
engine needs neither. :class:`ChatTokenizer` offers the part of a transformers tokenizer the
planner uses (chat template, encode, decode, end-of-sequence id, vocabulary size) and builds
llguidance's tokenizer over the same vocabulary; a test checks that it gives transformers' ids.

llguidance builds its tokenizer from ``tokenizer.json`` by parsing the file a second time (1.2 s
of a fresh process's first plan for Qwen's 151k tokens). The first build saves each token's bytes
to the toolrag cache (:func:`token_table`, keyed by the file's sha256); later processes build
llguidance's tokenizer from those bytes and this tokenizer's own encoder (about 0.3 s), with the
same token bytes, special tokens and end-of-sequence id.

Example:
    >>> tok = ChatTokenizer.load("path/to/exported/model")  # doctest: +SKIP
    >>> tok(tok.apply_chat_template(messages, tokenize=False,
    ...                              add_generation_prompt=True)).input_ids  # doctest: +SKIP
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolrag.errors import ConfigError

logger = logging.getLogger(__name__)

TABLE_FORMAT = 1
"""Version of the saved token table (:func:`token_table`)."""


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
        """llguidance's tokenizer over the same vocabulary: from the saved token table when
        there is one, else from ``tokenizer.json`` (saving the table for the next process)."""
        from llguidance import LLTokenizer, TokenizerWrapper

        digest = hashlib.sha256(self._json.encode()).hexdigest()
        table = load_token_table(digest)
        if table is None:
            ll = LLTokenizer(self._json, eos_token=self.eos_token_id)
            save_token_table(digest, ll)
            return ll
        tokens, special = table
        return LLTokenizer(
            TokenizerWrapper(_Vocabulary(self, tokens, special)), eos_token=self.eos_token_id
        )


class _Vocabulary:
    """What llguidance's ``TokenizerWrapper`` reads: token bytes, special ids, an encoder."""

    bos_token_id = None

    def __init__(self, tok: ChatTokenizer, tokens: list[bytes], special: list[int]) -> None:
        self._tok = tok
        self.tokens = tokens
        self.special_token_ids = special
        self.eos_token_id = tok.eos_token_id

    def __call__(self, text: str) -> list[int]:
        if not isinstance(text, str):  # llguidance probes for a bytes encoder: there is none
            raise TypeError("text only")
        return self._tok(text).input_ids


def token_table(digest: str) -> Path:
    """Where the token table of the ``tokenizer.json`` with sha256 ``digest`` is saved."""
    from toolrag.cache import cache_root

    return cache_root() / "tokenizers" / f"{digest[:32]}-v{TABLE_FORMAT}.npz"


def save_token_table(digest: str, ll: Any) -> None:
    """Save each token's bytes and the special token ids of llguidance tokenizer ``ll``
    (written to a temporary file and renamed, so a reader never sees half a table)."""
    import numpy as np

    tokens = [ll.decode_bytes([i]) for i in range(ll.vocab_size)]
    special = [i for i in range(ll.vocab_size) if ll.is_special_token(i)]
    path = token_table(digest)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as fh:
            np.savez(
                fh,
                lengths=np.array([len(t) for t in tokens], dtype=np.int32),
                data=np.frombuffer(b"".join(tokens), dtype=np.uint8),
                special=np.array(special, dtype=np.int64),
            )
        os.replace(fh.name, path)
    except OSError as exc:  # a read-only cache costs speed, not the plan
        logger.warning("could not save the tokenizer table to %s: %s", path, exc)


def load_token_table(digest: str) -> tuple[list[bytes], list[int]] | None:
    """The saved (token bytes, special ids), or None when there is none or it is unreadable."""
    import numpy as np

    path = token_table(digest)
    if not path.is_file():
        return None
    try:
        with np.load(path) as npz:
            lengths, data, special = npz["lengths"], npz["data"].tobytes(), npz["special"]
    except (OSError, ValueError, KeyError) as exc:
        logger.warning("ignoring the unreadable tokenizer table %s: %s", path, exc)
        return None
    ends = np.cumsum(lengths).tolist()
    if (ends[-1] if ends else 0) != len(data):
        logger.warning("ignoring the tokenizer table %s: its sizes do not add up", path)
        return None
    starts = [0, *ends[:-1]]
    return [data[a:b] for a, b in zip(starts, ends, strict=True)], special.tolist()


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
