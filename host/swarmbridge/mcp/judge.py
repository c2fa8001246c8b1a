"""What an external agent's browser command would do, in the terms the approval rules read.

The swarm's browser tools judge a click by the element it hits (``policy.rules.classify``); an
MCP client gets the same judgement, with the target looked up daemon-side (never taken from the
client's word): a snapshot gives the element's role, name and page URL, and for a CSS selector or
an element with an id the extension's ``describeControl`` (the one autofill uses for a
multi-step form's next button) adds its type and whether it submits a form. What cannot be known
is assumed to matter: Enter on an element whose form membership is unknown counts as in a form. A
link that leads outside the sites the agent is confined to is judged like navigating there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..daemon.services import BrowserLink
from ..policy.approver import Risk
from ..policy.rules import classify
from ..protocol.envelope import ErrorCode
from ..rpc.router import RpcError
from .commands import Command


@dataclass(frozen=True)
class Verdict:
    """A command's risk, the one line a person judges, and the preview shown with it."""

    risk: Risk
    summary: str
    preview: dict[str, Any] = field(default_factory=dict)
    url: str = ""


def _css_id(value: str) -> str:
    """An attribute selector for an id (ids may hold characters ``#id`` cannot)."""
    return '[id="' + value.replace("\\", "\\\\").replace('"', '\\"') + '"]'


def _field_values(elements: list[dict[str, Any]], limit: int = 50) -> list[dict[str, str]]:
    """``[{field, value}]`` for the snapshot's fields that hold something (``value="..."``, checked)."""
    out = []
    for e in elements:
        for st in e.get("state", []):
            st = str(st)
            value = st[7:-1] if st.startswith('value="') and st.endswith('"') else ("checked" if st == "checked" else None)
            if value is not None:
                out.append({"field": str(e.get("name") or e.get("nameAttr") or e.get("ref", "")), "value": value})
    return out[:limit]


