"""Stage grammars admit exactly the plans the issue asks for (checked with llguidance)."""

from __future__ import annotations

import doctest

import pytest

from toolrag.agent.grammar import QueryFacts, closed_calls, stage_grammar
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


def test_a_call_never_references_an_earlier_call_to_its_own_tool(ll_tok):
    prefix = '[{"api":"geo","parameters":{"city":"Oslo"}}'
    g = stage_grammar(prefix, [GEO], [GEO, WEATHER], max_calls=4)
    assert accepts(ll_tok, g, prefix + ',{"api":"geo","parameters":{"city":"Rome"}}]')
    assert not accepts(ll_tok, g, prefix + ',{"api":"geo","parameters":{"city":"$0.lat"}}]')
    assert accepts(ll_tok, g, prefix + ',{"api":"weather","parameters":{"lat":"$0.lat"}}]')


def test_references_take_only_outputs_whose_type_fits(ll_tok):
    stats = Tool(
        name="stats",
        outputs=[
            Param(name="count", type=ParamType.INTEGER),
            Param(name="ok", type=ParamType.BOOLEAN),
            Param(name="label"),
        ],
    )
    sink = Tool(
        name="sink",
        parameters=[
            Param(name="n", type=ParamType.INTEGER),
            Param(name="x", type=ParamType.NUMBER),
            Param(name="flag", type=ParamType.BOOLEAN),
            Param(name="text"),
        ],
    )
    prefix = '[{"api":"stats","parameters":{}}'
    g = stage_grammar(prefix, [stats], [stats, sink], max_calls=3)

    def call(arg: str) -> str:
        return prefix + ',{"api":"sink","parameters":{' + arg + "}}]"

    for arg in ('"n":"$0.count"', '"x":"$0.count"', '"n":"$0.label"', '"flag":"$0.ok"'):
        assert accepts(ll_tok, g, call(arg)), arg
    for arg in ('"text":"$0.ok"', '"text":"$0.count"'):
        assert accepts(ll_tok, g, call(arg)), arg  # a string takes any output
    for arg in ('"n":"$0.ok"', '"flag":"$0.count"', '"x":"$0.ok"'):
        assert not accepts(ll_tok, g, call(arg)), arg


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


ALERT = Tool(name="alert", parameters=[Param(name="text")], outputs=[])


def test_selected_tools_each_at_least_once(ll_tok):
    tools = [GEO, WEATHER]
    g = stage_grammar("", [], tools, max_calls=4, required=["geo", "weather"])
    both = '[{"api":"geo","parameters":{"city":"Oslo"}},{"api":"weather","parameters":{"lat":"x"}}]'
    assert accepts(ll_tok, g, both)
    assert not accepts(ll_tok, g, "[]")  # nothing called
    assert not accepts(ll_tok, g, '[{"api":"geo","parameters":{"city":"Oslo"}}]')  # weather missing
    # a repeat of a selected tool with other arguments stays allowed
    again = both[:-1] + ',{"api":"geo","parameters":{"city":"Rome"}}]'
    assert accepts(ll_tok, g, again)


def test_only_selected_tools_may_be_called(ll_tok):
    tools = [GEO]  # the planner passes the selected tools as the grammar's tools
    g = stage_grammar("", [], tools, max_calls=4, required=["geo"])
    assert accepts(ll_tok, g, '[{"api":"geo","parameters":{"city":"Oslo"}}]')
    assert not accepts(ll_tok, g, '[{"api":"weather","parameters":{"lat":"x"}}]')


def test_later_stage_cannot_close_before_required_tools(ll_tok):
    prefix = '[{"api":"geo","parameters":{"city":"Oslo"}}'
    g = stage_grammar(
        prefix, [GEO], [GEO, WEATHER, ALERT], max_calls=4, required=["weather", "geo"]
    )
    assert not accepts(ll_tok, g, prefix + "]")
    assert not accepts(ll_tok, g, prefix + ',{"api":"alert","parameters":{"text":"hi"}}]')
    assert accepts(
        ll_tok,
        g,
        prefix + ',{"api":"alert","parameters":{"text":"hi"}},{"api":"weather","parameters":{}}]',
    )
    assert accepts(ll_tok, g, prefix + ',{"api":"weather","parameters":{"lat":"$0.lat"}}]')


