"""``mcp.browser``: a browser command run on behalf of an external agent (an MCP client), through
the same classification and approval queue as the swarm's own browser tools.

Reads run at once. Anything else becomes an ``ActionRequest`` with origin ``mcp`` (or
``mcp/client:<name>``), so the user's policy for the ``mcp`` origin applies and the approval's audit
trail names the MCP caller; the call waits up to ``approvalTimeoutS`` for the decision, then
answers ``pending`` (the request stays in the queue). An approved action runs exactly once: the
same call repeated while its approval is open (pending, or approved and not yet run) reuses that
approval, so "approve, then call again" runs it once; a call after it ran or was refused asks anew.
The values in the page's fields are part of what was approved: a submit whose form changed after
the person saw it (another call filled something meanwhile) is refused, and a changed form is a
new request.

    {"tool": "browser_click", "args": {"ref": "e7"}, "bridge"?, "client"?, "approvalTimeoutS"?, "confine"?}
    -> {"status": "done", "risk", "result", "approval"?} | {"status": "pending" | "denied", "risk", "approvalId", "summary", "reason"}
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from typing import Any

import pydantic

from ..daemon.services import BrowserLink, Services
from ..policy.approver import ActionRequest, Approver, Decision
from ..policy.queue import ApprovalQueue
from ..protocol.envelope import ErrorCode
from ..rpc.router import CallContext, RpcError
from .commands import COMMANDS
from .judge import Judge, Verdict

SITE = r"^[A-Za-z0-9.-]{1,253}$"


class GatedCall(pydantic.BaseModel):
    """The params of ``mcp.browser``, checked at the daemon's boundary."""

    model_config = pydantic.ConfigDict(extra="forbid", populate_by_name=True)
    tool: str = pydantic.Field(min_length=1, max_length=60)
    args: dict[str, Any] = {}
    bridge: str | None = pydantic.Field(None, min_length=1, max_length=200)
    client: str = pydantic.Field("", pattern=r"^[A-Za-z0-9_.@-]{0,64}$", description="the agent's name, for the audit trail")
    approval_timeout_s: float = pydantic.Field(120.0, alias="approvalTimeoutS", ge=0, le=600)
    timeout_s: float = pydantic.Field(60.0, alias="timeoutS", gt=0, le=600)
    confine: list[pydantic.constr(pattern=SITE)] = pydantic.Field(default_factory=list, max_length=50)  # type: ignore[valid-type]

    @pydantic.field_validator("tool")
    @classmethod
    def _known(cls, v: str) -> str:
        if v not in COMMANDS:
            raise ValueError(f"unknown tool {v!r}; known: {', '.join(sorted(COMMANDS))}")
        return v

    @property
    def origin(self) -> str:
        """``mcp``, or ``mcp/client:<name>``: the user's policy for ``mcp`` covers every MCP client
        (prefixes match whole ``/`` segments), and one for ``mcp/client:<name>`` just that one."""
        return f"mcp/client:{self.client}" if self.client not in ("", "mcp") else "mcp"


