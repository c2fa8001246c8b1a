"""A long sub-agent through the real openai client: compacted histories are valid requests for an
OpenAI-compatible server (every tool message after its call) and stay bounded."""

from __future__ import annotations

import json

from swarmbridge.llm.openai_model import OpenAIModel
from swarmbridge.storage.runs import RunStore
from swarmbridge.swarm.executor import Budgets, Executor
from swarmbridge.swarm.graph import parse_graph
from swarmbridge.testing import Reply, ScriptedServer
from swarmbridge.tools.base import ToolRegistry
from swarmbridge.tools.builtin import Echo


async def test_sixty_turns_over_http_stay_bounded_and_well_formed(tmp_path) -> None:
    turns = 60

    def rule(req: dict) -> Reply:
        n = len(srv.requests)  # this request is already recorded
        if n <= turns:
            return Reply(tool_calls=[{"name": "echo", "arguments": {"value": f"page {n}: " + "text " * 300}}])
        return Reply(content="all read")

    srv = ScriptedServer(rule)
    async with srv as url:
        model = OpenAIModel(url, "scripted", tool_mode="native")
        store = RunStore(str(tmp_path / "r.db"))
        g = parse_graph({"steps": [{"id": "reader", "instructions": "read every page"}]})
        rid = store.create_run("", g.model_dump())
        res = await Executor(store, rid, g, ToolRegistry([Echo()]), model=model,
                             budgets=Budgets(agent_steps=turns + 5, context_tokens={"worker": 3000})).run()
        store.close()
        await model.aclose()
    assert res.status == "done" and res.outputs["reader"] == "all read"
    sizes = [len(json.dumps(r["messages"])) for r in srv.requests]
    assert max(sizes) < 3000 * 4 + 6000 < sum(sizes) / 10, (max(sizes), sum(sizes))
    for r in srv.requests:  # what a strict server checks: each tool message answers an earlier call
        asked = {c["id"] for m in r["messages"] for c in m.get("tool_calls") or ()}
        assert all(m["tool_call_id"] in asked for m in r["messages"] if m["role"] == "tool")
    assert "earlier turns of yours were removed" in srv.requests[-1]["messages"][1]["content"]
