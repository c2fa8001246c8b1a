"""What every daemon-talking sub-command shares: one call, JSON output, friendly errors."""

from __future__ import annotations

import json
import sys
from typing import Any

from ..rpc.client import call
from ..rpc.router import RpcError


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def run_call(method: str, params: dict[str, Any] | None = None, *, timeout: float = 60.0) -> tuple[int, Any]:
    """Call the daemon; on error print ``error [code]: message`` to stderr and return exit 1."""
    try:
        return 0, call(method, params, timeout=timeout)
    except RpcError as exc:
        print(f"error [{exc.code}]: {exc.message}", file=sys.stderr)
        if exc.data:
            print(json.dumps(exc.data, indent=2, ensure_ascii=False), file=sys.stderr)
        return 1, None


def print_result(rc_result: tuple[int, Any]) -> int:
    """Print a successful ``run_call`` result as JSON; pass the exit code through."""
    rc, result = rc_result
    if rc == 0:
        print_json(result)
    return rc
