"""Stage grammars admit exactly the plans the issue asks for (checked with llguidance)."""

from __future__ import annotations

import pytest

from agent.grammar import closed_calls, stage_grammar
from toolrag.types import Param, ParamType, Tool

llguidance = pytest.importorskip("llguidance")
from llguidance import LLMatcher  # noqa: E402

GEO = Tool(
    name="geo",
    parameters=[Param(name="city", required=True), Param(name="n", type=ParamType.INTEGER)],
    outputs=[Param(name="lat"), Param(name="lon")],
)
WEATHER = Tool(name="weather", parameters=[Param(name="lat")], outputs=[Param(name="temp")])


@pytest.fixture(scope="module")
def ll_tok(smol_folder):
    import llguidance.hf
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(smol_folder)
    return tok, llguidance.hf.from_tokenizer(tok)


def accepts(ll_tok, grammar: str, text: str) -> bool:
    tok, llt = ll_tok
    m = LLMatcher(llt, LLMatcher.grammar_from_lark(grammar), log_level=0)
    assert not m.is_error(), m.get_error()
    return m.consume_tokens(tok(text, add_special_tokens=False).input_ids) and m.is_accepting()


def test_stage_zero(ll_tok):
    g = stage_grammar("", [], [GEO, WEATHER], max_calls=4)
    assert accepts(ll_tok, g, "[]")
    assert accepts(ll_tok, g, '[{"api":"geo","parameters":{"city":"Oslo","n":3}}]')
    assert not accepts(ll_tok, g, '[{"api":"bookFlight","parameters":{}}]')  # not a candidate
    assert not accepts(ll_tok, g, '[{"api":"geo","parameters":{"town":"Oslo"}}]')  # unknown param
    assert not accepts(
        ll_tok, g, '[{"api":"geo","parameters":{"city":"$0.lat"}}]'
    )  # no earlier call
    assert not accepts(ll_tok, g, '[{"api":"geo","parameters":{"city":"Oslo"}')  # unclosed


def test_later_stage_allows_only_real_outputs_of_earlier_calls(ll_tok):
    prefix = '[{"api":"geo","parameters":{"city":"Oslo"}}'
    g = stage_grammar(prefix, [GEO], [GEO, WEATHER], max_calls=4)
    assert accepts(ll_tok, g, prefix + ',{"api":"weather","parameters":{"lat":"$0.lat"}}]')
    assert not accepts(ll_tok, g, prefix + ',{"api":"weather","parameters":{"lat":"$0.temp"}}]')
    assert not accepts(ll_tok, g, prefix + ',{"api":"weather","parameters":{"lat":"$1.lat"}}]')
    assert accepts(ll_tok, g, prefix + "]")


def test_length_cap(ll_tok):
    prefix = '[{"api":"weather","parameters":{}}'
    g = stage_grammar(prefix, [WEATHER], [GEO, WEATHER], max_calls=1)
    assert accepts(ll_tok, g, prefix + "]")
    assert not accepts(ll_tok, g, prefix + ',{"api":"weather","parameters":{}}]')


def test_closed_calls_ignores_braces_in_strings():
    assert closed_calls('[{"a":"}{"},{"b":{"c":1}}') == [11, 25]
    assert closed_calls('[{"a":"\\"}"') == []


def test_last_allowed_call_must_close_the_list(ll_tok):
    g = stage_grammar("", [], [GEO, WEATHER], max_calls=1)
    assert accepts(ll_tok, g, '[{"api":"weather","parameters":{}}]')
    assert not accepts(
        ll_tok, g, '[{"api":"weather","parameters":{}},{"api":"weather","parameters":{}}]'
    )
