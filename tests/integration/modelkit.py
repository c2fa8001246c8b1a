"""A scripted OpenAI-compatible server on its own thread, for tests whose body is synchronous
(CLI subprocesses, Selenium): real HTTP on 127.0.0.1, the server object kept for its ``requests``."""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from swarmbridge.testing import ScriptedServer


@contextmanager
def threaded_server(rule: Any = None, **kw: Any) -> Iterator[ScriptedServer]:
    """Yields the running server (``.base_url``, ``.requests``); stopped on exit."""
    ready: queue.Queue[ScriptedServer] = queue.Queue()
    stop = threading.Event()

    async def serve() -> None:
        server = ScriptedServer(rule, **kw)
        async with server:
            ready.put(server)
            while not stop.is_set():
                await asyncio.sleep(0.05)

    thread = threading.Thread(target=asyncio.run, args=(serve(),), daemon=True)
    thread.start()
    try:
        yield ready.get(timeout=10)
    finally:
        stop.set()
        thread.join(5)
