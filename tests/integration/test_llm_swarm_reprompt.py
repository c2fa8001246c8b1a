"""A malformed tool call from a real server is fed back to the sub-agent, which then succeeds."""

from __future__ import annotations

from swarmbridge.llm.openai_model import OpenAIModel
from swarmbridge.storage.runs import RunStore
from swarmbridge.swarm.service import SwarmService
from swarmbridge.testing import Faults, ScriptedServer, SwarmRules
from swarmbridge.tools.base import ToolRegistry
from swarmbridge.tools.builtin import Echo


async def test_bad_tool_json_is_reprompted_and_task_finishes(tmp_path) -> None:
    srv = ScriptedServer(Faults(SwarmRules(worker_tool_calls=1), script={0: "bad_json"}))
    async with srv as url:
        model = OpenAIModel(url, "scripted", tool_mode="native")
        svc = SwarmService(RunStore(str(tmp_path / "r.db")), ToolRegistry([Echo()]), model=model)
        rid = await svc.start_run(recipe={"steps": [{"id": "a", "instructions": "do it"}]})
        res = await svc.wait(rid)
        await svc.close()
        svc.store.close()
        await model.aclose()
    assert res["status"] == "done" and res["outputs"]["a"].startswith("result:")
    fed_back = srv.requests[1]["messages"][-1]
    assert fed_back["role"] == "user" and "not valid JSON" in fed_back["content"]
