"""The CLI end to end, in-process (typer's runner) on the six-tool toolset."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from toolrag.cli import app
from toolrag.instances import read_instances

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def test_build_retrieve_info(six_tools_file, tmp_path):
    out = tmp_path / "idx"
    res = run("index", "build", six_tools_file, "--out", out, "--json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["tools"] == 6
    res = run("retrieve", "What is the weather in Paris?", "--index", out, "-k", "2", "--json")
    assert res.exit_code == 0, res.output
    hits = json.loads(res.stdout)
    assert [h["rank"] for h in hits] == [1, 2] and hits[0]["name"] == "getWeather"
    res = run("retrieve", "convert euros", "--index", out, "--mode", "bm25")
    assert res.exit_code == 0 and "convertCurrency" in res.stdout
    res = run(
        "retrieve",
        "Convert 100 EUR to USD. Then book a flight to Rome.",
        "--index",
        out,
        "-k",
        "2",
        "--decompose",
        "--json",
    )
    assert {h["name"] for h in json.loads(res.stdout)} == {"convertCurrency", "bookFlight"}
    res = run("index", "info", out, "--json")
    assert json.loads(res.stdout)["tool_count"] == 6


def test_add_remove(six_tools_file, tmp_path):
    out = tmp_path / "idx"
    assert run("index", "build", six_tools_file, "--out", out).exit_code == 0
    extra = tmp_path / "extra.json"
    extra.write_text(
        json.dumps(
            {
                "tools": [
                    {
                        "name": "getTime",
                        "description": "Current time",
                        "inputSchema": {"type": "object"},
                    }
                ]
            }
        )
    )
    res = run("index", "add", out, extra, "--json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout) == {"tools": 7, "encoded": 1, "reused": 6}
    res = run("index", "remove", out, "getTime", "sendEmail", "--json")
    assert json.loads(res.stdout) == {"tools": 5, "encoded": 0, "reused": 5}
    res = run("index", "remove", out, "nope")
    assert res.exit_code == 2 and "not in the index" in res.stderr


def test_eval_retrieval_writes_json_and_markdown(six_tools_file, tmp_path):
    out = tmp_path / "idx"
    run("index", "build", six_tools_file, "--out", out)
    inst = tmp_path / "inst.jsonl"
    inst.write_text(
        "\n".join(
            json.dumps(x)
            for x in [
                {
                    "id": "a",
                    "query": "weather in Paris",
                    "calling": [
                        {
                            "api": "getWeather",
                            "parameters": {"city": "Paris"},
                            "responses": ["API_call_0"],
                        }
                    ],
                },
                {
                    "id": "b",
                    "query": "book a flight then email it",
                    "calling": [
                        {"api": "bookFlight", "parameters": {}, "responses": ["API_call_0"]},
                        {"api": "sendEmail", "parameters": {"body": "API_call_0"}, "responses": []},
                    ],
                },
            ]
        )
    )
    res_file = tmp_path / "res.json"
    res = run(
        "eval",
        "retrieval",
        "--index",
        out,
        "--instances",
        inst,
        "--mode",
        "bm25",
        "--mode",
        "hybrid",
        "--no-decompose",
        "--out",
        res_file,
        "--json",
    )
    assert res.exit_code == 0, res.output
    results = json.loads(res_file.read_text())["results"]
    assert set(results) == {"bm25", "hybrid"}
    assert results["hybrid"]["overall"]["n"] == 2 and results["hybrid"]["nested"]["n"] == 1
    # six tools, obvious queries: each needed tool is ranked first or second
    for mode in ("bm25", "hybrid"):
        assert results[mode]["overall"]["R@3"] == 1.0, results[mode]["overall"]
    assert results["hybrid"]["single"]["MRR"] == 1.0
    assert "## nested" in res_file.with_suffix(".md").read_text()


def test_errors_are_clear_and_exit_2(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"api_name": "a"}\nnot json\n')
    res = run("index", "build", bad, "--out", tmp_path / "idx")
    assert res.exit_code == 2 and "line 2" in res.stderr and "not valid JSON" in res.stderr
    assert not (tmp_path / "idx").exists(), "nothing is written on bad input"
    res = run("retrieve", "x", "--index", tmp_path / "nowhere")
    assert res.exit_code == 2 and "index build" in res.stderr
    res = run("retrieve", "x", "--index", tmp_path, "--mode", "sparse")
    assert res.exit_code == 2 and "sparse" in res.output


def test_quickstart_on_the_bundled_sample(tmp_path):
    res = run("quickstart", "--out", tmp_path / "qs", "--json", "-k", "3")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["tools"] == 88
    answers = data["results"]
    weather = next(q for q in answers if "weather" in q.lower())
    assert "get_current_weather" in answers[weather]
    rollback = next(q for q in answers if "roll it back" in q)
    assert {"rollback_deployment", "query_logs"} <= set(answers[rollback])
    # the main job ends in an ask: a parsed plan over the retrieved tools, checked and executed
    ask = data["ask"]
    assert ask["plan"]["format_ok"]
    names = {c["name"] for c in ask["candidates"]}
    assert all(call["api"] in names for call in ask["plan"]["calls"])
    assert len(ask["trace"]) == (0 if ask["violations"] else len(ask["plan"]["calls"]))


def _commands(typer_app, path=()):
    """Every command path of a Typer app, read from the app itself."""
    for info in typer_app.registered_commands:
        yield (*path, info.name or info.callback.__name__.replace("_", "-"))
    for group in typer_app.registered_groups:
        yield from _commands(group.typer_instance, (*path, group.name))


def test_help_for_every_command():
    commands = list(_commands(app))
    assert len(commands) >= 20
    assert {("index", "build"), ("train", "planner"), ("datagen", "simulate"), ("ask",)} <= set(
        commands
    )
    for path in [(), *commands]:
        res = run(*path, "--help")
        assert res.exit_code == 0 and "Usage" in res.stdout, path


def test_python_m_lists_the_same_commands_as_the_app():
    import subprocess
    import sys

    groups = {g.name: g.typer_instance for g in app.registered_groups}
    for name, group in groups.items():
        out = subprocess.run(
            [sys.executable, "-m", "toolrag.cli", name, "--help"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for (command,) in _commands(group):
            assert command in out, (name, command)


def test_only_project_errors_become_one_line_messages(monkeypatch, six_index_dir):
    from toolrag.cli import cmd_retrieve
    from toolrag.errors import ConfigError

    def boom(*args, **kwargs):
        raise KeyError("getDetails")  # a bug: must not be hidden behind "error: getDetails"

    monkeypatch.setattr(cmd_retrieve, "_retriever", boom)
    res = run("retrieve", "weather", "--index", six_index_dir)
    assert res.exit_code == 1 and isinstance(res.exception, KeyError)

    def refuse(*args, **kwargs):
        raise ConfigError("k must be at least 1")

    monkeypatch.setattr(cmd_retrieve, "_retriever", refuse)
    res = run("retrieve", "weather", "--index", six_index_dir)
    assert res.exit_code == 2 and "error: k must be at least 1" in res.stderr


def test_cli_modules_stay_small():
    from pathlib import Path

    import toolrag.cli

    folder = Path(toolrag.cli.__file__).parent
    sizes = {f.name: len(f.read_text().splitlines()) for f in folder.glob("*.py")}
    assert len(sizes) >= 8 and max(sizes.values()) <= 300, sizes


def test_ask_rejects_an_unknown_execute_mode(six_index_dir):
    res = run("ask", "weather in Paris", "--index", six_index_dir, "--execute", "really")
    assert res.exit_code == 2 and "simulate" in res.output


def test_an_unknown_plan_pass_is_a_clear_error(six_index_dir):
    for command in ("plan", "ask"):
        res = run(command, "weather in Paris", "--index", six_index_dir, "--without", "cover")
        out = " ".join(res.output.split())
        assert res.exit_code == 2 and "unknown planner pass(es) 'cover'" in out, out
        assert "valid: ground_values, in_order" in out


def test_an_unknown_planner_precision_or_engine_is_a_clear_error(six_index_dir):
    res = run("plan", "weather in Paris", "--index", six_index_dir, "--precision", "int3")
    out = " ".join(res.output.split())
    assert res.exit_code == 2 and "'int8', 'int4', 'fp32'" in out, out
    res = run("plan", "x", "--index", six_index_dir, "--engine", "torch", "--precision", "int4")
    out = " ".join(res.output.split())
    assert res.exit_code == 2 and "with engine='torch'" in out and "'fp32', 'int8'" in out, out
    res = run("plan", "x", "--index", six_index_dir, "--engine", "tpu")
    assert res.exit_code == 2 and "engine='tpu'" in " ".join(res.output.split())


def test_eval_planner_needs_an_index_for_retrieved_candidates(tmp_path):
    inst = tmp_path / "i.jsonl"
    inst.write_text('{"id": "a", "query": "q", "calling": []}\n')
    res = run("eval", "planner", "--instances", inst, "--candidates", "retrieved:5")
    assert res.exit_code == 2 and "--index" in res.output
    res = run("eval", "planner", "--instances", inst, "--candidates", "gold")
    assert res.exit_code == 2 and "oracle5" in res.output


def test_datagen_pipeline_on_the_real_local_model(six_tools_file, smol_folder, tmp_path):
    """The whole generation pipeline at tiny scale with the packaged SmolLM2 (quality does not
    matter here): every stage runs, writes its outputs and reports, and a rerun is served from
    the LLM cache."""
    fields = tmp_path / "fields.txt"
    fields.write_text("Oceanography\n")
    llm = f"local:{smol_folder}"
    tools_out = tmp_path / "tools.jsonl"
    res = run(
        "datagen",
        "tools",
        "--fields",
        fields,
        "--per-field",
        1,
        "--out",
        tools_out,
        "--existing",
        six_tools_file,
        "--llm",
        llm,
        "--max-tokens",
        200,
        "--json",
    )
    assert res.exit_code == 0, res.output
    tools_report = json.loads(res.stdout)
    assert tools_report["generated"] == 1 and tools_out.exists()
    assert json.loads(tools_out.with_name("tools.jsonl.report.json").read_text())["llm_calls"] == 1

    inst_out = tmp_path / "instances.jsonl"
    res = run(
        "datagen",
        "instances",
        "--tools",
        six_tools_file,
        "--n",
        2,
        "--kinds",
        "single,nested",
        "--out",
        inst_out,
        "--llm",
        llm,
        "--max-tokens",
        48,
        "--json",
    )
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    assert summary["generated"] == 2
    assert summary["kept"] + sum(summary["rejected_by_reason"].values()) == 2
    kept = inst_out.read_text().splitlines()
    assert len(kept) == summary["kept"]
    if kept:
        assert len(read_instances(inst_out)) == summary["kept"]

    traj_out = tmp_path / "trajectories.jsonl"
    args = [
        "datagen",
        "simulate",
        "--tools",
        six_tools_file,
        "--n",
        1,
        "--max-steps",
        1,
        "--out",
        traj_out,
        "--llm",
        llm,
        "--max-tokens",
        48,
        "--json",
    ]
    res = run(*args)
    assert res.exit_code == 0, res.output
    first = json.loads(res.stdout)
    assert first["generated"] == 1
    assert (tmp_path / "trajectories.instances.jsonl").exists()
    report = json.loads(traj_out.with_name("trajectories.jsonl.report.json").read_text())
    assert report["llm_calls"] >= 2  # the user agent and at least one assistant step
    again = run(*args)
    assert again.exit_code == 0
    report = json.loads(traj_out.with_name("trajectories.jsonl.report.json").read_text())
    assert report["llm_calls"] == 0  # resumed entirely from the cache
    assert json.loads(again.stdout) == first


def test_datagen_examples_that_fit_no_tool_are_a_clear_error(six_tools_file, tmp_path):
    examples = tmp_path / "examples.jsonl"
    examples.write_text(
        '{"id": "x", "query": "News about Rome?", '
        '"calling": [{"api": "getNews", "parameters": {"topic": "Rome"}}]}\n'
    )
    out = tmp_path / "instances.jsonl"
    res = run(
        "datagen", "instances", "--tools", six_tools_file, "--n", 1, "--out", out,
        "--examples", examples,
    )  # fmt: skip
    assert res.exit_code == 2 and "no instance usable as an example" in res.output
    assert not out.exists()


def test_every_training_config_field_is_reachable_from_its_command(monkeypatch, tmp_path):
    import dataclasses

    from toolrag import trainer
    from toolrag.trainer import distill, planner, retriever, selector  # noqa: F401  (loads them)

    commands = {
        "retriever": (trainer.retriever, "train_retriever", trainer.retriever.RetrieverTrainConfig),
        "query-encoder": (trainer.distill, "distill_query_encoder", trainer.distill.DistillConfig),
        "selector": (trainer.selector, "train_selector", trainer.selector.SelectorTrainConfig),
        "planner": (trainer.planner, "train_planner", trainer.planner.PlannerTrainConfig),
    }
    seen = {}

    class Stop(Exception):
        pass

    for command, (module, function, config) in commands.items():

        def capture(cfg, *args, _command=command, **kwargs):
            seen[_command] = cfg
            raise Stop

        monkeypatch.setattr(module, function, capture)
        base = ["train", command, "--train", "t.jsonl", "--tools", "x.jsonl", "--out", tmp_path]
        for f in dataclasses.fields(config):
            default = getattr(config(train="t", tools=[], out=tmp_path), f.name)
            if isinstance(default, list):
                value, expected = "a.jsonl,b.jsonl", ["a.jsonl", "b.jsonl"]
            elif default is None or f.name == "init_adapter":
                continue
            elif isinstance(default, bool):
                value, expected = str(not default).lower(), not default
            elif isinstance(default, float) and 0 < default < 1:
                value, expected = str(default / 2), default / 2  # shares stay in (0, 1)
            elif isinstance(default, int | float):
                value, expected = str(default + 1), default + 1
            else:
                value, expected = str(default), default
            res = run(*base, "--set", f"{f.name}={value}")
            assert isinstance(res.exception, Stop), (command, f.name, res.output)
            got = getattr(seen[command], f.name)
            got = [str(g) for g in got] if isinstance(got, list) else got
            assert got == expected or str(got) == str(expected), (command, f.name, got)
    res = run(
        "train", "planner", "--train", "t", "--tools", "x", "--out", tmp_path, "--set", "nope=1"
    )
    assert res.exit_code == 2 and "KEY one of" in res.stderr


def test_a_query_that_cannot_be_encoded_is_one_line_and_exit_2(six_index_dir):
    # an undecodable byte in argv arrives as a lone surrogate (surrogateescape)
    for command in ("retrieve", "plan", "ask"):
        result = run(command, "weather \udcff in Paris", "--index", six_index_dir)
        assert result.exit_code == 2, (command, result.output)
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and "not valid Unicode text" in lines[0] and "\\udcff" in lines[0]