class Gatekeeper:
    """Judges, asks and runs external agents' browser commands (one instance per daemon)."""

    def __init__(self, link: BrowserLink, approver: Approver) -> None:
        self.link = link
        self.approver = approver
        self.judge = Judge(link)
        self._locks: dict[str, list[Any]] = {}  # base key -> [lock, callers holding or waiting]

    async def run(self, call: GatedCall) -> dict[str, Any]:
        cmd = COMMANDS[call.tool]
        wire = cmd.args.model_validate(call.args).to_wire()
        if cmd.method not in ("browser.tabs.list", "browser.fetch"):
            wire["caller"] = call.origin  # the agent's own swarm tab unless a tabId names another
        confine = sorted(set(call.confine) | set(self._policy_sites(call.origin)))
        verdict = await self.judge.verdict(cmd, wire, bridge=call.bridge, caller=call.origin, confine=confine)

        async def action() -> Any:
            return await self.link.call(cmd.method, wire, bridge=call.bridge, timeout=call.timeout_s)

        if verdict.risk == "read":
            return {"status": "done", "risk": "read", "result": await action()}

        async def unchanged() -> bool:
            """The form still holds what the person was shown (no fill slipped in while they read)."""
            if "fields" not in verdict.preview:
                return True
            again = await self.judge.verdict(cmd, wire, bridge=call.bridge, caller=call.origin, confine=confine)
            return again.preview.get("fields") == verdict.preview["fields"]

        seen = [call.origin, cmd.method, wire, verdict.url, verdict.preview.get("fields")]
        base = hashlib.sha256(json.dumps(seen, sort_keys=True).encode()).hexdigest()[:32]
        entry = self._locks.setdefault(base, [asyncio.Lock(), 0])
        entry[1] += 1  # one at a time per action: a twin call waits, then finds it run (or asks anew)
        try:
            async with entry[0]:
                return await self._ask_then_run(call, cmd.method, verdict, base, action, unchanged)
        finally:
            entry[1] -= 1
            if entry[1] == 0:
                self._locks.pop(base, None)

    async def _ask_then_run(self, call: GatedCall, method: str, verdict: Verdict, base: str, action, unchanged) -> dict[str, Any]:
        queue = self.approver if isinstance(self.approver, ApprovalQueue) else None
        req = ActionRequest(tool=method, risk=verdict.risk, summary=verdict.summary, preview=verdict.preview,
                            origin=call.origin, idempotency_key=self._open_key(queue, base))
        if queue is not None:
            d = await queue.decide(req, wait=call.approval_timeout_s > 0, timeout=call.approval_timeout_s or None)
            if not d.request_id and (rec := queue.store.by_key(req.idempotency_key)):  # decided by a policy: still on record
                d = Decision(d.approved, d.reason, d.by, d.pending, rec["id"])
        else:
            d = await self.approver.decide(req)
        if not d.approved:
            return self._refusal(d, verdict)
        if not await unchanged():
            return self._refusal(Decision(False, "the page's fields changed after the request was shown; nothing was done: "
                                                 "call again to ask with the new values", "system:changed", request_id=d.request_id), verdict)
        approval = {"approvalId": d.request_id, "by": d.by}
        if queue is None:
            return {"status": "done", "risk": verdict.risk, "result": await action(), "approval": approval}
        result = await queue.run_once(req, action)
        if isinstance(result, Decision):  # decided again in between (expired): a refusal after all
            return self._refusal(result, verdict)
        return {"status": "done", "risk": verdict.risk, "result": result, "approval": approval}

    @staticmethod
    def _refusal(d: Decision, verdict: Verdict) -> dict[str, Any]:
        status = "pending" if d.pending else "denied"
        return {"status": status, "risk": verdict.risk, "approvalId": d.request_id, "summary": verdict.summary,
                "reason": d.reason, "by": d.by}

    @staticmethod
    def _open_key(queue: ApprovalQueue | None, base: str) -> str:
        """The idempotency key of this call's open approval (pending, or approved and not yet
        run), else a fresh one: ``base#0``, ``base#1``... one per time the action is asked for."""
        if queue is None:
            return ""
        for n in range(10_000):
            rec = queue.store.by_key(f"{base}#{n}")
            if rec is None or rec["status"] == "pending" or (rec["status"] == "approved" and rec["executed_at"] is None):
                return f"{base}#{n}"
        raise RpcError(ErrorCode.FORBIDDEN, "this action was asked for too many times")

    def _policy_sites(self, origin: str) -> list[str]:
        """Sites the user's policy for this origin allows: navigation elsewhere asks first."""
        if isinstance(self.approver, ApprovalQueue):
            return list(self.approver.policy_for(origin).allow_sites)
        return []


class McpComponent:
    """Registers ``mcp.browser`` on the daemon (after the policy component: it needs the queue)."""

    name = "mcp"

    async def start(self, services: Services, tg: asyncio.TaskGroup) -> None:
        gate = Gatekeeper(services.browser, services.extras.get("approvals") or services.approver)

        async def browser(params: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
            return await gate.run(GatedCall.model_validate(params))

        services.router.register("mcp.browser", browser)

    async def stop(self) -> None:
        return None
