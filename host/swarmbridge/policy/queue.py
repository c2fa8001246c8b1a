"""The approval queue: the daemon's Approver. A request is persisted before anyone is asked; the
same idempotency key always gets the same decision (also across a restart); an approved action is
recorded as executed exactly once; unanswered requests expire as denied; every step is audited.

    queue.decide(request)                 -> Decision   (waits for a person unless the policy decides)
    queue.decide(request, wait=False)     -> Decision(pending=True) for headless callers
    queue.run_once(request, action)       -> the action's result, run at most once per key
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Awaitable, Callable
from typing import Any

from ..storage.approvals import ApprovalStore
from .approver import ActionRequest, Decision
from .rules import Policy

Publish = Callable[[str, dict[str, Any]], None]


def covers(prefix: str, origin: str) -> bool:
    """Whether a policy set for ``prefix`` reaches ``origin``: whole segments only, so "goal:7"
    covers "goal:7" and "goal:7/run:ab/task:t1" but never "goal:70"; "goal:" covers every goal."""
    if not prefix or origin == prefix:
        return True
    return origin.startswith(prefix) and (prefix[-1] in ":/" or origin[len(prefix)] == "/")


class ApprovalQueue:
    def __init__(self, store: ApprovalStore, publish: Publish, *, ttl: float = 900.0, policies: dict[str, Policy] | None = None, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.publish = publish
        self.ttl = ttl
        self.policies = policies if policies is not None else {}
        self.clock = clock
        self._waiters: dict[str, list[asyncio.Future[Decision]]] = {}
        self._wake = asyncio.Event()

    # ---- policy ----
    def policy_for(self, origin: str) -> Policy:
        """The most specific policy whose origin prefix matches ("goal:12" before "goal:" before "")."""
        best = ""
        for prefix in self.policies:
            if covers(prefix, origin) and len(prefix) >= len(best):
                best = prefix
        return self.policies.get(best, Policy())

    # ---- the Approver seam ----
    async def decide(self, request: ActionRequest, *, wait: bool = True, timeout: float | None = None) -> Decision:
        key = request.idempotency_key or secrets.token_hex(16)
        existing = self.store.by_key(key)
        if existing is None:
            auto = self.policy_for(request.origin).auto(request)
            rec = self._record(request, key, auto)
            self.store.insert(rec)
            if auto is not None:
                return auto
            self.publish("approval.requested", self.public(rec))
            self._wake.set()
            existing = rec
        if existing["status"] != "pending":
            return self._decision(existing)
        if not wait:
            return Decision(False, "waiting for approval", "queue", pending=True, request_id=existing["id"])
        fut: asyncio.Future[Decision] = asyncio.get_running_loop().create_future()
        self._waiters.setdefault(existing["id"], []).append(fut)
        limit = max(0.0, existing["expires_at"] - self.clock())
        try:
            return await asyncio.wait_for(asyncio.shield(fut), timeout=min(limit, timeout) if timeout else limit + 1.0)
        except TimeoutError:
            self.expire_due()
            rec = self.store.get(existing["id"])
            if rec and rec["status"] != "pending":
                return self._decision(rec)
            return Decision(False, "waiting for approval", "queue", pending=True, request_id=existing["id"])
        finally:
            waiters = self._waiters.get(existing["id"], [])
            if fut in waiters:
                waiters.remove(fut)

    async def run_once(self, request: ActionRequest, action: Callable[[], Awaitable[Any]]) -> Any:
        """Decide, then run ``action`` only if approved and not already run for this key; a repeat
        returns the recorded result (or the refusal) without running anything."""
        decision = await self.decide(request)
        if not decision.approved:
            return decision
        rec = self.store.by_key(request.idempotency_key) if request.idempotency_key else None
        if rec and rec["executed_at"] is not None:
            return rec["result"]
        result = await action()
        if rec:
            self.store.mark_executed(rec["id"], result)
        return result

    # ---- people ----
    def approve(self, approval_id: str, by: str = "user", reason: str = "") -> dict[str, Any]:
        return self._finish(approval_id, "approved", by, reason or "approved")

    def deny(self, approval_id: str, by: str = "user", reason: str = "") -> dict[str, Any]:
        return self._finish(approval_id, "denied", by, reason or "denied")

    def _finish(self, approval_id: str, status: str, by: str, reason: str) -> dict[str, Any]:
        rec = self.store.get(approval_id)
        if rec is None:
            raise KeyError(approval_id)
        if not self.store.decide(approval_id, status, by, reason):
            raise ValueError(f"approval {approval_id} is already {rec['status']}")
        rec = self.store.get(approval_id)
        self.publish("approval.decided", self.public(rec))
        for fut in self._waiters.pop(approval_id, []):
            if not fut.done():
                fut.set_result(self._decision(rec))
        return self.public(rec)

    # ---- expiry ----
    def expire_due(self) -> int:
        n = 0
        for approval_id in self.store.due_expiry(self.clock()):
            try:
                self._finish(approval_id, "expired", "system:expiry", "no answer in time: treated as denied")
                n += 1
            except ValueError:
                pass
        return n

    async def run_expiry(self) -> None:
        """Sleep until the next request is due to expire (no polling); woken by new requests."""
        while True:
            self.expire_due()
            nxt = self.store.next_expiry()
            self._wake.clear()
            delay = None if nxt is None else max(0.0, nxt - self.clock())
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=delay)
            except TimeoutError:
                pass

    # ---- records ----
    def _record(self, req: ActionRequest, key: str, auto: Decision | None) -> dict[str, Any]:
        now = self.clock()
        return {
            "id": "a" + secrets.token_hex(6), "key": key, "tool": req.tool, "risk": req.risk, "summary": req.summary,
            "preview": req.preview, "origin": req.origin,
            "status": "pending" if auto is None else ("approved" if auto.approved else "denied"),
            "reason": "" if auto is None else auto.reason, "decided_by": "" if auto is None else auto.by,
            "created_at": now, "expires_at": now + self.ttl, "decided_at": None if auto is None else now,
        }

    @staticmethod
    def _decision(rec: dict[str, Any]) -> Decision:
        return Decision(rec["status"] == "approved", rec["reason"], rec["decided_by"], request_id=rec["id"])

    @staticmethod
    def public(rec: dict[str, Any]) -> dict[str, Any]:
        keys = ("id", "tool", "risk", "summary", "preview", "origin", "status", "reason", "created_at", "expires_at", "decided_at", "executed_at")
        out = {k: rec.get(k) for k in keys}
        out["decidedBy"] = rec.get("decided_by")
        return out
