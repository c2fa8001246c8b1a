"""A run's tokens and cost: every role's calls (planner, workers, writer) through one meter, priced
by the endpoint's per-million prices, over the real openai client and a scripted server; the
totals survive in the recorded events (a restarted daemon shows them), and a cost budget stops
the run with its reason."""

from __future__ import annotations

import pytest

from swarmbridge.llm.openai_model import OpenAIModel
from swarmbridge.storage.runs import RunStore
from swarmbridge.swarm.service import SwarmService
from swarmbridge.testing import ScriptedServer, SwarmRules
from swarmbridge.tools.base import ToolRegistry
from swarmbridge.tools.builtin import Echo

PRICES = (3.0, 15.0)  # USD per million prompt / completion tokens


def _service(tmp_path, model) -> SwarmService:
    return SwarmService(RunStore(str(tmp_path / "r.db")), ToolRegistry([Echo()]), model=model, extras={"artifacts_dir": str(tmp_path / "art")})


async def test_every_roles_tokens_are_counted_and_priced(tmp_path) -> None:
    server = ScriptedServer(SwarmRules(plan_width=3, worker_tool_calls=1))
    async with server:
        model = OpenAIModel(server.base_url, "scripted", tool_mode="native", prices=PRICES)
        svc = _service(tmp_path, model)
        rid = await svc.start_run(goal="compare three cameras")
        res = await svc.wait(rid)
        await svc.close()
        await model.aclose()
        used = dict(server.usage)
    assert res["status"] == "done" and res["deliverables"], res
    assert res["tokens"] == used["prompt_tokens"] + used["completion_tokens"], "planner, workers and writer all counted"
    assert res["cost"] == pytest.approx((used["prompt_tokens"] * 3.0 + used["completion_tokens"] * 15.0) / 1e6, abs=1e-6)
    again = _service(tmp_path, None)  # another process: the recorded totals, writer's share included
    shown = again.get(rid)
    assert shown["tokens"] == res["tokens"] and shown["cost"] == pytest.approx(res["cost"], abs=1e-6)
    again.store.close()
    svc.store.close()


async def test_unpriced_endpoint_has_no_cost_and_cost_budget_stops(tmp_path) -> None:
    server = ScriptedServer(SwarmRules(worker_tool_calls=2))
    async with server:
        free = OpenAIModel(server.base_url, "scripted", tool_mode="native")
        (tmp_path / "a").mkdir()
        svc = _service(tmp_path / "a", free)
        res = await svc.wait(await svc.start_run(recipe={"goal": "g", "steps": [{"id": "a", "instructions": "x"}]}))
        assert res["tokens"] > 0 and "cost" not in res, "no prices: unknown, not free"
        await svc.close()
        svc.store.close()
        priced = OpenAIModel(server.base_url, "scripted", tool_mode="native", prices=(1000.0, 1000.0))
        (tmp_path / "b").mkdir()
        svc = _service(tmp_path / "b", priced)
        steps = [{"id": f"s{i}", "instructions": "x"} for i in range(6)]
        res = await svc.wait(await svc.start_run(recipe={"goal": "g", "steps": steps}, budgets={"max_cost": 0.05, "max_agents": 1}))
        assert res["status"] == "stopped" and res["stop_reason"].startswith("cost budget reached ($0.") and len(res["outputs"]) < 6
        await svc.close()
        svc.store.close()
        await free.aclose()
        await priced.aclose()
