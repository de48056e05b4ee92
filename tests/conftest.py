"""Shared fixtures: a six-tool toolset whose right answers are known by hand, and indexes over it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The tests import what a user installs (toolrag.index, toolrag.agent, ...), never the
# repository's top-level folders that `python -m pytest` puts on sys.path through the cwd.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT]

from toolrag.index.store import ToolIndex  # noqa: E402
from toolrag.index.toolset import load_toolset  # noqa: E402
from toolrag.types import Tool  # noqa: E402

DATA = Path(os.environ.get("TOOLRAG_DATA") or ROOT.parent / "shared" / "data")
"""The shared data folder (its README lists what is in it): ``../shared/data`` beside the
checkout, or wherever ``TOOLRAG_DATA`` points. A test that reads it takes the
:func:`shared_data` fixture (or one built on it), so that it skips, with the reason, where the
data is absent (a fresh clone) and is marked ``needs_data`` (CI runs those once without it)."""
SEAL = DATA / "seal-tools"
TOOLALPACA_APIS = DATA / "toolalpaca" / "public_apis.json"
DATA_FIXTURES = {"shared_data", "seal_available", "toolalpaca_apis"}


def need_data(*paths: Path) -> None:
    """Skip the calling test unless every one of ``paths`` (under :data:`DATA`) exists."""
    missing = [p for p in paths if not p.exists()]
    if missing:
        names = ", ".join(str(p.relative_to(DATA)) for p in missing)
        pytest.skip(f"needs {names} from the shared data folder {DATA} (set TOOLRAG_DATA)")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "needs_data: reads the shared data folder (skips where it is absent)"
    )


@pytest.hookimpl(tryfirst=True)  # before -m selects by marker
def pytest_collection_modifyitems(config, items):
    for item in items:
        if DATA_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.needs_data)


SIX_TOOLS = [
    {
        "api_name": "getWeather",
        "api_description": "Get the current weather for a city",
        "field": "Weather/Forecast",
        "parameters": {"city": {"type": "str", "description": "City name, e.g. Paris"}},
        "required": ["city"],
        "responses": {"temperature": {"type": "float", "description": "Degrees Celsius"}},
    },
    {
        "api_name": "convertCurrency",
        "api_description": "Convert money between currencies",
        "field": "Finance/Exchange",
        "parameters": {
            "amount": {"type": "float", "description": "Amount of money"},
            "from_currency": {"type": "str", "description": "Currency code, e.g. EUR"},
            "to_currency": {"type": "str", "description": "Currency code, e.g. USD"},
        },
        "required": ["amount", "from_currency", "to_currency"],
        "responses": {},
    },
    {
        "api_name": "bookFlight",
        "api_description": "Book a flight ticket between two airports",
        "field": "Travel/Flights",
        "parameters": {
            "origin": {"type": "str", "description": "Departure airport"},
            "destination": {"type": "str", "description": "Arrival airport"},
        },
        "required": ["origin", "destination"],
        "responses": {"booking_id": {"type": "str", "description": "Reservation id"}},
    },
    {
        "api_name": "sendEmail",
        "api_description": "Send an email message to a recipient",
        "field": "Productivity/Email",
        "parameters": {
            "to": {"type": "str", "description": "Recipient address"},
            "body": {"type": "str", "description": "Message text"},
        },
        "required": ["to"],
        "responses": {},
    },
    {
        "api_name": "translateText",
        "api_description": "Translate text into another language",
        "field": "Language/Translation",
        "parameters": {
            "text": {"type": "str", "description": "Text to translate"},
            "language": {"type": "str", "description": "Target language"},
        },
        "required": ["text", "language"],
        "responses": {},
    },
    {
        "api_name": "getStockPrice",
        "api_description": "Get the latest stock market price of a company",
        "field": "Finance/Stocks",
        "parameters": {"symbol": {"type": "str", "description": "Ticker symbol"}},
        "required": ["symbol"],
        "responses": {"price": {"type": "float", "description": "Price"}},
    },
]

# query -> the tools it needs, by hand
WORKED_QUERIES = {
    "weather": ("What is the weather in Paris?", ["getWeather"]),
    "money": ("Convert 100 EUR to USD currency", ["convertCurrency"]),
    "trip": ("Book a flight to Rome and email the booking to my boss", ["bookFlight", "sendEmail"]),
    "stock": ("latest stock price of ACME", ["getStockPrice"]),
}


@pytest.fixture(scope="session", autouse=True)
def _cache_in_tmp(tmp_path_factory):
    """Tests write only under tmp: the ONNX export cache too."""
    mp = pytest.MonkeyPatch()
    mp.setenv("TOOLRAG_CACHE", str(tmp_path_factory.mktemp("cache")))
    yield
    mp.undo()


@pytest.fixture(scope="session")
def six_tools_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("tools") / "six.jsonl"
    path.write_text("\n".join(json.dumps(t) for t in SIX_TOOLS) + "\n")
    return path


@pytest.fixture(scope="session")
def six_tools(six_tools_file) -> list[Tool]:
    return load_toolset(six_tools_file)


@pytest.fixture(scope="session")
def six_index(six_tools) -> ToolIndex:
    return ToolIndex.build(six_tools)


@pytest.fixture(scope="session")
def six_index_dir(six_index, tmp_path_factory) -> Path:
    return six_index.save(tmp_path_factory.mktemp("idx") / "six")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The shared data folder; the test skips where it is absent."""
    need_data(DATA)
    return DATA


