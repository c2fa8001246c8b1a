"""Autofill on a multi-step form, with the model fallback, for real: a wizard whose second step is
mounted only after "Continue"; one field no rule knows ("Where should we send the receipt?") is
typed by the configured model (a scripted OpenAI-compatible server on 127.0.0.1, through the real
openai client), which sees labels and profile tokens but never a profile value. The submit waits for
approval, with every value of both steps in its preview."""

from __future__ import annotations

import json
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from modelkit import threaded_server
from relaykit import PY, wait_until
from shopkit import serve_shop
from test_real_chromium import bridges, quit_chromium, start_chromium
from test_scheduler_daemon import start_daemon, stop_daemon

from swarmbridge.extension_id import EXTENSION_DIR
from swarmbridge.testing import Reply

FORMS = Path(__file__).resolve().parents[1] / "fixtures" / "forms-multistep"
PROFILE = ["--field", "given-name=Ada", "--field", "family-name=Lovelace", "--field", "email=ada@example.org",
           "--field", "address-line1=12 Harbour Street", "--field", "address-level2=Whitby", "--field", "postal-code=YO21 3PU"]


def sb(*args: str) -> dict:
    out = subprocess.run([PY, "-m", "swarmbridge.cli.main", *args], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr
    return json.loads(out.stdout)


@pytest.fixture
def model_server() -> Iterator[tuple[str, list[str]]]:
    """A scripted model on its own thread: it types a field as email when its label asks where a
    receipt goes (a rule a test can state), and records every prompt it was sent."""
    prompts: list[str] = []

    def rule(req: dict) -> Reply:
        body = str(req["messages"][-1]["content"])
        prompts.append(json.dumps(req["messages"]))
        if not str(req["messages"][0]["content"]).startswith("ROLE: autofill"):
            return Reply(content="{}")
        fields = json.loads(body)["fields"]
        return Reply(content=json.dumps({"fields": [{"ref": f["ref"], "type": "email"} for f in fields if "receipt" in f.get("label", "")]
                                         + [{"ref": "e999", "type": "email"}, {"ref": fields[0]["ref"], "type": "cc-number"}]}))

    with threaded_server(rule) as server:
        yield server.base_url, prompts


@pytest.fixture
def shop() -> Iterator[tuple[str, list[dict[str, str]]]]:
    """The forms folder served on 127.0.0.1: (base URL, the orders POSTed to it)."""
    with serve_shop(FORMS) as served:
        yield served


@pytest.mark.browser
def test_multi_step_form_with_model_fallback(sb_home: Path, tmp_path: Path, model_server: tuple[str, list[str]], shop: tuple[str, list[dict[str, str]]]) -> None:
    url, prompts = model_server
    base, orders = shop
    assert subprocess.run([PY, "-m", "swarmbridge.cli.main", "models", "add", "local", "--base-url", url, "--model", "scripted", "--role", "worker"],
                          capture_output=True).returncode == 0
    daemon = start_daemon()
    profile = tmp_path / "profile"
    profile.mkdir()
    subprocess.run([PY, "-m", "swarmbridge.cli.main", "install", "--user-data-dir", str(profile)], check=True, capture_output=True)
    chrome = start_chromium(profile, EXTENSION_DIR)
    try:
        wait_until(bridges, 20, "the extension to connect")
        sb("autofill", "profile", "set", "home", *PROFILE)
        tab = sb("browser", "open", f"{base}/checkout-steps.html")["tabId"]
        result: dict = {}
        argv = ["autofill", "fill", "--tab", str(tab), "--profile", "home", "--next", "#next", "--submit", "#place"]
        filler = threading.Thread(target=lambda: result.update(json.loads(subprocess.run([PY, "-m", "swarmbridge.cli.main", *argv], capture_output=True, text=True, timeout=60).stdout or "{}")))
        filler.start()
        pending = wait_until(lambda: sb("approvals", "list", "--json")["approvals"], 30, "the submit to wait for approval")[0]
        shown = {f["type"]: f["value"] for f in pending["preview"]["fields"]}
        assert shown == {"given-name": "Ada", "family-name": "Lovelace", "email": "ada@example.org", "address-line1": "12 Harbour Street",
                         "address-level2": "Whitby", "postal-code": "YO21 3PU"}, "both steps, and the model-typed field, are in the preview"
        assert [f.get("guessed") for f in pending["preview"]["fields"] if f["type"] == "email"] == [True]
        assert orders == []
        sb("approvals", "approve", pending["id"])
        filler.join(30)
        assert result["steps"] == 2 and result["filled"] == 6 and result["guessed"] == 1 and result["submitted"] is True, result
        wait_until(lambda: orders, 10, "the order")
        step1 = json.loads(orders[0]["collected"])
        assert step1 == {"fname": "Ada", "lname": "Lovelace", "rcpt": "ada@example.org"}
        assert (orders[0]["street"], orders[0]["town"], orders[0]["pc"]) == ("12 Harbour Street", "Whitby", "YO21 3PU")
        asked = [p for p in prompts if "ROLE: autofill" in p]
        assert len(asked) == 1, "one question, for step 1's unknown field only"
        assert "receipt" in asked[0] and "Lovelace" not in asked[0] and "ada@example.org" not in asked[0], "labels and tokens only, never values"
    finally:
        quit_chromium(chrome)
        stop_daemon(daemon)
