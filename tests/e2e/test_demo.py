"""`swarmbridge demo` from a terminal: runs start to finish against real Chromium and leaves a CSV
with all 120 list items and the article as Markdown, runs a recipe run, and autofills the checkout
(every value previewed, submitted only after the approval the demo gives). Its daemon's home is
kept: afterwards the real side panel, in a real Chromium with the extension, lists the demo's run
in its History from a daemon started on that home."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from swarmbridge.browser.launch import EXTENSION_DIR
from swarmbridge.rpc.client import call

CHROMIUM = "/usr/lib/chromium/chromium"
ARTIFACTS = Path(os.environ.get("SWARMBRIDGE_ARTIFACTS") or Path(__file__).resolve().parents[1] / "artifacts")


def wait(pred, timeout: float, what: str):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            got = pred()
        except Exception:  # noqa: BLE001 - not there yet (daemon starting, element redrawn)
            got = None
        if got:
            return got
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.browser
def test_demo_command_writes_csv_and_markdown(tmp_path, sb_home, monkeypatch) -> None:
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "swarmbridge.cli.main", "demo", "--headless", "--out", str(out)],
                          capture_output=True, text=True, timeout=90)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "120 rows saved" in proc.stdout and "[9/9]" in proc.stdout and "done in" in proc.stdout
    assert "(a recipe: no model needed) read the article through your session: done" in proc.stdout
    preview = proc.stdout.split("approval ", 1)[1]
    assert "Country          GB" in preview and "ZIP / Postcode   YO21 3PU" in preview, "every value is previewed before the approval"
    assert "submitted after approval: Thank you Order 1 for Ada ships to Whitby, GB" in proc.stdout
    assert "kept for the side panel's history: 1 run(s): 'read the demo article' done; schedule 'demo-catalogue' paused" in proc.stdout
    with (out / "catalogue.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 120 and rows[0]["name"] == "Item 001" and rows[-1]["name"] == "Item 120"
    md = (out / "article.md").read_text(encoding="utf-8")
    assert md.startswith("# Harbour town votes to keep its ferry") and "inspect the hull" in md

    # what the demo left: its home under the user's data dir, its daemon stopped, the run kept
    home = sb_home / "data" / "demo"
    assert str(home) in proc.stdout and (home / "data" / "swarmbridge.db").exists()
    monkeypatch.setenv("SWARMBRIDGE_HOME", str(home))
    with pytest.raises(Exception):
        call("daemon.status", {}, timeout=2)  # the demo stopped its daemon
    daemon = subprocess.Popen([sys.executable, "-m", "swarmbridge.cli.main", "daemon", "--quiet"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    profile = tmp_path / "profile"
    profile.mkdir()
    driver = None
    try:
        wait(lambda: call("daemon.status", {}, timeout=2), 30, "the daemon on the demo's home")
        assert call("schedule.show", {"name": "demo-catalogue"})["paused"] is True
        subprocess.run([sys.executable, "-m", "swarmbridge.cli.main", "install", "--user-data-dir", str(profile)], check=True, capture_output=True)
        opts = webdriver.ChromeOptions()
        opts.binary_location = CHROMIUM
        for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-sync",
                  "--disable-dev-shm-usage", "--window-size=420,800", f"--user-data-dir={profile}", f"--load-extension={EXTENSION_DIR}",
                  f"--disable-extensions-except={EXTENSION_DIR}"):
            opts.add_argument(a)
        env = dict(os.environ, XDG_CONFIG_HOME=str(tmp_path / "xdg"), XDG_CACHE_HOME=str(tmp_path / "xdgc"))
        driver = webdriver.Chrome(options=opts, service=Service("/usr/bin/chromedriver", env=env))
        from swarmbridge.demo.runner import panel_url

        driver.get(panel_url())
        wait(lambda: driver.find_element(By.ID, "tab-history").is_displayed(), 20, "the side panel")
        driver.find_element(By.ID, "tab-history").click()
        item = wait(lambda: [e for e in driver.find_elements(By.CSS_SELECTOR, "#history-runs li[data-run]") if "read the demo article" in e.text],
                    30, "the demo's run in the side panel's history")[0]
        assert "done" in item.text
        ARTIFACTS.mkdir(exist_ok=True)
        driver.save_screenshot(str(ARTIFACTS / "demo-sidepanel-history.png"))
    finally:
        if driver is not None:
            driver.quit()
        try:
            call("daemon.shutdown", {}, timeout=5)
        except Exception:  # noqa: BLE001 - already gone
            pass
        try:
            daemon.wait(15)
        except subprocess.TimeoutExpired:
            daemon.kill()
