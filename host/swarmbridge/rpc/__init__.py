"""Local-socket RPC: the transport between relay/CLI and the daemon, and the method router.

    router.py      one table of named handlers (Router, RpcError, CallContext)
    connection.py  a framed, bidirectional connection: serves requests, issues its own, events
    server.py      the 0600 Unix-socket server with the peer-uid check
    peer.py        SO_PEERCRED / LOCAL_PEERCRED
    events.py      the EventBus behind ``events.subscribe``
    client.py      ``connect()`` (async) and ``call()`` (sync, for the CLI)

Errors: ``RpcError(code, message, data)`` with a code from ``protocol.envelope.ErrorCode``;
``DaemonNotRunning`` is the ``unavailable`` one the client raises when nothing answers.
"""

import importlib
from typing import Any

#: name -> submodule; resolved on first use so a CLI call does not pay for the server's imports.
_EXPORTS = {
    "AddressInUse": "server",
    "CallContext": "router",
    "Connection": "connection",
    "DaemonNotRunning": "client",
    "EventBus": "events",
    "Router": "router",
    "RpcError": "router",
    "RpcServer": "server",
    "call": "client",
    "connect": "client",
}

__all__ = [
    "AddressInUse",
    "CallContext",
    "Connection",
    "DaemonNotRunning",
    "EventBus",
    "Router",
    "RpcError",
    "RpcServer",
    "call",
    "connect",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
