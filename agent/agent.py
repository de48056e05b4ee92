"""The agent: retrieve candidate tools, plan the calls, check the plan, execute it.

Example:
    >>> agent = Agent.load("my-index")  # doctest: +SKIP
    >>> answer = agent.ask("Book a flight to Rome and email me the booking id")  # doctest: +SKIP
    >>> [c.api for c in answer.plan.calls]  # doctest: +SKIP
    ['bookFlight', 'sendEmail']
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolrag.agent.checker import Violation, check
from toolrag.agent.config import PlannerConfig
from toolrag.agent.executor import Observation, ToolRegistry, execute
from toolrag.agent.planner import Planner, PlanResult
from toolrag.types import Tool

if TYPE_CHECKING:
    from toolrag.index.store import ToolIndex
    from toolrag.retriever.base import Retriever
    from toolrag.retriever.selector import Selection, ToolSelector


def make_planner(
    spec: str | None = None,
    *,
    constrained: bool | None = None,
    engine: str | None = None,
    precision: str | None = None,
    niceness: int | None = None,
    config: PlannerConfig | None = None,
    without: Sequence[str] = (),
) -> Any:
    """``openai:MODEL`` -> a :class:`~toolrag.agent.remote.RemotePlanner` on ``$OPENAI_BASE_URL``;
    anything else (adapter folder, model folder, hub id, packaged alias, ``None`` for the shipped
    planner) -> a local :class:`Planner` on ``engine`` in ``precision`` (see
    :meth:`Planner.load`), or with ``niceness`` (0-19) the same planner in a child process at
    that lower priority (:class:`toolrag.agent.worker.PlannerProcess`). ``without``: plan passes
    to leave out of ``config`` (default: the config the planner ships with)."""
    if without:
        if config is None and not (spec and spec.startswith("openai:")):
            from toolrag.agent.adapter import stored_config
            from toolrag.agent.models import resolve_planner

            config = stored_config(resolve_planner(spec))
        config = (config or PlannerConfig()).without(*without)
    if spec and spec.startswith("openai:"):
        from toolrag.agent.remote import RemotePlanner

        return RemotePlanner(spec.removeprefix("openai:"), config=config)
    kwargs: dict[str, Any] = {"engine": engine, "precision": precision}
    if config is not None:  # else the model's own grounding mode is where options start
        kwargs["config"] = config
    if constrained is not None:
        kwargs["constrained"] = constrained
    if niceness is not None:
        from toolrag.agent.worker import PlannerProcess

        return PlannerProcess(spec, niceness=niceness, **kwargs)
    return Planner.load(spec, **kwargs)


def plan_with(
    planner: Any, selector: ToolSelector | None, query: str, tools: list[Tool]
) -> tuple[PlanResult, Selection | None]:
    """Select among ``tools`` (when there is a selector), then plan with exactly the selected
    ones; the plan's ``seconds`` include the selector's.

    When the selector selects none, the planner may call the most probable candidate or plan
    nothing: the selector's features are similarities, which run low on wording unlike its
    training data ("80 GBP in JPY" against "convert an amount of money"), and an empty plan for
    a request that needs a tool is the worse error; its ranking still holds there (the top
    candidate was the right tool in all 7 such function-list queries of
    benchmarks/function_calls.py), while the planner alone among all candidates picked a
    neighbour ("250 euros in US dollars" -> ``get_crypto_price``)."""
    if selector is None:
        return planner.plan(query, tools), None
    start = time.perf_counter()
    selection = selector.select(query, tools)
    took = time.perf_counter() - start
    if selection.tools or not tools:
        extra: dict[str, Any] = {}
        if selection.required is not None:
            extra["required"] = [t.name for t in selection.required]
        if selection.positions is not None:
            extra["positions"] = selection.positions
        if selection.pointed:
            extra["pointed"] = selection.pointed
        result = planner.plan(query, tools, selected=[t.name for t in selection.tools], **extra)
    else:
        best = max(tools, key=lambda t: selection.probabilities.get(t.name, 0.0))
        result = planner.plan(query, [best])
    result.seconds += took
    return result, selection


class ExecuteMode(StrEnum):
    """What ``ask`` does with a plan that passed the checks."""

    SIMULATE = "simulate"  # registered callables run; other tools are simulated from their schema
    NONE = "none"  # plan only


@dataclass
class Answer:
    """Everything ``ask`` produced for one query."""

    query: str
    candidates: list[dict[str, Any]]
    plan: PlanResult
    violations: list[Violation] = field(default_factory=list)
    trace: list[Observation] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    selected: list[str] | None = None  # the selector's choice, when one ran

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "candidates": self.candidates,
            "selected": self.selected,
            "plan": self.plan.to_json(),
            "violations": [str(v) for v in self.violations],
            "trace": [o.to_json() for o in self.trace],
            "seconds": {k: round(v, 4) for k, v in self.seconds.items()},
        }


class Agent:
    """Index + retriever + (optional) selector + planner + tool registry, as one object.

    With a ``selector``, the plan must call exactly the candidates it selects (each at least
    once, no others).
    """

    def __init__(
        self,
        index: ToolIndex,
        planner: Planner,
        *,
        retriever: Retriever | None = None,
        registry: ToolRegistry | None = None,
        selector: ToolSelector | None = None,
        k: int = 5,
    ) -> None:
        from toolrag.retriever.factory import default_retriever

        self.index = index
        self.planner = planner
        self.retriever = retriever or default_retriever(index)
        self.registry = registry or ToolRegistry()
        self.selector = selector
        self.k = k

    @classmethod
    def load(
        cls,
        index: str | Path,
        *,
        planner: str | None = None,
        constrained: bool = True,
        engine: str | None = None,
        precision: str | None = None,
        k: int = 5,
        registry: ToolRegistry | None = None,
        selector: str | None = "auto",
        threshold: float | None = None,
        planner_niceness: int | None = None,
        without: Sequence[str] = (),
    ) -> Agent:
        """An agent over a saved index with the default (or given) planner and selector
        (``"auto"``: the shipped one when it fits the index; see
        :func:`toolrag.retriever.selector.resolve_selector`); ``planner_niceness``: plan in a child
        process at that lower priority (see :func:`make_planner`); ``without``: plan passes to
        leave out of the planner's config."""
        from toolrag.index.location import load_index
        from toolrag.retriever.selector import check_selector_spec, resolve_selector

        check_selector_spec(selector, threshold)
        idx = load_index(index)
        return cls(
            idx,
            make_planner(
                planner,
                constrained=constrained,
                engine=engine,
                precision=precision,
                niceness=planner_niceness,
                without=without,
            ),
            registry=registry,
            selector=resolve_selector(selector, idx, threshold),
            k=k,
        )

    def plan(self, query: str, tools: list[Tool]) -> tuple[PlanResult, Selection | None]:
        """Plan over candidate ``tools``, through the selector when there is one."""
        return plan_with(self.planner, self.selector, query, tools)

    def ask(
        self, query: str, *, k: int | None = None, execute_mode: ExecuteMode | str = "simulate"
    ) -> Answer:
        """Retrieve, plan, check and (unless ``execute_mode="none"``) execute."""
        mode = ExecuteMode(execute_mode)
        times: dict[str, float] = {}
        t0 = time.perf_counter()
        hits = self.retriever.retrieve(query, k=k or self.k)
        tools = [h.tool for h in hits]
        times["retrieve"] = time.perf_counter() - t0
        plan, selection = self.plan(query, tools)
        times["plan"] = plan.seconds
        by_name = {t.name: t for t in tools}
        violations = check(plan.calls, by_name) if plan.format_ok else []
        trace: list[Observation] = []
        if mode == ExecuteMode.SIMULATE and plan.format_ok and not violations:
            t1 = time.perf_counter()
            trace = execute(plan.calls, by_name, self.registry)
            times["execute"] = time.perf_counter() - t1
        times["total"] = time.perf_counter() - t0
        cands = [
            h.to_json()
            | ({"probability": round(selection.probabilities[h.tool.name], 4)} if selection else {})
            for h in hits
        ]
        selected = [t.name for t in selection.tools] if selection else None
        return Answer(query, cands, plan, violations, trace, times, selected)
