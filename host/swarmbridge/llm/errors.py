"""Model errors, classified by what the caller should do about them.

    ModelError            .kind in {"retry", "reprompt", "fatal"}, .retry_after: float | None
    ├── RateLimited       retry   (429, or 503 with Retry-After: the whole endpoint pauses)
    ├── ServerError       retry   (5xx, connection refused/reset)
    ├── Timeout           retry   (no reply within the time limit)
    ├── BadOutput         reprompt (malformed/invalid tool call: feed .message back to the model)
    └── Fatal             fatal   (400/401/404, bad config: retrying cannot help)

The gate (``gate.py``) retries ``retry`` kinds with back-off; ``reprompt`` kinds go back to the
caller (the swarm appends the message and asks again); ``fatal`` stops the caller.
"""

from __future__ import annotations


class ModelError(Exception):
    kind: str = "fatal"

    def __init__(self, message: str, *, retry_after: float | None = None, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after
        self.status = status


class RateLimited(ModelError):
    kind = "retry"


class ServerError(ModelError):
    kind = "retry"


class Timeout(ModelError):
    kind = "retry"


class BadOutput(ModelError):
    kind = "reprompt"


class Fatal(ModelError):
    kind = "fatal"


__all__ = ["BadOutput", "Fatal", "ModelError", "RateLimited", "ServerError", "Timeout"]
