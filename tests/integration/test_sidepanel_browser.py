"""The side panel for real: its page opened as a tab in headless Chromium with the real extension,
a real daemon, and a scripted OpenAI-compatible server (through the real openai client) driving a
LIVE run. The panel follows the run as it starts, draws the task graph, shows steps arriving while
the run goes on, shows the run's approval (a file write) and approves it, shows the finished run's
deliverable; the history finds the run by text; guidance typed into a goal lands in the daemon.
Screenshots go to $SWARMBRIDGE_ARTIFACTS (default tests/artifacts/)."""

from __future__ import annotations

import asyncio
import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from relaykit import wait_until
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from test_popup_browser import driver  # noqa: F401 (fixture)
from test_real_chromium import bridges

from swarmbridge import config
from swarmbridge.extension_id import extension_id
from swarmbridge.paths import user_paths
from swarmbridge.rpc.client import call
from swarmbridge.testing import Reply, ScriptedServer, SwarmRules, role_of

ARTIFACTS = Path(os.environ.get("SWARMBRIDGE_ARTIFACTS") or Path(__file__).resolve().parents[1] / "artifacts")
GOAL = "Compare the opening hours of the Lisbon museums and SAVE a summary"
PLAN = {"goal": GOAL, "steps": [
    {"id": "museums_a", "instructions": "Find opening hours, part A", "expected_output": "hours"},
    {"id": "museums_b", "instructions": "Find opening hours, part B", "expected_output": "hours"},
    {"id": "save", "instructions": "SAVE the summary to the notes folder", "inputs": ["museums_a", "museums_b"], "expected_output": "saved"},
]}


class Rules(SwarmRules):
    """The planner answers PLAN for the museum goal; workers call echo twice (slowly, so the panel
    sees steps arrive), the SAVE worker proposes a file write (which waits for approval)."""

    def __call__(self, request: dict) -> Reply:
        msgs = request.get("messages", [])
        user = next((str(m.get("content") or "") for m in msgs if m.get("role") == "user"), "")
        done = sum(1 for m in msgs if m.get("role") == "tool")
        role = role_of(request)
        if role == "planner" and "Lisbon museums" in user:
            return Reply(content=json.dumps(PLAN))
        if role == "worker" and "Task: SAVE" in user:
            if done == 0:
                return Reply(tool_calls=[{"name": "files_write", "arguments": {"mount": "notes", "path": "museums.md", "text": "# Museums\nMAAT 10-19\n"}}], delay=0.2)
            return Reply(content="saved notes:museums.md", delay=0.2)
        if role == "worker" and "Find opening hours" in user:
            if done < 2:
                return Reply(tool_calls=[{"name": "echo", "arguments": {"value": f"hours {done}"}}], delay=0.4)
            return Reply(content=f"{user.split(',')[-1].strip()[:20]}: 10:00-18:00", delay=0.15)
        reply = super().__call__(request)
        if role == "worker" and "museum opening hours" in user:
            reply.delay = 0.25  # the goal's round runs long enough to be watched
        return reply


@pytest.fixture
def model_url(sb_home: Path) -> Iterator[str]:
    """A scripted server in a thread of its own, configured as the daemon's model (before it starts)."""
    loop = asyncio.new_event_loop()
    ready: list[str] = []
    stop = asyncio.Event()

    async def serve() -> None:
        async with ScriptedServer(Rules()) as url:
            ready.append(url)
            await stop.wait()

    th = threading.Thread(target=loop.run_until_complete, args=(serve(),), daemon=True)
    th.start()
    try:
        url = wait_until(lambda: ready and ready[0], 10, "the scripted server")
        path = user_paths().config_file  # what `swarmbridge models add local --base-url URL --role worker` writes
        cfg = config.load(path)
        cfg.endpoints["local"] = config.Endpoint(base_url=url, model="scripted")
        cfg.roles["worker"] = config.RoleRef(endpoint="local")
        config.save(path, cfg)
        yield url
    finally:
        loop.call_soon_threadsafe(stop.set)
        th.join(10)
        loop.close()


