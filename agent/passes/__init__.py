"""The planner's rules as named passes (:mod:`toolrag.agent.passes.base`), one place per rule.

``PlannerConfig.passes`` names the ones to run; :data:`REGISTRY` holds them all, in run order
within each phase. ``docs/design.md`` lists each with the measurement that keeps it.

Example:
    >>> [p.name for p in of_phase(DEFAULT_PASSES, Phase.PLAN)]
    ['drop_repeats', 'drop_ungrounded', 'numbers_as_written']
    >>> check_names(["cover"])
    Traceback (most recent call last):
    ...
    toolrag.errors.ConfigError: unknown planner pass(es) 'cover'; valid: ground_values, in_order, leave_out_fillers, distinct_values, back_references, stop_on_repeat, cover_values, drop_repeats, drop_ungrounded, numbers_as_written
"""

from __future__ import annotations

from toolrag.agent.passes import grammar_passes, plan_passes, restart_passes, text_passes
from toolrag.agent.passes.base import (
    REGISTRY,
    GrammarPass,
    Pass,
    Phase,
    PlanContext,
    PlanPass,
    Redo,
    RestartPass,
    Stop,
    TextPass,
    canonical,
    check_names,
    of_phase,
    run_order,
)

_MODULES = (grammar_passes, restart_passes, text_passes, plan_passes)  # registered on import

DEFAULT_PASSES: tuple[str, ...] = tuple(run_order())
"""Every registered pass: the shipped planners' configs leave out the ones they were measured
worse with (the default 0.5B planner: ``ground_values`` and ``drop_ungrounded``)."""

__all__ = [
    "DEFAULT_PASSES",
    "REGISTRY",
    "GrammarPass",
    "Pass",
    "Phase",
    "PlanContext",
    "PlanPass",
    "Redo",
    "RestartPass",
    "Stop",
    "TextPass",
    "canonical",
    "check_names",
    "of_phase",
    "run_order",
]
