"""The examples in the docstrings of the modules this project added for users hold."""

from __future__ import annotations

import doctest
import importlib

import pytest


@pytest.mark.parametrize(
    "module",
    [
        "toolrag.agent.config",
        "toolrag.agent.sample_values",
        "toolrag.index.formats.openapi",
        "toolrag.index.location",
        "toolrag.index.toolset",
        "toolrag.lazy",
    ],
)
def test_the_module_examples_hold(module):
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0
