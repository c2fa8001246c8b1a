import asyncio

import pytest

from swarmbridge.policy.approver import ActionRequest
from swarmbridge.policy.queue import ApprovalQueue
from swarmbridge.policy.rules import Policy, classify
from swarmbridge.storage.approvals import ApprovalStore
from swarmbridge.storage.db import connect


class Clock:
    def __init__(self):
        self.t = 1000.0

    def __call__(self):
        return self.t


def make(path, clock=None, **kw):
    events = []
    q = ApprovalQueue(ApprovalStore(connect(path)), lambda m, p: events.append((m, p)), clock=clock or Clock(), **kw)
    return q, events


def req(key="k1", tool="browser.submit", risk="mutate", origin="run:1", **preview):
    return ActionRequest(tool=tool, risk=risk, summary=f"{tool} test", preview=preview, origin=origin, idempotency_key=key)


async def test_waits_for_a_person_and_publishes(tmp_path):
    q, events = make(tmp_path / "db")
    task = asyncio.create_task(q.decide(req()))
    await asyncio.sleep(0.01)
    pending = q.store.list()
    assert len(pending) == 1 and events[0][0] == "approval.requested"
    q.approve(pending[0]["id"], "user:cli", "looks right")
    d = await task
    assert d.approved and d.by == "user:cli" and d.reason == "looks right"
    assert events[-1][0] == "approval.decided"
    assert [a["event"] for a in q.store.audit_of(pending[0]["id"])] == ["requested", "approved"]


async def test_deny_and_double_decision(tmp_path):
    q, _ = make(tmp_path / "db")
    task = asyncio.create_task(q.decide(req()))
    await asyncio.sleep(0.01)
    aid = q.store.list()[0]["id"]
    q.deny(aid, "user:cli", "not now")
    assert (await task).approved is False
    with pytest.raises(ValueError, match="already denied"):
        q.approve(aid)
    with pytest.raises(KeyError):
        q.approve("nope")


async def test_unanswered_requests_expire_as_denied(tmp_path):
    clock = Clock()
    q, events = make(tmp_path / "db", clock, ttl=0.05)
    task = asyncio.create_task(q.decide(req()))
    await asyncio.sleep(0.01)
    clock.t += 1
    d = await asyncio.wait_for(task, 2)
    assert not d.approved and d.by == "system:expiry"
    assert q.store.list(status="expired")


async def test_same_key_same_decision_and_exactly_once_across_restart(tmp_path):
    db = tmp_path / "db"
    q, _ = make(db)
    runs = []

    async def action():
        runs.append(1)
        return {"clicked": True}

    task = asyncio.create_task(q.run_once(req("order-42"), action))
    await asyncio.sleep(0.01)
    q.approve(q.store.list()[0]["id"])
    assert await task == {"clicked": True}
    # a new queue over the same database, as after a daemon restart
    q2, events2 = make(db)
    assert await q2.run_once(req("order-42"), action) == {"clicked": True}
    assert runs == [1], "an approved action runs exactly once"
    assert events2 == [], "nobody is asked twice"


async def test_headless_callers_get_pending_and_can_come_back(tmp_path):
    q, _ = make(tmp_path / "db")
    d = await q.decide(req("job-1"), wait=False)
    assert d.pending and not d.approved and d.request_id
    q.approve(d.request_id)
    again = await q.decide(req("job-1"), wait=False)
    assert again.approved and not again.pending


async def test_policies_decide_without_asking(tmp_path):
    q, events = make(tmp_path / "db", policies={
        "": Policy(),
        "schedule:": Policy(mode="read_only"),
        "goal:7": Policy(allowSites=["shop.example"], allowFolders=["/home/u/out"]),
    })
    assert (await q.decide(req("r", tool="browser.snapshot", risk="read"))).approved
    assert not (await q.decide(req("s", origin="schedule:prices"))).approved
    assert (await q.decide(req("g", origin="goal:7", url="https://www.shop.example/cart"))).by == "policy:allow-site"
    assert (await q.decide(req("f", tool="files.write", origin="goal:7", path="/home/u/out/a.md"))).approved
    pending = asyncio.create_task(q.decide(req("h", tool="files.write", origin="goal:7", path="/etc/passwd")))
    await asyncio.sleep(0.01)
    assert q.store.list()[0]["key"] == "h", "outside the allowed folder: asked"
    pending.cancel()
    assert [e[0] for e in events] == ["approval.requested"]
    sensitive = asyncio.create_task(q.decide(req("p", tool="browser.upload", risk="sensitive", origin="goal:7", url="https://shop.example/")))
    await asyncio.sleep(0.01)
    assert any(r["key"] == "p" for r in q.store.list()), "sensitive actions are always asked"
    sensitive.cancel()


def test_policy_prefixes_cover_whole_segments():
    from swarmbridge.policy.queue import covers

    assert covers("", "anything") and covers("goal:7", "goal:7") and covers("goal:7", "goal:7/run:ab/task:t1")
    assert covers("goal:", "goal:70") and covers("schedule:", "schedule:prices/run:x/task:y")
    assert not covers("goal:7", "goal:70") and not covers("goal:7", "goal:70/run:ab/task:t1") and not covers("schedule:a", "schedule:ab")


@pytest.mark.parametrize(
    "tool,preview,risk",
    [
        ("browser.snapshot", {}, "read"),
        ("browser.select", {"fieldType": "country"}, "read"),
        ("browser.check", {"fieldType": "checkbox newsletter"}, "read"),
        ("browser.select", {"fieldType": "cc-exp-month"}, "sensitive"),
        ("browser.click", {"element": {"name": "Next page"}}, "read"),
        ("browser.click", {"element": {"name": "Place order"}}, "mutate"),
        ("browser.click", {"element": {"name": "Go", "type": "submit"}}, "mutate"),
        ("browser.click", {"element": {"name": "Jetzt kaufen"}}, "mutate"),
        ("browser.click", {"element": {"text": "Delete repository"}}, "mutate"),
        ("browser.press", {"keys": "Enter", "element": {"inForm": True}}, "mutate"),
        ("browser.fill", {"fieldType": "email"}, "read"),
        ("browser.fill", {"fieldType": "cc-number"}, "sensitive"),
        ("browser.fill", {"inputType": "password"}, "sensitive"),
        ("browser.navigate", {"url": "https://a.example/x", "confineTo": ["a.example"]}, "read"),
        ("browser.navigate", {"url": "https://evil.example/", "confineTo": ["a.example"]}, "mutate"),
        ("browser.upload", {}, "sensitive"),
        ("files.read", {}, "read"),
        ("files.delete", {}, "mutate"),
        ("shell.run", {}, "mutate"),
        ("something.new", {}, "mutate"),
    ],
)
def test_classification(tool, preview, risk):
    assert classify(tool, preview) == risk


def test_a_stored_policy_that_no_longer_validates_becomes_ask(caplog):
    from swarmbridge.policy.component import load_policies

    got = load_policies({"goal:3": {"mode": "allow", "allowSites": ["https://shop.example/cart"]}, "schedule:": {"mode": "read_only"}})
    assert got["goal:3"] == Policy() and got["schedule:"].mode == "read_only"
    assert "goal:3" in caplog.text and "treated as 'ask'" in caplog.text
