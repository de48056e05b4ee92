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
import threading
import time
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from toolrag.agent import plan as plan_format
from toolrag.agent.config import PlannerConfig
from toolrag.agent.grammar import closed_calls, stage_grammar
from toolrag.agent.passes import Phase, PlanContext, Redo, Stop, of_phase
from toolrag.agent.prompt import check_style, messages
from toolrag.errors import ConfigError, InputTooLongError
from toolrag.types import Plan, PlanFormatError, Tool, ToolCall

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
    dropped: list[dict[str, Any]] = field(default_factory=list)  # calls a plan pass removed
    fired: dict[str, int] = field(default_factory=dict)
    """Per pass, how often it changed this plan (:attr:`PlanContext.fired`)."""

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
            "fired": self.fired,
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
    config: PlannerConfig | None = None,
    ctx: PlanContext | None = None,
) -> None:
    """Parse ``result.text`` and run the plan passes of ``config`` (default: every pass) over it
    into ``result``: every planner, local or remote, goes through here, so their plans are
    scored alike. A text that is not a plan sets ``result.error``; calls a pass dropped go to
    ``result.dropped``. ``ctx``: the planning context, where the caller has one."""
    config = config or PlannerConfig()
    if ctx is None:
        ctx = PlanContext(query=query, tools=tools, config=config)
    ctx.candidates = tools
    try:
        plan = Plan.from_text(result.text)
    except PlanFormatError as err:
        result.error = str(err)
        return
    original = plan.as_json()
    kept = list(range(len(plan)))
    for rule in of_phase(config.passes, Phase.PLAN):
        new, dropped = rule.apply(plan, ctx)
        if dropped or new.text != plan.text:
            ctx.fire(rule.name)
        plan = new
        kept = [k for n, k in enumerate(kept) if n not in dropped]
    result.internal = plan.as_json()
    result.dropped = [original[i] for i in sorted(set(range(len(original))) - set(kept))]
    result.calls = plan_format.to_seal(result.internal, {t.name: t for t in tools})
    result.format_ok = True
    result.fired = dict(ctx.fired)


