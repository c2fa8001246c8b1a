"""The daemon's composition root in-process: components start before the socket accepts, their
methods are served, they stop on shutdown; core methods answer; the instance lock holds."""

from __future__ import annotations

import asyncio
import os

import pytest

from swarmbridge.daemon.app import Daemon
from swarmbridge.daemon.lock import AlreadyRunning, InstanceLock
from swarmbridge.paths import user_paths
from swarmbridge.rpc.client import connect

LOG: list[str] = []


class Probe:
    name = "probe"

    async def start(self, services, tg):
        LOG.append(f"start:{os.path.exists(services.paths.socket)}")

        async def hello(params, ctx):
            services.events.publish("probe.said", {"to": params.get("to")})
            return {"hi": params.get("to")}

        services.router.register("probe.hello", hello)
        tg.create_task(asyncio.sleep(3600))  # a long-running loop the shutdown must cancel

    async def stop(self):
        LOG.append("stop")


async def test_components_start_serve_and_stop(sb_home):
    LOG.clear()
    paths = user_paths().ensure()
    daemon = Daemon(paths, components=[f"{__name__}:Probe"])
    task = asyncio.create_task(daemon.serve())
    for _ in range(200):
        if os.path.exists(paths.socket):
            break
        await asyncio.sleep(0.01)
    assert LOG == ["start:False"]  # started before the socket existed
    events = []
    async with connect(paths.socket, on_event=lambda c, m: events.append((m.method, m.params))) as conn:
        await conn.request("events.subscribe", {"topics": ["probe."]})
        assert await conn.request("probe.hello", {"to": "you"}) == {"hi": "you"}
        status = await conn.request("daemon.status", {})
        assert status["socket"] == paths.socket and "probe.hello" in status["methods"]
        assert (await conn.request("bridges.list", {})) == {"bridges": []}
        with pytest.raises(Exception) as err:
            await conn.request("browser.ping", {})
        assert getattr(err.value, "code", None) == "no_bridge"
        assert await conn.request("daemon.shutdown", {}) == {"ok": True}
        assert events == [("probe.said", {"to": "you"})]
    await asyncio.wait_for(task, 5)
    assert LOG == ["start:False", "stop"]
    assert not os.path.exists(paths.socket)


def test_instance_lock_is_exclusive(tmp_path):
    first = InstanceLock(tmp_path / "d.lock").acquire()
    try:
        with pytest.raises(AlreadyRunning, match=str(os.getpid())):
            InstanceLock(tmp_path / "d.lock").acquire()
    finally:
        first.release()
    InstanceLock(tmp_path / "d.lock").acquire().release()
