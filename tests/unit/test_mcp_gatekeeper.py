"""The daemon's `mcp.browser`: external agents' browser commands judged by the element they hit
and decided by the real approval queue (SQLite in a temp dir); the browser is a fake link that
records what would have been done."""

from __future__ import annotations

import asyncio
from typing import Any

import pydantic
import pytest

from swarmbridge.mcp.gatekeeper import GatedCall, Gatekeeper
from swarmbridge.policy.approver import AllowAll, DenyAll
from swarmbridge.policy.queue import ApprovalQueue
from swarmbridge.policy.rules import Policy
from swarmbridge.rpc.router import RpcError
from swarmbridge.storage.approvals import ApprovalStore
from swarmbridge.storage.db import connect

URL = "https://shop.example/contact"
ELEMENTS = [
    {"ref": "e1", "role": "textbox", "name": "Message", "id": "msg", "state": ['value="Hello there"']},
    {"ref": "e2", "role": "button", "name": "Go", "id": "go"},  # no telling word: only its description says it submits
    {"ref": "e3", "role": "button", "name": "Show more"},
    {"ref": "e4", "role": "textbox", "name": "Password", "state": ["type=password", 'value="••••"'], "nameAttr": "pw"},
    {"ref": "e8", "role": "checkbox", "name": "Keep me posted", "state": ["checked"]},
    {"ref": "e5", "role": "textbox", "name": "Search"},  # no id: its form is unknown
    {"ref": "f2:e1", "role": "button", "name": "Next", "id": "nx"},
    {"ref": "e6", "role": "link", "name": "Docs", "href": "https://docs.other.example/start"},
    {"ref": "e7", "role": "link", "name": "Shop", "href": "https://shop.example/list"},
]
CONTROLS = {
    '[id="go"]': {"tag": "button", "type": "submit", "name": "Go", "inForm": True, "submitsForm": True},
    '[id="msg"]': {"tag": "input", "type": "", "name": "", "inForm": True, "submitsForm": False},
    "#plain": {"tag": "button", "type": "button", "name": "Toggle", "inForm": False, "submitsForm": False},
    '[id="nx"]': {"tag": "button", "type": "button", "name": "Next", "inForm": False, "submitsForm": False},
    "#send-order": {"tag": "button", "type": "submit", "name": "Place order", "inForm": True, "submitsForm": True},
}
LOOKS = ("browser.snapshot", "browser.autofill.fill", "browser.tabs.list")


