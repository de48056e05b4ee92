"""Multi-agent simulation in the ToolAlpaca manner: a user agent asks, an assistant agent acts step
by step (thought, action, action input), a tool-executor agent plays the API from its
documentation. Trajectories that end in a final answer are kept and become planner training data.

Three roles, one model (any :class:`~toolrag.agent.llm.ChatLLM`); every call is cached, so a crashed
run resumes. Episodes run one after another (each step depends on the last), but the calls of
different episodes are independent, so each round of steps runs episodes concurrently.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from toolrag.agent.llm import ChatLLM, Request, complete_many
from toolrag.agent.prompt import tool_doc
from toolrag.agent.simulator import executor_request
from toolrag.errors import ConfigError
from toolrag.trainer.datagen.quality import Report, check_instance, parse_json, reject
from toolrag.trainer.datagen.selfinstruct import by_domain, seal_instance
from toolrag.types import Tool

FINISH = "Finish"

_USER_SYSTEM = "You play a person who asks an assistant for help. You know nothing about APIs."
_USER_PROMPT = """The assistant can use these APIs:
{docs}

Write one thing you want done that needs one or more of them. Give the concrete details (names, \
numbers, dates, places) the assistant will need. Reply with the request only, in one or two \
sentences."""

_ASSISTANT_SYSTEM = (
    "You are an assistant that serves requests by calling APIs, one step at a time. "
    f'Each step: a short thought, then an action (an API name, or "{FINISH}" when done) and its '
    f'input as a JSON object ({{"answer": ...}} for {FINISH}).'
)
_ASSISTANT_PROMPT = """APIs:
{docs}

Request: {request}
{history}
Next step, as JSON {{"thought": ..., "action": ..., "action_input": {{...}}}}:"""


def _step_schema(tools: Sequence[Tool]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "thought": {"type": "string", "maxLength": 240},
            "action": {"enum": [t.name for t in tools] + [FINISH]},
            "action_input": {"type": "object"},
        },
        "required": ["thought", "action", "action_input"],
        "additionalProperties": False,
    }


@dataclass
class Episode:
    """One simulated conversation."""

    id: str
    tools: list[Tool]
    request: str = ""
    steps: list[dict[str, Any]] = field(default_factory=list)
    final_answer: str | None = None
    failure: tuple[str, str] | None = None

    @property
    def open(self) -> bool:
        return self.final_answer is None and self.failure is None

    def history(self) -> str:
        lines = []
        for s in self.steps:
            lines += [
                f"Thought: {s['thought']}",
                f"Action: {s['action']}",
                f"Action Input: {json.dumps(s['action_input'], ensure_ascii=False)}",
                f"Observation: {json.dumps(s['observation'], ensure_ascii=False)}",
            ]
        return ("\n" + "\n".join(lines) + "\n") if lines else ""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "tools": [t.name for t in self.tools],
            "instruction": self.request,
            "steps": self.steps,
            "final_answer": self.final_answer,
        }


def _validate_call(tool: Tool, arguments: dict[str, Any]) -> str | None:
    """What a real server would refuse: unknown or missing required parameters."""
    names = {p.name for p in tool.parameters}
    unknown = sorted(set(arguments) - names)
    if unknown:
        return f"unknown parameters {unknown}; {tool.name} takes {sorted(names)}"
    missing = [r for r in tool.required if r not in arguments]
    if missing:
        return f"missing required parameters {missing}"
    return None


def to_instance(episode: Episode, catalog: dict[str, Tool]) -> dict[str, Any]:
    """Planner training data from a finished trajectory: its successful calls in order, with a
    value that repeats an earlier call's output field turned into a nested reference."""
    calls: list[dict[str, Any]] = []
    for step in episode.steps:
        obs = step["observation"]
        if step["action"] == FINISH or not isinstance(obs, dict) or "error" in obs:
            continue
        params = {}
        for name, value in step["action_input"].items():
            params[name] = value
            if not isinstance(value, str) or not value:
                continue
            for j, earlier in enumerate(calls):
                hit = next((k for k, v in earlier["observation"].items() if v == value), None)
                if hit is not None:
                    params[name] = f"${j}.{hit}"
                    break
        calls.append({"api": step["action"], "parameters": params, "observation": obs})
    plan = [{"api": c["api"], "parameters": c["parameters"]} for c in calls]
    return {"query": episode.request, "calling": plan}


