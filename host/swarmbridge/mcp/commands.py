"""The browser commands an external agent (an MCP client) may ask for, each with a precise,
pydantic-validated argument model: one table serves both the MCP tool schemas (``server.py``)
and the daemon-side validation of ``mcp.browser`` (``gatekeeper.py``), so the two cannot drift.

Arguments are snake_case for agents and become the camelCase wire params of PROTOCOL.md through
``to_wire``. Tab-less calls act in the agent's own swarm tab (the ``caller`` the gatekeeper adds).
This module imports no MCP SDK: the daemon loads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import AliasGenerator, BaseModel, ConfigDict, Field, model_validator
from pydantic.alias_generators import to_camel

TabId = Field(None, ge=0, description="tab id from browser_tabs_list; omit for the tab this agent opened last")
Url = Field(pattern=r"^https?://", max_length=4000, description="an http(s) URL")
WaitMs = Field(None, ge=0, le=120_000, description="how long to wait, in milliseconds")


class Args(BaseModel):
    """Base of every argument model: unknown fields are errors, wire names are camelCase."""

    model_config = ConfigDict(extra="forbid", alias_generator=AliasGenerator(serialization_alias=to_camel))

    def to_wire(self) -> dict[str, Any]:
        """The ``browser.*`` params of PROTOCOL.md (camelCase, unset options left out)."""
        return self.model_dump(by_alias=True, exclude_none=True)


class NoArgs(Args):
    pass


class TabArgs(Args):
    tab_id: int | None = TabId


class TargetArgs(TabArgs):
    """One element: a ``ref`` from browser_snapshot, or a CSS ``selector``; never both."""

    ref: str | None = Field(None, pattern=r"^(f\d+:)?e\d+$", description="element ref from browser_snapshot, e.g. e12 or f3:e4")
    selector: str | None = Field(None, min_length=1, max_length=1000, description="CSS selector (instead of ref)")
    frame: int | None = Field(None, ge=0, description="frame id from a snapshot, for a selector inside a frame")

    @model_validator(mode="after")
    def _one_target(self) -> TargetArgs:
        if (self.ref is None) == (self.selector is None):
            raise ValueError("give exactly one of ref (from browser_snapshot) or selector")
        return self


class OpenArgs(Args):
    url: str = Url
    active: bool | None = Field(None, description="bring the tab to the front (default: opened in the background)")


class CloseArgs(Args):
    tab_id: int | None = Field(None, ge=0, description="the tab to close; omit to close every tab this agent opened")


class NavigateArgs(TabArgs):
    url: str = Url
    wait: Literal["load", "idle", "none"] | None = None
    timeout_ms: int | None = WaitMs


class SnapshotArgs(TabArgs):
    delta: bool | None = Field(None, description="only the lines added since this agent's last snapshot of the page")
    max_elements: int | None = Field(None, ge=1, le=5000)
    viewport_only: bool | None = Field(None, description="only what is near the visible part of the page")


class FillArgs(TargetArgs):
    value: str = Field(max_length=10_000)


class TypeArgs(TargetArgs):
    text: str = Field(max_length=10_000, description="typed key by key (for fields that react to keystrokes)")


class SelectArgs(TargetArgs):
    value: str | None = Field(None, max_length=1000, description="the option's value")
    label: str | None = Field(None, max_length=1000, description="the option's visible text")
    values: list[str] | None = Field(None, max_length=200, description="several options of a multi-select")

    @model_validator(mode="after")
    def _one_choice(self) -> SelectArgs:
        if sum(x is not None for x in (self.value, self.label, self.values)) != 1:
            raise ValueError("give exactly one of value, label or values")
        return self


class CheckArgs(TargetArgs):
    checked: bool = True


class PressArgs(TabArgs):
    keys: str = Field(pattern=r"^[A-Za-z0-9+_ ]{1,60}$", description='a key or chord: "Enter", "Tab", "Control+a"')
    ref: str | None = Field(None, pattern=r"^(f\d+:)?e\d+$", description="element to focus first (ref from browser_snapshot)")


class ScrollArgs(TabArgs):
    to: Literal["page", "element", "bottom", "until_stable"] = "page"
    ref: str | None = Field(None, pattern=r"^(f\d+:)?e\d+$", description="for to=element")
    direction: Literal["up", "down"] | None = None
    item_selector: str | None = Field(None, max_length=1000, description="for until_stable: CSS of the list's items")
    max_items: int | None = Field(None, ge=1, le=100_000)
    timeout_ms: int | None = WaitMs


class WaitForArgs(TabArgs):
    selector: str | None = Field(None, min_length=1, max_length=1000)
    text: str | None = Field(None, min_length=1, max_length=1000)
    timeout_ms: int | None = WaitMs

    @model_validator(mode="after")
    def _something(self) -> WaitForArgs:
        if self.selector is None and self.text is None:
            raise ValueError("give a selector or a text to wait for")
        return self


class Schema(Args):
    """Structured extraction: the repeated item and its fields (see PROTOCOL.md)."""

    model_config = ConfigDict(extra="forbid")  # wire names as written: item, fields, next, scroll, maxItems
    item: str = Field(min_length=1, max_length=1000, description="CSS of each repeated item")
    fields: dict[str, str | dict[str, str]] = Field(min_length=1, max_length=100, description='{"name": "<css>"} or {"link": {"selector": "a", "attr": "href"}}')
    next: str | None = Field(None, max_length=1000, description="CSS of the next-page link")
    scroll: bool | None = None
    maxItems: int | None = Field(None, ge=1, le=100_000)  # noqa: N815 - the wire name


class ExtractArgs(TabArgs):
    mode: Literal["article", "structured", "table"] = "article"
    schema_: Schema | None = Field(None, alias="schema", serialization_alias="schema", description="for mode=structured")
    paginate: bool | None = Field(None, description="for mode=structured: follow the schema's next link")

    @model_validator(mode="after")
    def _schema_for_structured(self) -> ExtractArgs:
        if (self.mode == "structured") != (self.schema_ is not None):
            raise ValueError("mode=structured needs a schema, and only it takes one")
        return self


class SearchArgs(Args):
    query: str = Field(min_length=1, max_length=500)
    engine: Literal["duckduckgo", "google", "bing"] | None = None


class FetchArgs(Args):
    url: str = Url
    extract: Literal["article", "text", "html"] = "article"


class ScreenshotArgs(TabArgs):
    format: Literal["png", "jpeg"] = "png"


class UploadArgs(TabArgs):
    selector: str = Field(min_length=1, max_length=1000, description="CSS of the file input")
    files: list[str] = Field(min_length=1, max_length=20, description="absolute paths of local files")


@dataclass(frozen=True)
class Command:
    """One browser command an agent may call: its wire method, argument model and description."""

    method: str
    args: type[Args]
    description: str
    targets_element: bool = False  # judged by the element it acts on (click, fill, press...)
    read_only: bool = False  # never asks (the MCP tool is annotated readOnlyHint)

    @property
    def tool(self) -> str:
        """The MCP tool name: ``browser.tabs.open`` -> ``browser_tabs_open``."""
        return self.method.replace(".", "_")


def _c(method: str, args: type[Args], description: str, **kw: bool) -> Command:
    return Command(method, args, description, **kw)


COMMANDS: dict[str, Command] = {c.tool: c for c in (
    _c("browser.tabs.list", NoArgs, "List the browser's tabs (id, url, title, whether it is a swarm tab and whose).", read_only=True),
    _c("browser.tabs.open", OpenArgs, "Open a URL in a new background tab of the swarm window and wait for it to load."),
    _c("browser.tabs.close", CloseArgs, "Close a tab (tabs of other owners ask the user first), or all tabs this agent opened."),
    _c("browser.navigate", NavigateArgs, "Load a URL in a tab and wait for it."),
    _c("browser.snapshot", SnapshotArgs, "The page's visible text with interactive elements as [ref role \"name\"] tokens.", read_only=True),
    _c("browser.click", TargetArgs, "Click an element. Submits, purchases, deletes and sends wait for the user's approval.", targets_element=True),
    _c("browser.fill", FillArgs, "Set a field's value (password and card fields wait for approval).", targets_element=True),
    _c("browser.type", TypeArgs, "Type text into a field key by key (password and card fields wait for approval).", targets_element=True),
    _c("browser.select", SelectArgs, "Choose an option of a select by value, label, or several values.", targets_element=True),
    _c("browser.check", CheckArgs, "Check or uncheck a checkbox or radio button.", targets_element=True),
    _c("browser.press", PressArgs, "Press a key or chord, optionally on an element. Enter in a form waits for approval.", targets_element=True),
    _c("browser.scroll", ScrollArgs, "Scroll a page, to an element, or until an infinite list stops growing.", read_only=True),
    _c("browser.wait_for", WaitForArgs, "Wait until a selector or a text appears.", read_only=True),
    _c("browser.extract", ExtractArgs, "Extract the page's article (title, byline, Markdown), its tables, or rows by a schema.", read_only=True),
    _c("browser.search", SearchArgs, "Search the web with the user's search engine; titles, URLs and snippets.", read_only=True),
    _c("browser.fetch", FetchArgs, "GET a URL with the browser's cookies and parse it off-screen (no tab); outside the allowed sites it asks."),
    _c("browser.screenshot", ScreenshotArgs, "A PNG (or JPEG) of a tab.", read_only=True),
    _c("browser.upload", UploadArgs, "Put local files into a file input (always waits for the user's approval)."),
)}
