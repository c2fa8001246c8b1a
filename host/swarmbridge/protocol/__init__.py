"""The wire protocol shared by every hop: extension <-> relay <-> daemon <-> CLI.

Pure, no I/O. ``framing`` and ``chunking`` use the standard library only, because the relay that
the browser starts (``swarmbridge.nativehost``) must import nothing heavy. ``envelope`` (msgspec)
is for the daemon and the CLI. See PROTOCOL.md beside this file.
"""

PROTOCOL_VERSION = 1
__all__ = ["PROTOCOL_VERSION"]
