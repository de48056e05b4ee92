"""The Milvus backend (real Milvus Lite, not a mock) answers as the folder index does, swaps
its alias atomically, and refuses what it cannot use with the fix."""

from __future__ import annotations

import threading
import time

import pytest

pytest.importorskip("pymilvus", reason='the Milvus backend is an extra: pip install -e ".[milvus]"')

from toolrag.errors import ConfigError
from toolrag.index.errors import IndexLoadError
from toolrag.index.milvus import connect, open_index, publish
from toolrag.retriever import (
    BM25Retriever,
    DenseRetriever,
    HybridRetriever,
    default_retriever,
)
from toolrag.types import Tool

QUERIES = {
    "weather": "What is the weather in Paris?",
    "money": "Convert 100 EUR to USD currency",
    "trip": "Book a flight to Rome and email the booking to my boss",
    "stock": "latest stock price of ACME",
    "none": "zzz qqq",
}


@pytest.fixture(scope="module")
def lite(tmp_path_factory):
    uri = str(tmp_path_factory.mktemp("milvus") / "tools.db")
    return uri, connect(uri)


@pytest.fixture(scope="module")
def published(six_index, lite):
    uri, client = lite
    publish(six_index, uri, "six", client=client)
    return open_index(uri, "six", client=client)


@pytest.mark.parametrize(
    "make", [BM25Retriever, DenseRetriever, HybridRetriever, default_retriever]
)
def test_every_retriever_gives_the_folder_index_answers(six_index, published, make):
    folder = make(six_index).search(QUERIES, 6)
    milvus = make(published).search(QUERIES, 6)
    assert folder.keys() == milvus.keys()
    for qid in QUERIES:
        assert list(milvus[qid]) == list(folder[qid]), qid
        for name, score in folder[qid].items():
            assert milvus[qid][name] == pytest.approx(score, abs=1e-4)


def test_the_selector_scores_as_on_the_folder_index(six_index, published):
    from toolrag.retriever.selector import resolve_selector

    query = QUERIES["trip"]
    tools = [h.tool for h in HybridRetriever(six_index).retrieve(query, 5)]
    here = resolve_selector("auto", six_index).select(query, tools).probabilities
    there = resolve_selector("auto", published).select(query, tools).probabilities
    assert there == pytest.approx(here)


def test_the_manifest_travels_and_is_checked(published, lite):
    uri, client = lite
    assert published.manifest["tool_count"] == 6
    assert published.manifest["backend"]["name"] == "milvus"
    with pytest.raises(IndexLoadError, match="embedding model"):
        open_index(uri, "six", client=client, model="minilm")
    with pytest.raises(IndexLoadError, match="no toolrag index named 'nope'"):
        open_index(uri, "nope", client=client)
    with pytest.raises(ConfigError, match="lives in Milvus"):
        published.save("anywhere")


