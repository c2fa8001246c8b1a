"""Pool: least-loaded choice, a dead member drained then probed back in."""

import asyncio

import pytest

from swarmbridge.llm.errors import ServerError
from swarmbridge.llm.fake import FakeModel, text
from swarmbridge.llm.gate import Gate
from swarmbridge.llm.pool import Pool


async def test_dead_member_drained_and_recovers() -> None:
    alive = {"dead": False}

    def dead_script(m, t):
        return text("b") if alive["dead"] else ServerError("connection refused")

    good = FakeModel(lambda m, t: text("a"), latency=0.001)
    dead = FakeModel(dead_script)
    pool = Pool([good, dead], failure_threshold=2, cooldown=0.05)
    gate = Gate(pool, max_concurrency=4, base_backoff=0.001)
    outs = await asyncio.gather(*(gate.complete([{"role": "user", "content": "x"}]) for _ in range(30)))
    assert len(outs) == 30
    assert pool.state()[1] in ("open", "half-open")
    calls_to_dead = len(dead.calls)
    assert calls_to_dead <= 4
    alive["dead"] = True
    await asyncio.sleep(0.06)
    for _ in range(5):
        await gate.complete([{"role": "user", "content": "x"}])
    assert pool.state() == ["closed", "closed"]
    assert len(dead.calls) > calls_to_dead


async def test_all_drained_raises_retry() -> None:
    pool = Pool([FakeModel(lambda m, t: ServerError("down"))], failure_threshold=1, cooldown=10)
    with pytest.raises(ServerError):
        await pool.complete([])
    with pytest.raises(ServerError, match="drained"):
        await pool.complete([])
