"""Two real Chromium profiles (own --user-data-dir each) connected to one daemon at once, driven from
a terminal: every `swarmbridge browser ...` call is a real CLI subprocess printing JSON, `--bridge`
picks the browser, and the profiles' cookies stay apart (the one that logged in sees the list, the
other is sent to the login form). Without `--bridge` the daemon refuses to guess."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest

from swarmbridge.browser.launch import LaunchedBrowser, launch
from swarmbridge.demo.runner import private_bridge
from swarmbridge.demo.site import serve_site
from swarmbridge.rpc.client import call


def sb(*args: str, ok: bool = True) -> Any:
    """Run `swarmbridge browser ...` as a user would; parse its JSON stdout."""
    proc = subprocess.run([sys.executable, "-m", "swarmbridge.cli.main", "browser", *args], capture_output=True, text=True, timeout=60)
    if not ok:
        assert proc.returncode != 0, proc.stdout
        return proc.stderr
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def two() -> Iterator[tuple[LaunchedBrowser, LaunchedBrowser]]:
    with private_bridge(headless=True) as first:
        second = launch(profile=first.profile.parent / "profile2", headless=True)
        try:
            deadline = time.monotonic() + 20
            while len(call("bridges.list", {}, timeout=2)["bridges"]) < 2:
                assert time.monotonic() < deadline and second.proc.poll() is None, "the second profile's extension never connected"
                time.sleep(0.1)
            yield first, second
        finally:
            second.close()


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with serve_site() as base:
        yield base


@pytest.mark.browser
def test_two_profiles_are_two_named_bridges_targeted_from_the_cli(two, site) -> None:
    bridges = call("bridges.list", {})["bridges"]
    assert len(bridges) == 2 and len({b["bridgeId"] for b in bridges}) == 2
    assert len({b["profile"] for b in bridges}) == 2, "each profile names itself differently"
    a, b = (x["bridgeId"] for x in bridges)

    # with two connected and no --bridge, the command fails with a clear error (exit 1, no guess)
    err = sb("ping", ok=False)
    assert "bridge" in err.lower(), err

    # profile A logs in (through the same calls the demo makes, aimed at A)
    opened = sb("open", f"{site}/t/table", "--bridge", a, "--caller", "cli-a", "--wait", "load")
    assert opened["title"].startswith("Cities") and isinstance(opened["tabId"], int)
    rows = sb("extract", "--bridge", a, "--caller", "cli-a", "--tab", str(opened["tabId"]), "--mode", "table")
    assert rows["tables"][0]["rows"][0] == {"Code": "C001", "City": "City 1", "Population": "1017"}

    tid = _login_on(a, site)
    listed_a = call("browser.tabs.open", {"url": f"{site}/list", "bridge": a, "caller": "cli-a", "wait": "load"})
    listed_b = sb("open", f"{site}/list", "--bridge", b, "--caller", "cli-b", "--wait", "load")
    assert listed_a["url"].endswith("/list") and listed_b["url"].endswith("/login"), (listed_a, listed_b)

    # a tab id from one browser means nothing in the other: each bridge lists only its own tabs
    tabs_a = {t["tabId"] for t in call("browser.tabs.list", {"bridge": a})["tabs"]}
    tabs_b = {t["tabId"] for t in call("browser.tabs.list", {"bridge": b})["tabs"]}
    assert tid in tabs_a and listed_b["tabId"] in tabs_b

    snap = sb("snapshot", "--bridge", b, "--tab", str(listed_b["tabId"]))
    assert "Sign in" in snap["text"] and any(e["name"] == "Sign in" for e in snap["elements"])
    assert call("browser.tabs.close", {"bridge": a, "caller": "cli-a"})["closed"]
    assert sb("close", "--bridge", b, "--caller", "cli-b")["closed"] == [listed_b["tabId"]]


def _login_on(bridge: str, site: str) -> int:
    tab = call("browser.tabs.open", {"url": f"{site}/list", "caller": "cli-a", "wait": "load", "bridge": bridge})
    tid = tab["tabId"]
    from swarmbridge.demo.site import PASSWORD, USER

    call("browser.fill", {"tabId": tid, "selector": "#user", "value": USER, "bridge": bridge})
    call("browser.fill", {"tabId": tid, "selector": "#password", "value": PASSWORD, "bridge": bridge})
    call("browser.click", {"tabId": tid, "selector": "#signin", "bridge": bridge})
    call("browser.wait_for", {"tabId": tid, "selector": "li.item", "timeoutMs": 10000, "bridge": bridge})
    return tid


@pytest.mark.browser
def test_a_bridge_name_that_matches_nothing_is_a_clear_error(two) -> None:
    err = sb("ping", "--bridge", "no-such-bridge", ok=False)
    assert "no-such-bridge" in err or "no_bridge" in err, err
