"""The bridge registry: picking a bridge, forwarding, and forgetting it on disconnect."""

from __future__ import annotations

import asyncio
import socket

import pytest

from swarmbridge.browser.link import BridgeLink, HelloParams
from swarmbridge.protocol import envelope
from swarmbridge.rpc.connection import Connection
from swarmbridge.rpc.events import EventBus
from swarmbridge.rpc.router import CallContext, Router, RpcError


async def bridge_pair(browser: str, tg: asyncio.TaskGroup):
    """(daemon-side connection, extension-side connection) with the extension answering pings."""
    sa, sb = socket.socketpair()
    ra, wa = await asyncio.open_unix_connection(sock=sa)
    rb, wb = await asyncio.open_unix_connection(sock=sb)
    ext = Router()

    async def ping(params, ctx):
        return {"pong": True, "from": browser, "params": params}

    async def hang(params, ctx):
        await asyncio.sleep(60)

    ext.register("browser.ping", ping)
    ext.register("browser.hang", hang)
    d, e = Connection(ra, wa), Connection(rb, wb, ext)
    tg.create_task(d.serve())
    tg.create_task(e.serve())
    return d, e


async def test_pick_call_and_disconnect():
    bus = EventBus()
    link = BridgeLink(bus)
    async with asyncio.TaskGroup() as tg:
        with pytest.raises(RpcError) as err:
            await link.call("browser.ping")
        assert err.value.code == "no_bridge"
        d1, e1 = await bridge_pair("chrome", tg)
        b1 = link.attach(d1, HelloParams(browser="chrome", profile="Work"))
        assert (await link.call("browser.ping"))["from"] == "chrome"
        d2, e2 = await bridge_pair("firefox", tg)
        link.attach(d2, HelloParams(browser="firefox"))
        with pytest.raises(RpcError, match="2 browsers"):
            await link.call("browser.ping")
        assert (await link.call("browser.ping", bridge="Firefox"))["from"] == "firefox"
        assert (await link.call("browser.ping", bridge=b1.bridge_id))["from"] == "chrome"
        assert (await link.call("browser.ping", bridge="Work"))["from"] == "chrome"
        hanging = asyncio.gather(link.call("browser.hang", bridge="chrome"), return_exceptions=True)
        await asyncio.sleep(0.05)
        e1.close()  # the browser quits
        (err,) = await hanging
        assert isinstance(err, RpcError) and err.code == "unavailable"
        await asyncio.sleep(0.05)
        assert [b["browser"] for b in link.bridges()] == ["firefox"]
        d3, e3 = await bridge_pair("chrome", tg)  # ...and comes back
        waiter = tg.create_task(link.wait_for_bridge(2, "chrome"))
        await asyncio.sleep(0)
        link.attach(d3, HelloParams(browser="chrome"))
        assert await waiter
        assert (await link.call("browser.ping", bridge="chrome"))["from"] == "chrome"
        for c in (d1, d2, d3, e2, e3):
            c.close()


async def test_forward_route_strips_bridge_and_validates():
    link = BridgeLink()
    router = Router()
    conns: dict[str, Connection] = {}
    link.register(router, lambda ctx: conns.get(ctx.conn_id))
    async with asyncio.TaskGroup() as tg:
        d, e = await bridge_pair("chromium", tg)
        conns[d.id] = d
        hello = await router.dispatch(envelope.request("bridge.hello", {"browser": "chromium", "extra": 1}), d.ctx)
        assert hello.result["bridgeId"] == d.ctx.bridge_id
        ctx = CallContext(conn_id="cli")
        out = await router.dispatch(envelope.request("browser.ping", {"bridge": "chromium", "x": 1}), ctx)
        assert out.result["params"] == {"x": 1}
        bad = await router.dispatch(envelope.request("browser.ping", {"bridge": 5}), ctx)
        assert bad.error.code == "invalid_params"
        long = await router.dispatch(envelope.request("bridge.hello", {"browser": "x" * 100}), d.ctx)
        assert long.error.code == "invalid_params"
        d.close()
        e.close()
