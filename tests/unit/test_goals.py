"""Goal Mode over real SQLite with a scripted swarm facade (the fake beside the seam)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pydantic
import pytest

from swarmbridge.goals.engine import GoalEngine
from swarmbridge.goals.evaluator import ModelGrader
from swarmbridge.llm.fake import FakeModel, text
from swarmbridge.goals.model import GoalSpec, read_proposal
from swarmbridge.swarm.service import RunBudgets
from swarmbridge.storage.db import connect
from swarmbridge.storage.goals import GoalStore


class ScriptedSwarm:
    """Returns the scripted results in order; ``hold`` makes ``wait`` block until cancelled."""

    def __init__(self, results: list[dict[str, Any]], hold: bool = False) -> None:
        self.results = list(results)
        self.hold = hold
        self.prompts: list[str] = []
        self.budgets: list[Any] = []
        self.cancelled: list[str] = []
        self._gate: dict[str, asyncio.Event] = {}

    async def start_run(self, goal: str | None = None, *, recipe: Any = None, origin: str = "", budgets: Any = None, inputs: Any = None) -> str:
        RunBudgets.model_validate(budgets or {})  # what the real SwarmService accepts
        self.prompts.append(goal or "")
        self.budgets.append(budgets)
        run_id = f"r{len(self.prompts)}"
        self._gate[run_id] = asyncio.Event()
        return run_id

    async def wait(self, run_id: str) -> dict[str, Any]:
        if self.hold:
            await self._gate[run_id].wait()
        await asyncio.sleep(0)
        return self.results.pop(0) if self.results else {"status": "completed", "outputs": {"text": "same"}, "tokens": 10, "steps": 1}

    async def cancel(self, run_id: str) -> None:
        self.cancelled.append(run_id)
        self._gate[run_id].set()


def out(text: str, proposal: str = "continue", blocker: str = "", tokens: int = 10, cost: float | None = None) -> dict[str, Any]:
    return {"status": "completed", "outputs": {"text": text, "proposal": proposal, "blocker": blocker}, "tokens": tokens, "steps": 2, "deliverables": [],
            **({"cost": cost} if cost is not None else {})}


class Env:
    def __init__(self, tmp: Path, swarm: Any, grader: Any = None) -> None:
        self.store = GoalStore(connect(tmp / "g.db"))
        self.events: list[tuple[str, dict[str, Any]]] = []
        self.engine = GoalEngine(self.store, lambda: swarm, lambda m, p: self.events.append((m, p)), tmp, swarm_wait_s=0.2, grader=lambda: grader)

    async def settle(self, gid: int, *statuses: str, timeout: float = 3.0) -> dict[str, Any]:
        for _ in range(int(timeout / 0.01)):
            g = self.store.get(gid)
            assert g is not None
            if g["status"] in statuses:
                return g
            await asyncio.sleep(0.01)
        raise AssertionError(f"goal stayed {self.store.get(gid)}")

    async def run(self, spec: dict[str, Any], *until: str) -> tuple[int, dict[str, Any]]:
        """Start the engine, create the goal, and return once it reaches one of ``until``."""
        async with asyncio.TaskGroup() as tg:
            await self.engine.start(tg)
            gid = self.engine.create(GoalSpec.model_validate(spec))
            return gid, await self.settle(gid, *until)


SPEC = {"objective": "find the answer", "criteria": [{"kind": "regex", "pattern": r"answer=\d+"}]}


async def test_complete_needs_the_evaluator_not_just_the_proposal(tmp_path: Path) -> None:
    swarm = ScriptedSwarm([out("no idea", "complete"), out("answer=42", "complete")])
    env = Env(tmp_path, swarm)
    gid, g = await env.run(SPEC, "complete")
    rounds = env.store.rounds(gid)
    assert [r["decision"] for r in rounds] == ["continue", "complete"]
    assert "evaluator's checks failed" in rounds[0]["reason"] and g["usage"]["tokens"] == 20
    assert ("goal.round_finished", {"goalId": gid, "round": 2, "decision": "complete", "reason": rounds[1]["reason"], "score": 1.0}) in env.events
    assert "Round 1" in swarm.prompts[1]  # later rounds see the history


async def test_file_exists_check(tmp_path: Path) -> None:
    (tmp_path / "report.md").write_text("x")
    swarm = ScriptedSwarm([out("done", "complete")])
    env = Env(tmp_path, swarm)
    gid, _ = await env.run({"objective": "o", "criteria": [{"kind": "file_exists", "path": "report.md"}]}, "complete")


async def test_blocked_needs_the_same_blocker_twice(tmp_path: Path) -> None:
    swarm = ScriptedSwarm([out("a", "blocked", "Login required"), out("b", "blocked", "captcha"), out("c", "blocked", "  CAPTCHA ")])
    env = Env(tmp_path, swarm)
    gid, g = await env.run(SPEC, "blocked")
    assert len(env.store.rounds(gid)) == 3 and "same blocker" in g["reason"]


async def test_no_progress_pauses_and_notifies(tmp_path: Path) -> None:
    swarm = ScriptedSwarm([])  # every round returns the same outputs
    env = Env(tmp_path, swarm)
    gid, g = await env.run({**SPEC, "stall_rounds": 2}, "paused")
    assert g["reason"].startswith("no progress in 2 rounds") and len(env.store.rounds(gid)) == 3
    assert any(m == "goal.stalled" for m, _ in env.events)


async def test_budgets_stop_with_a_clear_reason(tmp_path: Path) -> None:
    swarm = ScriptedSwarm([out(f"step {i}", tokens=400) for i in range(10)])
    env = Env(tmp_path, swarm)
    gid, g = await env.run({**SPEC, "budgets": {"tokens": 1000}}, "paused")
    assert g["reason"] == "budget exhausted: tokens 1200/1000"
    assert swarm.budgets[0] == {"max_tokens": 1000} and swarm.budgets[2] == {"max_tokens": 200}
    (tmp_path / "x").mkdir()
    rounds_env = Env(tmp_path / "x", ScriptedSwarm([out(f"s{i}") for i in range(10)]))
    gid2, g2 = await rounds_env.run({**SPEC, "budgets": {"rounds": 2}}, "paused")
    assert g2["reason"] == "budget exhausted: rounds 2/2"
    (tmp_path / "c").mkdir()  # a cost budget (USD, priced endpoints): each round gets what is left
    cost_swarm = ScriptedSwarm([out(f"c{i}", cost=0.3) for i in range(10)])
    cost_env = Env(tmp_path / "c", cost_swarm)
    gid3, g3 = await cost_env.run({**SPEC, "budgets": {"cost": 0.5, "wall_s": 3600}}, "paused")
    assert g3["reason"] == "budget exhausted: cost 0.6/0.5" and g3["usage"]["cost"] == 0.6
    assert cost_swarm.budgets[0]["max_cost"] == 0.5 and cost_swarm.budgets[1]["max_cost"] == pytest.approx(0.2)
    assert 3590 < cost_swarm.budgets[1]["max_seconds"] <= 3600


async def test_pause_in_flight_guide_resume_cancel(tmp_path: Path) -> None:
    swarm = ScriptedSwarm([], hold=True)
    env = Env(tmp_path, swarm)
    async with asyncio.TaskGroup() as tg:
        await env.engine.start(tg)
        gid = env.engine.create(GoalSpec.model_validate(SPEC))
        await asyncio.sleep(0.05)
        env.engine.pause(gid)
        await asyncio.sleep(0.05)
        assert swarm.cancelled == ["r1"] and env.store.rounds(gid)[0]["decision"] == "interrupted"
        env.engine.guide(gid, "try the second page")
        env.engine.edit(gid, "find the answer, fast")
        env.engine.resume(gid)
        await asyncio.sleep(0.05)
        assert "try the second page" in swarm.prompts[1] and "fast" in swarm.prompts[1]
        env.engine.cancel(gid)
        await env.settle(gid, "cancelled")
        await asyncio.sleep(0.02)
        with pytest.raises(ValueError, match="cannot be resumed"):
            env.engine.resume(gid)
    assert swarm.cancelled == ["r1", "r2"]


async def test_goal_survives_restart(tmp_path: Path) -> None:
    swarm = ScriptedSwarm([], hold=True)
    env = Env(tmp_path, swarm)
    async with asyncio.TaskGroup() as tg:
        await env.engine.start(tg)
        gid = env.engine.create(GoalSpec.model_validate(SPEC))
        await asyncio.sleep(0.05)
        await env.engine.stop()  # daemon stopping mid-round
    env.store.conn.close()
    swarm2 = ScriptedSwarm([out("answer=7", "complete")])
    env2 = Env(tmp_path, swarm2)
    async with asyncio.TaskGroup() as tg:
        await env2.engine.start(tg)
        await env2.settle(gid, "complete")
    assert [r["decision"] for r in env2.store.rounds(gid)] == ["interrupted", "complete"]


async def test_no_swarm_blocks_with_reason(tmp_path: Path) -> None:
    env = Env(tmp_path, None)
    gid, g = await env.run(SPEC, "blocked")
    assert "swarm executor" in g["reason"]


def test_spec_and_proposal_boundary() -> None:
    with pytest.raises(pydantic.ValidationError):
        GoalSpec.model_validate({"objective": "o", "criteria": []})
    with pytest.raises(pydantic.ValidationError, match="bad regex"):
        GoalSpec.model_validate({"objective": "o", "criteria": [{"kind": "regex", "pattern": "("}]})
    assert read_proposal('blah {"proposal": "complete", "evidence": "x"} blah').proposal == "complete"
    assert read_proposal({"proposal": "done!"}).proposal == "continue"
    assert read_proposal("nothing here").proposal == "continue"
    tasks = {"t1": "found two", "t2": 'all priced {"proposal": "complete"}'}  # a run's outputs: text per task
    assert read_proposal(tasks).proposal == "complete"
    assert read_proposal({"t1": {"proposal": "blocked", "blocker": "login"}}).blocker == "login"


async def test_a_swarm_that_registers_late_is_waited_for(tmp_path: Path) -> None:
    env = Env(tmp_path, None)
    late = ScriptedSwarm([out("answer=1", "complete")])
    calls = {"n": 0}

    def find() -> Any:
        calls["n"] += 1
        return late if calls["n"] > 2 else None

    env.engine.swarm = find
    gid, g = await env.run(SPEC, "complete")
    assert g["status"] == "complete" and calls["n"] >= 3


MODEL_SPEC = {"objective": "price list of three laptops", "criteria": [{"kind": "model", "rubric": "every laptop has a price in EUR"}]}


def grading_model(replies: list[str]) -> FakeModel:
    """A verifier model that answers the goal's grading calls from ``replies`` in order."""
    return FakeModel(lambda messages, tools: text(replies.pop(0)))


