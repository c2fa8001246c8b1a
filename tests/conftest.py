import contextlib
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def sb_home(tmp_path, monkeypatch):
    """A private SWARMBRIDGE_HOME for the test (config, data, logs, socket)."""
    home = Path(os.environ.get("TMPDIR", "/tmp")) / f"sbh-{os.getpid()}-{abs(hash(str(tmp_path))) % 10**8}"
    home.mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("SWARMBRIDGE_HOME", str(home))
    yield home
    import shutil

    _shut_down_daemon_of_this_home(home)
    shutil.rmtree(home, ignore_errors=True)


def _processes_of_home(home: Path) -> list[int]:
    """Processes started with this SWARMBRIDGE_HOME (daemons, native hosts), from /proc."""
    mark = f"SWARMBRIDGE_HOME={home}".encode()
    found = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit() or int(d.name) == os.getpid():
            continue
        try:
            if mark in (d / "environ").read_bytes().split(b"\0"):
                found.append(int(d.name))
        except OSError:
            continue
    return found


def _shut_down_daemon_of_this_home(home: Path) -> None:
    """A daemon still serving the test's home goes too: one a native host started (detached, so
    no test holds its process) would otherwise outlive the test and its deleted home. A native
    host whose browser was just killed may still start one as its daemon goes away, so this waits
    (up to 5 s) until no process of the home is left, shutting down each daemon that answers."""
    import signal
    import time

    from swarmbridge.rpc.client import call
    from swarmbridge.rpc.router import RpcError

    deadline = time.monotonic() + 5
    while True:
        try:
            call("daemon.shutdown", {}, timeout=2)
        except (RpcError, OSError):
            pass
        left = _processes_of_home(home)
        if not left:
            return
        if time.monotonic() > deadline:
            for pid in left:  # still there after 5 s: not waited for any longer
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGTERM)
            return
        time.sleep(0.1)
