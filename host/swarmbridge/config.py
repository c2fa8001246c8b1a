"""The user's config file: model endpoints and which endpoint each swarm role uses.

TOML at ``paths.config_file``, validated with pydantic; a bad file gives a ``ConfigError`` that
names the file, the key and its line, and says how to fix it. Environment overrides use
``SWARMBRIDGE_<SECTION>__<NAME>__<FIELD>`` (e.g. ``SWARMBRIDGE_ENDPOINTS__LOCAL__MODEL=qwen2.5``,
``SWARMBRIDGE_ROLES__WORKER=local``). API keys are never stored in the file: an endpoint names an
environment variable (``api_key_env``) or an OS-keyring entry (``api_key_keyring``). Changes are
written atomically (temp file + rename) and the previous file is kept as ``config.toml.bak``.

    [endpoints.local]
    base_url = "http://127.0.0.1:11434/v1"      # or base_urls = [...] for a pool
    model = "qwen2.5:7b"
    max_concurrency = 4                          # else probed from the server
    rpm = 0                                      # 0 = unlimited; tpm likewise
    tool_mode = "auto"                           # auto | native | json
    [roles]
    worker = "local"                             # or { endpoint = "local", model = "other" }
    [settings]                                   # validated by swarmbridge.settings (options page)
    tab_concurrency = 8                          # SWARMBRIDGE_SETTINGS__TAB_CONCURRENCY overrides
"""

from __future__ import annotations

import os
import re
import shutil
import tomllib
from pathlib import Path
from typing import Literal

import pydantic
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

ROLES = ("planner", "worker", "verifier", "writer")
ENV_PREFIX = "SWARMBRIDGE_"


class ConfigError(Exception):
    """A config problem a person can fix; the message names file, key, line and the fix."""


class Endpoint(BaseModel):
    model_config = ConfigDict(extra="forbid")

    base_url: str | None = None
    base_urls: list[str] = Field(default_factory=list)
    model: str
    api_key_env: str | None = None
    api_key_keyring: str | None = None
    max_concurrency: int | None = Field(default=None, ge=1, le=1024)
    rpm: int = Field(default=0, ge=0)
    tpm: int = Field(default=0, ge=0)
    tool_mode: Literal["auto", "native", "json"] = "auto"
    timeout: float = Field(default=120.0, gt=0)
    stream: bool = False  # stream replies (SSE); some servers only stream reliably
    # What the endpoint charges, in US dollars per million tokens (prompt, completion). Unset: the
    # runs on it show tokens only (a local server costs nothing; we never guess a cloud price).
    input_price: float | None = Field(default=None, ge=0, le=10_000)
    output_price: float | None = Field(default=None, ge=0, le=10_000)

    @field_validator("base_url", "base_urls")
    @classmethod
    def _urls(cls, v: str | list[str] | None) -> str | list[str] | None:
        for u in [v] if isinstance(v, str) else (v or []):
            if not re.match(r"^https?://[^\s/]+", u):
                raise ValueError(f"{u!r} is not an http(s) URL such as http://127.0.0.1:11434/v1")
        return v

    @model_validator(mode="after")
    def _one_url(self) -> "Endpoint":
        if not self.base_url and not self.base_urls:
            raise ValueError("set base_url (or base_urls for a pool of servers)")
        return self

    def urls(self) -> list[str]:
        return list(self.base_urls) or [self.base_url or ""]

    def prices(self) -> tuple[float, float] | None:
        """(input, output) USD per million tokens, or None when the user set neither."""
        if self.input_price is None and self.output_price is None:
            return None
        return (self.input_price or 0.0, self.output_price or 0.0)


class RoleRef(BaseModel):
    model_config = ConfigDict(extra="forbid")

    endpoint: str
    model: str | None = None


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    endpoints: dict[str, Endpoint] = Field(default_factory=dict)
    roles: dict[Literal["planner", "worker", "verifier", "writer"], RoleRef] = Field(default_factory=dict)
    #: flat ``[settings]`` table (scalars, lists of strings); validated by ``swarmbridge.settings``
    settings: dict[str, str | int | float | bool | list[str]] = Field(default_factory=dict)

    @field_validator("roles", mode="before")
    @classmethod
    def _short_roles(cls, v: object) -> object:
        if isinstance(v, dict):
            return {k: {"endpoint": r} if isinstance(r, str) else r for k, r in v.items()}
        return v

    @model_validator(mode="after")
    def _roles_exist(self) -> "Config":
        for role, ref in self.roles.items():
            if ref.endpoint not in self.endpoints:
                raise ValueError(f"roles.{role} uses endpoint {ref.endpoint!r}, which is not defined; add [endpoints.{ref.endpoint}] or pick one of {sorted(self.endpoints)}")
        return self

    def role(self, role: str) -> tuple[str, Endpoint, str] | None:
        """(endpoint name, endpoint, model) for a role; falls back to the only/first endpoint."""
        ref = self.roles.get(role)  # type: ignore[call-overload]
        if ref is None:
            if not self.endpoints:
                return None
            name = next(iter(self.endpoints))
            return name, self.endpoints[name], self.endpoints[name].model
        ep = self.endpoints[ref.endpoint]
        return ref.endpoint, ep, ref.model or ep.model


