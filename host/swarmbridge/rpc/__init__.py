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

from .client import DaemonNotRunning, call, connect
from .connection import Connection
from .events import EventBus
from .router import CallContext, Router, RpcError
from .server import AddressInUse, RpcServer

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
