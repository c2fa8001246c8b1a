"""The test site's harder pages (demo/testpages.py) through the real bridge in real headless Chromium:
a paginated table extracted across pages, a real React production build's controlled inputs, same-
and cross-origin iframes (a second server on another port), open shadow DOM, a slow page, and a
target=_blank link whose new tab the bridge reports and can then drive."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest

from swarmbridge.demo.site import serve_site
from swarmbridge.demo.testpages import TABLE_ROWS

CALLER = "e2e-site"


@pytest.fixture(scope="module")
def peer() -> Iterator[str]:
    """A second copy of the site on another port: a different origin for the cross-origin frame."""
    with serve_site() as base:
        yield base


def _open(bridge, url: str) -> int:
    return bridge.call("browser.tabs.open", {"url": url, "caller": CALLER, "wait": "load"})["tabId"]


@pytest.fixture(autouse=True)
def _close_tabs(bridge) -> Iterator[None]:
    yield
    bridge.call("browser.tabs.close", {"caller": CALLER})


@pytest.mark.browser
def test_four_tabs_opened_at_once_without_waiting_each_read_their_own_page(bridge, site) -> None:
    """Four callers open their first swarm tab at the same moment (wait none: the open returns as
    soon as the navigation is asked for) and read at once: every read is of the page asked for,
    never of the about:blank the tab started on (a read that hits it reads again after the commit:
    handlers/page.js)."""
    from concurrent.futures import ThreadPoolExecutor

    def open_and_read(i: int) -> tuple[str, str, str]:
        caller = f"{CALLER}-race{i}"
        try:
            tab = bridge.call("browser.tabs.open", {"url": f"{site}/t/opened?n={i}", "caller": caller, "wait": "none"})
            got = bridge.call("browser.extract", {"tabId": tab["tabId"], "mode": "article"})
            snap = bridge.call("browser.snapshot", {"caller": caller})
            return got["title"], got["text"], snap["url"]
        finally:
            bridge.call("browser.tabs.close", {"caller": caller})

    for round_ in range(2):
        with ThreadPoolExecutor(4) as pool:
            got = list(pool.map(open_and_read, range(4)))
        for i, (title, text, url) in enumerate(got):
            assert title == "Opened report" and "Quarterly numbers are in." in text, (round_, i, title, text[:80])
            assert url == f"{site}/t/opened?n={i}", (round_, i, url)


@pytest.mark.browser
def test_paginated_table_is_extracted_across_pages(bridge, site) -> None:
    tid = _open(bridge, f"{site}/t/table")
    schema = {"item": "#cities tbody tr", "fields": {"code": ".code", "city": ".city", "population": ".pop"}, "next": "a.next"}
    out = bridge.call("browser.extract", {"tabId": tid, "mode": "structured", "schema": schema, "paginate": True})
    assert out["rows"] == TABLE_ROWS and out["pages"] == 3
    # table mode on the last page reads the header row as keys
    last = bridge.call("browser.extract", {"tabId": tid, "mode": "table", "selector": "#cities"})["tables"][0]
    assert last["caption"] == "Page 3 of 3" and last["headers"] == ["Code", "City", "Population"]
    assert last["rows"][-1] == {"Code": "C025", "City": "City 25", "Population": str(1000 + 25 * 17)}
    # maxPages stops early even though a next link remains
    tid2 = _open(bridge, f"{site}/t/table")
    two = bridge.call("browser.extract", {"tabId": tid2, "mode": "structured", "schema": schema, "paginate": True, "maxPages": 2})
    assert [r["code"] for r in two["rows"]] == [r["code"] for r in TABLE_ROWS[:20]] and two["pages"] == 2


@pytest.mark.browser
def test_react_controlled_inputs_take_real_input(bridge, site) -> None:
    tid = _open(bridge, f"{site}/t/react")
    bridge.call("browser.wait_for", {"tabId": tid, "selector": "#state", "timeoutMs": 5000})
    bridge.call("browser.fill", {"tabId": tid, "selector": "#name", "value": "Ada Brooks"})
    bridge.call("browser.select", {"tabId": tid, "selector": "#plan", "value": "team"})
    bridge.call("browser.check", {"tabId": tid, "selector": "#size-l"})
    bridge.call("browser.check", {"tabId": tid, "selector": "#agree"})
    bridge.call("browser.fill", {"tabId": tid, "selector": "#when", "value": "2026-12-24"})
    bridge.call("browser.type", {"tabId": tid, "selector": "#note", "text": "ring twice"})
    state = _react_state(bridge, tid)
    # React's own state (rendered into #state) saw every change, not just the DOM values
    assert state == {"name": "Ada Brooks", "plan": "team", "size": "l", "agree": True, "when": "2026-12-24", "note": "ring twice"}
    # unchecking works too, and the snapshot shows the controlled values with their state
    bridge.call("browser.check", {"tabId": tid, "selector": "#agree", "checked": False})
    assert _react_state(bridge, tid)["agree"] is False
    snap = bridge.call("browser.snapshot", {"tabId": tid})["text"]
    assert "Ada Brooks" in snap and "Name" in snap


def _react_state(bridge, tid: int) -> dict:
    rows = bridge.call("browser.extract", {"tabId": tid, "mode": "structured", "schema": {"item": "#state", "fields": {"s": ":scope"}}})["rows"]
    return json.loads(rows[0]["s"])


@pytest.mark.browser
def test_same_and_cross_origin_iframes(bridge, site, peer) -> None:
    tid = _open(bridge, f"{site}/t/frames?peer={peer}")
    snap = _snapshot_with_frames(bridge, tid, 2)
    frames = {f["url"]: f for f in snap["frames"]}
    assert f"{site}/t/inner" in frames and f"{peer}/t/inner" in frames, snap["frames"]
    cross_id = frames[f"{peer}/t/inner"]["frame"]
    same_id = frames[f"{site}/t/inner"]["frame"]
    assert "Top button" in snap["text"] and snap["text"].count("Frame button") == 2
    cross = [e for e in snap["elements"] if e.get("frame") == cross_id and e["name"] == "Frame button"]
    assert cross and cross[0]["ref"].startswith(f"f{cross_id}:")
    # act inside the cross-origin frame by its ref; the same-origin frame's page is untouched
    bridge.call("browser.fill", {"tabId": tid, "ref": [e for e in snap["elements"] if e.get("frame") == cross_id and e["role"] == "textbox"][0]["ref"], "value": "hello"})
    bridge.call("browser.click", {"tabId": tid, "ref": cross[0]["ref"]})
    port = peer.rsplit(":", 1)[1]
    got = bridge.call("browser.wait_for", {"tabId": tid, "frame": cross_id, "text": f"clicked {port}", "timeoutMs": 3000})
    assert got
    same = bridge.call("browser.extract", {"tabId": tid, "mode": "table", "frame": same_id, "selector": "table"})
    assert same == {"tables": []}
    again = bridge.call("browser.snapshot", {"tabId": tid})["text"]
    assert f"clicked {port}" in again and again.count("not clicked") == 1


def _snapshot_with_frames(bridge, tid: int, n: int) -> dict:
    """Frames load after the top document: poll until n sub-frames answered."""
    deadline = time.monotonic() + 5
    while True:
        snap = bridge.call("browser.snapshot", {"tabId": tid})
        if sum(1 for f in snap["frames"] if not f.get("error")) >= n and snap["text"].count("Frame button") >= n:
            return snap
        assert time.monotonic() < deadline, snap
        time.sleep(0.1)


@pytest.mark.browser
def test_frames_page_refuses_a_non_loopback_peer(bridge, site) -> None:
    import urllib.request
    from urllib.error import HTTPError

    with pytest.raises(HTTPError) as err:
        urllib.request.urlopen(f"{site}/t/frames?peer=http://example.com", timeout=5)
    err.value.close()
    assert err.value.code == 400


@pytest.mark.browser
def test_open_shadow_dom_is_seen_and_driven(bridge, site) -> None:
    tid = _open(bridge, f"{site}/t/shadow")
    snap = bridge.call("browser.snapshot", {"tabId": tid})
    assert "Card inside a shadow root" in snap["text"] and "Alpha" in snap["text"]
    button = [e for e in snap["elements"] if e["name"] == "Shadow button"]
    assert button, snap["text"]
    bridge.call("browser.fill", {"tabId": tid, "selector": "#shadow-input", "value": "deep"})
    bridge.call("browser.click", {"tabId": tid, "ref": button[0]["ref"]})
    bridge.call("browser.wait_for", {"tabId": tid, "text": "clicked with deep", "timeoutMs": 3000})
    rows = bridge.call("browser.extract", {"tabId": tid, "mode": "structured", "schema": {"item": "li.row", "fields": {"t": ":scope"}}})["rows"]
    assert rows == [{"t": "Alpha"}, {"t": "Beta"}]


@pytest.mark.browser
def test_slow_page_is_waited_for_and_a_short_timeout_says_so(bridge, site) -> None:
    t = time.monotonic()
    tab = bridge.call("browser.tabs.open", {"url": f"{site}/t/slow?ms=800", "caller": CALLER, "wait": "load"})
    assert time.monotonic() - t >= 0.8 and tab["title"] == "Slow page"
    art = bridge.call("browser.extract", {"tabId": tab["tabId"], "mode": "table"})
    assert art == {"tables": []}
    snap = bridge.call("browser.snapshot", {"tabId": tab["tabId"]})["text"]
    assert "served after 800 ms" in snap
    # navigating to a page slower than the timeout fails with a clear timeout error, not a hang
    from swarmbridge.rpc.router import RpcError

    with pytest.raises(RpcError) as err:
        bridge.call("browser.navigate", {"tabId": tab["tabId"], "url": f"{site}/t/slow?ms=2000", "timeoutMs": 500})
    assert "timeout" in str(err.value).lower() or "did not finish" in str(err.value)


@pytest.mark.browser
def test_a_read_does_not_wait_for_a_stalled_image(bridge, site) -> None:
    """Reads start once the DOM is parsed: the text is read while the image (3.5 s) still loads."""
    tab = bridge.call("browser.tabs.open", {"url": f"{site}/t/stalled", "caller": CALLER, "wait": "none"})
    t = time.monotonic()
    snap = bridge.call("browser.snapshot", {"tabId": tab["tabId"]})
    took = time.monotonic() - t
    assert "long before the picture" in snap["text"] and took < 2.2, (took, snap["text"])
    art = bridge.call("browser.extract", {"tabId": tab["tabId"], "mode": "article"})
    assert time.monotonic() - t < 2.6 and art["title"] == "Stalled image"
    # an action still waits for the whole load ("complete"), as before
    bridge.call("browser.wait_for", {"tabId": tab["tabId"], "selector": "#ready", "timeoutMs": 5000})
    assert time.monotonic() - t >= 3.0


@pytest.mark.browser
def test_a_read_right_after_navigate_without_waiting_reads_the_new_page(bridge, site) -> None:
    """navigate(wait none) returns before the old document is gone; the read that follows must
    still come from the page asked for (it waits for the new document, or reads again)."""
    tid = _open(bridge, f"{site}/t/newtab")
    for i in range(6):
        path, title = ("/t/opened", "Opened report") if i % 2 == 0 else ("/t/newtab", "Opener")
        bridge.call("browser.navigate", {"tabId": tid, "url": f"{site}{path}?n={i}", "wait": "none"})
        got = bridge.call("browser.extract", {"tabId": tid, "mode": "article"})
        assert got["title"] == title, (i, got["title"])


@pytest.mark.browser
def test_a_page_kept_transparent_by_an_anti_flicker_snippet_is_still_read(bridge, site) -> None:
    """html.async-hide {opacity: 0} hides nothing for good; an element's own opacity 0 still does."""
    tid = _open(bridge, f"{site}/t/antiflicker")
    snap = bridge.call("browser.snapshot", {"tabId": tid})
    names = [e["name"] for e in snap["elements"]]
    assert "never loads" in snap["text"] and "Buy now" in names, snap["text"]
    assert "Invisible button" not in names


@pytest.mark.browser
def test_target_blank_link_opens_a_reported_tab(bridge, site) -> None:
    tid = _open(bridge, f"{site}/t/newtab")
    got = bridge.call("browser.click", {"tabId": tid, "selector": "#open-new"})
    new = got["newTab"]
    assert new["url"] == f"{site}/t/opened" and new["title"] == "Opened report" and new["tabId"] != tid
    # the new tab belongs to the same caller: listed, drivable, closed with the caller's tabs
    art = bridge.call("browser.extract", {"tabId": new["tabId"], "mode": "article"})
    assert "Quarterly numbers are in." in art["text"]
    closed = bridge.call("browser.tabs.close", {"caller": CALLER})["closed"]
    assert set(closed) >= {tid, new["tabId"]}
