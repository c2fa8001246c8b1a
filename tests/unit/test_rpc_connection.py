"""Connection over a real socketpair: requests both ways, malformed frames, close, events, server."""

from __future__ import annotations

import asyncio
import os
import socket
import stat

import pytest

from swarmbridge.protocol import envelope, framing
from swarmbridge.rpc.client import DaemonNotRunning, connect
from swarmbridge.rpc.connection import Connection
from swarmbridge.rpc.events import EventBus
from swarmbridge.rpc.router import Router, RpcError
from swarmbridge.rpc.server import AddressInUse, RpcServer, bind_private


async def pair(router_a: Router | None = None, router_b: Router | None = None, **kw):
    sa, sb = socket.socketpair()
    ra, wa = await asyncio.open_unix_connection(sock=sa)
    rb, wb = await asyncio.open_unix_connection(sock=sb)
    a = Connection(ra, wa, router_a, **kw)
    b = Connection(rb, wb, router_b)
    return a, b


def echo_router() -> Router:
    r = Router()

    async def echo(params, ctx):
        return params

    r.register("echo", echo)
    return r


async def test_requests_flow_both_ways():
    a, b = await pair(echo_router(), echo_router())
    async with asyncio.TaskGroup() as tg:
        tg.create_task(a.serve())
        tg.create_task(b.serve())
        assert await a.request("echo", {"x": 1}) == {"x": 1}
        assert await b.request("echo", {"y": 2}) == {"y": 2}
        with pytest.raises(RpcError) as err:
            await a.request("missing")
        assert err.value.code == "method_not_found"
        a.close()


async def test_malformed_frame_gets_an_error_and_the_connection_lives():
    sa, sb = socket.socketpair()
    ra, wa = await asyncio.open_unix_connection(sock=sa)
    rb, wb = await asyncio.open_unix_connection(sock=sb)
    conn = Connection(ra, wa, echo_router())
    async with asyncio.TaskGroup() as tg:
        tg.create_task(conn.serve())
        wb.write(framing.encode(b"{not json", framing.SOCKET))
        wb.write(framing.encode(b'{"v":1,"id":"q1","kind":"request"}', framing.SOCKET))
        wb.write(framing.encode(envelope.encode(envelope.request("echo", {"ok": True}, "q2")), framing.SOCKET))
        replies = [envelope.decode(await framing.read_frame_async(rb)) for _ in range(3)]
        assert replies[0].error.code == "parse_error"
        assert (replies[1].id, replies[1].error.code) == ("q1", "invalid_request")
        assert replies[2].result == {"ok": True}
        wb.close()
    assert conn.closed


async def test_oversized_frame_closes_the_connection():
    sa, sb = socket.socketpair()
    ra, wa = await asyncio.open_unix_connection(sock=sa)
    _, wb = await asyncio.open_unix_connection(sock=sb)
    conn = Connection(ra, wa, max_frame=1000)
    wb.write(framing.SOCKET.pack(5000))
    await asyncio.wait_for(conn.serve(), 2)
    assert conn.closed
    wb.close()


async def test_close_rejects_pending_with_unavailable():
    a, b = await pair()
    slow = Router()

    async def never(params, ctx):
        await asyncio.sleep(60)

    b._router = slow
    slow.register("never", never)
    async with asyncio.TaskGroup() as tg:
        tg.create_task(a.serve())
        tb = tg.create_task(b.serve())
        call = asyncio.gather(a.request("never"), return_exceptions=True)
        await asyncio.sleep(0.05)
        b.close()
        tb.cancel()
        (err,) = await call
        assert isinstance(err, RpcError) and err.code == "unavailable"


async def test_request_times_out():
    a, b = await pair()
    with pytest.raises(RpcError) as err:
        await a.request("nothing-serves-this", timeout=0.05)
    assert err.value.code == "timeout"
    a.close()
    b.close()


async def test_events_reach_matching_subscribers_only():
    bus = EventBus()
    got: list[str] = []
    a, b = await pair(on_event=lambda c, m: got.append(m.method))
    async with asyncio.TaskGroup() as tg:
        tg.create_task(a.serve())
        tg.create_task(b.serve())
        bus.subscribe(b, ["run."])
        bus.publish("run.step", {"n": 1})
        bus.publish("schedule.fired", {})
        await b.drain()
        await asyncio.sleep(0.05)
        assert got == ["run.step"]
        b.close()
    assert bus.subscribers() == 0


