"""The planner on the real packaged model: constrained output is always a valid plan."""

from __future__ import annotations

import json

import numpy as np
import pytest

from toolrag.agent.planner import Planner, PlanResult
from toolrag.types import Param, Tool


def test_constrained_plan_uses_only_candidates_and_their_parameters(smol_planner, six_tools):
    cands = six_tools[:3]
    allowed = {t.name: {p.name for p in t.parameters} for t in cands}
    for query in ["What is the weather in Paris?", "Convert 100 EUR to USD and book a flight"]:
        result = smol_planner.plan(query, cands)
        assert result.format_ok, result.text
        assert result.text.startswith("[") and result.text.endswith("]")
        for call in result.calls:
            assert call.api in allowed
            assert set(call.parameters) <= allowed[call.api]


def test_no_candidates_gives_an_empty_plan(smol_planner):
    result = smol_planner.plan("anything at all", [])
    assert result.calls == [] and result.format_ok


def test_unparsable_free_output_is_a_recorded_format_error(smol_planner, six_tools, monkeypatch):
    planner = Planner(smol_planner.engine, smol_planner.tokenizer, constrained=False)
    monkeypatch.setattr(planner, "_free", lambda ids: "I am not sure which tool to use")
    result = planner.plan("weather in Paris", six_tools[:2])
    assert isinstance(result, PlanResult)
    assert not result.format_ok and result.calls == []
    assert "no JSON list" in result.error


def test_cache_reuse_gives_the_same_plan_and_feeds_fewer_tokens(smol_folder, six_tools):
    from toolrag.agent.engine import TorchEngine
    from toolrag.agent.models import load_causal_lm

    lm, tok = load_causal_lm(str(smol_folder))
    fresh = Planner(TorchEngine(lm, reuse=False), tok, max_new_tokens=48)
    reused = Planner(TorchEngine(lm), tok, max_new_tokens=48)
    query = "Book a flight from Oslo to Rome"
    for constrained in (True, False):
        fresh.constrained = reused.constrained = constrained
        a = fresh.plan(query, six_tools[:3])
        b = reused.plan(query, six_tools[:3])
        c = reused.plan("Book a flight from Oslo to Paris", six_tools[:3])
        d = reused.plan(query, six_tools[:3])  # after another query: the cache was rewound
        assert a.text == b.text == d.text
        assert c.format_ok or not constrained  # the untuned base model may answer in prose
    assert reused.engine.fed_tokens < fresh.engine.fed_tokens


def test_constrained_output_is_a_plan_even_when_the_token_budget_runs_out(smol_planner, six_tools):
    planner = Planner(smol_planner.engine, smol_planner.tokenizer, max_new_tokens=12)
    result = planner.plan("Convert 100 EUR to USD, book a flight and email my boss", six_tools)
    assert result.format_ok and result.text.endswith("]"), result.text


def test_int8_planner_quantizes_every_linear_layer_and_still_plans(smol_folder, six_tools):
    import pytest
    import torch
    from torch.ao.nn.quantized.dynamic import Linear as QLinear

    planner = Planner.load(str(smol_folder), max_new_tokens=48, engine="torch", precision="int8")
    layers = list(planner.engine.model.modules())
    assert not any(type(m) is torch.nn.Linear for m in layers)
    assert sum(isinstance(m, QLinear) for m in layers) >= 30 * 7  # 30 blocks x (q,k,v,o,3 mlp)
    cands = six_tools[:3]
    result = planner.plan("Book a flight from Oslo to Rome", cands)
    assert result.format_ok and {c.api for c in result.calls} <= {t.name for t in cands}
    with pytest.raises(ValueError, match="precision='int4' with engine='torch'"):
        Planner.load(str(smol_folder), engine="torch", precision="int4")


class _ScriptedEngine:
    """A fake engine: its logits always favour the next token of a fixed answer, so a test can
    make the constrained decoder see exactly the output it needs."""

    name = "scripted"

    def __init__(self, tokenizer, prompt_len: int, answer: str) -> None:
        self.tokenizer, self.prompt_len, self.answer = tokenizer, prompt_len, answer

    def logits(self, ids):
        done = self.tokenizer.decode(list(ids)[self.prompt_len :])
        assert self.answer.startswith(done), (done, self.answer)
        rest = self.answer[len(done) :]
        nxt = self.tokenizer(rest, add_special_tokens=False).input_ids[:1] or [
            self.tokenizer.eos_token_id
        ]
        logits = np.zeros(len(self.tokenizer), dtype=np.float32)
        logits[nxt[0]] = 100.0
        return logits


