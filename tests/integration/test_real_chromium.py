"""`swarmbridge install --user-data-dir` + `doctor` against a fresh profile of real headless Chromium.

The browser loads a tiny probe extension carrying the real extension's manifest ``key`` (so the
same id, the one the installed manifest allows), which connects the native port, says hello and
answers commands. This tests the host side (manifest, launcher, relay, daemon, CLI) in the real
browser independently of the full extension, which the end-to-end suite covers.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
from pathlib import Path

import pytest
from relaykit import PY, wait_until

from swarmbridge.extension_id import EXTENSION_DIR
from swarmbridge.rpc.client import call

CHROMIUM = "/usr/lib/chromium/chromium"
PROBE_SW = """
let port;
function hello() {
  port.postMessage({v: 1, id: "hello-" + Date.now(), kind: "request", method: "bridge.hello",
    params: {browser: "chromium", profile: "probe", extensionVersion: "0.0.1", extensionId: chrome.runtime.id}});
}
function connect() {
  port = chrome.runtime.connectNative("dev.swarmbridge.host");
  port.onMessage.addListener((m) => {
    if (m.kind === "request") port.postMessage({v: 1, id: m.id, kind: "response", result: {pong: true, method: m.method}});
    else if (m.kind === "event" && m.method === "bridge.daemon_available") hello();
  });
  port.onDisconnect.addListener(() => setTimeout(connect, 500));
  hello();
}
connect();
"""


def probe_extension(root: Path) -> Path:
    key = json.loads((EXTENSION_DIR / "manifest.json").read_text())["key"]
    ext = root / "probe-ext"
    ext.mkdir()
    manifest = {"manifest_version": 3, "name": "probe", "version": "0.0.1", "key": key,
                "permissions": ["nativeMessaging"], "background": {"service_worker": "sw.js"}}
    (ext / "manifest.json").write_text(json.dumps(manifest))
    (ext / "sw.js").write_text(PROBE_SW)
    return ext


def start_chromium(profile: Path, ext: Path) -> subprocess.Popen:
    env = {**os.environ, "XDG_CONFIG_HOME": str(profile / "xdg"), "XDG_CACHE_HOME": str(profile / "xdgc")}
    flags = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--disable-dev-shm-usage", f"--user-data-dir={profile}",
             f"--load-extension={ext}", f"--disable-extensions-except={ext}", "about:blank"]
    return subprocess.Popen([CHROMIUM, *flags], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def quit_chromium(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def bridges() -> list[dict]:
    return call("bridges.list", {}, timeout=5)["bridges"]


@pytest.mark.browser
def test_install_doctor_and_a_browser_that_quits_and_comes_back(daemon, tmp_path):
    profile = tmp_path / "profile"
    profile.mkdir()
    ext = probe_extension(tmp_path)
    out = subprocess.run([PY, "-m", "swarmbridge.cli.main", "install", "--user-data-dir", str(profile)], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    chrome = start_chromium(profile, ext)
    try:
        wait_until(bridges, 20, "Chromium's extension to connect")
        ping = subprocess.run([PY, "-m", "swarmbridge.cli.main", "browser", "ping"], capture_output=True, text=True, timeout=30)
        assert ping.returncode == 0, ping.stderr
        assert json.loads(ping.stdout) == {"pong": True, "method": "browser.ping"}
        # HOME of its own: the machine's real ~/.config/chromium (if any) is not this test's business
        home = tmp_path / "home"
        home.mkdir()
        doc = subprocess.run([PY, "-m", "swarmbridge.cli.main", "doctor", "--user-data-dir", str(profile), "--browser", "chromium"],
                             capture_output=True, text=True, timeout=60, env={**os.environ, "HOME": str(home)})
        assert doc.returncode == 0, doc.stdout
        assert "[ok  ] bridges" in doc.stdout
        quit_chromium(chrome)
        wait_until(lambda: not bridges(), 10, "the bridge to go when the browser quits")
        chrome = start_chromium(profile, ext)
        wait_until(bridges, 20, "the browser to come back")
        assert call("browser.ping", {}, timeout=10)["pong"] is True
    finally:
        quit_chromium(chrome)
