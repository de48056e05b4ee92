"""Hypothesis over the toolset loaders: whatever a file holds (random JSON shapes, random bytes,
Unicode edge cases such as lone surrogate escapes, NUL and BOMs), loading it either gives tools
or raises the project's own error naming the file, and the line where it names one."""

from __future__ import annotations

import itertools
import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolrag.errors import ToolragError
from toolrag.index.errors import ToolsetError
from toolrag.index.toolset import load_toolset
from toolrag.types import Tool

EXAMPLES = 40
SLOW_EXAMPLES = 1000
COUNTER = itertools.count()

chars = st.one_of(
    st.characters(codec=None),
    st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),
    st.sampled_from(["\x00", "\ufeff", "\u2028", "\n", '"', "\\"]),
)
texts = st.text(chars, max_size=12)
keys = st.one_of(
    st.sampled_from(
        [
            "name",
            "api_name",
            "description",
            "api_description",
            "parameters",
            "required",
            "responses",
            "type",
            "properties",
            "tools",
            "function",
            "inputSchema",
            "paths",
            "openapi",
            "field",
            "enum",
        ]
    ),
    texts,
)
values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), texts),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=5),
    max_leaves=20,
)
records = st.dictionaries(keys, values, max_size=6)
# a plausible tool now and then, so that the parsers get past detection
tools = st.builds(
    lambda name, desc, params: {"api_name": name, "api_description": desc, "parameters": params},
    texts,
    texts,
    st.dictionaries(texts, st.dictionaries(keys, values, max_size=3), max_size=3),
)
jsonl_files = st.lists(st.one_of(records, tools, values), min_size=1, max_size=5).map(
    lambda rows: "\n".join(json.dumps(r) for r in rows).encode()
)
json_files = st.one_of(values, st.fixed_dictionaries({"tools": st.lists(records)})).map(
    lambda v: json.dumps(v, indent=1).encode()
)
files = st.one_of(
    st.tuples(st.just(".jsonl"), jsonl_files),
    st.tuples(st.just(".json"), json_files),
    st.tuples(st.sampled_from([".jsonl", ".json", ".yaml"]), st.binary(max_size=80)),
    st.tuples(st.just(".yaml"), texts.map(lambda t: t.encode("utf-8", "surrogatepass"))),
)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(file=files)
def test_loaders_raise_only_the_projects_errors_naming_file_and_line(tmp_path, file):
    check_one(tmp_path, file)


@pytest.mark.slow
@settings(
    max_examples=SLOW_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(file=files)
def test_loaders_many_more_files(tmp_path, file):
    check_one(tmp_path, file)


def check_one(tmp_path, file) -> None:
    suffix, content = file
    path = tmp_path / f"tools{next(COUNTER)}{suffix}"  # one file per example
    path.write_bytes(content)
    try:
        loaded = load_toolset(path)
    except ToolragError as err:  # ToolsetError, ConfigError: nothing else may come out
        text = str(err)
        assert str(path) in text, text
        assert "\ud800" not in text and not re.search("[\ud800-\udfff]", text)
        if isinstance(err, ToolsetError) and err.record and err.record.startswith("line "):
            line = int(err.record.split()[1])
            assert 1 <= line <= content.count(b"\n") + 1, (err.record, content)
        return
    assert loaded and all(isinstance(t, Tool) for t in loaded)
    for tool in loaded:  # what loads can be encoded and indexed
        tool.model_dump_json().encode("utf-8")
