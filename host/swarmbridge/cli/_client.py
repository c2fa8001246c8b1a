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
        if _is_problem_list(exc.data):  # a validation failure: the message has the first; list them all when several
            if len(exc.data) > 1:
                for e in exc.data:
                    print(f"  {'.'.join(str(x) for x in e['loc']) or 'params'}: {e['msg']}", file=sys.stderr)
        elif exc.data:
            print(json.dumps(exc.data, indent=2, ensure_ascii=False), file=sys.stderr)
        return 1, None


def _is_problem_list(data: Any) -> bool:
    """The daemon's invalid_params data: pydantic's errors, each with loc and msg."""
    return isinstance(data, list) and bool(data) and all(isinstance(e, dict) and "loc" in e and "msg" in e for e in data)


def print_result(rc_result: tuple[int, Any]) -> int:
    """Print a successful ``run_call`` result as JSON; pass the exit code through."""
    rc, result = rc_result
    if rc == 0:
        print_json(result)
    return rc
