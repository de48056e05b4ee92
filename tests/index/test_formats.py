from __future__ import annotations

import json

import pytest
import yaml

from toolrag.index.errors import ToolsetError
from toolrag.index.toolset import load_toolset
from toolrag.types import ParamType

OPENAI = [
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "Weather for a city",
            "parameters": {
                "type": "object",
                "properties": {
                    "city": {"type": "string", "description": "City"},
                    "units": {"type": "string", "enum": ["c", "f"]},
                },
                "required": ["city"],
            },
        },
    },
    {"type": "function", "function": {"name": "ping", "description": "No arguments"}},
]
MCP = {
    "tools": [
        {
            "name": "search_docs",
            "description": "Search documentation",
            "inputSchema": {
                "type": "object",
                "properties": {"query": {"type": "string"}, "limit": {"type": "integer"}},
                "required": ["query"],
            },
            "outputSchema": {"type": "object", "properties": {"hits": {"type": "array"}}},
        }
    ]
}
OPENAPI = {
    "openapi": "3.0.3",
    "info": {"title": "Pets", "version": "1"},
    "paths": {
        "/pets/{petId}": {
            "parameters": [{"name": "petId", "in": "path", "schema": {"type": "integer"}}],
            "get": {
                "operationId": "getPet",
                "summary": "Get a pet",
                "responses": {
                    "200": {
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}
                        }
                    }
                },
            },
            "delete": {"summary": "Delete a pet", "responses": {"204": {"description": "gone"}}},
        },
        "/pets": {
            "post": {
                "operationId": "createPet",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}
                    },
                },
                "responses": {"201": {"description": "ok"}},
            }
        },
    },
    "components": {
        "schemas": {
            "Pet": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string", "description": "Pet name"},
                    "age": {"type": "integer"},
                },
            }
        }
    },
}
ALPACA = [
    {
        "Name": "Dogs",
        "Description": "Dog facts",
        "Category": "Animals",
        "Function_Description": {
            "getBreed": 'Info about a breed.\nParameters: {"breed": "Required. string. The breed name", '
            '"limit": "integer. How many"}\nOutput: breed details',
            "components": "",
        },
    }
]


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return path


def test_seal_tools_fields(six_tools):
    weather = six_tools[0]
    assert (weather.name, weather.domain, weather.source_format) == (
        "getWeather",
        "Weather/Forecast",
        "seal",
    )
    assert weather.parameters[0].required and weather.parameters[0].type is ParamType.STRING
    assert weather.outputs[0].name == "temperature" and weather.outputs[0].type is ParamType.NUMBER


def test_openai(tmp_path):
    tools = load_toolset(write(tmp_path, "t.json", OPENAI))
    assert [t.name for t in tools] == ["get_weather", "ping"]
    city, units = tools[0].parameters
    assert city.required and not units.required and units.enum == ["c", "f"]
    assert tools[1].parameters == []
    assert tools[0].to_openai()["function"]["parameters"]["required"] == ["city"]


def test_mcp_bare_and_jsonrpc(tmp_path):
    tools = load_toolset(write(tmp_path, "m.json", MCP))
    assert tools[0].name == "search_docs" and tools[0].required == ["query"]
    assert tools[0].outputs[0].name == "hits"
    wrapped = {"jsonrpc": "2.0", "id": 1, "result": MCP}
    assert load_toolset(write(tmp_path, "rpc.json", wrapped)) == tools
    # the list of tools alone, as people paste it out of a tools/list result
    assert load_toolset(write(tmp_path, "list.json", MCP["tools"])) == tools


def test_an_openai_function_with_an_output_schema_keeps_its_outputs(tmp_path):
    fn = {
        "type": "function",
        "function": {
            "name": "find_airport",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
            "outputSchema": {"type": "object", "properties": {"airport_id": {"type": "string"}}},
        },
    }
    (tool,) = load_toolset(write(tmp_path, "f.json", [fn]))
    assert [o.name for o in tool.outputs] == ["airport_id"]
    assert [o.name for o in tool.returns] == ["airport_id"]
    plain = {"name": "ping", "parameters": {"type": "object", "properties": {}}}
    (tool,) = load_toolset(write(tmp_path, "g.json", [plain]))
    assert tool.outputs == [] and [o.name for o in tool.returns] == ["result"]


def test_openapi_json_and_yaml(tmp_path):
    for path in (
        write(tmp_path, "api.json", OPENAPI),
        write(tmp_path, "api.yaml", yaml.safe_dump(OPENAPI, sort_keys=False)),
    ):
        tools = {t.name: t for t in load_toolset(path)}
        assert set(tools) == {"getPet", "delete_pets_petId", "createPet"}
        assert (
            tools["getPet"].parameters[0].name == "petId" and tools["getPet"].parameters[0].required
        )
        assert [o.name for o in tools["getPet"].outputs] == ["name", "age"]
        assert {p.name: p.required for p in tools["createPet"].parameters} == {
            "name": True,
            "age": False,
        }