def test_next_required_restricts_the_next_call(ll_tok):
    prefix = '[{"api":"geo","parameters":{"city":"Oslo"}}'
    g = stage_grammar(
        prefix, [GEO], [GEO, WEATHER], max_calls=4, required=["geo", "weather"], next_required=True
    )
    assert not accepts(
        ll_tok,
        g,
        prefix + ',{"api":"geo","parameters":{"city":"Rome"}},{"api":"weather","parameters":{}}]',
    )
    assert accepts(ll_tok, g, prefix + ',{"api":"weather","parameters":{}}]')


def test_positions_order_the_first_calls(ll_tok):
    # asked for in this order: weather (required), alert (optional), geo (required)
    tools = [GEO, ALERT, WEATHER]
    at = {"weather": 0, "alert": 1, "geo": 2}
    w, a = '{"api":"weather","parameters":{}}', '{"api":"alert","parameters":{"text":"hi"}}'
    g_ = '{"api":"geo","parameters":{"city":"Oslo"}}'

    def stage(prefix, done, positions=at):
        return stage_grammar(
            prefix, done, tools, max_calls=4, required=["weather", "geo"], positions=positions
        )

    g = stage("", [])
    assert accepts(ll_tok, g, f"[{w},{g_}]")
    assert not accepts(ll_tok, g, f"[{g_},{w}]")  # geo is asked for after weather
    assert not accepts(ll_tok, g, f"[{a},{w},{g_}]")  # so is the optional alert
    assert accepts(ll_tok, stage("", [], positions=None), f"[{g_},{w}]")
    # tools asked for at the same position keep no order
    assert accepts(ll_tok, stage("", [], positions={"weather": 0, "geo": 0}), f"[{g_},{w}]")
    # after weather: the optional alert (asked for before geo), weather again, or geo
    g = stage(f"[{w}", [WEATHER])
    assert accepts(ll_tok, g, f"[{w},{a},{g_}]")
    assert accepts(ll_tok, g, f'[{w},{{"api":"weather","parameters":{{"lat":"x"}}}},{g_}]')
    assert accepts(ll_tok, g, f"[{w},{g_}]")
    # once every required tool is called, any tool may come
    g = stage_grammar(f"[{g_}", [GEO], tools, max_calls=4, required=["geo"], positions=at)
    assert accepts(ll_tok, g, f"[{g_},{a}]")
    assert accepts(ll_tok, g, f"[{g_},{w}]")


def test_required_count_respects_the_length_cap(ll_tok):
    # two calls allowed, two required: the first call may not be spent on another tool
    g = stage_grammar("", [], [GEO, WEATHER, ALERT], max_calls=2, required=["geo", "weather"])
    assert not accepts(
        ll_tok, g, '[{"api":"alert","parameters":{}},{"api":"geo","parameters":{"city":"x"}}]'
    )
    assert accepts(
        ll_tok, g, '[{"api":"weather","parameters":{}},{"api":"geo","parameters":{"city":"x"}}]'
    )
    with pytest.raises(ValueError, match="do not fit"):
        stage_grammar("", [], [GEO, WEATHER], max_calls=1, required=["geo", "weather"])
    with pytest.raises(ValueError, match="not among the tools"):
        stage_grammar("", [], [GEO], max_calls=3, required=["weather"])


TRIP = Tool(
    name="planTrip",
    parameters=[
        Param(name="city", required=True),
        Param(name="distance_km", type=ParamType.INTEGER),
        Param(name="unit", enum=["celsius", "fahrenheit"]),
        Param(
            name="temps",
            type=ParamType.ARRAY,
            json_schema={"type": "array", "items": {"type": "number"}},
        ),
        Param(
            name="address",
            type=ParamType.OBJECT,
            json_schema={
                "type": "object",
                "properties": {"street": {"type": "string"}, "zip": {"type": "integer"}},
                "required": ["street"],
            },
        ),
        Param(name="fast", type=ParamType.BOOLEAN),
    ],
)


