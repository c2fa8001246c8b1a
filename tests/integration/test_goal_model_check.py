"""A goal's model check for real: the swarm's rounds and the separate grader both go through the
real openai client to a scripted OpenAI-compatible server on 127.0.0.1; the grader (verifier role)
fails round 1 with feedback, the next round is told, and round 2 passes."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

from swarmbridge.goals.engine import GoalEngine
from swarmbridge.goals.evaluator import ModelGrader
from swarmbridge.goals.model import GoalSpec
from swarmbridge.llm.openai_model import OpenAIModel
from swarmbridge.storage.db import connect
from swarmbridge.storage.goals import GoalStore
from swarmbridge.storage.runs import RunStore
from swarmbridge.swarm.service import SwarmService
from swarmbridge.testing import Reply, ScriptedServer, SwarmRules, role_of
from swarmbridge.tools.base import ToolRegistry
from swarmbridge.tools.builtin import Echo


async def test_goal_completes_only_when_the_grader_model_agrees(tmp_path: Path) -> None:
    base = SwarmRules(plan_width=2, worker_tool_calls=0)
    grades: list[str] = []
    plans: list[str] = []

    def rule(req: dict) -> Reply:
        user = str(req["messages"][-1].get("content") or "")
        if role_of(req) == "verifier" and re.search(r'"task": ?"Goal: ', user):
            grades.append(user)
            ok = "all three priced" in user
            return Reply(content=json.dumps({"pass": ok, "feedback": "" if ok else "laptop C has no price"}))
        if role_of(req) == "planner":
            plans.append(user)
        if role_of(req) == "worker":
            found = "all three priced" if "laptop C has no price" in plans[-1] else "two priced"
            return Reply(content=f'{found} {{"proposal": "complete"}}')
        return base(req)

    async with ScriptedServer(rule) as url:
        model = OpenAIModel(url, "scripted", tool_mode="native")
        swarm = SwarmService(RunStore(str(tmp_path / "r.db")), ToolRegistry([Echo()]), model=model, extras={"artifacts_dir": str(tmp_path / "art")})
        store = GoalStore(connect(tmp_path / "g.db"))
        engine = GoalEngine(store, lambda: swarm, lambda m, p: None, tmp_path, grader=lambda: ModelGrader(model))
        try:
            async with asyncio.TaskGroup() as tg:
                await engine.start(tg)
                gid = engine.create(GoalSpec.model_validate({"objective": "price three laptops", "criteria": [{"kind": "model", "rubric": "every laptop has a price"}],
                                                           # budgets reach the real runs.start as run budgets (what is left of each)
                                                           "budgets": {"tokens": 1_000_000, "steps": 500, "wall_s": 600, "cost": 5}}))
                for _ in range(1000):
                    if store.get(gid)["status"] != "active":
                        break
                    await asyncio.sleep(0.02)
                await engine.stop()
        finally:
            await swarm.close()
            swarm.store.close()
            await model.aclose()
    goal, rounds = store.get(gid), store.rounds(gid)
    assert goal["status"] == "complete", (goal["reason"], [(r["decision"], r["reason"], r["evidence"]) for r in rounds], grades)
    assert [r["decision"] for r in rounds] == ["continue", "complete"]
    assert "laptop C has no price" in rounds[0]["evidence"]["checks"][0]
    assert "laptop C has no price" in plans[1], "round 2's plan is told what the grader found missing"
    assert len(grades) == 2 and "every laptop has a price" in grades[0]
