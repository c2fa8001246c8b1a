"""One framed, bidirectional RPC connection over an asyncio stream pair.

Requests flow both ways on the same connection (the CLI calls the daemon; the daemon calls a
connected extension through its relay), so a ``Connection`` both *serves* requests through a
``Router`` and *issues* requests of its own, correlating responses by id.

Invariants:
- every inbound request gets exactly one response (the router guarantees it; a malformed frame
  gets an error response here, plus a log line, and the connection keeps going);
- a frame whose length is over the cap means the framing is lost: the connection closes;
- when the connection closes, every request still waiting on it is rejected with ``unavailable``,
  and the handlers still working for the gone peer are cancelled.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Callable
from typing import Any

from ..protocol import envelope, framing
from ..protocol.envelope import ErrorCode, Message, ProtocolError
from .router import CallContext, Router, RpcError

log = logging.getLogger(__name__)

_conn_ids = itertools.count(1)
#: A subscriber whose unsent output grows past this is too slow to keep: it is closed.
MAX_WRITE_BUFFER = 64 * 1024 * 1024

#: Requests one peer may have in flight at once; more get an immediate ``unavailable`` reply.
MAX_IN_FLIGHT = 256

EventHandler = Callable[["Connection", Message], None]


class Connection:
    """A peer on the local socket. ``serve()`` runs the read loop until the peer goes away."""

    def __init__(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        router: Router | None = None,
        *,
        on_event: EventHandler | None = None,
        max_frame: int = framing.MAX_INBOUND,
        peer: dict[str, Any] | None = None,
    ) -> None:
        self.id = f"c{next(_conn_ids)}"
        self.ctx = CallContext(conn_id=self.id, peer=peer or {})
        self._reader = reader
        self._writer = writer
        self._router = router or Router()
        self._on_event = on_event
        self._max = max_frame
        self._pending: dict[str, asyncio.Future[Any]] = {}
        self._closed = asyncio.Event()
        self._close_hooks: list[Callable[[Connection], None]] = []
        self._handlers: set[asyncio.Task[None]] = set()

    # -- lifecycle -------------------------------------------------------------------------
    @property
    def closed(self) -> bool:
        return self._closed.is_set()

    def on_close(self, hook: Callable[["Connection"], None]) -> None:
        """Run ``hook(self)`` once when the connection closes (registries forget the peer)."""
        self._close_hooks.append(hook)

    async def wait_closed(self) -> None:
        await self._closed.wait()

    def close(self) -> None:
        if self._closed.is_set():
            return
        self._closed.set()
        for fut in self._pending.values():
            if not fut.done():
                fut.set_exception(RpcError(ErrorCode.UNAVAILABLE, "the connection closed before the reply came"))
        self._pending.clear()
        for task in self._handlers:  # nobody is left to read their replies
            task.cancel()
        try:
            self._writer.close()
        except (OSError, RuntimeError):
            pass
        for hook in self._close_hooks:
            try:
                hook(self)
            except Exception:  # noqa: BLE001 - one bad hook must not hide the others
                log.exception("close hook failed on %s", self.id)

    async def serve(self) -> None:
        """Read frames until EOF; requests are handled concurrently, each in its own task."""
        try:
            async with asyncio.TaskGroup() as tg:
                while True:
                    try:
                        body = await framing.read_frame_async(self._reader, framing.SOCKET, self._max)
                    except framing.FramingError as exc:
                        log.warning("%s: framing lost (%s); closing", self.id, exc)
                        break
                    except (ConnectionError, OSError):
                        break
                    if body is None:
                        break
                    self._on_frame(body, tg)
                self.close()
        finally:
            self.close()

    def _on_frame(self, body: bytes, tg: asyncio.TaskGroup) -> None:
        try:
            msg = envelope.decode(body)
        except ProtocolError as exc:
            log.warning("%s: malformed frame (%s): %s", self.id, exc.code, exc.message)
            self.send_nowait(envelope.fail(exc.msg_id, exc.code, exc.message))
            return
        if msg.kind == "request":
            if len(self._handlers) >= MAX_IN_FLIGHT:
                self.send_nowait(envelope.fail(msg.id, ErrorCode.UNAVAILABLE, f"more than {MAX_IN_FLIGHT} requests in flight; retry later"))
                return
            task = tg.create_task(self._handle(msg))
            self._handlers.add(task)
            task.add_done_callback(self._handlers.discard)
        elif msg.kind == "response":
            fut = self._pending.pop(msg.id, None)
            if fut is None or fut.done():
                log.info("%s: response to unknown or expired id %s dropped", self.id, msg.id)
                return
            if isinstance(msg.error, envelope.Error):
                err = msg.error
                fut.set_exception(RpcError(err.code, err.message, err.data))
            else:
                fut.set_result(msg.result)
        elif self._on_event is not None:
            try:
                self._on_event(self, msg)
            except Exception:  # noqa: BLE001
                log.exception("%s: event handler failed for %s", self.id, msg.method)

    async def _handle(self, msg: Message) -> None:
        reply = await self._router.dispatch(msg, self.ctx)
        self.send_nowait(reply)
        await self.drain()

    # -- sending ---------------------------------------------------------------------------
    def send_nowait(self, msg: Message) -> bool:
        """Queue one message; returns False (and closes) when the peer is gone or too slow."""
        if self._closed.is_set():
            return False
        try:
            self._writer.write(framing.encode(envelope.encode(msg), framing.SOCKET))
        except (OSError, RuntimeError):
            self.close()
            return False
        transport = self._writer.transport
        if transport is not None and transport.get_write_buffer_size() > MAX_WRITE_BUFFER:
            log.warning("%s: peer is not reading; closing", self.id)
            self.close()
            return False
        return True

    async def drain(self) -> None:
        if self._closed.is_set():
            return
        try:
            await self._writer.drain()
        except (ConnectionError, OSError):
            self.close()

    async def notify(self, method: str, params: dict[str, Any] | None = None) -> None:
        self.send_nowait(envelope.event(method, params))
        await self.drain()

    async def request(self, method: str, params: dict[str, Any] | None = None, *, timeout: float = 30.0) -> Any:
        """Send a request to the peer and wait for its result; raises ``RpcError``."""
        if self._closed.is_set():
            raise RpcError(ErrorCode.UNAVAILABLE, "the connection is closed")
        msg = envelope.request(method, params)
        fut: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[msg.id] = fut
        try:
            if not self.send_nowait(msg):
                raise RpcError(ErrorCode.UNAVAILABLE, "the connection is closed")
            await self.drain()
            async with asyncio.timeout(timeout):
                return await fut
        except TimeoutError:
            raise RpcError(ErrorCode.TIMEOUT, f"{method} got no reply within {timeout:g} s") from None
        finally:
            self._pending.pop(msg.id, None)
