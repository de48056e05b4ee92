"""The planner's options in one object: :class:`PlannerConfig`.

A config names the plan passes to run (``passes``, from :data:`toolrag.agent.passes.REGISTRY`;
each pass's docstring says what it does and where it was measured) and holds the few settings
that are not rules. Ablation is the list minus one: ``config.without("cover_values")``, spelt
the same in the CLI (``--without cover_values``) and the benchmarks (``--without``). A planner
folder stores the config it was measured with, and :meth:`Planner.load
<toolrag.agent.planner.Planner.load>` restores it.

Example:
    >>> config = PlannerConfig().without("cover_values")
    >>> "cover_values" in config.passes, "back_references" in config.passes
    (False, True)
    >>> PlannerConfig.from_dict(config.to_dict()) == config
    True
    >>> PlannerConfig(distinct_scope="sometimes")
    Traceback (most recent call last):
    ...
    toolrag.errors.ConfigError: distinct_scope must be one of call, plan, got 'sometimes'
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from enum import StrEnum
from typing import Any

from toolrag.agent.grammar import check_string_mode
from toolrag.agent.passes import DEFAULT_PASSES, canonical, check_names
from toolrag.errors import ConfigError


class DistinctScope(StrEnum):
    """Which earlier values an optional parameter may not repeat (the ``distinct_values``
    pass): those of its own call, or also those of earlier calls to other tools."""

    CALL = "call"
    PLAN = "plan"


RENAMED = {
    "ground_values",
    "drop_ungrounded",
    "stop_on_repeat",
    "cover_values",
    "in_order",
    "back_references",
    "distinct_values",
}
"""Options that became passes: refused with the spelling that replaced them."""


@dataclass(frozen=True)
class PlannerConfig:
    """How the planner decodes and which passes shape its plans. Defaults: every pass."""

    passes: tuple[str, ...] = field(
        default=DEFAULT_PASSES,
        metadata={"help": "the plan passes to run (toolrag.agent.passes.REGISTRY), any order"},
    )
    constrained: bool = field(
        default=True,
        metadata={"help": "decode under the plan grammar (else freely: only plan passes run)"},
    )
    max_new_tokens: int = field(default=384, metadata={"help": "generation cap per plan"})
    max_calls: int = field(default=8, metadata={"help": "plan length cap when constrained"})
    show_selected_only: bool = field(
        default=True,
        metadata={
            "help": "with a selection, the prompt lists only the selected tools (the grammar "
            "admits only those anyway; a shorter prompt plans faster: planner_engines.md)"
        },
    )
    ground_strings: str = field(
        default="all",
        metadata={
            "help": "with the ground_values pass, which plain strings are made of the query's "
            "words: all, optional, free or spans"
        },
    )
    distinct_scope: str = field(
        default=DistinctScope.CALL.value,
        metadata={"help": "the distinct_values pass's reach: call or plan"},
    )
    query_bias: float = field(
        default=0.0,
        metadata={
            "help": "soft grounding: added to the logits of the query's own tokens while "
            "decoding (0: off); a preference for the query's words that still lets the model "
            "write what the schema asks for"
        },
    )

    def __post_init__(self) -> None:
        if isinstance(self.passes, str):
            raise ConfigError(
                f"passes must be a list of pass names, got the string {self.passes!r}"
            )
        object.__setattr__(self, "passes", canonical(self.passes))
        try:
            DistinctScope(self.distinct_scope)
        except ValueError:
            scopes = ", ".join(m.value for m in DistinctScope)
            raise ConfigError(
                f"distinct_scope must be one of {scopes}, got {self.distinct_scope!r}"
            ) from None
        check_string_mode(self.ground_strings)
        for name in ("max_new_tokens", "max_calls"):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name} must be at least 1, got {getattr(self, name)}")

    def runs(self, name: str) -> bool:
        """Whether the pass ``name`` is among :attr:`passes` (a name that is no pass is refused)."""
        check_names([name])
        return name in self.passes

    def without(self, *names: str) -> PlannerConfig:
        """A copy without the passes ``names`` (each must be a registered pass)."""
        check_names(names)
        return replace(self, passes=tuple(p for p in self.passes if p not in names))

    def plus(self, *names: str) -> PlannerConfig:
        """A copy with the passes ``names`` added."""
        check_names(names)
        return replace(self, passes=(*self.passes, *names))

    def with_grounding(self, mode: str) -> PlannerConfig:
        """A copy in one of the :data:`GROUNDING` modes: ``hard`` (the ``ground_values`` and
        ``drop_ungrounded`` passes; strings from the query's words), ``free`` (neither: the
        schema alone constrains values), ``soft`` (``free`` plus a preference for the query's
        own tokens, ``query_bias``)."""
        if mode not in GROUNDING:
            raise ConfigError(f"grounding must be one of {', '.join(GROUNDING)}, got {mode!r}")
        spec = GROUNDING[mode]
        config = self.plus(*spec["plus"]).without(*spec["minus"])
        return replace(config, **spec["settings"])

    def with_options(self, **options: Any) -> PlannerConfig:
        """A copy with ``options`` changed; an unknown name is refused with the valid ones."""
        names = {f.name for f in fields(self)}
        renamed = sorted(set(options) & RENAMED)
        if renamed:
            raise ConfigError(
                f"{', '.join(renamed)} became plan passes: leave one out with "
                f"PlannerConfig.without({renamed[0]!r}) (CLI and benchmarks: --without "
                f"{renamed[0]}); the distinct_values modes call/plan are distinct_scope"
            )
        unknown = sorted(set(options) - names)
        if unknown:
            raise ConfigError(
                f"unknown planner option(s) {', '.join(unknown)}; valid: {', '.join(sorted(names))}"
            )
        return replace(self, **options)

    def to_dict(self) -> dict[str, Any]:
        """The config as JSON-ready data (what a planner folder stores)."""
        data = asdict(self)
        data["passes"] = list(self.passes)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlannerConfig:
        """A config from :meth:`to_dict`'s data; unknown keys are refused with the valid ones."""
        data = dict(data)
        if "passes" in data:
            data["passes"] = tuple(data["passes"])
        return cls().with_options(**data)


GROUNDING: dict[str, dict[str, Any]] = {
    "hard": {
        "plus": ("ground_values", "drop_ungrounded"),
        "minus": (),
        "settings": {"ground_strings": "all", "query_bias": 0.0},
    },
    "free": {
        "plus": (),
        "minus": ("ground_values", "drop_ungrounded"),
        "settings": {"query_bias": 0.0},
    },
    "soft": {
        "plus": (),
        "minus": ("ground_values", "drop_ungrounded"),
        "settings": {"query_bias": 2.0},
    },
}
"""How much the query's words bind the plan's values (:meth:`PlannerConfig.with_grounding`)."""
