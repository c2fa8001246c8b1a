"""Gate and pool over the real openai client and real scripted servers."""

from __future__ import annotations

import asyncio
import time

from swarmbridge.llm.gate import Gate
from swarmbridge.llm.openai_model import OpenAIModel
from swarmbridge.llm.pool import Pool
from swarmbridge.testing import Faults, ScriptedServer, SwarmRules

MSG = [{"role": "system", "content": "ROLE: worker"}, {"role": "user", "content": "go"}]


async def test_429_storm_backs_off_and_everything_succeeds() -> None:
    storm = {i: "429" for i in range(12)}  # the first 12 calls are refused with Retry-After
    srv = ScriptedServer(Faults(SwarmRules(), script=storm, retry_after=0.2), latency=0.01)
    async with srv as url:
        model = OpenAIModel(url, "scripted", timeout=5)
        gate = Gate(model, max_concurrency=8, base_delay=0.02, max_attempts=8, cooldown=0.0, seed=3)
        t0 = time.monotonic()
        res = await asyncio.gather(*(gate.complete(MSG) for _ in range(30)))
        wall = time.monotonic() - t0
        await model.aclose()
    assert len(res) == 30 and all(r.content for r in res)
    assert gate.stats["min_limit_seen"] <= 2  # concurrency shrank
    assert 0.2 <= wall < 10  # Retry-After honoured, bounded time


async def test_pool_drains_a_killed_member() -> None:
    a, b = ScriptedServer(latency=0.01), ScriptedServer(latency=0.01)
    ua, ub = await a.start(), await b.start()
    ma, mb = OpenAIModel(ua, "scripted", timeout=2), OpenAIModel(ub, "scripted", timeout=2)
    pool = Pool([Gate(ma, max_attempts=1), Gate(mb, max_attempts=1)], threshold=2, cooldown=30, base_delay=0.01, seed=1)
    try:
        first = await asyncio.gather(*(pool.complete(MSG) for _ in range(10)))
        assert len(b.requests) > 0
        await b.close()
        seen_b = len(b.requests)
        res = await asyncio.gather(*(pool.complete(MSG) for _ in range(40)))
        assert len(first) == 10 and len(res) == 40
        assert pool.members[1].state(time.monotonic()) == "open"
        assert len(b.requests) == seen_b and len(a.requests) >= 40
    finally:
        await a.close()
        await ma.aclose()
        await mb.aclose()