async def test_model_check_grades_the_evidence_not_the_proposal(tmp_path: Path) -> None:
    (tmp_path / "report.md").write_text("A: 900 EUR\nB: 1100 EUR\nC: 1250 EUR", encoding="utf-8")
    swarm = ScriptedSwarm([out("A and B priced", "complete"), {**out("all priced", "complete"), "deliverables": [{"kind": "markdown", "path": "report.md"}]}])
    model = grading_model(['{"pass": false, "feedback": "laptop C has no price"}', '{"pass": true, "feedback": ""}'])
    env = Env(tmp_path, swarm, ModelGrader(model))
    gid, g = await env.run(MODEL_SPEC, "complete")
    rounds = env.store.rounds(gid)
    assert [r["decision"] for r in rounds] == ["continue", "complete"]
    assert "laptop C has no price" in rounds[0]["evidence"]["checks"][0], "the grader's feedback is the round's evidence"
    assert "laptop C has no price" in swarm.prompts[1], "and the next round is told what is missing"
    graded = model.calls[1]["messages"]
    assert graded[0]["content"].startswith("ROLE: verifier")
    assert "1250 EUR" in graded[1]["content"] and "every laptop has a price in EUR" in graded[1]["content"]
    assert '"proposal"' not in graded[1]["content"].split('"deliverables"')[1], "the grader never sees the agent's verdict as its own"


