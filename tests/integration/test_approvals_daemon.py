"""The approval queue in a real daemon: a client's request waits, the CLI lists and approves it,
and after a kill -9 and restart the same key is decided without asking again."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading

from relaykit import PY, daemon_pid, wait_until

from swarmbridge.rpc.client import call
from swarmbridge.sandbox.subproc import terminate


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PY, "-m", "swarmbridge.cli.main", "approvals", *args], capture_output=True, text=True, timeout=30)


REQ = {"tool": "browser.submit", "summary": "Submit the checkout form", "preview": {"fields": {"email": "a@b.c"}}, "origin": "test", "idempotencyKey": "checkout-1"}


def test_request_wait_approve_and_restart(daemon, sb_home) -> None:
    answer: dict = {}
    t = threading.Thread(target=lambda: answer.update(call("approvals.request", REQ, timeout=30)))
    t.start()
    pending = wait_until(lambda: json.loads(cli("list", "--json").stdout)["approvals"], 10, "the request to be queued")
    assert pending[0]["summary"] == "Submit the checkout form" and pending[0]["risk"] == "mutate"
    assert "a@b.c" in cli("list").stdout, "the preview is shown"
    out = cli("approve", pending[0]["id"], "--reason", "ok by me")
    assert out.returncode == 0, out.stderr
    t.join(10)
    assert answer["approved"] is True and answer["by"] == "user:cli"

    assert cli("approve", pending[0]["id"]).returncode == 1, "a decision is final"
    os.kill(daemon_pid(), signal.SIGKILL)
    daemon.wait(5)
    restarted = subprocess.Popen([PY, "-m", "swarmbridge.cli.main", "daemon", "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        again = wait_until(lambda: _try(lambda: call("approvals.request", {**REQ, "wait": False})), 15, "the restarted daemon")
        assert again["approved"] is True and again["pending"] is False
        shown = json.loads(cli("show", pending[0]["id"]).stdout)
        assert [a["event"] for a in shown["audit"]] == ["requested", "approved"]
    finally:
        terminate(restarted, 10)


def _try(fn):
    try:
        return fn()
    except Exception:
        return None
