"""Gate and pool against FakeModel: priorities, AIMD, Retry-After, buckets, retries, circuits."""

from __future__ import annotations

import asyncio
import time

import pytest

from swarmbridge.llm import BadOutput, Fatal, FakeModel, RateLimited, ServerError
from swarmbridge.llm.fake import text
from swarmbridge.llm.gate import Gate, TokenBucket
from swarmbridge.llm.pool import Pool

MSG = [{"role": "user", "content": "hi"}]


async def test_concurrency_limit_and_priority_order() -> None:
    order: list[str] = []
    inner = FakeModel(lambda m, t: (order.append(m[0]["content"]), text("ok"))[1], latency=0.02)
    gate = Gate(inner, max_concurrency=1)
    first = asyncio.ensure_future(gate.complete([{"role": "user", "content": "first"}]))
    await asyncio.sleep(0.005)
    rest = [asyncio.ensure_future(gate.complete([{"role": "user", "content": f"p{p}"}], priority=p)) for p in (1, 5, 3)]
    await asyncio.gather(first, *rest)
    assert order == ["first", "p5", "p3", "p1"]
    assert gate.stats["max_active"] == 1


async def test_aimd_shrinks_on_429_and_grows_back() -> None:
    n = {"i": 0}

    def script(m, t):
        n["i"] += 1
        return RateLimited("busy", retry_after=0.05) if n["i"] <= 3 else text("ok")

    gate = Gate(FakeModel(script, latency=0.005), max_concurrency=8, base_delay=0.01, cooldown=0.0, seed=1)
    t0 = time.monotonic()
    res = await asyncio.gather(*(gate.complete(MSG) for _ in range(40)))
    assert len(res) == 40 and gate.stats["overloads"] == 3
    assert gate.stats["min_limit_seen"] == 1  # 8 -> 4 -> 2 -> 1
    assert time.monotonic() - t0 >= 0.05  # Retry-After paused the endpoint
    assert gate.limit > 1  # additive increase after the storm


async def test_retry_bounded_and_reprompt_fatal_surface() -> None:
    gate = Gate(FakeModel(lambda m, t: ServerError("down")), max_attempts=3, base_delay=0.001)
    with pytest.raises(ServerError):
        await gate.complete(MSG)
    assert gate.stats["calls"] == 3
    for exc in (BadOutput("fix it"), Fatal("401")):
        g = Gate(FakeModel(lambda m, t, e=exc: e), max_attempts=5)
        with pytest.raises(type(exc)):
            await g.complete(MSG)
        assert g.stats["calls"] == 1


async def test_token_bucket_rate() -> None:
    b = TokenBucket(600)  # 10/s, burst 600
    b.level = 0
    t0 = time.monotonic()
    await b.take(1)
    assert 0.08 <= time.monotonic() - t0 < 0.5


async def test_cancelled_waiter_does_not_leak_slot() -> None:
    gate = Gate(FakeModel(lambda m, t: text("ok"), latency=0.05), max_concurrency=1)
    a = asyncio.ensure_future(gate.complete(MSG))
    await asyncio.sleep(0.005)
    b = asyncio.ensure_future(gate.complete(MSG))
    await asyncio.sleep(0.005)
    b.cancel()
    await a
    assert (await gate.complete(MSG)).content == "ok" and gate.active == 0


async def test_pool_drains_dead_member_and_probes_it_back() -> None:
    alive = {"b": False}
    a = FakeModel(lambda m, t: text("a"), latency=0.01, name="a")
    b = FakeModel(lambda m, t: text("b") if alive["b"] else ServerError("refused"), name="b")
    pool = Pool([a, b], threshold=2, cooldown=0.05, base_delay=0.001, seed=0)
    outs = [c.content for c in await asyncio.gather(*(pool.complete(MSG) for _ in range(10)))]
    assert set(outs) == {"a"}  # every call succeeded, on the live member
    assert pool.members[1].stats["opened"] >= 1 and len(b.calls) <= 3  # drained after 2 failures
    alive["b"] = True
    await asyncio.sleep(0.06)
    outs = await asyncio.gather(*(pool.complete(MSG) for _ in range(6)))
    assert "b" in {o.content for o in outs} and pool.members[1].state(time.monotonic()) == "closed"
