"""The approval queue as a daemon component: it becomes ``services.approver`` for every other
component (so it must start first) and serves ``approvals.*`` and ``policies.*``."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pydantic

from ..daemon.services import Services
from ..protocol.envelope import ErrorCode
from ..rpc.router import CallContext, RpcError
from ..storage.approvals import ApprovalStore
from ..storage.db import connect
from .approver import ActionRequest
from .queue import ApprovalQueue
from .rules import Policy, classify

log = logging.getLogger(__name__)


class _Request(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid", populate_by_name=True)
    tool: str = pydantic.Field(min_length=1, max_length=100)
    summary: str = pydantic.Field(min_length=1, max_length=500)
    risk: str | None = None
    preview: dict[str, Any] = {}
    origin: str = "client"
    idempotency_key: str = pydantic.Field("", alias="idempotencyKey", max_length=200)
    wait: bool = True
    timeout_s: float = pydantic.Field(600.0, alias="timeoutS", gt=0, le=3600)


def _who(ctx: CallContext) -> str:
    return f"user:bridge:{ctx.bridge_id}" if ctx.bridge_id else "user:cli"


def load_policies(stored: dict[str, Any]) -> dict[str, Policy]:
    """The stored policies; one that no longer validates (written by an older version) becomes
    "ask" for its origin, with a log line: the daemon starts, nothing is allowed that was not, and
    the stored row is left as it was for the user to fix (`approvals policy ORIGIN ...`)."""
    out: dict[str, Policy] = {}
    for origin, data in stored.items():
        try:
            out[origin] = Policy.model_validate(data)
        except pydantic.ValidationError as exc:
            log.error("approval policy for %r is invalid and is treated as 'ask' until it is set again: %s", origin or "(default)", exc)
            out[origin] = Policy()
    return out


class PolicyComponent:
    name = "policy"

    async def start(self, services: Services, tg: asyncio.TaskGroup) -> None:
        store = ApprovalStore(connect(services.paths.db_file))
        policies = load_policies(store.policies())
        self.queue = queue = ApprovalQueue(store, services.events.publish, policies=policies)
        services.approver = queue
        services.extras["approvals"] = queue
        r = services.router

        async def list_(params: dict, ctx: CallContext) -> dict:
            status = None if params.get("all") else str(params.get("status", "pending"))
            queue.expire_due()
            return {"approvals": [queue.public(x) for x in store.list(status=status)]}

        async def get(params: dict, ctx: CallContext) -> dict:
            rec = store.get(str(params.get("id", "")))
            if rec is None:
                raise RpcError(ErrorCode.NOT_FOUND, f"no approval {params.get('id')!r}")
            return {**queue.public(rec), "audit": store.audit_of(rec["id"])}

        def decider(fn):
            async def handler(params: dict, ctx: CallContext) -> dict:
                try:
                    return fn(str(params.get("id", "")), _who(ctx), str(params.get("reason", ""))[:500])
                except KeyError:
                    raise RpcError(ErrorCode.NOT_FOUND, f"no approval {params.get('id')!r}") from None
                except ValueError as exc:
                    raise RpcError(ErrorCode.INVALID_PARAMS, str(exc)) from None
            return handler

        async def request(params: dict, ctx: CallContext) -> dict:
            p = _Request.model_validate(params)
            risk = p.risk if p.risk in ("read", "mutate", "sensitive") else classify(p.tool, p.preview)
            req = ActionRequest(tool=p.tool, risk=risk, summary=p.summary, preview=p.preview, origin=p.origin, idempotency_key=p.idempotency_key)  # type: ignore[arg-type]
            d = await queue.decide(req, wait=p.wait, timeout=p.timeout_s)
            return {"approved": d.approved, "pending": d.pending, "reason": d.reason, "by": d.by, "id": d.request_id, "risk": risk}

        async def set_policy(params: dict, ctx: CallContext) -> dict:
            origin = str(params.get("origin", ""))
            if params.get("policy") is None:
                queue.policies.pop(origin, None)
                store.set_policy(origin, None)
                return {"origin": origin, "policy": None}
            policy = Policy.model_validate(params["policy"])
            queue.policies[origin] = policy
            store.set_policy(origin, policy.model_dump(by_alias=True))
            return {"origin": origin, "policy": policy.model_dump(by_alias=True)}

        async def get_policies(params: dict, ctx: CallContext) -> dict:
            return {"policies": {o: p.model_dump(by_alias=True) for o, p in queue.policies.items()}}

        r.register("approvals.list", list_)
        r.register("approvals.get", get)
        r.register("approvals.approve", decider(queue.approve))
        r.register("approvals.deny", decider(queue.deny))
        r.register("approvals.request", request)
        r.register("policies.set", set_policy)
        r.register("policies.list", get_policies)
        tg.create_task(queue.run_expiry(), name="approval-expiry")

    async def stop(self) -> None:
        return None
