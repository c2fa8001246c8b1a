"""The demo, start to finish: a daemon of its own (the demo home, apart from the user's own daemon
and state), Chromium with the extension and a fresh profile, the bundled site; then, through the
bridge as a user would: log in, scroll-scrape the list behind the login into CSV, extract an
article to Markdown, schedule the scrape, run a recipe, autofill the checkout with an approval;
print where the files are; close the browser and the daemon. The demo home is KEPT (reset when the
next demo starts), so the run history stays: ``swarmbridge demo --history`` opens the side panel on
it, ``SWARMBRIDGE_HOME=<demo home> swarmbridge runs list`` lists it.

`private_bridge` is also what the end-to-end tests use, so the demo and the tests run one path."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..browser.launch import LaunchedBrowser, launch, wants_headless
from ..extension_id import extension_id
from ..paths import user_paths
from ..rpc.client import call
from ..sandbox.subproc import terminate
from .site import PASSWORD, USER, serve_site


class DemoError(RuntimeError):
    """A step of the demo failed; the message names the step."""


def wait_for(pred: Callable[[], Any], timeout: float, what: str) -> Any:
    """Poll ``pred`` until truthy; raise DemoError naming what never happened."""
    end = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < end:
        try:
            value = pred()
            if value:
                return value
        except Exception as exc:  # the daemon may not be listening yet
            last = exc
        time.sleep(0.05)
    raise DemoError(f"timed out waiting for {what} (last error: {last!r})")


def demo_home() -> Path:
    """Where the demo's daemon keeps its state: under the user's SwarmBridge data directory (under
    SWARMBRIDGE_HOME when that is set, as in tests), never the user's own daemon's files."""
    return user_paths().data_dir / "demo"


def reset_home(home: Path) -> None:
    """Stop a daemon a previous demo may have left in ``home`` (killed mid-way), then empty it."""
    old = os.environ.get("SWARMBRIDGE_HOME")
    os.environ["SWARMBRIDGE_HOME"] = str(home)
    try:
        call("daemon.shutdown", {}, timeout=5)
        time.sleep(0.5)
    except Exception:  # noqa: BLE001 - none running: the usual case
        pass
    finally:
        if old is None:
            os.environ.pop("SWARMBRIDGE_HOME", None)
        else:
            os.environ["SWARMBRIDGE_HOME"] = old
    shutil.rmtree(home, ignore_errors=True)


def panel_url() -> str:
    return f"chrome-extension://{extension_id()}/src/ui/sidepanel/sidepanel.html"


@contextmanager
def private_bridge(headless: bool | None = None, home: Path | None = None, url: str = "about:blank") -> Iterator[LaunchedBrowser]:
    """A daemon in its own SWARMBRIDGE_HOME plus a connected browser (opened on ``url``). Without
    ``home``: a short temp one, removed on exit; a given ``home`` is kept.

    SWARMBRIDGE_HOME is set in this process for the duration, so `rpc.client.call` reaches this
    daemon and not the user's."""
    keep = home is not None
    home = home or Path(tempfile.mkdtemp(prefix="sbd", dir="/tmp"))  # short: the socket path must fit
    home.mkdir(parents=True, exist_ok=True)
    old = os.environ.get("SWARMBRIDGE_HOME")
    os.environ["SWARMBRIDGE_HOME"] = str(home)
    daemon = subprocess.Popen([sys.executable, "-m", "swarmbridge.cli.main", "daemon", "--quiet"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    browser: LaunchedBrowser | None = None
    try:
        wait_for(lambda: call("bridges.list", {}, timeout=2) is not None, 15, "the daemon to answer")
        browser = launch(url, profile=home / "profile", headless=headless)
        wait_for(lambda: browser.proc.poll() is None and call("bridges.list", {}, timeout=2)["bridges"], 20,
                 "the extension in Chromium to connect (did Chromium start?)")
        yield browser
    finally:
        if browser is not None:
            browser.close()
        terminate(daemon)
        if old is None:
            os.environ.pop("SWARMBRIDGE_HOME", None)
        else:
            os.environ["SWARMBRIDGE_HOME"] = old
        if not keep:
            shutil.rmtree(home, ignore_errors=True)


LIST_SCHEMA: dict[str, Any] = {"item": "li.item", "fields": {"name": ".name", "price": ".price"}, "scroll": True, "maxItems": 1000}


def login(site: str, caller: str) -> int:
    """Open the list (redirected to the login form), fill and submit it; returns the tab id."""
    tab = call("browser.tabs.open", {"url": f"{site}/list", "caller": caller, "wait": "load"})
    tid = tab["tabId"]
    call("browser.fill", {"tabId": tid, "selector": "#user", "value": USER})
    call("browser.fill", {"tabId": tid, "selector": "#password", "value": PASSWORD})
    call("browser.click", {"tabId": tid, "selector": "#signin"})
    call("browser.wait_for", {"tabId": tid, "selector": "li.item", "timeoutMs": 30000})
    return tid


def run_demo(out_dir: Path, headless: bool | None = None, say: Callable[[str], None] = print) -> dict[str, Path]:
    """Run every step; returns the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.monotonic()
    caller = "demo"
    home = demo_home()
    reset_home(home)
    with serve_site() as site:
        say(f"[1/9] demo site on {site}")
        with private_bridge(headless=headless, home=home):
            say(f"[2/9] daemon and Chromium with the extension connected ({time.monotonic() - t0:.1f} s)")
            tid = login(site, caller)
            say(f"[3/9] logged in as '{USER}' through the bridge (open, fill, click)")
            rows = call("browser.extract", {"tabId": tid, "mode": "structured", "schema": LIST_SCHEMA, "paginate": True}, timeout=60)["rows"]
            csv_path = out_dir / "catalogue.csv"
            with csv_path.open("w", newline="", encoding="utf-8") as fh:
                writer = csv.DictWriter(fh, fieldnames=list(LIST_SCHEMA["fields"]))
                writer.writeheader()
                writer.writerows({k: r.get(k, "") for k in LIST_SCHEMA["fields"]} for r in rows)
            say(f"[4/9] scrolled the infinite list: {len(rows)} items -> {csv_path}")
            art = call("browser.tabs.open", {"url": f"{site}/article", "caller": caller, "wait": "load"})
            got = call("browser.extract", {"tabId": art["tabId"], "mode": "article"})
            md_path = out_dir / "article.md"
            md_path.write_text(f"# {got['title']}\n\n{got['markdown']}\n", encoding="utf-8")
            say(f"[5/9] article extracted: '{got['title']}' -> {md_path}")
            call("browser.tabs.close", {"caller": caller})
            first = schedule_scrape(site)
            say(f"[6/9] schedule 'demo-catalogue' scrapes the list every minute; first run: {first['status']}, {first['artefacts'].get('rows', 0)} rows saved (later runs report what changed)")
            run = recipe_run(site)
            say(f"[7/9] swarm run {run['id']} (a recipe: no model needed) read the article through your session: {run['status']};"
                " it is listed in `swarmbridge runs` and the side panel's history")
            order = autofill_checkout(site, caller, say)
            say(f"[8/9] checkout autofilled from profile 'demo' and submitted after approval: {order}")
            call("schedule.pause", {"name": "demo-catalogue"})  # its site closes with the demo
            runs = call("runs.list", {"limit": 50})["runs"]
            listed = "; ".join(f"'{r['goal']}' {r['status']}" for r in runs)
            say(f"[9/9] kept for the side panel's history: {len(runs)} run(s): {listed}; schedule 'demo-catalogue' paused (its site closes now)")
    say(f"done in {time.monotonic() - t0:.1f} s; browser, daemon and site closed")
    say(f"the demo's history stays in {home} until the next demo: `swarmbridge demo --history` opens the side panel on it,"
        f" `SWARMBRIDGE_HOME={home} swarmbridge runs list` lists it")
    return {"csv": csv_path, "markdown": md_path}


def show_history(headless: bool | None = None, say: Callable[[str], None] = print) -> int:
    """The side panel on the last demo's kept daemon, in a browser window, until it is closed."""
    home = demo_home()
    if not (home / "data" / "swarmbridge.db").exists():
        say("no demo history yet: run `swarmbridge demo` first")
        return 1
    if headless is None:
        headless = wants_headless()
    with private_bridge(headless=headless, home=home, url=panel_url()) as browser:
        runs = call("runs.list", {"limit": 50})["runs"]
        say(f"the demo's {len(runs)} run(s): " + "; ".join(f"'{r['goal']}' {r['status']}" for r in runs))
        if headless:
            say("no display here, so no window: the side panel (History tab) shows these runs in a browser with the extension")
            return 0
        say("the side panel is open in the browser window (History tab); close the window to finish")
        browser.proc.wait()
    return 0


def recipe_run(site: str) -> dict[str, Any]:
    """A swarm run of one tool step (no model): read the article through the user's session."""
    recipe = {"goal": "read the demo article", "steps": [{"id": "article", "tool": "browser_fetch", "args": {"url": f"{site}/article"}}]}
    rid = call("runs.start", {"recipe": recipe, "origin": "demo"})["id"]
    return wait_for(lambda: (r := call("runs.show", {"id": rid}))["status"] not in ("pending", "running") and r, 60, "the recipe run")


DEMO_PROFILE = {
    "name": "demo",
    "fields": {"given-name": "Ada", "family-name": "Lovelace", "email": "ada@example.org", "tel": "+44 20 7946 0018",
               "address-line1": "12 Harbour Street", "address-level2": "Whitby", "postal-code": "YO21 3PU", "country": "GB"},
}


def autofill_checkout(site: str, caller: str, say: Callable[[str], None]) -> str:
    """Autofill the checkout form from a profile; the submit waits in the approval queue with a
    preview of every value; the demo prints the preview and approves it, as a user would in the
    popup. Returns the shop's confirmation."""
    import threading

    call("autofill.profiles.set", DEMO_PROFILE)
    tid = call("browser.tabs.open", {"url": f"{site}/checkout", "caller": caller, "wait": "load"})["tabId"]
    outcome: dict[str, Any] = {}

    def fill() -> None:
        try:
            outcome["result"] = call("autofill.fill", {"tabId": tid, "profile": "demo", "submit": "#place-order"}, timeout=120)
        except Exception as exc:  # reported below, in the demo's own words
            outcome["error"] = exc

    worker = threading.Thread(target=fill, daemon=True)
    worker.start()
    pending = wait_for(lambda: call("approvals.list", {})["approvals"], 30, "the submit to ask for approval")[0]
    say(f"      approval {pending['id']}: {pending['summary']}")
    for f in pending["preview"]["fields"]:
        say(f"        {f['field']:<16} {f['value']}")
    call("approvals.approve", {"id": pending["id"], "reason": "approved by the demo"})
    worker.join(60)
    if "error" in outcome or not outcome.get("result", {}).get("submitted"):
        raise DemoError(f"autofill did not submit: {outcome.get('error') or outcome.get('result')}")
    thanks = wait_for(lambda: [t for t in call("browser.tabs.list", {})["tabs"] if t["url"].endswith("/thanks")], 15, "the order confirmation")
    text = call("browser.extract", {"tabId": thanks[0]["tabId"], "mode": "article"}).get("text", "")
    call("browser.tabs.close", {"caller": caller})
    return " ".join(text.split())[:120] or "order placed"


def schedule_scrape(site: str) -> dict[str, Any]:
    """A cron job in the daemon that scrapes the list every minute (browser session reused, no
    model); run it once now and return that first run from the job's history."""
    recipe = {"url": f"{site}/list", "wait_selector": "li.item", "scroll": True, "key": "name", "schema": LIST_SCHEMA}
    call("schedule.add", {"name": "demo-catalogue", "cron": "* * * * *", "trigger": {"kind": "scrape", **recipe}})
    call("schedule.run_now", {"name": "demo-catalogue"})

    def finished() -> dict[str, Any] | None:
        # a minute boundary can fire the job beside run-now: the overlap rule skips one; report the one that ran
        runs = [r for r in call("schedule.history", {"name": "demo-catalogue"})["runs"] if r["status"] not in ("running", "skipped_overlap")]
        return runs[0] if runs else None

    return wait_for(finished, 60, "the first scheduled scrape")