@pytest.fixture
def daemon(model_url, daemon):  # noqa: F811 (the conftest daemon, started after the model is configured)
    return daemon


def panel_url(query: str = "") -> str:
    return f"chrome-extension://{extension_id()}/src/ui/sidepanel/sidepanel.html{query}"


def text(drv, css: str) -> str:
    """The element's visible text, read in one script (the panel re-renders as events arrive, so a
    WebElement found a moment earlier can already be stale)."""
    return drv.execute_script("const e = document.querySelector(arguments[0]); return e ? e.innerText : '';", css)


def attrs(drv, css: str, name: str) -> list[str]:
    return drv.execute_script("return [...document.querySelectorAll(arguments[0])].map((e) => e.getAttribute(arguments[1]));", css, name)


def click(drv, css: str) -> None:
    """Click what matches ``css`` now, finding it again if a re-render replaced it."""
    for _ in range(20):
        try:
            drv.find_element(By.CSS_SELECTOR, css).click()
            return
        except StaleElementReferenceException:
            continue
    raise AssertionError(f"{css} kept going stale")


def shot(drv, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    drv.set_window_size(420, 1400)
    drv.save_screenshot(str(path))
    print(f"screenshot: {path}")
    return path


@pytest.mark.browser
def test_side_panel_follows_a_live_run_approves_and_finds_it_in_history(driver, tmp_path: Path) -> None:  # noqa: F811
    wait_until(bridges, 20, "the extension to connect")
    notes = tmp_path / "notes"
    notes.mkdir()
    call("mounts.add", {"name": "notes", "path": str(notes), "writable": True})
    driver.get(panel_url())
    wait_until(lambda: text(driver, "#status") == "connected", 10, "the panel to connect")
    assert driver.find_element(By.ID, "view-empty").is_displayed()

    rid = call("runs.start", {"goal": GOAL, "origin": "test"})["id"]
    # the panel follows the run that just started and draws its graph, layered by dependency
    wait_until(lambda: len(attrs(driver, "#graph .node", "data-task")) == 3, 10, "the task graph")
    assert rid in text(driver, "#run-meta") and "Lisbon museums" in text(driver, "#run-goal")
    layers = driver.execute_script("return [...document.querySelectorAll('#graph .layer')].map((l) => [...l.querySelectorAll('.node')].map((n) => n.dataset.task));")
    assert layers == [["museums_a", "museums_b"], ["save"]]
    assert sorted(attrs(driver, "#graph svg.edges line", "data-edge")) == ["museums_a>save", "museums_b>save"]

    # steps stream in while the run is going (several distinct counts seen before it ends)
    seen: set[int] = set()

    def streaming() -> bool:
        if text(driver, "#run-status").startswith("running"):
            seen.add(int(text(driver, "#run-steps") or 0))
        # several counts seen, one of them while the museum agents (10 steps together) were mid-way
        return len(seen - {0}) >= 2 and any(0 < n < 10 for n in seen)

    wait_until(streaming, 20, "steps to stream in while the run is running")
    click(driver, '#graph .node[data-task="museums_a"]')
    wait_until(lambda: "echo" in text(driver, '#agents details[data-task="museums_a"] .calls'), 10, "museums_a's tool calls")
    # its transcript: what it called, with which arguments, and what came back
    wait_until(lambda: 'calls echo({"value":"hours 0"})' in text(driver, '#agents details[data-task="museums_a"] .transcript'), 10, "museums_a's transcript")
    assert "result: hours 0" in text(driver, '#agents details[data-task="museums_a"] .transcript')

    # the save task's file write waits for approval: shown (marked as this run's) and approved here
    try:
        aid = wait_until(lambda: attrs(driver, "#approvals li.related", "data-id"), 20, "the run's approval in the panel")[0]
    except AssertionError:
        print("DEBUG", json.dumps([call("runs.show", {"id": rid}), call("approvals.list", {"all": True}), call("runs.events", {"id": rid})], default=str)[:8000])
        print("PANEL", text(driver, "#approvals"))
        raise
    shown = text(driver, f'#approvals li[data-id="{aid}"]')
    assert "museums.md" in shown and f"run:{rid}/task:save" in shown and "new file museums.md" in shown
    assert attrs(driver, '#graph .node[data-task="save"]', "data-status") == ["running"]
    # the outputs of the finished tasks are there while the run still waits
    wait_until(lambda: sorted(attrs(driver, "#outputs details", "data-output")) == ["museums_a", "museums_b"], 10, "the finished tasks' outputs")
    shot(driver, "sidepanel-approval.png")
    click(driver, f'#approvals li[data-id="{aid}"] button.approve')
    decided = wait_until(lambda: (a := call("approvals.get", {"id": aid}))["status"] != "pending" and a, 10, "the approval to be decided")
    assert decided["status"] == "approved"

    # the run completes; its deliverable (the writer's report) is listed and readable via the daemon
    wait_until(lambda: text(driver, "#run-status") == "done", 20, "the run to finish in the panel")
    assert (notes / "museums.md").read_text() == "# Museums\nMAAT 10-19\n"
    assert attrs(driver, "#graph .node", "data-status") == ["done"] * 3
    try:
        wait_until(lambda: attrs(driver, "#deliverables li[data-deliverable]", "data-deliverable") == ["0"], 10, "the deliverable")
    except AssertionError:
        print("DEBUG", call("runs.show", {"id": rid})["deliverables"], [e for e in call("runs.events", {"id": rid})["events"] if "deliv" in e["kind"]], text(driver, "#deliverables"))
        raise
    shown = text(driver, '#deliverables li[data-deliverable="0"]')
    assert "report.md" in shown and call("runs.show", {"id": rid})["deliverables"][0]["path"] in shown.replace("\n", "")
    click(driver, '#deliverables li[data-deliverable="0"] button.view')
    wait_until(lambda: text(driver, "#deliverables pre.output").startswith("# Report"), 10, "the report's text")
    # "Save…" downloads the content the daemon read (runs.deliverable), byte for byte
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    click(driver, '#deliverables li[data-deliverable="0"] button.save')
    saved = wait_until(lambda: (downloads / "report.md").exists() and (downloads / "report.md"), 10, "the saved report")
    wait_until(lambda: saved.read_bytes() == Path(call("runs.show", {"id": rid})["deliverables"][0]["path"]).read_bytes(), 10, "the whole report")
    assert int(text(driver, "#run-tokens")) > 0 and "Nothing is waiting" in text(driver, "#approvals")
    assert sorted(attrs(driver, "#outputs details", "data-output")) == ["museums_a", "museums_b", "save"]
    shot(driver, "sidepanel-run.png")

    # history: searchable by words of the goal (any case), nothing found for a stranger's words
    driver.find_element(By.ID, "tab-history").click()
    search = driver.find_element(By.ID, "search")
    search.send_keys("lisbon MUSEUMS")
    wait_until(lambda: attrs(driver, "#history-runs li[data-run]", "data-run") == [rid], 10, "the run found by text")
    shot(driver, "sidepanel-history.png")
    search.send_keys(" zanzibar")
    wait_until(lambda: "No run matches" in text(driver, "#history-runs"), 10, "no match for other words")
    for _ in " zanzibar":
        search.send_keys(Keys.BACKSPACE)
    wait_until(lambda: attrs(driver, "#history-runs li[data-run]", "data-run") == [rid], 10, "the run found again")
    click(driver, f'#history-runs li[data-run="{rid}"]')  # a past run opens in the live view
    wait_until(lambda: driver.find_element(By.ID, "run").is_displayed() and rid in text(driver, "#run-meta"), 10, "the run from history")
    assert not driver.find_element(By.ID, "follow").is_selected()  # chosen by hand: a new run does not take over


@pytest.mark.browser
def test_guidance_typed_in_the_side_panel_lands_in_the_goal(driver) -> None:  # noqa: F811
    wait_until(bridges, 20, "the extension to connect")
    driver.get(panel_url("?run=nope"))
    wait_until(lambda: "no run 'nope'" in text(driver, "#msg"), 10, "an unknown run refused with the reason")
    goal = call("goal.start", {"objective": "Keep a list of museum opening hours <img src=x onerror=window.pwned=1>", "criteria": [{"kind": "regex", "pattern": "NEVER-SEEN-xyz"}], "budgets": {"rounds": 1}})
    driver.get(panel_url(f"?goal={goal['id']}"))
    wait_until(lambda: "museum opening hours" in text(driver, "#goal-objective"), 10, "the goal in the panel")
    # text from outside (a goal, a page) is shown as text, never as markup
    assert "<img src=x" in text(driver, "#goal-objective") and not driver.find_elements(By.CSS_SELECTOR, "#goal-objective img")
    assert driver.execute_script("return window.pwned === undefined")
    driver.find_element(By.ID, "guide-text").send_keys("focus on the Gulbenkian first")
    driver.find_element(By.ID, "guide").click()
    wait_until(lambda: "Added" in text(driver, "#guide-msg"), 10, "the guidance to be sent")
    notes = [g["note"] for g in call("goal.show", {"id": goal["id"]})["guidance"]]
    assert notes == ["focus on the Gulbenkian first"]
    assert "focus on the Gulbenkian first" in text(driver, "#guidance")
    # the goal's round runs (its run's progress shown live) and its decision shows up, with its run one click away
    wait_until(lambda: attrs(driver, "#rounds li[data-round] [data-run]", "data-run"), 30, "the round and its run")
    wait_until(lambda: "tasks done" in text(driver, "#rounds .live"), 10, "the running round's progress")
    wait_until(lambda: "Round 1: " in text(driver, "#rounds") and "running" not in text(driver, "#rounds"), 30, "round 1's decision")
    decision = call("goal.show", {"id": goal["id"]})["rounds"][0]["decision"]
    assert f"Round 1: {decision}" in text(driver, "#rounds")
    shot(driver, "sidepanel-goal.png")
    click(driver, "#rounds [data-run]")
    wait_until(lambda: text(driver, "#run-goal-link") == f"Open goal #{goal['id']}", 10, "the round's run, linked to its goal")
    # what the popup and the menu's prompt window do: leave a target in session storage; the open panel goes there
    driver.execute_script("chrome.storage.session.set({panelTarget: {goal: arguments[0], at: Date.now()}})", goal["id"])
    wait_until(lambda: driver.find_element(By.ID, "goal").is_displayed() and not driver.find_element(By.ID, "run").is_displayed(), 10, "the panel to follow the target")
    click(driver, "#rounds [data-run]")
    wait_until(lambda: driver.find_element(By.ID, "run-goal-link").is_displayed(), 10, "the round's run again")
    click(driver, "#run-goal-link")
    wait_until(lambda: driver.find_element(By.ID, "guide").is_displayed(), 10, "back on the goal")
    # an approval the goal asked for is shown with the goal (marked as its own) and denied here
    asked = call("approvals.request", {"tool": "browser.submit", "summary": "Submit the museum newsletter form", "origin": f"goal:{goal['id']}",
                                       "preview": {"fields": [{"field": "Email", "value": "ada@example.org"}]}, "idempotencyKey": "panel-goal-test", "wait": False})
    wait_until(lambda: attrs(driver, "#goal-approvals li.related", "data-id") == [asked["id"]], 10, "the goal's approval")
    assert "Email: ada@example.org" in text(driver, f'#goal-approvals li[data-id="{asked["id"]}"]')
    click(driver, f'#goal-approvals li[data-id="{asked["id"]}"] button.deny')
    wait_until(lambda: call("approvals.get", {"id": asked["id"]})["status"] == "denied", 10, "the denial")
    wait_until(lambda: "Nothing is waiting" in text(driver, "#goal-approvals"), 10, "the list to refresh")
    # a bad guidance (empty) is refused in the page and nothing is sent
    driver.find_element(By.ID, "guide").click()
    assert "Write the guidance first" in text(driver, "#guide-msg")
    assert len(call("goal.show", {"id": goal["id"]})["guidance"]) == 1


PROBE = """
const done = arguments[0];
import(chrome.runtime.getURL('src/ui/shared/bridge.js')).then(({ UiBridge }) => {
  window.seen = [];
  const b = new UiBridge('probe');
  b.onEvent = (method, p) => window.seen.push(method);
  b.onState = (s) => s.state === 'connected' && done('ok');
});
"""


@pytest.mark.browser
def test_step_events_cross_the_bridge_only_while_a_side_panel_is_open(driver) -> None:  # noqa: F811
    wait_until(bridges, 20, "the extension to connect")
    driver.get(f"chrome-extension://{extension_id()}/src/ui/popup/popup.html")
    probe = driver.current_window_handle
    assert driver.execute_async_script(PROBE) == "ok"
    recipe = {"goal": "three naps", "steps": [{"id": f"n{i}", "tool": "sleep", "args": {"seconds": 0.05}} for i in range(3)]}

    def run_and_count() -> list[str]:
        driver.execute_script("window.seen = [];")
        rid = call("runs.start", {"recipe": recipe, "origin": "test"})["id"]
        wait_until(lambda: "run.finished" in driver.execute_script("return window.seen;"), 10, f"run {rid}'s end to be heard")
        return driver.execute_script("return window.seen;")

    assert "run.task_started" not in run_and_count()  # no panel: only what notifications need
    driver.switch_to.new_window("tab")
    driver.get(panel_url())
    wait_until(lambda: text(driver, "#status") == "connected", 10, "the panel to connect")
    panel = driver.current_window_handle
    driver.switch_to.window(probe)
    assert run_and_count().count("run.task_started") == 3  # a panel is open: every step crosses
    driver.switch_to.window(panel)
    driver.close()
    driver.switch_to.window(probe)
    wait_until(lambda: "run.task_started" not in run_and_count(), 20, "the bridge to go quiet again")


@pytest.mark.browser
def test_panel_survives_a_service_worker_restart(driver) -> None:  # noqa: F811
    """MV3 may stop the worker: the panel reconnects (starting a new one), the new worker opens the
    native port and subscribes to live steps again, and the panel follows the next run."""
    wait_until(bridges, 20, "the extension to connect")
    driver.get(panel_url())
    wait_until(lambda: text(driver, "#status") == "connected", 10, "the panel to connect")
    driver.execute_script("window.sawRestart = false; const b = document.getElementById('status'); new MutationObserver(() => { if (b.textContent !== 'connected') window.sawRestart = true; }).observe(b, {childList: true, characterData: true, subtree: true});")
    driver.execute_cdp_cmd("ServiceWorker.enable", {})
    driver.execute_cdp_cmd("ServiceWorker.stopAllWorkers", {})
    wait_until(lambda: driver.execute_script("return window.sawRestart"), 10, "the panel to notice the worker stopped")
    wait_until(lambda: text(driver, "#status") == "connected", 20, "the panel to reconnect through a new worker")
    rid = call("runs.start", {"recipe": {"goal": "after the restart", "steps": [{"id": "a", "tool": "sleep", "args": {"seconds": 0.05}}]}, "origin": "test"})["id"]
    wait_until(lambda: rid in text(driver, "#run-meta") and text(driver, "#run-status") == "done", 20, "the next run, followed live")
