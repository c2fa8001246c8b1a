"""Side panel under load: recipe runs of N tasks (no model: `sleep` tool steps in chains of 10,
16 at a time) watched live by the side panel page in headless Chromium with the real extension
and a daemon in a temp home. Per N: the daemon's run time, how long after the daemon finished the
panel showed "done" and every task drawn done (lags), renders and their cost (mean / max ms for the whole run view),
events the panel folded. The last stdout line is one JSON object.

    python bench/sidepanel.py [--tasks 50,300] [--sleep 0.02]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from swarmbridge.browser.launch import browser_env, chromium_args, find_browser
from swarmbridge.extension_id import extension_id
from swarmbridge.rpc.client import call
from swarmbridge.sandbox.subproc import terminate

STATUS = "const e = document.getElementById('run-status'); return e ? e.textContent : '';"


def wait(pred, timeout: float, what: str):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        v = pred()
        if v:
            return v
        time.sleep(0.01)
    raise SystemExit(f"timed out waiting for {what}")


def one(drv: webdriver.Chrome, n: int, sleep: float) -> dict:
    drv.execute_script("Object.assign(sbPanelStats, {renders: 0, totalMs: 0, maxMs: 0, events: 0});")
    steps = [{"id": f"s{i}", "tool": "sleep", "args": {"seconds": sleep}, "inputs": [f"s{i - 10}"] if i >= 10 else []} for i in range(n)]
    t0 = time.monotonic()
    rid = call("runs.start", {"recipe": {"goal": f"bench {n}", "steps": steps}, "budgets": {"max_agents": 16}})["id"]
    wait(lambda: call("runs.show", {"id": rid})["status"] == "done", 120, "the run")
    t1 = time.monotonic()
    wait(lambda: drv.execute_script(STATUS) == "done", 60, "the panel to show done")
    t2 = time.monotonic()
    # and every task drawn as done (the log's tail folded)
    wait(lambda: drv.execute_script("return [...document.querySelectorAll('#graph .node')].every((n) => n.dataset.status === 'done');"), 30, "every node done")
    t3 = time.monotonic()
    s = drv.execute_script("return sbPanelStats;")
    nodes = drv.execute_script("return document.querySelectorAll('#graph .node').length;")
    assert nodes == n, (nodes, n)
    return {"tasks": n, "run_s": round(t1 - t0, 2), "panel_lag_s": round(t2 - t1, 3), "all_done_lag_s": round(t3 - t1, 3), "renders": s["renders"],
            "render_mean_ms": round(s["totalMs"] / max(1, s["renders"]), 2), "render_max_ms": round(s["maxMs"], 2), "events": s["events"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tasks", default="50,300")
    ap.add_argument("--sleep", type=float, default=0.02)
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="sbp", dir="/tmp"))
    os.environ["SWARMBRIDGE_HOME"] = str(tmp / "h")
    sb = [sys.executable, "-m", "swarmbridge.cli.main"]
    profile = tmp / "profile"
    subprocess.run([*sb, "install", "--user-data-dir", str(profile)], check=True, capture_output=True)
    daemon = subprocess.Popen([*sb, "daemon", "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    drv = None
    try:
        opts = webdriver.ChromeOptions()
        opts.binary_location = find_browser()
        for arg in chromium_args(profile, headless=True, extra=["--window-size=420,900"]):
            opts.add_argument(arg)
        drv = webdriver.Chrome(options=opts, service=Service("/usr/bin/chromedriver", env=browser_env(tmp)))
        wait(lambda: _bridges(), 30, "the extension to connect")
        drv.get(f"chrome-extension://{extension_id()}/src/ui/sidepanel/sidepanel.html")
        wait(lambda: drv.execute_script("return document.getElementById('status').textContent") == "connected", 20, "the panel")
        rows = [one(drv, int(n), a.sleep) for n in a.tasks.split(",")]
        for r in rows:
            print(f"{r['tasks']:>5} tasks: run {r['run_s']} s, panel lag {r['panel_lag_s']} s (every node done {r['all_done_lag_s']} s), {r['renders']} renders "
                  f"(mean {r['render_mean_ms']} ms, max {r['render_max_ms']} ms), {r['events']} events")
        print(json.dumps({"sidepanel": rows}))
    finally:
        if drv is not None:
            drv.quit()
        terminate(daemon)
        shutil.rmtree(tmp, ignore_errors=True)


def _bridges() -> bool:
    try:
        return bool(call("bridges.list", {}, timeout=2)["bridges"])
    except Exception:  # noqa: BLE001 - the daemon may not answer yet
        return False


if __name__ == "__main__":
    main()
