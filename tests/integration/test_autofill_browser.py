"""Autofill for real: profile in the daemon, the fixture checkout form served on 127.0.0.1, fields
classified and filled by the real extension in headless Chromium; the submit is not approved."""

from __future__ import annotations

import functools
import http.server
import json
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from relaykit import PY, wait_until
from shopkit import serve_shop
from test_real_chromium import bridges, quit_chromium, start_chromium

from swarmbridge.extension_id import EXTENSION_DIR

FORMS = Path(__file__).resolve().parents[1] / "fixtures" / "forms"


def sb(*args: str) -> dict:
    out = subprocess.run([PY, "-m", "swarmbridge.cli.main", *args], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr
    return json.loads(out.stdout)


@pytest.mark.browser
def test_autofill_checkout_in_real_chromium(daemon: subprocess.Popen, tmp_path: Path) -> None:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    servers = []
    for folder in (FORMS, FORMS.with_name("forms-frames")):
        servers.append(http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder))))
        threading.Thread(target=servers[-1].serve_forever, daemon=True).start()
    server, frames = servers
    profile = tmp_path / "profile"
    profile.mkdir()
    subprocess.run([PY, "-m", "swarmbridge.cli.main", "install", "--user-data-dir", str(profile)], check=True, capture_output=True)
    chrome = start_chromium(profile, EXTENSION_DIR)
    try:
        wait_until(bridges, 20, "the extension to connect")
        tab = sb("browser", "open", f"http://127.0.0.1:{server.server_port}/us-checkout.html")["tabId"]
        sb("autofill", "profile", "set", "home", "--field", "given-name=Ada", "--field", "family-name=Lovelace",
           "--field", "address-level1=California", "--field", "postal-code=94016", "--field", "email=ada@example.org",
           "--field", "tel=+1 415 555 0134")
        types = {f["name"]: f["type"] for f in sb("autofill", "classify", "--tab", str(tab))["fields"]}
        assert types["shipping_first_name"] == "given-name" and types["cardnumber"] == "cc-number" and types["coupon_code"] == "off"

        preview = sb("autofill", "fill", "--tab", str(tab), "--profile", "home", "--preview")
        assert {p["type"]: p["value"] for p in preview["preview"]}["given-name"] == "Ada"
        snap = sb("browser", "call", "browser.snapshot", "--json", json.dumps({"tabId": tab}))["text"]
        assert 'value="Ada"' not in snap, "preview touches nothing"

        result: dict = {}
        filler = threading.Thread(target=lambda: result.update(sb("autofill", "fill", "--tab", str(tab), "--profile", "home", "--submit", "button[type=submit]")))
        filler.start()
        pending = wait_until(lambda: sb("approvals", "list", "--json")["approvals"], 20, "the submit to wait for approval")
        assert pending[0]["tool"] == "browser.submit"
        shown = {f["type"]: f["value"] for f in pending[0]["preview"]["fields"]}
        assert shown["given-name"] == "Ada" and shown["postal-code"] == "94016", "the approval shows every value"
        snap = sb("browser", "call", "browser.snapshot", "--json", json.dumps({"tabId": tab}))["text"]
        for expected in ('value="Ada"', 'value="Lovelace"', 'value="California"', 'value="94016"', 'value="ada@example.org"'):
            assert expected in snap, expected
        assert sb("browser", "tabs")["tabs"][-1]["url"].endswith("us-checkout.html"), "nothing submitted before approval"
        sb("approvals", "approve", pending[0]["id"])
        filler.join(30)
        assert result["filled"] == 6 and result["submitted"] is True
        wait_until(lambda: any(t["url"].endswith("/order") for t in sb("browser", "tabs")["tabs"]), 10, "the form to be submitted")

        # Web components: fields in open shadow roots, server-rendered (declarative) and made by the
        # page's own script, are classified and filled like any other.
        tab = sb("browser", "open", f"http://127.0.0.1:{server.server_port}/web-components.html")["tabId"]
        fields = sb("autofill", "classify", "--tab", str(tab))["fields"]
        assert [f["type"] for f in fields][:9] == ["email", "tel", "given-name", "family-name", "address-line1", "address-line2", "postal-code", "address-level2", "country"]
        filled = sb("autofill", "fill", "--tab", str(tab), "--profile", "home")
        assert filled["filled"] == 5, filled
        snap = sb("browser", "call", "browser.snapshot", "--json", json.dumps({"tabId": tab}))["text"]
        for expected in ('value="ada@example.org"', 'value="+1 415 555 0134"', 'value="Ada"', 'value="Lovelace"', 'value="94016"'):
            assert expected in snap, expected

        # Frames: the shop's own-origin address frame is filled with the page; the payment
        # provider's cross-origin card frame is listed, not filled, until it is named.
        page = f"http://127.0.0.1:{frames.server_port}/checkout.html"
        tab = sb("browser", "open", page)["tabId"]
        wait_until(lambda: len(sb("autofill", "classify", "--tab", str(tab))["fields"]) == 7, 10, "both frames to load")
        result = sb("autofill", "fill", "--tab", str(tab), "--profile", "home")
        by_ref = {f["ref"]: f for f in result["fields"]}
        assert result["filled"] == 5, result
        own = [f for f in by_ref.values() if f.get("frame") and f["filled"]]
        assert sorted(f["type"] for f in own) == ["family-name", "given-name", "postal-code"] and all(f["ref"].startswith("f") for f in own)
        card = [f for f in by_ref.values() if f["type"] == "postal-code" and not f["filled"]]
        assert len(card) == 1 and "cross-origin" in card[0]["reason"], result
        snap = sb("browser", "call", "browser.snapshot", "--json", json.dumps({"tabId": tab}))["text"]
        assert snap.count('value="94016"') == 1, "the card frame's ZIP stays empty"
        named = sb("autofill", "fill", "--tab", str(tab), "--profile", "home", "--frame", str(card[0]["frame"]))
        assert named["filled"] == 1 and [f["type"] for f in named["fields"] if f["filled"]] == ["postal-code"]
        snap = sb("browser", "call", "browser.snapshot", "--json", json.dumps({"tabId": tab}))["text"]
        assert snap.count('value="94016"') == 2
        raw = sb("browser", "autofill-classify", "--tab", str(tab))  # the raw bridge command from a terminal
        assert [f["type"] for f in raw["fields"]][:2] == ["email", "tel"] and sum(1 for f in raw["frames"] if f["crossOrigin"]) == 1
    finally:
        quit_chromium(chrome)
        for s in (server, frames):
            s.shutdown()
            s.server_close()


