"""Goal Mode: rounds of swarm work until the goal is complete, blocked, paused, out of budget.

One task per active goal. Each round: check budgets -> start a swarm run with the objective,
criteria, guidance and past rounds -> wait (a pause/cancel stops it at the swarm's next safe
point via ``swarm.cancel``) -> evaluate with the goal's own checks -> decide:

* complete: the agent proposed it AND every check passes;
* blocked: the agent reported the same blocker two rounds running;
* paused: no progress for ``stall_rounds`` rounds (same tool calls, no new findings, or the
  evaluator's score not improving), or a budget ran out (the reason says which);
* otherwise continue.
Goals survive restarts: active goals are picked up again, an interrupted round is recorded as such.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..jsontext import dumps
from ..storage.goals import GoalStore
from .evaluator import Grader, evaluate
from .model import Proposal, GoalSpec, read_proposal

log = logging.getLogger(__name__)
Publish = Callable[[str, dict[str, Any]], None]
FINAL = frozenset({"complete", "failed", "cancelled"})


class GoalEngine:
    def __init__(self, store: GoalStore, swarm: Callable[[], Any], publish: Publish, artefacts: Path, *, swarm_wait_s: float = 2.0,
                 grader: Callable[[], Grader | None] = lambda: None) -> None:
        self.store = store
        self.swarm = swarm
        #: the separate evaluator's model for ``model`` checks (None: no endpoint configured)
        self.grader = grader
        #: at daemon start the swarm component may register after this one: give it this long
        self.swarm_wait_s = swarm_wait_s
        self.publish = publish
        self.artefacts = artefacts
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self._control: dict[int, asyncio.Event] = {}
        self._tg: asyncio.TaskGroup | None = None

    async def start(self, tg: asyncio.TaskGroup) -> None:
        self._tg = tg
        n = self.store.interrupt_open_rounds()
        if n:
            log.info("goals: %d rounds interrupted by the last shutdown", n)
        for g in self.store.list("active"):
            self._launch(g["id"])

    async def stop(self) -> None:
        tasks = list(self._tasks.values())
        for t in tasks:
            t.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=5)

    # control --------------------------------------------------------------------------------
    def create(self, spec: GoalSpec) -> int:
        if spec.model_graded and self.grader() is None:
            raise ValueError("a model check needs a model to grade it: configure an endpoint first (`swarmbridge models detect`)")
        if spec.endpoint and (swarm := self.swarm()) is not None:
            swarm.model_for({"pin": {"endpoint": spec.endpoint}})  # an unknown endpoint is refused now, not in round 1
        goal_id = self.store.create(spec.model_dump())
        self._changed(goal_id, "started")
        self._launch(goal_id)
        return goal_id

    def pause(self, goal_id: int, reason: str = "paused by user") -> None:
        self._set(goal_id, "paused", reason)

    def cancel(self, goal_id: int) -> None:
        self._set(goal_id, "cancelled", "cancelled by user")

    def resume(self, goal_id: int) -> None:
        goal = self._goal(goal_id)
        if goal["status"] in FINAL:
            raise ValueError(f"goal {goal_id} is {goal['status']}; it cannot be resumed")
        self.store.set_status(goal_id, "active", "resumed")
        self._changed(goal_id, "resumed")
        self._launch(goal_id)

    def guide(self, goal_id: int, note: str) -> None:
        self._goal(goal_id)
        self.store.add_guidance(goal_id, note)
        self._changed(goal_id, "guided")

    def edit(self, goal_id: int, objective: str) -> None:
        goal = self._goal(goal_id)
        spec = GoalSpec.model_validate({**goal["spec"], "objective": objective})
        self.store.set_spec(goal_id, spec.model_dump())
        self._changed(goal_id, "edited")

    def on_approval(self, method: str, request: dict[str, Any]) -> None:
        """A run of a goal asks for approval: the goal shows as paused, waiting for you (the run
        holds at that tool call; nothing is cancelled), and is active again once you decide."""
        m = re.match(r"goal:(\d+)/", str(request.get("origin", "")))
        if not m or (goal := self.store.get(int(m.group(1)))) is None:
            return
        gid, waiting = goal["id"], f"waiting for your approval {request.get('id')}"
        if method == "approval.requested" and goal["status"] == "active":
            self.store.set_status(gid, "paused", f"{waiting}: {request.get('summary', '')}"[:500])
            self._changed(gid, "waiting_approval")
        elif method == "approval.decided" and goal["status"] == "paused" and str(goal["reason"]).startswith(waiting):
            self.store.set_status(gid, "active", f"approval {request.get('id')} {request.get('status')}")
            self._changed(gid, "approval_decided")

    def _goal(self, goal_id: int) -> dict[str, Any]:
        goal = self.store.get(goal_id)
        if goal is None:
            raise KeyError(goal_id)
        return goal

    def _set(self, goal_id: int, status: str, reason: str) -> None:
        goal = self._goal(goal_id)
        if goal["status"] in FINAL:
            raise ValueError(f"goal {goal_id} is already {goal['status']}")
        self.store.set_status(goal_id, status, reason)
        if goal_id in self._control:
            self._control[goal_id].set()  # the round in flight stops at its next safe point
        self._changed(goal_id, status)

    def _changed(self, goal_id: int, change: str) -> None:
        goal = self.store.get(goal_id) or {}
        self.publish("goal.changed", {"goalId": goal_id, "change": change, "status": goal.get("status"), "reason": goal.get("reason")})

    def _launch(self, goal_id: int) -> None:
        if goal_id in self._tasks and not self._tasks[goal_id].done():
            return
        assert self._tg is not None, "goal engine not started"
        self._control[goal_id] = asyncio.Event()
        task = self._tg.create_task(self._drive(goal_id), name=f"goal-{goal_id}")
        self._tasks[goal_id] = task

    # rounds ---------------------------------------------------------------------------------
    async def _drive(self, goal_id: int) -> None:
        try:
            while (goal := self.store.get(goal_id)) is not None and goal["status"] == "active":
                self._control[goal_id].clear()
                await self._round(goal)
        except Exception as exc:  # a goal's failure must not take the daemon down
            log.exception("goal %s failed", goal_id)
            self.store.set_status(goal_id, "failed", f"internal error: {type(exc).__name__}: {exc}")
            self._changed(goal_id, "failed")

    async def _round(self, goal: dict[str, Any]) -> None:
        gid, spec, usage = goal["id"], GoalSpec.model_validate(goal["spec"]), dict(goal["usage"])
        over = over_budget(spec, usage)
        if over:
            self._stop(gid, "paused", f"budget exhausted: {over}")
            return
        swarm = await self._find_swarm()
        if swarm is None:
            self._stop(gid, "blocked", "the swarm executor is not part of this daemon yet (services.extras['swarm'] missing)")
            return
        history = self.store.rounds(gid)
        round_id, n = self.store.start_round(gid)
        started = time.monotonic()
        pin = {"endpoint": spec.endpoint} if spec.endpoint else {}
        run_id = await swarm.start_run(build_prompt(goal, spec, history), origin=f"goal:{gid}", budgets=remaining(spec, usage), **pin)
        self.store.update_round(round_id, run_id=str(run_id))
        waiter = asyncio.ensure_future(swarm.wait(run_id))
        control = asyncio.ensure_future(self._control[gid].wait())
        try:
            await asyncio.wait({waiter, control}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            control.cancel()
            if not waiter.done():
                await swarm.cancel(run_id)  # the swarm stops at its next safe point
                waiter.cancel()
        if not waiter.done() or waiter.cancelled():
            now_status = (self.store.get(gid) or {}).get("status", "")
            self.store.update_round(round_id, ended=time.time(), decision="interrupted", reason=f"goal {now_status} during the round")
            return
        res: dict[str, Any] = waiter.result()
        usage = {
            "tokens": usage.get("tokens", 0) + int(res.get("tokens") or 0), "steps": usage.get("steps", 0) + int(res.get("steps") or 0),
            "rounds": usage.get("rounds", 0) + 1, "wall_s": usage.get("wall_s", 0.0) + time.monotonic() - started,
            **({"cost": round(usage.get("cost", 0.0) + float(res["cost"]), 6)} if isinstance(res.get("cost"), (int, float)) else
               {"cost": usage["cost"]} if "cost" in usage else {}),
        }
        self.store.set_usage(gid, usage)
        output = dumps(res.get("outputs"))
        proposal = read_proposal(res.get("outputs"))
        if proposal.proposal == "continue" and res.get("status") in ("failed", "error", "blocked", "done_with_blocked") and not res.get("outputs"):
            # A round whose run failed (no model configured, endpoint down...) reports that as its
            # blocker: the same failure twice in a row blocks the goal with the run's own reason.
            blocked = res.get("blocked") or {}
            why = "; ".join(str(v) for v in blocked.values()) if isinstance(blocked, dict) and blocked else str(res.get("stop_reason") or res.get("error") or res.get("status"))
            proposal = Proposal(proposal="blocked", blocker=f"the round's run {res.get('status')}: {why}"[:500])
        verdict = await evaluate(spec.criteria, output, self.artefacts, objective=spec.objective, deliverables=res.get("deliverables"), grader=self.grader())
        fp = fingerprint(res)
        decision, reason = decide(spec, proposal.proposal, proposal.blocker, verdict.ok, verdict.score, fp, history)
        if decision == "continue" and (over := over_budget(spec, usage)):
            decision, reason = "paused", f"budget exhausted: {over}"
        self.store.update_round(
            round_id, ended=time.time(), proposal=proposal.proposal, decision=decision, reason=reason, score=verdict.score,
            fingerprint=fp, evidence={"checks": verdict.details, "blocker": proposal.blocker, "deliverables": res.get("deliverables")},
            output=output[:20_000],
        )
        self.publish("goal.round_finished", {"goalId": gid, "round": n, "decision": decision, "reason": reason, "score": verdict.score})
        if decision != "continue":
            self._stop(gid, decision, reason)
            if reason.startswith("no progress"):
                self.publish("goal.stalled", {"goalId": gid, "reason": reason})

    async def _find_swarm(self) -> Any:
        deadline = time.monotonic() + self.swarm_wait_s
        while (swarm := self.swarm()) is None and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        return swarm

    def _stop(self, goal_id: int, status: str, reason: str) -> None:
        self.store.set_status(goal_id, status, reason)
        self._changed(goal_id, status)


def decide(spec: GoalSpec, proposal: str, blocker: str, checks_ok: bool, score: float, fp: str, history: list[dict[str, Any]]) -> tuple[str, str]:
    """The round's decision from the proposal, the evaluator and the goal's past rounds."""
    done = [r for r in history if r["decision"] not in ("", "interrupted")]
    if proposal == "complete":
        if checks_ok:
            return "complete", "proposed complete; every check passed"
        proposal_note = "proposed complete but the evaluator's checks failed"
    else:
        proposal_note = ""
    if proposal == "blocked":
        prev = done[-1] if done else None
        if prev and prev["proposal"] == "blocked" and _norm(prev["evidence"].get("blocker", "")) == _norm(blocker):
            return "blocked", f"same blocker two rounds running: {blocker or '(unspecified)'}"
        proposal_note = "blocker reported once; trying again"
    # No progress: this round and the last stall_rounds-1 rounds each repeated the previous one or
    # failed to raise the evaluator's best score.
    scores = [r["score"] or 0.0 for r in done]
    stale_now = bool(done) and (fp == done[-1]["fingerprint"] or score <= max(scores))
    if stale_now:
        run = 1
        for i in range(len(done) - 1, 0, -1):
            prev_best = max((r["score"] or 0.0) for r in done[:i])
            if done[i]["fingerprint"] == done[i - 1]["fingerprint"] or (done[i]["score"] or 0.0) <= prev_best:
                run += 1
            else:
                break
        if run >= spec.stall_rounds:
            return "paused", f"no progress in {run} rounds (same work repeated or evaluator score stuck at {score:.2f})"
    return "continue", proposal_note


def over_budget(spec: GoalSpec, usage: dict[str, Any]) -> str:
    b = spec.budgets
    for key, limit in (("rounds", b.rounds), ("tokens", b.tokens), ("steps", b.steps), ("wall_s", b.wall_s), ("cost", b.cost)):
        if limit is not None and usage.get(key, 0) >= limit:
            return f"{key} {usage.get(key, 0):g}/{limit:g}"
    return ""


def remaining(spec: GoalSpec, usage: dict[str, Any]) -> dict[str, float]:
    """What is left of the goal's budgets, as the next round's run budgets (``runs.start`` names)."""
    b = spec.budgets
    out: dict[str, float] = {}
    for key, limit, run_key in (("tokens", b.tokens, "max_tokens"), ("steps", b.steps, "max_steps"),
                                ("wall_s", b.wall_s, "max_seconds"), ("cost", b.cost, "max_cost")):
        if limit is not None:  # over_budget stops the goal before a round with nothing left starts
            left = limit - usage.get(key, 0)
            out[run_key] = max(1, int(left)) if run_key in ("max_tokens", "max_steps") else max(left, 1e-6)
    return out


def fingerprint(res: dict[str, Any]) -> str:
    """Same tool calls (when the swarm reports them), else same outputs and deliverables."""
    basis = res.get("tool_calls") if res.get("tool_calls") else [res.get("outputs"), res.get("deliverables")]
    return hashlib.sha256(json.dumps(basis, sort_keys=True, default=str).encode()).hexdigest()[:16]


def build_prompt(goal: dict[str, Any], spec: GoalSpec, history: list[dict[str, Any]]) -> str:
    lines = [f"Objective: {spec.objective}", "Success checks (an evaluator verifies them; you cannot declare success yourself):"]
    lines += [f"- {c.model_dump_json()}" for c in spec.criteria]
    if goal["guidance"]:
        lines.append("Guidance from the user:")
        lines += [f"- {g['note']}" for g in goal["guidance"]]
    for r in history[-5:]:
        lines.append(f"Round {r['n']}: decision {r['decision'] or 'none'}; {r['reason']}; checks {r['evidence'].get('checks')}")
    lines.append('End with JSON {"proposal": "continue"|"complete"|"blocked", "blocker": "...", "evidence": ...}.')
    return "\n".join(lines)


def _norm(text: str) -> str:
    return " ".join(text.lower().split())
