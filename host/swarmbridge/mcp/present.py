"""How ``mcp.browser`` outcomes reach an MCP client: tool results whose page content is marked as
data (the same note and truncation as the swarm's browser tools), screenshots as images, and
approvals that are pending or refused as tool errors that say what to do next.
"""

from __future__ import annotations

import json
from typing import Any

import mcp.types as types

from ..tools.browser import DATA_NOTE, _page


def text_result(value: Any, *, error: bool = False) -> types.CallToolResult:
    """One text block: JSON for data, the string itself for messages."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, indent=1)
    structured = value if isinstance(value, dict) and not error else None
    return types.CallToolResult(content=[types.TextContent(text=text)], structured_content=structured, is_error=error)


def error_result(message: str) -> types.CallToolResult:
    return text_result(message, error=True)


def page_data(tool: str, args: dict[str, Any], result: Any) -> dict[str, Any]:
    """A command's result shaped for an agent, with page text under ``page`` and the data note."""
    if not isinstance(result, dict):
        return {"result": result, "note": DATA_NOTE}
    if tool == "browser_snapshot":
        return _page(result)
    if tool == "browser_extract" and args.get("mode", "article") == "article":
        return {**_page(result, "markdown"), **{k: result[k] for k in ("byline", "date", "lang") if result.get(k)}}
    if tool == "browser_fetch":
        key = next((k for k in ("markdown", "text", "html") if k in result), "text")
        return {**_page(result, key), "status": result.get("status")}
    return {**result, "note": DATA_NOTE}


def outcome_result(tool: str, args: dict[str, Any], outcome: dict[str, Any]) -> types.CallToolResult:
    """The tool result for one ``mcp.browser`` answer (done, pending or denied)."""
    status = outcome.get("status")
    if status == "pending":
        aid = outcome.get("approvalId", "")
        return error_result(
            f"approval pending: {outcome.get('summary', '')}. The user must approve request {aid} (browser popup, or "
            f"`swarmbridge approvals approve {aid}`); then call {tool} again with the same arguments and it runs once. "
            "Nothing was done.")
    if status == "denied":
        return error_result(
            f"not approved: {outcome.get('summary', '')} was refused ({outcome.get('by', '')}: {outcome.get('reason', '')}). "
            "Nothing was done; do not retry it, plan around it.")
    result = outcome.get("result")
    if tool == "browser_screenshot" and isinstance(result, dict) and str(result.get("dataUrl", "")).startswith("data:"):
        head, _, b64 = result["dataUrl"].partition(",")
        mime = head[5:].split(";")[0] or "image/png"
        return types.CallToolResult(content=[types.ImageContent(data=b64, mime_type=mime),
                                             types.TextContent(text=json.dumps({"tabId": result.get("tabId"), "note": DATA_NOTE}))])
    return text_result(page_data(tool, args, result))
