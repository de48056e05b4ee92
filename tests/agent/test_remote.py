"""The OpenAI-compatible backend, through the official client, against a loopback server that
speaks the chat-completions protocol."""

from __future__ import annotations

import socket
import threading
import time

import pytest
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from agent.remote import RemotePlanner

REPLIES = {
    "weather": '```json\n[{"api":"getWeather","parameters":{"city":"Paris"}}]\n```',
    "chain": '[{"api":"bookFlight","parameters":{"origin":"OSL","destination":"FCO"}},'
    '{"api":"sendEmail","parameters":{"to":"boss","body":"$0.booking_id"}}]',
    "chatter": "I think you should check the weather.",
}


def chat_server() -> FastAPI:
    app = FastAPI()
    app.state.requests = []

    @app.post("/v1/chat/completions")
    async def completions(request: Request):
        body = await request.json()
        app.state.requests.append(body)
        if request.headers.get("authorization") != "Bearer test-key":
            return JSONResponse({"error": {"message": "bad key"}}, status_code=401)
        query = body["messages"][-1]["content"].rsplit("Query: ", 1)[1]
        content = next((v for k, v in REPLIES.items() if k in query), "[]")
        return {
            "id": "cmpl-1",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body["model"],
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "stop",
                    "message": {"role": "assistant", "content": content},
                }
            ],
            "usage": {"prompt_tokens": 10, "completion_tokens": 7, "total_tokens": 17},
        }

    return app


@pytest.fixture(scope="module")
def server():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = chat_server()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    while not srv.started:
        time.sleep(0.05)
    yield app, f"http://127.0.0.1:{port}/v1"
    srv.should_exit = True
    thread.join(timeout=10)


def test_plans_parse_and_nest(server, six_tools):
    app, url = server
    planner = RemotePlanner("tiny", base_url=url, api_key="test-key")
    r = planner.plan("weather in Paris", six_tools)
    assert r.format_ok and r.calls[0].api == "getWeather" and r.new_tokens == 7
    r = planner.plan("chain: fly and mail", six_tools)
    assert [c.parameters.get("body") for c in r.calls] == [None, "API_call_0"]
    sent = app.state.requests[-1]
    assert sent["temperature"] == 0 and sent["messages"][0]["role"] == "system"


def test_bad_replies_and_transport_errors_are_recorded(server, six_tools):
    _, url = server
    r = RemotePlanner("tiny", base_url=url, api_key="test-key").plan("chatter", six_tools)
    assert not r.format_ok and "no JSON list" in r.error
    r = RemotePlanner("tiny", base_url=url, api_key="wrong", max_retries=0).plan(
        "weather", six_tools
    )
    assert not r.format_ok and "401" in r.error


def test_endpoint_from_environment(monkeypatch):
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    with pytest.raises(ValueError, match="OPENAI_BASE_URL"):
        RemotePlanner("tiny")
