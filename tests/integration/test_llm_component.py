"""The models component: config -> services.extras["model"] that answers through a real server."""

from __future__ import annotations

import asyncio

from swarmbridge.daemon.services import Services
from swarmbridge.llm.component import ModelsComponent
from swarmbridge.paths import Paths
from swarmbridge.policy.approver import DenyAll
from swarmbridge.rpc.router import Router
from swarmbridge.testing import ScriptedServer


class _Events:
    def publish(self, method: str, params: dict) -> None:
        pass


def _services(tmp_path) -> Services:
    paths = Paths(tmp_path / "c", tmp_path / "d", tmp_path / "l", tmp_path / "r").ensure()
    return Services(paths=paths, router=Router(), events=_Events(), browser=None, approver=DenyAll())  # type: ignore[arg-type]


async def test_worker_model_from_config(tmp_path) -> None:
    async with ScriptedServer() as url:
        s = _services(tmp_path)
        s.paths.config_file.write_text(f'[endpoints.local]\nbase_url = "{url}"\nmodel = "scripted"\nmax_concurrency = 2\n[roles]\nworker = "local"\n')
        comp = ModelsComponent()
        async with asyncio.TaskGroup() as tg:
            await comp.start(s, tg)
        c = await s.extras["model"].complete([{"role": "system", "content": "ROLE: worker"}, {"role": "user", "content": "hi"}])
        assert c.content == "result: hi" and s.extras["model"].for_role("worker").name.startswith("local:scripted@")
        await comp.stop()


async def test_each_role_goes_to_its_endpoint(tmp_path) -> None:
    """A big model plans, a small one verifies; roles without an entry use the worker's; a run can
    be pinned to one endpoint by name."""
    from swarmbridge.testing import Reply

    seen: dict[str, list[str]] = {"big": [], "small": []}

    def answer(who: str):
        return lambda req: (seen[who].append(req["messages"][0]["content"].split("\n")[0]), Reply(content=who))[1]

    async with ScriptedServer(answer("big")) as big, ScriptedServer(answer("small")) as small:
        s = _services(tmp_path)
        s.paths.config_file.write_text(f'[endpoints.big]\nbase_url = "{big}"\nmodel = "m-big"\n[endpoints.small]\nbase_url = "{small}"\nmodel = "m-small"\n'
                                       '[roles]\nplanner = "big"\nworker = "big"\nverifier = "small"\n')
        comp = ModelsComponent()
        async with asyncio.TaskGroup() as tg:
            await comp.start(s, tg)
        model = s.extras["model"]
        for role in ("planner", "replanner", "verifier", "writer", "autofill"):
            await model.complete([{"role": "system", "content": f"ROLE: {role}\nwhatever"}, {"role": "user", "content": "x"}])
        await model.complete([{"role": "user", "content": "no system prompt"}])
        assert seen["small"] == ["ROLE: verifier"]
        assert seen["big"] == ["ROLE: planner", "ROLE: replanner", "ROLE: writer", "ROLE: autofill", "no system prompt"]
        pinned = model.pinned("small")
        assert (await pinned.complete([{"role": "system", "content": "ROLE: planner"}, {"role": "user", "content": "x"}])).content == "small"
        try:
            model.pinned("nowhere")
        except ValueError as exc:
            assert "no endpoint named 'nowhere'; configured: big, small" in str(exc)
        else:
            raise AssertionError("an unknown endpoint must be refused")
        await comp.stop()


async def test_no_config_no_model_and_bad_config_does_not_stop_daemon(tmp_path) -> None:
    s = _services(tmp_path)
    comp = ModelsComponent()
    async with asyncio.TaskGroup() as tg:
        await comp.start(s, tg)
    assert s.extras["model"] is None
    s2 = _services(tmp_path / "b")
    s2.paths.config_file.write_text("[endpoints.x\n")
    async with asyncio.TaskGroup() as tg:
        await ModelsComponent().start(s2, tg)
    assert s2.extras["model"] is None
