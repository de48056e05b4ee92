"""The transformers-free tokenizer gives transformers' text and ids, and llguidance accepts it."""

from __future__ import annotations

import pytest

from toolrag.agent.prompt import messages
from toolrag.agent.tokenizer import ChatTokenizer, ll_tokenizer
from toolrag.types import Param, Tool

TOOLS = [
    Tool(
        name="getWeather",
        description="Current weather — in “any” city.",
        parameters=[Param(name="city", required=True)],
    )
]


@pytest.fixture(scope="module")
def both(smol_folder):
    from transformers import AutoTokenizer

    return ChatTokenizer.load(smol_folder), AutoTokenizer.from_pretrained(smol_folder)


@pytest.mark.parametrize("query", ["Weather in Paris?", "Météo à Zürich, 20:00 — ok?\n  spaced"])
def test_same_prompt_text_and_ids_as_transformers(both, query):
    ours, theirs = both
    chat = messages(query, TOOLS)
    text = ours.apply_chat_template(chat, tokenize=False, add_generation_prompt=True)
    assert text == theirs.apply_chat_template(chat, tokenize=False, add_generation_prompt=True)
    ids = ours(text, add_special_tokens=False).input_ids
    assert ids == theirs(text, add_special_tokens=False).input_ids
    assert ours.decode(ids) == theirs.decode(ids)
    assert ours.decode(ids, skip_special_tokens=True) == theirs.decode(
        ids, skip_special_tokens=True
    )
    assert (len(ours), ours.eos_token_id) == (len(theirs), theirs.eos_token_id)


def test_llguidance_reads_it(both):
    from llguidance import LLMatcher

    ours, _ = both
    matcher = LLMatcher(ll_tokenizer(ours), LLMatcher.grammar_from_lark('start: "[]"'), log_level=0)
    assert not matcher.is_error()
    assert matcher.consume_tokens(ours("[]").input_ids) and matcher.is_accepting()


def test_a_folder_without_a_tokenizer_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="no tokenizer.json"):
        ChatTokenizer.load(tmp_path)


def test_llguidance_tokenizer_from_the_saved_table_equals_the_one_from_json(
    both, tmp_path, monkeypatch
):
    from llguidance import LLMatcher
    from llguidance.numpy import allocate_token_bitmask, fill_next_token_bitmask

    from toolrag.agent import tokenizer as tokenizer_module

    monkeypatch.setenv("TOOLRAG_CACHE", str(tmp_path))
    ours, _ = both
    calls: list[str] = []
    real = tokenizer_module.save_token_table
    monkeypatch.setattr(
        tokenizer_module,
        "save_token_table",
        lambda digest, ll: (calls.append(digest), real(digest, ll)),
    )
    from_json = ours.ll_tokenizer()  # no table yet: parsed from tokenizer.json, table saved
    from_table = ours.ll_tokenizer()
    assert len(calls) == 1 and tokenizer_module.token_table(calls[0]).is_file()
    assert type(from_table) is type(from_json)
    n = from_json.vocab_size
    assert (from_table.vocab_size, from_table.eos_token) == (n, from_json.eos_token)
    assert all(from_table.decode_bytes([i]) == from_json.decode_bytes([i]) for i in range(n))
    assert [i for i in range(n) if from_table.is_special_token(i)] == [
        i for i in range(n) if from_json.is_special_token(i)
    ]
    text = 'Météo: [{"api":"getWeather","parameters":{"city":"Zürich"}}]<|im_end|>'
    assert from_table.tokenize_str(text) == from_json.tokenize_str(text)
    # the same masks, token by token, along a plan
    grammar = LLMatcher.grammar_from_lark(r'start: "[" /[a-zA-Z\" :{},]+/ "]"')
    ids = ours('[{"api":"getWeather","parameters":{"city":"Paris"}}]').input_ids
    matchers = [LLMatcher(ll, grammar, log_level=0) for ll in (from_json, from_table)]
    masks = [allocate_token_bitmask(1, n) for _ in matchers]
    for token in ids:
        for m, mask in zip(matchers, masks, strict=True):
            fill_next_token_bitmask(m, mask, 0)
            assert m.consume_token(token)
        assert (masks[0] == masks[1]).all()


def test_a_corrupt_token_table_is_rebuilt(both, tmp_path, monkeypatch):
    import hashlib

    from toolrag.agent.tokenizer import token_table

    monkeypatch.setenv("TOOLRAG_CACHE", str(tmp_path))
    ours, _ = both
    expected = ours.ll_tokenizer()
    table = token_table(hashlib.sha256(ours._json.encode()).hexdigest())
    table.write_bytes(b"not a table")
    again = ours.ll_tokenizer()  # falls back to tokenizer.json and saves a good table
    assert again.tokenize_str("Weather in Paris?") == expected.tokenize_str("Weather in Paris?")
    assert table.stat().st_size > 1000
