"""The planner's options in one object: :class:`PlannerConfig`.

Every field has a default that is the shipped behaviour; the help text says what each does and
where it was measured. Pass one to :class:`~toolrag.agent.planner.Planner` (or to
:func:`toolrag.plan` / :class:`toolrag.ToolRAG`) instead of loose keyword arguments.

Example:
    >>> PlannerConfig(cover_values=False).cover_values
    False
    >>> PlannerConfig(distinct_values="sometimes")
    Traceback (most recent call last):
    ...
    toolrag.errors.ConfigError: distinct_values must be one of off, call, plan, got 'sometimes'
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from typing import Any

from toolrag.agent.grammar import check_string_mode
from toolrag.errors import ConfigError


class DistinctValues(StrEnum):
    """Which earlier values an optional parameter may not repeat (see ``distinct_values``)."""

    OFF = "off"
    CALL = "call"
    PLAN = "plan"


@dataclass(frozen=True)
class PlannerConfig:
    """How the planner decodes and post-processes a plan. Defaults are the shipped planner's."""

    constrained: bool = field(
        default=True, metadata={"help": "decode under the plan grammar (else freely)"}
    )
    max_new_tokens: int = field(default=384, metadata={"help": "generation cap per plan"})
    max_calls: int = field(default=8, metadata={"help": "plan length cap when constrained"})
    stop_on_repeat: bool = field(
        default=True, metadata={"help": "no identical call (same tool and arguments) twice"}
    )
    drop_ungrounded: bool = field(
        default=True, metadata={"help": "remove calls whose literal values the query says none of"}
    )
    show_selected_only: bool = field(
        default=True, metadata={"help": "with a selection, the prompt lists only selected tools"}
    )
    ground_values: bool = field(
        default=True,
        metadata={"help": "numbers and enum members only as the query states them"},
    )
    ground_strings: str = field(
        default="all",
        metadata={"help": "plain strings from the query's words: all, optional, free or spans"},
    )
    query_bias: float = field(
        default=0.0,
        metadata={
            "help": "soft grounding: added to the logits of the query's own tokens while "
            "decoding (0: off); a preference for the query's words that still lets the model "
            "write what the schema asks for"
        },
    )
    distinct_values: str = field(
        default=DistinctValues.CALL.value,
        metadata={"help": "optional parameters may not repeat earlier values: off, call, plan"},
    )
    cover_values: bool = field(
        default=True, metadata={"help": "a value the query states that no call takes is used"}
    )
    whole_lists: bool = field(
        default=True, metadata={"help": "a list the query writes is given whole"}
    )
    in_order: bool = field(
        default=True, metadata={"help": "tools first called in the order the query asks"}
    )
    back_references: bool = field(
        default=True,
        metadata={
            "help": "a later call's required value that only names its parameter, or that the "
            "query does not state, refers to an earlier output where one fits"
        },
    )
    documented_forms: bool = field(
        default=True, metadata={"help": "values written as the parameter's documented examples"}
    )

    def __post_init__(self) -> None:
        try:
            DistinctValues(self.distinct_values)
        except ValueError:
            modes = ", ".join(m.value for m in DistinctValues)
            raise ConfigError(
                f"distinct_values must be one of {modes}, got {self.distinct_values!r}"
            ) from None
        check_string_mode(self.ground_strings)
        for name in ("max_new_tokens", "max_calls"):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name} must be at least 1, got {getattr(self, name)}")

    def with_grounding(self, mode: str) -> PlannerConfig:
        """A copy with one of the :data:`GROUNDING` modes' options: ``hard`` (numbers, enum
        members and plain strings only as the query writes them; calls with none of the query's
        values dropped), ``free`` (the schema alone constrains values), ``soft`` (``free`` plus
        a preference for the query's own tokens, ``query_bias``)."""
        if mode not in GROUNDING:
            raise ConfigError(f"grounding must be one of {', '.join(GROUNDING)}, got {mode!r}")
        return replace(self, **GROUNDING[mode])

    def with_options(self, **options: Any) -> PlannerConfig:
        """A copy with ``options`` changed; an unknown name is refused with the valid ones."""
        names = {f.name for f in fields(self)}
        unknown = sorted(set(options) - names)
        if unknown:
            raise ConfigError(
                f"unknown planner option(s) {', '.join(unknown)}; valid: {', '.join(sorted(names))}"
            )
        return replace(self, **options)


GROUNDING: dict[str, dict[str, Any]] = {
    "hard": {
        "ground_values": True,
        "ground_strings": "all",
        "drop_ungrounded": True,
        "query_bias": 0.0,
    },
    "free": {"ground_values": False, "drop_ungrounded": False, "query_bias": 0.0},
    "soft": {"ground_values": False, "drop_ungrounded": False, "query_bias": 2.0},
}
"""How much the query's words bind the plan's values (:meth:`PlannerConfig.with_grounding`)."""