def _trip(args: str) -> str:
    return '[{"api":"planTrip","parameters":{' + args + "}}]"


@pytest.mark.parametrize(
    ("args", "ok"),
    [
        ('"city":"Oslo"', True),
        ('"city":"Oslo","distance_km":50', True),
        ('"city":"Oslo","distance_km":"50 kilometers"', False),  # a number parameter
        ('"city":"Oslo","distance_km":50.5', False),  # integer, not number
        ('"city":"Oslo","unit":"celsius"', True),
        ('"city":"Oslo","unit":"kelvin"', False),  # out of the enum
        ('"city":"Oslo","temps":[1.5,2]', True),
        ('"city":"Oslo","temps":["warm"]', False),  # item type
        ('"city":"Oslo","temps":{"a":1}', False),  # an array, not an object
        ('"city":"Oslo","address":{"street":"Main St","zip":12345}', True),
        ('"city":"Oslo","address":{"street":"Main St","zip":"abc"}', False),  # nested type
        ('"city":"Oslo","address":{"zip":12345}', False),  # nested required
        # an object takes only its listed fields: not the call's other parameters, no new ones
        ('"city":"Oslo","address":{"street":"Main St","city":"Oslo"}', False),
        ('"city":"Oslo","address":{"street":"Main St","floor":3}', False),
        ('"city":"Oslo","fast":true', True),
        ('"city":"Oslo","fast":"yes"', False),
        ('"distance_km":50', False),  # required city missing
        ('"city":"$0.lat"', False),  # no earlier call to refer to
    ],
)
def test_the_grammar_enforces_each_parameters_schema(ll_tok, args, ok):
    g = stage_grammar("", [], [TRIP], max_calls=2)
    assert accepts(ll_tok, g, _trip(args)) is ok


LEG = Tool(
    name="leg",
    parameters=[
        Param(name="km", type=ParamType.INTEGER, required=True),
        Param(name="note"),
    ],
)


def test_typed_parameters_still_take_references_to_earlier_outputs(ll_tok):
    prefix = '[{"api":"geo","parameters":{"city":"Oslo"}}'
    g = stage_grammar(prefix, [GEO], [GEO, LEG], max_calls=3)
    call = ',{"api":"leg","parameters":{"km":"$0.lat"}}]'
    assert accepts(ll_tok, g, prefix + call)
    assert not accepts(ll_tok, g, prefix + call.replace("$0.lat", "$0.nope"))


def test_only_required_parameters_take_references(ll_tok):
    prefix = '[{"api":"geo","parameters":{"city":"Oslo"}}'
    g = stage_grammar(prefix, [GEO], [GEO, LEG, TRIP], max_calls=3)
    # optional: a value the user states, not an earlier output
    assert accepts(ll_tok, g, prefix + ',{"api":"leg","parameters":{"km":4,"note":"x"}}]')
    assert not accepts(ll_tok, g, prefix + ',{"api":"leg","parameters":{"km":4,"note":"$0.lat"}}]')
    assert not accepts(
        ll_tok,
        g,
        prefix + ',{"api":"planTrip","parameters":{"city":"Oslo","distance_km":"$0.lat"}}]',
    )
    # a tool that marks no parameter required: any may (WEATHER's lat)
    g = stage_grammar(prefix, [GEO], [GEO, WEATHER], max_calls=3)
    assert accepts(ll_tok, g, prefix + ',{"api":"weather","parameters":{"lat":"$0.lat"}}]')


BOOK = Tool(
    name="book",
    parameters=[
        Param(name="restaurant", required=True),
        Param(name="party_size", type=ParamType.INTEGER, required=True),
        Param(name="children", type=ParamType.INTEGER),
        Param(name="cabin", enum=["window", "terrace", "bar"]),
        Param(name="budget", type=ParamType.NUMBER),
        Param(
            name="prices",
            type=ParamType.ARRAY,
            json_schema={"type": "array", "items": {"type": "number"}},
        ),
    ],
)


