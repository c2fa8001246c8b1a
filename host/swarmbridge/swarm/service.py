"""The swarm facade (``services.extras["swarm"]``) and its ``runs.*`` RPC methods.

Why one facade: goals, the scheduler and the CLI all start, wait for, cancel and inspect runs the
same way; the facade owns the run tasks so that a run outlives the RPC call that started it, and
``resume_unfinished`` restarts every run a crash left behind.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import time
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..llm.errors import ModelError
from ..llm.meter import Metered
from ..protocol.envelope import ErrorCode
from ..rpc.router import CallContext, Router, RpcError
from ..storage.runs import RunStore
from ..tools.base import ToolRegistry
from .executor import Budgets, Executor, RunResult
from .graph import GraphError, parse_graph
from .roles import PlanError, plan
from .writer import Kind, produce, wanted


log = logging.getLogger(__name__)


class RunBudgets(BaseModel):
    """``runs.start``'s ``budgets`` (Goal Mode passes each round what is left of the goal's)."""

    model_config = ConfigDict(extra="forbid")
    max_steps: int = Field(4000, ge=1)
    max_tokens: int | None = Field(None, ge=1)
    max_cost: float | None = Field(None, gt=0)  # US dollars, where the endpoints have prices
    max_seconds: float | None = Field(None, gt=0)
    max_agents: int = Field(16, ge=1, le=1000)
    max_replans: int | None = Field(None, ge=0, le=10)  # default: 2 for a planned goal, 0 for a recipe


class _Deliverables(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kinds: list[Kind] = Field(default_factory=list, max_length=4)


MAX_DELIVERABLE = 16 * 1024 * 1024  # runs.deliverable sends content over the bridge (chunked above 1 MiB)


class _ListIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    limit: int = Field(50, ge=1, le=1000)
    query: str = Field("", max_length=500)  # words that must all appear in the goal, origin, id or stop reason
    running: bool = False  # only runs in progress now (however old), newest first


class _StepsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    task: str = Field(min_length=1, max_length=64)
    limit: int = Field(200, ge=1, le=1000)
    clip: int = Field(4000, ge=100, le=100_000)  # characters of each step's JSON body


class _DeliverableIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    index: int = Field(ge=0, strict=True)


class SwarmService:
    """Start/wait/cancel/get runs over one RunStore."""

    def __init__(self, store: RunStore, tools: ToolRegistry, *, model: Any = None, publish: Any = None, extras: dict[str, Any] | None = None) -> None:
        """``model``: a ``Model``, or a function returning the current one (the daemon's, which a
        settings change may add or replace while the daemon runs); None runs recipes only."""
        self.store, self.tools, self.publish = store, tools, publish
        self._model = model
        self.extras = extras or {}
        self._tasks: dict[str, asyncio.Task[RunResult]] = {}
        self._meters: dict[str, Metered] = {}  # runs started by this process: their live totals
        self._execs: dict[str, Executor] = {}  # runs in progress: what a cancel reports (steps, elapsed)

    @property
    def model(self) -> Any:
        return self._model() if callable(self._model) and not hasattr(self._model, "complete") else self._model

    async def start_run(self, goal: str | None = None, *, recipe: dict | None = None, origin: str = "",
                        budgets: dict | None = None, inputs: dict | None = None, deliverables: list[str] | None = None,
                        endpoint: str | None = None, model: str | None = None) -> str:
        """Validate and start a run; return its id. Without a recipe the goal is one worker task.

        ``deliverables`` (md/csv/xlsx/pptx) overrides which files a goal run's writer makes;
        by default Markdown plus what the goal or the plan asks for.
        """
        kinds = _Deliverables.model_validate({"kinds": deliverables or []}).kinds
        pin = {"endpoint": endpoint, "model": model} if endpoint else None
        if model and not endpoint:
            raise ValueError("--model needs --endpoint (the endpoint that serves it)")
        chosen = self.model_for({"pin": pin})  # an unknown endpoint is refused here, before anything runs
        planned = False
        meter = Metered(chosen) if chosen is not None else None  # the planner's tokens count for the run too
        if recipe is None:
            if not goal:
                raise ValueError("a run needs a goal or a recipe")
            recipe = {"goal": goal, "steps": [{"id": "main", "instructions": goal, "expected_output": "the answer, with sources"}]}
            if chosen is not None:  # a planner splits the goal; if it cannot, one worker takes it whole
                try:
                    recipe = (await plan(meter, goal, tools=self.tools.names())).model_dump()
                    planned = True
                except (PlanError, ModelError) as exc:
                    log.warning("planning failed, running the goal as one task: %s", exc)
        if inputs:
            recipe = {**recipe, "steps": [{"id": k, "tool": "echo", "args": {"value": v}} for k, v in inputs.items()] + list(recipe["steps"])}
        graph = parse_graph(recipe)
        b_in = RunBudgets.model_validate(budgets or {})
        b = Budgets(**b_in.model_dump(exclude={"max_replans"}), max_replans=(2 if planned else 0) if b_in.max_replans is None else b_in.max_replans)
        write_report = goal is not None and chosen is not None  # a goal run ends with the writer's Markdown
        run_id = self.store.create_run(goal or graph.goal, {"graph": graph.model_dump(), "budgets": b.__dict__, "write": write_report,
                                                           "deliverables": list(kinds), "pin": pin,
                                                           "usage": meter.totals() if meter else {"tokens": 0}}, origin)
        self._launch(run_id)
        return run_id

    def model_for(self, spec: dict[str, Any]) -> Any:
        """The run's model: every role on the endpoint it was pinned to, else each role's own."""
        pin = spec.get("pin")
        if not pin:
            return self.model
        if self.model is None or not hasattr(self.model, "pinned"):
            raise ValueError(f"no model endpoints are configured, so there is no endpoint {pin['endpoint']!r} (see `swarmbridge models add`)")
        return self.model.pinned(pin["endpoint"], pin.get("model"))

    def _launch(self, run_id: str) -> None:
        row = self.store.get(run_id)
        assert row is not None
        graph = parse_graph(row["graph"]["graph"])
        model = self.model_for(row["graph"])
        used = self._usage(run_id) or row["graph"].get("usage") or {}  # a resumed run keeps what it used
        meter = Metered(model, int(used.get("tokens", 0)), used.get("cost")) if model is not None else None
        ex = Executor(self.store, run_id, graph, self.tools, model=meter, budgets=Budgets(**row["graph"]["budgets"]),
                      ctx_extras={**self.extras, "origin": row.get("origin") or ""}, publish=self.publish,
                      replans_done=int(row["graph"].get("replans", 0)))
        self._execs[run_id] = ex
        self._tasks[run_id] = asyncio.create_task(self._run(ex, row["goal"], row["graph"]))
        if meter is not None:
            self._meters[run_id] = meter

    async def _run(self, ex: Executor, goal: str, spec: dict[str, Any]) -> RunResult:
        """Execute; then, for a goal run that finished, have the writer produce the deliverables."""
        try:
            return await self._execute(ex, goal, spec)
        finally:  # the totals are in the recorded events now (finished, usage)
            self._meters.pop(ex.run_id, None)
            if self._execs.get(ex.run_id) is ex:
                del self._execs[ex.run_id]

    async def _execute(self, ex: Executor, goal: str, spec: dict[str, Any]) -> RunResult:
        result = await ex.run()
        if spec.get("write") and ex.model is not None and result.outputs and result.status != "stopped":
            kinds = wanted(goal, spec.get("deliverables"), ex.graph.deliverables)
            art = self.extras.get("artifacts_dir")
            await produce(ex.model, goal, result.outputs, kinds, Path(art) / "runs" / ex.run_id if art else None,
                          lambda kind, data: self._record(ex.run_id, kind, data))
            self._record(ex.run_id, "usage", ex.model.totals())  # the writer's tokens, after run.finished
            self.store.flush()
        return result

    def _record(self, run_id: str, kind: str, data: dict[str, Any]) -> None:
        """An event of the writer stage: stored, and published as ``run.<kind>`` like the
        executor's, because it lands after ``run.finished`` and a live view must still hear of it."""
        self.store.event(run_id, kind, data)
        if self.publish:
            self.publish(f"run.{kind}", {"run_id": run_id, **data})

    def resume_unfinished(self) -> list[str]:
        """Restart every run not in a terminal state (after a crash); recorded tool results are reused."""
        ids = [r for r in self.store.unfinished() if r not in self._tasks]
        for r in ids:
            self._launch(r)
        return ids

    async def wait(self, run_id: str) -> dict[str, Any]:
        """Wait for the run and return status, stop_reason, outputs, deliverables, tokens, steps."""
        task = self._tasks.get(run_id)
        if task is not None:
            try:
                await asyncio.shield(task)
            except asyncio.CancelledError:
                if not task.cancelled():
                    raise
        return self.get(run_id)

    async def cancel(self, run_id: str) -> None:
        """Stop the run at once; completed results stay recorded. A run still in progress ends
        'cancelled' with a ``finished`` event like any other end (published as ``run.finished``
        once committed), so a live view or a goal waiting on the run hears that it ended."""
        task, ex = self._tasks.get(run_id), self._execs.get(run_id)
        totals = ex.model.totals() if ex is not None and ex.model is not None else None
        if task is not None and not task.done():
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        self.store.flush()  # whatever the run queued before it stopped, so its status below is the last
        row = self.store.get(run_id)
        if row is None or row["status"] != "running":  # ended already (e.g. in its writer stage): keep that end
            return
        reason = "cancelled by request"
        data: dict[str, Any] = {"status": "cancelled", "stop_reason": reason, "run_id": run_id,
                                "steps": ex.steps if ex else 0, **(totals or self._totals(run_id)), "goal": str(row["goal"])[:300],
                                "elapsed_s": round(time.monotonic() - ex.started, 1) if ex else 0.0}
        self.store.event(run_id, "finished", data)
        self.store.finish_run(run_id, "cancelled", reason)  # commits the event with the status
        if self.publish:
            self.publish("run.finished", data)

    def reopen(self, run_id: str) -> bool:
        """Resume a run that ended cancelled, failed, stopped or with blocked tasks: it is marked
        running again (so watchers follow it and a crash leaves it resumable) and restarted from
        its recorded results. False when it is running already; ValueError when it is done."""
        task = self._tasks.get(run_id)
        if task is not None and not task.done():
            return False
        row = self.store.get(run_id)
        if row is None:
            raise KeyError(run_id)
        if row["status"] == "done":
            raise ValueError(f"run {run_id!r} is done; there is nothing to resume")
        if row["status"] != "running":
            self.store.reopen_run(run_id)
        self._launch(run_id)
        return True

    def get(self, run_id: str) -> dict[str, Any]:
        """The run's current state."""
        row = self.store.get(run_id)
        if row is None:
            raise KeyError(run_id)
        events = self.store.events(run_id)
        task = self._tasks.get(run_id)
        res = task.result() if task is not None and task.done() and not task.cancelled() else None
        return {"id": run_id, "goal": row["goal"], "status": row["status"], "stop_reason": row["stop_reason"],
                "origin": row["origin"], "created": row["created"], "finished": row["finished"],
                "graph": row["graph"]["graph"],  # the side panel draws the task graph from it
                "endpoint": (row["graph"].get("pin") or {}).get("endpoint"),  # None: each role's own
                "outputs": self.store.done_outputs(run_id),
                "deliverables": [e["data"] for e in events if e["kind"] == "deliverable"],
                # what was done, without run-specific keys: Goal Mode compares rounds by it
                "tool_calls": [{"task": e["data"].get("task"), "tool": e["data"].get("tool")} for e in events if e["kind"] == "tool_call"],
                "blocked": res.blocked if res else {}, "steps": res.steps if res else 0,
                **self._totals(run_id, events)}

    def _totals(self, run_id: str, events: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        """``tokens`` and (when any endpoint of the run has prices) ``cost`` in US dollars: live from
        this process's meter, else as last recorded (a run from before a restart)."""
        meter = self._meters.get(run_id)
        if meter is not None:
            return meter.totals()
        return {"tokens": 0, **(self._usage(run_id, events) or {})}

    def _usage(self, run_id: str, events: list[dict[str, Any]] | None = None) -> dict[str, Any] | None:
        """The newest recorded totals (step, finished and usage events carry them), or None."""
        for e in reversed(events if events is not None else self.store.events(run_id)):
            if "tokens" in e["data"] and e["kind"] in ("step", "finished", "usage"):
                return {k: e["data"][k] for k in ("tokens", "cost") if k in e["data"]}
        return None

    async def close(self) -> None:
        """Cancel in-flight runs (they stay resumable: status remains 'running') and flush."""
        for t in self._tasks.values():
            t.cancel()
        await asyncio.gather(*self._tasks.values(), return_exceptions=True)
        self.store.flush()

    # -- RPC ---------------------------------------------------------------------------------
    def register(self, router: Router) -> None:
        """Add runs.start/list/show/events/cancel/resume/export."""
        for name in ("start", "list", "show", "events", "cancel", "resume", "export", "deliverable", "steps"):
            router.register(f"runs.{name}", getattr(self, f"_rpc_{name}"))

    def _row(self, params: dict[str, Any]) -> str:
        rid = params.get("id")
        if not isinstance(rid, str) or self.store.get(rid) is None:
            raise RpcError(ErrorCode.NOT_FOUND, f"no run {rid!r}")
        return rid

    async def _rpc_start(self, params: dict[str, Any], ctx: CallContext) -> Any:
        try:
            rid = await self.start_run(params.get("goal"), recipe=params.get("recipe"), origin=str(params.get("origin", "cli")),
                                       budgets=params.get("budgets"), inputs=params.get("inputs"), deliverables=params.get("deliverables"),
                                       endpoint=_opt_str(params, "endpoint"), model=_opt_str(params, "model"))
        except (GraphError, ValidationError, ValueError, TypeError) as exc:
            raise RpcError(ErrorCode.INVALID_PARAMS, str(exc)) from exc
        return {"id": rid}

    async def _rpc_list(self, params: dict[str, Any], ctx: CallContext) -> Any:
        try:
            p = _ListIn.model_validate(params)
        except ValidationError as exc:
            raise RpcError(ErrorCode.INVALID_PARAMS, str(exc)) from exc
        if not p.running:
            return {"runs": self.store.list(p.limit, p.query)}
        live = [self.store.get(rid) for rid, t in self._tasks.items() if not t.done()]
        rows = sorted((r for r in live if r is not None and r["status"] == "running"), key=lambda r: -r["created"])
        keys = ("id", "goal", "origin", "status", "stop_reason", "created", "finished")
        words = p.query.lower().split()
        found = [{k: r[k] for k in keys} for r in rows if all(w in f"{r['goal']} {r['origin']} {r['id']} {r['stop_reason']}".lower() for w in words)]
        return {"runs": found[: p.limit]}

    async def _rpc_show(self, params: dict[str, Any], ctx: CallContext) -> Any:
        return self.get(self._row(params))

    async def _rpc_events(self, params: dict[str, Any], ctx: CallContext) -> Any:
        self.store.flush()
        return {"events": self.store.events(self._row(params), int(params.get("after", 0)))}

    async def _rpc_cancel(self, params: dict[str, Any], ctx: CallContext) -> Any:
        await self.cancel(self._row(params))
        return {"ok": True}

    async def _rpc_resume(self, params: dict[str, Any], ctx: CallContext) -> Any:
        rid = self._row(params)
        try:
            if not self.reopen(rid):
                return {"ok": True, "already_running": True}
        except ValueError as exc:
            raise RpcError(ErrorCode.INVALID_PARAMS, str(exc)) from exc
        return {"ok": True}

    async def _rpc_export(self, params: dict[str, Any], ctx: CallContext) -> Any:
        rid = self._row(params)
        self.store.flush()
        return {"jsonl": "\n".join(json.dumps(e, sort_keys=True) for e in self.store.events(rid))}

    async def _rpc_deliverable(self, params: dict[str, Any], ctx: CallContext) -> Any:
        """One deliverable's content, so a UI can save or open it. Only files the run itself listed
        as deliverables are read (never an arbitrary path), up to ``MAX_DELIVERABLE`` bytes."""
        rid = self._row(params)
        found = self.get(rid)["deliverables"]
        try:
            index = _DeliverableIn.model_validate(params).index
        except ValidationError as exc:
            raise RpcError(ErrorCode.INVALID_PARAMS, str(exc)) from exc
        if not index < len(found):
            raise RpcError(ErrorCode.INVALID_PARAMS, f"run {rid!r} has {len(found)} deliverable(s); index {index} is out of range")
        d = found[index]
        if "path" not in d:  # no artefacts folder: Markdown travels as text, tables/slides as their validated JSON
            structured = "data" in d
            text = json.dumps(d["data"], ensure_ascii=False, indent=2) if structured else str(d.get("text", ""))
            name = f"deliverable-{index}.{'json' if structured else 'md'}"
            return {"index": index, "kind": d.get("kind", ""), "name": name, "size": len(text.encode()), "text": text}
        path = Path(d["path"])
        try:
            size = path.stat().st_size
            if size > MAX_DELIVERABLE:
                raise RpcError(ErrorCode.TOO_LARGE, f"{path} is {size} bytes (the limit is {MAX_DELIVERABLE}); open it from disk")
            body = path.read_bytes()
        except OSError as exc:
            raise RpcError(ErrorCode.NOT_FOUND, f"deliverable {path} cannot be read: {exc.strerror}") from exc
        out: dict[str, Any] = {"index": index, "kind": d.get("kind", ""), "name": path.name, "path": str(path), "size": len(body)}
        try:
            out["text"] = body.decode("utf-8")
        except UnicodeDecodeError:
            out["base64"] = base64.b64encode(body).decode("ascii")
        return out

    async def _rpc_steps(self, params: dict[str, Any], ctx: CallContext) -> Any:
        """A task's messages (with the tool calls and their arguments) and tool results, each body
        cut to ``clip`` characters of JSON (a tool result can be a whole page: untrusted data)."""
        rid = self._row(params)
        try:
            p = _StepsIn.model_validate(params)
        except ValidationError as exc:
            raise RpcError(ErrorCode.INVALID_PARAMS, str(exc)) from exc
        self.store.flush()
        out = []
        for st in self.store.task_steps(rid, p.task, p.limit):
            body: str = st.pop("body")
            st["size"] = len(body)
            if len(body) <= p.clip:
                st["body"] = json.loads(body)
            else:
                st["body"], st["clipped"] = body[: p.clip], True
            out.append(st)
        return {"steps": out}


def _opt_str(params: dict[str, Any], key: str) -> str | None:
    value = params.get(key)
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise ValueError(f"{key} must be a non-empty string")
    return value