def test_a_call_repeating_an_earlier_one_ends_the_plan(smol_folder):
    from transformers import AutoTokenizer

    from toolrag.types import Param, Tool

    tok = AutoTokenizer.from_pretrained(smol_folder)
    a = Tool(name="getWeather", description="Weather now.", outputs=[Param(name="temp")])
    b = Tool(name="sendEmail", description="Send an email.")
    call_a = {"api": a.name, "parameters": {}}
    call_b = {"api": b.name, "parameters": {}}
    answer = json.dumps([call_a, call_b, call_a, call_b], separators=(",", ":"))
    query = "do both things"
    for stop in (True, False):
        planner = Planner(
            None,
            tok,
            without=() if stop else ("stop_on_repeat", "drop_repeats"),
            max_new_tokens=200,
        )
        planner.engine = _ScriptedEngine(tok, len(planner.prompt_ids(query, [a, b])), answer)
        result = planner.plan(query, [a, b])
        assert result.format_ok, result.text
        assert [c.api for c in result.calls] == ([a.name, b.name] if stop else [a.name, b.name] * 2)
    # unconstrained output is cut at the same place
    free = Planner(None, tok, constrained=False)
    free._free = lambda ids: answer
    assert [c.api for c in free.plan(query, [a, b]).calls] == [a.name, b.name]


def test_ungrounded_calls_are_dropped_and_recorded(smol_folder):
    from transformers import AutoTokenizer

    from toolrag.types import Param, Tool

    tok = AutoTokenizer.from_pretrained(smol_folder)
    weather = Tool(
        name="getWeather",
        parameters=[Param(name="city", required=True)],
        outputs=[Param(name="temp")],
    )
    flights = Tool(name="findFlights", parameters=[Param(name="origin")])
    alert = Tool(name="sendAlert", parameters=[Param(name="text")])
    plan = [
        {"api": "findFlights", "parameters": {"origin": "Paris"}},  # the query never says Paris
        {"api": "getWeather", "parameters": {"city": "Oslo"}},
        {"api": "sendAlert", "parameters": {"text": "$1.temp"}},
    ]
    query = "Tell me the weather in Oslo and alert me."
    for drop in (True, False):
        planner = Planner(
            None, tok, constrained=False, without=() if drop else ("drop_ungrounded",)
        )
        planner._free = lambda ids: json.dumps(plan)
        result = planner.plan(query, [weather, flights, alert])
        if drop:
            assert [c.api for c in result.calls] == ["getWeather", "sendAlert"]
            assert result.calls[1].parameters == {"text": "API_call_0"}  # renumbered reference
            assert result.dropped == [plan[0]]
        else:
            assert [c.api for c in result.calls] == ["findFlights", "getWeather", "sendAlert"]
            assert result.dropped == []


class _LoopingEngine:
    """A fake engine for a looping small model: it always wants to write the same call again;
    where the grammar forbids its choice it has no preference."""

    name = "looping"

    def __init__(self, tokenizer, prompt_len: int, call: str) -> None:
        self.tokenizer, self.prompt_len, self.call = tokenizer, prompt_len, call
        self.last: list[int] = []
        self.starts = 0  # sequences that do not extend the previous one: the decoder restarted

    def logits(self, ids):
        ids = list(ids)
        if ids[: len(self.last)] != self.last or not self.last:
            self.starts += 1
        self.last = ids
        done = self.tokenizer.decode(ids[self.prompt_len :])
        script = "[" + ",".join([self.call] * 8) + "]"
        if script.startswith(done):
            want = script[len(done) :]
        elif done.endswith("}"):
            want = "," + self.call
        elif done.endswith(("[", ",")):
            want = self.call
        else:
            want = ""
        logits = np.zeros(len(self.tokenizer), dtype=np.float32)
        nxt = self.tokenizer(want, add_special_tokens=False).input_ids[:1]
        if nxt:
            logits[nxt[0]] = 100.0
        return logits


def _weather_mail_flight(smol_folder):
    """The tokenizer, and three tools without parameters: getWeather, sendEmail, bookFlight."""
    from transformers import AutoTokenizer

    from toolrag.types import Tool

    tools = (
        Tool(name="getWeather", description="Weather now."),
        Tool(name="sendEmail", description="Send an email."),
        Tool(name="bookFlight", description="Book a flight."),
    )
    return AutoTokenizer.from_pretrained(smol_folder), tools


