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
