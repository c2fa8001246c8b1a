"""The browser-scrape recipe: no model, just typed browser commands in a swarm tab.

open URL -> wait for a selector -> scroll until the list stops growing -> extract rows with the
schema (the extension paginates when asked) -> close the tab. Rows are diffed against the last run
by ``key`` (or by the whole row) so a notification can say what changed.
"""

from __future__ import annotations

import json
from typing import Any

from .jobs import ScrapeTrigger


async def run_scrape(browser: Any, trigger: ScrapeTrigger, *, caller: str, bridge: str | None = None) -> list[Any]:
    """Run the recipe over ``browser`` (a ``BrowserLink``) and return the extracted rows."""
    opened = await browser.call("browser.tabs.open", {"url": trigger.url, "caller": caller, "active": False, "wait": "load"}, bridge=bridge)
    tab = opened["tabId"]
    try:
        if trigger.wait_selector:
            await browser.call("browser.wait_for", {"tabId": tab, "selector": trigger.wait_selector, "timeoutMs": 15000}, bridge=bridge)
        if trigger.scroll:
            params: dict[str, Any] = {"tabId": tab, "to": "until_stable", "timeoutMs": 20000}
            if trigger.item_selector:
                params["itemSelector"] = trigger.item_selector
            await browser.call("browser.scroll", params, bridge=bridge)
        ext: dict[str, Any] = {"tabId": tab, "mode": "structured", "schema": trigger.schema_}
        if trigger.paginate:
            ext["paginate"] = trigger.paginate
            if isinstance(trigger.paginate.get("maxPages"), int):
                ext["maxPages"] = trigger.paginate["maxPages"]  # the extension reads the page cap here
        result = await browser.call("browser.extract", ext, bridge=bridge, timeout=120)
        rows = result.get("rows", []) if isinstance(result, dict) else []
        return rows if isinstance(rows, list) else []
    finally:
        await browser.call("browser.tabs.close", {"tabId": tab}, bridge=bridge)


def diff_rows(old: list[Any] | None, new: list[Any], key: str | None) -> dict[str, Any]:
    """``{added, removed, changed, unchanged}`` counts plus the added/removed rows (capped)."""

    def ident(row: Any) -> str:
        if key and isinstance(row, dict) and key in row:
            return json.dumps(row[key], sort_keys=True)
        return json.dumps(row, sort_keys=True)

    before = {ident(r): r for r in (old or [])}
    after = {ident(r): r for r in new}
    added = [after[k] for k in after if k not in before]
    removed = [before[k] for k in before if k not in after]
    changed = [after[k] for k in after if k in before and json.dumps(before[k], sort_keys=True) != json.dumps(after[k], sort_keys=True)]
    return {
        "first": old is None,
        "added": len(added), "removed": len(removed), "changed": len(changed),
        "unchanged": len(after) - len(added) - len(changed),
        "addedRows": added[:20], "removedRows": removed[:20], "changedRows": changed[:20],
    }