def test_toolalpaca(tmp_path):
    tools = load_toolset(write(tmp_path, "alpaca.json", ALPACA))
    assert [t.name for t in tools] == ["getBreed"]
    breed, limit = tools[0].parameters
    assert breed.required and breed.description == "The breed name"
    assert limit.type is ParamType.INTEGER and not limit.required
    assert tools[0].domain == "Animals/Dogs" and tools[0].outputs[0].description == "breed details"


def test_real_seal_toolset_loads(seal_available):
    from conftest import SEAL

    tools = load_toolset(SEAL / "tool.jsonl")
    assert len(tools) == 4076 and len({t.name for t in tools}) == 4076


def test_real_toolalpaca_shape_is_not_a_toolset(tmp_path):
    """public_apis.json lists APIs without functions: it must be refused, not half-read."""
    doc = {"count": 1, "entries": [{"API": "Cats", "Description": "Cat facts"}]}
    with pytest.raises(ToolsetError, match="could not recognise"):
        load_toolset(write(tmp_path, "apis.json", doc))


@pytest.mark.parametrize(
    ("name", "content", "fmt", "match"),
    [
        ("bad.jsonl", '{"api_name": "a"}\n{not json}\n', "auto", r"line 2: not valid JSON"),
        (
            "noname.jsonl",
            '{"api_name": "a"}\n{"api_name": ""}\n',
            "auto",
            r"line 2, field 'api_name'",
        ),
        (
            "req.jsonl",
            '{"api_name": "a", "parameters": {}, "required": ["x"]}\n',
            "auto",
            "unknown parameters",
        ),
        (
            "schema.json",
            [
                {
                    "type": "function",
                    "function": {
                        "name": "f",
                        "parameters": {"type": "object", "properties": {"x": {"type": "strnig"}}},
                    },
                }
            ],
            "auto",
            "invalid JSON Schema",
        ),
        (
            "notobj.json",
            [{"type": "function", "function": {"name": "f", "parameters": {"type": "array"}}}],
            "auto",
            "must have type 'object'",
        ),
        (
            "mcpname.json",
            {"tools": [{"description": "x", "inputSchema": {"type": "object"}}]},
            "mcp",
            r"tools\[0\], field 'name'",
        ),
        ("swagger.json", {"swagger": "2.0", "paths": {}}, "auto", "Convert the spec to OpenAPI 3"),
        (
            "ref.json",
            {
                "openapi": "3.0.0",
                "paths": {
                    "/a": {
                        "get": {
                            "responses": {
                                "200": {
                                    "content": {
                                        "application/json": {
                                            "schema": {"$ref": "#/components/schemas/Nope"}
                                        }
                                    }
                                }
                            }
                        }
                    }
                },
            },
            "auto",
            "points to nothing",
        ),
        ("what.json", {"hello": "world"}, "auto", "could not recognise"),
        ("empty.json", [], "openai", "no tools found"),
    ],
)
def test_bad_input_names_the_place(tmp_path, name, content, fmt, match):
    with pytest.raises(ToolsetError, match=match) as err:
        load_toolset(write(tmp_path, name, content), fmt)
    assert name in str(err.value)


def test_duplicates_error_or_keep_first(tmp_path, six_tools_file):
    again = write(
        tmp_path,
        "again.json",
        {
            "tools": [
                {"name": "getWeather", "description": "dup", "inputSchema": {"type": "object"}}
            ]
        },
    )
    with pytest.raises(ToolsetError, match="duplicate tool name 'getWeather'.*keep-first"):
        load_toolset([six_tools_file, again])
    tools = load_toolset([six_tools_file, again], on_duplicate="keep-first")
    assert len(tools) == 6 and tools[0].description.startswith("Get the current weather")


def test_forced_format_mismatch_finds_nothing(six_tools_file):
    with pytest.raises(ToolsetError, match="no tools found when read as mcp"):
        load_toolset(six_tools_file, "mcp")


def test_missing_file():
    with pytest.raises(ToolsetError, match="no such file"):
        load_toolset("does/not/exist.json")


PYTHON_TYPED = [
    {
        "name": "calculate_area",
        "description": "Area of a shape.",
        "parameters": {
            "type": "dict",
            "properties": {
                "base": {"type": "float", "description": "Base length"},
                "sides": {"type": "list[int]", "description": "Side lengths"},
                "point": {"type": "tuple", "items": {"type": "float"}},
                "extra": {"type": "any"},
                "unit": {"type": "str", "enum": ["m", "cm"]},
            },
            "required": ["base"],
        },
    }
]


