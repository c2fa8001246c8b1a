"""Flow 2 for real: a scheduled scrape job, run by the daemon's scheduler, through the real
extension in real headless Chromium, against a page served on 127.0.0.1; rows saved and diffed."""

from __future__ import annotations

import json
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from relaykit import PY, wait_until
from test_real_chromium import bridges, quit_chromium, start_chromium

from swarmbridge.extension_id import EXTENSION_DIR

ITEMS = ["alpha", "beta"]


class Page(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        body = "<html><body><h1>Prices</h1><ul>" + "".join(f'<li class="item"><span class="name">{n}</span></li>' for n in ITEMS) + "</ul></body></html>"
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PY, "-m", "swarmbridge.cli.main", "schedule", *args], capture_output=True, text=True, timeout=60)


def finished_runs(job: str) -> list[dict]:
    """The job's runs that have ended, newest first."""
    return [r for r in json.loads(cli("history", job, "--json").stdout)["runs"] if r["status"] != "running"]


@pytest.mark.browser
def test_scheduled_scrape_in_real_chromium(daemon: subprocess.Popen, tmp_path: Path) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    profile = tmp_path / "profile"
    profile.mkdir()
    out = subprocess.run([PY, "-m", "swarmbridge.cli.main", "install", "--user-data-dir", str(profile)], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    chrome = start_chromium(profile, EXTENSION_DIR)
    try:
        wait_until(bridges, 20, "the extension to connect")
        recipe = {"url": f"http://127.0.0.1:{server.server_port}/", "wait_selector": "li.item", "scroll": False, "key": "name",
                  "schema": {"item": "li.item", "fields": {"name": ".name"}}}
        res = cli("add", "prices", "@daily", "--scrape", json.dumps(recipe))
        assert res.returncode == 0, res.stderr
        assert cli("run-now", "prices").returncode == 0

        def runs() -> list[dict]:
            return finished_runs("prices")

        first = wait_until(runs, 30, "the scrape run")[0]
        assert first["status"] == "ok", first
        assert first["artefacts"]["rows"] == 2 and first["artefacts"]["diff"]["first"] is True
        assert [r["name"] for r in json.loads(first["output"])] == ["alpha", "beta"]
        ITEMS[:] = ["beta", "gamma"]
        assert cli("run-now", "prices").returncode == 0
        second = wait_until(lambda: len(runs()) == 2 and runs(), 30, "the second run")[0]
        assert second["status"] == "ok", second
        assert (second["artefacts"]["diff"]["added"], second["artefacts"]["diff"]["removed"]) == (1, 1)
    finally:
        quit_chromium(chrome)
        server.shutdown()
        server.server_close()


@pytest.mark.browser
def test_job_with_no_browser_launches_one_in_the_background(daemon: subprocess.Popen, sb_home: Path) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        recipe = {"url": f"http://127.0.0.1:{server.server_port}/", "wait_selector": "li.item", "scroll": False,
                  "schema": {"item": "li.item", "fields": {"name": ".name"}}}
        spec = {"name": "bg", "cron": "@daily", "grace_s": 40, "no_browser": "launch", "trigger": {"kind": "scrape", **recipe}}
        res = subprocess.run([PY, "-m", "swarmbridge.cli.main", "schedule", "add", "bg", "@daily", "--spec", json.dumps(spec)], capture_output=True, text=True, timeout=30)
        assert res.returncode == 0, res.stderr
        assert cli("run-now", "bg").returncode == 0

        run = wait_until(lambda: finished_runs("bg"), 60, "the scrape with a launched browser")[0]
        assert run["status"] == "ok", run
        assert "launched in background" in run["note"] and run["artefacts"]["rows"] == len(ITEMS)
    finally:
        server.shutdown()
        server.server_close()
        profile = sb_home / "data" / "browser-profile"
        # the scheduler's background browser outlives the job by design; the test ends it
        subprocess.run(["pkill", "-f", f"user-data-dir={profile}"], check=False)
        wait_until(lambda: subprocess.run(["pgrep", "-f", f"user-data-dir={profile}"], capture_output=True).returncode != 0, 10, "the background browser to exit")