class FakeLink:
    """A browser with one page (ELEMENTS, copied: a test may change it) and two tabs; records every call."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.elements = [dict(e) for e in ELEMENTS]

    async def call(self, method: str, params: dict[str, Any] | None = None, *, bridge: str | None = None, timeout: float = 30.0) -> Any:
        params = dict(params or {})
        self.calls.append((method, params))
        if method == "browser.snapshot":
            return {"url": URL, "title": "Contact", "text": "", "elements": [dict(e) for e in self.elements]}
        if method == "browser.autofill.fill":
            assert params["preview"] is True and params["profile"] == {}  # describing, never filling
            return {"fields": [], "filled": 0, "next": CONTROLS.get(params["next"])}
        if method == "browser.tabs.list":
            return {"tabs": [{"tabId": 1, "url": "https://mail.example/", "title": "Inbox", "caller": None},
                             {"tabId": 2, "url": URL, "title": "Contact", "caller": "mcp"}]}
        return {"ok": True, "did": method}

    def acted(self) -> list[tuple[str, dict[str, Any]]]:
        return [c for c in self.calls if c[0] not in LOOKS]

    def bridges(self) -> list[dict[str, Any]]:
        return []

    async def wait_for_bridge(self, timeout: float, bridge: str | None = None) -> bool:
        return True


@pytest.fixture
def queue(tmp_path) -> ApprovalQueue:
    return ApprovalQueue(ApprovalStore(connect(tmp_path / "a.db")), lambda m, p: None)


def gated(tool: str, args: dict[str, Any] | None = None, **kw: Any) -> GatedCall:
    return GatedCall.model_validate({"tool": tool, "args": args or {}, "approvalTimeoutS": 0, **kw})


async def test_reads_run_at_once_and_ask_nobody(queue: ApprovalQueue) -> None:
    link = FakeLink()
    gate = Gatekeeper(link, queue)
    out = await gate.run(gated("browser_snapshot", {"tab_id": 2, "max_elements": 10}))
    assert out == {"status": "done", "risk": "read", "result": {"url": URL, "title": "Contact", "text": "", "elements": ELEMENTS}}
    assert link.calls == [("browser.snapshot", {"tabId": 2, "maxElements": 10, "caller": "mcp"})]
    for tool, args in [("browser_click", {"ref": "e3"}), ("browser_click", {"selector": "#plain"}), ("browser_fill", {"ref": "e1", "value": "hi"}),
                       ("browser_select", {"ref": "e1", "label": "Red"}), ("browser_press", {"ref": "e5", "keys": "Tab"}),
                       ("browser_click", {"ref": "f2:e1"})]:
        assert (await gate.run(gated(tool, args)))["status"] == "done", (tool, args)
    assert queue.store.list(status=None) == []
    assert ("browser.autofill.fill", {"caller": "mcp", "profile": {}, "preview": True, "next": '[id="nx"]', "frame": 2}) in link.calls


async def test_a_submit_is_held_then_runs_once_after_approval(queue: ApprovalQueue) -> None:
    link = FakeLink()
    gate = Gatekeeper(link, queue)
    held = await gate.run(gated("browser_click", {"ref": "e2"}))  # "Go" submits its form (describeControl says so)
    assert held["status"] == "pending" and held["risk"] == "mutate" and 'Click button "Go" on ' + URL == held["summary"]
    assert link.acted() == []
    rec = queue.store.get(held["approvalId"])
    assert rec["origin"] == "mcp" and rec["preview"]["element"]["submitsForm"] is True
    assert rec["preview"]["fields"] == [{"field": "Message", "value": "Hello there"}, {"field": "Password", "value": "••••"},
                                        {"field": "Keep me posted", "value": "checked"}]  # what the submit would send
    assert queue.store.audit_of(rec["id"])[0]["by"] == "mcp"

    again = await gate.run(gated("browser_click", {"ref": "e2"}))  # asked again before a decision: the same request
    assert again["status"] == "pending" and again["approvalId"] == held["approvalId"]
    queue.approve(held["approvalId"], by="user:cli")
    done = await gate.run(gated("browser_click", {"ref": "e2"}))
    assert done["status"] == "done" and done["approval"]["approvalId"] == held["approvalId"]
    assert link.acted() == [("browser.click", {"ref": "e2", "caller": "mcp"})]
    assert queue.store.get(held["approvalId"])["executed_at"] is not None

    fresh = await gate.run(gated("browser_click", {"ref": "e2"}))  # it ran: doing it again is a new question
    assert fresh["status"] == "pending" and fresh["approvalId"] != held["approvalId"]
    assert len(link.acted()) == 1


async def test_waiting_caller_gets_the_decision_and_a_denial_does_nothing(queue: ApprovalQueue) -> None:
    link = FakeLink()
    gate = Gatekeeper(link, queue)

    async def decide(fn) -> None:
        while not queue.store.list():
            await asyncio.sleep(0.005)
        fn(queue.store.list()[0]["id"], by="user:cli", reason="not today")

    task = asyncio.create_task(decide(queue.deny))
    out = await gate.run(gated("browser_click", {"selector": "#send-order", "frame": 0}, approvalTimeoutS=5))
    await task
    assert out["status"] == "denied" and out["reason"] == "not today" and out["by"] == "user:cli"
    assert link.acted() == []

    task = asyncio.create_task(decide(queue.approve))
    out = await gate.run(gated("browser_press", {"ref": "e5", "keys": "Enter"}, approvalTimeoutS=5))  # form unknown: Enter may submit
    await task
    assert out["status"] == "done" and link.acted() == [("browser.press", {"ref": "e5", "keys": "Enter", "caller": "mcp"})]
    blind = await gate.run(gated("browser_press", {"keys": "Control+Enter"}))  # no target: whatever has focus
    assert blind["status"] == "pending" and blind["summary"] == f"Press Control+Enter on the focused element at {URL}"


async def test_selector_that_matches_nothing_is_not_found(queue: ApprovalQueue) -> None:
    with pytest.raises(RpcError) as err:
        await Gatekeeper(FakeLink(), queue).run(gated("browser_click", {"selector": "#nothing"}))
    assert err.value.code == "not_found"
    with pytest.raises(RpcError, match="take a new browser_snapshot"):
        await Gatekeeper(FakeLink(), queue).run(gated("browser_click", {"ref": "e99"}))


async def test_sensitive_fields_uploads_and_other_owners_tabs_ask(queue: ApprovalQueue) -> None:
    link = FakeLink()
    gate = Gatekeeper(link, queue)
    pw = await gate.run(gated("browser_fill", {"ref": "e4", "value": "hunter2"}))
    assert pw["status"] == "pending" and pw["risk"] == "sensitive"
    assert "hunter2" not in str(queue.store.get(pw["approvalId"]))
    up = await gate.run(gated("browser_upload", {"selector": "input[type=file]", "files": ["/home/u/cv.pdf"]}))
    assert up["risk"] == "sensitive" and queue.store.get(up["approvalId"])["preview"]["files"] == ["/home/u/cv.pdf"]
    theirs = await gate.run(gated("browser_tabs_close", {"tab_id": 1}))
    assert theirs["status"] == "pending" and "Inbox" in theirs["summary"]
    assert (await gate.run(gated("browser_tabs_close", {"tab_id": 2})))["status"] == "done"  # its own tab
    assert (await gate.run(gated("browser_tabs_close")))["status"] == "done"  # all of its own tabs
    assert link.acted() == [("browser.tabs.close", {"tabId": 2, "caller": "mcp"}), ("browser.tabs.close", {"caller": "mcp"})]
    with pytest.raises(RpcError, match="no tab 9"):
        await gate.run(gated("browser_tabs_close", {"tab_id": 9}))


async def test_navigation_is_free_unless_confined_and_off_site(queue: ApprovalQueue) -> None:
    gate = Gatekeeper(FakeLink(), queue)
    assert (await gate.run(gated("browser_tabs_open", {"url": "https://anywhere.example/"})))["status"] == "done"
    confined = {"confine": ["shop.example"]}
    assert (await gate.run(gated("browser_navigate", {"url": "https://www.shop.example/x"}, **confined)))["status"] == "done"
    off = await gate.run(gated("browser_navigate", {"url": "https://evil.example/"}, **confined))
    assert off["status"] == "pending" and "outside shop.example" in off["summary"]
    fetched = await gate.run(gated("browser_fetch", {"url": "https://mail.example/inbox"}, **confined))  # no tab, same cookies
    assert fetched["status"] == "pending" and fetched["summary"] == "Fetch https://mail.example/inbox (outside shop.example)"
    assert (await gate.run(gated("browser_fetch", {"url": "https://shop.example/list"}, **confined)))["status"] == "done"
    assert (await gate.run(gated("browser_click", {"ref": "e7"}, **confined)))["status"] == "done"  # a link inside
    link_out = await gate.run(gated("browser_click", {"ref": "e6"}, **confined))  # a link that leaves: like navigating there
    assert link_out["status"] == "pending" and "leads to https://docs.other.example/start" in link_out["summary"]
    assert (await gate.run(gated("browser_click", {"ref": "e6"})))["status"] == "done"  # not confined: a link is a link
    queue.policies["mcp"] = Policy(allowSites=["docs.example"])  # the user's policy for mcp confines too, and allows its sites
    assert (await gate.run(gated("browser_tabs_open", {"url": "https://docs.example/a"})))["status"] == "done"
    assert (await gate.run(gated("browser_tabs_open", {"url": "https://other.example/"})))["status"] == "pending"


async def test_the_users_policy_for_mcp_applies(queue: ApprovalQueue) -> None:
    link = FakeLink()
    gate = Gatekeeper(link, queue)
    queue.policies["mcp"] = Policy(mode="read_only")
    out = await gate.run(gated("browser_click", {"ref": "e2"}))
    assert out["status"] == "denied" and out["by"] == "policy:read-only" and link.acted() == []
    assert queue.store.get(out["approvalId"])["decided_by"] == "policy:read-only"  # on record, with its id
    assert (await gate.run(gated("browser_snapshot")))["status"] == "done"
    queue.policies["mcp"] = Policy(mode="allow")
    assert (await gate.run(gated("browser_click", {"ref": "e2"})))["status"] == "done"
    assert (await gate.run(gated("browser_fill", {"ref": "e4", "value": "x"})))["status"] == "pending"  # sensitive: always asked
    queue.policies["mcp"] = Policy(mode="read_only")
    named = await gate.run(gated("browser_click", {"ref": "e2"}, client="agent-x"))  # mcp/client:agent-x falls under the mcp policy
    assert named["status"] == "denied" and queue.store.list(status="denied")[0]["origin"] == "mcp/client:agent-x"


async def test_plain_approvers_and_bad_params() -> None:
    link = FakeLink()
    assert (await Gatekeeper(link, AllowAll()).run(gated("browser_click", {"ref": "e2"})))["status"] == "done"
    assert (await Gatekeeper(link, DenyAll()).run(gated("browser_click", {"ref": "e2"})))["status"] == "denied"
    with pytest.raises(pydantic.ValidationError, match="unknown tool 'browser_eval'"):
        gated("browser_eval")
    with pytest.raises(pydantic.ValidationError, match="client"):
        gated("browser_snapshot", client="goal:7 ")
    with pytest.raises(pydantic.ValidationError, match="approvalTimeoutS"):
        gated("browser_snapshot", approvalTimeoutS=601)
    with pytest.raises(pydantic.ValidationError, match="give exactly one of ref"):
        await Gatekeeper(link, AllowAll()).run(gated("browser_click", {}))
    with pytest.raises(pydantic.ValidationError, match="extra"):
        await Gatekeeper(link, AllowAll()).run(gated("browser_snapshot", {"script": "alert(1)"}))


async def test_a_form_changed_after_the_person_saw_it_is_not_submitted(queue: ApprovalQueue) -> None:
    link = FakeLink()
    gate = Gatekeeper(link, queue)

    async def approve_after_a_sneaky_fill() -> None:
        while not queue.store.list():
            await asyncio.sleep(0.005)
        link.elements[0]["state"] = ['value="Send me your money"']  # another call filled the field meanwhile
        queue.approve(queue.store.list()[0]["id"], by="user:cli")

    task = asyncio.create_task(approve_after_a_sneaky_fill())
    out = await gate.run(gated("browser_click", {"ref": "e2"}, approvalTimeoutS=5))
    await task
    assert out["status"] == "denied" and out["by"] == "system:changed" and "fields changed" in out["reason"]
    assert link.acted() == []
    again = await gate.run(gated("browser_click", {"ref": "e2"}))  # the changed form is a new question
    assert again["status"] == "pending" and again["approvalId"] != out["approvalId"]
    assert {"field": "Message", "value": "Send me your money"} in queue.store.get(again["approvalId"])["preview"]["fields"]


async def test_twin_calls_at_once_click_once(queue: ApprovalQueue) -> None:
    """An agent that sends the same submit twice before anyone answers gets one click: the twin
    waits for the first, then is a new question the person can refuse."""
    link = FakeLink()
    gate = Gatekeeper(link, queue)

    async def decide_each() -> list[str]:
        decided: list[str] = []
        for verb in (queue.approve, queue.deny):
            while not (pending := [a for a in queue.store.list() if a["id"] not in decided]):
                await asyncio.sleep(0.005)
            verb(pending[0]["id"], by="user:cli")
            decided.append(pending[0]["id"])
        return decided

    person = asyncio.create_task(decide_each())
    first, second = await asyncio.gather(*(gate.run(gated("browser_click", {"ref": "e2"}, approvalTimeoutS=5)) for _ in range(2)))
    decided = await person
    assert sorted([first["status"], second["status"]]) == ["denied", "done"]
    assert link.acted() == [("browser.click", {"ref": "e2", "caller": "mcp"})]
    assert len(set(decided)) == 2 and gate._locks == {}