def test_selected_tools_are_all_called_and_no_call_repeats(smol_folder):
    tok, (a, b, c) = _weather_mail_flight(smol_folder)
    query = "weather, and email it"
    planner = Planner(None, tok, max_new_tokens=200)
    # the prompt lists only the selected tools
    lm = _LoopingEngine(
        tok, len(planner.prompt_ids(query, [a, b])), '{"api":"getWeather","parameters":{}}'
    )
    planner.engine = lm
    result = planner.plan(query, [a, b, c], selected=["getWeather", "sendEmail"])
    assert result.format_ok, result.text
    # the model repeated getWeather; the decoder restarted with sendEmail as the next call,
    # then stopped at the next repeat: each selected tool once, bookFlight never
    assert [call.api for call in result.calls] == ["getWeather", "sendEmail"]
    assert lm.starts == 2
    # without selection the same model's repeat just ends the plan
    planner.engine = _LoopingEngine(tok, len(planner.prompt_ids(query, [a, b, c])), lm.call)
    assert [call.api for call in planner.plan(query, [a, b, c]).calls] == ["getWeather"]
    # a selected tool that is not required may be left out: the repeat ends the plan there
    planner.engine = _LoopingEngine(tok, len(planner.prompt_ids(query, [a, b])), lm.call)
    result = planner.plan(query, [a, b, c], selected=["getWeather", "sendEmail"], required=[])
    assert [call.api for call in result.calls] == ["getWeather"]
    with pytest.raises(ValueError, match="among the selected"):
        planner.plan(query, [a, b, c], selected=["getWeather"], required=["sendEmail"])


def test_the_prompt_lists_the_selected_tools_in_the_selection_order(smol_folder):
    tok, (a, b, c) = _weather_mail_flight(smol_folder)
    query = "email Ann, then the weather"
    planner = Planner(None, tok, max_new_tokens=60)
    want = planner.prompt_ids(query, [b, a])  # the selector's order, not the candidates'
    assert want != planner.prompt_ids(query, [a, b])
    seen = []

    class _Recording(_ScriptedEngine):
        def logits(self, ids):
            seen.append(list(ids[: len(want)]))
            return super().logits(ids)

    answer = '[{"api":"sendEmail","parameters":{}},{"api":"getWeather","parameters":{}}]'
    planner.engine = _Recording(tok, len(want), answer)
    result = planner.plan(query, [a, b, c], selected=["sendEmail", "getWeather"])
    assert result.text == answer
    assert seen[0] == want


def test_nothing_selected_gives_the_empty_plan_and_unknown_selection_is_refused(
    smol_planner, six_tools
):
    import pytest

    result = smol_planner.plan("weather in Paris", six_tools[:3], selected=[])
    assert result.format_ok and result.calls == [] and result.text == "[]"
    with pytest.raises(ValueError, match="not among the candidates"):
        smol_planner.plan("weather in Paris", six_tools[:3], selected=["noSuchTool"])


class _RunOnEngine(_ScriptedEngine):
    """A fake engine that wants to write ``answer``; once the grammar made it diverge, it
    prefers to close the plan."""

    def logits(self, ids):
        done = self.tokenizer.decode(list(ids)[self.prompt_len :])
        if self.answer.startswith(done):
            return super().logits(ids)
        logits = np.zeros(len(self.tokenizer), dtype=np.float32)
        for text, score in (("}", 50.0), ("]", 40.0)):
            logits[self.tokenizer(text, add_special_tokens=False).input_ids[0]] = score
        return logits


def test_numbers_take_what_the_query_states(smol_folder):
    from transformers import AutoTokenizer

    from toolrag.types import Param, ParamType, Tool

    tok = AutoTokenizer.from_pretrained(smol_folder)
    book = Tool(
        name="book",
        parameters=[
            Param(name="restaurant", required=True),
            Param(name="party_size", type=ParamType.INTEGER, required=True),
        ],
    )
    query = "Reserve Luigi's for 2 at 20:00"
    answer = '[{"api":"book","parameters":{"restaurant":"Luigi\'s","party_size":200}}]'
    sizes = {}
    for ground in (True, False):
        planner = Planner(
            None, tok, max_new_tokens=60, without=() if ground else ("ground_values",)
        )
        planner.engine = _RunOnEngine(tok, len(planner.prompt_ids(query, [book])), answer)
        result = planner.plan(query, [book])
        assert result.format_ok, result.text
        sizes[ground] = result.calls[0].parameters["party_size"]
    # the model runs on past "2"; only the query's numbers stop it there
    assert sizes == {True: 2, False: 200}


def test_plan_with_offers_the_most_probable_candidate_when_the_selector_selects_none():
    from toolrag.agent.agent import plan_with
    from toolrag.agent.planner import PlanResult
    from toolrag.retriever.selector import Selection
    from toolrag.types import Tool

    tools = [Tool(name="convert"), Tool(name="weather")]

    class Picky:
        def __init__(self, chosen):
            self.chosen = chosen

        def select(self, query, cands):
            probs = {"convert": 0.2, "weather": 0.1}
            return Selection([t for t in cands if t.name in self.chosen], probs)

    class Recorder:
        def plan(self, query, cands, *, selected=None):
            self.offered, self.selected = [t.name for t in cands], selected
            return PlanResult(calls=[], text="[]", format_ok=True)

    planner = Recorder()
    _, selection = plan_with(planner, Picky({"weather"}), "weather in Oslo", tools)
    assert planner.selected == ["weather"] and [t.name for t in selection.tools] == ["weather"]
    assert planner.offered == ["convert", "weather"]
    # nothing selected: the planner may call the most probable candidate, or nothing
    _, selection = plan_with(planner, Picky(set()), "80 GBP in JPY?", tools)
    assert planner.selected is None and planner.offered == ["convert"]
    assert selection.tools == []


