"""The toolbar popup for real: opened as a page in headless Chromium (Selenium) with the real
extension and a real daemon; shows the connection, a pending approval with its preview, approves
it in one click, and starts a goal. Screenshot in tests/artifacts/ for review."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from relaykit import PY, wait_until
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select
from test_real_chromium import CHROMIUM, bridges

from swarmbridge.extension_id import EXTENSION_DIR, extension_id
from swarmbridge.rpc.client import call

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@pytest.fixture
def driver(daemon, tmp_path):
    profile = tmp_path / "profile"
    profile.mkdir()
    subprocess.run([PY, "-m", "swarmbridge.cli.main", "install", "--user-data-dir", str(profile)], check=True, capture_output=True)
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--no-default-browser-check",
              "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
              "--window-size=420,800", f"--user-data-dir={profile}", f"--load-extension={EXTENSION_DIR}", f"--disable-extensions-except={EXTENSION_DIR}"):
        opts.add_argument(a)
    env = dict(os.environ, XDG_CONFIG_HOME=str(tmp_path / "xdg"), XDG_CACHE_HOME=str(tmp_path / "xdgc"))
    d = webdriver.Chrome(options=opts, service=Service("/usr/bin/chromedriver", env=env))
    try:
        yield d
    finally:
        d.quit()


@pytest.mark.browser
def test_popup_shows_state_approves_and_starts_a_goal(driver) -> None:
    wait_until(bridges, 20, "the extension to connect")
    pending = call("approvals.request", {"tool": "browser.submit", "summary": "Submit the order form on shop.example",
                                         "preview": {"fields": [{"field": "Email", "value": "ada@example.org"}]}, "origin": "goal:1",
                                         "idempotencyKey": "popup-test", "wait": False})
    assert pending["pending"]
    driver.get(f"chrome-extension://{extension_id()}/src/ui/popup/popup.html")
    wait_until(lambda: driver.find_element(By.ID, "status").text == "connected", 10, "the popup to show the connection")
    item = wait_until(lambda: driver.find_elements(By.CSS_SELECTOR, f'#approvals li[data-id="{pending["id"]}"]'), 10, "the approval in the popup")[0]
    assert "Submit the order form" in item.text and "Email: ada@example.org" in item.text
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / "popup.png"))
    item.find_element(By.CSS_SELECTOR, "button.approve").click()
    decided = wait_until(lambda: (a := call("approvals.get", {"id": pending["id"]}))["status"] != "pending" and a, 10, "the approval to be decided")
    assert decided["status"] == "approved" and decided["decidedBy"].startswith("user:bridge:")
    wait_until(lambda: "Nothing is waiting" in driver.find_element(By.ID, "approvals").text, 10, "the list to refresh")

    Select(driver.find_element(By.ID, "kind")).select_by_value("goal")
    driver.find_element(By.ID, "objective").send_keys("Collect the prices of the demo shop")
    driver.find_element(By.ID, "start").click()
    wait_until(lambda: "started" in driver.find_element(By.ID, "start-msg").text, 10, "the goal to start")
    goals = call("goal.list", {})["goals"]
    assert goals[-1]["spec"]["objective"] == "Collect the prices of the demo shop"
    assert json.dumps(goals[-1]["spec"]["criteria"])


@pytest.mark.browser
def test_popup_quick_task_on_a_chosen_endpoint(driver) -> None:
    """No endpoint: the popup says what needs one and where to add it. With two: the chooser lists
    them and a quick task starts a run pinned to the chosen one."""
    wait_until(bridges, 20, "the extension to connect")
    page = f"chrome-extension://{extension_id()}/src/ui/popup/popup.html"
    driver.get(page)
    msg = wait_until(lambda: (m := driver.find_element(By.ID, "model-msg")).is_displayed() and m.text, 10, "the no-model notice")
    assert "No model endpoint yet" in msg and "Settings" in msg
    for name in ("local", "cloud"):
        call("models.endpoints.set", {"name": name, "baseUrl": "http://127.0.0.1:9/v1", "model": f"m-{name}"})
    driver.get(page)
    wait_until(lambda: len(driver.find_elements(By.CSS_SELECTOR, "#endpoint option")) == 3, 10, "the endpoints in the chooser")
    assert not driver.find_element(By.ID, "model-msg").is_displayed()
    assert [o.text for o in driver.find_elements(By.CSS_SELECTOR, "#endpoint option")] == ["each role's own", "local (m-local)", "cloud (m-cloud)"]
    Select(driver.find_element(By.ID, "endpoint")).select_by_value("cloud")
    driver.find_element(By.ID, "objective").send_keys("Find three quiet cafés near the station")
    driver.find_element(By.ID, "start").click()
    started = wait_until(lambda: "Run " in (t := driver.find_element(By.ID, "start-msg").text) and t, 15, "the run to start")
    run = call("runs.show", {"id": started.split()[1]})
    assert run["origin"] == "popup" and run["endpoint"] == "cloud" and run["goal"] == "Find three quiet cafés near the station"
