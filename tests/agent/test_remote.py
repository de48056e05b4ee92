"""The OpenAI-compatible backend, through the official client, against a loopback server that
speaks the chat-completions protocol."""

from __future__ import annotations

import json
import time

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from toolrag.agent.remote import RemotePlanner

REPLIES = {
    "weather": '```json\n[{"api":"getWeather","parameters":{"city":"Paris"}}]\n```',
    "chain": '[{"api":"bookFlight","parameters":{"origin":"OSL","destination":"FCO"}},'
    '{"api":"sendEmail","parameters":{"to":"boss","body":"$0.booking_id"}}]',
    "chatter": "I think you should check the weather.",
    "twice": '[{"api":"getWeather","parameters":{"city":"Paris"}},'
    '{"api":"getWeather","parameters":{"city":"Paris"}}]',
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
        if "response_format" in body:  # a data-generation call under a JSON schema
            content = json.dumps({"echo": body["messages"][-1]["content"], "seed": body["seed"]})
        else:
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
def server(loopback):
    app = chat_server()
    with loopback(app) as url:
        yield app, f"{url}/v1"


def test_plans_parse_and_nest(server, six_tools):
    app, url = server
    planner = RemotePlanner("tiny", base_url=url, api_key="test-key")
    r = planner.plan("weather in Paris", six_tools)
    assert r.format_ok and r.calls[0].api == "getWeather" and r.new_tokens == 7
    r = planner.plan("chain: fly and mail", six_tools)
    assert [c.parameters.get("body") for c in r.calls] == [None, "API_call_0"]
    sent = app.state.requests[-1]
    assert sent["temperature"] == 0 and sent["messages"][0]["role"] == "system"


def test_the_remote_planner_runs_the_plan_passes_its_config_names(server, six_tools, monkeypatch):
    from toolrag.agent.agent import make_planner
    from toolrag.agent.config import PlannerConfig

    _, url = server
    query = "twice: the forecast for Paris"
    default = RemotePlanner("tiny", base_url=url, api_key="test-key").plan(query, six_tools)
    assert [c.api for c in default.calls] == ["getWeather"]  # drop_repeats ran
    assert default.dropped == [{"api": "getWeather", "parameters": {"city": "Paris"}}]
    assert default.fired == {"drop_repeats": 1}  # the only pass that changed the plan
    config = PlannerConfig().without("drop_repeats")
    kept = RemotePlanner("tiny", base_url=url, api_key="test-key", config=config).plan(
        query, six_tools
    )
    assert [c.api for c in kept.calls] == ["getWeather", "getWeather"] and kept.dropped == []
    # the front door hands the caller's config (and --without) to a remote planner too
    monkeypatch.setenv("OPENAI_BASE_URL", url)
    remote = make_planner("openai:tiny", without=["drop_repeats"])
    assert not remote.config.runs("drop_repeats") and remote.config.runs("back_references")


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


def test_datagen_backend_sends_the_schema_and_seed(server):
    from toolrag.agent.llm import OpenAILLM

    app, url = server
    llm = OpenAILLM("tiny", base_url=url, api_key="test-key")
    schema = {"type": "object", "properties": {"echo": {"type": "string"}}}
    text = llm.complete([{"role": "user", "content": "hello"}], json_schema=schema, seed=7)
    assert json.loads(text) == {"echo": "hello", "seed": 7}
    sent = app.state.requests[-1]["response_format"]
    assert sent["type"] == "json_schema" and sent["json_schema"]["schema"] == schema
    assert llm.name == "openai:tiny"