class _PreferringEngine:
    """A fake engine with answers in order of preference: the next token of the first answer
    that the output so far still starts, then of the second, and so on, scored in that order."""

    name = "preferring"

    def __init__(self, tokenizer, prompt_len: int, answers: list[str]) -> None:
        self.tokenizer, self.prompt_len, self.answers = tokenizer, prompt_len, answers
        self.starts = 0

    def logits(self, ids):
        done = self.tokenizer.decode(list(ids)[self.prompt_len :])
        self.starts += done == ""
        logits = np.zeros(len(self.tokenizer), dtype=np.float32)
        live = [a for a in self.answers if a.startswith(done)]
        for rank, answer in enumerate(live):
            rest = answer[len(done) :]
            nxt = self.tokenizer(rest, add_special_tokens=False).input_ids[:1]
            token = nxt[0] if nxt else self.tokenizer.eos_token_id
            logits[token] = max(logits[token], 100.0 - rank)
        return logits


def _scripted(tok, query, tools, answers, **kwargs) -> Planner:
    """A planner for ``query`` and ``tools`` whose engine prefers ``answers`` in order."""
    planner = Planner(None, tok, **kwargs)
    n = len(planner.prompt_ids(query, tools))
    planner.engine = _PreferringEngine(tok, n, answers)
    return planner


def test_a_value_repeated_in_another_parameter_is_decoded_again(smol_folder):
    from transformers import AutoTokenizer

    from toolrag.types import Param, Tool

    tok = AutoTokenizer.from_pretrained(smol_folder)
    mail = Tool(
        name="mail",
        parameters=[
            Param(name="to", required=True),
            Param(name="subject", required=True),
            Param(name="body"),
        ],
    )
    query = "Send an email to ann@corp.com with subject Report ready."
    head = '[{"api":"mail","parameters":{"to":"ann@corp.com","subject":"Report ready"'
    copied, left_out = head + ',"body":"Report ready"}}]', head + "}}]"
    planner = Planner(None, tok, max_new_tokens=200)
    engine = _PreferringEngine(tok, len(planner.prompt_ids(query, [mail])), [copied, left_out])
    planner.engine = engine
    result = planner.plan(query, [mail])
    assert result.format_ok, result.text
    # the body copied the subject: the call was decoded again without it, once
    assert result.text == left_out
    assert engine.starts == 2
    # a model that does not copy is decoded once
    planner.engine = _PreferringEngine(tok, engine.prompt_len, [left_out])
    assert planner.plan(query, [mail]).text == left_out
    assert planner.engine.starts == 1
    # "off" keeps the copy
    planner = Planner(None, tok, max_new_tokens=200, without=("distinct_values",))
    planner.engine = _PreferringEngine(tok, engine.prompt_len, [copied, left_out])
    assert planner.plan(query, [mail]).text == copied
    with pytest.raises(ValueError, match="distinct_scope must be one of"):
        Planner(None, tok, distinct_scope="yes")


def test_plan_wide_distinct_values_also_look_at_earlier_calls(smol_folder):
    from transformers import AutoTokenizer

    from toolrag.types import Param, Tool

    tok = AutoTokenizer.from_pretrained(smol_folder)
    lib = Tool(name="lib", parameters=[Param(name="name", required=True)])
    phone = Tool(name="phone", parameters=[Param(name="model", required=True), Param(name="os")])
    query = "Info on Central Library, and the screen of an iPhone 12."
    head = '[{"api":"lib","parameters":{"name":"Central Library"}},'
    head += '{"api":"phone","parameters":{"model":"iPhone 12"'
    copied, left_out = head + ',"os":"Central Library"}}]', head + "}}]"
    for mode, expected in (("call", copied), ("plan", left_out)):
        planner = _scripted(
            tok, query, [lib, phone], [copied, left_out], max_new_tokens=200, distinct_scope=mode
        )
        assert planner.plan(query, [lib, phone]).text == expected, mode


