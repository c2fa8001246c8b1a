"""The launcher starts real Chromium with the extension and the native host manifest in its profile."""

import json
import os
import time

import pytest

from swarmbridge.browser.launch import chromium_args, find_browser, launch


def test_args_carry_profile_and_extension(tmp_path):
    args = chromium_args(tmp_path, headless=True)
    assert "--headless=new" in args
    assert f"--user-data-dir={tmp_path}" in args
    assert any(a.startswith("--load-extension=") for a in args)


@pytest.mark.browser
def test_launch_starts_and_closes(tmp_path, monkeypatch):
    monkeypatch.setenv("SWARMBRIDGE_HOME", str(tmp_path / "home"))
    find_browser()  # raises (test fails) when no browser exists
    b = launch(headless=True)
    try:
        time.sleep(1.0)
        assert b.proc.poll() is None, "Chromium exited right after start"
        manifests = list((b.profile / "NativeMessagingHosts").glob("*.json"))
        assert manifests and json.loads(manifests[0].read_text())["type"] == "stdio"
        _wait_for_bridge()  # the extension starts the host, the host starts the daemon
    finally:
        b.close()
        _stop_daemon_the_extension_started()
    assert b.proc.poll() is not None
    assert not b.scratch.exists()


def _wait_for_bridge() -> None:
    from swarmbridge.rpc.client import call
    from swarmbridge.rpc.router import RpcError

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if call("bridges.list", {}, timeout=2)["bridges"]:
                return
        except RpcError:
            pass
        time.sleep(0.1)
    raise AssertionError("the launched browser's extension never connected to a daemon")


def _stop_daemon_the_extension_started() -> None:
    """The extension's native host starts a daemon in this test's home; stop it (no orphans)."""
    from swarmbridge.rpc.client import call
    from swarmbridge.rpc.router import RpcError

    try:
        pid = call("daemon.status", {}, timeout=2)["pid"]
    except RpcError:
        return
    call("daemon.shutdown", {}, timeout=5)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    raise AssertionError(f"the daemon {pid} started by the extension did not stop")
