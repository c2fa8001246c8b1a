"""The Python runner: code in a subprocess, in its own scratch folder, with time, CPU, memory, file
and output limits, no network where this machine can take it away (bubblewrap or an unshare'd
network namespace), and writes confined to the scratch folder where Landlock works (``confine``).
Which isolation is in force is detected (never assumed) and reported with every result. Where
both hold, nothing leaves the scratch folder except through staged, approved file changes
(``sandbox.files``).
"""

from __future__ import annotations

import asyncio
import functools
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .confine import confined_argv, landlock_works
from .subproc import python_argv, run_limited


@dataclass(frozen=True)
class Limits:
    timeout_s: float = 60.0
    cpu_s: int = 60
    memory_mb: int = 1024
    open_files: int = 256
    file_mb: int = 100
    output_bytes: int = 256 * 1024


@dataclass(frozen=True)
class Isolation:
    name: str  # "bwrap" | "unshare" | "none"
    prefix: tuple[str, ...]
    network_blocked: bool
    detail: str


@dataclass
class RunResult:
    status: str  # ok | failed | timeout
    exit_code: int | None
    output: str
    truncated: bool
    isolation: str
    network_blocked: bool
    scratch: str
    files: list[dict] = field(default_factory=list)
    #: writes confined to the scratch folder (Landlock), and what the isolation in force is
    fs_confined: bool = False
    isolation_detail: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


_NET_PROBE = "import socket,sys\ns=socket.socket()\ns.settimeout(1)\ntry:\n s.connect(('127.0.0.1', 9))\nexcept ConnectionRefusedError:\n sys.exit(3)\nexcept OSError:\n sys.exit(0)\nsys.exit(3)"


@functools.cache
def detect_isolation() -> Isolation:
    """Try, in order, bubblewrap and unshare; keep the first that really cuts the network here."""
    candidates: list[tuple[str, tuple[str, ...]]] = []
    if sys.platform.startswith("linux"):
        if shutil.which("bwrap"):
            candidates.append(("bwrap", ("bwrap", "--unshare-net", "--die-with-parent", "--dev-bind", "/", "/")))
        if shutil.which("unshare"):
            candidates.append(("unshare", ("unshare", "-n") if os.geteuid() == 0 else ("unshare", "-r", "-n")))
    for name, prefix in candidates:
        try:
            # In a new network namespace even loopback is down: connect() fails with an OSError
            # that is not "connection refused" (exit 0). Exit 3 means the network was reachable.
            r = subprocess.run([*prefix, sys.executable, "-I", "-c", _NET_PROBE], capture_output=True, timeout=10)
        except (OSError, subprocess.TimeoutExpired) as exc:
            continue
        if r.returncode == 0:
            return Isolation(name, prefix, True, f"network namespace via {name}")
    why = "no bwrap/unshare that works here" if sys.platform.startswith("linux") else f"no network isolation implemented for {sys.platform}"
    return Isolation("none", (), False, f"{why}: code runs with the network reachable")


def _limits_preexec(limits: Limits):
    def apply() -> None:
        import resource

        for res, value in (
            (resource.RLIMIT_CPU, limits.cpu_s),
            (resource.RLIMIT_AS, limits.memory_mb * 1024 * 1024),
            (resource.RLIMIT_NOFILE, limits.open_files),
            (resource.RLIMIT_FSIZE, limits.file_mb * 1024 * 1024),
            (resource.RLIMIT_CORE, 0),
        ):
            resource.setrlimit(res, (value, value))

    return apply if os.name == "posix" else None


async def run_python(code: str, *, scratch_root: Path, limits: Limits = Limits(), network: bool = False, inputs: dict[str, bytes] | None = None) -> RunResult:
    """Run ``code`` in a new scratch folder (``inputs`` are written there first)."""
    scratch_root.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="run-", dir=scratch_root))
    for name, data in (inputs or {}).items():
        if "/" in name or name.startswith("."):
            raise ValueError(f"input names are plain file names, got {name!r}")
        (scratch / name).write_bytes(data)
    iso = Isolation("none", (), False, "network allowed by the caller") if network else await asyncio.to_thread(detect_isolation)
    fs_confined, fs_why = await asyncio.to_thread(landlock_works)
    argv = confined_argv(code) if fs_confined else python_argv(code)
    proc = await run_limited([*iso.prefix, *argv], timeout_s=limits.timeout_s, cwd=str(scratch), cap=limits.output_bytes, preexec_fn=_limits_preexec(limits))
    files = [
        {"name": str(p.relative_to(scratch)), "size": p.stat().st_size}
        for p in sorted(scratch.rglob("*"))
        if p.is_file() and not p.is_symlink() and str(p.relative_to(scratch)) not in (inputs or {})
    ]
    name = "+".join(n for n in (iso.name if iso.name != "none" else "", "landlock" if fs_confined else "") if n) or "none"
    return RunResult(proc.status, proc.exit_code, proc.output, proc.truncated, name, iso.network_blocked, str(scratch), files,
                     fs_confined, f"{iso.detail}; {fs_why}")