def _book(args: str) -> str:
    return '[{"api":"book","parameters":{' + args + "}}]"


@pytest.mark.parametrize(
    ("query", "args", "ok"),
    [
        # numbers: only those the query states; no run-on digits, none from the time
        ("Luigi's for 2 at 20:00", '"restaurant":"Luigi\'s","party_size":2', True),
        ("Luigi's for 2 at 20:00", '"restaurant":"Luigi\'s","party_size":200', False),
        ("Luigi's for 2 at 20:00", '"restaurant":"Luigi\'s","party_size":20', False),
        ("Luigi's for two", '"restaurant":"Luigi\'s","party_size":2', True),
        # a required number the query does not state keeps its plain type
        ("Book Luigi's", '"restaurant":"Luigi\'s","party_size":4', True),
        # a number as written, no digit cut; an integer takes 2.0 as 2 (the grammar writes 38.0
        # as 38: agent.plan.numbers_as_written gives it back its written form)
        (
            "L for 2, 0.7372920019796602",
            '"restaurant":"L","party_size":2,"budget":0.7372920019796602',
            True,
        ),
        (
            "L for 2, 0.7372920019796602",
            '"restaurant":"L","party_size":2,"budget":0.73729200197966',
            False,
        ),
        ("L for 2.0", '"restaurant":"L","party_size":2', True),
        # an optional number the query does not state is left out
        ("Book Luigi's", '"restaurant":"Luigi\'s","party_size":4,"children":1', False),
        ("Luigi's for 4, 1 child", '"restaurant":"Luigi\'s","party_size":4,"children":1', True),
        # enums: the members the query says; optional and unsaid: left out
        ("Luigi's for 2 on the terrace", '"restaurant":"L","party_size":2,"cabin":"terrace"', True),
        ("Luigi's for 2 on the terrace", '"restaurant":"L","party_size":2,"cabin":"bar"', False),
        ("Luigi's for 2", '"restaurant":"L","party_size":2,"cabin":"bar"', False),
        # array items from the query's numbers: 6 and 9, not 6.9
        ("2 at 2.5, 6 and 9", '"restaurant":"L","party_size":2,"prices":[2.5,6,9]', True),
        ("2 at 2.5, 6 and 9", '"restaurant":"L","party_size":2,"prices":[2.5,6.9]', False),
        # strings do not start or end with spaces
        ("Luigi's for 2", '"restaurant":" Luigi","party_size":2', False),
    ],
)
def test_grounded_values_take_what_the_query_states(ll_tok, query, args, ok):
    g = stage_grammar("", [], [BOOK], max_calls=2, facts=QueryFacts.of(query))
    assert accepts(ll_tok, g, _book(args)) is ok
    # without the query's facts only the types are checked
    typed_only = accepts(ll_tok, stage_grammar("", [], [BOOK], max_calls=2), _book(args))
    assert typed_only is ('" Luigi' not in args)


def test_grounded_strings_cannot_run_past_the_query(ll_tok):
    query = "Book Luigi's for 2"  # 18 characters: a string value may take 18 + 32
    facts = QueryFacts.of(query)
    assert facts.max_string == len(query) + 32
    g = stage_grammar("", [], [BOOK], max_calls=2, facts=facts)
    fits = "L" * facts.max_string
    assert accepts(ll_tok, g, _book(f'"restaurant":"{fits}","party_size":2'))
    assert not accepts(ll_tok, g, _book(f'"restaurant":"{fits}x","party_size":2'))
    # a value that spells another parameter runs into the bound instead of the token budget
    run_on = "Luigi's, children=1000000" + "0" * 40
    assert not accepts(ll_tok, g, _book(f'"restaurant":"{run_on}","party_size":2'))
    assert accepts(
        ll_tok,
        stage_grammar("", [], [BOOK], max_calls=2),
        _book(f'"restaurant":"{run_on}","party_size":2'),
    )


