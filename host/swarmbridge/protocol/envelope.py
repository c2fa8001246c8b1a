"""The envelope every message travels in, validated with msgspec at each boundary.

    request   {"v":1, "id":"r1", "kind":"request",  "method":"browser.snapshot", "params":{...}}
    response  {"v":1, "id":"r1", "kind":"response", "result": ...}
    response  {"v":1, "id":"r1", "kind":"response", "error":{"code":"timeout","message":"...","data":...}}
    event     {"v":1, "id":"e9", "kind":"event",    "method":"run.step", "params":{...}}

``decode()`` raises ``ProtocolError`` with a code from ``ErrorCode`` for anything malformed, so the
receiver can answer with an error response instead of dying.
"""

from __future__ import annotations

import itertools
import os
from typing import Any, Literal

import msgspec

from . import PROTOCOL_VERSION


class ErrorCode:
    PARSE_ERROR = "parse_error"  # not JSON
    INVALID_REQUEST = "invalid_request"  # JSON, but not a valid envelope
    METHOD_NOT_FOUND = "method_not_found"
    INVALID_PARAMS = "invalid_params"
    INTERNAL = "internal_error"
    TIMEOUT = "timeout"
    TOO_LARGE = "too_large"
    UNAVAILABLE = "unavailable"  # the daemon, a bridge or an endpoint is not reachable
    NO_BRIDGE = "no_bridge"  # no connected browser matches
    FORBIDDEN = "forbidden"  # origin or peer not allowed
    DENIED = "denied"  # the approval policy said no
    NOT_FOUND = "not_found"  # tab, element, run, job... does not exist
    STALE = "stale"  # an element ref from an older document
    CANCELLED = "cancelled"


class Error(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    code: str
    message: str
    data: Any = None


class Message(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    v: int
    id: str
    kind: Literal["request", "response", "event"]
    method: str | msgspec.UnsetType = msgspec.UNSET
    params: dict[str, Any] | msgspec.UnsetType = msgspec.UNSET
    result: Any = msgspec.UNSET
    error: Error | msgspec.UnsetType = msgspec.UNSET

    def __post_init__(self) -> None:
        if self.v != PROTOCOL_VERSION:
            raise ValueError(f"unsupported protocol version {self.v}")
        if not self.id or len(self.id) > 128:
            raise ValueError("id must be 1-128 characters")
        if self.kind in ("request", "event"):
            if not isinstance(self.method, str) or not self.method:
                raise ValueError(f"a {self.kind} needs a method")
            if self.result is not msgspec.UNSET or self.error is not msgspec.UNSET:
                raise ValueError(f"a {self.kind} carries no result or error")
        else:
            has_result = self.result is not msgspec.UNSET
            has_error = self.error is not msgspec.UNSET
            if has_result == has_error:
                raise ValueError("a response carries exactly one of result and error")
            if self.method is not msgspec.UNSET or self.params is not msgspec.UNSET:
                raise ValueError("a response carries no method or params")


class ProtocolError(Exception):
    def __init__(self, code: str, message: str, msg_id: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.msg_id = msg_id


_decoder = msgspec.json.Decoder(Message)
_encoder = msgspec.json.Encoder()
_counter = itertools.count(1)
_prefix = f"{os.getpid():x}"


def new_id(prefix: str = "m") -> str:
    return f"{prefix}{_prefix}-{next(_counter)}"


def decode(body: bytes | str) -> Message:
    try:
        return _decoder.decode(body)
    except msgspec.ValidationError as exc:
        raise ProtocolError(ErrorCode.INVALID_REQUEST, f"invalid envelope: {exc}", _peek_id(body)) from None
    except msgspec.DecodeError as exc:
        raise ProtocolError(ErrorCode.PARSE_ERROR, f"not valid JSON: {exc}") from None


def _peek_id(body: bytes | str) -> str | None:
    try:
        obj = msgspec.json.decode(body)
    except msgspec.DecodeError:
        return None
    mid = obj.get("id") if isinstance(obj, dict) else None
    return mid if isinstance(mid, str) and 0 < len(mid) <= 128 else None


def encode(msg: Message) -> bytes:
    return _encoder.encode(msg)


def request(method: str, params: dict[str, Any] | None = None, msg_id: str | None = None) -> Message:
    return Message(v=PROTOCOL_VERSION, id=msg_id or new_id("r"), kind="request", method=method, params=params or {})


def event(method: str, params: dict[str, Any] | None = None) -> Message:
    return Message(v=PROTOCOL_VERSION, id=new_id("e"), kind="event", method=method, params=params or {})


def ok(msg_id: str, result: Any) -> Message:
    return Message(v=PROTOCOL_VERSION, id=msg_id, kind="response", result=result)


def fail(msg_id: str | None, code: str, message: str, data: Any = None) -> Message:
    return Message(
        v=PROTOCOL_VERSION, id=msg_id or "unknown", kind="response", error=Error(code=code, message=message, data=data)
    )