async def test_server_socket_is_private_and_refuses_a_second_bind(tmp_path):
    path = str(tmp_path / "s.sock")
    router = echo_router()
    bus = EventBus()
    async with asyncio.TaskGroup() as tg:
        server = RpcServer(path, router)
        bus.register(router, server.connection)
        await server.start(tg)
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        with pytest.raises(AddressInUse):
            bind_private(path)
        events: list[str] = []
        async with connect(path, on_event=lambda c, m: events.append(m.method)) as conn:
            assert await conn.request("echo", {"a": 1}) == {"a": 1}
            assert await conn.request("events.subscribe", {"topics": ["x."]}) == {"topics": ["x."]}
            bad = await asyncio.gather(conn.request("events.subscribe", {"topics": "x"}), return_exceptions=True)
            assert bad[0].code == "invalid_params"
            bus.publish("x.y", {})
            for _ in range(50):
                if events:
                    break
                await asyncio.sleep(0.01)
            assert events == ["x.y"]
        await server.close()
    assert not os.path.exists(path)


def test_stale_socket_file_is_replaced(tmp_path):
    path = str(tmp_path / "s.sock")
    dead = socket.socket(socket.AF_UNIX)
    dead.bind(path)
    dead.close()  # the file stays, nothing answers
    sock = bind_private(path)
    sock.close()


async def test_client_says_the_daemon_is_not_running(tmp_path):
    with pytest.raises(DaemonNotRunning, match="swarmbridge daemon"):
        async with connect(str(tmp_path / "none.sock")):
            pass


def test_peer_credentials_name_our_uid_and_pid():
    from swarmbridge.rpc.peer import is_same_user, peer_credentials

    a, b = socket.socketpair()
    try:
        creds = peer_credentials(a)
        assert creds == {"uid": os.getuid(), "pid": os.getpid()}
        assert is_same_user(a)
    finally:
        a.close()
        b.close()


async def test_server_drops_a_peer_of_another_user(tmp_path, monkeypatch):
    import swarmbridge.rpc.server as server_mod

    monkeypatch.setattr(server_mod, "is_same_user", lambda sock: False)
    path = str(tmp_path / "s.sock")
    async with asyncio.TaskGroup() as tg:
        server = RpcServer(path, echo_router())
        await server.start(tg)
        reader, writer = await asyncio.open_unix_connection(path)
        writer.write(framing.encode(envelope.encode(envelope.request("echo", {})), framing.SOCKET))
        try:
            data = await asyncio.wait_for(reader.read(), 2)
        except ConnectionResetError:
            data = b""
        assert data == b""  # closed without a reply
        writer.close()
        assert server.connections() == []
        await server.close()


def test_public_surface():
    import swarmbridge.rpc as rpc

    assert rpc.__all__ == sorted(rpc.__all__)
    assert rpc.__all__ == ["AddressInUse", "CallContext", "Connection", "DaemonNotRunning", "EventBus", "Router", "RpcError", "RpcServer", "call", "connect"]


def test_lazy_exports_resolve():
    import swarmbridge.rpc as rpc

    for name in rpc.__all__:
        assert getattr(rpc, name) is not None
    with pytest.raises(AttributeError):
        rpc.Nope  # noqa: B018


async def test_in_flight_requests_are_capped(monkeypatch):
    import swarmbridge.rpc.connection as conn_mod

    monkeypatch.setattr(conn_mod, "MAX_IN_FLIGHT", 2)
    slow = Router()
    gate = asyncio.Event()

    async def wait(params, ctx):
        await gate.wait()
        return "done"

    slow.register("wait", wait)
    a, b = await pair(None, slow)
    async with asyncio.TaskGroup() as tg:
        tg.create_task(a.serve())
        tg.create_task(b.serve())
        calls = [asyncio.ensure_future(a.request("wait")) for _ in range(3)]
        await asyncio.sleep(0.05)
        gate.set()
        results = await asyncio.gather(*calls, return_exceptions=True)
        assert results[:2] == ["done", "done"]
        assert isinstance(results[2], RpcError) and results[2].code == "unavailable"
        a.close()