async def test_unreadable_grade_is_a_fail(tmp_path: Path) -> None:
    swarm = ScriptedSwarm([out("x", "complete"), out("y", "complete"), out("z", "complete")])
    env = Env(tmp_path, swarm, ModelGrader(grading_model(["looks fine to me!"] * 3)))
    gid, g = await env.run({**MODEL_SPEC, "budgets": {"rounds": 2}}, "paused", "blocked", "complete")
    assert g["status"] == "paused" and all(r["decision"] != "complete" for r in env.store.rounds(gid))
    assert "reply was not JSON" in env.store.rounds(gid)[0]["evidence"]["checks"][0]


async def test_model_check_needs_a_model(tmp_path: Path) -> None:
    env = Env(tmp_path, ScriptedSwarm([]))
    with pytest.raises(ValueError, match="needs a model to grade it"):
        env.engine.create(GoalSpec.model_validate(MODEL_SPEC))
    assert env.store.list() == [], "nothing half-created"
    with pytest.raises(pydantic.ValidationError):
        GoalSpec.model_validate({"objective": "o", "criteria": [{"kind": "model", "rubric": ""}]})


async def test_a_round_waiting_for_approval_pauses_the_goal_without_cancelling(tmp_path: Path) -> None:
    swarm = ScriptedSwarm([out("answer=1", "complete")], hold=True)
    env = Env(tmp_path, swarm)
    async with asyncio.TaskGroup() as tg:
        await env.engine.start(tg)
        gid = env.engine.create(GoalSpec.model_validate(SPEC))
        await asyncio.sleep(0.05)
        ask = {"id": "ap1", "origin": f"goal:{gid}/run:r1/task:t1", "summary": "Submit the order form", "status": "pending"}
        env.engine.on_approval("approval.requested", ask)
        g = env.store.get(gid)
        assert g["status"] == "paused" and g["reason"] == "waiting for your approval ap1: Submit the order form"
        assert ("goal.changed", {"goalId": gid, "change": "waiting_approval", "status": "paused", "reason": g["reason"]}) in env.events
        env.engine.on_approval("approval.requested", {**ask, "id": "x", "origin": f"goal:{gid + 1}/run:r9/task:t1"})  # another goal's
        env.engine.on_approval("approval.decided", {**ask, "status": "approved"})
        assert env.store.get(gid)["status"] == "active" and swarm.cancelled == [], "the run held at its tool call, nothing cancelled"
        swarm._gate["r1"].set()
        g = await env.settle(gid, "complete")
    assert g["status"] == "complete"