def test_a_second_call_with_the_first_ones_values_swapped_ends_the_plan(smol_folder):
    from transformers import AutoTokenizer

    from toolrag.types import Param, ParamType, Tool

    tok = AutoTokenizer.from_pretrained(smol_folder)
    bmi = Tool(
        name="bmi",
        parameters=[
            Param(name="weight", type=ParamType.NUMBER, required=True),
            Param(name="height", type=ParamType.NUMBER, required=True),
        ],
    )
    query = "BMI for 70 kg and 175 cm."
    first = '[{"api":"bmi","parameters":{"weight":70,"height":175}}'
    swapped = first + ',{"api":"bmi","parameters":{"weight":175,"height":70}}]'
    planner = Planner(None, tok, max_new_tokens=200)
    planner.engine = _PreferringEngine(tok, len(planner.prompt_ids(query, [bmi])), [swapped])
    assert planner.plan(query, [bmi]).text == first + "]"
    # with repeats allowed, the swapped call stays
    planner = Planner(None, tok, max_new_tokens=200, without=("stop_on_repeat", "drop_repeats"))
    planner.engine = _PreferringEngine(tok, len(planner.prompt_ids(query, [bmi])), [swapped])
    assert planner.plan(query, [bmi]).text == swapped


def test_a_grammar_engine_error_keeps_the_complete_calls(smol_folder, monkeypatch):
    from transformers import AutoTokenizer

    from toolrag.agent.grammar import QueryFacts
    from toolrag.agent.passes import grammar_passes
    from toolrag.types import Param, Tool

    tok = AutoTokenizer.from_pretrained(smol_folder)
    gene = Tool(name="gene", parameters=[Param(name="name", required=True)])
    protein = Tool(name="protein", parameters=[Param(name="sequence", required=True)])
    import random

    rng = random.Random(0)
    long_word = "".join(rng.choice("ACDEFGHIKLMNPQRSTVWY") for _ in range(600))
    query = f'Find gene BRCA1, then analyze the protein "{long_word}"'

    class Doubled(QueryFacts):  # the long word offered twice: llguidance's lexer gives up
        @classmethod
        def of(cls, query, strings="free"):
            facts = QueryFacts.of(query, strings)
            return QueryFacts(
                facts.text, facts.numbers, facts.words, facts.separators, strings, (long_word,)
            )

    monkeypatch.setattr(grammar_passes, "QueryFacts", Doubled)
    first = '[{"api":"gene","parameters":{"name":"BRCA1"}}'
    answer = first + ',{"api":"protein","parameters":{"sequence":"' + long_word + '"}}]'
    planner = _scripted(tok, query, [gene, protein], [answer], max_new_tokens=400)
    result = planner.plan(query, [gene, protein])
    assert result.format_ok, result.text  # not a cut-off string
    assert result.text == first + "]"


def _weather_tools():
    from toolrag.types import Param, Tool

    unit = {"type": "string", "enum": ["celsius", "fahrenheit"]}
    weather = Tool(
        name="weather",
        parameters=[Param(name="city", required=True), Param(name="unit", json_schema=unit)],
    )
    cabin = {"type": "string", "enum": ["economy", "business"]}
    flights = Tool(
        name="flights",
        parameters=[Param(name="origin", required=True), Param(name="cabin", json_schema=cabin)],
    )
    return weather, flights


def test_a_stated_value_no_call_takes_gets_one_more_call(smol_folder):
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(smol_folder)
    weather, _ = _weather_tools()
    query = "Weather in Madrid in celsius and in Denver in fahrenheit."
    one = '[{"api":"weather","parameters":{"city":"Madrid","unit":"celsius"}}'
    two = one + ',{"api":"weather","parameters":{"city":"Denver","unit":"fahrenheit"}}]'
    for cover, expected in ((True, two), (False, one + "]")):
        # the model would close the list after one call; its second choice goes on
        planner = _scripted(
            tok,
            query,
            [weather],
            [one + "]", two],
            max_new_tokens=200,
            without=() if cover else ("cover_values",),
        )
        assert planner.plan(query, [weather]).text == expected, cover


def test_a_further_call_that_takes_no_unused_value_is_not_kept(smol_folder):
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(smol_folder)
    weather, _ = _weather_tools()
    query = "Weather in Madrid, then Rome, 2 days out."
    one = '[{"api":"weather","parameters":{"city":"Madrid"}}'
    rome = one + ',{"api":"weather","parameters":{"city":"Rome"}}]'
    planner = Planner(None, tok, max_new_tokens=200)
    planner.engine = _PreferringEngine(
        tok, len(planner.prompt_ids(query, [weather])), [one + "]", rome]
    )
    assert planner.plan(query, [weather]).text == one + "]"  # 2 is still unused: Rome has no part


def test_a_call_that_left_out_a_stated_enum_member_is_written_again_with_it(smol_folder):
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(smol_folder)
    _, flights = _weather_tools()
    query = "Flights from Oslo in business."
    bare = '{"api":"flights","parameters":{"origin":"Oslo"}}'
    wide = '{"api":"flights","parameters":{"origin":"Oslo","cabin":"business"}}'
    planner = _scripted(
        tok, query, [flights], [f"[{bare}]", f"[{bare},{wide}]"], max_new_tokens=200
    )
    result = planner.plan(query, [flights])
    # the wider call takes the place of the one it widens: one call, cabin and all
    assert result.text == f"[{wide}]"
    assert [dict(c.parameters) for c in result.calls] == [{"origin": "Oslo", "cabin": "business"}]