@pytest.fixture
def shop() -> Iterator[tuple[str, list[dict[str, str]]]]:
    """The forms folder served on 127.0.0.1: (base URL, the orders POSTed to it)."""
    with serve_shop(FORMS) as served:
        yield served


@pytest.mark.browser
def test_scheduled_autofill_submits_only_what_is_approved(daemon: subprocess.Popen, tmp_path: Path, shop: tuple[str, list[dict[str, str]]]) -> None:
    """The autofill schedule trigger: each firing asks afresh (yesterday's "yes" is not reused), a
    denial submits nothing, and an unanswered request is withdrawn when the run stops waiting."""
    base, orders = shop
    url = f"{base}/us-checkout.html"
    profile = tmp_path / "profile"
    profile.mkdir()
    subprocess.run([PY, "-m", "swarmbridge.cli.main", "install", "--user-data-dir", str(profile)], check=True, capture_output=True)
    chrome = start_chromium(profile, EXTENSION_DIR)

    def runs(job: str) -> list[dict]:
        return [r for r in sb("schedule", "history", job, "--json")["runs"] if r["status"] != "running"]

    try:
        wait_until(bridges, 20, "the extension to connect")
        sb("autofill", "profile", "set", "home", "--field", "given-name=Ada", "--field", "family-name=Lovelace", "--field", "postal-code=94016")
        recipe = {"url": url, "profile": "home", "submit": "button[type=submit]", "wait_selector": "#checkout"}
        sb_plain("schedule", "add", "checkout", "@yearly", "--autofill", json.dumps(recipe))
        sb_plain("schedule", "add", "checkout-quick", "@yearly", "--autofill", json.dumps({**recipe, "approval_timeout_s": 1}))

        sb_plain("schedule", "run-now", "checkout")
        first = wait_until(lambda: sb("approvals", "list", "--json")["approvals"], 20, "the submit to wait for approval")[0]
        assert first["origin"] == "schedule:checkout" and first["tool"] == "browser.submit"
        assert {f["type"]: f["value"] for f in first["preview"]["fields"]}["given-name"] == "Ada"
        assert orders == [], "nothing is submitted before the approval"
        sb("approvals", "approve", first["id"])
        run = wait_until(lambda: runs("checkout"), 30, "the approved run")[0]
        assert run["status"] == "ok" and run["artefacts"]["submitted"] is True and run["artefacts"]["filled"] == 3, run
        wait_until(lambda: orders, 10, "the order to arrive")
        assert len(orders) == 1 and orders[0]["shipping_first_name"] == "Ada" and "94016" in orders[0].values()

        sb_plain("schedule", "run-now", "checkout")
        second = wait_until(lambda: sb("approvals", "list", "--json")["approvals"], 20, "the second firing to ask again")[0]
        assert second["id"] != first["id"], "a new firing is a new question"
        sb("approvals", "deny", second["id"])
        denied = wait_until(lambda: len(runs("checkout")) == 2 and runs("checkout"), 30, "the denied run")[0]
        assert denied["status"] == "denied" and denied["artefacts"]["submitted"] is False, denied

        sb_plain("schedule", "run-now", "checkout-quick")
        quick = wait_until(lambda: runs("checkout-quick"), 30, "the unanswered run")[0]
        assert quick["status"] == "denied" and "no answer within 1 s" in quick["note"], quick
        withdrawn = [a for a in sb("approvals", "list", "--all", "--json")["approvals"] if a["origin"] == "schedule:checkout-quick"]
        assert [a["status"] for a in withdrawn] == ["denied"], withdrawn
        late = subprocess.run([PY, "-m", "swarmbridge.cli.main", "approvals", "approve", withdrawn[0]["id"]], capture_output=True, text=True)
        assert late.returncode != 0, "a late approval of a withdrawn request is refused"
        assert len(orders) == 1, "only the approved firing submitted"
    finally:
        quit_chromium(chrome)


def sb_plain(*args: str) -> str:
    out = subprocess.run([PY, "-m", "swarmbridge.cli.main", *args], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr
    return out.stdout
