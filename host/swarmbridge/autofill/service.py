"""``autofill.*`` methods: profiles, classify, and fill. Filling previews every value first; card
and password data are filled only when asked for and approved; a submit is always a separate,
approved action (the preview of every filled value travels with the approval request)."""

from __future__ import annotations

import asyncio
import hashlib
import json
from typing import Any, Literal

import pydantic

from ..policy.approver import ActionRequest, Decision
from ..policy.queue import ApprovalQueue
from ..policy.rules import classify
from ..protocol.envelope import ErrorCode
from ..rpc.router import CallContext, Router, RpcError
from ..storage.autofill import ProfileStore
from .guess import guess_types
from .profiles import SECRET, SECTIONS, Profile, SecretStore


class _Target(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid", populate_by_name=True)
    tab_id: int | None = pydantic.Field(None, alias="tabId")
    caller: str | None = None
    bridge: str | None = None
    frame: int | None = None

    def params(self) -> dict[str, Any]:
        if self.tab_id is None and not self.caller:
            raise RpcError(ErrorCode.INVALID_PARAMS, "give tabId or caller")
        out: dict[str, Any] = {"tabId": self.tab_id} if self.tab_id is not None else {"caller": self.caller}
        if self.frame is not None:
            out["frame"] = self.frame
        return out


class FillRequest(_Target):
    """``autofill.fill`` params, also built by the scheduler's autofill trigger."""

    profile: str
    include_payment: bool = pydantic.Field(False, alias="includePayment")
    submit: str | None = None  # CSS selector or snapshot ref of the submit control
    #: a multi-step form: the CSS selector of the control that shows the next step ("Continue");
    #: each step is filled, then this is clicked (judged by the approval rules like any click),
    #: until it is gone or ``max_steps`` steps were filled
    next: str | None = pydantic.Field(None, min_length=1)
    max_steps: int = pydantic.Field(5, ge=1, le=20, alias="maxSteps")
    #: ask the configured model to type fields no rule knew (labels only; never profile values)
    guess: bool = True
    mode: Literal["fill", "preview"] = "fill"


class AutofillService:
    def __init__(self, store: ProfileStore, services, secrets: SecretStore | None = None) -> None:
        self.store = store
        self.services = services
        self.secrets = secrets or SecretStore()

    def register(self, router: Router) -> None:
        for name, fn in {
            "autofill.profiles.list": self.list_profiles,
            "autofill.profiles.get": self.get_profile,
            "autofill.profiles.set": self.set_profile,
            "autofill.profiles.remove": self.remove_profile,
            "autofill.classify": self.classify,
            "autofill.fill": self.fill,
        }.items():
            router.register(name, fn)

    # ---- profiles ----
    async def list_profiles(self, params: dict, ctx: CallContext) -> dict:
        return {"profiles": self.store.list(), "keyring": not self.secrets.unavailable}

    def load(self, name: str, *, with_secrets: bool) -> Profile:
        got = self.store.get(name)
        if got is None:
            raise RpcError(ErrorCode.NOT_FOUND, f"no autofill profile {name!r} (see `swarmbridge autofill profile list`)")
        data, secret_keys = got
        profile = Profile.model_validate(data)
        if with_secrets:
            for key in secret_keys:
                value = self.secrets.get(name, key)
                if value is None:
                    continue
                section, _, token = key.rpartition(":")
                getattr(profile, section or "fields")[token] = value
        return profile

    async def get_profile(self, params: dict, ctx: CallContext) -> dict:
        name = str(params.get("name", ""))
        profile = self.load(name, with_secrets=False)
        _, secret_keys = self.store.get(name)  # type: ignore[misc]
        return {**profile.model_dump(), "secretFields": secret_keys}

    async def set_profile(self, params: dict, ctx: CallContext) -> dict:
        profile = Profile.model_validate(params)
        secrets = profile.secrets()
        for key, value in secrets.items():  # refused (nothing stored) if there is no keyring
            try:
                self.secrets.put(profile.name, key, value)
            except ValueError as exc:
                raise RpcError(ErrorCode.INVALID_PARAMS, str(exc)) from None
        previous = self.store.get(profile.name)
        keys = set(secrets) | (set(previous[1]) if previous else set())
        self.store.put(profile.name, profile.public().model_dump(), sorted(keys))
        return {"name": profile.name, "fields": len(profile.fields), "secretFields": sorted(keys)}

    async def remove_profile(self, params: dict, ctx: CallContext) -> dict:
        name = str(params.get("name", ""))
        if not self.store.remove(name):
            raise RpcError(ErrorCode.NOT_FOUND, f"no autofill profile {name!r}")
        return {"removed": name}

    # ---- page work ----
    async def classify(self, params: dict, ctx: CallContext) -> dict:
        t = _Target.model_validate(params)
        return await self.services.browser.call("browser.autofill.classify", t.params(), bridge=t.bridge)

    async def fill(self, params: dict, ctx: CallContext) -> dict:
        return await self.run_fill(FillRequest.model_validate(params))

    async def run_fill(self, p: FillRequest, *, origin: str = "autofill", occasion: str = "", approval_timeout: float | None = None) -> dict:
        """Preview, fill (step by step for a multi-step form), and submit only after approval.

        ``origin`` names who asks (its policy applies: e.g. ``schedule:NAME``); ``occasion`` makes
        each occasion's approval its own (a daily job must not reuse yesterday's "yes"); with
        ``approval_timeout`` an unanswered request is withdrawn as denied when the wait ends, so
        a late approval can never act on a page the caller has left."""
        target = p.params()
        profile = self.load(p.profile, with_secrets=p.include_payment).for_fill()
        ask = _Asker(self.services, origin, occasion, approval_timeout)
        result: dict[str, Any] = {"preview": [], "filled": 0, "submitted": False, "steps": 0, "guessed": 0, "fields": []}
        for step in range(p.max_steps if p.next else 1):
            done = await self._fill_step(p, target, profile, ask, result)
            result["steps"] = step + 1
            if not done or p.mode == "preview" or not p.next:
                break
            moved = await self._next_step(p, target, ask, result, done)
            if not moved:
                break
        if p.mode == "preview" or "denied" in result:
            return result
        if p.submit:
            decision = await ask("browser.submit", "mutate", f"Submit the form after autofill from profile {p.profile!r}", result["preview"], target)
            if decision.approved:
                key = "ref" if p.submit.startswith(("e", "f")) and p.submit[1:2].isdigit() else "selector"
                result["submit"] = await self.services.browser.call("browser.click", {**target, key: p.submit}, bridge=p.bridge)
                result["submitted"] = True
            else:
                result["submitDenied"] = decision.reason
        self.services.events.publish("autofill.filled", {"profile": p.profile, "filled": result["filled"], "submitted": result["submitted"]})
        return result

    async def _fill_step(self, p: FillRequest, target: dict, profile: dict, ask: _Asker, result: dict) -> dict | None:
        """Fill what the page shows now; returns the fill's reply (None when stopped by a denial)."""
        browser = self.services.browser
        args: dict[str, Any] = {**target, "profile": profile, "includeSensitive": p.include_payment}
        if p.next:
            args["next"] = p.next
        preview = await browser.call("browser.autofill.fill", {**args, "preview": True}, bridge=p.bridge)
        unknown = [f for f in preview["fields"] if f.get("unknown")]
        model = self.services.extras.get("model") if p.guess else None
        if unknown and model is not None:
            types = await guess_types(model, unknown, fillable_tokens(profile))
            if types:
                args["types"] = types
                preview = await browser.call("browser.autofill.fill", {**args, "preview": True}, bridge=p.bridge)
        seen = {f["ref"] for f in result["fields"] if f.get("filled")}
        filled = [f for f in preview["fields"] if f.get("filled") and f["ref"] not in seen]
        shown = [{"field": f.get("label") or f["type"], "type": f["type"], "value": f.get("value"), "section": f.get("section"),
                  **({"guessed": True} if f.get("guessed") else {})} for f in filled]
        result["preview"] += shown
        if p.mode == "preview":
            result["fields"] += preview["fields"]
            return preview
        if p.include_payment and any(f["type"] in SECRET for f in filled):
            decision = await ask("autofill.fill", "sensitive", f"Fill payment/password fields from profile {p.profile!r}", shown, target)
            if not decision.approved:
                result["denied"] = decision.reason
                return None
        done = await browser.call("browser.autofill.fill", args, bridge=p.bridge)
        fresh = [f for f in done["fields"] if f["ref"] not in seen]
        result["filled"] += sum(1 for f in fresh if f.get("filled"))
        result["guessed"] += sum(1 for f in fresh if f.get("filled") and f.get("guessed"))
        result["fields"] += fresh
        return done

    async def _next_step(self, p: FillRequest, target: dict, ask: _Asker, result: dict, done: dict) -> bool:
        """Click the form's "next" control when it is there, approved like any click, and wait for
        the next step's fields; False when the form has no further step."""
        control = done.get("next")
        if not control or not control.get("visible") or control.get("disabled"):
            return False
        if classify("browser.click", {"element": control}) != "read":
            decision = await ask("browser.click", "mutate", f"Send step {result['steps']} of the form (\"{control.get('name', '')}\")", result["preview"], target)
            if not decision.approved:
                result["denied"] = decision.reason
                return False
        before = {f["ref"] for f in done["fields"]}
        browser = self.services.browser
        await browser.call("browser.click", {**target, "selector": p.next}, bridge=p.bridge)
        for _ in range(50):  # the next step renders (or a new page loads): up to ~5 s
            await asyncio.sleep(0.1)
            try:
                now = await browser.call("browser.autofill.classify", target, bridge=p.bridge)
            except RpcError:  # a page in the middle of loading
                continue
            if {f["ref"] for f in now["fields"]} - before:
                return True
        return False


def fillable_tokens(profile: dict[str, Any]) -> list[str]:
    """The autocomplete tokens a profile (``Profile.for_fill`` shape) has values for."""
    tokens = {k for k, v in profile.items() if isinstance(v, str) and v}
    for section in SECTIONS:
        tokens |= {k for k, v in (profile.get(section) or {}).items() if v}
    return sorted(tokens)


class _Asker:
    """One approval question per action, keyed by what is asked (and the occasion)."""

    def __init__(self, services, origin: str, occasion: str, timeout: float | None) -> None:
        self.services, self.origin, self.occasion, self.timeout = services, origin, occasion, timeout

    async def __call__(self, tool: str, risk: str, summary: str, shown: list, target: dict) -> Decision:
        preview = {"fields": shown, "target": target}
        key = hashlib.sha256(json.dumps([tool, preview, self.origin, self.occasion], sort_keys=True, default=str).encode()).hexdigest()[:32]
        request = ActionRequest(tool=tool, risk=risk, summary=summary, preview=preview, origin=self.origin, idempotency_key=key)
        approver = self.services.approver
        if self.timeout is None or not isinstance(approver, ApprovalQueue):
            return await approver.decide(request)
        decision = await approver.decide(request, timeout=self.timeout)
        if not decision.pending:
            return decision
        try:  # nobody answered in time: withdraw it, so an "approve" later does nothing
            approver.deny(decision.request_id, by="system:timeout", reason=f"no answer within {self.timeout:g} s; the run went on without it")
        except ValueError:  # decided in the same instant: that decision stands
            return await approver.decide(request)
        return Decision(False, f"no answer within {self.timeout:g} s", "system:timeout", request_id=decision.request_id)
