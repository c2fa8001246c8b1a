"""Gate: concurrency cap, AIMD shrink, retries, reprompt surfaced, priority order."""

import asyncio
import random

import pytest

from swarmbridge.llm.errors import BadOutput, RateLimited, ServerError
from swarmbridge.llm.fake import FakeModel, text
from swarmbridge.llm.gate import Gate


async def test_concurrency_capped() -> None:
    peak = 0
    gate: Gate

    def script(messages, tools):
        nonlocal peak
        peak = max(peak, gate.active)
        return text("ok")

    gate = Gate(FakeModel(script, latency=0.01), max_concurrency=3)
    results = await asyncio.gather(*(gate.complete([{"role": "user", "content": "x"}]) for _ in range(20)))
    assert len(results) == 20 and peak == 3


async def test_retries_then_succeeds_and_shrinks() -> None:
    calls = 0

    def script(messages, tools):
        nonlocal calls
        calls += 1
        if calls <= 3:
            return RateLimited("slow down", retry_after=0.01)
        return text("done")

    gate = Gate(FakeModel(script), max_concurrency=8, rng=random.Random(1))
    out = await gate.complete([{"role": "user", "content": "x"}])
    assert out.content == "done" and calls == 4
    assert gate.min_limit_seen == 1.0


async def test_bounded_attempts_and_reprompt_surfaced() -> None:
    gate = Gate(FakeModel(lambda m, t: ServerError("boom")), max_attempts=3, base_backoff=0.001)
    with pytest.raises(ServerError):
        await gate.complete([{"role": "user", "content": "x"}])
    n = 0

    def bad(m, t):
        nonlocal n
        n += 1
        return BadOutput("fix your json")

    with pytest.raises(BadOutput):
        await Gate(FakeModel(bad)).complete([{"role": "user", "content": "x"}])
    assert n == 1


async def test_priority_order() -> None:
    order: list[str] = []
    gate = Gate(FakeModel(lambda m, t: text(m[-1]["content"]), latency=0.01), max_concurrency=1)

    async def call(tag: str, prio: float) -> None:
        out = await gate.complete([{"role": "user", "content": tag}], priority=prio)
        order.append(out.content or "")

    first = asyncio.create_task(call("first", 0))
    await asyncio.sleep(0)
    await asyncio.gather(first, call("low", 1), call("high", 9))
    assert order == ["first", "high", "low"]