MAIL = Tool(
    name="mail",
    parameters=[
        Param(name="to", required=True),
        Param(name="subject", required=True),
        Param(name="body"),
        Param(
            name="cc",
            type=ParamType.ARRAY,
            json_schema={"type": "array", "items": {"type": "string"}},
        ),
    ],
)
MAIL_QUERY = "Email bob@example.com with subject 'Lunch at Nobu', cc Ana and say see you."


def _mail(args: str) -> str:
    return '[{"api":"mail","parameters":{' + args + "}}]"


@pytest.mark.parametrize(
    ("strings", "args", "ok"),
    [
        # every mode: the query's own words pass
        ("all", '"to":"bob@example.com","subject":"Lunch at Nobu","body":"see you"', True),
        ("optional", '"to":"bob@example.com","subject":"Lunch at Nobu","body":"see you"', True),
        ("free", '"to":"bob@example.com","subject":"Lunch at Nobu","body":"see you"', True),
        # a word's case may change
        ("all", '"to":"bob@example.com","subject":"lunch at nobu","body":"See you"', True),
        # a cut word, an added word, an invented name
        ("all", '"to":"example.com","subject":"Lunch"', False),
        ("all", '"to":"bob@example.com","subject":"Lunch at Nobu, Paris"', False),
        ("all", '"to":"bob@example.com","subject":"Lunch","cc":["Ana","Ben"]', False),
        ("all", '"to":"bob@example.com","subject":"Lunch","cc":["Ana"]', True),
        # "optional": required strings are free, optional ones (and their items) grounded
        ("optional", '"to":"example.com","subject":"Lunch"', True),
        ("optional", '"to":"bob@example.com","subject":"Lunch","body":"Hi Bob, see you"', False),
        ("optional", '"to":"bob@example.com","subject":"Lunch","cc":["Ben"]', False),
        ("free", '"to":"bob@example.com","subject":"Lunch","body":"Hi Bob, see you"', True),
        ("free", '"to":"bob@example.com","subject":"Lunch","cc":["Ben"]', True),
    ],
)
def test_string_modes_ground_plain_strings_in_the_query_words(ll_tok, strings, args, ok):
    g = stage_grammar("", [], [MAIL], max_calls=2, facts=QueryFacts.of(MAIL_QUERY, strings))
    assert accepts(ll_tok, g, _mail(args)) is ok


SYMPTOMS_QUERY = "Log fever, cough, and sore throat for Ana's visit; mail 'Get well' to ann@x.org"


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("sore throat", True),  # a span
        ("Sore throat", True),  # a word's case may change
        ("fever, cough, and sore throat", True),
        ("fever, cough, sore throat", True),  # a list's "and" may go
        ("Ana", True),  # the owner, not the possession
        ("Get well", True),  # a quoted span, whole
        ("throat sore", False),  # out of order
        ("fever throat", False),  # a word skipped
        ("visit Ana", False),
        ("well to ann@x.org", False),  # across the edge of a quoted span
    ],
)
def test_span_mode_takes_only_runs_of_the_query_words(ll_tok, value, ok):
    facts = QueryFacts.of(SYMPTOMS_QUERY, "spans")
    args = f'"to":"ann@x.org","subject":"{value}"'
    g = stage_grammar("", [], [MAIL], max_calls=2, facts=facts)
    assert accepts(ll_tok, g, _mail(args)) is ok
    if value != "well to ann@x.org":  # the word mode takes all the others: words in any order
        words = QueryFacts.of(SYMPTOMS_QUERY, "all")
        assert accepts(ll_tok, stage_grammar("", [], [MAIL], max_calls=2, facts=words), _mail(args))


def test_word_grounded_strings_still_take_references(ll_tok):
    facts = QueryFacts.of("Look up Oslo and mail its forecast to ann@x.org", "all")
    prefix = '[{"api":"geo","parameters":{"city":"Oslo"}}'
    g = stage_grammar(prefix, [GEO], [MAIL], max_calls=3, facts=facts)
    call = ',{"api":"mail","parameters":{"to":"ann@x.org","subject":"%s"}}]'
    assert accepts(ll_tok, g, prefix + call % "$0.lat")
    assert accepts(ll_tok, g, prefix + call % "Oslo forecast")
    assert not accepts(ll_tok, g, prefix + call % "$0.temp")
    assert not accepts(ll_tok, g, prefix + call % "Weather")


