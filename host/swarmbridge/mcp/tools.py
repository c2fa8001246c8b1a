"""The MCP tools: their listing (schemas from the command models) and what a call does.

A browser tool validates its arguments here (a readable error before any round trip), then is
one ``mcp.browser`` request to the daemon, which validates them again, judges and asks. While a
call waits (for the browser, or for the user's approval) the client gets a progress notification
every few seconds when it asked for progress, so clients that reset their timeout on progress
do not give up on a person who is still reading the preview. Tabs the agents opened are closed
when the server stops (``close_tabs``): the swarm window holds only a few tabs per browser.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import mcp.types as types
import pydantic

from ..rpc.client import acall
from ..rpc.router import RpcError
from ..validation import problems
from .commands import COMMANDS, Command
from .present import error_result, outcome_result, text_result

Progress = Callable[[float, str], Awaitable[None]]


class DaemonClient(Protocol):
    """The seam to the daemon: one request, its result or an ``RpcError``."""

    async def call(self, method: str, params: dict[str, Any], timeout: float) -> Any: ...


class SocketDaemon:
    """The real daemon client: one connection to the daemon socket per call (a daemon restart
    between two calls costs nothing)."""

    def __init__(self, path: str | None = None) -> None:
        self.path = path

    async def call(self, method: str, params: dict[str, Any], timeout: float) -> Any:
        return await acall(method, params, path=self.path, timeout=timeout)


@dataclass
class Settings:
    """What ``swarmbridge mcp`` was started with."""

    bridge: str | None = None
    client: str = ""  # the name in the approval's origin (mcp/client:<name>); default: the MCP client's own name
    approval_timeout_s: float = 120.0
    confine: list[str] = field(default_factory=list)
    progress_every_s: float = 5.0


class _Wait(pydantic.BaseModel):
    approval_timeout_s: float | None = pydantic.Field(
        None, ge=0, le=600, description="seconds to wait for the user's approval when this action needs one (0: do not wait)")


def tool_model(cmd: Command) -> type[pydantic.BaseModel]:
    """The tool's argument model: the command's, plus the approval wait for tools that may ask."""
    if cmd.read_only:
        return cmd.args
    return pydantic.create_model(cmd.args.__name__, __base__=(cmd.args,), __doc__=cmd.args.__doc__,
                                 approval_timeout_s=(float | None, _Wait.model_fields["approval_timeout_s"]))


def _destructive(cmd: Command) -> bool:
    """May change the world (clicks, keys, fields, closing, uploads); opening and reading pages do not."""
    return cmd.targets_element or cmd.method in ("browser.tabs.close", "browser.upload")


def describe_error(tool: str, exc: pydantic.ValidationError) -> str:
    return f"invalid arguments for {tool}: " + "; ".join(problems(exc, "arguments"))


class BrowserTools:
    """The tool table of one MCP server process, bound to a daemon client."""

    def __init__(self, daemon: DaemonClient, settings: Settings) -> None:
        self.daemon = daemon
        self.settings = settings
        self.models = {name: tool_model(cmd) for name, cmd in COMMANDS.items()}
        self.opened_by: set[str] = set()  # client names that opened tabs: closed on stop

    def listing(self) -> list[types.Tool]:
        tools = [
            types.Tool(name=name, description=cmd.description, input_schema=self.models[name].model_json_schema(),
                       annotations=types.ToolAnnotations(read_only_hint=cmd.read_only, destructive_hint=_destructive(cmd),
                                                         open_world_hint=True))
            for name, cmd in COMMANDS.items()
        ]
        tools.append(types.Tool(name="bridges", description="The SwarmBridge daemon, the connected browsers (bridges) and "
                                "which one these tools use, and this server's actions waiting for approval.",
                                input_schema={"type": "object", "properties": {}, "additionalProperties": False},
                                annotations=types.ToolAnnotations(read_only_hint=True)))
        return tools

    async def call(self, name: str, raw: dict[str, Any], *, client: str = "", progress: Progress | None = None) -> types.CallToolResult:
        """Run one tool call; every failure is a tool error with its reason, never an exception."""
        client = self.settings.client or client
        try:
            if name == "bridges":
                return text_result(await self._status(raw))
            if name not in self.models:
                return error_result(f"unknown tool {name!r}; known: {', '.join(sorted([*self.models, 'bridges']))}")
            try:
                parsed = self.models[name].model_validate(raw)
            except pydantic.ValidationError as exc:
                return error_result(describe_error(name, exc))
            wait = getattr(parsed, "approval_timeout_s", None)
            wait = self.settings.approval_timeout_s if wait is None else wait
            args = {k: v for k, v in raw.items() if k != "approval_timeout_s"}  # valid: the daemon checks them again
            if name == "browser_tabs_open":
                self.opened_by.add(client)
            outcome = await self._waiting(self._browser(name, args, client, wait), progress)
            return outcome_result(name, raw, outcome)
        except RpcError as exc:
            return error_result(f"error [{exc.code}]: {exc.message}")

    async def _browser(self, tool: str, args: dict[str, Any], client: str, wait: float) -> Any:
        params: dict[str, Any] = {"tool": tool, "args": args, "client": client, "approvalTimeoutS": wait, "confine": self.settings.confine}
        if self.settings.bridge:
            params["bridge"] = self.settings.bridge
        return await self.daemon.call("mcp.browser", params, timeout=wait + 90)

    async def _waiting(self, call: Awaitable[Any], progress: Progress | None) -> Any:
        task = asyncio.ensure_future(call)
        start = time.monotonic()
        try:
            while True:
                done, _ = await asyncio.wait({task}, timeout=self.settings.progress_every_s)
                if done:
                    return task.result()
                if progress is not None:
                    try:
                        await progress(round(time.monotonic() - start, 1), "waiting for the browser or for the user's approval")
                    except Exception:  # noqa: BLE001 - a client that cannot take progress still gets its answer
                        progress = None
        finally:
            task.cancel()

    async def _status(self, raw: dict[str, Any]) -> dict[str, Any]:
        if raw:
            raise RpcError("invalid_params", "bridges takes no arguments")
        status = await self.daemon.call("daemon.status", {}, timeout=10)
        pending = (await self.daemon.call("approvals.list", {}, timeout=10)).get("approvals", [])
        return {
            "daemon": {"version": status.get("version"), "pid": status.get("pid")},
            "bridges": status.get("bridges", []),
            "target": self.settings.bridge or "the only connected browser",
            "pendingApprovals": [{k: a.get(k) for k in ("id", "summary", "origin")} for a in pending if str(a.get("origin", "")).startswith("mcp")],
        }

    async def close_tabs(self) -> None:
        """Close the tabs each agent of this server opened (their own: no approval needed)."""
        for client in sorted(self.opened_by):
            try:
                await self._browser("browser_tabs_close", {}, client, 0)
            except (RpcError, OSError):
                pass  # the daemon or the browser is gone: so are the tabs, or they are the user's to close
        self.opened_by.clear()
