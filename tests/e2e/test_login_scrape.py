"""Through the real bridge in real Chromium: log in as a user would (open, fill, click), then read
pages that need the session cookie: the infinite list scrolled until all 120 items are in, and the
article extracted without its nav/share/related boilerplate."""

from __future__ import annotations

import pytest

from swarmbridge.demo.site import ITEMS, PASSWORD, USER

CALLER = "e2e-login"


@pytest.mark.browser
def test_login_then_scrape_list_and_extract_article(bridge, site) -> None:
    tab = bridge.call("browser.tabs.open", {"url": f"{site}/list", "caller": CALLER, "wait": "load"})
    assert tab["url"].endswith("/login"), tab  # the list needs a session: redirected to login
    tid = tab["tabId"]
    bridge.call("browser.fill", {"tabId": tid, "selector": "#user", "value": USER})
    bridge.call("browser.fill", {"tabId": tid, "selector": "#password", "value": PASSWORD})
    bridge.call("browser.click", {"tabId": tid, "selector": "#signin"})
    bridge.call("browser.wait_for", {"tabId": tid, "selector": "li.item", "timeoutMs": 10000})

    schema = {"item": "li.item", "fields": {"name": ".name", "price": ".price"}, "scroll": True, "maxItems": 500}
    out = bridge.call("browser.extract", {"tabId": tid, "mode": "structured", "schema": schema, "paginate": True}, timeout=60)
    names = [row["name"] for row in out["rows"]]
    assert names == [it["name"] for it in ITEMS]

    art = bridge.call("browser.tabs.open", {"url": f"{site}/article", "caller": CALLER, "wait": "load"})
    assert art["url"].endswith("/article")  # the cookie set by the login is sent
    got = bridge.call("browser.extract", {"tabId": art["tabId"], "mode": "article"})
    assert "Harbour town votes to keep its ferry" in got["title"]
    assert "inspect the hull in January" in got["markdown"]
    assert "Facebook" not in got["markdown"] and "Bus fares to rise" not in got["markdown"]

    closed = bridge.call("browser.tabs.close", {"caller": CALLER})["closed"]
    assert set(closed) >= {tid, art["tabId"]}


@pytest.mark.browser
def test_fetch_mode_and_snapshot_use_the_session(bridge, site) -> None:
    """Runs after the login above (same browser, module scope): fetch mode sends the cookie, and
    a snapshot of a page behind the login shows its content with stable refs."""
    got = bridge.call("browser.fetch", {"url": f"{site}/article", "extract": "article"})
    assert got["status"] == 200 and "Harbour town" in got["title"], got
    tab = bridge.call("browser.tabs.open", {"url": f"{site}/login", "caller": CALLER, "wait": "load"})
    first = bridge.call("browser.snapshot", {"tabId": tab["tabId"]})["text"]
    again = bridge.call("browser.snapshot", {"tabId": tab["tabId"]})["text"]
    assert "Sign in" in first and first == again  # same page, same refs
    bridge.call("browser.tabs.close", {"caller": CALLER})
