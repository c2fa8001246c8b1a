"""What the options page may set, validated at the boundary: the daemon's ``[settings]`` table and
the shapes of the ``models.endpoints.*`` requests.

The wire uses camelCase (``tabConcurrency``), the TOML file snake_case (``tab_concurrency``); both
are accepted on input. Errors become ``FieldErrors``: one message per wire field name, so the page
can show each one next to its input.
"""

from __future__ import annotations

import re
from typing import Any

import pydantic
from pydantic import BaseModel, ConfigDict, Field, field_validator

from .. import config as cfgmod

#: Search engines the extension knows the result layout of (``sw/handlers/page.js`` ENGINES);
#: any other value must be an http(s) URL template with ``{q}``.
ENGINES = ("duckduckgo", "google", "bing")
#: The service worker's swarm-tab cap: at least one tab, and few enough that a browser copes.
MAX_TABS = 32
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")


class FieldErrors(ValueError):
    """Bad input, as ``{wire field name: message}`` (nothing was changed)."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in fields.items()))
        self.fields = fields


def field_errors(exc: pydantic.ValidationError, model: type[BaseModel]) -> FieldErrors:
    """Name each error by the field's wire alias (what the page calls it)."""
    aliases = {name: (f.alias or name) for name, f in model.model_fields.items()}
    out: dict[str, str] = {}
    for err in exc.errors():
        loc = [str(x) for x in err["loc"]] or ["params"]
        key = aliases.get(loc[0], loc[0])
        msg = str(err["msg"]).removeprefix("Value error, ")
        out.setdefault(key, "not a setting this daemon knows" if err["type"] == "extra_forbidden" else msg)
    return FieldErrors(out)


class Settings(BaseModel):
    """Daemon-wide settings the browser follows: its swarm-tab cap, and the search engine the
    swarm's web_search gets (the extension's default for ``browser.search``)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    tab_concurrency: int = Field(8, alias="tabConcurrency")
    search_engine: str = Field("duckduckgo", alias="searchEngine", max_length=500)

    @field_validator("tab_concurrency", mode="before")
    @classmethod
    def _whole(cls, v: Any) -> Any:
        if isinstance(v, bool) or (isinstance(v, float) and not v.is_integer()):
            raise ValueError(f"a whole number of tabs from 1 to {MAX_TABS}")
        if isinstance(v, str) and not v.strip().isdigit():
            raise ValueError(f"a whole number of tabs from 1 to {MAX_TABS}, not {v!r}")
        return v

    @field_validator("tab_concurrency")
    @classmethod
    def _range(cls, v: int) -> int:
        if not 1 <= v <= MAX_TABS:
            raise ValueError(f"a whole number of tabs from 1 to {MAX_TABS}, not {v}")
        return v

    @field_validator("search_engine")
    @classmethod
    def _engine(cls, v: str) -> str:
        v = v.strip()
        if v in ENGINES:
            return v
        if re.match(r"^https?://[^\s/]+\S*$", v) and "{q}" in v:
            return v
        raise ValueError(f"one of {', '.join(ENGINES)}, or a URL template such as https://search.example/?q={{q}}")

    def wire(self) -> dict[str, Any]:
        return self.model_dump(by_alias=True)

    def toml(self) -> dict[str, Any]:
        """Only the values that differ from the defaults (a short file)."""
        return self.model_dump(exclude_defaults=True)


class EndpointIn(BaseModel):
    """``models.endpoints.set``: name, URL, model; a key goes to the keyring, never the file."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    name: str
    base_url: str = Field(alias="baseUrl")
    model: str = Field(min_length=1, max_length=200)
    api_key: str | None = Field(None, alias="apiKey", max_length=4096)
    clear_key: bool = Field(False, alias="clearKey")
    tool_mode: str | None = Field(None, alias="toolMode")
    # USD per million tokens; given as null (an emptied field) it is cleared, left out it is kept
    input_price: float | None = Field(None, alias="inputPrice", ge=0, le=10_000)
    output_price: float | None = Field(None, alias="outputPrice", ge=0, le=10_000)

    def price_fields(self) -> dict[str, float | None]:
        """The prices the request names (set or cleared), as ``config.Endpoint`` keys."""
        return {k: getattr(self, k) for k in ("input_price", "output_price") if k in self.model_fields_set}

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if not _NAME.match(v):
            raise ValueError("a name is 1-40 letters, digits, '-' or '_', starting with a letter or digit")
        return v

    @field_validator("base_url")
    @classmethod
    def _url(cls, v: str) -> str:
        urls = cls.urls_of(v)
        if not urls:
            raise ValueError("give the server's base URL, e.g. http://127.0.0.1:11434/v1")
        try:
            cfgmod.Endpoint(base_urls=urls, model="m")  # the config's own URL rule
        except pydantic.ValidationError as exc:
            raise ValueError(str(exc.errors()[0]["msg"]).removeprefix("Value error, ")) from None
        return ", ".join(urls)

    @staticmethod
    def urls_of(text: str) -> list[str]:
        """One URL, or several (a pool of servers serving the same model) split by commas or spaces."""
        return [u for u in re.split(r"[,\s]+", text.strip()) if u]

    def url_fields(self) -> dict[str, Any]:
        """``base_url`` for one server, ``base_urls`` for a pool (as ``config.Endpoint`` has them)."""
        urls = self.urls_of(self.base_url)
        return {"base_url": urls[0], "base_urls": []} if len(urls) == 1 else {"base_url": None, "base_urls": urls}

    @field_validator("tool_mode")
    @classmethod
    def _mode(cls, v: str | None) -> str | None:
        if v is not None and v not in ("auto", "native", "json"):
            raise ValueError("auto, native or json")
        return v


class ProbeIn(BaseModel):
    """``models.endpoints.test``: a saved endpoint by name, optionally with the form's unsaved
    URL, model and key (without a typed key, the saved one: keys are never sent back)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    name: str | None = None
    base_url: str | None = Field(None, alias="baseUrl")
    model: str | None = Field(None, max_length=200)
    api_key: str | None = Field(None, alias="apiKey", max_length=4096)  # typed, not saved: used once, never stored

    @field_validator("base_url")
    @classmethod
    def _url(cls, v: str | None) -> str | None:
        return None if v is None else EndpointIn.urls_of(EndpointIn._url(v))[0]  # a pool: its first server


class RolesIn(BaseModel):
    """``models.roles.set``: role -> endpoint name (``None``/"" = the default: the first endpoint)."""

    model_config = ConfigDict(extra="forbid")

    roles: dict[str, str | None]

    @field_validator("roles")
    @classmethod
    def _known(cls, v: dict[str, str | None]) -> dict[str, str | None]:
        for role in v:
            if role not in cfgmod.ROLES:
                raise ValueError(f"{role!r} is not a role; roles are {', '.join(cfgmod.ROLES)}")
        return v
