"""One gate per endpoint+model: how many calls may be in flight, how fast, in what order.

Why: local servers (Ollama, llama.cpp, vLLM) serve a fixed number of parallel slots and cloud
endpoints have rpm/tpm limits; 300 sub-agents calling at once must queue here, not hammer the
server into 429s. The gate

- limits concurrency (start = the server's own slot count or config) with AIMD: a 429/503/timeout
  halves the limit (at most once per ``cooldown``), each success adds ``1/limit`` back;
- pauses the whole endpoint for a Retry-After;
- meters requests and tokens with token buckets (``rpm``, ``tpm``; 0 = unlimited);
- hands free slots to the waiter with the highest ``priority`` (the swarm passes the task's
  remaining critical path, so long chains go first), FIFO among equals;
- retries ``retry``-kind errors with jittered exponential back-off, at most ``max_attempts``
  times; ``reprompt`` and ``fatal`` errors go straight back to the caller.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import random
import time
from collections.abc import Sequence

from .errors import ModelError, RateLimited, Timeout
from .interface import Completion, Model, ToolSpec


def backoff(attempt: int, base: float, cap: float, rng: random.Random) -> float:
    """Full-jitter exponential back-off for attempt 0, 1, 2, ..."""
    return rng.uniform(0, min(cap, base * (2**attempt)))


class TokenBucket:
    """``rate_per_min`` units per minute, bursting up to one minute's worth; 0 = unlimited."""

    def __init__(self, rate_per_min: float) -> None:
        self.rate = rate_per_min / 60.0
        self.capacity = float(rate_per_min)
        self.level = float(rate_per_min)
        self.stamp = time.monotonic()

    def _refill(self) -> None:
        now = time.monotonic()
        self.level = min(self.capacity, self.level + (now - self.stamp) * self.rate)
        self.stamp = now

    async def take(self, n: float) -> None:
        if not self.rate:
            return
        n = min(n, self.capacity)
        while True:
            self._refill()
            if self.level >= n:
                self.level -= n
                return
            await asyncio.sleep((n - self.level) / self.rate)

    def debit(self, n: float) -> None:
        """Charge usage learned after the fact (may go negative: later callers wait)."""
        if self.rate:
            self._refill()
            self.level -= n


class Gate:
    """Wraps a ``Model``; is a ``Model``. ``stats`` exposes what it did (tests and benches)."""

    def __init__(self, inner: Model, *, max_concurrency: int = 4, min_concurrency: int = 1, rpm: int = 0, tpm: int = 0,
                 max_attempts: int = 6, base_delay: float = 0.2, max_delay: float = 10.0, cooldown: float = 0.5, seed: int | None = None) -> None:
        self.inner = inner
        self.name = inner.name
        self.max_limit = max(1, max_concurrency)
        self.min_limit = max(1, min(min_concurrency, self.max_limit))
        self.limit = float(self.max_limit)
        self.active = 0
        self.max_attempts = max(1, max_attempts)
        self.base_delay, self.max_delay, self.cooldown = base_delay, max_delay, cooldown
        self.requests = TokenBucket(rpm)
        self.tokens = TokenBucket(tpm)
        self.paused_until = 0.0
        self._last_cut = 0.0
        self._waiters: list[tuple[float, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()
        self._rng = random.Random(seed)
        self.stats = {"calls": 0, "ok": 0, "retries": 0, "overloads": 0, "min_limit_seen": self.max_limit, "max_active": 0}

    # -- slots ---------------------------------------------------------------------------------
    async def _acquire(self, priority: float) -> None:
        if self.active < int(self.limit) and not self._waiters:
            self.active += 1
        else:
            fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            entry = (-priority, next(self._seq), fut)
            heapq.heappush(self._waiters, entry)
            try:
                await fut
            except asyncio.CancelledError:
                if fut.done() and not fut.cancelled():
                    self._release()  # we were handed a slot as we were cancelled: pass it on
                else:
                    self._waiters.remove(entry)
                    heapq.heapify(self._waiters)
                raise
        self.stats["max_active"] = max(self.stats["max_active"], self.active)

    def _release(self) -> None:
        self.active -= 1
        self._wake()

    def _wake(self) -> None:
        while self._waiters and self.active < int(self.limit):
            _, _, fut = heapq.heappop(self._waiters)
            if not fut.done():
                self.active += 1
                fut.set_result(None)

    # -- AIMD ----------------------------------------------------------------------------------
    def _overloaded(self, exc: ModelError) -> None:
        self.stats["overloads"] += 1
        now = time.monotonic()
        if exc.retry_after:
            self.paused_until = max(self.paused_until, now + exc.retry_after)
        if now - self._last_cut >= self.cooldown:
            self._last_cut = now
            self.limit = max(float(self.min_limit), self.limit / 2)
            self.stats["min_limit_seen"] = min(self.stats["min_limit_seen"], int(self.limit))

    def _succeeded(self) -> None:
        self.stats["ok"] += 1
        if self.limit < self.max_limit:
            self.limit = min(float(self.max_limit), self.limit + 1.0 / self.limit)
            self._wake()

    # -- Model ---------------------------------------------------------------------------------
    async def complete(self, messages: list[dict], *, tools: Sequence[ToolSpec] | None = None, priority: float = 0.0,
                       max_tokens: int | None = None, json_schema: dict | None = None) -> Completion:
        last: ModelError | None = None
        for attempt in range(self.max_attempts):
            if attempt:
                self.stats["retries"] += 1
                delay = backoff(attempt - 1, self.base_delay, self.max_delay, self._rng)
                await asyncio.sleep(max(delay, (last.retry_after or 0) if last else 0))
            await self._acquire(priority)
            try:
                while (wait := self.paused_until - time.monotonic()) > 0:
                    await asyncio.sleep(wait)
                await self.requests.take(1)
                await self.tokens.take(sum(len(str(m.get("content") or "")) for m in messages) / 4)
                self.stats["calls"] += 1
                result = await self.inner.complete(messages, tools=tools, priority=priority, max_tokens=max_tokens, json_schema=json_schema)
            except ModelError as exc:
                if exc.kind != "retry":
                    raise
                if isinstance(exc, (RateLimited, Timeout)) or exc.status == 503:
                    self._overloaded(exc)
                last = exc
                continue
            finally:
                self._release()
            self.tokens.debit(result.usage.completion_tokens)
            self._succeeded()
            return result
        assert last is not None
        raise last
