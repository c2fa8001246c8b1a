"""The daemon's listening socket: a Unix socket only the current user can reach.

Invariants:
- the socket file is created race-free with mode 0600 inside the 0700 runtime dir: it is bound
  under a temporary name with a 0177 umask, then renamed over the final path (atomic);
- an existing socket file is replaced only after checking that no daemon answers on it;
- each accepted peer's uid is checked (``peer.is_same_user``); strangers are dropped at once;
- connections are served as tasks of the caller's task group (nothing detached).

Windows named pipes are not built: ``start`` raises ``NotImplementedError`` on Windows.
``asyncio.start_server`` has no pipe support, and a pipe server (the proactor loop's
``start_serving_pipe`` with a user-only ACL) cannot be run or tested on these Linux machines.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import sys
from collections.abc import Callable
from typing import Any

from .connection import Connection, EventHandler
from .peer import is_same_user, peer_credentials
from .router import CallContext, Router

log = logging.getLogger(__name__)


class AddressInUse(RuntimeError):
    """Another daemon answers on the socket path."""


def socket_answers(path: str, timeout: float = 0.5) -> bool:
    """True when something accepts connections on the Unix socket ``path``."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    try:
        s.connect(path)
        return True
    except OSError:
        return False
    finally:
        s.close()


def bind_private(path: str) -> socket.socket:
    """Bind a listening Unix socket at ``path`` with mode 0600, replacing only a dead one."""
    if os.path.exists(path):
        if socket_answers(path):
            raise AddressInUse(f"a daemon already answers on {path}")
        os.unlink(path)
    tmp = f"{path}.{os.getpid()}.tmp"
    with contextlib.suppress(FileNotFoundError):
        os.unlink(tmp)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old = os.umask(0o177)
    try:
        sock.bind(tmp)
    finally:
        os.umask(old)
    os.chmod(tmp, 0o600)
    sock.listen(64)
    os.rename(tmp, path)
    sock.setblocking(False)
    return sock


class RpcServer:
    """Accepts peers, wraps each in a ``Connection`` served by ``router``."""

    def __init__(self, path: str, router: Router, *, on_event: EventHandler | None = None) -> None:
        self.path = path
        self._router = router
        self._on_event = on_event
        self._server: asyncio.AbstractServer | None = None
        self._conns: dict[str, Connection] = {}
        self._tg: asyncio.TaskGroup | None = None
        self._on_connect: list[Callable[[Connection], None]] = []

    def connection(self, ctx: CallContext) -> Connection | None:
        return self._conns.get(ctx.conn_id)

    def connections(self) -> list[Connection]:
        return list(self._conns.values())

    def on_connect(self, hook: Callable[[Connection], None]) -> None:
        self._on_connect.append(hook)

    async def start(self, tg: asyncio.TaskGroup) -> None:
        """Bind and start accepting; returns once the socket accepts (the daemon is ready)."""
        self._tg = tg
        if sys.platform == "win32":  # pragma: no cover - untested here
            raise NotImplementedError("the Windows named-pipe server is not built yet")
        sock = bind_private(self.path)
        self._server = await asyncio.start_unix_server(self._accept, sock=sock, limit=2**16)

    def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        raw: socket.socket | None = writer.get_extra_info("socket")
        if raw is None or not is_same_user(raw):  # type: ignore[arg-type]
            log.warning("refused a socket peer of another user")
            writer.close()
            return
        peer: dict[str, Any] = {}
        with contextlib.suppress(OSError):
            peer = peer_credentials(raw)  # type: ignore[arg-type]
        conn = Connection(reader, writer, self._router, on_event=self._on_event, peer=peer)
        self._conns[conn.id] = conn
        conn.on_close(lambda c: self._conns.pop(c.id, None))
        for hook in self._on_connect:
            hook(conn)
        assert self._tg is not None
        self._tg.create_task(conn.serve(), name=f"rpc-{conn.id}")

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for conn in list(self._conns.values()):
            conn.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)
