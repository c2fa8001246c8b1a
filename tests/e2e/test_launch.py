"""The launcher starts real Chromium with the extension and the native host manifest in its profile."""

import json
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
    finally:
        b.close()
    assert b.proc.poll() is not None
    assert not b.scratch.exists()
