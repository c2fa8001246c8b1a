"""autofill.* service over its real store: profiles validated and stored, secrets never in SQLite,
fills go through the BrowserLink with a preview first, and submits need approval."""

import asyncio
import sqlite3

import pytest

from swarmbridge.autofill.profiles import Profile, SecretStore
from swarmbridge.autofill.service import AutofillService
from swarmbridge.policy.approver import AllowAll, DenyAll
from swarmbridge.rpc.router import CallContext, Router, RpcError
from swarmbridge.storage.autofill import ProfileStore
from swarmbridge.storage.db import connect


class RecordingBrowser:
    """A BrowserLink that answers like the extension's autofill commands (the seam's fake)."""

    def __init__(self):
        self.calls = []

    async def call(self, method, params=None, *, bridge=None, timeout=30.0):
        self.calls.append((method, params))
        if method == "browser.autofill.fill":
            prof = params["profile"]
            fields = [{"ref": f"e{i}", "type": t, "label": t, "filled": True, "value": v} for i, (t, v) in enumerate(prof.items()) if isinstance(v, str)]
            return {"fields": fields, "filled": 0 if params.get("preview") else len(fields)}
        if method == "browser.click":
            return {"ok": True}
        return {"fields": []}


class Events:
    def __init__(self):
        self.seen = []

    def publish(self, method, params):
        self.seen.append((method, params))


class S:
    def __init__(self, approver):
        self.browser, self.events, self.approver = RecordingBrowser(), Events(), approver
        self.extras = {}


NO_KEYRING = type("NoKeyring", (SecretStore,), {"__init__": lambda self: setattr(self, "_keyring", None) or setattr(self, "unavailable", "no keyring here")})


def make(tmp_path, approver):
    services = S(approver)
    svc = AutofillService(ProfileStore(connect(tmp_path / "db.sqlite")), services, secrets=NO_KEYRING())
    router = Router()
    svc.register(router)
    return svc, services


CTX = CallContext("c1")


async def test_profiles_validate_and_refuse_payment_without_keyring(tmp_path):
    svc, _ = make(tmp_path, DenyAll())
    await svc.set_profile({"name": "home", "fields": {"given-name": "Ada", "email": "ada@example.org"}, "shipping": {"postal-code": "94016"}}, CTX)
    got = await svc.get_profile({"name": "home"}, CTX)
    assert got["fields"] == {"given-name": "Ada", "email": "ada@example.org"}
    assert got["shipping"] == {"postal-code": "94016"}
    with pytest.raises(Exception, match="not an autocomplete field name"):
        await svc.set_profile({"name": "x", "fields": {"favourite-colour": "red"}}, CTX)
    with pytest.raises(RpcError, match="only in the OS keyring"):
        await svc.set_profile({"name": "card", "fields": {"cc-number": "4111111111111111"}}, CTX)
    rows = sqlite3.connect(tmp_path / "db.sqlite").execute("SELECT name, data FROM autofill_profiles").fetchall()
    assert [r[0] for r in rows] == ["home"], "a refused profile stores nothing"
    assert "4111" not in "".join(r[1] for r in rows)


async def test_fill_previews_then_fills_and_submit_needs_approval(tmp_path):
    svc, services = make(tmp_path, DenyAll())
    await svc.set_profile({"name": "home", "fields": {"given-name": "Ada"}}, CTX)
    r = await svc.fill({"tabId": 7, "profile": "home", "submit": "button[type=submit]"}, CTX)
    methods = [m for m, _ in services.browser.calls]
    assert methods == ["browser.autofill.fill", "browser.autofill.fill"], "preview, fill, and no click: submit denied"
    assert services.browser.calls[0][1]["preview"] is True
    assert r["filled"] == 1 and r["submitted"] is False and "read-only" in r["submitDenied"]
    assert r["preview"][0]["value"] == "Ada"

    svc2, services2 = make(tmp_path, AllowAll())
    r2 = await svc2.fill({"tabId": 7, "profile": "home", "submit": "e12"}, CTX)
    assert r2["submitted"] is True
    assert services2.browser.calls[-1] == ("browser.click", {"tabId": 7, "ref": "e12"})
    assert services2.events.seen[-1][0] == "autofill.filled"


async def test_preview_mode_touches_nothing(tmp_path):
    svc, services = make(tmp_path, AllowAll())
    await svc.set_profile({"name": "home", "fields": {"email": "a@b.c"}}, CTX)
    r = await svc.fill({"caller": "job1", "profile": "home", "mode": "preview"}, CTX)
    assert [m for m, _ in services.browser.calls] == ["browser.autofill.fill"]
    assert r["filled"] == 0 and r["preview"][0]["value"] == "a@b.c"
    with pytest.raises(RpcError, match="no autofill profile"):
        await svc.fill({"tabId": 1, "profile": "nope"}, CTX)


def test_profile_model_splits_secrets():
    p = Profile(name="p", fields={"email": "x@y.z", "cc-number": "4111"}, billing={"cc-csc": "123", "postal-code": "1"})
    assert p.secrets() == {"cc-number": "4111", "billing:cc-csc": "123"}
    assert p.public().model_dump() == {"name": "p", "fields": {"email": "x@y.z"}, "shipping": {}, "billing": {"postal-code": "1"}}
