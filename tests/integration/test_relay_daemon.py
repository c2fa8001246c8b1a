"""Daemon + relay + CLI as real subprocesses over the real 0600 socket."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import time

from swarmbridge.paths import user_paths
from swarmbridge.rpc.client import call

from relaykit import PY, FakeBrowser, daemon_pid, pid_alive, stop_daemon_by_pid, wait_until


def cli(*args: str, timeout: float = 30) -> subprocess.CompletedProcess:
    return subprocess.run([PY, "-m", "swarmbridge.cli.main", *args], capture_output=True, text=True, timeout=timeout)


def test_socket_is_private(daemon):
    mode = os.stat(user_paths().socket).st_mode
    assert stat.S_ISSOCK(mode) and stat.S_IMODE(mode) == 0o600


def test_hello_registers_a_bridge_and_cli_ping_round_trips(daemon, browsers):
    fb = browsers()
    reply = fb.hello()
    assert reply["result"]["bridgeId"] and reply["result"]["daemonVersion"]
    bridges = call("bridges.list", {})["bridges"]
    assert [b["browser"] for b in bridges] == ["chromium"]
    out = cli("browser", "ping")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["pong"] is True
    status = json.loads(cli("status", "--json").stdout)
    assert status["bridges"][0]["tabs"] == [] or "tabsError" not in status["bridges"][0]


def test_three_mib_travels_as_chunks_both_ways(daemon, browsers):
    fb = browsers(handler=lambda msg: {"echo": msg["params"]["data"]})
    fb.hello()
    data = "x" * (3 * 1024 * 1024)
    result = call("browser.echo", {"data": data}, timeout=30)
    assert result["echo"] == data
    assert fb.chunks_seen >= 3
    assert fb.max_frame <= 1_048_576


def test_malformed_frames_get_error_replies_and_the_relay_keeps_going(daemon, browsers):
    fb = browsers()
    fb.send_raw(b"not json")
    assert fb.recv()["error"]["code"] == "parse_error"
    fb.send_raw(b"[1, 2]")
    assert fb.recv()["error"]["code"] == "invalid_request"
    fb.send({"v": 1, "id": "bad-1", "kind": "bogus"})
    reply = fb.recv()
    assert reply["id"] == "bad-1" and reply["error"]["code"] == "invalid_request"
    assert "result" in fb.hello()


def test_bad_origin_is_refused(sb_home, browsers):
    fb = browsers(origin="chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/")
    assert fb.recv()["error"]["code"] == "forbidden"
    assert fb.proc.wait(5) == 1
    assert daemon_pid() is None  # it never started a daemon for a stranger


def test_firefox_style_caller_from_the_allowed_file_is_accepted(daemon):
    paths = user_paths()
    (paths.config_dir / "allowed-extensions.json").write_text(json.dumps({"extensionIds": ["webbridge@example.org"]}))
    ff = FakeBrowser(argv=["/x/dev.swarmbridge.host.json", "webbridge@example.org"])
    try:
        assert "result" in ff.hello(browser="firefox")
    finally:
        assert ff.close() == 0


def test_relay_exits_on_stdin_eof(daemon, browsers):
    fb = browsers()
    fb.hello()
    t0 = time.monotonic()
    assert fb.close() == 0
    assert time.monotonic() - t0 < 3
    wait_until(lambda: call("bridges.list", {})["bridges"] == [], 5, "the bridge to go")


def test_second_daemon_is_refused(daemon):
    out = cli("daemon", "--quiet")
    assert out.returncode == 1
    assert "already running" in out.stderr


def test_cli_says_how_to_start_a_missing_daemon(sb_home):
    out = cli("browser", "ping")
    assert out.returncode == 1
    assert "swarmbridge daemon" in out.stderr


def test_relay_starts_the_daemon_when_absent(sb_home, browsers):
    fb = browsers()
    try:
        assert "result" in fb.hello()
        assert call("bridges.list", {})["bridges"]
    finally:
        pid = daemon_pid()
        fb.close()
        stop_daemon_by_pid(pid)


def test_daemon_killed_relay_restarts_it_and_the_bridge_comes_back(daemon, browsers):
    fb = browsers()
    fb.hello()
    first = daemon.pid
    os.kill(first, signal.SIGKILL)
    daemon.wait(5)
    try:
        fb.recv_until(lambda m: m.get("method") == "bridge.daemon_unavailable")
        fb.recv_until(lambda m: m.get("method") == "bridge.daemon_available", timeout=20)
        assert "result" in fb.hello(mid="hello-2")
        second = daemon_pid()
        assert second and second != first and pid_alive(second)
        assert len(call("bridges.list", {})["bridges"]) == 1
        assert call("browser.ping", {})["pong"] is True
    finally:
        pid = daemon_pid()
        fb.close()
        stop_daemon_by_pid(pid)


def test_sigterm_stops_the_daemon_cleanly(daemon):
    daemon.send_signal(signal.SIGTERM)
    assert daemon.wait(10) == 0
    assert not os.path.exists(user_paths().socket)


async def test_bridge_events_reach_subscribers_with_the_bridge_id(daemon, browsers):
    import asyncio

    from swarmbridge.rpc.client import connect

    fb = browsers()
    bridge_id = fb.hello()["result"]["bridgeId"]
    got: asyncio.Queue = asyncio.Queue()
    async with connect(on_event=lambda c, m: got.put_nowait((m.method, m.params))) as conn:
        await conn.request("events.subscribe", {"topics": ["bridge."]})
        fb.send({"v": 1, "id": "ev-1", "kind": "event", "method": "bridge.event", "params": {"type": "tab_closed", "tabId": 4}})
        method, params = await asyncio.wait_for(got.get(), 5)
    assert method == "bridge.event"
    assert params == {"type": "tab_closed", "tabId": 4, "bridgeId": bridge_id}


def test_relay_exits_when_the_native_framing_is_lost(daemon, browsers):
    import struct

    fb = browsers()
    fb.hello()
    fb.proc.stdin.write(struct.pack("=I", 70 * 1024 * 1024))
    fb.proc.stdin.flush()
    assert fb.proc.wait(5) == 1


def test_status_shows_bridges_and_their_tabs(daemon, browsers):
    tabs = [{"tabId": 7, "windowId": 1, "url": "http://127.0.0.1:9/a", "title": "Page A", "active": True, "swarm": False}]
    fb = browsers(handler=lambda m: {"tabs": tabs} if m["method"] == "browser.tabs.list" else {})
    fb.hello(browser="chrome", profile="Work")
    as_json = json.loads(cli("status", "--json").stdout)
    assert as_json["bridges"][0]["tabs"] == tabs and as_json["pid"] == daemon.pid
    text = cli("status").stdout
    assert "chrome Work" in text and "tab 7: Page A" in text
