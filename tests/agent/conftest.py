"""Fixtures for planner tests: the packaged SmolLM2 converted once per test session."""

from __future__ import annotations

import pytest

from agent.models import SMOLLM2, packaged_folder


@pytest.fixture(scope="session")
def smol_folder():
    try:
        return packaged_folder(SMOLLM2)
    except ImportError as err:
        pytest.skip(str(err))


@pytest.fixture(scope="session")
def smol_planner(smol_folder):
    from agent.planner import Planner

    return Planner.load(str(smol_folder), max_new_tokens=160)
