"""The front door: ``toolrag.ToolRAG`` and ``toolrag.plan`` wire what the CLI wires, and take
function schemas as Python objects."""

from __future__ import annotations

import subprocess
import sys

import pytest

import toolrag
from toolrag.agent.config import PlannerConfig
from toolrag.errors import ConfigError
from toolrag.index.errors import ToolsetError
from toolrag.index.toolset import as_tools
from toolrag.types import Tool


def _number_schema(*names: str) -> dict:
    return {
        "type": "object",
        "properties": {n: {"type": "number"} for n in names},
        "required": list(names),
    }


ADD = {"name": "add", "description": "Add two numbers", "parameters": _number_schema("a", "b")}
MULTIPLY = {
    "type": "function",
    "function": {
        "name": "multiply",
        "description": "Multiply two numbers",
        "parameters": _number_schema("x", "y"),
    },
}
ANTHROPIC = {"name": "negate", "description": "Negate", "input_schema": _number_schema("v")}
MCP_LIST = {
    "tools": [
        {
            "name": "echo",
            "description": "Echo text",
            "inputSchema": {"type": "object", "properties": {"text": {"type": "string"}}},
        }
    ]
}


def test_as_tools_reads_every_shape_a_user_holds():
    tools = as_tools([ADD, MULTIPLY, ANTHROPIC, MCP_LIST, Tool(name="noop", description="n")])
    assert [(t.name, [p.name for p in t.parameters]) for t in tools] == [
        ("add", ["a", "b"]),
        ("multiply", ["x", "y"]),
        ("negate", ["v"]),
        ("echo", ["text"]),
        ("noop", []),
    ]
    assert [t.name for t in as_tools(ADD)] == ["add"]  # one schema, not in a list


def test_as_tools_refuses_what_it_cannot_use_with_the_fix():
    with pytest.raises(ToolsetError, match="duplicate tool name 'add'"):
        as_tools([ADD, ADD])
    with pytest.raises(ConfigError, match="pass at least one"):
        as_tools([])
    with pytest.raises(ToolsetError, match="could not recognise"):
        as_tools([{"foo": 1}])


def test_planner_config_checks_its_fields_and_names_the_valid_ones():
    assert PlannerConfig().with_options(max_calls=3).max_calls == 3
    assert not PlannerConfig().without("cover_values").runs("cover_values")
    with pytest.raises(ConfigError, match="call, plan"):
        PlannerConfig(distinct_scope="sometimes")
    with pytest.raises(ConfigError, match="valid: .*max_calls"):
        PlannerConfig().with_options(max_call=3)
    with pytest.raises(ConfigError, match=r"without\('cover_values'\)"):  # the old spelling
        PlannerConfig().with_options(cover_values=False)
    with pytest.raises(ConfigError, match="unknown planner pass.*valid: ground_values"):
        PlannerConfig().without("cover")
    with pytest.raises(ConfigError, match="max_calls must be at least 1"):
        PlannerConfig(max_calls=0)


def test_import_toolrag_is_cheap_and_every_front_door_name_resolves():
    code = (
        "import sys, toolrag\n"
        "heavy = [m for m in ('torch', 'transformers', 'faiss', 'toolrag.index') if m in sys.modules]\n"
        "names = [n for n in toolrag.__all__ if getattr(toolrag, n) is None]\n"
        "print(heavy, names)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # resolving the names imports the index (FAISS) on purpose; `import toolrag` alone does not
    assert out.stdout.strip().endswith("[]"), out.stdout + out.stderr
    light = subprocess.run(
        [sys.executable, "-c", "import sys, toolrag; print('torch' in sys.modules)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert light.stdout.strip() == "False"


def test_tool_rag_retrieves_without_loading_a_planner(six_tools):
    rag = toolrag.ToolRAG.from_tools(six_tools)
    hits = rag.retrieve("What's the weather in Paris?", k=2)
    assert hits[0].tool.name == "getWeather"
    assert rag._agent is None  # the planner loads on the first plan, not before


def test_tool_rag_saves_and_loads(six_tools, tmp_path):
    rag = toolrag.ToolRAG.from_tools(six_tools)
    rag.save(tmp_path / "idx")
    again = toolrag.ToolRAG.load(tmp_path / "idx")
    query = "Convert 100 euros to dollars"
    assert [h.tool.name for h in again.retrieve(query, 3)] == [
        h.tool.name for h in rag.retrieve(query, 3)
    ]


def test_plan_a_two_function_list_with_the_real_planner():
    result = toolrag.plan("Multiply 6 by 7", [ADD, MULTIPLY])
    assert [(c.api, c.parameters) for c in result.calls] == [("multiply", {"x": 6, "y": 7})]


def test_a_function_without_an_output_schema_feeds_a_later_call_with_the_real_planner():
    gdp = {
        "name": "get_gdp",
        "description": "GDP of a country in US dollars",
        "parameters": {
            "type": "object",
            "properties": {"country": {"type": "string"}},
            "required": ["country"],
        },
    }
    code = {"type": "string", "description": "ISO currency code, e.g. USD"}
    convert = {
        "name": "convert_currency",
        "description": "Convert an amount of money from one currency to another",
        "parameters": {
            "type": "object",
            "properties": {
                "amount": {"type": "number"},
                "from_currency": code,
                "to_currency": code,
            },
            "required": ["amount", "from_currency", "to_currency"],
        },
    }
    registry = toolrag.ToolRegistry()
    registry.update(
        {
            "get_gdp": lambda country: 3.05e12,
            "convert_currency": lambda amount, from_currency, to_currency: amount * 0.5,
        }
    )
    rag = toolrag.ToolRAG.from_tools([gdp, convert], registry=registry)
    answer = rag.ask("Find the GDP of France, then convert it to euros")
    assert [(c.api, c.parameters) for c in answer.plan.calls] == [
        ("get_gdp", {"country": "France"}),
        (
            "convert_currency",
            {"amount": "API_call_0", "from_currency": "USD", "to_currency": "EUR"},
        ),
    ]
    assert answer.trace[1].arguments["amount"] == 3.05e12  # the first call's result, passed on
    assert answer.trace[1].output == {"result": 1.525e12}
