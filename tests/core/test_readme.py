"""The README stays short and true: its Python runs, and every `toolrag` command line in it
parses against the real CLI (options and arguments checked by click, nothing executed)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest
import typer

from toolrag.cli import app

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, flags=re.S)


def _command_lines() -> list[str]:
    lines = []
    for block in _blocks("bash"):
        joined = block.replace("\\\n", " ")
        for line in joined.splitlines():
            line = line.split(" #")[0].strip()
            if "toolrag " in line and not line.startswith("#"):
                lines.append(line[line.index("toolrag ") :].split(" && ")[0])
    return lines


def test_the_readme_is_short():
    assert len(README.splitlines()) <= 400
    assert "COLD_START_TABLE" not in README


@pytest.mark.parametrize("line", _command_lines())
def test_every_cli_line_in_the_readme_parses(line):
    args = shlex.split(line)[1:]
    command: click.Command = typer.main.get_command(app)
    ctx = command.make_context("toolrag", list(args), resilient_parsing=False)
    while isinstance(command, click.Group) and ctx.protected_args + ctx.args:
        name, *rest = ctx.protected_args + ctx.args
        command = command.get_command(ctx, name)
        assert command is not None, f"no command {name!r} in {line!r}"
        ctx = command.make_context(name, rest, parent=ctx)


def test_the_readme_names_commands_that_exist():
    assert len(_command_lines()) >= 15


def test_the_python_example_runs(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (code,) = _blocks("python")
    exec(compile(code, "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "ToolCall(api='add'" in out and "'a': 2" in out