def test_python_typed_schemas_are_normalised(tmp_path, caplog):
    (tool,) = load_toolset(write(tmp_path, "py.json", PYTHON_TYPED))
    types = {p.name: p.type.value for p in tool.parameters}
    assert types == {
        "base": "number",
        "sides": "array",
        "point": "array",
        "extra": "string",  # any value: planners pass it as given
        "unit": "string",
    }
    assert tool.required == ["base"] and tool.parameters[4].enum == ["m", "cm"]
    assert (
        "'dict' -> 'object'" in caplog.text and "'list[int]' -> array of 'integer'" in caplog.text
    )


def test_a_schema_that_cannot_be_normalised_names_file_record_and_field(tmp_path):
    bad = [
        dict(PYTHON_TYPED[0], parameters={"type": "dict", "properties": {"x": {"type": "frob"}}})
    ]
    with pytest.raises(ToolsetError, match=r"bad\.json.*calculate_area|bad\.json.*\[0\]") as err:
        load_toolset(write(tmp_path, "bad.json", bad))
    assert "properties.x.type" in str(err.value)


def test_wrapped_function_forms_people_paste(tmp_path):
    fn = {
        "name": "get_weather",
        "description": "Weather now.",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
    }
    anthropic = {k: v for k, v in fn.items() if k != "parameters"} | {
        "input_schema": fn["parameters"]
    }
    forms = {
        "bare.json": fn,
        "typed.json": {"type": "function", "function": fn},
        "functions.json": {"functions": [fn]},
        "anthropic.json": [anthropic],
        "anthropic_tools.json": {"tools": [anthropic]},
    }
    for name, content in forms.items():
        (tool,) = load_toolset(write(tmp_path, name, content))
        assert tool.name == "get_weather" and [p.name for p in tool.parameters] == ["city"], name


def test_text_that_is_not_unicode_is_refused_at_its_line(tmp_path):
    from toolrag.index.toolset import as_tools

    good = '{"api_name": "a", "api_description": "ok", "parameters": {}, "required": []}'
    bad = '{"api_name": "b", "api_description": "x \\ud800", "parameters": {}, "required": []}'
    (tmp_path / "s.jsonl").write_text(f"{good}\n{bad}\n")
    with pytest.raises(ToolsetError, match=r"s.jsonl, line 2, field 'api_description'.*Unicode"):
        load_toolset(tmp_path / "s.jsonl")
    (tmp_path / "b.jsonl").write_bytes(good.encode() + b"\n" + b'{"api_name": "\xff"}\n')
    with pytest.raises(ToolsetError, match=r"b.jsonl, line 2: not UTF-8 text \(byte 0xff\)"):
        load_toolset(tmp_path / "b.jsonl")
    pair = '{"name": "a", "description": "fine \\ud83d\\ude00"}'  # a pair is one character
    lone = '{"name": "b", "description": "x \\udc00"}'
    (tmp_path / "o.json").write_text(f'{{"tools": [\n  {pair},\n  {lone}\n]}}\n')
    with pytest.raises(ToolsetError, match=r"o.json, line 3, field 'tools\[1\].description'"):
        load_toolset(tmp_path / "o.json")
    with pytest.raises(ToolsetError, match="not valid Unicode"):
        as_tools([{"name": "c", "description": "y \udfff"}])


def test_an_openapi_body_field_named_like_a_path_parameter_is_one_parameter(tmp_path):
    spec = {
        "openapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/contacts/{id}": {
                "patch": {
                    "operationId": "updateContact",
                    "summary": "Update a contact",
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["id", "name"],
                                    "properties": {
                                        "id": {"type": "string"},
                                        "name": {"type": "string"},
                                    },
                                }
                            }
                        }
                    },
                }
            }
        },
    }
    (tool,) = load_toolset(write(tmp_path, "api.json", spec))
    assert [p.name for p in tool.parameters] == ["id", "name"]
    assert tool.to_openai()["function"]["parameters"]["required"] == ["id", "name"]


def test_an_openapi_3_0_spec_with_boolean_exclusive_bounds_loads(tmp_path):
    """OpenAPI 3.0 writes exclusive bounds as draft-4 booleans; they are read as 2020-12."""
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/items": {
                "get": {
                    "operationId": "listItems",
                    "summary": "List items",
                    "parameters": [
                        {
                            "name": "limit",
                            "in": "query",
                            "schema": {
                                "type": "integer",
                                "minimum": 0,
                                "exclusiveMinimum": True,
                                "maximum": 100,
                                "exclusiveMaximum": False,
                            },
                        }
                    ],
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "price": {
                                            "type": "number",
                                            "minimum": 0,
                                            "exclusiveMinimum": True,
                                        }
                                    },
                                }
                            }
                        }
                    },
                }
            }
        },
    }
    (tool,) = load_toolset(write(tmp_path, "api.json", spec))
    assert [p.name for p in tool.parameters] == ["limit", "price"]
    price = tool.to_openai()["function"]["parameters"]["properties"]["price"]
    assert price["exclusiveMinimum"] == 0 and "minimum" not in price
