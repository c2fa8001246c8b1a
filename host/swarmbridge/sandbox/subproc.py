"""Python and shell triggers: a subprocess with a clean environment, a time limit, capped output.

The child gets its own session (process group) so a timeout kills everything it started, not
just the shell.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from dataclasses import dataclass

OUTPUT_CAP = 64 * 1024
_ENV_KEEP = ("PATH", "LANG", "LC_ALL", "TZ", "SYSTEMROOT")


@dataclass(frozen=True)
class ProcResult:
    status: str  # ok | failed | timeout
    exit_code: int | None
    output: str
    truncated: bool


def clean_env(home: str | None = None) -> dict[str, str]:
    """Only what a program needs to run: no tokens, proxies or secrets from the daemon's env."""
    env = {k: os.environ[k] for k in _ENV_KEEP if k in os.environ}
    env.setdefault("PATH", "/usr/bin:/bin")
    if home:
        env["HOME"] = env["TMPDIR"] = home  # temp files land in the job's own folder
    return env


async def run_limited(argv: list[str], *, timeout_s: float, cwd: str | None = None, cap: int = OUTPUT_CAP, preexec_fn=None) -> ProcResult:
    """Run ``argv``; stdout+stderr interleaved, kept up to ``cap`` bytes (the rest is drained).
    ``preexec_fn`` runs in the child before exec (resource limits)."""
    proc = await asyncio.create_subprocess_exec(
        *argv, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        cwd=cwd, env=clean_env(cwd), start_new_session=True, preexec_fn=preexec_fn,
    )
    buf = bytearray()
    truncated = False

    async def drain() -> None:
        nonlocal truncated
        assert proc.stdout is not None
        while chunk := await proc.stdout.read(65536):
            room = cap - len(buf)
            if room > 0:
                buf.extend(chunk[:room])
            if len(chunk) > room:
                truncated = True
        await proc.wait()

    try:
        await asyncio.wait_for(drain(), timeout_s)
    except (TimeoutError, asyncio.CancelledError) as exc:
        _kill_group(proc.pid)
        await proc.wait()
        if isinstance(exc, asyncio.CancelledError):
            raise
        return ProcResult("timeout", proc.returncode, _text(buf) + f"\n[killed after {timeout_s:g} s]", truncated)
    code = proc.returncode
    return ProcResult("ok" if code == 0 else "failed", code, _text(buf), truncated)


def python_argv(code: str) -> list[str]:
    """Isolated mode: no user site, no PYTHON* variables, no current-directory imports."""
    return [sys.executable, "-I", "-c", code]


def shell_argv(command: str) -> list[str]:
    return ["/bin/sh", "-c", command]


def terminate(proc: "subprocess.Popen[bytes]", timeout: float = 5.0) -> None:
    """Stop a child politely: SIGTERM, wait ``timeout`` seconds, then SIGKILL; always reaped."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _text(buf: bytearray) -> str:
    return buf.decode("utf-8", errors="replace")