def test_word_grounded_strings_take_dates_the_query_writes_in_iso_form(ll_tok):
    facts = QueryFacts.of("Email ann@x.org a reminder for May 1st, 2022", "all")
    call = '"to":"ann@x.org","subject":"%s"'
    g = stage_grammar("", [], [MAIL], max_calls=2, facts=facts)
    assert accepts(ll_tok, g, _mail(call % "reminder 2022-05-01"))
    assert not accepts(ll_tok, g, _mail(call % "reminder 2022-05-02"))


NEONATE = Tool(
    name="gestationalAge",
    parameters=[
        Param(name="birth_date", required=True),
        Param(name="due_date"),
        Param(name="date_range"),  # a range, not one date: a plain string
        Param(name="visit", json_schema={"type": "string", "format": "date"}),
    ],
)


def _neonate(args: str) -> str:
    return '[{"api":"gestationalAge","parameters":{' + args + "}}]"


@pytest.mark.parametrize(
    "args, ok",
    [
        ('"birth_date":"2021-06-15","due_date":"2021-03-20"', True),
        ('"birth_date":"June 15, 2021"', True),  # as the query writes it
        ('"birth_date":"2010"', False),  # a year alone is no date
        ('"birth_date":"2010, human"', False),
        ('"birth_date":"2021-06-16"', False),  # not a date the query states
        ('"birth_date":"2021-06-15","date_range":"June 15, 2021, due 2021-03-20"', True),
        ('"birth_date":"2021-06-15","visit":"2021-03-20"', True),
        ('"birth_date":"2021-06-15","visit":"March 20, 2021"', False),  # format date: ISO only
    ],
)
def test_date_parameters_take_the_dates_the_query_states(ll_tok, args, ok):
    query = "A horse born in 2010 in human years; a neonate born June 15, 2021, due 2021-03-20"
    g = stage_grammar("", [], [NEONATE], max_calls=2, facts=QueryFacts.of(query, "all"))
    assert accepts(ll_tok, g, _neonate(args)) is ok


def test_an_optional_date_parameter_is_left_out_when_the_query_states_no_date(ll_tok):
    facts = QueryFacts.of("A neonate born in 2021, in June", "all")
    g = stage_grammar("", [], [NEONATE], max_calls=2, facts=facts)
    assert not accepts(ll_tok, g, _neonate('"birth_date":"June","due_date":"June"'))
    assert not accepts(ll_tok, g, _neonate('"birth_date":"June","visit":"2021-06-01"'))
    assert accepts(ll_tok, g, _neonate('"birth_date":"June"'))  # required: a plain string


def test_the_module_examples_hold():
    from toolrag.agent import grammar

    assert doctest.testmod(grammar).failed == 0


def test_unknown_string_mode_is_refused():
    with pytest.raises(ValueError, match="strings must be one of"):
        QueryFacts.of("hi", "phrases")


def test_omitted_optional_parameters_cannot_be_written(ll_tok):
    facts = QueryFacts.of(MAIL_QUERY, "all")
    omit = {"mail": {"body", "to"}}  # "to" is required: it stays
    g = stage_grammar("", [], [MAIL, GEO], max_calls=2, facts=facts, omit=omit)
    assert accepts(ll_tok, g, _mail('"to":"bob@example.com","subject":"Lunch at Nobu"'))
    assert not accepts(
        ll_tok, g, _mail('"to":"bob@example.com","subject":"Lunch","body":"see you"')
    )
    assert accepts(ll_tok, g, _mail('"to":"bob@example.com","subject":"Lunch","cc":["Ana"]'))
    assert not accepts(ll_tok, g, _mail('"subject":"Lunch"'))
    # another tool's parameters are untouched
    assert accepts(ll_tok, g, '[{"api":"geo","parameters":{"city":"Ana"}}]')


