"""E2E fixtures: one real bridge per module (a daemon subprocess in a short temp SWARMBRIDGE_HOME,
headless Chromium started by the product's own launcher with the real extension and the native
host manifest in its profile) and the bundled demo site. If Chromium cannot start, tests FAIL."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from swarmbridge.browser.launch import LaunchedBrowser, launch
from swarmbridge.demo.site import serve_site
from swarmbridge.rpc.client import call

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def wait_for(pred: Callable[[], Any], timeout: float, what: str) -> Any:
    """Poll ``pred`` until truthy; fail the test naming what never happened."""
    end = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < end:
        try:
            value = pred()
            if value:
                return value
        except Exception as exc:  # the daemon may not be listening yet
            last = exc
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what} (last error: {last!r})")


class Bridge:
    """A live daemon + browser pair; `call` sends one RPC to the daemon."""

    def __init__(self, home: Path, daemon: subprocess.Popen[bytes], browser: LaunchedBrowser) -> None:
        self.home, self.daemon, self.browser = home, daemon, browser

    def call(self, method: str, params: dict[str, Any] | None = None, timeout: float = 30.0) -> Any:
        return call(method, params or {}, timeout=timeout)


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with serve_site() as base:
        yield base


@pytest.fixture(scope="module")
def bridge() -> Iterator[Bridge]:
    home = Path(tempfile.mkdtemp(prefix="sbe", dir="/tmp"))  # short: the socket path must fit
    old = os.environ.get("SWARMBRIDGE_HOME")
    os.environ["SWARMBRIDGE_HOME"] = str(home)
    daemon = subprocess.Popen([sys.executable, "-m", "swarmbridge.cli.main", "daemon", "--quiet"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    browser: LaunchedBrowser | None = None
    try:
        wait_for(lambda: call("bridges.list", {}, timeout=2) is not None, 15, "the daemon to answer")
        browser = launch(profile=home / "profile")
        wait_for(lambda: browser.proc.poll() is None and call("bridges.list", {}, timeout=2)["bridges"], 20,
                 "the extension in Chromium to connect (did Chromium start?)")
        yield Bridge(home, daemon, browser)
    finally:
        if browser is not None:
            browser.close()
        if daemon.poll() is None:
            daemon.send_signal(signal.SIGTERM)
            try:
                daemon.wait(5)
            except subprocess.TimeoutExpired:
                daemon.kill()
                daemon.wait()
        if old is None:
            os.environ.pop("SWARMBRIDGE_HOME", None)
        else:
            os.environ["SWARMBRIDGE_HOME"] = old
        shutil.rmtree(home, ignore_errors=True)