@dataclass
class _Redo:
    """What the decoder asks of a call it writes again, per call index and tool name: the
    optional parameters it leaves out (``omit``) and the required ones it fills with a
    reference to an earlier output (``refer``), as the restart passes asked."""

    omit: dict[int, dict[str, set[str]]] = field(default_factory=dict)
    refer: dict[int, dict[str, set[str]]] = field(default_factory=dict)
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
        config: a :class:`~toolrag.agent.config.PlannerConfig` (default: every pass);
            ``**options`` changes single settings of it, ``without`` leaves passes out of it.

    A plan is made in four phases, each run by the passes the config names
    (:data:`toolrag.agent.passes.REGISTRY`; each pass's docstring says what it does and what
    measurement keeps it): **grammar** passes narrow what may be decoded, **restart** passes
    read each call as the model closes it and may have it written again or end the plan,
    **text** passes rewrite (or decode more of) the finished plan, and **plan** passes
    post-process the parsed plan (:func:`read_plan`, which the remote planner runs too).
    Without ``constrained`` decoding only the plan passes run.

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
        without: Sequence[str] = (),
        **options: Any,
    ) -> None:
        self.engine = engine
        self.tokenizer = tokenizer
        self.prompt_style = check_style(prompt_style)
        self.config = (config or PlannerConfig()).with_options(**options).without(*without)
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

        Options start from the config the model folder stores (its record's
        ``planner_config``: the config it was measured with), else from its grounding mode
        (``hard`` where the record says none), unless a ``config`` is given; keyword options
        apply on top.

        ``engine``: ``onnx`` (ONNX Runtime GenAI; the model is exported once and cached, see
        :func:`toolrag.agent.export.onnx_model`) or ``torch``; ``None`` takes
        :data:`toolrag.agent.engine.DEFAULT_ENGINE`, falling back to torch with a warning when
        onnxruntime-genai is not installed. ``precision``: the weights' precision, per engine
        (:data:`toolrag.agent.models.PRECISIONS`); ``None`` takes the engine's default.
        """
        from toolrag.agent.adapter import prompt_style, stored_config
        from toolrag.agent.loader import load_engine
        from toolrag.agent.models import resolve_planner

        name = resolve_planner(model)
        engine_obj, tok = load_engine(name, engine=engine, precision=precision)
        config = kwargs.pop("config", None) or stored_config(name)
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
        must = list(selected or ()) if required is None else list(required)
        ctx = PlanContext(
            query=query,
            tools=allowed,
            config=self.config,
            candidates=tools,
            selected=selected,
            required=must,
            positions=positions,
            pointed=pointed or {},
        )
        with self._lock:
            if self.config.constrained:
                for rule in of_phase(self.config.passes, Phase.GRAMMAR):
                    rule.constrain(ctx)
                text, n_new, n_forced = self._constrained(ids, ctx, self._query_tokens(query))
            else:
                text, n_new, n_forced = self._free(ids), 0, 0
                n_new = len(self.tokenizer(text, add_special_tokens=False).input_ids)
        result = PlanResult(calls=[], text=text, format_ok=False, new_tokens=n_new)
        result.forced_tokens = n_forced
        read_plan(result, query, tools, self.config, ctx)
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
        self, ids: list[int], ctx: PlanContext, bias: np.ndarray | None = None
    ) -> tuple[str, int, int]:
        """Greedy decoding under the stage grammars (calls naming only ``ctx.tools``, each of
        ``ctx.required`` at least once, ``bias`` the token ids ``query_bias`` favours), then the
        text passes; ``(text, new tokens, forced tokens)``."""
        redo = _Redo(bias=bias)
        text, n_new, n_forced = "", 0, 0
        restrict = False
        # each restart calls one more required tool or leaves out one more parameter
        for _ in range(len(ctx.required) + 1 + 4 * self.config.max_calls):
            step = self._decode(ids, ctx.tools, ctx.required, text, restrict, ctx, redo, ctx.order)
            text, n_new, n_forced = step.text, n_new + step.new, n_forced + step.forced
            if step.restart is None:
                break
            restrict = step.restart
        else:
            text = (text or "[") + "]"  # pragma: no cover - bounded by the values there are

        def one_more(
            tools: Sequence[Tool], required: Sequence[str], head: str
        ) -> tuple[list[dict[str, Any]], int, int]:
            return self._one_more(ids, tools, required, head, ctx, redo)

        ctx.one_more = one_more
        ctx.new_tokens, ctx.forced_tokens = n_new, n_forced
        text = self._rewrite(Plan.from_text(text), ctx).text
        return text, ctx.new_tokens, ctx.forced_tokens

    def _rewrite(self, plan: Plan, ctx: PlanContext) -> Plan:
        """The text passes, in order."""
        for rule in of_phase(self.config.passes, Phase.TEXT):
            new = rule.rewrite(plan, ctx)
            if new.text != plan.text:
                ctx.fire(rule.name)
            plan = new
        return plan

    def _one_more(
        self,
        ids: list[int],
        tools: Sequence[Tool],
        required: Sequence[str],
        text: str,
        ctx: PlanContext,
        redo: _Redo,
    ) -> tuple[list[dict[str, Any]], int, int]:
        """The plan ``text`` with one more call to one of ``tools`` (fewer calls if the model
        repeated an earlier one); ``(calls, new tokens, forced tokens)``."""
        ends = closed_calls(text)
        head = text[: ends[-1]] if ends else ""
        n_new = n_forced = 0
        for _ in range(1 + 4 * sum(len(t.parameters) for t in tools)):  # restarts omit one more
            step = self._decode(ids, tools, required, head, False, ctx, redo, extend=True)
            n_new, n_forced = n_new + step.new, n_forced + step.forced
            if step.restart is None:
                return plan_format.parse(step.text), n_new, n_forced
        return [], n_new, n_forced  # pragma: no cover - bounded by the parameters there are

    def _review(
        self,
        calls: Sequence[dict[str, Any]],
        by_name: Mapping[str, Tool],
        ctx: PlanContext,
        left_out: set[str],
        referred: set[str],
    ) -> tuple[set[str], set[str], bool]:
        """The restart passes' verdicts on the last of ``calls``: the optional parameters to
        leave out and the required ones to refer that it has not been decoded with yet (not in
        ``left_out``, ``referred``), and whether a pass stops the plan there (only asked when
        none redoes it). Records which passes fired."""
        omit: set[str] = set()
        refer: set[str] = set()
        stops: list[str] = []
        for rule in of_phase(self.config.passes, Phase.RESTART):
            verdict = rule.review(calls, by_name, ctx)
            if isinstance(verdict, Redo):
                new_omit, new_refer = verdict.omit - left_out, verdict.refer - referred
                if new_omit or new_refer:
                    ctx.fire(rule.name)
                omit |= new_omit
                refer |= new_refer
            elif isinstance(verdict, Stop):
                stops.append(rule.name)
        if omit or refer:
            return omit, refer, False
        for name in stops:
            ctx.fire(name)
        return omit, refer, bool(stops)

    def _decode(
        self,
        ids: list[int],
        tools: Sequence[Tool],
        required: Sequence[str],
        head: str,
        restrict: bool,
        ctx: PlanContext,
        redo: _Redo,
        positions: Mapping[str, int] | None = None,
        extend: bool = False,
    ) -> _Step:
        """Decode after the prompt and the forced plan text ``head`` (complete calls).
        ``extend``: write exactly one more call (the list may not close first), and stop.
        ``positions``: the order in which tools are first called (``stage_grammar``'s).

        The restart passes read call ``i`` as soon as it closes (:meth:`_review`). The caller
        decodes again from the calls before call ``i`` (``step.restart`` is not None) when a
        pass asks for a parameter left out or referred that call ``i`` has not been decoded
        without yet: it is added to ``redo.omit[i]`` or ``redo.refer[i]`` (per tool) and call
        ``i`` is decoded again (``restart`` is ``restrict`` as it was for call ``i``). Else,
        when a pass stops the plan at call ``i`` while a required tool is still uncalled, call
        ``i`` is decoded again restricted to the uncalled required tools (``restart`` True);
        with none left, the plan closes before call ``i``.
        """
        facts = ctx.facts
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
                referred = redo.of(redo.refer, stage - 1, done_calls[-1]["api"])
                omit, refer, stop = self._review(done_calls, by_name, ctx, left_out, referred)
                if omit or refer:  # decode this call again
                    left_out |= omit
                    referred |= refer
                    return _Step(keep, n, forced_total, restrict and stage - 1 == first)
                if stop:
                    # a call that adds nothing (a repeat): keep the calls before it; close the
                    # list, or go on with a required tool that is still uncalled
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