def test_a_quoted_span_is_a_value_whole_and_no_value_runs_across_its_edge(ll_tok):
    query = "Please translate the phrase 'Hello, how are you?' into the Sotho language."
    facts = QueryFacts.of(query, "all")
    assert facts.quotes == ("Hello, how are you?",)
    g = stage_grammar("", [], [MAIL], max_calls=2, facts=facts)
    call = '"to":"Sotho","subject":"%s"'
    assert accepts(ll_tok, g, _mail(call % "Hello, how are you?"))  # punctuation and all
    assert accepts(ll_tok, g, _mail(call % "Hello, how are you"))  # its words still
    assert not accepts(ll_tok, g, _mail(call % "Hello, how are you?' into the Sotho language"))
    assert not accepts(ll_tok, g, _mail(call % "phrase 'Hello"))


def test_string_values_may_drop_a_possessive(ll_tok):
    facts = QueryFacts.of("Email John Smith's notes about the lions to ann@x.org", "all")
    g = stage_grammar("", [], [MAIL], max_calls=2, facts=facts)
    call = '"to":"ann@x.org","subject":"%s"'
    assert accepts(ll_tok, g, _mail(call % "John Smith"))
    assert accepts(ll_tok, g, _mail(call % "John Smith's notes"))
    assert not accepts(ll_tok, g, _mail(call % "lion"))  # plurals keep their ending


def test_extend_forbids_closing_before_one_more_call(ll_tok):
    one = '[{"api":"geo","parameters":{"city":"Oslo"}}'
    two = one + ',{"api":"weather","parameters":{}}]'
    for prefix, done in (("", []), (one, [GEO])):
        g = stage_grammar(prefix, done, [GEO, WEATHER], max_calls=4, extend=True)
        closed = "[]" if not prefix else one + "]"
        assert not accepts(ll_tok, g, closed)
    g = stage_grammar(one, [GEO], [GEO, WEATHER], max_calls=4, extend=True)
    assert accepts(ll_tok, g, two)
    # without extend the list may close there
    assert accepts(ll_tok, stage_grammar(one, [GEO], [GEO, WEATHER], max_calls=4), one + "]")


def test_refer_makes_a_required_parameter_a_reference_where_one_fits(ll_tok):
    depth = Tool(name="depth", parameters=[Param(name="place", required=True)])
    prefix = '[{"api":"geo","parameters":{"city":"Oslo"}}'
    g = stage_grammar(prefix, [GEO], [depth], max_calls=3, refer={"depth": {"place"}})
    call = ',{"api":"depth","parameters":{"place":"%s"}}]'
    assert accepts(ll_tok, g, prefix + call % "$0.lat")
    assert not accepts(ll_tok, g, prefix + call % "the same place")
    # at the first call there is nothing to refer to: the parameter keeps its schema
    first = stage_grammar("", [], [depth], max_calls=3, refer={"depth": {"place"}})
    assert accepts(ll_tok, first, '[{"api":"depth","parameters":{"place":"Oslo"}}]')


def test_a_required_number_the_query_does_not_state_is_a_reference_where_one_fits():
    from toolrag.agent.grammar import QueryFacts, parameters_schema
    from toolrag.types import Param, Tool

    tool = Tool(
        name="getProject",
        parameters=[
            Param(name="project_id", type="integer", required=True),
            Param(name="year", type="integer"),
        ],
    )
    species = [(0, [Param(name="species")])]
    unstated = QueryFacts.of("Projects for these species.")
    schema = parameters_schema(tool, species, unstated)
    assert schema["properties"]["project_id"] == {
        "type": "string",
        "pattern": r"^(\$0\.(species))$",
    }
    assert "year" not in schema["properties"]  # optional, nothing stated: left out
    # the first call has nothing to refer to: the plain type stays
    assert parameters_schema(tool, (), unstated)["properties"]["project_id"] == {"type": "integer"}
    # a stated number may be written as stated (or a reference, as any required value)
    stated = parameters_schema(tool, species, QueryFacts.of("Project 42 please."))
    assert {"enum": [42]} in stated["properties"]["project_id"]["anyOf"]
