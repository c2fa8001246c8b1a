"""Split host-to-browser messages that exceed Chrome's 1 MiB limit; reassemble them.

A body that fits is sent as is. A larger one is sent as a run of chunk messages, each itself a
small JSON object within the limit::

    {"v": 1, "kind": "chunk", "cid": "c3", "seq": 0, "total": 4, "data": "<a slice of the body>"}

``data`` slices the body's *text* (never mid-character); concatenating the slices in ``seq`` order
gives the original body, which is then parsed as an ordinary envelope. The service worker
reassembles (``extension/src/sw/chunks.js``); callers never see chunks. Standard library only.
"""

from __future__ import annotations

import itertools
import json

from .framing import MAX_TO_BROWSER

_ids = itertools.count(1)
#: Characters per slice before JSON escaping; shrunk for a slice whose escaping inflates it.
SLICE_CHARS = 256 * 1024


class ChunkError(ValueError):
    pass


def split(body: bytes, limit: int = MAX_TO_BROWSER, slice_chars: int = SLICE_CHARS) -> list[bytes]:
    """Return the frame bodies to send for ``body``: ``[body]`` if it fits, else chunk messages."""
    if len(body) <= limit:
        return [body]
    text = body.decode("utf-8")
    cid = f"c{next(_ids)}"
    pieces: list[str] = []
    i = 0
    while i < len(text):
        n = slice_chars
        while True:
            piece = text[i : i + n]
            probe = json.dumps(piece, ensure_ascii=False).encode("utf-8")
            if len(probe) + 128 <= limit or n == 1:
                break
            n //= 2
        pieces.append(piece)
        i += len(piece)
    total = len(pieces)
    return [
        json.dumps(
            {"v": 1, "kind": "chunk", "cid": cid, "seq": seq, "total": total, "data": piece},
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode("utf-8")
        for seq, piece in enumerate(pieces)
    ]


class Reassembler:
    """Collect chunk messages (already parsed as dicts); return the whole body when complete."""

    def __init__(self, max_streams: int = 64) -> None:
        self._streams: dict[str, list[str | None]] = {}
        self._max = max_streams

    def feed(self, msg: dict) -> bytes | None:
        try:
            cid, seq, total, data = msg["cid"], msg["seq"], msg["total"], msg["data"]
        except KeyError as exc:
            raise ChunkError(f"chunk without {exc.args[0]!r}") from None
        if not (isinstance(cid, str) and isinstance(seq, int) and isinstance(total, int) and isinstance(data, str)):
            raise ChunkError("chunk fields have the wrong types")
        if total < 1 or not 0 <= seq < total:
            raise ChunkError(f"chunk {seq} of {total} is out of range")
        parts = self._streams.get(cid)
        if parts is None:
            if len(self._streams) >= self._max:
                raise ChunkError("too many chunk streams in flight")
            parts = self._streams[cid] = [None] * total
        if len(parts) != total:
            raise ChunkError("chunk total changed mid-stream")
        parts[seq] = data
        if any(p is None for p in parts):
            return None
        del self._streams[cid]
        return "".join(parts).encode("utf-8")  # type: ignore[arg-type]
