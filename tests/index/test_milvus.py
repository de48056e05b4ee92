"""The Milvus backend (real Milvus Lite, not a mock) answers as the folder index does, swaps
its alias atomically, and refuses what it cannot use with the fix."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

pytest.importorskip("pymilvus", reason='the Milvus backend is an extra: pip install -e ".[milvus]"')

from toolrag.errors import ConfigError, UnknownToolError
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
    assert published.manifest["tool_count"] == len(published) == 6
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
    real = client.alter_alias
    calls = []

    def second_move_fails(collection, alias):  # the df alias has moved, the tools' fails
        calls.append(alias)
        if len(calls) == 2:
            raise RuntimeError("network gone")
        return real(collection, alias)

    monkeypatch.setattr(client, "alter_alias", second_move_fails)
    with pytest.raises(RuntimeError, match="network gone"):
        publish(six_index, uri, "safe", client=client)
    monkeypatch.undo()
    assert set(client.list_collections()) == before
    assert client.describe_alias("safe__df")["collection_name"].startswith(
        client.describe_alias("safe")["collection_name"]
    )  # both aliases on the old build
    assert len(open_index(uri, "safe", client=client).all_tools()) == 6


def test_readers_never_see_a_half_index_while_it_is_republished(six_index, lite):
    uri, client = lite
    publish(six_index, uri, "live", client=client)
    reader = open_index(uri, "live", client=client)
    weather_dim = reader._df(["weather"])["weather"][0]
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
    publish(six_index.updated(add=[extra]), uri, "live", client=client)
    shrunk = publish(six_index, uri, "live", client=client)
    time.sleep(0.2)
    stop.set()
    thread.join()
    assert errors == [] and empty == 0 and reads > 0
    assert sorted(t.name for t in shrunk.all_tools()) == sorted(t.name for t in six_index.tools)
    assert len([c for c in client.list_collections() if c.startswith("live__")]) == 2  # + df
    assert "getTides" not in {t.name for t in reader.all_tools()}  # the alias's view, live
    dims = reader._df(["weather", "tide"])
    assert dims["weather"][0] == weather_dim  # rebuilds keep a token's dimension
    assert "tide" not in dims  # gone with the tool that had it


def test_updates_in_place_are_seen_by_open_readers_and_undo_exactly(six_index, lite):
    uri, client = lite
    writer = publish(six_index, uri, "inplace", client=client)
    reader = open_index(uri, "inplace", client=client)
    collections = set(client.list_collections())
    query = "Tide times for the harbour of Brest"
    before = BM25Retriever(reader).search({"q": QUERIES["weather"]}, 6)["q"]
    extra = Tool(name="getTides", description="Tide times for a harbour")
    writer.update(add=[extra])
    assert writer.manifest["last_build"] == {"encoded": 1, "reused": 0}
    assert set(client.list_collections()) == collections  # no new collection: rows upserted
    assert len(reader) == 7
    assert HybridRetriever(reader).retrieve(query, 1)[0].tool.name == "getTides"  # no refresh
    replaced = Tool(name="getTides", description="Tide times for a harbour", domain="sea")
    writer.update(add=[replaced])
    assert writer.manifest["last_build"] == {"encoded": 0, "reused": 1}  # same text
    assert HybridRetriever(reader).retrieve(query, 1)[0].tool.domain == "sea"  # refetched
    assert len(reader) == 7 and reader.tool("getTides").domain == "sea"
    writer.update(remove=["getTides"])
    assert len(reader) == 6
    assert "getTides" not in BM25Retriever(reader).search({"q": query}, 6)["q"]
    after = BM25Retriever(reader).search({"q": QUERIES["weather"]}, 6)["q"]
    assert after == pytest.approx(before, abs=1e-5)  # the df table is back where it was
    with pytest.raises(ConfigError, match="cannot remove tools not in the index"):
        writer.update(remove=["getTides"])
    with pytest.raises(UnknownToolError):
        reader.tool("getTides")
    writer.update(add=[extra])  # back again, under a name its readers met before
    assert HybridRetriever(writer).retrieve(query, 1)[0].tool.name == "getTides"
    accents = Tool(name="getMeteo", description='Prévisions météo "Zürich" \\ Genève')
    writer.update(add=[accents])  # tokens outside ASCII, quotes, backslashes in the filter
    hits = BM25Retriever(reader).search({"q": "météo Genève"}, 1)["q"]
    assert list(hits) == ["getMeteo"]


def test_an_index_published_by_an_older_toolrag_is_refused(six_index, lite):
    import json

    from toolrag.index.milvus import MANIFEST_PROPERTY

    uri, client = lite
    index = publish(six_index, uri, "old", client=client)
    manifest = index.manifest | {"backend": {"name": "milvus"}}
    client.alter_collection_properties(
        index.manifest["backend"]["collection"],
        properties={MANIFEST_PROPERTY: json.dumps(manifest)},
    )
    with pytest.raises(IndexLoadError, match="older toolrag.*publish it again"):
        open_index(uri, "old", client=client)


def test_concurrent_queries_keep_a_readers_rows_and_vectors_aligned(six_index, lite):
    """A server answers requests on several threads, and each may meet new tools at once."""
    from concurrent.futures import ThreadPoolExecutor

    uri, client = lite
    publish(six_index, uri, "threads", client=client)
    reader = open_index(uri, "threads", client=client)
    queries = list(QUERIES.values()) * 4
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda q: HybridRetriever(reader).retrieve(q, 6), queries))
    assert len(reader.tools) == len(reader.embeddings) == len(reader._row) == 6
    for tool in six_index.tools:
        row = reader.row(tool.name)
        assert reader.tools[row].name == tool.name
        assert np.allclose(reader.embeddings[row], six_index.embeddings[six_index.row(tool.name)])


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
    """Why two `toolrag serve` processes cannot share a Milvus Lite *file*: the second process
    is refused with a clear line (sharing one index needs a Milvus server; see the next test)."""
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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, procs: list[subprocess.Popen], seconds: float = 90) -> None:
    import httpx

    deadline = time.time() + seconds
    while time.time() < deadline:
        for proc in procs:
            assert proc.poll() is None, f"{proc.args} exited with {proc.returncode}"
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {seconds} s")


def test_two_toolrag_servers_share_one_live_index_on_a_milvus_server(six_index, tmp_path):
    """Two `toolrag serve` processes on one index in a Milvus server (Milvus Lite's own gRPC
    server, which speaks the protocol a cluster does): a tool added in place by a third process
    is served by both at their next request, with no restart or reload."""
    import httpx

    port = _free_port()
    milvus = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "milvus_lite",
            "server",
            "--data-dir",
            str(tmp_path / "srv"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    procs = [milvus]
    try:
        uri = f"http://127.0.0.1:{port}"
        deadline = time.time() + 60
        while True:
            try:
                client = connect(uri, timeout=2)
                break
            except ConfigError:
                assert time.time() < deadline and milvus.poll() is None, "no Milvus Lite server"
                time.sleep(0.5)
        writer = publish(six_index, uri, "shared", client=client)
        HybridRetriever(writer).retrieve(QUERIES["weather"], 1)  # the ONNX export, cached once
        urls = []
        log = (tmp_path / "servers.log").open("w")  # a pipe nobody reads would fill and block
        for _ in range(2):
            web = _free_port()
            procs.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "toolrag.cli",
                        "serve",
                        "--index",
                        f"milvus:{uri}#shared",
                        "--port",
                        str(web),
                        "--selector",
                        "none",
                        "--planner",  # plans go to an endpoint: nothing to load, /retrieve works
                        "openai:planner",
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=log,
                    env=os.environ | {"OPENAI_BASE_URL": "http://127.0.0.1:9/v1"},
                )
            )
            urls.append(f"http://127.0.0.1:{web}")
            _wait_for(f"{urls[-1]}/healthz", procs)
        query = {"query": "Tide times for the harbour of Brest", "k": 1}
        before = [httpx.post(f"{u}/retrieve", json=query, timeout=30).json() for u in urls]
        writer.update(add=[Tool(name="getTides", description="Tide times for a harbour")])
        after = [httpx.post(f"{u}/retrieve", json=query, timeout=30).json() for u in urls]
        assert all(b["tools"][0]["name"] != "getTides" for b in before)
        assert [a["tools"][0]["name"] for a in after] == ["getTides", "getTides"]
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=30)


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
    index.update(add=[extra])
    reader = open_index(uri, "approx", client=client)
    assert reader.manifest["backend"]["dense_index"] == "HNSW"
    assert reader.tool("getTide").description == extra.description


def test_a_view_of_a_republished_index_refuses_to_update(six_index, lite):
    from toolrag.index.errors import IndexChangedError

    uri, client = lite
    publish(six_index, uri, "cas", client=client)
    stale = open_index(uri, "cas", client=client)
    publish(six_index, uri, "cas", client=client)  # another writer moved the alias
    with pytest.raises(IndexChangedError, match="another writer.*Run the command again"):
        stale.update(add=[Tool(name="getTides", description="Tide times for a harbour")])
    fresh = open_index(uri, "cas", client=client)
    assert len(fresh) == 6
    fresh.update(add=[Tool(name="getTides", description="Tide times for a harbour")])
    assert len(open_index(uri, "cas", client=client)) == 7