def simulate(
    llm: ChatLLM,
    tools: Sequence[Tool],
    n: int,
    *,
    seed: int = 0,
    max_steps: int = 4,
    tools_per_episode: int = 3,
    max_tokens: int = 200,
    on_round: Callable[[], None] | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], Report]:
    """Run ``n`` episodes; returns (kept trajectories, their planner instances, report)."""
    if not tools:
        raise ConfigError("no tools to simulate")
    rng = random.Random(seed)
    groups = by_domain(tools)
    domains = list(groups)
    episodes = []
    for i in range(n):
        pool = groups[rng.choice(domains)]
        picked = rng.sample(pool, min(tools_per_episode, len(pool)))
        episodes.append(Episode(id=f"sim-{i}", tools=picked))

    # 1. the user agent writes each request
    asks = [
        Request.chat(
            _USER_SYSTEM,
            _USER_PROMPT.format(docs=_docs(e.tools)),
            max_tokens=min(80, max_tokens),
            temperature=0.9,
            seed=seed * 1_000_003 + i,
        )
        for i, e in enumerate(episodes)
    ]
    for e, text in zip(episodes, complete_many(llm, asks), strict=True):
        if isinstance(text, Exception):
            e.failure = ("llm_error", str(text))
        else:
            e.request = " ".join(text.strip().split())[:400]
            if len(e.request) < 10:
                e.failure = ("empty_request", f"the user agent wrote {text!r}")

    # 2. assistant and executor take turns, one round of steps for all open episodes at a time
    for step_no in range(max_steps):
        live = [e for e in episodes if e.open]
        if not live:
            break
        moves = complete_many(
            llm,
            [
                Request.chat(
                    _ASSISTANT_SYSTEM,
                    _ASSISTANT_PROMPT.format(
                        docs=_docs(e.tools), request=e.request, history=e.history()
                    ),
                    json_schema=_step_schema(e.tools),
                    max_tokens=max_tokens,
                    temperature=0.3,
                    seed=seed * 1_000_003 + int(e.id.split("-")[1]) * 31 + step_no,
                )
                for e in live
            ],
        )
        pending: list[tuple[Episode, dict[str, Any], Tool]] = []
        for e, text in zip(live, moves, strict=True):
            if isinstance(text, Exception):
                e.failure = ("llm_error", str(text))
                continue
            move, verdict = parse_json(text)
            if not verdict.kept or not isinstance(move, dict):
                e.failure = ("invalid_step", verdict.detail or f"not an object: {text[:80]!r}")
                continue
            action, arguments = move.get("action"), move.get("action_input")
            if not isinstance(arguments, dict):
                e.failure = ("invalid_action_input", f"action_input is {arguments!r}")
                continue
            step = {"thought": move.get("thought", ""), "action": action, "action_input": arguments}
            if action == FINISH:
                step["observation"] = None
                e.steps.append(step)
                e.final_answer = str(arguments.get("answer", "")).strip() or "(done)"
                continue
            tool = next((t for t in e.tools if t.name == action), None)
            if tool is None:
                step["observation"] = {"error": f"no API named {action!r}"}
                e.steps.append(step)
                continue
            problem = _validate_call(tool, arguments)
            if problem:
                step["observation"] = {"error": problem}
                e.steps.append(step)
                continue
            e.steps.append(step)
            pending.append((e, step, tool))
        replies = complete_many(
            llm,
            [
                executor_request(tool, step["action_input"], seed * 7 + k, max_tokens)
                for k, (_, step, tool) in enumerate(pending)
            ],
        )
        for (_, step, _), text in zip(pending, replies, strict=True):
            if isinstance(text, Exception):
                step["observation"] = {"error": f"executor failed: {text}"}
                continue
            value, verdict = parse_json(text)
            step["observation"] = (
                value if verdict.kept and isinstance(value, dict) else {"error": verdict.detail}
            )
        if on_round is not None:
            on_round()

    report = Report()
    catalog = {t.name: t for t in tools}
    trajectories, instances = [], []
    for e in episodes:
        verdict = None
        if e.failure:
            verdict = reject(*e.failure)
        elif e.final_answer is None:
            verdict = reject("no_final_answer", f"no {FINISH} within {max_steps} steps")
        else:
            record = to_instance(e, catalog)
            if not record["calling"]:
                verdict = reject("no_action", "finished without a successful API call")
            else:
                verdict = check_instance(record, catalog)
        report.add(verdict, e.to_json())
        if verdict.kept:
            trajectories.append(e.to_json())
            instances.append(seal_instance(e.id, record, catalog))
    return trajectories, instances, report


def _docs(tools: Sequence[Tool]) -> str:
    return "\n".join(tool_doc(t) for t in tools)
