"""Length-prefixed frames: a 32-bit unsigned length, then that many bytes of UTF-8 JSON.

The native-messaging hop (browser <-> relay) uses the platform's native byte order, as Chrome and
Firefox require; the local-socket hop (relay/CLI <-> daemon) uses little-endian. Standard library
only: the relay imports this.

``FrameDecoder`` is sans-IO: feed it bytes as they arrive, get whole frame bodies back. A length
over the cap means the framing itself is lost (we cannot know where the next frame starts), so it
raises ``FramingError`` and the caller closes the stream.
"""

from __future__ import annotations

import struct

NATIVE = struct.Struct("=I")
SOCKET = struct.Struct("<I")

#: Chrome closes the port on any host-to-browser message body above this many bytes.
MAX_TO_BROWSER = 1_048_576
#: Chrome refuses to post more than 64 MiB browser-to-host; we accept up to that.
MAX_INBOUND = 64 * 1024 * 1024


class FramingError(Exception):
    """The byte stream is no longer framed correctly; the only safe move is to close it."""


def encode(body: bytes, header: struct.Struct = NATIVE) -> bytes:
    return header.pack(len(body)) + body


class FrameDecoder:
    """Incremental decoder. ``feed()`` returns every complete frame body the new bytes finish."""

    __slots__ = ("_buf", "_header", "_max")

    def __init__(self, header: struct.Struct = NATIVE, max_size: int = MAX_INBOUND) -> None:
        self._buf = bytearray()
        self._header = header
        self._max = max_size

    def feed(self, data: bytes) -> list[bytes]:
        self._buf += data
        out: list[bytes] = []
        hsize = self._header.size
        while len(self._buf) >= hsize:
            (length,) = self._header.unpack_from(self._buf, 0)
            if length > self._max:
                raise FramingError(f"frame of {length} bytes exceeds the {self._max}-byte cap")
            end = hsize + length
            if len(self._buf) < end:
                break
            out.append(bytes(self._buf[hsize:end]))
            del self._buf[:end]
        return out

    @property
    def pending(self) -> int:
        """Bytes held that do not yet make a whole frame."""
        return len(self._buf)


def read_exact(stream, n: int) -> bytes | None:
    """Read exactly ``n`` bytes from a blocking binary stream; None on clean EOF before any byte."""
    chunks = []
    got = 0
    while got < n:
        piece = stream.read(n - got)
        if not piece:
            if got == 0:
                return None
            raise FramingError(f"stream ended inside a frame ({got} of {n} bytes)")
        chunks.append(piece)
        got += len(piece)
    return b"".join(chunks)


def read_frame(stream, header: struct.Struct = NATIVE, max_size: int = MAX_INBOUND) -> bytes | None:
    """Blocking read of one frame body; None on EOF at a frame boundary."""
    head = read_exact(stream, header.size)
    if head is None:
        return None
    (length,) = header.unpack(head)
    if length > max_size:
        raise FramingError(f"frame of {length} bytes exceeds the {max_size}-byte cap")
    body = read_exact(stream, length) if length else b""
    if body is None:
        raise FramingError("stream ended inside a frame")
    return body


async def read_frame_async(reader, header: struct.Struct = SOCKET, max_size: int = MAX_INBOUND) -> bytes | None:
    """Read one frame body from an ``asyncio.StreamReader``; None on EOF at a frame boundary."""
    import asyncio

    try:
        head = await reader.readexactly(header.size)
    except asyncio.IncompleteReadError as exc:
        if not exc.partial:
            return None
        raise FramingError("stream ended inside a frame header") from exc
    (length,) = header.unpack(head)
    if length > max_size:
        raise FramingError(f"frame of {length} bytes exceeds the {max_size}-byte cap")
    try:
        return await reader.readexactly(length) if length else b""
    except asyncio.IncompleteReadError as exc:
        raise FramingError("stream ended inside a frame") from exc
