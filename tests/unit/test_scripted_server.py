"""The scripted server's rules and faults (pure parts), and the server over raw HTTP."""

from __future__ import annotations

import json

import httpx

from swarmbridge.testing import Faults, Reply, ScriptedServer, SwarmRules, role_of


def _req(role: str, user: str = "u", tools: list | None = None, tool_msgs: int = 0) -> dict:
    msgs = [{"role": "system", "content": f"You help.\nROLE: {role}\n"}, {"role": "user", "content": user}]
    msgs += [{"role": "tool", "tool_call_id": "x", "content": "r"}] * tool_msgs
    return {"messages": msgs, **({"tools": tools} if tools else {})}


def test_roles_recognised() -> None:
    assert role_of(_req("planner")) == "planner"
    assert role_of({"messages": [{"role": "user", "content": "ROLE: planner"}]}) == ""  # only the system message counts


def test_worker_calls_tools_n_times_then_answers() -> None:
    tools = [{"type": "function", "function": {"name": "echo", "parameters": {"type": "object", "properties": {"value": {"type": "integer"}}, "required": ["value"]}}}]
    rules = SwarmRules(worker_tool_calls=2)
    assert rules(_req("worker", tools=tools)).tool_calls == [{"name": "echo", "arguments": {"value": 1}}]
    assert rules(_req("worker", tools=tools, tool_msgs=1)).tool_calls
    assert rules(_req("worker", tools=tools, tool_msgs=2)).content.startswith("result:")


def test_faults_seeded_and_scripted() -> None:
    a = Faults(SwarmRules(), p={"500": 0.3}, seed=5)
    b = Faults(SwarmRules(), p={"500": 0.3}, seed=5)
    sa = [a(_req("worker")).status for _ in range(200)]
    assert sa == [b(_req("worker")).status for _ in range(200)]
    assert 40 <= sa.count(500) <= 80
    s = Faults(SwarmRules(), script={1: "429", 2: "bad_json"}, retry_after=3)
    assert s(_req("worker")).status == 200
    r = s(_req("worker"))
    assert r.status == 429 and r.headers == {"retry-after": "3"}
    assert s(_req("worker")).tool_calls[0]["arguments"] == '{"query": "x",'


async def test_http_surface() -> None:
    async with ScriptedServer(lambda req: Reply(content="hi"), model="m1") as url:
        async with httpx.AsyncClient() as c:
            assert (await c.get(url + "/models")).json()["data"][0]["id"] == "m1"
            assert (await c.post(url + "/chat/completions", content=b"{nope")).status_code == 400
            assert (await c.get(url + "/other")).status_code == 404
            r = await c.post(url + "/chat/completions", json={"messages": [{"role": "user", "content": "x"}], "stream": True})
            lines = [ln for ln in r.text.split("\n\n") if ln]
            assert lines[-1] == "data: [DONE]" and json.loads(lines[1][6:])["choices"][0]["delta"]["content"] == "hi"