async def test_a_user_pause_is_not_undone_by_a_decision(tmp_path: Path) -> None:
    swarm = ScriptedSwarm([], hold=True)
    env = Env(tmp_path, swarm)
    async with asyncio.TaskGroup() as tg:
        await env.engine.start(tg)
        gid = env.engine.create(GoalSpec.model_validate(SPEC))
        await asyncio.sleep(0.05)
        env.engine.pause(gid)
        env.engine.on_approval("approval.decided", {"id": "ap1", "origin": f"goal:{gid}/run:r1/task:t1", "status": "approved"})
        assert env.store.get(gid)["status"] == "paused" and env.store.get(gid)["reason"] == "paused by user"
        await env.engine.stop()


async def test_a_goal_pinned_to_an_endpoint_runs_every_round_there(tmp_path: Path) -> None:
    class Pinned(ScriptedSwarm):
        endpoints: list[Any] = []

        def model_for(self, spec: dict[str, Any]) -> Any:
            if spec["pin"]["endpoint"] != "big":
                raise ValueError(f"no endpoint named {spec['pin']['endpoint']!r}")

        async def start_run(self, goal: str | None = None, *, endpoint: str | None = None, **kw: Any) -> str:
            self.endpoints.append(endpoint)
            return await super().start_run(goal, **kw)

    swarm = Pinned([out("no", "complete"), out("answer=2", "complete")])
    env = Env(tmp_path, swarm)
    gid, g = await env.run({**SPEC, "endpoint": "big"}, "complete")
    assert swarm.endpoints == ["big", "big"]
    with pytest.raises(ValueError, match="no endpoint named 'small'"):
        env.engine.create(GoalSpec.model_validate({**SPEC, "endpoint": "small"}))
    assert len(env.store.list()) == 1, "the refused goal was not created"
