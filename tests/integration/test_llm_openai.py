"""The OpenAI adapter against the real scripted server through the real openai client."""

from __future__ import annotations

import json

import pytest

from swarmbridge.llm import BadOutput, Fatal, RateLimited, ServerError, Timeout, ToolSpec
from swarmbridge.llm.openai_model import OpenAIModel
from swarmbridge.llm.toolmode import ProbeCache
from swarmbridge.swarm.graph import parse_graph
from swarmbridge.testing import Faults, Reply, ScriptedServer, SwarmRules

SEARCH = ToolSpec("search", "Search the web.", {"type": "object", "properties": {"query": {"type": "string"}}, "required": ["query"]})
WORKER = [{"role": "system", "content": "ROLE: worker\nYou research."}, {"role": "user", "content": "find cats"}]


async def test_native_tool_call_parsed_and_validated() -> None:
    async with ScriptedServer(SwarmRules(worker_tool_calls=1)) as url:
        m = OpenAIModel(url, "scripted", tool_mode="native")
        c = await m.complete(WORKER, tools=[SEARCH])
        assert c.tool_calls[0].name == "search" and c.tool_calls[0].arguments == {"query": "x"}
        assert c.usage.prompt_tokens > 0 and c.finish_reason == "tool_calls"
        hist = WORKER + [c.message(), {"role": "tool", "tool_call_id": c.tool_calls[0].id, "content": "3 cats"}]
        c2 = await m.complete(hist, tools=[SEARCH])
        assert c2.content and c2.content.startswith("result:") and not c2.tool_calls
        await m.aclose()


async def test_the_server_receives_messages_and_tools_exactly_as_given() -> None:
    """Messages and tools go out as they are (not through the SDK's transform), streamed or not."""
    srv = ScriptedServer(SwarmRules(worker_tool_calls=1))
    async with srv as url:
        for stream in (False, True):
            m = OpenAIModel(url, "scripted", tool_mode="native", stream=stream)
            await m.complete(WORKER, tools=[SEARCH], max_tokens=50)
            await m.aclose()
    for req, stream in zip(srv.requests, (False, True), strict=True):
        assert req["messages"] == WORKER and req["tools"] == [SEARCH.openai()] and req["max_tokens"] == 50 and req["model"] == "scripted"
        assert bool(req.get("stream")) is stream


async def test_schema_invalid_and_malformed_arguments_are_reprompts() -> None:
    replies = iter([Reply(tool_calls=[{"name": "search", "arguments": {"query": 5}}]), Reply(tool_calls=[{"name": "search", "arguments": '{"query": "x",'}])])
    async with ScriptedServer(lambda req: next(replies)) as url:
        m = OpenAIModel(url, "scripted", tool_mode="native")
        with pytest.raises(BadOutput, match=r"\$\.query: expected string") as e:
            await m.complete(WORKER, tools=[SEARCH])
        assert e.value.kind == "reprompt"
        with pytest.raises(BadOutput, match="not valid JSON"):
            await m.complete(WORKER, tools=[SEARCH])
        await m.aclose()


async def test_errors_classified() -> None:
    script = {0: "429", 1: "500", 2: "hang"}
    async with ScriptedServer(Faults(SwarmRules(), script=script, retry_after=1.5)) as url:
        m = OpenAIModel(url, "scripted", timeout=0.3)
        with pytest.raises(RateLimited) as e:
            await m.complete(WORKER)
        assert e.value.retry_after == 1.5 and e.value.kind == "retry"
        with pytest.raises(ServerError):
            await m.complete(WORKER)
        with pytest.raises(Timeout):
            await m.complete(WORKER)
        m2 = OpenAIModel(url.replace("/v1", "/nope"), "scripted")
        with pytest.raises(Fatal):
            await m2.complete(WORKER)
        await m.aclose()
        await m2.aclose()
    dead = OpenAIModel(url, "scripted")
    with pytest.raises(ServerError, match="cannot reach"):
        await dead.complete(WORKER)
    await dead.aclose()


