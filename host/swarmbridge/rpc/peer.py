"""Who is on the other end of a Unix socket: the peer's uid, so the daemon admits only its user.

Linux: ``SO_PEERCRED`` (pid, uid, gid). macOS/BSD: ``LOCAL_PEERCRED`` (struct xucred), the same
answer ``getpeereid()`` gives; untested here (no macOS on the build machine).
"""

from __future__ import annotations

import os
import socket
import struct
import sys
from typing import Any

_LOCAL_PEERCRED = 0x001  # <sys/un.h> on macOS/BSD
_SOL_LOCAL = 0


def peer_credentials(sock: socket.socket) -> dict[str, Any]:
    """Return ``{"uid": int, "pid": int | None}`` of the connected peer; raises OSError if unknown."""
    if hasattr(socket, "SO_PEERCRED"):
        raw = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
        pid, uid, _gid = struct.unpack("3i", raw)
        return {"uid": uid, "pid": pid}
    if sys.platform == "darwin" or "bsd" in sys.platform:
        # struct xucred {u_int cr_version; uid_t cr_uid; short cr_ngroups; gid_t cr_groups[16];}
        raw = sock.getsockopt(_SOL_LOCAL, _LOCAL_PEERCRED, struct.calcsize("IIh2x16I"))
        _version, uid = struct.unpack_from("II", raw)
        return {"uid": uid, "pid": None}
    raise OSError("this platform cannot tell a socket peer's uid")


def is_same_user(sock: socket.socket) -> bool:
    """True when the peer runs as our uid; any failure to find out counts as a stranger."""
    try:
        return peer_credentials(sock)["uid"] == os.getuid()
    except OSError:
        return False
