"""What a plan pass is: a named rule that acts in one phase of planning, and the registry of them.

The planner runs in four phases (:class:`Phase`); each rule is one :class:`Pass` of one phase,
with one method:

- ``grammar``: :meth:`GrammarPass.constrain` narrows what the grammar admits before decoding
  (what a value may be, which tool may come next);
- ``restart``: :meth:`RestartPass.review` reads each call as soon as the model closes it and
  may have it written again (:class:`Redo`) or end the plan there (:class:`Stop`);
- ``text``: :meth:`TextPass.rewrite` rewrites the decoded plan, and may decode more of it;
- ``plan``: :meth:`PlanPass.apply` post-processes the parsed plan (every planner, local or
  remote, runs these).

A :class:`~toolrag.agent.config.PlannerConfig` names the passes to run (``passes``); they run
in phase order, and within a phase in :data:`REGISTRY`'s order, whatever order the config
lists them in.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar

from toolrag.errors import ConfigError
from toolrag.types import Plan, Tool

if TYPE_CHECKING:
    from toolrag.agent.config import PlannerConfig
    from toolrag.agent.grammar import QueryFacts


class Phase(StrEnum):
    """When a pass acts, in the order the planner runs them."""

    GRAMMAR = "grammar"
    RESTART = "restart"
    TEXT = "text"
    PLAN = "plan"


@dataclass
class PlanContext:
    """What the passes of one plan read: the request, the tools, the options, and what earlier
    phases decided (``facts``, ``positions``)."""

    query: str
    tools: Sequence[Tool]
    """The tools a call may name (the selected ones, under a selection)."""
    config: PlannerConfig
    candidates: Sequence[Tool] = ()
    """Every tool offered (default: ``tools``); the plan passes read a call's tool here."""
    selected: Sequence[str] | None = None
    required: Sequence[str] = ()
    positions: Mapping[str, int] | None = None
    """Where in the query each selected tool is asked for (the selector's)."""
    pointed: Mapping[str, Collection[str]] = field(default_factory=dict)
    """Per tool, the required parameters the query says an earlier output holds."""
    facts: QueryFacts | None = None
    """Set by the ``ground_values`` pass: what the query states; None when values are free."""
    order: Mapping[str, int] | None = None
    """Set by the ``in_order`` pass: the order in which tools are first called."""
    one_more: (
        Callable[[Sequence[Tool], Sequence[str], str], tuple[list[dict[str, Any]], int, int]] | None
    ) = None
    """For text passes that decode: the calls of the plan text with one more call to one of
    the tools (fewer if the model repeated one), ``(calls, new tokens, forced tokens)``; set by
    the local constrained planner only."""
    new_tokens: int = 0
    forced_tokens: int = 0
    fired: dict[str, int] = field(default_factory=dict)
    """How often each pass changed something: a redo or stop the decoder acted on, a
    rewritten or shortened plan. A pass that never fires on a set of requests cannot change
    their plans (decoding is greedy): ablation needs to re-plan only where it fired."""

    def fire(self, name: str) -> None:
        self.fired[name] = self.fired.get(name, 0) + 1

    def __post_init__(self) -> None:
        if not self.candidates:
            self.candidates = self.tools

    @property
    def by_name(self) -> dict[str, Tool]:
        """``tools`` by name."""
        return {t.name: t for t in self.tools}


@dataclass(frozen=True)
class Redo:
    """A restart pass's verdict: write the call again, leaving out the optional parameters
    ``omit`` and filling the required ones ``refer`` with a reference to an earlier output."""

    omit: frozenset[str] = frozenset()
    refer: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Stop:
    """A restart pass's verdict: the call adds nothing; drop it and end the plan (or go on with
    a required tool that is still uncalled)."""


class Pass:
    """A named rule of one phase. Subclasses set ``name``, ``phase`` and ``evidence`` (where it
    was measured to help, on data that is not Seal-Tools) and implement the phase's method."""

    name: ClassVar[str]
    phase: ClassVar[Phase]
    evidence: ClassVar[str] = ""
    needs: ClassVar[tuple[str, ...]] = ()
    """Passes this one reads the work of; without them it does nothing (said in its docstring)."""

    def __repr__(self) -> str:
        return f"<pass {self.name} ({self.phase.value})>"


class GrammarPass(Pass):
    phase = Phase.GRAMMAR

    def constrain(self, ctx: PlanContext) -> None:
        """Set what the grammar reads from ``ctx`` (``facts``, ``order``)."""
        raise NotImplementedError


class RestartPass(Pass):
    phase = Phase.RESTART

    def review(
        self, calls: Sequence[Mapping[str, Any]], tools: Mapping[str, Tool], ctx: PlanContext
    ) -> Redo | Stop | None:
        """The verdict on the last of ``calls`` (just closed; ``tools``: those being decoded, by
        name); None: keep it."""
        raise NotImplementedError


class TextPass(Pass):
    phase = Phase.TEXT

    def rewrite(self, plan: Plan, ctx: PlanContext) -> Plan:
        """The decoded plan, rewritten (``plan`` itself when nothing changes)."""
        raise NotImplementedError


class PlanPass(Pass):
    phase = Phase.PLAN

    def apply(self, plan: Plan, ctx: PlanContext) -> tuple[Plan, set[int]]:
        """The plan post-processed, and the positions in ``plan`` of the calls it dropped."""
        raise NotImplementedError


REGISTRY: dict[str, Pass] = {}
"""Every pass by name, in the order the planner runs them within a phase."""


def register(cls: type[Pass]) -> type[Pass]:
    """Class decorator: add one instance of ``cls`` to :data:`REGISTRY`."""
    if cls.name in REGISTRY:
        raise ValueError(f"two passes are named {cls.name!r}")
    REGISTRY[cls.name] = cls()
    return cls


def run_order() -> list[str]:
    """Every pass name, by phase and, within a phase, in registration order."""
    phases = list(Phase)
    return sorted(REGISTRY, key=lambda n: phases.index(REGISTRY[n].phase))


def check_names(names: Collection[str]) -> None:
    """Refuse names that are not registered passes, listing the valid ones."""
    unknown = [n for n in names if n not in REGISTRY]
    if unknown:
        raise ConfigError(
            f"unknown planner pass(es) {', '.join(map(repr, unknown))}; "
            f"valid: {', '.join(run_order())}"
        )


def canonical(names: Collection[str]) -> tuple[str, ...]:
    """``names`` checked and in :data:`REGISTRY`'s order, each once."""
    check_names(names)
    chosen = set(names)
    return tuple(n for n in run_order() if n in chosen)


def of_phase(names: Collection[str], phase: Phase) -> list[Any]:
    """The passes among ``names`` that act in ``phase``, in run order."""
    return [REGISTRY[n] for n in canonical(names) if REGISTRY[n].phase is phase]
