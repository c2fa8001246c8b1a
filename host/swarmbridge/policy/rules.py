"""Classifying tool calls (read / mutate / sensitive) and the per-goal, per-schedule policies that
decide some of them without asking. Everything not decided here goes to the approval queue."""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Any, Literal
from urllib.parse import urlsplit

import pydantic

from .approver import ActionRequest, Decision, Risk

READ_TOOLS = frozenset({
    "browser.ping", "browser.tabs.list", "browser.snapshot", "browser.extract", "browser.fetch", "browser.search",
    "browser.screenshot", "browser.wait_for", "browser.scroll", "browser.autofill.classify", "browser.tabs.activate",
    "files.list", "files.read", "files.search", "web.search",
})
MUTATE_TOOLS = frozenset({
    "browser.submit", "files.write", "files.edit", "files.move", "files.delete", "shell.run", "python.run_write",
    "browser.tabs.close",
})
SENSITIVE_TOOLS = frozenset({"browser.upload", "browser.download", "files.write_secret"})
#: Words on a control that mean clicking it changes something in the world.
CONSEQUENTIAL = re.compile(
    r"\b(buy|purchase|pay|order|checkout|check out|place order|book|reserve|donate|subscribe|unsubscribe|delete|remove|"
    r"discard|cancel (my|the|subscription|order|account)|send|submit|post|publish|share|tweet|reply|confirm|transfer|"
    r"withdraw|approve|accept|sign|invite|merge|deploy|apply|kaufen|bestellen|zahlen|l[öo]schen|senden|acheter|payer|"
    r"envoyer|supprimer|comprar|pagar|enviar|eliminar)\b",
    re.I,
)
SENSITIVE_FIELDS = re.compile(r"^(cc-|new-password|current-password|one-time-code)|password|card", re.I)


def classify(tool: str, preview: dict[str, Any] | None = None) -> Risk:
    """The risk of one tool call. ``preview`` carries what the caller knows of the target: for a
    click the element ({role, name, type, form}), for a fill the field type, for navigation the URL
    and the run's confinement."""
    p = preview or {}
    if tool in SENSITIVE_TOOLS:
        return "sensitive"
    if tool in MUTATE_TOOLS:
        return "mutate"
    if tool in ("browser.fill", "browser.type", "browser.select", "browser.check", "browser.autofill.fill"):
        kinds = " ".join(str(x) for x in (p.get("fieldType"), p.get("autocomplete"), p.get("inputType")) if x)
        return "sensitive" if SENSITIVE_FIELDS.search(kinds) else "read"
    if tool in ("browser.click", "browser.press"):
        el = p.get("element") or {}
        if tool == "browser.press" and str(p.get("keys", "")).endswith("Enter") and el.get("inForm"):
            return "mutate"
        text = " ".join(str(el.get(k, "")) for k in ("name", "text", "value", "ariaLabel"))
        if str(el.get("type", "")).lower() == "submit" or el.get("submitsForm") or CONSEQUENTIAL.search(text):
            return "mutate"
        return "read"
    if tool in ("browser.navigate", "browser.tabs.open"):
        confine = p.get("confineTo")
        if confine and not _site_in(p.get("url", ""), confine):
            return "mutate"
        return "read"
    if tool in READ_TOOLS:
        return "read"
    return "mutate"  # unknown tools are treated as changing something


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _site_in(url: str, sites: list[str]) -> bool:
    host = _host(url)
    return bool(host) and any(host == s.lower() or host.endswith("." + s.lower().lstrip(".")) for s in sites)


class Policy(pydantic.BaseModel):
    """How much a goal, a schedule or the whole user may do without being asked."""

    model_config = pydantic.ConfigDict(extra="forbid", populate_by_name=True)
    mode: Literal["ask", "allow", "read_only"] = "ask"
    allow_sites: list[str] = pydantic.Field(default_factory=list, alias="allowSites")
    allow_folders: list[str] = pydantic.Field(default_factory=list, alias="allowFolders")
    deny_sites: list[str] = pydantic.Field(default_factory=list, alias="denySites")  # refused outright, reads included

    @pydantic.field_validator("allow_sites", "deny_sites")
    @classmethod
    def _hosts(cls, v: list[str]) -> list[str]:
        for s in v:
            if not re.fullmatch(r"\.?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*", s):
                raise ValueError(f"{s!r} is not a site: give a host name such as shop.example (no scheme or path)")
        return v

    def auto(self, req: ActionRequest) -> Decision | None:
        """A decision that needs no person, or None (ask)."""
        url = str(req.preview.get("url", ""))
        if url and self.deny_sites and _site_in(url, self.deny_sites):
            return Decision(False, f"{_host(url)} is a denied site", "policy:deny-site")
        if req.risk == "read":
            return Decision(True, "reading is free", "policy:read")
        if self.mode == "read_only":
            return Decision(False, "this policy is read-only", "policy:read-only")
        if req.risk == "sensitive":
            return None  # payment, passwords and downloads are always asked
        if self.mode == "allow":
            return Decision(True, "the policy allows changes", "policy:allow")
        if url and self.allow_sites and _site_in(url, self.allow_sites):
            return Decision(True, f"{_host(url)} is an allowed site", "policy:allow-site")
        path = req.preview.get("path")
        if path and self.allow_folders and req.tool.startswith("files."):
            p = PurePath(str(path))
            if any(p.is_relative_to(PurePath(f)) for f in self.allow_folders):
                return Decision(True, "inside an allowed folder", "policy:allow-folder")
        return None