def test_a_further_call_with_a_stated_value_corrects_a_call_that_borrowed_one(smol_folder):
    from transformers import AutoTokenizer

    from toolrag.types import Param, Tool

    tok = AutoTokenizer.from_pretrained(smol_folder)
    migrate = Tool(name="migrate", parameters=[Param(name="app", required=True)])
    art = Tool(name="art", parameters=[Param(name="artist", required=True), Param(name="title")])
    query = "Migrate 'Notes App', then find the art piece 'Pixel' by 'Pablo Picasso'."
    m = '{"api":"migrate","parameters":{"app":"Notes App"}}'
    bad = '{"api":"art","parameters":{"artist":"Notes App","title":"Pixel"}}'
    good = '{"api":"art","parameters":{"artist":"Pablo Picasso","title":"Pixel"}}'
    planner = _scripted(
        tok, query, [migrate, art], [f"[{m},{bad}]", f"[{m},{bad},{good}]"], max_new_tokens=300
    )
    assert planner.plan(query, [migrate, art]).text == f"[{m},{good}]"


def test_an_optional_parameter_given_an_empty_list_is_left_out(smol_folder):
    from transformers import AutoTokenizer

    from toolrag.types import Param, Tool

    tok = AutoTokenizer.from_pretrained(smol_folder)
    names = {"type": "array", "items": {"type": "string"}}
    event = Tool(
        name="event",
        parameters=[Param(name="title", required=True), Param(name="attendees", json_schema=names)],
    )
    query = "Create the event Kickoff."
    empty = '[{"api":"event","parameters":{"title":"Kickoff","attendees":[]}}]'
    bare = '[{"api":"event","parameters":{"title":"Kickoff"}}]'
    for mode in ((), ("distinct_values",)):  # with the distinct_values pass or without
        planner = _scripted(tok, query, [event], [empty, bare], max_new_tokens=200, without=mode)
        assert planner.plan(query, [event]).text == bare, mode


def test_an_optional_value_that_only_names_the_tool_is_left_out(smol_folder):
    from transformers import AutoTokenizer

    from toolrag.types import Param, Tool

    tok = AutoTokenizer.from_pretrained(smol_folder)
    shelter = Tool(
        name="findShelter",
        parameters=[Param(name="location", required=True), Param(name="gender")],
    )
    query = "Find a shelter near Oak Street."
    named = '[{"api":"findShelter","parameters":{"location":"Oak Street","gender":"shelter"}}]'
    bare = '[{"api":"findShelter","parameters":{"location":"Oak Street"}}]'
    planner = _scripted(tok, query, [shelter], [named, bare], max_new_tokens=200)
    assert planner.plan(query, [shelter]).text == bare


def test_a_value_that_only_names_its_parameter_becomes_a_reference(smol_folder):
    from transformers import AutoTokenizer

    from toolrag.types import Param, Tool

    tok = AutoTokenizer.from_pretrained(smol_folder)
    geo = Tool(
        name="findCity",
        parameters=[Param(name="name", required=True)],
        outputs=[Param(name="location")],
    )
    depth = Tool(name="getDepth", parameters=[Param(name="location", required=True)])
    query = "Find the city named Oslo, then get the depth at the same location."
    head = '[{"api":"findCity","parameters":{"name":"Oslo"}},{"api":"getDepth","parameters":'
    pointing, referring = (
        head + '{"location":"the same location"}}]',
        head + '{"location":"$0.location"}}]',
    )
    planner = _scripted(tok, query, [geo, depth], [pointing, referring], max_new_tokens=200)
    result = planner.plan(query, [geo, depth])
    assert result.format_ok, result.text
    assert result.calls[1].parameters == {"location": "API_call_0"}  # the first call's output
    # off: the placeholder stays
    planner = _scripted(
        tok,
        query,
        [geo, depth],
        [pointing, referring],
        max_new_tokens=200,
        without=("back_references",),
    )
    assert planner.plan(query, [geo, depth]).calls[1].parameters == {
        "location": "the same location"
    }


