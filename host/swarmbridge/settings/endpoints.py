"""``models.endpoints.*`` and ``models.roles.set``: the model endpoints the options page edits.

Endpoints and roles live in ``config.toml`` (``config.py``'s schema, the same file ``swarmbridge
models add`` writes). An API key typed in the page goes to the OS keyring (the endpoint then names
the entry in ``api_key_keyring``); it is never written to the file and never sent back: listings
say only whether a key is set. With no usable keyring a key is refused, nothing is saved, and the
error says to use an environment variable instead. "Test connection" is ``models test``'s check:
one real completion plus a tool-call probe, bounded in time, with a message that says what failed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pydantic

from .. import config as cfgmod
from ..autofill.profiles import SecretStore
from .model import EndpointIn, FieldErrors, ProbeIn, RolesIn, field_errors
from .store import SettingsStore

#: how long "test connection" may take before it says the server is too slow
TEST_TIMEOUT_S = 30.0
#: what a change returns: the new config (for the running models) and what the page shows
Changed = tuple[cfgmod.Config, dict[str, Any]]


class KeyStore(SecretStore):
    """Endpoint API keys in the OS keyring, under service ``swarmbridge``."""

    SERVICE = "swarmbridge"

    def ref(self, name: str) -> str:
        """The ``api_key_keyring`` value ``config.api_key`` reads back: ``SERVICE/USER``."""
        return f"{self.SERVICE}/endpoint-{name}/api_key"

    def put_key(self, name: str, value: str) -> None:
        self.put(f"endpoint-{name}", "api_key", value)

    def delete_key(self, name: str) -> None:
        if self._keyring is None:
            return
        try:
            self._keyring.delete_password(self.SERVICE, f"endpoint-{name}/api_key")
        except self._errors:  # already gone
            pass


def _validated(model: type[pydantic.BaseModel], params: Any) -> Any:
    try:
        return model.model_validate(params)
    except pydantic.ValidationError as exc:
        raise field_errors(exc, model) from None


def describe(cfg: cfgmod.Config, keys: KeyStore) -> dict[str, Any]:
    """What the page shows: every endpoint (key as set / not set), the roles, the keyring state."""
    endpoints = []
    for name, ep in cfg.endpoints.items():
        source = f"env:{ep.api_key_env}" if ep.api_key_env else "keyring" if ep.api_key_keyring else None
        endpoints.append({"name": name, "baseUrl": ep.urls()[0], "baseUrls": ep.urls(), "model": ep.model, "toolMode": ep.tool_mode,
                          "inputPrice": ep.input_price, "outputPrice": ep.output_price,
                          "apiKey": "set" if cfgmod.api_key(ep) else "not set", "keySource": source})
    roles = {r: (cfg.roles[r].endpoint if r in cfg.roles else None) for r in cfgmod.ROLES}  # type: ignore[index]
    effective = {r: (found[0] if (found := cfg.role(r)) else None) for r in cfgmod.ROLES}
    return {"endpoints": endpoints, "roles": roles, "effectiveRoles": effective, "keyring": not keys.unavailable,
            "keyringProblem": keys.unavailable or None}


class EndpointsAPI:
    """The handlers. The changing ones are plain functions (file and keyring I/O: the component
    runs them in a worker thread, one at a time) returning the new config, for the component to
    hand to the running models on the event loop, and what the page shows."""

    def __init__(self, store: SettingsStore, keys: Callable[[], KeyStore] = KeyStore) -> None:
        self.store, self._keys = store, keys

    @property
    def keys(self) -> KeyStore:
        """Looked up per request: a keyring unlocked (or installed) later is used without a restart."""
        return self._keys()

    def _done(self, cfg: cfgmod.Config) -> Changed:
        return cfg, describe(cfg, self.keys)

    def list(self, params: dict) -> dict[str, Any]:
        return describe(self.store.config(), self.keys)

    def set(self, params: dict) -> Changed:
        p: EndpointIn = _validated(EndpointIn, params)
        key = (p.api_key or "").strip()
        keys = self.keys
        if key and keys.unavailable:
            raise FieldErrors({"apiKey": f"API keys are kept only in the OS keyring, and {keys.unavailable}; put the key in an "
                                         f"environment variable instead: swarmbridge models add {p.name} --base-url URL --model M --api-key-env VAR"})

        def change(cfg: cfgmod.Config) -> None:
            old = cfg.endpoints.get(p.name)
            update: dict[str, Any] = {**p.url_fields(), "model": p.model, **p.price_fields()}
            if p.tool_mode:
                update["tool_mode"] = p.tool_mode
            if key:
                update.update(api_key_keyring=keys.ref(p.name), api_key_env=None)
            elif p.clear_key:
                update.update(api_key_keyring=None, api_key_env=None)
            base = old.model_dump() if old else {}
            cfg.endpoints[p.name] = cfgmod.Endpoint.model_validate({**base, **update})
            if key:  # last: nothing below can fail, so a refused key leaves the file untouched
                try:
                    keys.put_key(p.name, key)
                except Exception as exc:  # noqa: BLE001 - a keyring backend's own error
                    raise FieldErrors({"apiKey": f"the OS keyring refused the key: {exc}"}) from None

        cfg = self.store.edit(change)
        if p.clear_key and not key:
            keys.delete_key(p.name)
        return self._done(cfg)

    def remove(self, params: dict) -> Changed | None:
        name = str(params.get("name", ""))

        def change(cfg: cfgmod.Config) -> None:
            if cfg.endpoints.pop(name, None) is None:
                raise KeyError(name)
            cfg.roles = {r: ref for r, ref in cfg.roles.items() if ref.endpoint != name}

        try:
            cfg = self.store.edit(change)
        except KeyError:
            return None
        self.keys.delete_key(name)
        return self._done(cfg)

    def set_roles(self, params: dict) -> Changed:
        p: RolesIn = _validated(RolesIn, params)

        def change(cfg: cfgmod.Config) -> None:
            bad = {}
            for role, name in p.roles.items():
                if not name:
                    cfg.roles.pop(role, None)  # type: ignore[call-overload]
                elif name not in cfg.endpoints:
                    bad[role] = f"no endpoint named {name!r}; configured: {', '.join(sorted(cfg.endpoints)) or 'none'}"
                elif role not in cfg.roles or cfg.roles[role].endpoint != name:  # type: ignore[index]
                    cfg.roles[role] = cfgmod.RoleRef(endpoint=name)  # type: ignore[index]
            if bad:
                raise FieldErrors(bad)

        return self._done(self.store.edit(change))

    async def test(self, params: dict) -> dict[str, Any]:
        """``{ok, latency_s, reply, tokens, tool_mode}`` or ``{ok: false, error}``; never raises
        for a server that fails (that is the answer), only for bad input."""
        p: ProbeIn = _validated(ProbeIn, params)
        cfg = await asyncio.to_thread(self.store.config)
        ep = cfg.endpoints.get(p.name) if p.name else None
        if p.name and ep is None and not p.base_url:
            raise FieldErrors({"name": f"no endpoint named {p.name!r}; configured: {', '.join(sorted(cfg.endpoints)) or 'none'}"})
        if ep is None and not (p.base_url and p.model):
            raise FieldErrors({"baseUrl": "give a saved endpoint's name, or a base URL and a model"})
        if p.base_url:
            ep = (ep.model_copy(update={"base_url": p.base_url, "base_urls": []}) if ep else cfgmod.Endpoint(base_url=p.base_url, model=p.model or ""))
        assert ep is not None
        from ..llm.registry import check_endpoint  # imports openai: only when testing

        url = ep.urls()[0]
        try:
            async with asyncio.timeout(TEST_TIMEOUT_S):
                return await check_endpoint(ep, p.model or None, key=(p.api_key or "").strip() or None)
        except TimeoutError:
            return {"ok": False, "error": f"{url} did not answer within {TEST_TIMEOUT_S:.0f} s"}
        except Exception as exc:  # noqa: BLE001 - any failure is the test's answer
            cause = exc.__cause__ or exc.__context__
            detail = f"{exc}" + (f" ({cause})" if cause and str(cause) not in str(exc) else "")
            return {"ok": False, "error": f"{url} (model {p.model or ep.model}): {type(exc).__name__}: {detail}"}