async def test_json_fallback_chosen_by_probe_and_cached(tmp_path) -> None:
    cache = ProbeCache(tmp_path / "probes.json")
    async with ScriptedServer(SwarmRules(worker_tool_calls=1), native_tools=False) as url:
        m = OpenAIModel(url, "scripted", tool_mode="auto", probe_cache=cache)
        c = await m.complete(WORKER, tools=[SEARCH])
        assert m.tool_mode == "json"
        assert c.tool_calls and c.tool_calls[0].name == "search" and c.tool_calls[0].arguments == {"query": "x"}
        assert json.loads((tmp_path / "probes.json").read_text())[f"{url}|scripted"] == "json"
        # the tool-call history is rendered as text for such a server, and it answers
        hist = WORKER + [c.message(), {"role": "tool", "tool_call_id": c.tool_calls[0].id, "content": "3 cats"}]
        c2 = await m.complete(hist, tools=[SEARCH])
        assert c2.content.startswith("result:")
        await m.aclose()
    async with ScriptedServer(SwarmRules(worker_tool_calls=1)) as url2:
        m = OpenAIModel(url2, "scripted", tool_mode="auto", probe_cache=cache)
        await m.complete(WORKER, tools=[SEARCH])
        assert m.tool_mode == "native"
        await m.aclose()


async def test_streaming_and_truncated_stream() -> None:
    replies = iter([Reply(content="hello " * 20), Reply(tool_calls=[{"name": "search", "arguments": {"query": "q"}}]), Reply(content="cut " * 30, truncate=True)])
    async with ScriptedServer(lambda req: next(replies)) as url:
        m = OpenAIModel(url, "scripted", tool_mode="native", stream=True)
        c = await m.complete(WORKER)
        assert c.content == "hello " * 20 and c.usage.completion_tokens > 0
        c = await m.complete(WORKER, tools=[SEARCH])
        assert c.tool_calls[0].arguments == {"query": "q"}
        with pytest.raises(ServerError, match="stream ended"):
            await m.complete(WORKER)
        await m.aclose()


async def test_roles_planner_verifier_writer() -> None:
    async with ScriptedServer(SwarmRules(plan_width=4)) as url:
        m = OpenAIModel(url, "scripted")
        plan = await m.complete([{"role": "system", "content": "ROLE: planner"}, {"role": "user", "content": "goal"}])
        assert len(parse_graph(json.loads(plan.content)).steps) == 4  # valid for the swarm as is
        v = await m.complete([{"role": "system", "content": "ROLE: verifier"}, {"role": "user", "content": "work: FAIL"}])
        assert json.loads(v.content)["pass"] is False
        await m.aclose()


async def test_broken_native_json_at_probe_selects_json_mode(tmp_path) -> None:
    srv = ScriptedServer(Faults(SwarmRules(worker_tool_calls=1), script={0: "bad_json"}))  # the probe's reply is broken
    async with srv as url:
        m = OpenAIModel(url, "scripted", tool_mode="auto", probe_cache=ProbeCache(tmp_path / "p.json"))
        c = await m.complete(WORKER, tools=[SEARCH])
        assert m.tool_mode == "json" and c.tool_calls[0].arguments == {"query": "x"}
        assert "tools" in srv.requests[0] and "tools" not in srv.requests[1]  # json mode describes tools in the prompt
        await m.aclose()


async def test_a_200_reply_that_is_not_a_chat_completion_is_bad_output() -> None:
    """The reply body is read and validated in one pass (msgspec): an HTML page, no choices, or a
    wrongly typed field from a proxy or a half-compatible server is BadOutput, never a crash."""
    import http.server
    import threading

    bodies = [b"<html>gateway</html>", b'{"choices": []}', b'{"choices": [{"message": {"content": 5}}]}',
              b'{"id": "x", "extra": {"a": 1}, "choices": [{"index": 0, "message": {"role": "assistant", "content": "ok", "refusal": null}, "finish_reason": "stop"}], "model": "m2"}']

    class Canned(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            self.rfile.read(int(self.headers["Content-Length"]))
            body = bodies.pop(0)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a) -> None:
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Canned)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    m = OpenAIModel(f"http://127.0.0.1:{srv.server_address[1]}/v1", "scripted", tool_mode="native")
    try:
        for match in ("not a chat completion", "no choices", r"Expected `str \| null`, got `int`"):
            with pytest.raises(BadOutput, match=match):
                await m.complete(WORKER)
        c = await m.complete(WORKER)  # unknown fields are ignored
        assert c.content == "ok" and c.model == "m2" and c.finish_reason == "stop"
    finally:
        await m.aclose()
        srv.shutdown()
        srv.server_close()