class Judge:
    """Looks at the page a command targets and returns its ``Verdict``."""

    def __init__(self, link: BrowserLink) -> None:
        self.link = link

    async def verdict(self, cmd: Command, wire: dict[str, Any], *, bridge: str | None, caller: str, confine: list[str]) -> Verdict:
        m = cmd.method
        if m in ("browser.tabs.open", "browser.navigate", "browser.fetch"):  # fetch reads with the cookies: confined too
            url = wire["url"]
            risk = classify("browser.navigate", {"url": url, "confineTo": confine})
            where = f" (outside {', '.join(confine)})" if risk != "read" else ""
            verb = "Fetch" if m == "browser.fetch" else "Open"
            return Verdict(risk, f"{verb} {url}{where}", {"url": url, "confineTo": confine}, url)
        if m == "browser.tabs.close":
            return await self._close(wire, bridge=bridge, caller=caller)
        if m == "browser.upload":
            url = await self._tab_url(wire, bridge)
            preview = {"files": wire["files"], "selector": wire["selector"], "url": url}
            return Verdict(classify(m, preview), f"Upload {len(wire['files'])} file(s) into {wire['selector']} on {url}", preview, url)
        if not cmd.targets_element:
            return Verdict(classify(m, {}), m)
        el, fields = await self.element(wire, bridge=bridge)
        verdict = self._element_verdict(m, wire, el, confine)
        if verdict.risk != "read" and fields and m in ("browser.click", "browser.press"):
            verdict.preview["fields"] = fields  # what a submit would send, as the popup shows it
        return verdict

    def _element_verdict(self, m: str, wire: dict[str, Any], el: dict[str, Any], confine: list[str]) -> Verdict:
        url = str(el.get("url", ""))
        targeted = wire.get("ref") or wire.get("selector")
        label = f"{el.get('role') or el.get('tag') or 'element'} \"{el.get('name', '')}\"" if targeted else "the focused element"
        if m == "browser.click":
            preview = {"element": el, "url": url}
            risk = classify(m, preview)
            href = str(el.get("href", ""))
            if risk == "read" and href.startswith("http") and classify("browser.navigate", {"url": href, "confineTo": confine}) != "read":
                return Verdict("mutate", f"Click {label} on {url}: it leads to {href} (outside {', '.join(confine)})", preview, url)
            return Verdict(risk, f"Click {label} on {url}", preview, url)
        if m == "browser.press":
            if "inForm" not in el:
                el = {**el, "inForm": True, "formUnknown": True}  # cannot tell: Enter may submit
            preview = {"element": el, "keys": wire["keys"], "url": url}
            return Verdict(classify(m, preview), f"Press {wire['keys']} on {label} at {url}", preview, url)
        # fill, type, select, check: a field's value; password, card and one-time-code fields ask
        kind = " ".join(str(x) for x in (*el.get("state", []), el.get("nameAttr", ""), el.get("name", ""), el.get("id", "")) if x)
        preview = {"fieldType": kind, "inputType": el.get("type", ""), "field": el.get("name", ""), "url": url}
        verb = {"browser.select": "Choose an option of", "browser.check": "Check"}.get(m, "Fill")
        return Verdict(classify("browser.fill", preview), f"{verb} {label} on {url}", preview, url)

    async def element(self, wire: dict[str, Any], *, bridge: str | None) -> tuple[dict[str, Any], list[dict[str, str]]]:
        """The element a command targets: the snapshot's entry (ref) merged with the control's
        description (selector, or an element with an id), plus the page URL; and the values in
        the page's fields (passwords come masked from the snapshot)."""
        tab = {k: wire[k] for k in ("tabId", "caller") if k in wire}
        snap = await self.link.call("browser.snapshot", {**tab, "maxChars": 200}, bridge=bridge, timeout=30)
        el: dict[str, Any] = {}
        ref = wire.get("ref")
        if ref:
            el = next((dict(e) for e in snap.get("elements", []) if e.get("ref") == ref), {})
            if not el:
                raise RpcError(ErrorCode.NOT_FOUND, f"no element {ref} on the page now; take a new browser_snapshot", {"ref": ref})
        frame = int(ref.split(":")[0][1:]) if ref and ":" in ref else wire.get("frame")
        selector = wire.get("selector") or (_css_id(el["id"]) if el.get("id") else None)
        if selector:
            control = await self._describe(tab, selector, frame, bridge)
            if control is None and not el:
                raise RpcError(ErrorCode.NOT_FOUND, f"no element matches {selector}", {"selector": selector})
            el.update(control or {})
        el["url"] = snap.get("url", "")
        return el, _field_values(snap.get("elements", []))

    async def _describe(self, tab: dict[str, Any], selector: str, frame: int | None, bridge: str | None) -> dict[str, Any] | None:
        params: dict[str, Any] = {**tab, "profile": {}, "preview": True, "next": selector}
        if frame is not None:
            params["frame"] = frame
        got = await self.link.call("browser.autofill.fill", params, bridge=bridge, timeout=30)
        return got.get("next") if isinstance(got, dict) else None

    async def _tab_url(self, wire: dict[str, Any], bridge: str | None) -> str:
        tabs = (await self.link.call("browser.tabs.list", {}, bridge=bridge, timeout=30)).get("tabs", [])
        want = wire.get("tabId")
        hit = next((t for t in tabs if (t.get("tabId") == want if want is not None else t.get("caller") == wire.get("caller"))), None)
        return str(hit.get("url", "")) if hit else ""

    async def _close(self, wire: dict[str, Any], *, bridge: str | None, caller: str) -> Verdict:
        if "tabId" not in wire:
            return Verdict("read", f"Close the tabs {caller} opened", {"caller": caller})
        tabs = (await self.link.call("browser.tabs.list", {}, bridge=bridge, timeout=30)).get("tabs", [])
        tab = next((t for t in tabs if t.get("tabId") == wire["tabId"]), None)
        if tab is None:
            raise RpcError(ErrorCode.NOT_FOUND, f"no tab {wire['tabId']}")
        preview = {"tab": {k: tab.get(k) for k in ("tabId", "url", "title", "caller")}, "url": tab.get("url", "")}
        if tab.get("caller") == caller:
            return Verdict("read", f"Close tab {wire['tabId']} ({caller}'s own)", preview, tab.get("url", ""))
        return Verdict(classify("browser.tabs.close", preview), f"Close tab \"{tab.get('title', '')}\" {tab.get('url', '')}", preview, tab.get("url", ""))