def test_a_value_the_query_says_an_earlier_output_holds_becomes_a_reference(smol_folder):
    from transformers import AutoTokenizer

    from toolrag.types import Param, Tool

    tok = AutoTokenizer.from_pretrained(smol_folder)
    inventory = Tool(
        name="getInventory",
        parameters=[Param(name="library", required=True)],
        outputs=[Param(name="resource_id")],
    )
    info = Tool(name="getResourceInfo", parameters=[Param(name="resource_id", required=True)])
    query = "Get the inventory of Oslo library, then the resource ID from the previous API call."
    head = '[{"api":"getInventory","parameters":{"library":"Oslo"}},{"api":"getResourceInfo",'
    literal, referring = (
        head + '"parameters":{"resource_id":"Oslo library"}}]',
        head + '"parameters":{"resource_id":"$0.resource_id"}}]',
    )
    tools = [inventory, info]
    pointed = {"getResourceInfo": ["resource_id"]}
    planner = _scripted(tok, query, tools, [literal, referring], max_new_tokens=200)
    result = planner.plan(query, tools, pointed=pointed)
    assert result.format_ok, result.text
    assert result.calls[1].parameters == {"resource_id": "API_call_0"}
    # not pointed, or back references off: the literal stays
    for kwargs, told in (({}, None), ({"without": ("back_references",)}, pointed)):
        planner = _scripted(tok, query, tools, [literal, referring], max_new_tokens=200, **kwargs)
        result = planner.plan(query, tools, pointed=told)
        assert result.calls[1].parameters == {"resource_id": "Oslo library"}, kwargs


def test_a_later_value_the_query_does_not_state_becomes_a_reference(smol_folder):
    from transformers import AutoTokenizer

    from toolrag.types import Param, Tool

    tok = AutoTokenizer.from_pretrained(smol_folder)
    create = Tool(
        name="createProject",
        parameters=[Param(name="name", required=True), Param(name="start", required=True)],
        outputs=[Param(name="project_id", type="integer")],
    )
    add = Tool(
        name="addTask",
        parameters=[
            Param(name="project_id", type="integer", required=True),
            Param(name="task", required=True),
        ],
    )
    query = "Create the project Nexus starting October 1, 2022, then add the task 'Clean up' to it."
    head = (
        '[{"api":"createProject","parameters":{"name":"Nexus","start":"2022-10-01"}},'
        '{"api":"addTask","parameters":'
    )
    made_up, referring = (
        head + '{"project_id":1,"task":"Clean up"}}]',
        head + '{"project_id":"$0.project_id","task":"Clean up"}}]',
    )
    tools = [create, add]
    planner = _scripted(tok, query, tools, [made_up, referring], max_new_tokens=200)
    result = planner.plan(query, tools)
    assert result.format_ok, result.text
    # the 1 of "October 1" is part of a date, not a stated number; the task name is stated
    assert result.calls[1].parameters == {"project_id": "API_call_0", "task": "Clean up"}
    # a value the query states stays
    stated = query.replace("to it", "to project 1")
    planner = _scripted(tok, stated, tools, [made_up, referring], max_new_tokens=200)
    assert planner.plan(stated, tools).calls[1].parameters["project_id"] == 1
    # an earlier tool without declared outputs stands in only for numbers: a string stays
    no_outputs = [create.model_copy(update={"outputs": []}), add]
    tidy = made_up.replace('"project_id":1', '"project_id":7').replace("Clean up", "Tidy")
    seven = query.replace("to it", "to project 7")
    free = {"without": ("ground_values", "drop_ungrounded")}  # "Tidy" is not a query word
    planner = _scripted(tok, seven, no_outputs, [tidy, referring], max_new_tokens=200, **free)
    assert planner.plan(seven, no_outputs).calls[1].parameters == {"project_id": 7, "task": "Tidy"}


def test_a_made_up_number_refers_to_an_earlier_function_without_outputs(smol_folder):
    from transformers import AutoTokenizer

    from toolrag.types import Param, ParamType, Tool

    tok = AutoTokenizer.from_pretrained(smol_folder)
    gdp = Tool(name="get_gdp", parameters=[Param(name="country", required=True)])
    convert = Tool(
        name="convert",
        parameters=[
            Param(name="amount", type=ParamType.NUMBER, required=True),
            Param(name="to_currency", required=True),
        ],
    )
    tools = [gdp, convert]
    query = "Find the GDP of France, then convert it to euros."
    head = '[{"api":"get_gdp","parameters":{"country":"France"}},{"api":"convert","parameters":'
    made_up = head + '{"amount":1000,"to_currency":"EUR"}}]'
    referring = head + '{"amount":"$0.result","to_currency":"EUR"}}]'
    free = {"without": ("ground_values", "drop_ungrounded")}  # the shipped grounding
    planner = _scripted(tok, query, tools, [made_up, referring], max_new_tokens=200, **free)
    result = planner.plan(query, tools)
    assert result.format_ok, result.text
    # the number becomes the earlier result; "EUR", implied but not said, stays a string
    assert result.calls[1].parameters == {"amount": "API_call_0", "to_currency": "EUR"}