@pytest.fixture(scope="session")
def seal_available(shared_data) -> bool:
    need_data(SEAL / "tool.jsonl", SEAL / "dev.jsonl")
    return True


@pytest.fixture(scope="session")
def toolalpaca_apis(shared_data) -> Path:
    """ToolAlpaca's public API list, which the function-calling data generator reads."""
    need_data(TOOLALPACA_APIS)
    return TOOLALPACA_APIS


@pytest.fixture(scope="session")
def smol_folder():
    """The packaged SmolLM2-135M converted once per test session (about 30 s)."""
    from toolrag.agent.models import SMOLLM2, packaged_folder

    try:
        return packaged_folder(SMOLLM2)
    except ImportError as err:
        pytest.skip(str(err))


@pytest.fixture(scope="session")
def smol_planner(smol_folder):
    from toolrag.agent.planner import Planner

    return Planner.load(str(smol_folder), max_new_tokens=160)


@contextmanager
def serve_on_loopback(app) -> Iterator[str]:
    """Run an ASGI app with uvicorn on a free 127.0.0.1 port; yields its base URL."""
    import socket
    import threading
    import time

    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def loopback():
    """:func:`serve_on_loopback`, for tests that serve an app over real HTTP."""
    return serve_on_loopback


# --- the gateway tests' upstream MCP servers (tests/agent/upstreams)

UPSTREAMS = Path(__file__).resolve().parent / "agent" / "upstreams"
"""The gateway tests' upstream MCP servers."""


@contextmanager
def shop_server(port: int, key: str | None) -> Iterator[str]:
    """tests/agent/upstreams/shop.py (Streamable HTTP) on ``port``, wanting ``X-Shop-Key: key``;
    yields its MCP URL."""
    env = os.environ | ({"SHOP_KEY": key} if key else {})
    proc = subprocess.Popen(
        [sys.executable, str(UPSTREAMS / "shop.py"), "--port", str(port)], env=env
    )
    try:
        deadline = time.time() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError("the shop server did not start") from None
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture(scope="session")
def run_shop():
    """:func:`shop_server`, for tests that need the HTTP upstream."""
    return shop_server


# --- a tiny randomly initialised causal LM (2 layers, byte-level BPE) for training tests that
# must take seconds: the packaged models cost a conversion and minutes of CPU

CHATML = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n"
    "{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)


@pytest.fixture(scope="session")
def tiny_lm_folder(tmp_path_factory) -> Path:
    """A 2-layer Llama with a 400-token byte-level BPE and a ChatML template, saved as a
    model folder ``from_pretrained`` (and ``PlannerTrainConfig.base``) takes."""
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    special = ["<|im_start|>", "<|im_end|>", "<|pad|>"]
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    corpus = ['[{"api":"getWeather","parameters":{"city":"Paris"}}]', "Book a flight to Rome"]
    tok.train_from_iterator(
        corpus * 10,
        trainers.BpeTrainer(
            vocab_size=400,
            special_tokens=special,
            initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        ),
    )
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok, eos_token="<|im_end|>", pad_token="<|pad|>"
    )
    fast.chat_template = CHATML
    torch.manual_seed(0)
    config = LlamaConfig(
        vocab_size=len(fast),
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=2048,
        eos_token_id=fast.eos_token_id,
        pad_token_id=fast.pad_token_id,
    )
    folder = tmp_path_factory.mktemp("tiny-lm")
    LlamaForCausalLM(config).save_pretrained(folder)
    fast.save_pretrained(folder)
    return folder
