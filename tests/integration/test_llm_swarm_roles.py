"""Planner and verifier through the swarm service, the real openai client and a scripted server."""

from __future__ import annotations

import json
from pathlib import Path

from swarmbridge.llm.openai_model import OpenAIModel
from swarmbridge.storage.runs import RunStore
from swarmbridge.swarm.service import SwarmService
from swarmbridge.testing import Reply, ScriptedServer, SwarmRules, role_of
from swarmbridge.tools.base import ToolRegistry
from swarmbridge.tools.builtin import Echo


async def _run(tmp_path, rule, **start):
    async with ScriptedServer(rule) as url:
        model = OpenAIModel(url, "scripted", tool_mode="native")
        svc = SwarmService(RunStore(str(tmp_path / "r.db")), ToolRegistry([Echo()]), model=model, extras={"artifacts_dir": str(tmp_path / "art")})
        res = await svc.wait(await svc.start_run(**start))
        await svc.close()
        svc.store.close()
        await model.aclose()
    return res


async def test_goal_is_planned_into_parallel_steps(tmp_path) -> None:
    res = await _run(tmp_path, SwarmRules(plan_width=4, worker_tool_calls=1), goal="compare four laptops")
    assert res["status"] == "done" and sorted(res["outputs"]) == ["t1", "t2", "t3", "t4"]
    assert sorted(c["task"] for c in res["tool_calls"]) == ["t1", "t2", "t3", "t4"] and {c["tool"] for c in res["tool_calls"]} == {"echo"}
    (deliv,) = res["deliverables"]
    report = Path(deliv["path"]).read_text(encoding="utf-8")
    assert report.startswith("# Report") and "## Sources" in report and "compare four laptops" in report


async def test_verifier_feedback_retry_then_blocked(tmp_path) -> None:
    base = SwarmRules(worker_tool_calls=0)
    seen: list[str] = []

    def rule(req: dict) -> Reply:
        if role_of(req) == "worker":
            user = req["messages"][1]["content"]
            seen.append(user)
            # "good" succeeds on its 2nd attempt (after feedback); "bad" always fails verification
            if "bad" in user or ("good" in user and "rejected by the verifier" not in user):
                return Reply(content="FAIL: no sources")
        return base(req)

    steps = [{"id": "good", "instructions": "good task", "acceptance": "cites sources"},
             {"id": "bad", "instructions": "bad task", "acceptance": "cites sources"},
             {"id": "free", "instructions": "unrelated"}]
    res = await _run(tmp_path, rule, recipe={"goal": "g", "steps": steps})
    assert "good" in res["outputs"] and "free" in res["outputs"] and "bad" not in res["outputs"]
    assert "failed verification 3 times" in res["blocked"]["bad"] and res["status"] == "done_with_blocked"
    assert any("rejected by the verifier: the work contains FAIL" in s for s in seen)
    assert res["deliverables"] == []  # a recipe run has no writer stage


async def test_replanner_adds_a_step_over_http(tmp_path) -> None:
    base = SwarmRules(plan_width=2, worker_tool_calls=0)
    reviews: list[dict] = []

    def rule(req: dict) -> Reply:
        if str(req["messages"][0]["content"]).startswith("ROLE: replanner"):
            reviews.append(req)
            extra = [{"id": "t3", "instructions": "check the gap", "inputs": ["t1", "t2"]}] if len(reviews) == 1 else []
            return Reply(content=json.dumps({"steps": extra}))
        return base(req)

    res = await _run(tmp_path, rule, goal="compare two phones")
    assert res["status"] == "done" and sorted(res["outputs"]) == ["t1", "t2", "t3"] and len(reviews) == 2
    assert "t1" in json.loads(reviews[0]["messages"][1]["content"])["results"]
