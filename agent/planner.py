"""The planner: query + candidate tools -> a checked list of Seal-Tools calls.

Two decoders share one prompt:

- **constrained** (default): greedy decoding under an llguidance grammar that admits only
  candidate tool names, only each tool's own parameter names, valid JSON, and references only to
  output fields of earlier calls (see :mod:`toolrag.agent.grammar`). Tokens the grammar forces are
  appended without asking the model for them, in one forward pass.
- **unconstrained**: plain ``generate``; output that does not parse is a recorded format error.

Example:
    >>> planner = Planner.load()  # doctest: +SKIP
    >>> result = planner.plan("Weather in Oslo tomorrow?", tools)  # doctest: +SKIP
    >>> [c.api for c in result.calls]  # doctest: +SKIP
    ['getWeather']
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from toolrag.agent import plan as plan_format
from toolrag.agent.config import PlannerConfig
from toolrag.agent.grammar import (
    QueryFacts,
    call_spans,
    closed_calls,
    compatible,
    stage_grammar,
)
from toolrag.agent.prompt import check_style, messages
from toolrag.errors import ConfigError, InputTooLongError
from toolrag.types import Param, ParamType, Tool, ToolCall

if TYPE_CHECKING:
    from transformers import PreTrainedTokenizerBase

    from toolrag.agent.engine import Engine

logger = logging.getLogger(__name__)


@dataclass
class PlanResult:
    """What the planner produced for one query."""

    calls: list[ToolCall]
    text: str
    format_ok: bool
    error: str | None = None
    seconds: float = 0.0
    new_tokens: int = 0
    forced_tokens: int = 0
    internal: list[dict[str, Any]] = field(default_factory=list)
    dropped: list[dict[str, Any]] = field(default_factory=list)  # ungrounded calls removed

    def to_json(self) -> dict[str, Any]:
        return {
            "calls": [c.model_dump() for c in self.calls],
            "text": self.text,
            "format_ok": self.format_ok,
            "error": self.error,
            "seconds": round(self.seconds, 4),
            "new_tokens": self.new_tokens,
            "forced_tokens": self.forced_tokens,
            "dropped": self.dropped,
        }


def in_selection_order(tools: Sequence[Tool], selected: Sequence[str] | None) -> list[Tool]:
    """The ``tools`` that ``selected`` names, in its order (each once; names not among
    ``tools`` are skipped); all of ``tools`` when ``selected`` is None."""
    if selected is None:
        return list(tools)
    by_name = {t.name: t for t in tools}
    return [by_name[n] for n in dict.fromkeys(selected) if n in by_name]


def read_plan(
    result: PlanResult,
    query: str,
    tools: Sequence[Tool],
    *,
    stop_on_repeat: bool = True,
    drop_ungrounded: bool = True,
    documented_forms: bool = True,
) -> None:
    """Parse ``result.text`` and post-process it (:func:`toolrag.agent.plan.finish_plan`, then
    :func:`toolrag.agent.plan.numbers_as_written` and, with ``documented_forms``,
    :func:`toolrag.agent.plan.documented_forms`) into ``result``: every planner, local or remote,
    goes through here, so their plans are scored alike. A text that is not a plan sets
    ``result.error``."""
    try:
        internal = plan_format.parse(result.text)
        result.internal, dropped = plan_format.finish_plan(
            internal, query, stop_on_repeat=stop_on_repeat, drop_ungrounded=drop_ungrounded
        )
        result.dropped = [internal[i] for i in dropped]
        by_name = {t.name: t for t in tools}
        result.internal = plan_format.numbers_as_written(result.internal, query, by_name)
        if documented_forms:
            result.internal = plan_format.documented_forms(result.internal, by_name)
        result.calls = plan_format.to_seal(result.internal, by_name)
        result.format_ok = True
    except plan_format.PlanFormatError as err:
        result.error = str(err)


"""Which earlier values an optional parameter may not repeat (``Planner(distinct_values=)``)."""


def _last_call(plan: Sequence[dict[str, Any]]) -> str:
    """The compact text of the last call of ``plan``."""
    return plan_format.dumps(plan[-1:])[1:-1]


def _replace_call(text: str, i: int, call_text: str) -> str:
    """The plan ``text`` with call ``i`` replaced by ``call_text``."""
    start, end = call_spans(text)[i]
    return text[:start] + call_text + text[end:]


@dataclass
class _Redo:
    """What the decoder asks of a call it writes again, per call index and tool name: the
    optional parameters it leaves out (``omit``) and the required ones it fills with a
    reference to an earlier output (``refer``); ``pointed``: per tool name, the required
    parameters the query says an earlier output holds (:meth:`Planner.plan`'s)."""

    omit: dict[int, dict[str, set[str]]] = field(default_factory=dict)
    refer: dict[int, dict[str, set[str]]] = field(default_factory=dict)
    pointed: Mapping[str, Collection[str]] = field(default_factory=dict)
    query: str = ""
    """The request (a literal the query does not state may be a reference, :meth:`Planner._placeholders`)."""
    bias: Any = None
    """Token ids whose logits get ``PlannerConfig.query_bias`` (the query's own tokens)."""

    def of(self, which: dict[int, dict[str, set[str]]], i: int, tool: str) -> set[str]:
        return which.setdefault(i, {}).setdefault(tool, set())


@dataclass
class _Step:
    """One decoding pass: the plan text so far, tokens generated and forced, and whether (and
    how) to decode again from ``text`` (see :meth:`Planner._decode`); ``restart``: None when
    the plan is done, else whether the next call is restricted to uncalled required tools."""

    text: str
    new: int
    forced: int
    restart: bool | None = None


class Planner:
    """A causal LM (optionally with a LoRA adapter) that writes plans, decoding through an
    :class:`~toolrag.agent.engine.Engine`.

    Args:
        engine: scores tokens (:class:`~toolrag.agent.engine.OnnxEngine`,
            :class:`~toolrag.agent.engine.TorchEngine`, or a test double). tokenizer: the model's.
        config: the options below as one :class:`~toolrag.agent.config.PlannerConfig`
            (default: the shipped planner's); ``**options`` changes single fields of it.

    Options (fields of :class:`~toolrag.agent.config.PlannerConfig`):
        constrained: decode under the plan grammar (default) or freely.
        max_new_tokens: generation cap per plan.
        max_calls: plan length cap under constrained decoding.
        stop_on_repeat: no identical call (same API and parameters) twice in a plan. Under
            constrained decoding the plan ends when the model repeats a call, or calls a tool
            again with only values its earlier calls gave (:func:`toolrag.agent.plan.adds_nothing`),
            or, while a selected tool is still uncalled, the next call must be one of those;
            any other output has its identical repeats dropped after parsing. On by default:
            a repeated call is never what a user wants, although the paper's scorer credits it.
        drop_ungrounded: remove calls whose literal arguments the query says none of
            (:func:`toolrag.agent.plan.drop_ungrounded`; kept in ``PlanResult.dropped``).
        show_selected_only: with a selection, the prompt lists only the selected tools, not
            every candidate: the grammar admits only those anyway, and a shorter prompt plans
            faster at the same quality (benchmarks/results/planner_engines.md). On by default.
        ground_values: under constrained decoding, a number takes one of the numbers the
            query states and an enum the members it says; an optional one with nothing said
            is left out (:func:`toolrag.agent.grammar._grounded`). On by default.
        ground_strings: with ``ground_values``, which plain string values must be made of the
            query's words (possessives may drop), the spans it quotes and the ISO form of its
            dates: ``"all"`` (default), ``"optional"`` (optional parameters' only),
            ``"free"`` (none; any string of bounded length) or ``"spans"`` (all, and the
            words one after another in the query's order); see
            :meth:`toolrag.agent.grammar.QueryFacts.string_pattern`. A value the query does not word
            (``"EUR"`` for "euros") is then out of reach: the trade measured in the README.
        distinct_values: under constrained decoding, a call whose optional parameter repeats
            the value of a parameter written before it (:func:`toolrag.agent.plan.reused_values`: a
            body that copies the subject, ``"exchange": "NASDAQ"`` after ``"ticker":
            "NASDAQ"``) is decoded again with that parameter left out, as when the query states
            nothing for it. ``"call"`` (default): parameters written before it in the same
            call; ``"plan"``: also every parameter of the earlier calls to other tools (calls
            to the same tool share values: "France in 1990 and Spain in 1990"); ``"off"``:
            never. Whatever the mode, an optional parameter given an empty list is left out
            the same way (``"attendees": []`` says nothing a missing parameter does not).
        cover_values: under constrained decoding with ``ground_values``, a finished plan that
            leaves a value the query states unused (:func:`toolrag.agent.plan.unused_values`: a
            number, date, quoted span, address or enum member no argument takes) is written
            on (:meth:`_cover`): a call that left out an optional parameter which could take
            it is written again with that parameter ("... for 3 passengers in business"
            planned without the cabin), else the model writes one more call ("... in Madrid
            in celsius and in Denver in fahrenheit" planned as one call). Either is kept only
            if it takes an unused value. On by default.
        whole_lists: under constrained decoding with ``ground_values``, a call that took
            only the start of a list the query writes takes all of it
            (:func:`toolrag.agent.plan.whole_lists`): ``"recipients": "ann@x.org"`` of "mail
            ann@x.org and bob@x.org" becomes ``"ann@x.org, bob@x.org"`` (a string parameter
            with a plural name), ``["Ann"]`` becomes ``["Ann", "Bob"]`` (a list). Applied to
            the decoded plan before ``cover_values`` and again after it. On by default.
        in_order: under constrained decoding, when :meth:`plan` is told where the query
            asks for each selected tool (``positions``), tools are first called in that
            order: no tool before a required one the query asks for earlier
            (:func:`toolrag.agent.grammar.stage_grammar`'s ``positions``). On by default.
        back_references: under constrained decoding, a later call whose required string
            only names its tool or one of its parameters (:func:`toolrag.agent.plan.placeholders`:
            ``"location": "the same location"``, ``"platform": "platform"``), or whose
            number or string the query does not state (:func:`toolrag.agent.plan.unstated`:
            ``"project_id": 1`` for "add a task to the new project"), is written again with a
            reference to an earlier output there, where one fits (a declared output of a fitting
            type; the whole result of a tool that declares none, :attr:`toolrag.types.Tool.returns`,
            for a number only). On by default.
        documented_forms: a string value that names one of its parameter's documented
            examples up to case or a plural ending is written as the example is
            (:func:`toolrag.agent.plan.documented_forms`: ``"gender": "male"`` becomes ``"Male"``
            for "(e.g., Male, Female)"). On by default.

    One plan at a time: :meth:`plan` holds a lock, since the engine keeps one cache.
    """

    def __init__(
        self,
        engine: Engine,
        tokenizer: PreTrainedTokenizerBase,
        config: PlannerConfig | None = None,
        *,
        name: str = "",
        prompt_style: str = "compact",
        **options: Any,
    ) -> None:
        self.engine = engine
        self.tokenizer = tokenizer
        self.prompt_style = check_style(prompt_style)
        self.config = (config or PlannerConfig()).with_options(**options)
        self.name = name
        self._ll_tokenizer: Any = None
        self._lock = threading.Lock()

    @classmethod
    def load(
        cls,
        model: str | None = None,
        *,
        engine: str | None = None,
        precision: str | None = None,
        **kwargs: Any,
    ) -> Planner:
        """Load a planner: ``default`` (or None) and ``fast`` are the shipped ones; else an
        adapter folder, a model folder, a hub id or a packaged base alias.

        Options start from the model's own grounding mode (its adapter record's ``grounding``;
        ``hard`` where it says none) unless a ``config`` is given; keyword options apply on top.

        ``engine``: ``onnx`` (ONNX Runtime GenAI; the model is exported once and cached, see
        :func:`toolrag.agent.export.onnx_model`) or ``torch``; ``None`` takes
        :data:`toolrag.agent.engine.DEFAULT_ENGINE`, falling back to torch with a warning when
        onnxruntime-genai is not installed. ``precision``: the weights' precision, per engine
        (:data:`toolrag.agent.models.PRECISIONS`); ``None`` takes the engine's default.
        """
        from toolrag.agent.adapter import grounding, prompt_style
        from toolrag.agent.loader import load_engine
        from toolrag.agent.models import resolve_planner

        name = resolve_planner(model)
        engine_obj, tok = load_engine(name, engine=engine, precision=precision)
        # without a config of the caller's, the model's own grounding mode is the starting point
        config = kwargs.pop("config", None) or PlannerConfig().with_grounding(grounding(name))
        return cls(engine_obj, tok, config, name=name, prompt_style=prompt_style(name), **kwargs)

    def prompt_ids(self, query: str, tools: Sequence[Tool]) -> list[int]:
        text = self.tokenizer.apply_chat_template(
            messages(query, tools, self.prompt_style), tokenize=False, add_generation_prompt=True
        )
        return self.tokenizer(text, add_special_tokens=False).input_ids

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
        """Plan the calls that answer ``query`` with ``tools``; never raises on bad output.

        Args:
            query: the user's request.
            tools: the candidate tools, all listed in the prompt in this order (with
                ``show_selected_only``, only the selected ones, in ``selected``'s order).
            selected: names of the tools the plan must use (from a :class:`ToolSelector`):
                under constrained decoding a call may name only these, and each is called at
                least once; ``[]`` gives the empty plan. ``None``: any candidate, any number.
            required: the selected tools the plan must call at least once (default: all of
                ``selected``); the others may be called or left out.
            positions: where in the query each selected tool is asked for (the selector's
                :attr:`Selection.positions`; smaller is earlier); with ``in_order``, tools
                are first called in that order.
            pointed: per tool, the required parameters the query says an earlier call's
                output holds (the selector's :attr:`Selection.pointed`: "the resource ID
                obtained from the previous API call"); with ``back_references``, a later call
                to the tool that writes a literal there is written again with a reference to
                an earlier output, where one fits.
        """
        start = time.perf_counter()
        if not tools or (selected is not None and not selected):
            return PlanResult(calls=[], text="[]", format_ok=True, seconds=0.0)
        if selected is not None:
            unknown = set(selected) - {t.name for t in tools}
            if unknown:
                raise ConfigError(f"selected tools {sorted(unknown)} are not among the candidates")
        if required is not None and not set(required) <= set(selected or ()):
            raise ConfigError(f"required tools {sorted(required)} must be among the selected ones")
        allowed = in_selection_order(tools, selected)
        ids = self.prompt_ids(query, allowed if self.config.show_selected_only else tools)
        context = getattr(self.engine, "context_length", None)
        if context and len(ids) + self.config.max_new_tokens > context:
            raise InputTooLongError(
                f"the query and its {len(allowed)} tools take {len(ids)} tokens; the planner reads "
                f"at most {context - self.config.max_new_tokens}: shorten the query or offer "
                "fewer tools"
            )
        with self._lock:
            if self.config.constrained:
                facts = (
                    QueryFacts.of(query, self.config.ground_strings)
                    if self.config.ground_values
                    else None
                )
                must = list(selected or ()) if required is None else list(required)
                order = positions if self.config.in_order and selected is not None else None
                text, n_new, n_forced = self._constrained(
                    ids, allowed, must, facts, order, pointed, self._query_tokens(query), query
                )
            else:
                text, n_new, n_forced = self._free(ids), 0, 0
                n_new = len(self.tokenizer(text, add_special_tokens=False).input_ids)
        result = PlanResult(calls=[], text=text, format_ok=False, new_tokens=n_new)
        result.forced_tokens = n_forced
        read_plan(
            result,
            query,
            tools,
            stop_on_repeat=self.config.stop_on_repeat,
            drop_ungrounded=self.config.drop_ungrounded,
            documented_forms=self.config.documented_forms,
        )
        result.seconds = time.perf_counter() - start
        return result

    def _query_tokens(self, query: str) -> np.ndarray | None:
        """The ids of the query's tokens, as the prompt writes them and with a leading space,
        for soft grounding (``query_bias``); None when the bias is off."""
        if not self.config.query_bias:
            return None
        words = query.split()
        variants = [query, *words, *(" " + w for w in words)]
        found: set[int] = set()
        for text in variants:
            found.update(self.tokenizer(text, add_special_tokens=False).input_ids)
        found -= set(getattr(self.tokenizer, "all_special_ids", []) or [])
        # words and numbers only: punctuation would also pull on the plan's JSON structure
        kept = [t for t in found if any(ch.isalnum() for ch in self.tokenizer.decode([t]))]
        return np.array(sorted(kept), dtype=np.int64)

    def _free(self, ids: list[int]) -> str:
        """Greedy decoding with no grammar, to the end-of-turn token or the budget."""
        stop = {self.tokenizer.eos_token_id}
        seq, new = list(ids), []
        while len(new) < self.config.max_new_tokens:
            token = int(np.argmax(self.engine.logits(seq)))
            if token in stop:
                break
            new.append(token)
            seq.append(token)
        return self.tokenizer.decode(new, skip_special_tokens=True)

    def _compile(self, grammar_text: str) -> Any:
        from llguidance import LLMatcher

        grammar = LLMatcher.grammar_from_lark(grammar_text)
        matcher = LLMatcher(self.ll_tokenizer, grammar, log_level=0)
        if matcher.is_error():
            raise RuntimeError(f"plan grammar failed to compile: {matcher.get_error()}")
        return matcher

    @property
    def ll_tokenizer(self) -> Any:
        if self._ll_tokenizer is None:
            from toolrag.agent.tokenizer import ll_tokenizer

            self._ll_tokenizer = ll_tokenizer(self.tokenizer)
        return self._ll_tokenizer

    def _constrained(
        self,
        ids: list[int],
        allowed: Sequence[Tool],
        required: Sequence[str],
        facts: QueryFacts | None = None,
        positions: Mapping[str, int] | None = None,
        pointed: Mapping[str, Collection[str]] | None = None,
        bias: np.ndarray | None = None,
        query: str = "",
    ) -> tuple[str, int, int]:
        """Greedy decoding under the stage grammars, calls naming only ``allowed`` tools and
        each of ``required`` at least once, ``bias`` the token ids ``query_bias`` favours;
        ``(text, new tokens, forced tokens)``."""
        redo = _Redo(pointed=pointed or {}, query=query, bias=bias)
        text, n_new, n_forced = "", 0, 0
        restrict = False
        # each restart calls one more required tool or leaves out one more parameter
        for _ in range(len(required) + 1 + 4 * self.config.max_calls):
            step = self._decode(ids, allowed, required, text, restrict, facts, redo, positions)
            text, n_new, n_forced = step.text, n_new + step.new, n_forced + step.forced
            if step.restart is None:
                break
            restrict = step.restart
        else:
            text = (text or "[") + "]"  # pragma: no cover - bounded by the values there are
        text = self._whole_lists(text, allowed, facts)
        if self.config.cover_values and facts is not None:
            text, n_cover, f_cover = self._cover(ids, allowed, required, text, facts, redo)
            n_new, n_forced = n_new + n_cover, n_forced + f_cover
            text = self._whole_lists(text, allowed, facts)
        return text, n_new, n_forced

    def _whole_lists(self, text: str, tools: Sequence[Tool], facts: QueryFacts | None) -> str:
        """``text`` with the lists a call took only the start of given whole
        (:func:`toolrag.agent.plan.whole_lists`), each new string one the grammar admits; ``text``
        itself when nothing changes."""
        if not self.config.whole_lists or facts is None:
            return text
        plan = plan_format.parse(text)

        def fits(param: Param, value: str) -> bool:
            return re.fullmatch(facts.string_pattern(param.required), value) is not None

        whole = plan_format.whole_lists(plan, facts.text, {t.name: t for t in tools}, fits)
        return text if whole == plan else plan_format.dumps(whole)

    def _cover(
        self,
        ids: list[int],
        tools: Sequence[Tool],
        required: Sequence[str],
        text: str,
        facts: QueryFacts,
        redo: _Redo,
    ) -> tuple[str, int, int]:
        """``text`` (a finished plan) made to use the values the query states that no call
        uses (``cover_values``); ``(text, new tokens, forced tokens)``.

        While one is unused: first, a call whose tool has an optional parameter that could
        take it (:func:`toolrag.agent.plan.fillable`) is written again with that parameter required,
        and the result takes its place if it keeps every argument of the call and adds the
        value; else one more call is written, and kept if it takes an unused value (in place
        of an earlier call it widens or corrects: :func:`toolrag.agent.plan.widens`,
        :func:`toolrag.agent.plan.corrects`). Stops at the first new call that takes none, and at
        ``max_calls``.
        """
        n_new = n_forced = 0
        max_calls = max(self.config.max_calls, len(required))
        by_name = {t.name: t for t in tools}
        tried: set[tuple[int, str]] = set()
        while True:
            plan = plan_format.parse(text)
            unused = plan_format.unused_values(facts.text, plan, tools)
            if not unused:
                return text, n_new, n_forced
            changed = None
            for i, name in plan_format.fillable(plan, unused, tools, facts.text):
                if (i, name) in tried:
                    continue
                tried.add((i, name))
                tool = by_name[plan[i]["api"]]
                forced = tool.model_copy(
                    update={
                        "parameters": [
                            p.model_copy(update={"required": True}) if p.name == name else p
                            for p in tool.parameters
                        ]
                    }
                )
                longer, n, f = self._one_more(ids, [forced], [], text, facts, redo)
                n_new, n_forced = n_new + n, n_forced + f
                new = longer[len(plan)] if longer and len(longer) > len(plan) else None
                if (
                    new is not None
                    and plan_format.widens(new, [plan[i]]) == 0
                    and plan_format.takes_any(new, unused)
                ):
                    changed = _replace_call(text, i, _last_call(longer))
                    break
            if changed is None:
                if len(plan) >= max_calls:
                    return text, n_new, n_forced
                longer, n, f = self._one_more(ids, tools, required, text, facts, redo)
                n_new, n_forced = n_new + n, n_forced + f
                if not longer or len(longer) <= len(plan):  # it repeated an earlier call
                    return text, n_new, n_forced
                new = longer[len(plan)]
                if not plan_format.takes_any(new, unused):
                    return text, n_new, n_forced
                # in place of an earlier call it widens or corrects, else after the others
                at = plan_format.widens(new, plan)
                at = plan_format.corrects(new, plan) if at is None else at
                if at is None:
                    changed = plan_format.dumps(longer)
                else:
                    changed = _replace_call(text, at, _last_call(longer))
            text = changed

    def _one_more(
        self,
        ids: list[int],
        tools: Sequence[Tool],
        required: Sequence[str],
        text: str,
        facts: QueryFacts,
        redo: _Redo,
    ) -> tuple[list[dict[str, Any]], int, int]:
        """The plan ``text`` with one more call to one of ``tools`` (fewer calls if the model
        repeated an earlier one); ``(calls, new tokens, forced tokens)``."""
        ends = closed_calls(text)
        head = text[: ends[-1]] if ends else ""
        n_new = n_forced = 0
        for _ in range(1 + 4 * sum(len(t.parameters) for t in tools)):  # restarts omit one more
            step = self._decode(ids, tools, required, head, False, facts, redo, extend=True)
            n_new, n_forced = n_new + step.new, n_forced + step.forced
            if step.restart is None:
                return plan_format.parse(step.text), n_new, n_forced
        return [], n_new, n_forced  # pragma: no cover - bounded by the parameters there are

    def _left_out(self, calls: Sequence[dict[str, Any]], by_name: dict[str, Tool]) -> set[str]:
        """The optional parameters the last of ``calls`` should leave out: those given an
        empty list (it says no more than leaving the parameter out, and a tool may read it
        as "none"), those whose value only names the tool or the parameter
        (:func:`toolrag.agent.plan.names_only`), and those whose values repeat earlier ones, as
        ``distinct_values`` asks (:func:`toolrag.agent.plan.reused_values`)."""
        call, tool = calls[-1], by_name.get(calls[-1]["api"])
        if tool is None:
            return set()
        optional = {p.name for p in tool.parameters if not p.required}
        out = {k for k, v in call.get("parameters", {}).items() if v == [] and k in optional}
        out |= set(plan_format.names_only(call, tool))
        if self.config.distinct_values == "off":
            return out
        earlier = [  # parallel calls to one tool share values by design
            c
            for c in calls[:-1]
            if self.config.distinct_values == "plan" and c["api"] != call["api"]
        ]
        return out | set(plan_format.reused_values(call, earlier)) & optional

    def _placeholders(
        self,
        calls: Sequence[dict[str, Any]],
        by_name: dict[str, Tool],
        pointed: Mapping[str, Collection[str]],
        query: str = "",
    ) -> set[str]:
        """With ``back_references``, the required parameters of the last of ``calls`` (not the
        first) whose value only names the tool or a parameter (:func:`toolrag.agent.plan.placeholders`),
        is a literal where the query says an earlier output holds it (``pointed``), or is a
        literal the query does not state (:func:`toolrag.agent.plan.unstated`), where an earlier
        call to another tool has a declared output that fits; a made-up number also where an
        earlier tool declares none (its whole result, :attr:`toolrag.types.Tool.returns`)."""
        call = calls[-1]
        tool = by_name.get(call["api"])
        if not self.config.back_references or tool is None or len(calls) < 2:
            return set()
        args = call.get("parameters", {})
        said = {
            name
            for name in pointed.get(tool.name, ())
            if name in args and plan_format.literal(args[name])
        }
        earlier = [  # a call never refers to its own tool's outputs (the grammar's rule)
            t
            for c in calls[:-1]
            if (t := by_name.get(c["api"])) is not None and t.name != tool.name
        ]
        declared = [o.type for t in earlier for o in t.outputs]
        implicit = any(not t.outputs for t in earlier)
        types = {p.name: p.type for p in tool.parameters}

        def fits(name: str, result_too: bool) -> bool:
            """A declared earlier output fits; with ``result_too``, for a number, also the
            whole result of an earlier tool that declares none."""
            number = types[name] in (ParamType.INTEGER, ParamType.NUMBER)
            return any(compatible(o, types[name]) for o in declared) or (
                result_too and implicit and number
            )

        named = set(plan_format.placeholders(call, tool)) | said
        made_up = set(plan_format.unstated(call, tool, query)) if query else set()
        return {n for n in named if fits(n, False)} | {n for n in made_up if fits(n, True)}

    def _decode(
        self,
        ids: list[int],
        tools: Sequence[Tool],
        required: Sequence[str],
        head: str,
        restrict: bool,
        facts: QueryFacts | None = None,
        redo: _Redo | None = None,
        positions: Mapping[str, int] | None = None,
        extend: bool = False,
    ) -> _Step:
        """Decode after the prompt and the forced plan text ``head`` (complete calls).
        ``extend``: write exactly one more call (the list may not close first), and stop.
        ``positions``: the order in which tools are first called (``stage_grammar``'s).

        The caller decodes again from the calls before call ``i`` (``step.restart`` is not None)
        when:

        - call ``i`` repeated an earlier call exactly while a required tool was still uncalled:
          call ``i`` is then restricted to the uncalled required tools (``restart`` True);
        - an optional parameter of call ``i`` repeated another's value
          (:func:`toolrag.agent.plan.reused_values`): it is added to ``redo.omit[i]`` (per tool) and
          call ``i`` is decoded again without it (``restart`` is ``restrict`` as it was for
          call ``i``);
        - with ``back_references``, a required parameter of call ``i > 0`` only named the tool
          or a parameter (:func:`toolrag.agent.plan.placeholders`: ``"location": "the same
          location"``): it is added to ``redo.refer[i]`` and call ``i`` is decoded again with
          a reference to an earlier output there, where one fits.
        """
        if redo is None:
            redo = _Redo()
        from llguidance.numpy import (
            allocate_token_bitmask,
            apply_token_bitmask_inplace,
            fill_next_token_bitmask,
        )

        by_name = {t.name: t for t in tools}
        max_calls = max(self.config.max_calls, len(required))
        if max_calls != self.config.max_calls:
            logger.info("max_calls raised to %d for %d required tools", max_calls, len(required))

        def matcher_for(prefix: str, **kw: Any) -> Any:
            done = (
                [by_name.get(c["api"]) for c in plan_format.parse(prefix + "]")] if prefix else []
            )
            grammar = stage_grammar(
                prefix,
                done,
                tools,
                max_calls=max_calls,
                required=required,
                facts=facts,
                omit=redo.omit.get(len(done)),
                refer=redo.refer.get(len(done)),
                positions=positions,
                **kw,
            )
            return self._compile(grammar)

        matcher = matcher_for(head, next_required=restrict, extend=extend)
        head_ids = self.tokenizer(head, add_special_tokens=False).input_ids if head else []
        if head_ids and not matcher.consume_tokens(head_ids):  # pragma: no cover - a bug
            raise RuntimeError(f"the plan grammar rejected its own prefix {head!r}")
        bitmask = None
        generated: list[int] = list(head_ids)
        forced_total = 0
        stage = first = len(closed_calls(head))
        while len(generated) < self.config.max_new_tokens:
            logits = self.engine.logits(ids + generated).copy()  # the engine's copy stays clean
            if bitmask is None:
                bitmask = allocate_token_bitmask(1, logits.shape[-1])
            fill_next_token_bitmask(matcher, bitmask, 0)
            apply_token_bitmask_inplace(logits, bitmask)
            if redo.bias is not None:  # masked tokens stay at -inf
                logits[..., redo.bias] += self.config.query_bias
            token = int(np.argmax(logits))
            if not matcher.consume_token(token):
                break
            new = [token]
            forced = matcher.compute_ff_tokens()
            if forced and matcher.consume_tokens(forced):
                new += forced
                forced_total += len(forced)
            generated += new
            if matcher.is_stopped():
                break
            text = self.tokenizer.decode(generated)
            ends = closed_calls(text)
            if len(ends) > stage:
                stage = len(ends)
                done_calls = plan_format.parse(text[: ends[-1]] + "]")
                n = len(generated) - len(head_ids)
                keep = text[: ends[-2]] if len(ends) > 1 else ""
                left_out = redo.of(redo.omit, stage - 1, done_calls[-1]["api"])
                repeated = self._left_out(done_calls, by_name)
                referred = redo.of(redo.refer, stage - 1, done_calls[-1]["api"])
                pointing = self._placeholders(done_calls, by_name, redo.pointed, redo.query)
                if repeated - left_out or pointing - referred:  # decode this call again
                    left_out |= repeated
                    referred |= pointing
                    return _Step(keep, n, forced_total, restrict and stage - 1 == first)
                if self.config.stop_on_repeat and plan_format.adds_nothing(
                    done_calls[-1], done_calls[:-1]
                ):
                    # a repeat of an earlier call (identical, or its values swapped): keep the
                    # calls before it; close the list, or go on with a required tool that is
                    # still uncalled
                    called = {c["api"] for c in done_calls[:-1]}
                    if set(required) - called:
                        return _Step(keep, n, forced_total, True)
                    return _Step(keep + "]", n, forced_total)
                if extend:
                    return _Step(text[: ends[-1]] + "]", n, forced_total)
                matcher = matcher_for(text[: ends[-1]])
                if not matcher.consume_tokens(generated):
                    # the loose tail let through more than the exact stage allows: keep
                    # the calls that are complete and valid, and close the list
                    logger.warning("constrained decoding: truncating at call %d", stage)
                    return _Step(text[: ends[-1]] + "]", len(generated), forced_total)
        text = self.tokenizer.decode(generated)
        if matcher.is_error() or not matcher.is_stopped():
            # the token budget ran out mid-plan, or the grammar engine gave up (a lexer limit):
            # keep the complete calls and close the list, so constrained output is always a
            # valid plan
            ends = closed_calls(text)
            why = matcher.get_error() if matcher.is_error() else "token budget spent"
            logger.warning("constrained decoding: %s; keeping %d calls", why, len(ends))
            text = (text[: ends[-1]] if ends else "[") + "]"
        return _Step(text, len(generated) - len(head_ids), forced_total)