def test_a_failed_rebuild_leaves_the_alias_on_the_old_collection(six_index, lite, monkeypatch):
    uri, client = lite
    publish(six_index, uri, "safe", client=client)
    before = set(client.list_collections())

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(client, "insert", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        publish(six_index, uri, "safe", client=client)
    monkeypatch.undo()
    assert set(client.list_collections()) == before  # the half-written collection is gone
    assert len(open_index(uri, "safe", client=client).tools) == 6


def test_readers_never_see_a_half_index_while_it_is_republished(six_index, lite):
    uri, client = lite
    first = publish(six_index, uri, "live", client=client)
    reader = open_index(uri, "live", client=client)
    errors, empty, reads = [], 0, 0
    stop = threading.Event()

    def read() -> None:
        nonlocal empty, reads
        while not stop.is_set():
            try:
                hits = HybridRetriever(reader).retrieve(QUERIES["weather"], 3)
                reads += 1
                empty += not hits
            except Exception as err:  # any error is a failure of the swap
                errors.append(err)

    thread = threading.Thread(target=read)
    thread.start()
    extra = Tool(name="getTides", description="Tide times for a harbour")
    grown = first.republished(add=[extra])
    shrunk = grown.republished(remove=["getTides"])
    time.sleep(0.2)
    stop.set()
    thread.join()
    assert errors == [] and empty == 0 and reads > 0
    assert [t.name for t in shrunk.tools] == [t.name for t in six_index.tools]
    assert len([c for c in client.list_collections() if c.startswith("live__")]) == 1
    assert "getTides" not in {t.name for t in reader.refresh().tools}  # the alias's view now
    assert len(reader.tools) == 6


def test_an_unreachable_server_fails_fast_with_the_fix():
    start = time.perf_counter()
    with pytest.raises(ConfigError, match="cannot reach Milvus"):
        connect("http://127.0.0.1:9", timeout=2)
    assert time.perf_counter() - start < 15


def test_a_token_comes_from_the_environment_only(monkeypatch):
    monkeypatch.delenv("NO_SUCH_MILVUS_TOKEN", raising=False)
    with pytest.raises(ConfigError, match="NO_SUCH_MILVUS_TOKEN"):
        connect("http://127.0.0.1:9", token_env="NO_SUCH_MILVUS_TOKEN")


def test_the_cli_builds_retrieves_and_updates_a_milvus_index(six_tools_file, tmp_path):
    from typer.testing import CliRunner

    from toolrag.cli import app

    spec = f"milvus:{tmp_path / 'cli.db'}#tools"
    runner = CliRunner()
    build = ["index", "build", str(six_tools_file), "--out", spec, "--ann", "hnsw", "--json"]
    built = runner.invoke(app, build)
    assert built.exit_code == 0, built.output
    hits = runner.invoke(
        app, ["retrieve", "What is the weather in Paris?", "--index", spec, "--json"]
    )
    assert hits.exit_code == 0, hits.output
    assert '"getWeather"' in hits.output.split("}")[0]  # the best hit
    removed = runner.invoke(app, ["index", "remove", spec, "getWeather", "--json"])
    assert removed.exit_code == 0 and '"tools": 5' in removed.output
    backend = open_index(str(tmp_path / "cli.db"), "tools").manifest["backend"]
    assert backend["dense_index"] == "HNSW"  # the update kept the build's index type
    bad = runner.invoke(app, ["retrieve", "weather", "--index", "milvus:./x.db"])
    assert bad.exit_code == 2 and "milvus:URI#NAME" in bad.output


def test_the_http_server_serves_a_milvus_index(published, loopback):
    import httpx

    from toolrag.agent.agent import Agent
    from toolrag.agent.planner import PlanResult
    from toolrag.agent.server import create_app

    class NoPlanner:
        name = "none"

        def plan(self, query, tools, selected=None):
            return PlanResult(calls=[], text="[]", format_ok=True)

    with loopback(create_app(Agent(published, NoPlanner(), k=3))) as url:
        r = httpx.post(f"{url}/retrieve", json={"query": QUERIES["weather"], "k": 2})
        assert r.status_code == 200 and r.json()["tools"][0]["name"] == "getWeather"


def test_milvus_lite_serves_one_process_so_sharing_needs_a_server(published, lite):
    """Why two `toolrag serve` processes cannot share a Milvus Lite file: the second process is
    refused with a clear line (sharing one index between servers needs a Milvus server)."""
    import subprocess
    import sys

    uri, _ = lite
    code = (
        "from toolrag.index.location import load_index\n"
        "from toolrag.errors import ToolragError\n"
        "try:\n"
        f"    load_index('milvus:{uri}#six')\n"
        "    print('OPENED')\n"
        "except ToolragError as err:\n"
        "    print('REFUSED', err)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert "REFUSED cannot reach Milvus" in out.stdout, out.stdout + out.stderr[-500:]


def test_an_approximate_dense_index_is_chosen_at_publish_and_kept_by_updates(six_index, lite):
    uri, client = lite
    with pytest.raises(ConfigError, match="dense_index must be one of"):
        publish(six_index, uri, "approx", client=client, dense_index="PQ")
    index = publish(six_index, uri, "approx", client=client, dense_index="HNSW")
    backend = open_index(uri, "approx", client=client).manifest["backend"]
    assert backend["dense_index"] == "HNSW" and backend["dense_search"] == {"ef": 128}
    folder = DenseRetriever(six_index).search(QUERIES, 3)
    assert {q: list(r) for q, r in DenseRetriever(index).search(QUERIES, 3).items()} == {
        q: list(r) for q, r in folder.items()
    }  # six tools: the graph finds them all
    extra = Tool(name="getTide", description="Tide times for a harbour")
    updated = index.republished(add=[extra])
    assert updated.manifest["backend"]["dense_index"] == "HNSW"
    assert "getTide" in {t.name for t in open_index(uri, "approx", client=client).tools}