def test_tools_are_first_called_in_the_order_the_query_asks_for_them(smol_folder):
    tok, (weather, mail, _) = _weather_mail_flight(smol_folder)
    query = "email Ann, then the weather"
    w, m = '{"api":"getWeather","parameters":{}}', '{"api":"sendEmail","parameters":{}}'
    answers = [f"[{w},{m}]", f"[{m},{w}]"]  # the model prefers the wrong order
    asked = {"sendEmail": 0, "getWeather": 1}
    for in_order, first in ((True, "sendEmail"), (False, "getWeather")):
        planner = _scripted(
            tok, query, [mail, weather], answers, without=() if in_order else ("in_order",)
        )
        result = planner.plan(
            query, [weather, mail], selected=["sendEmail", "getWeather"], positions=asked
        )
        assert result.format_ok, result.text
        assert len(result.calls) == 2 and result.calls[0].api == first
    # without positions there is no order to keep
    planner = _scripted(tok, query, [mail, weather], answers)
    result = planner.plan(query, [weather, mail], selected=["sendEmail", "getWeather"])
    assert [c.api for c in result.calls] == ["getWeather", "sendEmail"]


def test_a_prompt_past_the_models_context_is_refused_with_the_limit(smol_folder):
    from transformers import AutoTokenizer

    from toolrag.agent.planner import Planner
    from toolrag.errors import InputTooLongError
    from toolrag.types import Tool

    class Short:  # an engine whose model reads 150 tokens; it must never be asked
        context_length = 150

        def logits(self, ids):
            raise AssertionError("decoded past the context")

    planner = Planner(Short(), AutoTokenizer.from_pretrained(smol_folder), max_new_tokens=100)
    tool = Tool(name="weather", description="Weather for a city")
    with pytest.raises(InputTooLongError, match="reads at most 50"):
        planner.plan("weather in Oslo", [tool])


class _TwoAnswersEngine:
    """A fake engine torn between two answers: it prefers ``first`` by ``margin`` logits where
    they part, then follows whichever one the text so far is on."""

    name = "two-answers"

    def __init__(self, tokenizer, prompt_len: int, first: str, second: str, margin: float):
        self.tokenizer, self.prompt_len = tokenizer, prompt_len
        self.answers, self.margin = (first, second), margin

    def logits(self, ids):
        done = self.tokenizer.decode(list(ids)[self.prompt_len :])
        logits = np.zeros(len(self.tokenizer), dtype=np.float32)
        for k, answer in enumerate(self.answers):
            if answer.startswith(done):
                rest = answer[len(done) :]
                nxt = self.tokenizer(rest, add_special_tokens=False).input_ids[:1] or [
                    self.tokenizer.eos_token_id
                ]
                logits[nxt[0]] = max(logits[nxt[0]], 10.0 + (self.margin if k == 0 else 0.0))
        return logits


def test_soft_grounding_prefers_the_querys_words_without_forbidding_others(smol_folder):
    """query_bias: a value the model slightly prefers over the query's word loses to it under
    the bias, and a value the model strongly prefers (a form the schema asks for) still wins;
    with the bias off the model's preference decides."""
    from transformers import AutoTokenizer

    from toolrag.types import Param, Tool

    tok = AutoTokenizer.from_pretrained(smol_folder)
    quote = Tool(
        name="quote",
        parameters=[Param(name="symbol", required=True, description="Ticker, e.g. MSFT")],
    )
    query = "Price of Zentrix stock"
    said = '[{"api":"quote","parameters":{"symbol":"Zentrix"}}]'
    other = '[{"api":"quote","parameters":{"symbol":"Acme"}}]'
    ticker = '[{"api":"quote","parameters":{"symbol":"ZTX"}}]'

    def symbol(first: str, second: str, margin: float, bias: float) -> str:
        planner = Planner(
            None,
            tok,
            max_new_tokens=40,
            without=("ground_values", "drop_ungrounded"),
            query_bias=bias,
        )
        prompt_len = len(planner.prompt_ids(query, [quote]))
        planner.engine = _TwoAnswersEngine(tok, prompt_len, first, second, margin)
        result = planner.plan(query, [quote])
        assert result.format_ok, result.text
        return result.calls[0].parameters["symbol"]

    assert symbol(other, said, margin=1.0, bias=0.0) == "Acme"  # the model's choice
    assert symbol(other, said, margin=1.0, bias=2.0) == "Zentrix"  # the query's word wins
    assert symbol(ticker, said, margin=5.0, bias=2.0) == "ZTX"  # a strong preference stays


def test_the_outputs_style_says_what_every_tool_returns():
    from toolrag.agent.prompt import messages

    plain = Tool(name="convert", parameters=[Param(name="amount", type="number", required=True)])
    declared = Tool(name="find_airport", outputs=[Param(name="airport_id")])
    system, user = messages("fly", [declared, plain], style="outputs")
    assert "find_airport -> airport_id" in user["content"]
    assert "convert -> result" in user["content"]
    assert '"$i.name"' in system["content"]
    # the schema style (the adapters before v5) shows declared outputs only
    _, old = messages("fly", [declared, plain], style="schema")
    assert "find_airport -> airport_id" in old["content"] and "-> result" not in old["content"]
