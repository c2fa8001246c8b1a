"""The ``goal.*`` RPC methods over the goal engine."""

from __future__ import annotations

from typing import Any

import pydantic

from ..protocol.envelope import ErrorCode
from ..rpc.router import CallContext, Router, RpcError
from .engine import GoalEngine
from .model import GoalSpec


class _Id(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    id: int


class _Guide(_Id):
    note: str = pydantic.Field(min_length=1, max_length=5000)


class _Edit(_Id):
    objective: str = pydantic.Field(min_length=1, max_length=20_000)


class GoalAPI:
    def __init__(self, engine: GoalEngine) -> None:
        self.engine = engine

    def register(self, router: Router) -> None:
        for name in ("start", "list", "show", "pause", "resume", "cancel", "guide", "edit"):
            router.register(f"goal.{name}", getattr(self, f"_rpc_{name}"))

    def _show(self, goal_id: int) -> dict[str, Any]:
        goal = self.engine.store.get(goal_id)
        if goal is None:
            raise RpcError(ErrorCode.NOT_FOUND, f"no goal {goal_id}")
        return {**goal, "rounds": self.engine.store.rounds(goal_id)}

    def _do(self, fn: Any, *args: Any) -> None:
        try:
            fn(*args)
        except KeyError as exc:
            raise RpcError(ErrorCode.NOT_FOUND, f"no goal {exc.args[0]}") from exc
        except ValueError as exc:
            raise RpcError(ErrorCode.INVALID_PARAMS, str(exc)) from exc

    async def _rpc_start(self, params: dict[str, Any], ctx: CallContext) -> Any:
        return self._show(self.engine.create(GoalSpec.model_validate(params)))

    async def _rpc_list(self, params: dict[str, Any], ctx: CallContext) -> Any:
        return {"goals": self.engine.store.list()}

    async def _rpc_show(self, params: dict[str, Any], ctx: CallContext) -> Any:
        return self._show(_Id.model_validate(params).id)

    async def _rpc_pause(self, params: dict[str, Any], ctx: CallContext) -> Any:
        gid = _Id.model_validate(params).id
        self._do(self.engine.pause, gid)
        return self._show(gid)

    async def _rpc_resume(self, params: dict[str, Any], ctx: CallContext) -> Any:
        gid = _Id.model_validate(params).id
        self._do(self.engine.resume, gid)
        return self._show(gid)

    async def _rpc_cancel(self, params: dict[str, Any], ctx: CallContext) -> Any:
        gid = _Id.model_validate(params).id
        self._do(self.engine.cancel, gid)
        return self._show(gid)

    async def _rpc_guide(self, params: dict[str, Any], ctx: CallContext) -> Any:
        p = _Guide.model_validate(params)
        self._do(self.engine.guide, p.id, p.note)
        return self._show(p.id)

    async def _rpc_edit(self, params: dict[str, Any], ctx: CallContext) -> Any:
        p = _Edit.model_validate(params)
        self._do(self.engine.edit, p.id, p.objective)
        return self._show(p.id)
