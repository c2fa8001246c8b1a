"""JSON text of any value: fast, and never an exception.

Why one function: tool results, model messages, run events and task outputs are whatever a tool or
a model produced, and the run store, the prompts built from upstream results and the approval
previews all turn them into JSON text. The run store does so for every step and event of every
run, on a thread that shares the interpreter lock with the event loop, so the encoder's speed is
the agents' speed: msgspec's encoder is 10-15x faster than ``json``'s on these small dicts.

Odd values are data too and must not fail the write they are part of (one failed value would roll
back a whole group commit of other agents' rows): types JSON has no form for become their ``str``
(as ``json.dumps(default=str)`` did), and a value msgspec refuses as a whole (keys that are not
strings under a sorted order, a circular structure) is first made plain: keys as strings, a cycle
as ``"<cycle>"``. Text is UTF-8, compact; NaN and infinities become null.
"""

from __future__ import annotations

from typing import Any

import msgspec

_SORTED = msgspec.json.Encoder(order="sorted", enc_hook=str)
_PLAIN = msgspec.json.Encoder(enc_hook=str)
_SCALARS = (str, int, float, bool, type(None))


def dumps(value: Any, *, sort: bool = False) -> str:
    """``value`` as JSON text; ``sort``: object keys in sorted order (a stable text to hash)."""
    enc = _SORTED if sort else _PLAIN
    try:
        return enc.encode(value).decode()
    except Exception:  # noqa: BLE001 - any failure of any value: make it plain and try once more
        pass
    try:
        return enc.encode(_plain(value, set())).decode()
    except Exception:  # noqa: BLE001 - nested too deep for a recursive walk, or str() itself failed
        return _PLAIN.encode(_text(value)).decode()


def _plain(value: Any, parents: set[int]) -> Any:
    """``value`` with string keys, no cycles and nothing but JSON types (others as their text)."""
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, (dict, list, tuple, set, frozenset)):
        if id(value) in parents:
            return "<cycle>"
        parents.add(id(value))
        try:
            if isinstance(value, dict):
                return {(k if isinstance(k, str) else _text(k)): _plain(v, parents) for k, v in value.items()}
            return [_plain(v, parents) for v in value]
        finally:
            parents.discard(id(value))
    return _text(value)


def _text(value: Any) -> str:
    try:
        return str(value)
    except Exception:  # noqa: BLE001 - an object whose __str__ fails is still named
        return f"<{type(value).__name__}>"
