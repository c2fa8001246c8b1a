"""The client side of the daemon socket: ``connect()`` (async) and ``call()`` (sync, for the CLI).

The async client is a ``Connection`` like any other, so it can also receive events
(``events.subscribe``) and even serve requests the daemon sends it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from ..paths import user_paths
from ..protocol.envelope import ErrorCode
from .connection import Connection, EventHandler
from .router import Router, RpcError


class DaemonNotRunning(RpcError):
    def __init__(self, path: str) -> None:
        super().__init__(
            ErrorCode.UNAVAILABLE,
            f"the swarmbridge daemon is not running (no answer on {path}); start it with `swarmbridge daemon`",
        )


@contextlib.asynccontextmanager
async def connect(
    path: str | None = None, *, router: Router | None = None, on_event: EventHandler | None = None
) -> AsyncIterator[Connection]:
    """Open a connection to the daemon for the duration of the ``async with`` block."""
    path = path or user_paths().socket
    try:
        reader, writer = await asyncio.open_unix_connection(path, limit=2**16)
    except (FileNotFoundError, ConnectionRefusedError) as exc:
        raise DaemonNotRunning(path) from exc
    conn = Connection(reader, writer, router, on_event=on_event)
    task = asyncio.create_task(conn.serve())
    try:
        yield conn
    finally:
        conn.close()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def acall(method: str, params: dict[str, Any] | None = None, *, path: str | None = None, timeout: float = 60.0) -> Any:
    async with connect(path) as conn:
        return await conn.request(method, params, timeout=timeout)


def call(method: str, params: dict[str, Any] | None = None, *, path: str | None = None, timeout: float = 60.0) -> Any:
    """Blocking one-shot call for the CLI; raises ``RpcError`` (``DaemonNotRunning`` included)."""
    return asyncio.run(acall(method, params, path=path, timeout=timeout))