def _line_of(text: str, loc: tuple) -> int | None:
    """Best-effort line number of the key at ``loc`` in the TOML text."""
    keys = [str(k) for k in loc if not isinstance(k, int)]
    lines = text.splitlines()
    start = 0
    if len(keys) >= 2:
        hdr = re.compile(rf"^\s*\[\s*{re.escape(keys[0])}\.\"?{re.escape(keys[1])}\"?\s*\]")
        start = next((i for i, ln in enumerate(lines) if hdr.match(ln)), 0)
        if len(keys) == 2:
            return start + 1 if start else None
    key = keys[-1] if keys else ""
    pat = re.compile(rf"^\s*\"?{re.escape(key)}\"?\s*=")
    return next((i + 1 for i in range(start, len(lines)) if pat.match(lines[i])), start + 1 if start else None)


def apply_env(data: dict, environ: dict[str, str]) -> dict:
    """Overlay ``SWARMBRIDGE_ENDPOINTS__NAME__FIELD`` / ``SWARMBRIDGE_ROLES__ROLE`` values."""
    for key, value in environ.items():
        if not key.startswith(ENV_PREFIX) or "__" not in key:
            continue
        parts = [p.lower() for p in key[len(ENV_PREFIX):].split("__")]
        if parts[0] not in ("endpoints", "roles", "settings"):
            continue
        node = data
        for p in parts[:-1]:
            node = node.setdefault(p, {})
        node[parts[-1]] = [u.strip() for u in value.split(",")] if parts[-1] == "base_urls" else value
    return data


def load(path: Path, environ: dict[str, str] | None = None) -> Config:
    """Read, overlay the environment, validate. A missing file is an empty config."""
    text = path.read_text("utf-8") if path.exists() else ""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}); fix the syntax on that line (the previous version is in {path.name}.bak if you saved with swarmbridge)") from None
    data = apply_env(data, dict(os.environ if environ is None else environ))
    try:
        return Config.model_validate(data)
    except pydantic.ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            line = _line_of(text, loc)
            where = ".".join(str(x) for x in loc) or "(top level)"
            problems.append(f"{path}{f':{line}' if line else ''}: {where}: {err['msg']}")
        raise ConfigError("bad config:\n  " + "\n  ".join(problems) + "\nfix: edit the file (or use `swarmbridge models add/remove`)") from None


def dumps(cfg: Config) -> str:
    """TOML text for ``cfg`` (only the shapes this schema has: tables of scalars and lists)."""
    out: list[str] = []
    for name, ep in cfg.endpoints.items():
        out.append(f"[endpoints.{_key(name)}]")
        for k, v in ep.model_dump(exclude_none=True, exclude_defaults=True).items():
            out.append(f"{k} = {_val(v)}")
        if "model" not in ep.model_dump(exclude_defaults=True):
            out.append(f"model = {_val(ep.model)}")
        out.append("")
    if cfg.roles:
        out.append("[roles]")
        for role, ref in cfg.roles.items():
            out.append(f"{role} = {_val(ref.endpoint)}" if ref.model is None else f'{role} = {{ endpoint = {_val(ref.endpoint)}, model = {_val(ref.model)} }}')
        out.append("")
    if cfg.settings:
        out.append("[settings]")
        out.extend(f"{_key(k)} = {_val(v)}" for k, v in cfg.settings.items())
    return "\n".join(out).rstrip() + "\n"


def _key(k: str) -> str:
    return k if re.fullmatch(r"[A-Za-z0-9_-]+", k) else _val(k)


def _val(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, list):
        return "[" + ", ".join(_val(x) for x in v) + "]"
    s = str(v).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{s}"'


def save(path: Path, cfg: Config) -> None:
    """Write atomically; keep the previous file as ``<name>.bak``; re-read to prove it loads.
    Only the tables that changed are rewritten, so a person's comments elsewhere survive."""
    from .settings.tomlpatch import patch  # a pure function; imported here: settings imports this module

    new = dumps(cfg)
    try:
        old = path.read_text("utf-8")
    except (FileNotFoundError, UnicodeDecodeError):
        old = ""
    write_text(path, patch(old, new) or new)


def write_text(path: Path, text: str) -> None:
    """Write config text atomically (temp file, fsync, rename), the previous file kept as
    ``<name>.bak``; text that would not load is refused before anything is touched."""
    Config.model_validate(tomllib.loads(text))  # never write a file we could not read back
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        shutil.copy2(path, path.with_name(path.name + ".bak"))
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def api_key(ep: Endpoint, environ: dict[str, str] | None = None) -> str | None:
    """The endpoint's key from its env var or OS keyring entry (never from the file itself)."""
    env = os.environ if environ is None else environ
    if ep.api_key_env:
        return env.get(ep.api_key_env)
    if ep.api_key_keyring:
        try:
            import keyring  # optional dependency

            service, _, user = ep.api_key_keyring.partition("/")
            return keyring.get_password(service, user or "api_key")
        except Exception:  # noqa: BLE001 - no keyring: no key (never fall back to plain text)
            return None
    return None
