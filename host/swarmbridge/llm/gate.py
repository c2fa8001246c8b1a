"""Per-endpoint gate: concurrency (AIMD), priority order, Retry-After pauses and bounded retries.

Why: local servers (Ollama, llama.cpp) serve a handful of requests at once and answer overload
with 429/503 or by timing out. One gate per endpoint+model keeps every caller behind a single
limit that shrinks on overload and grows back on success, so a swarm of sub-agents degrades
into queueing instead of errors. Retry-kind errors are retried here (the only retry layer);
reprompt- and fatal-kind errors go straight back to the caller.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import random
import time
from collections.abc import Sequence

from swarmbridge.llm.errors import ModelError
from swarmbridge.llm.interface import Completion, Model, ToolSpec


class Gate:
    """Wraps a Model; implements Model. Higher ``priority`` is admitted first."""

    def __init__(
        self,
        model: Model,
        *,
        max_concurrency: int = 4,
        min_concurrency: int = 1,
        max_attempts: int = 6,
        base_backoff: float = 0.05,
        max_backoff: float = 5.0,
        rng: random.Random | None = None,
    ) -> None:
        if max_concurrency < 1 or min_concurrency < 1 or max_attempts < 1:
            raise ValueError("max_concurrency, min_concurrency and max_attempts must be >= 1")
        self.name = model.name
        self._model = model
        self.max_concurrency = max_concurrency
        self.min_concurrency = min(min_concurrency, max_concurrency)
        self.limit: float = float(max_concurrency)
        self.max_attempts = max_attempts
        self._base = base_backoff
        self._max_backoff = max_backoff
        self._rng = rng or random.Random()
        self._active = 0
        self._paused_until = 0.0
        self._seq = itertools.count()
        self._waiters: list[tuple[float, int, asyncio.Future[None]]] = []
        self.min_limit_seen = self.limit

    @property
    def active(self) -> int:
        """Requests currently in flight through this gate."""
        return self._active

    def _capacity(self) -> int:
        return max(self.min_concurrency, int(self.limit))

    def _wake(self) -> None:
        while self._waiters and self._active < self._capacity():
            _, _, fut = heapq.heappop(self._waiters)
            if fut.done():
                continue
            self._active += 1
            fut.set_result(None)

    async def _acquire(self, priority: float) -> None:
        if not self._waiters and self._active < self._capacity():
            self._active += 1
            return
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiters, (-priority, next(self._seq), fut))
        try:
            await fut
        except asyncio.CancelledError:
            if fut.done() and not fut.cancelled():
                self._release()
            raise

    def _release(self) -> None:
        self._active -= 1
        self._wake()

    def _on_success(self) -> None:
        """Additive increase: one more slot per `limit` successes."""
        self.limit = min(float(self.max_concurrency), self.limit + 1.0 / max(self.limit, 1.0))
        self._wake()

    def _on_overload(self, retry_after: float | None) -> None:
        """Multiplicative decrease; Retry-After pauses the whole endpoint."""
        self.limit = max(float(self.min_concurrency), self.limit / 2)
        self.min_limit_seen = min(self.min_limit_seen, self.limit)
        if retry_after:
            self._paused_until = max(self._paused_until, time.monotonic() + retry_after)

    async def complete(
        self,
        messages: list[dict],
        *,
        tools: Sequence[ToolSpec] | None = None,
        priority: float = 0.0,
        max_tokens: int | None = None,
        json_schema: dict | None = None,
    ) -> Completion:
        """Run one completion through the gate, retrying retry-kind errors with jittered back-off."""
        attempt = 0
        while True:
            attempt += 1
            await self._acquire(priority)
            try:
                pause = self._paused_until - time.monotonic()
                if pause > 0:
                    await asyncio.sleep(pause)
                result = await self._model.complete(
                    messages, tools=tools, priority=priority, max_tokens=max_tokens, json_schema=json_schema
                )
            except ModelError as exc:
                if exc.kind != "retry":
                    raise
                self._on_overload(exc.retry_after)
                if attempt >= self.max_attempts:
                    raise
                delay = exc.retry_after or min(self._max_backoff, self._base * 2 ** (attempt - 1))
                delay *= 0.5 + self._rng.random()
            else:
                self._on_success()
                return result
            finally:
                self._release()
            await asyncio.sleep(delay)
