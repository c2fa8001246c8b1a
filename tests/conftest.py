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

    _shut_down_daemon_of_this_home()
    shutil.rmtree(home, ignore_errors=True)


def _shut_down_daemon_of_this_home() -> None:
    """A daemon still serving the test's home goes too: one a native host started (detached, so
    no test holds its process) would otherwise outlive the test and its deleted home."""
    import time

    from swarmbridge.rpc.client import call
    from swarmbridge.rpc.router import RpcError

    try:
        call("daemon.shutdown", {}, timeout=2)
    except (RpcError, OSError):
        return
    for _ in range(100):
        try:
            call("daemon.status", {}, timeout=1)
        except (RpcError, OSError):
            return
        time.sleep(0.05)
