"""Local files as a daemon component: ``mounts.*`` and ``files.*`` over the path jail."""

from __future__ import annotations

import asyncio
import base64

from ..daemon.services import Services
from ..protocol.envelope import ErrorCode
from ..rpc.router import CallContext, RpcError
from ..storage.db import connect
from ..storage.files import FilesStore
from .files import Files
from .jail import JailError


class FilesComponent:
    name = "files"

    async def start(self, services: Services, tg: asyncio.TaskGroup) -> None:
        files = Files(FilesStore(connect(services.paths.db_file)), services.paths.data_dir / "files-history")
        services.extras["files"] = files
        r = services.router

        def wrap(fn):
            async def handler(params: dict, ctx: CallContext):
                try:
                    return await fn(params)
                except JailError as exc:
                    raise RpcError(ErrorCode.FORBIDDEN if "never" in str(exc) or "read-only" in str(exc) else ErrorCode.INVALID_PARAMS, str(exc)) from None
                except KeyError as exc:
                    raise RpcError(ErrorCode.INVALID_PARAMS, f"missing parameter {exc.args[0]!r}") from None
            return handler

        async def change(p: dict):
            content = None
            if "text" in p:
                content = str(p["text"]).encode("utf-8")
            elif "base64" in p:
                content = base64.b64decode(p["base64"], validate=True)
            op = p["op"]
            if op not in ("write", "move", "delete"):
                raise JailError("op is write, move or delete")
            return await files.change(services.approver, op, p["mount"], p["path"], content=content, to=p.get("to"), origin=str(p.get("origin", "client")))

        handlers = {
            "mounts.add": lambda p: _sync(files.add_mount(p["name"], p["path"], bool(p.get("writable")))),
            "mounts.list": lambda p: _sync({"mounts": files.store.mounts()}),
            "mounts.remove": lambda p: _sync({"removed": files.store.remove_mount(p["name"])}),
            "files.list": lambda p: _sync({"entries": files.list(p["mount"], p.get("path", ""))}),
            "files.read": lambda p: _sync({"text": files.read(p["mount"], p["path"])}),
            "files.search": lambda p: _sync({"hits": files.search(p["mount"], p["pattern"], p.get("path", ""))}),
            "files.change": change,
            "files.history": lambda p: _sync({"changes": files.store.changes(int(p.get("limit", 100)), p.get("mount"))}),
            "files.revert": lambda p: _sync(files.revert(p["id"])),
        }
        for name, fn in handlers.items():
            r.register(name, wrap(fn))

    async def stop(self) -> None:
        return None


async def _sync(value):
    return value
