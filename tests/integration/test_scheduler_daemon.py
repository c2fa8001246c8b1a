"""The scheduler inside a real daemon subprocess, driven by the real CLI: add, run-now, history,
pause/resume, and a missed run caught up (run_once) after the daemon was down."""

from __future__ import annotations

import json
import subprocess
import time
from datetime import UTC, datetime
from datetime import time as dtime
from pathlib import Path
from typing import Any

from relaykit import PY, daemon_pid, stop_daemon_by_pid, wait_until


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PY, "-m", "swarmbridge.cli.main", *args], capture_output=True, text=True, timeout=30)


def cli_json(*args: str) -> Any:
    res = cli(*args, "--json")
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)


def start_daemon() -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([PY, "-m", "swarmbridge.cli.main", "daemon", "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until(daemon_pid, 30, "the daemon to answer")
    return proc


def stop_daemon(proc: subprocess.Popen[bytes]) -> None:
    stop_daemon_by_pid(proc.pid)
    proc.wait()


def test_schedule_cli_against_daemon_and_missed_run_after_restart(sb_home: Path) -> None:
    proc = start_daemon()
    try:
        res = cli("schedule", "add", "tick", "* * * * * */2", "--shell", "echo tick", "--missed", "run_once", "--grace", "3600")
        assert res.returncode == 0, res.stderr
        bad = cli("schedule", "add", "af", "@daily", "--spec", json.dumps({"name": "af", "cron": "@daily", "trigger": {"kind": "autofill", "url": "file:///etc/passwd", "profile": "home"}}))
        assert bad.returncode == 1 and "url" in bad.stderr, bad.stderr
        wait_until(lambda: any(r["status"] == "ok" for r in cli_json("schedule", "history", "tick")["runs"]), 10, "a tick run")
        assert cli("schedule", "pause", "tick").returncode == 0
        assert cli_json("schedule", "list")["jobs"][0]["paused"] is True
    finally:
        stop_daemon(proc)
    # While the daemon is down, make the job due 10 minutes ago (as if it had been down that long).
    import sqlite3

    db = next(sb_home.rglob("*.db"))
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE schedule_jobs SET paused = 0, next_due = ?, after_due = NULL, spec = json_set(spec, '$.cron', '@daily')", (time.time() - 600,))
    conn.close()
    before = len([r for r in _runs(db) if r == "ok"])
    proc = start_daemon()
    try:
        wait_until(lambda: len([r for r in _runs(db) if r == "ok"]) == before + 1, 10, "the missed run to be caught up once")
        time.sleep(0.3)
        assert len([r for r in _runs(db) if r == "ok"]) == before + 1
        job = cli_json("schedule", "show", "tick")
        # next @daily: the coming midnight in the job's zone (UTC by default), not the past; at 23:59:35
        # that is 25 s away, so no fixed margin
        now = time.time()
        assert now < job["nextDue"] <= now + 86400, job
        assert datetime.fromtimestamp(job["nextDue"], UTC).time() == dtime(0, 0), job
    finally:
        stop_daemon(proc)


def _runs(db: Path) -> list[str]:
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute("SELECT status FROM schedule_runs ORDER BY id")]
    finally:
        conn.close()


def test_browser_job_with_no_browser_connected_waits_then_records_why(daemon: subprocess.Popen[bytes]) -> None:
    recipe = {"url": "http://127.0.0.1:9/", "schema": {"item": "li", "fields": {"t": "span"}}}
    # the waiting path; launching a browser is tested in real Chromium in test_scheduler_browser.py
    add = cli("schedule", "add", "nobrowser", "@daily", "--scrape", json.dumps(recipe), "--grace", "0.5", "--no-browser", "wait")
    assert add.returncode == 0, add.stderr
    assert cli("schedule", "run-now", "nobrowser").returncode == 0
    runs = wait_until(lambda: [r for r in cli_json("schedule", "history", "nobrowser")["runs"] if r["status"] != "running"], 10, "the run to end")
    assert runs[0]["status"] == "error"
    assert runs[0]["note"] == "no browser connected within 0.5 s (waited)"
